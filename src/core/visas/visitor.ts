import { activityIds, type ActivityId, type BilingualText, type Reason } from '../../contract/assessment.js';
import { activityIndex, activityReason, maskOf } from './activities.js';
import { degreeOrEquivalent, documents, endsWithinMonths } from './common.js';
import { requirement, sources, type Requirement } from './requirement.js';
import type { ResultBuilder } from './result.js';
import type { Facts } from './types.js';

/**
 * The B-1 business visitor as a base rule with named exceptions (Catala), shared by ESTA, whose travellers
 * may do the same activities as B-1 visitors (restated for Korean travellers on 2025-09-30).
 *
 * Base rule — 22 CFR 41.31(b)(1), 8 CFR 214.2(b)(5): business activities, never local employment or labour
 * for hire; building or construction work is labour for hire, supervising or training others doing it is not.
 * Exceptions, each with its own conditions:
 * - installer, 9 FAM 402.2-5(E)(1): install, service, repair equipment bought abroad, or train US workers to;
 * - trainer, 9 FAM 402.2-5(E)(2), in force from 2025-12-04: train US workers on foreign-sourced equipment;
 * - in lieu of H-1B / H-3, 9 FAM 402.2-5: H-1B-calibre work or H-3 training, paid from abroad, < 6 months
 *   (visa only: not on ESTA).
 */

export type VisitorProvision = 'general' | 'installer' | 'trainer' | 'in_lieu_h1b' | 'in_lieu_h3';

const E1 = '9 FAM 402.2-5(E)(1)';
const E2 = '9 FAM 402.2-5(E)(2)';
const IN_LIEU = '9 FAM 402.2-5 (B-1 in lieu of H)';

