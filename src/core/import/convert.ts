import { activityIds, type ActivityId } from '../../contract/assessment.js';
import { activityCatalog } from '../visas/activities.js';
import { parseSheetDate, DATE_HELP } from './dates.js';
import type { ImportField } from './fields.js';
import { parseTd3, type MrzResult } from './mrz.js';

/**
 * From a row of cells to the fields of a worker, dependent or assignment: Korean and English words for codes
 * (남/여, 고졸, 반장, 배우자, 본사…), dates in the forms Korean sheets use, names split as in the passport, the
 * passport's machine-readable zone read and cross-checked. Pure: the server validates the result with the
 * same zod schemas as the API and checks it against the database.
 */
export interface CellProblem {
  field: ImportField;
  value: string;
  message: { en: string; ko: string };
}

export type RowValues = Partial<Record<ImportField, unknown>>;

/** A cell as text; a date cell as its ISO date (an invalid one as empty). */
export const cellText = (v: unknown): string =>
  v === null || v === undefined ? '' : v instanceof Date ? (parseSheetDate(v) ?? '') : String(v).trim();
const text = cellText;

const words = (map: Record<string, string[]>) => {
  const lookup = new Map<string, string>();
  for (const [code, list] of Object.entries(map))
    for (const w of [code, ...list]) lookup.set(w.toLowerCase().replace(/[\s._-]+/g, ''), code);
  return (value: string) => lookup.get(value.toLowerCase().replace(/[\s._-]+/g, '')) ?? null;
};

export const sexOf = words({
  M: ['male', 'man', '남', '남자', '남성'],
  F: ['female', 'woman', '여', '여자', '여성'],
  X: [],
});
export const educationOf = words({
  none: ['없음', '무학', '초졸', '중졸', '초등학교', '중학교', 'primary', 'middle school'],
  high_school: ['고졸', '고등학교', '고등학교 졸업', 'high school', 'highschool', 'secondary'],
  vocational: ['직업학교', '폴리텍', '기능대', '직업훈련', 'vocational school', 'trade school', '마이스터고'],
  associate: ['전문대', '전문대졸', '전문학사', '초대졸', 'associate degree', 'college'],
  bachelor: [
    '대졸',
    '학사',
    '대학교',
    '대학교 졸업',
    '4년제',
    'bachelors',
    "bachelor's",
    'ba',
    'bs',
    'bsc',
    'university',
  ],
  master: ['석사', '대학원', 'masters', "master's", 'ms', 'msc', 'ma', 'mba'],
  doctorate: ['박사', 'phd', 'doctor', 'doctoral'],
});
export const roleOf = words({
  laborer: ['근로자', '작업자', '기능원', '노무', 'worker', 'operator', 'labourer'],
  technician: ['기술자', '기능공', '기사', '테크니션', 'tech', '기능직', '설치기사', '정비사'],
  engineer: ['엔지니어', '기술사', '설계', 'eng', '공정엔지니어'],
  specialist: ['전문가', '전문인력', '트레이너', '교육담당', 'trainer', 'expert'],
  supervisor: ['반장', '조장', '직장', '감독', '현장감독', '슈퍼바이저', 'foreman', 'lead'],
  manager: ['관리자', '과장', '차장', '부장', '팀장', '매니저', '소장', '현장소장', 'pm'],
  executive: ['임원', '이사', '상무', '전무', '대표', '사장', 'director', 'ceo', 'vp'],
});
export const payerOf = words({
  foreign: ['한국', '본사', '국내', '한국 본사', 'korea', 'korean employer', 'home', 'kr'],
  us: ['미국', '현지', '현지법인', '미국 법인', 'usa', 'us entity', 'local', 'u.s.'],
});
export const relationshipOf = words({
  spouse: ['배우자', '처', '남편', '아내', '부인', 'wife', 'husband'],
  child: ['자녀', '아들', '딸', '자', '녀', 'son', 'daughter', 'children'],
});
const countries = words({
  KR: ['kor', '대한민국', '한국', 'korea', 'south korea', 'republic of korea', 'korean'],
  US: ['usa', '미국', 'united states', 'american'],
  JP: ['jpn', '일본', 'japan'],
  CN: ['chn', '중국', 'china'],
  VN: ['vnm', '베트남', 'vietnam', 'viet nam'],
});

