/**
 * Test helper: reads back what a pdfkit/pdfmake PDF shows, without poppler. Content streams are inflated with
 * node:zlib; text is drawn as hex glyph ids of Identity-H fonts, mapped back to Unicode through each font's
 * ToUnicode CMap. Enough for our own PDFs (pdfkit output), not a general PDF parser.
 */
import { inflateSync } from 'node:zlib';

export interface PdfObject {
  id: number;
  dictionary: string;
  stream?: Buffer;
}

export function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const source = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  let match: RegExpExecArray | null;
  while ((match = header.exec(source))) {
    const id = Number(match[1]);
    const start = header.lastIndex;
    const end = source.indexOf('endobj', start);
    if (end < 0) break;
    const body = source.slice(start, end);
    const streamAt = body.indexOf('stream');
    if (streamAt < 0) {
      objects.set(id, { id, dictionary: body.trim() });
      continue;
    }
    const dictionary = body.slice(0, streamAt).trim();
    const length = /\/Length (\d+)/.exec(dictionary);
    let dataStart = start + streamAt + 'stream'.length;
    if (source[dataStart] === '\r') dataStart++;
    if (source[dataStart] === '\n') dataStart++;
    const dataEnd = length ? dataStart + Number(length[1]) : source.indexOf('endstream', dataStart);
    let stream: Buffer = pdf.subarray(dataStart, dataEnd);
    if (/\/Filter\s*\/FlateDecode/.test(dictionary)) stream = inflateSync(stream);
    objects.set(id, { id, dictionary, stream });
    header.lastIndex = end;
  }
  return objects;
}

/** Glyph id (hex, upper case) -> text, from a ToUnicode CMap. */
export function parseToUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const utf16 = (hex: string) => {
    let out = '';
    for (let i = 0; i + 4 <= hex.length; i += 4)
      out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  };
  const width = (hex: string) => hex.length;
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const entry of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) {
      map.set(entry[1]!.toUpperCase(), utf16(entry[2]!));
    }
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    const entries = section[1]!.matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
    );
    for (const entry of entries) {
      const low = parseInt(entry[1]!, 16);
      const high = parseInt(entry[2]!, 16);
      const digits = width(entry[1]!);
      const key = (n: number) => n.toString(16).toUpperCase().padStart(digits, '0');
      const target = entry[3]!;
      if (target.startsWith('[')) {
        // An entry may hold several code points, space-separated: <0066 0066 0069> is "ffi".
        const values = [...target.matchAll(/<([0-9a-fA-F\s]*)>/g)].map((m) =>
          utf16(m[1]!.replace(/\s+/g, '')),
        );
        values.forEach((value, i) => map.set(key(low + i), value));
      } else {
        const base = target.slice(1, -1);
        const first = parseInt(base.slice(-4), 16);
        const prefix = utf16(base.slice(0, -4));
        for (let n = low; n <= high; n++) map.set(key(n), prefix + String.fromCharCode(first + n - low));
      }
    }
  }
  return map;
}

export interface PdfText {
  /** The text of each page, one line per baseline. */
  pages: string[];
  /** All pages joined by newlines. */
  text: string;
  /** The BaseFont names of the embedded fonts, e.g. "BZJZZZ+NotoSansKR-Regular". */
  fonts: string[];
  pageCount: number;
  /** The document information dictionary as written. */
  info: string;
}

export function readPdf(pdf: Buffer): PdfText {
  const objects = pdfObjects(pdf);
  const deref = (ref: string | undefined) => (ref ? objects.get(Number(ref)) : undefined);
  // Font resource name -> Unicode map.
  const fontMaps = new Map<string, Map<string, string>>();
  const fonts: string[] = [];
  for (const object of objects.values()) {
    for (const [, name, ref] of object.dictionary.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const font = deref(ref);
      const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(font?.dictionary ?? '');
      const cmap = deref(toUnicode?.[1])?.stream;
      if (cmap && !fontMaps.has(name!)) fontMaps.set(name!, parseToUnicode(cmap.toString('latin1')));
    }
    const base = /\/Type \/Font[\s\S]*\/BaseFont \/([^\s/]+)/.exec(object.dictionary);
    if (base && !fonts.includes(base[1]!)) fonts.push(base[1]!);
  }
  const pageObjects = [...objects.values()].filter((o) => /\/Type \/Page\b/.test(o.dictionary));
  const pages = pageObjects.map((page) => {
    const contents = /\/Contents (\d+) 0 R/.exec(page.dictionary);
    const stream = deref(contents?.[1])?.stream;
    return stream ? contentText(stream.toString('latin1'), fontMaps) : '';
  });
  const infoRef = /\/Info (\d+) 0 R/.exec(pdf.toString('latin1'));
  return {
    pages,
    text: pages.join('\n'),
    fonts,
    pageCount: pageObjects.length,
    info: deref(infoRef?.[1])?.dictionary ?? '',
  };
}

/**
 * The text of one content stream. pdfmake draws each word (each Hangul syllable) as its own text object, with
 * its trailing space; a change of the baseline (the y of the text matrix) starts a new line.
 */
function contentText(content: string, fontMaps: Map<string, Map<string, string>>): string {
  const lines: string[] = [];
  let line = '';
  let baseline: string | undefined;
  let map: Map<string, string> | undefined;
  const tokens = content.matchAll(
    /\/(F\d+)\s+[\d.]+\s+Tf|<([0-9a-fA-F]*)>|[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) Tm/g,
  );
  for (const token of tokens) {
    if (token[1]) {
      map = fontMaps.get(token[1]);
    } else if (token[3] !== undefined) {
      if (baseline !== undefined && token[3] !== baseline) {
        lines.push(line);
        line = '';
      }
      baseline = token[3];
    } else if (token[2] !== undefined) {
      const hex = token[2].toUpperCase();
      for (let i = 0; i + 4 <= hex.length; i += 4) line += map?.get(hex.slice(i, i + 4)) ?? '\uFFFD';
    }
  }
  lines.push(line);
  return lines.map((l) => l.trimEnd()).join('\n');
}
