import PgBoss from 'pg-boss';
import type { Database } from '../db/database.js';

/**
 * pg-boss (a job queue in the database, 10.x) on both databases:
 * - PostgreSQL: pg-boss opens a small pool of its own from the connection string, its tables in its own schema
 *   (`pgboss` by default);
 * - embedded PGlite: there is only the one in-process connection, so pg-boss runs its SQL through it (the `db`
 *   option). pg-boss sends two kinds of SQL: single statements with parameters (extended protocol) and, when it
 *   installs or migrates its schema, scripts of several statements without parameters wrapped in
 *   BEGIN … COMMIT, which the extended protocol refuses; those go through `exec` (simple protocol).
 *   See docs/decisions/034-alerts-on-pg-boss.md.
 */
export interface BossOptions {
  /** PostgreSQL only: let pg-boss open its own pool (recommended); otherwise it shares the app's database. */
  connectionString?: string | undefined;
  /** The schema of pg-boss's tables (default `pgboss`). */
  schema?: string | undefined;
  /** How often a worker polls for jobs (seconds, at least 0.5; default 2). */
  pollingIntervalSeconds?: number | undefined;
  /** How often the cron schedules are checked (seconds; default 30). */
  cronMonitorIntervalSeconds?: number | undefined;
}

/** pg-boss's `db` option over our database abstraction (PGlite, or a shared PostgreSQL pool). */
export function bossAdapter(db: Database): PgBoss.Db {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) return { rows: await db.query(text, values) };
      if (!isScript(text)) return { rows: (await db.query(text)) ?? [] };
      try {
        await db.exec(text);
      } catch (error) {
        // A failed script leaves its explicit transaction aborted on the shared connection: end it.
        await db.exec('ROLLBACK').catch(() => undefined);
        throw error;
      }
      return { rows: [] };
    },
  };
}

/** Several statements (pg-boss's install and migration scripts): not allowed in a prepared statement. */
function isScript(text: string): boolean {
  const trimmed = text.trim().replace(/;\s*$/, '');
  return /;\s*\S/.test(trimmed) || /^BEGIN\b/i.test(trimmed);
}

export function createBoss(db: Database, options: BossOptions = {}): PgBoss {
  const schema = options.schema ?? 'pgboss';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid pg-boss schema name "${schema}"`);
  const common = {
    schema,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds ?? 30,
  };
  if (db.kind === 'postgres' && options.connectionString) {
    return new PgBoss({ ...common, connectionString: options.connectionString, max: 3 });
  }
  return new PgBoss({ ...common, db: bossAdapter(db) });
}
