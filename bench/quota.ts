// `npm run bench:quota`: reservations per second on PostgreSQL, at 1, 16 and 64 concurrent clients through the
// service, the alternatives to one hot counter row at 16 clients, and then the target (issue 15) in interleaved
// rounds: pgbench tpcb-like (scale 16, 16 clients) on the same server, the service at 16 clients and HTTP at 16
// clients (`korus serve` in a process of its own on the same schema, the clients in this one) take turns in a
// rotating order, and the per-round ratios are reported (service ÷ pgbench ≥ 1.0, HTTP ÷ service ≥ 0.5).
// Every ledger is checked: zero over-issue, chain verified. Writes bench/results/quota.json.
//
// Environment: KORUS_BENCH_DATABASE_URL (default: a database of its own, korus_bench, on the local server),
// KORUS_BENCH_SECONDS (default 5 per measurement).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { benchDatabaseUrl, machine, roundRatios, summary, writeResult } from './common.js';
import { startKorus, stop } from './servers.js';
import type { Database } from '../src/server/db/database.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { insertToken } from '../src/server/services/tokens.js';
import {
  cliQuotaActor,
  parameterCatalogue,
  QuotaLedger,
  type QuotaCatalogue,
  type QuotaLedgerOptions,
} from '../src/server/services/quota.js';
import { splitIntoPools } from '../src/core/quota/index.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';

const url = benchDatabaseUrl();
const seconds = Number(process.env.KORUS_BENCH_SECONDS ?? 5);
const clientCounts = [1, 16, 64];
const FISCAL_YEAR =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
const log = (line: string) => process.stderr.write(line + '\n');

/** E-4 with a cap large enough never to run out during a measurement, split into `stripes` pools. */
function catalogue(cap: number, stripes = 1): QuotaCatalogue {
  const real = parameterCatalogue();
  const pools =
    stripes === 1
      ? [{ name: 'general', share: 1 }]
      : Array.from({ length: stripes }, (_, i) => ({
          name: i === 0 ? 'general' : `stripe_${i}`,
          share: 1 / stripes,
        }));
  return {
    program: (code, fy) => {
      const base = real.program(code, fy);
      return base && code === 'E4' ? { ...base, cap, pools: splitIntoPools(cap, fy, pools) } : base;
    },
    reservationExpiryDays: () => 120,
  };
}

interface Measurement {
  clients: number;
  reservations: number;
  seconds: number;
  perSecond: number;
  overIssued: number;
  verified: boolean;
}

async function loop(
  clients: number,
  op: (i: number) => Promise<unknown>,
): Promise<{ count: number; elapsed: number }> {
  let count = 0;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        await op(n++);
        count++;
      }
    }),
  );
  return { count, elapsed: (performance.now() - started) / 1000 };
}

/** Over-issue check after a run: per pool, reserved + issued never exceed the cap; the chain verifies. */
async function check(
  ledger: QuotaLedger,
  fiscalYear: number,
  program = 'E4',
): Promise<{ overIssued: number; verified: boolean }> {
  const rows = await ledger.db.query<{ over: number }>(
    `SELECT coalesce(sum(greatest(reserved + issued - cap, 0)), 0)::int AS over FROM quota_counters
     WHERE program = $1 AND fiscal_year = $2`,
    [program, fiscalYear],
  );
  const verification = await ledger.verify({ program, fiscalYear });
  return { overIssued: rows[0]!.over, verified: verification.ok };
}

function measurement(
  clients: number,
  { count, elapsed }: { count: number; elapsed: number },
  { overIssued, verified }: { overIssued: number; verified: boolean },
): Measurement {
  return {
    clients,
    reservations: count,
    seconds: elapsed,
    perSecond: Math.round(count / elapsed),
    overIssued,
    verified,
  };
}

let runNumber = 0;
async function measureService(
  db: Database,
  clients: number,
  options: QuotaLedgerOptions & { stripes?: number } = {},
): Promise<Measurement> {
  // Each measurement uses a fiscal year of its own (a fresh ledger), with a cap of 10 million.
  const run = ++runNumber;
  const fiscalYear = 2030 + run;
  const today = `${fiscalYear - 1}-11-02`;
  const ledger = new QuotaLedger(db, {
    catalogue: catalogue(10_000_000, options.stripes ?? 1),
    today: () => today,
    ...options,
  });
  const actor = cliQuotaActor('bench');
  const stripes = options.stripes ?? 1;
  const poolOf = (i: number) =>
    stripes === 1 ? undefined : i % stripes === 0 ? 'general' : `stripe_${i % stripes}`;
  const { count, elapsed } = await loop(clients, (i) => {
    const pool = poolOf(i);
    return ledger.reserve(
      actor,
      'E4',
      fiscalYear,
      { caseRef: `b${run}-${i}`, ...(pool ? { pool } : {}) },
      `bench-${run}-${i}-k`,
    );
  });
  return measurement(clients, { count, elapsed }, await check(ledger, fiscalYear));
}

/** A `korus serve` process on the bench's schema, and an officer's API token for it. */
async function startHttp(
  db: Database,
  schema: string,
): Promise<{ stop(): Promise<void>; port: number; token: string }> {
  const [officer] = await db.query<{ id: string; organization_id: string }>(
    `SELECT id, organization_id FROM users WHERE email = 'officer@visa-desk.example'`,
  );
  const { token } = await db.transaction((tx) =>
    insertToken(
      tx,
      { actorUserId: null, actorLabel: 'bench', organizationId: null, requestId: null },
      { id: officer!.id, organizationId: officer!.organization_id },
      'bench',
    ),
  );
  const server = await startKorus({
    dataDir: '',
    port: 18_490,
    env: {
      DATABASE_URL: url,
      KORUS_DATABASE_SCHEMA: schema,
      KORUS_SESSION_CACHE_SECONDS: '60',
      KORUS_DB_POOL_SIZE: '20',
    },
  });
  return { port: server.port, token, stop: () => stop(server.child) };
}

