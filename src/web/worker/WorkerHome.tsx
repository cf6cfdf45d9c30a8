import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import type { CaseSummary, Entry, Worker } from '../../contract/pipeline.js';
import { api, asProblem, type ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { FormProblem, useRequest } from '../pages/pipeline-form.js';
import { useCategoryName } from '../cases/parts.js';
import { Messages } from '../cases/Messages.js';
import { WorkerDocuments } from './WorkerDocuments.js';
import { WorkerQuestionnaire } from './WorkerQuestionnaire.js';

/**
 * A worker's home (issue 13): their status first. In the US or not, under which class, until when and how many
 * days are left; where their visa case is; their status card; and, after landing, the entry they can record
 * themselves from the I-94 (their employer confirms it). Works offline from what the phone saved.
 */
export function WorkerHome({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const [worker, setWorker] = useState<Worker | null>(null);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const load = useCallback(() => {
    Promise.all([
      api<Worker>('GET', '/api/workers/me'),
      api<{ items: Entry[] }>('GET', '/api/workers/me/entries'),
      api<{ items: CaseSummary[] }>('GET', '/api/workers/me/cases'),
    ]).then(
      ([w, e, c]) => {
        setWorker(w);
        setEntries(e.items);
        setCases(c.items);
      },
      (error: unknown) => setProblem(asProblem(error)),
    );
  }, []);
  useEffect(load, [load]);

  if (problem?.status === 404)
    return (
      <section className="page worker-home">
        <h1>{t('home.title', { name: me.user.displayName })}</h1>
        <p className="notice">{t('profile.notLinked')}</p>
      </section>
    );
  const stay = entries?.find((e) => e.status.present && !e.dependentId) ?? null;
  const open = cases.find((c) => c.status === 'open');
  // No open case: the latest one and how it ended (admitted, departed…), rather than "nothing".
  const latest = [...cases].sort((a, b) => b.openedAt.localeCompare(a.openedAt))[0];
  const days = stay?.status.daysRemaining ?? null;
  const urgency = days === null ? '' : days <= 7 ? 'critical' : days <= 30 ? 'warning' : 'ok';
  return (
    <section className="page worker-home" aria-labelledby="worker-home-title">
      <h1 id="worker-home-title">{t('home.title', { name: worker?.nameHangul ?? me.user.displayName })}</h1>
      {problem && <FormProblem problem={problem} shown={[]} />}
      <section className={`status-panel status-${urgency || 'none'}`} aria-labelledby="status-title">
        <h2 id="status-title">{t('workerHome.status')}</h2>
        {!entries ? (
          <p className="loading">{t('app.loading')}</p>
        ) : stay ? (
          <>
            <p className="status-class">
              {t('workerHome.inUs', { class: stay.classLabel[lang], date: stay.admittedOn })}
            </p>
            {stay.durationOfStatus ? (
              <p>{t('workerHome.durationOfStatus')}</p>
            ) : (
              <p className="status-days">
                <strong>{t('workerHome.daysLeft', { n: days ?? 0 })}</strong>{' '}
                {t('workerHome.until', { date: stay.admitUntil ?? '' })}
              </p>
            )}
            {stay.status.warnings.map((w) => (
              <p key={w.code} className="notice notice-warning">
                {w.message[lang]}
              </p>
            ))}
            {stay.reportedBy === 'worker' && !stay.confirmedAt && (
              <p className="help">{t('workerHome.awaitingConfirmation')}</p>
            )}
            <p className="page-actions">
              <Link href="/card" className="button-primary">
                {t('workerHome.showCard')}
              </Link>
            </p>
          </>
        ) : (
          <>
            <p>{t('workerHome.notInUs')}</p>
            <ReportEntry onReported={load} />
          </>
        )}
      </section>
      <section aria-labelledby="case-title" className="worker-case">
        <h2 id="case-title">{t('workerHome.case')}</h2>
        {open ? (
          <p>
            {t('workerHome.caseAt', {
              category: categoryName(open.category, open.provision),
              stage: open.stageTitle[lang],
              project: open.projectName,
            })}{' '}
            <span className="muted">{t('profile.target', { date: open.targetDate })}</span>
          </p>
        ) : latest ? (
          <p>
            {t('workerHome.caseClosed', {
              category: categoryName(latest.category, latest.provision),
              project: latest.projectName,
              status: t(`cases.status.${latest.status}`),
              date: (latest.admittedAt ?? latest.openedAt).slice(0, 10),
            })}
          </p>
        ) : (
          <p className="muted">{t('workerHome.noOpenCase')}</p>
        )}
      </section>
      {open && me.capabilities.includes('questionnaire.own') && <WorkerQuestionnaire caseId={open.id} />}
      {/* The documents of the case under way, or of the stay it led to (an I-94, a visa still to file). */}
      {(open ?? latest) &&
        ['open', 'admitted'].includes((open ?? latest)!.status) &&
        me.capabilities.includes('documents.own') && <WorkerDocuments caseId={(open ?? latest)!.id} />}
      {(open ?? latest) && me.capabilities.includes('messages.read') && (
        <Messages caseId={(open ?? latest)!.id} canWrite={me.capabilities.includes('messages.write')} />
      )}
      <p>
        <Link href="/me">{t('workerHome.profile')}</Link>
      </p>
    </section>
  );
}

/** After landing: paste the I-94 (or type its date, class and admit-until); HR confirms it later. */
function ReportEntry({ onReported }: { onReported: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const request = useRequest();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.run(
      () => api<Entry>('POST', '/api/workers/me/entries', { i94Text: text }),
      () => {
        setText('');
        onReported();
      },
    );
  };
  return (
    <form onSubmit={submit} className="report-entry" noValidate>
      <h3>{t('workerHome.reportTitle')}</h3>
      <p className="help">{t('workerHome.reportHelp')}</p>
      <label htmlFor="own-i94">{t('cases.admit.paste')}</label>
      <textarea id="own-i94" rows={5} value={text} onChange={(e) => setText(e.target.value)} />
      <FormProblem problem={request.problem} shown={[]} />
      <button type="submit" className="button-primary" disabled={request.busy || text.trim() === ''}>
        {t('workerHome.report')}
      </button>
    </form>
  );
}
