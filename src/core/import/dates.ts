/**
 * Dates as Korean sheets write them: 2026-03-02, 2026.03.02 (with or without a trailing dot or spaces),
 * 2026/3/2, 20260302, 2026년 3월 2일, and Excel serial day numbers (1900 date system: serial 1 is 1900-01-01,
 * with Excel's phantom 1900-02-29, so serials from 61 on are offset by one). Day-first and month-first forms
 * (02/03/2026) are ambiguous and refused rather than guessed. Returns an ISO 8601 date or null.
 */
const pad = (n: number) => String(n).padStart(2, '0');

function valid(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Excel serial day number (1900 system) to an ISO date; fractions (times) are dropped. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial > 120_000) return null;
  const whole = Math.floor(serial);
  // Excel counts 1900-02-29, which never was: serial 60. Day 0 is 1899-12-31; from serial 61 on, subtract one.
  if (whole === 60) return null;
  const days = whole > 60 ? whole - 1 : whole;
  const date = new Date(Date.UTC(1899, 11, 31) + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

const PATTERNS: RegExp[] = [
  /^(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})\.?$/,
  /^(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

export function parseSheetDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    // Spreadsheet dates carry no time zone: the library hands them over as UTC midnight.
    return valid(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'number') return excelSerialToIso(value);
  const text = String(value)
    .trim()
    .replace(/\s*\([^)]*\)\s*$/, ''); // "2026.03.02 (월)"
  if (!text) return null;
  for (const pattern of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  }
  // An ISO timestamp from a database export: keep the date as written.
  const iso = /^(\d{4})-(\d{2})-(\d{2})T[\d:.]+(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (iso) return valid(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  // A bare serial number typed as text (a CSV saved from a sheet whose dates were numbers).
  if (/^\d{5}(\.\d+)?$/.test(text)) return excelSerialToIso(Number(text));
  return null;
}

export const DATE_HELP = {
  en: 'Use a date like 2026-03-02, 2026.03.02, 2026/3/2 or 2026년 3월 2일.',
  ko: '2026-03-02, 2026.03.02, 2026/3/2, 2026년 3월 2일 같은 형식으로 쓰세요.',
};
