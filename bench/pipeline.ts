/**
 * `npm run bench:pipeline` — the dispatch pipeline at scale on PostgreSQL (issue 5).
 *
 * 1. Loads 50,000 workers (passport numbers really encrypted, keyed hashes), 100,000 assignments and 100,000
 *    visa cases with their stage history (about 300,000 events) for 10 investors with 4 projects each and 30
 *    partner firms, in batches through the same tables the services use; plans computed by the workflow core.
 * 2. Serves the real app on a port and runs 20 concurrent users (API tokens of the investors' staff) for
 *    10 s each against: the case board of one project (`GET /api/cases?projectId=…`, 500 cases) and the
 *    lead-time statistics (`GET /api/stats/lead-times?groupBy=category|stage`); an officer's statistics over
 *    all 100,000 cases are measured too.
 * 3. Reports p50/p95/p99 latency and requests per second; target: p95 under 100 ms for the board and the
 *    statistics. Writes bench/results/pipeline.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/server/app.js';
import { FieldCipher, keyRingFromKeys } from '../src/server/crypto/field-encryption.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { insertToken } from '../src/server/services/tokens.js';
import { loadRules } from '../src/core/rules/index.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { benchDatabaseUrl, writeResult } from './common.js';
import { CASES, INVESTORS, load, log, PARTNERS, SECONDS, USERS, WORKERS } from './pipeline-data.js';
import { boardCacheSettings } from '../src/server/services/pipeline/board-cache.js';

const url = benchDatabaseUrl();

interface Latency {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

async function run(
  users: number,
  seconds: number,
  request: (user: number) => Promise<void>,
): Promise<Latency> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async (_, user) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        await request(user);
        times.push(performance.now() - t0);
      }
    }),
  );
  times.sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]! * 10) / 10;
  return {
    requests: times.length,
    perSecond: Math.round(times.length / seconds),
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    maxMs: at(1),
  };
}

async function main() {
  const schema = uniqueSchemaName('bench_pipeline');
  const db = await openDatabase({ dataDir: '', databaseUrl: url, schema, poolSize: 20 });
  try {
    await migrate(db);
    await seedDemo(db);
    const loadStart = performance.now();
    const { investors, officer } = await load(db);
    const loadSeconds = Math.round((performance.now() - loadStart) / 100) / 10;
    const app = await buildApp({
      db,
      logger: false,
      sessionCacheSeconds: 60,
      rules: loadRules(),
      cipher: new FieldCipher(keyRingFromKeys(randomBytes(32))),
      uploadsDir: mkdtempSync(join(tmpdir(), 'korus-bench-')),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const audit = { actorUserId: null, actorLabel: 'bench', organizationId: null, requestId: null };
    const tokens: { token: string; project: string }[] = [];
    for (const inv of investors) {
      for (const userId of inv.userIds) {
        const { token } = await db.transaction((tx) =>
          insertToken(tx, audit, { id: userId, organizationId: inv.orgId }, 'bench'),
        );
        tokens.push({ token, project: inv.projects[tokens.length % 4]! });
      }
    }
    const [officerOrg] = await db.query<{ organization_id: string }>(
      'SELECT organization_id FROM users WHERE id = $1',
      [officer],
    );
    const { token: officerToken } = await db.transaction((tx) =>
      insertToken(tx, audit, { id: officer, organizationId: officerOrg!.organization_id }, 'bench'),
    );
    const get = async (token: string, path: string) => {
      const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const [boardSize] = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM cases WHERE project_id = $1',
      [tokens[0]!.project],
    );
    // Warm-up, then the measurements.
    await run(USERS, 2, (u) => get(tokens[u]!.token, `/api/cases?projectId=${tokens[u]!.project}`));
    log('measuring the case board');
    const board = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, `/api/cases?projectId=${tokens[u]!.project}`),
    );
    log('measuring the case board endpoint (a column per stage, 10 cards each)');
    const boardColumns = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, `/api/cases/board?projectId=${tokens[u]!.project}`),
    );
    log('measuring the case board endpoint with its 3-second cache turned off');
    boardCacheSettings.ttlMs = 0;
    const boardColumnsUncached = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, `/api/cases/board?projectId=${tokens[u]!.project}`),
    );
    boardCacheSettings.ttlMs = 3_000;
    log('measuring the case board, 100 cases a page');
    const board100 = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, `/api/cases?projectId=${tokens[u]!.project}&limit=100`),
    );
    log('measuring lead-time statistics by category, never cached (a different date range each time)');
    let distinct = 0;
    const statsUncached = await run(USERS, SECONDS, (u) => {
      const from = new Date(Date.UTC(2020, 0, 1) + (distinct++ % 2000) * 86_400_000)
        .toISOString()
        .slice(0, 10);
      return get(tokens[u]!.token, `/api/stats/lead-times?groupBy=category&from=${from}`);
    });
    log('measuring lead-time statistics by category');
    const statsCategory = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, '/api/stats/lead-times?groupBy=category'),
    );
    log('measuring lead-time statistics by stage');
    const statsStage = await run(USERS, SECONDS, (u) =>
      get(tokens[u]!.token, '/api/stats/lead-times?groupBy=stage'),
    );
    log('measuring an officer’s statistics over every case');
    const officerStats = await run(USERS, SECONDS, () =>
      get(officerToken, '/api/stats/lead-times?groupBy=category'),
    );
    await app.close();
    const [pg] = await db.query<{ server_version: string }>('SHOW server_version');
    writeResult('pipeline', {
      benchmark: 'pipeline',
      database: `PostgreSQL ${pg!.server_version}`,
      node: process.version,
      data: {
        workers: WORKERS,
        cases: CASES,
        investors: INVESTORS,
        partners: PARTNERS,
        loadSeconds,
        casesPerProjectBoard: Number(boardSize!.n),
        boardPageSize: 500,
      },
      concurrentUsers: USERS,
      secondsPerMeasurement: SECONDS,
      caseBoardColumns: boardColumns,
      caseBoardColumnsUncached: boardColumnsUncached,
      boardCacheSeconds: 3,
      caseBoard: board,
      caseBoard100: board100,
      leadTimesByCategory: statsCategory,
      leadTimesByCategoryUncached: statsUncached,
      statsCacheSeconds: 30,
      leadTimesByStage: statsStage,
      officerLeadTimesAllCases: officerStats,
      target: { p95Ms: 100 },
      meetsTarget: boardColumns.p95Ms < 100 && statsCategory.p95Ms < 100 && statsStage.p95Ms < 100,
    });
  } finally {
    if (process.env.BENCH_PIPELINE_KEEP) log(`kept schema ${schema}`);
    else await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

await main();
