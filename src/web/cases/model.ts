import type { CaseBoard, CaseDetail, CaseSummary, LeadTimeStats } from '../../contract/pipeline.js';
import type { SlaState } from '../../contract/workflow.js';

/**
 * Pure helpers of the case screens (no React, no fetch): board columns, filters, upload checks, the bar
 * chart's geometry. Tested in model.test.ts.
 */

/** A symbol for each service-level state, shown beside its word so the state is never told by colour alone. */
export const slaMark: Record<SlaState, string> = {
  on_track: '●',
  at_risk: '▲',
  late: '✕',
  done: '✓',
};

export type BoardColumn = CaseBoard['columns'][number];

export interface BoardFilters {
  projectId: string;
  category: string;
  sla: SlaState | '';
  q: string;
}

export const emptyFilters: BoardFilters = { projectId: '', category: '', sla: '', q: '' };

/** Filters from a query string (`?project=…&category=…&sla=…&q=…`), so a board can be linked and reloaded. */
export function filtersFromSearch(search: string, slaValues: readonly string[]): BoardFilters {
  const p = new URLSearchParams(search);
  const sla = p.get('sla') ?? '';
  return {
    projectId: p.get('project') ?? '',
    category: p.get('category') ?? '',
    sla: (slaValues.includes(sla) ? sla : '') as SlaState | '',
    q: p.get('q') ?? '',
  };
}

export function searchFromFilters(f: BoardFilters): string {
  const p = new URLSearchParams();
  if (f.projectId) p.set('project', f.projectId);
  if (f.category) p.set('category', f.category);
  if (f.sla) p.set('sla', f.sla);
  if (f.q.trim()) p.set('q', f.q.trim());
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The board endpoint: a column per stage (merged across workflows in workflow order), the cards due first. */
export function boardUrl(f: BoardFilters, perStage: number): string {
  const p = new URLSearchParams({ projectId: f.projectId, perStage: String(perStage) });
  if (f.category) p.set('category', f.category);
  return `/api/cases/board?${p.toString()}`;
}

/** The project's cases (with the category and SLA filters) as a CSV or XLSX download. */
export function exportUrl(f: BoardFilters, format: 'csv' | 'xlsx'): string {
  const p = new URLSearchParams({ projectId: f.projectId, format });
  if (f.category) p.set('category', f.category);
  if (f.sla) p.set('sla', f.sla);
  return `/api/cases/export?${p.toString()}`;
}

/**
 * The SLA filter and the worker search need every matching case, not the first cards of each column: they
 * read the case list of the project (server-side category and SLA filters), then match names here.
 */
export function listUrl(f: BoardFilters, limit: number): string | null {
  if (!f.sla && !f.q.trim()) return null;
  const p = new URLSearchParams({ projectId: f.projectId, limit: String(limit) });
  if (f.category) p.set('category', f.category);
  if (f.sla) p.set('sla', f.sla);
  return `/api/cases?${p.toString()}`;
}

const fold = (s: string) =>
  s
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s'-]/g, '');

/** Whether a case's worker matches a search in Hangul or romanized names (either order, spaces ignored). */
export function matchesWorker(c: Pick<CaseSummary, 'workerName' | 'workerNameHangul'>, q: string): boolean {
  const needle = fold(q);
  if (!needle) return true;
  const [family = '', ...given] = c.workerName.split(' ');
  const names = [c.workerName, `${given.join(' ')} ${family}`, c.workerNameHangul].map(fold);
  return names.some((n) => n.includes(needle));
}

/**
 * Columns of the board for a filtered list of cases (SLA state, worker search): the board's columns in their
 * order, only those holding a matching case, so one worker's case is not lost among empty columns; a case at a
 * stage the board did not list gets its own column at the end, titled by the case. Without a list the board's
 * own columns stand, empty ones included.
 */
export function columnsFor(board: BoardColumn[], cases: CaseSummary[] | null, q: string): BoardColumn[] {
  if (cases === null) return board;
  const shown = cases.filter((c) => matchesWorker(c, q));
  const columns: BoardColumn[] = board.map((col) => ({ ...col, count: 0, cards: [] }));
  for (const c of shown) {
    let col = columns.find((x) => x.stage === c.stage);
    if (!col) {
      col = { stage: c.stage, title: c.stageTitle, count: 0, cards: [] };
      columns.push(col);
    }
    col.cards.push(c);
    col.count++;
  }
  for (const col of columns) col.cards.sort((a, b) => a.targetDate.localeCompare(b.targetDate));
  return columns.filter((col) => col.count > 0);
}

export type Transition = CaseDetail['allowedTransitions'][number];

/** The one-step forward move of a case, if it has one (the "next stage" action). */
export function nextStage(detail: Pick<CaseDetail, 'allowedTransitions'>): Transition | undefined {
  return detail.allowedTransitions.find((m) => m.kind === 'forward');
}

// ---------------------------------------------------------------- uploads

/** The server's limits (src/contract/pipeline.ts): PDF, JPEG or PNG, at most 10 MB. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const uploadTypes: Record<string, string[]> = {
  'application/pdf': ['.pdf'],
  'image/jpeg': ['.jpg', '.jpeg'],
  'image/png': ['.png'],
};
export const uploadAccept = Object.entries(uploadTypes)
  .flatMap(([type, ext]) => [type, ...ext])
  .join(',');

export type UploadCheck =
  { ok: true; contentType: string } | { ok: false; error: 'empty' | 'tooLarge' | 'type' };

/** Checks a file before sending it (the server checks again, by content). The type comes from the name when
 * the browser gives none. */
export function checkUpload(file: { name: string; size: number; type: string }): UploadCheck {
  if (file.size === 0) return { ok: false, error: 'empty' };
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, error: 'tooLarge' };
  const name = file.name.toLowerCase();
  const byName = Object.entries(uploadTypes).find(([, ext]) => ext.some((e) => name.endsWith(e)))?.[0];
  const type = file.type || byName;
  if (!type || !(type in uploadTypes) || byName !== type) return { ok: false, error: 'type' };
  return { ok: true, contentType: type };
}

