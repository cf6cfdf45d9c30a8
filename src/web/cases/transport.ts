import type { CaseDocument } from '../../contract/pipeline.js';
import { ApiProblem, type FieldProblem } from '../api.js';
import type { Lang } from '../i18n/i18n.js';

/**
 * What `api()` in src/web/api.ts does not do: an upload that reports its progress (XMLHttpRequest, since fetch
 * has no upload progress) and a POST answered by a PDF. Both send the CSRF header and Accept-Language and turn
 * a problem+json answer into an ApiProblem with its field paths.
 */

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('korus_csrf='))
    ?.slice('korus_csrf='.length);
}

const networkProblem = () =>
  new ApiProblem(0, 'network', {
    en: 'The server could not be reached. Check your connection and try again.',
    ko: '서버에 연결할 수 없습니다. 연결을 확인한 뒤 다시 시도하세요.',
  });

export function problemFrom(status: number, statusText: string, text: string): ApiProblem {
  let p: { code?: string; messages?: { en: string; ko: string }; errors?: FieldProblem[] } = {};
  try {
    p = text ? (JSON.parse(text) as typeof p) : {};
  } catch {
    // not JSON (a proxy's page): keep the status text
  }
  return new ApiProblem(
    status,
    p.code ?? 'unknown',
    p.messages ?? { en: statusText || `HTTP ${status}`, ko: statusText || `HTTP ${status}` },
    p.errors ?? [],
  );
}

export interface UploadQuery {
  docType: string;
  stageId?: string;
  expiresOn?: string;
}

/** Uploads one file to a case; `onProgress` gets the fraction sent (0..1). `signal` cancels it. */
export function uploadCaseDocument(
  caseId: string,
  query: UploadQuery,
  file: File,
  lang: Lang,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<CaseDocument> {
  const params = new URLSearchParams({ docType: query.docType });
  if (query.stageId) params.set('stageId', query.stageId);
  if (query.expiresOn) params.set('expiresOn', query.expiresOn);
  const body = new FormData();
  body.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/cases/${encodeURIComponent(caseId)}/documents?${params.toString()}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', lang);
    const csrf = csrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(JSON.parse(xhr.responseText) as CaseDocument);
      } else reject(problemFrom(xhr.status, xhr.statusText, xhr.responseText));
    };
    xhr.onerror = () => reject(networkProblem());
    xhr.onabort = () =>
      reject(new ApiProblem(0, 'aborted', { en: 'Upload cancelled.', ko: '업로드를 취소했습니다.' }));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/** POSTs JSON and returns the PDF answered, with the file name from Content-Disposition. */
export async function postForPdf(
  url: string,
  body: unknown,
  lang: Lang,
): Promise<{ blob: Blob; filename: string }> {
  const headers: Record<string, string> = {
    accept: 'application/pdf, application/problem+json',
    'accept-language': lang,
    'content-type': 'application/json',
  };
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: JSON.stringify(body),
    });
  } catch {
    throw networkProblem();
  }
  if (!res.ok) throw problemFrom(res.status, res.statusText, await res.text());
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const filename = star ? decodeURIComponent(star) : 'letter.pdf';
  return { blob: await res.blob(), filename };
}

/** Posts one file (multipart field "file") and returns the JSON answer; a problem+json answer throws. */
export async function postFile<T>(url: string, file: File, lang: Lang): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', 'accept-language': lang }; // prettier-ignore
  const csrf = csrfToken();
  if (csrf) headers['x-csrf-token'] = csrf;
  const form = new FormData();
  form.append('file', file, file.name);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw networkProblem();
  }
  if (!res.ok) throw problemFrom(res.status, res.statusText, await res.text());
  return (await res.json()) as T;
}
