import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOfficer, korus, startServer } from './testing.js';
import { testDatabaseKinds, testDatabaseUrl, uniqueSchemaName } from '../server/testing/databases.js';

/**
 * Outgrowing one machine (issue 15, item 8): two `korus serve` processes on one PostgreSQL database, behind a
 * round-robin proxy (a real HTTP proxy in this process). Sessions made on one work on the other; a sign-out on
 * one is honoured by the other within the session cache's bound (KORUS_SESSION_CACHE_SECONDS); a quota race
 * through both never over-issues and the chain verifies. The two share the data directory's keys (field key
 * ring, card signing keys), as `docs/deploy.md` asks of several app processes.
 */
const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();

/** Round-robin HTTP proxy over the given ports; counts what each backend answered. */
function roundRobin(ports: number[]): Promise<{ server: Server; port: number; served: number[] }> {
  const served = ports.map(() => 0);
  let next = 0;
  const server = createServer((req, res) => {
    const i = next++ % ports.length;
    served[i]!++;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port, served }),
    ),
  );
}

describe.each(testDatabaseKinds)('two servers on one database (%s)', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'korus-two-'));
  const env = {
    DATABASE_URL: testDatabaseUrl(kind),
    KORUS_DATABASE_SCHEMA: uniqueSchemaName('two'),
    KORUS_SESSION_CACHE_SECONDS: '1',
  };
  let servers: Awaited<ReturnType<typeof startServer>>[] = [];
  let proxy: Awaited<ReturnType<typeof roundRobin>>;
  let base = '';

  beforeAll(async () => {
    await addOfficer(dir, env, {
      org: 'Visa Desk (two servers)',
      email: 'officer@two.example',
      password: 'a-long-password-for-two',
    });
    servers = await Promise.all([
      startServer(['--data-dir', dir], env),
      startServer(['--data-dir', dir], env),
    ]);
    proxy = await roundRobin(servers.map((s) => s.port));
    base = `http://127.0.0.1:${proxy.port}`;
  }, 120_000);

  afterAll(async () => {
    proxy?.server.close();
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGTERM');
    await Promise.all(
      servers.map((s) => (s.child.exitCode === null ? new Promise((r) => s.child.once('close', r)) : null)),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a session on both, and a sign-out on one ends it on the other within the cache bound', async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'officer@two.example', password: 'a-long-password-for-two' }),
    });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const cookie = cookies.join('; ');
    const csrf = cookies.find((c) => c.startsWith('korus_csrf='))!.split('=')[1]!;
    const before = [...proxy.served];
    for (let i = 0; i < 4; i++) {
      const me = await fetch(`${base}/api/me`, { headers: { cookie } });
      expect(me.status).toBe(200);
    }
    expect(proxy.served.map((n, i) => n - before[i]!)).toEqual([2, 2]); // each server answered twice
    const out = await fetch(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBeLessThan(300);
    await new Promise((r) => setTimeout(r, 1_200));
    for (const s of servers) {
      const me = await fetch(`http://127.0.0.1:${s.port}/api/me`, { headers: { cookie } });
      expect(me.status).toBe(401);
    }
  });

  it(
    'never over-issues a quota raced through both servers; the chain verifies',
    { timeout: 120_000 },
    async () => {
      const made = await korus(
        ['token', 'create', '--user', 'officer@two.example', '--json', '--data-dir', dir],
        env,
      );
      expect(made.code, made.stderr).toBe(0);
      const token = (JSON.parse(made.stdout) as { token: string }).token;
      const auth = { authorization: `Bearer ${token}` };
      const cap = (
        (await (await fetch(`${base}/api/quota/H1B1_CL/${fiscalYear}`, { headers: auth })).json()) as {
          cap: number;
        }
      ).cap;
      expect(cap).toBeGreaterThan(0);
      const total = cap + 60;
      const statuses: Record<string, number> = {};
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < total) {
            const i = next++;
            const res = await fetch(`${base}/api/quota/H1B1_CL/${fiscalYear}/reservations`, {
              method: 'POST',
              headers: {
                ...auth,
                'content-type': 'application/json',
                'idempotency-key': `two-servers-race-${i}`,
              },
              body: JSON.stringify({ caseRef: `two-${i}` }),
            });
            const body = (await res.json()) as { status: string; code?: string };
            const key = res.status === 201 ? `201 ${body.status}` : `${res.status} ${body.code}`;
            statuses[key] = (statuses[key] ?? 0) + 1;
          }
        }),
      );
      expect(statuses[`201 reserved`], JSON.stringify(statuses)).toBe(cap);
      expect(statuses[`201 waitlisted`]).toBe(60);
      expect(proxy.served[0]).toBeGreaterThan(total / 3);
      expect(proxy.served[1]).toBeGreaterThan(total / 3);
      const verify = await fetch(`${base}/api/quota/H1B1_CL/${fiscalYear}/verify`, { headers: auth });
      expect(await verify.json()).toMatchObject({ ok: true });
    },
  );
});
