/**
 * ISO 8601 calendar dates (`YYYY-MM-DD`) as plain strings, and day numbers (days since 1970-01-01) for
 * arithmetic. No `Date`, no time zone: a legal date is a calendar day, the same everywhere.
 *
 * Rounding rule for months (Catala's lesson — month arithmetic is ambiguous until a rule is chosen):
 * `addMonths` keeps the day of the month and, when the target month is shorter, clamps to its last day.
 * So 2026-01-31 + 1 month = 2026-02-28, and the leap day 2024-02-29 + 12 months = 2025-02-28.
 * Periods of stay count calendar days including the day of entry and the last day (`daysInclusive`);
 * "N months from entry" ends the day before `addMonths(entry, N)` (`periodEnd`).
 */

export type IsoDate = string;

export class InvalidDateError extends Error {
  constructor(readonly input: string) {
    super(`not a valid calendar date in the form YYYY-MM-DD: ${JSON.stringify(input)}`);
    this.name = 'InvalidDateError';
  }
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const monthLengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return monthLengths[month - 1] ?? 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The calendar date of a day number (H. Hinnant's civil_from_days). */
export function civilOf(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index) - 48;
  return code >= 0 && code <= 9 ? code : -1;
}

/** Splits `YYYY-MM-DD` (years 0001–9999) into numbers, or returns undefined when it is not a real date. */
export function splitIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  if (typeof text !== 'string' || text.length !== 10 || text[4] !== '-' || text[7] !== '-') return undefined;
  const d = [0, 1, 2, 3, 5, 6, 8, 9].map((i) => digit(text, i));
  if (d.some((x) => x < 0)) return undefined;
  const [y0 = 0, y1 = 0, y2 = 0, y3 = 0, m0 = 0, m1 = 0, d0 = 0, d1 = 0] = d;
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isIsoDate(text: string): boolean {
  return splitIsoDate(text) !== undefined;
}

/** Validates and converts `YYYY-MM-DD` to its day number; throws InvalidDateError otherwise. */
export function parseIsoDate(text: string): number {
  const parts = splitIsoDate(text);
  if (!parts) throw new InvalidDateError(text);
  return dayNumberOf(parts.year, parts.month, parts.day);
}

/**
 * Day number of a date ALREADY validated (hot path: no checks, no allocation). Use `parseIsoDate` for
 * untrusted input.
 */
export function dayNumber(valid: IsoDate): number {
  const year =
    (valid.charCodeAt(0) - 48) * 1000 +
    (valid.charCodeAt(1) - 48) * 100 +
    (valid.charCodeAt(2) - 48) * 10 +
    valid.charCodeAt(3) -
    48;
  const month = (valid.charCodeAt(5) - 48) * 10 + valid.charCodeAt(6) - 48;
  return dayNumberOf(year, month, (valid.charCodeAt(8) - 48) * 10 + valid.charCodeAt(9) - 48);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatIsoDate(dayNumber: number): IsoDate {
  const { year, month, day } = civilOf(dayNumber);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return formatIsoDate(parseIsoDate(date) + days);
}

/** Adds calendar months; a day that does not exist in the target month becomes its last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  return formatIsoDate(addMonthsToDayNumber(parseIsoDate(date), months));
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

/** `addMonths` on day numbers (no string round trip; used by the rules' hot path). */
export function addMonthsToDayNumber(dayNumber: number, months: number): number {
  const { year, month, day } = civilOf(dayNumber);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return dayNumberOf(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** Calendar days from `start` to `end`, both included: the same day is 1 day. Negative when end < start. */
export function daysInclusive(start: IsoDate, end: IsoDate): number {
  return parseIsoDate(end) - parseIsoDate(start) + 1;
}

/** Days from `from` to `to` (to − from): 0 on the same day. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return parseIsoDate(to) - parseIsoDate(from);
}

/**
 * Last day of a period of `months` starting on `start`: the day before `addMonths(start, months)`.
 * A two-year admission from 2026-04-01 runs to 2028-03-31.
 */
export function periodEnd(start: IsoDate, months: number): IsoDate {
  return formatIsoDate(addMonthsToDayNumber(parseIsoDate(start), months) - 1);
}

export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  // Valid ISO dates of four-digit years sort as strings.
  return a < b ? -1 : a > b ? 1 : 0;
}
