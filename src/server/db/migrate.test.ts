import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, migrationStatus, MigrationError } from './migrate.js';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';

describe.each(testDatabaseKinds)('migrations on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('applies every migration once, in order, recorded with its checksum', async () => {
    db = await openTestDatabase(kind, { migrate: false });
    const files = loadMigrations();
    const first = await migrate(db);
    expect(first.applied).toEqual(files.map((m) => m.version));
    const second = await migrate(db);
    expect(second.applied).toEqual([]);
    const rows = await db.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version',
    );
    expect(rows).toEqual(files.map((m) => ({ version: m.version, checksum: m.checksum })));
  });

  it('refuses an applied migration whose file was edited', async () => {
    db = await openTestDatabase(kind);
    const edited = loadMigrations().map((m, i) =>
      i === 0 ? { ...m, sql: m.sql + '\n-- edited', checksum: 'f'.repeat(64) } : m,
    );
    const error = await migrate(db, edited).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe('migration.checksum_mismatch');
    expect((error as Error).message).toMatch(/was edited after it was applied/);
  });

  it('rolls back a failing migration entirely and records nothing', async () => {
    db = await openTestDatabase(kind);
    const broken = [
      ...loadMigrations(),
      {
        version: '9999',
        name: 'broken',
        sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();',
        checksum: 'x',
      },
    ];
    await expect(migrate(db, broken)).rejects.toThrow(/9999_broken failed and was rolled back/);
    const tables = await db.query("SELECT 1 FROM pg_class WHERE relname = 'half_done'");
    expect(tables).toHaveLength(0);
    const { pending } = await migrationStatus(db, broken);
    expect(pending.map((m) => m.version)).toEqual(['9999']);
  });
});
