import {
  activityIds,
  type ActivityId,
  type ActivityStatus,
  type BilingualText,
  type Reason,
} from '../../contract/assessment.js';
import { frozen } from './requirement.js';

/** What each planned on-site activity means, in the words the wizard shows (en, ko). */
export const activityCatalog: Record<ActivityId, { label: BilingualText; help: BilingualText }> = {
  meetings: {
    label: { en: 'Business meetings', ko: '업무 회의' },
    help: { en: 'Meeting and consulting with business associates.', ko: '거래처·관계사와의 회의 및 협의.' },
  },
  negotiation: {
    label: { en: 'Negotiating contracts', ko: '계약 협상' },
    help: {
      en: 'Negotiating or signing contracts for the Korean company.',
      ko: '한국 회사를 위한 계약 협상 또는 체결.',
    },
  },
  conference: {
    label: { en: 'Conferences and seminars', ko: '컨퍼런스·세미나 참석' },
    help: {
      en: 'Attending conventions, conferences, seminars or trade shows.',
      ko: '컨벤션, 컨퍼런스, 세미나, 전시회 참석.',
    },
  },
  site_visit: {
    label: { en: 'Site visits and inspections', ko: '현장 방문·점검' },
    help: {
      en: 'Visiting or inspecting a site without doing productive work there.',
      ko: '생산적인 작업 없이 현장을 방문하거나 점검하는 일.',
    },
  },
  equipment_installation: {
    label: { en: 'Installing equipment', ko: '장비 설치' },
    help: {
      en: 'Installing, setting up, calibrating or commissioning machinery.',
      ko: '기계의 설치, 셋업, 보정, 시운전.',
    },
  },
  equipment_servicing: {
    label: { en: 'Servicing or repairing equipment', ko: '장비 정비·수리' },
    help: { en: 'Servicing, repairing or maintaining machinery.', ko: '기계의 정비, 수리, 유지보수.' },
  },
  equipment_supervision: {
    label: { en: 'Supervising equipment installation', ko: '장비 설치 감독' },
    help: {
      en: 'Supervising others who install the equipment, without installing it yourself.',
      ko: '직접 설치하지 않고 다른 사람의 장비 설치를 감독하는 일.',
    },
  },
  train_us_workers: {
    label: { en: 'Training US workers', ko: '미국 근로자 교육' },
    help: {
      en: 'Teaching US workers to install, operate, service or repair equipment or processes.',
      ko: '미국 근로자에게 장비·공정의 설치, 운전, 정비, 수리를 가르치는 일.',
    },
  },
  receive_training: {
    label: { en: 'Receiving training', ko: '교육 수강' },
    help: {
      en: 'Being trained in the United States by the US organization.',
      ko: '미국에서 미국 측 조직으로부터 교육을 받는 일.',
    },
  },
  construction_work: {
    label: { en: 'Hands-on construction work', ko: '직접 건설 작업' },
    help: {
      en: 'Doing building or construction work yourself, on-site or in-plant (welding, piping, wiring, assembling structures).',
      ko: '현장 또는 공장 안에서 직접 하는 건축·건설 작업(용접, 배관, 배선, 구조물 조립 등).',
    },
  },
  construction_supervision: {
    label: { en: 'Supervising construction work', ko: '건설 작업 감독' },
    help: {
      en: 'Supervising or training others who do construction work, without doing it yourself.',
      ko: '직접 하지 않고 건설 작업자를 감독하거나 교육하는 일.',
    },
  },
  production_work: {
    label: { en: 'Production work', ko: '생산 작업' },
    help: {
      en: 'Working on a production line or operating equipment to produce goods.',
      ko: '생산 라인 작업 또는 제품 생산을 위한 장비 운전.',
    },
  },
  managing_us_operations: {
    label: { en: 'Managing US operations', ko: '미국 사업 운영 관리' },
    help: {
      en: 'Running a US department, plant or project as its manager.',
      ko: '미국 내 부서, 공장, 프로젝트를 책임자로서 운영하는 일.',
    },
  },
  supervising_us_staff: {
    label: { en: 'Supervising US staff', ko: '미국 직원 감독' },
    help: { en: 'Directing the daily work of US employees.', ko: '미국 직원의 일상 업무를 지휘하는 일.' },
  },
  engineering_work: {
    label: { en: 'Engineering work', ko: '엔지니어링 업무' },
    help: {
      en: 'Professional engineering or design work that normally needs a degree.',
      ko: '보통 학위가 필요한 전문 엔지니어링·설계 업무.',
    },
  },
  skilled_trade_work: {
    label: { en: 'Skilled trade work', ko: '숙련 기능 작업' },
    help: {
      en: 'Trade work such as electrical, welding or machining done for the US site.',
      ko: '미국 현장을 위해 하는 전기, 용접, 가공 등의 기능 작업.',
    },
  },
  administrative_work: {
    label: { en: 'Administrative work', ko: '사무 업무' },
    help: {
      en: 'Office and administrative tasks for the US entity.',
      ko: '미국 법인을 위한 사무·행정 업무.',
    },
  },
};

/** Index of each activity in `activityIds` (its bit in `Facts.activityMask`). */
export const activityIndex: Record<ActivityId, number> = Object.fromEntries(
  activityIds.map((id, i) => [id, i]),
) as Record<ActivityId, number>;

export function maskOf(activities: readonly ActivityId[]): number {
  let mask = 0;
  for (const a of activities) mask |= 1 << activityIndex[a];
  return mask;
}

export function kebab(activity: ActivityId): string {
  return activity.replaceAll('_', '-');
}

/** A static reason for one activity's status in a category: "<activity>: <why>". */
export function activityReason(
  prefix: string,
  activity: ActivityId,
  status: ActivityStatus,
  why: BilingualText,
  citation: string,
  sourceUrl: string,
): Reason {
  const label = activityCatalog[activity].label;
  return frozen({
    rule: `${prefix}.activity.${kebab(activity)}`,
    passed: status !== 'not_permitted',
    citation,
    sourceUrl,
    message: { en: `${label.en}: ${why.en}`, ko: `${label.ko}: ${why.ko}` },
  });
}

export interface ActivityRule {
  status: ActivityStatus;
  why: BilingualText;
  citation: string;
  sourceUrl: string;
}

/**
 * A category's fixed activity table (activities whose status does not depend on a provision): status and
 * the prebuilt reason for every activity.
 */
export function activityTable(
  prefix: string,
  rules: Record<ActivityId, ActivityRule>,
): { status: ActivityStatus; reason: Reason }[] {
  return activityIds.map((id) => {
    const rule = rules[id];
    return {
      status: rule.status,
      reason: activityReason(prefix, id, rule.status, rule.why, rule.citation, rule.sourceUrl),
    };
  });
}

/** Builds a category's activity table from a default rule and the activities that differ from it. */
export function activityRules(
  prefix: string,
  base: ActivityRule,
  overrides: Partial<Record<ActivityId, ActivityRule>>,
): { status: ActivityStatus; reason: Reason }[] {
  const rules = Object.fromEntries(activityIds.map((id) => [id, overrides[id] ?? base])) as Record<
    ActivityId,
    ActivityRule
  >;
  return activityTable(prefix, rules);
}

/** Applies a fixed activity table to the planned activities. */
export function applyActivities(
  table: readonly { status: ActivityStatus; reason: Reason }[],
  activities: readonly ActivityId[],
  b: { activity(id: ActivityId, status: ActivityStatus, reason: Reason): void },
): void {
  for (const activity of activities) {
    const row = table[activityIndex[activity]]!;
    b.activity(activity, row.status, row.reason);
  }
}
