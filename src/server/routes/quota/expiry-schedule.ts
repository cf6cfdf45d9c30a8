import type { App } from '../../http/fastify.js';
import type { QuotaActor, QuotaLedger } from '../../services/quota.js';
import { schedulePeriodic } from '../../jobs/periodic.js';

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
  schedulePeriodic(
    app,
    'quota expiry',
    intervalSeconds,
    async () => {
      const result = await ledgerOf().expireReservations(expiryActor);
      if (result.released > 0)
        app.log.info(
          { released: result.released, days: result.days, asOf: result.asOf, items: result.items },
          'quota reservations expired',
        );
      else app.log.debug({ days: result.days, asOf: result.asOf }, 'quota expiry: nothing to release');
    },
    firstRunMs,
  );
}
