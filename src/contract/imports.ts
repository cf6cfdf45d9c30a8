import { z } from 'zod';
import { importFields } from '../core/import/fields.js';

export { importFields };

/**
 * Bulk import (issue 7): upload a roster file, map its columns, dry-run, commit all or nothing; and the
 * history. Row-level errors give the sheet, the row number as the spreadsheet shows it, the column's header,
 * the value and a message in English and Korean.
 */
export const importKinds = ['workers', 'dependents', 'assignments'] as const;
export const importStatuses = ['uploaded', 'checked', 'committed', 'abandoned'] as const;
export const importFieldSchema = z.enum(importFields);
export const columnMappingSchema = z.record(z.string().max(200), importFieldSchema.nullable());

const bilingual = z.object({ en: z.string(), ko: z.string() });

export const importErrorSchema = z.object({
  sheet: z.string(),
  /** 1-based, as the spreadsheet numbers its rows (the header row included). */
  row: z.number().int(),
  /** The column's header as the file writes it ('' for a problem with the whole row). */
  column: z.string(),
  field: z.string().nullable(),
  value: z.string(),
  message: bilingual,
});
export type ImportError = z.infer<typeof importErrorSchema>;

export const importSheetSchema = z.object({
  name: z.string(),
  /** 1-based row of the headers (rows above it, such as a title, are skipped). */
  headerRow: z.number().int(),
  headers: z.array(z.string()),
  mapping: columnMappingSchema,
  kind: z.enum(importKinds).nullable(),
  /** Data rows below the header row. */
  rows: z.number().int(),
  /** Required fields no column fills: each group lists alternatives. */
  missing: z.array(z.array(importFieldSchema)),
  /** The first data rows, as text, for the mapping screen. */
  sample: z.array(z.array(z.string())),
  problems: z.array(z.object({ column: z.string(), message: bilingual })),
});
export type ImportSheet = z.infer<typeof importSheetSchema>;

const outcomeCounts = z.object({ created: z.number().int(), existing: z.number().int() });
export const importCountsSchema = z.object({
  workers: outcomeCounts,
  dependents: outcomeCounts,
  assignments: outcomeCounts,
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

export const importRecordSchema = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  fileName: z.string(),
  /** SHA-256 of the file, hex. */
  fileDigest: z.string(),
  fileSize: z.number().int(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  status: z.enum(importStatuses),
  createdBy: z.string(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
  rows: z.number().int().nullable(),
  valid: z.number().int().nullable(),
  imported: z.number().int().nullable(),
  errors: z.number().int().nullable(),
  counts: importCountsSchema.nullable(),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;

export const importPreviewSchema = importRecordSchema.extend({
  sheets: z.array(importSheetSchema),
  /** Earlier imports of the very same file (same digest) into this organization. */
  sameFileImports: z.array(z.object({ id: z.uuid(), status: z.enum(importStatuses), createdAt: z.string() })),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

export const rowOutcomes = ['create', 'existing', 'error'] as const;
export const importResultSchema = z.object({
  importId: z.uuid(),
  dryRun: z.boolean(),
  rows: z.number().int(),
  valid: z.number().int(),
  imported: z.number().int(),
  /** Every row error up to 1,000 (`errorCount` has them all). */
  errors: z.array(importErrorSchema),
  errorCount: z.number().int(),
  counts: importCountsSchema,
  /** What each row becomes, up to 500 rows, errors first. */
  outcomes: z.array(
    z.object({
      sheet: z.string(),
      row: z.number().int(),
      kind: z.enum(importKinds),
      outcome: z.enum(rowOutcomes),
      label: z.string(),
    }),
  ),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const importRunSchema = z.object({
  /** Mapping per sheet name; sheets left out keep the suggested (or named) mapping. */
  mappings: z.record(z.string().max(200), columnMappingSchema).optional(),
  /** A saved mapping to apply to every sheet. */
  mappingName: z.string().trim().min(1).max(80).optional(),
  /** Save the mapping used (of the first importable sheet) under this name. */
  saveMappingAs: z.string().trim().min(1).max(80).optional(),
});
export type ImportRun = z.infer<typeof importRunSchema>;

export const savedMappingSchema = z.object({
  name: z.string(),
  mapping: columnMappingSchema,
  updatedAt: z.string(),
});
export const importListSchema = z.object({ total: z.number().int(), items: z.array(importRecordSchema) });

export const exportFormats = ['csv', 'xlsx'] as const;
export const exportQuerySchema = z.object({ format: z.enum(exportFormats).default('csv') });
