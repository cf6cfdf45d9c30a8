import { z } from 'zod';
import { bilingualSchema } from './assessment.js';

/**
 * The worker's questionnaire (issue 18, item 1): what a visa application asks of the person, gathered from the
 * worker on their phone, reviewed by HR and counsel, exported for filing. Two forms, as data:
 * - `ds160`: the data of the State Department's Online Nonimmigrant Visa Application (DS-160) for consular
 *   cases: personal data, passport, travel history and previous US visits with their I-94s, previous visas and
 *   refusals, addresses and contacts, family, work and education, social media identifiers (the DS-160 asks for
 *   the platforms and identifiers used in the last five years; State Department, 2019);
 * - `petition`: what the employer's petition (Form I-129 and its supplements) needs of the beneficiary.
 * A field is text, a date, yes/no, or a list of rows with their own fields (visits, employers, schools…).
 * Answers are saved as the worker goes (every field checked for its kind), and only completeness is checked on
 * submission. Sources: https://ceac.state.gov/genniv/ (DS-160), https://www.uscis.gov/i-129 (I-129).
 */
export const questionnaireForms = ['ds160', 'petition'] as const;
export type QuestionnaireForm = (typeof questionnaireForms)[number];

export type FieldKind = 'text' | 'date' | 'yesno' | 'list';
export interface QuestionField {
  id: string;
  label: { en: string; ko: string };
  kind: FieldKind;
  required?: boolean;
  /** A yes/no question whose "yes" makes this field required (its id). */
  requiredIf?: string;
  /** Text: at most this many characters (default 200). */
  max?: number;
  hint?: { en: string; ko: string };
  /** A list's row fields. */
  fields?: QuestionField[];
}
export interface QuestionSection {
  id: string;
  title: { en: string; ko: string };
  fields: QuestionField[];
}

const f = (
  id: string,
  en: string,
  ko: string,
  kind: FieldKind = 'text',
  extra: Partial<QuestionField> = {},
): QuestionField => ({ id, label: { en, ko }, kind, ...extra });

const employmentRow = [
  f('employer', 'Employer', '고용주', 'text', { required: true }),
  f('title', 'Job title', '직위', 'text', { required: true }),
  f('from', 'From', '시작일', 'date', { required: true }),
  f('to', 'To (empty: now)', '종료일(비우면 현재)', 'date'),
  f('duties', 'Duties', '담당 업무', 'text', { max: 1000 }),
];
const educationRow = [
  f('school', 'School', '학교', 'text', { required: true }),
  f('course', 'Course of study or degree', '전공 또는 학위', 'text', { required: true }),
  f('from', 'From', '입학일', 'date', { required: true }),
  f('to', 'To', '졸업일', 'date'),
];

export const questionnaireDefinitions: Record<
  QuestionnaireForm,
  { title: { en: string; ko: string }; sections: QuestionSection[] }
