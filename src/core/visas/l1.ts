import type { CategoryId } from '../../contract/assessment.js';
import { activityRules, applyActivities, type ActivityRule } from './activities.js';
import { admitUntil, documents, endsWithinMonths, fee, fees, leadTime, note, periodDays } from './common.js';
import { addMonthsToDayNumber } from '../dates/iso-date.js';
import { requirement, sources, type Requirement } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/** L-1A / L-1B intracompany transferee: INA 101(a)(15)(L); 8 CFR 214.2(l). */

export const l1Requirements = {
  relationship: requirement({
    id: 'l1.qualifying-relationship',
    citation: '8 CFR 214.2(l)(1)(ii)(G)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The US entity is the parent, branch, subsidiary or affiliate of the employer abroad.',
      ko: '미국 법인이 해외 고용주의 모회사, 지사, 자회사 또는 계열사여야 합니다.',
    },
    pass: {
      en: 'The US entity is a qualifying related organization of the Korean employer.',
      ko: '미국 법인은 한국 고용주의 적격 관계 회사입니다.',
    },
    fail: {
      en: 'L-1 needs a parent, branch, subsidiary or affiliate relationship; a customer or unrelated company does not qualify.',
      ko: 'L-1에는 모회사·지사·자회사·계열사 관계가 필요하며, 고객사나 관계없는 회사는 해당되지 않습니다.',
    },
  }),
  oneYear: requirement({
    id: 'l1.one-year-abroad',
    citation: '8 CFR 214.2(l)(1)(ii)(A)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'One continuous year of full-time employment abroad with the qualifying organization within the three years before the petition.',
      ko: '청원 전 3년 안에 적격 회사에서 해외 상근으로 1년 이상 계속 근무해야 합니다.',
    },
    pass: {
      en: 'The worker has at least one continuous year of full-time employment with the Korean employer by the as-of date.',
      ko: '기준일까지 한국 고용주에서 1년 이상 계속 상근했습니다.',
    },
    fail: {
      en: 'The worker does not yet have one continuous year of full-time employment abroad on the as-of date.',
      ko: '기준일 현재 해외에서 1년 이상 계속 상근한 경력이 아직 없습니다.',
    },
  }),
  managerial: requirement({
    id: 'l1a.managerial-executive',
    attestation: true,
    citation: '8 CFR 214.2(l)(1)(ii)(B)-(C)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The role is managerial or executive, abroad and in the United States (attested).',
      ko: '해외와 미국에서의 직무가 관리직 또는 임원직이어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the role is managerial or executive.',
      ko: '직무가 관리직 또는 임원직임을 확인합니다.',
    },
    fail: {
      en: 'L-1A is for managers and executives; this role is not one.',
      ko: 'L-1A는 관리자와 임원을 위한 것이며, 이 직무는 해당되지 않습니다.',
    },
  }),
  specialized: requirement({
    id: 'l1b.specialized-knowledge',
    attestation: true,
    citation: '8 CFR 214.2(l)(1)(ii)(D)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The worker has specialized knowledge of the company’s products, processes or procedures (attested).',
      ko: '근로자가 회사의 제품, 공정 또는 절차에 대한 전문 지식을 갖추어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the worker has specialized knowledge of the company’s products or processes.',
      ko: '근로자가 회사의 제품이나 공정에 대한 전문 지식을 갖추었음을 확인합니다.',
    },
    fail: {
      en: 'The worker is not attested to have specialized knowledge.',
      ko: '근로자에게 전문 지식이 있다는 확인이 없습니다.',
    },
  }),
  l1aMaxStay: requirement({
    id: 'l1a.max-stay',
    citation: '8 CFR 214.2(l)(15)(ii)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'An L-1A manager or executive may stay at most seven years.',
      ko: 'L-1A 관리자·임원은 최대 7년 체류할 수 있습니다.',
    },
    pass: {
      en: 'The assignment fits within the seven-year L-1A maximum.',
      ko: '파견 기간이 L-1A 최대 7년 이내입니다.',
    },
    fail: {
      en: 'The assignment is longer than the seven-year L-1A maximum.',
      ko: '파견 기간이 L-1A 최대 7년보다 깁니다.',
    },
  }),
  l1bMaxStay: requirement({
    id: 'l1b.max-stay',
    citation: '8 CFR 214.2(l)(15)(ii)',
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'An L-1B specialist may stay at most five years.',
      ko: 'L-1B 전문 인력은 최대 5년 체류할 수 있습니다.',
    },
    pass: {
      en: 'The assignment fits within the five-year L-1B maximum.',
      ko: '파견 기간이 L-1B 최대 5년 이내입니다.',
    },
    fail: {
      en: 'The assignment is longer than the five-year L-1B maximum.',
      ko: '파견 기간이 L-1B 최대 5년보다 깁니다.',
    },
  }),
};
const r = l1Requirements;

