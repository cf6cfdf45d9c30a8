import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  createAssignmentSchema,
  createDependentSchema,
  createWorkerSchema,
} from '../../../contract/pipeline.js';
import type {
  ImportCounts,
  ImportError,
  ImportPreview,
  ImportRecord,
  ImportResult,
  ImportRun,
  ImportSheet,
} from '../../../contract/imports.js';
import { cellText, convertRow, type RowValues } from '../../../core/import/convert.js';
import {
  fieldForHeader,
  fieldLabels,
  findHeaderRow,
  kindOf,
  missingFields,
  suggestMapping,
  type ColumnMapping,
  type ImportField,
  type ImportKind,
} from '../../../core/import/fields.js';
import { recordAudit, type AuditContext } from '../../audit/audit.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import type { Database, Queryable } from '../../db/database.js';
import { ApiError, issueMessages } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import type { ServiceContext } from '../context.js';
import { iso } from '../context.js';
import { PASSPORT_CONTEXT, passportHash } from '../pipeline/common.js';
import { searchTextOf } from '../pipeline/workers.js';
import { defaultReadLimits, FileReadError, readTable, type ReadLimits, type Sheet } from './read.js';

/**
 * Bulk import of workers, dependents and assignments (issue 7). A file is uploaded once (kept under the
 * uploads folder with its SHA-256), its sheets analysed (header row, suggested mapping, what each sheet holds),
 * then run as a dry run or committed. A commit is one transaction: every row valid or nothing written.
 * Matching is by the passport's keyed hash within the organization, so importing the same file again changes
 * nothing. Reused by the API, the CLI (`korus import`) and `bench:import`.
 */
export interface ImportDeps {
  cipher: FieldCipher;
  uploadsDir: string;
  now?: () => Date;
  limits?: ReadLimits;
}

/** Who imports: an employer organization, and who to name in the audit log. */
export interface Importer {
  db: Database;
  organizationId: string;
  userId: string | null;
  audit: AuditContext;
}

const MAX_ERRORS = 1000;
const MAX_OUTCOMES = 500;
const CHUNK = 2000;

export async function importerOf(ctx: ServiceContext, organizationId?: string): Promise<Importer> {
  let org = ctx.actor.organizationId;
  if (isPlatformAdmin(ctx.actor)) org = organizationId ?? null;
  else if (organizationId && organizationId !== org) throw new ApiError('auth.forbidden');
  if (!org)
    throw new ApiError('request.invalid', {
      errors: [
        {
          path: 'organizationId',
          code: 'required',
          message: 'is required for a platform administrator',
          messages: { en: 'is required for a platform administrator', ko: '플랫폼 관리자는 지정해야 합니다' },
        },
      ],
    });
  return importerFor(ctx.db, org, {
    actorUserId: ctx.actor.userId,
    actorLabel: ctx.actor.email,
    organizationId: org,
    requestId: ctx.requestId,
  });
}

/** An importer for an organization (the CLI's `--org`); only investors and partner firms employ workers. */
export async function importerFor(
  db: Database,
  organizationId: string,
  audit: AuditContext,
): Promise<Importer> {
  const [org] = await db.query<{ kind: string }>('SELECT kind FROM organizations WHERE id = $1', [
    organizationId,
  ]);
  if (!org) throw new ApiError('resource.not_found');
  if (org.kind !== 'investor' && org.kind !== 'partner') throw new ApiError('import.wrong_organization');
  return { db, organizationId, userId: audit.actorUserId, audit: { ...audit, organizationId } };
}

// ------------------------------------------------------------------------------------------ analysis

interface AnalysedSheet {
  sheet: Sheet;
  headerIndex: number;
  headers: string[];
  mapping: ColumnMapping;
  kind: ImportKind | null;
  /** Field -> column index. */
  columns: Map<ImportField, number>;
  problems: ImportSheet['problems'];
}

function uniqueHeaders(row: unknown[]): string[] {
  const seen = new Map<string, number>();
  return Array.from(row, (c) => {
    const h = cellText(c).replace(/\s+/g, ' ');
    if (!h) return '';
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return n === 1 ? h : `${h} (${n})`;
  });
}

