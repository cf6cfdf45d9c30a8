import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../server/db/open.js';
import { korus, startServer } from './testing.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'korus-cli-'));

describe('korus CLI on the embedded database', () => {
  it('creates an organization, a user and a token; verifies the audit chain and names a changed event', async () => {
    const dir = tempDir();
    const org = await korus([
      'org',
      'add',
      '--name',
      'Test Battery Co. (fictional)',
      '--kind',
      'investor',
      '--json',
      '--data-dir',
      dir,
    ]);
    expect(org.code, org.stderr).toBe(0);
    const { id } = JSON.parse(org.stdout) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const plainOrg = await korus([
      'org',
      'add',
      '--name',
      'Second Partner (fictional)',
      '--kind',
      'partner',
      '--data-dir',
      dir,
    ]);
    expect(plainOrg.stdout.trim()).toMatch(/^[0-9a-f-]{36}$/);

    const user = await korus([
      'user',
      'add',
      '--email',
      'hr@test.example',
      '--org',
      id,
      '--role',
      'admin',
      '--password',
      'a-long-password',
      '--data-dir',
      dir,
    ]);
    expect(user.code, user.stderr).toBe(0);
    const token = await korus(['token', 'create', '--user', 'hr@test.example', '--json', '--data-dir', dir]);
    expect(token.code, token.stderr).toBe(0);
    expect(JSON.parse(token.stdout).token).toMatch(/^korus_pat_/);

    const badKind = await korus(['org', 'add', '--name', 'X', '--kind', 'bank', '--data-dir', dir]);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/--kind must be one of investor, partner, law_firm, government/);
    const dup = await korus([
      'user',
      'add',
      '--email',
      'HR@test.example',
      '--org',
      id,
      '--role',
      'staff',
      '--password',
      'a-long-password',
      '--data-dir',
      dir,
    ]);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toMatch(/already exists/);

    const ok = await korus(['audit', 'verify', '--json', '--data-dir', dir]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, events: 4 });

    // Change one audit row behind the application's back.
    const db = await openDatabase({ dataDir: dir });
    const [second] = await db.query<{ seq: number; id: string }>(
      'SELECT seq, id FROM audit_events ORDER BY seq OFFSET 1 LIMIT 1',
    );
    await db.query(`UPDATE audit_events SET actor_label = 'someone-else' WHERE seq = $1`, [second!.seq]);
    await db.close();

    const broken = await korus(['audit', 'verify', '--data-dir', dir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN at event #${second!.seq} (${second!.id}`);
  });

  it('a second server on the same data directory exits 3 with a clear message; commands share the running one; SIGTERM stops cleanly', async () => {
    const dir = tempDir();
    const server = await startServer(['--data-dir', dir, '--demo']);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(res.status).toBe(200);
      const second = await startServer(['--data-dir', dir]).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(second).toMatch(/exited with 3/);
      expect(second).toMatch(/in use by another KORUS process \(pid \d+, "korus serve"\)/);
      expect(second).toMatch(/데이터 디렉터리를 다른 KORUS 프로세스/);
      // Other commands connect to the server's embedded PostgreSQL instead of being refused.
      const migrate = await korus(['migrate', '--data-dir', dir]);
      expect(migrate.code, migrate.stderr).toBe(0);
      const live = await korus(['audit', 'verify', '--json', '--data-dir', dir]);
      expect(live.code, live.stderr).toBe(0);
      expect(JSON.parse(live.stdout).events).toBeGreaterThan(10);
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
      const [code] = (await once(server.child, 'close')) as [number];
      expect(code).toBe(0);
      expect(server.output()).toMatch(/stopped cleanly/);
    }
    // The lock is gone and the data survived: a new process sees the demo data.
    const verify = await korus(['audit', 'verify', '--json', '--data-dir', dir]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout).events).toBeGreaterThan(10);
  });

  it('backs up and restores through the CLI with matching audit head', async () => {
    const source = tempDir();
    expect((await korus(['seed', '--demo', '--data-dir', source])).code).toBe(0);
    const file = join(tempDir(), 'backup.jsonl.gz');
    const backup = await korus(['backup', '--out', file, '--json', '--data-dir', source]);
    expect(backup.code, backup.stderr).toBe(0);
    const target = tempDir();
    const restore = await korus(['restore', file, '--json', '--data-dir', target]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).auditHead).toEqual(JSON.parse(backup.stdout).auditHead);
    expect(JSON.parse(restore.stdout).counts).toEqual(JSON.parse(backup.stdout).counts);
    const again = await korus(['restore', file, '--data-dir', target]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/needs an empty database/);
  });
});
