import { describe, expect, it } from 'vitest';
import { loadRules } from './engine.js';
import { defaultReviewBy, parseParameterFile } from './parameters.js';
import { dueForReview } from './review.js';

describe('the review cycle (issue 16)', () => {
  const rules = loadRules();

  it('gives every parameter a source and a review date, and every rule written in code a review date', () => {
    for (const p of rules.parameters.parameters.values()) {
      expect(p.reviewed, p.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(p.reviewBy > p.reviewed, p.id).toBe(true);
      for (const v of p.values) expect(v.reference.length, `${p.id} ${v.effective}`).toBeGreaterThan(0);
    }
    for (const c of rules.categories)
      for (const r of c.requirements) expect(rules.reviews.get(r.id)?.reviewed, r.id).toBeDefined();
  });

  it('refuses a parameter file without a review date, naming the field', () => {
    const text = [
      'description: A test value.',
      'label: { en: Test, ko: 시험 }',
      'unit: day',
      'values:',
      '  "2026-01-01":',
      '    value: 3',
      '    reference: [{ title: A source, href: "https://example.org/source" }]',
    ].join('\n');
    const parsed = parseParameterFile('test/value', 'rules/parameters/test/value.yaml', text);
    expect(parsed.definition).toBeUndefined();
    expect(parsed.issues.map((i) => i.field)).toContain('reviewed');
  });

  it('reviews a verify value after six months and a settled one after a year', () => {
    expect(defaultReviewBy('2026-12-07', false)).toBe('2027-12-07');
    expect(defaultReviewBy('2026-12-07', true)).toBe('2027-06-07');
    expect(defaultReviewBy('2026-08-31', true)).toBe('2027-02-28');
  });

  it('lists what is overdue first, each with its source', () => {
    const today = dueForReview(rules.parameters, rules.reviews, '2026-12-07');
    expect(today.filter((i) => i.state === 'overdue')).toEqual([]);
    const later = dueForReview(rules.parameters, rules.reviews, '2027-12-31');
    expect(later.length).toBeGreaterThan(50);
    expect(later.every((i) => i.state === 'overdue')).toBe(true);
    expect(later.every((i) => i.source !== null && /^https:\/\//.test(i.source.href))).toBe(true);
    const mid = dueForReview(rules.parameters, rules.reviews, '2027-06-01', 30);
    const firstDue = mid.findIndex((i) => i.state === 'due');
    if (firstDue > 0) expect(mid.slice(0, firstDue).every((i) => i.state === 'overdue')).toBe(true);
    // Uncertain values come up first: six months rather than a year.
    expect(mid.filter((i) => i.state === 'overdue').every((i) => i.verify)).toBe(true);
  });
});

describe('facts brought to December 2026 (issue 16, findings 4 and 5)', () => {
  const set = loadRules().parameters;
  it('puts Korea on the H-2B list from 2023-11-09 (88 FR 77343), cited through 89 FR 88799, uncertain after 2025-11-08', async () => {
    const { parameterAt } = await import('./parameters.js');
    const id = 'dhs/fr/h2-eligible-countries/korea-h2b-eligible';
    expect(parameterAt(set, id, '2023-11-08')).toBeUndefined();
    expect(parameterAt(set, id, '2023-11-09')).toMatchObject({ value: true });
    expect(parameterAt(set, id, '2025-01-15')?.reference[0]?.title).toMatch(/89 FR 88799/);
    expect(parameterAt(set, id, '2026-12-07')).toMatchObject({ value: true, status: 'verify' });
  });
  it('sets premium processing from 2026-03-01 by 91 FR 1059: USD 2,965, and USD 1,780 for H-2B and R-1, confirmed', async () => {
    const { parameterAt } = await import('./parameters.js');
    const general = parameterAt(set, 'dhs/fees/premium-processing-i129-usd', '2026-03-01');
    expect(general).toMatchObject({ value: 2965 });
    expect(general?.status).toBeUndefined();
    expect(general?.reference[0]?.title).toMatch(/91 FR 1059/);
    expect(parameterAt(set, 'dhs/fees/premium-processing-i129-h2b-usd', '2026-03-01')).toMatchObject({ value: 1780 });
    expect(parameterAt(set, 'dhs/fees/premium-processing-i129-h2b-usd', '2026-02-28')).toMatchObject({ value: 1685 });
  });
});
