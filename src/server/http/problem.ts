import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  errorCatalog,
  type Bilingual,
  type ErrorCode,
  type FieldError,
  type Lang,
  type Problem,
} from '../../contract/errors.js';
import { textProblemMessages, type TextIssue } from '../../contract/text.js';

/** The one error type of the server: a stable code, optional field errors, optional extra headers. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly options: { errors?: FieldError[]; headers?: Record<string, string>; detail?: Bilingual } = {},
  ) {
    super(options.detail?.en ?? errorCatalog[code].en);
    this.name = 'ApiError';
  }
  get status(): number {
    return errorCatalog[this.code].status;
  }
}

/** Thrown by the request validator with the zod issues and the part of the request they concern. */
export class RequestValidationError extends Error {
  readonly statusCode = 400;
  constructor(
    readonly issues: z.core.$ZodIssue[],
    readonly part: string,
  ) {
    super('Request validation failed');
    this.name = 'RequestValidationError';
  }
}

export function requestLang(request: FastifyRequest): Lang {
  const header = request.headers['accept-language'];
  if (typeof header !== 'string') return 'en';
  // First language range that we speak, in the client's order of preference.
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag.startsWith('ko')) return 'ko';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function pathOf(path: readonly PropertyKey[], prefix = ''): string {
  const parts = path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)));
  const joined = parts.reduce((acc, p) => (p.startsWith('[') ? acc + p : acc ? `${acc}.${p}` : p), '');
  return prefix && prefix !== 'body' ? (joined ? `${prefix}.${joined}` : prefix) : joined;
}

const typeNamesKo: Record<string, string> = {
  string: '문자열',
  number: '숫자',
  int: '정수',
  boolean: '참/거짓 값',
  object: '객체',
  array: '배열',
  date: '날짜',
  undefined: '값 없음',
  null: 'null',
};

/**
 * Korean for the English hints the contract's checks carry: pattern checks (`.regex(pattern, hint)` keeps the
 * pattern in the OpenAPI document, which `.refine` would lose) and cross-field checks (`.refine(…, { message })`).
 * A hint missing here still gets a Korean sentence with the English hint quoted; `problem.test.ts` checks that
 * every hint written in the contract is listed.
 */
