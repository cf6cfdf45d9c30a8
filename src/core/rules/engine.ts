import { createHash } from 'node:crypto';
import type { AssessmentRequest, AssessmentResponse, BilingualText, CategoryId, CategoryResult } from '../../contract/assessment.js';
import { dayNumber } from '../dates/iso-date.js';
import { maskOf } from '../visas/activities.js';
import { categoryModules } from '../visas/index.js';
import type { CategoryModule, Evaluate, Facts } from '../visas/types.js';
import { AssessmentInputError, asOfTooEarly, EARLIEST_AS_OF } from './input.js';
import { loadParameters, type ParameterSet } from './parameters.js';
import { loadRequirementReviews, reviewsFile, type Review } from './review.js';
import { periodAdvisories, withAdvisories, type PeriodAdvisories } from './advisories.js';
import { join } from 'node:path';
import { buildTimeline, periodIndex } from './timeline.js';

/** Bump when the rules' code changes what an assessment says (the data part of the version is a hash). */
export const RULES_CODE_VERSION = '2026.1';

export const disclaimer: BilingualText = Object.freeze({
  en: 'This assessment is general information from the rules as modelled on the as-of date, not legal advice. Consular officers and CBP decide each case; confirm with an immigration lawyer before acting. Items marked "verify" are uncertain.',
  ko: '이 판정은 기준일에 모델링된 규칙에 따른 일반 정보이며 법률 자문이 아닙니다. 개별 사안은 영사와 CBP가 결정하므로, 실행 전에 이민 전문 변호사와 확인하세요. "확인 필요"로 표시된 항목은 불확실한 내용입니다.',
});

