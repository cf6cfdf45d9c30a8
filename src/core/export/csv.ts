/**
 * CSV for spreadsheets (RFC 4180): UTF-8 with a byte-order mark so Excel shows Hangul, CRLF line ends, fields
 * quoted when they hold a comma, quote or line break. A cell that begins with `=`, `+`, `-`, `@`, a tab or a
 * carriage return is prefixed with `'`, so a spreadsheet shows it as text instead of running it as a formula
 * (OWASP "CSV injection").
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join('; ') : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): Buffer {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf8')]);
}