function analyse(sheet: Sheet, override?: ColumnMapping): AnalysedSheet {
  const headerIndex = findHeaderRow(sheet.rows);
  if (headerIndex < 0)
    return {
      sheet,
      headerIndex: 0,
      headers: uniqueHeaders(sheet.rows[0] ?? []),
      mapping: {},
      kind: null,
      columns: new Map(),
      problems: [
        {
          column: '',
          message: {
            en: 'No header row was recognized in the first 20 rows (e.g. 성명, 여권번호, Name, Passport No.). Map the columns by hand.',
            ko: '처음 20행에서 머리글 행(예: 성명, 여권번호, Name, Passport No.)을 찾지 못했습니다. 열을 직접 지정하세요.',
          },
        },
      ],
    };
  const headers = uniqueHeaders(sheet.rows[headerIndex]!);
  const width = Math.max(
    headers.length,
    ...sheet.rows.slice(headerIndex + 1, headerIndex + 200).map((r) => r.length),
  );
  while (headers.length < width) headers.push('');
  const mapping: ColumnMapping = { ...suggestMapping(headers) };
  if (override) {
    for (const [header, field] of Object.entries(override))
      if (headers.includes(header)) mapping[header] = field;
  }
  const columns = new Map<ImportField, number>();
  const problems: ImportSheet['problems'] = [];
  headers.forEach((h, i) => {
    const field = h ? mapping[h] : null;
    if (!field) return;
    if (columns.has(field)) {
      problems.push({
        column: h,
        message: {
          en: `Two columns are mapped to "${fieldLabels[field].en}"; this one is ignored.`,
          ko: `두 열이 "${fieldLabels[field].ko}"(으)로 지정되어 이 열은 무시합니다.`,
        },
      });
      return;
    }
    columns.set(field, i);
  });
  // A column with values but no header: typically merged header cells (the value sits in the first cell only).
  const data = sheet.rows.slice(headerIndex + 1);
  headers.forEach((h, i) => {
    if (h || !data.some((r) => cellText(r[i]) !== '')) return;
    const letter = columnLetter(i);
    problems.push({
      column: letter,
      message: {
        en: `Column ${letter} has values but no header (merged header cells?). Unmerge the header cells and give each column its own header, or it is ignored.`,
        ko: `${letter}열에 값은 있지만 머리글이 없습니다(머리글 셀 병합?). 병합을 풀고 열마다 머리글을 쓰세요. 그렇지 않으면 이 열은 무시됩니다.`,
      },
    });
  });
  return { sheet, headerIndex, headers, mapping, kind: kindOf(new Set(columns.keys())), columns, problems };
}

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function sheetView(a: AnalysedSheet): ImportSheet {
  const data = a.sheet.rows.slice(a.headerIndex + 1);
  return {
    name: a.sheet.name,
    headerRow: a.headerIndex + 1,
    headers: a.headers,
    mapping: Object.fromEntries(a.headers.filter(Boolean).map((h) => [h, a.mapping[h] ?? null])),
    kind: a.kind,
    rows: data.filter((r) => r.some((c) => cellText(c) !== '')).length,
    missing: a.kind ? missingFields(a.kind, new Set(a.columns.keys())) : [],
    sample: data.slice(0, 5).map((r) => a.headers.map((_, i) => cellText(r[i]))),
    problems: a.problems,
  };
}

// ------------------------------------------------------------------------------------------ records

interface ImportRow {
  id: string;
  organization_id: string;
  file_name: string;
  file_digest: string;
  file_size: string;
  file_removed_at: Date | null;
  format: 'csv' | 'xlsx';
  encoding: string | null;
  status: ImportRecord['status'];
  actor_label: string;
  created_at: Date;
  committed_at: Date | null;
  rows: number | null;
  valid: number | null;
  imported: number | null;
  errors: number | null;
  counts: ImportCounts | null;
  mapping: Record<string, ColumnMapping> | null;
  [key: string]: unknown;
}

function toRecord(r: ImportRow): ImportRecord {
  return {
    id: r.id,
    organizationId: r.organization_id,
    fileName: r.file_name,
    fileDigest: r.file_digest,
    fileSize: Number(r.file_size),
    format: r.format,
    encoding: r.encoding,
    status: r.status,
    createdBy: r.actor_label,
    createdAt: iso(r.created_at)!,
    committedAt: iso(r.committed_at),
    rows: r.rows,
    valid: r.valid,
    imported: r.imported,
    errors: r.errors,
    counts: r.counts,
  };
}

const filePath = (deps: ImportDeps, id: string) => join(deps.uploadsDir, 'imports', id);

function unreadable(error: FileReadError): ApiError {
  return new ApiError(error.code === 'too_large' ? 'import.too_large' : 'import.unreadable', {
    detail: error.messages,
    errors: [{ path: 'file', code: error.code, message: error.messages.en, messages: error.messages }],
  });
}

const FILE_CONTEXT = 'imports.file';

async function readStored(deps: ImportDeps, id: string) {
  let bytes: Buffer;
  try {
    bytes = deps.cipher.decryptFile(readFileSync(filePath(deps, id)), FILE_CONTEXT);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('import.file_removed');
    throw error;
  }
  return readTable(bytes, deps.limits ?? defaultReadLimits);
}

/** The uploaded roster of an import leaves the disk (after its commit, or when abandoned). */
function removeStored(deps: ImportDeps, id: string): void {
  rmSync(filePath(deps, id), { force: true });
}

/**
 * Rosters uploaded but never imported are deleted after `retentionDays` (their import becomes `abandoned`), so
 * passport numbers do not stay on disk. Run daily by the server and by `korus import purge`.
 */
export async function purgeAbandonedImports(
  db: Queryable,
  deps: Pick<ImportDeps, 'uploadsDir'>,
  retentionDays: number,
): Promise<{ purged: number }> {
  const rows = await db.query<{ id: string; organization_id: string; file_name: string }>(
    `UPDATE imports SET status = 'abandoned', file_removed_at = now()
     WHERE status IN ('uploaded', 'checked') AND created_at < now() - make_interval(days => $1)
     RETURNING id, organization_id, file_name`,
    [retentionDays],
  );
  for (const row of rows) rmSync(filePath(deps as ImportDeps, row.id), { force: true });
  return { purged: rows.length };
}

