/** Pure helpers of the quota dashboard's charts: scales and SVG paths (tested without a browser). */

export interface Point {
  date: string;
  used: number;
  cap: number;
}

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max` (and at least 1). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Ticks from 0 to `max` in `count` equal steps. */
export function ticks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, i) => (max * i) / count);
}

const dayMs = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / dayMs;

/**
 * The polyline of cumulative use over the fiscal year in a `width` × `height` box: x by date from the year's
 * start to its end, y from 0 (bottom) to `yMax` (top). Points outside the year are clamped to its edges.
 */
export function usePath(
  points: readonly Point[],
  from: string,
  to: string,
  yMax: number,
  width: number,
  height: number,
): string {
  const start = dayOf(from);
  const span = Math.max(1, dayOf(to) - start);
  const x = (date: string) => Math.min(width, Math.max(0, ((dayOf(date) - start) / span) * width));
  const y = (value: number) => height - (Math.min(value, yMax) / yMax) * height;
  // Cumulative use starts from nothing on the first day of the year.
  const all =
    points.length && points[0]!.date > from
      ? [{ date: from, used: 0, cap: points[0]!.cap }, ...points]
      : points;
  return all.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.date).toFixed(1)},${y(p.used).toFixed(1)}`).join(' ');
}

/** The x position of a date in the same box (for the projection marker and the cap line's end). */
export function xOf(date: string, from: string, to: string, width: number): number {
  const start = dayOf(from);
  const span = Math.max(1, dayOf(to) - start);
  return Math.min(width, Math.max(0, ((dayOf(date) - start) / span) * width));
}

/** Share of the cap used, in percent with one decimal (0 when there is no cap). */
export function percentUsed(used: number, cap: number | null): number {
  if (!cap) return 0;
  return Math.round((used / cap) * 1000) / 10;
}
