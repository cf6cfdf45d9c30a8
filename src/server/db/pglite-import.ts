import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite, Transaction as PgliteTransaction } from '@electric-sql/pglite';
import type { Database, Orm, Row, Tx } from './database.js';
import { backup, restore } from '../backup/backup.js';

/**
 * Until December 2026 the embedded database was PGlite (PostgreSQL compiled to WebAssembly) in
 * `<data dir>/pgdata`. Its replacement is a native PostgreSQL in `<data dir>/postgres` (decision 040). On the
 * first start of a data directory that still holds a PGlite database, its data moves over by the logical
 * backup and restore (`korus backup` / `korus restore`): one consistent snapshot, restored in one transaction
 * with every table's row count checked and the audit chain's head compared. The PGlite folder is then renamed
 * `pgdata.pglite-imported`, kept until the operator deletes it. PGlite is loaded only for this.
 */
export class PgliteImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PgliteImportError';
  }
}

export async function migrateFromPglite(
  db: Database,
  dataDir: string,
  onProgress?: (message: string) => void,
): Promise<{ counts: Record<string, number> } | undefined> {
  const legacyDir = join(dataDir, 'pgdata');
  if (!existsSync(join(legacyDir, 'PG_VERSION'))) return undefined;
  const [tables] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = current_schema()`,
  );
  if ((tables?.n ?? 0) > 0) {
    throw new PgliteImportError(
      `${dataDir} holds both an embedded PostgreSQL database and an older PGlite database (${legacyDir}). ` +
        `Keep one: move ${legacyDir} away to keep the PostgreSQL one, or move ${join(dataDir, 'postgres')} away to import the PGlite one again.\n` +
        `데이터 디렉터리에 PostgreSQL과 이전 PGlite 데이터베이스가 모두 있습니다. 하나를 다른 곳으로 옮기세요.`,
    );
  }
  onProgress?.(`Importing the PGlite database of ${legacyDir} into the embedded PostgreSQL…`);
  const file = join(dataDir, `pglite-export-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl.gz`);
  const legacy = await openLegacyPglite(legacyDir);
  let exported;
  try {
    exported = await backup(legacy, file);
  } finally {
    await legacy.close();
  }
  const restored = await restore(db, file);
  for (const [table, n] of Object.entries(exported.counts)) {
    if ((restored.counts[table] ?? 0) !== n)
      throw new PgliteImportError(
        `Table ${table}: ${n} rows in PGlite, ${restored.counts[table] ?? 0} imported.`,
      );
  }
  if (restored.auditHead.hash !== exported.auditHead.hash)
    throw new PgliteImportError('The audit chain of the imported data does not end where PGlite did.');
  renameSync(legacyDir, `${legacyDir}.pglite-imported`);
  rmSync(file, { force: true });
  const rows = Object.values(exported.counts).reduce((a, b) => a + b, 0);
  onProgress?.(`Imported ${rows} rows from PGlite; the old folder is now ${legacyDir}.pglite-imported.`);
  return { counts: exported.counts };
}

/** A read-only view of an old PGlite data directory, enough for `backup`. Exported for the tests. */
export async function openLegacyPglite(dir: string): Promise<Database> {
  const { PGlite, types } = await import('@electric-sql/pglite');
  const identity = (value: string) => value;
  const client = await PGlite.create({
    dataDir: dir,
    parsers: { [types.INT8]: (v: string) => Number(v), [types.DATE]: identity, [types.NUMERIC]: identity },
  });
  return new LegacyPglite(client, dir);
}

class LegacyPglite implements Database {
  readonly kind = 'embedded' as const;
  readonly description: string;
  readonly connection: { url: string; schema: undefined };
  constructor(
    private readonly client: PGlite,
    dir: string,
  ) {
    this.description = `PGlite at ${dir}`;
    this.connection = { url: `pglite:${dir}`, schema: undefined };
  }
  get orm(): Orm {
    throw new Error('PGlite is only read for the import');
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(text, params as unknown[])).rows;
  }
  async exec(script: string): Promise<void> {
    await this.client.exec(script);
  }
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.client.transaction((t) => fn(new LegacyPgliteTx(t)));
  }
  async close(): Promise<void> {
    if (!this.client.closed) await this.client.close();
  }
}

class LegacyPgliteTx implements Tx {
  constructor(private readonly t: PgliteTransaction) {}
  get orm(): Orm {
    throw new Error('PGlite is only read for the import');
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.t.query<T>(text, params as unknown[])).rows;
  }
  async exec(script: string): Promise<void> {
    await this.t.exec(script);
  }
}
