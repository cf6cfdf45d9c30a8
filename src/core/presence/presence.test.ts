import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { I94ParseError, i94Date, parseI94Text } from './i94.js';
import {
  admissionClass,
  expectedAdmitUntil,
  inclusiveDays,
  lastDayOfDays,
  lastDayOfMonths,
  stayStatus,
} from './stay.js';

describe('stay arithmetic', () => {
  it('counts both the admission day and the last day', () => {
    expect(inclusiveDays('2026-03-02', '2026-03-02')).toBe(1);
    expect(inclusiveDays('2026-01-01', '2026-03-31')).toBe(90);
    expect(inclusiveDays('2028-02-28', '2028-03-01')).toBe(3); // leap year
    expect(inclusiveDays('2027-02-28', '2027-03-01')).toBe(2);
  });
  it('gives ESTA 90 days: admitted 2026-01-01, last day 2026-03-31', () => {
    expect(lastDayOfDays('2026-01-01', 90)).toBe('2026-03-31');
    expect(lastDayOfDays('2028-01-01', 90)).toBe('2028-03-30'); // 2028 is a leap year
    expect(expectedAdmitUntil(admissionClass('WB')!, '2026-12-15')).toEqual({
      date: '2027-03-14',
      exact: true,
    });
  });
  it('adds months as "the day before the same day N months later", month ends clamped first', () => {
    expect(lastDayOfMonths('2026-04-01', 24)).toBe('2028-03-31');
    expect(lastDayOfMonths('2026-01-31', 1)).toBe('2026-02-27'); // Feb 28 (clamped), minus one day
    expect(lastDayOfMonths('2028-02-29', 12)).toBe('2029-02-27'); // Feb 28 2029 (clamped), minus one day
    expect(lastDayOfMonths('2026-03-02', 6)).toBe('2026-09-01');
  });
  it('recognises classes whatever the spelling, and refuses unknown ones', () => {
    expect(admissionClass('l-1a')?.code).toBe('L1A');
    expect(admissionClass('wb')?.category).toBe('ESTA');
    expect(admissionClass('Q9')).toBeUndefined();
  });
  it('warns on the 91st day of an ESTA stay, not on the 90th', () => {
    const stay = {
      admittedOn: '2026-01-01',
      classOfAdmission: 'WB',
      admitUntil: '2026-03-31',
      durationOfStatus: false,
      departedOn: null,
    };
    const day90 = stayStatus(stay, '2026-03-31');
    expect(day90).toMatchObject({ daysUsed: 90, daysRemaining: 0, present: true, warnings: [] });
    const day91 = stayStatus(stay, '2026-04-01');
    expect(day91.daysUsed).toBe(91);
    expect(day91.warnings.map((w) => w.code)).toEqual(['esta_over_90_days', 'overstay']);
    expect(stayStatus({ ...stay, departedOn: '2026-03-31' }, '2026-06-01')).toMatchObject({
      daysUsed: 90,
      present: false,
      warnings: [],
    });
  });
  it('flags an admit-until that differs from the status, and one cut to the passport expiry', () => {
    const e2 = {
      admittedOn: '2026-04-01',
      classOfAdmission: 'E2',
      admitUntil: '2028-03-31',
      durationOfStatus: false,
      departedOn: null,
    };
    expect(stayStatus(e2, '2026-04-02').warnings).toEqual([]);
    expect(stayStatus({ ...e2, admitUntil: '2027-03-31' }, '2026-04-02').warnings[0]!.code).toBe(
      'admit_until_differs',
    );
    const cut = stayStatus({ ...e2, admitUntil: '2027-01-15' }, '2026-04-02', {
      passportExpiry: '2027-01-15',
    });
    expect(cut.warnings.map((w) => w.code)).toEqual(['admit_until_cut_to_passport']);
    expect(cut.warnings[0]!.message.ko).toContain('여권');
    const wb = {
      admittedOn: '2026-01-01',
      classOfAdmission: 'WB',
      admitUntil: '2026-04-01',
      durationOfStatus: false,
      departedOn: null,
    };
    expect(stayStatus(wb, '2026-01-02').warnings.map((w) => w.code)).toEqual(['admit_until_differs']);
  });
  it('warns on frequent back-to-back visitor entries', () => {
    const history = [
      {
        admittedOn: '2025-06-01',
        classOfAdmission: 'WB',
        admitUntil: '2025-08-29',
        durationOfStatus: false,
        departedOn: '2025-08-20',
      },
      {
        admittedOn: '2025-10-01',
        classOfAdmission: 'WB',
        admitUntil: '2025-12-29',
        durationOfStatus: false,
        departedOn: '2025-12-20',
      },
    ];
    const now = {
      admittedOn: '2026-01-10',
      classOfAdmission: 'WB',
      admitUntil: '2026-04-09',
      durationOfStatus: false,
      departedOn: null,
    };
    expect(stayStatus(now, '2026-01-11', { history }).warnings.map((w) => w.code)).toEqual([
      'back_to_back_visits',
    ]);
    expect(stayStatus(now, '2026-01-11', { history: history.slice(1) }).warnings).toEqual([]);
  });
  it('never counts negative days, whatever the dates (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: -100, max: 400 }), (a, offset) => {
        const admitted = lastDayOfDays('2024-01-01', a + 1);
        const on = lastDayOfDays(admitted, Math.max(1, offset + 1));
        const s = stayStatus(
          {
            admittedOn: admitted,
            classOfAdmission: 'B1',
            admitUntil: lastDayOfMonths(admitted, 6),
            durationOfStatus: false,
            departedOn: null,
          },
          on,
        );
        return s.daysUsed >= 0 && (s.daysRemaining ?? 0) >= 0;
      }),
    );
  });
});

