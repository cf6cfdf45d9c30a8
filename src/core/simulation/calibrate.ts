import type { CalibrationSample, Distribution, Scenario } from '../../contract/simulation.js';
import { quantileOf } from './statistics.js';

/**
 * Calibration of a scenario from measured cases (issue 21, item 2). Pure: the server reads the cases of a period
 * (`services/simulations/calibration.ts`), this replaces the entered figures with what they show:
 * - a delay stage takes the measured durations of the workflow stages it `measures` (per case, summed over them,
 *   counted when the case left them inside the period), as an empirical distribution;
 * - every stage that `measures` takes their refusal rate (refused there, or in the 221(g) processing after them)
 *   and, where it holds administrative processing, the share sent to it and how long it lasted;
 * - the routes' shares follow the cases opened in the period, path by path (`measuredBy`); a route that opens on a
 *   date (a bill not yet law) keeps its share and the others share the rest.
 * Queues and batches keep their capacities (the levers): their measured waits are reported, not used; a queue that
 * says `measuredBy: embassy_desk_interviews` takes its weekly capacity from the desk's interview calendar. A figure
 * with fewer than `minSample` cases keeps the entered value, and every figure says how many cases are behind it.
 */
export interface MeasuredCase {
  workflowId: string;
  openedAt: number;
  /** The stage history in order: the stage entered (or the exit: refused, withdrawn, departed) and when (ms). */
  events: { stage: string; at: number }[];
}

