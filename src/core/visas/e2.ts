import { activityRules, applyActivities } from './activities.js';
import { admitUntil, documentOf, documents, fee, fees, leadTime, note, periodDays } from './common.js';
import { requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/** E-2 treaty investor employee: INA 101(a)(15)(E)(ii); 8 CFR 214.2(e); 22 CFR 41.51; 9 FAM 402.9. */

const NAME = { en: 'E-2 treaty investor employee', ko: 'E-2 조약 투자자 직원' };

export const e2Requirements = {
  nationality: requirement({
    id: 'e2.treaty-nationality',
    citation: '8 CFR 214.2(e)(3); INA 101(a)(15)(E)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The employee has the same treaty nationality as the enterprise (Korean; Korea is an E-2 treaty country).',
      ko: '직원은 기업과 같은 조약국 국적(한국, 한국은 E-2 조약국)이어야 합니다.',
    },
    pass: {
      en: 'The worker is Korean, like the Korean-owned enterprise.',
      ko: '근로자는 한국 소유 기업과 같은 한국 국적입니다.',
    },
    fail: {
      en: 'The employee must have the enterprise’s Korean nationality.',
      ko: '직원은 기업과 같은 한국 국적이어야 합니다.',
    },
  }),
  ownership: requirement({
    id: 'e2.ownership-50-percent',
    citation: '8 CFR 214.2(e)(3)(ii); 9 FAM 402.9-4(B)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The US enterprise is at least 50% owned by Korean nationals.',
      ko: '미국 기업의 지분 50% 이상을 한국 국민이 소유해야 합니다.',
    },
    pass: {
      en: 'The US enterprise is at least 50% Korean-owned.',
      ko: '미국 기업의 한국 측 지분이 50% 이상입니다.',
    },
    fail: {
      en: 'The US enterprise is less than 50% Korean-owned, so it is not a Korean treaty enterprise.',
      ko: '미국 기업의 한국 측 지분이 50% 미만이므로 한국 조약 기업이 아닙니다.',
    },
  }),
  enterprise: requirement({
    id: 'e2.employer-is-treaty-enterprise',
    citation: '8 CFR 214.2(e)(3)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The worker is employed by the treaty enterprise itself, not sent to a customer’s site.',
      ko: '근로자는 고객사 현장 파견이 아니라 조약 기업 자체에 고용되어야 합니다.',
    },
    pass: {
      en: 'The worker will be employed by the Korean-owned US enterprise.',
      ko: '근로자는 한국 소유 미국 기업에 고용됩니다.',
    },
    fail: {
      en: 'A customer’s site is not the worker’s treaty enterprise: E-2 needs employment by a Korean-owned US enterprise of the worker’s own group.',
      ko: '고객사 현장은 근로자의 조약 기업이 아닙니다. E-2는 근로자 소속 그룹의 한국 소유 미국 기업에 고용되어야 합니다.',
    },
  }),
  executive: requirement({
    id: 'e2.role.executive-supervisory',
    attestation: true,
    citation: '8 CFR 214.2(e)(17)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The role is executive or supervisory (attested).',
      ko: '직무가 임원급 또는 감독직이어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the role is executive or supervisory, with ultimate control and responsibility for a significant part of the enterprise.',
      ko: '직무가 기업의 상당 부분에 대한 통제와 책임을 지는 임원급 또는 감독직임을 확인합니다.',
    },
    fail: {
      en: 'The role is not attested as executive or supervisory.',
      ko: '직무가 임원급 또는 감독직이라는 확인이 없습니다.',
    },
  }),
  essentialSkills: requirement({
    id: 'e2.role.essential-skills',
    attestation: true,
    citation: '8 CFR 214.2(e)(18)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The employee has special qualifications essential to the enterprise (attested).',
      ko: '직원이 기업에 필수적인 특별한 자격을 갖추어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the worker’s special qualifications are essential to the enterprise and not readily available in the US labour market.',
      ko: '근로자의 특별한 자격이 기업에 필수적이며 미국 노동시장에서 쉽게 구할 수 없음을 확인합니다.',
    },
    fail: {
      en: 'The worker’s skills are not attested as essential.',
      ko: '근로자의 기술이 필수적이라는 확인이 없습니다.',
    },
  }),
  capacity: requirement({
    id: 'e2.role.qualifying-capacity',
    citation: '8 CFR 214.2(e)(3)(ii), (e)(17)-(18)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'Ordinary skilled or unskilled labour does not qualify.',
      ko: '일반 숙련·비숙련 노동은 해당되지 않습니다.',
    },
    pass: {
      en: 'The role is executive, supervisory or essential.',
      ko: '직무가 임원급, 감독직 또는 필수 인력에 해당합니다.',
    },
    fail: {
      en: 'The role is neither executive or supervisory nor essential-skills: ordinary skilled or unskilled labour does not qualify for E-2.',
      ko: '직무가 임원급·감독직도, 필수 기술 인력도 아닙니다. 일반 숙련·비숙련 노동은 E-2 대상이 아닙니다.',
    },
  }),
};
const r = e2Requirements;

