import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadParameters } from '../rules/parameters.js';
import { planFactsSchema, type PlanRoute } from '../../contract/settlement.js';
import { bulletinAt, estimateCurrent, gradeIn, settlementData, type BulletinCategory } from './data.js';
import { ageOutDate, cspaAge, h1bPastSixYears, maximumStay, spouseWork, statusChange } from './limits.js';
import { planFamily } from './plan.js';

/**
 * The settlement planner's golden cases (issue 19, part): `rules/settlement/golden.yaml`, each with its source. A
 * case names its inputs and the answer the source gives; the rules read their figures from rules/parameters.
 */
interface Case {
  name: string;
  source: string;
  input: Record<string, unknown>;
  [expected: string]: unknown;
}
const golden = parse(readFileSync('rules/settlement/golden.yaml', 'utf8'), { schema: 'failsafe' }) as Record<string, Case[]>; // prettier-ignore
const parameters = loadParameters();
// The failsafe schema keeps dates as text; numbers and booleans are turned back here.
const value = (v: unknown): unknown =>
  v === 'true'
    ? true
    : v === 'false'
      ? false
      : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)
        ? Number(v)
        : v;
const inputOf = (c: Case) => Object.fromEntries(Object.entries(c.input).map(([k, v]) => [k, value(v)]));

describe('settlement golden cases', () => {
  it('has at least 40 cases, each with a source', () => {
    const all = Object.values(golden).flat();
    expect(all.length).toBeGreaterThanOrEqual(40);
    for (const c of all) expect(c.source, c.name).toBeTruthy();
  });
  it.each(golden.maximumStay!.map((c) => [c.name, c] as const))('maximum stay: %s', (_n, c) => {
    expect(maximumStay(parameters, inputOf(c) as never).endsOn).toBe(c.endsOn);
  });
  it.each(golden.h1bPastSixYears!.map((c) => [c.name, c] as const))('H-1B past six years: %s', (_n, c) => {
    const r = h1bPastSixYears(parameters, inputOf(c) as never);
    expect(r.kind).toBe(c.kind);
    expect(r.years).toBe(value(c.years));
    if (c.availableFrom) expect(r.availableFrom).toBe(c.availableFrom);
    expect(r.reason.ko).toBeTruthy();
  });
  it.each(golden.spouseWork!.map((c) => [c.name, c] as const))('spouse: %s', (_n, c) => {
    const { status, ...principal } = inputOf(c) as { status: never };
    expect(spouseWork(status, principal).may).toBe(c.may);
  });
  it.each(golden.cspaAge!.map((c) => [c.name, c] as const))('CSPA: %s', (_n, c) => {
    const r = cspaAge(parameters, inputOf(c) as never);
    expect(r.protectedAsChild).toBe(value(c.protectedAsChild));
    if (c.seekBy) expect(r.seekBy).toBe(c.seekBy);
  });
  it.each(golden.ageOutDate!.map((c) => [c.name, c] as const))('age-out date: %s', (_n, c) => {
    const i = inputOf(c) as { birthDate: string; pendingDays?: number };
    expect(ageOutDate(parameters, i.birthDate, i.pendingDays)).toBe(c.ageOutDate);
  });

  const data = settlementData();
  /** The `plan` cases' defaults: an engineer with a master's on an L-1B in Georgia, a spouse and a child. */
  const planOf = (c: Case) => {
    const i = inputOf(c) as Record<string, string | number | boolean>;
    const facts = planFactsSchema.parse({
      asOf: '2026-12-07',
      worker: {
        birthDate: '1985-04-02',
        education: i.education ?? 'bachelor',
        role: i.role ?? 'engineer',
        employedSince: i.employedSince ?? '2015-03-01',
        priorExperienceYears: i.priorExperienceYears ?? 0,
      },
      employer: { koreanOwned: i.koreanOwned ?? true, multinational: i.multinational ?? true },
      status: i.status === 'abroad' ? { code: 'abroad' } : { code: i.status ?? 'L1B', since: '2026-03-02' },
      state: 'GA',
      goal: i.goal === 'stay10' ? { kind: 'stay', years: 10 } : { kind: 'permanent' },
      family: { spouse: { birthDate: '1987-01-01' }, children: [{ birthDate: '2012-05-01' }] },
    });
    return planFamily(parameters, data, facts);
  };
  it.each(golden.plan!.map((c) => [c.name, c] as const))('plan: %s', (_n, c) => {
    const plan = planOf(c);
    const routes = plan.paths.map((p) => p.route);
    if (c.available) expect(routes, JSON.stringify(plan.unavailable)).toContain(c.available);
    if (c.unavailable) {
      expect(routes).not.toContain(c.unavailable);
      expect(plan.unavailable.find((u) => u.route === c.unavailable)?.reason.ko).toBeTruthy();
    }
    if (c.category) {
      const path = plan.paths.find((p) => p.route === c.available)!;
      expect(path.steps.some((s) => s.kind === 'visa_wait' ? s.label.en.includes(`(${String(c.category)},`) : false) || path.risks.some((r) => r.text.en.includes(`${String(c.category)} `))).toBe(true); // prettier-ignore
    }
    const path = c.route ? plan.paths.find((p) => p.route === (c.route as PlanRoute)) : undefined;
    if (c.route) expect(path, String(c.route)).toBeDefined();
    if (c.priorityDateIsPermFiling)
      expect(path!.priorityDate).toBe(path!.steps.find((s) => s.kind === 'perm')!.from);
    if (c.scenario) expect(path!.scenario).toBe(true);
    if (c.rankedLast) expect(path!.rank).toBe(plan.paths.length);
    if (c.reachesGoal) expect(path!.reachesGoal).toBe(value(c.reachesGoal));
    if (c.firstRoute) expect(plan.paths[0]!.route).toBe(c.firstRoute);
    if (c.spouseWork) expect(path!.spouse.map((s) => s.work).join(',')).toBe(c.spouseWork);
  });
  it.each(golden.schoolGrade!.map((c) => [c.name, c] as const))('school: %s', (_n, c) => {
    const i = inputOf(c) as { state: string; birthDate: string; year: number };
    expect(gradeIn(data.school, i.state, i.birthDate, i.year)).toBe(c.grade);
  });
  it.each(golden.bulletin!.map((c) => [c.name, c] as const))('bulletin: %s', (_n, c) => {
    const i = inputOf(c) as { asOf: string; category: BulletinCategory; priorityDate: string };
    const b = bulletinAt(data, i.asOf);
    expect(b.month).toBe(c.month);
    expect(estimateCurrent(b, i.category, i.priorityDate).on).toBe(c.currentOn);
    if (c.filing) {
      expect(b.datesForFiling?.dates[i.category]).toBe(c.filing);
      expect(estimateCurrent(b, i.category, i.priorityDate).explanation.en).toContain(String(c.filing));
    }
  });
  it.each(golden.statusChange!.map((c) => [c.name, c] as const))('change of status: %s', (_n, c) => {
    const i = inputOf(c) as { from: never; to: never };
    const r = statusChange(i.from, i.to);
    expect(r.how).toBe(c.how);
    expect(r.explanation.ko).toBeTruthy();
  });
});
