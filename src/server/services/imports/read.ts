import { createInflateRaw } from 'node:zlib';
import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { decodeText, DecodeError, type TextEncoding } from '../../../core/import/decode.js';

/**
 * Reads an uploaded roster into sheets of cells: CSV (UTF-8, UTF-8 with BOM, UTF-16, CP949/EUC-KR; comma,
 * semicolon or tab separated) or XLSX (streamed, every worksheet). Bounded: at most `maxBytes` in, at most
 * `maxRows` rows per file and `maxColumns` columns; an XLSX is checked for a zip bomb (declared sizes and
 * compression ratios in its central directory) before anything is inflated.
 */
export interface Sheet {
  name: string;
  /** Rows of cells as the file has them (strings, numbers, dates, booleans, null); index 0 is row 1. */
  rows: unknown[][];
}

export interface Table {
  format: 'csv' | 'xlsx';
  encoding: TextEncoding | null;
  sheets: Sheet[];
}

export interface ReadLimits {
  maxBytes: number;
  maxRows: number;
  maxColumns: number;
  /** Sum of the uncompressed sizes an XLSX may declare. */
  maxInflatedBytes: number;
}

export const defaultReadLimits: ReadLimits = {
  maxBytes: 50 * 1024 * 1024,
  maxRows: 200_000,
  maxColumns: 200,
  maxInflatedBytes: 600 * 1024 * 1024,
};

export class FileReadError extends Error {
  constructor(
    readonly code: string,
    readonly messages: { en: string; ko: string },
  ) {
    super(messages.en);
    this.name = 'FileReadError';
  }
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

function tooManyRows(limits: ReadLimits): FileReadError {
  return new FileReadError('too_many_rows', {
    en: `The file has more than ${limits.maxRows.toLocaleString('en')} rows. Split it into smaller files.`,
    ko: `파일의 행이 ${limits.maxRows.toLocaleString('ko')}개를 넘습니다. 여러 파일로 나누세요.`,
  });
}

export async function readTable(bytes: Buffer, limits: ReadLimits = defaultReadLimits): Promise<Table> {
  if (bytes.length > limits.maxBytes)
    throw new FileReadError('too_large', {
      en: `The file is ${mb(bytes.length)}; at most ${mb(limits.maxBytes)} can be imported at once. Split it into smaller files.`,
      ko: `파일 크기가 ${mb(bytes.length)}입니다. 한 번에 ${mb(limits.maxBytes)}까지 가져올 수 있습니다. 여러 파일로 나누세요.`,
    });
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) return readXlsx(bytes, limits);
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0xd0cf11e0)
    throw new FileReadError('xls', {
      en: 'This is an old Excel 97–2003 (.xls) file. Open it in Excel and save it as .xlsx or "CSV UTF-8".',
      ko: '예전 Excel 97–2003(.xls) 파일입니다. Excel에서 열어 .xlsx 또는 "CSV UTF-8"로 저장하세요.',
    });
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0506)
    throw new FileReadError('empty', {
      en: 'The spreadsheet is empty.',
      ko: '스프레드시트가 비어 있습니다.',
    });
  return readCsv(bytes, limits);
}

function readCsv(bytes: Buffer, limits: ReadLimits): Table {
  let decoded: { text: string; encoding: TextEncoding };
  try {
    decoded = decodeText(bytes);
  } catch (error) {
    if (error instanceof DecodeError) throw new FileReadError(error.code, error.messages);
    throw error;
  }
  const firstLine = decoded.text.slice(0, decoded.text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  const delimiter = counts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  let rows: unknown[][];
  try {
    rows = parseCsv(decoded.text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      to_line: limits.maxRows + 2,
      max_record_size: 64 * 1024,
    }) as unknown[][];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    throw new FileReadError('csv_syntax', {
      en: `The CSV cannot be read near line ${e.lines ?? '?'}: ${e.message}`,
      ko: `${e.lines ?? '?'}번째 줄 근처에서 CSV를 읽을 수 없습니다: ${e.message}`,
    });
  }
  if (rows.length > limits.maxRows + 1) throw tooManyRows(limits);
  if (rows.some((r) => r.length > limits.maxColumns)) throw tooManyColumns(limits);
  const trimmed = dropEmptyTail(rows);
  if (!trimmed.length)
    throw new FileReadError('empty', { en: 'The file is empty.', ko: '파일이 비어 있습니다.' });
  return { format: 'csv', encoding: decoded.encoding, sheets: [{ name: 'CSV', rows: trimmed }] };
}

function tooManyColumns(limits: ReadLimits) {
  return new FileReadError('too_many_columns', {
    en: `A row has more than ${limits.maxColumns} columns.`,
    ko: `열이 ${limits.maxColumns}개를 넘는 행이 있습니다.`,
  });
}

const isBlank = (row: unknown[]) =>
  row.every((c) => c === null || c === undefined || String(c).trim() === '');

function dropEmptyTail(rows: unknown[][]): unknown[][] {
  let end = rows.length;
  while (end > 0 && isBlank(rows[end - 1]!)) end--;
  return rows.slice(0, end);
}

/**
 * The zip's central directory, read without inflating anything: entry count, declared sizes, ratios.
 * (APPNOTE.TXT 4.3.12 and 4.3.16.) A file whose directory cannot be found is not a workbook.
 */