const L = '8 CFR 214.2(l)(1)(ii)';
const rule = (status: ActivityRule['status'], en: string, ko: string): ActivityRule => ({
  status,
  why: { en, ko },
  citation: L,
  sourceUrl: sources.cfr214_2,
});
const permitted = rule(
  'permitted',
  'permitted as part of the transferee’s role for the related US company.',
  '관계 미국 회사에서의 전근자 직무의 일부로 허용됩니다.',
);
const labour = rule(
  'not_permitted',
  'not permitted: hands-on labour is not a managerial or specialized-knowledge role.',
  '허용되지 않습니다: 직접 노동은 관리직이나 전문 지식 직무가 아닙니다.',
);
const incidental = (en: string, ko: string) => rule('conditional', en, ko);

const l1aTable = activityRules('l1a', permitted, {
  construction_work: labour,
  production_work: labour,
  skilled_trade_work: labour,
  equipment_installation: incidental(
    'only incidental to the managerial role, not as the main work.',
    '관리 직무에 부수적인 경우에만 가능하며 주된 업무가 될 수 없습니다.',
  ),
  equipment_servicing: incidental(
    'only incidental to the managerial role, not as the main work.',
    '관리 직무에 부수적인 경우에만 가능하며 주된 업무가 될 수 없습니다.',
  ),
  engineering_work: incidental(
    'only incidental to the managerial role, not as the main work.',
    '관리 직무에 부수적인 경우에만 가능하며 주된 업무가 될 수 없습니다.',
  ),
});
const l1bTable = activityRules('l1b', permitted, {
  construction_work: labour,
  production_work: incidental(
    'only where it applies the worker’s specialized knowledge.',
    '근로자의 전문 지식을 활용하는 경우에만 가능합니다.',
  ),
  skilled_trade_work: incidental(
    'only where it applies the worker’s specialized knowledge.',
    '근로자의 전문 지식을 활용하는 경우에만 가능합니다.',
  ),
  managing_us_operations: rule(
    'not_permitted',
    'not permitted: managing operations is an L-1A role, not L-1B.',
    '허용되지 않습니다: 사업 운영 관리는 L-1B가 아닌 L-1A 직무입니다.',
  ),
  supervising_us_staff: incidental(
    'only as part of applying specialized knowledge, not as a manager.',
    '관리자로서가 아니라 전문 지식 활용의 일부로만 가능합니다.',
  ),
});

const newOffice = note(
  'l1.new-office',
  false,
  {
    en: 'The US office has been doing business for less than a year: the first approval is limited to one year.',
    ko: '미국 사무소의 영업 기간이 1년 미만이므로 최초 승인은 1년으로 제한됩니다.',
  },
  '8 CFR 214.2(l)(7)(i)(A)(3)',
  sources.cfr214_2,
);
const blanketNote = note(
  'l1.blanket',
  false,
  {
    en: 'Under the group’s blanket L approval, the worker applies at the consulate with Form I-129S instead of an individual petition.',
    ko: '그룹의 블랭킷 L 승인이 있으므로 개별 청원 대신 I-129S 양식으로 영사관에 신청합니다.',
  },
  '8 CFR 214.2(l)(4)-(5)',
  sources.cfr214_2,
);

const blanketNotProfessional = note(
  'l1.blanket-not-professional',
  false,
  {
    en: 'The group’s blanket L approval covers managers, executives and specialized-knowledge professionals only (a bachelor’s degree or higher in a profession); this worker needs an individual petition (Form I-129) filed with USCIS.',
    ko: '그룹의 블랭킷 L 승인은 관리자·임원·전문직(학사 이상) 전문 지식 보유자에게만 적용됩니다. 이 근로자는 USCIS에 개별 청원(I-129)을 제출해야 합니다.',
  },
  '8 CFR 214.2(l)(1)(ii)(E); 8 CFR 214.2(l)(5)',
  sources.cfr214_2,
);

const QUALIFYING = new Set(['parent', 'subsidiary', 'affiliate', 'branch']);

