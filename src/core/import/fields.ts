/**
 * The columns an import understands, with the headers Korean and English sheets use for them. A header is
 * matched after normalization (case, spaces, punctuation and brackets ignored), and a bilingual header such as
 * `Passport No. / 여권번호` (what our own exports write) matches by either half.
 */
export const importFields = [
  // who the worker is
  'name',
  'nameHangul',
  'romanizedName',
  'familyName',
  'givenName',
  'birthDate',
  'sex',
  'nationality',
  'passportNumber',
  'passportExpiry',
  'mrz',
  'mrzLine1',
  'mrzLine2',
  'education',
  'role',
  'employedSince',
  'phone',
  'email',
  'skills',
  'qualifications',
  'emergencyName',
  'emergencyRelationship',
  'emergencyPhone',
  // the assignment (on the worker's row, or on an assignments sheet)
  'workerPassportNumber',
  'project',
  'activities',
  'startDate',
  'endDate',
  'payer',
  // dependents
  'relationship',
  'derivativeCategory',
] as const;
export type ImportField = (typeof importFields)[number];

export const fieldLabels: Record<ImportField, { en: string; ko: string }> = {
  name: { en: 'Name', ko: '성명' },
  nameHangul: { en: 'Name in Hangul', ko: '한글 성명' },
  romanizedName: { en: 'Name as in the passport', ko: '영문 성명' },
  familyName: { en: 'Family name (passport)', ko: '영문 성' },
  givenName: { en: 'Given names (passport)', ko: '영문 이름' },
  birthDate: { en: 'Date of birth', ko: '생년월일' },
  sex: { en: 'Sex', ko: '성별' },
  nationality: { en: 'Nationality', ko: '국적' },
  passportNumber: { en: 'Passport No.', ko: '여권번호' },
  passportExpiry: { en: 'Passport expiry', ko: '여권 만료일' },
  mrz: { en: 'Passport MRZ (two lines)', ko: '여권 기계판독영역(MRZ, 2줄)' },
  mrzLine1: { en: 'MRZ line 1', ko: 'MRZ 1행' },
  mrzLine2: { en: 'MRZ line 2', ko: 'MRZ 2행' },
  education: { en: 'Education', ko: '최종학력' },
  role: { en: 'Role', ko: '직무' },
  employedSince: { en: 'Employed since', ko: '입사일' },
  phone: { en: 'Phone', ko: '연락처' },
  email: { en: 'E-mail', ko: '이메일' },
  skills: { en: 'Skills', ko: '보유 기술' },
  qualifications: { en: 'Qualifications', ko: '자격증' },
  emergencyName: { en: 'Emergency contact', ko: '비상연락인' },
  emergencyRelationship: { en: 'Emergency contact relationship', ko: '비상연락인 관계' },
  emergencyPhone: { en: 'Emergency contact phone', ko: '비상연락처' },
  workerPassportNumber: { en: "Worker's passport No.", ko: '근로자 여권번호' },
  project: { en: 'Project', ko: '프로젝트' },
  activities: { en: 'Activities', ko: '수행 업무' },
  startDate: { en: 'Assignment start', ko: '파견 시작일' },
  endDate: { en: 'Assignment end', ko: '파견 종료일' },
  payer: { en: 'Paid by', ko: '급여 지급' },
  relationship: { en: 'Relationship', ko: '가족관계' },
  derivativeCategory: { en: 'Derivative visa', ko: '동반 비자' },
};

