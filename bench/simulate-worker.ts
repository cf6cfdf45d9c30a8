import { parentPort, workerData } from 'node:worker_threads';
import { simulateScenario } from '../src/core/simulation/engine.js';
import { streamSeed } from '../src/core/simulation/random.js';
import { benchScenario } from './simulate-scenario.js';

/** One thread of `bench/simulate.ts`: its share of the replications; answers their median lead times. */
const { replications, seed } = workerData as { replications: number[]; seed: number };
const s = benchScenario();
parentPort!.postMessage(replications.map((k) => simulateScenario(s, streamSeed(seed, k)).medianLeadDays));
