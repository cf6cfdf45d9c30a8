import { randomBytes } from 'node:crypto';
import { openDatabase, openMemoryDatabase, type Database, type Row, type Tx } from '../db/database.js';
import { migrate } from '../db/migrate.js';

/**
 * Every database test runs on the embedded PGlite and, when KORUS_TEST_DATABASE_URL is set, also on a
 * PostgreSQL server, each test file in a schema of its own so parallel runs never collide.
 */
export type TestDatabaseKind = 'pglite' | 'postgres';

export const testDatabaseKinds: TestDatabaseKind[] = process.env.KORUS_TEST_DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export interface TestDatabase extends Database {
  /** The schema on PostgreSQL, undefined on PGlite. */
  readonly schemaName: string | undefined;
}

export function uniqueSchemaName(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function openTestDatabase(
  kind: TestDatabaseKind,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  let db: Database;
  let schemaName: string | undefined;
  if (kind === 'postgres') {
    const url = process.env.KORUS_TEST_DATABASE_URL;
    if (!url) throw new Error('KORUS_TEST_DATABASE_URL is not set');
    schemaName = uniqueSchemaName();
    db = await openDatabase({ dataDir: '', databaseUrl: url, schema: schemaName, poolSize: 20 });
  } else {
    db = await openMemoryDatabase();
  }
  if (options.migrate !== false) await migrate(db);
  return new SchemaScopedDatabase(db, schemaName);
}

class SchemaScopedDatabase implements TestDatabase {
  constructor(
    private readonly inner: Database,
    readonly schemaName: string | undefined,
  ) {}
  get kind() {
    return this.inner.kind;
  }
  get description() {
    return this.inner.description;
  }
  get orm() {
    return this.inner.orm;
  }
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]> {
    return this.inner.query<T>(text, params);
  }
  exec(script: string): Promise<void> {
    return this.inner.exec(script);
  }
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.inner.transaction(fn);
  }
  async close(): Promise<void> {
    if (this.schemaName)
      await this.inner.exec(`DROP SCHEMA IF EXISTS ${this.schemaName} CASCADE`).catch(() => undefined);
    await this.inner.close();
  }
}
