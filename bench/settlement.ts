/**
 * `npm run bench:settlement` — the settlement planner's nightly recomputation at scale on PostgreSQL (issue 19).
 *
 * 1. Loads the data of bench:pipeline (50,000 workers, 100,000 assignments on 40 projects at their sites), gives the
 *    workers varied roles, education and years with the employer, a stay (entry) for each admitted worker, a
 *    spouse for half of them and zero to three children, and a saved plan (goal: permanent residence for two in
 *    three, a stay of ten years for the rest) for every one of them.
 * 2. Times the nightly pass (`recomputePlans`) over all 50,000 when the rules changed (every plan recomputed and
 *    written: read the records in chunks, plan, write the summaries), interleaved ROUNDS times with its anchor:
 *    the same pass when nothing changed (the same reads and planning, no writes). Target: under 60 s.
 *    Writes bench/results/settlement.json.
 */
import { loadRules } from '../src/core/rules/index.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { recomputePlans } from '../src/server/services/settlement/plans.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { benchDatabaseUrl, summary, writeResult } from './common.js';
import { load, log } from './pipeline-data.js';

const ROUNDS = Number(process.env.BENCH_SETTLEMENT_ROUNDS ?? 3);

async function main() {
  const schema = uniqueSchemaName('settlement');
  const db = await openDatabase({ dataDir: '', databaseUrl: benchDatabaseUrl(), schema, poolSize: 8 });
  try {
    await migrate(db);
    await seedDemo(db);
    log('loading the pipeline data (bench:pipeline)…');
    await load(db);
    const t0 = performance.now();
    await db.query(
      `UPDATE workers w SET
         role = (ARRAY['technician','engineer','specialist','supervisor','manager','laborer','engineer'])[1 + (x.n % 7)],
         education = (ARRAY['vocational','bachelor','master','high_school','bachelor','associate'])[1 + (x.n % 6)],
         employed_since = DATE '2024-06-01' - ((x.n % 17) * 365)::int,
         birth_date = DATE '1970-01-01' + ((x.n * 37) % 9000)::int
         FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM workers) x WHERE x.id = w.id`,
    );
    await db.query(
      `INSERT INTO entries (organization_id, worker_id, case_id, admitted_on, class_of_admission, admit_until,
                            duration_of_status, departed_on, source)
       SELECT DISTINCT ON (c.worker_id) c.organization_id, c.worker_id, c.id, (c.admitted_at AT TIME ZONE 'UTC')::date,
              c.category, (c.admitted_at AT TIME ZONE 'UTC')::date + 700, false, NULL, 'manual'
         FROM cases c WHERE c.status = 'admitted' AND c.dependent_id IS NULL
        ORDER BY c.worker_id, c.admitted_at DESC`,
    );
    await db.query(
      `INSERT INTO dependents (worker_id, relationship, family_name, given_name, birth_date, nationality)
       SELECT w.id, 'spouse', w.family_name, 'SPOUSE', w.birth_date + 400, 'KR' FROM workers w
        WHERE hashtext(w.id::text) % 2 = 0`,
    );
    await db.query(
      `INSERT INTO dependents (worker_id, relationship, family_name, given_name, birth_date, nationality)
       SELECT w.id, 'child', w.family_name, 'CHILD' || k, current_date - (365 * (2 + (abs(hashtext(w.id::text || k)) % 19)))::int, 'KR'
         FROM workers w CROSS JOIN generate_series(1, 3) k
        WHERE k <= abs(hashtext(w.id::text)) % 4`,
    );
    const rules = loadRules();
    await db.query(
      `INSERT INTO settlement_plans (worker_id, organization_id, goal, facts, summary, facts_hash, rules_hash, reason,
                                     as_of, computed_at, state)
       SELECT w.id, w.organization_id,
              CASE WHEN hashtext(w.id::text) % 3 = 0 THEN '{"kind":"stay","years":10}'::jsonb ELSE '{"kind":"permanent"}'::jsonb END,
              '{}'::jsonb, '{}'::jsonb, '', '', 'first', current_date, now(), 'GA'
         FROM workers w`,
    );
    await db.query('ANALYZE');
    const loadMs = performance.now() - t0;
    const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM settlement_plans',
    );
    const [{ d } = { d: 0 }] = await db.query<{ d: number }>('SELECT count(*)::int AS d FROM dependents');
    log(
      `${n.toLocaleString('en-US')} plans, ${d.toLocaleString('en-US')} dependents; the first pass computes them all…`,
    );
    const first = await recomputePlans(db, { parameters: rules.parameters, rulesVersion: 'first' }, { onProgress: (done, total) => done % 10_000 === 0 && log(`  ${done}/${total}`) }); // prettier-ignore
    log(`first pass: ${JSON.stringify(first)}`);
    const times: Record<string, number[]> = { rulesChanged: [], unchanged: [] };
    let last = first;
    let unchanged = first;
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      last = await recomputePlans(db, { parameters: rules.parameters, rulesVersion: `round-${r}` });
      times.rulesChanged!.push(performance.now() - t);
      t = performance.now();
      unchanged = await recomputePlans(db, { parameters: rules.parameters, rulesVersion: `round-${r}` });
      times.unchanged!.push(performance.now() - t);
      log(`round ${r + 1}: rules changed ${Math.round(times.rulesChanged!.at(-1)!)} ms (${last.recomputed} written), unchanged ${Math.round(times.unchanged!.at(-1)!)} ms`); // prettier-ignore
    }
    const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)]));
    const routes = await db.query<{ top_route: string; n: number }>('SELECT top_route, count(*)::int AS n FROM settlement_plans GROUP BY 1 ORDER BY 2 DESC'); // prettier-ignore
    writeResult('settlement', {
      plans: n,
      dependents: d,
      loadSeconds: Math.round(loadMs / 100) / 10,
      recomputeAllMs: s.rulesChanged,
      anchorUnchangedMs: s.unchanged,
      ratioToAnchor: Math.round((s.rulesChanged!.median / s.unchanged!.median) * 100) / 100,
      perPlanMs: Math.round((s.rulesChanged!.median / n) * 1000) / 1000,
      recomputed: last.recomputed,
      failed: last.failed,
      unchangedPass: { recomputed: unchanged.recomputed, unchanged: unchanged.unchanged },
      firstRoutes: routes,
      targetMs: 60_000,
      met: s.rulesChanged!.median < 60_000,
    });
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

await main();
