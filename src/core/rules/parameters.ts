import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parameterUnitSchema, parameterValueSchema, type ParameterUnit, type ParameterValue } from '../../contract/rules-catalog.js';
import { isIsoDate } from '../dates/index.js';
import { defaultParametersDir } from './package-root.js';

/**
 * Legal values as dated, cited data (OpenFisca's parameters): one YAML file per parameter under
 * `rules/parameters/`, the id being its path without `.yaml`; values keyed by the ISO date they take effect.
 * Loaded and validated once, at start-up; lookups by as-of date afterwards are pure.
 */

export interface ParameterReference {
  title: string;
  href: string;
}

export interface ParameterEntry {
  effective: string;
  /** `null`: not in force from this date. */
  value: ParameterValue;
  reference: ParameterReference[];
  status?: 'verify';
  note?: string;
}

export interface ParameterDefinition {
  id: string;
  file: string;
  description: string;
  label: { en: string; ko: string };
  unit: ParameterUnit;
  /** Sorted by effective date, oldest first. */
  values: ParameterEntry[];
  /** When someone last checked the parameter against its sources (issue 16: the review cycle). */
  reviewed: string;
  /** When it is due for review again: given, or a year after `reviewed` (six months when a value is `verify`). */
  reviewBy: string;
}

export interface ParameterSet {
  dir: string;
  parameters: ReadonlyMap<string, ParameterDefinition>;
}

export interface ResolvedParameter {
  value: ParameterValue;
  effective: string;
  reference: ParameterReference[];
  status?: 'verify';
  note?: string;
}

export interface ParameterIssue {
  file: string;
  field: string;
  message: string;
}

export class ParameterValidationError extends Error {
  constructor(readonly issues: ParameterIssue[]) {
    super(
      `invalid rule parameters:\n` + issues.map((i) => `  ${i.file}: ${i.field || '(file)'}: ${i.message}`).join('\n'),
    );
    this.name = 'ParameterValidationError';
  }
}

const referenceSchema = z
  .object({
    title: z.string().trim().min(1, 'a reference needs a title'),
    href: z.string().regex(/^https:\/\/\S+$/, 'a reference needs an https URL'),
  })
  .strict();

const entrySchema = z
  .object({
    value: parameterValueSchema,
    reference: z.array(referenceSchema).min(1, 'every value needs at least one reference (title and https URL)'),
    status: z.literal('verify').optional(),
    note: z.string().optional(),
  })
  .strict();

const reviewDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');

const fileSchema = z
  .object({
    description: z.string().trim().min(1),
    label: z.object({ en: z.string().trim().min(1), ko: z.string().trim().min(1) }).strict(),
    unit: parameterUnitSchema,
    reviewed: z.string({ error: 'every parameter needs `reviewed: YYYY-MM-DD` (when it was last checked against its sources)' }).pipe(reviewDate),
    reviewBy: reviewDate.optional(),
    values: z.record(z.string(), z.unknown()),
  })
  .strict();