/** 1536 -> "1.5 KB"; sizes in the reader's language. */
export function formatBytes(n: number, locale: string): string {
  const units = ['B', 'KB', 'MB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

// ---------------------------------------------------------------- lead-time chart

export interface ChartBar {
  key: string;
  label: string;
  y: number;
  medianWidth: number;
  p90Width: number;
  median: number | null;
  p90: number | null;
}

export interface ChartGeometry {
  width: number;
  height: number;
  labelWidth: number;
  plotWidth: number;
  max: number;
  ticks: number[];
  bars: ChartBar[];
}

/** A "nice" axis maximum and ticks: 1, 2, 2.5 or 5 times a power of ten. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step - 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

/** Horizontal bars, two per group (median, p90), scaled to the largest p90 (or median). */
export function chartGeometry(
  groups: LeadTimeStats['groups'],
  opts: { width: number; labelWidth: number; rowHeight: number; top: number },
): ChartGeometry {
  const values = groups.flatMap((g) => [g.medianDays ?? 0, g.p90Days ?? 0]);
  const ticks = niceTicks(Math.max(0, ...values));
  const max = ticks[ticks.length - 1] ?? 0;
  const plotWidth = opts.width - opts.labelWidth - 16;
  const scale = (v: number | null) => (v === null || max === 0 ? 0 : (v / max) * plotWidth);
  return {
    width: opts.width,
    height: opts.top + groups.length * opts.rowHeight + 24,
    labelWidth: opts.labelWidth,
    plotWidth,
    max,
    ticks,
    bars: groups.map((g, i) => ({
      key: g.key,
      label: g.label,
      y: opts.top + i * opts.rowHeight,
      medianWidth: scale(g.medianDays),
      p90Width: scale(g.p90Days),
      median: g.medianDays,
      p90: g.p90Days,
    })),
  };
}