/** Reads and analyses an uploaded file, stores it and records the import (status `uploaded`). */
export async function uploadImport(
  imp: Importer,
  deps: ImportDeps,
  file: { fileName: string; bytes: Buffer },
  mappingName?: string,
): Promise<ImportPreview> {
  let table;
  try {
    table = await readTable(file.bytes, deps.limits ?? defaultReadLimits);
  } catch (error) {
    if (error instanceof FileReadError) throw unreadable(error);
    throw error;
  }
  const named = mappingName ? await savedMapping(imp, mappingName) : undefined;
  const sheets = table.sheets.map((s) => sheetView(analyse(s, named)));
  const id = randomUUID();
  const digest = createHash('sha256').update(file.bytes).digest('hex');
  mkdirSync(join(deps.uploadsDir, 'imports'), { recursive: true });
  // Encrypted at rest while it waits for its import (issue 14); deleted once committed or abandoned.
  writeFileSync(filePath(deps, id), deps.cipher.encryptFile(file.bytes, FILE_CONTEXT), { mode: 0o600 });
  const fileName = file.fileName.replace(/[\\/\0]/g, '_').slice(0, 200) || 'roster';
  await imp.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO imports (id, organization_id, created_by, actor_label, file_name, file_digest, file_size, format,
         encoding, status, mapping, rows)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'uploaded', $10, $11)`,
      [
        id,
        imp.organizationId,
        imp.userId,
        imp.audit.actorLabel,
        fileName,
        digest,
        file.bytes.length,
        table.format,
        table.encoding,
        JSON.stringify(Object.fromEntries(sheets.map((s) => [s.name, s.mapping]))),
        sheets.reduce((n, s) => n + (s.kind ? s.rows : 0), 0),
      ],
    );
    await recordAudit(tx, imp.audit, {
      action: 'import.upload',
      targetType: 'import',
      targetId: id,
      details: { fileName, fileDigest: digest, fileSize: file.bytes.length, format: table.format },
    });
  });
  return preview(imp, deps, id, sheets);
}

async function importRow(imp: Importer, id: string, q: Queryable = imp.db): Promise<ImportRow> {
  const [row] = await q.query<ImportRow>('SELECT * FROM imports WHERE id = $1 AND organization_id = $2', [
    id,
    imp.organizationId,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return row;
}

async function preview(
  imp: Importer,
  deps: ImportDeps,
  id: string,
  sheets?: ImportSheet[],
): Promise<ImportPreview> {
  const row = await importRow(imp, id);
  // An import whose file is gone (committed, or abandoned) keeps its record; its sheets cannot be shown again.
  if (!sheets && row.file_removed_at) sheets = [];
  if (!sheets) {
    const table = await readStored(deps, id);
    sheets = table.sheets.map((s) => sheetView(analyse(s, row.mapping?.[s.name] ?? undefined)));
  }
  const same = await imp.db.query<{ id: string; status: ImportRecord['status']; created_at: Date }>(
    `SELECT id, status, created_at FROM imports
      WHERE organization_id = $1 AND file_digest = $2 AND id <> $3 ORDER BY created_at DESC LIMIT 20`,
    [imp.organizationId, row.file_digest, id],
  );
  return {
    ...toRecord(row),
    sheets,
    sameFileImports: same.map((s) => ({ id: s.id, status: s.status, createdAt: iso(s.created_at)! })),
  };
}

export const getImport = preview;

export async function listImports(
  imp: Importer,
  query: { limit: number; offset: number },
): Promise<{ total: number; items: ImportRecord[] }> {
  const [count] = await imp.db.query<{ n: string }>(
    'SELECT count(*) AS n FROM imports WHERE organization_id = $1',
    [imp.organizationId],
  );
  const rows = await imp.db.query<ImportRow>(
    'SELECT * FROM imports WHERE organization_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3',
    [imp.organizationId, query.limit, query.offset],
  );
  return { total: Number(count?.n ?? 0), items: rows.map(toRecord) };
}

// ------------------------------------------------------------------------------------------ mappings

async function savedMapping(imp: Importer, name: string): Promise<ColumnMapping> {
  const [row] = await imp.db.query<{ mapping: ColumnMapping }>(
    'SELECT mapping FROM import_mappings WHERE organization_id = $1 AND name = $2',
    [imp.organizationId, name],
  );
  if (!row)
    throw new ApiError('request.invalid', {
      errors: [
        {
          path: 'mappingName',
          code: 'unknown',
          message: `no saved mapping named "${name}"`,
          messages: {
            en: `No saved mapping is named "${name}".`,
            ko: `"${name}"(이)라는 저장된 매핑이 없습니다.`,
          },
        },
      ],
    });
  return row.mapping;
}

export async function listMappings(imp: Importer) {
  const rows = await imp.db.query<{ name: string; mapping: ColumnMapping; updated_at: Date }>(
    'SELECT name, mapping, updated_at FROM import_mappings WHERE organization_id = $1 ORDER BY name',
    [imp.organizationId],
  );
  return rows.map((r) => ({ name: r.name, mapping: r.mapping, updatedAt: iso(r.updated_at)! }));
}

export async function saveMapping(imp: Importer, name: string, mapping: ColumnMapping, q?: Queryable) {
  const run = async (tx: Queryable) => {
    await tx.query(
      `INSERT INTO import_mappings (organization_id, name, mapping) VALUES ($1, $2, $3)
       ON CONFLICT (organization_id, name) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
      [imp.organizationId, name, JSON.stringify(mapping)],
    );
    await recordAudit(tx, imp.audit, {
      action: 'import.mapping_save',
      targetType: 'import_mapping',
      targetId: null,
      details: { name, columns: Object.keys(mapping).length },
    });
  };
  if (q) await run(q);
  else await imp.db.transaction(run);
  return { name, mapping, updatedAt: new Date().toISOString() };
}

// ------------------------------------------------------------------------------------------ the run

