import { describe, expect, it } from 'vitest';
import { escapeMarkup, MarkupError, parseInline, parseMarkup } from './markup.js';

describe('letter markup', () => {
  it('parses headings, paragraphs with their line breaks, lists, quotes, rules and space', () => {
    const doc = parseMarkup('# Title\n\nline one\nline **two**\n\n- a\n- b\n> quoted\n---\n+++\n## Sub', 't');
    expect(doc.body.map((b) => b.kind)).toEqual([
      'heading',
      'paragraph',
      'list',
      'quote',
      'rule',
      'space',
      'heading',
    ]);
    expect(doc.body[1]).toEqual({
      kind: 'paragraph',
      lines: [
        [{ text: 'line one', bold: false }],
        [
          { text: 'line ', bold: false },
          { text: 'two', bold: true },
        ],
      ],
    });
    expect(doc.body[2]).toMatchObject({ kind: 'list', items: [[{ text: 'a' }], [{ text: 'b' }]] });
  });

  it('parses a table with a header row', () => {
    const doc = parseMarkup('| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |', 't');
    expect(doc.body).toEqual([
      {
        kind: 'table',
        header: [[{ text: 'A', bold: false }], [{ text: 'B', bold: false }]],
        rows: [
          [[{ text: '1', bold: false }], [{ text: '2', bold: false }]],
          [[{ text: '3', bold: false }], [{ text: '4', bold: false }]],
        ],
      },
    ]);
  });

  it('takes the footer out of the body', () => {
    const doc = parseMarkup('::: footer\nfoot **note**\n:::\nbody', 't');
    expect(doc.footer).toEqual([
      [
        { text: 'foot ', bold: false },
        { text: 'note', bold: true },
      ],
    ]);
    expect(doc.body).toHaveLength(1);
  });

  it('groups the blocks of a keep section', () => {
    const doc = parseMarkup('intro\n::: keep\nSincerely,\n\n+++\nName\n:::\nafter', 't');
    expect(doc.body.map((b) => b.kind)).toEqual(['paragraph', 'keep', 'paragraph']);
    expect(doc.body[1]).toMatchObject({
      kind: 'keep',
      blocks: [{ kind: 'paragraph' }, { kind: 'space' }, { kind: 'paragraph' }],
    });
    expect(() => parseMarkup('::: keep\nx', 'f.md')).toThrow('f.md:1: "::: keep" is never closed');
    expect(() => parseMarkup('::: keep\n::: footer\n:::\n:::', 'f.md')).toThrow('cannot be nested');
  });

  it('reports structural mistakes with the line', () => {
    expect(() => parseMarkup('a\n::: footer\nx', 'f.md')).toThrow(MarkupError);
    expect(() => parseMarkup('a\n::: footer\nx', 'f.md')).toThrow('f.md:2:');
    expect(() => parseMarkup(':::', 'f.md')).toThrow('closes nothing');
    expect(() => parseMarkup('| a | b |\n| 1 |', 'f.md')).toThrow('f.md:2: a table row has 1 cells');
  });

  it('escapes values so data can never become markup', () => {
    const hostile = '# Heading | **bold** \\ - > ::: footer\n- item\n+++';
    const escaped = escapeMarkup(hostile);
    const doc = parseMarkup(`| cell |\n|---|\n| ${escaped} |\n\n${escaped}`, 't');
    const literal = '# Heading | **bold** \\ - > ::: footer, - item, +++';
    expect(doc.body).toHaveLength(2);
    expect(doc.body[0]).toMatchObject({ kind: 'table', rows: [[[{ text: literal, bold: false }]]] });
    expect(doc.body[1]).toEqual({ kind: 'paragraph', lines: [[{ text: literal, bold: false }]] });
    expect(doc.footer).toEqual([]);
  });

  it('reads backslash escapes inline', () => {
    expect(parseInline('a \\*\\* b')).toEqual([{ text: 'a ** b', bold: false }]);
  });
});
