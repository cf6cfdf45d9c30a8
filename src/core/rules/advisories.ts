import type { AssessmentRequest, CategoryId, CategoryResult, Note } from '../../contract/assessment.js';
import { categoryIds } from '../../contract/assessment.js';
import { note } from '../visas/common.js';
import type { ParamReader } from '../visas/types.js';
import { parameterEntryAt, type ParameterSet } from './parameters.js';

/**
 * Notes that concern several categories at once (issue 16), added to each usable result (eligible or
 * conditional) after the categories have been evaluated:
 * - where and how to apply for a visa (country of nationality or residence, in person: from 2025-09);
 * - pending changes (`rules/parameters/pending/*`: proposed rules, litigation), shown with their status and never
 *   as law, on the categories they name in `affects`;
 * - per request: a worker living outside Korea; a fee that changes between the as-of date and the end of the
 *   planned assignment (assess at a date and for a date).
 * Per period, the notes are built once at load.
 */
const VISA_CATEGORIES: ReadonlySet<CategoryId> = new Set(['B1', 'E2', 'L1A', 'L1B', 'H1B', 'H2B', 'H3', 'E4']);
const PLACE = 'dos/nonimmigrant-visa/apply-in-nationality-or-residence';

export type PeriodAdvisories = ReadonlyMap<CategoryId, readonly Note[]>;

export function periodAdvisories(params: ParamReader, set: ParameterSet): PeriodAdvisories {
  const byCategory = new Map<CategoryId, Note[]>();
  const add = (category: CategoryId, n: Note) => {
    const list = byCategory.get(category) ?? [];
    list.push(n);
    byCategory.set(category, list);
  };
  if (set.parameters.has(PLACE) && params.value(PLACE) === true) {
    const ref = params.entry(PLACE)?.reference[0];
    const place = note(
      'visa.apply-in-nationality-or-residence',
      false,
      {
        en: 'Apply in person at the US embassy or consulate of the worker’s nationality or residence (for a Korean worker living in Korea: Seoul, or the KIT Desk where it applies). An application in a third country is harder to qualify for and slower, and its fee is not refunded.',
        ko: '근로자의 국적국 또는 거주국에 있는 미국 대사관·영사관에 대면으로 신청합니다(한국에 사는 한국 근로자는 서울, 해당되는 경우 KIT 데스크). 제3국 신청은 발급이 더 어렵고 느리며 수수료는 환불되지 않습니다.',
      },
      ref?.title,
      ref?.href,
    );
    for (const id of VISA_CATEGORIES) add(id, place);
  }
  for (const id of set.parameters.keys()) {
    if (!id.startsWith('pending/')) continue;
    const entry = params.entry(id);
    const value = entry?.value;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    const { affects, en, ko } = value as { affects?: unknown; en?: unknown; ko?: unknown };
    if (!Array.isArray(affects) || typeof en !== 'string' || typeof ko !== 'string') continue;
    const ref = entry!.reference[0];
    const pending = note(`pending.${id.slice('pending/'.length)}`, true, { en, ko }, ref?.title, ref?.href);
    for (const category of affects)
      if ((categoryIds as readonly string[]).includes(category as string)) add(category as CategoryId, pending);
  }
  return byCategory;
}

function usable(result: CategoryResult): boolean {
  return result.verdict === 'eligible' || result.verdict === 'conditional';
}

/** The results with the period's notes and the request's own (residence abroad, changes in the window). */
export function withAdvisories(
  results: CategoryResult[],
  advisories: PeriodAdvisories,
  request: AssessmentRequest,
  set: ParameterSet,
  asOf: string,
  nextChange: string | undefined,
): CategoryResult[] {
  const residence = request.worker.residenceCountry;
  const abroad = residence !== undefined && residence !== request.worker.nationality;
  const inWindow = nextChange !== undefined && request.assignment.endDate >= nextChange;
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    if (!usable(result)) continue;
    const extra: Note[] = [...(advisories.get(result.category) ?? [])];
    const placeRule = advisories.get(result.category)?.some((n) => n.id === 'visa.apply-in-nationality-or-residence');
    if (abroad && placeRule)
      extra.push(
        note(
          'visa.residence-abroad',
          true,
          {
            en: `The worker lives in ${residence}: they may apply at the US embassy or consulate there only if they can show residence; otherwise in their country of nationality. Plan the trip to that post and its wait for an interview into the lead time.`,
            ko: `근로자가 ${residence}에 거주합니다: 거주를 입증할 수 있을 때만 그곳의 미국 대사관·영사관에 신청할 수 있고, 그렇지 않으면 국적국에서 신청해야 합니다. 해당 공관까지의 이동과 인터뷰 대기 기간을 소요 기간에 반영하세요.`,
          },
          'US Department of State, guidance of 2025-09-06',
          'https://travel.state.gov/content/travel/en/News/visas-news.html',
        ),
      );
    if (inWindow)
      for (const fee of result.feesUsd) {
        if (!fee.parameter) continue;
        const definition = set.parameters.get(fee.parameter);
        const change = definition?.values.find(
          (v) => v.effective > asOf && v.effective <= request.assignment.endDate && v.value !== fee.amount,
        );
        if (!change) continue;
        const then = parameterEntryAt(set, fee.parameter, change.effective);
        const amount = typeof then?.value === 'number' ? `USD ${then.value.toLocaleString('en-US')}` : 'no longer listed';
        const amountKo = typeof then?.value === 'number' ? `${then.value.toLocaleString('en-US')}달러` : '목록에서 제외';
        extra.push(
          note(
            `scheduled.${fee.item}`,
            change.status === 'verify',
            {
              en: `Scheduled change within the planned dates: ${fee.label?.en ?? fee.item} is ${amount} from ${change.effective} (USD ${fee.amount.toLocaleString('en-US')} today). Pay what applies on the day of filing or issuance.`,
              ko: `계획 기간 안의 예정된 변경: ${fee.label?.ko ?? fee.item}은(는) ${change.effective}부터 ${amountKo}입니다(현재 ${fee.amount.toLocaleString('en-US')}달러). 신청 또는 발급일에 적용되는 금액을 내야 합니다.`,
            },
            change.reference[0]?.title,
            change.reference[0]?.href,
          ),
        );
      }
    if (extra.length === 0) continue;
    results[i] = {
      ...result,
      notes: [...(result.notes ?? []), ...extra],
      ...(extra.some((n) => n.verify) ? { verify: true } : {}),
    };
  }
  return results;
}
