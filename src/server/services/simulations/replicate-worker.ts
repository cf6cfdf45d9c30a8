import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../../../contract/simulation.js';
import { simulateScenario } from '../../../core/simulation/engine.js';
import { streamSeed } from '../../../core/simulation/random.js';

/**
 * One thread of a simulation run (`replicate.ts`): its share of the replications, each scenario on the same
 * stream (common random numbers), one message per replication so the run shows its progress.
 */
const { scenarios, indices, seed } = workerData as { scenarios: Scenario[]; indices: number[]; seed: number };
for (const k of indices)
  for (const [i, s] of scenarios.entries())
    parentPort!.postMessage({ k, i, replication: simulateScenario(s, streamSeed(seed, k)) });