/** Reservations over HTTP: the H-1B regular pool (65,000) is large enough for every round. */
async function measureHttp(
  db: Database,
  server: { port: number; token: string },
  clients: number,
): Promise<Measurement> {
  const run = ++runNumber;
  const { count, elapsed } = await loop(clients, async (i) => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/quota/H1B/${FISCAL_YEAR}/reservations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.token}`,
        'content-type': 'application/json',
        'idempotency-key': `http-${run}-${i}-k`,
      },
      body: JSON.stringify({ caseRef: `h${run}-${i}` }),
    });
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  });
  return measurement(clients, { count, elapsed }, await check(new QuotaLedger(db), FISCAL_YEAR, 'H1B'));
}

function psql(database: string, sql: string): void {
  const target = new URL(url);
  target.pathname = `/${database}`;
  execFileSync('psql', [target.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
}

/** pgbench tpcb-like on a scratch database of its own, initialised once and dropped at the end. */
function pgbenchDatabase(scale: number) {
  const scratch = `korus_pgbench_${process.pid}`;
  const base = new URL(url).pathname.slice(1) || 'postgres';
  const target = new URL(url);
  target.pathname = `/${scratch}`;
  psql(base, `DROP DATABASE IF EXISTS ${scratch}`);
  psql(base, `CREATE DATABASE ${scratch}`);
  execFileSync('pgbench', ['-i', '-q', '-s', String(scale), target.toString()], { stdio: 'pipe' });
  return {
    run(clients: number) {
      const out = execFileSync(
        'pgbench',
        [
          '-c',
          String(clients),
          '-j',
          String(Math.min(clients, cpus().length)),
          '-T',
          String(seconds),
          '-b',
          'tpcb-like',
          target.toString(),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return Math.round(Number(/tps = ([\d.]+)/.exec(out)?.[1]));
    },
    drop: () => psql(base, `DROP DATABASE IF EXISTS ${scratch}`),
  };
}

const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const schema = uniqueSchemaName('bench_quota');
const db = await openDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 20 });
const bench = pgbenchDatabase(16);
let server: Awaited<ReturnType<typeof startHttp>> | undefined;
try {
  await migrate(db);
  await seedDemo(db);
  log('service at 1, 16 and 64 clients');
  const service: Measurement[] = [];
  for (const c of clientCounts) {
    service.push(await measureService(db, c));
    log(`  service ${c} clients: ${service.at(-1)!.perSecond}/s`);
  }
  log('alternatives at 16 clients');
  const alternatives = {
    singleHotRow: await measureService(db, 16, { batching: false }),
    singleHotRowWithAuditEvent: await measureService(db, 16, { batching: false, auditEachMovement: true }),
    stripedPools16: await measureService(db, 16, { batching: false, stripes: 16 }),
    batched: await measureService(db, 16),
    batchedWithAuditEvent: await measureService(db, 16, { auditEachMovement: true }),
  };
  for (const [k, v] of Object.entries(alternatives)) log(`  ${k}: ${v.perSecond}/s`);

  server = await startHttp(db, schema);
  const series: Record<'pgbench' | 'service' | 'http', number[]> = { pgbench: [], service: [], http: [] };
  const checks: Measurement[] = [];
  const load: number[] = [];
  const order = ['pgbench', 'service', 'http'] as const;
  for (let r = 0; r < rounds; r++) {
    load.push(Math.round(loadavg()[0]! * 100) / 100);
    for (let i = 0; i < order.length; i++) {
      const subject = order[(i + r) % order.length]!;
      if (subject === 'pgbench') series.pgbench.push(bench.run(16));
      else {
        const m = subject === 'service' ? await measureService(db, 16) : await measureHttp(db, server, 16);
        checks.push(m);
        series[subject].push(m.perSecond);
      }
    }
    log(
      `round ${r + 1}/${rounds}: pgbench ${series.pgbench.at(-1)} tps, service ${series.service.at(-1)}/s, http ${series.http.at(-1)}/s`,
    );
  }
  const serviceToPgbench = roundRatios(series.service, series.pgbench);
  const httpToService = roundRatios(series.http, series.service);
  const overIssued = [...service, ...Object.values(alternatives), ...checks].reduce(
    (n, m) => n + m.overIssued,
    0,
  );
  const allVerified = [...service, ...Object.values(alternatives), ...checks].every((m) => m.verified);
  writeResult('quota', {
    secondsPerMeasurement: seconds,
    rounds,
    note:
      'Reservations with an Idempotency-Key, hash-chained ledger entry and counter update each. Clients, the HTTP ' +
      'server and PostgreSQL share the machine. pgbench runs on a scratch database of the same server (scale 16: as ' +
      'many branches as clients, pgbench’s own advice), in the same rounds as the service and HTTP.',
    service,
    alternatives,
    interleaved: {
      clients: 16,
      perSecond: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, summary(v)])),
      serviceToPgbench: { ...serviceToPgbench, target: 1.0 },
      httpToService: { ...httpToService, target: 0.5 },
    },
    overIssued,
    allVerified,
    loadAveragePerRound: load,
    machine: machine(),
  });
} finally {
  await server?.stop();
  bench.drop();
  await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db.close();
}
process.exit(0);
