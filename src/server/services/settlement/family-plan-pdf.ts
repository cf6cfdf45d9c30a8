import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Directory, Plan, PlanFacts } from '../../../contract/settlement.js';
import { labels } from '../../../contract/labels.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';

/**
 * The family plan (issue 19, item 5): a bilingual PDF for the worker and counsel, the reader's language first
 * (Korean by default): the goal, the ranked paths as dated timelines with their citations, the filings due, the
 * spouse's work and each child's school years and age-out, the risks, and the directory near the site.
 */
type Lang = 'ko' | 'en';
const both = (lang: Lang, b: { en: string; ko: string }) =>
  lang === 'ko' ? `${b.ko}\n${b.en}` : `${b.en}\n${b.ko}`;
const head = (lang: Lang, en: string, ko: string) => (lang === 'ko' ? `${ko} / ${en}` : `${en} / ${ko}`);

export async function familyPlanPdf(
  input: { facts: PlanFacts; plan: Plan; directory: Directory | null; generatedAt: string },
  lang: Lang = 'ko',
): Promise<Buffer> {
  const { facts, plan } = input;
  const cell = (text: string, bold = false) => ({ text, fontSize: 7.5, bold });
  const goal = plan.goal.kind === 'permanent' ? { en: 'Permanent residence', ko: '영주권' } : { en: `Stay ${plan.goal.years} years`, ko: `${plan.goal.years}년 체류` }; // prettier-ignore
  const content: Content[] = [
    { text: head(lang, 'Family plan', '가족 정착 계획'), fontSize: 16, bold: true },
    {
      text: [
        `${facts.worker.name ?? ''}${facts.employer.name ? ` · ${facts.employer.name}` : ''}\n`,
        `${head(lang, 'Goal', '목표')}: ${both(lang, goal).replace('\n', ' / ')} · ${head(lang, 'As of', '기준일')} ${plan.asOf} · ${head(lang, 'State', '주')} ${plan.state}\n`, // prettier-ignore
        `${head(lang, 'Visa Bulletin used', '사용한 비자 공보')}: ${plan.bulletin.month} (${head(lang, 'final action dates', '최종 처리일')})${plan.bulletin.verify ? ` · ${head(lang, 'verify', '확인 필요')}` : ''}\n`, // prettier-ignore
        `${head(lang, 'Generated', '작성')} ${input.generatedAt} (UTC)`,
      ],
      fontSize: 8,
      color: '#444444',
      margin: [0, 4, 0, 6],
    },
    { text: both(lang, plan.notice), fontSize: 8, italics: true, margin: [0, 0, 0, 8] },
  ];
  const family = [
    facts.family.spouse ? `${head(lang, 'Spouse', '배우자')}: ${facts.family.spouse.name ?? ''} (${facts.family.spouse.birthDate})` : null, // prettier-ignore
    ...facts.family.children.map((c, i) => `${head(lang, `Child ${i + 1}`, `자녀 ${i + 1}`)}: ${c.name ?? ''} (${c.birthDate})`), // prettier-ignore
  ].filter(Boolean) as string[];
  if (family.length) content.push({ text: family.join('\n'), fontSize: 8, margin: [0, 0, 0, 8] });

  for (const path of plan.paths.slice(0, 4)) {
    content.push({ text: `${path.rank}. ${both(lang, path.title).replace('\n', ' / ')}`, fontSize: 12, bold: true, margin: [0, 10, 0, 2], color: path.scenario ? '#8a5a00' : '#000000' }); // prettier-ignore
    content.push({ text: both(lang, path.summary), fontSize: 8, margin: [0, 0, 0, 4] });
    const rows = [
      ...path.segments.map((s) => [cell(`${s.from} – ${s.to}`), cell(both(lang, s.label)), cell(both(lang, s.limit)), cell(s.citation + (s.verify ? ` (${head(lang, 'verify', '확인 필요')})` : ''))]), // prettier-ignore
      ...path.steps.map((s) => [cell(s.from === s.to ? s.from : `${s.from} – ${s.to}`), cell(both(lang, s.label), true), cell(s.estimate ? head(lang, 'estimate', '추정') : ''), cell(s.citation + (s.verify ? ` (${head(lang, 'verify', '확인 필요')})` : ''))]), // prettier-ignore
    ];
    content.push({
      table: { headerRows: 1, widths: [80, '*', 90, 110], body: [[cell(head(lang, 'Dates', '기간'), true), cell(head(lang, 'Status or step', '신분·절차'), true), cell(head(lang, 'Limit', '한도'), true), cell(head(lang, 'Source', '근거'), true)], ...rows] }, // prettier-ignore
      layout: 'lightHorizontalLines',
    });
    if (path.filings.length)
      content.push(
        { text: head(lang, 'Filings due', '신청 기한'), bold: true, fontSize: 9, margin: [0, 6, 0, 2] },
        {
          ul: path.filings.map((f) => ({ text: `${f.dueBy}: ${both(lang, f.label).replace('\n', ' / ')} — ${lang === 'ko' ? f.reason.ko : f.reason.en} (${f.citation})`, fontSize: 7.5 })), // prettier-ignore
        },
      );
    if (path.spouse.length)
      content.push(
        { text: head(lang, "Spouse's work", '배우자 취업'), bold: true, fontSize: 9, margin: [0, 6, 0, 2] },
        {
          ul: path.spouse.map((s) => ({ text: `${s.from} – ${s.to} · ${both(lang, s.label).replace('\n', ' / ')}: ${both(lang, labels('spouseWork', s.work)).replace('\n', ' / ')} — ${lang === 'ko' ? s.explanation.ko : s.explanation.en}`, fontSize: 7.5 })), // prettier-ignore
        },
      );
    for (const c of path.children) {
      const dates = [`${head(lang, 'Turns 21', '만 21세')}: ${c.turns21On}`, ...(c.ageOutOn ? [`${head(lang, 'Age-out date (CSPA)', '연령 초과 기준일(CSPA)')}: ${c.ageOutOn}${c.protectedAsChild === false ? ` — ${head(lang, 'ages out on this path', '이 경로에서 연령 초과')}` : ''}`] : [])].join(' · '); // prettier-ignore
      content.push({ text: `${head(lang, 'Child', '자녀')} ${c.index + 1}${c.name ? ` · ${c.name}` : ''} (${c.birthDate}) — ${lang === 'ko' ? c.explanation.ko : c.explanation.en}\n${dates}`, fontSize: 8, margin: [0, 5, 0, 2] }); // prettier-ignore
      if (c.school.length)
        content.push({
          table: { body: [c.school.map((s) => cell(s.schoolYear, true)), c.school.map((s) => cell(s.grade === 'pre' ? head(lang, 'pre-K', '취학 전') : s.grade === 'K' ? head(lang, 'K', '유치원') : lang === 'ko' ? `${s.grade}학년` : `grade ${s.grade}`))] }, // prettier-ignore
          layout: 'lightHorizontalLines',
        });
    }
    if (path.risks.length)
      content.push(
        { text: head(lang, 'Risks', '위험 요소'), bold: true, fontSize: 9, margin: [0, 6, 0, 2] },
        {
          ul: path.risks.map((r) => ({ text: `${lang === 'ko' ? r.text.ko : r.text.en}${r.citation ? ` (${r.citation})` : ''}`, fontSize: 7.5, color: r.severity === 'critical' ? '#a00000' : '#000000' })), // prettier-ignore
        },
      );
  }
  if (plan.unavailable.length) {
    content.push({ text: head(lang, 'Routes not open to this worker', '이 근로자에게 해당하지 않는 경로'), bold: true, fontSize: 10, margin: [0, 10, 0, 2] }); // prettier-ignore
    content.push({
      ul: plan.unavailable.map((u) => ({ text: lang === 'ko' ? u.reason.ko : u.reason.en, fontSize: 7.5 })),
    });
  }
  if (input.directory && input.directory.items.length) {
    content.push({ text: head(lang, `Near the site: ${input.directory.siteName}`, `사업장 인근 안내: ${input.directory.siteName}`), bold: true, fontSize: 12, margin: [0, 12, 0, 4], pageBreak: 'before' }); // prettier-ignore
    content.push({
      table: {
        headerRows: 1,
        widths: [70, '*', 110, 80],
        body: [
          [cell(head(lang, 'Kind', '종류'), true), cell(head(lang, 'Name', '이름'), true), cell(head(lang, 'Contact', '연락처'), true), cell(head(lang, 'Verified', '확인'), true)], // prettier-ignore
          ...input.directory.items.map((e) => [
            cell(both(lang, labels('directoryKind', e.kind)).replace('\n', ' / ')),
            cell(`${both(lang, e.name)}${e.fictional ? `\n(${head(lang, 'fictional', '가상')})` : ''}`),
            cell([e.phone, e.email, e.website, e.address].filter(Boolean).join('\n')),
            cell(
              `${e.verifiedOn}\n${e.verifiedBy}${e.status === 'verify' ? ` (${head(lang, 'verify', '확인 필요')})` : ''}`,
            ),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
    });
  }
  const doc: TDocumentDefinitions = {
    info: { title: 'Family plan / 가족 정착 계획', creator: 'KORUS Mobility' },
    pageSize: 'A4',
    pageMargins: [36, 36, 36, 36],
    defaultStyle: { font: FONT_FAMILY, fontSize: 8 },
    content,
  };
  return renderPdf(doc);
}