/** Which import fields can feed each field of the create schemas (to point an error at its column). */
const sourcesOf: Record<string, ImportField[]> = {
  familyName: ['familyName', 'romanizedName', 'name', 'mrz', 'mrzLine1'],
  givenName: ['givenName', 'romanizedName', 'name', 'mrz', 'mrzLine1'],
  nameHangul: ['nameHangul', 'name'],
  birthDate: ['birthDate', 'mrz', 'mrzLine2'],
  sex: ['sex', 'mrz', 'mrzLine2'],
  nationality: ['nationality', 'mrz', 'mrzLine2'],
  passportNumber: ['passportNumber', 'mrz', 'mrzLine2'],
  passportExpiry: ['passportExpiry', 'mrz', 'mrzLine2'],
  emergencyContact: ['emergencyPhone', 'emergencyName'],
  workerId: ['workerPassportNumber', 'passportNumber'],
  projectId: ['project'],
};

interface PendingWorker {
  sheet: string;
  row: number;
  input: z.infer<typeof createWorkerSchema>;
  hash: string;
  label: string;
}
interface PendingDependent {
  sheet: string;
  row: number;
  workerHash: string;
  input: z.infer<typeof createDependentSchema>;
  label: string;
}
interface PendingAssignment {
  sheet: string;
  row: number;
  workerHash: string;
  projectId: string;
  input: Omit<z.infer<typeof createAssignmentSchema>, 'workerId'>;
  label: string;
}

interface Plan {
  rows: number;
  errors: ImportError[];
  errorRows: Set<string>;
  outcomes: ImportResult['outcomes'];
  workers: PendingWorker[];
  dependents: PendingDependent[];
  assignments: PendingAssignment[];
  counts: ImportCounts;
  /** Passport hash -> existing worker id. */
  existingWorkers: Map<string, string>;
}

interface ProjectRef {
  id: string;
  code: string | null;
  name: string;
  start_date: string;
  end_date: string | null;
  [key: string]: unknown;
}

async function visibleProjects(imp: Importer, q: Queryable): Promise<ProjectRef[]> {
  return q.query<ProjectRef>(
    `SELECT id, code, name, start_date::text, end_date::text FROM projects p
      WHERE p.organization_id = $1 OR p.id IN (SELECT project_id FROM project_partners WHERE partner_id = $1)`,
    [imp.organizationId],
  );
}

