import type { CapReference, Fee, Note } from '../../contract/assessment.js';
import { activityRules, applyActivities, type ActivityRule } from './activities.js';
import {
  admitUntil,
  degreeOrEquivalent,
  documents,
  endsWithinMonths,
  fee,
  fees,
  note,
  periodDays,
  verifyNote,
} from './common.js';
import { dayNumberOf } from '../dates/index.js';
import { frozen, requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/** H-1B specialty occupation: INA 101(a)(15)(H)(i)(b); INA 214(g), 214(i); 8 CFR 214.2(h); 20 CFR 655 Subpart H. */

const NAME = { en: 'H-1B specialty occupation', ko: 'H-1B 전문직' };

export const h1bRequirements = {
  specialty: requirement({
    id: 'h1b.specialty-occupation',
    attestation: true,
    citation: 'INA 214(i)(1); 8 CFR 214.2(h)(4)(iii)(A)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The job is a specialty occupation that requires at least a bachelor’s degree in the specific specialty (attested).',
      ko: '직무가 특정 전공의 학사 이상 학위를 요구하는 전문직이어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the job requires at least a bachelor’s degree in the specific specialty.',
      ko: '직무가 특정 전공의 학사 이상 학위를 요구함을 확인합니다.',
    },
    fail: {
      en: 'The job does not require a degree in a specific specialty, so it is not an H-1B specialty occupation.',
      ko: '직무가 특정 전공 학위를 요구하지 않으므로 H-1B 전문직이 아닙니다.',
    },
  }),
  degree: requirement({
    id: 'h1b.degree-or-equivalent',
    citation: 'INA 214(i)(2); 8 CFR 214.2(h)(4)(iii)(C), (D)(5)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The worker holds the degree or its equivalent: three years of specialized training or experience for each missing year of college.',
      ko: '근로자가 학위 또는 이에 상응하는 자격을 갖추어야 합니다: 부족한 대학 1년마다 전문 교육·경력 3년.',
    },
    pass: {
      en: 'The worker has a bachelor’s degree or its equivalent by experience.',
      ko: '근로자는 학사 학위 또는 경력에 의한 동등 자격을 갖추었습니다.',
    },
    fail: {
      en: 'The worker has neither the degree nor enough specialized experience (three years per missing college year).',
      ko: '근로자에게 학위도, 충분한 전문 경력(부족한 대학 1년당 3년)도 없습니다.',
    },
  }),
  usEmployer: requirement({
    id: 'h1b.us-employer-pays',
    citation: '8 CFR 214.2(h)(4)(ii); 20 CFR 655.731',
    sourceUrl: sources.cfr655,
    summary: {
      en: 'A US employer petitions and pays at least the required wage under a certified LCA.',
      ko: '미국 고용주가 청원하고, 인증된 LCA에 따라 요구 임금 이상을 지급해야 합니다.',
    },
    pass: { en: 'The US employer pays the worker.', ko: '미국 고용주가 근로자에게 급여를 지급합니다.' },
    fail: {
      en: 'H-1B needs a US employer that pays the required wage; pay from Korea alone does not fit.',
      ko: 'H-1B에는 요구 임금을 지급하는 미국 고용주가 필요하며, 한국에서만 급여를 받는 경우는 해당되지 않습니다.',
    },
  }),
  earliestStart: requirement({
    id: 'h1b.cap.earliest-start',
    citation: '8 CFR 214.2(h)(8)(iii); INA 214(g)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'A new cap-subject H-1B starts at the earliest on 1 October of the fiscal year of the next cap season (registration in March).',
      ko: '신규 한도 대상 H-1B는 다음 추첨 시즌(3월 등록) 회계연도의 10월 1일 이후에야 시작할 수 있습니다.',
    },
    pass: {
      en: 'The assignment starts on or after the earliest cap start date.',
      ko: '파견이 한도 대상 최초 시작일 이후에 시작됩니다.',
    },
    fail: {
      en: 'The assignment starts before the earliest date a new cap-subject H-1B can begin.',
      ko: '파견이 신규 한도 대상 H-1B가 시작될 수 있는 최초 날짜보다 먼저 시작됩니다.',
    },
  }),
  maxStay: requirement({
    id: 'h1b.max-stay',
    citation: '8 CFR 214.2(h)(13)(iii)(A); INA 214(g)(4)',
    sourceUrl: sources.cfr214_2,
    summary: { en: 'H-1B status lasts at most six years.', ko: 'H-1B 체류는 최대 6년입니다.' },
    pass: {
      en: 'The assignment fits within the six-year H-1B maximum.',
      ko: '파견 기간이 H-1B 최대 6년 이내입니다.',
    },
    fail: {
      en: 'The assignment is longer than the six-year H-1B maximum.',
      ko: '파견 기간이 H-1B 최대 6년보다 깁니다.',
    },
  }),
};
const r = h1bRequirements;