export const contractHintsKo: Record<string, string> = {
  // Issue 18: USCIS tracking and webhooks.
  'a USCIS receipt number is three letters and ten digits (e.g. WAC2612345678)':
    'USCIS 접수 번호는 영문 3자와 숫자 10자리입니다(예: WAC2612345678).',
  'a form number such as I-129': 'I-129와 같은 양식 번호여야 합니다.',
  'only a request for evidence or a notice of intent to deny has a response deadline':
    '답변 기한은 추가 증거 요청(RFE)이나 거절 예정 통지(NOID)에만 있습니다.',
  'the response deadline comes after the notice date': '답변 기한은 통지일 이후여야 합니다.',
  'only an approval has a validity period': '유효 기간은 승인에만 있습니다.',
  'the validity ends after it starts': '유효 기간의 끝은 시작 이후여야 합니다.',
  'an http(s) address': 'http(s) 주소여야 합니다.',
  'the SHA-256 of the text shown (hex)': '보여 드린 문구의 SHA-256(16진수)이어야 합니다.',
  // Issue 19: the settlement planner and the directory near sites.
  'a two-letter state code (USPS), e.g. GA': '미국 주 약어 두 글자(USPS)여야 합니다. 예: GA',
  'an https address': 'https 주소여야 합니다.',
  // Issue 21: simulator scenarios.
  'a lower-case name (letters, digits, _)': '영문 소문자로 시작하는 이름(소문자, 숫자, _)이어야 합니다.',
  'the 90th percentile is at least the median': '90번째 백분위수는 중앙값 이상이어야 합니다.',
  'a stage is exactly one of: delay, queue, batch, quota, calendar':
    '단계는 delay, queue, batch, quota, calendar 중 정확히 하나여야 합니다.',
  'a workflow stage (letters, digits, _)': '절차 단계 이름(영문 소문자, 숫자, _)이어야 합니다.',
  'a workflow (letters, digits, -)': '절차 이름(영문 소문자, 숫자, -)이어야 합니다.',
  'a month and day, MM-DD': '월-일(MM-DD) 형식이어야 합니다.',
  'a day of the calendar': '달력에 있는 날짜여야 합니다.',
  // Issue 20: the contribution ledger.
  'a quarter such as 2026-Q3': '2026-Q3과 같은 분기여야 합니다.',
  'a quarter from 2000 to 2100': '2000년부터 2100년까지의 분기여야 합니다.',
  'cannot exceed the trainees': '교육생 수를 넘을 수 없습니다.',
  'more names than trainees': '이름이 교육생 수보다 많습니다.',
  'fewer than the trainees named as certified': '자격을 취득한 것으로 기록된 교육생 수보다 적습니다.',
  'smeShare + generalShare must not exceed 1': 'smeShare와 generalShare의 합은 1을 넘을 수 없습니다.',
  'either workers (with from and to) or ratePerDay':
    'workers(시작일·종료일과 함께)와 ratePerDay 중 하나만 지정하세요.',
  'workers need from and to (from ≤ to)': 'workers에는 from과 to가 필요합니다(from ≤ to).',
  'a question of the form (section.field)': '설문 양식의 질문(항목.질문)이어야 합니다.',
  // Issue 17: the government side.
  'a DS-160 confirmation number is 10 characters: AA followed by 8 letters or digits':
    'DS-160 확인 번호는 AA로 시작하는 영문자·숫자 10자입니다.',
  'only a government organization has a mandate': '정부 기관만 권한(임무)을 가질 수 있습니다.',
  'a checklist item of the case': '사건 서류 목록의 항목이어야 합니다.',
  'an issued visa needs its expiry date': '발급된 비자의 유효기간 만료일이 필요합니다.',
  'must be after the day of issue': '발급일 이후여야 합니다.',
  'a refusal under 214(b) states its reason': '214(b) 거절에는 사유가 필요합니다.',
  '221(g) needs a follow-up date': '221(g)에는 후속 확인일이 필요합니다.',
  'must not be before the decision': '결정일보다 앞설 수 없습니다.',
  'letters, digits, dot, dash or underscore (at most 40)':
    '영문자, 숫자, 점, 대시 또는 밑줄로 40자 이내여야 합니다.',
  'must be 6 to 12 letters or digits': '영문자 또는 숫자 6~12자여야 합니다.',
  'Latin capital letters as in the passport': '여권에 적힌 대로 영문 대문자여야 합니다.',
  'Hangul as in the Korean registration': '가족관계등록부에 적힌 대로 한글이어야 합니다.',
  'ISO 3166-1 alpha-2 code': 'ISO 3166-1 두 글자 국가 코드(예: KR)여야 합니다.',
  'must be an ISO 3166-1 alpha-2 code such as KR': 'ISO 3166-1 두 글자 국가 코드(예: KR)여야 합니다.',
  'a three-letter port code such as ATL': '세 글자 입국항 코드(예: ATL)여야 합니다.',
  'an 11-character I-94 number': '11자리 I-94 번호여야 합니다.',
  'must be lowercase_snake (a-z, 0-9, _), at most 60': '영문 소문자, 숫자, 밑줄로 60자 이내여야 합니다.',
  'must be an ISO date YYYY-MM-DD': 'YYYY-MM-DD 형식의 날짜여야 합니다.',
  'a reference needs an https URL': '근거 자료는 https 주소가 필요합니다.',
  'must be lowercase with dashes (the file name)': '영문 소문자와 대시로 된 파일 이름이어야 합니다.',
  'must be a real calendar date in the form YYYY-MM-DD': 'YYYY-MM-DD 형식의 실제 날짜여야 합니다.',
  'must be on or after the start date (the end date is inclusive)':
    '시작일과 같거나 그 이후여야 합니다(종료일 포함).',
  'must be after the birth date': '생년월일 이후여야 합니다.',
  'must be after birthDate': '생년월일 이후여야 합니다.',
  'must be an IANA time zone such as America/New_York': 'America/New_York 같은 IANA 시간대여야 합니다.',
  'must not be before startDate': '시작일보다 앞설 수 없습니다.',
  'lists an activity twice': '같은 활동이 두 번 들어 있습니다.',
  'give the admission date and class, or paste the I-94 text':
    '입국일과 입국 자격을 입력하거나 I-94 내용을 붙여 넣으세요.',
  'must not be before the admission date': '입국일보다 앞설 수 없습니다.',
  'list at least one activity': '활동을 하나 이상 고르세요.',
  'must fit on one line (no line breaks or tabs)': '한 줄로 입력해야 합니다(줄바꿈·탭 불가).',
  'a domain such as example.com': 'example.com 같은 도메인이어야 합니다.',
  'give the assignment, or an assessment with the worker and the project':
    '배치를 고르거나, 판정 결과와 함께 근로자와 프로젝트를 고르세요.',
  'is required to open a case from an assessment': '판정 결과로 사건을 열려면 필요합니다.',
  'a path of this site': '이 사이트 안의 경로여야 합니다.',
};

const sentence = (hint: string) =>
  `${hint.charAt(0).toUpperCase()}${hint.slice(1)}${/[.!?]$/.test(hint) ? '' : '.'}`;

