import type { CapReference } from '../../contract/assessment.js';
import { activityRules, applyActivities } from './activities.js';
import {
  admitUntil,
  documents,
  endsWithinMonths,
  fee,
  note,
  fees,
  leadTime,
  periodDays,
  verifyNote,
} from './common.js';
import { frozen, requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/** H-2B temporary non-agricultural worker: INA 101(a)(15)(H)(ii)(b); INA 214(g)(1)(B), (g)(10); 8 CFR 214.2(h)(6). */

const NAME = { en: 'H-2B temporary non-agricultural worker', ko: 'H-2B 비농업 임시 근로자' };

export const h2bRequirements = {
  country: requirement({
    id: 'h2b.eligible-country',
    verify: true,
    citation: '8 CFR 214.2(h)(6)(i)(E)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The worker is a national of a country on DHS’s annual H-2B eligible-country list.',
      ko: '근로자가 국토안보부의 연간 H-2B 대상국 목록에 있는 국가의 국민이어야 합니다.',
    },
    pass: {
      en: 'Korea is taken to be on the H-2B eligible-country list (to verify for the year of the petition).',
      ko: '한국이 H-2B 대상국 목록에 있는 것으로 보았습니다(청원 연도 기준 확인 필요).',
    },
    fail: {
      en: 'The worker’s country is not on the H-2B eligible-country list modelled here.',
      ko: '근로자의 국가가 여기서 판정하는 H-2B 대상국 목록에 없습니다.',
    },
  }),
  temporaryNeed: requirement({
    id: 'h2b.temporary-need',
    attestation: true,
    citation: '8 CFR 214.2(h)(6)(ii)(B)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The employer’s need is temporary: one-time, seasonal, peak-load or intermittent (certified by DOL).',
      ko: '고용주의 수요가 일시적이어야 합니다: 일회성, 계절성, 성수기 또는 간헐적(노동부 인증).',
    },
    pass: {
      en: 'You attest a temporary need of the US employer, to be certified by the Department of Labor.',
      ko: '미국 고용주의 일시적 수요가 있으며 노동부 인증을 받을 것임을 확인합니다.',
    },
    fail: {
      en: 'There is no temporary need (one-time, seasonal, peak-load or intermittent), so H-2B does not apply.',
      ko: '일시적 수요(일회성, 계절성, 성수기, 간헐적)가 없으므로 H-2B는 적용되지 않습니다.',
    },
  }),
  oneYear: requirement({
    id: 'h2b.one-year',
    citation: '8 CFR 214.2(h)(6)(ii)(B)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'A temporary need generally lasts one year or less; a one-time occurrence may last up to three years.',
      ko: '일시적 수요는 일반적으로 1년 이하이며, 일회성 수요는 최대 3년까지 가능합니다.',
    },
    pass: {
      en: 'The assignment fits a temporary need: one year or less, or up to three years for a one-time occurrence.',
      ko: '파견 기간이 일시적 수요에 맞습니다: 1년 이하, 또는 일회성 수요는 최대 3년.',
    },
    fail: {
      en: 'The assignment lasts longer than a temporary need allows: one year (three years for a one-time occurrence).',
      ko: '파견 기간이 일시적 수요의 한도(1년, 일회성 수요는 3년)를 넘습니다.',
    },
  }),
  usEmployer: requirement({
    id: 'h2b.us-employer-pays',
    citation: '8 CFR 214.2(h)(6)(iii); 20 CFR 655 Subpart A',
    sourceUrl: sources.cfr655,
    summary: {
      en: 'A US employer petitions and pays the offered wage.',
      ko: '미국 고용주가 청원하고 제시 임금을 지급해야 합니다.',
    },
    pass: { en: 'The US employer pays the worker.', ko: '미국 고용주가 근로자에게 급여를 지급합니다.' },
    fail: {
      en: 'H-2B needs a US employer that pays the worker.',
      ko: 'H-2B에는 근로자에게 급여를 지급하는 미국 고용주가 필요합니다.',
    },
  }),
};
const r = h2bRequirements;

