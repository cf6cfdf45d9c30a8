import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { IntlMessageFormat } from 'intl-messageformat';
import { flatLabels } from '../../contract/labels.js';

export type Lang = 'en' | 'ko';
const STORAGE_KEY = 'korus.lang';

/**
 * Each language's catalog is a chunk of its own, loaded when the language is first needed (issue 13: the first
 * screen carries one language, not both). `main.tsx` loads the reader's language before the first render;
 * switching loads the other one first. The service worker keeps both for offline use.
 */
const loaders: Record<Lang, () => Promise<{ default: unknown }>> = {
  en: () => import('./en.json'),
  ko: () => import('./ko.json'),
};

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
const flat: Partial<Record<Lang, Record<string, string>>> = {};
const loading = new Map<Lang, Promise<void>>();
const cache = new Map<string, IntlMessageFormat>();

/** Loads a language's catalog (once); resolves when `translate` can use it. */
export function loadCatalog(lang: Lang): Promise<void> {
  if (flat[lang]) return Promise.resolve();
  let pending = loading.get(lang);
  if (!pending) {
    pending = loaders[lang]().then((module) => {
      flat[lang] = { ...flatten(module.default), ...flatLabels(lang) };
    });
    pending.catch(() => loading.delete(lang));
    loading.set(lang, pending);
  }
  return pending;
}

export function catalogLoaded(lang: Lang): boolean {
  return flat[lang] !== undefined;
}

/** For a screen that shows both languages at once (the status card, a bilingual notice): loads both. */
export function useBothCatalogs(): boolean {
  const [ready, setReady] = useState(catalogLoaded('en') && catalogLoaded('ko'));
  useEffect(() => {
    if (ready) return;
    let live = true;
    void Promise.all([loadCatalog('en'), loadCatalog('ko')]).then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [ready]);
  return ready;
}

export type MessageKey = keyof ReturnType<typeof flatten> & string;
export type Translate = (key: string, values?: Record<string, string | number>) => string;

export function translate(lang: Lang, key: string, values?: Record<string, string | number>): string {
  const source = flat[lang]?.[key] ?? flat.en?.[key] ?? flat.ko?.[key];
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
  return Object.values(flat).some((messages) => key in messages);
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
    // The page switches once the language's words are here (a moment, the first time).
    void loadCatalog(next).then(
      () => setLangState(next),
      () => setLangState(next),
    );
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
