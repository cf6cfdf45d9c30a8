import type { Command } from 'commander';
import { checkQueueParameters, runQueue, type QueueParameters } from '../../core/simulation/queue.js';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { scenarioSchema, type Scenario } from '../../contract/simulation.js';
import {
  compareScenarios,
  runScenario,
  type Comparison,
  type ScenarioResult,
} from '../../core/simulation/engine.js';
import type { Estimate } from '../../core/simulation/statistics.js';
import { CliInputError, printJson, progress } from '../output.js';
import { withDatabase } from '../database.js';
import { calibrateScenario } from '../../core/simulation/calibrate.js';
import type { Database } from '../../server/db/database.js';
import { recordAudit } from '../../server/audit/audit.js';
import { deskCapacity, measuredCases } from '../../server/services/simulations/calibration.js';

/** Reads and checks a scenario file; every problem is named with its path. */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliInputError(`cannot read the scenario file ${file}`);
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new CliInputError(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const checked = scenarioSchema.safeParse(data);
  if (!checked.success)
    throw new CliInputError(
      `${file} is not a valid scenario:\n` +
        checked.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n'),
    );
  return checked.data;
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const ci = (e: Estimate, fmt: (x: number) => string) =>
  `${fmt(e.mean)} (95% CI ${fmt(e.ci[0])} – ${fmt(e.ci[1])})`;

function describeResult(name: string, r: ScenarioResult): string {
  return [
    `${name}: ${r.replications} replications (seed ${r.seed})`,
    `  median lead time  ${ci(r.medianLeadDays, f1)} days`,
    `  90th percentile   ${ci(r.p90LeadDays, f1)} days`,
    `  under 30 days     ${ci(r.shareUnder30, pct)}`,
    `  admitted          ${f1(r.admitted.mean)}, refused ${f1(r.refused.mean)}, fees ${f1(r.feesUsd.mean)} USD`,
    ...Object.entries(r.timeToStaffDays).map(
      ([id, e]) => `  ${id} staffed after ${e.metIn ? `${ci(e, f1)} days` : 'more than the horizon'}${e.metIn && e.metIn < r.replications ? ` (in ${e.metIn} of ${r.replications})` : ''}`, // prettier-ignore
    ),
    ...Object.entries(r.utilization).map(([id, e]) => `  ${id} utilization ${ci(e, pct)}`),
    ...Object.entries(r.quotaExhaustedDay).flatMap(
      ([q, years]) =>
      Object.entries(years).map(([fy, e]) => e.exhaustedIn ? `  ${q} ${fy} numbers run out on day ${ci(e, f1)} (in ${e.exhaustedIn} of ${r.replications})` : `  ${q} ${fy} numbers never ran out`), // prettier-ignore
    ),
  ].join('\n');
}

function describeDifference(c: Comparison): string {
  const d = c.difference;
  return [
    'difference (second − first, paired replications)',
    `  median lead time  ${ci(d.medianLeadDays, f1)} days`,
    `  90th percentile   ${ci(d.p90LeadDays, f1)} days`,
    `  under 30 days     ${ci(d.shareUnder30, pct)}`,
  ].join('\n');
}

/** `FROM..TO` as two calendar dates, in order. */
export function parsePeriod(text: string): { from: string; to: string } {
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(text.trim());
  const real = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d); // prettier-ignore
  if (!m || !real(m[1]!) || !real(m[2]!))
    throw new CliInputError(`--calibrate takes a period FROM..TO of calendar dates (2026-01-01..2026-12-31), not "${text}"`); // prettier-ignore
  if (m[1]! > m[2]!) throw new CliInputError(`the period ${text} ends before it starts`);
  return { from: m[1]!, to: m[2]! };
}

/** Every case of the database (the CLI is the operator's), measured, audited as the CLI. */
async function calibrateFromDatabase(
  db: Database,
  s: Scenario,
  period: { from: string; to: string },
  minSample: number,
): Promise<Scenario> {
  // prettier-ignore
  const workflows = [...new Set(Object.values(s.measuredBy ?? {}).flat())];
  if (workflows.length === 0) throw new CliInputError(`${s.name.en}: the scenario names no workflow to measure (measuredBy)`); // prettier-ignore
  const cases = await measuredCases(db, { sql: 'true', params: [] }, workflows, period.from, period.to);
  const calibrated = calibrateScenario(
    s,
    cases,
    period,
    minSample,
    await deskCapacity(db, period.from, period.to),
  );
  await db.transaction((tx) =>
    recordAudit(
      tx,
      { actorUserId: null, actorLabel: 'cli:simulate --calibrate', organizationId: null, requestId: null },
      {
        action: 'simulation.calibrate',
        targetType: 'simulation',
        targetId: null,
        organizationId: null,
        details: { name: s.name.en, from: period.from, to: period.to, cases: calibrated.calibration!.cases },
      },
    ),
  );
  return calibrated;
}