> = {
  // prettier-ignore
  ds160: {
    title: { en: 'Visa application data (DS-160)', ko: '비자 신청서 정보(DS-160)' },
    sections: [
      {
        id: 'personal',
        title: { en: 'About you', ko: '인적 사항' },
        fields: [
          f('familyName', 'Surnames (as in the passport)', '성(여권과 같이)', 'text', { required: true }),
          f('givenName', 'Given names (as in the passport)', '이름(여권과 같이)', 'text', { required: true }),
          f('nameHangul', 'Full name in Korean', '한글 성명', 'text', { required: true }),
          f('otherNames', 'Other names ever used', '사용한 적 있는 다른 이름', 'text'),
          f('birthDate', 'Date of birth', '생년월일', 'date', { required: true }),
          f('birthPlace', 'City and province of birth', '출생지(시·도)', 'text', { required: true }),
          f('maritalStatus', 'Marital status', '혼인 여부', 'text', { required: true }),
        ],
      },
      {
        id: 'passport',
        title: { en: 'Passport', ko: '여권' },
        fields: [
          f('passportNumber', 'Passport number', '여권 번호', 'text', { required: true, max: 20 }),
          f('passportIssued', 'Date of issue', '발급일', 'date', { required: true }),
          f('passportExpiry', 'Date of expiry', '만료일', 'date', { required: true }),
          f('passportLost', 'Have you ever lost a passport?', '여권을 분실한 적이 있습니까?', 'yesno', { required: true }), // prettier-ignore
        ],
      },
      {
        id: 'travel',
        title: { en: 'Travel history', ko: '여행 이력' },
        fields: [
          f('previousVisits', 'Have you been in the US before?', '미국에 간 적이 있습니까?', 'yesno', { required: true }), // prettier-ignore
          f('visits', 'Your last five US visits', '최근 5회 미국 방문', 'list', {
            requiredIf: 'previousVisits',
            hint: { en: 'Filled in from the entries on record; correct what is wrong.', ko: '기록된 입국 정보로 채웠습니다. 틀린 곳을 고치세요.' }, // prettier-ignore
            fields: [
              f('arrived', 'Date of arrival', '입국일', 'date', { required: true }),
              f('days', 'Length of stay (days)', '체류 일수', 'text', { required: true, max: 5 }),
              f('classOfAdmission', 'Class of admission (I-94)', '입국 자격(I-94)', 'text', { max: 10 }),
            ],
          }),
          f('previousVisa', 'Have you ever been issued a US visa?', '미국 비자를 받은 적이 있습니까?', 'yesno', { required: true }), // prettier-ignore
          f('lastVisaIssued', 'Date the last visa was issued', '마지막 비자 발급일', 'date', { requiredIf: 'previousVisa' }), // prettier-ignore
          f('refused', 'Have you ever been refused a US visa, or refused admission, or had an ESTA denied?', '미국 비자 거절, 입국 거부 또는 ESTA 불허를 받은 적이 있습니까?', 'yesno', { required: true }), // prettier-ignore
          f('refusedExplain', 'Explain the refusal', '거절 사유 설명', 'text', { requiredIf: 'refused', max: 1000 }), // prettier-ignore
        ],
      },
      {
        id: 'contact',
        title: { en: 'Address and contact', ko: '주소와 연락처' },
        fields: [
          f('homeAddress', 'Home address', '자택 주소', 'text', { required: true, max: 300 }),
          f('phone', 'Primary phone number', '주 전화번호', 'text', { required: true, max: 30 }),
          f('email', 'E-mail address', '이메일 주소', 'text', { required: true, max: 200 }),
          f('social', 'Social media used in the last five years', '최근 5년간 사용한 소셜 미디어', 'list', {
            hint: { en: 'The DS-160 asks for each platform and your identifier on it (not passwords).', ko: 'DS-160은 플랫폼과 그 아이디를 묻습니다(비밀번호 아님).' }, // prettier-ignore
            fields: [
              f('platform', 'Platform', '플랫폼', 'text', { required: true, max: 60 }),
              f('identifier', 'Identifier', '아이디', 'text', { required: true, max: 100 }),
            ],
          }),
        ],
      },
      {
        id: 'family',
        title: { en: 'Family', ko: '가족' },
        fields: [
          f('fatherName', "Father's full name", '아버지 성명', 'text', { required: true }),
          f('fatherBirthDate', "Father's date of birth", '아버지 생년월일', 'date'),
          f('motherName', "Mother's full name", '어머니 성명', 'text', { required: true }),
          f('motherBirthDate', "Mother's date of birth", '어머니 생년월일', 'date'),
          f('spouseName', "Spouse's full name", '배우자 성명', 'text'),
          f('spouseBirthDate', "Spouse's date of birth", '배우자 생년월일', 'date'),
        ],
      },
      {
        id: 'work',
        title: { en: 'Work and education', ko: '경력과 학력' },
        fields: [
          f('currentEmployer', 'Present employer', '현 직장', 'text', { required: true }),
          f('currentTitle', 'Present job title', '현 직위', 'text', { required: true }),
          f('currentSince', 'Employed there since', '입사일', 'date', { required: true }),
          f('currentDuties', 'Briefly describe your duties', '담당 업무를 간단히 적으세요', 'text', { required: true, max: 1000 }), // prettier-ignore
          f('previousEmployers', 'Previous employers (last five years)', '이전 직장(최근 5년)', 'list', { fields: employmentRow }), // prettier-ignore
          f('education', 'Education (secondary and above)', '학력(고등학교 이상)', 'list', { fields: educationRow }), // prettier-ignore
        ],
      },
    ],
  },
  petition: {
    title: { en: 'Petition data (Form I-129)', ko: '청원서 정보(I-129)' },
    sections: [
      {
        id: 'beneficiary',
        title: { en: 'About you', ko: '인적 사항' },
        fields: [
          f('familyName', 'Family name (as in the passport)', '성(여권과 같이)', 'text', { required: true }),
          f('givenName', 'Given names (as in the passport)', '이름(여권과 같이)', 'text', { required: true }),
          f('nameHangul', 'Full name in Korean', '한글 성명', 'text', { required: true }),
          f('birthDate', 'Date of birth', '생년월일', 'date', { required: true }),
          f('birthCountry', 'Country of birth', '출생 국가', 'text', { required: true }),
          f('passportNumber', 'Passport number', '여권 번호', 'text', { required: true, max: 20 }),
          f('passportExpiry', 'Passport expiry', '여권 만료일', 'date', { required: true }),
        ],
      },
      {
        id: 'qualifications',
        title: { en: 'Qualifications', ko: '자격' },
        fields: [
          f('degree', 'Highest degree', '최종 학위', 'text', { required: true }),
          f('degreeField', 'Field of study', '전공', 'text', { required: true }),
          f('education', 'Schools', '학교', 'list', { fields: educationRow }),
          f('certificates', 'Licences and certificates', '자격증', 'text', { max: 1000 }),
        ],
      },
      {
        id: 'employment',
        title: { en: 'Employment abroad (last three years)', ko: '해외 근무(최근 3년)' },
        fields: [
          f('employers', 'Employers, most recent first', '직장(최근 순)', 'list', {
            required: true,
            hint: { en: 'An L-1 needs one continuous year with the company abroad in the last three.', ko: 'L-1은 최근 3년 중 해외 회사에서 1년 이상 계속 근무해야 합니다.' }, // prettier-ignore
            fields: employmentRow,
          }),
          f('specializedKnowledge', 'The knowledge or skills only you bring to this assignment', '이 파견에 본인만 가져올 수 있는 지식이나 기술', 'text', { max: 2000 }), // prettier-ignore
        ],
      },
      {
        id: 'stays',
        title: { en: 'US stays', ko: '미국 체류' },
        fields: [
          f('previousVisits', 'Have you been in the US before?', '미국에 간 적이 있습니까?', 'yesno', { required: true }), // prettier-ignore
          f('visits', 'US stays (last seven years)', '미국 체류(최근 7년)', 'list', {
            requiredIf: 'previousVisits',
            fields: [
              f('arrived', 'Date of arrival', '입국일', 'date', { required: true }),
              f('departed', 'Date of departure', '출국일', 'date'),
              f('classOfAdmission', 'Class of admission (I-94)', '입국 자격(I-94)', 'text', { max: 10 }),
            ],
          }),
          f('usAddress', 'Where you will live in the US (if known)', '미국 거주 예정 주소(아는 경우)', 'text', { max: 300 }), // prettier-ignore
        ],
      },
    ],
  },
};

