import { z } from 'zod';

/**
 * Text that people and clients send (issue 14). Every string of every request passes one screen before its
 * schema sees it (`screenText`, run by the server's validator and by the CLI's input parsing):
 *   - NUL, unpaired UTF-16 surrogates, and control characters other than tab, line feed and carriage return
 *     are refused, with the field's path and a message in both languages: PostgreSQL cannot store NUL, and a
 *     lone surrogate is stored as U+FFFD, so what was checked would not be what was kept;
 *   - everything else is normalised to Unicode NFC, so "한" typed as one syllable or as three jamo is one
 *     value (duplicates, searches and the audit digest agree).
 * Fields that must fit on one line use `oneLine()` on top of it.
 */
export type TextProblem = 'nul' | 'lone_surrogate' | 'control';

export const textProblemMessages: Record<TextProblem | 'line_break', { en: string; ko: string }> = {
  nul: {
    en: 'Contains a NUL character (U+0000), which cannot be stored.',
    ko: '저장할 수 없는 NUL 문자(U+0000)가 들어 있습니다.',
  },
  lone_surrogate: {
    en: 'Contains a broken character (an unpaired UTF-16 surrogate); send valid Unicode text.',
    ko: '깨진 문자(짝이 없는 UTF-16 서러게이트)가 들어 있습니다. 올바른 유니코드 텍스트를 보내세요.',
  },
  control: {
    en: 'Contains an invisible control character; remove it and try again.',
    ko: '보이지 않는 제어 문자가 들어 있습니다. 지우고 다시 시도하세요.',
  },
  line_break: {
    en: 'Must fit on one line (no line breaks or tabs).',
    ko: '한 줄로 입력해야 합니다(줄바꿈·탭 불가).',
  },
};

// C0 controls except tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
const CONTROL = /[\u0001-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

// A high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function textProblem(value: string): TextProblem | undefined {
  if (value.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(value)) return 'lone_surrogate';
  if (CONTROL.test(value)) return 'control';
  return undefined;
}

export interface TextIssue {
  path: (string | number)[];
  problem: TextProblem;
}

/**
 * Checks every string (keys included) in a parsed JSON value, a query or route parameters. Returns the value
 * with its strings in NFC, or the problems found. Depth and size are bounded by the body limit upstream.
 */
export function screenText(value: unknown): { value: unknown; issues: TextIssue[] } {
  const issues: TextIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) {
        issues.push({ path, problem });
        return node;
      }
      return node.normalize('NFC');
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node && typeof node === 'object' && Object.getPrototypeOf(node) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) issues.push({ path: [...path, key], problem });
        out[problem ? key : key.normalize('NFC')] = walk(item, [...path, key]);
      }
      return out;
    }
    return node;
  };
  const screened = walk(value, []);
  return { value: screened, issues };
}

/** A string field that must fit on one line: no line breaks or tabs (names, titles, short reasons). */
export function oneLine(schema: z.ZodString = z.string()): z.ZodString {
  return schema.regex(/^[^\n\r\t]*$/, 'must fit on one line (no line breaks or tabs)');
}
