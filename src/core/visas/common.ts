import type { BilingualText, Fee, LeadTime, Note, RequiredDocument } from '../../contract/assessment.js';
import { daysInMonth, dayNumberOf, formatIsoDate } from '../dates/iso-date.js';
import { frozen } from './requirement.js';
import type { Facts, ParamReader } from './types.js';

/** A government fee in force in this period, or undefined when the parameter is not in force. */
export function fee(
  params: ParamReader,
  item: string,
  parameter: string,
  label?: BilingualText,
): Fee | undefined {
  const value = params.value(parameter);
  if (typeof value !== 'number') return undefined;
  return frozen({
    item,
    amount: value,
    label: label ?? params.label(parameter),
    parameter,
    ...(params.isVerify(parameter) ? { verify: true } : {}),
  });
}

/** The fees of a category in this period (frozen list shared by every response of the period). */
export function fees(...items: (Fee | undefined)[]): readonly Fee[] {
  return Object.freeze(items.filter((f): f is Fee => f !== undefined));
}

const estimateBasis = frozen({
  en: 'Estimate from published processing and wait times; check current figures.',
  ko: '공개된 처리·대기 기간을 바탕으로 한 추정치입니다. 최신 수치를 확인하세요.',
});

export function leadTime(params: ParamReader, parameter: string): LeadTime {
  const { min, typical, max } = params.range(parameter);
  return frozen({
    min,
    typical,
    max,
    ...(params.isVerify(parameter) ? { verify: true, basis: estimateBasis } : {}),
  });
}

/** A note telling the user that a value in force is uncertain (`status: verify` in its parameter file). */
export function verifyNote(params: ParamReader, id: string, parameter: string, extra?: BilingualText): Note {
  const entry = params.entry(parameter);
  const label = params.label(parameter);
  const ref = entry?.reference[0];
  return frozen({
    id,
    verify: true,
    message: {
      en: `To verify: ${label.en}.${extra ? ' ' + extra.en : ''}${entry?.note ? ' ' + entry.note : ''}`,
      ko: `확인 필요: ${label.ko}.${extra ? ' ' + extra.ko : ' 이 값은 확정되지 않았으므로 출처에서 최신 내용을 확인하세요.'}`,
    },
    ...(ref ? { citation: ref.title, sourceUrl: ref.href } : {}),
  });
}

export function note(
  id: string,
  verify: boolean,
  message: BilingualText,
  citation?: string,
  sourceUrl?: string,
): Note {
  return frozen({
    id,
    verify,
    message,
    ...(citation ? { citation } : {}),
    ...(sourceUrl ? { sourceUrl } : {}),
  });
}

export function documentOf(id: string, en: string, ko: string): RequiredDocument {
  return frozen({ id, label: { en, ko } });
}

/** Day number of the start date plus `months`, with the month-end rule of `addMonths` (clamp to the last day). */
export function startPlusMonths(facts: Facts, months: number): number {
  const index = facts.startYear * 12 + facts.startMonth - 1 + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const length = daysInMonth(year, month);
  return dayNumberOf(year, month, facts.startDayOfMonth < length ? facts.startDayOfMonth : length);
}

/** Days in a period of `months` from the start date: a two-year admission from 2026-04-01 is 731 days. */
export function periodDays(facts: Facts, months: number): number {
  return startPlusMonths(facts, months) - facts.startDay;
}

// Formatting a date is the costliest step of a result; the few thousand distinct days repeat, so memoize.
const formatted = new Map<number, string>();

/** Last day of a period of `days` starting on the start date. */
export function admitUntil(facts: Facts, days: number): string {
  const day = facts.startDay + days - 1;
  let text = formatted.get(day);
  if (text === undefined) {
    if (formatted.size > 100_000) formatted.clear();
    formatted.set(day, (text = formatIsoDate(day)));
  }
  return text;
}

