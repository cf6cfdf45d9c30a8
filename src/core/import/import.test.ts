import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { activitiesOf, convertRow, qualificationsOf, splitRomanized } from './convert.js';
import { parseSheetDate, excelSerialToIso } from './dates.js';
import { decodeText, DecodeError } from './decode.js';
import { fieldForHeader, findHeaderRow, kindOf, missingFields, suggestMapping } from './fields.js';
import { buildTd3, parseTd3 } from './mrz.js';

describe('encodings', () => {
  const text = '성명,여권번호,생년월일\r\n홍길동,M12345678,1986.05.14\r\n';
  it('reads UTF-8, UTF-8 with BOM, UTF-16 and CP949 / EUC-KR', () => {
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
      text,
      encoding: 'utf-8-bom',
    });
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])).text).toBe(
      text,
    );
    expect(decodeText(iconv.encode(text, 'cp949'))).toEqual({ text, encoding: 'cp949' });
    expect(decodeText(iconv.encode(text, 'euc-kr'))).toEqual({ text, encoding: 'cp949' });
    // CP949-only syllables (not in EUC-KR's 2,350): 똠, 햏
    expect(decodeText(iconv.encode('똠햏,1\n', 'cp949')).text).toBe('똠햏,1\n');
  });
  it('takes a short CP949 text that happens to be valid UTF-8 as Korean', () => {
    // 홍 in CP949 is C8 AB, which is also the UTF-8 of "ȫ".
    expect(decodeText(iconv.encode('홍', 'cp949'))).toEqual({ text: '홍', encoding: 'cp949' });
  });
  it('refuses empty, binary and mixed files with a reason in both languages', () => {
    const code = (bytes: Buffer) => {
      try {
        decodeText(bytes);
        return 'ok';
      } catch (e) {
        expect((e as DecodeError).messages.ko).toBeTruthy();
        return (e as DecodeError).code;
      }
    };
    expect(code(Buffer.alloc(0))).toBe('empty');
    expect(code(Buffer.from([0xef, 0xbb, 0xbf]))).toBe('empty');
    expect(code(Buffer.from([0x50, 0x00, 0x01, 0x02]))).toBe('binary');
    expect(code(Buffer.concat([Buffer.from('이름\n홍길동\n'), iconv.encode('김철수\n', 'cp949')]))).toBe(
      'mixed_encoding',
    );
  });
  it('never throws anything but a DecodeError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          expect(typeof decodeText(bytes).text).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('dates as Korean sheets write them', () => {
  it.each([
    ['2026-03-02', '2026-03-02'],
    ['2026.03.02', '2026-03-02'],
    ['2026.3.2.', '2026-03-02'],
    ['2026. 3. 2.', '2026-03-02'],
    ['2026/3/2', '2026-03-02'],
    ['2026년 3월 2일', '2026-03-02'],
    ['2026년3월2일', '2026-03-02'],
    ['20260302', '2026-03-02'],
    ['2026.03.02 (월)', '2026-03-02'],
    ['2024-02-29', '2024-02-29'],
    ['46083', '2026-03-02'],
    ['2026-03-02T00:00:00.000Z', '2026-03-02'],
  ])('%s -> %s', (input, iso) => expect(parseSheetDate(input)).toBe(iso));
  it.each([
    '2025-02-29',
    '2026-13-01',
    '2026-04-31',
    '02/03/2026',
    '3/2/2026',
    'yesterday',
    '',
    '1899-12-31',
  ])('refuses %s', (input) => expect(parseSheetDate(input)).toBeNull());
  it('reads Excel serial numbers across the phantom 1900-02-29', () => {
    expect(excelSerialToIso(1)).toBe('1900-01-01');
    expect(excelSerialToIso(59)).toBe('1900-02-28');
    expect(excelSerialToIso(60)).toBeNull();
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(45292)).toBe('2024-01-01');
    expect(excelSerialToIso(46083.75)).toBe('2026-03-02');
    expect(parseSheetDate(new Date(Date.UTC(1986, 4, 14)))).toBe('1986-05-14');
  });
  it('returns a valid ISO date or null for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.double(), fc.integer(), fc.date({ noInvalidDate: false })),
        (v) => {
          const out = parseSheetDate(v);
          if (out !== null) expect(new Date(`${out}T00:00:00Z`).toISOString().slice(0, 10)).toBe(out);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('headers', () => {
  it('recognizes Korean and English headers, and bilingual ones by either half', () => {
    expect(fieldForHeader('성명')).toBe('name');
    expect(fieldForHeader('이름')).toBe('name');
    expect(fieldForHeader('Name')).toBe('name');
    expect(fieldForHeader('여권번호')).toBe('passportNumber');
    expect(fieldForHeader('Passport No.')).toBe('passportNumber');
    expect(fieldForHeader('passport_no')).toBe('passportNumber');
    expect(fieldForHeader('생년월일')).toBe('birthDate');
    expect(fieldForHeader('Date of birth')).toBe('birthDate');
    expect(fieldForHeader('DOB')).toBe('birthDate');
    expect(fieldForHeader('Passport expiry / 여권 만료일')).toBe('passportExpiry');
    expect(fieldForHeader('영문 성명')).toBe('romanizedName');
    expect(fieldForHeader('비고')).toBeNull();
  });
  it('finds the header row under a title, and keeps one column per field', () => {
    const rows = [
      ['2026년 파견 인력 명단'],
      [],
      ['성명', '여권번호', '생년월일', '비고'],
      ['홍길동', 'M1', '1986.05.14'],
    ];
    expect(findHeaderRow(rows)).toBe(2);
    expect(suggestMapping(['성명', '이름', '여권번호'])).toEqual({
      성명: 'name',
      이름: null,
      여권번호: 'passportNumber',
    });
    expect(
      findHeaderRow([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    ).toBe(-1);
  });
  it('tells what a sheet holds and what it lacks', () => {
    expect(kindOf(new Set(['name', 'passportNumber']))).toBe('workers');
    expect(kindOf(new Set(['workerPassportNumber', 'relationship', 'name']))).toBe('dependents');
    expect(kindOf(new Set(['workerPassportNumber', 'project', 'startDate']))).toBe('assignments');
    expect(kindOf(new Set(['phone']))).toBeNull();
    expect(
      missingFields('workers', new Set(['name', 'passportNumber', 'birthDate', 'sex', 'passportExpiry'])),
    ).toEqual([]);
    // A roster may carry identity only (the profile is completed later); identity itself is required.
    expect(missingFields('workers', new Set(['name', 'birthDate', 'sex', 'passportExpiry']))).toEqual([
      ['passportNumber', 'mrz', 'mrzLine2'],
    ]);
  });
});

describe('rows to records', () => {
  it('reads Korean words for codes, splits romanized names, grades qualifications', () => {
    const row = convertRow('workers', {
      name: '이전기',
      romanizedName: 'LEE, JEON GI',
      birthDate: '1990/7/15',
      sex: '여',
      passportNumber: 'M70000002',
      passportExpiry: '2032년 5월 1일',
      education: '전문대',
      role: '반장',
      employedSince: '2015.03.02',
      qualifications: '전기기사, 산업안전산업기사; 용접(기능사)',
      emergencyPhone: '이배우(배우자) 010-1234-5678',
      project: 'P-1',
      activities: '장비 설치, Training US workers',
      startDate: '2027.01.10',
      endDate: '2027.03.31',
      payer: '본사',
    });
    expect(row.problems).toEqual([]);
    expect(row.record).toMatchObject({
      nameHangul: '이전기',
      familyName: 'LEE',
      givenName: 'JEON GI',
      birthDate: '1990-07-15',
      sex: 'F',
      nationality: 'KR',
      passportExpiry: '2032-05-01',
      education: 'associate',
      role: 'supervisor',
      emergencyContact: { name: '이배우', relationship: '배우자', phone: '010-1234-5678' },
    });
    expect(row.record.qualifications).toEqual([
      { name: '전기기사', grade: '기사' },
      { name: '산업안전산업기사', grade: '산업기사' },
      { name: '용접', grade: '기능사' },
    ]);
    expect(row.assignment).toEqual({
      activities: ['equipment_installation', 'train_us_workers'],
      startDate: '2027-01-10',
      endDate: '2027-03-31',
      payer: 'foreign',
    });
    expect(splitRomanized('HONG GIL DONG')).toEqual({ familyName: 'HONG', givenName: 'GIL DONG' });
    expect(splitRomanized('HONG')).toBeNull();
    expect(activitiesOf('meetings; 건설 작업 / unknown thing').unknown).toEqual(['unknown thing']);
    expect(qualificationsOf('')).toEqual([]);
  });
  it('reports each unreadable cell in both languages', () => {
    const row = convertRow('workers', {
      sex: '?',
      birthDate: '31/12/1980',
      education: '학원',
      payer: 'x',
      project: 'P',
    });
    expect(row.problems.map((p) => p.field).sort()).toEqual(['birthDate', 'education', 'payer', 'sex']);
    for (const p of row.problems) expect(p.message.ko).toBeTruthy();
  });
  it('reads the passport MRZ, verifies its check digits and cross-checks the typed fields', () => {
    const [l1, l2] = buildTd3({
      familyName: 'CHOI',
      givenName: 'MIN JUN',
      passportNumber: 'M70000003',
      nationality3: 'KOR',
      birthDate: '1979-11-30',
      sex: 'M',
      expiryDate: '2034-06-30',
    });
    expect(parseTd3(l1, l2)).toMatchObject({
      ok: true,
      passportNumber: 'M70000003',
      birthDate: '1979-11-30',
    });
    const filled = convertRow('workers', { name: '최민준', mrz: `${l1}\n${l2}` });
    expect(filled.problems).toEqual([]);
    expect(filled.record).toMatchObject({
      familyName: 'CHOI',
      givenName: 'MIN JUN',
      sex: 'M',
      passportExpiry: '2034-06-30',
    });
    const clash = convertRow('workers', {
      name: '최민준',
      passportNumber: 'M70000004',
      mrzLine1: l1,
      mrzLine2: l2,
    });
    expect(clash.problems[0]!.message.en).toMatch(/MRZ says passport number M70000003/);
    const typo = convertRow('workers', { mrz: `${l1}\n${l2.replace('M70000003', 'M70000008')}` });
    expect(typo.problems[0]!.message.en).toMatch(/does not check out/);
    expect(parseTd3('P<KOR', 'short').ok).toBe(false);
  });
  it('never throws, whatever the cells hold', () => {
    const cell = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.date({ noInvalidDate: false }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('workers', 'dependents', 'assignments') as fc.Arbitrary<
          'workers' | 'dependents' | 'assignments'
        >,
        fc.dictionary(
          fc.constantFrom(
            'name',
            'romanizedName',
            'birthDate',
            'sex',
            'passportNumber',
            'mrz',
            'mrzLine1',
            'mrzLine2',
            'education',
            'role',
            'activities',
            'payer',
            'relationship',
            'emergencyPhone',
            'qualifications',
            'project',
            'startDate',
          ),
          cell,
        ),
        (kind, values) => {
          const row = convertRow(kind, values);
          expect(Array.isArray(row.problems)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
