/**
 * Markup -> PDF with pdfmake 0.3.11 on Node and the Noto Sans KR fonts (regular and bold, SIL OFL 1.1, from
 * the @expo-google-fonts/noto-sans-kr package), embedded as subsets so Hangul renders everywhere.
 *
 * Every render builds its own printer, virtual file system and URL resolver: nothing is shared between two
 * renders except the font bytes, which are read once and never written. pdfmake's module-level singleton
 * (fonts, access policies) is not used. No network and no local file access are allowed to the document.
 * Output is deterministic for the same input: the creation date comes from the input, pdfkit derives the file
 * id from the metadata, and the font subset tags from the font's position.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Block, Inline, MarkupDocument } from './markup.js';

const require = createRequire(import.meta.url);

interface PdfKitDocument {
  on(event: 'readable' | 'end' | 'error', listener: (error?: unknown) => void): void;
  read(): Buffer | null;
  end(): void;
}
interface PrinterInstance {
  createPdfKitDocument(definition: TDocumentDefinitions, options?: object): Promise<PdfKitDocument>;
}
type PrinterClass = new (
  fonts: object,
  virtualfs: VirtualFonts,
  urlResolver: object,
  localAccessPolicy: (path: string) => boolean,
) => PrinterInstance;
type UrlResolverClass = new (fs: VirtualFonts) => {
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
};

// pdfmake is loaded on the first render, not at start-up (about 100 ms of module loading).
let pdfmake: { Printer: PrinterClass; UrlResolver: UrlResolverClass } | undefined;
function loadPdfmake() {
  return (pdfmake ??= {
    Printer: (require('pdfmake/js/Printer.js') as { default: PrinterClass }).default,
    UrlResolver: (require('pdfmake/js/URLResolver.js') as { default: UrlResolverClass }).default,
  });
}

export const FONT_FAMILY = 'NotoSansKR';
export const FONT_FILES = {
  normal: '@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf',
} as const;

let fontBytes: Promise<Readonly<Record<string, Buffer>>> | undefined;

function loadFonts(): Promise<Readonly<Record<string, Buffer>>> {
  fontBytes ??= (async () => {
    const [normal, bold] = await Promise.all([
      readFile(require.resolve(FONT_FILES.normal)),
      readFile(require.resolve(FONT_FILES.bold)),
    ]);
    return Object.freeze({ 'NotoSansKR-Regular.ttf': normal, 'NotoSansKR-Bold.ttf': bold });
  })().catch((error: unknown) => {
    fontBytes = undefined;
    throw error;
  });
  return fontBytes;
}

/** The in-memory file system pdfmake reads the fonts from: read-only, one per render. */
class VirtualFonts {
  constructor(private readonly files: Readonly<Record<string, Buffer>>) {}
  existsSync(name: string): boolean {
    return Object.hasOwn(this.files, name);
  }
  readFileSync(name: string): Buffer {
    const file = this.files[name];
    if (!file) throw new Error(`font ${name} is not available`);
    return file;
  }
  writeFileSync(): void {
    throw new Error('PDFs never download resources');
  }
}

function text(inline: Inline): Content {
  return { text: inline.map((run) => (run.bold ? { text: run.text, bold: true } : run.text)) };
}

function lines(inlines: Inline[]): Content {
  return {
    text: inlines.flatMap((inline, i) => [
      ...(i > 0 ? ['\n'] : []),
      ...inline.map((run) => (run.bold ? { text: run.text, bold: true } : run.text)),
    ]),
  };
}

export interface Layout {
  orientation: 'portrait' | 'landscape';
  fontSize: number;
  /** Relative widths of a table's columns (by the table's column count), '*' when missing. */
  tableWidths?: Record<number, (number | '*' | 'auto')[]>;
}

