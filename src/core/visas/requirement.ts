import type { Attestation, BilingualText, Reason } from '../../contract/assessment.js';

/**
 * A requirement of the law as one reviewable unit (Catala): stable id, pinpoint citation with its source,
 * a one-line summary of the text, and what the user reads when it passes or fails. Judgement facts are
 * attestations: the user confirms them, and the verdict is at most `conditional`.
 */
export interface Requirement {
  readonly id: string;
  readonly citation: string;
  readonly sourceUrl: string;
  readonly summary: BilingualText;
  readonly attestation: boolean;
  /** The provision (named exception) it belongs to, when not the base rule. */
  readonly provision?: string;
  /** The requirement rests on a fact marked uncertain. */
  readonly verify?: boolean;
  /** Static reason objects, shared by reference by every response (frozen). */
  readonly passed: Reason;
  readonly failed: Reason;
  /** For attestations: what the user confirms. */
  readonly attest?: Attestation;
}

export interface RequirementSpec {
  id: string;
  citation: string;
  sourceUrl: string;
  summary: BilingualText;
  pass: BilingualText;
  fail: BilingualText;
  attestation?: boolean;
  provision?: string;
  verify?: boolean;
  /** `fail`: only the failed outcome rests on the uncertain fact (default: both outcomes do). */
  verifyWhen?: 'always' | 'fail';
}

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value))
    if (child && typeof child === 'object') deepFreeze(child as object);
  return Object.freeze(value);
}

export function requirement(spec: RequirementSpec): Requirement {
  const base = { rule: spec.id, citation: spec.citation, sourceUrl: spec.sourceUrl };
  const verify = spec.verify ? { verify: true } : {};
  const verifyPassed = spec.verify && spec.verifyWhen !== 'fail' ? { verify: true } : {};
  return deepFreeze({
    id: spec.id,
    citation: spec.citation,
    sourceUrl: spec.sourceUrl,
    summary: spec.summary,
    attestation: spec.attestation ?? false,
    ...(spec.provision ? { provision: spec.provision } : {}),
    ...(spec.verify ? { verify: true } : {}),
    passed: { ...base, passed: true, message: spec.pass, ...verifyPassed },
    failed: { ...base, passed: false, message: spec.fail, ...verify },
    ...(spec.attestation ? { attest: { rule: spec.id, message: spec.pass, citation: spec.citation } } : {}),
  });
}

/** Freezes a static object shared by every response. */
export function frozen<T extends object>(value: T): T {
  return deepFreeze(value);
}

/** Primary sources cited by the rules. */
export const sources = {
  ina217:
    'https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1187&num=0&edition=prelim',
  cfr217: 'https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-217',
  cfr214_1: 'https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-214/section-214.1',
  cfr214_2: 'https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-214/section-214.2',
  cfr41_31: 'https://www.ecfr.gov/current/title-22/chapter-I/subchapter-E/part-41/subpart-C/section-41.31',
  cfr41_51: 'https://www.ecfr.gov/current/title-22/chapter-I/subchapter-E/part-41/subpart-D/section-41.51',
  fam402_2: 'https://fam.state.gov/fam/09FAM/09FAM040202.html',
  fam402_9: 'https://fam.state.gov/fam/09FAM/09FAM040209.html',
  ina101:
    'https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1101&num=0&edition=prelim',
  ina214:
    'https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title8-section1184&num=0&edition=prelim',
  cfr214_6: 'https://www.ecfr.gov/current/title-8/chapter-I/subchapter-B/part-214/section-214.6',
  cfr655: 'https://www.ecfr.gov/current/title-20/chapter-V/part-655',
  hr4687: 'https://www.congress.gov/bill/119th-congress/house-bill/4687',
  proclamation2025:
    'https://www.whitehouse.gov/presidential-actions/2025/09/restriction-on-entry-of-certain-nonimmigrant-workers/',
  embassySeoul: 'https://kr.usembassy.gov/',
} as const;
