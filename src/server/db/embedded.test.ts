import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './open.js';
import { migrate } from './migrate.js';
import { openLegacyPglite } from './pglite-import.js';
import { DataDirLockedError } from './lock.js';
import { recordAudit, verifyAuditChain, type AuditContext } from '../audit/audit.js';

const ctx: AuditContext = { actorUserId: null, actorLabel: 'test', organizationId: null, requestId: null };
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'korus-embedded-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the embedded PostgreSQL of a data directory', () => {
  it('keeps its data across restarts; a second process shares the server; an exclusive one is refused', async () => {
    const dir = tempDir();
    const first = await openDatabase({ dataDir: dir, command: 'test owner', durability: 'test' });
    try {
      expect(first.kind).toBe('embedded');
      await migrate(first);
      await first.query(`INSERT INTO organizations (name, kind) VALUES ('Kept Co. (fictional)', 'investor')`);
      const lock = JSON.parse(readFileSync(join(dir, 'korus.lock'), 'utf8')) as { socketDir: string };
      expect(lock.socketDir).toBeTruthy();

      // Another process (here: another open) connects to the owner's server through the lock's socket.
      const shared = await openDatabase({ dataDir: dir, command: 'test guest' });
      expect(shared.description).toMatch(/shared with the process that owns it/);
      expect(await shared.query('SELECT name FROM organizations')).toEqual([
        { name: 'Kept Co. (fictional)' },
      ]);
      await shared.close();
      // Closing a guest leaves the owner's server running.
      expect(await first.query('SELECT count(*)::int AS n FROM organizations')).toEqual([{ n: 1 }]);

      const refused = await openDatabase({ dataDir: dir, command: 'korus serve', exclusive: true }).then(
        () => 'opened',
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(DataDirLockedError);
      expect((refused as Error).message).toMatch(/pid \d+, "test owner"/);
    } finally {
      await first.close();
    }
    expect(existsSync(join(dir, 'korus.lock'))).toBe(false);
    expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);

    const again = await openDatabase({ dataDir: dir, command: 'test again' });
    try {
      expect(await again.query('SELECT name FROM organizations')).toEqual([{ name: 'Kept Co. (fictional)' }]);
    } finally {
      await again.close();
    }
  });

  it('imports an older PGlite data directory on first start, with counts and the audit chain checked', async () => {
    const dir = tempDir();
    const legacy = await openLegacyPglite(join(dir, 'pgdata'));
    try {
      await migrate(legacy);
      for (let i = 0; i < 3; i++) {
        await legacy.transaction(async (tx) => {
          await tx.query(`INSERT INTO organizations (name, kind) VALUES ($1, 'partner')`, [
            `Old ${i} (fictional)`,
          ]);
          await recordAudit(tx, ctx, {
            action: 'organization.create',
            targetType: 'organization',
            targetId: String(i),
            after: { name: `Old ${i} 한글` },
          });
        });
      }
    } finally {
      await legacy.close();
    }
    const progress: string[] = [];
    const db = await openDatabase({ dataDir: dir, command: 'test', onProgress: (m) => progress.push(m) });
    try {
      expect(await db.query('SELECT count(*)::int AS n FROM organizations')).toEqual([{ n: 3 }]);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 3 });
    } finally {
      await db.close();
    }
    expect(progress.join('\n')).toMatch(/Importing the PGlite database/);
    expect(progress.join('\n')).toMatch(/Imported \d+ rows from PGlite/);
    expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    expect(existsSync(join(dir, 'pgdata.pglite-imported', 'PG_VERSION'))).toBe(true);
    // The next start does not import again.
    const reopened = await openDatabase({ dataDir: dir, command: 'test' });
    try {
      expect(await reopened.query('SELECT count(*)::int AS n FROM organizations')).toEqual([{ n: 3 }]);
    } finally {
      await reopened.close();
    }
  });
});
