import type { App } from '../../app.js';
import type { QuotaActor, QuotaLedger } from '../../services/quota.js';

/** The scheduled expiry acts as the system (audit events name it), never as a user. */
export const expiryActor: QuotaActor = {
  label: 'system:quota-expiry',
  userId: null,
  organizationId: null,
  requestId: null,
  idempotencyScope: 'system',
  seesAllCases: true,
};

/**
 * Releases reservations older than policy/quota/reservation-expiry-days every `intervalSeconds` (the first
 * run `firstRunMs` after the server is ready). Runs never overlap in one server; across servers sharing one
 * database each reservation is released once (`QuotaLedger.expireReservations`). The timer stops when the
 * app closes.
 */
export function scheduleQuotaExpiry(
  app: App,
  ledgerOf: () => QuotaLedger,
  intervalSeconds: number,
  firstRunMs = 5_000,
): void {
  if (!(intervalSeconds > 0)) return;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async () => {
    try {
      const result = await ledgerOf().expireReservations(expiryActor);
      if (result.released > 0)
        app.log.info(
          { released: result.released, days: result.days, asOf: result.asOf, items: result.items },
          'quota reservations expired',
        );
      else app.log.debug({ days: result.days, asOf: result.asOf }, 'quota expiry: nothing to release');
    } catch (error) {
      app.log.error({ err: error }, 'quota expiry failed; retrying at the next run');
    }
  };
  const tick = () => {
    if (stopped || running) return;
    running = run().finally(() => {
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
