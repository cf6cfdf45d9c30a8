import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  addYears,
  civilOf,
  compareIsoDates,
  dayNumber,
  dayNumberOf,
  daysBetween,
  daysInclusive,
  daysInMonth,
  fiscalHalfOf,
  fiscalYearEnd,
  fiscalYearLength,
  fiscalYearOf,
  fiscalYearOfValid,
  fiscalYearStart,
  formatIsoDate,
  InvalidDateError,
  isIsoDate,
  isLeapYear,
  parseIsoDate,
  periodEnd,
} from './index.js';

describe('ISO dates', () => {
  it('validates the format and the calendar', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '1970-01-01', '0001-01-01', '9999-12-31'])
      expect(isIsoDate(ok)).toBe(true);
    for (const bad of [
      '2023-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-4-1',
      '20260401',
      '2026-04-01T00:00:00Z',
      ' 2026-04-01',
      '0000-01-01',
      '',
    ]) {
      expect(isIsoDate(bad)).toBe(false);
    }
    expect(() => parseIsoDate('2026-02-30')).toThrow(InvalidDateError);
  });

  it('counts days since the epoch and agrees with the platform calendar', () => {
    expect(parseIsoDate('1970-01-01')).toBe(0);
    expect(parseIsoDate('1969-12-31')).toBe(-1);
    expect(parseIsoDate('2000-03-01')).toBe(11017);
    fc.assert(
      fc.property(fc.integer({ min: -719162, max: 2932896 }), (n) => {
        const iso = formatIsoDate(n);
        expect(iso).toBe(new Date(n * 86_400_000).toISOString().slice(0, 10));
        expect(parseIsoDate(iso)).toBe(n);
        expect(dayNumber(iso)).toBe(n);
      }),
    );
  });

  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2024, 2026].map(isLeapYear)).toEqual([false, true, true, false]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(civilOf(dayNumberOf(2028, 2, 29))).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('adds months by clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-11-15', 2)).toBe('2027-01-15');
    expect(addMonths('2026-01-15', -13)).toBe('2024-12-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  it('month addition never overshoots the target month and keeps the day when it exists', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40000 }), fc.integer({ min: -240, max: 240 }), (n, months) => {
        const from = civilOf(n);
        const to = civilOf(parseIsoDate(addMonths(formatIsoDate(n), months)));
        expect(to.year * 12 + to.month - (from.year * 12 + from.month)).toBe(months);
        expect(to.day).toBe(Math.min(from.day, daysInMonth(to.year, to.month)));
      }),
    );
  });

  it('counts stays inclusively', () => {
    expect(daysInclusive('2026-04-01', '2026-04-01')).toBe(1);
    expect(daysInclusive('2026-04-01', '2026-06-29')).toBe(90);
    expect(daysInclusive('2026-04-01', '2026-06-30')).toBe(91);
    expect(daysInclusive('2028-02-01', '2028-04-30')).toBe(90);
    expect(daysBetween('2026-03-02', '2026-10-01')).toBe(213);
  });

  it('ends periods the day before the same date N months later', () => {
    expect(periodEnd('2026-04-01', 24)).toBe('2028-03-31');
    expect(daysInclusive('2026-04-01', periodEnd('2026-04-01', 24))).toBe(731);
    expect(periodEnd('2026-01-31', 1)).toBe('2026-02-27');
    expect(periodEnd('2024-02-29', 12)).toBe('2025-02-27');
  });

  it('compares dates as strings', () => {
    expect(compareIsoDates('2025-09-29', '2025-09-30')).toBe(-1);
    expect(compareIsoDates('2025-09-30', '2025-09-30')).toBe(0);
    expect(compareIsoDates('2026-01-01', '2025-12-31')).toBe(1);
  });
});

describe('US fiscal years', () => {
  it('are named after the year they end in', () => {
    expect(fiscalYearOf('2025-09-30')).toBe(2025);
    expect(fiscalYearOf('2025-10-01')).toBe(2026);
    expect(fiscalYearOf('2026-09-30')).toBe(2026);
    expect(fiscalYearOf('2026-12-31')).toBe(2027);
    expect(fiscalYearStart(2026)).toBe('2025-10-01');
    expect(fiscalYearEnd(2026)).toBe('2026-09-30');
    expect(fiscalYearLength(2024)).toBe(366);
    expect(fiscalYearLength(2026)).toBe(365);
    expect(() => fiscalYearOf('2026-02-30')).toThrow(InvalidDateError);
  });

  it('split into halves for the H-2B cap', () => {
    expect(fiscalHalfOf('2026-10-01')).toBe('first_half');
    expect(fiscalHalfOf('2027-03-31')).toBe('first_half');
    expect(fiscalHalfOf('2027-04-01')).toBe('second_half');
    expect(fiscalHalfOf('2027-09-30')).toBe('second_half');
  });

  it('every day belongs to exactly the fiscal year whose bounds contain it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40000 }), (n) => {
        const iso = formatIsoDate(n);
        const fy = fiscalYearOf(iso);
        expect(fiscalYearOfValid(iso)).toBe(fy);
        expect(iso >= fiscalYearStart(fy) && iso <= fiscalYearEnd(fy)).toBe(true);
      }),
    );
  });
});