const E = '8 CFR 214.2(e)(3)';
const table = activityRules(
  'e2',
  {
    status: 'permitted',
    why: {
      en: 'permitted as work for the treaty enterprise in the qualifying role.',
      ko: '조약 기업을 위한 해당 직무의 업무로 허용됩니다.',
    },
    citation: E,
    sourceUrl: sources.cfr214_2,
  },
  {
    construction_work: {
      status: 'not_permitted',
      why: {
        en: 'not permitted: hands-on construction is ordinary labour, which E-2 does not cover.',
        ko: '허용되지 않습니다: 직접 건설 작업은 E-2가 허용하지 않는 일반 노동입니다.',
      },
      citation: '8 CFR 214.2(e)(18)',
      sourceUrl: sources.cfr214_2,
    },
    production_work: {
      status: 'conditional',
      why: {
        en: 'only as part of an essential-skills role, never as ordinary line work.',
        ko: '필수 기술 직무의 일부로만 가능하며 일반 생산 라인 작업은 불가합니다.',
      },
      citation: '8 CFR 214.2(e)(18)',
      sourceUrl: sources.cfr214_2,
    },
    skilled_trade_work: {
      status: 'conditional',
      why: {
        en: 'only as part of an essential-skills role, never as ordinary trade labour.',
        ko: '필수 기술 직무의 일부로만 가능하며 일반 기능 노동은 불가합니다.',
      },
      citation: '8 CFR 214.2(e)(18)',
      sourceUrl: sources.cfr214_2,
    },
  },
);

const registrationNote = note(
  'e2.embassy-registration',
  true,
  {
    en: 'Consular practice in Seoul requires the company to be registered with the U.S. Embassy for E visas before employees apply (to verify).',
    ko: '서울 영사 실무상 직원이 신청하기 전에 회사가 E 비자용으로 주한미국대사관에 등록되어 있어야 합니다(확인 필요).',
  },
  '9 FAM 402.9; U.S. Embassy Seoul E visa instructions',
  sources.embassySeoul,
);
const visaDocument = documentOf(
  'e2_visa',
  'E-2 visa (DS-160, DS-156E, interview)',
  'E-2 비자(DS-160, DS-156E, 인터뷰)',
);

export const e2: CategoryModule = {
  id: 'E2',
  name: NAME,
  summary: {
    en: 'Employee of a Korean-owned (≥50%) US enterprise in an executive, supervisory or essential-skills role; two-year admissions, renewable.',
    ko: '한국 측 지분 50% 이상인 미국 기업의 임원·감독직 또는 필수 기술 직원. 2년 단위 체류, 연장 가능.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: Object.values(r),
  bind(params) {
    const minOwnership = params.number('dos/fam/9-fam-402-9/e2-min-ownership-percent');
    const admissionMonths = params.number('dhs/cfr/8-cfr-214-2-e/e2-admission-years') * 12;
    const feeList = fees(
      fee(params, 'mrv_fee_e', 'dos/fees/mrv-fee-e-usd'),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    );
    const lead = leadTime(params, 'korus/lead-times/e2');
    return (facts) => {
      const b = new ResultBuilder();
      const { worker, employer, assignment } = facts.request;
      b.check(r.nationality, facts.isKorean);
      b.check(r.ownership, employer.koreanOwnershipPercent >= minOwnership, {
        koreanOwnershipPercent: employer.koreanOwnershipPercent,
        minimumPercent: minOwnership,
      });
      b.check(r.enterprise, employer.relationship !== 'customer');
      const role = worker.role;
      if (role === 'supervisor' || role === 'manager' || role === 'executive') b.attest(r.executive, true);
      else if (role !== 'laborer' && assignment.specializedKnowledgeEssential)
        b.attest(r.essentialSkills, true);
      else b.check(r.capacity, false);
      applyActivities(table, facts.activities, b);
      b.document(visaDocument);
      b.document(documents.e2Registration);
      b.document(documents.ownershipProof);
      b.note(registrationNote);
      const days = periodDays(facts, admissionMonths);
      return b.finish('E2', NAME, {
        provision: null,
        maxStayDays: days,
        admitUntil: admitUntil(facts, days),
        leadTimeDays: lead,
        feesUsd: feeList,
        cap: null,
      });
    };
  },
};
