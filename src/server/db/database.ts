import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite, types as pgliteTypes, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { lockDataDir, type DataDirLock } from './lock.js';
import * as schema from './schema.js';

export type Row = Record<string, unknown>;
export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

/** Anything that runs SQL: the database itself or an open transaction. PostgreSQL dialect only. */
export interface Queryable {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations, restore). */
  exec(script: string): Promise<void>;
  /** Drizzle over the same connection (or transaction), for typed queries on `schema.ts` tables. */
  readonly orm: Orm;
}

export type Tx = Queryable;

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Human-readable location, never containing a password. */
  readonly description: string;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// One set of type parsers for both drivers, so results look the same on PGlite and PostgreSQL:
// int8 -> number (our sequences stay far below 2^53), date -> 'YYYY-MM-DD' string (never a Date at
// local midnight), numeric -> string, timestamptz -> Date.
const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;
const identity = (value: string) => value;
const int8 = (value: string) => Number(value);

let pgParsersInstalled = false;
function installPgParsers(): void {
  if (pgParsersInstalled) return;
  pg.types.setTypeParser(INT8, int8);
  pg.types.setTypeParser(DATE, identity);
  pg.types.setTypeParser(NUMERIC, identity);
  pgParsersInstalled = true;
}

const pgliteParsers = {
  [pgliteTypes.INT8]: int8,
  [pgliteTypes.DATE]: identity,
  [pgliteTypes.NUMERIC]: identity,
};

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (search_path); created when missing. */
  schema?: string | undefined;
  poolSize?: number | undefined;
  /** The command holding the embedded data directory, shown to a second process. */
  command?: string | undefined;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10);
  return openPglite(join(options.dataDir, 'pgdata'), options.dataDir, options.command ?? 'korus');
}

/** An embedded database in memory: for tests. */
export async function openMemoryDatabase(): Promise<Database> {
  const client = await PGlite.create({ parsers: pgliteParsers });
  return new PgliteDatabase(client, 'embedded (in memory)', undefined);
}

async function openPglite(pgdata: string, dataDir: string, command: string): Promise<Database> {
  const lock = lockDataDir(dataDir, command);
  try {
    mkdirSync(pgdata, { recursive: true });
    const client = await PGlite.create({ dataDir: pgdata, parsers: pgliteParsers });
    return new PgliteDatabase(client, `embedded PGlite at ${pgdata}`, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  #orm: Orm | undefined;
  constructor(
    private readonly client: PGlite,
    readonly description: string,
    private readonly lock: DataDirLock | undefined,
  ) {}

  get orm(): Orm {
    return (this.#orm ??= drizzlePglite({ client: this.client, schema }) as unknown as Orm);
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.client.query<T>(text, params as unknown[]);
    return result.rows;
  }

  async exec(script: string): Promise<void> {
    await this.client.exec(script);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.client.transaction((t) => fn(new PgliteTx(t)));
  }

  async close(): Promise<void> {
    try {
      if (!this.client.closed) await this.client.close();
    } finally {
      this.lock?.release();
    }
  }
}

class PgliteTx implements Tx {
  #orm: Orm | undefined;
  constructor(private readonly t: PgliteTransaction) {}
  get orm(): Orm {
    return (this.#orm ??= drizzlePglite({ client: this.t as unknown as PGlite, schema }) as unknown as Orm);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.t.query<T>(text, params as unknown[]);
    return result.rows;
  }
  async exec(script: string): Promise<void> {
    await this.t.exec(script);
  }
}

async function openPostgres(
  url: string,
  schemaName: string | undefined,
  poolSize: number,
): Promise<Database> {
  installPgParsers();
  if (schemaName !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName)) {
    throw new Error(`Invalid schema name "${schemaName}"`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(schemaName ? { options: `-c search_path=${schemaName}` } : {}),
  });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => undefined);
  try {
    if (schemaName) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schemaName}`);
    else await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw error;
  }
  const safe = redactUrl(url) + (schemaName ? ` (schema ${schemaName})` : '');
  return new PostgresDatabase(pool, `PostgreSQL ${safe}`);
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  #orm: Orm | undefined;
  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
  ) {}

  get orm(): Orm {
    return (this.#orm ??= drizzleNodePg({ client: this.pool, schema }) as unknown as Orm);
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.pool.query(text, params as unknown[]);
    return result.rows as T[];
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresTx(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

class PostgresTx implements Tx {
  #orm: Orm | undefined;
  constructor(private readonly client: pg.PoolClient) {}
  get orm(): Orm {
    return (this.#orm ??= drizzleNodePg({ client: this.client, schema }) as unknown as Orm);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.client.query(text, params as unknown[]);
    return result.rows as T[];
  }
  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }
}