export const visitorRequirements = {
  installerEquipmentFromAbroad: requirement({
    id: 'b1.installer.equipment-from-abroad',
    provision: 'installer',
    citation: `${E1}; 8 CFR 214.2(b)(5)`,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The equipment or machinery was bought (or leased) from a company outside the United States.',
      ko: '장비나 기계를 미국 밖의 회사로부터 구매(또는 리스)했어야 합니다.',
    },
    pass: {
      en: 'The equipment was bought or leased from a company outside the United States.',
      ko: '장비를 미국 밖의 회사로부터 구매 또는 리스했습니다.',
    },
    fail: {
      en: 'The installer provision covers only equipment bought or leased from a company outside the United States.',
      ko: '설치 기술자 조항은 미국 밖의 회사로부터 구매하거나 리스한 장비에만 적용됩니다.',
    },
  }),
  installerContract: requirement({
    id: 'b1.installer.contract-requires-service',
    provision: 'installer',
    citation: E1,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The contract of sale (or lease) specifically requires the seller to install, service or repair the equipment or to train US workers.',
      ko: '판매(또는 리스) 계약서에 판매자가 장비를 설치·정비·수리하거나 미국 근로자를 교육할 의무가 명시되어 있어야 합니다.',
    },
    pass: {
      en: 'The sale or lease contract requires the seller to provide these services.',
      ko: '판매 또는 리스 계약서가 판매자에게 이 서비스의 제공을 요구합니다.',
    },
    fail: {
      en: 'The sale or lease contract does not require the seller to install, service or train; without that clause the installer provision does not apply.',
      ko: '판매 또는 리스 계약서에 판매자의 설치·정비·교육 의무가 없습니다. 이 조항이 없으면 설치 기술자 조항이 적용되지 않습니다.',
    },
  }),
  installerSpecializedKnowledge: requirement({
    id: 'b1.installer.specialized-knowledge',
    provision: 'installer',
    attestation: true,
    citation: E1,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The worker has specialized knowledge essential to the seller’s contractual obligation (a judgement the employer attests to).',
      ko: '근로자가 판매자의 계약상 의무 이행에 필수적인 전문 지식을 갖추고 있어야 합니다(고용주가 확인하는 판단 사항).',
    },
    pass: {
      en: 'You attest that the worker’s specialized knowledge is essential to the seller’s obligation under the contract.',
      ko: '근로자의 전문 지식이 계약상 판매자의 의무 이행에 필수적임을 확인합니다.',
    },
    fail: {
      en: 'The worker’s knowledge is not attested as essential to the seller’s contractual obligation.',
      ko: '근로자의 지식이 판매자의 계약상 의무 이행에 필수적이라는 확인이 없습니다.',
    },
  }),
  installerNoUsPay: requirement({
    id: 'b1.installer.no-us-pay',
    provision: 'installer',
    citation: E1,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The worker receives no salary or other pay from a US source (expenses excepted).',
      ko: '근로자는 미국 측으로부터 급여나 그 밖의 보수를 받지 않아야 합니다(경비 제외).',
    },
    pass: {
      en: 'The worker is paid from Korea, not by a US source.',
      ko: '근로자는 미국 측이 아닌 한국에서 급여를 받습니다.',
    },
    fail: {
      en: 'The worker would be paid by a US source, which the installer provision does not allow.',
      ko: '근로자가 미국 측으로부터 급여를 받게 되며, 설치 기술자 조항은 이를 허용하지 않습니다.',
    },
  }),
  trainerInForce: requirement({
    id: 'b1.trainer.in-force',
    provision: 'trainer',
    verify: true,
    citation: E2,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The specialized-trainer provision applies from 2025-12-04.',
      ko: '전문 트레이너 조항은 2025-12-04부터 적용됩니다.',
    },
    pass: {
      en: 'The specialized-trainer provision (in force since 2025-12-04) is available on this date.',
      ko: '전문 트레이너 조항(2025-12-04 시행)을 이 날짜에 적용할 수 있습니다.',
    },
    fail: {
      en: 'The specialized-trainer provision did not exist yet on this date (it applies from 2025-12-04).',
      ko: '이 날짜에는 전문 트레이너 조항이 아직 없었습니다(2025-12-04부터 적용).',
    },
  }),
  trainerEquipmentFromAbroad: requirement({
    id: 'b1.trainer.equipment-from-abroad',
    provision: 'trainer',
    citation: E2,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The training concerns equipment, machinery or processes sourced from a foreign company.',
      ko: '교육 대상이 외국 회사로부터 조달한 장비, 기계 또는 공정이어야 합니다.',
    },
    pass: {
      en: 'The training concerns equipment sourced from a company outside the United States.',
      ko: '교육 대상은 미국 밖의 회사로부터 조달한 장비입니다.',
    },
    fail: {
      en: 'The trainer provision covers training on equipment or processes sourced from foreign companies only.',
      ko: '트레이너 조항은 외국 회사로부터 조달한 장비나 공정에 대한 교육에만 적용됩니다.',
    },
  }),
  trainerSpecializedKnowledge: requirement({
    id: 'b1.trainer.specialized-knowledge',
    provision: 'trainer',
    attestation: true,
    citation: E2,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The worker teaches specialized or proprietary techniques, skills or know-how (a judgement the employer attests to).',
      ko: '근로자가 전문적이거나 고유한 기술, 기능, 노하우를 가르쳐야 합니다(고용주가 확인하는 판단 사항).',
    },
    pass: {
      en: 'You attest that the worker will teach specialized or proprietary techniques, skills or know-how.',
      ko: '근로자가 전문적이거나 고유한 기술, 기능, 노하우를 가르칠 것임을 확인합니다.',
    },
    fail: {
      en: 'The worker’s knowledge is not attested as specialized or proprietary.',
      ko: '근로자의 지식이 전문적이거나 고유하다는 확인이 없습니다.',
    },
  }),
  trainerNoUsPay: requirement({
    id: 'b1.trainer.no-us-pay',
    provision: 'trainer',
    verify: true,
    citation: `${E2}; 22 CFR 41.31(b)(1)`,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The trainer is paid from abroad, as every B-1 visitor (the exact (E)(2) text is not confirmed).',
      ko: '트레이너는 모든 B-1 방문자와 같이 해외에서 급여를 받아야 합니다((E)(2)의 정확한 문언은 확인되지 않았습니다).',
    },
    pass: { en: 'The trainer is paid from Korea.', ko: '트레이너는 한국에서 급여를 받습니다.' },
    fail: {
      en: 'A trainer paid by a US source is not a business visitor.',
      ko: '미국 측에서 급여를 받는 트레이너는 상용 방문자가 아닙니다.',
    },
  }),
  inLieuH1bSpecialty: requirement({
    id: 'b1.in-lieu-h1b.specialty-occupation',
    provision: 'in_lieu_h1b',
    attestation: true,
    citation: `${IN_LIEU}; INA 214(i)(1)`,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The work is H-1B calibre: a specialty occupation that requires a bachelor’s degree in the specialty (attested).',
      ko: '업무가 H-1B 수준, 즉 해당 전공 학사 학위가 필요한 전문직이어야 합니다(확인 사항).',
    },
    pass: {
      en: 'You attest that the work is a specialty occupation requiring a bachelor’s degree in the specialty or its equivalent.',
      ko: '업무가 해당 전공의 학사 학위 또는 그에 상응하는 자격이 필요한 전문직임을 확인합니다.',
    },
    fail: {
      en: 'The work is not a specialty occupation, so B-1 in lieu of H-1B does not apply.',
      ko: '업무가 전문직이 아니므로 H-1B 대신 B-1은 적용되지 않습니다.',
    },
  }),
  inLieuH1bDegree: requirement({
    id: 'b1.in-lieu-h1b.degree-or-equivalent',
    provision: 'in_lieu_h1b',
    citation: `${IN_LIEU}; 8 CFR 214.2(h)(4)(iii)(D)(5)`,
    sourceUrl: sources.cfr214_2,
    summary: {
      en: 'The worker clearly holds a bachelor’s degree or its equivalent (three years of experience per missing college year).',
      ko: '근로자가 학사 학위 또는 그에 상응하는 자격(부족한 대학 1년당 경력 3년)을 분명히 갖추어야 합니다.',
    },
    pass: {
      en: 'The worker has a bachelor’s degree or its equivalent.',
      ko: '근로자는 학사 학위 또는 그에 상응하는 자격을 갖추었습니다.',
    },
    fail: {
      en: 'The worker has neither a bachelor’s degree nor enough experience to equal one.',
      ko: '근로자에게 학사 학위도, 이에 상응하는 충분한 경력도 없습니다.',
    },
  }),
  inLieuForeignPay: requirement({
    id: 'b1.in-lieu.foreign-pay',
    citation: IN_LIEU,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The worker stays employed and paid by the foreign employer, with its office and payroll abroad.',
      ko: '근로자는 해외에 사무소와 급여 체계를 둔 외국 고용주에게 계속 고용되어 급여를 받아야 합니다.',
    },
    pass: {
      en: 'The worker is paid by the Korean employer from abroad.',
      ko: '근로자는 한국 고용주로부터 해외에서 급여를 받습니다.',
    },
    fail: {
      en: 'B-1 in lieu of H requires pay from the foreign employer only, with no US salary.',
      ko: 'H 대신 B-1은 미국 급여 없이 외국 고용주로부터만 급여를 받아야 합니다.',
    },
  }),
  inLieuShort: requirement({
    id: 'b1.in-lieu.less-than-six-months',
    citation: `${IN_LIEU}; State cable of 2012`,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The activity lasts less than six months.',
      ko: '활동 기간이 6개월 미만이어야 합니다.',
    },
    pass: {
      en: 'The activity ends within six months of its start.',
      ko: '활동이 시작 후 6개월 안에 끝납니다.',
    },
    fail: {
      en: 'B-1 in lieu of H is limited to activities of less than six months; this one is longer.',
      ko: 'H 대신 B-1은 6개월 미만의 활동에만 허용되는데, 이 활동은 그보다 깁니다.',
    },
  }),
  inLieuH3Training: requirement({
    id: 'b1.in-lieu-h3.training-not-available',
    provision: 'in_lieu_h3',
    attestation: true,
    citation: `${IN_LIEU}; 8 CFR 214.2(h)(7)(ii)(A)`,
    sourceUrl: sources.fam402_2,
    summary: {
      en: 'The training would qualify for H-3: not available at home, no productive employment, with a practical component.',
      ko: '교육이 H-3 요건을 충족해야 합니다: 본국에서 받을 수 없고, 생산적 고용이 아니며, 실습 요소가 있어야 합니다.',
    },
    pass: {
      en: 'You attest that the training is not available in Korea and involves no productive employment.',
      ko: '해당 교육을 한국에서 받을 수 없고 생산적 고용이 포함되지 않음을 확인합니다.',
    },
    fail: { en: 'The training does not qualify for H-3.', ko: '교육이 H-3 요건을 충족하지 않습니다.' },
  }),
} satisfies Record<string, Requirement>;

