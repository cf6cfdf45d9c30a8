import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planFactsSchema, planGoalSchema, type Plan, type PlanGoal } from '../../contract/settlement.js';
import { labels } from '../../contract/labels.js';
import { loadRules } from '../../core/rules/index.js';
import { settlementData } from '../../core/settlement/data.js';
import { planFamily } from '../../core/settlement/plan.js';
import { factsFrom, loadRecords } from '../../server/services/settlement/plans.js';
import { ApiError } from '../../server/http/problem.js';
import { CliInputError, printJson } from '../output.js';
import { withDatabase } from '../database.js';

/**
 * `korus plan WORKER_ID|FILE [--json]` (issue 19): a worker's ranked settlement paths. A worker id reads the
 * worker's records from the database (the goal saved for them, or --goal); a file (YAML or JSON) gives the facts
 * whole, as `POST /api/settlement/plan` takes them. Nothing is saved.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseGoal(text: string | undefined): PlanGoal | undefined {
  if (text === undefined) return undefined;
  if (text === 'permanent') return { kind: 'permanent' };
  const m = /^stay:(\d{1,2})$/.exec(text);
  if (m) return planGoalSchema.parse({ kind: 'stay', years: Number(m[1]) });
  throw new CliInputError('--goal is "permanent" or "stay:N" (N years, 1 to 40)');
}

function factsFromFile(file: string, goal: PlanGoal | undefined) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliInputError(`cannot read ${file}: give a worker id (UUID) or a facts file (YAML or JSON)`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new CliInputError(`${file} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
  }
  if (goal && data && typeof data === 'object') (data as Record<string, unknown>).goal = goal;
  const checked = planFactsSchema.safeParse(data);
  if (!checked.success)
    throw new CliInputError(
      `${file} does not hold a worker's facts:\n` +
        checked.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'),
    );
  return checked.data;
}

export function describePlan(plan: Plan): string {
  const out: string[] = [];
  const goal = plan.goal.kind === 'permanent' ? 'permanent residence' : `a stay of ${plan.goal.years} years`;
  out.push(`Plan as of ${plan.asOf} for ${goal} (${plan.state}; Visa Bulletin ${plan.bulletin.month}, final action dates${plan.bulletin.verify ? ', verify' : ''})`); // prettier-ignore
  for (const p of plan.paths) {
    out.push('', `${p.rank}. ${p.title.en}${p.scenario ? '  [scenario: not law]' : ''}${p.reachesGoal ? '' : '  [does not reach the goal]'}`, `   ${p.summary.en}`); // prettier-ignore
    for (const s of p.segments)
      out.push(`   ${s.from} – ${s.to}  ${s.label.en}: ${s.limit.en}  [${s.citation}]`);
    for (const s of p.steps) out.push(`   ${s.from}${s.to !== s.from ? ` – ${s.to}` : ''}  ${s.label.en}${s.estimate ? ' (estimate)' : ''}  [${s.citation}${s.verify ? '; verify' : ''}]`); // prettier-ignore
    for (const f of p.filings) out.push(`   due ${f.dueBy}: ${f.label.en}  [${f.citation}]`);
    for (const s of p.spouse) out.push(`   spouse ${s.from} – ${s.to}: ${labels('spouseWork', s.work).en}`);
    for (const c of p.children) {
      out.push(`   child ${c.index + 1}${c.name ? ` (${c.name})` : ''}: ${c.explanation.en}`);
      if (c.school.length)
        out.push(`     school: ${c.school.map((s) => `${s.schoolYear} ${s.grade}`).join(', ')}`);
    }
    for (const r of p.risks) out.push(`   ! ${r.text.en}`);
  }
  if (plan.unavailable.length) out.push('', 'Not open to this worker:', ...plan.unavailable.map((u) => `   ${labels('planRoute', u.route).en}: ${u.reason.en}`)); // prettier-ignore
  out.push('', plan.notice.en);
  return out.join('\n');
}

export function registerPlanCommand(program: Command): void {
  program
    .command('plan')
    .description(
      "A worker's and family's ranked settlement paths as dated timelines (issue 19): from the database by worker id, or from a facts file",
    ) // prettier-ignore
    .argument(
      '<worker-or-file>',
      'a worker id (UUID) in the database, or a facts file (YAML or JSON; see docs/settlement.md)',
    )
    .option('--goal <goal>', 'permanent, or stay:N (default: the goal saved for the worker, else permanent)')
    .option('--as-of <date>', 'plan as of this date (default today, UTC)')
    .option('--json', 'print the plan as JSON')
    .option(
      '--data-dir <dir>',
      'with a worker id: the embedded database (default .korus; DATABASE_URL selects a server)',
    ) // prettier-ignore
    .action(
      async (target: string, options: { goal?: string; asOf?: string; json?: boolean; dataDir?: string }) => {
        const goal = parseGoal(options.goal);
        const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new CliInputError('--as-of is a date (YYYY-MM-DD)');
        const rules = loadRules();
        const facts = UUID.test(target)
          ? await withDatabase(options, 'plan', async (db) => {
              const records = (await loadRecords(db, [target])).get(target);
              if (!records) throw new CliInputError(`no worker ${target} in the database`);
              const [saved] = await db.query<{ goal: PlanGoal; overrides: Record<string, unknown> }>('SELECT goal, overrides FROM settlement_plans WHERE worker_id = $1', [target]); // prettier-ignore
              try {
                return factsFrom(
                  records,
                  goal ?? saved?.goal ?? { kind: 'permanent' },
                  saved?.overrides ?? {},
                  asOf,
                );
              } catch (error) {
                if (error instanceof ApiError) throw new CliInputError(error.message);
                throw error;
              }
            })
          : { ...factsFromFile(target, goal), ...(options.asOf ? { asOf } : {}) };
        const plan = planFamily(rules.parameters, settlementData(), facts);
        if (options.json) return printJson(plan);
        process.stdout.write(`${describePlan(plan)}\n`);
      },
    );
}
