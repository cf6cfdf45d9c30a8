import { describe, expect, it } from 'vitest';
import {
  computeAlerts,
  maxStayDate,
  maxStayRules,
  type AlertInput,
  type DependentRecord,
  type EntryRecord,
  type WorkerRecord,
} from './rules.js';

const worker: WorkerRecord = {
  id: 'w1',
  familyName: 'KIM',
  givenName: 'MINJUN',
  nameHangul: '김민준',
  passportExpiry: '2035-01-01',
};

function entry(partial: Partial<EntryRecord>): EntryRecord {
  return {
    id: 'e1',
    workerId: 'w1',
    dependentId: null,
    admittedOn: '2026-01-01',
    classOfAdmission: 'B1',
    admitUntil: '2026-06-30',
    durationOfStatus: false,
    departedOn: null,
    ...partial,
  };
}

function input(partial: Partial<AlertInput>): AlertInput {
  return { asOf: '2026-05-01', workers: [worker], dependents: [], entries: [], visas: [], caseStages: [], ...partial }; // prettier-ignore
}

const kinds = (a: AlertInput) => computeAlerts(a).map((x) => `${x.kind}:${x.thresholdDays}`);

describe('admit-until alerts', () => {
  const e = entry({ admitUntil: '2026-05-31' });
  it('raises the 30-day alert on exactly 30 days, not on 31', () => {
    expect(kinds(input({ asOf: '2026-05-01', entries: [e] }))).toEqual(['admit_until:30']);
    expect(kinds(input({ asOf: '2026-04-30', entries: [e] }))).toEqual([]);
  });
  it('raises only the tightest threshold crossed, one key per threshold', () => {
    const at = (asOf: string) => computeAlerts(input({ asOf, entries: [e] }))[0]!;
    expect(at('2026-05-17').thresholdDays).toBe(14);
    expect(at('2026-05-18').thresholdDays).toBe(14); // 13 days left
    expect(at('2026-05-24').thresholdDays).toBe(7);
    expect(at('2026-05-30').thresholdDays).toBe(1);
    expect(at('2026-05-31').thresholdDays).toBe(1); // last day: 0 days left
    const keys = ['2026-05-01', '2026-05-17', '2026-05-24', '2026-05-30'].map((d) => at(d).dedupeKey);
    expect(new Set(keys).size).toBe(4);
    expect(at('2026-05-02').dedupeKey).toBe(at('2026-05-01').dedupeKey);
    expect(at('2026-05-30').message.ko).toContain('1일');
  });
  it('flags a stay already past its admit-until as critical', () => {
    const [a] = computeAlerts(input({ asOf: '2026-06-02', entries: [e] }));
    expect(a).toMatchObject({ kind: 'admit_until', thresholdDays: 0, severity: 'critical' });
    expect(a!.message.en).toMatch(/still recorded as present/);
  });
  it('ignores departed stays, future stays and duration of status', () => {
    expect(kinds(input({ entries: [entry({ ...e, departedOn: '2026-04-20' })] }))).toEqual([]);
    expect(kinds(input({ entries: [entry({ ...e, admittedOn: '2026-05-10' })] }))).toEqual([]);
    expect(kinds(input({ entries: [entry({ admitUntil: null, durationOfStatus: true, classOfAdmission: 'F1' })] }))).toEqual([]); // prettier-ignore
  });
  it('counts across a leap day', () => {
    // 2028-02-29 exists: 2028-01-30 → 2028-02-29 is 30 days.
    const leap = entry({ admittedOn: '2028-01-01', admitUntil: '2028-02-29' });
    expect(kinds(input({ asOf: '2028-01-30', entries: [leap] }))).toEqual(['admit_until:30']);
    expect(kinds(input({ asOf: '2028-01-29', entries: [leap] }))).toEqual([]);
  });
});

