/**
 * The letter markup: a small subset of Markdown that the templates are written in, parsed after the template
 * values have been filled in (values are escaped, so a worker's data can never start a heading or a table).
 *
 *   # Title / ## Section / ### Subsection
 *   - list item                      > quoted text (a contract clause)
 *   | table | row |  (a |---| line after the first row makes it the header)
 *   ---  a thin rule                 +++  blank space (for a signature)
 *   **bold** inline; \x prints x literally
 *   ::: footer  … :::  the text printed at the foot of every page
 *   ::: keep  … :::    blocks kept together on one page (the closing and the signature)
 *
 * Lines of a paragraph keep their line breaks (letters are laid out line by line); a blank line ends a block.
 */

export interface Run {
  text: string;
  bold: boolean;
}
export type Inline = Run[];

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; inline: Inline }
  | { kind: 'paragraph'; lines: Inline[] }
  | { kind: 'list'; items: Inline[] }
  | { kind: 'quote'; lines: Inline[] }
  | { kind: 'table'; header: Inline[] | null; rows: Inline[][] }
  | { kind: 'rule' }
  | { kind: 'space' }
  | { kind: 'keep'; blocks: Block[] };

export interface MarkupDocument {
  body: Block[];
  footer: Inline[];
}

export class MarkupError extends Error {
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'MarkupError';
  }
}

const SPECIAL = /[\\*|#>:+-]/g;

/** Escapes a value for the markup: one line, every markup character literal. */
export function escapeMarkup(value: string): string {
  return value
    .replace(/\s*[\r\n]+\s*/g, ', ')
    .replace(/[\t\u00a0]/g, ' ')
    .replace(SPECIAL, (c) => '\\' + c);
}

/** Parses inline text: **bold** and backslash escapes. */
export function parseInline(text: string): Inline {
  const runs: Inline = [];
  let bold = false;
  let current = '';
  const flush = () => {
    if (current) {
      const previous = runs[runs.length - 1];
      if (previous && previous.bold === bold) previous.text += current;
      else runs.push({ text: current, bold });
    }
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += text[++i];
    } else if (c === '*' && text[i + 1] === '*') {
      flush();
      bold = !bold;
      i++;
    } else {
      current += c;
    }
  }
  flush();
  return runs;
}

/** Splits a table row on the pipes that are not escaped. */
function splitRow(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      current += c + line[++i];
    } else if (c === '|') {
      cells.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  cells.push(current);
  // "| a | b |" -> ["", " a ", " b ", ""]: drop the empty edges.
  if (cells[0]?.trim() === '') cells.shift();
  if (cells[cells.length - 1]?.trim() === '') cells.pop();
  return cells.map((cell) => cell.trim());
}

const SEPARATOR = /^\|(\s*:?-{3,}:?\s*\|)+\s*$/;

export function parseMarkup(source: string, file: string): MarkupDocument {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const root: Block[] = [];
  const footer: Inline[] = [];
  let inFooter = false;
  let footerLine = 0;
  let keep: { blocks: Block[]; line: number } | null = null;
  let body = root;
  let open: Block | null = null;
  const close = () => {
    if (open) body.push(open);
    open = null;
  };
  lines.forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    const number = index + 1;
    if (line === '::: footer') {
      if (inFooter || keep) throw new MarkupError(file, number, '"::: footer" cannot be nested');
      close();
      inFooter = true;
      footerLine = number;
      return;
    }
    if (line === '::: keep') {
      if (inFooter || keep) throw new MarkupError(file, number, '"::: keep" cannot be nested');
      close();
      keep = { blocks: [], line: number };
      body = keep.blocks;
      return;
    }
    if (line === ':::') {
      if (inFooter) inFooter = false;
      else if (keep) {
        close();
        root.push({ kind: 'keep', blocks: keep.blocks });
        keep = null;
        body = root;
      } else throw new MarkupError(file, number, '":::" closes nothing');
      return;
    }
    if (inFooter) {
      if (line.trim()) footer.push(parseInline(line.trim()));
      return;
    }
    if (line.trim() === '') {
      close();
      return;
    }
    const heading = /^(#{1,3}) (.*)$/.exec(line);
    if (heading) {
      close();
      body.push({
        kind: 'heading',
        level: heading[1]!.length as 1 | 2 | 3,
        inline: parseInline(heading[2]!.trim()),
      });
      return;
    }
    if (line === '---' || line === '+++') {
      close();
      body.push({ kind: line === '---' ? 'rule' : 'space' });
      return;
    }
    if (line.startsWith('- ')) {
      if (open?.kind !== 'list') close();
      open ??= { kind: 'list', items: [] };
      (open as Extract<Block, { kind: 'list' }>).items.push(parseInline(line.slice(2).trim()));
      return;
    }
    if (line.startsWith('>')) {
      if (open?.kind !== 'quote') close();
      open ??= { kind: 'quote', lines: [] };
      (open as Extract<Block, { kind: 'quote' }>).lines.push(parseInline(line.slice(1).trim()));
      return;
    }
    if (line.startsWith('|')) {
      if (open?.kind !== 'table') close();
      open ??= { kind: 'table', header: null, rows: [] };
      const table = open as Extract<Block, { kind: 'table' }>;
      if (SEPARATOR.test(line)) {
        if (table.header || table.rows.length !== 1) {
          throw new MarkupError(file, number, 'a table separator must follow the first row');
        }
        table.header = table.rows.pop()!;
        return;
      }
      const cells = splitRow(line).map(parseInline);
      const width = table.header?.length ?? table.rows[0]?.length;
      if (width !== undefined && cells.length !== width) {
        throw new MarkupError(file, number, `a table row has ${cells.length} cells, the table has ${width}`);
      }
      table.rows.push(cells);
      return;
    }
    if (open?.kind !== 'paragraph') close();
    open ??= { kind: 'paragraph', lines: [] };
    (open as Extract<Block, { kind: 'paragraph' }>).lines.push(parseInline(line.trim()));
  });
  if (inFooter) throw new MarkupError(file, footerLine, '"::: footer" is never closed with ":::"');
  if (keep)
    throw new MarkupError(file, (keep as { line: number }).line, '"::: keep" is never closed with ":::"');
  close();
  return { body: root, footer };
}