async function plan(imp: Importer, deps: ImportDeps, sheets: AnalysedSheet[], q: Queryable): Promise<Plan> {
  const today = (deps.now ? deps.now() : new Date()).toISOString().slice(0, 10);
  const p: Plan = {
    rows: 0,
    errors: [],
    errorRows: new Set(),
    outcomes: [],
    workers: [],
    dependents: [],
    assignments: [],
    counts: {
      workers: { created: 0, existing: 0 },
      dependents: { created: 0, existing: 0 },
      assignments: { created: 0, existing: 0 },
    },
    existingWorkers: new Map(),
  };
  const addError = (
    a: AnalysedSheet,
    row: number,
    field: ImportField | null,
    value: string,
    message: { en: string; ko: string },
    columnName?: string,
  ) => {
    p.errorRows.add(`${a.sheet.name}\u0000${row}`);
    if (p.errors.length >= MAX_ERRORS * 4) return;
    const col = field !== null ? a.columns.get(field) : undefined;
    p.errors.push({
      sheet: a.sheet.name,
      row,
      column: columnName ?? (col !== undefined ? a.headers[col]! : ''),
      field,
      value: value.slice(0, 200),
      message,
    });
  };
  const sourceColumn = (a: AnalysedSheet, key: string): ImportField | null =>
    (sourcesOf[key] ?? [key as ImportField]).find((f) => a.columns.has(f)) ?? null;

  const projects = await visibleProjects(imp, q);
  const projectByKey = new Map<string, ProjectRef>();
  for (const pr of projects) {
    projectByKey.set(pr.id, pr);
    projectByKey.set(pr.name.trim().toLowerCase(), pr);
    if (pr.code) projectByKey.set(pr.code.trim().toLowerCase(), pr);
  }

  const fileWorkers = new Map<string, PendingWorker>();
  const seenPassports = new Map<string, { sheet: string; row: number }>();
  const rowAssignments: {
    a: AnalysedSheet;
    row: number;
    hash: string;
    project: string;
    fields: Record<string, unknown>;
  }[] = [];
  const rowDependents: {
    a: AnalysedSheet;
    row: number;
    hash: string;
    input: z.infer<typeof createDependentSchema>;
  }[] = [];

  for (const a of sheets) {
    if (!a.kind) continue;
    const kind = a.kind;
    const entries = [...a.columns.entries()];
    for (let i = a.headerIndex + 1; i < a.sheet.rows.length; i++) {
      const cells = a.sheet.rows[i]!;
      if (!cells.some((c) => cellText(c) !== '')) continue;
      const rowNo = i + 1;
      p.rows++;
      const values: RowValues = {};
      for (const [field, col] of entries) values[field] = cells[col];
      const converted = convertRow(kind, values);
      for (const pr of converted.problems) addError(a, rowNo, pr.field, pr.value, pr.message);
      const reported = new Set(converted.problems.map((pr) => pr.field));
      const schema =
        kind === 'workers' ? createWorkerSchema : kind === 'dependents' ? createDependentSchema : null;
      let input: Record<string, unknown> | null = null;
      if (schema) {
        const parsed = schema.safeParse(converted.record);
        if (parsed.success) input = parsed.data as Record<string, unknown>;
        else
          for (const issue of parsed.error.issues) {
            const key = String(issue.path[0] ?? '');
            const field = sourceColumn(a, key);
            // The cell was already reported as unreadable: one error per cell.
            if (field && reported.has(field)) continue;
            const label = fieldLabels[(key in fieldLabels ? key : (field ?? 'name')) as ImportField];
            const missing = converted.record[key] === undefined;
            const m = issueMessages(issue);
            addError(
              a,
              rowNo,
              field,
              field ? cellText(values[field]) : '',
              missing
                ? { en: `${label.en} is missing.`, ko: `${label.ko}이(가) 없습니다.` }
                : { en: `${label.en}: ${m.en}`, ko: `${label.ko}: ${m.ko}` },
            );
          }
      }
      const wp = converted.workerPassportNumber;
      // Workers' rows hash their (normalized) passport number below; others name the worker by it.
      let hash = wp && kind !== 'workers' ? passportHash(deps.cipher, wp) : null;

      if (kind === 'workers') {
        const w = input as z.infer<typeof createWorkerSchema> | null;
        if (w && w.birthDate >= today)
          addError(a, rowNo, sourceColumn(a, 'birthDate'), w.birthDate, {
            en: 'The date of birth must be in the past.',
            ko: '생년월일은 과거 날짜여야 합니다.',
          });
        if (w && w.employedSince && w.employedSince > today)
          addError(a, rowNo, 'employedSince', w.employedSince, {
            en: 'The start of employment must not be in the future.',
            ko: '입사일은 미래 날짜일 수 없습니다.',
          });
        // Duplicates by passport, even among rows that have other errors.
        const number =
          w?.passportNumber ??
          (typeof converted.record.passportNumber === 'string' ? converted.record.passportNumber : null);
        const h = number ? passportHash(deps.cipher, number) : null;
        hash = h;
        const earlier = h ? seenPassports.get(h) : undefined;
        if (h && earlier)
          addError(a, rowNo, sourceColumn(a, 'passportNumber'), number!, {
            en: `The same passport number is on row ${earlier.row}${earlier.sheet !== a.sheet.name ? ` of sheet ${earlier.sheet}` : ''}: a worker is listed twice.`,
            ko: `${earlier.sheet !== a.sheet.name ? `${earlier.sheet} 시트 ` : ''}${earlier.row}행과 여권번호가 같습니다: 같은 근로자가 두 번 있습니다.`,
          });
        else if (h) seenPassports.set(h, { sheet: a.sheet.name, row: rowNo });
        if (w && h && !earlier)
          fileWorkers.set(h, {
            sheet: a.sheet.name,
            row: rowNo,
            input: w,
            hash: h,
            label: `${w.nameHangul} ${w.familyName} ${w.givenName}`,
          });
      }
      if (kind === 'dependents' && input && hash)
        rowDependents.push({ a, row: rowNo, hash, input: input as z.infer<typeof createDependentSchema> });
      if (kind === 'dependents' && !hash)
        addError(a, rowNo, 'workerPassportNumber', '', {
          en: "The worker's passport number is missing: it tells whose dependent this is.",
          ko: '근로자 여권번호가 없습니다: 누구의 가족인지 알 수 있어야 합니다.',
        });
      const assignmentFields = kind === 'assignments' ? converted.record : converted.assignment;
      if (assignmentFields && hash) {
        if (!converted.project)
          addError(a, rowNo, 'project', '', { en: 'The project is missing.', ko: '프로젝트가 없습니다.' });
        else
          rowAssignments.push({ a, row: rowNo, hash, project: converted.project, fields: assignmentFields });
      } else if (kind === 'assignments' && !hash)
        addError(a, rowNo, 'workerPassportNumber', '', {
          en: "The worker's passport number is missing.",
          ko: '근로자 여권번호가 없습니다.',
        });
    }
  }

  // Which of the file's workers already exist (matched by the passport's keyed hash within the organization).
  const wanted = [
    ...new Set([
      ...fileWorkers.keys(),
      ...rowDependents.map((d) => d.hash),
      ...rowAssignments.map((x) => x.hash),
    ]),
  ];
  for (let i = 0; i < wanted.length; i += 10_000) {
    const rows = await q.query<{ id: string; passport_hash: string }>(
      'SELECT id, passport_hash FROM workers WHERE organization_id = $1 AND passport_hash = ANY ($2::text[])',
      [imp.organizationId, wanted.slice(i, i + 10_000)],
    );
    for (const r of rows) p.existingWorkers.set(r.passport_hash, r.id);
  }
  for (const w of fileWorkers.values()) {
    const bad = p.errorRows.has(`${w.sheet}\u0000${w.row}`);
    if (bad) continue;
    if (p.existingWorkers.has(w.hash)) p.counts.workers.existing++;
    else {
      p.counts.workers.created++;
      p.workers.push(w);
    }
  }
  const knownWorker = (hash: string) => p.existingWorkers.get(hash) ?? (fileWorkers.has(hash) ? 'new' : null);
  const noWorker = {
    en: 'No worker with this passport number is registered in your organization or listed in this file.',
    ko: '이 여권번호의 근로자가 조직에 등록되어 있지 않고 이 파일에도 없습니다.',
  };

  // Dependents: matched by worker, relationship, birth date and given name.
  const existingDeps = new Set<string>();
  const existingIds = [
    ...new Set(rowDependents.map((d) => p.existingWorkers.get(d.hash)).filter((x): x is string => !!x)),
  ];
  if (existingIds.length) {
    const rows = await q.query<{
      worker_id: string;
      relationship: string;
      birth_date: string;
      given_name: string;
    }>(
      `SELECT worker_id, relationship, birth_date::text, upper(given_name) AS given_name FROM dependents
        WHERE worker_id = ANY ($1::uuid[])`,
      [existingIds],
    );
    for (const r of rows)
      existingDeps.add(`${r.worker_id}|${r.relationship}|${r.birth_date}|${r.given_name}`);
  }
  const seenDeps = new Set<string>();
  for (const d of rowDependents) {
    const worker = knownWorker(d.hash);
    if (!worker) {
      addError(
        d.a,
        d.row,
        d.a.columns.has('workerPassportNumber') ? 'workerPassportNumber' : 'passportNumber',
        '',
        noWorker,
      );
      continue;
    }
    if (p.errorRows.has(`${d.a.sheet.name}\u0000${d.row}`)) continue;
    const key = `${worker === 'new' ? d.hash : worker}|${d.input.relationship}|${d.input.birthDate}|${d.input.givenName.toUpperCase()}`;
    const label = `${d.input.nameHangul ?? ''} ${d.input.familyName} ${d.input.givenName}`.trim();
    if (seenDeps.has(key)) {
      addError(d.a, d.row, null, '', {
        en: 'This dependent is listed twice in the file.',
        ko: '같은 동반 가족이 파일에 두 번 있습니다.',
      });
      continue;
    }
    seenDeps.add(key);
    if (worker !== 'new' && existingDeps.has(key)) p.counts.dependents.existing++;
    else {
      p.counts.dependents.created++;
      p.dependents.push({ sheet: d.a.sheet.name, row: d.row, workerHash: d.hash, input: d.input, label });
    }
  }

  // Assignments: the project by id, code or name among the projects the organization works on.
  const existingAssign = new Set<string>();
  const assignWorkerIds = [
    ...new Set(rowAssignments.map((x) => p.existingWorkers.get(x.hash)).filter((x): x is string => !!x)),
  ];
  if (assignWorkerIds.length) {
    const rows = await q.query<{
      worker_id: string;
      project_id: string;
      start_date: string;
      end_date: string;
    }>(
      `SELECT worker_id, project_id, start_date::text, end_date::text FROM assignments WHERE worker_id = ANY ($1::uuid[])`,
      [assignWorkerIds],
    );
    for (const r of rows) existingAssign.add(`${r.worker_id}|${r.project_id}|${r.start_date}|${r.end_date}`);
  }
  const seenAssign = new Set<string>();
  for (const x of rowAssignments) {
    const project = projectByKey.get(x.project) ?? projectByKey.get(x.project.trim().toLowerCase());
    if (!project) {
      addError(x.a, x.row, 'project', x.project, {
        en: `No project "${x.project}" among the projects your organization works on (give its name, code or id).`,
        ko: `조직이 참여하는 프로젝트 중 "${x.project}"이(가) 없습니다(이름, 코드 또는 ID를 쓰세요).`,
      });
      continue;
    }
    const worker = knownWorker(x.hash);
    if (!worker) {
      addError(
        x.a,
        x.row,
        x.a.columns.has('workerPassportNumber') ? 'workerPassportNumber' : 'passportNumber',
        '',
        noWorker,
      );
      continue;
    }
    const parsed = createAssignmentSchema.safeParse({
      workerId: '00000000-0000-4000-8000-000000000000',
      projectId: project.id,
      ...x.fields,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '');
        const field = sourceColumn(x.a, key);
        const label = fieldLabels[(field ?? 'project') as ImportField];
        const m = issueMessages(issue);
        addError(
          x.a,
          x.row,
          field,
          field ? cellText(x.a.sheet.rows[x.row - 1]![x.a.columns.get(field)!]) : '',
          x.fields[key] === undefined
            ? { en: `${label.en} is missing.`, ko: `${label.ko}이(가) 없습니다.` }
            : { en: `${label.en}: ${m.en}`, ko: `${label.ko}: ${m.ko}` },
        );
      }
      continue;
    }
    const input = parsed.data;
    if (input.startDate < project.start_date || (project.end_date && input.endDate > project.end_date)) {
      addError(x.a, x.row, input.startDate < project.start_date ? 'startDate' : 'endDate', '', {
        en: `The assignment must fall within the project (${project.start_date} – ${project.end_date ?? '…'}).`,
        ko: `배치 기간은 프로젝트 기간(${project.start_date} – ${project.end_date ?? '…'}) 안이어야 합니다.`,
      });
      continue;
    }
    if (p.errorRows.has(`${x.a.sheet.name}\u0000${x.row}`)) continue;
    const key = `${worker === 'new' ? x.hash : worker}|${project.id}|${input.startDate}|${input.endDate}`;
    if (seenAssign.has(key)) {
      addError(x.a, x.row, null, '', {
        en: 'The same assignment is listed twice in the file.',
        ko: '같은 배치가 파일에 두 번 있습니다.',
      });
      continue;
    }
    seenAssign.add(key);
    if (worker !== 'new' && existingAssign.has(key)) p.counts.assignments.existing++;
    else {
      p.counts.assignments.created++;
      const { workerId: _w, projectId: _p, ...rest } = input;
      p.assignments.push({
        sheet: x.a.sheet.name,
        row: x.row,
        workerHash: x.hash,
        projectId: project.id,
        input: { ...rest, projectId: project.id },
        label: project.name,
      });
    }
  }

  // Outcomes for the preview: errors first, then what each valid row becomes.
  const rowsWithError = new Set(p.errors.map((e) => `${e.sheet}\u0000${e.row}`));
  for (const e of p.errors) {
    if (p.outcomes.length >= MAX_OUTCOMES) break;
    if (!rowsWithError.delete(`${e.sheet}\u0000${e.row}`)) continue;
    const a = sheets.find((s) => s.sheet.name === e.sheet)!;
    p.outcomes.push({
      sheet: e.sheet,
      row: e.row,
      kind: a.kind!,
      outcome: 'error',
      label: rowLabel(a, e.row),
    });
  }
  for (const w of fileWorkers.values()) {
    if (p.outcomes.length >= MAX_OUTCOMES) break;
    if (p.errorRows.has(`${w.sheet}\u0000${w.row}`)) continue;
    p.outcomes.push({
      sheet: w.sheet,
      row: w.row,
      kind: 'workers',
      outcome: p.existingWorkers.has(w.hash) ? 'existing' : 'create',
      label: w.label,
    });
  }
  return p;
}

