import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseToUnicode, pdfObjects, readPdf } from './pdf-text.js';

describe('pdf text reader (test helper)', () => {
  it('reads single glyphs, ranges and multi-code-point entries from a ToUnicode CMap', () => {
    const map = parseToUnicode(
      [
        '2 beginbfchar',
        '<0001> <AE40>',
        '<0002> <0041>',
        'endbfchar',
        '2 beginbfrange',
        '<0010> <0012> <0061>',
        '<0020> <0022> [<0066 0066 0069> <0066 0069> <C218>]',
        'endbfrange',
      ].join('\n'),
    );
    expect(map.get('0001')).toBe('김');
    expect(map.get('0002')).toBe('A');
    expect([map.get('0010'), map.get('0011'), map.get('0012')]).toEqual(['a', 'b', 'c']);
    expect([map.get('0020'), map.get('0021'), map.get('0022')]).toEqual(['ffi', 'fi', '수']);
  });

  it('inflates streams and maps a page content stream through the font, line by baseline', () => {
    const cmap = Buffer.from('1 beginbfrange\n<0001> <0003> [<AE40> <BBFC> <C218>]\nendbfrange\n', 'latin1');
    const content = Buffer.from(
      'BT 1 0 0 1 40 700 Tm /F1 10 Tf [<0001> 10 <0002>] TJ ET BT 1 0 0 1 60 700 Tm /F1 10 Tf [<0003>] TJ ET ' +
        'BT 1 0 0 1 40 680 Tm /F1 10 Tf [<0002>] TJ ET',
      'latin1',
    );
    const stream = (id: number, data: Buffer) => {
      const packed = deflateSync(data);
      return Buffer.concat([
        Buffer.from(
          `${id} 0 obj\n<<\n/Length ${packed.length}\n/Filter /FlateDecode\n>>\nstream\n`,
          'latin1',
        ),
        packed,
        Buffer.from('\nendstream\nendobj\n', 'latin1'),
      ]);
    };
    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.3\n', 'latin1'),
      Buffer.from('1 0 obj\n<<\n/Type /Page\n/Contents 2 0 R\n/Resources 3 0 R\n>>\nendobj\n', 'latin1'),
      stream(2, content),
      Buffer.from('3 0 obj\n<<\n/Font <<\n/F1 4 0 R\n>>\n>>\nendobj\n', 'latin1'),
      Buffer.from(
        '4 0 obj\n<<\n/Type /Font\n/BaseFont /ABCDEF+Test\n/ToUnicode 5 0 R\n>>\nendobj\n',
        'latin1',
      ),
      stream(5, cmap),
      Buffer.from('trailer\n<<\n>>\n%%EOF\n', 'latin1'),
    ]);
    expect(pdfObjects(pdf).get(2)?.stream?.toString('latin1')).toContain('TJ');
    const read = readPdf(pdf);
    expect(read.pageCount).toBe(1);
    expect(read.fonts).toEqual(['ABCDEF+Test']);
    expect(read.text).toBe('김민수\n민');
  });
});
