import iconv from 'iconv-lite';

/**
 * Text files from Korean offices: UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark
 * (Excel's "Unicode text"), or CP949 / EUC-KR (what Korean Windows writes when it saves "CSV"). The encoding is
 * detected, never guessed silently: a file that is valid UTF-8 is UTF-8; otherwise it must decode as CP949
 * without any undefined byte sequence; anything else (binary data, a mix of UTF-8 and CP949 lines) is refused
 * with a reason the user can act on.
 */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'cp949';

export class DecodeError extends Error {
  constructor(
    readonly code: 'empty' | 'binary' | 'mixed_encoding' | 'unknown_encoding',
    readonly messages: { en: string; ko: string },
  ) {
    super(messages.en);
    this.name = 'DecodeError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes look like a binary file rather than text: NUL bytes or many control characters. */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, Math.min(bytes.length, 64 * 1024));
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) control++;
  }
  return control > sample.length / 100;
}

/** Whether `bytes` hold valid UTF-8 with at least one multi-byte sequence (so a CP949 file cannot pass). */
function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const HANGUL = /[\uAC00-\uD7A3\u3131-\u318E]/;
/** Latin-1 supplement to Arabic: what CP949 bytes look like when they happen to form valid UTF-8. */
const MISREAD = /[\u0080-\u07FF]/;

/** Counts lines that are valid UTF-8 holding Hangul: a CP949 file has none. */
function utf8HangulLines(bytes: Uint8Array): number {
  let lines = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const line = bytes.subarray(start, i);
      if (line.some((b) => b >= 0x80)) {
        try {
          if (HANGUL.test(utf8.decode(line))) lines++;
        } catch {
          /* not UTF-8 */
        }
      }
      start = i + 1;
    }
  }
  return lines;
}

export function decodeText(input: Uint8Array): { text: string; encoding: TextEncoding } {
  const bytes = input;
  if (
    bytes.length === 0 ||
    (bytes.length === 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
  )
    throw new DecodeError('empty', { en: 'The file is empty.', ko: '파일이 비어 있습니다.' });
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const body = bytes.subarray(3);
    if (!isUtf8(body)) throw mixed();
    return { text: utf8.decode(body), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  if (looksBinary(bytes))
    throw new DecodeError('binary', {
      en: 'This is not a text or spreadsheet file (it contains binary data). Save the sheet as CSV or XLSX.',
      ko: '텍스트나 스프레드시트 파일이 아닙니다(이진 데이터가 들어 있습니다). 시트를 CSV 또는 XLSX로 저장하세요.',
    });
  const cp949 = () => iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'cp949');
  if (isUtf8(bytes)) {
    const text = utf8.decode(bytes);
    // A short CP949 text can be valid UTF-8 by accident (홍 is C8 AB); it then reads as Latin letters, not Hangul.
    if (!HANGUL.test(text) && MISREAD.test(text)) {
      const korean = cp949();
      if (HANGUL.test(korean) && !korean.includes('\uFFFD')) return { text: korean, encoding: 'cp949' };
    }
    return { text, encoding: 'utf-8' };
  }
  // Not UTF-8: CP949 (a superset of EUC-KR), unless some lines are UTF-8 Korean and others are not.
  if (utf8HangulLines(bytes) > 0) throw mixed();
  const text = cp949();
  if (text.includes('\uFFFD'))
    throw new DecodeError('unknown_encoding', {
      en: 'The file is neither UTF-8 nor Korean CP949/EUC-KR. Save it as "CSV UTF-8" or XLSX and try again.',
      ko: '파일이 UTF-8도 한국어 CP949/EUC-KR도 아닙니다. "CSV UTF-8" 또는 XLSX로 저장한 뒤 다시 시도하세요.',
    });
  return { text, encoding: 'cp949' };
}

function mixed(): DecodeError {
  return new DecodeError('mixed_encoding', {
    en: 'The file mixes encodings (some lines UTF-8, some Korean CP949). Open it in Excel and save it again as "CSV UTF-8" or XLSX.',
    ko: '파일에 인코딩이 섞여 있습니다(일부 줄은 UTF-8, 일부는 CP949). Excel에서 열어 "CSV UTF-8" 또는 XLSX로 다시 저장하세요.',
  });
}
