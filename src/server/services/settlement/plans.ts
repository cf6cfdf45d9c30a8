import { createHash } from 'node:crypto';
import { planFactsSchema, type Plan, type PlanFacts, type PlanGoal, type PlanStatusCode, type PlanSummary, type SavedPlan } from '../../../contract/settlement.js'; // prettier-ignore
import type { EducationLevel, WorkerRole } from '../../../contract/assessment.js';
import { daysBetween } from '../../../core/dates/index.js';
import type { ParameterSet } from '../../../core/rules/parameters.js';
import { schoolYearOf, gradeIn, settlementData, type SettlementData } from '../../../core/settlement/data.js';
import { planFamily } from '../../../core/settlement/plan.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { ownWorker, visibleWorker } from '../pipeline/workers.js';

/**
 * Saved settlement plans (issue 19, item 3): one per worker, with the goal HR or the worker chose. The facts are
 * read from the worker's records (profile, entries, dependents, the site of the latest assignment, the employer);
 * a plan is recomputed when those facts, the rules (parameters and data files) or the day change: on reading it,
 * and for every saved plan by the nightly pass (`recomputePlans`), which also feeds the alerts.
 */

/** Bumped when the planner's code changes what it computes: every saved plan is recomputed. */
export const PLANNER_VERSION = '2026.12.1';

export interface PlannerDeps {
  parameters: ParameterSet;
  rulesVersion: string;
  data?: SettlementData;
  now?: () => Date;
}
const dataOf = (deps: PlannerDeps) => deps.data ?? settlementData();
const todayOf = (deps: PlannerDeps) => (deps.now ? deps.now() : new Date()).toISOString().slice(0, 10);
export const rulesHashOf = (deps: PlannerDeps) =>
  createHash('sha256').update(`${PLANNER_VERSION}|${deps.rulesVersion}|${dataOf(deps).hash}`).digest('hex').slice(0, 16); // prettier-ignore

/** Facts HR may give where the records are silent (the employer's ownership, experience before it). */
export interface PlanOverrides {
  koreanOwned?: boolean;
  multinational?: boolean;
  priorExperienceYears?: number;
}

/** What the planner reads of one worker, gathered by `loadRecords` (one worker or many at once). */
export interface WorkerRecords {
  workerId: string;
  organizationId: string;
  organizationKind: string;
  organizationName: string;
  name: string;
  birthDate: string;
  education: EducationLevel | null;
  role: WorkerRole | null;
  employedSince: string | null;
  state: string | null;
  entries: {
    admittedOn: string;
    classOfAdmission: string;
    admitUntil: string | null;
    departedOn: string | null;
  }[];
  family: { relationship: 'spouse' | 'child'; name: string; birthDate: string }[];
}

const STATUS_OF: Record<string, PlanStatusCode> = { L1A: 'L1A', L1B: 'L1B', H1B: 'H1B', E2: 'E2', E4: 'E4', B1: 'B1', B2: 'B1', WB: 'ESTA', WT: 'ESTA' }; // prettier-ignore
const H_OR_L = new Set(['L1A', 'L1B', 'H1B', 'H2B', 'H3']);
const codeOf = (c: string) => c.toUpperCase().replace(/[\s-]/g, '');

/** Where the worker stands on `asOf`: the status of the stay in progress, since the first entry of its run. */
export function statusFromEntries(entries: WorkerRecords['entries'], asOf: string): PlanFacts['status'] {
  const sorted = entries
    .filter((e) => e.admittedOn <= asOf)
    .sort((a, b) => (a.admittedOn < b.admittedOn ? -1 : 1));
  const last = sorted.at(-1);
  const present = last && (last.departedOn === null || last.departedOn >= asOf) && (last.admitUntil === null || last.admitUntil >= asOf); // prettier-ignore
  if (!last || !present) return { code: 'abroad', since: null, daysOutside: 0, usedDays: 0 };
  const code = codeOf(last.classOfAdmission);
  const status = STATUS_OF[code];
  if (!status) return { code: 'abroad', since: null, daysOutside: 0, usedDays: 0 };
  let i = sorted.length - 1;
  while (i > 0 && codeOf(sorted[i - 1]!.classOfAdmission) === code) i--;
  let daysOutside = 0;
  for (let k = i + 1; k < sorted.length; k++) {
    const before = sorted[k - 1]!.departedOn;
    if (before) daysOutside += Math.max(0, daysBetween(before, sorted[k]!.admittedOn) - 1);
  }
  let usedDays = 0;
  if (H_OR_L.has(code))
    for (const e of sorted.slice(0, i))
      if (H_OR_L.has(codeOf(e.classOfAdmission)) && e.departedOn)
        usedDays += daysBetween(e.admittedOn, e.departedOn) + 1;
  return { code: status, since: sorted[i]!.admittedOn, daysOutside, usedDays };
}

