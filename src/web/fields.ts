import { hasMessage, translate, type Lang } from './i18n/i18n.js';

/**
 * The name of a field in words, for a problem's list of field errors (issue 13: words, never codes): the last
 * named segment of its path (`items[1].phone` → "Phone", `entry.i94Text.admittedOn` → "Date of entry"), from the
 * `fields.*` messages; an unknown one is spelled out ("overrideNote" → "Override note").
 */
export function fieldName(path: string, lang: Lang): string {
  const segments = path.split('.').map((s) => s.replace(/\[\d+\]$/, ''));
  for (let i = segments.length - 1; i >= 0; i--) {
    const key = `fields.${segments[i]}`;
    if (segments[i] && hasMessage(key)) {
      const row = /\[(\d+)\]/.exec(path);
      const name = translate(lang, key);
      return row && i < segments.length - 1 ? name : row ? `${name} ${Number(row[1]) + 1}` : name;
    }
  }
  const last = segments.at(-1) ?? '';
  const words = last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
