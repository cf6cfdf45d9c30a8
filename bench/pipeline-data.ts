import { randomBytes } from 'node:crypto';
import { FieldCipher, keyRingFromKeys } from '../src/server/crypto/field-encryption.js';
import type { Database } from '../src/server/db/database.js';
import { passportHash, PASSPORT_CONTEXT } from '../src/server/services/pipeline/common.js';
import { loadWorkflows, planCase } from '../src/core/workflows/index.js';
import { insertRows } from './common.js';
import { prng } from '../src/core/prng.js';

/**
 * The data of bench:pipeline, shared with bench:console: 50,000 workers, 100,000 assignments and 100,000 visa
 * cases with their stage history for 10 investors (4 projects each) and 30 partner firms, loaded in batches
 * through the same tables the services use; plans computed by the workflow core.
 */
export const WORKERS = Number(process.env.BENCH_PIPELINE_WORKERS ?? 50_000);
export const CASES = Number(process.env.BENCH_PIPELINE_CASES ?? 100_000);
export const INVESTORS = 10;
export const PARTNERS = 30;
export const USERS = Number(process.env.BENCH_PIPELINE_USERS ?? 20);
export const SECONDS = Number(process.env.BENCH_PIPELINE_SECONDS ?? 10);
export const DAY = 86_400_000;
export const log = (m: string) => process.stderr.write(`${m}\n`);

export async function load(
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
