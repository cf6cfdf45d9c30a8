/**
 * `npm run bench:foundation` — the request path and start-up (issues 2 and 15), on the embedded default.
 *
 *  - Start-up: `korus serve` on an existing data directory (the demo) to `/readyz` = 200: the first start after
 *    the seed ("cold": the embedded PostgreSQL and the node process both start with nothing of theirs in
 *    memory but the operating system's file cache) and five more ("warm"). Target: under 1.5 s.
 *  - Requests/s at 20 connections of `GET /api/workers/:id` and `GET /api/me` (a signed-in session's cookie),
 *    with a bare Fastify hello-world in the same rounds (rotating order): the per-round ratio to it is what
 *    counts on a shared machine. Targets: worker ≥ 0.3× (issue 15), `/api/me` ≥ 0.5× (issue 2). The server's
 *    CPU time per request (from /proc) and the load average of each round are reported beside them.
 * Writes bench/results/foundation.json. Environment: BENCH_ROUNDS (default 5), BENCH_SECONDS (default 5).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { machine, processCpuMs, root, roundRatios, summary, writeResult } from './common.js';
import { cannon, korusBin, startHello, startKorus, stop } from './servers.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const log = (line: string) => process.stderr.write(`[foundation] ${line}\n`);

function rotate<T>(items: T[], r: number): T[] {
  return items.map((_, i) => items[(i + r) % items.length]!);
}

export async function runFoundationBench() {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('Build first: npm run build');
  const dataDir = mkdtempSync(join(tmpdir(), 'korus-bench-'));
  const port = 18_480;
  try {
    log('seed --demo');
    const seed = spawnSync(process.execPath, [korusBin, 'seed', '--demo', '--data-dir', dataDir], {
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
    });
    if (seed.status !== 0) throw new Error(`seed failed: ${seed.stderr}`);

    const startups: number[] = [];
    for (let i = 0; i < 6; i++) {
      const server = await startKorus({ dataDir, port });
      startups.push(Math.round(server.readyMs));
      await stop(server.child);
    }
    log(`start-up: ${startups.join(', ')} ms`);

    const server = await startKorus({ dataDir, port });
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@hanbit-energy.example', password: 'KorusDemo!2026' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const list = (await (await fetch(`${base}/api/workers?limit=1`, { headers: { cookie } })).json()) as {
      items: { id: string }[];
    };
    const targets = { worker: `/api/workers/${list.items[0]!.id}`, me: '/api/me' };
    const hello = await startHello();

    const rps: Record<string, number[]> = { hello: [], worker: [], me: [] };
    const p95: Record<string, number[]> = { hello: [], worker: [], me: [] };
    const cpuPerRequestMs: Record<string, number[]> = { worker: [], me: [] };
    const load: number[] = [];
    const pid = server.child.pid!;
    for (let r = 0; r < rounds; r++) {
      load.push(Math.round(loadavg()[0]! * 100) / 100);
      for (const subject of rotate(['hello', 'worker', 'me'], r)) {
        if (subject === 'hello') {
          const res = await cannon(`${hello.url}/hello`, { seconds });
          rps.hello!.push(res.requests.average);
          p95.hello!.push(res.latency.p97_5 ?? res.latency.p99);
          continue;
        }
        const cpu0 = processCpuMs(pid) ?? 0;
        const res = await cannon(`${base}${targets[subject as 'worker' | 'me']}`, {
          seconds,
          headers: { cookie },
        });
        if (res.non2xx || res.errors)
          throw new Error(`${subject}: ${res.non2xx} non-2xx, ${res.errors} errors`);
        rps[subject]!.push(res.requests.average);
        p95[subject]!.push(res.latency.p97_5 ?? res.latency.p99);
        cpuPerRequestMs[subject]!.push(((processCpuMs(pid) ?? 0) - cpu0) / res.requests.total);
      }
      log(
        `round ${r + 1}/${rounds}: ${JSON.stringify(Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, Math.round(v.at(-1)!)])))}`,
      );
    }
    await stop(hello.child);
    await stop(server.child);

    const warm = startups.slice(1);
    const result = {
      benchmark: 'foundation',
      database: 'embedded PostgreSQL 17 (data directory with the demo)',
      rounds,
      secondsPerMeasurement: seconds,
      connections: 20,
      startup: {
        coldMs: startups[0],
        warmMs: summary(warm),
        targetMs: 1500,
      },
      http: {
        requestsPerSecond: Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, summary(v)])),
        latencyP97_5Ms: Object.fromEntries(Object.entries(p95).map(([k, v]) => [k, summary(v)])),
        serverCpuMsPerRequest: Object.fromEntries(
          Object.entries(cpuPerRequestMs).map(([k, v]) => [k, summary(v)]),
        ),
        ratios: {
          workerToBareFastify: { ...roundRatios(rps.worker!, rps.hello!), target: 0.3 },
          meToBareFastify: { ...roundRatios(rps.me!, rps.hello!), target: 0.5 },
        },
      },
      loadAveragePerRound: load,
      machine: machine(),
    };
    writeResult('foundation', result);
    return result;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runFoundationBench();
}
