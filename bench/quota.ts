// `npm run bench:quota`: reservations per second at 1, 16 and 64 concurrent clients, through the service and
// through HTTP, on PostgreSQL and on PGlite, with pgbench (tpcb-like, 16 clients) on the same server in the same
// run as the reference. Alternatives to one hot counter row are measured at 16 clients on PostgreSQL.
// Writes bench/results/quota.json.
//
// Environment: KORUS_BENCH_DATABASE_URL (default KORUS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
// KORUS_BENCH_SECONDS (default 5 per measurement).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeResult } from './common.js';
import type { Database } from '../src/server/db/database.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { buildApp } from '../src/server/app.js';
import { loadRules } from '../src/core/rules/index.js';
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

const url =
  process.env.KORUS_BENCH_DATABASE_URL ??
  process.env.KORUS_TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
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
  const { overIssued, verified } = await check(ledger, fiscalYear);
  return {
    clients,
    reservations: count,
    seconds: elapsed,
    perSecond: Math.round(count / elapsed),
    overIssued,
    verified,
  };
}

async function measureHttp(db: Database, clients: number[]): Promise<Measurement[]> {
  const app = await buildApp({ db, logger: false, sessionCacheSeconds: 60, rules: loadRules() });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const [officer] = await db.query<{ id: string; organization_id: string }>(
    `SELECT id, organization_id FROM users WHERE email = 'officer@visa-desk.example'`,
  );
  const { token } = await db.transaction((tx) =>
    insertToken(
      tx,
      { actorUserId: null, actorLabel: 'bench', organizationId: null, requestId: null },
      {
        id: officer!.id,
        organizationId: officer!.organization_id,
      },
      'bench',
    ),
  );
  const results: Measurement[] = [];
  const ledger = new QuotaLedger(db);
  for (const c of clients) {
    const run = ++runNumber;
    const { count, elapsed } = await loop(c, async (i) => {
      // The H-1B regular pool (65,000) is large enough for the three HTTP runs against the real parameters.
      const res = await fetch(`http://127.0.0.1:${address.port}/api/quota/H1B/${FISCAL_YEAR}/reservations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `http-${run}-${i}-k`,
        },
        body: JSON.stringify({ caseRef: `h${run}-${i}` }),
      });
      if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    });
    const { overIssued, verified } = await check(ledger, FISCAL_YEAR, 'H1B');
    results.push({
      clients: c,
      reservations: count,
      seconds: elapsed,
      perSecond: Math.round(count / elapsed),
      overIssued,
      verified,
    });
    log(`  http ${c} clients: ${Math.round(count / elapsed)}/s`);
  }
  await app.close();
  return results;
}

function psql(database: string, sql: string): void {
  const target = new URL(url);
  target.pathname = `/${database}`;
  execFileSync('psql', [target.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
}

/** pgbench tpcb-like on a scratch database created and dropped here. */
function pgbench(
  scale: number,
  clients: number,
): { scale: number; clients: number; seconds: number; tps: number } {
  const scratch = `korus_pgbench_${process.pid}`;
  const base = new URL(url).pathname.slice(1) || 'postgres';
  const target = new URL(url);
  target.pathname = `/${scratch}`;
  psql(base, `DROP DATABASE IF EXISTS ${scratch}`);
  psql(base, `CREATE DATABASE ${scratch}`);
  try {
    execFileSync('pgbench', ['-i', '-q', '-s', String(scale), target.toString()], { stdio: 'pipe' });
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
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    return { scale, clients, seconds, tps: Math.round(tps) };
  } finally {
    psql(base, `DROP DATABASE IF EXISTS ${scratch}`);
  }
}

async function postgresSuite() {
  const schema = uniqueSchemaName('bench_quota');
  const db = await openDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 20 });
  try {
    await migrate(db);
    await seedDemo(db);
    log('PostgreSQL: service');
    const service: Measurement[] = [];
    for (const c of clientCounts) {
      service.push(await measureService(db, c));
      log(`  service ${c} clients: ${service.at(-1)!.perSecond}/s`);
    }
    log('PostgreSQL: alternatives at 16 clients');
    const alternatives = {
      singleHotRow: await measureService(db, 16, { batching: false }),
      singleHotRowWithAuditEvent: await measureService(db, 16, { batching: false, auditEachMovement: true }),
      stripedPools16: await measureService(db, 16, { batching: false, stripes: 16 }),
      batched: await measureService(db, 16),
      batchedWithAuditEvent: await measureService(db, 16, { auditEachMovement: true }),
    };
    for (const [k, v] of Object.entries(alternatives)) log(`  ${k}: ${v.perSecond}/s`);
    log('PostgreSQL: HTTP');
    const http = await measureHttp(db, clientCounts);
    return { service, http, alternatives };
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

async function pgliteSuite() {
  const dir = mkdtempSync(join(tmpdir(), 'korus-bench-quota-'));
  const db = await openDatabase({ dataDir: dir, command: 'bench:quota' });
  try {
    await migrate(db);
    await seedDemo(db);
    log('PGlite: service');
    const service: Measurement[] = [];
    for (const c of clientCounts) {
      service.push(await measureService(db, c));
      log(`  service ${c} clients: ${service.at(-1)!.perSecond}/s`);
    }
    const alternatives = { singleHotRow: await measureService(db, 16, { batching: false }) };
    log('PGlite: HTTP');
    const http = await measureHttp(db, clientCounts);
    return { service, http, alternatives };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

log(`pgbench tpcb-like, ${seconds} s each`);
const reference = {
  primary: pgbench(16, 16),
  scale1: pgbench(1, 16),
};
log(`  pgbench scale 16, 16 clients: ${reference.primary.tps} tps; scale 1: ${reference.scale1.tps} tps`);
const postgres = await postgresSuite();
const pglite = await pgliteSuite();
const at16 = postgres.service.find((m) => m.clients === 16)!;
writeResult('quota', {
  machine: { cpus: cpus().length, node: process.version },
  secondsPerMeasurement: seconds,
  note:
    'Reservations with an Idempotency-Key, hash-chained ledger entry and counter update each. Client and server share ' +
    'the machine. pgbench runs on a scratch database against the same PostgreSQL server in the same run; "primary" uses ' +
    'scale 16 (as many branches as clients, pgbench’s own advice), "scale1" a single hot branch row.',
  pgbench: reference,
  postgres,
  pglite,
  target: {
    rule: 'PostgreSQL, 16 clients, through the service >= 1.0 x pgbench tps (scale 16), zero over-issue',
    ratio: Math.round((at16.perSecond / reference.primary.tps) * 100) / 100,
    met: at16.perSecond >= reference.primary.tps && postgres.service.every((m) => m.overIssued === 0),
  },
});
process.exit(0);
