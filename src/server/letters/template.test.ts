import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTemplateDirectory, letterTemplateShapes, loadLetterTemplates } from './index.js';
import { compileTemplate, TemplateError, type Shape } from './template.js';

const shape: Shape = {
  title: 'text',
  urgent: 'flag',
  person: { name: 'text' },
  items: [{ label: 'text', note: 'text' }],
};
const identity = (text: string) => text;
const render = (source: string, data: Record<string, unknown>, escape = identity) =>
  compileTemplate(source, shape, 'test.md').render(data, escape);
const data = {
  title: 'Letter',
  urgent: false,
  person: { name: 'Kim' },
  items: [
    { label: 'one', note: '' },
    { label: 'two', note: 'n2' },
  ],
};

describe('template engine', () => {
  it('fills values through the escape function', () => {
    expect(render('{{title}} for {{ person.name }}', data, (t) => `[${t}]`)).toBe('[Letter] for [Kim]');
  });

  it('chooses between branches of a condition', () => {
    const source = '{{#if urgent}}urgent{{else}}routine{{/if}}';
    expect(render(source, data)).toBe('routine');
    expect(render(source, { ...data, urgent: true })).toBe('urgent');
  });

  it('treats an empty text or an empty list as false', () => {
    expect(render('{{#each items}}[{{#if note}}{{note}}{{else}}-{{/if}}]{{/each}}', data)).toBe('[-][n2]');
    expect(render('{{#if items}}some{{else}}none{{/if}}', { ...data, items: [] })).toBe('none');
  });

  it('repeats a section for each item, with outer fields still visible', () => {
    expect(render('{{#each items}}{{label}} of {{title}}; {{/each}}', data)).toBe(
      'one of Letter; two of Letter; ',
    );
  });

  it('removes lines that hold only a block tag or a comment', () => {
    const source =
      'a\n{{! note }}\n{{#each items}}\n- {{label}}\n{{/each}}\n  {{#if urgent}}\nX\n{{/if}}\nb\n';
    expect(render(source, data)).toBe('a\n- one\n- two\nb\n');
  });

  it('keeps the line when a block tag shares it with text', () => {
    expect(render('x {{#if urgent}}U{{/if}} y\nz', data)).toBe('x  y\nz');
  });

  it('rejects an unknown placeholder when the template is compiled, naming file and line', () => {
    const compile = () => compileTemplate('line one\n{{title}} {{worker.nmae}}', shape, 'letter.en.md');
    expect(compile).toThrow(TemplateError);
    expect(compile).toThrow('letter.en.md:2: unknown placeholder "worker.nmae"');
  });

  it('rejects unknown placeholders inside conditions and loops too', () => {
    expect(() => compileTemplate('{{#if urgent}}{{nope}}{{/if}}', shape, 't')).toThrow(
      'unknown placeholder "nope"',
    );
    expect(() => compileTemplate('{{#each items}}{{labl}}{{/each}}', shape, 't')).toThrow(
      'unknown placeholder "labl"',
    );
    expect(() => compileTemplate('{{label}}', shape, 't')).toThrow('unknown placeholder "label"');
    expect(() => compileTemplate('{{#if missing}}x{{/if}}', shape, 't')).toThrow(
      'unknown placeholder "missing"',
    );
  });

  it('rejects a list printed as text, a text looped over and a group used as a condition', () => {
    expect(() => compileTemplate('{{items}}', shape, 't')).toThrow('"items" is not a text');
    expect(() => compileTemplate('{{#each title}}x{{/each}}', shape, 't')).toThrow('"title" is not a list');
    expect(() => compileTemplate('{{#if person}}x{{/if}}', shape, 't')).toThrow('is a group of fields');
  });

  it('rejects malformed tags and unbalanced blocks', () => {
    expect(() => compileTemplate('{{title', shape, 't')).toThrow('never closed');
    expect(() => compileTemplate('{{#if urgent}}x', shape, 't')).toThrow('{{#if}} is never closed');
    expect(() => compileTemplate('x{{/each}}', shape, 't')).toThrow('unexpected {{/each}}');
    expect(() => compileTemplate('{{#each items}}x{{/if}}', shape, 't')).toThrow('unexpected {{/if}}');
    expect(() => compileTemplate('{{title.toString()}}', shape, 't')).toThrow('not a valid tag');
    expect(() => compileTemplate('{{constructor title}}', shape, 't')).toThrow('not a valid tag');
    expect(() => compileTemplate('{{#if}}', shape, 't')).toThrow('not a valid tag');
  });

  it('never reaches into the prototype: "constructor" is an unknown placeholder', () => {
    expect(() => compileTemplate('{{constructor}}', shape, 't')).toThrow('unknown placeholder "constructor"');
    expect(() => compileTemplate('{{person.constructor}}', shape, 't')).toThrow('unknown placeholder');
  });

  it('fails loudly when the data lacks a value the template prints', () => {
    expect(() => render('{{title}}', { ...data, title: undefined })).toThrow(
      '"title" has no text in the data',
    );
    expect(() => render('{{#each items}}{{label}}{{/each}}', { ...data, items: 'x' })).toThrow(
      'not a list in the data',
    );
  });
});

describe('letter templates folder', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function copyTemplates(): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'korus-letters-'));
    for (const name of await readdir(defaultTemplateDirectory())) {
      await writeFile(join(dir, name), await readFile(join(defaultTemplateDirectory(), name)));
    }
    return dir;
  }

  it('ships one compiled template per letter and language', async () => {
    const templates = await loadLetterTemplates();
    expect(Object.keys(templates).sort()).toEqual(Object.keys(letterTemplateShapes).sort());
    expect(Object.keys(templates)).toEqual(
      expect.arrayContaining(['support-letter.en.md', 'support-letter.ko.md', 'invitation-letter.ko.md']),
    );
  });

  it('refuses to load a folder whose template has an unknown placeholder', async () => {
    const folder = await copyTemplates();
    const file = join(folder, 'support-letter.ko.md');
    await writeFile(file, (await readFile(file, 'utf8')) + '\n{{worker.shoeSize}}\n');
    await expect(loadLetterTemplates(folder)).rejects.toThrow(
      /support-letter\.ko\.md:\d+: unknown placeholder "worker\.shoeSize"/,
    );
  });

  it('refuses a missing template and a file that is not a known template', async () => {
    const folder = await copyTemplates();
    await rm(join(folder, 'invitation-letter.en.md'));
    await expect(loadLetterTemplates(folder)).rejects.toThrow('the template file is missing');
    await writeFile(join(folder, 'invitation-letter.en.md'), 'x');
    await writeFile(join(folder, 'support-leter.en.md'), 'x');
    await expect(loadLetterTemplates(folder)).rejects.toThrow('is not a known letter template');
  });
});