export interface Rules {
  readonly rulesVersion: string;
  readonly parameters: ParameterSet;
  /** Review dates of the requirements (rules/reviews.yaml). */
  readonly reviews: ReadonlyMap<string, Review>;
  readonly categories: readonly CategoryModule[];
  readonly earliestAsOf: string;
  /** Start date of each period and its bound evaluators (one per category). */
  readonly periodStarts: readonly string[];
  readonly periodEvaluators: readonly (readonly Evaluate[])[];
  /** Per period: notes that concern several categories (where to apply, pending changes). */
  readonly periodAdvisories: readonly PeriodAdvisories[];
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** Version of the rules: code version plus a short hash of the parameter data (not of file paths or layout). */
export function rulesVersionOf(set: ParameterSet): string {
  const data = [...set.parameters.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map(({ id, label, unit, description, values }) => ({ id, label, unit, description, values }));
  const hash = createHash('sha256').update(canonical(data)).digest('hex').slice(0, 12);
  return `${RULES_CODE_VERSION}+${hash}`;
}

/** Loads and validates the parameters and binds every category to every period, once, at start-up. */
export function loadRules(dir?: string): Rules {
  const parameters = loadParameters(dir);
  const reviews = loadRequirementReviews(dir ? join(dir, '..', 'reviews.yaml') : reviewsFile());
  const timeline = buildTimeline(parameters, EARLIEST_AS_OF);
  return {
    rulesVersion: rulesVersionOf(parameters),
    parameters,
    reviews,
    categories: categoryModules,
    earliestAsOf: EARLIEST_AS_OF,
    periodStarts: timeline.map((p) => p.from),
    periodEvaluators: timeline.map((p) => categoryModules.map((m) => m.bind(p.params))),
    periodAdvisories: timeline.map((p) => periodAdvisories(p.params, parameters)),
  };
}

const COLLEGE_YEARS = { none: 0, high_school: 0, vocational: 0, associate: 2, bachelor: 4, master: 4, doctorate: 4 } as const;

const digits = (text: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i++) n = n * 10 + text.charCodeAt(i) - 48;
  return n;
};

function factsOf(request: AssessmentRequest, asOf: string): Facts {
  const start = request.assignment.startDate;
  const startDay = dayNumber(start);
  const endDay = dayNumber(request.assignment.endDate);
  return {
    request,
    asOf,
    asOfDay: dayNumber(asOf),
    startDay,
    endDay,
    stayDays: endDay - startDay + 1,
    employedSinceDay: dayNumber(request.worker.employedSince),
    asOfYear: digits(asOf, 0, 4),
    asOfMonth: digits(asOf, 5, 2),
    startYear: digits(start, 0, 4),
    startMonth: digits(start, 5, 2),
    startDayOfMonth: digits(start, 8, 2),
    activities: request.assignment.activities,
    activityMask: maskOf(request.assignment.activities),
    isKorean: request.worker.nationality === 'KR',
    collegeYears: COLLEGE_YEARS[request.worker.education],
    education: request.worker.education,
  };
}

const VERDICT_RANK = { eligible: 0, conditional: 1, ineligible: 2, unavailable: 3 } as const;

function totalFees(result: CategoryResult): number {
  let sum = 0;
  for (const fee of result.feesUsd) sum += fee.amount;
  return sum;
}

/** Eligible before conditional, then the shortest typical lead time, then the lowest total fees; null if none fits. */
export function recommend(results: readonly CategoryResult[]): CategoryId | null {
  let best: CategoryResult | undefined;
  for (const result of results) {
    if (result.verdict !== 'eligible' && result.verdict !== 'conditional') continue;
    if (!best) {
      best = result;
      continue;
    }
    const byVerdict = VERDICT_RANK[result.verdict] - VERDICT_RANK[best.verdict];
    const byLead = (result.leadTimeDays?.typical ?? Infinity) - (best.leadTimeDays?.typical ?? Infinity);
    if (byVerdict < 0 || (byVerdict === 0 && (byLead < 0 || (byLead === 0 && totalFees(result) < totalFees(best))))) best = result;
  }
  return best ? best.category : null;
}

/**
 * One category's result for a VALIDATED request with its as-of date set: what `assess` gives for that category,
 * without the notes that concern several categories (where to apply, pending changes). For callers that need
 * one category's activity statuses many times (the site roster: one per person on site).
 */
export function assessCategory(
  request: AssessmentRequest,
  rules: Rules,
  category: CategoryId,
): CategoryResult | undefined {
  const asOf = request.asOf;
  if (asOf === undefined || asOf < rules.earliestAsOf)
    return assess(request, rules).results.find((r) => r.category === category);
  const index = rules.categories.findIndex((c) => c.id === category);
  if (index < 0) return undefined;
  return rules.periodEvaluators[periodIndex(rules.periodStarts, asOf)]![index]!(factsOf(request, asOf));
}

/**
 * Assesses every category for a VALIDATED request (see parseAssessmentRequest) whose as-of date is set
 * (see withDefaultAsOf). Pure: no I/O, no clock; equal inputs give equal outputs.
 */
export function assess(request: AssessmentRequest, rules: Rules): AssessmentResponse {
  const asOf = request.asOf;
  if (asOf === undefined) {
    throw new AssessmentInputError([
      { path: 'asOf', message: { en: 'is required here: the caller supplies today (withDefaultAsOf)', ko: '필수 항목입니다: 호출자가 오늘 날짜를 지정해야 합니다(withDefaultAsOf)' } },
    ]);
  }
  if (asOf < rules.earliestAsOf) throw asOfTooEarly();
  const period = periodIndex(rules.periodStarts, asOf);
  const evaluators = rules.periodEvaluators[period]!;
  const facts = factsOf(request, asOf);
  const results: CategoryResult[] = new Array(evaluators.length);
  for (let i = 0; i < evaluators.length; i++) results[i] = evaluators[i]!(facts);
  withAdvisories(results, rules.periodAdvisories[period]!, request, rules.parameters, asOf, rules.periodStarts[period + 1]);
  return { asOf, rulesVersion: rules.rulesVersion, results, recommended: recommend(results), disclaimer };
}
