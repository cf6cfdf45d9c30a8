/**
 * `npm run bench:simulate` (issue 21): the policy simulator's speed. (1) One replication of a year with 50,000
 * workers through the multi-stage "today" scenario calibrated from a measured year of cases (desk batches,
 * interview queues, empirical stage durations, the H-1B cap season), scaled so the queues stay busy: target under
 * 1 s on one core (median of 5 runs). (2) 200 replications on worker threads, one per core, through the API's own
 * runner (`replicateOnThreads`, every replication's figures sent back): target under 60 s. Also the calibration
 * itself (20,000 measured cases). Writes bench/results/simulate.json.
 */
import { availableParallelism } from 'node:os';
import { simulateScenario } from '../src/core/simulation/engine.js';
import { streamSeed } from '../src/core/simulation/random.js';
import { replicateOnThreads } from '../src/server/services/simulations/replicate.js';
import { writeResult } from './common.js';
import { benchScenario } from './simulate-scenario.js';

async function main() {
  const c0 = performance.now();
  const s = benchScenario();
  const calibrationMs = performance.now() - c0;
  const empiricalStages = Object.values(s.paths)
    .flat()
    .filter((x) => x.delay && 'empirical' in x.delay).length;
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
  const runs = await replicateOnThreads([s], { replications, seed: 1, threads });
  const medians = runs[0]!.map((r) => r.medianLeadDays);
  const parallelMs = performance.now() - t0;
  writeResult('simulate', {
    workersPerReplication: workers,
    calibration: { cases: s.calibration!.cases, empiricalStages, ms: Math.round(calibrationMs) },
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
