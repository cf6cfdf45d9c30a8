/**
 * Letters and the embassy-desk batch manifest as PDFs (issue 5, items 5 and 6).
 *
 *   renderSupportLetter(input)     employer's B-1 support letter (installer, trainer or general), en or ko
 *   renderInvitationLetter(input)  US host's invitation of a business visitor, en or ko
 *   renderBatchManifestPdf(input)  the KIT Desk batch manifest, bilingual on the page
 *   batchManifestRows(input)       bilingual header + rows for the CSV export
 *
 * Inputs are validated with the zod schemas of contract/letters.ts (a ZodError on bad input). The wording
 * lives in templates/letters/ (see docs/letters.md); templates are compiled and checked once, on first use.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  batchManifestInputSchema,
  invitationLetterInputSchema,
  supportLetterInputSchema,
  type BatchManifestInput,
  type InvitationLetterInput,
  type LetterLanguage,
  type SupportLetterInput,
} from '../../contract/letters.js';
import { packageRoot } from '../package-root.js';
import { escapeMarkup, parseMarkup } from './markup.js';
import { markupToPdf, type Layout } from './pdf.js';
import { compileTemplate, TemplateError, type Shape, type Template } from './template.js';
import {
  batchManifestShape,
  batchManifestTable,
  batchManifestView,
  invitationLetterShape,
  invitationLetterView,
  supportLetterShape,
  supportLetterView,
  type ManifestTable,
} from './views.js';

export { TemplateError } from './template.js';
export { MarkupError } from './markup.js';
export { maskPassportNumber, type ManifestTable } from './views.js';

/** Every template file and the shape of the data it is given. */
export const letterTemplateShapes: Readonly<Record<string, Shape>> = {
  'support-letter.en.md': supportLetterShape,
  'support-letter.ko.md': supportLetterShape,
  'invitation-letter.en.md': invitationLetterShape,
  'invitation-letter.ko.md': invitationLetterShape,
  'batch-manifest.md': batchManifestShape,
};

export type LetterTemplates = Readonly<Record<string, Template>>;

export function defaultTemplateDirectory(): string {
  return join(packageRoot(), 'templates', 'letters');
}

/**
 * Reads and compiles every template of a folder. A missing template, a file that is not a known template, an
 * unknown placeholder or a malformed tag is a TemplateError: nothing renders until the folder is right.
 */
export async function loadLetterTemplates(directory = defaultTemplateDirectory()): Promise<LetterTemplates> {
  const present = (await readdir(directory)).filter((name) => name.endsWith('.md'));
  for (const name of present) {
    if (!Object.hasOwn(letterTemplateShapes, name)) {
      throw new TemplateError(join(directory, name), 1, 'is not a known letter template');
    }
  }
  const entries = await Promise.all(
    Object.entries(letterTemplateShapes).map(async ([name, shape]) => {
      const file = join(directory, name);
      if (!present.includes(name)) throw new TemplateError(file, 1, 'the template file is missing');
      return [name, compileTemplate(await readFile(file, 'utf8'), shape, file)] as const;
    }),
  );
  return Object.freeze(Object.fromEntries(entries));
}

let defaults: Promise<LetterTemplates> | undefined;

function defaultTemplates(): Promise<LetterTemplates> {
  defaults ??= loadLetterTemplates().catch((error: unknown) => {
    defaults = undefined;
    throw error;
  });
  return defaults;
}

async function render(
  templates: LetterTemplates | undefined,
  name: string,
  data: Record<string, unknown>,
  layout: Layout,
  meta: Parameters<typeof markupToPdf>[2],
): Promise<Buffer> {
  const template = (templates ?? (await defaultTemplates()))[name];
  if (!template) throw new TemplateError(name, 1, 'the template is not loaded');
  const markup = parseMarkup(template.render(data, escapeMarkup), template.file);
  return markupToPdf(markup, layout, meta);
}

const letterLayout: Layout = { orientation: 'portrait', fontSize: 10 };

const pageLabels: Record<LetterLanguage, (page: number, pages: number) => string> = {
  en: (page, pages) => `Page ${page} of ${pages}`,
  ko: (page, pages) => `${pages}쪽 중 ${page}쪽`,
};

export interface RenderOptions {
  /** Templates loaded from another folder (tests, a customer's own wording); the shipped ones by default. */
  templates?: LetterTemplates;
}

export async function renderSupportLetter(
  input: SupportLetterInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const letter = supportLetterInputSchema.parse(input);
  const name = `${letter.worker.familyName.toUpperCase()}, ${letter.worker.givenNames.toUpperCase()}`;
  return render(
    options.templates,
    `support-letter.${letter.language}.md`,
    supportLetterView(letter),
    letterLayout,
    {
      title:
        letter.language === 'en'
          ? `B-1 support letter: ${name}`
          : `B-1 비자 지원서(참고용 한국어본): ${letter.worker.hangulName}`,
      subject:
        letter.language === 'en' ? `Employer's support letter, ${letter.employer.name.en}` : '고용주 지원서',
      date: letter.issueDate,
      language: letter.language,
      pageLabel: pageLabels[letter.language],
    },
  );
}

export async function renderInvitationLetter(
  input: InvitationLetterInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const letter = invitationLetterInputSchema.parse(input);
  const name = `${letter.visitor.familyName.toUpperCase()}, ${letter.visitor.givenNames.toUpperCase()}`;
  return render(
    options.templates,
    `invitation-letter.${letter.language}.md`,
    invitationLetterView(letter),
    letterLayout,
    {
      title:
        letter.language === 'en'
          ? `Invitation letter: ${name}`
          : `초청장(참고용 한국어본): ${letter.visitor.hangulName}`,
      subject:
        letter.language === 'en' ? `Invitation from ${letter.host.name}` : `${letter.host.name} 초청장`,
      date: letter.issueDate,
      language: letter.language,
      pageLabel: pageLabels[letter.language],
    },
  );
}

const manifestLayout: Layout = {
  orientation: 'landscape',
  fontSize: 8,
  tableWidths: { 9: [30, 92, 56, 60, 124, 70, 58, '*', 74] },
};

export async function renderBatchManifestPdf(
  input: BatchManifestInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const batch = batchManifestInputSchema.parse(input);
  return render(options.templates, 'batch-manifest.md', batchManifestView(batch), manifestLayout, {
    title: `Batch manifest ${batch.batchId} · 일괄 신청 명단`,
    subject: `${batch.annotation.company} / ${batch.annotation.facility} / ${batch.annotation.project}`,
    date: batch.createdDate,
    language: 'en',
    pageLabel: (page, pages) => `${pageLabels.en(page, pages)} · ${pageLabels.ko(page, pages)}`,
  });
}

/** The CSV export of a batch manifest: bilingual header, one row per applicant, passports masked. */
export function batchManifestRows(input: BatchManifestInput): ManifestTable {
  return batchManifestTable(batchManifestInputSchema.parse(input));
}