/** The planner's facts from a worker's records; throws a clear problem when the records cannot carry a plan. */
export function factsFrom(
  r: WorkerRecords,
  goal: PlanGoal,
  overrides: PlanOverrides,
  asOf: string,
): PlanFacts {
  if (!r.education || !r.role || !r.employedSince) throw new ApiError('settlement.profile_incomplete');
  if (!r.state) throw new ApiError('settlement.no_site');
  const investor = r.organizationKind === 'investor';
  const status = statusFromEntries(r.entries, asOf);
  // A worker in L-1 status has an employer with a qualifying organization abroad (8 CFR 214.2(l)(1)(ii)(G)).
  const inL1 = status.code === 'L1A' || status.code === 'L1B';
  const spouse = r.family.find((d) => d.relationship === 'spouse');
  return planFactsSchema.parse({
    asOf,
    worker: { name: r.name, birthDate: r.birthDate, education: r.education, role: r.role, employedSince: r.employedSince, priorExperienceYears: overrides.priorExperienceYears ?? 0 }, // prettier-ignore
    // Records do not say how the employer is owned: Korean companies (the platform's users) are taken as Korean
    // owned, an investor (or any employer of a worker in L-1 status) as a multinational, a partner firm otherwise
    // as not; HR may correct both.
    employer: { name: r.organizationName, koreanOwned: overrides.koreanOwned ?? true, multinational: overrides.multinational ?? (investor || inL1) }, // prettier-ignore
    status,
    state: r.state,
    goal,
    family: {
      spouse: spouse ? { name: spouse.name, birthDate: spouse.birthDate } : null,
      children: r.family.filter((d) => d.relationship === 'child').map((d) => ({ name: d.name, birthDate: d.birthDate })), // prettier-ignore
    },
  });
}

export const factsHashOf = (facts: PlanFacts) => {
  const { asOf: _asOf, ...rest } = facts;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
};

/** Loads the records of the given workers in five statements whatever their number. */
export async function loadRecords(
  q: Queryable,
  workerIds: readonly string[],
): Promise<Map<string, WorkerRecords>> {
  const out = new Map<string, WorkerRecords>();
  if (workerIds.length === 0) return out;
  const ids = [...workerIds];
  const workers =
    await q.query<{ id: string; organization_id: string; kind: string; org_name: string; name: string; birth_date: string; education: EducationLevel | null; role: WorkerRole | null; employed_since: string | null }>( // prettier-ignore
      `SELECT w.id, w.organization_id, o.kind, o.name AS org_name,
            coalesce(w.name_hangul || ' · ', '') || w.family_name || ' ' || w.given_name AS name,
            w.birth_date::text, w.education, w.role, w.employed_since::text
       FROM workers w JOIN organizations o ON o.id = w.organization_id WHERE w.id = ANY($1::uuid[])`,
      [ids],
    );
  for (const w of workers)
    out.set(w.id, { workerId: w.id, organizationId: w.organization_id, organizationKind: w.kind, organizationName: w.org_name, name: w.name, birthDate: w.birth_date, education: w.education, role: w.role, employedSince: w.employed_since, state: null, entries: [], family: [] }); // prettier-ignore
  // The site of the latest assignment; else the first site of the employer (or of an investor it works for).
  const states = await q.query<{ worker_id: string; state: string }>(
    `SELECT DISTINCT ON (a.worker_id) a.worker_id, s.state
       FROM assignments a JOIN projects p ON p.id = a.project_id JOIN sites s ON s.id = p.site_id
      WHERE a.worker_id = ANY($1::uuid[]) ORDER BY a.worker_id, a.start_date DESC`,
    [ids],
  );
  for (const s of states) out.get(s.worker_id)!.state = s.state.trim();
  const missing = [...out.values()].filter((r) => !r.state).map((r) => r.organizationId);
  if (missing.length > 0) {
    const orgSites = await q.query<{ organization_id: string; state: string }>(
      `SELECT DISTINCT ON (organization_id) organization_id, state FROM sites
        WHERE organization_id = ANY($1::uuid[]) ORDER BY organization_id, name`,
      [[...new Set(missing)]],
    );
    const byOrg = new Map(orgSites.map((s) => [s.organization_id, s.state.trim()]));
    for (const r of out.values()) if (!r.state) r.state = byOrg.get(r.organizationId) ?? null;
  }
  const entries =
    await q.query<{ worker_id: string; admitted_on: string; class_of_admission: string; admit_until: string | null; departed_on: string | null }>( // prettier-ignore
      `SELECT worker_id, admitted_on::text, class_of_admission, admit_until::text, departed_on::text
       FROM entries WHERE worker_id = ANY($1::uuid[]) AND dependent_id IS NULL`,
      [ids],
    );
  for (const e of entries)
    out.get(e.worker_id)?.entries.push({ admittedOn: e.admitted_on, classOfAdmission: e.class_of_admission, admitUntil: e.admit_until, departedOn: e.departed_on }); // prettier-ignore
  const family =
    await q.query<{ worker_id: string; relationship: 'spouse' | 'child'; name: string; birth_date: string }>( // prettier-ignore
      `SELECT worker_id, relationship, coalesce(name_hangul, given_name) AS name, birth_date::text
       FROM dependents WHERE worker_id = ANY($1::uuid[]) ORDER BY birth_date`,
      [ids],
    );
  for (const d of family) out.get(d.worker_id)?.family.push({ relationship: d.relationship, name: d.name, birthDate: d.birth_date }); // prettier-ignore
  return out;
}