describe('passport and visa alerts', () => {
  it('warns within six months, on the boundary, and after expiry', () => {
    const w = (passportExpiry: string) => input({ workers: [{ ...worker, passportExpiry }] });
    expect(kinds(w('2026-11-01'))).toEqual(['passport_expiry:null']); // exactly 6 months
    expect(kinds(w('2026-11-02'))).toEqual([]);
    const [expired] = computeAlerts(w('2026-04-30'));
    expect(expired).toMatchObject({ severity: 'critical', thresholdDays: 0 });
    expect(expired!.message.ko).toContain('김민준');
  });
  it("covers dependents' passports when on file", () => {
    const child: DependentRecord = {
      id: 'd1',
      workerId: 'w1',
      relationship: 'spouse',
      familyName: 'LEE',
      givenName: 'SOYEON',
      nameHangul: '이소연',
      birthDate: '1990-01-01',
      passportExpiry: '2026-08-01',
    };
    const alerts = computeAlerts(
      input({ dependents: [child, { ...child, id: 'd2', passportExpiry: null }] }),
    );
    expect(alerts.map((a) => [a.kind, a.subjectType, a.subjectId])).toEqual([
      ['passport_expiry', 'dependent', 'd1'],
    ]);
  });
  it('takes the latest visa of a type and warns within 90 days', () => {
    const visa = { caseId: 'c1', workerId: 'w1', dependentId: null, docType: 'b1_visa' };
    const old = { ...visa, documentId: 'v1', expiresOn: '2026-05-15' };
    const renewed = { ...visa, documentId: 'v2', expiresOn: '2031-05-15' };
    expect(kinds(input({ visas: [old] }))).toEqual(['visa_expiry:90']);
    expect(kinds(input({ visas: [old, renewed] }))).toEqual([]);
    expect(kinds(input({ visas: [{ ...old, expiresOn: '2026-07-30' }] }))).toEqual(['visa_expiry:90']);
    expect(kinds(input({ visas: [{ ...old, expiresOn: '2026-07-31' }] }))).toEqual([]);
  });
});

describe('maximum period of stay', () => {
  it('ends a continuous stay the day before the anniversary', () => {
    const stays = [entry({ classOfAdmission: 'H1B', admittedOn: '2020-03-01', admitUntil: '2027-01-01' })];
    expect(maxStayDate(stays, '2025-01-01', maxStayRules.H1B!)).toBe('2026-02-28');
    const l1b = [entry({ classOfAdmission: 'L1B', admittedOn: '2024-02-29', admitUntil: '2030-01-01' })];
    expect(maxStayDate(l1b, '2025-01-01', maxStayRules.L1B!)).toBe('2029-02-27');
  });
  it('adds back time abroad and restarts after a long absence', () => {
    const s1 = entry({
      id: 'a',
      classOfAdmission: 'H2B',
      admittedOn: '2024-01-01',
      departedOn: '2024-12-31',
    });
    const s2 = entry({
      id: 'b',
      classOfAdmission: 'H2B',
      admittedOn: '2025-01-30',
      admitUntil: '2027-12-31',
    });
    // 29 days abroad: recaptured (end moves 29 days later than 2026-12-31); no restart (under 60 days).
    expect(maxStayDate([s1, s2], '2025-06-01', maxStayRules.H2B!)).toBe('2027-01-29');
    const s3 = { ...s2, admittedOn: '2025-03-01' }; // 59 full days abroad: 2025-01-01 … 2025-02-28
    expect(maxStayDate([s1, s3], '2025-06-01', maxStayRules.H2B!)).toBe('2027-02-28');
    const s4 = { ...s2, admittedOn: '2025-03-02' }; // 60 days abroad: the clock restarts
    expect(maxStayDate([s1, s4], '2025-06-01', maxStayRules.H2B!)).toBe('2028-03-01');
  });
  it('raises alerts at 180/90/30 days, marked verify, and not for uncapped classes', () => {
    const h1b = entry({ classOfAdmission: 'H1B', admittedOn: '2020-06-01', admitUntil: '2027-01-01' });
    const [a] = computeAlerts(input({ asOf: '2026-03-02', entries: [h1b] })); // 90 days left
    expect(a).toMatchObject({ kind: 'max_stay', dueOn: '2026-05-31', thresholdDays: 90, verify: true });
    expect(a!.message.en).toContain('8 CFR 214.2(h)(13)(iii)(A)');
    expect(kinds(input({ asOf: '2026-03-01', entries: [{ ...h1b, classOfAdmission: 'E2' }] }))).toEqual([]);
  });
});