const r = visitorRequirements;

interface Outcome {
  requirement: Requirement;
  passed: boolean;
  attestation: boolean;
}

interface ExceptionRule {
  provision: Exclude<VisitorProvision, 'general'>;
  label: BilingualText;
  citation: string;
  covers: number;
  /** Evaluates the exception's conditions; `ok` when none failed (attestations keep it conditional). */
  run(facts: Facts, env: VisitorEnv): Outcome[];
  documents: readonly import('../../contract/assessment.js').RequiredDocument[];
}

export interface VisitorEnv {
  trainerInForce: boolean;
  inLieuMonths: number;
  yearsPerCollegeYear: number;
}

const check = (requirement: Requirement, passed: boolean): Outcome => ({
  requirement,
  passed,
  attestation: false,
});
const attest = (requirement: Requirement, passed: boolean): Outcome => ({
  requirement,
  passed,
  attestation: true,
});

export const installerException: ExceptionRule = {
  provision: 'installer',
  label: { en: 'the installer provision (9 FAM 402.2-5(E)(1))', ko: '설치 기술자 조항(9 FAM 402.2-5(E)(1))' },
  citation: E1,
  covers: maskOf([
    'equipment_installation',
    'equipment_servicing',
    'equipment_supervision',
    'train_us_workers',
  ]),
  run(facts) {
    const a = facts.request.assignment;
    return [
      check(r.installerEquipmentFromAbroad, a.equipmentFromAbroad),
      check(r.installerContract, a.contractRequiresSellerService),
      check(r.installerNoUsPay, a.payer === 'foreign'),
      attest(r.installerSpecializedKnowledge, a.specializedKnowledgeEssential),
    ];
  },
  documents: [documents.salesContract, documents.specializedKnowledge],
};

