import type PgBoss from 'pg-boss';
import type { App } from '../http/fastify.js';
import type { Database } from '../db/database.js';
import { scanAlerts, todayIn } from '../services/alerts/alerts.js';
import {
  DIGEST_LEASE_MS,
  digestRecipients,
  sendDigest,
  unsentDigests,
  type DigestMail,
} from '../services/alerts/digest.js';
import { createBoss, type BossOptions } from './boss.js';

export const ALERTS_SCAN_QUEUE = 'alerts-scan';
export const ALERTS_DIGEST_QUEUE = 'alerts-digest';
/** pg-boss caps a singleton window at its archive interval (12 hours by default). */
const SINGLETON_SECONDS = 43_200;

/** Alerts configuration of the app (`korus serve` fills it from KORUS_ALERTS_*, KORUS_SMTP_URL, KORUS_OUTBOX_DIR). */
export interface AlertsOptions {
  /** The time zone of "today" for the scan, the cron schedule and the digest (default UTC). */
  timeZone?: string;
  /** Schedule the daily scan and the digests on pg-boss; absent: no scheduling (tests, benchmarks). */
  schedule?: BossOptions & {
    /** Cron expression of the daily scan, in `timeZone` (default `0 6 * * *`: 06:00). */
    cron?: string;
  };
  /** The digest's e-mail; absent: no digest is sent. */
  mail?: DigestMail;
  /** Recompute an organization's alerts a second after a change to its records (default true when set). */
  refreshOnChange?: boolean;
  /** Run before each daily scan: the settlement plans' nightly recomputation (issue 19), so alerts read fresh plans. */
  beforeScan?: () => Promise<unknown>;
}

export interface AlertJobs {
  boss: PgBoss;
  /** Queues a scan for `asOf` (default today); de-duplicated per day. Resolves to the job id (null: a duplicate). */
  sendScan(asOf?: string): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * Starts pg-boss with the alert queues: `alerts-scan` (scheduled daily by cron; computes the alerts of every
 * organization, then queues one `alerts-digest` job per user who got new notifications) and `alerts-digest`
 * (sends that user's digest of the day). Jobs are de-duplicated by pg-boss (`singletonKey` per day, and per
 * user and day) and, whatever happens, by the database's unique keys (notifications, email log).
 */
export async function startAlertJobs(db: Database, options: AlertsOptions): Promise<AlertJobs> {
  const timeZone = options.timeZone ?? 'UTC';
  const boss = createBoss(db, options.schedule ?? {});
  boss.on('error', () => undefined); // reported through the handlers' own logging; never crash the server
  await boss.start();
  await boss.createQueue(ALERTS_SCAN_QUEUE, { name: ALERTS_SCAN_QUEUE, retryLimit: 2, retryDelay: 60 });
  await boss.createQueue(ALERTS_DIGEST_QUEUE, {
    name: ALERTS_DIGEST_QUEUE,
    retryLimit: 3,
    retryDelay: 300,
    retryBackoff: true,
    // A job whose worker died is retried after it expires (plus the retry delay): by then its claim of the
    // digest has lapsed (expiry = the lease), so the retry sends it. See docs/decisions/035-digest-lease.md.
    expireInSeconds: DIGEST_LEASE_MS / 1000,
  });
  await boss.schedule(ALERTS_SCAN_QUEUE, options.schedule?.cron ?? '0 6 * * *', {}, { tz: timeZone });

  await boss.work<{ asOf?: string }>(ALERTS_SCAN_QUEUE, async ([job]) => {
    const asOf = job?.data?.asOf ?? todayIn(timeZone);
    if (options.beforeScan) await options.beforeScan();
    const result = await scanAlerts(db, { asOf, timeZone });
    let retried = 0;
    if (options.mail) {
      for (const userId of await digestRecipients(db, asOf)) {
        await boss.send(
          ALERTS_DIGEST_QUEUE,
          { userId, date: asOf },
          { singletonKey: `${userId}:${asOf}`, singletonSeconds: SINGLETON_SECONDS },
        );
      }
      // Digests of the last days that were never sent (failed after pg-boss's retries, or claimed by a run
      // that died and whose lease has lapsed): queued again; `sendDigest` claims each before sending it.
      for (const unsent of await unsentDigests(db, asOf)) {
        if (unsent.date === asOf) continue; // queued just above
        const queued = await boss.send(ALERTS_DIGEST_QUEUE, unsent, {
          singletonKey: `${unsent.userId}:${unsent.date}`,
          singletonSeconds: SINGLETON_SECONDS,
        });
        if (queued) retried += 1;
      }
    }
    return { ...result, digestsRetried: retried };
  });
  await boss.work<{ userId: string; date: string }>(ALERTS_DIGEST_QUEUE, async ([job]) => {
    if (!options.mail || !job) return { outcome: 'no_mail' };
    return { outcome: await sendDigest(db, options.mail, job.data.userId, job.data.date) };
  });

  return {
    boss,
    sendScan: (asOf) =>
      boss.send(ALERTS_SCAN_QUEUE, asOf ? { asOf } : {}, {
        singletonKey: `scan:${asOf ?? todayIn(timeZone)}`,
        singletonSeconds: SINGLETON_SECONDS,
      }),
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      await options.mail?.transport.close?.();
    },
  };
}

/**
 * Runs the alert jobs for the app's lifetime when `options.alerts.schedule` is set: started when the server is
 * ready, stopped (gracefully, waiting for a job in progress) when it closes. A failure to start is logged and
 * the server runs without scheduled alerts (the on-demand scan still works).
 */
export function scheduleAlertJobs(
  app: App,
  options: { db: Database; alerts?: AlertsOptions | undefined },
): void {
  const alerts = options.alerts;
  if (!alerts?.schedule) return;
  let jobs: AlertJobs | undefined;
  let starting: Promise<AlertJobs | undefined> = Promise.resolve(undefined);
  app.decorate('alertJobs', () => jobs);
  app.decorate('alertJobsStarted', () => starting);
  // Started beside the server's start-up, not before it: requests are served while pg-boss connects.
  app.addHook('onReady', async () => {
    starting = startAlertJobs(options.db, alerts).then(
      (started) => {
        jobs = started;
        app.log.info(
          { timeZone: alerts.timeZone ?? 'UTC', cron: alerts.schedule?.cron },
          'alert jobs started',
        );
        return started;
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'alert jobs could not start; scheduled alerts are off');
        return undefined;
      },
    );
  });
  app.addHook('onClose', async () => {
    await (await starting)?.stop();
    jobs = undefined;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The running alert jobs (undefined before ready, after close, or without a schedule). */
    alertJobs?: () => AlertJobs | undefined;
    /** Resolves when the alert jobs have started (or failed to: undefined). */
    alertJobsStarted?: () => Promise<AlertJobs | undefined>;
  }
}
