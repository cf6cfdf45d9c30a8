import { parseIsoDate, splitIsoDate, InvalidDateError, type IsoDate } from './iso-date.js';

/**
 * The US federal fiscal year runs from October 1 to September 30 and is named after the year in which it
 * ends (31 U.S.C. 1102): FY2026 = 2025-10-01 … 2026-09-30. Visa caps count per fiscal year.
 */
export function fiscalYearOf(date: IsoDate): number {
  const parts = splitIsoDate(date);
  if (!parts) throw new InvalidDateError(date);
  return parts.month >= 10 ? parts.year + 1 : parts.year;
}

/** Fiscal year of an already validated date (hot path). */
export function fiscalYearOfValid(date: IsoDate): number {
  const year =
    (date.charCodeAt(0) - 48) * 1000 +
    (date.charCodeAt(1) - 48) * 100 +
    (date.charCodeAt(2) - 48) * 10 +
    (date.charCodeAt(3) - 48);
  const month = (date.charCodeAt(5) - 48) * 10 + (date.charCodeAt(6) - 48);
  return month >= 10 ? year + 1 : year;
}

export function fiscalYearStart(fiscalYear: number): IsoDate {
  return `${String(fiscalYear - 1).padStart(4, '0')}-10-01`;
}

export function fiscalYearEnd(fiscalYear: number): IsoDate {
  return `${String(fiscalYear).padStart(4, '0')}-09-30`;
}

/** Half of the fiscal year, as the H-2B cap splits it (INA 214(g)(10)): Oct 1–Mar 31, Apr 1–Sep 30. */
export function fiscalHalfOf(date: IsoDate): 'first_half' | 'second_half' {
  const month = splitIsoDate(date)?.month;
  if (month === undefined) throw new InvalidDateError(date);
  return month >= 10 || month <= 3 ? 'first_half' : 'second_half';
}

/** Days in a fiscal year (365 or 366: FY2024 holds 2024-02-29). */
export function fiscalYearLength(fiscalYear: number): number {
  return parseIsoDate(fiscalYearEnd(fiscalYear)) - parseIsoDate(fiscalYearStart(fiscalYear)) + 1;
}