describe('child dependents and cases', () => {
  const child: DependentRecord = {
    id: 'd1',
    workerId: 'w1',
    relationship: 'child',
    familyName: 'KIM',
    givenName: 'HAEUN',
    nameHangul: '김하은',
    birthDate: '2005-07-30',
    passportExpiry: null,
  };
  it('warns 90 days before the 21st birthday, not 91', () => {
    expect(kinds(input({ asOf: '2026-05-01', dependents: [child] }))).toEqual(['child_turning_21:90']);
    expect(kinds(input({ asOf: '2026-04-30', dependents: [child] }))).toEqual([]);
    expect(kinds(input({ asOf: '2026-05-01', dependents: [{ ...child, relationship: 'spouse' }] }))).toEqual([]); // prettier-ignore
  });
  it('uses 28 February for a leap-day birthday in a common year', () => {
    const leap = { ...child, birthDate: '2008-02-29' };
    expect(computeAlerts(input({ asOf: '2029-01-01', dependents: [leap] }))[0]!.dueOn).toBe('2029-02-28');
  });
  it('after the birthday, alerts only when the child is still present', () => {
    const at = { asOf: '2026-09-01', dependents: [child] };
    expect(kinds(input(at))).toEqual([]);
    const stay = entry({ dependentId: 'd1', classOfAdmission: 'E2', admitUntil: '2027-12-31' });
    expect(kinds(input({ ...at, entries: [stay] }))).toEqual(['child_turning_21:0']);
  });
  it('flags a case stage past its target, not on the target day', () => {
    const stage = {
      caseId: 'c1',
      workerId: 'w1',
      dependentId: null,
      stage: 'visa_application',
      stageTitle: { en: 'Visa application', ko: '비자 신청' },
      stageTargetDate: '2026-05-01',
    };
    expect(kinds(input({ caseStages: [stage] }))).toEqual([]);
    const [a] = computeAlerts(input({ asOf: '2026-05-03', caseStages: [stage] }));
    expect(a).toMatchObject({ kind: 'case_stage_overdue', caseId: 'c1', severity: 'warning' });
    expect(a!.message.ko).toContain('비자 신청');
    expect(a!.message.en).toContain('2 days past');
  });
});

describe('settlement plan alerts (issue 19)', () => {
  const plan = {
    workerId: 'w1',
    route: 'eb2_perm',
    filings: [{ label: { en: 'File the PERM labor certification', ko: 'PERM 노동허가 제출' }, dueBy: '2026-07-30', citation: 'AC21 §106(a)' }], // prettier-ignore
    ageOuts: [{ index: 1, name: '김하늘', ageOutOn: '2029-03-01' }],
  };
  it('raises a filing at 90, 30 and 7 days before it is due, not before and not after', () => {
    const at = (asOf: string) =>
      kinds(input({ asOf, plans: [plan] })).filter((k) => k.startsWith('plan_filing'));
    expect(at('2026-04-30')).toEqual([]);
    expect(at('2026-05-01')).toEqual(['plan_filing:90']);
    expect(at('2026-06-30')).toEqual(['plan_filing:30']);
    expect(at('2026-07-23')).toEqual(['plan_filing:7']);
    expect(at('2026-07-31')).toEqual([]);
  });
  it('names the child who ages out on the first path, once per path and date', () => {
    const [alert] = computeAlerts(input({ plans: [plan] })).filter((a) => a.kind === 'plan_age_out');
    expect(alert).toMatchObject({ severity: 'critical', dueOn: '2029-03-01', thresholdDays: null });
    expect(alert!.message.ko).toContain('김하늘');
    expect(alert!.dedupeKey).toBe('plan_age_out:w1:eb2_perm:1:2029-03-01');
  });
  it('ignores a plan of a worker the organization does not have', () => {
    expect(kinds(input({ plans: [{ ...plan, workerId: 'other' }] }))).toEqual([]);
  });
});
