/**
 * The site roster as CSV and as a bilingual PDF with a contact sheet (issue 6). Both take the roster of
 * `siteRoster` (same visibility) and add what the JSON roster leaves out: the admission date of each person's
 * current stay, the consulate's street address (from rules/data/korean-consulates.yaml) and the site owner.
 *
 * The PDF is rendered by the letters' `renderPdf` (src/server/letters/pdf.ts); the letters' markup has no
 * colours, so the roster builds its pdfmake document directly.
 */
import { activityCatalog } from '../../../core/visas/activities.js';
import type { ActivityId } from '../../../contract/assessment.js';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Roster } from '../../../contract/pipeline.js';
import { loadConsulates } from '../../../core/consulates.js';
import { FONT_FAMILY, renderPdf } from '../../letters/pdf.js';
import type { ServiceContext } from '../context.js';
import type { PipelineDeps } from '../pipeline/common.js';
import { listSites } from '../sites.js';
import { siteRoster } from './roster.js';

type Person = Roster['people'][number];
type Flag = Person['flag'];

export interface RosterExport {
  roster: Roster;
  /** Admission date of the stay covering the roster date, by worker. */
  admittedOn: Record<string, string>;
  site: { name: string; address: string; city: string; state: string; organizationName: string };
  consulate: {
    name: { en: string; ko: string };
    address: string | null;
    city: string;
    phone: string | null;
    website: string | null;
    verify: boolean;
  } | null;
}

/** The roster with what the exports add to it; throws `resource.not_found` for a site the caller cannot see. */
export async function rosterExport(
  ctx: ServiceContext,
  deps: PipelineDeps,
  siteId: string,
  date?: string,
): Promise<RosterExport> {
  const roster = await siteRoster(ctx, deps, siteId, date);
  const site = (await listSites(ctx)).find((s) => s.id === siteId)!;
  const ids = roster.people.filter((p) => p.present).map((p) => p.workerId);
  const admittedOn: Record<string, string> = {};
  if (ids.length > 0) {
    const rows = await ctx.db.query<{ worker_id: string; admitted_on: string }>(
      `SELECT DISTINCT ON (worker_id) worker_id, admitted_on::text
         FROM entries
        WHERE worker_id = ANY($1::uuid[]) AND dependent_id IS NULL AND admitted_on <= $2
          AND (departed_on IS NULL OR departed_on >= $2)
        ORDER BY worker_id, admitted_on DESC`,
      [ids, roster.date],
    );
    for (const r of rows) admittedOn[r.worker_id] = r.admitted_on;
  }
  const ref = roster.consulate as {
    id: string;
    name: { en: string; ko: string };
    city: string;
    phone: string | null;
    website: string | null;
    verify: boolean;
  } | null;
  const post = ref ? loadConsulates().posts.find((p) => p.id === ref.id) : undefined;
  return {
    roster,
    admittedOn,
    site: {
      name: site.name,
      address: site.address,
      city: site.city,
      state: site.state,
      organizationName: site.organizationName,
    },
    consulate: ref
      ? {
          name: ref.name,
          address: post?.address ?? null,
          city: ref.city,
          phone: ref.phone,
          website: ref.website,
          verify: ref.verify,
        }
      : null,
  };
}

const flagText: Record<Flag, { en: string; ko: string; symbol: string; colour: string }> = {
  green: { en: 'Green: permitted', ko: '녹색: 허용', symbol: '●', colour: '#1a7f37' },
  amber: { en: 'Amber: conditional', ko: '황색: 조건부', symbol: '▲', colour: '#b35900' },
  red: { en: 'Red: not permitted', ko: '적색: 불허', symbol: '■', colour: '#c62828' },
  grey: { en: 'Grey: not present', ko: '회색: 미입국', symbol: '○', colour: '#6b7280' },
};

/** An activity and what the person's class makes of it, in words: "Equipment installation / 설비 설치: permitted / 허용". */
const activityName = (id: string) => {
  const label = activityCatalog[id as ActivityId]?.label;
  return label ? `${label.en} / ${label.ko}` : id;
};
const flagWord = (flag: Flag) => {
  const [en, ko] = [flagText[flag].en.split(': ')[1]!, flagText[flag].ko.split(': ')[1]!];
  return `${en} / ${ko}`;
};
const activityWord = (a: Person['activities'][number]) => `${activityName(a.activity)}: ${flagWord(a.flag)}`;

export const rosterCsvHeader = [
  'Name (Hangul) / 성명(한글)',
  'Name (passport) / 성명(여권)',
  'Employer / 소속',
  'Project / 프로젝트',
  'Present / 체류 중',
  'Class of admission / 입국 자격',
  'Admitted on / 입국일',
  'Admit until / 체류 만료일',
  'Days left / 남은 일수',
  'Flag / 상태',
  'Activities / 활동',
  'Warnings / 경고',
] as const;

