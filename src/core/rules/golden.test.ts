import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { categoryIds, type AssessmentResponse, type CategoryResult } from '../../contract/assessment.js';
import { assess, AssessmentInputError, loadRules, parseAssessmentRequest } from './index.js';
import { packageRoot } from './package-root.js';

/**
 * Golden cases (OpenFisca's YAML tests, written before the rules): `rules/tests/<category>.yaml`, each case
 * a partial request deep-merged over `rules/tests/_default-request.yaml` and the expected outcome.
 */
const dir = join(packageRoot(), 'rules', 'tests');
const rules = loadRules();
const defaults: unknown = parse(readFileSync(join(dir, '_default-request.yaml'), 'utf8'));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function merge(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(out[key], value);
  return out;
}

interface GoldenCase {
  name: string;
  request: Json;
  expect?: Record<string, Json>;
  error?: string;
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.startsWith('_')).sort();
const allCases: { file: string; c: GoldenCase }[] = [];
for (const file of files) {
  const doc = parse(readFileSync(join(dir, file), 'utf8')) as { cases: GoldenCase[] };
  for (const c of doc.cases) allCases.push({ file, c });
}

const KNOWN = new Set(['verdict', 'provision', 'maxStayDays', 'activities', 'passed', 'failed', 'attestations', 'documents', 'fees', 'noFees', 'cap', 'verify', 'notes', 'leadTimeDays']);

function checkCategory(result: CategoryResult, expected: Record<string, Json>): void {
  const where = result.category;
  for (const key of Object.keys(expected)) if (!KNOWN.has(key)) throw new Error(`unknown expectation ${where}.${key}`);
  if ('verdict' in expected) expect(result.verdict, `${where} verdict`).toBe(expected.verdict);
  if ('provision' in expected) expect(result.provision, `${where} provision`).toBe(expected.provision);
  if ('maxStayDays' in expected) expect(result.maxStayDays, `${where} maxStayDays`).toBe(expected.maxStayDays);
  if ('activities' in expected) expect(result.activities, `${where} activities`).toMatchObject(expected.activities as object);
  for (const rule of (expected.passed as string[] | undefined) ?? []) {
    expect(result.reasons.filter((r) => r.rule === rule).map((r) => r.passed), `${where} passed ${rule}`).toEqual([true]);
  }
  for (const rule of (expected.failed as string[] | undefined) ?? []) {
    expect(result.reasons.filter((r) => r.rule === rule).map((r) => r.passed), `${where} failed ${rule}`).toContain(false);
  }
  const attested = result.attestations.map((a) => a.rule);
  for (const rule of (expected.attestations as string[] | undefined) ?? []) expect(attested, `${where} attestations`).toContain(rule);
  const docs = result.documents.map((d) => d.id);
  for (const id of (expected.documents as string[] | undefined) ?? []) expect(docs, `${where} documents`).toContain(id);
  const fees = Object.fromEntries(result.feesUsd.map((f) => [f.item, f.amount]));
  if ('fees' in expected) expect(fees, `${where} fees`).toMatchObject(expected.fees as object);
  for (const item of (expected.noFees as string[] | undefined) ?? []) expect(fees, `${where} fees`).not.toHaveProperty(item);
  if ('cap' in expected) {
    if (expected.cap === null) expect(result.cap, `${where} cap`).toBeNull();
    else expect(result.cap, `${where} cap`).toMatchObject(expected.cap as object);
  }
  if ('verify' in expected) expect(result.verify ?? false, `${where} verify`).toBe(expected.verify);
  const notes = (result.notes ?? []).map((n) => n.id);
  for (const id of (expected.notes as string[] | undefined) ?? []) expect(notes, `${where} notes`).toContain(id);
  if ('leadTimeDays' in expected) expect(result.leadTimeDays, `${where} leadTimeDays`).toMatchObject(expected.leadTimeDays as object);
}

describe('golden cases', () => {
  it('are at least 80, in one file per category', () => {
    expect(allCases.length).toBeGreaterThanOrEqual(80);
    expect(files).toEqual(expect.arrayContaining(['esta.yaml', 'b1.yaml', 'e2.yaml', 'l1.yaml', 'h1b.yaml', 'h2b.yaml', 'h3.yaml', 'e4.yaml']));
  });

  for (const { file, c } of allCases) {
    it(`${file}: ${c.name}`, () => {
      const input = merge(defaults, c.request);
      if (c.error !== undefined) {
        let thrown: unknown;
        try {
          parseAssessmentRequest(input);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(AssessmentInputError);
        const issues = (thrown as AssessmentInputError).issues;
        expect(issues.map((i) => i.path)).toContain(c.error);
        for (const issue of issues) expect(issue.message.ko.length).toBeGreaterThan(0);
        return;
      }
      const response: AssessmentResponse = assess(parseAssessmentRequest(input), rules);
      expect(response.results.map((r) => r.category)).toEqual([...categoryIds]);
      for (const [key, expected] of Object.entries(c.expect ?? {})) {
        if (key === 'recommended') {
          expect(response.recommended, 'recommended').toBe(expected);
          continue;
        }
        const result = response.results.find((r) => r.category === key);
        if (!result) throw new Error(`unknown category ${key} in ${c.name}`);
        checkCategory(result, expected as Record<string, Json>);
      }
    });
  }
});