function block(node: Block, layout: Layout): Content {
  switch (node.kind) {
    case 'heading':
      return { ...(text(node.inline) as object), style: `h${node.level}` } as Content;
    case 'paragraph':
      return { ...(lines(node.lines) as object), style: 'paragraph' } as Content;
    case 'list':
      return { ul: node.items.map(text), style: 'list' };
    case 'quote':
      return {
        table: { widths: ['*'], body: [[{ ...(lines(node.lines) as object), style: 'quote' } as TableCell]] },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: (i: number) => (i === 0 ? 2 : 0),
          vLineColor: () => '#9aa5b1',
          paddingLeft: () => 10,
        },
        style: 'quoteBox',
      };
    case 'table': {
      const width = node.header?.length ?? node.rows[0]?.length ?? 1;
      const body: TableCell[][] = [];
      if (node.header)
        body.push(node.header.map((cell) => ({ ...(text(cell) as object), style: 'th' }) as TableCell));
      for (const row of node.rows) body.push(row.map((cell) => text(cell) as TableCell));
      return {
        table: {
          headerRows: node.header ? 1 : 0,
          dontBreakRows: true,
          widths: layout.tableWidths?.[width] ?? Array.from({ length: width }, () => '*'),
          body,
        },
        layout: {
          hLineWidth: () => 0.5,
          vLineWidth: () => 0.5,
          hLineColor: () => '#9aa5b1',
          vLineColor: () => '#9aa5b1',
          fillColor: (row: number) => (node.header && row === 0 ? '#eef1f4' : null),
        },
        style: 'table',
      };
    }
    case 'keep':
      return { stack: node.blocks.map((child) => block(child, layout)), unbreakable: true };
    case 'space':
      return { text: ' ', margin: [0, 0, 0, 2 * layout.fontSize] };
    case 'rule':
      return {
        canvas: [
          {
            type: 'line',
            x1: 0,
            y1: 0,
            x2: layout.orientation === 'portrait' ? 495 : 762,
            y2: 0,
            lineWidth: 0.5,
          },
        ],
        margin: [0, 4, 0, 8],
      };
  }
}

export interface PdfMetadata {
  title: string;
  subject: string;
  /** ISO date: the creation date of the PDF (keeps the output deterministic). */
  date: string;
  language: 'en' | 'ko';
  /** "Page 1 of 2" in the document's words. */
  pageLabel: (page: number, pages: number) => string;
}

/**
 * Renders a pdfmake document with the Noto Sans KR fonts: its own printer, virtual font file system and URL
 * resolver per render, no network, no local files. Shared by the letters, the manifests and the roster.
 */
export async function renderPdf(definition: TDocumentDefinitions): Promise<Buffer> {
  const virtualfs = new VirtualFonts(await loadFonts());
  const { Printer, UrlResolver } = loadPdfmake();
  const urlResolver = new UrlResolver(virtualfs);
  urlResolver.setUrlAccessPolicy(() => false);
  const fonts = {
    [FONT_FAMILY]: {
      normal: 'NotoSansKR-Regular.ttf',
      bold: 'NotoSansKR-Bold.ttf',
      italics: 'NotoSansKR-Regular.ttf',
      bolditalics: 'NotoSansKR-Bold.ttf',
    },
  };
  const printer = new Printer(fonts, virtualfs, urlResolver, () => false);
  const pdf = await printer.createPdfKitDocument(definition);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('readable', () => {
      let chunk: Buffer | null;
      while ((chunk = pdf.read()) !== null) chunks.push(chunk);
    });
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}

export async function markupToPdf(doc: MarkupDocument, layout: Layout, meta: PdfMetadata): Promise<Buffer> {
  const created = new Date(`${meta.date}T00:00:00Z`);
  const footer = doc.footer;
  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageOrientation: layout.orientation,
    pageMargins: layout.orientation === 'portrait' ? [50, 40, 50, 78] : [40, 32, 40, 64],
    language: meta.language === 'ko' ? 'ko-KR' : 'en-US',
    info: {
      title: meta.title,
      subject: meta.subject,
      author: 'KORUS Mobility',
      creator: 'KORUS Mobility',
      producer: 'KORUS Mobility (pdfmake)',
      creationDate: created,
      modDate: created,
    },
    content: doc.body.map((node) => block(node, layout)),
    footer: (page: number, pages: number) => ({
      margin: layout.orientation === 'portrait' ? [50, 10, 50, 0] : [40, 8, 40, 0],
      stack: [
        ...footer.map((inline) => ({ ...(text(inline) as object), style: 'footer' }) as Content),
        { text: meta.pageLabel(page, pages), style: 'footer', alignment: 'right' },
      ],
    }),
    defaultStyle: { font: FONT_FAMILY, fontSize: layout.fontSize, lineHeight: 1.2 },
    styles: {
      h1: { fontSize: layout.fontSize + 4, bold: true, margin: [0, 4, 0, 6] },
      h2: { fontSize: layout.fontSize + 1.5, bold: true, margin: [0, 6, 0, 3] },
      h3: { fontSize: layout.fontSize + 1, bold: true, margin: [0, 6, 0, 2] },
      paragraph: { margin: [0, 0, 0, 6] },
      list: { margin: [0, 0, 0, 6] },
      quote: { color: '#333333' },
      quoteBox: { margin: [0, 0, 0, 6] },
      table: { margin: [0, 2, 0, 8], fontSize: layout.fontSize - 0.5 },
      th: { bold: true },
      footer: { fontSize: 7.5, color: '#555555', lineHeight: 1.15 },
    },
  };
  return renderPdf(definition);
}
