/**
 * De-identified figures for government users (issue 17, the working-group console): the small-cell rule.
 * A count drawn from fewer than `minCell` people (default 5) is never shown; it reads "<5". Because a hidden
 * cell could be worked out from a shown total and its shown siblings, a second cell is hidden with it when it is
 * the only one hidden among siblings (complementary suppression). Rates and durations computed from a hidden
 * group are hidden too. Pure: no I/O, no clock.
 */
export type Shown = number | `<${number}`;

export interface CellOptions {
  /** The smallest number of people a figure may be drawn from (default 5). */
  minCell?: number;
}

const DEFAULT_MIN_CELL = 5;

function minCellOf(options: CellOptions): number {
  const min = options.minCell ?? DEFAULT_MIN_CELL;
  if (!Number.isInteger(min) || min < 1) throw new RangeError('minCell must be a whole number of at least 1');
  return min;
}

/** One count as shown: itself, or "<minCell" when it is smaller (zero is shown: it identifies no one). */
export function showCount(count: number, options: CellOptions = {}): Shown {
  const min = minCellOf(options);
  return count === 0 || count >= min ? count : (`<${min}` as const);
}

/**
 * Sibling counts (the groups of one breakdown, e.g. cases by consulate) as shown, with complementary
 * suppression: when exactly one non-zero cell is below the threshold, the next smallest non-zero cell is hidden
 * too, so the hidden one cannot be recovered from the total.
 */
export function showBreakdown<K extends string>(
  counts: Readonly<Record<K, number>>,
  options: CellOptions = {},
): Record<K, Shown> {
  const min = minCellOf(options);
  const keys = Object.keys(counts) as K[];
  const hidden = new Set<K>(keys.filter((k) => counts[k] > 0 && counts[k] < min));
  if (hidden.size === 1) {
    const next = keys
      .filter((k) => !hidden.has(k) && counts[k] > 0)
      .sort((a, b) => counts[a] - counts[b] || (a < b ? -1 : 1))[0];
    if (next !== undefined) hidden.add(next);
  }
  const shown = {} as Record<K, Shown>;
  for (const k of keys) shown[k] = hidden.has(k) ? (`<${min}` as const) : counts[k];
  return shown;
}

/** The value at quantile q (0..1) of sorted numbers, by linear interpolation between the closest ranks. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export interface LeadTimeFigures {
  people: Shown;
  /** Days; null when the group is too small to show. */
  median: number | null;
  p90: number | null;
  /** Share (0..1) of dispatches done in under `withinDays` days (the seeds' "under a month"). */
  shareWithin: number | null;
  withinDays: number;
}

/**
 * Lead times of a group of people (days from the staffing need to admission): median, 90th percentile and the
 * share under `withinDays` (30 by default), all hidden when the group is smaller than the threshold.
 */
export function leadTimeFigures(
  days: readonly number[],
  options: CellOptions & { withinDays?: number } = {},
): LeadTimeFigures {
  const min = minCellOf(options);
  const withinDays = options.withinDays ?? 30;
  for (const d of days)
    if (!Number.isFinite(d) || d < 0) throw new RangeError('lead times are non-negative numbers of days');
  if (days.length < min)
    return {
      people: showCount(days.length, options),
      median: null,
      p90: null,
      shareWithin: null,
      withinDays,
    };
  const sorted = [...days].sort((a, b) => a - b);
  const within = sorted.filter((d) => d < withinDays).length;
  return {
    people: days.length,
    median: Math.round(quantile(sorted, 0.5) * 10) / 10,
    p90: Math.round(quantile(sorted, 0.9) * 10) / 10,
    shareWithin: Math.round((within / days.length) * 1000) / 1000,
    withinDays,
  };
}

/** A rate (e.g. refusals ÷ applications), hidden when either count is drawn from too few people. */
export function showRate(part: number, whole: number, options: CellOptions = {}): number | null {
  const min = minCellOf(options);
  if (whole < min || (part > 0 && part < min)) return null;
  return Math.round((part / whole) * 1000) / 1000;
}