/** The assignment ends before the same date `months` later (e.g. "less than six months"). */
export function endsWithinMonths(facts: Facts, months: number): boolean {
  return facts.endDay < startPlusMonths(facts, months);
}

/**
 * Bachelor's degree or its equivalent: three years of specialized experience for each missing year of
 * college (8 CFR 214.2(h)(4)(iii)(D)(5)); a bachelor's degree is four years of college.
 */
export function degreeOrEquivalent(
  facts: Facts,
  yearsPerCollegeYear: number,
): { ok: boolean; needed: number } {
  const missing = Math.max(0, 4 - facts.collegeYears);
  const needed = missing * yearsPerCollegeYear;
  return { ok: missing === 0 || facts.request.worker.yearsSpecializedExperience >= needed, needed };
}

export const documents = {
  employerLetter: documentOf(
    'employer_letter',
    'Letter from the Korean employer: purpose, activities, dates, and who pays',
    '한국 고용주 서한: 방문 목적, 활동, 기간, 급여 지급 주체',
  ),
  salesContract: documentOf(
    'sales_contract_service_clause',
    'Sale or lease contract with the clause requiring the seller to install, service or train',
    '판매자의 설치·정비·교육 의무 조항이 있는 판매 또는 리스 계약서',
  ),
  specializedKnowledge: documentOf(
    'specialized_knowledge_evidence',
    'Evidence of the worker’s specialized knowledge (training records, certificates, career history)',
    '근로자의 전문 지식 증빙(교육 이력, 자격증, 경력 기록)',
  ),
  kitAnnotation: documentOf(
    'kit_desk_annotation',
    'B-1 visa annotated with company, facility and project (KIT Desk, U.S. Embassy Seoul)',
    '회사·시설·프로젝트가 기재된 B-1 비자(주한미국대사관 KIT 데스크)',
  ),
  inLieuAnnotation: documentOf(
    'b1_in_lieu_annotation',
    'B-1 visa annotated "in lieu of H-1B" or "in lieu of H-3"',
    '"H-1B 대신" 또는 "H-3 대신"이 기재된 B-1 비자',
  ),
  trainingPlan: documentOf(
    'training_plan',
    'Training plan: content, trainees, schedule, equipment',
    '교육 계획서: 내용, 교육 대상, 일정, 장비',
  ),
  i129: documentOf(
    'i129_petition',
    'Approved Form I-129 petition (USCIS approval notice I-797)',
    '승인된 I-129 청원서(USCIS 승인 통지 I-797)',
  ),
  lca: documentOf(
    'lca_certified',
    'Certified Labor Condition Application (ETA-9035)',
    '인증된 노동조건신청서(LCA, ETA-9035)',
  ),
  degreeEvaluation: documentOf(
    'degree_evaluation',
    'Degree or credential evaluation (experience-based equivalence where needed)',
    '학위 또는 학력 평가서(필요 시 경력 기반 동등성 평가)',
  ),
  ownershipProof: documentOf(
    'ownership_evidence',
    'Evidence of Korean ownership of the US enterprise',
    '미국 법인의 한국 측 지분 증빙',
  ),
  relationshipProof: documentOf(
    'relationship_evidence',
    'Evidence of the parent, subsidiary, affiliate or branch relationship',
    '모회사·자회사·계열사·지사 관계 증빙',
  ),
  employmentAbroad: documentOf(
    'employment_abroad_letter',
    'Employer letter confirming one continuous year of full-time employment abroad',
    '해외에서 1년 이상 계속 상근했음을 확인하는 고용주 서한',
  ),
  laborCertification: documentOf(
    'temporary_labor_certification',
    'DOL temporary labor certification (ETA-9142B)',
    '노동부 임시 노동 인증서(ETA-9142B)',
  ),
  e2Registration: documentOf(
    'e2_company_registration',
    'E visa company registration with the U.S. Embassy in Seoul',
    '주한미국대사관 E 비자 회사 등록',
  ),
};
