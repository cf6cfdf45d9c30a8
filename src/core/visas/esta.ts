import { reentryNotes } from './reentry.js';
import { admitUntil, documentOf, fee, fees, leadTime, note } from './common.js';
import { requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';
import {
  installerException,
  installerRequirements,
  trainerException,
  trainerRequirements,
  visitorEvaluator,
} from './visitor.js';

/** ESTA / Visa Waiver Program: INA 217; 8 CFR 217. Same activities as B-1 (restated 2025-09-30), 90 days. */

const NAME = { en: 'ESTA (Visa Waiver Program)', ko: 'ESTA(비자면제프로그램)' };
const VWP = 'INA 217(a); 8 CFR 217.2';

export const estaRequirements = {
  nationality: requirement({
    id: 'esta.vwp.nationality',
    citation: `${VWP}(a)`,
    sourceUrl: sources.cfr217,
    summary: {
      en: 'The traveller is a national of a Visa Waiver Program country (Korea since 2008-11-17).',
      ko: '비자면제프로그램 가입국 국민이어야 합니다(한국은 2008-11-17부터).',
    },
    pass: {
      en: 'Korean nationals may travel on ESTA (Korea joined the Visa Waiver Program on 2008-11-17).',
      ko: '한국 국민은 ESTA로 여행할 수 있습니다(한국은 2008-11-17 비자면제프로그램 가입).',
    },
    fail: {
      en: 'This platform models the Visa Waiver Program for Korean nationals only; check whether your nationality is a VWP country.',
      ko: '이 플랫폼은 한국 국민에 대해서만 비자면제프로그램을 판정합니다. 해당 국적의 VWP 가입 여부를 확인하세요.',
    },
  }),
  electronicPassport: requirement({
    id: 'esta.vwp.electronic-passport',
    citation: 'INA 217(a)(3); 8 CFR 217.2(a)',
    sourceUrl: sources.cfr217,
    summary: {
      en: 'The traveller holds an electronic passport (e-passport).',
      ko: '전자여권을 소지해야 합니다.',
    },
    pass: { en: 'The traveller has an electronic passport.', ko: '전자여권을 소지하고 있습니다.' },
    fail: {
      en: 'ESTA requires an electronic passport; apply for a visa instead or renew the passport.',
      ko: 'ESTA에는 전자여권이 필요합니다. 여권을 갱신하거나 비자를 신청하세요.',
    },
  }),
  noPriorRefusal: requirement({
    id: 'esta.vwp.no-prior-refusal',
    verify: true,
    verifyWhen: 'fail',
    citation: 'INA 217(a)(7); CBP ESTA application questions',
    sourceUrl: sources.cfr217,
    summary: {
      en: 'No prior US visa refusal or ESTA denial (a risk rather than an automatic bar, but practice treats it as one).',
      ko: '과거 미국 비자 거절이나 ESTA 불허 이력이 없어야 합니다(자동 결격은 아니지만 실무상 결격으로 취급).',
    },
    pass: {
      en: 'No prior visa refusal or ESTA denial is reported.',
      ko: '과거 비자 거절이나 ESTA 불허 이력이 없습니다.',
    },
    fail: {
      en: 'After a visa refusal or ESTA denial, ESTA is in practice denied: apply for a visa. (Not an automatic legal bar — to verify case by case.)',
      ko: '비자 거절이나 ESTA 불허 이력이 있으면 실무상 ESTA가 거부되므로 비자를 신청하세요(법적 자동 결격은 아니므로 사안별 확인 필요).',
    },
  }),
  noPriorViolation: requirement({
    id: 'esta.vwp.no-prior-violation',
    citation: 'INA 217(a)(7)',
    sourceUrl: sources.ina217,
    summary: {
      en: 'No prior overstay or violation of the terms of a Visa Waiver Program admission.',
      ko: '과거 비자면제프로그램 입국 조건 위반이나 초과 체류가 없어야 합니다.',
    },
    pass: {
      en: 'No prior overstay or status violation is reported.',
      ko: '과거 초과 체류나 체류 조건 위반이 없습니다.',
    },
    fail: {
      en: 'A prior overstay or violation bars travel on ESTA: a visa is needed.',
      ko: '과거 초과 체류나 위반이 있으면 ESTA로 여행할 수 없으며 비자가 필요합니다.',
    },
  }),
  noRestrictedTravel: requirement({
    id: 'esta.vwp.no-restricted-travel',
    citation: 'INA 217(a)(12)',
    sourceUrl: sources.ina217,
    summary: {
      en: 'No presence in or nationality of Iran, Iraq, Sudan, Syria, Libya, Somalia, Yemen or North Korea since 2011-03-01, or Cuba since 2021-01-12.',
      ko: '2011-03-01 이후 이란, 이라크, 수단, 시리아, 리비아, 소말리아, 예멘, 북한 체류 또는 국적, 2021-01-12 이후 쿠바 체류 또는 국적이 없어야 합니다.',
    },
    pass: {
      en: 'No travel to or nationality of a restricted country is reported.',
      ko: '제한 국가 방문 이력이나 국적이 없습니다.',
    },
    fail: {
      en: 'Travel to or nationality of a restricted country excludes ESTA: a visa is needed.',
      ko: '제한 국가 방문 이력이나 국적이 있으면 ESTA를 쓸 수 없으며 비자가 필요합니다.',
    },
  }),
  noUsPay: requirement({
    id: 'esta.pay.no-us-source',
    citation: '8 CFR 217.2; 22 CFR 41.31(b)(1)',
    sourceUrl: sources.cfr41_31,
    summary: {
      en: 'As a business visitor, the traveller is paid from abroad, not by a US source.',
      ko: '상용 방문자로서 미국 측이 아닌 해외에서 급여를 받아야 합니다.',
    },
    pass: { en: 'The traveller is paid from Korea.', ko: '한국에서 급여를 받습니다.' },
    fail: {
      en: 'Pay from a US source makes the visit employment, which ESTA does not allow.',
      ko: '미국 측에서 급여를 받으면 고용에 해당하며 ESTA로는 허용되지 않습니다.',
    },
  }),
  maxStay: requirement({
    id: 'esta.stay.max-days',
    citation: 'INA 217(a)(1); 8 CFR 217.2(a)',
    sourceUrl: sources.cfr217,
    summary: {
      en: 'The stay is at most 90 days, counting the day of entry and the last day; no extension.',
      ko: '입국일과 마지막 날을 포함해 체류가 90일 이하여야 하며 연장할 수 없습니다.',
    },
    pass: {
      en: 'The planned stay fits within the 90-day ESTA limit.',
      ko: '계획된 체류 기간이 ESTA 한도 90일 이내입니다.',
    },
    fail: {
      en: 'The planned stay is longer than the 90 days allowed on ESTA, which cannot be extended: a visa is needed.',
      ko: '계획된 체류 기간이 ESTA 허용 기간 90일을 넘으며 연장할 수 없으므로 비자가 필요합니다.',
    },
  }),
};

const r = estaRequirements;
const activities = visitorEvaluator('esta', [installerException, trainerException]);
const approval = documentOf(
  'esta_approval',
  'ESTA approval (apply at least 72 hours before travel)',
  'ESTA 승인(출국 72시간 전까지 신청)',
);
const sameAsB1 = note(
  'esta.same-activities-as-b1',
  false,
  {
    en: 'On ESTA (admission class WB) a traveller may do the same business activities as a B-1 visitor; the United States restated this for Korean travellers on 2025-09-30.',
    ko: 'ESTA(입국 분류 WB) 여행자는 B-1 방문자와 같은 상용 활동을 할 수 있으며, 미국은 2025-09-30 한국 여행자에 대해 이를 재확인했습니다.',
  },
  '8 CFR 217.2(a); Korea–US working group, 2025-09-30',
  sources.cfr217,
);

export const esta: CategoryModule = {
  id: 'ESTA',
  name: NAME,
  summary: {
    en: 'Visa-free business visit of up to 90 days for Korean nationals; same activities as B-1, no employment.',
    ko: '한국 국민의 최대 90일 무비자 상용 방문. B-1과 같은 활동이 가능하며 취업은 불가합니다.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: [...Object.values(r), ...installerRequirements, ...trainerRequirements],
  bind(params) {
    const maxDays = params.number('dhs/cfr/8-cfr-217/esta-max-stay-days');
    const koreaDesignated = params.value('dhs/cfr/8-cfr-217/korea-vwp-designation') === true;
    const env = {
      trainerInForce: params.value('dos/fam/9-fam-402-2/specialized-trainer-provision') === true,
      inLieuMonths: params.number('dos/fam/9-fam-402-2/b1-in-lieu-max-months'),
      yearsPerCollegeYear: params.number('dhs/cfr/8-cfr-214-2-h/degree-equivalence-years-per-college-year'),
    };
    const feeList = fees(fee(params, 'esta_fee', 'dhs/fees/esta-fee-usd'));
    const lead = leadTime(params, 'korus/lead-times/esta');
    const reentry = reentryNotes(params).esta;
    return (facts) => {
      const b = new ResultBuilder();
      const w = facts.request.worker;
      b.check(r.nationality, facts.isKorean && koreaDesignated);
      b.check(r.electronicPassport, w.esta.electronicPassport);
      b.check(r.noPriorRefusal, !w.esta.priorRefusalOrDenial);
      // A detention (the Georgia site, 2025-09-04) is a prior violation for the ESTA question (issue 16).
      const detained = w.detainedOn !== undefined;
      b.check(r.noPriorViolation, !w.esta.priorOverstayOrViolation && !detained);
      if (detained) b.note(reentry);
      b.check(r.noRestrictedTravel, !w.esta.restrictedCountryTravelOrNationality);
      b.check(r.noUsPay, facts.request.assignment.payer === 'foreign');
      b.check(r.maxStay, facts.stayDays <= maxDays, { stayDays: facts.stayDays, maxStayDays: maxDays });
      const provisions = activities.evaluate(facts, env, b);
      b.document(approval);
      b.note(sameAsB1);
      return b.finish('ESTA', NAME, {
        provision: provisions[0] ?? 'general',
        provisions,
        maxStayDays: maxDays,
        admitUntil: admitUntil(facts, maxDays),
        leadTimeDays: lead,
        feesUsd: feeList,
        cap: null,
      });
    };
  },
};
