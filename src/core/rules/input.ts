import type { z } from 'zod';
import { assessmentRequestSchema, type AssessmentRequest } from '../../contract/assessment.js';

/** First as-of date the rules model (Catala's guard: dates outside the modelled range are refused). */
export const EARLIEST_AS_OF = '2024-01-01';

export interface InputIssue {
  path: string;
  message: { en: string; ko: string };
}

/** Invalid assessment input: every issue names its field and says what is wrong in English and Korean. */
export class AssessmentInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((i) => `${i.path || '(request)'}: ${i.message.en}`).join('; '));
    this.name = 'AssessmentInputError';
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
}

/** English and Korean texts of a zod issue (custom issues carry their Korean in `params.ko`). */
function translate(issue: z.core.$ZodIssue, input: unknown): InputIssue['message'] {
  const ko = (issue as { params?: { ko?: unknown } }).params?.ko;
  if (typeof ko === 'string') return { en: issue.message, ko };
  switch (issue.code) {
    case 'invalid_type': {
      const received = describe(getAt(input, issue.path));
      if (received === 'nothing') return { en: 'is required', ko: '필수 항목입니다' };
      return { en: `must be ${issue.expected} (received ${received})`, ko: `${issue.expected} 형식이어야 합니다(입력: ${received})` };
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String).join(', ');
      return { en: `must be one of: ${allowed}`, ko: `다음 값 중 하나여야 합니다: ${allowed}` };
    }
    case 'too_small':
      return issue.origin === 'array'
        ? { en: issue.message, ko: `항목이 ${String(issue.minimum)}개 이상이어야 합니다` }
        : { en: `must be at least ${String(issue.minimum)}`, ko: `${String(issue.minimum)} 이상이어야 합니다` };
    case 'too_big':
      return issue.origin === 'array'
        ? { en: `must have at most ${String(issue.maximum)} items`, ko: `항목이 ${String(issue.maximum)}개 이하여야 합니다` }
        : { en: `must be at most ${String(issue.maximum)}`, ko: `${String(issue.maximum)} 이하여야 합니다` };
    case 'unrecognized_keys':
      return { en: `unknown field(s): ${issue.keys.join(', ')}`, ko: `알 수 없는 항목입니다: ${issue.keys.join(', ')}` };
    case 'invalid_format':
      return { en: issue.message, ko: '형식이 올바르지 않습니다' };
    default:
      return { en: issue.message, ko: '값이 올바르지 않습니다' };
  }
}

function getAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Validates an assessment request (contract schema plus the modelled date range); throws AssessmentInputError. */
export function parseAssessmentRequest(input: unknown): AssessmentRequest {
  const parsed = assessmentRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new AssessmentInputError(
      parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: translate(issue, input) })),
    );
  }
  const request = parsed.data;
  if (request.asOf !== undefined && request.asOf < EARLIEST_AS_OF) throw asOfTooEarly();
  return request;
}

export function asOfTooEarly(): AssessmentInputError {
  return new AssessmentInputError([
    {
      path: 'asOf',
      message: {
        en: `must be on or after ${EARLIEST_AS_OF}: the rules are not modelled for earlier dates`,
        ko: `${EARLIEST_AS_OF} 이후여야 합니다: 그 이전 날짜의 규칙은 모델링되어 있지 않습니다`,
      },
    },
  ]);
}

/** Fills a missing as-of date with the caller's today (the engine itself never reads the clock). */
export function withDefaultAsOf(request: AssessmentRequest, todayIso: string): AssessmentRequest & { asOf: string } {
  return request.asOf === undefined ? { ...request, asOf: todayIso } : (request as AssessmentRequest & { asOf: string });
}
