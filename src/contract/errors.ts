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
  'pipeline.duplicate_passport': {
    status: 409,
    en: 'A worker with this passport number already exists in your organization.',
    ko: '같은 여권번호의 근로자가 이미 조직에 등록되어 있습니다.',
  },
  'pipeline.duplicate_project_code': {
    status: 409,
    en: 'Your organization already has a project with this code.',
    ko: '같은 코드의 프로젝트가 이미 있습니다.',
  },
  'pipeline.partner_not_linked': {
    status: 400,
    en: 'This firm is not a linked partner of the investor.',
    ko: '투자사와 연결된 협력사가 아닙니다.',
  },
  'pipeline.assignment_outside_project': {
    status: 400,
    en: 'The assignment dates fall outside the project dates.',
    ko: '배치 기간이 프로젝트 기간을 벗어납니다.',
  },
  'pipeline.case_exists': {
    status: 409,
    en: 'This assignment already has an open or finished case for this person.',
    ko: '이 배치에는 해당 인원의 진행 중이거나 완료된 사건이 이미 있습니다.',
  },
  'pipeline.ineligible_needs_override': {
    status: 422,
    en: 'The guidelines engine found this category ineligible. An administrator may still open it with a written reason.',
    ko: '가이드라인 엔진이 이 비자 유형을 부적격으로 판정했습니다. 관리자가 사유를 적어 예외로 개설할 수 있습니다.',
  },
  'pipeline.unavailable_category': {
    status: 422,
    en: 'This category is not available on the assessment date (for example the proposed E-4 without the scenario).',
    ko: '판정 기준일에 이용할 수 없는 유형입니다(예: 시나리오 없이 제안 단계의 E-4).',
  },
  'pipeline.override_forbidden': {
    status: 403,
    en: 'Only an administrator may override the guidelines or skip a stage.',
    ko: '가이드라인 예외나 단계 건너뛰기는 관리자만 할 수 있습니다.',
  },
  'pipeline.no_workflow': {
    status: 422,
    en: 'There is no dispatch workflow for this category.',
    ko: '이 유형에 대한 파견 절차가 없습니다.',
  },
  'pipeline.illegal_transition': {
    status: 409,
    en: 'This case cannot move to that stage.',
    ko: '이 사건은 해당 단계로 이동할 수 없습니다.',
  },
  'pipeline.skip_requires_override': {
    status: 409,
    en: 'Moving past a stage needs an override with a reason (administrators only).',
    ko: '단계를 건너뛰려면 사유를 적은 예외 처리가 필요합니다(관리자 전용).',
  },
  'pipeline.case_closed': {
    status: 409,
    en: 'This case is closed; it cannot change stage.',
    ko: '종결된 사건은 단계를 바꿀 수 없습니다.',
  },
  'pipeline.transition_in_future': {
    status: 400,
    en: 'A stage change cannot be dated in the future or before the previous one.',
    ko: '단계 변경 시각은 미래이거나 이전 변경보다 앞설 수 없습니다.',
  },
  'pipeline.batch_case_invalid': {
    status: 400,
    en: 'Every case of a batch must be an open B-1 case through the embassy desk on the batch project, not in another batch.',
    ko: '묶음 신청의 모든 사건은 해당 프로젝트의 대사관 데스크 경유 진행 중 B-1 사건이어야 하며 다른 묶음에 속하지 않아야 합니다.',
  },
  'pipeline.batch_submitted': {
    status: 409,
    en: 'This batch was already submitted.',
    ko: '이미 제출된 묶음 신청입니다.',
  },
  'pipeline.batch_locked': {
    status: 409,
    en: 'The embassy desk has acknowledged this batch: it can no longer be changed.',
    ko: '대사관 창구가 이 묶음 신청을 접수 확인하여 더 이상 변경할 수 없습니다.',
  },
  'desk.batch_state': {
    status: 409,
    en: 'The batch is not in a state that allows this.',
    ko: '묶음 신청이 이 작업을 할 수 있는 상태가 아닙니다.',
  },
  'desk.not_a_desk': {
    status: 422,
    en: 'That organization is not an embassy desk.',
    ko: '그 기관은 대사관 창구가 아닙니다.',
  },
  'desk.day_full': {
    status: 409,
    en: 'The interview day has no capacity left for these applicants.',
    ko: '그날의 인터뷰 정원이 부족합니다.',
  },
  'consular.not_consular': {
    status: 409,
    en: 'This case has no visa application at a consulate.',
    ko: '이 사건에는 영사관 비자 신청이 없습니다.',
  },
  'consular.case_closed': {
    status: 409,
    en: 'The case is closed: its consular status can no longer change.',
    ko: '종결된 사건이라 영사 처리 상태를 바꿀 수 없습니다.',
  },
  'webhook.inactive': {
    status: 409,
    en: 'This webhook is paused: turn it on before sending a test event.',
    ko: '이 웹훅은 일시 중지되어 있습니다. 테스트 이벤트를 보내려면 먼저 켜세요.',
  },
  'questionnaire.no_form': {
    status: 409,
    en: 'This case has no visa application or petition to fill in.',
    ko: '이 사건에는 작성할 비자 신청서나 청원서가 없습니다.',
  },
  'questionnaire.not_sent': {
    status: 404,
    en: 'No questionnaire has been sent for this case.',
    ko: '이 사건에 보낸 설문이 없습니다.',
  },
  'questionnaire.wrong_state': {
    status: 409,
    en: 'The questionnaire is not in a state that allows this.',
    ko: '설문이 이 작업을 할 수 있는 상태가 아닙니다.',
  },
  'uscis.not_petition': {
    status: 409,
    en: 'This case has no USCIS petition.',
    ko: '이 사건에는 USCIS 청원이 없습니다.',
  },
  'uscis.case_closed': {
    status: 409,
    en: 'The case is closed: its USCIS status can no longer change.',
    ko: '종결된 사건이라 USCIS 처리 상태를 바꿀 수 없습니다.',
  },
  'presence.overlapping_stay': {
    status: 409,
    en: 'This stay overlaps another stay of the same person.',
    ko: '같은 사람의 다른 체류 기간과 겹칩니다.',
  },
  'presence.not_present': {
    status: 409,
    en: 'The worker has no current admission to the US on record: record the entry (I-94) first.',
    ko: '현재 미국 입국 기록이 없습니다. 먼저 입국(I-94)을 기록하세요.',
  },
  'settlement.profile_incomplete': {
    status: 422,
    en: "The worker's education, role and start with the employer are needed to plan: complete the worker's profile first.",
    ko: '계획을 세우려면 근로자의 학력, 직무, 고용 시작일이 필요합니다. 먼저 근로자 정보를 채워 주세요.',
  },
  'settlement.no_site': {
    status: 422,
    en: 'The worker has no assignment to a site and the organization has no site: the plan needs a state for schools and the consulate.',
    ko: '근로자의 사업장 배치가 없고 조직에도 사업장이 없습니다. 학교와 영사관을 정하려면 주(州)가 필요합니다.',
  },
  'worker.not_employer': {
    status: 403,
    en: "Only the worker's own employer can change this record or add to it.",
    ko: '근로자의 소속 고용주만 이 기록을 변경하거나 추가할 수 있습니다.',
  },
  'presence.card_revoked': {
    status: 409,
    en: 'Your employer revoked your last status card: ask your HR contact to issue a new one.',
    ko: '고용주가 마지막 체류 신분 카드를 취소했습니다. 인사 담당자에게 새 카드 발급을 요청하세요.',
  },
  'document.too_large': {
    status: 413,
    en: 'The file is larger than the limit (10 MB).',
    ko: '파일이 허용 크기(10MB)를 넘습니다.',
  },
  'document.type_not_allowed': {
    status: 415,
    en: 'Only PDF, JPEG and PNG files are accepted, and the content must match the type.',
    ko: 'PDF, JPEG, PNG 파일만 받으며 내용이 형식과 일치해야 합니다.',
  },
  'import.unreadable': {
    status: 422,
    en: 'The file cannot be imported.',
    ko: '파일을 가져올 수 없습니다.',
  },
  'import.too_large': {
    status: 413,
    en: 'The file is too large to import at once. Split it into smaller files.',
    ko: '한 번에 가져오기에는 파일이 너무 큽니다. 여러 파일로 나누세요.',
  },
  'import.nothing_to_import': {
    status: 422,
    en: 'No sheet of the file could be matched to workers, dependents or assignments. Check the column mapping.',
    ko: '근로자, 동반 가족, 배치로 인식된 시트가 없습니다. 열 매핑을 확인하세요.',
  },
  'import.has_errors': {
    status: 422,
    en: 'Some rows have errors; nothing was imported. Correct them and try again.',
    ko: '오류가 있는 행이 있어 아무것도 가져오지 않았습니다. 고친 뒤 다시 시도하세요.',
  },
  'import.already_committed': {
    status: 409,
    en: 'This import has already been committed.',
    ko: '이미 완료된 가져오기입니다.',
  },
  'import.wrong_organization': {
    status: 403,
    en: 'Only employers (investors and partner firms) import workers.',
    ko: '근로자 가져오기는 고용 회사(투자사·협력사)만 할 수 있습니다.',
  },
  'document.missing_file': {
    status: 400,
    en: 'Send one file in the form field "file" (multipart/form-data).',
    ko: '"file" 필드에 파일 하나를 보내세요(multipart/form-data).',
  },
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
  'auth.two_factor_invalid': {
    status: 401,
    en: 'The code is not correct or was already used. Enter the current code of your authenticator app, or a recovery code.',
    ko: '코드가 올바르지 않거나 이미 사용되었습니다. 인증 앱의 현재 코드나 복구 코드를 입력하세요.',
  },
  'auth.two_factor_expired': {
    status: 401,
    en: 'The sign-in took too long or had too many wrong codes. Sign in again with your password.',
    ko: '로그인 시간이 지났거나 잘못된 코드가 너무 많았습니다. 비밀번호로 다시 로그인하세요.',
  },
  'auth.two_factor_enrollment_required': {
    status: 403,
    en: 'Your organization requires two-factor sign-in for administrators. Set it up under My account first.',
    ko: '소속 조직은 관리자에게 2단계 로그인을 요구합니다. 먼저 내 계정에서 설정하세요.',
  },
  'two_factor.code_invalid': {
    status: 400,
    en: 'The code is not correct. Enter the 6-digit code your authenticator app shows now.',
    ko: '코드가 올바르지 않습니다. 인증 앱에 지금 표시된 6자리 코드를 입력하세요.',
  },
  'two_factor.already_enabled': {
    status: 409,
    en: 'Two-factor sign-in is already on. Turn it off first to enrol another authenticator.',
    ko: '2단계 로그인이 이미 켜져 있습니다. 다른 인증 앱을 등록하려면 먼저 끄세요.',
  },
  'two_factor.not_started': {
    status: 409,
    en: 'Start the set-up first: no authenticator is waiting for its first code.',
    ko: '먼저 설정을 시작하세요. 첫 코드를 기다리는 인증 앱이 없습니다.',
  },
  'two_factor.not_enabled': {
    status: 409,
    en: 'Two-factor sign-in is not on for this account.',
    ko: '이 계정은 2단계 로그인이 켜져 있지 않습니다.',
  },
  'two_factor.required_by_organization': {
    status: 409,
    en: 'Your organization requires two-factor sign-in for administrators: it cannot be turned off.',
    ko: '소속 조직이 관리자에게 2단계 로그인을 요구하므로 끌 수 없습니다.',
  },
  'sso.not_configured': {
    status: 404,
    en: 'No single sign-on is set up for this e-mail address. Sign in with your password.',
    ko: '이 이메일 주소에 설정된 통합 로그인(SSO)이 없습니다. 비밀번호로 로그인하세요.',
  },
  'sso.public_url_missing': {
    status: 503,
    en: "Single sign-on needs the server's public address (KORUS_PUBLIC_URL). Ask your administrator.",
    ko: '통합 로그인에는 서버의 공개 주소(KORUS_PUBLIC_URL)가 필요합니다. 관리자에게 문의하세요.',
  },
  'sso.failed': {
    status: 401,
    en: 'Single sign-on did not complete. Try again, or sign in with your password.',
    ko: '통합 로그인을 완료하지 못했습니다. 다시 시도하거나 비밀번호로 로그인하세요.',
  },
  'sso.no_role': {
    status: 403,
    en: 'Your identity provider account has no role in KORUS. Ask your administrator to map your group to a role.',
    ko: 'ID 공급자 계정에 KORUS 역할이 없습니다. 관리자에게 그룹과 역할 연결을 요청하세요.',
  },
  'sso.provider_unreachable': {
    status: 502,
    en: 'The identity provider could not be reached. Try again later, or sign in with your password.',
    ko: 'ID 공급자에 연결할 수 없습니다. 나중에 다시 시도하거나 비밀번호로 로그인하세요.',
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
  'import.file_removed': {
    status: 410,
    en: 'The uploaded file of this import was deleted (imported already, or left unfinished past the retention period). Upload the file again.',
    ko: '이 가져오기의 업로드 파일은 삭제되었습니다(이미 가져왔거나 보관 기간이 지났습니다). 파일을 다시 올리세요.',
  },
  'pipeline.entry_required': {
    status: 400,
    en: 'Admitted means present: give the entry (paste the I-94 text, or its date, class of admission and admit-until date), or record the stay on the worker page first.',
    ko: '입국 허가는 체류 시작을 뜻합니다. 입국 기록(I-94 내용 붙여 넣기, 또는 입국일·입국 자격·체류 허가 기한)을 입력하거나 먼저 근로자 화면에서 체류를 기록하세요.',
  },
  'worker.profile_incomplete': {
    status: 409,
    en: "The worker's profile lacks what the guidelines need (education, role or the start of employment). Fill it in on the worker page, or open the case from an assessment.",
    ko: '근로자 정보에 판정에 필요한 항목(최종 학력, 직무, 입사일)이 없습니다. 근로자 화면에서 채우거나 판정 결과에서 사건을 여세요.',
  },
  'document.file_missing': {
    status: 404,
    en: 'The document is recorded but its file is missing from the uploads folder (restored without it?). Upload it again, or restore the uploads folder.',
    ko: '서류 기록은 있지만 업로드 폴더에 파일이 없습니다(업로드 폴더 없이 복원했나요?). 다시 올리거나 업로드 폴더를 복원하세요.',
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
  'lottery.organization_required': {
    status: 400,
    en: 'Name the organization (organizationId) this registration is filed for.',
    ko: '이 등록을 제출하는 기관(organizationId)을 지정하세요.',
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
