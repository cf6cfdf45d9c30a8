import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { backup, BackupError, restore } from './backup.js';
import { seedDemo } from '../seed/demo.js';
import { verifyAuditChain, recordAudit } from '../audit/audit.js';
import {
  openTestDatabase,
  testDatabaseKinds,
  type TestDatabase,
  type TestDatabaseKind,
} from '../testing/databases.js';

async function counts(db: TestDatabase): Promise<Record<string, number>> {
  const tables = await db.query<{ relname: string }>(
    `SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND relname <> 'schema_migrations'`,
  );
  const result: Record<string, number> = {};
  for (const t of tables) {
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${t.relname}"`);
    result[t.relname] = row!.n;
  }
  return result;
}

// Every pair of servers: the embedded PostgreSQL -> an external PostgreSQL and back when one is configured.
const pairs: [TestDatabaseKind, TestDatabaseKind][] = testDatabaseKinds.flatMap((a) =>
  testDatabaseKinds.map((b) => [a, b] as [TestDatabaseKind, TestDatabaseKind]),
);

describe.each(pairs)('backup on %s, restore on %s', (from, to) => {
  const open: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });

  it('restores every row into an empty database with the audit chain intact', async () => {
    const source = await openTestDatabase(from);
    open.push(source);
    await seedDemo(source);
    await source.transaction((tx) =>
      recordAudit(
        tx,
        { actorUserId: null, actorLabel: 'test', organizationId: null, requestId: null },
        {
          action: 'assessment.create',
          targetType: 'assessment',
          targetId: null,
          details: { text: '한글 ✓ "quotes" \\ backslash', nested: { list: [1, 2.5, null] } },
        },
      ),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'korus-backup-')), 'backup.jsonl.gz');
    const written = await backup(source, file);
    expect(written.counts.users).toBe(14);

    const target = await openTestDatabase(to, { migrate: false });
    open.push(target);
    const restored = await restore(target, file);
    expect(restored.auditHead).toEqual(written.auditHead);
    expect(await counts(target)).toEqual(await counts(source));
    const verification = await verifyAuditChain(target);
    expect(verification.ok).toBe(true);
    expect(verification.headHash).toBe(written.auditHead.hash);
    // The restored database keeps working: sequences continue after the restored rows.
    await target.transaction((tx) =>
      recordAudit(
        tx,
        { actorUserId: null, actorLabel: 'after-restore', organizationId: null, requestId: null },
        { action: 'system.seed_demo', targetType: 'instance', targetId: null },
      ),
    );
    expect((await verifyAuditChain(target)).ok).toBe(true);
  });
});

describe.each(testDatabaseKinds)('restore refusals on %s', (kind) => {
  const open: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });

  it('refuses a non-empty database, a truncated file and garbage, restoring nothing', async () => {
    const source = await openTestDatabase(kind);
    open.push(source);
    await seedDemo(source);
    const dir = mkdtempSync(join(tmpdir(), 'korus-backup-'));
    const file = join(dir, 'b.gz');
    await backup(source, file);
    await expect(restore(source, file)).rejects.toThrow(/needs an empty database/);

    const lines = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n');
    const truncated = join(dir, 'truncated.gz');
    writeFileSync(truncated, gzipSync(lines.slice(0, -1).join('\n') + '\n'));
    const target = await openTestDatabase(kind, { migrate: false });
    open.push(target);
    await expect(restore(target, truncated)).rejects.toThrow(BackupError);
    const [row] = await target.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(row!.n).toBe(0);

    const garbage = join(dir, 'garbage.gz');
    writeFileSync(garbage, 'not a backup at all');
    await expect(restore(target, garbage)).rejects.toThrow(/not a KORUS backup/);
  });
});