/** One row per person, in the order of `rosterCsvHeader`. */
export function rosterCsvRows(data: RosterExport): unknown[][] {
  return data.roster.people.map((p) => [
    p.nameHangul,
    p.name,
    p.employer,
    p.project,
    p.present ? 'yes / 예' : 'no / 아니요',
    p.classOfAdmission ?? '',
    data.admittedOn[p.workerId] ?? '',
    p.admitUntil ?? '',
    p.daysRemaining ?? '',
    `${flagText[p.flag].en} / ${flagText[p.flag].ko}`,
    p.activities.map(activityWord).join('; '),
    p.warnings.map((w) => `${w.message.en} / ${w.message.ko}`).join('; '),
  ]);
}

// ---------------------------------------------------------------- PDF

const NOT_ON_FILE = 'Not on file / 등록되지 않음';

function contactRow(label: string, value: string | null | undefined): TableCell[] {
  return [{ text: label, bold: true }, value ? value : { text: NOT_ON_FILE, color: '#6b7280' }];
}

type ContactGroup = Roster['contacts'][number];
type Contact = ContactGroup['items'][number];

const languageNames: Record<string, string> = { ko: '한국어', en: 'English' };

/** One contact as a cell: who, where, how to reach them, when and in which language. */
function contactCell(c: Contact): TableCell {
  const lines: (string | { text: string; bold?: boolean })[] = [{ text: c.name, bold: true }];
  if (c.title) lines.push(`, ${c.title}`);
  if (c.firm) lines.push(`\n${c.firm}`);
  lines.push(`\nPhone / 전화: ${c.phone}`);
  if (c.email) lines.push(`\nE-mail / 이메일: ${c.email}`);
  if (c.hours) lines.push(`\nHours / 연락 가능 시간: ${c.hours}`);
  if (c.languages.length > 0)
    lines.push(`\nLanguages / 사용 언어: ${c.languages.map((l) => languageNames[l] ?? l).join(', ')}`);
  if (c.notes) lines.push(`\n${c.notes}`);
  return { text: lines };
}

function contactRows(label: string, items: readonly Contact[]): TableCell[][] {
  if (items.length === 0) return [contactRow(label, null)];
  return items.map((c, i) => [{ text: i === 0 ? label : '', bold: true }, contactCell(c)]);
}

/**
 * The company part of the contact sheet: the site owner's counsel and emergency contacts, then each partner
 * employer's. What is not on file says so, with where to enter it; nothing is invented.
 */
function companyContacts(roster: Roster): Content[] {
  const out: Content[] = [];
  for (const g of roster.contacts) {
    out.push({
      text: g.role === 'site_owner' ? 'Company · 회사' : 'Partner employer · 협력 업체',
      style: 'h3',
    });
    out.push({
      table: {
        widths: [140, '*'],
        body: [
          contactRow('Organization / 회사', g.organizationName),
          ...contactRows(
            'Counsel / 법률 대리인',
            g.items.filter((c) => c.kind === 'counsel'),
          ),
          ...contactRows(
            'Emergency contact / 비상 연락처',
            g.items.filter((c) => c.kind === 'emergency'),
          ),
        ],
      },
      layout: 'lightHorizontalLines',
    });
    if (!g.items.some((c) => c.kind === 'counsel') || !g.items.some((c) => c.kind === 'emergency'))
      out.push({
        text: "Missing contacts are entered by the company's administrators under Administration → Organizations → Contacts. 누락된 연락처는 회사 관리자가 관리 → 조직 → 연락처에서 입력합니다.",
        fontSize: 7.5,
        color: '#6b7280',
        margin: [0, 2, 0, 0],
      });
  }
  return out;
}