export const trainerException: ExceptionRule = {
  provision: 'trainer',
  label: {
    en: 'the specialized-trainer provision (9 FAM 402.2-5(E)(2))',
    ko: '전문 트레이너 조항(9 FAM 402.2-5(E)(2))',
  },
  citation: E2,
  covers: maskOf(['train_us_workers']),
  run(facts, env) {
    const a = facts.request.assignment;
    if (!env.trainerInForce) return [check(r.trainerInForce, false)];
    return [
      check(r.trainerInForce, true),
      check(r.trainerEquipmentFromAbroad, a.equipmentFromAbroad),
      check(r.trainerNoUsPay, a.payer === 'foreign'),
      attest(r.trainerSpecializedKnowledge, a.specializedKnowledgeEssential),
    ];
  },
  documents: [documents.trainingPlan, documents.specializedKnowledge],
};

export const inLieuH1bException: ExceptionRule = {
  provision: 'in_lieu_h1b',
  label: { en: 'B-1 in lieu of H-1B', ko: 'H-1B 대신 B-1' },
  citation: IN_LIEU,
  covers: maskOf(['engineering_work']),
  run(facts, env) {
    const a = facts.request.assignment;
    return [
      attest(r.inLieuH1bSpecialty, a.occupationRequiresDegree),
      check(r.inLieuH1bDegree, degreeOrEquivalent(facts, env.yearsPerCollegeYear).ok),
      check(r.inLieuForeignPay, a.payer === 'foreign'),
      check(r.inLieuShort, endsWithinMonths(facts, env.inLieuMonths)),
    ];
  },
  documents: [documents.inLieuAnnotation, documents.degreeEvaluation],
};