const H = '8 CFR 214.2(h)(4)(ii)';
const rule = (status: ActivityRule['status'], en: string, ko: string): ActivityRule => ({
  status,
  why: { en, ko },
  citation: H,
  sourceUrl: sources.cfr214_2,
});
const manual = rule(
  'not_permitted',
  'not permitted: manual or trade work is not a specialty occupation.',
  '허용되지 않습니다: 육체·기능 작업은 전문직이 아닙니다.',
);
const incidental = rule(
  'conditional',
  'only as part of the specialty occupation described in the petition.',
  '청원서에 기재된 전문직 업무의 일부로만 가능합니다.',
);
export const h1bActivityTable = activityRules(
  'h1b',
  rule(
    'permitted',
    'permitted as part of the specialty occupation for the petitioning employer.',
    '청원 고용주를 위한 전문직 업무의 일부로 허용됩니다.',
  ),
  {
    construction_work: manual,
    production_work: manual,
    skilled_trade_work: manual,
    equipment_installation: incidental,
    equipment_servicing: incidental,
    receive_training: incidental,
    administrative_work: incidental,
  },
);

const PAYMENT = 'dhs/proclamations/h1b-entry-payment-usd';
const paymentNote = (params: Parameters<CategoryModule['bind']>[0], filing: string) =>
  verifyNote(params, 'h1b.entry-payment', PAYMENT, {
    en: `A new petition filed on or after 2025-09-21 for a worker outside the United States must be accompanied by a USD 100,000 payment; it is charged here because this cap petition would be filed from ${filing}, while the measure is in force. Its lawfulness is being litigated.`,
    ko: `2025-09-21 이후 미국 밖 근로자를 위해 제출하는 신규 청원에는 10만 달러 납부가 필요합니다. 이 한도 청원은 ${filing}부터 제출되며 그때 조치가 시행 중이므로 포함했습니다. 조치의 적법성은 소송 중입니다.`,
  });
/** The payment is keyed to the petition's filing date (issue 16, finding 1): past its assumed end, both outcomes. */
const paymentEndedNote = (filing: string, amount: number) =>
  note(
    'h1b.entry-payment-ended',
    true,
    {
      en: `This cap petition could be filed from ${filing}, after the USD 100,000 payment's assumed end (2026-09-21, 12 months from its start). It is not charged here; if the measure was extended, USD ${amount.toLocaleString('en-US')} would be due with the petition. Whether it was extended is not known: verify.`,
      ko: `이 한도 청원은 ${filing}부터 제출할 수 있으며, 이는 10만 달러 납부금의 종료 가정일(시행 12개월 후인 2026-09-21) 이후입니다. 여기서는 포함하지 않았지만 조치가 연장되었다면 청원과 함께 ${amount.toLocaleString('en-US')}달러를 내야 합니다. 연장 여부는 확인되지 않았습니다(확인 필요).`,
    },
    'Proclamation of 2025-09-19, sec. 3; USCIS guidance of 2025-10-20',
    sources.proclamation2025,
  );
const wageWeighted = note(
  'h1b.wage-weighted-selection',
  false,
  {
    en: 'Cap registrations are selected with weights by wage level (level IV four entries … level I one entry).',
    ko: '한도 추첨은 임금 수준별 가중치로 선정됩니다(4수준 4회 … 1수준 1회).',
  },
  '8 CFR 214.2(h)(8)(iii)',
  sources.cfr214_2,
);

