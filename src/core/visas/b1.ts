import { reentryNotes, reentryRecord } from './reentry.js';
import { admitUntil, documentOf, documents, fee, fees, leadTime, verifyNote } from './common.js';
import { requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';
import {
  inLieuH1bException,
  inLieuH3Exception,
  inLieuRequirements,
  installerException,
  installerRequirements,
  trainerException,
  trainerRequirements,
  visitorEvaluator,
} from './visitor.js';

/**
 * B-1 business visitor: INA 101(a)(15)(B); 22 CFR 41.31; 8 CFR 214.2(b); 9 FAM 402.2-5. Base rule plus the
 * named exceptions of `visitor.ts` (installer, specialized trainer, in lieu of H-1B / H-3).
 */

const NAME = { en: 'B-1 business visitor', ko: 'B-1 상용 방문' };

export const b1Requirements = {
  noUsPay: requirement({
    id: 'b1.general.no-us-pay',
    citation: '22 CFR 41.31(b)(1); 8 CFR 214.1(e)',
    sourceUrl: sources.cfr41_31,
    summary: {
      en: 'The visitor receives no salary from a US source (expenses excepted); the principal place of business and the profits stay abroad.',
      ko: '방문자는 미국 측으로부터 급여를 받지 않아야 하며(경비 제외), 주된 사업장과 이익은 해외에 있어야 합니다.',
    },
    pass: {
      en: 'The worker is paid from Korea; the employer and its profits stay abroad.',
      ko: '근로자는 한국에서 급여를 받으며, 고용주와 그 이익은 해외에 있습니다.',
    },
    fail: {
      en: 'Pay from a US source makes the work local employment, which no B-1 provision allows.',
      ko: '미국 측에서 급여를 받으면 현지 고용에 해당하며, 어떤 B-1 조항으로도 허용되지 않습니다.',
    },
  }),
  practicalLimit: requirement({
    id: 'b1.stay.practical-limit',
    verify: true,
    citation: '8 CFR 214.2(b)(1)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'CBP usually admits a B-1 visitor for up to six months (180 days), often less.',
      ko: 'CBP는 보통 B-1 방문자에게 최대 6개월(180일), 흔히 그보다 짧은 체류를 허가합니다.',
    },
    pass: {
      en: 'The planned stay fits within the usual B-1 admission period of 180 days.',
      ko: '계획된 체류 기간이 통상적인 B-1 체류 허가 기간 180일 이내입니다.',
    },
    fail: {
      en: 'The planned stay is longer than the usual B-1 admission period of 180 days.',
      ko: '계획된 체류 기간이 통상적인 B-1 체류 허가 기간 180일보다 깁니다.',
    },
  }),
  legalMaximum: requirement({
    id: 'b1.stay.legal-maximum',
    verify: true,
    citation: '8 CFR 214.2(b)(1)',
    sourceUrl: sources.cfr214_2,
    summary: { en: 'A B-1 admission is for at most one year.', ko: 'B-1 체류 허가는 최대 1년입니다.' },
    pass: {
      en: 'The planned stay is within the one-year legal maximum of a B-1 admission.',
      ko: '계획된 체류 기간이 B-1 법정 최대 체류 허가 기간 1년 이내입니다.',
    },
    fail: {
      en: 'The planned stay is longer than one year, the legal maximum of a B-1 admission; a work visa is needed.',
      ko: '계획된 체류 기간이 B-1 법정 최대 체류 허가 기간 1년을 넘으므로 취업 비자가 필요합니다.',
    },
  }),
};

const r = b1Requirements;
const beyondPractical = {
  rule: 'b1.stay.beyond-practical-limit',
  citation: '8 CFR 214.2(b)(1)',
  message: {
    en: 'The stay needs an admission longer than the usual six months, or an extension of up to six months filed with USCIS before the admission ends.',
    ko: '통상적인 6개월보다 긴 체류 허가가 필요하거나, 체류 허가가 끝나기 전에 USCIS에 최대 6개월 연장을 신청해야 합니다.',
  },
};
const visaDocument = documentOf(
  'b1_visa',
  'B-1 visa (DS-160 and interview at the U.S. Embassy in Seoul)',
  'B-1 비자(DS-160 작성 후 주한미국대사관 인터뷰)',
);

