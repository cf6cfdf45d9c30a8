import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { korus } from './testing.js';
import { openDatabase } from '../server/db/open.js';

const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();

describe('korus quota on the embedded database', () => {
  it(
    'reserves, replays, refuses bad input bilingually, verifies; runs a lottery and verifies the draw',
    { timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'korus-quota-cli-'));
      const fy = String(fiscalYear);
      const reserve = await korus([
        'quota',
        'reserve',
        'E4',
        fy,
        '--case',
        'C-1',
        '--key',
        'cli-key-0001',
        '--json',
        '--data-dir',
        dir,
      ]);
      expect(reserve.code, reserve.stderr).toBe(0);
      const first = JSON.parse(reserve.stdout);
      expect(first).toMatchObject({ status: 'reserved', sequence: 1, replayed: false });
      const again = await korus([
        'quota',
        'reserve',
        'E4',
        fy,
        '--case',
        'C-1',
        '--key',
        'cli-key-0001',
        '--json',
        '--data-dir',
        dir,
      ]);
      expect(JSON.parse(again.stdout)).toMatchObject({ id: first.id, replayed: true });

      const reused = await korus([
        'quota',
        'reserve',
        'E4',
        fy,
        '--case',
        'C-2',
        '--key',
        'cli-key-0001',
        '--data-dir',
        dir,
      ]);
      expect(reused.code).toBe(2);
      expect(reused.stderr).toMatch(/different request/);
      expect(reused.stderr).toMatch(/다른 요청/);
      const badKey = await korus([
        'quota',
        'reserve',
        'E4',
        fy,
        '--case',
        'C-2',
        '--key',
        'short',
        '--data-dir',
        dir,
      ]);
      expect(badKey.code).toBe(2);
      const unknown = await korus(['quota', 'status', 'E9', fy, '--data-dir', dir]);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/no such quota program/);
      const badYear = await korus(['quota', 'status', 'E4', 'FY27', '--data-dir', dir]);
      expect(badYear.code).toBe(2);

      const issue = await korus(['quota', 'issue', first.id, '--key', 'cli-issue-01', '--data-dir', dir]);
      expect(issue.code, issue.stderr).toBe(0);
      const release = await korus([
        'quota',
        'release',
        first.id,
        '--reason',
        'withdrawn',
        '--key',
        'cli-rel-001',
        '--data-dir',
        dir,
      ]);
      expect(release.code).toBe(2);
      expect(release.stderr).toMatch(/already issued/);

      const status = await korus(['quota', 'status', 'E4', fy, '--data-dir', dir]);
      expect(status.stdout).toMatch(/cap \/ 한도 15,000 +reserved \/ 예약 0 +issued \/ 발급 1/);
      const verify = await korus(['quota', 'verify', '--data-dir', dir]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(verify.stdout).toMatch(/consistent/);

      // The lottery: two employers register the same person (one entry), commit, draw, verify.
      expect((await korus(['quota', 'lottery', 'open', 'H1B', fy, '--data-dir', dir])).code).toBe(0);
      const orgA = (
        await korus(['org', 'add', '--name', 'Employer A (test)', '--kind', 'investor', '--data-dir', dir])
      ).stdout.trim();
      const orgB = (
        await korus(['org', 'add', '--name', 'Employer B (test)', '--kind', 'partner', '--data-dir', dir])
      ).stdout.trim();
      for (const [org, passport, caseRef] of [
        [orgA, 'M1234-5678', 'A-1'],
        [orgB, 'm 12345678', 'B-1'],
        [orgA, 'M87654321', 'A-2'],
      ] as const) {
        const r = await korus([
          'quota',
          'lottery',
          'register',
          'H1B',
          fy,
          '--case',
          caseRef,
          '--passport',
          passport,
          '--wage-level',
          '3',
          '--org',
          org,
          '--data-dir',
          dir,
        ]);
        expect(r.code, r.stderr).toBe(0);
      }
      const seedFile = join(dir, 'seed.txt');
      const commit = await korus([
        'quota',
        'lottery',
        'commit',
        'H1B',
        fy,
        '--seed-file',
        seedFile,
        '--data-dir',
        dir,
      ]);
      expect(commit.code, commit.stderr).toBe(0);
      expect(commit.stdout).toMatch(/entries \/ 참가자: 2 /);
      expect(statSync(seedFile).mode & 0o777).toBe(0o600);
      const late = await korus([
        'quota',
        'lottery',
        'register',
        'H1B',
        fy,
        '--case',
        'L',
        '--passport',
        'X1111111',
        '--data-dir',
        dir,
      ]);
      expect(late.code).not.toBe(0);
      const draw = await korus([
        'quota',
        'draw',
        'H1B',
        fy,
        '--seed-file',
        seedFile,
        '--json',
        '--data-dir',
        dir,
      ]);
      expect(draw.code, draw.stderr).toBe(0);
      expect(JSON.parse(draw.stdout).regular).toHaveLength(2);
      const check = await korus(['quota', 'draw', 'H1B', fy, '--verify', '--data-dir', dir]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      expect(check.stdout).toMatch(/reproduced exactly/);

      // A changed selection is reported.
      const db = await openDatabase({ dataDir: dir });
      await db.query(`UPDATE quota_lottery_registrations SET selected = NULL WHERE case_ref = 'A-2'`);
      await db.close();
      const tampered = await korus(['quota', 'draw', 'H1B', fy, '--verify', '--data-dir', dir]);
      expect(tampered.code).toBe(1);
      expect(tampered.stdout).toMatch(/expected regular, recorded not_selected/);
    },
  );
});
