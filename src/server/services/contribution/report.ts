import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { ContributionReport } from '../../../contract/contribution.js';
import { label, labels } from '../../../contract/labels.js';
import { addSums, indicatorsOf, type ProjectSums } from '../../../core/contribution/indicators.js';
import { showBreakdown } from '../../../core/statistics/small-cells.js';
import type { Database } from '../../db/database.js';
import { toXlsxBook } from '../../export/xlsx.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';
import { projectSums } from './indicators.js';

/**
 * The working group's contribution report (issue 20, item 4): per sector and per investor (its partners' entries
 * on its projects included), the money, the jobs, the visas used, the training and the four indicators, with the
 * console's small-cell rule on the counts of people (jobs, visas, trainees: fewer than `minCell` read "<5", with
 * complementary suppression among the rows of a breakdown) and the indicators of a row whose visas or trainees are
 * hidden withheld too. No person, no case, no name: aggregates only. As JSON, XLSX and a bilingual PDF.
 */
type Row = ContributionReport['bySector'][number];

export async function contributionReport(
  db: Database,
  asOf: string,
  minCell: number,
): Promise<ContributionReport> {
  const projects = await db.query<{ id: string; sector: string; organization_id: string; investor: string }>(
    `SELECT p.id, p.sector, p.organization_id, o.name AS investor FROM projects p
       JOIN organizations o ON o.id = p.organization_id ORDER BY o.name, p.name`,
  );
  const sums = await projectSums(db, null, null, asOf);
  const group = (
    keyOf: (p: (typeof projects)[number]) => string,
    labelOf: (key: string) => string,
  ): Row[] => {
    const groups = new Map<string, { projects: number; sums: ProjectSums[] }>();
    for (const p of projects) {
      const s = sums.get(p.id);
      if (!s) continue;
      const g = groups.get(keyOf(p)) ?? { projects: 0, sums: [] };
      g.projects += 1;
      g.sums.push(s);
      groups.set(keyOf(p), g);
    }
    const totals = [...groups.entries()].map(([key, g]) => ({
      key,
      projects: g.projects,
      sums: addSums(g.sums),
    }));
    const shown = (field: 'jobsCreated' | 'visasUsed' | 'trainees') =>
      showBreakdown(Object.fromEntries(totals.map((t) => [t.key, t.sums[field]])), { minCell });
    const jobs = shown('jobsCreated');
    const visas = shown('visasUsed');
    const trainees = shown('trainees');
    return totals.map((t) => {
      const indicators = indicatorsOf(t.sums);
      const visasHidden = typeof visas[t.key] === 'string';
      const traineesHidden = typeof trainees[t.key] === 'string';
      return {
        key: t.key,
        label: labelOf(t.key),
        projects: t.projects,
        disbursedUsd: t.sums.disbursedUsd,
        jobsCreated: jobs[t.key]!,
        visasUsed: visas[t.key]!,
        trainees: trainees[t.key]!,
        traineeHours: traineesHidden ? 0 : Math.round(t.sums.traineeHours),
        indicators: {
          traineeHoursPerWorkerMonth:
            traineesHidden || visasHidden ? null : indicators.traineeHoursPerWorkerMonth,
          certifiedShare: traineesHidden ? null : indicators.certifiedShare,
          usJobsPerVisa: visasHidden || typeof jobs[t.key] === 'string' ? null : indicators.usJobsPerVisa,
          visasPerMillionUsd: visasHidden ? null : indicators.visasPerMillionUsd,
        },
      };
    });
  };
  const investorName = new Map(projects.map((p) => [p.organization_id, p.investor]));
  return {
    asOf,
    minCell,
    bySector: group(
      (p) => p.sector,
      (k) => label('en', 'sector', k),
    ),
    byInvestor: group(
      (p) => p.organization_id,
      (k) => investorName.get(k) ?? k,
    ),
  };
}

const fmt = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

const header = [
  'Projects / 프로젝트',
  'USD disbursed / 집행 금액(USD)',
  'US jobs created / 미국 일자리',
  'Visas used / 사용 비자',
  'US trainee places / 미국 교육생',
  'Trainee-hours / 교육생·시간',
  'Trainee-hours per worker-month / 근로자·월당 교육생·시간',
  'Certified share / 자격 취득 비율',
  'US jobs per visa / 비자당 미국 일자리',
  'Visas per USD 1M / 100만 달러당 비자',
];

