import type { Distribution, Scenario } from '../../contract/simulation.js';
import { random, streamSeed, type Random } from './random.js';
import { estimate, quantileOf, type Estimate } from './statistics.js';

/**
 * The policy simulator's discrete-event core (issue 21, item 1). Pure and seeded: the same scenario and seed give
 * the same result. Workers arrive as projects need them (evenly over a ramp-up window, or at a Poisson rate), pick
 * a route by its share among those open on their need date, and go through their path's stages in time order:
 * - a delay draws from its distribution (fixed, lognormal by median and 90th percentile, exponential, empirical);
 * - a queue (interviews at a post) books the earliest weekday with a free slot (its weekly capacity spread over
 *   Monday to Friday of the real calendar), first come first served;
 * - a batch (the embassy desk) waits for the next batch with room (size N, sent every K days);
 * - a calendar stage waits for the next occurrence of a month and day (the H-1B registration closing in March, the
 *   earliest admission before a 1 October start);
 * - a quota takes a number of the fiscal year (1 October to 30 September), SME workers from the SME set-aside
 *   first; when the year's numbers are gone, or before the law's date, the worker waits for the next year, in order;
 * then a share is refused, a share held in 221(g) for a drawn delay. Lead time runs from the need date to admission.
 * Every worker is followed to the end (past the horizon if queues run long); only needs inside the horizon arrive.
 */
export interface Replication {
  leadTimes: number[];
  admitted: number;
  refused: number;
  medianLeadDays: number;
  p90LeadDays: number;
  meanLeadDays: number;
  shareUnder30: number;
  /** Per project: days from the start until its need was met (all its workers not refused admitted), or null. */
  timeToStaffDays: Record<string, number | null>;
  /** Per quota and fiscal year (named by the year it ends): the day of the horizon its numbers ran out, or null. */
  quotaExhaustedDay: Record<string, Record<string, number | null>>;
  /** Per queue resource: booked slots over the capacity inside the horizon. */
  utilization: Record<string, number>;
  /** Per resource: workers waiting for it, sampled each week (index = week of the horizon). */
  waitingByWeek: Record<string, number[]>;
  feesUsd: number;
  /** Per quota and fiscal year: numbers issued (general and SME set-aside), to check the caps. */
  quotaIssued: Record<string, Record<string, { general: number; sme: number }>>;
  /** Per queue resource: the slots booked, by day of the scenario (for the capacity checks). */
  bookedByDay: Record<string, Record<number, number>>;
}

const DAY_MS = 86_400_000;

function dayOf(start: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS);
}

function draw(d: Distribution, rnd: Random): number {
  if ('fixed' in d) return d.fixed;
  if ('lognormal' in d) return rnd.lognormal(d.lognormal.median, d.lognormal.p90);
  if ('exponential' in d) return rnd.exponential(1 / d.exponential.mean);
  return d.empirical[Math.floor(rnd.uniform() * d.empirical.length)]!;
}

