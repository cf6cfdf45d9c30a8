import pg from 'pg';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { EmbeddedServer } from './embedded.js';
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
  /** `embedded`: the data directory's own PostgreSQL; `postgres`: a server named by DATABASE_URL. */
  readonly kind: 'embedded' | 'postgres';
  /** Human-readable location, never containing a password. */
  readonly description: string;
  /** How another client (pg-boss) reaches the same database and schema. */
  readonly connection: { url: string; schema: string | undefined };
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Type parsers: int8 -> number (our sequences stay far below 2^53), date -> 'YYYY-MM-DD' string (never a Date at
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

export async function connectPostgres(
  url: string,
  schemaName: string | undefined,
  poolSize: number,
  embedded?: EmbeddedServer,
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
  const where = schemaName ? ` (schema ${schemaName})` : '';
  const description = embedded
    ? `embedded PostgreSQL at ${embedded.clusterDir}${embedded.owner ? '' : ' (shared with the process that owns it)'}${where}`
    : `PostgreSQL ${redactUrl(url)}${where}`;
  return new PostgresDatabase(pool, description, { url, schema: schemaName }, embedded);
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
  readonly kind: 'embedded' | 'postgres';
  #orm: Orm | undefined;
  #closed = false;
  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
    readonly connection: { url: string; schema: string | undefined },
    private readonly embedded: EmbeddedServer | undefined,
  ) {
    this.kind = embedded ? 'embedded' : 'postgres';
  }

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
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.pool.end();
    } finally {
      await this.embedded?.stop();
    }
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