export const questionnaireStatuses = ['sent', 'in_progress', 'submitted', 'returned', 'accepted'] as const;
export type QuestionnaireStatus = (typeof questionnaireStatuses)[number];

/** A value of a field: text, an ISO date, yes/no, or a list of rows of text and dates. */
const scalar = z.union([z.string().max(2000), z.boolean(), z.null()]);
const row = z.record(z.string().max(40), z.union([z.string().max(2000), z.null()]));
export const answersSchema = z.record(
  z.string().max(40),
  z.record(z.string().max(40), z.union([scalar, z.array(row).max(30)])),
);
export type Answers = z.infer<typeof answersSchema>;

export const returnItemSchema = z.object({
  /** `section.field`, or `section.field.row` for a row of a list. */
  path: z.string().regex(/^[A-Za-z]+\.[A-Za-z]+(\.\d{1,2})?$/, 'a question of the form (section.field)'),
  comment: z.string().trim().min(1).max(500),
});

export const sendQuestionnaireSchema = z.object({ form: z.enum(questionnaireForms).optional() });
export const saveAnswersSchema = z.object({ answers: answersSchema });
export const returnQuestionnaireSchema = z.object({ items: z.array(returnItemSchema).min(1).max(50) });

export const questionnaireSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  form: z.enum(questionnaireForms),
  status: z.enum(questionnaireStatuses),
  answers: answersSchema,
  /** Items HR returned, with their comments; cleared when the worker submits again. */
  returned: z.array(returnItemSchema.extend({ by: z.string(), at: z.string() })),
  sentAt: z.string(),
  sentBy: z.string(),
  submittedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  acceptedBy: z.string().nullable(),
  updatedAt: z.string(),
  /** Required questions still unanswered (paths), for the progress bar and the submit button. */
  missing: z.array(z.string()),
  /** Questions answered out of those asked (list rows count as one). */
  progress: z.object({ answered: z.number().int(), total: z.number().int() }),
  worker: z.object({ name: z.string(), nameHangul: z.string() }),
  title: bilingualSchema,
});
export type Questionnaire = z.infer<typeof questionnaireSchema>;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function realDate(v: string): boolean {
  if (!ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export interface AnswerProblem {
  path: string;
  en: string;
  ko: string;
}

function checkValue(field: QuestionField, value: unknown, path: string, out: AnswerProblem[]): void {
  if (value === null || value === undefined || value === '') return;
  if (field.kind === 'yesno') {
    if (typeof value !== 'boolean')
      out.push({ path, en: 'answer yes or no', ko: '예 또는 아니요로 답하세요' });
  } else if (field.kind === 'date') {
    if (typeof value !== 'string' || !realDate(value))
      out.push({ path, en: 'a date (YYYY-MM-DD)', ko: '날짜(YYYY-MM-DD)를 입력하세요' });
  } else if (field.kind === 'text') {
    const max = field.max ?? 200;
    if (typeof value !== 'string') out.push({ path, en: 'text', ko: '글자로 입력하세요' });
    else if (value.length > max)
      out.push({ path, en: `at most ${max} characters`, ko: `${max}자 이하로 입력하세요` });
  } else if (field.kind === 'list') {
    if (!Array.isArray(value)) {
      out.push({ path, en: 'a list', ko: '목록이어야 합니다' });
      return;
    }
    value.forEach((row: Record<string, unknown>, k) => {
      for (const sub of field.fields ?? []) checkValue(sub, row?.[sub.id], `${path}.${k}.${sub.id}`, out);
      for (const key of Object.keys(row ?? {}))
        if (!(field.fields ?? []).some((sub) => sub.id === key))
          out.push({
            path: `${path}.${k}.${key}`,
            en: 'not a question of this form',
            ko: '이 양식의 질문이 아닙니다',
          });
    });
  }
}

/** What is wrong with the answers given (kinds, lengths, unknown questions); unanswered questions are fine here. */
export function answerProblems(form: QuestionnaireForm, answers: Answers): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  const sections = questionnaireDefinitions[form].sections;
  for (const [sectionId, values] of Object.entries(answers)) {
    const section = sections.find((s) => s.id === sectionId);
    if (!section) {
      out.push({ path: sectionId, en: 'not a section of this form', ko: '이 양식의 항목이 아닙니다' });
      continue;
    }
    for (const [fieldId, value] of Object.entries(values)) {
      const field = section.fields.find((x) => x.id === fieldId);
      if (!field)
        out.push({ path: `${sectionId}.${fieldId}`, en: 'not a question of this form', ko: '이 양식의 질문이 아닙니다' }); // prettier-ignore
      else checkValue(field, value, `${sectionId}.${fieldId}`, out);
    }
  }
  return out;
}

function filled(value: unknown): boolean {
  return (
    value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)
  );
}

