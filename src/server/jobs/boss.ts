import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * pg-boss (a job queue in the database, 10.x): it opens a small pool of its own to the app's database (the
 * embedded PostgreSQL's socket, or DATABASE_URL), with its tables in a schema of its own (`pgboss` by
 * default). See docs/decisions/034-alerts-on-pg-boss.md and 040-embedded-postgresql.md.
 */
export interface BossOptions {
  /** Another connection string than the app's database (rarely needed). */
  connectionString?: string | undefined;
  /** The schema of pg-boss's tables (default `pgboss`). */
  schema?: string | undefined;
  /** How often a worker polls for jobs (seconds, at least 0.5; default 2). */
  pollingIntervalSeconds?: number | undefined;
  /** How often the cron schedules are checked (seconds; default 30). */
  cronMonitorIntervalSeconds?: number | undefined;
}

export function createBoss(db: Database, options: BossOptions = {}): PgBoss {
  const schema = options.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid pg-boss schema name "${schema}"`);
  return new PgBoss({
    schema,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
    connectionString: options.connectionString ?? db.connection.url,
    max: 3,
  });
}
