import type { CapReference } from '../../contract/assessment.js';
import { activityRules, applyActivities } from './activities.js';
import { degreeOrEquivalent, documents, fee, fees, leadTime, note } from './common.js';
import { frozen, requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';
import { h1bActivityTable } from './h1b.js';

/**
 * E-4 (proposed) — Partner with Korea Act, H.R. 4687 (119th Congress), would add INA 101(a)(15)(E)(iv).
 * NOT LAW: `unavailable` unless the request's scenario says it was enacted; then evaluated from the bill's
 * text: Korean nationals coming solely to perform services in a specialty occupation, after a labour
 * attestation under INA 212(t)(1); 15,000 initial approvals per fiscal year.
 */

const NAME = { en: 'E-4 Korean professional (proposed)', ko: 'E-4 한국인 전문직(법안)' };
const BILL = 'H.R. 4687 (119th Congress), sec. 2 (proposed INA 101(a)(15)(E)(iv))';

export const e4Requirements = {
  enacted: requirement({
    id: 'e4.enacted',
    citation: 'H.R. 4687 (119th Congress)',
    sourceUrl: sources.hr4687,
    summary: {
      en: 'The E-4 exists only if the Partner with Korea Act becomes law.',
      ko: 'E-4는 한국 동반자법이 제정되어야만 존재합니다.',
    },
    pass: {
      en: 'Scenario: the Partner with Korea Act is assumed to be law. This is a simulation, not current law.',
      ko: '시나리오: 한국 동반자법이 제정된 것으로 가정합니다. 현행법이 아닌 모의 판정입니다.',
    },
    fail: {
      en: 'The E-4 is a proposal (H.R. 4687, in committee) and is not available.',
      ko: 'E-4는 법안(H.R. 4687, 위원회 계류 중)이며 이용할 수 없습니다.',
    },
  }),
  korean: requirement({
    id: 'e4.korean-national',
    citation: BILL,
    sourceUrl: sources.hr4687,
    summary: {
      en: 'The worker is a national of the Republic of Korea.',
      ko: '근로자가 대한민국 국민이어야 합니다.',
    },
    pass: { en: 'The worker is a Korean national.', ko: '근로자는 대한민국 국민입니다.' },
    fail: {
      en: 'The proposed E-4 is for Korean nationals only.',
      ko: 'E-4 법안은 대한민국 국민만을 대상으로 합니다.',
    },
  }),
  specialty: requirement({
    id: 'e4.specialty-occupation',
    attestation: true,
    citation: `${BILL}; INA 214(i)(1)`,
    sourceUrl: sources.hr4687,
    summary: {
      en: 'The worker comes solely to perform services in a specialty occupation (attested).',
      ko: '근로자가 전문직 업무 수행만을 위해 입국해야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the job is a specialty occupation requiring a degree in the specialty or its equivalent.',
      ko: '직무가 해당 전공 학위 또는 그에 상응하는 자격을 요구하는 전문직임을 확인합니다.',
    },
    fail: {
      en: 'The bill covers specialty occupations only: a job that does not require a degree (such as installing equipment or welding) is not covered, whatever press releases say.',
      ko: '법안은 전문직만을 대상으로 합니다. 학위가 필요 없는 직무(장비 설치, 용접 등)는 보도자료 표현과 달리 포함되지 않습니다.',
    },
  }),
  degree: requirement({
    id: 'e4.degree-or-equivalent',
    citation: `${BILL}; INA 214(i)(2); 8 CFR 214.2(h)(4)(iii)(D)(5)`,
    sourceUrl: sources.hr4687,
    summary: {
      en: 'The worker holds the degree or its equivalent: three years of experience per missing college year.',
      ko: '근로자가 학위 또는 이에 상응하는 자격(부족한 대학 1년당 경력 3년)을 갖추어야 합니다.',
    },
    pass: {
      en: 'The worker has a bachelor’s degree or its equivalent by experience.',
      ko: '근로자는 학사 학위 또는 경력에 의한 동등 자격을 갖추었습니다.',
    },
    fail: {
      en: 'The worker has neither the degree nor enough experience to equal one (three years per missing college year).',
      ko: '근로자에게 학위도, 이에 상응하는 충분한 경력(부족한 대학 1년당 3년)도 없습니다.',
    },
  }),
  usEmployer: requirement({
    id: 'e4.us-employer-attestation',
    citation: `${BILL}; INA 212(t)(1)`,
    sourceUrl: sources.hr4687,
    summary: {
      en: 'A US employer files the labour attestation of INA 212(t)(1) and pays the required wage.',
      ko: '미국 고용주가 INA 212(t)(1)의 노동 확인서를 제출하고 요구 임금을 지급해야 합니다.',
    },
    pass: {
      en: 'The US employer pays the worker and can file the labour attestation.',
      ko: '미국 고용주가 급여를 지급하며 노동 확인서를 제출할 수 있습니다.',
    },
    fail: {
      en: 'The labour attestation binds a US employer paying the required wage; pay from Korea alone does not fit.',
      ko: '노동 확인서는 요구 임금을 지급하는 미국 고용주를 전제로 하므로, 한국에서만 급여를 받는 경우는 해당되지 않습니다.',
    },
  }),
};
const r = e4Requirements;

const notAvailable = activityRules(
  'e4',
  {
    status: 'not_permitted',
    why: { en: 'not available: the E-4 is not law.', ko: '이용할 수 없습니다: E-4는 현행법이 아닙니다.' },
    citation: 'H.R. 4687',
    sourceUrl: sources.hr4687,
  },
  {},
);
const e4Table = h1bActivityTable.map((row) => ({
  status: row.status,
  reason: frozen({
    ...row.reason,
    rule: row.reason.rule.replace(/^h1b\./, 'e4.'),
    citation: BILL,
    sourceUrl: sources.hr4687,
  }),
}));

const textVsPress = note(
  'e4.text-vs-press',
  false,
  {
    en: 'Press releases speak of "specialized training or expertise", but the bill text covers degree-level specialty occupations only; non-degreed technicians, welders or installers qualify only through degree equivalence by experience.',
    ko: '보도자료는 "전문 교육 또는 전문성"을 말하지만, 법안 문언은 학위 수준의 전문직만 포함합니다. 학위가 없는 기술자, 용접공, 설치 기술자는 경력에 의한 학위 동등성을 통해서만 해당될 수 있습니다.',
  },
  BILL,
  sources.hr4687,
);
const durationUnknown = note(
  'e4.duration-unknown',
  true,
  {
    en: 'The bill does not state the admission period, renewals or spouse work authorization; no maximum stay is given.',
    ko: '법안에는 체류 허가 기간, 갱신, 배우자 취업 허가가 명시되어 있지 않으므로 최대 체류 기간을 제시하지 않습니다.',
  },
  BILL,
  sources.hr4687,
);
const scenarioNote = note(
  'e4.scenario',
  true,
  {
    en: 'Simulation: evaluated as if H.R. 4687 were law. Lead time is the advocates’ estimate ("less than one month"), not a statistic.',
    ko: '모의 판정: H.R. 4687이 제정된 것으로 가정해 판정했습니다. 준비 기간은 지지 측 추정치("1개월 미만")이며 통계가 아닙니다.',
  },
  BILL,
  sources.hr4687,
);

export const e4: CategoryModule = {
  id: 'E4',
  name: NAME,
  summary: {
    en: 'Proposed visa for Korean professionals in specialty occupations (H.R. 4687), 15,000 a year; not law — evaluated only in the E-4 scenario.',
    ko: '전문직 한국인을 위한 비자 법안(H.R. 4687), 연 15,000명. 현행법이 아니며 E-4 시나리오에서만 판정합니다.',
  },
  openToKoreanNationals: true,
  proposed: true,
  requirements: Object.values(r),
  bind(params) {
    const perYear = params.number('dhs/cfr/8-cfr-214-2-h/degree-equivalence-years-per-college-year');
    const capInBill = params.value('congress/hr4687/e4-annual-cap') !== undefined;
    const feeList = fees(
      fee(params, 'mrv_fee_e', 'dos/fees/mrv-fee-e-usd', {
        en: 'Visa application fee (E visa; assumed for E-4)',
        ko: '비자 신청 수수료(E 비자, E-4에 준용 가정)',
      }),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    );
    const lead = leadTime(params, 'korus/lead-times/e4');
    const noFees = fees();
    const capCache = new Map<number, CapReference>();
    return (facts) => {
      const b = new ResultBuilder();
      const { assignment } = facts.request;
      if (!facts.request.scenario?.e4Enacted || !capInBill) {
        b.check(r.enacted, false);
        applyActivities(notAvailable, facts.activities, b);
        return b.finish('E4', NAME, {
          provision: null,
          maxStayDays: null,
          leadTimeDays: null,
          feesUsd: noFees,
          cap: null,
          verdict: 'unavailable',
        });
      }
      b.check(r.enacted, true);
      b.note(scenarioNote);
      b.check(r.korean, facts.isKorean);
      b.attest(r.specialty, assignment.occupationRequiresDegree);
      const degree = degreeOrEquivalent(facts, perYear);
      b.check(r.degree, degree.ok, {
        education: facts.education,
        yearsSpecializedExperience: facts.request.worker.yearsSpecializedExperience,
        yearsNeeded: degree.needed,
      });
      b.check(r.usEmployer, assignment.payer === 'us');
      applyActivities(e4Table, facts.activities, b);
      b.note(textVsPress);
      b.note(durationUnknown);
      b.document(documents.lca);
      if (facts.collegeYears < 4) b.document(documents.degreeEvaluation);
      const fiscalYear = facts.asOfMonth >= 10 ? facts.asOfYear + 1 : facts.asOfYear;
      let cap = capCache.get(fiscalYear);
      if (!cap) capCache.set(fiscalYear, (cap = frozen({ program: 'E4', fiscalYear })));
      return b.finish('E4', NAME, {
        provision: null,
        maxStayDays: null,
        leadTimeDays: lead,
        feesUsd: feeList,
        cap,
      });
    };
  },
};