function rowLabel(a: AnalysedSheet, row: number): string {
  const cells = a.sheet.rows[row - 1] ?? [];
  const pick = (f: ImportField) => (a.columns.has(f) ? cellText(cells[a.columns.get(f)!]) : '');
  return [pick('name'), pick('nameHangul'), pick('romanizedName'), pick('familyName'), pick('givenName')]
    .filter(Boolean)
    .join(' ')
    .slice(0, 80);
}

function sheetsFor(
  table: { sheets: Sheet[] },
  row: ImportRow,
  run: ImportRun,
  named?: ColumnMapping,
): AnalysedSheet[] {
  return table.sheets.map((s) => {
    const base = { ...(row.mapping?.[s.name] ?? {}), ...(named ?? {}), ...(run.mappings?.[s.name] ?? {}) };
    return analyse(s, base);
  });
}

/**
 * Runs an uploaded import: a dry run (`commit: false`) reports every row's outcome and errors and writes
 * nothing but the import's record; a commit writes everything in one transaction, or nothing if any row has
 * an error (then it fails with `import.has_errors` and the errors).
 */
export async function runImport(
  imp: Importer,
  deps: ImportDeps,
  id: string,
  run: ImportRun,
  {
    commit,
    onProgress,
    throwOnErrors = true,
  }: {
    commit: boolean;
    onProgress?: (done: number, total: number) => void;
    /** When false, a commit with row errors returns the result (nothing written) instead of failing. */
    throwOnErrors?: boolean;
  },
): Promise<ImportResult> {
  const record = await importRow(imp, id);
  if (record.status === 'committed') throw new ApiError('import.already_committed');
  if (record.status === 'abandoned') throw new ApiError('import.file_removed');
  let table;
  try {
    table = await readStored(deps, id);
  } catch (error) {
    if (error instanceof FileReadError) throw unreadable(error);
    throw error;
  }
  const named = run.mappingName ? await savedMapping(imp, run.mappingName) : undefined;
  const sheets = sheetsFor(table, record, run, named);
  if (!sheets.some((s) => s.kind)) throw new ApiError('import.nothing_to_import');
  const mappingJson = JSON.stringify(
    Object.fromEntries(sheets.map((s) => [s.sheet.name, sheetView(s).mapping])),
  );

  const work = async (q: Queryable) => {
    if (commit)
      await q.query("SELECT pg_advisory_xact_lock(hashtext('korus.import:' || $1::text))", [
        imp.organizationId,
      ]);
    const p = await plan(imp, deps, sheets, q);
    const valid = p.rows - p.errorRows.size;
    const result: ImportResult = {
      importId: id,
      dryRun: !commit,
      rows: p.rows,
      valid,
      imported: 0,
      errors: p.errors.slice(0, MAX_ERRORS),
      errorCount: p.errors.length,
      counts: p.counts,
      outcomes: p.outcomes,
    };
    if (commit && p.errors.length) return { result, p };
    if (commit) {
      result.imported = await write(imp, deps, id, p, q, onProgress);
      await recordAudit(q, imp.audit, {
        action: 'import.commit',
        targetType: 'import',
        targetId: id,
        details: {
          fileName: record.file_name,
          fileDigest: record.file_digest,
          rows: p.rows,
          counts: p.counts,
        },
      });
    }
    if (run.saveMappingAs) {
      const first = sheets.find((s) => s.kind)!;
      await saveMapping(imp, run.saveMappingAs, sheetView(first).mapping, q);
    }
    await q.query(
      `UPDATE imports SET status = $2, mapping = $3, rows = $4, valid = $5, imported = $6, errors = $7, counts = $8,
              checked_at = now(), committed_at = CASE WHEN $2 = 'committed' THEN now() ELSE committed_at END
        WHERE id = $1`,
      [
        id,
        commit ? 'committed' : 'checked',
        mappingJson,
        p.rows,
        valid,
        result.imported,
        p.errors.length,
        JSON.stringify(p.counts),
      ],
    );
    return { result, p };
  };

  if (!commit) return (await imp.db.transaction(work)).result;
  const { result } = await imp.db.transaction(work);
  if (result.errorCount === 0) {
    removeStored(deps, id);
    await imp.db.query('UPDATE imports SET file_removed_at = now() WHERE id = $1', [id]);
  }
  if (result.errorCount > 0) {
    // Nothing was written (the transaction above ends with no change); record the check outside of it.
    await imp.db.query(
      `UPDATE imports SET status = 'checked', mapping = $2, rows = $3, valid = $4, imported = 0, errors = $5,
              counts = $6, checked_at = now() WHERE id = $1`,
      [id, mappingJson, result.rows, result.valid, result.errorCount, JSON.stringify(result.counts)],
    );
    if (!throwOnErrors) return result;
    throw new ApiError('import.has_errors', {
      errors: result.errors.slice(0, 100).map((e) => ({
        path: `${e.sheet}!${e.row}${e.column ? `:${e.column}` : ''}`,
        code: 'invalid',
        message: e.message.en,
        messages: e.message,
      })),
    });
  }
  return result;
}

