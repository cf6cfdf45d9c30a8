import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { labels } from '../../../contract/labels.js';
import { questionnaireDefinitions, type Questionnaire } from '../../../contract/questionnaire.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';

/**
 * The questionnaire as a bilingual PDF for filing (issue 18): every question in English and Korean with the
 * worker's answer, lists as tables, the status and who accepted it. Noto Sans KR, so Hangul answers render.
 */
function valueText(value: unknown): string {
  if (value === true) return 'Yes / 예';
  if (value === false) return 'No / 아니요';
  if (value === null || value === undefined || value === '') return '—';
  return String(value);
}

export async function renderQuestionnairePdf(q: Questionnaire, generatedAt: string): Promise<Buffer> {
  const definition = questionnaireDefinitions[q.form];
  const status = labels('questionnaireStatus', q.status);
  const content: Content[] = [
    { text: definition.title.en, style: 'title' },
    { text: definition.title.ko, style: 'title' },
    {
      text: [
        `${q.worker.nameHangul} ${q.worker.name}\n`,
        `Status / 상태: ${status.en} / ${status.ko}`,
        q.acceptedAt ? ` · ${q.acceptedBy ?? ''} ${q.acceptedAt}` : '',
        `\nGenerated / 생성: ${generatedAt} (UTC)`,
      ],
      style: 'meta',
    },
  ];
  for (const section of definition.sections) {
    content.push({ text: `${section.title.en} / ${section.title.ko}`, style: 'heading' });
    const values = q.answers[section.id] ?? {};
    const body: Content[][] = [];
    for (const field of section.fields) {
      const value = values[field.id];
      const label = { text: `${field.label.en}\n${field.label.ko}`, fontSize: 8, color: '#444444' };
      if (field.kind === 'list') {
        const rows = Array.isArray(value) ? value : [];
        const sub = field.fields ?? [];
        body.push([
          label,
          rows.length === 0
            ? { text: '—' }
            : {
                table: {
                  headerRows: 1,
                  widths: sub.map(() => '*'),
                  body: [
                    sub.map((s) => ({ text: `${s.label.en} / ${s.label.ko}`, bold: true, fontSize: 7 })),
                    ...rows.map((r) => sub.map((s) => ({ text: valueText(r?.[s.id]), fontSize: 8 }))),
                  ],
                },
                layout: 'lightHorizontalLines',
              },
        ]);
      } else body.push([label, { text: valueText(value), fontSize: 9 }]);
    }
    content.push({
      table: { widths: [170, '*'], body },
      layout: 'lightHorizontalLines',
      margin: [0, 2, 0, 8],
    });
  }
  const doc: TDocumentDefinitions = {
    info: { title: `${definition.title.en} / ${definition.title.ko}`, creator: 'KORUS Mobility' },
    pageSize: 'A4',
    pageMargins: [40, 40, 40, 40],
    defaultStyle: { font: FONT_FAMILY, fontSize: 9 },
    styles: {
      title: { fontSize: 15, bold: true, margin: [0, 0, 0, 2] },
      heading: { fontSize: 11, bold: true, margin: [0, 10, 0, 2] },
      meta: { fontSize: 8, color: '#444444', margin: [0, 4, 0, 8] },
    },
    content,
  };
  return renderPdf(doc);
}