function patternMessages(hint: string): Bilingual {
  // zod's own text for a pattern without a hint: "Invalid string: must match pattern /…/".
  if (!hint || hint.startsWith('Invalid string'))
    return {
      en: 'Has characters or a form that is not allowed here.',
      ko: '허용되지 않는 문자나 형식입니다.',
    };
  return { en: sentence(hint), ko: contractHintsKo[hint] ?? `형식이 올바르지 않습니다 (${hint}).` };
}

/** English and Korean text for one zod issue (zod's own messages are English only). */
export function issueMessages(issue: z.core.$ZodIssue): Bilingual {
  switch (issue.code) {
    case 'invalid_type': {
      const missing = (issue as { input?: unknown }).input === undefined;
      if (missing) return { en: 'This field is required.', ko: '필수 항목입니다.' };
      return {
        en: `Expected ${issue.expected}.`,
        ko: `${typeNamesKo[issue.expected] ?? issue.expected} 값이어야 합니다.`,
      };
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string')
        return { en: `Must be at least ${min} characters long.`, ko: `${min}자 이상이어야 합니다.` };
      if (issue.origin === 'array')
        return { en: `Must have at least ${min} items.`, ko: `${min}개 이상이어야 합니다.` };
      return { en: `Must be at least ${min}.`, ko: `${min} 이상이어야 합니다.` };
    }
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string')
        return { en: `Must be at most ${max} characters long.`, ko: `${max}자 이하여야 합니다.` };
      if (issue.origin === 'array')
        return { en: `Must have at most ${max} items.`, ko: `${max}개 이하여야 합니다.` };
      return { en: `Must be at most ${max}.`, ko: `${max} 이하여야 합니다.` };
    }
    case 'invalid_format': {
      const format = issue.format;
      if (format === 'email')
        return { en: 'Must be a valid e-mail address.', ko: '올바른 이메일 주소여야 합니다.' };
      if (format === 'uuid')
        return { en: 'Must be a valid identifier (UUID).', ko: '올바른 식별자(UUID)여야 합니다.' };
      if (format === 'date')
        return { en: 'Must be a date in the form YYYY-MM-DD.', ko: 'YYYY-MM-DD 형식의 날짜여야 합니다.' };
      if (format === 'regex') return patternMessages(issue.message);
      return { en: `Must be in ${format} format.`, ko: `${format} 형식이어야 합니다.` };
    }
    case 'invalid_value':
      return {
        en: `Must be one of: ${issue.values.map((v) => String(v)).join(', ')}.`,
        ko: `다음 중 하나여야 합니다: ${issue.values.map((v) => String(v)).join(', ')}.`,
      };
    case 'unrecognized_keys':
      return {
        en: `Unknown field(s): ${issue.keys.join(', ')}.`,
        ko: `알 수 없는 항목: ${issue.keys.join(', ')}.`,
      };
    case 'not_multiple_of':
      return {
        en: `Must be a multiple of ${String(issue.divisor)}.`,
        ko: `${String(issue.divisor)}의 배수여야 합니다.`,
      };
    case 'custom': {
      const params = (issue.params ?? {}) as { en?: string; ko?: string };
      if (params.en && params.ko) return { en: params.en, ko: params.ko };
      return {
        en: params.en ?? issue.message,
        ko: params.ko ?? contractHintsKo[issue.message] ?? `올바르지 않은 값입니다: ${issue.message}`,
      };
    }
    default:
      return { en: issue.message || 'Invalid value.', ko: '올바르지 않은 값입니다.' };
  }
}

export function fieldErrorsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  lang: Lang,
  part = 'body',
): FieldError[] {
  return issues.map((issue) => {
    const messages = issueMessages(issue);
    return { path: pathOf(issue.path, part), code: issue.code, message: messages[lang], messages };
  });
}

export function problemBody(
  code: ErrorCode,
  lang: Lang,
  request: FastifyRequest,
  extra: Partial<Problem> = {},
): Problem {
  const entry = errorCatalog[code];
  const messages = extra.messages ?? { en: entry.en, ko: entry.ko };
  return {
    type: `https://korus-mobility.org/problems/${code.replace(/\./g, '/')}`,
    title: entry.en,
    status: entry.status,
    code,
    detail: messages[lang],
    messages,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...extra,
  };
}

export function sendProblem(
  reply: FastifyReply,
  problem: Problem,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply
    .code(problem.status)
    .headers({ ...headers, 'content-type': 'application/problem+json; charset=utf-8' })
    .send(JSON.stringify(problem));
}

/** The text screen's findings as zod-like issues, so they render like every other field error. */
export function textIssues(issues: readonly TextIssue[]): z.core.$ZodIssue[] {
  return issues.map(
    (issue) =>
      ({
        code: 'custom',
        path: issue.path,
        message: textProblemMessages[issue.problem].en,
        params: { ...textProblemMessages[issue.problem], text: issue.problem },
        input: undefined,
      }) as unknown as z.core.$ZodIssue,
  );
}