/** ISO 3166 alpha-2 from what a sheet writes (KR, KOR, 대한민국, Korea…); other two-letter codes as given. */
export function countryOf(value: string): string | null {
  const known = countries(value);
  if (known) return known;
  return /^[A-Za-z]{2}$/.test(value) ? value.toUpperCase() : null;
}

/** Short words Korean rosters use for the common activities. */
const activityAliases: Partial<Record<ActivityId, string[]>> = {
  meetings: ['회의', '미팅'],
  site_visit: ['현장 방문', '현장점검'],
  equipment_installation: ['설치', '장비설치', '설비 설치', 'installation'],
  equipment_servicing: ['정비', '수리', '유지보수'],
  equipment_supervision: ['설치 감독', '설치감독', 'SV'],
  train_us_workers: ['교육', '현지 교육', '기술 교육', 'training'],
  receive_training: ['교육 수강', '연수'],
  construction_work: ['건설', '건설 작업', '시공', '공사'],
  construction_supervision: ['공사 감독', '시공 감독'],
  production_work: ['생산', '생산 작업'],
};

const activityWords = (() => {
  const map: Record<string, string[]> = {};
  for (const id of activityIds) {
    const { label } = activityCatalog[id];
    map[id] = [label.en, label.ko, id.replace(/_/g, ' '), ...(activityAliases[id] ?? [])];
  }
  return words(map);
})();

/** Activities as ids or their English or Korean names, separated by commas, semicolons, slashes or lines. */
export function activitiesOf(value: string): { activities: ActivityId[]; unknown: string[] } {
  const activities: ActivityId[] = [];
  const unknown: string[] = [];
  for (const part of value
    .split(/[,;/\n·]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const id = activityWords(part) as ActivityId | null;
    if (!id) unknown.push(part);
    else if (!activities.includes(id)) activities.push(id);
  }
  return { activities, unknown };
}

/** Korean national technical qualifications carry their grade in the name: 전기기사 is a 기사 grade. */
const GRADES = ['기술사', '기능장', '산업기사', '기사', '기능사'];
export function qualificationsOf(value: string): { name: string; grade?: string }[] {
  return value
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((part) => {
      const explicit = /^(.*?)\s*\(([^)]+)\)$/.exec(part);
      if (explicit) return { name: explicit[1]!.trim(), grade: explicit[2]!.trim() };
      const grade = GRADES.find((g) => part.endsWith(g) && part.length > g.length);
      return grade ? { name: part, grade } : { name: part };
    })
    .slice(0, 30);
}

/** `HONG GILDONG`, `HONG, GIL DONG` or `HONG/GILDONG` -> family and given names (the family name first). */
export function splitRomanized(value: string): { familyName: string; givenName: string } | null {
  const v = value.trim().toUpperCase();
  const sep = /^([A-Z' -]+?)\s*[,/]\s*([A-Z' -]+)$/.exec(v);
  if (sep) return { familyName: sep[1]!.trim(), givenName: sep[2]!.trim() };
  const parts = v.split(/\s+/);
  if (parts.length < 2) return null;
  return { familyName: parts[0]!, givenName: parts.slice(1).join(' ') };
}

const HANGUL = /[\uAC00-\uD7A3]/;
const PHONE = /(\+?\d[\d\s()-]{6,}\d)/;

export interface ConvertedRow {
  kind: 'workers' | 'dependents' | 'assignments';
  /** Fields for the API's create schema (worker, dependent or assignment), not yet validated. */
  record: Record<string, unknown>;
  /** The assignment on a worker's row, when the row has assignment columns. */
  assignment: Record<string, unknown> | null;
  /** The project as written (name or id), for the server to resolve. */
  project: string | null;
  /** The passport number of the worker a dependent or assignment row belongs to. */
  workerPassportNumber: string | null;
  problems: CellProblem[];
  mrz: MrzResult | null;
}

function problem(field: ImportField, value: unknown, en: string, ko: string): CellProblem {
  return { field, value: text(value), message: { en, ko } };
}

