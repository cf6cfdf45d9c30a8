import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { CaseMessage } from '../../contract/messages.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import '../pages/pipeline.css';
import { uploadAccept } from './model.js';
import { problemFrom } from './transport.js';

interface Thread {
  items: CaseMessage[];
  unread: number;
  mayWriteInternal: boolean;
}

/**
 * A case's messages (issue 18): the thread among HR, counsel and the worker, oldest first, new ones marked; a
 * form to write (HR and counsel may mark an internal note, which the worker never sees). Opening the thread marks
 * it read. Used on the case page and on the worker's home.
 */
export function Messages({ caseId, canWrite }: { caseId: string; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [thread, setThread] = useState<Thread | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [sendProblem, setSendProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const load = useCallback(async () => {
    try {
      const next = await api<Thread>('GET', `/api/cases/${caseId}/messages`);
      setThread(next);
      if (next.unread > 0) await api('POST', `/api/cases/${caseId}/messages/read`, {});
    } catch (error) {
      setProblem(asProblem(error));
    }
  }, [caseId]);
  useEffect(() => {
    void load();
  }, [load]);

  const send = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setSendProblem(null);
    setStatus('');
    const file = data.get('attachment');
    // A file goes first (checked and stored like every case document), then the message that names it.
    const attached =
      file instanceof File && file.size > 0 ? uploadAttachment(caseId, file, lang) : Promise.resolve(null);
    attached
      .then((documentId) =>
        api<Thread>('POST', `/api/cases/${caseId}/messages`, {
          body: String(data.get('body') ?? ''),
          ...(data.get('internal') ? { internal: true } : {}),
          ...(documentId ? { documentId } : {}),
        }),
      )
      .then(
        (next) => {
          setBusy(false);
          setThread(next);
          setStatus(t('messages.sent'));
          form.reset();
        },
        (error: unknown) => {
          setBusy(false);
          setSendProblem(asProblem(error));
        },
      );
  };

  return (
    <section aria-labelledby={`messages-${caseId}`} className="case-messages" data-testid="case-messages">
      <h2 id={`messages-${caseId}`}>
        {t('messages.title')}
        {thread && thread.unread > 0 && (
          <span className="badge"> {t('messages.unread', { count: thread.unread })}</span>
        )}
      </h2>
      {problem && <LoadProblem problem={problem} />}
      {!thread && !problem && <Loading />}
      {thread && thread.items.length === 0 && <p className="muted">{t('messages.none')}</p>}
      {thread && thread.items.length > 0 && (
        <ol className="message-list">
          {thread.items.map((m) => (
            <li
              key={m.id}
              className={`message${m.internal ? ' message-internal' : ''}${m.mine ? ' message-mine' : ''}`}
            >
              <p className="message-meta">
                <strong>{m.author}</strong>
                {m.organizationName ? ` · ${m.organizationName}` : ''} · {t(`messages.side.${m.side}`)} ·{' '}
                {formatDateTime(m.createdAt, lang)}
                {m.internal && <span className="badge badge-verify">{t('messages.internal')}</span>}
                {m.unread && <span className="badge">{t('messages.new')}</span>}
              </p>
              <p className="message-body">{m.body}</p>
              {m.document && (
                <p className="muted">
                  <a href={`/api/cases/${caseId}/messages/attachments/${m.document.id}`} download>
                    {t('messages.attached', { name: m.document.filename })}
                  </a>
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {canWrite && thread && (
        <form onSubmit={send}>
          <label className="field">
            <span>{t('messages.write')}</span>
            <textarea name="body" required maxLength={5000} rows={3} />
          </label>
          <label className="field">
            <span>{t('messages.attach')}</span>
            <input
              type="file"
              name="attachment"
              accept={uploadAccept}
              aria-describedby={`attach-hint-${caseId}`}
            />
            <span id={`attach-hint-${caseId}`} className="help">
              {t('messages.attachHint')}
            </span>
          </label>
          {thread.mayWriteInternal && (
            <label className="check">
              <input type="checkbox" name="internal" /> {t('messages.internalLabel')}
            </label>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {t('messages.send')}
          </button>
          <p className="form-status" role="status">
            {status}
          </p>
          {sendProblem && <LoadProblem problem={sendProblem} />}
        </form>
      )}
    </section>
  );
}

async function uploadAttachment(caseId: string, file: File, lang: string): Promise<string> {
  const body = new FormData();
  body.append('file', file);
  const csrf = document.cookie.match(/(?:^|; )korus_csrf=([^;]+)/)?.[1] ?? '';
  const res = await fetch(`/api/cases/${caseId}/messages/attachments`, {
    method: 'POST',
    body,
    headers: { 'x-csrf-token': decodeURIComponent(csrf), 'accept-language': lang },
    credentials: 'same-origin',
  });
  const text = await res.text();
  if (!res.ok) throw problemFrom(res.status, res.statusText, text);
  return (JSON.parse(text) as { id: string }).id;
}
