import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { defaultReadLimits, FileReadError, readTable } from './read.js';

/** The file reader's limits, checked before the expensive work. */
describe('reading roster files', () => {
  const failure = async (bytes: Buffer, limits = defaultReadLimits) => {
    try {
      await readTable(bytes, limits);
      return 'read';
    } catch (e) {
      expect(e).toBeInstanceOf(FileReadError);
      return (e as FileReadError).code;
    }
  };

  it('refuses a 200 MB file by its size alone, without decoding it', async () => {
    expect(await failure(Buffer.alloc(200 * 1024 * 1024, 0x41))).toBe('too_large');
  });

  it('stops at the row limit, in CSV and in XLSX', async () => {
    const limits = { ...defaultReadLimits, maxRows: 1000 };
    expect(await failure(Buffer.from('a,b\n' + '1,2\n'.repeat(1002)), limits)).toBe('too_many_rows');
    expect(await failure(Buffer.from('a,b\n' + '1,2\n'.repeat(999)), limits)).toBe('read');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    for (let i = 0; i < 1100; i++) ws.addRow([i, 'x']);
    expect(await failure(Buffer.from(await wb.xlsx.writeBuffer()), limits)).toBe('too_many_rows');
  });

  it('reads every worksheet of a workbook, empty cells included, and skips empty sheets', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('비어 있음');
    const ws = wb.addWorksheet('근로자');
    ws.addRow(['성명', null, '여권번호']);
    ws.addRow([{ richText: [{ text: '홍' }, { text: '길동' }] }, null, { formula: '"M"&"1"', result: 'M1' }]);
    const table = await readTable(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(table.sheets).toEqual([
      {
        name: '근로자',
        rows: [
          ['성명', null, '여권번호'],
          ['홍길동', null, 'M1'],
        ],
      },
    ]);
  });

  it('reads semicolon- and tab-separated files', async () => {
    expect((await readTable(Buffer.from('a;b\n1;2\n'))).sheets[0]!.rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect((await readTable(Buffer.from('a\tb\n1\t2\n'))).sheets[0]!.rows[1]).toEqual(['1', '2']);
  });
});

/** A zip whose directory declares small sizes for an entry that inflates to `inflated` bytes of spaces. */
async function lyingZip(inflated: number): Promise<Buffer> {
  const { createDeflateRaw } = await import('node:zlib');
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => deflate.on('end', resolve));
  const block = Buffer.alloc(1024 * 1024, 0x20);
  for (let written = 0; written < inflated; written += block.length) deflate.write(block);
  deflate.end();
  await ended;
  const data = Buffer.concat(chunks);
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1000, 22); // the lie: 1,000 bytes once inflated
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1000, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + name.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + name.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, eocd]);
}

describe('an XLSX zip bomb with false declared sizes (issue 14, finding 6)', () => {
  it('is refused by what it really inflates to, without holding the output', async () => {
    const bytes = await lyingZip(1024 * 1024 * 1024); // 1 GB of spaces in about 1 MB
    expect(bytes.length).toBeLessThan(4 * 1024 * 1024);
    global.gc?.();
    const before = process.memoryUsage();
    const started = performance.now();
    const outcome = await readTable(bytes).then(
      () => 'read',
      (e: unknown) => (e instanceof FileReadError ? e.code : String(e)),
    );
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    expect(outcome).toBe('zip_bomb');
    // The inflated output is counted and dropped: memory stays flat. (Time is reported, not asserted: the
    // work stops after 200 times the entry's compressed size, about 200 MB here.)
    expect(after.rss - before.rss).toBeLessThan(64 * 1024 * 1024);
    console.info(
      `zip bomb refused in ${Math.round(elapsed)} ms, RSS +${Math.round((after.rss - before.rss) / 1048576)} MB`,
    );
  });
});
