import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { addOfficer, korus, startServer } from './testing.js';
import { testDatabaseKinds, uniqueSchemaName } from '../server/testing/databases.js';
import { openDatabase } from '../server/db/open.js';

/**
 * Crash safety over HTTP: 64 clients race 20,000 reservations for the E-4's 15,000 numbers against a real
 * `korus serve`; the server is killed with SIGKILL in the middle of the run and restarted. `korus quota verify`
 * must find the ledger consistent, every answer given before the crash must come back unchanged when the
 * request is re-sent, and after re-sending everything exactly 15,000 are reserved and 5,000 waitlisted.
 */
const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
const TOTAL = 20_000;
const CLIENTS = 64;

interface Answer {
  status: number;
  body: { id: string; status: string; sequence: number | null; position: number | null };
  replayed: boolean;
}

async function send(port: number, token: string, i: number): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}/api/quota/E4/${fiscalYear}/reservations`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `crash-test-${i}`,
    },
    body: JSON.stringify({ caseRef: `crash-${i}` }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Answer['body'],
    replayed: res.headers.get('idempotent-replayed') === 'true',
  };
}

/** Sends requests 0…TOTAL-1 with CLIENTS workers until stopped; returns the answers received. */
async function run(port: number, token: string, indexes: number[], stopAfter?: number) {
  const answers = new Map<number, Answer>();
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < indexes.length) {
        const i = indexes[next++]!;
        try {
          const answer = await send(port, token, i);
          if (answer.status === 201) answers.set(i, answer);
          else failures++;
        } catch {
          failures++; // the server is gone
          if (stopAfter !== undefined) return;
        }
      }
    }),
  );
  return { answers, failures };
}

describe.each(testDatabaseKinds)('quota ledger crash safety on %s', (kind) => {
  it('survives kill -9 in the middle of a 20,000-reservation race', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-quota-crash-'));
    const schema = kind === 'postgres' ? uniqueSchemaName('crash') : undefined;
    const env: Record<string, string | undefined> =
      kind === 'postgres'
        ? {
            DATABASE_URL: process.env.KORUS_TEST_DATABASE_URL,
            KORUS_DATABASE_SCHEMA: schema,
            KORUS_DB_POOL_SIZE: '20',
          }
        : {};
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    try {
      await addOfficer(dir, env, {
        org: 'Visa Desk (test)',
        email: 'officer@desk.example',
        password: 'a-long-password',
      });
      const tokenRun = await korus(
        ['token', 'create', '--user', 'officer@desk.example', '--json', '--data-dir', dir],
        env,
      );
      expect(tokenRun.code, tokenRun.stderr).toBe(0);
      const token = (JSON.parse(tokenRun.stdout) as { token: string }).token;
      const indexes = Array.from({ length: TOTAL }, (_, i) => i);

      // First run: killed with SIGKILL once a few thousand answers have come back.
      server = await startServer(['--data-dir', dir], env);
      let answered = 0;
      const firstRun = (async () => {
        const answers = new Map<number, Answer>();
        let next = 0;
        await Promise.all(
          Array.from({ length: CLIENTS }, async () => {
            while (next < indexes.length) {
              const i = indexes[next++]!;
              try {
                const answer = await send(server!.port, token, i);
                if (answer.status === 201) {
                  answers.set(i, answer);
                  answered++;
                }
              } catch {
                return;
              }
            }
          }),
        );
        return answers;
      })();
      while (answered < 3_000) await new Promise((r) => setTimeout(r, 20));
      server.child.kill('SIGKILL');
      await once(server.child, 'close');
      const before = await firstRun;
      expect(before.size).toBeGreaterThanOrEqual(3_000);
      expect(before.size).toBeLessThan(TOTAL);

      // The ledger is consistent after the crash.
      const verify = await korus(['quota', 'verify', '--json', '--data-dir', dir], env);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout).ok).toBe(true);

      // Restart; re-send everything: earlier answers come back unchanged; the rest are served now.
      server = await startServer(['--data-dir', dir], env);
      const after = await run(server.port, token, indexes);
      expect(after.failures).toBe(0);
      for (const [i, answer] of before) {
        const again = after.answers.get(i)!;
        expect(again.body, `request ${i}`).toEqual(answer.body);
        expect(again.replayed).toBe(true);
      }
      const all = [...after.answers.values()].map((a) => a.body);
      expect(all.filter((b) => b.status === 'reserved')).toHaveLength(15_000);
      expect(all.filter((b) => b.status === 'waitlisted')).toHaveLength(5_000);
      const sequences = all.filter((b) => b.sequence !== null).map((b) => b.sequence);
      expect(new Set(sequences).size).toBe(15_000);
      server.child.kill('SIGTERM');
      await once(server.child, 'close');

      const finalVerify = await korus(['quota', 'verify', '--data-dir', dir], env);
      expect(finalVerify.code, finalVerify.stdout + finalVerify.stderr).toBe(0);
      expect(finalVerify.stdout).toMatch(/consistent/);
      const status = await korus(
        ['quota', 'status', 'E4', String(fiscalYear), '--json', '--data-dir', dir],
        env,
      );
      expect(JSON.parse(status.stdout)).toMatchObject({
        cap: 15_000,
        reserved: 15_000,
        available: 0,
        waitlisted: 5_000,
      });
    } finally {
      if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
      if (schema) {
        const db = await openDatabase({ dataDir: '', databaseUrl: process.env.KORUS_TEST_DATABASE_URL });
        await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
        await db.close();
      }
    }
  });
});