const whatLabel: Record<string, string> = {
  delay: 'duration',
  refusalRate: 'refused',
  adminProcessingRate: '221(g) share',
  adminProcessingDelay: '221(g) duration',
  share: 'route share',
  capacity: 'places a week',
};

/** The figures calibration measured, each with its sample size and whether it replaced the entered one. */
export function describeCalibration(s: Scenario): string {
  const c = s.calibration;
  if (!c) return '';
  const value = (what: string, v: number | null | undefined) =>
    v === null || v === undefined
      ? '—'
      : what.endsWith('Rate') || what === 'share'
        ? pct(v)
        : what === 'capacity'
          ? f1(v)
          : `${f1(v)} d`;
  return [
    `${s.name.en}: calibrated from ${c.cases} cases between ${c.from} and ${c.to} (a figure needs ${c.minSample} cases)`,
    ...c.samples.map(
      (x) =>
        `  ${`${x.path}${x.stage ? `.${x.stage}` : ''}`.padEnd(28)} ${whatLabel[x.what]!.padEnd(16)} n = ${String(x.n).padStart(5)}  measured ${value(x.what, x.value).padStart(7)}${x.p90 !== undefined && x.p90 !== null ? ` (p90 ${f1(x.p90)} d)` : ''}  ${x.used ? `used (entered ${value(x.what, x.entered)})` : x.what === 'delay' && x.entered === null ? 'not used: the capacity decides' : 'not used: entered figure kept'}`, // prettier-ignore
    ),
  ].join('\n');
}

function number(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback !== undefined) return fallback;
    throw new CliInputError(`--${name} is required`);
  }
  const n = Number(value);
  if (!Number.isFinite(n)) throw new CliInputError(`--${name} must be a number, not "${value}"`);
  return n;
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * `korus simulate queue` (issue 21, item 5): an M/M/c queue simulated by the same core as the policy simulator, with
 * the closed forms beside it, so anyone can hold the simulator against Erlang C. Rates are per day.
 */
