import { activityIndex, activityRules, applyActivities, type ActivityRule } from './activities.js';
import { admitUntil, documents, endsWithinMonths, fee, fees, leadTime, periodDays } from './common.js';
import { requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/** H-3 trainee: INA 101(a)(15)(H)(iii); 8 CFR 214.2(h)(7). */

const NAME = { en: 'H-3 trainee', ko: 'H-3 연수생' };

export const h3Requirements = {
  program: requirement({
    id: 'h3.training-program',
    citation: '8 CFR 214.2(h)(7)(i)-(ii)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The purpose of the stay is to receive training in a structured training program.',
      ko: '체류 목적이 체계적인 연수 프로그램에서 교육을 받는 것이어야 합니다.',
    },
    pass: {
      en: 'The plan includes training the worker receives.',
      ko: '계획에 근로자가 받는 교육이 포함되어 있습니다.',
    },
    fail: {
      en: 'H-3 is for receiving training; the plan includes none.',
      ko: 'H-3는 교육을 받기 위한 것인데 계획에 교육이 없습니다.',
    },
  }),
  unavailable: requirement({
    id: 'h3.training-unavailable-at-home',
    attestation: true,
    citation: '8 CFR 214.2(h)(7)(ii)(A)(1)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The training is not available in the worker’s own country (attested).',
      ko: '해당 교육을 근로자의 본국에서 받을 수 없어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that comparable training is not available in Korea.',
      ko: '한국에서 비슷한 교육을 받을 수 없음을 확인합니다.',
    },
    fail: {
      en: 'Training available in Korea does not qualify for H-3.',
      ko: '한국에서 받을 수 있는 교육은 H-3 대상이 아닙니다.',
    },
  }),
  maxStay: requirement({
    id: 'h3.max-stay',
    citation: '8 CFR 214.2(h)(9)(iii)(C)(1)',
    sourceUrl: sources.cfr214_2,
    summary: { en: 'H-3 training lasts at most two years.', ko: 'H-3 연수는 최대 2년입니다.' },
    pass: { en: 'The training fits within two years.', ko: '연수 기간이 2년 이내입니다.' },
    fail: {
      en: 'The training plan is longer than the two-year H-3 maximum.',
      ko: '연수 계획이 H-3 최대 2년보다 깁니다.',
    },
  }),
};
const r = h3Requirements;

const H = '8 CFR 214.2(h)(7)(ii)(A)(3)';
const rule = (status: ActivityRule['status'], en: string, ko: string): ActivityRule => ({
  status,
  why: { en, ko },
  citation: H,
  sourceUrl: sources.cfr214_2,
});
const productive = rule(
  'not_permitted',
  'not permitted: an H-3 trainee may not do productive employment beyond what is incidental to the training.',
  '허용되지 않습니다: H-3 연수생은 교육에 부수적인 범위를 넘는 생산적 고용을 할 수 없습니다.',
);
const table = activityRules('h3', productive, {
  receive_training: rule(
    'permitted',
    'permitted: this is the purpose of H-3.',
    '허용됩니다: H-3의 목적입니다.',
  ),
  meetings: rule(
    'permitted',
    'permitted as part of the training program.',
    '연수 프로그램의 일부로 허용됩니다.',
  ),
  conference: rule(
    'permitted',
    'permitted as part of the training program.',
    '연수 프로그램의 일부로 허용됩니다.',
  ),
  site_visit: rule(
    'permitted',
    'permitted as part of the training program.',
    '연수 프로그램의 일부로 허용됩니다.',
  ),
});
const TRAINING_BIT = 1 << activityIndex.receive_training;

export const h3: CategoryModule = {
  id: 'H3',
  name: NAME,
  summary: {
    en: 'Training not available at home, with no productive employment; up to 2 years.',
    ko: '본국에서 받을 수 없는 교육을 생산적 고용 없이 받는 연수. 최대 2년.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: Object.values(r),
  bind(params) {
    const maxMonths = params.number('dhs/cfr/8-cfr-214-2-h/h3-max-years') * 12;
    const feeList = fees(
      fee(params, 'uscis_i129_h3', 'dhs/fees/uscis-i129-h3-usd'),
      fee(params, 'asylum_program_fee', 'dhs/fees/asylum-program-fee-usd'),
      fee(params, 'mrv_fee_petition', 'dos/fees/mrv-fee-petition-usd'),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    );
    const lead = leadTime(params, 'korus/lead-times/h3');
    return (facts) => {
      const b = new ResultBuilder();
      if (b.check(r.program, (facts.activityMask & TRAINING_BIT) !== 0)) b.attest(r.unavailable, true);
      b.check(r.maxStay, endsWithinMonths(facts, maxMonths));
      applyActivities(table, facts.activities, b);
      b.document(documents.trainingPlan);
      b.document(documents.i129);
      const days = periodDays(facts, maxMonths);
      return b.finish('H3', NAME, {
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
