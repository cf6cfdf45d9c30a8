import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadParameters } from '../rules/parameters.js';
import { ageOutDate, cspaAge, h1bPastSixYears, maximumStay, spouseWork } from './limits.js';

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
  it('has at least 25 cases, each with a source', () => {
    const all = Object.values(golden).flat();
    expect(all.length).toBeGreaterThanOrEqual(25);
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
});
