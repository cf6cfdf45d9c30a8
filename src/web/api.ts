import type { Lang } from './i18n/i18n.js';

/** A failed call: the server's RFC 9457 problem (bilingual), or a network failure. */
export interface FieldProblem {
  path: string;
  message: string;
  messages: { en: string; ko: string };
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: { en: string; ko: string },
    readonly errors: FieldProblem[] = [],
    /** Seconds to wait before retrying (`Retry-After` of a 429), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(messages.en);
  }
  text(lang: Lang): string {
    return this.messages[lang];
  }
  fieldError(path: string, lang: Lang): string | undefined {
    return this.errors.find((e) => e.path === path)?.messages[lang];
  }
}

/** Any failure as a problem the page can show: the server's own, else a plain "something went wrong". */
export function asProblem(error: unknown): ApiProblem {
  return error instanceof ApiProblem
    ? error
    : new ApiProblem(0, 'unexpected', { en: 'Something went wrong.', ko: '문제가 발생했습니다.' });
}

let currentLang: Lang = 'en';
export function setApiLang(lang: Lang): void {
  currentLang = lang;
}

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('korus_csrf='))
    ?.slice('korus_csrf='.length);
}

/**
 * The signed-in user's own records are kept on the device (issue 13: a worker opens /me and their status on a
 * site without signal): each successful GET of these is stored, and returned when the network fails. Cleared at
 * sign-out (`forgetOffline`). Nothing of other people is ever kept. The rules catalog (public) is kept too, so that
 * a category shows its name offline rather than its code.
 */
const OFFLINE_URLS = [
  '/api/me',
  '/api/workers/me',
  '/api/workers/me/cases',
  '/api/workers/me/entries',
  '/api/rules',
  // The family plan and the directory near the site (issue 19): readable on a site without signal.
  '/api/me/plan',
  '/api/me/directory',
];
const OFFLINE_PREFIX = 'korus.offline:';

export interface OfflineCopy {
  savedAt: string;
}

/** When the app is showing saved copies because the network failed: the time they were saved. */
export let offlineSince: string | null = null;
export const OFFLINE_CHANGED = 'korus:offline-changed';
function setOffline(savedAt: string | null): void {
  if (offlineSince === savedAt) return;
  offlineSince = savedAt;
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(OFFLINE_CHANGED));
}

export function forgetOffline(): void {
  for (const url of OFFLINE_URLS) localStorage.removeItem(OFFLINE_PREFIX + url);
  setOffline(null);
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const keep = method === 'GET' && OFFLINE_URLS.includes(url);
  try {
    const value = await fetchApi<T>(method, url, body);
    if (keep) {
      localStorage.setItem(
        OFFLINE_PREFIX + url,
        JSON.stringify({ savedAt: new Date().toISOString(), value }),
      );
      setOffline(null);
    }
    return value;
  } catch (error) {
    if (keep && error instanceof ApiProblem && error.code === 'network') {
      const saved = localStorage.getItem(OFFLINE_PREFIX + url);
      if (saved) {
        const copy = JSON.parse(saved) as { savedAt: string; value: T };
        setOffline(copy.savedAt);
        return copy.value;
      }
    }
    if (keep && error instanceof ApiProblem && error.status === 401)
      localStorage.removeItem(OFFLINE_PREFIX + url);
    throw error;
  }
}

async function fetchApi<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLang };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfToken();
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiProblem(0, 'network', {
      en: 'The server could not be reached. Check your connection and try again.',
      ko: '서버에 연결할 수 없습니다. 연결을 확인한 뒤 다시 시도하세요.',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const p = (data ?? {}) as {
      code?: string;
      messages?: { en: string; ko: string };
      errors?: FieldProblem[];
    };
    throw new ApiProblem(
      res.status,
      p.code ?? 'unknown',
      p.messages ?? { en: res.statusText, ko: res.statusText },
      p.errors ?? [],
      res.headers.has('retry-after') ? Number(res.headers.get('retry-after')) || null : null,
    );
  }
  return data as T;
}
