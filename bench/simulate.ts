/**
 * `npm run bench:simulate` (issue 21): the policy simulator's speed. (1) One replication of a year with 50,000
 * workers through the multi-stage "today" scenario (desk batches, interview queues, USCIS delays, the H-1B cap),
 * scaled so the queues stay busy: target under 1 s on one core (median of 5 runs). (2) 200 replications spread over
 * worker threads, one per core: target under 60 s. Writes bench/results/simulate.json.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { simulateScenario } from '../src/core/simulation/engine.js';
import { streamSeed } from '../src/core/simulation/random.js';
import { writeResult } from './common.js';
import { benchScenario } from './simulate-scenario.js';

async function main() {
  const s = benchScenario();
  const single: number[] = [];
  let workers = 0;
  for (let k = 0; k < 6; k++) {
    const t0 = performance.now();
    const r = simulateScenario(s, streamSeed(1, k));
    const ms = performance.now() - t0;
    if (k > 0) single.push(ms); // the first run warms the JIT
    workers = r.admitted + r.refused;
  }
  single.sort((a, b) => a - b);
  const threads = availableParallelism();
  const replications = 200;
  const t0 = performance.now();
  const chunks = Array.from({ length: threads }, (_, t) =>
    Array.from({ length: replications }, (_, k) => k).filter((k) => k % threads === t),
  );
  const medians = (
    await Promise.all(
      chunks.map(
        (ks) =>
          new Promise<number[]>((resolve, reject) => {
            const worker = new Worker(new URL('./simulate-worker.mjs', import.meta.url), {
              workerData: { replications: ks, seed: 1 },
            });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    )
  ).flat();
  const parallelMs = performance.now() - t0;
  writeResult('simulate', {
    workersPerReplication: workers,
    singleReplicationMs: {
      median: Math.round(single[Math.floor(single.length / 2)]!),
      min: Math.round(single[0]!),
    },
    replications,
    threads,
    replicationsWallMs: Math.round(parallelMs),
    medianLeadDaysAcrossReplications:
      Math.round((medians.reduce((a, b) => a + b, 0) / medians.length) * 10) / 10,
  });
}

await main();