export function convertRow(kind: ConvertedRow['kind'], values: RowValues): ConvertedRow {
  const problems: CellProblem[] = [];
  const record: Record<string, unknown> = {};
  const get = (f: ImportField) => text(values[f]);
  const has = (f: ImportField) => get(f) !== '';

  const date = (field: ImportField, target: string) => {
    if (!has(field)) return;
    const iso = parseSheetDate(values[field]);
    if (iso) record[target] = iso;
    else
      problems.push(
        problem(field, values[field], `Not a date. ${DATE_HELP.en}`, `날짜가 아닙니다. ${DATE_HELP.ko}`),
      );
  };
  const code = (
    field: ImportField,
    target: string,
    of: (v: string) => string | null,
    en: string,
    ko: string,
  ) => {
    if (!has(field)) return;
    const c = of(get(field));
    if (c) record[target] = c;
    else problems.push(problem(field, values[field], en, ko));
  };

  // Names: an explicit Hangul column, or a "name" column that holds Hangul or the romanized name.
  if (has('nameHangul')) record.nameHangul = get('nameHangul');
  else if (has('name') && HANGUL.test(get('name'))) record.nameHangul = get('name');
  if (has('familyName')) record.familyName = get('familyName');
  if (has('givenName')) record.givenName = get('givenName');
  const romanized = has('romanizedName')
    ? get('romanizedName')
    : has('name') && !HANGUL.test(get('name'))
      ? get('name')
      : '';
  if (romanized && !record.familyName) {
    const split = splitRomanized(romanized);
    if (split) Object.assign(record, split);
    else
      problems.push(
        problem(
          has('romanizedName') ? 'romanizedName' : 'name',
          romanized,
          'Write the family name and the given names as in the passport, e.g. HONG GILDONG.',
          '여권과 같이 성과 이름을 쓰세요. 예: HONG GILDONG',
        ),
      );
  }
  date('birthDate', 'birthDate');
  code('sex', 'sex', sexOf, 'Use M or F (남/여).', 'M 또는 F(남/여)로 쓰세요.');
  code(
    'nationality',
    'nationality',
    countryOf,
    'Use a country code such as KR.',
    'KR 같은 국가 코드를 쓰세요.',
  );

  let mrz: MrzResult | null = null;
  if (kind === 'workers') {
    if (has('passportNumber')) record.passportNumber = get('passportNumber');
    date('passportExpiry', 'passportExpiry');
    code(
      'education',
      'education',
      educationOf,
      'Unknown education: use none, high_school, vocational, associate, bachelor, master or doctorate (고졸, 대졸, 석사…).',
      '알 수 없는 학력입니다: 고졸, 직업학교, 전문대, 대졸, 석사, 박사 중 하나로 쓰세요.',
    );
    code(
      'role',
      'role',
      roleOf,
      'Unknown role: use laborer, technician, engineer, specialist, supervisor, manager or executive (기술자, 반장…).',
      '알 수 없는 직무입니다: 작업자, 기술자, 엔지니어, 전문가, 반장, 관리자, 임원 중 하나로 쓰세요.',
    );
    date('employedSince', 'employedSince');
    if (has('phone')) record.phone = get('phone');
    if (has('email')) record.email = get('email');
    if (has('skills'))
      record.skills = get('skills')
        .split(/[,;\n]+/)
        .map((s) => s.trim())
        .filter(Boolean);
    if (has('qualifications')) record.qualifications = qualificationsOf(get('qualifications'));
    if (has('emergencyName') || has('emergencyPhone')) {
      let name = get('emergencyName');
      let relationship = get('emergencyRelationship');
      let phone = get('emergencyPhone');
      // "홍길순(배우자) 010-1234-5678" in one cell
      if (!name && phone) {
        const m = PHONE.exec(phone);
        const rest = m ? phone.replace(m[0], '').trim() : '';
        const rel = /^(.*?)\s*\(([^)]+)\)\s*$/.exec(rest);
        name = rel ? rel[1]!.trim() : rest;
        relationship = relationship || (rel ? rel[2]!.trim() : '');
        phone = m ? m[1]!.trim() : phone;
      }
      record.emergencyContact = { name: name || '-', relationship: relationship || '-', phone };
    }

    const line1 = has('mrz') ? get('mrz').split(/\r?\n/)[0] : get('mrzLine1');
    const line2 = has('mrz') ? (get('mrz').split(/\r?\n/)[1] ?? '') : get('mrzLine2');
    if (line1 || line2) {
      const field: ImportField = has('mrz') ? 'mrz' : line2 ? 'mrzLine2' : 'mrzLine1';
      mrz = parseTd3(line1 ?? '', line2 ?? '');
      if (!mrz.ok) problems.push(problem(field, `${line1}\n${line2}`, mrz.error.en, mrz.error.ko));
      else problems.push(...crossCheck(mrz, record, field));
    }
    // Workers are Korean nationals unless the sheet or the passport says otherwise.
    if (!record.nationality) record.nationality = 'KR';
  } else if (kind === 'dependents') {
    code(
      'relationship',
      'relationship',
      relationshipOf,
      'Use spouse or child (배우자/자녀).',
      '배우자 또는 자녀로 쓰세요.',
    );
    if (has('derivativeCategory')) record.derivativeCategory = get('derivativeCategory').toUpperCase();
    date('passportExpiry', 'passportExpiry');
    if (!record.nationality) record.nationality = 'KR';
  }

  // The assignment: its own sheet, or columns on the worker's row.
  let assignment: Record<string, unknown> | null = null;
  if (kind === 'assignments' || has('project')) {
    assignment = {};
    const target = kind === 'assignments' ? record : assignment;
    if (has('activities')) {
      const { activities, unknown } = activitiesOf(get('activities'));
      if (unknown.length)
        problems.push(
          problem(
            'activities',
            values.activities,
            `Unknown activities: ${unknown.join(', ')}. Use the activity names of the assessment (e.g. Installing equipment, 장비 설치).`,
            `알 수 없는 업무: ${unknown.join(', ')}. 평가에서 쓰는 업무명(예: 장비 설치, Installing equipment)을 쓰세요.`,
          ),
        );
      else target.activities = activities;
    }
    for (const [field, key] of [
      ['startDate', 'startDate'],
      ['endDate', 'endDate'],
    ] as const) {
      if (!has(field)) continue;
      const iso = parseSheetDate(values[field]);
      if (iso) target[key] = iso;
      else
        problems.push(
          problem(field, values[field], `Not a date. ${DATE_HELP.en}`, `날짜가 아닙니다. ${DATE_HELP.ko}`),
        );
    }
    if (has('payer')) {
      const p = payerOf(get('payer'));
      if (p) target.payer = p;
      else
        problems.push(
          problem(
            'payer',
            values.payer,
            'Use foreign (the Korean employer) or us.',
            '한국 본사(foreign) 또는 미국(us)으로 쓰세요.',
          ),
        );
    } else target.payer = 'foreign';
    if (kind === 'assignments') assignment = null;
  }

  const workerPassportNumber =
    kind === 'workers'
      ? ((record.passportNumber as string | undefined) ?? null)
      : get('workerPassportNumber') || get('passportNumber') || null;
  return {
    kind,
    record,
    assignment,
    project: has('project') ? get('project') : null,
    workerPassportNumber,
    problems,
    mrz,
  };
}