function cells(r: Row): (string | number)[] {
  return [
    r.projects,
    Math.round(r.disbursedUsd),
    r.jobsCreated,
    r.visasUsed,
    r.trainees,
    r.traineeHours,
    fmt(r.indicators.traineeHoursPerWorkerMonth, 1),
    pct(r.indicators.certifiedShare),
    fmt(r.indicators.usJobsPerVisa, 1),
    fmt(r.indicators.visasPerMillionUsd, 3),
  ];
}

export function sectorLabel(r: Row, key: 'bySector' | 'byInvestor'): string {
  if (key === 'byInvestor') return r.label;
  const l = labels('sector', r.key);
  return `${l.en} / ${l.ko}`;
}

export async function contributionReportXlsx(report: ContributionReport): Promise<Buffer> {
  return toXlsxBook([
    { name: 'By sector', header: ['Sector / 산업', ...header], rows: report.bySector.map((r) => [sectorLabel(r, 'bySector'), ...cells(r)]) }, // prettier-ignore
    { name: 'By investor', header: ['Investor / 투자기업', ...header], rows: report.byInvestor.map((r) => [r.label, ...cells(r)]) }, // prettier-ignore
  ]);
}

export async function contributionReportPdf(
  report: ContributionReport,
  generatedAt: string,
): Promise<Buffer> {
  const table = (key: 'bySector' | 'byInvestor', first: string): Content => ({
    table: {
      headerRows: 1,
      widths: [90, ...header.map(() => '*')],
      body: [
        [first, ...header].map((h) => ({ text: h, bold: true, fontSize: 6 })),
        ...report[key].map((r) =>
          [sectorLabel(r, key), ...cells(r)].map((c) => ({ text: String(c), fontSize: 7 })),
        ),
      ],
    },
    layout: 'lightHorizontalLines',
  });
  // A bar chart of visas per USD 1M by sector, drawn as vectors (no image library).
  const bars = report.bySector.filter((r) => r.indicators.visasPerMillionUsd !== null);
  const max = Math.max(0.0001, ...bars.map((r) => r.indicators.visasPerMillionUsd!));
  const chart: Content = {
    stack: bars.map((r) => ({
      columns: [
        { width: 120, text: sectorLabel(r, 'bySector'), fontSize: 7 },
        {
          width: '*',
          canvas: [{ type: 'rect', x: 0, y: 1, w: Math.max(1, (r.indicators.visasPerMillionUsd! / max) * 300), h: 8, color: '#1d4ed8' }], // prettier-ignore
        },
        { width: 50, text: fmt(r.indicators.visasPerMillionUsd, 3), fontSize: 7 },
      ],
      margin: [0, 1, 0, 1],
    })),
  };
  const doc: TDocumentDefinitions = {
    info: { title: 'Contribution report / 기여 보고서', creator: 'KORUS Mobility' },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [30, 30, 30, 30],
    defaultStyle: { font: FONT_FAMILY, fontSize: 8 },
    content: [
      { text: 'Contribution report / 기여 보고서', fontSize: 15, bold: true },
      {
        text: `As of / 기준일: ${report.asOf} · Generated / 생성: ${generatedAt} (UTC) · Counts of people below ${report.minCell} are shown as "<${report.minCell}" / ${report.minCell}명 미만은 "<${report.minCell}"로 표시`, // prettier-ignore
        fontSize: 8,
        color: '#444444',
        margin: [0, 4, 0, 8],
      },
      { text: 'Visas used per USD 1M disbursed, by sector / 산업별 100만 달러당 사용 비자', bold: true, margin: [0, 4, 0, 4] }, // prettier-ignore
      chart,
      { text: 'By sector / 산업별', bold: true, margin: [0, 10, 0, 4] },
      table('bySector', 'Sector / 산업'),
      {
        text: 'By investor (partners included) / 투자기업별(협력사 포함)',
        bold: true,
        margin: [0, 10, 0, 4],
      },
      table('byInvestor', 'Investor / 투자기업'),
      {
        text: 'Definitions / 정의: docs/contribution.md. Trainee-hours = Σ trainees × hours; worker-months = days Korean workers were on site / 30.4375; visas used = workers’ cases admitted.',
        fontSize: 7,
        color: '#444444',
        margin: [0, 10, 0, 0],
      },
    ],
  };
  return renderPdf(doc);
}
