import { useEffect, useState, type FormEvent } from 'react';
import type { CaseDetail, Project, Worker } from '../../contract/pipeline.js';
import { api } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { FormProblem, useRequest } from '../pages/pipeline-form.js';
import { Link, navigate } from '../router.js';

/**
 * "Open a case" on an assessment's result (issue 13): for an eligible or conditional category, pick the worker
 * (search, or add one) and the project; the server makes the assignment from the assessment's activities and
 * dates and opens the case on this assessment's verdict, so no override is needed.
 */
export function OpenFromAssessment({
  assessmentId,
  category,
  categoryName,
}: {
  assessmentId: string;
  category: string;
  categoryName: string;
}) {
  const { t, lang } = useI18n();
  // Back from "add a worker" (`?category=B1&worker={id}`): this category's form opens with the new worker.
  const params = new URLSearchParams(window.location.search);
  const returning = params.get('category') === category ? params.get('worker') : null;
  const [open, setOpen] = useState(returning !== null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Worker[]>([]);
  const [worker, setWorker] = useState<Worker | null>(null);
  useEffect(() => {
    if (returning)
      void api<Worker>('GET', `/api/workers/${encodeURIComponent(returning)}`).then(
        setWorker,
        () => undefined,
      );
  }, [returning]);
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [projectId, setProjectId] = useState('');
  const [desk, setDesk] = useState(category === 'B1');
  const request = useRequest();
  const form = `open-${category}`;

  useEffect(() => {
    if (!open || projects) return;
    void api<{ items: Project[] }>('GET', '/api/projects').then((r) => {
      setProjects(r.items);
      setProjectId((current) => current || r.items[0]?.id || '');
    });
  }, [open, projects]);
  useEffect(() => {
    if (!open || query.trim().length < 1) return setFound([]);
    const timer = setTimeout(() => {
      void api<{ items: Worker[] }>('GET', `/api/workers?q=${encodeURIComponent(query.trim())}&limit=8`).then(
        (r) => setFound(r.items),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [open, query]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.run(
      () =>
        api<CaseDetail>('POST', '/api/cases', {
          assessmentId,
          category,
          workerId: worker?.id,
          projectId: projectId || undefined,
          ...(category === 'B1' ? { embassyDesk: desk } : {}),
        }),
      (c) => navigate(`/cases/${c.id}`),
    );
  };

  if (!open)
    return (
      <button type="button" className="button-primary" onClick={() => setOpen(true)}>
        {t('openCase.button', { category: categoryName })}
      </button>
    );
  return (
    <form
      className="inline-form open-from-assessment"
      onSubmit={submit}
      aria-labelledby={`${form}-title`}
      noValidate
    >
      <h4 id={`${form}-title`}>{t('openCase.title', { category: categoryName })}</h4>
      <p className="help">{t('openCase.intro')}</p>
      <div className="field">
        <label htmlFor={`${form}-worker`}>{t('openCase.worker')}</label>
        {worker ? (
          <p className="chosen">
            <strong>
              {worker.nameHangul} · {worker.familyName} {worker.givenName}
            </strong>{' '}
            <span className="muted">{worker.organizationName}</span>{' '}
            <button type="button" className="button-link" onClick={() => setWorker(null)}>
              {t('openCase.change')}
            </button>
          </p>
        ) : (
          <>
            <input
              id={`${form}-worker`}
              type="search"
              autoComplete="off"
              placeholder={t('openCase.searchHint')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-invalid={request.problem?.fieldError('workerId', lang) ? true : undefined}
            />
            {found.length > 0 && (
              <ul className="picker" role="listbox" aria-label={t('openCase.worker')}>
                {found.map((w) => (
                  <li key={w.id}>
                    <button type="button" className="button-link" onClick={() => setWorker(w)}>
                      {w.nameHangul} · {w.familyName} {w.givenName}{' '}
                      <span className="muted">
                        {w.organizationName}
                        {w.role ? ` · ${t(`workerRole.${w.role}`)}` : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <p className="help">
              {t('openCase.notListed')}{' '}
              <Link
                href={`/workers/new?assessment=${encodeURIComponent(assessmentId)}&category=${encodeURIComponent(category)}`}
              >
                {t('openCase.addWorker')}
              </Link>
            </p>
          </>
        )}
        {request.problem?.fieldError('workerId', lang) && (
          <span className="field-error">{request.problem.fieldError('workerId', lang)}</span>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${form}-project`}>{t('openCase.project')}</label>
        <select id={`${form}-project`} value={projectId} onChange={(e) => setProjectId(e.target.value)}>
          {(projects ?? []).map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} · {p.siteName}
            </option>
          ))}
        </select>
        {request.problem?.fieldError('projectId', lang) && (
          <span className="field-error">{request.problem.fieldError('projectId', lang)}</span>
        )}
      </div>
      {category === 'B1' && (
        <div className="check">
          <input
            type="checkbox"
            id={`${form}-desk`}
            checked={desk}
            onChange={(e) => setDesk(e.target.checked)}
          />
          <label htmlFor={`${form}-desk`}>{t('projects.embassyDesk')}</label>
        </div>
      )}
      <FormProblem problem={request.problem} shown={['workerId', 'projectId']} />
      <div className="actions">
        <button type="submit" className="button-primary" disabled={request.busy || !worker || !projectId}>
          {t('openCase.submit')}
        </button>
        <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
          {t('openCase.cancel')}
        </button>
      </div>
    </form>
  );
}