/** The MRZ fills what the typed columns leave empty, and must agree with what they say. */
function crossCheck(
  mrz: Extract<MrzResult, { ok: true }>,
  record: Record<string, unknown>,
  field: ImportField,
): CellProblem[] {
  const out: CellProblem[] = [];
  const pairs: [string, string, { en: string; ko: string }][] = [
    ['passportNumber', mrz.passportNumber, { en: 'passport number', ko: '여권번호' }],
    ['birthDate', mrz.birthDate, { en: 'date of birth', ko: '생년월일' }],
    ['passportExpiry', mrz.expiryDate, { en: 'passport expiry', ko: '여권 만료일' }],
    ['sex', mrz.sex, { en: 'sex', ko: '성별' }],
    ['familyName', mrz.familyName, { en: 'family name', ko: '영문 성' }],
    ['givenName', mrz.givenName, { en: 'given names', ko: '영문 이름' }],
    ['nationality', mrz.nationality, { en: 'nationality', ko: '국적' }],
  ];
  for (const [key, fromMrz, label] of pairs) {
    if (!fromMrz) continue;
    const typed = record[key];
    const norm = (v: unknown) =>
      String(v)
        .toUpperCase()
        .replace(/[\s<-]+/g, '');
    if (typed === undefined || typed === '') record[key] = fromMrz;
    else if (norm(typed) !== norm(fromMrz))
      out.push({
        field,
        value: String(typed),
        message: {
          en: `The MRZ says ${label.en} ${fromMrz}, the sheet says ${String(typed)}.`,
          ko: `MRZ의 ${label.ko}는 ${fromMrz}인데 시트에는 ${String(typed)}로 되어 있습니다.`,
        },
      });
  }
  return out;
}
