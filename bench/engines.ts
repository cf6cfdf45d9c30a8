/**
 * `npm run bench:engines`: the embedded-database decision (issue 15, decision 040), measured in one run with
 * interleaved rounds on three engines:
 *   - pglite:   the last release on PGlite (commit BENCH_PGLITE_COMMIT, built in a git worktree beside this one);
 *   - embedded: this release, on its embedded PostgreSQL in a data directory;
 *   - external: this release on the machine's PostgreSQL server (BENCH_ENGINES_DATABASE_URL's server, in a
 *               database of its own, `korus_bench_engines`, dropped and created).
 * Figures: the demo seed (time and peak RSS), start-up to /readyz on an existing data directory, requests/s of
 * GET /api/workers/:id, the case board and the site roster (20 connections) beside a bare Fastify hello-world,
 * and a 16-client quota race over HTTP (0 over-issue, chain verified), then each server's RSS.
 * Every comparison is per round (the engines take turns, in a rotating order), reported as min/median/max.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { machine, processCpuMs, processRssMb, root, roundRatios, summary, writeResult } from './common.js';
import { cannon, korusBin, startHello, startKorus, stop, type KorusProcess } from './servers.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const pgliteCommit = process.env.BENCH_PGLITE_COMMIT ?? '35b3ba8';
const serverUrl = process.env.BENCH_ENGINES_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => process.stderr.write(`[engines] ${line}\n`);

type EngineName = 'pglite' | 'embedded' | 'external';
interface Engine {
  name: EngineName;
  bin: string;
  dataDir: string;
  env: Record<string, string>;
  port: number;
}

function buildPgliteRelease(): string {
  const dir = join(tmpdir(), `korus-bench-pglite-${pgliteCommit}`);
  if (!existsSync(join(dir, 'dist', 'cli', 'main.js'))) {
    log(`building the PGlite release ${pgliteCommit} in ${dir}`);
    rmSync(dir, { recursive: true, force: true });
    execFileSync('git', ['worktree', 'prune'], { cwd: root });
    execFileSync('git', ['worktree', 'add', '--detach', dir, pgliteCommit], { cwd: root, stdio: 'ignore' });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
  }
  return join(dir, 'bin', 'korus.js');
}

function korusCli(engine: Engine, args: string[]): { stdout: string; seconds: number; peakRssMb: number } {
  const t0 = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', 'PEAK_RSS_KB=%M', process.execPath, engine.bin, ...args, '--data-dir', engine.dataDir],
    {
      env: { ...process.env, DATABASE_URL: '', KORUS_LOG_LEVEL: 'warn', ...engine.env },
      encoding: 'utf8',
    },
  );
  if (run.status !== 0) throw new Error(`${engine.name}: korus ${args.join(' ')} failed: ${run.stderr}`);
  const peak = /PEAK_RSS_KB=(\d+)/.exec(run.stderr);
  return {
    stdout: run.stdout,
    seconds: (performance.now() - t0) / 1000,
    peakRssMb: peak ? Math.round(Number(peak[1]) / 1024) : -1,
  };
}

async function resetExternalDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  await client.query('DROP DATABASE IF EXISTS korus_bench_engines WITH (FORCE)');
  await client.query('CREATE DATABASE korus_bench_engines');
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = '/korus_bench_engines';
  return url.toString();
}

const rotate = <T>(items: T[], by: number) => items.map((_, i) => items[(i + by) % items.length]!);

async function api<T>(port: number, path: string, token: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function quotaRace(port: number, token: string, fiscalYear: number, round: number) {
  let count = 0;
  let n = 0;
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (performance.now() < until) {
        const i = n++;
        const res = await fetch(`http://127.0.0.1:${port}/api/quota/H1B/${fiscalYear}/reservations`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'idempotency-key': `engines-${round}-${i}`,
          },
          body: JSON.stringify({ caseRef: `ENGINES-${round}-${i}` }),
        });
        await res.arrayBuffer();
        if (res.status < 300) count++;
        else errors++;
      }
    }),
  );
  return { perSecond: count / ((performance.now() - t0) / 1000), errors };
}

async function main() {
  if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('Build first: npm run build');
  const pgliteBin = buildPgliteRelease();
  const externalUrl = await resetExternalDatabase();
  const engines: Engine[] = [
    {
      name: 'pglite',
      bin: pgliteBin,
      dataDir: mkdtempSync(join(tmpdir(), 'korus-eng-pglite-')),
      env: {},
      port: 18_601,
    },
    {
      name: 'embedded',
      bin: korusBin,
      dataDir: mkdtempSync(join(tmpdir(), 'korus-eng-embedded-')),
      env: {},
      port: 18_602,
    },
    {
      name: 'external',
      bin: korusBin,
      dataDir: mkdtempSync(join(tmpdir(), 'korus-eng-external-')),
      env: { DATABASE_URL: externalUrl },
      port: 18_603,
    },
  ];
  const result: Record<string, unknown> = {
    benchmark: 'engines',
    pgliteCommit,
    rounds,
    secondsPerMeasurement: seconds,
  };
  try {
    // 1. The demo seed, once per engine (it takes the longest), with each process's peak RSS.
    const seed: Record<string, { seconds: number; peakRssMb: number }> = {};
    const tokens: Record<string, { admin: string; officer: string }> = {};
    for (const engine of engines) {
      log(`${engine.name}: seed --demo`);
      const run = korusCli(engine, ['seed', '--demo']);
      seed[engine.name] = { seconds: Math.round(run.seconds * 10) / 10, peakRssMb: run.peakRssMb };
      const token = (email: string) =>
        (
          JSON.parse(korusCli(engine, ['token', 'create', '--user', email, '--json']).stdout) as {
            token: string;
          }
        ).token;
      tokens[engine.name] = {
        admin: token('admin@hanbit-energy.example'),
        officer: token('officer@visa-desk.example'),
      };
    }
    result.seed = seed;

    // 2. Start-up to ready on the existing data directory, the engines taking turns.
    const startup: Record<string, number[]> = { pglite: [], embedded: [], external: [] };
    for (let r = 0; r < Math.max(rounds, 5); r++) {
      for (const engine of rotate(engines, r)) {
        const server = await startKorus(engine);
        startup[engine.name]!.push(Math.round(server.readyMs));
        await stop(server.child);
      }
    }
    result.startupMs = Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, summary(v)]));
    log(
      `start-up medians: ${JSON.stringify(Object.fromEntries(Object.entries(startup).map(([k, v]) => [k, summary(v).median])))}`,
    );

    // 3. Requests per second, every engine and the bare Fastify in the same rounds.
    const servers = new Map<EngineName, KorusProcess>();
    for (const engine of engines) servers.set(engine.name, await startKorus(engine));
    const hello = await startHello();
    const targets: Record<string, Record<EngineName, string>> = {
      worker: {} as never,
      board: {} as never,
      roster: {} as never,
    };
    for (const engine of engines) {
      const port = engine.port;
      const admin = tokens[engine.name]!.admin;
      const workers = await api<{ items: { id: string }[] }>(port, '/api/workers?limit=1', admin);
      const projects = await api<{ items: { id: string; name: string }[] }>(port, '/api/projects', admin);
      const sites = await api<{ items: { id: string }[] }>(port, '/api/sites', admin);
      targets.worker![engine.name] = `/api/workers/${workers.items[0]!.id}`;
      targets.board![engine.name] = `/api/cases/board?projectId=${projects.items[0]!.id}`;
      targets.roster![engine.name] = `/api/sites/${sites.items[0]!.id}/roster`;
    }
    const http: Record<string, unknown> = {};
    for (const [endpoint, paths] of Object.entries(targets)) {
      const rps: Record<string, number[]> = { hello: [], pglite: [], embedded: [], external: [] };
      const p99: Record<string, number[]> = { hello: [], pglite: [], embedded: [], external: [] };
      const cpuPerRequestMs: Record<string, number[]> = { pglite: [], embedded: [], external: [] };
      const subjects = ['hello', ...engines.map((e) => e.name)];
      for (let r = 0; r < rounds; r++) {
        for (const subject of rotate(subjects, r)) {
          if (subject === 'hello') {
            const res = await cannon(`${hello.url}/hello`, { seconds });
            rps.hello!.push(res.requests.average);
            p99.hello!.push(res.latency.p99);
            continue;
          }
          const engine = engines.find((e) => e.name === subject)!;
          const pid = servers.get(engine.name)!.child.pid!;
          const cpu0 = processCpuMs(pid) ?? 0;
          const res = await cannon(`http://127.0.0.1:${engine.port}${paths[engine.name]}`, {
            seconds,
            headers: { authorization: `Bearer ${tokens[engine.name]!.admin}` },
          });
          if (res.non2xx || res.errors)
            throw new Error(`${engine.name} ${endpoint}: ${res.non2xx} non-2xx, ${res.errors} errors`);
          rps[subject]!.push(res.requests.average);
          p99[subject]!.push(res.latency.p99);
          cpuPerRequestMs[subject]!.push(((processCpuMs(pid) ?? 0) - cpu0) / res.requests.total);
        }
      }
      http[endpoint] = {
        requestsPerSecond: Object.fromEntries(Object.entries(rps).map(([k, v]) => [k, summary(v)])),
        latencyP99Ms: Object.fromEntries(Object.entries(p99).map(([k, v]) => [k, summary(v)])),
        serverCpuMsPerRequest: Object.fromEntries(
          Object.entries(cpuPerRequestMs).map(([k, v]) => [k, summary(v)]),
        ),
        ratios: {
          embeddedToPglite: roundRatios(rps.embedded!, rps.pglite!),
          embeddedToExternal: roundRatios(rps.embedded!, rps.external!),
          embeddedToBareFastify: roundRatios(rps.embedded!, rps.hello!),
          pgliteToBareFastify: roundRatios(rps.pglite!, rps.hello!),
        },
      };
      log(`${endpoint}: ${JSON.stringify((http[endpoint] as { ratios: unknown }).ratios)}`);
    }
    result.http = http;

    // 4. The quota race over HTTP (16 clients), then the ledger's own verification.
    const fiscalYear =
      new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
    const race: Record<string, number[]> = { pglite: [], embedded: [], external: [] };
    const verified: Record<string, unknown> = {};
    for (let r = 0; r < rounds; r++) {
      for (const engine of rotate(engines, r)) {
        const { perSecond, errors } = await quotaRace(
          engine.port,
          tokens[engine.name]!.officer,
          fiscalYear,
          r,
        );
        if (errors) log(`${engine.name}: ${errors} refused reservations in round ${r}`);
        race[engine.name]!.push(perSecond);
      }
    }
    for (const engine of engines) {
      verified[engine.name] = await api(
        engine.port,
        `/api/quota/H1B/${fiscalYear}/verify`,
        tokens[engine.name]!.officer,
      );
    }
    result.quotaRace = {
      clients: 16,
      reservationsPerSecond: Object.fromEntries(Object.entries(race).map(([k, v]) => [k, summary(v)])),
      embeddedToPglite: roundRatios(race.embedded!, race.pglite!),
      verification: verified,
    };
    result.serverRssMb = Object.fromEntries(
      engines.map((e) => [e.name, processRssMb(servers.get(e.name)!.child.pid!)]),
    );
    for (const server of servers.values()) await stop(server.child);
    await stop(hello.child);
  } finally {
    for (const engine of engines) rmSync(engine.dataDir, { recursive: true, force: true });
  }
  result.machine = machine();
  writeResult('engines', result);
}

await main();