const aliases: Record<ImportField, string[]> = {
  name: [
    'name',
    'full name',
    'fullname',
    'employee name',
    'worker name',
    '이름',
    '성명',
    '근로자명',
    '직원명',
  ],
  nameHangul: [
    'name in hangul',
    'hangul name',
    'korean name',
    'name korean',
    '한글 성명',
    '한글성명',
    '한글 이름',
    '성명 한글',
    '한글명',
  ],
  romanizedName: [
    'name in passport',
    'passport name',
    'english name',
    'name in english',
    'name english',
    'romanized name',
    '영문 성명',
    '영문성명',
    '영문명',
    '영문 이름 전체',
    '여권 영문명',
    '여권상 성명',
  ],
  familyName: [
    'family name',
    'surname',
    'last name',
    'family name passport',
    '영문 성',
    '영문성',
    '성 영문',
    '여권 성',
  ],
  givenName: [
    'given name',
    'given names',
    'first name',
    'given name passport',
    '영문 이름',
    '이름 영문',
    '여권 이름',
  ],
  birthDate: ['date of birth', 'birth date', 'birthdate', 'dob', 'born', '생년월일', '출생일', '생일'],
  sex: ['sex', 'gender', '성별'],
  nationality: ['nationality', 'citizenship', '국적'],
  passportNumber: [
    'passport no',
    'passport number',
    'passport',
    'passport #',
    'passport num',
    '여권번호',
    '여권 번호',
    '여권',
  ],
  passportExpiry: [
    'passport expiry',
    'passport expiry date',
    'passport expiration',
    'passport expiration date',
    'date of expiry',
    'expiry date',
    'passport valid until',
    '여권 만료일',
    '여권만료일',
    '여권 유효기간',
    '여권유효기간',
    '여권 만료',
    '만료일',
    '유효기간',
  ],
  mrz: ['mrz', 'passport mrz', 'machine readable zone', '기계판독영역', '여권 mrz', 'mrz 2줄'],
  mrzLine1: ['mrz line 1', 'mrz 1', 'mrz1', 'mrz 1행', 'mrz 1줄'],
  mrzLine2: ['mrz line 2', 'mrz 2', 'mrz2', 'mrz 2행', 'mrz 2줄'],
  education: ['education', 'highest education', 'degree', '학력', '최종학력', '최종 학력'],
  role: [
    'role',
    'position',
    'job',
    'job title',
    'occupation',
    'title',
    '직무',
    '직종',
    '직급',
    '직위',
    '역할',
    '담당',
  ],
  employedSince: [
    'employed since',
    'hire date',
    'date of hire',
    'hired',
    'start of employment',
    'joined',
    '입사일',
    '입사일자',
    '입사 일자',
    '고용일',
  ],
  phone: [
    'phone',
    'mobile',
    'tel',
    'telephone',
    'phone number',
    'mobile phone',
    '연락처',
    '휴대폰',
    '휴대전화',
    '전화번호',
    '핸드폰',
  ],
  email: ['email', 'e mail', 'email address', '이메일', '전자우편', '메일'],
  skills: ['skills', 'skill', 'specialty', '보유 기술', '보유기술', '기술', '전문분야', '특기'],
  qualifications: [
    'qualifications',
    'qualification',
    'certificates',
    'certifications',
    'licenses',
    '자격증',
    '자격',
    '국가기술자격',
    '보유 자격',
  ],
  emergencyName: [
    'emergency contact',
    'emergency contact name',
    'emergency name',
    '비상연락인',
    '비상 연락인',
    '비상연락처 성명',
    '비상연락 성명',
  ],
  emergencyRelationship: [
    'emergency contact relationship',
    'emergency relationship',
    '비상연락인 관계',
    '비상연락처 관계',
    '비상연락 관계',
  ],
  emergencyPhone: [
    'emergency phone',
    'emergency contact phone',
    'emergency number',
    '비상연락처',
    '비상 연락처',
    '비상연락처 전화',
    '비상연락 전화',
  ],
  workerPassportNumber: [
    "worker's passport no",
    'worker passport no',
    'worker passport',
    'worker passport number',
    'employee passport no',
    'employee passport',
    '근로자 여권번호',
    '직원 여권번호',
    '근로자 여권',
    '본인 여권번호',
  ],
  project: [
    'project',
    'project name',
    'project id',
    'site project',
    '프로젝트',
    '프로젝트명',
    '사업명',
    '현장 프로젝트',
    '파견 프로젝트',
  ],
  activities: [
    'activities',
    'activity',
    'duties',
    'on-site activities',
    'tasks',
    '수행 업무',
    '수행업무',
    '업무',
    '업무내용',
    '활동',
    '작업내용',
  ],
  startDate: [
    'assignment start',
    'start date',
    'start',
    'from',
    'dispatch start',
    '파견 시작일',
    '파견시작일',
    '시작일',
    '파견일',
    '출국일',
  ],
  endDate: [
    'assignment end',
    'end date',
    'end',
    'to',
    'until',
    'dispatch end',
    '파견 종료일',
    '파견종료일',
    '종료일',
    '귀국일',
  ],
  payer: [
    'paid by',
    'payer',
    'who pays',
    'salary paid by',
    '급여 지급',
    '급여지급',
    '급여 지급처',
    '급여지급처',
    '급여 부담',
  ],
  relationship: ['relationship', 'relation', '관계', '가족관계', '가족 관계'],
  derivativeCategory: [
    'derivative visa',
    'derivative category',
    'dependent visa',
    '동반 비자',
    '동반비자',
    '가족 비자',
  ],
};

