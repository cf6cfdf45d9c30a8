import { addDays, daysBetween, type IsoDate } from '../dates/index.js';

/**
 * The quota ledger: one append-only, hash-chained list of movements per segment (program, fiscal year, pool).
 * Every movement carries the change it makes to the segment's counters, so the counters are always the sum
 * of the entries: that, and the chain, is what `verify` checks.
 */
export const ledgerKinds = [
  'open', // the pool opens with its cap
  'reserve', // a number is reserved for a case
  'waitlist', // none left: the request waits
  'promote', // a waiting request receives a returned number
  'issue', // the approval was granted: the reserved number is used
  'release', // a reserved number returns (denied, withdrawn, expired)
  'withdraw', // a waiting request leaves the waitlist
  'spill_out', // after the spill date, unused numbers leave the pool …
  'spill_in', // … and join another pool
  'waitlist_out', // a spilled pool's waiting requests move …
  'waitlist_in', // … to the pool it spilled into
] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

export interface CounterState {
  cap: number;
  reserved: number;
  issued: number;
  released: number;
  waitlisted: number;
}

export type CounterDelta = CounterState;

export const zeroCounters = (): CounterState => ({
  cap: 0,
  reserved: 0,
  issued: 0,
  released: 0,
  waitlisted: 0,
});

/** The counter change of one movement of `amount` numbers (or requests). */
export function deltaOf(kind: LedgerKind, amount = 1): CounterDelta {
  const d = zeroCounters();
  switch (kind) {
    case 'open':
    case 'spill_in':
      d.cap = amount;
      break;
    case 'spill_out':
      d.cap = -amount;
      break;
    case 'reserve':
      d.reserved = amount;
      break;
    case 'waitlist':
    case 'waitlist_in':
      d.waitlisted = amount;
      break;
    case 'withdraw':
    case 'waitlist_out':
      d.waitlisted = -amount;
      break;
    case 'promote':
      d.waitlisted = -amount;
      d.reserved = amount;
      break;
    case 'issue':
      d.reserved = -amount;
      d.issued = amount;
      break;
    case 'release':
      d.reserved = -amount;
      d.released = amount;
      break;
  }
  return d;
}

export function addCounters(a: CounterState, b: CounterDelta): CounterState {
  return {
    cap: a.cap + b.cap,
    reserved: a.reserved + b.reserved,
    issued: a.issued + b.issued,
    released: a.released + b.released,
    waitlisted: a.waitlisted + b.waitlisted,
  };
}

/** Numbers still free in a pool: the cap less what is reserved or issued. Released numbers are free again. */
export function availableOf(c: CounterState): number {
  return c.cap - c.reserved - c.issued;
}

/** Why a counter state is impossible, or undefined: never more reserved and issued than the cap. */
export function counterProblem(c: CounterState): string | undefined {
  for (const [key, value] of Object.entries(c)) {
    if (!Number.isInteger(value) || value < 0) return `${key} is ${value}`;
  }
  if (c.reserved + c.issued > c.cap)
    return `reserved ${c.reserved} + issued ${c.issued} exceed the cap ${c.cap}`;
  if (c.waitlisted > 0 && availableOf(c) > 0)
    return `${c.waitlisted} waiting while ${availableOf(c)} are free`;
  return undefined;
}

/**
 * The hashed content of a ledger entry (the chain covers exactly these fields, in canonical JSON).
 * `seq` is the entry's position in its segment's chain (1, 2, …); `sequence` the number given to a case.
 */
export interface LedgerEntryContent {
  program: string;
  fiscalYear: number;
  pool: string;
  seq: number;
  kind: LedgerKind;
  reservationId: string | null;
  sequence: number | null;
  delta: CounterDelta;
  occurredAt: string;
  actor: string;
  requestId: string | null;
  details: Record<string, string | number | boolean | null> | null;
}

/** A point of the utilization series: counters at the end of a day. */
export interface UtilizationPoint {
  date: IsoDate;
  cap: number;
  used: number;
  reserved: number;
  issued: number;
  waitlisted: number;
}

/** Daily counter changes (summed entries per day) into a cumulative series from the first day to `until`. */
export function utilizationSeries(
  daily: readonly { date: IsoDate; delta: CounterDelta }[],
  until: IsoDate,
): UtilizationPoint[] {
  const sorted = [...daily].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const points: UtilizationPoint[] = [];
  let state = zeroCounters();
  let i = 0;
  const first = sorted[0]?.date;
  if (!first) return points;
  const last = until > sorted[sorted.length - 1]!.date ? until : sorted[sorted.length - 1]!.date;
  // A long year of activity gives at most 366 points per pool: fine for a chart.
  for (let date = first; date <= last; date = addDays(date, 1)) {
    while (i < sorted.length && sorted[i]!.date === date) state = addCounters(state, sorted[i++]!.delta);
    points.push({
      date,
      cap: state.cap,
      used: state.reserved + state.issued,
      reserved: state.reserved,
      issued: state.issued,
      waitlisted: state.waitlisted,
    });
  }
  return points;
}

export interface ExhaustionProjection {
  /** Net numbers taken per day over the window (reservations and promotions less releases). */
  ratePerDay: number;
  windowDays: number;
  /** The date the free numbers run out at that rate; the day it happened when none is free; null at rate 0. */
  date: IsoDate | null;
  exhausted: boolean;
}

/**
 * Projected exhaustion from the recent rate: the net growth of `used` over the last `windowDays` days,
 * extrapolated linearly from `today`.
 */
export function projectExhaustion(
  series: readonly UtilizationPoint[],
  available: number,
  today: IsoDate,
  windowDays = 30,
): ExhaustionProjection {
  if (available <= 0) {
    const firstFull = series.find((p) => p.used >= p.cap && p.cap > 0);
    return { ratePerDay: 0, windowDays, date: firstFull?.date ?? today, exhausted: true };
  }
  const from = addDays(today, -windowDays);
  const usedAt = (date: IsoDate) => {
    let used = 0;
    for (const p of series) {
      if (p.date > date) break;
      used = p.used;
    }
    return used;
  };
  const firstDate = series[0]?.date;
  const span = firstDate && firstDate > from ? Math.max(1, daysBetween(firstDate, today) + 1) : windowDays;
  const rate = (usedAt(today) - (firstDate && firstDate > from ? 0 : usedAt(from))) / span;
  if (!(rate > 0)) return { ratePerDay: 0, windowDays, date: null, exhausted: false };
  return {
    ratePerDay: Math.round(rate * 1000) / 1000,
    windowDays,
    date: addDays(today, Math.ceil(available / rate)),
    exhausted: false,
  };
}

/** Idempotency keys: 8 to 128 visible characters from a safe set (UUIDs, ULIDs, `case-123:reserve`). */
export const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{8,128}$/;
