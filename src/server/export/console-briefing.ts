import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { consoleFigures, type ConsoleFilters } from '../../contract/console.js';
import { FONT_FAMILY, renderPdf } from '../letters/pdf.js';
import { consoleTable, figureTitles, type ConsoleFigures } from './console-tables.js';

/**
 * The working-group pack: a bilingual PDF briefing of every console figure, with the lead-time chart (median
 * and 90th percentile by month, drawn as vector bars) and the quota bars; small cells stay "<5". Fonts are Noto
 * Sans KR, so Hangul renders; the date of the figures and the filters are on the first page.
 */
export async function renderConsoleBriefing(
  figures: ConsoleFigures,
  meta: { refreshedAt: string | null; filters: ConsoleFilters; minCell: number; generatedOn: string },
): Promise<Buffer> {
  const content: Content[] = [
    { text: 'Korea–US visa working group: dispatch figures', style: 'title' },
    { text: '한미 비자 실무 협의체: 파견 통계', style: 'title' },
    {
      text: [
        `Figures as of ${meta.refreshedAt ?? 'never refreshed'} (UTC) · 기준 시각 ${meta.refreshedAt ?? '없음'}\n`,
        `Filters / 조건: ${filterText(meta.filters)}\n`,
        `De-identified: counts from fewer than ${meta.minCell} people read "<${meta.minCell}"; their rates and durations are left out. `,
        `개인 식별 정보 없음: ${meta.minCell}명 미만의 수치는 "<${meta.minCell}"로 표시하고 비율·기간은 생략합니다.`,
      ],
      style: 'meta',
    },
    leadTimeChart(figures['lead-times']),
  ];
  for (const figure of consoleFigures) {
    const table = consoleTable(figure, figures[figure] as never);
    const title = figureTitles[figure];
    content.push({ text: `${title.en} / ${title.ko}`, style: 'heading' });
    if (figure === 'quota') content.push(quotaBars(figures.quota));
    if (table.rows.length === 0) {
      content.push({ text: 'No figures for these filters / 해당 조건의 수치가 없습니다', style: 'meta' });
      continue;
    }
    content.push({
      table: {
        headerRows: 1,
        widths: table.header.map(() => '*'),
        body: [
          table.header.map((h) => ({ text: h, bold: true, fontSize: 7 })),
          ...table.rows.map((r) =>
            r.map((cell) => ({
              text: cell === null || cell === undefined ? '' : String(cell),
              fontSize: 7.5,
            })),
          ),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 2, 0, 10],
    });
  }
  const definition: TDocumentDefinitions = {
    info: {
      title: 'Working-group pack / 실무 협의체 자료',
      subject: 'KORUS Mobility console',
      creator: 'KORUS Mobility',
      producer: 'KORUS Mobility',
      creationDate: new Date(`${meta.generatedOn}T00:00:00Z`),
    },
    language: 'en',
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [36, 36, 36, 40],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9 },
    styles: {
      title: { fontSize: 16, bold: true, margin: [0, 0, 0, 2] },
      heading: { fontSize: 11, bold: true, margin: [0, 10, 0, 4] },
      meta: { fontSize: 8, color: '#444444', margin: [0, 4, 0, 8] },
    },
    footer: (page: number, pages: number) => ({
      text: `KORUS Mobility · ${meta.generatedOn} · ${page} / ${pages}`,
      alignment: 'center',
      fontSize: 7,
      color: '#666666',
    }),
    content,
  };
  return renderPdf(definition);
}

function filterText(filters: ConsoleFilters): string {
  const parts = Object.entries(filters)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(', ') : 'none / 없음';
}

/** Median (dark) and 90th percentile (light) lead time by month, as bars on a day scale. */
function leadTimeChart(data: ConsoleFigures['lead-times']): Content {
  const months = data.months.slice(-18);
  const width = 720;
  const height = 150;
  const max = Math.max(30, ...months.map((m) => m.p90 ?? m.median ?? 0));
  const slot = months.length ? width / months.length : width;
  const bar = Math.max(4, slot * 0.35);
  const y = (days: number) => height - (days / max) * height;
  const canvas: Record<string, unknown>[] = [
    { type: 'line', x1: 0, y1: height, x2: width, y2: height, lineWidth: 0.5, lineColor: '#888888' },
    // The seeds' goal: under a month.
    {
      type: 'line',
      x1: 0,
      y1: y(30),
      x2: width,
      y2: y(30),
      lineWidth: 0.8,
      dash: { length: 3 },
      lineColor: '#b91c1c',
    },
  ];
  months.forEach((m, k) => {
    const x = k * slot + slot * 0.1;
    if (m.p90 !== null)
      canvas.push({ type: 'rect', x: x + bar, y: y(m.p90), w: bar, h: height - y(m.p90), color: '#93c5fd' });
    if (m.median !== null)
      canvas.push({ type: 'rect', x, y: y(m.median), w: bar, h: height - y(m.median), color: '#1d4ed8' });
  });
  return {
    stack: [
      {
        text: 'Lead time from the staffing need to admission, days (dark: median, light: 90th percentile; dashed: 30 days) / 인력 수요부터 입국까지 소요 일수(진한 색: 중앙값, 옅은 색: 90백분위, 점선: 30일)',
        style: 'heading',
      },
      { canvas, margin: [0, 4, 0, 2] } as unknown as Content,
      {
        columns: months.map((m) => ({
          text: `${m.month.slice(2)}\n${m.median ?? '<'}`,
          fontSize: 6,
          alignment: 'center',
        })),
        columnGap: 0,
      },
    ],
  };
}

function quotaBars(data: ConsoleFigures['quota']): Content {
  const width = 400;
  const rows = data.programs.filter((p) => p.cap);
  return {
    stack: rows.map((p) => ({
      columns: [
        {
          text: `${p.label.en}${p.legalStatus === 'proposed' ? ' (proposed)' : ''}`,
          width: 160,
          fontSize: 7.5,
        },
        {
          canvas: [
            { type: 'rect', x: 0, y: 2, w: width, h: 8, color: '#e5e7eb' },
            { type: 'rect', x: 0, y: 2, w: Math.min(width, width * (p.share ?? 0)), h: 8, color: '#1d4ed8' },
          ],
          width: width + 10,
        } as Content,
        { text: `${p.used} / ${p.cap}`, fontSize: 7.5 },
      ],
      margin: [0, 1, 0, 1],
    })),
    margin: [0, 0, 0, 6],
  };
}
