import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlMessageFormat } from 'intl-messageformat';
import en from './en.json' with { type: 'json' };
import ko from './ko.json' with { type: 'json' };
import { flatLabels } from '../../contract/labels.js';

export type Lang = 'en' | 'ko';
export const catalogs: Record<Lang, unknown> = { en, ko };
const STORAGE_KEY = 'korus.lang';

/** Flattens nested catalogs to dotted keys: { auth: { title } } -> "auth.title". */
export function flatten(tree: unknown, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object') Object.assign(out, flatten(value, path));
    else out[path] = String(value);
  }
  return out;
}

// The words for codes (roles, sectors, statuses, countries…) come from the contract, shared with the server.
const flat: Record<Lang, Record<string, string>> = {
  en: { ...flatten(en), ...flatLabels('en') },
  ko: { ...flatten(ko), ...flatLabels('ko') },
};
const cache = new Map<string, IntlMessageFormat>();

export type MessageKey = keyof ReturnType<typeof flatten> & string;
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: string, values?: Record<string, string | number>): string {
  const source = flat[lang][key] ?? flat.en[key];
  if (source === undefined) return key;
  const id = `${lang}:${key}`;
  let format = cache.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, lang);
    cache.set(id, format);
  }
  return String(format.format(values));
}

/** Whether the catalogs hold `key` (for codes that may be newer than the catalogs, such as provisions). */
export function hasMessage(key: string): boolean {
  return key in flat.en;
}

export function initialLang(): Lang {
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  if (stored === 'en' || stored === 'ko') return stored;
  const browser = typeof navigator !== 'undefined' ? navigator.language : 'en';
  return browser.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, values) => translate(lang, key, values) }),
    [lang, setLang],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Dates and times shown in the reader's language, always with the time zone. */
export function formatDateTime(iso: string | null, lang: Lang): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'ko' ? 'ko-KR' : 'en-US', {
    // dateStyle/timeStyle cannot be combined with timeZoneName: spell the fields out.
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}
