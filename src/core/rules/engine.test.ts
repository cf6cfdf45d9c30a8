import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { assessmentResponseSchema } from '../../contract/assessment.js';
import { rulesCatalogSchema } from '../../contract/rules-catalog.js';
import { assess, AssessmentInputError, describeRules, EARLIEST_AS_OF, loadRules, parseAssessmentRequest, recommend, withDefaultAsOf } from './index.js';
import { packageRoot } from './package-root.js';

const rules = loadRules();
const base = parse(readFileSync(join(packageRoot(), 'rules', 'tests', '_default-request.yaml'), 'utf8')) as Record<string, unknown>;

describe('loadRules', () => {
  it('computes a deterministic rules version from the parameter data and the code version', () => {
    expect(loadRules().rulesVersion).toBe(rules.rulesVersion);
    expect(rules.rulesVersion).toMatch(/^\d{4}\.\d+\+[0-9a-f]{12}$/);
  });

  it('cuts the timeline at every parameter change from the first modelled date', () => {
    expect(rules.periodStarts[0]).toBe(EARLIEST_AS_OF);
    expect(rules.periodStarts).toContain('2025-09-30');
    expect(rules.periodStarts).toContain('2025-12-04');
    expect([...rules.periodStarts].sort()).toEqual(rules.periodStarts);
  });
});

describe('assess', () => {
  it('needs the as-of date from the caller and never reads the clock', () => {
    const { asOf: _drop, ...withoutAsOf } = base;
    const request = parseAssessmentRequest(withoutAsOf);
    expect(request.asOf).toBeUndefined();
    expect(() => assess(request, rules)).toThrow(AssessmentInputError);
    expect(assess(withDefaultAsOf(request, '2026-05-01'), rules).asOf).toBe('2026-05-01');
    expect(withDefaultAsOf(parseAssessmentRequest(base), '2030-01-01').asOf).toBe('2026-03-02');
  });

  it('refuses as-of dates before the modelled range, also when called directly', () => {
    const request = parseAssessmentRequest(base);
    expect(() => assess({ ...request, asOf: '2023-12-31' }, rules)).toThrow(/2024-01-01/);
  });

  it('returns a response that validates against the contract, with the disclaimer in both languages', () => {
    const response = assess(parseAssessmentRequest(base), rules);
    expect(assessmentResponseSchema.parse(JSON.parse(JSON.stringify(response)))).toBeTruthy();
    expect(response.disclaimer.en).toMatch(/not legal advice/);
    expect(response.disclaimer.ko).toMatch(/법률 자문이 아닙니다/);
    for (const result of response.results) {
      for (const reason of result.reasons) {
        expect(reason.message.en.length, reason.rule).toBeGreaterThan(10);
        expect(reason.message.ko, reason.rule).toMatch(/[가-힣]/);
        expect(reason.citation.length).toBeGreaterThan(3);
      }
    }
  });

  it('surfaces uncertain facts as verify notes with en and ko text', () => {
    const request = parseAssessmentRequest({ ...base, asOf: '2025-12-10', assignment: { ...(base.assignment as object), activities: ['train_us_workers'], contractRequiresSellerService: false } });
    const b1 = assess(request, rules).results.find((r) => r.category === 'B1')!;
    expect(b1.verify).toBe(true);
    const note = b1.notes?.find((n) => n.id === 'b1.trainer.text-unconfirmed');
    expect(note).toMatchObject({ verify: true });
    expect(note?.message.ko).toMatch(/확인/);
  });
});

describe('recommend', () => {
  const r = (category: string, verdict: string, typical: number, fee: number) =>
    ({ category, verdict, leadTimeDays: { min: 0, typical, max: 0 }, feesUsd: [{ item: 'x', amount: fee }] }) as never;
  it('prefers eligible, then the shortest lead time, then the lowest cost', () => {
    expect(recommend([r('E2', 'conditional', 10, 0), r('B1', 'eligible', 90, 500)])).toBe('B1');
    expect(recommend([r('E2', 'conditional', 75, 0), r('B1', 'conditional', 45, 500)])).toBe('B1');
    expect(recommend([r('L1A', 'conditional', 45, 900), r('L1B', 'conditional', 45, 800)])).toBe('L1B');
    expect(recommend([r('E2', 'ineligible', 1, 0), r('E4', 'unavailable', 1, 0)])).toBeNull();
  });
});

describe('parseAssessmentRequest', () => {
  it('names every invalid field in English and Korean', () => {
    try {
      parseAssessmentRequest({ ...base, worker: { ...(base.worker as object), role: 'welder', yearsSpecializedExperience: -1 }, extra: 1 });
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(AssessmentInputError);
      const issues = (error as AssessmentInputError).issues;
      expect(issues.map((i) => i.path).sort()).toEqual(['', 'worker.role', 'worker.yearsSpecializedExperience']);
      for (const issue of issues) expect(issue.message.ko).toMatch(/[가-힣]/);
    }
  });

  it('says a missing field is required', () => {
    const { employer: _e, ...rest } = base;
    expect(() => parseAssessmentRequest(rest)).toThrow(/employer: is required/);
  });

  it('defaults the scenario flag', () => {
    expect(parseAssessmentRequest({ ...base, scenario: {} }).scenario).toEqual({ e4Enacted: false });
  });
});

describe('describeRules', () => {
  it('lists every category, activity and parameter, and validates against the catalog schema', () => {
    const catalog = describeRules(rules);
    rulesCatalogSchema.parse(catalog);
    expect(catalog.rulesVersion).toBe(rules.rulesVersion);
    expect(catalog.categories.map((c) => c.id)).toEqual(['ESTA', 'B1', 'E2', 'L1A', 'L1B', 'H1B', 'H2B', 'H3', 'E4', 'E3', 'H1B1', 'TN']);
    expect(catalog.categories.find((c) => c.id === 'E4')).toMatchObject({ proposed: true });
    expect(catalog.categories.find((c) => c.id === 'TN')).toMatchObject({ openToKoreanNationals: false });
    expect(catalog.activities).toHaveLength(17);
    expect(catalog.parameters.length).toBe(rules.parameters.parameters.size);
    const ids = catalog.categories.flatMap((c) => c.requirements.map((r) => r.id));
    expect(ids).toContain('b1.installer.no-us-pay');
    for (const c of catalog.categories) for (const r of c.requirements) expect(r.sourceUrl).toMatch(/^https:\/\//);
    expect(catalog.parameters.find((p) => p.id === 'dhs/proclamations/h1b-entry-payment-usd')?.values.every((v) => v.status === 'verify')).toBe(true);
  });

  it('has requirement ids that are unique within a category', () => {
    for (const c of describeRules(rules).categories) {
      const ids = c.requirements.map((r) => r.id);
      expect(new Set(ids).size, c.id).toBe(ids.length);
    }
  });
});

describe('assessCategory', () => {
  it('gives what assess gives for that category, but for the notes that concern several categories', async () => {
    const { loadRules, assess, assessCategory, parseAssessmentRequest } = await import('./index.js');
    const { contractExampleRequest } = await import('../../contract/assessment-example.js');
    const rules = loadRules();
    const request = parseAssessmentRequest(contractExampleRequest);
    const all = assess(request, rules);
    for (const full of all.results) {
      const one = assessCategory(request, rules, full.category)!;
      expect(one.verdict, full.category).toBe(full.verdict);
      expect(one.activities, full.category).toEqual(full.activities);
      expect(one.reasons, full.category).toEqual(full.reasons);
    }
  });
});
