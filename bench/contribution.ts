/**
 * `npm run bench:contribution` — the contribution ledger's indicators at scale on PostgreSQL (issue 20).
 *
 * 1. Loads the data of bench:pipeline (100,000 cases of 50,000 workers, 10 investors with 4 projects each, 30
 *    partner firms), a stay (entry) for each admitted worker, and the ledger: 1,000,000 training sessions given by
 *    those workers on their projects over two years, four quarters of jobs and a year of disbursements per firm
 *    and project.
 * 2. Times the indicators of every project (`projectSums` + `indicatorsOf`, what `GET /api/contribution` and the
 *    working group's report compute), after a warm-up, ROUNDS times, interleaved with the anchor: the bare
 *    `count(*)` of the sessions table (the cheapest full read of it). Target: under 500 ms for all projects.
 * 3. Also times the working group's report (sector and investor rows with suppression) and one investor's view.
 *    Writes bench/results/contribution.json.
 */
import { indicatorsOf } from '../src/core/contribution/indicators.js';
import { openDatabase } from '../src/server/db/open.js';
import { migrate } from '../src/server/db/migrate.js';
import { seedDemo } from '../src/server/seed/demo.js';
import { projectSums } from '../src/server/services/contribution/indicators.js';
import { contributionReport } from '../src/server/services/contribution/report.js';
import { uniqueSchemaName } from '../src/server/testing/databases.js';
import { benchDatabaseUrl, summary, writeResult } from './common.js';
import { load, log } from './pipeline-data.js';

const SESSIONS = Number(process.env.BENCH_CONTRIBUTION_SESSIONS ?? 1_000_000);
const ROUNDS = 7;

async function main() {
  const schema = uniqueSchemaName('contribution');
  const db = await openDatabase({ dataDir: '', databaseUrl: benchDatabaseUrl(), schema, poolSize: 8 });
  try {
    await migrate(db);
    await seedDemo(db);
    log('loading the pipeline data (bench:pipeline)…');
    const { investors } = await load(db);
    await db.query(
      `INSERT INTO entries (organization_id, worker_id, case_id, admitted_on, class_of_admission, admit_until,
                            duration_of_status, departed_on, source)
       SELECT DISTINCT ON (c.worker_id) c.organization_id, c.worker_id, c.id, (c.admitted_at AT TIME ZONE 'UTC')::date,
              c.category, (c.admitted_at AT TIME ZONE 'UTC')::date + 180, false,
              CASE WHEN c.admitted_at < now() - interval '6 months' THEN (c.admitted_at AT TIME ZONE 'UTC')::date + 90 END,
              'manual'
         FROM cases c WHERE c.status = 'admitted' AND c.dependent_id IS NULL
        ORDER BY c.worker_id, c.admitted_at DESC`,
    );
    log(`loading ${SESSIONS.toLocaleString('en-US')} training sessions…`);
    const t0 = performance.now();
    // Trainers: the workers of each project's cases; sessions spread over them and two years, in SQL.
    await db.query(
      `CREATE TEMP TABLE trainers AS
         SELECT row_number() OVER (ORDER BY c.id) AS n, c.organization_id, c.project_id, c.worker_id
           FROM (SELECT DISTINCT ON (worker_id, project_id) id, organization_id, project_id, worker_id FROM cases
                  WHERE dependent_id IS NULL ORDER BY worker_id, project_id, id) c`,
    );
    const [{ count }] = (await db.query<{ count: string }>('SELECT count(*) FROM trainers')) as [
      { count: string },
    ];
    for (let done = 0; done < SESSIONS; done += 100_000) {
      await db.query(
        `INSERT INTO training_sessions (organization_id, project_id, trainer_worker_id, held_on, hours, topic, place,
                                        trainees, certified, recorded_by_label, created_at)
         SELECT t.organization_id, t.project_id, t.worker_id, current_date - (g % 730)::int, 2 + (g % 13)::int * 0.5,
                'Line start-up', 'Plant', 3 + (g % 10)::int, (g % 4)::int, 'bench', now()
           FROM generate_series($1::bigint, $2::bigint) g JOIN trainers t ON t.n = 1 + (g % $3)`,
        [done, Math.min(SESSIONS, done + 100_000) - 1, Number(count)],
      );
      log(`  ${Math.min(SESSIONS, done + 100_000).toLocaleString('en-US')}`);
    }
    await db.query(
      `INSERT INTO contribution_jobs (organization_id, project_id, quarter, committed, created, source, recorded_by_label, created_at)
       SELECT DISTINCT t.organization_id, t.project_id, date_trunc('quarter', current_date - q * 91)::date, 200, 50 + q * 20,
              'bench', 'bench', now()
         FROM trainers t CROSS JOIN generate_series(1, 4) q ON CONFLICT DO NOTHING`,
    );
    await db.query(
      `INSERT INTO contribution_investments (organization_id, project_id, kind, amount_usd, on_date, source, recorded_by_label, created_at)
       SELECT DISTINCT t.organization_id, t.project_id, 'disbursed', 5000000, current_date - q * 91, 'bench', 'bench', now()
         FROM trainers t CROSS JOIN generate_series(1, 4) q`,
    );
    await db.query('ANALYZE');
    await db.query('VACUUM (ANALYZE) training_sessions');
    const loadMs = performance.now() - t0;
    const asOf = new Date().toISOString().slice(0, 10);
    const projects = await db.query<{ id: string }>('SELECT id FROM projects');
    const all = async () => {
      const sums = await projectSums(db, null, null, asOf);
      return [...sums.values()].map(indicatorsOf).length;
    };
    const oneInvestor = async () => (await projectSums(db, investors[0]!.projects, null, asOf)).size;
    const anchor = async () => db.query('SELECT count(*) FROM training_sessions');
    const report = async () => contributionReport(db, asOf, 5);
    // Warm-up, then interleaved rounds.
    await all();
    await anchor();
    const times: Record<string, number[]> = { allProjects: [], anchorCount: [], report: [], oneInvestor: [] };
    for (let r = 0; r < ROUNDS; r++)
      for (const [name, fn] of [
        ['allProjects', all],
        ['anchorCount', anchor],
        ['report', report],
        ['oneInvestor', oneInvestor],
      ] as const) {
        // prettier-ignore
        const t = performance.now();
        await fn();
        times[name]!.push(performance.now() - t);
      }
    const s = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summary(v)]));
    const allMedian = s.allProjects!.median;
    writeResult('contribution', {
      sessions: SESSIONS,
      projects: projects.length,
      loadSeconds: Math.round(loadMs / 100) / 10,
      indicatorsAllProjectsMs: s.allProjects,
      anchorCountMs: s.anchorCount,
      ratioToAnchor: Math.round((allMedian / s.anchorCount!.median) * 100) / 100,
      reportMs: s.report,
      oneInvestorMs: s.oneInvestor,
      targetMs: 500,
      met: allMedian < 500,
    });
  } finally {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

await main();
