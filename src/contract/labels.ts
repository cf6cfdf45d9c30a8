/**
 * Words for every code a person reads (issue 13): roles, kinds, sectors, education, statuses, countries…, in
 * English and Korean. One source for the web app (merged into its message catalogs under the same keys), the
 * exports, the PDFs, the letters and the e-mail. `labels.test.ts` fails when a value of a contract enum has no
 * words here. Stored codes never change with the language.
 */
export type Bilingual = { en: string; ko: string };

export const enumLabels = {
  role: {
    path: 'role',
    values: {
      platform_admin: { en: 'Platform administrator', ko: '플랫폼 관리자' },
      admin: { en: 'Administrator', ko: '관리자' },
      staff: { en: 'Staff', ko: '담당자' },
      viewer: { en: 'Viewer', ko: '조회자' },
      worker: { en: 'Worker', ko: '근로자' },
    },
  },
  orgKind: {
    path: 'orgKind',
    values: {
      investor: { en: 'Investor', ko: '투자기업' },
      partner: { en: 'Partner firm', ko: '협력사' },
      law_firm: { en: 'Law firm', ko: '법률사무소' },
      government: { en: 'Government', ko: '정부 기관' },
    },
  },
  sector: {
    path: 'sector',
    values: {
      battery: { en: 'Battery', ko: '배터리' },
      auto: { en: 'Automotive', ko: '자동차' },
      semiconductor: { en: 'Semiconductor', ko: '반도체' },
      shipbuilding: { en: 'Shipbuilding', ko: '조선' },
      steel: { en: 'Steel', ko: '철강' },
      energy: { en: 'Energy', ko: '에너지' },
      other: { en: 'Other', ko: '기타' },
    },
  },
  payer: {
    path: 'payer',
    values: {
      foreign: { en: 'The Korean employer', ko: '한국 회사' },
      us: { en: 'The US company', ko: '미국 법인' },
    },
  },
  workerRole: {
    path: 'workerRole',
    values: {
      laborer: { en: 'Laborer', ko: '일반 근로자' },
      technician: { en: 'Technician', ko: '기술자' },
      engineer: { en: 'Engineer', ko: '엔지니어' },
      specialist: { en: 'Specialist', ko: '전문가' },
      supervisor: { en: 'Supervisor', ko: '감독자' },
      manager: { en: 'Manager', ko: '관리자' },
      executive: { en: 'Executive', ko: '임원' },
    },
  },
  education: {
    path: 'education',
    values: {
      none: { en: 'No formal education', ko: '정규 학력 없음' },
      high_school: { en: 'High school', ko: '고등학교' },
      vocational: { en: 'Vocational school', ko: '직업학교' },
      associate: { en: 'Associate degree (2-year college)', ko: '전문학사(2년제 대학)' },
      bachelor: { en: 'Bachelor’s degree', ko: '학사' },
      master: { en: 'Master’s degree', ko: '석사' },
      doctorate: { en: 'Doctorate', ko: '박사' },
    },
  },
  relationship: {
    path: 'relationship',
    values: {
      none: { en: 'No relationship', ko: '관계 없음' },
      parent: { en: 'Parent company of the Korean employer', ko: '한국 회사의 모회사' },
      subsidiary: { en: 'Subsidiary of the Korean employer', ko: '한국 회사의 자회사' },
      affiliate: { en: 'Affiliate (same group)', ko: '계열사(같은 그룹)' },
      branch: { en: 'Branch office of the Korean employer', ko: '한국 회사의 지사' },
      customer: { en: 'Customer (buys from the Korean employer)', ko: '고객사(한국 회사의 구매자)' },
    },
  },
  temporaryNeed: {
    path: 'temporaryNeed',
    values: {
      none: { en: 'Permanent or ongoing need', ko: '상시적·지속적 수요' },
      one_time: { en: 'One-time occurrence', ko: '일회성' },
      seasonal: { en: 'Seasonal', ko: '계절성' },
      peakload: { en: 'Peak load', ko: '성수기 일시 수요' },
      intermittent: { en: 'Intermittent', ko: '간헐적' },
    },
  },
  verdict: {
    path: 'verdict',
    values: {
      eligible: { en: 'Eligible', ko: '적격' },
      conditional: { en: 'Conditional', ko: '조건부 적격' },
      ineligible: { en: 'Not eligible', ko: '부적격' },
      unavailable: { en: 'Not available', ko: '이용 불가' },
    },
  },
  activityStatus: {
    path: 'activityStatus',
    values: {
      permitted: { en: 'Permitted', ko: '허용' },
      conditional: { en: 'Conditional', ko: '조건부 허용' },
      not_permitted: { en: 'Not permitted', ko: '불허' },
    },
  },
  provision: {
    path: 'provision',
    values: {
      general: { en: 'General business visitor', ko: '일반 상용 방문' },
      installer: { en: 'Installer provision', ko: '설치 조항' },
      trainer: { en: 'Specialized-trainer provision', ko: '전문 트레이너 조항' },
      in_lieu_h1b: { en: 'B-1 in lieu of H-1B', ko: 'H-1B 대신 B-1' },
      in_lieu_h3: { en: 'B-1 in lieu of H-3', ko: 'H-3 대신 B-1' },
      individual: { en: 'Individual petition', ko: '개별 청원' },
      blanket: { en: 'Blanket petition', ko: '포괄 청원' },
    },
  },
  capPool: {
    path: 'capPool',
    values: {
      regular: { en: 'Regular cap', ko: '일반 한도' },
      advanced_degree: { en: 'US advanced-degree cap', ko: '미국 석사 이상 한도' },
      first_half: { en: 'First half of the fiscal year', ko: '회계연도 상반기' },
      second_half: { en: 'Second half of the fiscal year', ko: '회계연도 하반기' },
    },
  },
  alertKind: {
    path: 'alerts.kind',
    values: {
      admit_until: { en: 'Admit-until', ko: '체류 허가 기한' },
      passport_expiry: { en: 'Passport', ko: '여권' },
      visa_expiry: { en: 'Visa', ko: '비자' },
      max_stay: { en: 'Maximum stay', ko: '최대 체류 기간' },
      child_turning_21: { en: 'Child turning 21', ko: '만 21세 자녀' },
      case_stage_overdue: { en: 'Case stage late', ko: '사건 단계 지연' },
      response_due: { en: 'USCIS response due', ko: 'USCIS 답변 기한' },
      plan_filing: { en: 'Settlement plan filing', ko: '정착 계획 신청 기한' },
      plan_age_out: { en: 'Child ageing out (plan)', ko: '자녀 연령 초과(계획)' },
      uscis_update: { en: 'USCIS', ko: 'USCIS 처리' },
      questionnaire: { en: 'Questionnaire', ko: '설문' },
      desk_update: { en: 'Embassy desk', ko: '대사관 창구' },
      case_message: { en: 'Message', ko: '메시지' },
    },
  },
  alertSeverity: {
    path: 'alerts.severity',
    values: {
      critical: { en: 'Urgent', ko: '긴급' },
      warning: { en: 'Attention', ko: '주의' },
      info: { en: 'Note', ko: '참고' },
    },
  },
  importStatus: {
    path: 'import.status',
    values: {
      uploaded: { en: 'Uploaded', ko: '업로드됨' },
      checked: { en: 'Checked', ko: '점검됨' },
      committed: { en: 'Imported', ko: '가져옴' },
      abandoned: { en: 'Not finished (file deleted)', ko: '완료되지 않음(파일 삭제됨)' },
    },
  },
  rosterFlag: {
    path: 'roster.flag',
    values: {
      green: { en: 'Permitted', ko: '허용' },
      amber: { en: 'Conditional', ko: '조건부' },
      red: { en: 'Not permitted', ko: '불허' },
      grey: { en: 'Not present', ko: '미입국' },
    },
  },
  caseStatus: {
    path: 'cases.status',
    values: {
      open: { en: 'Open', ko: '진행 중' },
      admitted: { en: 'Admitted', ko: '입국 허가' },
      refused: { en: 'Refused', ko: '거절' },
      withdrawn: { en: 'Withdrawn', ko: '철회' },
      departed: { en: 'Departed (dispatch complete)', ko: '출국(파견 완료)' },
    },
  },
  sex: {
    path: 'sex',
    values: {
      F: { en: 'Female', ko: '여성' },
      M: { en: 'Male', ko: '남성' },
      X: { en: 'Unspecified (X)', ko: '미지정(X)' },
    },
  },
  planRoute: {
    path: 'planRoute',
    values: {
      eb1c: { en: 'EB-1C multinational manager', ko: 'EB-1C 다국적 기업 관리자' },
      eb2_perm: { en: 'EB-2 with labor certification (PERM)', ko: 'EB-2 노동허가(PERM)' },
      eb2_niw: { en: 'EB-2 national-interest waiver', ko: 'EB-2 국익 면제(NIW)' },
      eb3_perm: { en: 'EB-3 skilled worker (PERM)', ko: 'EB-3 숙련공(PERM)' },
      eb5: { en: 'EB-5 investor', ko: 'EB-5 투자 이민' },
      e2_renewals: { en: 'E-2 renewals', ko: 'E-2 갱신' },
      e4_scenario: { en: 'E-4 (proposed, not law)', ko: 'E-4(법안, 미입법)' },
    },
  },
  planStepKind: {
    path: 'planStepKind',
    values: {
      first_visa: { en: 'First visa', ko: '첫 비자' },
      prevailing_wage: { en: 'Prevailing wage', ko: '적정 임금 결정' },
      recruitment: { en: 'Recruitment', ko: '구인 절차' },
      perm: { en: 'PERM labor certification', ko: 'PERM 노동허가' },
      i140: { en: 'Immigrant petition (I-140)', ko: '이민 청원(I-140)' },
      i526e: { en: 'Investor petition (I-526E)', ko: '투자자 청원(I-526E)' },
      visa_wait: { en: 'Waiting for the priority date', ko: '우선일 대기' },
      i485: { en: 'Adjustment of status (I-485)', ko: '신분 조정(I-485)' },
      consular: { en: 'Immigrant visa in Seoul', ko: '서울 이민 비자' },
      green_card: { en: 'Green card', ko: '영주권' },
      naturalization_eligible: { en: 'May apply for citizenship', ko: '시민권 신청 가능' },
      e_extension: { en: 'E extension', ko: 'E 연장' },
    },
  },
  spouseWork: {
    path: 'spouseWork',
    values: {
      incident_to_status: { en: 'May work (incident to status)', ko: '취업 가능(신분에 따름)' },
      with_ead: { en: 'May work with an EAD', ko: 'EAD로 취업 가능' },
      no: { en: 'May not work', ko: '취업 불가' },
      permanent_resident: { en: 'May work (permanent resident)', ko: '취업 가능(영주권자)' },
    },
  },
  directoryKind: {
    path: 'directoryKind',
    values: {
      consulate: { en: 'Consulate', ko: '영사관' },
      association: { en: 'Korean association', ko: '한인회' },
      weekend_school: { en: 'Weekend Korean school', ko: '주말 한국학교' },
      doctor: { en: 'Korean-speaking doctor', ko: '한국어 가능 의사' },
      counsel: { en: 'Counsel', ko: '법률 상담' },
      interpreter: { en: 'Interpreter', ko: '통역' },
      housing: { en: 'Housing help', ko: '주거 지원' },
      mentor: { en: 'Mentor family', ko: '멘토 가정' },
    },
  },
  planStatus: {
    path: 'planStatus',
    values: {
      abroad: { en: 'In Korea', ko: '한국 체류' },
      B1: { en: 'B-1 business visitor', ko: 'B-1 상용 방문' },
      ESTA: { en: 'Visa Waiver (ESTA)', ko: '비자 면제(ESTA)' },
      L1A: { en: 'L-1A manager or executive', ko: 'L-1A 관리자·임원' },
      L1B: { en: 'L-1B specialized knowledge', ko: 'L-1B 전문 지식' },
      H1B: { en: 'H-1B specialty occupation', ko: 'H-1B 전문직' },
      E2: { en: 'E-2 treaty employee', ko: 'E-2 조약 직원' },
      E4: { en: 'E-4 (proposed)', ko: 'E-4(법안)' },
    },
  },
  planGoalKind: {
    path: 'planGoalKind',
    values: {
      permanent: { en: 'Permanent residence', ko: '영주권' },
      stay: { en: 'Stay a number of years', ko: '일정 기간 체류' },
    },
  },
  planRiskSeverity: {
    path: 'planRiskSeverity',
    values: {
      info: { en: 'Note', ko: '참고' },
      warning: { en: 'Warning', ko: '주의' },
      critical: { en: 'Serious', ko: '심각' },
    },
  },
  dependentRelationship: {
    path: 'dependentRelationship',
    values: {
      spouse: { en: 'Spouse', ko: '배우자' },
      child: { en: 'Child', ko: '자녀' },
    },
  },
  contactKind: {
    path: 'contactKind',
    values: {
      counsel: { en: 'Counsel', ko: '법률 대리인' },
      emergency: { en: 'Emergency contact', ko: '비상 연락처' },
    },
  },
  batchStatus: {
    path: 'batchStatus',
    values: {
      draft: { en: 'Draft', ko: '작성 중' },
      submitted: { en: 'Submitted to the desk', ko: '데스크에 제출됨' },
      in_progress: { en: 'At the desk', ko: '데스크 처리 중' },
      completed: { en: 'Completed', ko: '완료' },
    },
  },
  deskStatus: {
    path: 'deskStatus',
    values: {
      draft: { en: 'Draft', ko: '작성 중' },
      submitted: { en: 'Submitted, awaiting the desk', ko: '제출됨, 창구 확인 대기' },
      acknowledged: { en: 'Acknowledged by the desk', ko: '창구 접수 확인' },
      returned: { en: 'Returned for correction', ko: '보완 요청으로 반송' },
      closed: { en: 'Closed: every applicant decided', ko: '종결: 전원 결정 완료' },
    },
  },
  ceacStatus: {
    path: 'ceacStatus',
    values: {
      application_received: { en: 'Application received', ko: '신청 접수' },
      administrative_processing: { en: 'Administrative processing (221(g))', ko: '행정 처리 중(221(g))' },
      issued: { en: 'Issued', ko: '발급' },
      refused: { en: 'Refused', ko: '거절' },
    },
  },
  questionnaireStatus: {
    path: 'questionnaireStatus',
    values: {
      sent: { en: 'Sent to the worker', ko: '근로자에게 보냄' },
      in_progress: { en: 'Being filled in', ko: '작성 중' },
      submitted: { en: 'Submitted for review', ko: '검토 요청됨' },
      returned: { en: 'Returned for corrections', ko: '수정 요청됨' },
      accepted: { en: 'Accepted', ko: '승인됨' },
    },
  },
  milestoneKind: {
    path: 'milestoneKind',
    values: {
      line_runs_alone: { en: 'A line the US team runs alone', ko: '미국 팀이 단독 운영하는 라인' },
      supervisor_certified: { en: 'A US supervisor certified', ko: '미국인 감독자 인증' },
      other: { en: 'Other milestone', ko: '기타 이정표' },
    },
  },
  investmentKind: {
    path: 'investmentKind',
    values: {
      committed: { en: 'Committed', ko: '약정' },
      disbursed: { en: 'Disbursed', ko: '집행' },
    },
  },
  uscisStatus: {
    path: 'uscisStatus',
    values: {
      received: { en: 'Received', ko: '접수' },
      biometrics: { en: 'Biometrics appointment', ko: '생체 정보 등록 예약' },
      rfe: { en: 'Request for evidence (RFE)', ko: '추가 증거 요청(RFE)' },
      noid: { en: 'Notice of intent to deny (NOID)', ko: '거절 예정 통지(NOID)' },
      response_submitted: { en: 'Response submitted', ko: '답변 제출' },
      approved: { en: 'Approved', ko: '승인' },
      denied: { en: 'Denied', ko: '거절' },
      transferred: { en: 'Transferred to another office', ko: '다른 사무소로 이관' },
    },
  },
  deskOutcome: {
    path: 'deskOutcome',
    values: {
      issued: { en: 'Issued', ko: '발급' },
      refused_214b: { en: 'Refused under 214(b)', ko: '214(b) 거절' },
      administrative_processing: {
        en: 'Administrative processing (221(g)), not final',
        ko: '행정 처리(221(g)), 최종 결정 아님',
      },
      withdrawn: { en: 'Withdrawn', ko: '철회' },
    },
  },
  batchEvent: {
    path: 'batchEvent',
    values: {
      created: { en: 'Batch assembled', ko: '묶음 편성' },
      amended: { en: 'Amended', ko: '수정' },
      submitted: { en: 'Submitted to the desk', ko: '창구에 제출' },
      acknowledged: { en: 'Acknowledged by the desk', ko: '창구 접수 확인' },
      returned: { en: 'Returned for correction', ko: '보완 요청 반송' },
      interview_scheduled: { en: 'Interview scheduled', ko: '인터뷰 예약' },
      outcome: { en: 'Decision recorded', ko: '결정 기록' },
      closed: { en: 'Closed', ko: '종결' },
    },
  },
  mandate: {
    path: 'mandate',
    values: {
      embassy_desk: { en: 'Embassy desk (receives batches)', ko: '대사관 창구(묶음 신청 접수)' },
      working_group: { en: 'Working group (sees the figures)', ko: '실무 협의체(통계 열람)' },
    },
  },
  consularPost: {
    path: 'consularPost',
    values: {
      seoul: { en: 'U.S. Embassy Seoul', ko: '주한미국대사관(서울)' },
      other: { en: 'Another U.S. consulate', ko: '기타 미국 영사관' },
    },
  },
  slaState: {
    path: 'slaState',
    values: {
      on_track: { en: 'On track', ko: '정상 진행' },
      at_risk: { en: 'At risk', ko: '지연 위험' },
      late: { en: 'Late', ko: '지연' },
      done: { en: 'Done', ko: '완료' },
    },
  },
  country: {
    path: 'country',
    values: {
      KR: { en: 'South Korea', ko: '대한민국' },
      US: { en: 'United States', ko: '미국' },
      VN: { en: 'Vietnam', ko: '베트남' },
      CN: { en: 'China', ko: '중국' },
      JP: { en: 'Japan', ko: '일본' },
      PH: { en: 'Philippines', ko: '필리핀' },
      IN: { en: 'India', ko: '인도' },
      MX: { en: 'Mexico', ko: '멕시코' },
      CA: { en: 'Canada', ko: '캐나다' },
      DE: { en: 'Germany', ko: '독일' },
      TH: { en: 'Thailand', ko: '태국' },
      ID: { en: 'Indonesia', ko: '인도네시아' },
      UZ: { en: 'Uzbekistan', ko: '우즈베키스탄' },
      MN: { en: 'Mongolia', ko: '몽골' },
    },
  },
} as const satisfies Record<string, { path: string; values: Record<string, Bilingual> }>;

export type LabelGroup = keyof typeof enumLabels;

/** The words for a code, in one language; the code itself only if it has none (a test keeps that from happening). */
export function label(lang: 'en' | 'ko', group: LabelGroup, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  const values = enumLabels[group].values as Record<string, Bilingual>;
  return values[code]?.[lang] ?? code;
}

/** Both languages, for the bilingual places (exports with two header lines, PDFs, letters). */
export function labels(group: LabelGroup, code: string): Bilingual {
  const values = enumLabels[group].values as Record<string, Bilingual>;
  return values[code] ?? { en: code, ko: code };
}

/** Every label as a flat `path.code -> text` map of one language (the web app merges it into its catalogs). */
export function flatLabels(lang: 'en' | 'ko'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of Object.values(enumLabels))
    for (const [code, text] of Object.entries(group.values as Record<string, Bilingual>))
      out[`${group.path}.${code}`] = text[lang];
  return out;
}
