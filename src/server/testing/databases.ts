import { randomBytes } from 'node:crypto';
import { connectPostgres, type Database, type Row, type Tx } from '../db/database.js';
import { migrate } from '../db/migrate.js';

/**
 * Every database test runs on the embedded PostgreSQL (one server per test run, started by
 * `global-setup.ts`) and, when KORUS_TEST_DATABASE_URL is set, also on that PostgreSQL server: each test
 * file in a schema of its own, so parallel files never collide.
 */
export type TestDatabaseKind = 'embedded' | 'postgres';

export const testDatabaseKinds: TestDatabaseKind[] = process.env.KORUS_TEST_DATABASE_URL
  ? ['embedded', 'postgres']
  : ['embedded'];

/** The connection string of a kind's server (the embedded one comes from the test run's global setup). */
export function testDatabaseUrl(kind: TestDatabaseKind): string {
  const url = kind === 'postgres' ? process.env.KORUS_TEST_DATABASE_URL : process.env.KORUS_TEST_EMBEDDED_URL;
  if (!url)
    throw new Error(
      kind === 'postgres'
        ? 'KORUS_TEST_DATABASE_URL is not set'
        : 'KORUS_TEST_EMBEDDED_URL is not set: run the tests through vitest (its global setup starts the server)',
    );
  return url;
}

export interface TestDatabase extends Database {
  /** The schema of this test file. */
  readonly schemaName: string;
  readonly testKind: TestDatabaseKind;
}

export function uniqueSchemaName(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function openTestDatabase(
  kind: TestDatabaseKind,
  options: { migrate?: boolean; poolSize?: number } = {},
): Promise<TestDatabase> {
  const schemaName = uniqueSchemaName();
  const db = await connectPostgres(testDatabaseUrl(kind), schemaName, options.poolSize ?? 20);
  if (options.migrate !== false) await migrate(db);
  return new SchemaScopedDatabase(db, schemaName, kind);
}

class SchemaScopedDatabase implements TestDatabase {
  constructor(
    private readonly inner: Database,
    readonly schemaName: string,
    readonly testKind: TestDatabaseKind,
  ) {}
  get kind() {
    return this.testKind;
  }
  get description() {
    return this.inner.description;
  }
  get connection() {
    return this.inner.connection;
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
    await this.inner.exec(`DROP SCHEMA IF EXISTS ${this.schemaName} CASCADE`).catch(() => undefined);
    await this.inner.close();
  }
}