export const h1b: CategoryModule = {
  id: 'H1B',
  name: NAME,
  summary: {
    en: 'Degree-level specialty occupation for a US employer; annual cap and March lottery, start on 1 October; up to 6 years.',
    ko: '미국 고용주를 위한 학위 수준의 전문직. 연간 한도와 3월 추첨, 10월 1일 시작, 최대 6년.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: Object.values(r),
  bind(params) {
    const perYear = params.number('dhs/cfr/8-cfr-214-2-h/degree-equivalence-years-per-college-year');
    const registrationMonth = params.number('dhs/cfr/8-cfr-214-2-h/h1b-registration-last-month');
    const initialMonths = params.number('dhs/cfr/8-cfr-214-2-h/h1b-initial-approval-years') * 12;
    const maxMonths = params.number('dhs/cfr/8-cfr-214-2-h/h1b-max-years') * 12;
    const unselected = params.range('korus/lead-times/h1b-unselected-extra');
    const baseFees = [
      fee(params, 'h1b_registration_fee', 'dhs/fees/h1b-registration-fee-usd'),
      fee(params, 'uscis_i129_h1b', 'dhs/fees/uscis-i129-h1b-usd'),
      fee(params, 'acwia_fee', 'dhs/fees/acwia-fee-usd'),
      fee(params, 'fraud_prevention_fee', 'dhs/fees/fraud-prevention-fee-h1b-l-usd'),
      fee(params, 'asylum_program_fee', 'dhs/fees/asylum-program-fee-usd'),
      fee(params, 'mrv_fee_petition', 'dos/fees/mrv-fee-petition-usd'),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    ];
    const weighted =
      params.value('dhs/cfr/8-cfr-214-2-h/h1b-wage-weighted-selection') === true ? [wageWeighted] : [];
    // The USD 100,000 payment goes with a petition filed while the Proclamation is in force (USCIS, 2025-10-20):
    // for a cap case, on or after 1 April after the March selection. Fees and notes per fiscal year.
    const lastKnownAmount = (() => {
      const values = params.at('9999-12-31').entry(PAYMENT);
      return typeof values?.value === 'number' ? values.value : 100_000;
    })();
    const byYear = new Map<number, { feeList: readonly Fee[]; notes: readonly Note[] }>();
    const forYear = (fiscalYear: number) => {
      let found = byYear.get(fiscalYear);
      if (found) return found;
      const filing = `${fiscalYear - 1}-04-01`;
      const atFiling = params.at(filing);
      const payment = fee(atFiling, 'h1b_entry_payment', PAYMENT);
      const entry = atFiling.entry(PAYMENT);
      const ended = !payment && entry?.value === null && entry.status === 'verify';
      found = {
        feeList: fees(...baseFees, payment),
        notes: Object.freeze([
          ...(payment ? [paymentNote(atFiling, filing)] : []),
          ...(ended ? [paymentEndedNote(filing, lastKnownAmount)] : []),
          ...weighted,
        ]),
      };
      byYear.set(fiscalYear, found);
      return found;
    };
    const capCache = new Map<string, CapReference>();
    return (facts) => {
      const b = new ResultBuilder();
      const { worker, assignment } = facts.request;
      b.attest(r.specialty, assignment.occupationRequiresDegree);
      const degree = degreeOrEquivalent(facts, perYear);
      b.check(r.degree, degree.ok, {
        education: worker.education,
        yearsSpecializedExperience: worker.yearsSpecializedExperience,
        yearsNeeded: degree.needed,
      });
      b.check(r.usEmployer, assignment.payer === 'us');
      // Registration closes in March: until then the next cap is the fiscal year starting next October.
      const fiscalYear = facts.asOfMonth <= registrationMonth ? facts.asOfYear + 1 : facts.asOfYear + 2;
      const earliestStartDay = dayNumberOf(fiscalYear - 1, 10, 1);
      b.check(r.earliestStart, facts.startDay >= earliestStartDay, {
        earliestStart: `${fiscalYear - 1}-10-01`,
      });
      b.check(r.maxStay, endsWithinMonths(facts, maxMonths));
      applyActivities(h1bActivityTable, facts.activities, b);
      const { feeList, notes } = forYear(fiscalYear);
      for (const n of notes) b.note(n);
      b.document(documents.lca);
      b.document(documents.i129);
      if (facts.collegeYears < 4) b.document(documents.degreeEvaluation);
      const pool = worker.usAdvancedDegree ? 'advanced_degree' : 'regular';
      const capKey = `${fiscalYear}${pool}`;
      let cap = capCache.get(capKey);
      if (!cap) capCache.set(capKey, (cap = frozen({ program: 'H1B', fiscalYear, pool })));
      const wait = Math.max(0, earliestStartDay - facts.asOfDay);
      const days = periodDays(facts, initialMonths);
      return b.finish('H1B', NAME, {
        provision: null,
        maxStayDays: days,
        admitUntil: admitUntil(facts, days),
        leadTimeDays: { min: wait, typical: wait, max: wait + unselected.max, verify: true },
        feesUsd: feeList,
        cap,
      });
    };
  },
};