/** A min-heap of events by (time, order). */
class Events {
  private time: number[] = [];
  private order: number[] = [];
  private who: number[] = [];
  get size() {
    return this.time.length;
  }
  push(t: number, order: number, worker: number) {
    this.time.push(t);
    this.order.push(order);
    this.who.push(worker);
    let i = this.time.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): { t: number; order: number; worker: number } {
    const top = { t: this.time[0]!, order: this.order[0]!, worker: this.who[0]! };
    const last = this.time.length - 1;
    this.swap(0, last);
    this.time.pop();
    this.order.pop();
    this.who.pop();
    let i = 0;
    const n = this.time.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
  private less(a: number, b: number) {
    return (
      this.time[a]! < this.time[b]! || (this.time[a] === this.time[b] && this.order[a]! < this.order[b]!)
    );
  }
  private swap(a: number, b: number) {
    const t = this.time[a]!;
    this.time[a] = this.time[b]!;
    this.time[b] = t;
    const o = this.order[a]!;
    this.order[a] = this.order[b]!;
    this.order[b] = o;
    const w = this.who[a]!;
    this.who[a] = this.who[b]!;
    this.who[b] = w;
  }
}

/** The first day ≥ t (from the start) that falls on a month and day (MM-DD; 29 February only in leap years). */
export function nextOccurrence(start: string, monthDay: string, t: number): number {
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const day = Math.ceil(t);
  let year = new Date(startMs + day * DAY_MS).getUTCFullYear();
  const [m, d] = monthDay.split('-').map(Number) as [number, number];
  for (;;) {
    const ms = Date.UTC(year, m - 1, d);
    const at = Math.round((ms - startMs) / DAY_MS);
    if (new Date(ms).getUTCDate() === d && at >= day) return Math.max(t, at);
    year += 1;
  }
}

/** The day (from the start) on which the fiscal year containing `day` ends + 1, and the year's name. */
function fiscalYearOf(start: string, day: number): { name: string; nextStart: number } {
  const date = new Date(Date.parse(`${start}T00:00:00Z`) + Math.floor(day) * DAY_MS);
  const y = date.getUTCMonth() >= 9 ? date.getUTCFullYear() + 1 : date.getUTCFullYear();
  return { name: `FY${y}`, nextStart: dayOf(start, `${y}-10-01`) };
}

export function simulateScenario(s: Scenario, seed: number): Replication {
  const rnd = random(seed);
  const horizon = s.horizonDays;
  // --- the workers and their need days
  const need: number[] = [];
  const projectOf: number[] = [];
  s.projects.forEach((p, k) => {
    if (p.workers !== undefined) {
      const from = dayOf(s.start, p.from!);
      const to = dayOf(s.start, p.to!);
      for (let i = 0; i < p.workers; i++) {
        const day = from + ((to - from) * (i + 0.5)) / p.workers;
        if (day >= 0 && day < horizon) {
          need.push(day);
          projectOf.push(k);
        }
      }
    } else {
      let t = rnd.exponential(p.ratePerDay!);
      while (t < horizon) {
        need.push(t);
        projectOf.push(k);
        t += rnd.exponential(p.ratePerDay!);
      }
    }
  });
  const n = need.length;
  const routes = s.routes.map((r) => ({
    ...r,
    from: r.availableFrom ? dayOf(s.start, r.availableFrom) : -Infinity,
  }));
  const pathOf: string[] = new Array(n);
  for (let w = 0; w < n; w++) {
    let total = 0;
    for (const r of routes) if (r.from <= need[w]!) total += r.share;
    let u = rnd.uniform() * total;
    let chosen = '';
    for (const r of routes) {
      if (r.from > need[w]!) continue;
      chosen = r.path;
      u -= r.share;
      if (u < 0) break;
    }
    pathOf[w] = chosen;
  }
  // --- resources
  const slotsUsed: Record<string, Map<number, number>> = {};
  const cursor: Record<string, number> = {};
  const batchFill: Record<string, Map<number, number>> = {};
  const waits: Record<string, { from: number; to: number }[]> = {};
  for (const id of Object.keys(s.resources)) {
    slotsUsed[id] = new Map();
    batchFill[id] = new Map();
    waits[id] = [];
  }
  // perWeek spread over the five weekdays, the remainder to the first ones.
  const startWeekday = new Date(`${s.start}T00:00:00Z`).getUTCDay();
  const capacityOn = (perWeek: number, day: number) => slotsOn(startWeekday, perWeek, day);
  const quotaLeft: Record<string, Map<string, { general: number; sme: number }>> = {};
  const quotaIssued: Replication['quotaIssued'] = {};
  const exhausted: Record<string, Record<string, number | null>> = {};
  for (const id of Object.keys(s.quotas)) {
    quotaLeft[id] = new Map();
    exhausted[id] = {};
  }
  // --- the run
  const stageOf = new Int32Array(n);
  const firstOrder = new Float64Array(n);
  const events = new Events();
  for (let w = 0; w < n; w++) {
    firstOrder[w] = w;
    events.push(need[w]!, w, w);
  }
  const leadTimes: number[] = [];
  const admittedBy: number[][] = s.projects.map(() => []);
  let refused = 0;
  let fees = 0;
  const limit = horizon * 10;
  while (events.size > 0) {
    const { t, worker: w } = events.pop();
    if (t > limit) break; // a queue that never clears (no capacity): the rest are not admitted
    const stages = s.paths[pathOf[w]!]!;
    const k = stageOf[w]!;
    if (k >= stages.length) continue;
    const stage = stages[k]!;
    let next = t;
    if (stage.delay) next = t + draw(stage.delay, rnd);
    else if (stage.queue) {
      const res = s.resources[stage.queue]! as { kind: 'queue'; perWeek: number };
      const used = slotsUsed[stage.queue]!;
      // Requests come in time order (events are), so the days before the cursor are full: start there.
      let day = Math.max(Math.ceil(t), cursor[stage.queue] ?? 0);
      if (res.perWeek === 0) day = Infinity;
      else while (day <= limit && (used.get(day) ?? 0) >= capacityOn(res.perWeek, day)) day += 1;
      if (!Number.isFinite(day) || day > limit) continue;
      used.set(day, (used.get(day) ?? 0) + 1);
      cursor[stage.queue] = day;
      waits[stage.queue]!.push({ from: t, to: day });
      next = day;
    } else if (stage.batch) {
      const res = s.resources[stage.batch]! as { kind: 'batch'; size: number; everyDays: number };
      const fill = batchFill[stage.batch]!;
      let day = Math.max(
        res.everyDays,
        Math.ceil(t / res.everyDays) * res.everyDays,
        cursor[stage.batch] ?? 0,
      );
      while ((fill.get(day) ?? 0) >= res.size) day += res.everyDays;
      cursor[stage.batch] = day;
      fill.set(day, (fill.get(day) ?? 0) + 1);
      waits[stage.batch]!.push({ from: t, to: day });
      next = day;
    } else if (stage.calendar) {
      next = nextOccurrence(s.start, stage.calendar, t);
    } else if (stage.quota) {
      const q = s.quotas[stage.quota]!;
      const opens = q.availableFrom ? dayOf(s.start, q.availableFrom) : -Infinity;
      if (t < opens) {
        events.push(opens, firstOrder[w]!, w);
        continue;
      }
      const fy = fiscalYearOf(s.start, t);
      const left = quotaLeft[stage.quota]!;
      if (!left.has(fy.name)) {
        const sme = Math.round(q.perFiscalYear * q.smeShare);
        left.set(fy.name, { general: q.perFiscalYear - sme, sme });
      }
      const year = left.get(fy.name)!;
      const isSme = s.projects[projectOf[w]!]!.sme;
      const issued = ((quotaIssued[stage.quota] ??= {})[fy.name] ??= { general: 0, sme: 0 });
      if (isSme && year.sme > 0) {
        year.sme -= 1;
        issued.sme += 1;
      } else if (year.general > 0) {
        year.general -= 1;
        issued.general += 1;
      } else {
        // No number this year: the waitlist, in the order the workers first asked.
        events.push(Math.max(fy.nextStart, t + 1e-9), firstOrder[w]!, w);
        continue;
      }
      if (
        year.general === 0 &&
        (year.sme === 0 || q.smeShare === 0) &&
        exhausted[stage.quota]![fy.name] === undefined
      )
        exhausted[stage.quota]![fy.name] = t < horizon ? Math.floor(t) : null;
    }
    fees += stage.feeUsd;
    if (stage.refusalRate > 0 && rnd.uniform() < stage.refusalRate) {
      refused += 1;
      continue;
    }
    if (stage.adminProcessing && rnd.uniform() < stage.adminProcessing.rate)
      next += draw(stage.adminProcessing.delay, rnd);
    stageOf[w] = k + 1;
    if (k + 1 >= stages.length) {
      leadTimes.push(next - need[w]!);
      admittedBy[projectOf[w]!]!.push(next);
    } else events.push(next, firstOrder[w]!, w);
  }
  leadTimes.sort((a, b) => a - b);
  const timeToStaffDays: Record<string, number | null> = {};
  s.projects.forEach((p, k) => {
    // Met when every worker of the need who was not refused is admitted (the refused are not replaced), within
    // the horizon; a need given as a rate has no end.
    const done = admittedBy[k]!;
    let latest = -Infinity;
    for (const d of done) if (d > latest) latest = d;
    const last = done.length ? Math.ceil(latest) : null;
    timeToStaffDays[p.id] = p.workers !== undefined && last !== null && last <= horizon ? last : null;
  });
  const utilization: Record<string, number> = {};
  const waitingByWeek: Record<string, number[]> = {};
  for (const [id, res] of Object.entries(s.resources)) {
    const weeks = Math.ceil(horizon / 7);
    const series = new Array<number>(weeks).fill(0);
    for (const { from, to } of waits[id]!)
      for (let wk = Math.max(0, Math.ceil(from / 7)); wk < weeks && wk * 7 < to; wk++) series[wk]! += 1;
    waitingByWeek[id] = series;
    if (res.kind === 'queue') {
      let capacity = 0;
      let used = 0;
      for (let d = 0; d < horizon; d++) {
        capacity += capacityOn(res.perWeek, d);
        used += slotsUsed[id]!.get(d) ?? 0;
      }
      utilization[id] = capacity ? used / capacity : 0;
    } else {
      let sent = 0;
      let room = 0;
      for (let d = res.everyDays; d < horizon; d += res.everyDays) {
        sent += batchFill[id]!.get(d) ?? 0;
        room += res.size;
      }
      utilization[id] = room ? sent / room : 0;
    }
  }
  const admitted = leadTimes.length;
  return {
    leadTimes,
    admitted,
    refused,
    medianLeadDays: quantileOf(leadTimes, 0.5),
    p90LeadDays: quantileOf(leadTimes, 0.9),
    meanLeadDays: admitted ? leadTimes.reduce((a, b) => a + b, 0) / admitted : NaN,
    shareUnder30: admitted ? leadTimes.filter((x) => x <= 30).length / admitted : NaN,
    timeToStaffDays,
    quotaExhaustedDay: exhausted,
    utilization,
    waitingByWeek,
    feesUsd: fees,
    quotaIssued,
    bookedByDay: Object.fromEntries(
      Object.entries(slotsUsed)
        .filter(([id]) => s.resources[id]!.kind === 'queue')
        .map(([id, used]) => [id, Object.fromEntries(used)]),
    ),
  };
}

/** Interview slots a queue resource offers on a day of the scenario (its weekly capacity over Monday–Friday). */
export function slotsOnDay(s: Scenario, perWeek: number, day: number): number {
  return slotsOn(new Date(`${s.start}T00:00:00Z`).getUTCDay(), perWeek, day);
}

function slotsOn(startWeekday: number, perWeek: number, day: number): number {
  const weekday = (startWeekday + day) % 7;
  if (weekday === 0 || weekday === 6) return 0;
  return Math.floor(perWeek / 5) + (weekday - 1 < perWeek % 5 ? 1 : 0);
}

export interface ScenarioResult {
  replications: number;
  seed: number;
  medianLeadDays: Estimate;
  p90LeadDays: Estimate;
  meanLeadDays: Estimate;
  shareUnder30: Estimate;
  admitted: Estimate;
  refused: Estimate;
  feesUsd: Estimate;
  timeToStaffDays: Record<string, Estimate & { metIn: number }>;
  utilization: Record<string, Estimate>;
  /** Mean over replications, week by week. */
  waitingByWeek: Record<string, number[]>;
  quotaExhaustedDay: Record<string, Record<string, Estimate & { exhaustedIn: number }>>;
  /** Lead times of all replications, in 5-day bins up to 365 days (for the distribution chart). */
  leadHistogram: { fromDays: number; share: number }[];
}

export function summarize(runs: Replication[], seed: number): ScenarioResult {
  const pick = (f: (r: Replication) => number) => estimate(runs.map(f).filter((x) => Number.isFinite(x)));
  const timeToStaffDays: ScenarioResult['timeToStaffDays'] = {};
  for (const id of Object.keys(runs[0]!.timeToStaffDays)) {
    const met = runs
      .map((r) => r.timeToStaffDays[id])
      .filter((x): x is number => x !== null && x !== undefined);
    timeToStaffDays[id] = { ...estimate(met), metIn: met.length };
  }
  const utilization: ScenarioResult['utilization'] = {};
  const waitingByWeek: ScenarioResult['waitingByWeek'] = {};
  for (const id of Object.keys(runs[0]!.utilization)) {
    utilization[id] = pick((r) => r.utilization[id]!);
    const weeks = runs[0]!.waitingByWeek[id]!.length;
    waitingByWeek[id] = Array.from({ length: weeks }, (_, k) => runs.reduce((s, r) => s + r.waitingByWeek[id]![k]!, 0) / runs.length); // prettier-ignore
  }
  const quotaExhaustedDay: ScenarioResult['quotaExhaustedDay'] = {};
  for (const r of runs)
    for (const [q, years] of Object.entries(r.quotaExhaustedDay))
      for (const fy of Object.keys(years)) (quotaExhaustedDay[q] ??= {})[fy] = { mean: NaN, ci: [NaN, NaN], replications: 0, exhaustedIn: 0 }; // prettier-ignore
  for (const [q, years] of Object.entries(quotaExhaustedDay))
    for (const fy of Object.keys(years)) {
      const days = runs
        .map((r) => r.quotaExhaustedDay[q]?.[fy])
        .filter((x): x is number => typeof x === 'number');
      years[fy] = { ...estimate(days), exhaustedIn: days.length };
    }
  const bins = new Array<number>(74).fill(0);
  let all = 0;
  for (const r of runs)
    for (const x of r.leadTimes) {
      bins[Math.min(73, Math.floor(x / 5))]! += 1;
      all += 1;
    }
  return {
    replications: runs.length,
    seed,
    medianLeadDays: pick((r) => r.medianLeadDays),
    p90LeadDays: pick((r) => r.p90LeadDays),
    meanLeadDays: pick((r) => r.meanLeadDays),
    shareUnder30: pick((r) => r.shareUnder30),
    admitted: pick((r) => r.admitted),
    refused: pick((r) => r.refused),
    feesUsd: pick((r) => r.feesUsd),
    timeToStaffDays,
    utilization,
    waitingByWeek,
    quotaExhaustedDay,
    leadHistogram: bins.map((c, k) => ({ fromDays: k * 5, share: all ? c / all : 0 })),
  };
}

export interface Comparison {
  a: ScenarioResult;
  b: ScenarioResult;
  /** b − a, paired by replication (the same seeds: common random numbers), with 95% intervals. */
  difference: {
    medianLeadDays: Estimate;
    p90LeadDays: Estimate;
    shareUnder30: Estimate;
    meanLeadDays: Estimate;
  };
}

/** Runs R replications (replication k uses stream k of the seed), calling `onProgress` after each. */
export function runScenario(
  s: Scenario,
  options: { replications: number; seed: number; onProgress?: (done: number, total: number) => void },
): ScenarioResult {
  return summarize(replicate(s, options), options.seed);
}

function replicate(
  s: Scenario,
  options: { replications: number; seed: number; onProgress?: (done: number, total: number) => void; offset?: number; total?: number }, // prettier-ignore
): Replication[] {
  const runs: Replication[] = [];
  for (let k = 0; k < options.replications; k++) {
    runs.push(simulateScenario(s, streamSeed(options.seed, k)));
    options.onProgress?.((options.offset ?? 0) + k + 1, options.total ?? options.replications);
  }
  return runs;
}

export function compareScenarios(
  a: Scenario,
  b: Scenario,
  options: { replications: number; seed: number; onProgress?: (done: number, total: number) => void },
): Comparison {
  const total = options.replications * 2;
  const ra = replicate(a, { ...options, total });
  const rb = replicate(b, { ...options, offset: options.replications, total });
  return comparison(ra, rb, options.seed);
}

/** Two sets of replications on the same streams, summarized with their paired differences. */
export function comparison(ra: Replication[], rb: Replication[], seed: number): Comparison {
  const diff = (f: (r: Replication) => number) => estimate(rb.map((r, k) => f(r) - f(ra[k]!)).filter((x) => Number.isFinite(x))); // prettier-ignore
  return {
    a: summarize(ra, seed),
    b: summarize(rb, seed),
    difference: {
      medianLeadDays: diff((r) => r.medianLeadDays),
      p90LeadDays: diff((r) => r.p90LeadDays),
      shareUnder30: diff((r) => r.shareUnder30),
      meanLeadDays: diff((r) => r.meanLeadDays),
    },
  };
}
