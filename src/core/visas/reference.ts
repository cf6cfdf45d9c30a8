import type { CategoryId } from '../../contract/assessment.js';
import { activityRules, applyActivities } from './activities.js';
import { fees } from './common.js';
import { requirement, sources } from './requirement.js';
import { ResultBuilder } from './result.js';
import type { CategoryModule } from './types.js';

/**
 * Reference programs of other free-trade partners, shown for comparison: E-3 (Australia), H-1B1 (Chile,
 * Singapore), TN (Canada, Mexico). Not open to Korean nationals — always `ineligible`, saying so.
 */

function referenceModule(
  id: Extract<CategoryId, 'E3' | 'H1B1' | 'TN'>,
  name: { en: string; ko: string },
  summary: { en: string; ko: string },
  citation: string,
  sourceUrl: string,
  countries: { en: string; ko: string },
): CategoryModule {
  const prefix = id.toLowerCase();
  const closed = requirement({
    id: `${prefix}.not-open-to-korean-nationals`,
    citation,
    sourceUrl,
    summary: { en: `Reserved for nationals of ${countries.en}.`, ko: `${countries.ko} 국민 전용입니다.` },
    pass: { en: `Reserved for nationals of ${countries.en}.`, ko: `${countries.ko} 국민 전용입니다.` },
    fail: {
      en: `${name.en} is reserved for nationals of ${countries.en} and is not open to Korean nationals; shown for comparison only.`,
      ko: `${name.ko}는 ${countries.ko} 국민 전용이며 한국 국민은 이용할 수 없습니다. 비교용으로만 표시합니다.`,
    },
  });
  const table = activityRules(
    prefix,
    {
      status: 'not_permitted',
      why: { en: 'not available to Korean nationals.', ko: '한국 국민은 이용할 수 없습니다.' },
      citation,
      sourceUrl,
    },
    {},
  );
  const none = fees();
  return {
    id,
    name,
    summary,
    openToKoreanNationals: false,
    proposed: false,
    requirements: [closed],
    bind() {
      return (facts) => {
        const b = new ResultBuilder();
        b.check(closed, false);
        applyActivities(table, facts.activities, b);
        return b.finish(id, name, {
          provision: null,
          maxStayDays: null,
          leadTimeDays: null,
          feesUsd: none,
          cap: null,
        });
      };
    },
  };
}

export const e3 = referenceModule(
  'E3',
  { en: 'E-3 (Australia)', ko: 'E-3(호주)' },
  {
    en: 'Specialty occupation visa for Australians: 10,500 a year, two-year admissions renewable without limit.',
    ko: '호주인 전문직 비자: 연 10,500명, 2년 단위 체류, 무제한 갱신.',
  },
  'INA 101(a)(15)(E)(iii)',
  sources.ina101,
  { en: 'Australia', ko: '호주' },
);
export const h1b1 = referenceModule(
  'H1B1',
  { en: 'H-1B1 (Chile, Singapore)', ko: 'H-1B1(칠레, 싱가포르)' },
  {
    en: 'Specialty occupation visa for Chileans (1,400 a year) and Singaporeans (5,400 a year), one-year admissions.',
    ko: '칠레인(연 1,400명)과 싱가포르인(연 5,400명)을 위한 전문직 비자, 1년 단위 체류.',
  },
  'INA 101(a)(15)(H)(i)(b1); INA 214(g)(8)',
  sources.ina101,
  { en: 'Chile and Singapore', ko: '칠레와 싱가포르' },
);
export const tn = referenceModule(
  'TN',
  { en: 'TN (Canada, Mexico)', ko: 'TN(캐나다, 멕시코)' },
  {
    en: 'Listed professions for Canadians and Mexicans under USMCA: no cap, three-year admissions.',
    ko: 'USMCA에 따른 캐나다인·멕시코인의 지정 전문직: 한도 없음, 3년 단위 체류.',
  },
  'INA 214(e); 8 CFR 214.6',
  sources.cfr214_6,
  { en: 'Canada and Mexico', ko: '캐나다와 멕시코' },
);