export function rosterPdfDefinition(data: RosterExport): TDocumentDefinitions {
  const { roster, site, consulate } = data;
  const c = roster.counts;
  const header: TableCell[] = [
    'Name / 성명',
    'Employer · Project / 소속 · 프로젝트',
    'Class / 자격',
    'Admitted / 입국일',
    'Admit until / 만료일',
    'Days left / 남은 일수',
    'Flag / 상태',
    'Activities / 활동',
    'Warnings / 경고',
  ].map((text) => ({ text, bold: true }));
  const body: TableCell[][] = [header];
  for (const p of roster.people) {
    const f = flagText[p.flag];
    body.push([
      { text: [{ text: p.nameHangul, bold: true }, `\n${p.name}`] },
      `${p.employer}\n${p.project}`,
      p.classOfAdmission ?? '—',
      data.admittedOn[p.workerId] ?? '—',
      p.admitUntil ?? '—',
      p.daysRemaining === null ? '—' : String(p.daysRemaining),
      { text: `${f.symbol} ${f.en}\n${f.ko}`, color: f.colour, bold: true },
      {
        text: p.activities.flatMap((a, i) => [
          ...(i > 0 ? ['\n'] : []),
          { text: `${flagText[a.flag].symbol} `, color: flagText[a.flag].colour },
          `${activityName(a.activity)} (${flagWord(a.flag)})`,
        ]),
      },
      p.warnings.length === 0 ? '—' : p.warnings.map((w) => `${w.message.en}\n${w.message.ko}`).join('\n'),
    ]);
  }
  if (roster.people.length === 0)
    body.push([
      { text: 'Nobody is assigned on this date / 이 날짜에 배정된 인원이 없습니다', colSpan: 9 },
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);

  const consulateRows: TableCell[][] = consulate
    ? [
        contactRow('Consulate / 총영사관', `${consulate.name.en}\n${consulate.name.ko}`),
        contactRow('Address / 주소', consulate.address ?? consulate.city),
        contactRow('Phone / 전화', consulate.phone),
        contactRow('Website / 웹사이트', consulate.website),
      ]
    : [contactRow('Consulate / 총영사관', null)];
  const content: Content[] = [
    { text: 'Site roster · 현장 인원 명단', style: 'h1' },
    {
      text: [
        { text: 'Site / 현장: ', bold: true },
        `${roster.siteName} (${site.address}, ${site.city}, ${site.state})\n`,
        { text: 'Date / 날짜: ', bold: true },
        `${roster.date} (${roster.timeZone})\n`,
        { text: 'Counts / 인원: ', bold: true },
        `expected ${c.expected} 예정 · present ${c.present} 체류 · `,
        { text: `■ red ${c.red} 적색`, color: flagText.red.colour },
        ' · ',
        { text: `▲ amber ${c.amber} 황색`, color: flagText.amber.colour },
        ' · ',
        { text: `● green ${c.green} 녹색`, color: flagText.green.colour },
      ],
      margin: [0, 0, 0, 8],
    },
    {
      table: { headerRows: 1, dontBreakRows: true, widths: [78, 96, 34, 52, 52, 36, 70, '*', 130], body },
      layout: {
        hLineWidth: () => 0.5,
        vLineWidth: () => 0.5,
        hLineColor: () => '#9aa5b1',
        vLineColor: () => '#9aa5b1',
        fillColor: (row: number) => (row === 0 ? '#eef1f4' : null),
      },
      fontSize: 7.5,
    },
    {
      text: 'Flags: green ● permitted by the class of admission; amber ▲ conditional; red ■ not permitted; grey ○ not present. 상태: 녹색 ● 입국 자격으로 허용, 황색 ▲ 조건부, 적색 ■ 불허, 회색 ○ 미입국.',
      fontSize: 7,
      color: '#444444',
      margin: [0, 4, 0, 0],
    },
    { text: 'Contact sheet · 비상 연락처', style: 'h2', pageBreak: 'before' },
    { text: 'Korean consulate general of jurisdiction · 관할 총영사관', style: 'h3' },
    {
      table: { widths: [140, '*'], body: consulateRows },
      layout: 'lightHorizontalLines',
    },
    ...(consulate?.verify
      ? [
          {
            text: 'Consulate data is marked "verify": check it against the post’s website. 총영사관 정보는 확인이 필요합니다: 공관 웹사이트에서 확인하세요.',
            fontSize: 7.5,
            color: '#6b7280',
            margin: [0, 2, 0, 0],
          } as Content,
        ]
      : []),
    ...companyContacts(roster),
    {
      text: 'In an emergency call 911. 긴급 상황에서는 911에 전화하세요.',
      margin: [0, 8, 0, 0],
      bold: true,
    },
  ];
  return {
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [32, 32, 32, 48],
    language: 'en-US',
    info: {
      title: `Site roster ${roster.siteName} ${roster.date} · 현장 인원 명단`,
      subject: `${site.organizationName} / ${roster.siteName}`,
      author: 'KORUS Mobility',
      creator: 'KORUS Mobility',
      producer: 'KORUS Mobility (pdfmake)',
      creationDate: new Date(`${roster.date}T00:00:00Z`),
      modDate: new Date(`${roster.date}T00:00:00Z`),
    },
    content,
    footer: (page: number, pages: number) => ({
      margin: [32, 12, 32, 0],
      columns: [
        {
          text: 'Issued by the employer from its records and the I-94; not a government document. 고용주가 자체 기록과 I-94를 바탕으로 작성한 자료이며 정부 문서가 아닙니다.',
          fontSize: 7,
          color: '#555555',
        },
        {
          text: `Page ${page} of ${pages} · ${page}/${pages}쪽`,
          fontSize: 7,
          alignment: 'right',
          width: 110,
        },
      ],
    }),
    defaultStyle: { font: FONT_FAMILY, fontSize: 8.5, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 15, bold: true, margin: [0, 0, 0, 6] },
      h2: { fontSize: 12, bold: true, margin: [0, 0, 0, 6] },
      h3: { fontSize: 10, bold: true, margin: [0, 8, 0, 3] },
    },
  };
}

export async function renderRosterPdf(data: RosterExport): Promise<Buffer> {
  return renderPdf(rosterPdfDefinition(data));
}
