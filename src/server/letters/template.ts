/**
 * A small, safe template language for the letters in templates/letters/ (no code execution):
 *
 *   {{path.to.text}}            the value, escaped for the letter markup (see markup.ts)
 *   {{#if path}} … {{else}} … {{/if}}   a flag, a non-empty text or a non-empty list
 *   {{#each list}} … {{/each}}  repeated for each item; inside, the item's fields come first, then the outer ones
 *   {{! a comment }}
 *
 * Every template is checked against the shape of its data when it is compiled (load time): an unknown
 * placeholder, a text used as a list or a list printed as text is a TemplateError naming the file and line,
 * never blank output. A block tag alone on its line takes the whole line with it.
 */

export type Field = 'text' | 'flag' | Shape | readonly [Shape];
export interface Shape {
  readonly [key: string]: Field;
}

export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'TemplateError';
  }
}

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string[]; line: number }
  | { kind: 'if'; path: string[]; line: number; then: Node[]; otherwise: Node[] }
  | { kind: 'each'; path: string[]; line: number; body: Node[] };

type Token =
  | { kind: 'text'; text: string }
  | {
      kind: 'tag';
      type: 'value' | 'if' | 'each' | 'else' | 'endif' | 'endeach' | 'comment';
      path: string[];
      line: number;
    };

const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let cursor = 0;
  while (cursor < source.length) {
    const open = source.indexOf('{{', cursor);
    if (open < 0) {
      tokens.push({ kind: 'text', text: source.slice(cursor) });
      break;
    }
    if (open > cursor) tokens.push({ kind: 'text', text: source.slice(cursor, open) });
    const line = lineAt(source, open);
    const close = source.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError(file, line, 'a "{{" is never closed with "}}"');
    const inner = source.slice(open + 2, close).trim();
    cursor = close + 2;
    if (inner.startsWith('!')) {
      tokens.push({ kind: 'tag', type: 'comment', path: [], line });
      continue;
    }
    const [head = '', arg, ...rest] = inner.split(/\s+/);
    const needPath = (type: 'if' | 'each' | 'value', text: string | undefined): string[] => {
      if (text === undefined || !PATH.test(text) || rest.length > 0) {
        throw new TemplateError(
          file,
          line,
          `"{{${inner}}}" is not a valid tag: expected a field path such as worker.familyName`,
        );
      }
      return text.split('.');
    };
    if (head === '#if') tokens.push({ kind: 'tag', type: 'if', path: needPath('if', arg), line });
    else if (head === '#each') tokens.push({ kind: 'tag', type: 'each', path: needPath('each', arg), line });
    else if (head === 'else' && arg === undefined) tokens.push({ kind: 'tag', type: 'else', path: [], line });
    else if (head === '/if' && arg === undefined) tokens.push({ kind: 'tag', type: 'endif', path: [], line });
    else if (head === '/each' && arg === undefined)
      tokens.push({ kind: 'tag', type: 'endeach', path: [], line });
    else if (arg === undefined)
      tokens.push({ kind: 'tag', type: 'value', path: needPath('value', head), line });
    else throw new TemplateError(file, line, `"{{${inner}}}" is not a valid tag`);
  }
  return standalone(tokens);
}

/** A block tag alone on its line (only spaces around it) removes that line, newline included. */
function standalone(tokens: Token[]): Token[] {
  const out = tokens.map((t) => ({ ...t }));
  const last = out.length - 1;
  const isBlock = (t: Token | undefined) => t?.kind === 'tag' && t.type !== 'value';
  const textOf = (t: Token | undefined) => (t?.kind === 'text' ? t.text : null);
  const alone = out.map((token, i) => {
    if (!isBlock(token)) return false;
    const before = textOf(out[i - 1]);
    const after = textOf(out[i + 1]);
    const atStart =
      i === 0 || (before !== null && (/\n[ \t]*$/.test(before) || (i === 1 && /^[ \t]*$/.test(before))));
    const atEnd =
      i === last ||
      (after !== null && (/^[ \t]*\r?\n/.test(after) || (i === last - 1 && /^[ \t]*$/.test(after))));
    return atStart && atEnd;
  });
  alone.forEach((isAlone, i) => {
    if (!isAlone) return;
    const before = out[i - 1];
    const after = out[i + 1];
    if (before?.kind === 'text') before.text = before.text.replace(/[ \t]*$/, '');
    if (after?.kind === 'text') after.text = after.text.replace(/^[ \t]*(\r?\n)?/, '');
  });
  return out;
}

