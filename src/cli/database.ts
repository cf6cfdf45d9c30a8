import { loadConfig, type KorusConfig } from '../server/config/config.js';
import type { Database } from '../server/db/database.js';
import { openDatabase } from '../server/db/open.js';
import { migrate } from '../server/db/migrate.js';

export interface DbOptions {
  dataDir?: string;
}

/** Opens the configured database (the embedded PostgreSQL of --data-dir, or DATABASE_URL), migrated unless told not to. */
export async function withDatabase<T>(
  options: DbOptions,
  command: string,
  fn: (db: Database, config: KorusConfig) => Promise<T>,
  { migrateFirst = true }: { migrateFirst?: boolean } = {},
): Promise<T> {
  const config = loadConfig({ dataDir: options.dataDir });
  const db = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    schema: config.databaseSchema,
    poolSize: 4,
    command: `korus ${command}`,
    onProgress: (message) => process.stderr.write(`korus: ${message}\n`),
  });
  try {
    if (migrateFirst) await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}
