import { useCallback, useEffect, useState } from 'react';
import type { WorkerChecklist } from '../../contract/pipeline.js';
import { api, asProblem, type ApiProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { useI18n } from '../i18n/i18n.js';
import { problemFrom } from '../cases/transport.js';

/**
 * The documents the worker's own case asks for (issue 18), on the phone: each item with its state, and a file
 * picker (a photo or a PDF) for those still missing or to send a newer copy. HR sees an upload on the case.
 */
export function WorkerDocuments({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const [checklist, setChecklist] = useState<WorkerChecklist | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const load = useCallback(() => {
    api<WorkerChecklist>('GET', `/api/workers/me/cases/${caseId}/checklist`).then(
      setChecklist,
      (e: unknown) => setProblem(asProblem(e)),
    );
  }, [caseId]);
  useEffect(load, [load]);

  const upload = async (docType: string, file: File) => {
    setBusy(docType);
    setProblem(null);
    setStatus('');
    const body = new FormData();
    body.append('file', file);
    const csrf = document.cookie.match(/(?:^|; )korus_csrf=([^;]+)/)?.[1] ?? '';
    try {
      const res = await fetch(
        `/api/workers/me/cases/${caseId}/documents?docType=${encodeURIComponent(docType)}`,
        {
          method: 'POST',
          body,
          headers: { 'x-csrf-token': decodeURIComponent(csrf), 'accept-language': lang },
          credentials: 'same-origin',
        },
      );
      const text = await res.text();
      if (!res.ok) throw problemFrom(res.status, res.statusText, text);
      setChecklist(JSON.parse(text) as WorkerChecklist);
      setStatus(t('workerDocs.sent', { name: file.name }));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(null);
    }
  };

  if (!checklist) return problem ? <LoadProblem problem={problem} /> : null;
  // The questionnaire is answered above, not uploaded.
  const required = checklist.items.filter((i) => i.required && i.source !== 'questionnaire');
  return (
    <section aria-labelledby="worker-docs-title" className="worker-docs" data-testid="worker-docs">
      <h2 id="worker-docs-title">{t('workerDocs.title')}</h2>
      <p className="help">{t('workerDocs.help')}</p>
      <ul className="worker-doc-list">
        {required.map((item) => (
          <li key={item.id}>
            <span className={item.uploaded ? 'badge' : 'badge badge-verify'}>
              {item.uploaded ? t('workerDocs.received') : t('workerDocs.missing')}
            </span>{' '}
            {item.label[lang]}
            <label className="button-secondary worker-doc-pick">
              {item.uploaded ? t('workerDocs.again') : t('workerDocs.send')}
              <input
                type="file"
                accept="application/pdf,image/jpeg,image/png"
                className="visually-hidden"
                aria-label={t('workerDocs.fileFor', { name: item.label[lang] })}
                disabled={busy !== null}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) void upload(item.id, file);
                  e.currentTarget.value = '';
                }}
              />
            </label>
          </li>
        ))}
      </ul>
      <p className="form-status" role="status">
        {busy ? t('workerDocs.sending') : status}
      </p>
      {problem && <LoadProblem problem={problem} />}
    </section>
  );
}
