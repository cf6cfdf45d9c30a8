import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Scenario } from '../../../contract/simulation.js';
import type { Replication } from '../../../core/simulation/engine.js';

/**
 * Runs a simulation's replications on worker threads (issue 21, item 4), so a long run never holds the server's
 * event loop: replication k of every scenario uses stream k of the seed (the same figures as the CLI and one
 * thread), the threads take every n-th replication, and each replication is reported as it finishes. Compiled,
 * the worker is `replicate-worker.js`; from the TypeScript sources (tests, `npm run dev`) it is loaded through
 * tsx. `signal` stops the threads (the server closing).
 */
export function defaultThreads(): number {
  const configured = Number(process.env.KORUS_SIMULATION_THREADS);
  if (Number.isInteger(configured) && configured > 0) return configured;
  return Math.max(1, availableParallelism() - 1);
}

function startWorker(data: unknown): Worker {
  const url = new URL(
    `./replicate-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
    import.meta.url,
  );
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData: data });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data });
}

export async function replicateOnThreads(
  scenarios: Scenario[],
  options: {
    replications: number;
    seed: number;
    threads?: number;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<Replication[][]> {
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreads(), options.replications));
  const runs: Replication[][] = scenarios.map(() => new Array<Replication>(options.replications));
  const total = options.replications * scenarios.length;
  let done = 0;
  const workers: Worker[] = [];
  const stop = () => workers.forEach((w) => void w.terminate());
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    await Promise.all(
      Array.from({ length: threads }, (_, t) => {
        const indices: number[] = [];
        for (let k = t; k < options.replications; k += threads) indices.push(k);
        return new Promise<void>((resolve, reject) => {
          const worker = startWorker({ scenarios, indices, seed: options.seed });
          workers.push(worker);
          worker.on('message', (m: { k: number; i: number; replication: Replication }) => {
            runs[m.i]![m.k] = m.replication;
            done += 1;
            options.onProgress?.(done, total);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (options.signal?.aborted) reject(new Error('stopped: the server closed'));
            else if (code !== 0) reject(new Error(`a simulation thread stopped (exit code ${code})`));
            else resolve();
          });
        });
      }),
    );
  } catch (error) {
    stop();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  return runs;
}