export interface CalibrationPeriod {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
const EXITS = new Set(['refused', 'withdrawn', 'departed']);
const ADMIN = 'administrative_processing';
/** An empirical distribution keeps at most this many points (evenly spaced quantiles of the sample). */
export const MAX_POINTS = 1000;

interface StageMeasure {
  durations: number[];
  /** Cases that left the measured stages inside the period, to any stage or exit. */
  left: number;
  refused: number;
  toAdmin: number;
  adminDurations: number[];
}

/** What the cases of a period show for one set of workflow stages. */
export function measureStages(
  cases: MeasuredCase[],
  workflows: ReadonlySet<string>,
  stages: ReadonlySet<string>,
  period: CalibrationPeriod,
): StageMeasure {
  const from = Date.parse(`${period.from}T00:00:00Z`);
  const to = Date.parse(`${period.to}T00:00:00Z`) + DAY_MS;
  const inPeriod = (ms: number) => ms >= from && ms < to;
  const out: StageMeasure = { durations: [], left: 0, refused: 0, toAdmin: 0, adminDurations: [] };
  for (const c of cases) {
    if (!workflows.has(c.workflowId)) continue;
    const ev = c.events;
    let sum = 0;
    let last = -1;
    for (let i = 0; i < ev.length - 1; i++)
      if (stages.has(ev[i]!.stage)) {
        sum += ev[i + 1]!.at - ev[i]!.at;
        last = i;
      }
    if (last < 0) continue;
    const next = ev[last + 1]!;
    if (stages.has(next.stage) || !inPeriod(next.at)) continue;
    out.left += 1;
    if (next.stage === 'refused') {
      out.refused += 1;
      continue;
    }
    if (EXITS.has(next.stage)) continue;
    out.durations.push(sum / DAY_MS);
    if (next.stage === ADMIN && !stages.has(ADMIN)) {
      out.toAdmin += 1;
      const after = ev[last + 2];
      if (after?.stage === 'refused') out.refused += 1;
      else if (after && !EXITS.has(after.stage)) out.adminDurations.push((after.at - next.at) / DAY_MS);
    }
  }
  return out;
}

/** The entered figure a delay stands for on screen: its median in days. */
export function medianOf(d: Distribution): number {
  if ('fixed' in d) return d.fixed;
  if ('lognormal' in d) return d.lognormal.median;
  if ('exponential' in d) return d.exponential.mean * Math.LN2;
  return quantileOf(
    [...d.empirical].sort((a, b) => a - b),
    0.5,
  );
}

/** An empirical distribution of at most MAX_POINTS points: the sample itself, or its evenly spaced quantiles. */
export function empiricalOf(sample: number[]): Distribution {
  const sorted = [...sample].sort((a, b) => a - b).map((x) => Math.min(3650, Math.max(0, x)));
  if (sorted.length <= MAX_POINTS) return { empirical: sorted.map(round3) };
  return { empirical: Array.from({ length: MAX_POINTS }, (_, k) => round3(quantileOf(sorted, (k + 0.5) / MAX_POINTS))) }; // prettier-ignore
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The embassy desk's interview calendar over the period: places a week, from how many days. */
export interface DeskCapacity {
  perWeek: number;
  /** Weekdays in the period. */
  days: number;
  /** Of them, days whose capacity the desk set (the others are its default). */
  recorded: number;
}

export function calibrateScenario(
  base: Scenario,
  cases: MeasuredCase[],
  period: CalibrationPeriod,
  minSample = 5,
  desk?: DeskCapacity,
): Scenario {
  const s = structuredClone(base);
  const samples: CalibrationSample[] = [];
  const measuredBy = s.measuredBy ?? {};
  for (const [pathId, stages] of Object.entries(s.paths)) {
    const workflows = new Set(measuredBy[pathId] ?? []);
    if (workflows.size === 0) continue;
    for (const stage of stages) {
      if (!stage.measures) continue;
      const m = measureStages(cases, workflows, new Set(stage.measures), period);
      const sorted = [...m.durations].sort((a, b) => a - b);
      const median = sorted.length ? quantileOf(sorted, 0.5) : null;
      const p90 = sorted.length ? quantileOf(sorted, 0.9) : null;
      if (stage.delay) {
        const used = sorted.length >= minSample;
        samples.push({ path: pathId, stage: stage.id, what: 'delay', n: sorted.length, value: median, p90, used, entered: medianOf(stage.delay) }); // prettier-ignore
        if (used) stage.delay = empiricalOf(sorted);
      } else if (stage.queue || stage.batch) {
        // The wait for a queue or a batch is the capacity's doing: reported, and the capacity stays the lever.
        samples.push({ path: pathId, stage: stage.id, what: 'delay', n: sorted.length, value: median, p90, used: false, entered: null }); // prettier-ignore
      }
      const refusal = m.left ? m.refused / m.left : null;
      const refusalUsed = m.left >= minSample;
      samples.push({ path: pathId, stage: stage.id, what: 'refusalRate', n: m.left, value: refusal, used: refusalUsed, entered: stage.refusalRate }); // prettier-ignore
      if (refusalUsed) stage.refusalRate = refusal!;
      if (stage.adminProcessing || m.toAdmin > 0) {
        // Of the cases that went on from the measured stages (not refused there), the share held in 221(g).
        const passed = m.durations.length;
        const rate = passed ? m.toAdmin / passed : null;
        const rateUsed = passed >= minSample;
        const adminSorted = [...m.adminDurations].sort((a, b) => a - b);
        const delayUsed = adminSorted.length >= minSample;
        samples.push({ path: pathId, stage: stage.id, what: 'adminProcessingRate', n: passed, value: rate, used: rateUsed, entered: stage.adminProcessing?.rate ?? 0 }); // prettier-ignore
        samples.push({ path: pathId, stage: stage.id, what: 'adminProcessingDelay', n: adminSorted.length, value: adminSorted.length ? quantileOf(adminSorted, 0.5) : null, p90: adminSorted.length ? quantileOf(adminSorted, 0.9) : null, used: delayUsed, entered: stage.adminProcessing ? medianOf(stage.adminProcessing.delay) : null }); // prettier-ignore
        const delay = delayUsed ? empiricalOf(adminSorted) : stage.adminProcessing?.delay;
        if (delay && (rateUsed || stage.adminProcessing))
          stage.adminProcessing = { rate: rateUsed ? rate! : stage.adminProcessing!.rate, delay };
      }
    }
  }
  // The routes: shares among the paths measured, from the cases opened in the period.
  const from = Date.parse(`${period.from}T00:00:00Z`);
  const to = Date.parse(`${period.to}T00:00:00Z`) + DAY_MS;
  const counts = new Map<string, number>();
  const calibrable = s.routes.filter((r) => !r.availableFrom && measuredBy[r.path]);
  for (const r of calibrable) counts.set(r.path, 0);
  for (const c of cases) {
    if (c.openedAt < from || c.openedAt >= to) continue;
    for (const r of calibrable)
      if (measuredBy[r.path]!.includes(c.workflowId)) {
        counts.set(r.path, counts.get(r.path)! + 1);
        break;
      }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const pool = calibrable.reduce((sum, r) => sum + r.share, 0);
  const sharesUsed =
    total >= minSample && calibrable.length === s.routes.filter((r) => !r.availableFrom).length;
  for (const r of calibrable) {
    const value = total ? counts.get(r.path)! / total : null;
    samples.push({ path: r.path, stage: null, what: 'share', n: counts.get(r.path)!, value, used: sharesUsed, entered: r.share }); // prettier-ignore
  }
  if (sharesUsed) {
    s.routes = s.routes.map((r) =>
      counts.has(r.path) ? { ...r, share: (pool * counts.get(r.path)!) / total } : r,
    );
    // Rounding: the shares still sum to exactly 1.
    const sum = s.routes.reduce((a, r) => a + r.share, 0);
    const biggest = s.routes.filter((r) => counts.has(r.path)).reduce((a, r) => (r.share > a.share ? r : a));
    biggest.share += 1 - sum;
  }
  // Interview capacity from the desk's calendar (its default on days it did not set), for the queues that say so.
  for (const [id, res] of Object.entries(s.resources))
    if (res.kind === 'queue' && res.measuredBy === 'embassy_desk_interviews') {
      const used = desk !== undefined && desk.days >= minSample;
      samples.push({ path: id, stage: null, what: 'capacity', n: desk?.recorded ?? 0, value: desk ? desk.perWeek : null, used, entered: res.perWeek }); // prettier-ignore
      if (used) s.resources[id] = { ...res, perWeek: Math.round(desk.perWeek) };
    }
  const read = cases.filter((c) => c.events.some((e) => e.at >= from && e.at < to)).length;
  s.calibration = { from: period.from, to: period.to, cases: read, minSample, samples };
  return s;
}
