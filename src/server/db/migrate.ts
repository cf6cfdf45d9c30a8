import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

export interface Migration {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'migration.checksum_mismatch' | 'migration.unknown_applied' | 'migration.failed',
    message: string,
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The committed SQL files live in src/server/db/migrations; the build does not copy them, so both the
 *  sources (tsx) and dist/ read them from the source tree. */
export function migrationsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/server/db -> here; dist/server/db -> ../../../src/server/db/migrations
  const candidates = [
    join(here, 'migrations'),
    join(here, '..', '..', '..', 'src', 'server', 'db', 'migrations'),
  ];
  for (const dir of candidates) {
    try {
      if (readdirSync(dir).some((f) => f.endsWith('.sql'))) return dir;
    } catch {
      /* try next */
    }
  }
  throw new Error(`SQL migrations not found (looked in ${candidates.join(', ')})`);
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(dir, file), 'utf8');
      const [version, ...rest] = file.replace(/\.sql$/, '').split('_');
      return {
        version: version!,
        name: rest.join('_'),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    text PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

interface AppliedRow {
  version: string;
  name: string;
  checksum: string;
  [key: string]: unknown;
}

/** Checks applied migrations against the files: an edited or unknown applied migration is refused. */
export async function migrationStatus(
  db: Database,
  migrations = loadMigrations(),
): Promise<{ pending: Migration[]; applied: AppliedRow[] }> {
  await db.query(CREATE_TABLE);
  const applied = await db.query<AppliedRow>(
    'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
  );
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new MigrationError(
        'migration.unknown_applied',
        `Migration ${row.version}_${row.name} is applied in the database but its file is missing: this database is newer than this version of KORUS.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        'migration.checksum_mismatch',
        `Migration ${row.version}_${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). ` +
          'Applied migrations must never change: restore the file and add a new migration instead.',
      );
    }
  }
  const done = new Set(applied.map((r) => r.version));
  return { pending: migrations.filter((m) => !done.has(m.version)), applied };
}

/** Applies pending migrations in order, each in its own transaction together with its record. */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<MigrationReport> {
  const { pending, applied } = await migrationStatus(db, migrations);
  const report: MigrationReport = { applied: [], alreadyApplied: applied.map((r) => r.version) };
  for (const migration of pending) {
    try {
      await db.transaction(async (tx) => {
        // Two servers starting at once on PostgreSQL: the second waits, then finds the work done.
        await tx.query('SELECT pg_advisory_xact_lock(724001)');
        const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
          migration.version,
        ]);
        if (done.length > 0) return;
        await tx.exec(migration.sql);
        await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          migration.checksum,
        ]);
      });
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      throw new MigrationError(
        'migration.failed',
        `Migration ${migration.version}_${migration.name} failed and was rolled back: ${(error as Error).message}`,
      );
    }
    report.applied.push(migration.version);
  }
  return report;
}