export function registerSimulateCommands(program: Command): void {
  const simulate = program
    .command('simulate')
    .description('The policy simulator (issue 21): a scenario (YAML), two side by side, or an M/M/c queue')
    // Its options are read before the subcommand's name, so `simulate queue --replications N` is the queue's.
    .enablePositionalOptions()
    .argument('[scenario]', 'a scenario file (YAML, see scenarios/ and docs/simulator.md)')
    .option('--compare <other>', 'a second scenario: both side by side, with the difference and its interval')
    .option('--replications <r>', 'independent replications', '30')
    .option('--seed <s>', 'seed (the same seed gives the same result)', '1')
    .option('--json', 'print the result as JSON')
    .option(
      '--calibrate <period>',
      'calibrate from the cases of a period (FROM..TO, ISO dates) in the database: measured durations and rates replace the entered figures',
    )
    .option('--min-sample <n>', 'with --calibrate: fewer cases than this keep the entered figure', '5')
    .option(
      '--data-dir <dir>',
      'with --calibrate: the embedded database (default .korus; DATABASE_URL selects a server)',
    ) // prettier-ignore
    .action(
      async (
        file: string | undefined,
        options: { compare?: string; replications: string; seed: string; json?: boolean; calibrate?: string; minSample: string; dataDir?: string }, // prettier-ignore
      ) => {
        // prettier-ignore
        if (!file) throw new CliInputError('name a scenario file (korus simulate scenarios/today.yaml), or use korus simulate queue'); // prettier-ignore
        const replications = number('replications', options.replications);
        const seed = number('seed', options.seed);
        if (!Number.isInteger(replications) || replications < 1 || replications > 10_000)
          throw new CliInputError('replications must be a whole number from 1 to 10,000');
        if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new CliInputError('seed must be a whole number from 0 to 4294967295'); // prettier-ignore
        let a = loadScenario(file);
        let other = options.compare ? loadScenario(options.compare) : undefined;
        if (options.calibrate) {
          const period = parsePeriod(options.calibrate);
          const minSample = number('min-sample', options.minSample);
          if (!Number.isInteger(minSample) || minSample < 1) throw new CliInputError('min-sample must be a whole number from 1'); // prettier-ignore
          [a, other] = await withDatabase(options, 'simulate --calibrate', async (db) => {
            const out: (Scenario | undefined)[] = [];
            for (const s of [a, other]) out.push(s ? await calibrateFromDatabase(db, s, period, minSample) : undefined); // prettier-ignore
            return out as [Scenario, Scenario | undefined];
          });
          if (!options.json) process.stdout.write(`${describeCalibration(a)}\n\n`);
        }
        const bar = progress('simulate');
        const onProgress = (done: number, total: number) => bar.update(done, total);
        if (other) {
          const b = other;
          const result = compareScenarios(a, b, { replications, seed, onProgress });
          bar.stop();
          if (options.json) return printJson(options.calibrate ? { ...result, calibration: { a: a.calibration, b: b.calibration } } : result); // prettier-ignore
          process.stdout.write(`${describeResult(a.name.en, result.a)}\n\n${describeResult(b.name.en, result.b)}\n\n${describeDifference(result)}\n`); // prettier-ignore
          return;
        }
        const result = runScenario(a, { replications, seed, onProgress });
        bar.stop();
        if (options.json)
          return printJson(options.calibrate ? { ...result, calibration: a.calibration } : result);
        process.stdout.write(`${describeResult(a.name.en, result)}\n`);
      },
    );
  simulate
    .command('queue')
    .description(
      'Simulate an M/M/c queue (Poisson arrivals, exponential service, c servers, first come first served) and print the mean wait with its 95% interval beside the Erlang C formula',
    )
    .option('--arrival-rate <lambda>', 'arrivals per day (λ)')
    .option('--service-rate <mu>', 'services per day per server (μ)')
    .option('--servers <c>', 'servers (c)', '1')
    .option('--horizon-days <d>', 'days simulated per replication', '3650')
    .option('--warmup-days <w>', 'days discarded at the start (default: a tenth of the horizon)')
    .option('--replications <r>', 'independent replications', '30')
    .option('--seed <s>', 'seed (the same seed gives the same result)', '1')
    .option('--json', 'print the result as JSON')
    .action(
      (options: {
        arrivalRate?: string;
        serviceRate?: string;
        servers: string;
        horizonDays: string;
        warmupDays?: string;
        replications: string;
        seed: string;
        json?: boolean;
      }) => {
        const p: QueueParameters = {
          arrivalRate: number('arrival-rate', options.arrivalRate),
          serviceRate: number('service-rate', options.serviceRate),
          servers: number('servers', options.servers),
          horizonDays: number('horizon-days', options.horizonDays),
          ...(options.warmupDays !== undefined
            ? { warmupDays: number('warmup-days', options.warmupDays) }
            : {}),
        };
        const replications = number('replications', options.replications);
        const seed = number('seed', options.seed);
        const errors = checkQueueParameters(p);
        if (!Number.isInteger(replications) || replications < 1 || replications > 100_000)
          errors.push('replications must be a whole number from 1 to 100,000');
        if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) errors.push('seed must be a whole number from 0 to 4294967295'); // prettier-ignore
        if (errors.length) throw new CliInputError(errors.join('; '));
        const bar = progress('simulate');
        const result = runQueue(p, {
          replications,
          seed,
          onProgress: (done) => bar.update(done, replications),
        });
        bar.stop();
        const out = {
          meanWaitDays: round(result.meanWaitDays),
          meanWaitDaysCI: result.meanWaitDaysCI.map((x) => round(x)) as [number, number],
          utilization: round(result.utilization),
          utilizationCI: result.utilizationCI.map((x) => round(x)) as [number, number],
          meanSystemDays: round(result.meanSystemDays),
          meanQueueLength: round(result.meanQueueLength),
          replications: result.replications,
          customers: result.customers,
          parameters: { ...p, warmupDays: p.warmupDays ?? p.horizonDays / 10, replications, seed },
          theory: result.theory
            ? Object.fromEntries(Object.entries(result.theory).map(([k, v]) => [k, round(v)]))
            : null,
        };
        if (options.json) return printJson(out);
        const lines = [
          `M/M/${p.servers}: λ = ${p.arrivalRate}/day, μ = ${p.serviceRate}/day per server, ${replications} replications of ${p.horizonDays} days (seed ${seed})`,
          `mean wait      ${out.meanWaitDays} days  (95% CI ${out.meanWaitDaysCI[0]} – ${out.meanWaitDaysCI[1]})` +
            (out.theory ? `   Erlang C: ${out.theory.meanWaitDays}` : ''),
          `utilization    ${out.utilization}  (95% CI ${out.utilizationCI[0]} – ${out.utilizationCI[1]})` +
            (out.theory ? `   ρ = λ/(cμ): ${out.theory.utilization}` : ''),
          `mean in queue  ${out.meanQueueLength}` +
            (out.theory ? `   Lq = λWq: ${out.theory.meanQueueLength}` : ''),
          out.theory
            ? ''
            : 'ρ ≥ 1: the queue is not stable and grows without bound; the figures depend on the horizon.',
        ];
        process.stdout.write(lines.filter(Boolean).join('\n') + '\n');
      },
    );
}
