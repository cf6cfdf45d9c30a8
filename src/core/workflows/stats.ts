import type { LeadTimeGroup, LeadTimeGroupBy, LeadTimeRecord } from '../../contract/workflow.js';
import { utcDateOf } from './sla.js';

/**
 * Lead-time statistics: median and 90th percentile by category, stage, organization or project.
 *
 * Percentiles use LINEAR INTERPOLATION between closest ranks, exactly like PostgreSQL's `percentile_cont`
 * (and Excel's PERCENTILE.INC, NumPy's default): for sorted values v[0..n-1] the p-th percentile is at
 * position h = p·(n−1), i.e. v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]). The server may compute the same in SQL;
 * this function is the reference the SQL is tested against.
 *
 * Door-to-door lead time = admitted − opened, in days (fractional, from the instants), over admitted cases;
 * stage durations = next stage change − entering the stage, one sample per visit (a reworked stage counts
 * twice). `open` counts open cases (for `stage`: open cases currently in the stage); `late` those of them
 * whose target date is before `today`. Results are rounded to 0.1 day, after the percentile.
 */

const DAY_MS = 86_400_000;

/** The p-th percentile (0 ≤ p ≤ 1) by linear interpolation (percentile_cont); null for no values. */
export function percentileCont(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile must be between 0 and 1: ${p}`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = p * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function median(values: readonly number[]): number | null {
  return percentileCont(values, 0.5);
}

/** Days between two instants (fractional). */
export function daysBetweenInstants(from: string, to: string): number {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (Number.isNaN(a) || Number.isNaN(b)) throw new RangeError(`not valid instants: ${from}, ${to}`);
  return (b - a) / DAY_MS;
}

/** Door-to-door lead time of one case in days, or null while not admitted. */
export function doorToDoorDays(record: Pick<LeadTimeRecord, 'openedAt' | 'admittedAt'>): number | null {
  return record.admittedAt ? daysBetweenInstants(record.openedAt, record.admittedAt) : null;
}

function round1(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

interface Bucket {
  key: string;
  label: string;
  samples: number[];
  open: number;
  late: number;
}

export interface LeadTimeOptions {
  /** The day against which open cases are late (target date before it). */
  today: string | Date;
  /** Label of a stage key (e.g. its English title); default the key. */
  stageLabel?: (stageId: string) => string;
}

/** Median and 90th percentile of lead times per group; groups sorted by label (stage: by key), like the API. */
export function leadTimeStats(
  records: readonly LeadTimeRecord[],
  groupBy: LeadTimeGroupBy,
  options: LeadTimeOptions,
): LeadTimeGroup[] {
  const today = utcDateOf(options.today);
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string, label: string): Bucket => {
    let b = buckets.get(key);
    if (!b) buckets.set(key, (b = { key, label, samples: [], open: 0, late: 0 }));
    return b;
  };
  for (const r of records) {
    const isOpen = r.status === 'open';
    const isLate = isOpen && r.targetDate < today;
    if (groupBy === 'stage') {
      const events = r.events ?? [];
      events.forEach((event, i) => {
        const b = bucket(event.to, options.stageLabel?.(event.to) ?? event.to);
        const next = events[i + 1];
        if (next) b.samples.push(daysBetweenInstants(event.at, next.at));
        else if (isOpen) {
          b.open++;
          if (isLate) b.late++;
        }
      });
      continue;
    }
    const [key, label] =
      groupBy === 'category'
        ? [r.category, r.category]
        : groupBy === 'organization'
          ? [r.organizationId, r.organizationName ?? r.organizationId]
          : [r.projectId, r.projectName ?? r.projectId];
    const b = bucket(key, label);
    const days = doorToDoorDays(r);
    if (days !== null) b.samples.push(days);
    if (isOpen) b.open++;
    if (isLate) b.late++;
  }
  const groups = [...buckets.values()].map((b) => ({
    key: b.key,
    label: b.label,
    count: b.samples.length,
    medianDays: round1(percentileCont(b.samples, 0.5)),
    p90Days: round1(percentileCont(b.samples, 0.9)),
    open: b.open,
    late: b.late,
  }));
  const by = groupBy === 'stage' ? 'key' : 'label';
  return groups.sort((a, b) =>
    a[by] < b[by] ? -1 : a[by] > b[by] ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
  );
}
