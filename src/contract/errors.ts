/**
 * Stable error codes of the API and the CLI (a typed enum), each with its HTTP status and its message in
 * English and Korean. Responses are RFC 9457 problem details: `code` never changes with the language.
 */
export const errorCatalog = {
  'request.invalid': {
    status: 400,
    en: 'Some fields of the request are not valid.',
    ko: '요청의 일부 항목이 올바르지 않습니다.',
  },
  'request.malformed_json': {
    status: 400,
    en: 'The request body is not valid JSON.',
    ko: '요청 본문이 올바른 JSON이 아닙니다.',
  },
  'request.unsupported_media_type': {
    status: 415,
    en: 'Send the request body as application/json.',
    ko: '요청 본문은 application/json 형식으로 보내야 합니다.',
  },
  'request.too_large': { status: 413, en: 'The request body is too large.', ko: '요청 본문이 너무 큽니다.' },
  'auth.required': { status: 401, en: 'Sign in first.', ko: '먼저 로그인하세요.' },
  'auth.invalid_credentials': {
    status: 401,
    en: 'The e-mail address or password is not correct.',
    ko: '이메일 주소 또는 비밀번호가 올바르지 않습니다.',
  },
  'auth.invalid_token': {
    status: 401,
    en: 'The API token is not valid or was revoked.',
    ko: 'API 토큰이 유효하지 않거나 폐기되었습니다.',
  },
  'auth.throttled': {
    status: 429,
    en: 'Too many failed sign-in attempts. Wait a few minutes and try again.',
    ko: '로그인 실패가 너무 많습니다. 몇 분 후 다시 시도하세요.',
  },
  'auth.csrf_failed': {
    status: 403,
    en: 'The security token of this page is missing or out of date. Reload the page and try again.',
    ko: '이 페이지의 보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요.',
  },
  'auth.forbidden': {
    status: 403,
    en: 'Your role does not allow this action.',
    ko: '현재 역할로는 이 작업을 할 수 없습니다.',
  },
  'resource.not_found': {
    status: 404,
    en: 'Not found, or not visible to your organization.',
    ko: '찾을 수 없거나 소속 조직에서 볼 수 없는 항목입니다.',
  },
  'route.not_found': {
    status: 404,
    en: 'There is no such API endpoint.',
    ko: '해당 API 엔드포인트가 없습니다.',
  },
  'resource.conflict': {
    status: 409,
    en: 'This conflicts with an existing record.',
    ko: '기존 기록과 충돌합니다.',
  },
  'user.email_taken': {
    status: 409,
    en: 'A user with this e-mail address already exists.',
    ko: '이 이메일 주소를 쓰는 사용자가 이미 있습니다.',
  },
  'organization.name_taken': {
    status: 409,
    en: 'An organization with this name already exists.',
    ko: '같은 이름의 조직이 이미 있습니다.',
  },
  'partner_link.invalid_kinds': {
    status: 400,
    en: 'A partner link joins an investor organization with a partner organization.',
    ko: '협력사 연결은 투자기업 조직과 협력사 조직을 잇습니다.',
  },
  'partner_link.exists': {
    status: 409,
    en: 'These organizations are already linked.',
    ko: '두 조직은 이미 연결되어 있습니다.',
  },
  'rules.invalid_request': {
    status: 400,
    en: 'The assessment request is not valid.',
    ko: '판정 요청이 올바르지 않습니다.',
  },
  'service.unavailable': {
    status: 503,
    en: 'The service is not ready.',
    ko: '서비스가 아직 준비되지 않았습니다.',
  },
  internal: {
    status: 500,
    en: 'Something went wrong on our side. The request id identifies it in the logs.',
    ko: '서버 내부 오류입니다. 요청 ID로 로그에서 확인할 수 있습니다.',
  },
} as const satisfies Record<string, { status: number; en: string; ko: string }>;

export type ErrorCode = keyof typeof errorCatalog;
export type Lang = 'en' | 'ko';

export interface Bilingual {
  en: string;
  ko: string;
}

export interface FieldError {
  path: string;
  code: string;
  message: string;
  messages: Bilingual;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  messages: Bilingual;
  errors?: FieldError[];
  instance?: string;
  requestId?: string;
}