const sample = `Most Recent I-94
Admission I-94 Record Number: 123456789A1
Most Recent Date of Entry: 2026 March 02
Class of Admission: WB
Admit Until Date: 2026 May 30
Details provided on the I-94 Information form:
Last/Surname: HONG
First (Given) Name: GILDONG
Birth Date: 1984 February 29
Passport Number: M12345678
Country of Citizenship: Korea, South`;

describe('I-94 text from the CBP website', () => {
  it('reads the record', () => {
    expect(parseI94Text(sample)).toEqual({
      i94Number: '123456789A1',
      admittedOn: '2026-03-02',
      classOfAdmission: 'WB',
      admitUntil: '2026-05-30',
      durationOfStatus: false,
      familyName: 'HONG',
      givenName: 'GILDONG',
      birthDate: '1984-02-29',
      passportNumber: 'M12345678',
      port: null,
    });
  });
  it('reads labels and values on separate lines, D/S, and other date styles', () => {
    const text =
      'Admission I-94 Record Number\n98765432101\nDate of Entry\n03/15/2026\nClass of Admission\nF1\nAdmit Until Date\nD/S';
    expect(parseI94Text(text)).toMatchObject({
      i94Number: '98765432101',
      admittedOn: '2026-03-15',
      classOfAdmission: 'F1',
      admitUntil: null,
      durationOfStatus: true,
    });
    expect(i94Date('March 2, 2026')).toBe('2026-03-02');
    expect(i94Date('2 Mar 2026')).toBe('2026-03-02');
    expect(i94Date('2026 February 30')).toBeUndefined();
    expect(i94Date('13/01/2026')).toBeUndefined();
  });
  it('names every missing or unreadable field, in English and Korean', () => {
    try {
      parseI94Text(
        'Class of Admission: ZZ\nAdmit Until Date: someday\nMost Recent Date of Entry: 2026 Smarch 02',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(I94ParseError);
      const issues = (error as I94ParseError).issues;
      expect(issues.map((i) => i.field).sort()).toEqual([
        'admitUntil',
        'admittedOn',
        'classOfAdmission',
        'i94Number',
      ]);
      expect(issues.every((i) => i.message.ko.length > 0)).toBe(true);
    }
  });
  it('never throws anything but I94ParseError on garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        try {
          parseI94Text(text);
        } catch (error) {
          if (!(error instanceof I94ParseError)) throw error;
        }
      }),
    );
  });
});
