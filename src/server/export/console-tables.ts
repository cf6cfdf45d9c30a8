import type { z } from 'zod';
import type {
  ConsoleFigure,
  consoleBatchesSchema,
  consoleLeadTimesSchema,
  consoleOutcomesSchema,
  consolePartnersSchema,
  consolePresenceSchema,
  consoleQuotaSchema,
  consoleReentrySchema,
} from '../../contract/console.js';
import { labels } from '../../contract/labels.js';
import type { Table } from './tables.js';

/**
 * The working group's figures as tables (CSV, XLSX, the PDF briefing), with bilingual headers and words for
 * codes. Hidden cells stay "<5"; hidden rates and durations are empty.
 */
export interface ConsoleFigures {
  'lead-times': z.infer<typeof consoleLeadTimesSchema>;
  outcomes: z.infer<typeof consoleOutcomesSchema>;
  batches: z.infer<typeof consoleBatchesSchema>;
  presence: z.infer<typeof consolePresenceSchema>;
  quota: z.infer<typeof consoleQuotaSchema>;
  reentry: z.infer<typeof consoleReentrySchema>;
  partners: z.infer<typeof consolePartnersSchema>;
}

const both = (b: { en: string; ko: string }) => (b.en === b.ko ? b.en : `${b.en} / ${b.ko}`);
const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);
const group = {
  investor: { en: 'Investors', ko: '투자 기업' },
  partner: { en: 'Partner firms (not SME)', ko: '협력사(중소기업 아님)' },
  partner_sme: { en: 'Partner firms (SME)', ko: '협력사(중소기업)' },
} as const;

export const figureTitles: Record<ConsoleFigure, { en: string; ko: string }> = {
  'lead-times': { en: 'Dispatch lead time by month of admission', ko: '입국 월별 파견 소요 기간' },
  outcomes: { en: 'Applications and outcomes by category and post', ko: '비자 유형·공관별 신청과 결과' },
  batches: { en: 'Embassy-desk batches and throughput', ko: '대사관 창구 묶음 신청과 처리량' },
  presence: { en: 'People on US sites today', ko: '현재 미국 현장 체류 인원' },
  quota: { en: 'Capped programs: use against cap', ko: '한도 프로그램: 한도 대비 사용' },
  reentry: { en: 'Re-entry of workers detained on 2025-09-04', ko: '2025-09-04 구금 근로자 재입국' },
  partners: { en: 'Partner firms and investors compared', ko: '협력사와 투자 기업 비교' },
};

export function consoleTable<F extends ConsoleFigure>(figure: F, data: ConsoleFigures[F]): Table {
  switch (figure) {
    case 'lead-times': {
      const d = data as ConsoleFigures['lead-times'];
      return {
        header: [
          'Month / 월',
          'People / 인원',
          'Median days / 중앙값(일)',
          '90th percentile days / 90백분위(일)',
          'Share under 30 days (%) / 30일 미만 비율(%)',
        ],
        rows: [
          ...d.months.map((m) => [m.month, m.people, m.median, m.p90, pct(m.shareWithin)]),
          ['All / 전체', d.overall.people, d.overall.median, d.overall.p90, pct(d.overall.shareWithin)],
        ],
      };
    }
    case 'outcomes': {
      const d = data as ConsoleFigures['outcomes'];
      return {
        header: [
          'Category / 비자 유형',
          'Post / 공관',
          'Applications / 신청',
          'Issued / 발급',
          'Refused / 거절',
          '221(g) / 행정 처리',
          'Issuance rate (%) / 발급률(%)',
          'Refusal rate (%) / 거절률(%)',
          '221(g) rate (%) / 행정 처리율(%)',
          'Interview wait, median days / 인터뷰 대기 중앙값(일)',
        ],
        rows: d.rows.map((r) => [
          r.category,
          both(labels('consularPost', r.post)),
          r.applications,
          r.issued,
          r.refused,
          r.administrativeProcessing,
          pct(r.issuanceRate),
          pct(r.refusalRate),
          pct(r.adminProcessingRate),
          r.interviewWaitMedian,
        ]),
      };
    }
    case 'batches': {
      const d = data as ConsoleFigures['batches'];
      return {
        header: [
          'Status or week / 상태 또는 주',
          'Batches / 묶음',
          'Applicants or decisions / 신청자 또는 결정',
        ],
        rows: [
          ...d.byStatus.map((s) => [both(labels('deskStatus', s.status)), s.batches, s.applicants]),
          ...d.weeks.map((w) => [`Week of ${w.week} / ${w.week} 주`, null, w.decisions]),
        ],
      };
    }
    case 'presence': {
      const d = data as ConsoleFigures['presence'];
      return {
        header: [
          'Site or project / 현장 또는 프로젝트',
          'State / 주',
          'Present / 체류 중',
          'In status / 체류 자격 유지',
          `Admit-until within ${d.nearDays} days / ${d.nearDays}일 내 만료`,
          'Out of status / 체류 기한 경과',
          'Staffing need / 인력 수요',
          'Admitted / 입국',
        ],
        rows: [
          ...d.bySite.map((s) => [
            s.site,
            s.state,
            s.present,
            s.inStatus,
            s.nearAdmitUntil,
            s.outOfStatus,
            null,
            null,
          ]),
          ...d.projects.map((p) => [
            `${p.project} (${p.investor})`,
            p.state,
            p.present,
            null,
            null,
            null,
            p.need,
            p.admitted,
          ]),
        ],
      };
    }
    case 'quota': {
      const d = data as ConsoleFigures['quota'];
      return {
        header: [
          'Program / 프로그램',
          'Status / 법적 지위',
          'Cap / 한도',
          'Used / 사용',
          'Issued / 발급',
          'Share of cap (%) / 한도 대비(%)',
          'Projected exhaustion / 소진 예상일',
        ],
        rows: d.programs.map((p) => [
          both(p.label),
          p.legalStatus === 'proposed' ? 'Proposed, not law / 법안(미제정)' : 'Law / 현행법',
          p.cap,
          p.used,
          p.issued,
          pct(p.share),
          p.projectedExhaustion,
        ]),
      };
    }
    case 'reentry': {
      const d = data as ConsoleFigures['reentry'];
      return {
        header: ['Category / 비자 유형', 'Cohort / 대상 인원', 'Returned / 재입국'],
        rows: [
          ...d.byCategory.map((c) => [c.category, c.cohort, c.returned]),
          ['All / 전체', d.cohort, d.returned],
          [
            'Lead time median / 90th percentile (days) / 소요 기간 중앙값·90백분위(일)',
            d.leadTimes.median,
            d.leadTimes.p90,
          ],
        ],
      };
    }
    case 'partners': {
      const d = data as ConsoleFigures['partners'];
      return {
        header: [
          'Firms / 기업',
          'Dispatches / 파견 건',
          'Share (%) / 비중(%)',
          'Admitted / 입국',
          'Median days / 중앙값(일)',
          '90th percentile days / 90백분위(일)',
          'Share under 30 days (%) / 30일 미만 비율(%)',
        ],
        rows: d.groups.map((g) => [
          both(group[g.group]),
          g.dispatches,
          pct(g.share),
          g.admitted,
          g.leadTimes.median,
          g.leadTimes.p90,
          pct(g.leadTimes.shareWithin),
        ]),
      };
    }
  }
  throw new RangeError(`unknown figure ${String(figure)}`);
}
