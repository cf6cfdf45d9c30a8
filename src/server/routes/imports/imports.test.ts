import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { purgeAbandonedImports } from '../../services/imports/imports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTd3 } from '../../../core/import/mrz.js';
import { investorProject, multipartFile, openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * Bulk import over HTTP on a real database (the embedded PostgreSQL, and an external one when KORUS_TEST_DATABASE_URL is set): a
 * Korean CP949 roster and a two-sheet workbook imported through upload, dry run and commit; the same file again
 * changes nothing; a file with errors writes nothing; bad files are refused with a reason; exports.
 */
const multipart = (name: string, content: Buffer) => multipartFile(name, 'application/octet-stream', content);

const [mrz1, mrz2] = buildTd3({
  familyName: 'CHOI',
  givenName: 'MIN JUN',
  passportNumber: 'M70000003',
  nationality3: 'KOR',
  birthDate: '1979-11-30',
  sex: 'M',
  expiryDate: '2034-06-30',
});

/** What a Korean HR office saves from Excel: a title row, Korean headers, Korean words and dotted dates. */
const cp949Roster = [
  '2026년 조지아 파견 인력 명단,,,,,,,,,,',
  '성명,영문성명,생년월일,성별,여권번호,여권만료일,최종학력,직무,입사일,자격증,MRZ',
  '김용접,KIM YONGJEOP,1985.03.02,남,M70000001,2031.12.31,고졸,기술자,2010.01.04,특수용접기능사,',
  '이전기,"LEE, JEONGI",1990/7/15,여,M70000002,2032년 5월 1일,전문대,엔지니어,2015-03-02,전기기사,',
  `최민준,,,,,,대졸,반장,2005.02.01,,"${mrz1}\n${mrz2}"`,
].join('\r\n');

describe.each(testDatabaseKinds)('bulk import on %s', (kind) => {
  let t: TestApp;
  let investor: Session;
  let partner: Session;
  let projectId: string;
  let siteId: string;
  const count = async (table: string) =>
    Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  const upload = async (s: Session, name: string, bytes: Buffer, query = '') => {
    const { payload, headers } = multipart(name, bytes);
    return s.request('POST', `/api/imports${query}`, payload, headers);
  };

  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    ({ siteId, projectId } = await investorProject(investor, partner, {
      site: 'Import Test Plant',
      code: 'IMP-1',
      project: 'Import test project',
    }));
  }, 120_000);
  afterAll(async () => t?.close());

  it('imports a roster of identity columns alone; only the truly bad rows are errors; the rest are "profile incomplete"', async () => {
    const roster = [
      '성명,영문성명,생년월일,성별,국적,여권번호,여권만료일',
      '박신원,PARK SINWON,1984-07-21,남,KR,M81000001,2033-01-31',
      '문하늘,MOON HANEUL,1991-02-30,여,KR,M81000002,2032-06-30',
      '권도현,KWON DOHYEON,1979-11-02,남,KR,M81000003,2031-10-15',
      '배준서,BAE JUNSEO,1988-05-09,남,KR,M81000003,2030-12-01',
      '홍예린,HONG YERIN,1995-09-17,여,KR,M81000005,2034-03-03',
    ].join('\r\n');
    const res = await upload(partner, '신규인원.csv', iconv.encode(roster, 'cp949'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      encoding: 'cp949',
      sheets: [{ kind: 'workers', rows: 5, missing: [] }],
    });
    const dry = (await partner.post(`/api/imports/${res.json().id}/dry-run`, {})).json();
    expect(dry).toMatchObject({ rows: 5, valid: 3, errorCount: 2 });
    const rows = dry.errors.map((e: { row: number }) => e.row).sort();
    expect(rows).toEqual([3, 5]); // 30 February, and a passport number twice
    expect(JSON.stringify(dry.errors)).not.toMatch(/Education|Role|Employed/);
  });

  it('deletes rosters left unfinished after the retention period; their import then says so', async () => {
    const res = await upload(partner, 'left.csv', iconv.encode(`${cp949Roster}\r\n`, 'cp949'));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const stored = join(t.uploadsDir, 'imports', id);
    expect(existsSync(stored)).toBe(true);
    expect((await purgeAbandonedImports(t.db, { uploadsDir: t.uploadsDir }, 7)).purged).toBe(0);
    await t.db.query(`UPDATE imports SET created_at = now() - interval '8 days' WHERE id = $1`, [id]);
    expect((await purgeAbandonedImports(t.db, { uploadsDir: t.uploadsDir }, 7)).purged).toBe(1);
    expect(existsSync(stored)).toBe(false);
    expect((await partner.get(`/api/imports/${id}`)).json().status).toBe('abandoned');
    const dry = await partner.post(`/api/imports/${id}/dry-run`, {});
    expect(dry.statusCode).toBe(410);
    expect(dry.json().code).toBe('import.file_removed');
  });

  it('imports a CP949 roster: header row found under a title, Korean words and dates, the MRZ read', async () => {
    const before = await count('workers');
    const res = await upload(partner, '파견명단.csv', iconv.encode(cp949Roster, 'cp949'));
    expect(res.statusCode, res.body).toBe(201);
    const preview = res.json();
    expect(preview).toMatchObject({
      format: 'csv',
      encoding: 'cp949',
      status: 'uploaded',
      sameFileImports: [],
    });
    expect(preview.fileDigest).toMatch(/^[0-9a-f]{64}$/);
    // While it waits for its import the roster is on disk encrypted, never in clear (issue 14, finding 5).
    const stored = join(t.uploadsDir, 'imports', preview.id);
    const onDisk = readFileSync(stored);
    expect(onDisk.subarray(0, 8).toString('latin1')).toBe('KORUSF1\n');
    expect(onDisk.includes(Buffer.from('M70000001'))).toBe(false);
    expect(t.cipher.decryptFile(onDisk, 'imports.file').equals(iconv.encode(cp949Roster, 'cp949'))).toBe(
      true,
    );
    const sheet = preview.sheets[0];
    expect(sheet).toMatchObject({ headerRow: 2, kind: 'workers', rows: 3, missing: [] });
    expect(sheet.mapping).toMatchObject({
      성명: 'name',
      영문성명: 'romanizedName',
      생년월일: 'birthDate',
      여권번호: 'passportNumber',
      MRZ: 'mrz',
    });

    const dry = await partner.post(`/api/imports/${preview.id}/dry-run`, {});
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 3, valid: 3, imported: 0, errorCount: 0 });
    expect(dry.json().counts.workers).toEqual({ created: 3, existing: 0 });
    expect(await count('workers')).toBe(before);

    const commit = await partner.post(`/api/imports/${preview.id}/commit`, { saveMappingAs: '본사 명단' });
    expect(commit.statusCode, commit.body).toBe(200);
    expect(existsSync(stored)).toBe(false); // committed: the uploaded file is gone
    expect(commit.json()).toMatchObject({ imported: 3, counts: { workers: { created: 3, existing: 0 } } });
    expect(await count('workers')).toBe(before + 3);

    const list = (await partner.get('/api/workers?q=최민준')).json();
    expect(list.items[0]).toMatchObject({
      familyName: 'CHOI',
      givenName: 'MIN JUN',
      birthDate: '1979-11-30',
      passportExpiry: '2034-06-30',
      education: 'bachelor',
      role: 'supervisor',
      passportMasked: '•••••0003',
    });
    const lee = (await partner.get('/api/workers?q=이전기')).json().items[0];
    expect(lee).toMatchObject({
      familyName: 'LEE',
      givenName: 'JEONGI',
      sex: 'F',
      passportExpiry: '2032-05-01',
    });
    expect(lee.qualifications).toEqual([{ name: '전기기사', grade: '기사' }]);
    // Passport numbers are encrypted at rest, linked to their import, and the import is audited.
    const rows = await t.db.query<{ passport_enc: string; import_id: string }>(
      'SELECT passport_enc, import_id FROM workers WHERE import_id = $1',
      [preview.id],
    );
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.passport_enc).join()).not.toContain('M7000000');
    const audit = await t.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE target_id = $1 AND target_type = 'import' ORDER BY seq",
      [preview.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['import.upload', 'import.commit']);

    // The same file again: matched by the passport's keyed hash, nothing changes.
    const again = await upload(
      partner,
      'copy.csv',
      iconv.encode(cp949Roster, 'cp949'),
      '?mappingName=본사 명단',
    );
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().sameFileImports).toEqual([
      expect.objectContaining({ id: preview.id, status: 'committed' }),
    ]);
    const second = await partner.post(`/api/imports/${again.json().id}/commit`, {});
    expect(second.json()).toMatchObject({ imported: 0, counts: { workers: { created: 0, existing: 3 } } });
    expect(await count('workers')).toBe(before + 3);
    // A committed import cannot run twice.
    expect((await partner.post(`/api/imports/${preview.id}/commit`, {})).statusCode).toBe(409);

    const history = (await partner.get('/api/imports')).json();
    expect(history.items.slice(0, 2).map((i: { status: string }) => i.status)).toEqual([
      'committed',
      'committed',
    ]);
    // Another organization sees neither the import nor its history.
    expect((await investor.get(`/api/imports/${preview.id}`)).statusCode).toBe(404);
    expect((await investor.get('/api/imports')).json().items.map((i: { id: string }) => i.id)).not.toContain(
      preview.id,
    );
  });

  it('imports a workbook: workers with their assignments, and dependents on a second sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('근로자');
    ws.addRow([
      'Name / 성명',
      'Passport No. / 여권번호',
      'Family name',
      'Given name',
      'Date of birth',
      'Sex',
      'Passport expiry',
      'Education',
      'Role',
      'Hire date',
      'Project',
      'Activities',
      'Start date',
      'End date',
      'Paid by',
    ]);
    ws.addRow([
      '박설치',
      'M80000001',
      'PARK',
      'SEOLCHI',
      new Date(Date.UTC(1982, 0, 9)),
      'M',
      46752,
      'vocational',
      'technician',
      '2008-05-01',
      'IMP-1',
      '장비 설치, Training US workers',
      '2027-01-10',
      '2027.03.31',
      '본사',
    ]);
    ws.addRow([
      '정교육',
      'M80000002',
      'JUNG',
      'GYOYUK',
      '1978-12-24',
      'F',
      '2033-02-28',
      'bachelor',
      'specialist',
      '2004-09-01',
      'Import test project',
      'train_us_workers',
      '2027-02-01',
      '2027-04-30',
      'foreign',
    ]);
    const deps = wb.addWorksheet('가족');
    deps.addRow(['근로자 여권번호', '관계', '성명', '영문성명', '생년월일', '동반비자', '여권만료일']);
    deps.addRow(['M80000001', '배우자', '이배우', 'LEE BAEWOO', '1984-04-04', 'B-2', '2030.08.31']);
    deps.addRow(['M80000001', '자녀', '박아이', 'PARK AI', '2015.06.01', 'B-2']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    const res = await upload(partner, 'roster.xlsx', bytes);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().sheets.map((s: { name: string; kind: string }) => [s.name, s.kind])).toEqual([
      ['근로자', 'workers'],
      ['가족', 'dependents'],
    ]);
    const commit = await partner.post(`/api/imports/${res.json().id}/commit`, {});
    expect(commit.statusCode, commit.body).toBe(200);
    expect(commit.json().counts).toEqual({
      workers: { created: 2, existing: 0 },
      dependents: { created: 2, existing: 0 },
      assignments: { created: 2, existing: 0 },
    });
    const park = (await partner.get('/api/workers?q=박설치')).json().items[0];
    expect(park.passportExpiry).toBe('2027-12-31'); // Excel serial 46752
    const assignments = (await partner.get(`/api/assignments?workerId=${park.id}`)).json().items;
    expect(assignments[0]).toMatchObject({
      projectId,
      activities: ['equipment_installation', 'train_us_workers'],
      startDate: '2027-01-10',
      endDate: '2027-03-31',
      payer: 'foreign',
    });
    const dependents = (await partner.get(`/api/workers/${park.id}/dependents`)).json().items;
    expect(dependents.map((d: { relationship: string }) => d.relationship).sort()).toEqual([
      'child',
      'spouse',
    ]);
    const spouse = dependents.find((d: { relationship: string }) => d.relationship === 'spouse');
    expect(spouse.passportExpiry).toBe('2030-08-31');

    // The site roster on the first day of the assignments, as a workbook: both imported workers, not yet present.
    const roster = await investor.get(`/api/sites/${siteId}/roster.xlsx?date=2027-02-15`);
    expect(roster.statusCode, roster.body.slice(0, 200)).toBe(200);
    expect(roster.headers['content-disposition']).toContain('roster-2027-02-15.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(roster.rawPayload as unknown as ArrayBuffer);
    const names = book.worksheets[0]!.getColumn(1).values.slice(2);
    expect(names).toEqual(expect.arrayContaining(['박설치', '정교육']));
    expect(String(book.worksheets[0]!.getRow(2).getCell(10).value)).toMatch(/GREY/);

    // Again: nothing new.
    const again = await upload(partner, 'roster.xlsx', bytes);
    const second = await partner.post(`/api/imports/${again.json().id}/commit`, {});
    expect(second.json().counts).toEqual({
      workers: { created: 0, existing: 2 },
      dependents: { created: 0, existing: 2 },
      assignments: { created: 0, existing: 2 },
    });
  });

  it('reports every bad row with its column and value in both languages, and then writes nothing', async () => {
    const csv = [
      'Name,Name in passport,Date of birth,Sex,Passport No.,Passport expiry,Education,Role,Employed since',
      '한가람,HAN GARAM,1988-02-30,M,M90000001,2031-01-01,고졸,기술자,2012-01-01',
      '두나래,DU NARAE,1991-01-01,?,M90000002,2031-01-01,학원,기술자,2012-01-01',
      '세바다,SE BADA,1991-01-01,F,M90000002,2031-01-01,고졸,기술자,2012-01-01',
      '네하늘,NE HANEUL,1991-01-01,F,M90000004,2031-01-01,고졸,기술자,2012-01-01',
    ].join('\n');
    const before = await count('workers');
    const res = await upload(partner, 'errors.csv', Buffer.from(csv));
    const dry = (await partner.post(`/api/imports/${res.json().id}/dry-run`, {})).json();
    expect(dry).toMatchObject({ rows: 4, valid: 1 });
    const byRow = (row: number) => dry.errors.filter((e: { row: number }) => e.row === row);
    expect(byRow(2)[0]).toMatchObject({ column: 'Date of birth', value: '1988-02-30' });
    expect(byRow(2)[0].message.ko).toMatch(/날짜/);
    expect(
      byRow(3)
        .map((e: { column: string }) => e.column)
        .sort(),
    ).toEqual(['Education', 'Sex']);
    expect(byRow(4)[0]).toMatchObject({ column: 'Passport No.' });
    expect(byRow(4)[0].message.en).toMatch(/row 3/);
    const commit = await partner.post(`/api/imports/${res.json().id}/commit`, {});
    expect(commit.statusCode).toBe(422);
    expect(commit.json()).toMatchObject({ code: 'import.has_errors' });
    expect(commit.json().errors[0].messages.ko).toBeTruthy();
    expect(await count('workers')).toBe(before);
  });

  it('refuses bad files with a reason and keeps nothing of them', async () => {
    const imports = await count('imports');
    const cases: [string, Buffer, RegExp][] = [
      ['empty.csv', Buffer.alloc(0), /empty/],
      ['garbage.csv', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), /binary/],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /97–2003/],
      [
        'mixed.csv',
        Buffer.concat([
          Buffer.from('성명,여권번호\n홍길동,M1\n', 'utf8'),
          iconv.encode('김철수,M2\n', 'cp949'),
        ]),
        /mixes encodings/,
      ],
      ['bomb.xlsx', zipBomb(), /zip bomb/],
      [
        'not.xlsx',
        Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]),
        /not a readable XLSX/,
      ],
    ];
    for (const [name, bytes, message] of cases) {
      const res = await upload(partner, name, bytes);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().detail, name).toMatch(message);
      expect(res.json().errors[0].messages.ko).toBeTruthy();
    }
    expect(await count('imports')).toBe(imports);
  });

  it('refuses a million rows and an oversized upload with bounded memory, and flags merged header cells', async () => {
    const million = Buffer.from('Name,Passport No.\n' + '김,M1\n'.repeat(1_000_001));
    const rows = await upload(partner, 'million.csv', million);
    expect(rows.statusCode, rows.body).toBe(422);
    expect(rows.json().detail).toMatch(/more than 200,000 rows/);
    const big = await upload(partner, 'big.csv', Buffer.alloc(51 * 1024 * 1024, 0x61));
    expect(big.statusCode, big.body.slice(0, 300)).toBe(413);
    expect(big.json().code).toBe('import.too_large');

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('명단');
    ws.addRow(['성명', '여권', '', '생년월일']);
    ws.addRow(['', '번호', '만료일', '']);
    ws.mergeCells('B1:C1');
    ws.addRow(['홍길동', 'M12312312', '2031-01-01', '1980-01-01']);
    const res = await upload(partner, 'merged.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(201);
    const problems = res.json().sheets[0].problems;
    expect(problems[0].column).toBe('C');
    expect(problems[0].message.en).toMatch(/merged header cells/);
    expect(problems[0].message.ko).toMatch(/병합/);
  }, 60_000);

  it('never answers 500 to random files (fuzzed)', async () => {
    const header = 'Name,Passport No.,Date of birth,Sex,Passport expiry,Education,Role,Employed since\n';
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc
            .array(fc.array(fc.string({ maxLength: 12 }), { maxLength: 9 }), { maxLength: 20 })
            .map((rows) => Buffer.from(header + rows.map((r) => r.join(',')).join('\n'))),
          fc
            .uint8Array({ maxLength: 400 })
            .map((b) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), b])),
        ),
        async (bytes) => {
          const res = await upload(partner, 'fuzz.csv', bytes);
          expect(res.statusCode, res.body).toBeLessThan(500);
          if (res.statusCode === 201) {
            const dry = await partner.post(`/api/imports/${res.json().id}/dry-run`, {});
            expect(dry.statusCode, dry.body).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('exports the workers as CSV with a BOM and as XLSX, with formula cells neutralised', async () => {
    const created = await partner.post('/api/workers', {
      familyName: 'EXPORT',
      givenName: 'TEST',
      nameHangul: '내보내기',
      birthDate: '1980-01-01',
      sex: 'M',
      nationality: 'KR',
      passportNumber: 'M99999991',
      passportExpiry: '2031-01-01',
      education: 'bachelor',
      role: 'engineer',
      employedSince: '2010-01-01',
      skills: ['=HYPERLINK("http://evil")', '@SUM(A1)'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const csv = await partner.get('/api/workers/export?format=csv&q=내보내기');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(
      /attachment; filename="workers-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = csv.rawPayload.toString('utf8');
    expect(text).toContain('Name in Hangul / 한글 성명');
    expect(text).toContain('내보내기');
    expect(text).toContain(`"'=HYPERLINK(""http://evil""); @SUM(A1)"`);
    expect(text).not.toContain('M99999991');

    const xlsx = await partner.get('/api/workers/export?format=xlsx&q=내보내기');
    expect(xlsx.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.getRow(2).getCell(1).value).toBe('내보내기');
    const skills = String(sheet.getRow(2).getCell(14).value);
    expect(skills.startsWith("'=")).toBe(true);
    // The export's own headers are recognized by the importer.
    const back = await upload(partner, 'export.xlsx', xlsx.rawPayload);
    expect(back.json().sheets[0].mapping['Name in Hangul / 한글 성명']).toBe('nameHangul');

    const cases = await partner.get('/api/cases/export?format=csv');
    expect(cases.statusCode).toBe(200);
    expect(cases.rawPayload.toString('utf8')).toContain('Case ID');
  });
});

/** A zip whose one entry declares 1 GB uncompressed from a few kilobytes. */
function zipBomb(): Buffer {
  const data = deflateRawSync(Buffer.alloc(1024 * 1024));
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(1024 * 1024 * 1024, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(1024 * 1024 * 1024, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}