/** Bulk inserts with `unnest` (one statement per chunk of rows); returns the number of records created. */
async function write(
  imp: Importer,
  deps: ImportDeps,
  importId: string,
  p: Plan,
  q: Queryable,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const total = p.workers.length + p.dependents.length + p.assignments.length;
  let done = 0;
  const ids = new Map(p.existingWorkers);
  for (let i = 0; i < p.workers.length; i += CHUNK) {
    const chunk = p.workers.slice(i, i + CHUNK);
    const col = <T>(f: (w: PendingWorker) => T) => chunk.map(f);
    const rows = await q.query<{ id: string; passport_hash: string }>(
      `INSERT INTO workers (organization_id, family_name, given_name, name_hangul, birth_date, sex, nationality,
         passport_enc, passport_hash, passport_last4, passport_expiry, education, role, qualifications, skills,
         employed_since, phone, email, emergency_contact, search_text, import_id)
       SELECT $1::uuid, *, $20::uuid FROM unnest($2::text[], $3::text[], $4::text[], $5::date[], $6::text[], $7::text[], $8::text[],
         $9::text[], $10::text[], $11::date[], $12::text[], $13::text[], $14::jsonb[], $15::jsonb[], $16::date[],
         $17::text[], $18::text[], $19::jsonb[], $21::text[])
       RETURNING id, passport_hash`,
      [
        imp.organizationId,
        col((w) => w.input.familyName),
        col((w) => w.input.givenName),
        col((w) => w.input.nameHangul),
        col((w) => w.input.birthDate),
        col((w) => w.input.sex),
        col((w) => w.input.nationality),
        col((w) => deps.cipher.encrypt(w.input.passportNumber, PASSPORT_CONTEXT)),
        col((w) => w.hash),
        col((w) => w.input.passportNumber.slice(-4)),
        col((w) => w.input.passportExpiry),
        col((w) => w.input.education ?? null),
        col((w) => w.input.role ?? null),
        col((w) => JSON.stringify(w.input.qualifications ?? [])),
        col((w) => JSON.stringify(w.input.skills ?? [])),
        col((w) => w.input.employedSince ?? null),
        col((w) => w.input.phone ?? null),
        col((w) => w.input.email ?? null),
        col((w) => (w.input.emergencyContact ? JSON.stringify(w.input.emergencyContact) : null)),
        importId,
        col((w) => searchTextOf(w.input)),
      ],
    );
    for (const r of rows) ids.set(r.passport_hash, r.id);
    done += chunk.length;
    onProgress?.(done, total);
  }
  for (let i = 0; i < p.dependents.length; i += CHUNK) {
    const chunk = p.dependents.slice(i, i + CHUNK);
    await q.query(
      `INSERT INTO dependents (worker_id, relationship, family_name, given_name, name_hangul, birth_date, nationality,
         derivative_category, passport_expiry, import_id)
       SELECT *, $10::uuid FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::text[], $8::text[], $9::date[])`,
      [
        chunk.map((d) => ids.get(d.workerHash)!),
        chunk.map((d) => d.input.relationship),
        chunk.map((d) => d.input.familyName),
        chunk.map((d) => d.input.givenName),
        chunk.map((d) => d.input.nameHangul ?? null),
        chunk.map((d) => d.input.birthDate),
        chunk.map((d) => d.input.nationality),
        chunk.map((d) => d.input.derivativeCategory ?? null),
        chunk.map((d) => d.input.passportExpiry ?? null),
        importId,
      ],
    );
    done += chunk.length;
    onProgress?.(done, total);
  }
  for (let i = 0; i < p.assignments.length; i += CHUNK) {
    const chunk = p.assignments.slice(i, i + CHUNK);
    await q.query(
      `INSERT INTO assignments (organization_id, worker_id, project_id, activities, start_date, end_date, payer, import_id)
       SELECT $1::uuid, w, pr, ARRAY(SELECT jsonb_array_elements_text(act)), s, e, pay, $8::uuid
         FROM unnest($2::uuid[], $3::uuid[], $4::jsonb[], $5::date[], $6::date[], $7::text[]) AS t(w, pr, act, s, e, pay)`,
      [
        imp.organizationId,
        chunk.map((x) => ids.get(x.workerHash)!),
        chunk.map((x) => x.projectId),
        chunk.map((x) => JSON.stringify(x.input.activities)),
        chunk.map((x) => x.input.startDate),
        chunk.map((x) => x.input.endDate),
        chunk.map((x) => x.input.payer),
        importId,
      ],
    );
    done += chunk.length;
    onProgress?.(done, total);
  }
  return total;
}

/** Upload, check and (unless `dryRun`) commit in one call: the CLI and the benchmark. */
export async function importFile(
  imp: Importer,
  deps: ImportDeps,
  file: { fileName: string; bytes: Buffer },
  options: { dryRun: boolean; mappingName?: string; onProgress?: (done: number, total: number) => void },
): Promise<{ preview: ImportPreview; result: ImportResult }> {
  const preview = await uploadImport(imp, deps, file, options.mappingName);
  const run: ImportRun = options.mappingName ? { mappingName: options.mappingName } : {};
  // A commit validates every row itself and writes nothing when one has an error.
  const result = await runImport(imp, deps, preview.id, run, {
    commit: !options.dryRun,
    throwOnErrors: false,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { preview, result };
}

export { fieldForHeader };