export function checkZip(bytes: Buffer, limits: ReadLimits): void {
  const notXlsx = () =>
    new FileReadError('bad_xlsx', {
      en: 'The file looks like a zip archive but is not a readable XLSX workbook.',
      ko: 'zip 파일처럼 보이지만 읽을 수 있는 XLSX 통합 문서가 아닙니다.',
    });
  const bomb = () =>
    new FileReadError('zip_bomb', {
      en: 'The workbook would expand to an unreasonable size (a "zip bomb"); it was not opened.',
      ko: '통합 문서의 압축을 풀면 비정상적으로 커집니다("zip 폭탄"). 열지 않았습니다.',
    });
  const min = Math.max(0, bytes.length - 22 - 65_535);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx();
  const entries = bytes.readUInt16LE(eocd + 10);
  const cdOffset = bytes.readUInt32LE(eocd + 16);
  if (entries > 10_000 || cdOffset >= bytes.length) throw entries > 10_000 ? bomb() : notXlsx();
  let p = cdOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50) throw notXlsx();
    const compressed = bytes.readUInt32LE(p + 20);
    const size = bytes.readUInt32LE(p + 24);
    // ZIP64 markers: no spreadsheet we accept needs them.
    if (compressed === 0xffffffff || size === 0xffffffff) throw bomb();
    total += size;
    if (size > 1024 * 1024 && size / Math.max(compressed, 1) > 200) throw bomb();
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  if (total > limits.maxInflatedBytes) throw bomb();
}

/**
 * The sizes a zip declares can lie (issue 14: a 0.9 MB workbook declaring small sizes took 13.6 s and 573 MB).
 * Every entry is inflated once here, as a stream whose output is counted and dropped, and stopped as soon as it
 * passes 200 times its compressed size (above 1 MB) or the total passes `maxInflatedBytes`: time and memory stay
 * bounded by the file's real content, whatever its directory says.
 */
export async function checkInflated(bytes: Buffer, limits: ReadLimits): Promise<void> {
  const bomb = () =>
    new FileReadError('zip_bomb', {
      en: 'The workbook would expand to an unreasonable size (a "zip bomb"); it was not opened.',
      ko: '통합 문서의 압축을 풀면 비정상적으로 커집니다("zip 폭탄"). 열지 않았습니다.',
    });
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return; // checkZip has refused it already
  const entries = bytes.readUInt16LE(eocd + 10);
  let p = bytes.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries && p + 46 <= bytes.length; n++) {
    const method = bytes.readUInt16LE(p + 10);
    const compressed = bytes.readUInt32LE(p + 20);
    const local = bytes.readUInt32LE(p + 42);
    p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
    if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) continue;
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, Math.min(bytes.length, start + compressed));
    const cap = Math.max(1024 * 1024, 200 * Math.max(compressed, 1));
    if (method === 0) {
      total += data.length;
    } else if (method === 8) {
      total += await inflatedSize(data, Math.min(cap, limits.maxInflatedBytes - total), bomb);
    }
    if (total > limits.maxInflatedBytes) throw bomb();
  }
}

function inflatedSize(data: Buffer, cap: number, bomb: () => FileReadError): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 64 * 1024 });
    let size = 0;
    let done = false;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap && !done) {
        done = true;
        inflate.destroy();
        reject(bomb());
      }
    });
    inflate.on('error', () => {
      if (!done) {
        done = true;
        resolve(size); // a damaged entry: ExcelJS will say the file cannot be read
      }
    });
    inflate.on('end', () => {
      if (!done) {
        done = true;
        resolve(size);
      }
    });
    inflate.end(data);
  });
}

type Cell = ExcelJS.CellValue;

/** A cell as a plain value: rich text joined, a formula's cached result, a hyperlink's text. */
function plain(value: Cell): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date || typeof value !== 'object') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return plain((value as { result?: Cell }).result ?? null);
  if ('text' in value) return plain((value as { text: Cell }).text);
  if ('error' in value) return null;
  return String(value as unknown);
}

async function readXlsx(bytes: Buffer, limits: ReadLimits): Promise<Table> {
  checkZip(bytes, limits);
  await checkInflated(bytes, limits);
  const sheets: Sheet[] = [];
  let total = 0;
  const { default: Excel } = await import('exceljs'); // loaded on first use, not at start-up
  try {
    const reader = new Excel.stream.xlsx.WorkbookReader(Readable.from([bytes]), {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name?: string; id?: number };
      const rows: unknown[][] = [];
      for await (const row of ws) {
        if (++total > limits.maxRows + 20) throw tooManyRows(limits);
        const values = row.values as Cell[];
        if (values.length - 1 > limits.maxColumns) throw tooManyColumns(limits);
        // Rows come numbered; gaps are empty rows.
        while (rows.length < row.number - 1) rows.push([]);
        // Array.from visits the holes of the sparse row (empty cells) that map would skip.
        rows.push(Array.from(values.slice(1), plain));
      }
      const trimmed = dropEmptyTail(rows);
      if (trimmed.length) sheets.push({ name: ws.name ?? `Sheet${sheets.length + 1}`, rows: trimmed });
    }
  } catch (error) {
    if (error instanceof FileReadError) throw error;
    throw new FileReadError('bad_xlsx', {
      en: `The workbook cannot be read: ${(error as Error).message}`,
      ko: `통합 문서를 읽을 수 없습니다: ${(error as Error).message}`,
    });
  }
  if (!sheets.length)
    throw new FileReadError('empty', { en: 'The workbook has no rows.', ko: '통합 문서에 행이 없습니다.' });
  return { format: 'xlsx', encoding: null, sheets };
}
