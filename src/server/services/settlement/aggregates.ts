import type { PlanRoute, SettlementAggregates } from '../../../contract/settlement.js';
import type { Queryable } from '../../db/database.js';

/**
 * The working group's settlement figures (issue 19, item 5), from the saved plans' summary columns: families
 * planned, those whose first path leads to permanent residence, the first paths by route, children of school age
 * by state, expected green cards per year (workers and their dependents). No person is named; a count under the
 * console's small-cell threshold is suppressed (null), as everywhere on the console.
 */
export async function settlementAggregates(
  db: Queryable,
  asOf: string,
  minCell: number,
): Promise<SettlementAggregates> {
  const cell = (n: number) => (n > 0 && n < minCell ? null : n);
  const [totals] = await db.query<{ families: number; permanent: number }>(
    `SELECT count(*) FILTER (WHERE dependents > 0)::int AS families,
            count(*) FILTER (WHERE green_card_on IS NOT NULL)::int AS permanent
       FROM settlement_plans`,
  );
  const byRoute = await db.query<{ route: PlanRoute; n: number }>(
    `SELECT top_route AS route, count(*)::int AS n FROM settlement_plans WHERE top_route IS NOT NULL
      GROUP BY top_route ORDER BY top_route`,
  );
  const byState = await db.query<{ state: string; n: number }>(
    `SELECT state, sum(school_age_children)::int AS n FROM settlement_plans GROUP BY state HAVING sum(school_age_children) > 0
      ORDER BY state`,
  );
  const byYear = await db.query<{ year: number; workers: number; dependents: number }>(
    `SELECT extract(year FROM green_card_on)::int AS year, count(*)::int AS workers, sum(dependents)::int AS dependents
       FROM settlement_plans WHERE green_card_on IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
  return {
    asOf,
    smallCell: minCell,
    families: cell(totals?.families ?? 0),
    familiesOnPermanentPath: cell(totals?.permanent ?? 0),
    byRoute: byRoute.map((r) => ({ route: r.route, families: cell(r.n) })),
    childrenOfSchoolAgeByState: byState.map((r) => ({ state: r.state.trim(), children: cell(r.n) })),
    // A year's dependents are hidden with its workers (a small group of workers would be readable from them).
    expectedGreenCardsByYear: byYear.map((r) => ({ year: r.year, workers: cell(r.workers), dependents: cell(r.workers) === null ? null : cell(r.dependents) })), // prettier-ignore
  };
}