function parse(tokens: Token[], file: string): Node[] {
  let index = 0;
  const block = (until: ReadonlySet<string>, opener?: { type: string; line: number }): [Node[], string] => {
    const nodes: Node[] = [];
    while (index < tokens.length) {
      const token = tokens[index++]!;
      if (token.kind === 'text') {
        if (token.text) nodes.push({ kind: 'text', text: token.text });
        continue;
      }
      if (until.has(token.type)) return [nodes, token.type];
      switch (token.type) {
        case 'comment':
          break;
        case 'value':
          nodes.push({ kind: 'value', path: token.path, line: token.line });
          break;
        case 'if': {
          const [then, end] = block(new Set(['else', 'endif']), { type: 'if', line: token.line });
          const otherwise =
            end === 'else' ? block(new Set(['endif']), { type: 'if', line: token.line })[0] : [];
          nodes.push({ kind: 'if', path: token.path, line: token.line, then, otherwise });
          break;
        }
        case 'each': {
          const [body] = block(new Set(['endeach']), { type: 'each', line: token.line });
          nodes.push({ kind: 'each', path: token.path, line: token.line, body });
          break;
        }
        default:
          throw new TemplateError(
            file,
            token.line,
            `unexpected {{${token.type === 'endif' ? '/if' : token.type === 'endeach' ? '/each' : token.type}}}`,
          );
      }
    }
    if (opener) throw new TemplateError(file, opener.line, `{{#${opener.type}}} is never closed`);
    return [nodes, 'eof'];
  };
  return block(new Set())[0];
}

function resolveShape(scopes: readonly Shape[], path: readonly string[]): Field | undefined {
  for (let s = scopes.length - 1; s >= 0; s--) {
    const scope = scopes[s]!;
    if (!Object.hasOwn(scope, path[0]!)) continue;
    let field: Field | undefined = scope[path[0]!];
    for (const key of path.slice(1)) {
      if (typeof field !== 'object' || Array.isArray(field) || !Object.hasOwn(field, key)) return undefined;
      field = (field as Shape)[key];
    }
    return field;
  }
  return undefined;
}

function check(nodes: readonly Node[], scopes: readonly Shape[], file: string): void {
  for (const node of nodes) {
    if (node.kind === 'text') continue;
    const name = node.path.join('.');
    const field = resolveShape(scopes, node.path);
    if (field === undefined) throw new TemplateError(file, node.line, `unknown placeholder "${name}"`);
    if (node.kind === 'value' && field !== 'text') {
      throw new TemplateError(file, node.line, `"${name}" is not a text and cannot be printed`);
    }
    if (node.kind === 'if') {
      if (typeof field === 'object' && !Array.isArray(field)) {
        throw new TemplateError(file, node.line, `"${name}" is a group of fields, not a condition`);
      }
      check(node.then, scopes, file);
      check(node.otherwise, scopes, file);
    }
    if (node.kind === 'each') {
      if (!Array.isArray(field)) throw new TemplateError(file, node.line, `"${name}" is not a list`);
      check(node.body, [...scopes, (field as readonly [Shape])[0]], file);
    }
  }
}

type Scope = Readonly<Record<string, unknown>>;

function lookup(scopes: readonly Scope[], path: readonly string[]): unknown {
  for (let s = scopes.length - 1; s >= 0; s--) {
    const scope = scopes[s]!;
    if (!Object.hasOwn(scope, path[0]!)) continue;
    let value: unknown = scope[path[0]!];
    for (const key of path.slice(1)) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
      value = (value as Scope)[key];
    }
    return value;
  }
  return undefined;
}

export interface Template {
  readonly file: string;
  /** Renders the data; text values go through `escape`. Throws if the data does not fit the shape. */
  render(data: Scope, escape: (text: string) => string): string;
}

export function compileTemplate(source: string, shape: Shape, file: string): Template {
  const nodes = parse(tokenize(source, file), file);
  check(nodes, [shape], file);
  const run = (body: readonly Node[], scopes: readonly Scope[], escape: (t: string) => string): string => {
    let out = '';
    for (const node of body) {
      if (node.kind === 'text') {
        out += node.text;
        continue;
      }
      const value = lookup(scopes, node.path);
      const name = node.path.join('.');
      if (node.kind === 'value') {
        if (typeof value !== 'string')
          throw new TemplateError(file, node.line, `"${name}" has no text in the data`);
        out += escape(value);
      } else if (node.kind === 'if') {
        if (typeof value !== 'boolean' && typeof value !== 'string' && !Array.isArray(value)) {
          throw new TemplateError(file, node.line, `"${name}" is missing from the data`);
        }
        const truthy = Array.isArray(value) ? value.length > 0 : Boolean(value);
        out += run(truthy ? node.then : node.otherwise, scopes, escape);
      } else {
        if (!Array.isArray(value))
          throw new TemplateError(file, node.line, `"${name}" is not a list in the data`);
        for (const item of value as Scope[]) out += run(node.body, [...scopes, item], escape);
      }
    }
    return out;
  };
  return { file, render: (data, escape) => run(nodes, [data], escape) };
}
