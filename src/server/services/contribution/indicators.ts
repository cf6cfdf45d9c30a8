import type { z } from 'zod';
import type { contributionOverviewSchema } from '../../../contract/contribution.js';
import { addSums, emptySums, indicatorsOf, type ProjectSums } from '../../../core/contribution/indicators.js';
import type { Database } from '../../db/database.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import type { ServiceContext } from '../context.js';
import { organizationOf, projectScope } from './ledger.js';

/**
 * The sums behind the indicators (issue 20, item 2), per project, read in four grouped queries whatever the number
 * of projects or entries (bench:contribution: all projects over 1,000,000 training sessions); the training sums
 * come from the monthly rollup the sessions' triggers keep (migration 0020), plus asOf's month from the sessions. `onlyOrganization`
 * restricts every sum to one organization's own entries and workers (a partner's view); null counts everyone's on
 * the project (the investor's view, the working group's). Everything up to `asOf` inclusive.
 */
export async function projectSums(
  db: Database,
  projectIds: string[] | null,
  onlyOrganization: string | null,
  asOf: string,
): Promise<Map<string, ProjectSums>> {
  const params = [projectIds, onlyOrganization, asOf];
  const projectFilter = (alias: string) =>
    `($1::uuid[] IS NULL OR ${alias}.project_id = ANY ($1)) AND ($2::uuid IS NULL OR ${alias}.organization_id = $2)`;
  const [training, money, jobs, stays] = await Promise.all([
    db.query<{
      project_id: string;
      trainee_hours: string;
      trainees: string;
      certified: string;
      sessions: string;
    }>(
      // Whole months before asOf's from the rollup; asOf's own month from the sessions.
      `SELECT project_id, sum(th) AS trainee_hours, sum(tr) AS trainees, sum(ce) AS certified, sum(se) AS sessions
         FROM (SELECT t.project_id, t.trainee_hours AS th, t.trainees AS tr, t.certified AS ce, t.sessions AS se
                 FROM training_rollup t WHERE ${projectFilter('t')} AND t.month < date_trunc('month', $3::date)
               UNION ALL
               SELECT t.project_id, t.trainees * t.hours, t.trainees, t.certified, 1
                 FROM training_sessions t
                WHERE ${projectFilter('t')} AND t.held_on >= date_trunc('month', $3::date) AND t.held_on <= $3) x
        GROUP BY project_id`,
      params,
    ),
    db.query<{ project_id: string; disbursed: string; committed: string }>(
      `SELECT i.project_id, coalesce(sum(i.amount_usd) FILTER (WHERE i.kind = 'disbursed'), 0) AS disbursed,
              coalesce(sum(i.amount_usd) FILTER (WHERE i.kind = 'committed'), 0) AS committed
         FROM contribution_investments i WHERE ${projectFilter('i')} AND i.on_date <= $3 GROUP BY i.project_id`,
      params,
    ),
    // The latest quarter each firm recorded (headcount is a level, not a flow), summed over the firms.
    db.query<{ project_id: string; created: string; committed: string }>(
      `SELECT project_id, sum(created) AS created, sum(committed) AS committed FROM (
         SELECT DISTINCT ON (j.organization_id, j.project_id) j.project_id, j.created, j.committed
           FROM contribution_jobs j WHERE ${projectFilter('j')} AND j.quarter <= $3
          ORDER BY j.organization_id, j.project_id, j.quarter DESC) latest
        GROUP BY project_id`,
      params,
    ),
    // Visas used: the workers' cases on the project that reached admission; months on site from their stays.
    db.query<{ project_id: string; visas: string; days: string }>(
      `SELECT c.project_id, count(DISTINCT c.id) FILTER (WHERE c.admitted_at::date <= $3) AS visas,
              coalesce(sum(least(coalesce(e.departed_on, $3::date), $3::date) - e.admitted_on)
                FILTER (WHERE e.admitted_on <= $3), 0) AS days
         FROM cases c LEFT JOIN entries e ON e.case_id = c.id
        WHERE c.dependent_id IS NULL AND c.admitted_at IS NOT NULL AND ${projectFilter('c')}
        GROUP BY c.project_id`,
      params,
    ),
  ]);
  const out = new Map<string, ProjectSums>();
  const of = (id: string) => {
    let s = out.get(id);
    if (!s) out.set(id, (s = emptySums()));
    return s;
  };
  for (const r of training) {
    const s = of(r.project_id);
    s.traineeHours = Number(r.trainee_hours);
    s.trainees = Number(r.trainees);
    s.certified = Number(r.certified);
    s.sessions = Number(r.sessions);
  }
  for (const r of money) Object.assign(of(r.project_id), { disbursedUsd: Number(r.disbursed), committedUsd: Number(r.committed) }); // prettier-ignore
  for (const r of jobs) Object.assign(of(r.project_id), { jobsCreated: Number(r.created), jobsCommitted: Number(r.committed) }); // prettier-ignore
  for (const r of stays) Object.assign(of(r.project_id), { visasUsed: Number(r.visas), workerMonths: Number(r.days) / 30.4375 }); // prettier-ignore
  return out;
}

type Overview = z.infer<typeof contributionOverviewSchema>;

/**
 * The caller's projects with their sums and indicators: an investor's own projects (everyone's entries on them);
 * a partner's projects with its own entries and workers only.
 */
export async function contributionOverview(ctx: ServiceContext, asOf: string): Promise<Overview> {
  const scope = projectScope(ctx.actor, 'p', 1);
  const projects =
    await ctx.db.query<{ id: string; code: string; name: string; sector: string; investor: string; organization_id: string }>( // prettier-ignore
      `SELECT p.id, p.code, p.name, p.sector, o.name AS investor, p.organization_id
       FROM projects p JOIN organizations o ON o.id = p.organization_id WHERE ${scope.sql} ORDER BY p.name`,
      scope.params,
    );
  const own = isPlatformAdmin(ctx.actor) ? null : organizationOf(ctx.actor);
  const investorOf = projects.filter((p) => own === null || p.organization_id === own).map((p) => p.id);
  const partnerOf = projects.filter((p) => own !== null && p.organization_id !== own).map((p) => p.id);
  const [all, mine] = await Promise.all([
    investorOf.length ? projectSums(ctx.db, investorOf, null, asOf) : new Map<string, ProjectSums>(),
    partnerOf.length ? projectSums(ctx.db, partnerOf, own, asOf) : new Map<string, ProjectSums>(),
  ]);
  const rows = projects.map((p) => {
    const sums = all.get(p.id) ?? mine.get(p.id) ?? emptySums();
    return { projectId: p.id, code: p.code, name: p.name, sector: p.sector, investor: p.investor, sums, indicators: indicatorsOf(sums) }; // prettier-ignore
  });
  const total = addSums(rows.map((r) => r.sums));
  return { asOf, projects: rows, total: { sums: total, indicators: indicatorsOf(total) } };
}