interface PlanHead {
  worker_id: string;
  goal: PlanGoal;
  overrides: PlanOverrides;
  facts_hash: string;
  rules_hash: string;
  reason: SavedPlan['reason'];
  as_of: string;
  [key: string]: unknown;
}
interface PlanRow {
  worker_id: string;
  goal: PlanGoal;
  overrides: PlanOverrides;
  facts: PlanFacts;
  summary: PlanSummary;
  facts_hash: string;
  rules_hash: string;
  reason: SavedPlan['reason'];
  as_of: string;
  computed_at: Date | string;
  [key: string]: unknown;
}
/** What is kept of a plan: its first path's route, green card, filings and age-outs, and every path's outcome. */
function summaryOf(plan: Plan, facts: PlanFacts, data: SettlementData) {
  const top = plan.paths[0];
  const greenCard = top?.steps.find((s) => s.kind === 'green_card')?.from ?? null;
  const year = schoolYearOf(plan.asOf);
  const schoolAge = facts.family.children.filter((c) => {
    const g = gradeIn(data.school, facts.state, c.birthDate, year);
    return g !== 'pre' && g !== 'done';
  }).length;
  const kept: PlanSummary = {
    topRoute: top?.route ?? null,
    greenCardOn: greenCard,
    filings: (top?.filings ?? []).map((f) => ({ label: f.label, dueBy: f.dueBy, citation: f.citation })),
    ageOuts: (top?.children ?? []).filter((c) => c.protectedAsChild === false && c.ageOutOn).map((c) => ({ index: c.index, name: c.name, ageOutOn: c.ageOutOn! })), // prettier-ignore
    routes: plan.paths.map((p) => ({
      route: p.route,
      rank: p.rank,
      goalOn: p.goalOn,
      reachesGoal: p.reachesGoal,
    })),
  };
  return { kept, topRoute: kept.topRoute, greenCard, dependents: (facts.family.spouse ? 1 : 0) + facts.family.children.length, schoolAge }; // prettier-ignore
}

const upsertSql = `INSERT INTO settlement_plans (worker_id, organization_id, goal, overrides, facts, summary, facts_hash, rules_hash,
     reason, as_of, computed_at, top_route, green_card_on, state, dependents, school_age_children, updated_by)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
   ON CONFLICT (worker_id) DO UPDATE SET organization_id = EXCLUDED.organization_id, goal = EXCLUDED.goal,
     overrides = EXCLUDED.overrides, facts = EXCLUDED.facts, summary = EXCLUDED.summary, facts_hash = EXCLUDED.facts_hash,
     rules_hash = EXCLUDED.rules_hash, reason = EXCLUDED.reason, as_of = EXCLUDED.as_of,
     computed_at = EXCLUDED.computed_at, top_route = EXCLUDED.top_route, green_card_on = EXCLUDED.green_card_on,
     state = EXCLUDED.state, dependents = EXCLUDED.dependents, school_age_children = EXCLUDED.school_age_children,
     updated_by = coalesce(EXCLUDED.updated_by, settlement_plans.updated_by)`;