const table = activityRules(
  'h2b',
  {
    status: 'permitted',
    why: { en: 'permitted as the certified temporary job.', ko: '인증된 임시 직무로 허용됩니다.' },
    citation: '8 CFR 214.2(h)(6)(i)',
    sourceUrl: sources.cfr214_2,
  },
  {},
);

const oneTimeNote = note(
  'h2b.one-time-occurrence',
  true,
  {
    en: 'A one-time occurrence longer than a year (up to three years) must be shown to end at a definable time and be certified by the Department of Labor for that period; such certifications are rare.',
    ko: '1년을 넘는(최대 3년) 일회성 수요는 종료 시점이 명확함을 입증하고 그 기간에 대해 노동부 인증을 받아야 하며, 이런 인증은 드뭅니다.',
  },
  '8 CFR 214.2(h)(6)(ii)(B); 20 CFR 655.6(b)',
  sources.cfr214_2,
);

export const h2b: CategoryModule = {
  id: 'H2B',
  name: NAME,
  summary: {
    en: 'Temporary non-agricultural work (including construction and trades) for a US employer with a one-time, seasonal, peak-load or intermittent need; capped at 66,000 a year.',
    ko: '일회성·계절성·성수기·간헐적 수요가 있는 미국 고용주를 위한 비농업 임시 노동(건설·기능 포함). 연간 66,000명 한도.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: Object.values(r),
  bind(params) {
    const koreaEligible = params.value('dhs/fr/h2-eligible-countries/korea-h2b-eligible') === true;
    const yearMonths = params.number('dhs/cfr/8-cfr-214-2-h/h2b-temporary-need-years') * 12;
    // A one-time occurrence may last up to three years (issue 16, finding 3); the other needs one year.
    const oneTimeMonths =
      ((params.value('dhs/cfr/8-cfr-214-2-h/h2b-one-time-occurrence-years') as number | undefined) ?? 1) * 12;
    const countryNote = verifyNote(
      params,
      'h2b.eligible-country-list',
      'dhs/fr/h2-eligible-countries/korea-h2b-eligible',
    );
    const feeList = fees(
      fee(params, 'uscis_i129_h2b', 'dhs/fees/uscis-i129-h2b-named-usd'),
      fee(params, 'fraud_prevention_fee', 'dhs/fees/fraud-prevention-fee-h2b-usd'),
      fee(params, 'asylum_program_fee', 'dhs/fees/asylum-program-fee-usd'),
      fee(params, 'mrv_fee_petition', 'dos/fees/mrv-fee-petition-usd'),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    );
    const lead = leadTime(params, 'korus/lead-times/h2b');
    const capCache = new Map<string, CapReference>();
    return (facts) => {
      const b = new ResultBuilder();
      const { assignment } = facts.request;
      b.check(r.country, facts.isKorean && koreaEligible);
      b.note(countryNote);
      if (assignment.temporaryNeed === 'none') b.check(r.temporaryNeed, false);
      else b.attest(r.temporaryNeed, true);
      const maxMonths =
        assignment.temporaryNeed === 'one_time' ? Math.max(oneTimeMonths, yearMonths) : yearMonths;
      b.check(r.oneYear, endsWithinMonths(facts, maxMonths));
      if (assignment.temporaryNeed === 'one_time' && !endsWithinMonths(facts, yearMonths))
        b.note(oneTimeNote);
      b.check(r.usEmployer, assignment.payer === 'us');
      applyActivities(table, facts.activities, b);
      b.document(documents.laborCertification);
      b.document(documents.i129);
      // The cap half follows the date employment starts (INA 214(g)(10)).
      const month = facts.startMonth;
      const fiscalYear = month >= 10 ? facts.startYear + 1 : facts.startYear;
      const pool = month >= 10 || month <= 3 ? 'first_half' : 'second_half';
      const key = `${fiscalYear}${pool}`;
      let cap = capCache.get(key);
      if (!cap) capCache.set(key, (cap = frozen({ program: 'H2B', fiscalYear, pool })));
      const days = Math.min(periodDays(facts, maxMonths), facts.stayDays);
      return b.finish('H2B', NAME, {
        provision: null,
        maxStayDays: periodDays(facts, maxMonths),
        admitUntil: admitUntil(facts, days),
        leadTimeDays: lead,
        feesUsd: feeList,
        cap,
      });
    };
  },
};
