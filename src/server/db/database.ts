import { createHash } from 'node:crypto';
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
  preparedStatements = true,
): Promise<Database> {
  installPgParsers();
  if (schemaName !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schemaName)) {
    throw new Error(`Invalid schema name "${schemaName}"`);
  }
  // Named statements are sent only outside transactions (the request path's reads), where PostgreSQL may keep a
  // generic plan and replans when the tables' statistics change (decision 041). A transaction's statements are
  // unnamed: planned for their parameters each time, so an import's look-ups do not keep a plan chosen while the
  // table was still empty. KORUS_DB_PLAN_CACHE_MODE (a PostgreSQL plan_cache_mode) overrides the server default.
  const settings = [
    ...(schemaName ? [`-c search_path=${schemaName}`] : []),
    ...(preparedStatements && process.env.KORUS_DB_PLAN_CACHE_MODE
      ? [`-c plan_cache_mode=${process.env.KORUS_DB_PLAN_CACHE_MODE.replace(/[^a-z_]/g, '')}`]
      : []),
  ];
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    ...(settings.length ? { options: settings.join(' ') } : {}),
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
  return new PostgresDatabase(pool, description, { url, schema: schemaName }, embedded, preparedStatements);
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

/**
 * Prepared statements for the texts a server sends again and again outside a transaction (issue 15): a text seen
 * a second time gets a name, so each connection parses, analyses and (once PostgreSQL settles on a generic plan)
 * plans it once. Transactions' statements are never named (see `connectPostgres`). Bounded: at most `MAX_NAMED` texts are ever named (a
 * query built with a varying number of parameters stays unnamed after that), so connections hold a bounded
 * number of statements. A statement whose cached plan no longer fits its tables (a restore replaced them) is
 * retried once unnamed and never named again.
 */
const MAX_NAMED = 400;
const ARRAY_PARAMETER = /\bANY\s*\(\s*\$\d/i;
class StatementNames {
  constructor(private readonly enabled: boolean) {}
  #seen = new Map<string, string | null>();
  #named = 0;
  #broken = new Set<string>();
  nameOf(text: string): string | undefined {
    // An array parameter (`= ANY ($2)`) makes the right plan depend on the array's length, which a generic plan
    // cannot see: such statements are never named.
    if (!this.enabled || ARRAY_PARAMETER.test(text)) return undefined;
    const known = this.#seen.get(text);
    if (known) return this.#broken.has(text) ? undefined : known;
    if (known === undefined) {
      if (this.#seen.size < MAX_NAMED * 4) this.#seen.set(text, null);
      return undefined;
    }
    if (this.#named >= MAX_NAMED) return undefined;
    const name = `k${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    this.#seen.set(text, name);
    this.#named++;
    return name;
  }
  forget(text: string): void {
    this.#broken.add(text);
  }
}

/** Whether an error is PostgreSQL's "cached plan must not change result type" (tables replaced under a name). */
function stalePlan(error: unknown): boolean {
  return (
    (error as { code?: string })?.code === '0A000' && /cached plan/.test(String((error as Error).message))
  );
}

async function runQuery(
  client: pg.Pool | pg.PoolClient,
  names: StatementNames,
  text: string,
  params: readonly unknown[],
): Promise<pg.QueryResult> {
  // Inside a transaction (a PoolClient) never named: see connectPostgres.
  const name = client instanceof pg.Pool ? names.nameOf(text) : undefined;
  if (!name) return client.query(text, params as unknown[]);
  try {
    return await client.query({ name, text, values: params as unknown[] });
  } catch (error) {
    if (!stalePlan(error)) throw error;
    // Only outside a transaction (named statements are sent only there): send the same text again, unnamed, and
    // never name it again.
    names.forget(text);
    return client.query(text, params as unknown[]);
  }
}

class PostgresDatabase implements Database {
  readonly kind: 'embedded' | 'postgres';
  #orm: Orm | undefined;
  #closed = false;
  readonly #names: StatementNames;
  constructor(
    private readonly pool: pg.Pool,
    readonly description: string,
    readonly connection: { url: string; schema: string | undefined },
    private readonly embedded: EmbeddedServer | undefined,
    preparedStatements: boolean,
  ) {
    this.kind = embedded ? 'embedded' : 'postgres';
    this.#names = new StatementNames(preparedStatements);
  }

  get orm(): Orm {
    return (this.#orm ??= drizzleNodePg({ client: this.pool, schema }) as unknown as Orm);
  }

  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await runQuery(this.pool, this.#names, text, params);
    return result.rows as T[];
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresTx(client, this.#names));
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
  constructor(
    private readonly client: pg.PoolClient,
    private readonly names: StatementNames,
  ) {}
  get orm(): Orm {
    return (this.#orm ??= drizzleNodePg({ client: this.client, schema }) as unknown as Orm);
  }
  async query<T extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await runQuery(this.client, this.names, text, params);
    return result.rows as T[];
  }
  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }
}
