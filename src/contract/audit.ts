import { z } from 'zod';

/** Every audited action, a documented enum: the code is stable; its meaning is in en and ko. */
export const auditActions = {
  'organization.create': { en: 'Organization created', ko: '조직 생성' },
  'partner_link.create': { en: 'Partner link created', ko: '협력사 연결 생성' },
  'partner_link.delete': { en: 'Partner link removed', ko: '협력사 연결 삭제' },
  'user.create': { en: 'User created', ko: '사용자 생성' },
  'user.password_reset': { en: 'Password reset by an administrator', ko: '관리자의 비밀번호 재설정' },
  'user.preferences_update': { en: 'Preferences changed', ko: '환경 설정 변경' },
  'auth.login': { en: 'Signed in', ko: '로그인' },
  'auth.login_failed': { en: 'Failed sign-in', ko: '로그인 실패' },
  'auth.logout': { en: 'Signed out', ko: '로그아웃' },
  'token.create': { en: 'API token created', ko: 'API 토큰 생성' },
  'token.revoke': { en: 'API token revoked', ko: 'API 토큰 폐기' },
  'assessment.create': { en: 'Visa assessment recorded', ko: '비자 판정 기록' },
  'system.seed_demo': { en: 'Demo data loaded', ko: '데모 데이터 적재' },
  'site.create': { en: 'Site created', ko: '사업장 생성' },
  'project.create': { en: 'Project created', ko: '프로젝트 생성' },
  'staffing_plan.create': { en: 'Staffing plan added', ko: '인력 계획 추가' },
  'worker.create': { en: 'Worker registered', ko: '근로자 등록' },
  'worker.update': { en: 'Worker profile changed', ko: '근로자 정보 변경' },
  'dependent.create': { en: 'Dependent added', ko: '동반 가족 추가' },
  'assignment.create': { en: 'Assignment created', ko: '배치 생성' },
  'case.open': { en: 'Visa case opened', ko: '비자 사건 개설' },
  'case.override': { en: 'Guidelines overridden to open a case', ko: '가이드라인 예외로 사건 개설' },
  'case.transition': { en: 'Case stage changed', ko: '사건 단계 변경' },
  'document.upload': { en: 'Document uploaded', ko: '서류 업로드' },
  'document.download': { en: 'Document downloaded', ko: '서류 다운로드' },
  'letter.generate': { en: 'Letter generated', ko: '서한 생성' },
  'batch.create': { en: 'Embassy-desk batch created', ko: '대사관 묶음 신청 생성' },
  'batch.submit': { en: 'Embassy-desk batch submitted', ko: '대사관 묶음 신청 제출' },
  'quota.year_open': { en: 'Quota fiscal year opened', ko: '한도 회계연도 개시' },
  'quota.reserve': {
    en: 'Quota number reserved (benchmark variant only)',
    ko: '한도 번호 예약(벤치마크 변형 전용)',
  },
  'quota.year_close': { en: 'Quota fiscal year closed', ko: '한도 회계연도 마감' },
  'quota.spill': {
    en: 'Unused pool numbers moved after the spill date',
    ko: '이월일 이후 미사용 풀 번호 이동',
  },
  'quota.expire': { en: 'Expired quota reservations released', ko: '만료된 한도 예약 반환' },
  'lottery.open': { en: 'Lottery registration window opened', ko: '추첨 등록 기간 개시' },
  'lottery.register': { en: 'Lottery registration recorded', ko: '추첨 등록' },
  'lottery.commit': { en: 'Lottery seed committed', ko: '추첨 시드 확약' },
  'lottery.draw': { en: 'Lottery drawn and seed revealed', ko: '추첨 실시 및 시드 공개' },
} as const satisfies Record<string, { en: string; ko: string }>;

export type AuditAction = keyof typeof auditActions;

export const auditEventSchema = z.object({
  seq: z.number().int(),
  id: z.string().uuid(),
  occurredAt: z.string(),
  actorLabel: z.string(),
  organizationId: z.string().uuid().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  requestId: z.string().nullable(),
  hash: z.string(),
});
