import type { Overview } from '../../../contract/pipeline.js';
import type { ServiceContext } from '../context.js';
import { nowOf, type PipelineDeps } from './common.js';
import { assignmentScope, caseScope, workerScope } from './scope.js';
import { stageTitle } from '../../../core/workflows/index.js';
import { workflowById } from './workflow-bridge.js';

/**
 * The home page's figures (issue 13): open and late cases by category and stage, batches by status, who is on
 * the sites today and whose stay ends soon. A company sees its own scope with the people behind each figure; a
 * government user sees the counts of everyone, never a person.
 */
export async function overview(ctx: ServiceContext, deps: PipelineDeps): Promise<Overview> {
  const today = nowOf(deps).toISOString().slice(0, 10);
  const government = ctx.actor.organizationKind === 'government';
  const cases = government ? { sql: 'true', params: [] as unknown[] } : caseScope(ctx.actor, 'c', 2);
  const byCategory = await ctx.db.query<{
    category: string;
    open: number;
    admitted: number;
    departed: number;
    refused: number;
    withdrawn: number;
  }>(
    `SELECT c.category,
       count(*) FILTER (WHERE c.status = 'open')::int AS open,
       count(*) FILTER (WHERE c.status = 'admitted')::int AS admitted,
       count(*) FILTER (WHERE c.status = 'departed')::int AS departed,
       count(*) FILTER (WHERE c.status = 'refused')::int AS refused,
       count(*) FILTER (WHERE c.status = 'withdrawn')::int AS withdrawn
     FROM cases c WHERE $1::date IS NOT NULL AND ${cases.sql} GROUP BY c.category ORDER BY c.category`,
    [today, ...cases.params],
  );
  const stages = await ctx.db.query<{ workflow_id: string; stage: string; open: number; late: number }>(
    `SELECT c.workflow_id, c.stage, count(*)::int AS open, count(*) FILTER (WHERE c.target_date < $1::date)::int AS late
       FROM cases c WHERE c.status = 'open' AND ${cases.sql} GROUP BY 1, 2`,
    [today, ...cases.params],
  );
  const byStage = new Map<
    string,
    { stage: string; title: { en: string; ko: string }; open: number; late: number }
  >();
  for (const s of stages) {
    const title = stageTitle(workflowById(s.workflow_id), s.stage);
    const key = title.en;
    const entry = byStage.get(key) ?? { stage: s.stage, title, open: 0, late: 0 };
    entry.open += s.open;
    entry.late += s.late;
    byStage.set(key, entry);
  }
  const batchScopeSql = government
    ? 'true'
    : `(b.organization_id = $1 OR b.id IN (SELECT batch_id FROM cases WHERE organization_id = $1 AND batch_id IS NOT NULL))`;
  const batches =
    ctx.actor.role === 'worker' ||
    (!government && !ctx.actor.organizationId && ctx.actor.role !== 'platform_admin')
      ? []
      : await ctx.db.query<{ status: string; count: number }>(
          // The same status as batchStatus(): draft until submitted, then by how many of its cases are still open.
          `SELECT status, count(*)::int AS count FROM (
             SELECT CASE WHEN b.submitted_at IS NULL THEN 'draft'
                         WHEN k.total > 0 AND k.open = 0 THEN 'completed'
                         WHEN k.open < k.total THEN 'in_progress' ELSE 'submitted' END AS status
               FROM batches b
               CROSS JOIN LATERAL (SELECT count(*) AS total, count(*) FILTER (WHERE c.status = 'open') AS open
                                     FROM cases c WHERE c.batch_id = b.id) k
              WHERE ${ctx.actor.role === 'platform_admin' ? 'true' : batchScopeSql}) s
           GROUP BY 1 ORDER BY array_position(ARRAY['draft', 'submitted', 'in_progress', 'completed'], status)`,
          ctx.actor.role === 'platform_admin' || government ? [] : [ctx.actor.organizationId],
        );
  // Who is expected on each site today, who is there, and whose stay is ending or over.
  const assignments = government
    ? { sql: 'true', params: [] as unknown[] }
    : assignmentScope(ctx.actor, 'a', 2);
  const sites = await ctx.db.query<{
    site_id: string | null;
    site_name: string | null;
    state: string;
    expected: number;
    present: number;
    near: number;
    out: number;
  }>(
    `SELECT ${government ? 'NULL::uuid AS site_id, NULL::text AS site_name' : 's.id AS site_id, s.name AS site_name'},
       s.state, count(DISTINCT a.worker_id)::int AS expected,
       count(DISTINCT e.worker_id)::int AS present,
       count(DISTINCT e.worker_id) FILTER (WHERE e.admit_until >= $1::date AND e.admit_until <= $1::date + 30)::int AS near,
       count(DISTINCT e.worker_id) FILTER (WHERE e.admit_until < $1::date)::int AS out
     FROM assignments a JOIN projects p ON p.id = a.project_id JOIN sites s ON s.id = p.site_id
     LEFT JOIN entries e ON e.worker_id = a.worker_id AND e.dependent_id IS NULL AND e.admitted_on <= $1::date
       AND e.departed_on IS NULL
     WHERE a.start_date <= $1::date AND a.end_date >= $1::date AND ${assignments.sql}
     GROUP BY ${government ? 's.state ORDER BY s.state' : 's.id, s.name, s.state ORDER BY s.name'}`,
    [today, ...assignments.params],
  );
  let people: Overview['people'] = null;
  if (!government) {
    const late = await ctx.db.query<{
      id: string;
      name: string;
      workflow_id: string;
      stage: string;
      days_late: number;
      project_name: string;
    }>(
      `SELECT c.id, w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name AS name, c.workflow_id, c.stage,
              ($1::date - c.target_date)::int AS days_late, p.name AS project_name
         FROM cases c JOIN workers w ON w.id = c.worker_id JOIN projects p ON p.id = c.project_id
        WHERE c.status = 'open' AND c.target_date < $1::date AND ${cases.sql}
        ORDER BY c.target_date LIMIT 10`,
      [today, ...cases.params],
    );
    const arrivals = await ctx.db.query<{
      worker_id: string;
      name: string;
      project_name: string;
      start: string;
    }>(
      `SELECT a.worker_id, w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name AS name,
              p.name AS project_name, a.start_date::text AS start
         FROM assignments a JOIN workers w ON w.id = a.worker_id JOIN projects p ON p.id = a.project_id
        WHERE a.start_date BETWEEN $1::date AND $1::date + 7 AND ${assignments.sql}
        ORDER BY a.start_date, w.family_name LIMIT 10`,
      [today, ...assignments.params],
    );
    // Everyone of the caller's still recorded in the US, on a site today or not: a stay past its admit-until
    // date after the assignment ended is the one most easily forgotten.
    const workers = workerScope(ctx.actor, 'w', 2);
    const ending = await ctx.db.query<{ worker_id: string; name: string; until: string; days: number }>(
      `SELECT e.worker_id, w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name AS name,
              e.admit_until::text AS until, (e.admit_until - $1::date)::int AS days
         FROM entries e JOIN workers w ON w.id = e.worker_id
        WHERE e.departed_on IS NULL AND e.dependent_id IS NULL AND e.admitted_on <= $1::date
          AND e.admit_until <= $1::date + 30 AND ${workers.sql}
        ORDER BY e.admit_until, w.family_name LIMIT 20`,
      [today, ...workers.params],
    );
    people = {
      lateCases: late.map((c) => ({
        caseId: c.id,
        workerName: c.name,
        stage: stageTitle(workflowById(c.workflow_id), c.stage),
        daysLate: c.days_late,
        projectName: c.project_name,
      })),
      arrivals: arrivals.map((a) => ({
        workerId: a.worker_id,
        workerName: a.name,
        projectName: a.project_name,
        startDate: a.start,
      })),
      endingSoon: ending
        .map((e) => ({ workerId: e.worker_id, workerName: e.name, admitUntil: e.until, daysLeft: e.days }))
        .sort((a, b) => a.daysLeft - b.daysLeft),
    };
  }
  // Who is in the US today under the caller's scope (government: everyone), whether or not on a site today.
  const inUs = government ? { sql: 'true', params: [] as unknown[] } : workerScope(ctx.actor, 'w', 2);
  const [stays] = await ctx.db.query<{ present: number; near: number; out: number }>(
    `SELECT count(DISTINCT e.worker_id)::int AS present,
            count(DISTINCT e.worker_id) FILTER (WHERE e.admit_until >= $1::date AND e.admit_until <= $1::date + 30)::int AS near,
            count(DISTINCT e.worker_id) FILTER (WHERE e.admit_until < $1::date)::int AS out
       FROM entries e JOIN workers w ON w.id = e.worker_id
      WHERE e.dependent_id IS NULL AND e.departed_on IS NULL AND e.admitted_on <= $1::date AND ${inUs.sql}`,
    [today, ...inUs.params],
  );
  const presence = { present: stays!.present, nearAdmitUntil: stays!.near, outOfStatus: stays!.out };
  const open = byCategory.reduce((n, c) => n + c.open, 0);
  return {
    asOf: today,
    cases: {
      open,
      late: [...byStage.values()].reduce((n, s) => n + s.late, 0),
      byCategory,
      byStage: [...byStage.values()].sort((a, b) => b.open - a.open),
    },
    batches,
    presence,
    sites: sites.map((s) => ({
      siteId: s.site_id,
      siteName: s.site_name,
      state: s.state.trim(),
      expected: s.expected,
      present: s.present,
      nearAdmitUntil: s.near,
      outOfStatus: s.out,
    })),
    people,
  };
}
