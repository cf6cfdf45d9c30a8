/**
 * Foundation benchmarks (issue 2):
 *  - requests/s of authenticated GET /api/me at 50 connections, beside a bare Fastify hello-world measured in
 *    the same run (target: ratio >= 0.5);
 *  - time from `korus serve` on an existing data directory to ready (target < 1.5 s).
 * Runs the compiled server (dist/) as a user would, on the embedded database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { root, writeResult } from './common.js';

const korusBin = join(root, 'bin', 'korus.js');
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(m);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGTERM');
  await closed;
}

async function startKorus(dataDir: string, port: number): Promise<{ child: ChildProcess; readyMs: number }> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [korusBin, 'serve', '--data-dir', dataDir, '--port', String(port), '--host', '127.0.0.1'],
    {
      env: { ...process.env, DATABASE_URL: '', KORUS_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let exited = false;
  child.on('close', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('korus serve exited before it was ready');
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) return { child, readyMs: performance.now() - started };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

function cannon(url: string, headers: Record<string, string> = {}): Promise<autocannon.Result> {
  return autocannon({ url, connections: 50, duration: durationSeconds, headers });
}

export async function runFoundationBench() {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('Build first: npm run build');
  const dataDir = mkdtempSync(join(tmpdir(), 'korus-bench-'));
  try {
    const seed = spawn(process.execPath, [korusBin, 'seed', '--demo', '--data-dir', dataDir], {
      stdio: 'ignore',
    });
    await new Promise((r) => seed.on('close', r));

    // Start-up to ready on an existing data directory, five times.
    const startups: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { child, readyMs } = await startKorus(dataDir, 18_480);
      startups.push(Math.round(readyMs));
      await stop(child);
    }

    // Bare Fastify first, then KORUS, with the same load generator and settings.
    const hello = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'hello-fastify.ts')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, helloUrl] = await waitForLine(hello, /LISTENING (\S+)/);
    const bare = await cannon(`${helloUrl}/hello`);
    await stop(hello);

    const { child } = await startKorus(dataDir, 18_481);
    const login = await fetch('http://127.0.0.1:18481/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@hanbit-energy.example', password: 'KorusDemo!2026' }),
    });
    const cookie = (login.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    const me = await cannon('http://127.0.0.1:18481/api/me', { cookie });
    await stop(child);

    const sorted = [...startups].sort((a, b) => a - b);
    const result = {
      benchmark: 'foundation',
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
      http: {
        connections: 50,
        durationSeconds,
        bareFastifyHelloRps: Math.round(bare.requests.average),
        korusGetMeRps: Math.round(me.requests.average),
        ratio: Number((me.requests.average / bare.requests.average).toFixed(3)),
        target: 0.5,
        korusGetMeLatencyMs: { p50: me.latency.p50, p99: me.latency.p99 },
        errors: { bare: bare.errors + bare.non2xx, korus: me.errors + me.non2xx },
      },
      startup: {
        database: 'pglite (existing data directory)',
        runsMs: startups,
        medianMs: sorted[2],
        targetMs: 1500,
      },
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
