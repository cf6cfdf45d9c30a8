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
  'quota.unknown_program': {
    status: 404,
    en: 'There is no such quota program. Known programs: E4, E3, H1B1_CL, H1B1_SG, H1B, H2B, TN.',
    ko: '해당 한도 프로그램이 없습니다. 가능한 프로그램: E4, E3, H1B1_CL, H1B1_SG, H1B, H2B, TN.',
  },
  'quota.no_cap_for_year': {
    status: 404,
    en: 'This program has no cap in force for this fiscal year.',
    ko: '이 프로그램은 해당 회계연도에 적용되는 한도가 없습니다.',
  },
  'quota.uncapped_program': {
    status: 400,
    en: 'This program has no annual cap: no number needs to be reserved.',
    ko: '이 프로그램은 연간 한도가 없으므로 번호를 예약할 필요가 없습니다.',
  },
  'quota.unknown_pool': {
    status: 400,
    en: 'This program has no such pool for this fiscal year.',
    ko: '이 프로그램의 해당 회계연도에는 그런 풀이 없습니다.',
  },
  'quota.fiscal_year_closed': {
    status: 409,
    en: 'This fiscal year is closed: no more numbers can be reserved.',
    ko: '이 회계연도는 마감되어 더 이상 번호를 예약할 수 없습니다.',
  },
  'quota.fiscal_year_not_open': {
    status: 409,
    en: 'This fiscal year is not open yet (reservations open one fiscal year ahead).',
    ko: '이 회계연도는 아직 열리지 않았습니다(예약은 한 회계연도 앞까지만 가능합니다).',
  },
  'quota.already_issued': {
    status: 409,
    en: 'This number was already issued: an issued number cannot be released or issued again.',
    ko: '이미 발급된 번호입니다. 발급된 번호는 반환하거나 다시 발급할 수 없습니다.',
  },
  'quota.already_released': {
    status: 409,
    en: 'This reservation was already released or withdrawn.',
    ko: '이미 반환되었거나 철회된 예약입니다.',
  },
  'quota.not_reserved': {
    status: 409,
    en: 'This request is on the waitlist: it has no number to issue yet.',
    ko: '대기열에 있는 요청이라 아직 발급할 번호가 없습니다.',
  },
  'quota.organization_not_found': {
    status: 400,
    en: 'The organization of the case does not exist.',
    ko: '사건의 소속 조직이 존재하지 않습니다.',
  },
  'idempotency.key_required': {
    status: 400,
    en: 'This write needs an Idempotency-Key header (8 to 128 characters: letters, digits, _ . : -).',
    ko: '이 쓰기 요청에는 Idempotency-Key 헤더가 필요합니다(8~128자: 영문자, 숫자, _ . : -).',
  },
  'idempotency.key_invalid': {
    status: 400,
    en: 'The Idempotency-Key header is malformed: use 8 to 128 characters (letters, digits, _ . : -), e.g. a UUID.',
    ko: 'Idempotency-Key 헤더 형식이 올바르지 않습니다. 8~128자(영문자, 숫자, _ . : -)를 쓰세요(예: UUID).',
  },
  'idempotency.key_reused': {
    status: 409,
    en: 'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
    ko: '이 Idempotency-Key는 다른 요청에 이미 사용되었습니다. 새 요청에는 새 키를 쓰세요.',
  },
  'lottery.not_open': {
    status: 409,
    en: 'No registration window is open for this program and fiscal year.',
    ko: '이 프로그램과 회계연도의 등록 기간이 열려 있지 않습니다.',
  },
  'lottery.exists': {
    status: 409,
    en: 'A lottery already exists for this program and fiscal year.',
    ko: '이 프로그램과 회계연도의 추첨이 이미 있습니다.',
  },
  'lottery.not_lottery_program': {
    status: 400,
    en: 'This program does not select by lottery.',
    ko: '이 프로그램은 추첨으로 선정하지 않습니다.',
  },
  'lottery.not_committed': {
    status: 409,
    en: 'The seed must be committed (its SHA-256 published) before the draw, and the draw happens once.',
    ko: '추첨 전에 시드를 확약(SHA-256 공개)해야 하며, 추첨은 한 번만 합니다.',
  },
  'lottery.seed_mismatch': {
    status: 400,
    en: 'The revealed seed does not match the committed SHA-256.',
    ko: '공개된 시드가 확약된 SHA-256과 일치하지 않습니다.',
  },
  'lottery.not_found': {
    status: 404,
    en: 'There is no lottery for this program and fiscal year.',
    ko: '이 프로그램과 회계연도의 추첨이 없습니다.',
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