export const inLieuH3Exception: ExceptionRule = {
  provision: 'in_lieu_h3',
  label: { en: 'B-1 in lieu of H-3', ko: 'H-3 대신 B-1' },
  citation: IN_LIEU,
  covers: maskOf(['receive_training']),
  run(facts, env) {
    const a = facts.request.assignment;
    return [
      attest(r.inLieuH3Training, true),
      check(r.inLieuForeignPay, a.payer === 'foreign'),
      check(r.inLieuShort, endsWithinMonths(facts, env.inLieuMonths)),
    ];
  },
  documents: [documents.inLieuAnnotation, documents.trainingPlan],
};

/** Activities of the base rule: permitted to every business visitor. */
const GENERAL_MASK = maskOf([
  'meetings',
  'negotiation',
  'conference',
  'site_visit',
  'construction_supervision',
]);

const generalWhy: BilingualText = {
  en: 'permitted as a business activity of a visitor (the company abroad remains the employer and pays).',
  ko: '상용 방문자의 업무 활동으로 허용됩니다(해외 회사가 계속 고용하고 급여를 지급).',
};
const supervisionWhy: BilingualText = {
  en: 'permitted: supervising or training others who do building or construction work, without doing it, is allowed.',
  ko: '허용됩니다: 직접 작업하지 않고 건축·건설 작업자를 감독하거나 교육하는 일은 허용됩니다.',
};
const constructionWhy: BilingualText = {
  en: 'not permitted: hands-on building or construction work, on-site or in-plant, is labour for hire and is never allowed to a business visitor, even under the installer provision.',
  ko: '허용되지 않습니다: 현장 또는 공장 안의 직접 건축·건설 작업은 고용 노동으로 보아, 설치 기술자 조항으로도 상용 방문자에게 허용되지 않습니다.',
};
const employmentWhy: BilingualText = {
  en: 'not permitted: productive work for the US site is local employment, not business.',
  ko: '허용되지 않습니다: 미국 현장을 위한 생산적 작업은 현지 고용이며 상용 활동이 아닙니다.',
};
const managementWhy: BilingualText = {
  en: 'not permitted: running US operations or directing US staff is employment in the United States.',
  ko: '허용되지 않습니다: 미국 사업을 운영하거나 미국 직원을 지휘하는 일은 미국 내 고용에 해당합니다.',
};
const visaOnlyWhy: BilingualText = {
  en: 'not permitted on ESTA: it needs a B-1 visa annotated "in lieu of H" (or a work visa).',
  ko: 'ESTA로는 허용되지 않습니다: "H 대신" 주석이 있는 B-1 비자(또는 취업 비자)가 필요합니다.',
};

type Family = 'esta' | 'b1';

interface ReasonTables {
  general: (Reason | undefined)[];
  never: (Reason | undefined)[];
  viaProvision: Map<string, (Reason | undefined)[]>;
  unmet: (Reason | undefined)[];
}

const NEVER: Partial<Record<ActivityId, BilingualText>> = {
  construction_work: constructionWhy,
  production_work: employmentWhy,
  skilled_trade_work: employmentWhy,
  administrative_work: employmentWhy,
  managing_us_operations: managementWhy,
  supervising_us_staff: managementWhy,
};

function buildTables(family: Family, exceptions: readonly ExceptionRule[]): ReasonTables {
  const base = '22 CFR 41.31(b)(1); 8 CFR 214.2(b)(5)';
  const tables: ReasonTables = { general: [], never: [], viaProvision: new Map(), unmet: [] };
  const covered = exceptions.reduce((m, e) => m | e.covers, 0);
  activityIds.forEach((id, i) => {
    const bit = 1 << i;
    if (bit & GENERAL_MASK) {
      const why = id === 'construction_supervision' ? supervisionWhy : generalWhy;
      tables.general[i] = activityReason(
        family,
        id,
        'permitted',
        why,
        id === 'construction_supervision' ? '8 CFR 214.2(b)(5)' : base,
        sources.cfr41_31,
      );
    }
    const never = NEVER[id];
    if (never) tables.never[i] = activityReason(family, id, 'not_permitted', never, base, sources.cfr214_2);
    if (!(bit & GENERAL_MASK) && !never) {
      tables.unmet[i] =
        bit & covered
          ? activityReason(
              family,
              id,
              'not_permitted',
              {
                en: 'not permitted: the conditions of the provision that would allow it are not met (see the failed requirements).',
                ko: '허용되지 않습니다: 이를 허용하는 조항의 요건이 충족되지 않았습니다(충족되지 않은 요건 참조).',
              },
              exceptions.find((e) => e.covers & bit)?.citation ?? base,
              sources.fam402_2,
            )
          : activityReason(family, id, 'not_permitted', visaOnlyWhy, IN_LIEU, sources.fam402_2);
    }
  });
  for (const exception of exceptions) {
    const row: (Reason | undefined)[] = [];
    activityIds.forEach((id, i) => {
      if (exception.covers & (1 << i)) {
        row[i] = activityReason(
          family,
          id,
          'permitted',
          {
            en: `permitted under ${exception.label.en}, as its conditions are met.`,
            ko: `${exception.label.ko}에 따라 허용됩니다(요건 충족).`,
          },
          exception.citation,
          sources.fam402_2,
        );
      }
    });
    tables.viaProvision.set(exception.provision, row);
  }
  return tables;
}

