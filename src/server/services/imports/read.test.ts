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