const activities = visitorEvaluator('b1', [
  installerException,
  trainerException,
  inLieuH1bException,
  inLieuH3Exception,
]);

export const b1: CategoryModule = {
  id: 'B1',
  name: NAME,
  summary: {
    en: 'Business visitor: meetings and other business, plus installing, servicing and training on equipment bought abroad (installer and trainer provisions); never hands-on construction.',
    ko: '상용 방문: 회의 등 상용 활동과 해외에서 구매한 장비의 설치·정비·교육(설치 기술자·트레이너 조항). 직접 건설 작업은 불가합니다.',
  },
  openToKoreanNationals: true,
  proposed: false,
  requirements: [
    ...Object.values(r),
    ...installerRequirements,
    ...trainerRequirements,
    ...inLieuRequirements,
  ],
  bind(params) {
    const practicalDays = params.number('dos/fam/9-fam-402-2/b1-practical-stay-days');
    const legalDays = params.number('dhs/cfr/8-cfr-214-2-b/b1-max-admission-days');
    const env = {
      trainerInForce: params.value('dos/fam/9-fam-402-2/specialized-trainer-provision') === true,
      inLieuMonths: params.number('dos/fam/9-fam-402-2/b1-in-lieu-max-months'),
      yearsPerCollegeYear: params.number('dhs/cfr/8-cfr-214-2-h/degree-equivalence-years-per-college-year'),
    };
    const trainerNote = env.trainerInForce
      ? verifyNote(
          params,
          'b1.trainer.text-unconfirmed',
          'dos/fam/9-fam-402-2/specialized-trainer-provision',
          {
            en: 'Whether (E)(2) needs a sales contract, any time limit and the annotation wording are not confirmed.',
            ko: '(E)(2)에 판매 계약이 필요한지, 기간 제한과 비자 주석 문구는 확인되지 않았습니다.',
          },
        )
      : undefined;
    const stayNote = verifyNote(
      params,
      'b1.stay.admission-period',
      'dos/fam/9-fam-402-2/b1-practical-stay-days',
      {
        en: 'CBP decides the admission period at the port of entry.',
        ko: '체류 허가 기간은 입국 심사 시 CBP가 결정합니다.',
      },
    );
    const feeList = fees(
      fee(params, 'mrv_fee_b', 'dos/fees/mrv-fee-b-usd'),
      fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
    );
    const lead = leadTime(params, 'korus/lead-times/b1');
    const reentry = reentryNotes(params).b1;
    return (facts) => {
      const b = new ResultBuilder();
      b.check(r.noUsPay, facts.request.assignment.payer === 'foreign');
      const stay = { stayDays: facts.stayDays, usualDays: practicalDays, maxDays: legalDays };
      if (facts.stayDays <= practicalDays) {
        b.check(r.practicalLimit, true, stay);
      } else if (b.check(r.legalMaximum, facts.stayDays <= legalDays, stay)) {
        b.condition(beyondPractical);
        b.note(stayNote);
      }
      const provisions = activities.evaluate(facts, env, b);
      if (provisions.includes('trainer') && trainerNote) b.note(trainerNote);
      b.document(visaDocument);
      b.document(documents.employerLetter);
      const detained = facts.request.worker.detainedOn !== undefined;
      if (provisions.includes('installer') || provisions.includes('trainer') || detained)
        b.document(documents.kitAnnotation);
      if (detained) {
        b.note(reentry);
        b.document(reentryRecord);
      }
      const maxStayDays = practicalDays;
      return b.finish('B1', NAME, {
        provision: provisions[0] ?? 'general',
        provisions,
        maxStayDays,
        admitUntil: admitUntil(facts, maxStayDays),
        leadTimeDays: lead,
        feesUsd: feeList,
        cap: null,
      });
    };
  },
};