/** Lower case, NFC, no spaces, punctuation or brackets: `Passport No.` and `passport_no` both give `passportno`. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s._\-:#()[\]{}'"*·•/\\]+/g, '');
}

const byAlias = new Map<string, ImportField>();
for (const field of importFields)
  for (const alias of aliases[field]) byAlias.set(normalizeHeader(alias), field);

/** The field a header names, if any: the whole header first, then each half of a bilingual `A / B` header. */
export function fieldForHeader(header: string): ImportField | null {
  const whole = byAlias.get(normalizeHeader(header));
  if (whole) return whole;
  for (const part of header.split(/\s*[/|]\s*|\n/)) {
    const field = byAlias.get(normalizeHeader(part));
    if (field) return field;
  }
  return null;
}

/** A mapping: for each column (by its header text), the field it fills, or null to ignore the column. */
export type ColumnMapping = Record<string, ImportField | null>;

export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {};
  const used = new Set<ImportField>();
  for (const header of headers) {
    if (!header) continue;
    const field = fieldForHeader(header);
    mapping[header] = field && !used.has(field) ? field : null;
    if (field) used.add(field);
  }
  return mapping;
}

/**
 * Which of the first rows holds the headers: the one with the most recognized headers (at least two), the
 * earliest on a tie. A title row above the table (often a merged cell: "2026년 파견 인력 명단") is skipped.
 */
export function findHeaderRow(rows: readonly (readonly unknown[])[], maxScan = 20): number {
  let best = -1;
  let bestCount = 1;
  for (let i = 0; i < Math.min(rows.length, maxScan); i++) {
    const count = rows[i]!.filter((c) => typeof c === 'string' && fieldForHeader(c) !== null).length;
    if (count > bestCount) {
      best = i;
      bestCount = count;
    }
  }
  return best;
}

export type ImportKind = 'workers' | 'dependents' | 'assignments';

/** What a sheet holds, from the fields it maps. */
export function kindOf(fields: ReadonlySet<ImportField>): ImportKind | null {
  if (fields.has('relationship')) return 'dependents';
  const identity = fields.has('passportNumber') || fields.has('mrz') || fields.has('mrzLine2');
  const names = (['name', 'nameHangul', 'romanizedName', 'familyName', 'mrz', 'mrzLine1'] as const).some(
    (f) => fields.has(f),
  );
  if (identity && names) return 'workers';
  if ((identity || fields.has('workerPassportNumber')) && fields.has('project')) return 'assignments';
  return null;
}

export const requiredFields: Record<ImportKind, { fields: ImportField[][] }> = {
  // Each inner list is "one of these"; MRZ lines can stand in for the identity fields.
  workers: {
    fields: [
      ['name', 'nameHangul'],
      ['familyName', 'romanizedName', 'name', 'mrz', 'mrzLine1'],
      ['birthDate', 'mrz', 'mrzLine2'],
      ['sex', 'mrz', 'mrzLine2'],
      ['passportNumber', 'mrz', 'mrzLine2'],
      ['passportExpiry', 'mrz', 'mrzLine2'],
      // Education, role and the start of employment are optional (issue 13): company rosters rarely carry them;
      // the worker is then "profile incomplete" until someone fills them in.
    ],
  },
  dependents: {
    fields: [
      ['workerPassportNumber', 'passportNumber'],
      ['relationship'],
      ['familyName', 'romanizedName', 'name'],
      ['birthDate'],
    ],
  },
  assignments: {
    fields: [
      ['workerPassportNumber', 'passportNumber'],
      ['project'],
      ['activities'],
      ['startDate'],
      ['endDate'],
    ],
  },
};

/** The required fields no column fills, as "one of" groups. */
export function missingFields(kind: ImportKind, fields: ReadonlySet<ImportField>): ImportField[][] {
  return requiredFields[kind].fields.filter((group) => !group.some((f) => fields.has(f)));
}
