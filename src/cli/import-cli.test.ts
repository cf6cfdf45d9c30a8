import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { korus } from './testing.js';

/** `korus import` and `korus export` through the real CLI on an embedded database in a fresh data directory. */
describe('korus import / export', () => {
  it('dry-runs, imports, re-imports nothing, reports row errors (exit 1) and unreadable files (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-import-cli-'));
    const org = await korus(['org', 'add', '--name', '대호정밀 CLI', '--kind', 'partner', '--data-dir', dir]);
    expect(org.code, org.stderr).toBe(0);
    const orgId = org.stdout.trim();

    const good = join(dir, '명단.csv');
    writeFileSync(
      good,
      iconv.encode(
        [
          '성명,영문성명,생년월일,성별,여권번호,여권만료일,최종학력,직무,입사일',
          '강배터리,KANG BATTERY,1984.02.29,남,M60000001,2031.01.31,고졸,기술자,2009.03.02',
          '윤셀,YUN SEL,1992년 8월 1일,여,M60000002,2030-12-31,학사,엔지니어,2016/1/4',
        ].join('\r\n'),
        'cp949',
      ),
    );
    const dry = await korus(['import', good, '--org', orgId, '--dry-run', '--json', '--data-dir', dir]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ rows: 2, valid: 2, imported: 0, errors: [] });

    const run = await korus(['import', good, '--org', orgId, '--json', '--data-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 2, valid: 2, imported: 2 });
    const again = await korus(['import', good, '--org', orgId, '--data-dir', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/0 records imported/);
    expect(again.stdout).toMatch(/workers 0 new \/ 2 existing/);

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'Name,Name in passport,Date of birth,Sex,Passport No.,Passport expiry,Education,Role,Employed since\n' +
        '오류,OH RYU,31/12/1980,M,M60000009,2031-01-01,고졸,기술자,2010-01-01\n',
    );
    const failed = await korus(['import', bad, '--org', orgId, '--json', '--data-dir', dir]);
    expect(failed.code).toBe(1);
    const body = JSON.parse(failed.stdout);
    expect(body).toMatchObject({ rows: 1, valid: 0, imported: 0 });
    expect(body.errors[0]).toMatchObject({ row: 2, column: 'Date of birth', value: '31/12/1980' });
    expect(body.errors[0].message.ko).toMatch(/날짜/);

    const garbage = join(dir, 'garbage.csv');
    writeFileSync(garbage, Buffer.from([0, 1, 2, 3, 255, 254, 0, 0, 7, 8]));
    const unreadable = await korus(['import', garbage, '--org', orgId, '--data-dir', dir]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toMatch(/binary/);
    expect(unreadable.stderr).toMatch(/이진/);
    expect((await korus(['import', join(dir, 'missing.csv'), '--org', orgId, '--data-dir', dir])).code).toBe(
      2,
    );

    const csvOut = join(dir, 'workers.csv');
    const exported = await korus(['export', 'workers', '--org', orgId, '--out', csvOut, '--data-dir', dir]);
    expect(exported.code, exported.stderr).toBe(0);
    const csv = readFileSync(csvOut);
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString('utf8')).toContain('강배터리');
    const xlsxOut = join(dir, 'workers.xlsx');
    const x = await korus([
      'export',
      'workers',
      '--org',
      orgId,
      '--format',
      'xlsx',
      '--out',
      xlsxOut,
      '--data-dir',
      dir,
    ]);
    expect(x.code, x.stderr).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxOut);
    expect(wb.worksheets[0]!.rowCount).toBe(3);
    expect(
      (await korus(['export', 'roster', '--org', orgId, '--out', xlsxOut, '--data-dir', dir])).code,
    ).toBe(2);
  }, 120_000);
});
