import type ExcelJS from 'exceljs';
import { FORMULA_START } from '../../core/export/csv.js';

/**
 * One worksheet as XLSX: a bold, frozen bilingual header row, filtered columns sized to their content, dates
 * as text in ISO 8601 (no time zone guessing by Excel). Text cells that begin with `=`, `+`, `-` or `@` get a
 * leading `'` like the CSV, so a copy-paste into another tool cannot turn them into formulas.
 */
export async function toXlsx(
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): Promise<Buffer> {
  return toXlsxBook([{ name: sheetName, header, rows }]);
}

/** Several worksheets in one workbook (the console's export: one sheet per figure), each as `toXlsx` makes it. */
export async function toXlsxBook(
  sheets: readonly { name: string; header: readonly string[]; rows: readonly (readonly unknown[])[] }[],
): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs'); // loaded on first use, not at start-up
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'KORUS Mobility';
  workbook.created = new Date();
  for (const { name, header, rows } of sheets) addSheet(workbook, name, header, rows);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addSheet(
  workbook: ExcelJS.Workbook,
  sheetName: string,
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): void {
  // Excel refuses * ? : \ / [ ] in a sheet's name, and more than 31 characters.
  const name = sheetName
    .replace(/[*?:\\/[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 31);
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...header]).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(xlsxCell));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, header.length) } };
  sheet.columns.forEach((column, i) => {
    const widest = Math.max(
      String(header[i] ?? '').length,
      ...rows.slice(0, 200).map((r) => String(xlsxCell(r[i]) ?? '').length),
    );
    column.width = Math.min(60, Math.max(8, widest + 2));
  });
}

function xlsxCell(value: unknown): ExcelJS.CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  const text = Array.isArray(value) ? value.join('; ') : String(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}
