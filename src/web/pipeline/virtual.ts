/**
 * Window arithmetic for a fixed-row-height virtual list: which rows to render for a scroll position, and
 * which server pages (limit/offset) those rows need.
 */
export interface ListWindow {
  /** First row index to render (inclusive). */
  start: number;
  /** Last row index to render (exclusive). */
  end: number;
  /** Pixels above the first rendered row. */
  offsetTop: number;
  /** Total scrollable height in pixels. */
  totalHeight: number;
}

export function listWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 5,
): ListWindow {
  if (rowHeight <= 0) throw new RangeError('rowHeight must be positive');
  const count = Math.max(0, Math.floor(total));
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight: count * rowHeight };
}

/** The page offsets (multiples of `pageSize`) that cover rows [start, end). */
export function pagesFor(start: number, end: number, pageSize: number): number[] {
  if (pageSize <= 0) throw new RangeError('pageSize must be positive');
  const pages: number[] = [];
  if (end <= start) return pages;
  for (let p = Math.floor(start / pageSize) * pageSize; p < end; p += pageSize) pages.push(p);
  return pages;
}
