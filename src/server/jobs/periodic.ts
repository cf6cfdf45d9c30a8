import type { App } from '../http/fastify.js';

/**
 * Runs `run` every `intervalSeconds` while the app is up (the first run `firstRunMs` after it is ready). Runs
 * never overlap in one server; the timer stops when the app closes, after a run in progress. Errors are logged
 * and the next run tries again. For small maintenance (quota reservation expiry, purging abandoned rosters);
 * scheduled work that must run once across several servers goes on pg-boss (the alerts).
 */
export function schedulePeriodic(
  app: App,
  name: string,
  intervalSeconds: number,
  run: () => Promise<void>,
  firstRunMs = 5_000,
): void {
  if (!(intervalSeconds > 0)) return;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = run()
      .catch((error: unknown) => app.log.error({ err: error }, `${name} failed; retrying at the next run`))
      .finally(() => {
        running = undefined;
      });
  };
  // setTimeout holds at most 2^31 - 1 ms (about 24.8 days).
  const intervalMs = Math.min(intervalSeconds * 1000, 2 ** 31 - 1);
  const arm = (ms: number) => {
    timer = setTimeout(() => {
      tick();
      if (!stopped) arm(intervalMs);
    }, ms);
    timer.unref();
  };
  app.addHook('onReady', async () => {
    arm(firstRunMs);
  });
  app.addHook('onClose', async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  });
}
