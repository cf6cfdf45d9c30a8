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
import type { Database } from '../src/server/db/database.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { insertToken } from '../src/server/services/tokens.js';
import { passportHash, PASSPORT_CONTEXT } from '../src/server/services/pipeline/common.js';
import { loadRules } from '../src/core/rules/index.js';
import { loadWorkflows, planCase } from '../src/core/workflows/index.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { benchDatabaseUrl, insertRows, writeResult } from './common.js';
import { prng } from '../src/core/prng.js';
import { boardCacheSettings } from '../src/server/services/pipeline/board-cache.js';

const url = benchDatabaseUrl();
const WORKERS = Number(process.env.BENCH_PIPELINE_WORKERS ?? 50_000);
const CASES = Number(process.env.BENCH_PIPELINE_CASES ?? 100_000);
const INVESTORS = 10;
const PARTNERS = 30;
const USERS = Number(process.env.BENCH_PIPELINE_USERS ?? 20);
const SECONDS = Number(process.env.BENCH_PIPELINE_SECONDS ?? 10);
const DAY = 86_400_000;
const log = (m: string) => process.stderr.write(`${m}\n`);

async function load(
  db: Database,
): Promise<{ investors: { orgId: string; userIds: string[]; projects: string[] }[]; officer: string }> {
  const rnd = prng(5_000_100);
  const int = (min: number, max: number) => min + Math.floor(rnd() * (max - min + 1));
  const cipher = new FieldCipher(keyRingFromKeys(randomBytes(32)));
  // A realistic mix: mostly B-1 (through the embassy desk or not), then ESTA, L-1, E-2, H-1B, H-2B, H-3.
  const all = loadWorkflows().workflows;
  const mix: [string, number][] = [
    ['b1', 0.35], ['b1-embassy-desk', 0.25], ['esta', 0.1], ['l1-blanket', 0.1], ['l1-individual', 0.05],
    ['e2', 0.05], ['h1b', 0.05], ['h2b', 0.03], ['h3', 0.02],
  ]; // prettier-ignore
  const pickWorkflow = (r: number) => {
    let acc = 0;
    for (const [id, share] of mix) if ((acc += share) >= r) return all.get(id)!;
    return all.get('b1')!;
  };
  const now = Date.now();
  const ids = () => crypto.randomUUID();

  const investors: { orgId: string; userIds: string[]; projects: string[]; siteId: string }[] = [];
  const partners: string[] = [];
  const orgRows: unknown[][] = [];
  for (let i = 0; i < INVESTORS; i++) {
    const orgId = ids();
    orgRows.push([orgId, `Bench Investor ${i} (fictional)`, 'investor']);
    investors.push({ orgId, userIds: [], projects: [], siteId: ids() });
  }
  for (let i = 0; i < PARTNERS; i++) {
    const orgId = ids();
    orgRows.push([orgId, `Bench Partner ${i} (fictional)`, 'partner']);
    partners.push(orgId);
  }
  await insertRows(db, 'organizations', ['id', 'name', 'kind'], orgRows);
  await insertRows(
    db,
    'sites',
    ['id', 'organization_id', 'name', 'sector', 'address', 'city', 'state', 'time_zone'],
    investors.map((inv, i) => [
      inv.siteId,
      inv.orgId,
      `Bench site ${i}`,
      'battery',
      '1 Bench Way',
      'Savannah',
      'GA',
      'America/New_York',
    ]),
  );
  const projectRows: unknown[][] = [];
  for (const [i, inv] of investors.entries()) {
    for (let p = 0; p < 4; p++) {
      const id = ids();
      inv.projects.push(id);
      projectRows.push([
        id,
        inv.orgId,
        inv.siteId,
        `B${i}-${p}`,
        `Bench project ${i}-${p}`,
        'battery',
        1e9,
        '2024-01-01',
      ]);
    }
  }
  await insertRows(
    db,
    'projects',
    ['id', 'organization_id', 'site_id', 'code', 'name', 'sector', 'investment_usd', 'start_date'],
    projectRows,
  );
  const linkRows: unknown[][] = [];
  const projectPartnerRows: unknown[][] = [];
  partners.forEach((partner, k) => {
    const inv = investors[k % INVESTORS]!;
    linkRows.push([inv.orgId, partner]);
    for (const project of inv.projects) projectPartnerRows.push([project, partner]);
  });
  await insertRows(db, 'partner_links', ['investor_id', 'partner_id'], linkRows);
  await insertRows(db, 'project_partners', ['project_id', 'partner_id'], projectPartnerRows);
  const userRows: unknown[][] = [];
  for (const [i, inv] of investors.entries()) {
    for (let u = 0; u < Math.max(1, USERS / INVESTORS); u++) {
      const id = ids();
      inv.userIds.push(id);
      userRows.push([
        id,
        inv.orgId,
        `staff${u}@bench-investor-${i}.example`,
        `Bench staff ${u}`,
        'staff',
        'x',
      ]);
    }
  }
  await insertRows(
    db,
    'users',
    ['id', 'organization_id', 'email', 'display_name', 'role', 'password_hash'],
    userRows,
  );
  log(`organizations, projects and users loaded`);

  // One assessment per investor stands behind its cases (the foreign key); its content is not read here.
  const [anyUser] = await db.query<{ id: string }>('SELECT id FROM users LIMIT 1');
  const assessmentByOrg = new Map<string, string>();
  for (const orgId of [...investors.map((i) => i.orgId), ...partners]) {
    const id = ids();
    assessmentByOrg.set(orgId, id);
    await db.query(
      `INSERT INTO assessments (id, organization_id, user_id, as_of, rules_version, request, response)
       VALUES ($1, $2, $3, '2026-01-01', 'bench', '{}', '{"results": []}')`,
      [id, orgId, anyUser!.id],
    );
  }

  const started = performance.now();
  const workerRows: unknown[][] = [];
  const workerOrg: string[] = [];
  const workerIds: string[] = [];
  const families = ['KIM', 'LEE', 'PARK', 'CHOI', 'JUNG', 'KANG', 'CHO', 'YOON'];
  const hangul = ['김', '이', '박', '최', '정', '강', '조', '윤'];
  for (let i = 0; i < WORKERS; i++) {
    const org = i % 3 === 0 ? investors[i % INVESTORS]!.orgId : partners[i % PARTNERS]!;
    const id = ids();
    const passport = `M${String(10_000_000 + i)}`;
    const f = i % families.length;
    workerIds.push(id);
    workerOrg.push(org);
    workerRows.push([
      id, org, families[f], `W${i}`, `${hangul[f]}근로${i % 100}`, '1985-01-01', 'M', 'KR',
      cipher.encrypt(passport, PASSPORT_CONTEXT), passportHash(cipher, passport), passport.slice(-4), '2031-01-01',
      'vocational', 'technician', '2010-01-01', `${families[f]} w${i} ${hangul[f]}근로${i % 100}`.toLowerCase(),
    ]); // prettier-ignore
  }
  await insertRows(
    db,
    'workers',
    [
      'id',
      'organization_id',
      'family_name',
      'given_name',
      'name_hangul',
      'birth_date',
      'sex',
      'nationality',
      'passport_enc',
      'passport_hash',
      'passport_last4',
      'passport_expiry',
      'education',
      'role',
      'employed_since',
      'search_text',
    ],
    workerRows,
    1000,
  );
  log(`${WORKERS} workers in ${Math.round(performance.now() - started)} ms`);

  const assignmentRows: unknown[][] = [];
  const caseRows: unknown[][] = [];
  const eventRows: unknown[][] = [];
  for (let i = 0; i < CASES; i++) {
    const w = i % WORKERS;
    const org = workerOrg[w]!;
    const investor =
      investors.find((inv) => inv.orgId === org) ?? investors[partners.indexOf(org) % INVESTORS]!;
    const project = investor.projects[i % 4]!;
    const assignmentId = ids();
    const openedAt = now - int(5, 400) * DAY;
    const start = new Date(openedAt + int(20, 90) * DAY).toISOString().slice(0, 10);
    assignmentRows.push([
      assignmentId,
      org,
      workerIds[w],
      project,
      ['equipment_installation'],
      start,
      new Date(Date.parse(start) + 60 * DAY).toISOString().slice(0, 10),
      'foreign',
    ]);
    const workflow = pickWorkflow(rnd());
    const plan = planCase(workflow, { openedAt: new Date(openedAt), assignmentStart: start });
    const reached = int(0, workflow.stages.length - 1);
    let at = openedAt;
    const caseId = ids();
    for (let s = 0; s <= reached; s++) {
      if (s > 0) at = Math.min(now - 1000, at + int(1, 15) * DAY);
      eventRows.push([
        caseId,
        s + 1,
        s === 0 ? null : workflow.stages[s - 1]!.id,
        workflow.stages[s]!.id,
        new Date(at).toISOString(),
        'bench',
      ]);
    }
    const stage = workflow.stages[reached]!.id;
    const status = stage === 'admitted' ? 'admitted' : 'open';
    const category = workflow.serves[0]!.category;
    caseRows.push([
      caseId, org, assignmentId, workerIds[w], project, assessmentByOrg.get(org), category, null, 'conditional', 'bench',
      workflow.id, stage, status, new Date(openedAt).toISOString(), new Date(at).toISOString(), start, plan.targetDate,
      JSON.stringify(plan), status === 'admitted' ? new Date(at).toISOString() : null, status === 'admitted' ? new Date(at).toISOString() : null,
    ]); // prettier-ignore
  }
  await insertRows(
    db,
    'assignments',
    ['id', 'organization_id', 'worker_id', 'project_id', 'activities', 'start_date', 'end_date', 'payer'],
    assignmentRows,
  );
  log(`${CASES} assignments in ${Math.round(performance.now() - started)} ms`);
  await insertRows(
    db,
    'cases',
    [
      'id',
      'organization_id',
      'assignment_id',
      'worker_id',
      'project_id',
      'assessment_id',
      'category',
      'provision',
      'verdict',
      'rules_version',
      'workflow_id',
      'stage',
      'status',
      'opened_at',
      'stage_entered_at',
      'assignment_start',
      'target_date',
      'plan',
      'admitted_at',
      'closed_at',
    ],
    caseRows,
    500,
  );
  log(`${CASES} cases in ${Math.round(performance.now() - started)} ms`);
  await insertRows(
    db,
    'case_events',
    ['case_id', 'seq', 'from_stage', 'to_stage', 'at', 'by_label'],
    eventRows,
    2000,
  );
  log(`${eventRows.length} case events in ${Math.round(performance.now() - started)} ms`);
  // As autovacuum would after a bulk load: statistics, and the visibility map that index-only scans need.
  await db.exec('VACUUM ANALYZE cases, case_events, workers, assignments, projects');
  const [officer] = await db.query<{ id: string }>(
    `SELECT id FROM users WHERE email = 'officer@visa-desk.example'`,
  );
  return { investors, officer: officer!.id };
}

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