export interface VisitorEvaluator {
  exceptions: readonly ExceptionRule[];
  /** Rules the activities; returns the provisions relied on, primary first. */
  evaluate(facts: Facts, env: VisitorEnv, b: ResultBuilder): VisitorProvision[];
}

export function visitorEvaluator(family: Family, exceptions: readonly ExceptionRule[]): VisitorEvaluator {
  const tables = buildTables(family, exceptions);
  return {
    exceptions,
    evaluate(facts, env, b) {
      const needed = facts.activityMask & ~GENERAL_MASK;
      // Evaluate each exception at most once, only when it covers a planned activity.
      const outcomes: (Outcome[] | undefined)[] = [];
      const ok: boolean[] = [];
      for (let e = 0; e < exceptions.length; e++) {
        const exception = exceptions[e]!;
        if (exception.covers & needed) {
          const result = exception.run(facts, env);
          outcomes[e] = result;
          ok[e] = result.every((o) => o.passed);
        }
      }
      let used = 0;
      let explain = 0;
      for (const activity of facts.activities) {
        const i = activityIndex[activity];
        const bit = 1 << i;
        if (bit & GENERAL_MASK) {
          b.activity(activity, 'permitted', tables.general[i]!);
          continue;
        }
        const never = tables.never[i];
        if (never) {
          b.activity(activity, 'not_permitted', never);
          continue;
        }
        let via = -1;
        for (let e = 0; e < exceptions.length; e++) {
          if (exceptions[e]!.covers & bit && ok[e]) {
            via = e;
            break;
          }
        }
        if (via >= 0) {
          used |= 1 << via;
          b.activity(activity, 'permitted', tables.viaProvision.get(exceptions[via]!.provision)![i]!);
        } else {
          for (let e = 0; e < exceptions.length; e++) if (exceptions[e]!.covers & bit) explain |= 1 << e;
          b.activity(activity, 'not_permitted', tables.unmet[i]!);
        }
      }
      const provisions: VisitorProvision[] = [];
      for (let e = 0; e < exceptions.length; e++) {
        if (!((used | explain) & (1 << e))) continue;
        for (const o of outcomes[e] ?? []) {
          if (o.attestation && o.passed) {
            if (!b.attestations.includes(o.requirement.attest!)) b.attest(o.requirement, true);
          } else {
            b.reasonOnce(o.passed ? o.requirement.passed : o.requirement.failed);
          }
        }
        if (used & (1 << e)) {
          provisions.push(exceptions[e]!.provision);
          for (const d of exceptions[e]!.documents) b.document(d);
        }
      }
      if (provisions.length === 0) provisions.push('general');
      return provisions;
    },
  };
}

export const installerRequirements = [
  r.installerEquipmentFromAbroad,
  r.installerContract,
  r.installerNoUsPay,
  r.installerSpecializedKnowledge,
];
export const trainerRequirements = [
  r.trainerInForce,
  r.trainerEquipmentFromAbroad,
  r.trainerNoUsPay,
  r.trainerSpecializedKnowledge,
];
export const inLieuRequirements = [
  r.inLieuH1bSpecialty,
  r.inLieuH1bDegree,
  r.inLieuForeignPay,
  r.inLieuShort,
  r.inLieuH3Training,
];