/** The required questions still unanswered (paths), a list's required row fields included. */
export function missingAnswers(form: QuestionnaireForm, answers: Answers): string[] {
  const out: string[] = [];
  for (const section of questionnaireDefinitions[form].sections) {
    const values = answers[section.id] ?? {};
    for (const field of section.fields) {
      const value = values[field.id];
      const required =
        field.required || (field.requiredIf !== undefined && values[field.requiredIf] === true);
      if (required && !filled(value)) out.push(`${section.id}.${field.id}`);
      if (field.kind === 'list' && Array.isArray(value))
        value.forEach((row, k) => {
          for (const sub of field.fields ?? [])
            if (sub.required && !filled(row?.[sub.id])) out.push(`${section.id}.${field.id}.${k}.${sub.id}`);
        });
    }
  }
  return out;
}

/** Questions answered out of those asked (a list counts as one question). */
export function answerProgress(
  form: QuestionnaireForm,
  answers: Answers,
): { answered: number; total: number } {
  let answered = 0;
  let total = 0;
  for (const section of questionnaireDefinitions[form].sections)
    for (const field of section.fields) {
      total += 1;
      if (filled(answers[section.id]?.[field.id])) answered += 1;
    }
  return { answered, total };
}

/** The label of a question by its path (`section.field[.row[.sub]]`), in both languages. */
export function questionLabel(form: QuestionnaireForm, path: string): { en: string; ko: string } {
  const [sectionId, fieldId, row, subId] = path.split('.');
  const section = questionnaireDefinitions[form].sections.find((s) => s.id === sectionId);
  const field = section?.fields.find((x) => x.id === fieldId);
  if (!section || !field) return { en: path, ko: path };
  const sub = subId ? field.fields?.find((x) => x.id === subId) : undefined;
  const n = row !== undefined ? ` ${Number(row) + 1}` : '';
  return {
    en: `${section.title.en} › ${field.label.en}${n}${sub ? ` › ${sub.label.en}` : ''}`,
    ko: `${section.title.ko} › ${field.label.ko}${n}${sub ? ` › ${sub.label.ko}` : ''}`,
  };
}
