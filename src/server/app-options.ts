import type { Logger } from 'pino';
import type { Rules } from '../core/rules/index.js';
import type { CardKeyRing } from './cards/jws.js';
import type { FieldCipher } from './crypto/field-encryption.js';
import type { Database } from './db/database.js';
import type { AlertsOptions } from './jobs/alerts-jobs.js';

/** What `buildApp` is given (apart from `app.ts`, so that routes can name it without an import circle). */
export interface AppOptions {
  db: Database;
  /** The guidelines engine's rules, loaded once at start-up. */
  rules: Rules;
  logger?: Logger | false;
  sessionCacheSeconds?: number;
  secureCookies?: boolean;
  /** Check every response against its zod schema before sending (tests). */
  validateResponses?: boolean;
  /** Directory of the built web app; defaults to dist/web in the package. */
  webRoot?: string;
  version?: string;
  /**
   * Field encryption for personal identifiers (passport numbers). `korus serve` passes the data directory's
   * key ring; without it, an ephemeral key is made (tests, benchmarks): data written then cannot be read later.
   */
  cipher?: FieldCipher;
  /**
   * Seconds between two runs of the quota reservation expiry (the first run follows shortly after start);
   * `korus serve` passes `KORUS_QUOTA_EXPIRY_INTERVAL` (default daily). Absent or 0: no timer.
   */
  quotaExpiryIntervalSeconds?: number;
  /** Days an uploaded roster waits for its import before it is deleted (`KORUS_IMPORT_RETENTION_DAYS`); absent: no purge timer. */
  importRetentionDays?: number;
  /** The web app's public address (`KORUS_PUBLIC_URL`), for links the server writes; absent: relative links. */
  publicUrl?: string | undefined;
  /** Where uploaded documents are stored; default `<data dir>/uploads` (serve), or a temporary folder. */
  uploadsDir?: string;
  /** Status card signing keys (`<data dir>/card-keys.json` in serve); an ephemeral key without. */
  cardKeys?: CardKeyRing;
  /**
   * Alerts (issue 6): the time zone of "today", the daily scan on pg-boss and the digest e-mail. Scheduled
   * alongside the quota expiry timer; `korus serve` passes KORUS_ALERTS_*; absent: no schedule, UTC.
   */
  alerts?: AlertsOptions;
  /** The working group's console (issue 17): the small-cell threshold (default 5) and the rebuild interval. */
  console?: { minCell?: number; refreshIntervalSeconds?: number };
  /**
   * Webhook deliveries (issue 18): seconds between two dispatcher runs (`KORUS_WEBHOOKS_INTERVAL`, 5 in serve;
   * absent or 0: no dispatcher, tests call it), and whether endpoints may be on private networks
   * (`KORUS_WEBHOOKS_ALLOW_PRIVATE`).
   */
  webhooks?: { intervalSeconds?: number; allowPrivate?: boolean };
}
