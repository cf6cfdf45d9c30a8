import { connectPostgres, type Database } from './database.js';
import { startEmbeddedPostgres } from './embedded.js';
import { migrateFromPglite } from './pglite-import.js';

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (search_path); created when missing. */
  schema?: string | undefined;
  poolSize?: number | undefined;
  /** Named prepared statements for repeated queries (default on; see `connectPostgres`). */
  preparedStatements?: boolean | undefined;
  /** The command holding the embedded data directory, shown to a second process. */
  command?: string | undefined;
  /** Embedded only: refuse to share the data directory's server with another process (`korus serve`). */
  exclusive?: boolean | undefined;
  /** Embedded only: `test` turns fsync off (tests, benchmarks). */
  durability?: 'full' | 'test' | undefined;
  /** Progress of a long first start (initialising the embedded database, importing a PGlite directory). */
  onProgress?: ((message: string) => void) | undefined;
}

/**
 * Opens the database: the PostgreSQL server of `databaseUrl`, or the data directory's embedded PostgreSQL
 * (started by this process, or shared with the process that owns the directory). One code path: `pg`.
 */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  const poolSize = options.poolSize ?? 10;
  const prepare = options.preparedStatements ?? true;
  if (options.databaseUrl)
    return connectPostgres(options.databaseUrl, options.schema, poolSize, undefined, prepare);
  const server = await startEmbeddedPostgres({
    dataDir: options.dataDir,
    command: options.command ?? 'korus',
    exclusive: options.exclusive ?? false,
    durability: options.durability ?? 'full',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  let db: Database;
  try {
    db = await connectPostgres(server.url, options.schema, poolSize, server, prepare);
  } catch (error) {
    await server.stop();
    throw error;
  }
  if (server.owner) {
    try {
      await migrateFromPglite(db, options.dataDir, options.onProgress);
    } catch (error) {
      await db.close();
      throw error;
    }
  }
  return db;
}