/** The default review date: a year after the last review, six months when anything is uncertain (`verify`). */
export function defaultReviewBy(reviewed: string, uncertain: boolean): string {
  const [y, m, d] = reviewed.split('-').map(Number) as [number, number, number];
  const months = uncertain ? 6 : 12;
  const total = m - 1 + months;
  const year = y + Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const numericUnits = new Set<ParameterUnit>(['day', 'usd', 'count', 'percent', 'year', 'month']);

/** Why a value does not fit its unit, or undefined. Numeric units also allow a record of numbers (a range). */
function unitProblem(unit: ParameterUnit, value: ParameterValue): string | undefined {
  if (value === null) return undefined;
  if (numericUnits.has(unit)) {
    if (typeof value === 'number') return Number.isFinite(value) ? undefined : 'must be a finite number';
    if (typeof value === 'object' && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'number')) {
      return undefined;
    }
    return `unit ${unit} needs a number (or an object of numbers such as {min, typical, max})`;
  }
  if (unit === 'boolean') return typeof value === 'boolean' ? undefined : 'unit boolean needs true or false';
  if (unit === 'date') return typeof value === 'string' && isIsoDate(value) ? undefined : 'unit date needs YYYY-MM-DD';
  if (unit === 'text') return typeof value === 'string' ? undefined : 'unit text needs a string';
  return typeof value === 'object' ? undefined : 'unit object needs a mapping or a list';
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (entry.isFile() && (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml'))) out.push(path);
  }
  return out.sort();
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Reads and validates one parameter file. */
export function parseParameterFile(id: string, file: string, text: string): { definition?: ParameterDefinition; issues: ParameterIssue[] } {
  const issues: ParameterIssue[] = [];
  let raw: unknown;
  try {
    // YAML 1.2 core schema: no timestamp type, so `2025-09-30:` stays the string "2025-09-30" (no Date, no zone).
    raw = parseYaml(text, { schema: 'core', version: '1.2', uniqueKeys: true, merge: false });
  } catch (error) {
    return { issues: [{ file, field: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const head = fileSchema.safeParse(raw);
  if (!head.success) {
    for (const issue of head.error.issues) issues.push({ file, field: fieldOf(issue.path), message: issue.message });
    return { issues };
  }
  const values: ParameterEntry[] = [];
  const keys = Object.keys(head.data.values);
  if (keys.length === 0) issues.push({ file, field: 'values', message: 'needs at least one dated value' });
  for (const effective of keys) {
    const field = `values.${effective}`;
    if (!isIsoDate(effective)) {
      issues.push({ file, field, message: 'keys of values must be effective dates YYYY-MM-DD' });
      continue;
    }
    const entry = entrySchema.safeParse(head.data.values[effective]);
    if (!entry.success) {
      for (const issue of entry.error.issues) {
        issues.push({ file, field: [field, fieldOf(issue.path)].filter(Boolean).join('.'), message: issue.message });
      }
      continue;
    }
    const problem = unitProblem(head.data.unit, entry.data.value);
    if (problem) issues.push({ file, field: `${field}.value`, message: problem });
    values.push({ effective, ...entry.data });
  }
  if (issues.length > 0) return { issues };
  values.sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0));
  const uncertain = values.some((v) => v.status === 'verify');
  const reviewBy = head.data.reviewBy ?? defaultReviewBy(head.data.reviewed, uncertain);
  if (reviewBy < head.data.reviewed) issues.push({ file, field: 'reviewBy', message: 'must not be before reviewed' });
  if (issues.length > 0) return { issues };
  return {
    definition: {
      id,
      file,
      description: head.data.description,
      label: head.data.label,
      unit: head.data.unit,
      values,
      reviewed: head.data.reviewed,
      reviewBy,
    },
    issues,
  };
}

/** Loads every parameter file below `dir` (default `<package root>/rules/parameters`); throws on any problem. */
export function loadParameters(dir: string = defaultParametersDir()): ParameterSet {
  const parameters = new Map<string, ParameterDefinition>();
  const issues: ParameterIssue[] = [];
  for (const path of yamlFiles(dir)) {
    const relativePath = relative(dir, path).split(sep).join('/');
    const id = relativePath.replace(/\.ya?ml$/, '');
    const file = `rules/parameters/${relativePath}`;
    const parsed = parseParameterFile(id, file, readFileSync(path, 'utf8'));
    issues.push(...parsed.issues);
    if (parsed.definition) {
      if (parameters.has(id)) issues.push({ file, field: '', message: `duplicate parameter id ${id}` });
      parameters.set(id, parsed.definition);
    }
  }
  if (issues.length > 0) throw new ParameterValidationError(issues);
  return { dir, parameters };
}

/** The dated entry in force on `asOf`, including a `null` entry ("not in force from this date"). */
export function parameterEntryAt(set: ParameterSet, id: string, asOf: string): ParameterEntry | undefined {
  const definition = set.parameters.get(id);
  if (!definition) return undefined;
  let found: ParameterEntry | undefined;
  for (const entry of definition.values) {
    if (entry.effective <= asOf) found = entry;
    else break;
  }
  return found;
}

/** The value in force on `asOf`, or undefined when none is (before the first date, or a `null` entry). */
export function parameterAt(set: ParameterSet, id: string, asOf: string): ResolvedParameter | undefined {
  const entry = parameterEntryAt(set, id, asOf);
  if (!entry || entry.value === null) return undefined;
  return entry;
}