function compute(
  deps: PlannerDeps,
  records: WorkerRecords,
  goal: PlanGoal,
  overrides: PlanOverrides,
  asOf: string,
) {
  const facts = factsFrom(records, goal, overrides, asOf);
  const plan = planFamily(deps.parameters, dataOf(deps), facts);
  return { facts, plan, factsHash: factsHashOf(facts), summary: summaryOf(plan, facts, dataOf(deps)) };
}

async function save(
  q: Queryable,
  deps: PlannerDeps,
  r: WorkerRecords,
  goal: PlanGoal,
  overrides: PlanOverrides,
  reason: SavedPlan['reason'],
  userId: string | null,
) {
  const asOf = todayOf(deps);
  const c = compute(deps, r, goal, overrides, asOf);
  const computedAt = (deps.now ? deps.now() : new Date()).toISOString();
  await q.query(upsertSql, [r.workerId, r.organizationId, JSON.stringify(goal), JSON.stringify(overrides), JSON.stringify(c.facts), JSON.stringify(c.summary.kept), c.factsHash, rulesHashOf(deps), reason, asOf, computedAt, c.summary.topRoute, c.summary.greenCard, c.facts.state, c.summary.dependents, c.summary.schoolAge, userId]); // prettier-ignore
  return { workerId: r.workerId, goal, plan: c.plan, facts: c.facts, reason, computedAt, overrides };
}

/** Why a saved plan is stale, if it is: the rules, the facts, or only the day. */
function staleness(row: PlanRow, deps: PlannerDeps, facts: PlanFacts): SavedPlan['reason'] | 'day' | null {
  if (row.rules_hash !== rulesHashOf(deps)) return 'rules';
  if (row.facts_hash !== factsHashOf(facts)) return 'facts';
  if (row.as_of !== todayOf(deps)) return 'day';
  return null;
}

async function workerIdOf(ctx: ServiceContext, workerId: string | null) {
  return workerId === null ? await ownWorker(ctx) : await visibleWorker(ctx, workerId);
}

/**
 * A worker's saved plan, recomputed first when it is stale; `null` when no goal was chosen yet. `workerId` null:
 * the signed-in worker's own.
 */
export async function getPlan(ctx: ServiceContext, deps: PlannerDeps, workerId: string | null) {
  const worker = await workerIdOf(ctx, workerId);
  const [row] = await ctx.db.query<PlanRow>(
    `SELECT worker_id, goal, overrides, facts, summary, facts_hash, rules_hash, reason, as_of::text, computed_at
       FROM settlement_plans WHERE worker_id = $1`,
    [worker.id],
  );
  if (!row) return { plan: null, defaultGoal: { kind: 'permanent' } as PlanGoal };
  const records = (await loadRecords(ctx.db, [worker.id])).get(worker.id)!;
  // Records that lost what a plan needs since it was saved give the problem, not a stale plan.
  const facts = factsFrom(records, row.goal, row.overrides, todayOf(deps));
  const stale = staleness(row, deps, facts);
  if (stale) {
    const saved = await save(
      ctx.db,
      deps,
      records,
      row.goal,
      row.overrides,
      stale === 'day' ? row.reason : stale,
      null,
    );
    return { plan: saved, defaultGoal: row.goal };
  }
  // Unchanged: the timeline is computed again from the same facts (pure), the record stays as it is.
  const plan = planFamily(deps.parameters, dataOf(deps), facts);
  const saved: SavedPlan = { workerId: row.worker_id, goal: row.goal, plan, facts, reason: row.reason, computedAt: new Date(row.computed_at).toISOString(), overrides: row.overrides }; // prettier-ignore
  return { plan: saved, defaultGoal: row.goal };
}

/** Sets a worker's goal (and facts the records lack), computes and saves the plan, audited. */
export async function setPlanGoal(
  ctx: ServiceContext,
  deps: PlannerDeps,
  workerId: string,
  input: { goal: PlanGoal; overrides?: PlanOverrides },
) {
  const worker = await visibleWorker(ctx, workerId);
  // The plan is the employer's and counsel's to set (and the worker's own): an investor reads its partners'.
  const kind = ctx.actor.organizationKind;
  if (
    (kind === 'investor' || kind === 'partner') &&
    ctx.actor.role !== 'worker' &&
    worker.organizationId !== ctx.actor.organizationId
  )
    throw new ApiError('worker.not_employer');
  const records = (await loadRecords(ctx.db, [worker.id])).get(worker.id)!;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<{ goal: PlanGoal; overrides: PlanOverrides }>(
      'SELECT goal, overrides FROM settlement_plans WHERE worker_id = $1 FOR UPDATE',
      [worker.id],
    );
    const overrides = input.overrides ?? before?.overrides ?? {};
    const saved = await save(
      tx,
      deps,
      records,
      input.goal,
      overrides,
      before ? 'goal' : 'first',
      ctx.actor.userId,
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'settlement.goal',
      targetType: 'worker',
      targetId: worker.id,
      organizationId: worker.organizationId,
      before: before ?? null,
      after: { goal: input.goal, overrides, topRoute: saved.plan.paths[0]?.route ?? null },
    });
    return saved;
  });
}

