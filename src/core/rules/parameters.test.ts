import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadParameters, parameterAt, parameterEntryAt, ParameterValidationError } from './parameters.js';
import { defaultParametersDir } from './package-root.js';

const dir = defaultParametersDir();

function walk(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(folder, e.name)) : e.name.endsWith('.yaml') ? [join(folder, e.name)] : [],
  );
}

describe('every parameter file in rules/parameters', () => {
  const files = walk(dir);

  it('exists (the tree is not empty)', () => {
    expect(files.length).toBeGreaterThan(30);
  });

  for (const file of files) {
    it(`${file.slice(dir.length + 1)} has a unit, a bilingual label and a cited https reference for every value`, () => {
      const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(typeof doc.unit).toBe('string');
      expect(doc.label).toMatchObject({ en: expect.any(String), ko: expect.any(String) });
      const values = doc.values as Record<string, { reference?: { title?: string; href?: string }[] }>;
      expect(Object.keys(values).length).toBeGreaterThan(0);
      for (const [date, entry] of Object.entries(values)) {
        expect(date, 'effective date key stays a string').toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(entry.reference?.length, `${date} reference`).toBeGreaterThan(0);
        for (const ref of entry.reference ?? []) {
          expect(ref.title?.trim().length).toBeGreaterThan(0);
          expect(ref.href).toMatch(/^https:\/\//);
        }
      }
    });
  }

  it('all load and validate', () => {
    const set = loadParameters();
    expect(set.parameters.size).toBe(files.length);
    expect(set.parameters.get('dhs/cfr/8-cfr-217/esta-max-stay-days')?.file).toBe('rules/parameters/dhs/cfr/8-cfr-217/esta-max-stay-days.yaml');
  });
});

describe('parameterAt', () => {
  const set = loadParameters();
  it('selects the value in force on the as-of date', () => {
    expect(parameterAt(set, 'dhs/fees/esta-fee-usd', '2025-09-29')?.value).toBe(21);
    expect(parameterAt(set, 'dhs/fees/esta-fee-usd', '2025-09-30')).toMatchObject({ value: 40, effective: '2025-09-30' });
    expect(parameterAt(set, 'dhs/fees/esta-fee-usd', '2022-05-25')).toBeUndefined();
    expect(parameterAt(set, 'no/such/parameter', '2026-01-01')).toBeUndefined();
  });

  it('treats null as "not in force from this date" and keeps its verify mark', () => {
    expect(parameterAt(set, 'dhs/proclamations/h1b-entry-payment-usd', '2026-09-20')).toMatchObject({ value: 100000, status: 'verify' });
    expect(parameterAt(set, 'dhs/proclamations/h1b-entry-payment-usd', '2026-09-21')).toBeUndefined();
    expect(parameterEntryAt(set, 'dhs/proclamations/h1b-entry-payment-usd', '2026-09-21')).toMatchObject({ value: null, status: 'verify' });
  });

  it('returns structured values', () => {
    expect(parameterAt(set, 'korus/lead-times/b1', '2026-01-01')?.value).toEqual({ min: 14, typical: 45, max: 120 });
  });
});

describe('validation errors name the file and the field', () => {
  const root = mkdtempSync(join(tmpdir(), 'korus-params-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  function tree(files: Record<string, string>): string {
    const base = join(root, String(n++));
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(base, path)), { recursive: true });
      writeFileSync(join(base, path), content);
    }
    return base;
  }
  function issuesOf(base: string) {
    try {
      loadParameters(base);
    } catch (error) {
      expect(error).toBeInstanceOf(ParameterValidationError);
      return (error as ParameterValidationError).issues;
    }
    throw new Error('expected a validation error');
  }
  const good = `description: d\nlabel: { en: E, ko: 한 }\nunit: day\nreviewed: "2026-01-01"\nvalues:\n  2024-01-01:\n    value: 90\n    reference:\n      - title: t\n        href: https://example.gov/x\n`;

  it('accepts a valid file with an unquoted date key, as a string', () => {
    const set = loadParameters(tree({ 'a/b.yaml': good }));
    expect(set.parameters.get('a/b')?.values[0]?.effective).toBe('2024-01-01');
  });

  it('rejects a value without a reference', () => {
    const issues = issuesOf(tree({ 'a/x.yaml': good.replace(/    reference:[\s\S]*$/, '    reference: []\n') }));
    expect(issues).toEqual([expect.objectContaining({ file: 'rules/parameters/a/x.yaml', field: 'values.2024-01-01.reference' })]);
  });

  it('rejects http references, wrong units, bad dates and unknown fields', () => {
    expect(issuesOf(tree({ 'h.yaml': good.replace('https://', 'http://') }))[0]).toMatchObject({ field: 'values.2024-01-01.reference.0.href' });
    expect(issuesOf(tree({ 'u.yaml': good.replace('value: 90', 'value: ninety') }))[0]).toMatchObject({ field: 'values.2024-01-01.value' });
    expect(issuesOf(tree({ 'd.yaml': good.replace('2024-01-01', '2024-02-30') }))[0]).toMatchObject({ field: 'values.2024-02-30' });
    expect(issuesOf(tree({ 'k.yaml': good + 'extra: 1\n' }))[0]).toMatchObject({ file: 'rules/parameters/k.yaml' });
    expect(issuesOf(tree({ 'l.yaml': good.replace('ko: 한', 'ko: ""') }))[0]).toMatchObject({ field: 'label.ko' });
    expect(issuesOf(tree({ 'y.yaml': 'values: [\n' }))[0]?.message).toMatch(/not valid YAML/);
  });

  it('reports every problem in one error message', () => {
    const base = tree({ 'one.yaml': good.replace('unit: day', 'unit: furlong'), 'two.yaml': good.replace('value: 90', 'value: true') });
    expect(() => loadParameters(base)).toThrow(/one\.yaml: unit[\s\S]*two\.yaml: values\.2024-01-01\.value/);
  });
});