function l1Module(id: Extract<CategoryId, 'L1A' | 'L1B'>): CategoryModule {
  const isA = id === 'L1A';
  const name = isA
    ? { en: 'L-1A intracompany manager or executive', ko: 'L-1A 주재원(관리자·임원)' }
    : { en: 'L-1B intracompany specialized knowledge', ko: 'L-1B 주재원(전문 지식)' };
  const roleRequirement: Requirement = isA ? r.managerial : r.specialized;
  const maxRequirement: Requirement = isA ? r.l1aMaxStay : r.l1bMaxStay;
  const table = isA ? l1aTable : l1bTable;
  return {
    id,
    name,
    summary: isA
      ? {
          en: 'Transfer of a manager or executive with one year of employment abroad to a related US company; up to 7 years.',
          ko: '해외에서 1년 이상 근무한 관리자·임원의 관계 미국 회사 전근. 최대 7년.',
        }
      : {
          en: 'Transfer of an employee with specialized knowledge and one year of employment abroad to a related US company; up to 5 years.',
          ko: '해외에서 1년 이상 근무한 전문 지식 보유 직원의 관계 미국 회사 전근. 최대 5년.',
        },
    openToKoreanNationals: true,
    proposed: false,
    requirements: [r.relationship, r.oneYear, roleRequirement, maxRequirement],
    bind(params) {
      const qualifyingMonths = params.number('dhs/cfr/8-cfr-214-2-l/l1-qualifying-employment-years') * 12;
      const maxMonths =
        params.number(isA ? 'dhs/cfr/8-cfr-214-2-l/l1a-max-years' : 'dhs/cfr/8-cfr-214-2-l/l1b-max-years') *
        12;
      const initialMonths = params.number('dhs/cfr/8-cfr-214-2-l/l1-initial-approval-years') * 12;
      const newOfficeMonths = params.number('dhs/cfr/8-cfr-214-2-l/l1-new-office-initial-years') * 12;
      const feeList = fees(
        fee(params, 'uscis_i129_l', 'dhs/fees/uscis-i129-l-usd'),
        fee(params, 'fraud_prevention_fee', 'dhs/fees/fraud-prevention-fee-h1b-l-usd'),
        fee(params, 'asylum_program_fee', 'dhs/fees/asylum-program-fee-usd'),
        fee(params, 'mrv_fee_petition', 'dos/fees/mrv-fee-petition-usd'),
        fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
      );
      const blanketFees = fees(
        fee(params, 'fraud_prevention_fee', 'dhs/fees/fraud-prevention-fee-h1b-l-usd'),
        fee(params, 'mrv_fee_petition', 'dos/fees/mrv-fee-petition-usd'),
        fee(params, 'visa_integrity_fee', 'congress/pl-119-21/visa-integrity-fee-usd'),
      );
      const individualLead = leadTime(params, 'korus/lead-times/l1-individual');
      const blanketLead = leadTime(params, 'korus/lead-times/l1-blanket');
      return (facts) => {
        const b = new ResultBuilder();
        const { worker, employer, assignment } = facts.request;
        b.check(r.relationship, QUALIFYING.has(employer.relationship));
        // The year of employment abroad must be complete on the filing date, taken as the as-of date.
        const oneYearOn = addMonthsToDayNumber(facts.employedSinceDay, qualifyingMonths);
        b.check(r.oneYear, oneYearOn <= facts.asOfDay, {
          employedSince: worker.employedSince,
          asOf: facts.asOf,
        });
        if (isA) b.attest(r.managerial, worker.role === 'manager' || worker.role === 'executive');
        else b.attest(r.specialized, assignment.specializedKnowledgeEssential);
        b.check(maxRequirement, endsWithinMonths(facts, maxMonths));
        applyActivities(table, facts.activities, b);
        const isNewOffice = employer.usEntityYearsInBusiness < 1;
        if (isNewOffice) b.note(newOffice);
        // Blanket L-1B is for specialized-knowledge professionals (issue 16, finding 2): a member of the
        // professions, i.e. a bachelor's degree or higher; a technician without one needs an individual petition.
        const blanket = employer.blanketL && (isA || facts.collegeYears >= 4);
        if (blanket) b.note(blanketNote);
        else {
          if (employer.blanketL) b.note(blanketNotProfessional);
          b.document(documents.i129);
        }
        b.document(documents.relationshipProof);
        b.document(documents.employmentAbroad);
        const days = periodDays(facts, isNewOffice ? newOfficeMonths : initialMonths);
        return b.finish(id, name, {
          provision: blanket ? 'blanket' : 'individual',
          maxStayDays: days,
          admitUntil: admitUntil(facts, days),
          leadTimeDays: blanket ? blanketLead : individualLead,
          feesUsd: blanket ? blanketFees : feeList,
          cap: null,
        });
      };
    },
  };
}

export const l1a = l1Module('L1A');
export const l1b = l1Module('L1B');