/** Plans from facts given whole (what-if, `korus plan FILE`): nothing is read or saved. */
export function planFromFacts(deps: PlannerDeps, facts: PlanFacts): Plan {
  return planFamily(deps.parameters, dataOf(deps), facts);
}

export interface RecomputeResult {
  plans: number;
  recomputed: number;
  unchanged: number;
  failed: number;
  byReason: Record<string, number>;
}

/**
 * The nightly pass: every saved plan whose rules, facts or day changed is recomputed, in chunks (five reads and one
 * write per chunk). A plan whose records can no longer carry it (the profile emptied) is left as it was and
 * counted as failed. `onProgress` reports after each chunk.
 */
export async function recomputePlans(
  db: Queryable,
  deps: PlannerDeps,
  options: { chunk?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RecomputeResult> {
  const chunk = options.chunk ?? 2000;
  const asOf = todayOf(deps);
  const rulesHash = rulesHashOf(deps);
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement_plans');
  const result: RecomputeResult = { plans: n, recomputed: 0, unchanged: 0, failed: 0, byReason: {} };
  let after = '00000000-0000-0000-0000-000000000000';
  let done = 0;
  for (;;) {
    const rows = await db.query<PlanHead>(
      `SELECT worker_id, goal, overrides, facts_hash, rules_hash, reason, as_of::text, computed_at
         FROM settlement_plans WHERE worker_id > $1 ORDER BY worker_id LIMIT $2`,
      [after, chunk],
    );
    if (rows.length === 0) break;
    after = rows.at(-1)!.worker_id;
    const records = await loadRecords(
      db,
      rows.map((r) => r.worker_id),
    );
    const updates: unknown[][] = [];
    const computedAt = (deps.now ? deps.now() : new Date()).toISOString();
    for (const row of rows) {
      const r = records.get(row.worker_id);
      try {
        if (!r) throw new Error('worker gone');
        const c = compute(deps, r, row.goal, row.overrides, asOf);
        const reason = row.rules_hash !== rulesHash ? 'rules' : row.facts_hash !== c.factsHash ? 'facts' : row.as_of !== asOf ? 'day' : null; // prettier-ignore
        if (!reason) {
          result.unchanged++;
          continue;
        }
        result.byReason[reason] = (result.byReason[reason] ?? 0) + 1;
        updates.push([row.worker_id, JSON.stringify(c.facts), JSON.stringify(c.summary.kept), c.factsHash, reason === 'day' ? row.reason : reason, c.summary.topRoute, c.summary.greenCard, c.facts.state, c.summary.dependents, c.summary.schoolAge]); // prettier-ignore
      } catch {
        result.failed++;
      }
    }
    if (updates.length > 0) {
      await db.query(
        `UPDATE settlement_plans p SET facts = u.facts::jsonb, summary = u.summary::jsonb, facts_hash = u.facts_hash,
                rules_hash = $2, reason = u.reason, as_of = $3, computed_at = $4, top_route = u.top_route,
                green_card_on = u.green_card_on::date, state = u.state, dependents = u.dependents::int,
                school_age_children = u.school_age::int
           FROM (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(worker_id uuid, facts text, summary text, facts_hash text,
                 reason text, top_route text, green_card_on text, state text, dependents int, school_age int)) u
          WHERE p.worker_id = u.worker_id`,
        [JSON.stringify(updates.map(([worker_id, facts, summary, facts_hash, reason, top_route, green_card_on, state, dependents, school_age]) => ({ worker_id, facts, summary, facts_hash, reason, top_route, green_card_on, state, dependents, school_age }))), rulesHash, asOf, computedAt], // prettier-ignore
      );
      result.recomputed += updates.length;
    }
    done += rows.length;
    options.onProgress?.(done, n);
  }
  return result;
}
