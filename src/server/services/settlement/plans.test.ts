import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http/problem.js';
import { factsFrom, factsHashOf, statusFromEntries, type WorkerRecords } from './plans.js';

/**
 * How the planner reads a worker's records (issue 19): the stay in progress and since when (a run of admissions
 * in the same class, days outside recaptured, days in other H or L classes counted), the employer's assumed
 * ownership, and the problems that stop a plan.
 */
const entry = (admittedOn: string, classOfAdmission: string, departedOn: string | null, admitUntil: string | null = null) => ({ admittedOn, classOfAdmission, admitUntil, departedOn }); // prettier-ignore
const records = (over: Partial<WorkerRecords> = {}): WorkerRecords => ({
  workerId: 'w',
  organizationId: 'o',
  organizationKind: 'partner',
  organizationName: 'Partner (test)',
  name: '김민준 · KIM MINJUN',
  birthDate: '1985-01-01',
  education: 'bachelor',
  role: 'engineer',
  employedSince: '2015-01-01',
  state: 'GA',
  entries: [],
  family: [],
  ...over,
});

describe('reading a worker’s records for the planner', () => {
  it('takes the run of admissions in the current class, with the days outside and earlier H or L days', () => {
    const s = statusFromEntries(
      [entry('2024-01-10', 'H1B', '2024-12-31'), entry('2025-03-01', 'L-1B', '2025-06-30'), entry('2025-07-20', 'L1B', null, '2027-01-01')], // prettier-ignore
      '2026-12-07',
    );
    expect(s).toEqual({ code: 'L1B', since: '2025-03-01', daysOutside: 19, usedDays: 357 });
  });
  it('is abroad after a departure, after the admit-until, or in a class the planner does not carry', () => {
    expect(statusFromEntries([entry('2026-01-01', 'L1A', '2026-06-01')], '2026-12-07').code).toBe('abroad');
    expect(statusFromEntries([entry('2026-09-14', 'L1A', null, '2026-12-03')], '2026-12-07').code).toBe(
      'abroad',
    );
    expect(statusFromEntries([entry('2026-09-14', 'F1', null)], '2026-12-07').code).toBe('abroad');
    expect(statusFromEntries([entry('2026-11-01', 'WB', null, '2027-01-29')], '2026-12-07').code).toBe(
      'ESTA',
    );
  });
  it('takes an employer of a worker in L-1 status as a multinational, a partner otherwise as not; HR may correct it', () => {
    const onL1 = factsFrom(records({ entries: [entry('2026-08-20', 'L1A', null, '2029-08-19')] }), { kind: 'permanent' }, {}, '2026-12-07'); // prettier-ignore
    expect(onL1.employer.multinational).toBe(true);
    expect(factsFrom(records(), { kind: 'permanent' }, {}, '2026-12-07').employer.multinational).toBe(false);
    expect(factsFrom(records(), { kind: 'permanent' }, { multinational: true }, '2026-12-07').employer.multinational).toBe(true); // prettier-ignore
    expect(factsFrom(records({ organizationKind: 'investor' }), { kind: 'permanent' }, {}, '2026-12-07').employer.multinational).toBe(true); // prettier-ignore
  });
  it('refuses a plan without the profile or a state, and hashes the facts without the day', () => {
    expect(() =>
      factsFrom(records({ employedSince: null }), { kind: 'permanent' }, {}, '2026-12-07'),
    ).toThrow(ApiError);
    expect(() => factsFrom(records({ state: null }), { kind: 'permanent' }, {}, '2026-12-07')).toThrow(
      /site/,
    );
    const a = factsFrom(records(), { kind: 'permanent' }, {}, '2026-12-07');
    const b = factsFrom(records(), { kind: 'permanent' }, {}, '2026-12-08');
    expect(factsHashOf(a)).toBe(factsHashOf(b));
    expect(factsHashOf(a)).not.toBe(
      factsHashOf(factsFrom(records(), { kind: 'stay', years: 5 }, {}, '2026-12-07')),
    );
  });
});
