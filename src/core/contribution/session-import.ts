/**
 * Ledger entries from a spreadsheet (issue 20, item 1: bulk import): training sessions, investments, US jobs. Pure: finds the header row and maps its
 * columns by name (English or Korean), reads each row's cells as text or numbers, and reports every problem with the
 * sheet's row number as the spreadsheet shows it, the column's header, the value and a message in both languages.
 * The server resolves projects, trainers and plans, checks each row against the contract, and writes all or
 * nothing (`services/contribution/session-import.ts`).
 */
export const ledgerImportKinds = ['sessions', 'investments', 'jobs'] as const;
export type LedgerImportKind = (typeof ledgerImportKinds)[number];

export const sessionColumns = [
  'project',
  'trainer',
  'date',
  'hours',
  'topic',
  'equipment',
  'place',
  'trainees',
  'certified',
  'skill',
  'plan',
  'kind',
  'amount',
  'source',
  'quarter',
  'committed',
  'created',
] as const;
export type SessionColumn = (typeof sessionColumns)[number];

const aliases: Record<SessionColumn, string[]> = {
  project: ['project', 'project code', '프로젝트', '프로젝트 코드'],
  trainer: ['trainer', 'korean trainer', 'trainer name', '트레이너', '한국인 트레이너', '강사'],
  date: ['date', 'held on', 'session date', '날짜', '교육일', '일자'],
  hours: ['hours', 'duration (hours)', '시간', '교육 시간'],
  topic: ['topic', 'subject', '주제', '교육 주제'],
  equipment: ['equipment', 'machine', '장비'],
  place: ['place', 'location', '장소'],
  trainees: ['trainees', 'us trainees', 'participants', '교육생', '교육생 수', '참석자'],
  certified: ['certified', 'certified trainees', '자격 취득', '자격 취득자'],
  skill: ['skill', 'skill certified', '인증 기술', '기술'],
  plan: ['plan', 'training plan', '교육 계획'],
  kind: ['kind', 'committed or disbursed', '구분', '약정 또는 집행'],
  amount: ['amount', 'amount (usd)', 'usd', '금액', '금액(usd)'],
  source: ['source', 'source document', '근거', '근거 문서'],
  quarter: ['quarter', '분기'],
  committed: ['jobs committed', 'committed jobs', '약정 일자리'],
  created: ['jobs created', 'headcount', 'created', '창출 인원', '창출 일자리'],
};
/** The columns each kind reads, and those it needs. */
export const kindColumns: Record<LedgerImportKind, { columns: SessionColumn[]; required: SessionColumn[] }> =
  {
    sessions: {
      columns: ['project', 'trainer', 'date', 'hours', 'topic', 'equipment', 'place', 'trainees', 'certified', 'skill', 'plan'], // prettier-ignore
      required: ['project', 'trainer', 'date', 'hours', 'topic', 'place', 'trainees'],
    },
    investments: { columns: ['project', 'kind', 'amount', 'date', 'source'], required: ['project', 'kind', 'amount', 'date', 'source'] }, // prettier-ignore
    jobs: { columns: ['project', 'quarter', 'committed', 'created', 'source'], required: ['project', 'quarter', 'committed', 'created', 'source'] }, // prettier-ignore
  };
export const requiredColumns: SessionColumn[] = kindColumns.sessions.required;

const norm = (h: unknown) =>
  String(h ?? '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, ' ');

export interface RowProblem {
  row: number;
  column: string;
  value: string;
  message: { en: string; ko: string };
}

export interface ParsedSessionRow {
  row: number;
  cells: Partial<Record<SessionColumn, string | number>>;
  headers: Partial<Record<SessionColumn, string>>;
}

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object' && v !== null && 'text' in v) return String((v as { text: unknown }).text);
  return String(v).trim();
}

/** The header row (the first of the top ten rows naming at least three known columns) and its mapping. */
export function mapHeaders(
  rows: unknown[][],
  kind: LedgerImportKind = 'sessions',
): { headerRow: number; columns: Map<number, SessionColumn> } | null {
  const wanted = kindColumns[kind].columns;
  for (let r = 0; r < Math.min(10, rows.length); r++) {
    const columns = new Map<number, SessionColumn>();
    (rows[r] ?? []).forEach((h, i) => {
      const name = norm(h);
      const found = wanted.find((c) => aliases[c].includes(name));
      if (found && ![...columns.values()].includes(found)) columns.set(i, found);
    });
    if (columns.size >= 3) return { headerRow: r, columns };
  }
  return null;
}

export function readSessionRows(
  rows: unknown[][],
  kind: LedgerImportKind = 'sessions',
): { rows: ParsedSessionRow[]; problems: RowProblem[] } {
  const mapped = mapHeaders(rows, kind);
  if (!mapped)
    return {
      rows: [],
      problems: [{ row: 1, column: '', value: '', message: { en: `No header row naming the columns (${kindColumns[kind].required.join(', ')}) in the first ten rows.`, ko: `처음 10행에 열 이름(${kindColumns[kind].required.join(', ')})이 있는 머리글 행이 없습니다.` } }], // prettier-ignore
    };
  const headerCells = rows[mapped.headerRow] ?? [];
  const headers: Partial<Record<SessionColumn, string>> = {};
  for (const [i, c] of mapped.columns) headers[c] = cellText(headerCells[i]);
  const problems: RowProblem[] = [];
  const missing = kindColumns[kind].required.filter((c) => !headers[c]);
  if (missing.length)
    problems.push({ row: mapped.headerRow + 1, column: '', value: '', message: { en: `Missing columns: ${missing.join(', ')}.`, ko: `빠진 열: ${missing.join(', ')}.` } }); // prettier-ignore
  const out: ParsedSessionRow[] = [];
  for (let r = mapped.headerRow + 1; r < rows.length; r++) {
    const row = rows[r] ?? [];
    if (row.every((c) => cellText(c) === '')) continue;
    const cells: ParsedSessionRow['cells'] = {};
    for (const [i, c] of mapped.columns) {
      const v = row[i];
      cells[c] = typeof v === 'number' ? v : v instanceof Date ? v.toISOString().slice(0, 10) : cellText(v);
    }
    out.push({ row: r + 1, cells, headers });
  }
  return { rows: out, problems };
}
