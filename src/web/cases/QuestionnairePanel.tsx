import { useCallback, useEffect, useState } from 'react';
import type { CaseDetail } from '../../contract/pipeline.js';
import {
  questionnaireDefinitions,
  type Questionnaire,
  type QuestionnaireForm,
} from '../../contract/questionnaire.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';

/**
 * HR's and counsel's side of the worker's questionnaire (issue 18): send it (the DS-160's data or the
 * petition's), follow the worker's progress, read the answers, return items with a comment, accept, and export
 * the answers (bilingual PDF, JSON) for filing.
 */
export function QuestionnairePanel({ detail: c, canWrite }: { detail: CaseDetail; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState<Questionnaire | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState('');
  const [comments, setComments] = useState<Record<string, string>>({});
  const forms: QuestionnaireForm[] = [...(c.uscis ? (['petition'] as const) : []), ...(c.consular ? (['ds160'] as const) : [])]; // prettier-ignore

  const load = useCallback(() => {
    api<Questionnaire>('GET', `/api/cases/${c.id}/questionnaire`).then(
      (next) => {
        setQ(next);
        setLoaded(true);
      },
      (e: unknown) => {
        const p = asProblem(e);
        if (p.status !== 404) setProblem(p);
        setLoaded(true);
      },
    );
  }, [c.id]);
  useEffect(load, [load]);

  const act = async (method: string, url: string, body: unknown, message: string) => {
    setProblem(null);
    try {
      setQ(await api<Questionnaire>(method, url, body));
      setStatus(message);
      setComments({});
    } catch (e) {
      setProblem(asProblem(e));
    }
  };
  if (!loaded || forms.length === 0) return null;
  const returning = Object.entries(comments).filter(([, v]) => v.trim());

  return (
    <section aria-labelledby="case-questionnaire" className="case-consular" data-testid="case-questionnaire">
      <h2 id="case-questionnaire">{t('questionnaire.title')}</h2>
      {!q ? (
        <>
          <p>{t('questionnaire.notSent')}</p>
          {canWrite &&
            c.status === 'open' &&
            forms.map((form) => (
              <button
                key={form}
                type="button"
                className="button-primary"
                onClick={() =>
                  void act('POST', `/api/cases/${c.id}/questionnaire`, { form }, t('questionnaire.sentDone'))
                }
              >
                {t('questionnaire.send', { form: questionnaireDefinitions[form].title[lang] })}
              </button>
            ))}
        </>
      ) : (
        <>
          <p data-testid="questionnaire-status">
            <strong>{questionnaireDefinitions[q.form].title[lang]}</strong> ·{' '}
            {t(`questionnaireStatus.${q.status}`)} ·{' '}
            {t('questionnaire.progress', { answered: q.progress.answered, total: q.progress.total })}
            {q.acceptedAt ? ` · ${q.acceptedBy ?? ''} ${formatDateTime(q.acceptedAt, lang)}` : ''}
          </p>
          <p>
            <a href={`/api/cases/${c.id}/questionnaire.pdf`} download>
              {t('questionnaire.pdf')}
            </a>{' '}
            ·{' '}
            <a href={`/api/cases/${c.id}/questionnaire.json`} download>
              {t('questionnaire.json')}
            </a>
          </p>
          {questionnaireDefinitions[q.form].sections.map((section) => (
            <details key={section.id} open={q.status === 'submitted'}>
              <summary>{section.title[lang]}</summary>
              <dl className="facts answers">
                {section.fields.map((field) => {
                  const path = `${section.id}.${field.id}`;
                  const value = q.answers[section.id]?.[field.id];
                  const shown =
                    value === true
                      ? t('questionnaire.yes')
                      : value === false
                        ? t('questionnaire.no')
                        : Array.isArray(value)
                          ? value
                              .map((row) =>
                                (field.fields ?? [])
                                  .map((sub) => row[sub.id])
                                  .filter(Boolean)
                                  .join(', '),
                              )
                              .join(' / ') || '—'
                          : value || '—';
                  return (
                    <div key={path}>
                      <dt>{field.label[lang]}</dt>
                      <dd>
                        {shown}
                        {canWrite && q.status === 'submitted' && (
                          <label className="field return-item">
                            <span>{t('questionnaire.returnComment', { question: field.label[lang] })}</span>
                            <input
                              value={comments[path] ?? ''}
                              maxLength={500}
                              onChange={(e) => setComments({ ...comments, [path]: e.target.value })}
                            />
                          </label>
                        )}
                      </dd>
                    </div>
                  );
                })}
              </dl>
            </details>
          ))}
          {canWrite && q.status === 'submitted' && (
            <div className="form-actions">
              <button
                type="button"
                className="button-secondary"
                disabled={returning.length === 0}
                onClick={() =>
                  void act(
                    'POST',
                    `/api/cases/${c.id}/questionnaire/return`,
                    { items: returning.map(([path, comment]) => ({ path, comment: comment.trim() })) },
                    t('questionnaire.returnedDone'),
                  )
                }
              >
                {t('questionnaire.return', { n: returning.length })}
              </button>
              <button
                type="button"
                className="button-primary"
                disabled={returning.length > 0}
                onClick={() =>
                  void act(
                    'POST',
                    `/api/cases/${c.id}/questionnaire/accept`,
                    {},
                    t('questionnaire.acceptedDone'),
                  )
                }
              >
                {t('questionnaire.accept')}
              </button>
            </div>
          )}
        </>
      )}
      <p className="form-status" role="status">
        {status}
      </p>
      {problem && <LoadProblem problem={problem} />}
    </section>
  );
}
