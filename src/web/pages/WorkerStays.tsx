import { useEffect, useState, type FormEvent } from 'react';
import type { Entry } from '../../contract/pipeline.js';
import { Field } from './pipeline-form.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import './presence.css';

interface IssuedCard {
  token: string;
  id: string;
  expiresAt: string;
  verifyUrl: string;
}

/** The worker page's "Stays" section (issue 6): admissions as a timeline, a form to add one, the status card. */
export function WorkerStays({
  workerId,
  canWrite,
  onChanged,
}: {
  workerId: string;
  canWrite: boolean;
  /** Called after a stay changed here (cases follow the stays: admitted, departed). */
  onChanged?: () => void;
}) {
  const { t, lang } = useI18n();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [card, setCard] = useState<IssuedCard | null>(null);
  const [cardProblem, setCardProblem] = useState<ApiProblem | null>(null);
  const [issuing, setIssuing] = useState(false);

  useEffect(() => {
    let live = true;
    api<{ items: Entry[] }>('GET', `/api/workers/${workerId}/entries`).then(
      (res) => live && setEntries(res.items),
      (e: unknown) => live && e instanceof ApiProblem && setProblem(e),
    );
    return () => {
      live = false;
    };
  }, [workerId]);

  const issueCard = () => {
    setIssuing(true);
    setCardProblem(null);
    api<IssuedCard>('POST', `/api/workers/${workerId}/cards`).then(
      (c) => {
        setIssuing(false);
        setCard(c);
      },
      (e: unknown) => {
        setIssuing(false);
        if (e instanceof ApiProblem) setCardProblem(e);
      },
    );
  };

  const replace = (updated: Entry) => {
    setEntries((prev) => (prev ?? []).map((x) => (x.id === updated.id ? updated : x)));
    onChanged?.();
  };
  const act = async (fn: () => Promise<Entry>) => {
    try {
      replace(await fn());
      setProblem(null);
    } catch (error) {
      setProblem(asProblem(error));
    }
  };

  const sorted = [...(entries ?? [])].sort((a, b) => a.admittedOn.localeCompare(b.admittedOn));
  return (
    <section aria-labelledby="stays-heading" className="worker-stays">
      <h2 id="stays-heading">{t('presence.title')}</h2>
      {problem && <LoadProblem problem={problem} />}
      {!entries && !problem && <Loading />}
      {entries && sorted.length === 0 && <p className="muted">{t('presence.none')}</p>}
      {sorted.length > 0 && (
        <ol className="stays-timeline" aria-label={t('presence.timelineLabel')}>
          {sorted.map((e) => {
            const left = e.status.daysRemaining;
            const share =
              left === null
                ? 100
                : Math.min(
                    100,
                    Math.round((100 * e.status.daysUsed) / (e.status.daysUsed + Math.max(0, left) || 1)),
                  );
            return (
              <li key={e.id} className={e.status.present ? 'stay-present' : undefined}>
                <strong>
                  {e.classOfAdmission} · {e.classLabel[lang]}
                </strong>
                <br />
                <time dateTime={e.admittedOn}>{e.admittedOn}</time> →{' '}
                {e.departedOn ? (
                  <time dateTime={e.departedOn}>{e.departedOn}</time>
                ) : (
                  <span>{t('presence.stillThere')}</span>
                )}
                <br />
                {t('presence.admitUntil')}: {e.durationOfStatus ? 'D/S' : (e.admitUntil ?? '—')}
                {e.port && (
                  <>
                    {' '}
                    · {t('presence.port')}: {e.port}
                  </>
                )}
                <div className="stay-bar" aria-hidden="true">
                  <span style={{ width: `${share}%` }} />
                </div>
                <span>
                  {t('presence.daysUsed', { days: e.status.daysUsed })}
                  {e.status.present && left !== null && <> · {t('presence.daysLeft', { days: left })}</>}
                </span>
                {e.status.present && <p className="muted">{t('presence.present')}</p>}
                {e.reportedBy === 'worker' && (
                  <p>
                    <span className="badge badge-muted">
                      {e.confirmedAt ? t('cases.stay.confirmed') : t('cases.stay.reportedByWorker')}
                    </span>{' '}
                    {canWrite && !e.confirmedAt && (
                      <button
                        type="button"
                        className="button-secondary"
                        onClick={() => void act(() => api<Entry>('POST', `/api/entries/${e.id}/confirm`, {}))}
                      >
                        {t('presence.confirm')}
                      </button>
                    )}
                  </p>
                )}
                {canWrite && e.status.present && !e.departedOn && (
                  <DepartureForm
                    entryId={e.id}
                    admittedOn={e.admittedOn}
                    onDone={(updated) => replace(updated)}
                  />
                )}
                {e.i94Masked && <p className="muted">I-94: {e.i94Masked}</p>}
                {e.status.warnings.length > 0 && (
                  <ul className="stay-warnings">
                    {e.status.warnings.map((w) => (
                      <li key={w.code}>
                        <span aria-hidden="true">⚠ </span>
                        {w.message[lang]}
                        {w.verify && <span className="muted"> ({t('presence.verify')})</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {canWrite && (
        <EntryForm
          workerId={workerId}
          onAdded={(e) => {
            setEntries((prev) => [...(prev ?? []), e]);
            onChanged?.();
          }}
        />
      )}
      {canWrite && (
        <div className="card-issue">
          <h3>{t('card.issueTitle')}</h3>
          <p className="muted">{t('card.issueHelp')}</p>
          <button type="button" className="button-secondary" onClick={issueCard} disabled={issuing}>
            {t('card.issue')}
          </button>
          {cardProblem && <LoadProblem problem={cardProblem} />}
          {card && (
            <p role="status">
              {t('card.issuedUntil', { date: card.expiresAt.slice(0, 16).replace('T', ' ') })}{' '}
              <Link href={`/card/${card.token}`}>{t('card.open')}</Link> ·{' '}
              <a href={`/verify#${card.token}`}>{t('card.verifyLink')}</a>
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** HR records the day a present worker left the US: the stay ends, and the case it belongs to is *departed*. */
function DepartureForm({
  entryId,
  admittedOn,
  onDone,
}: {
  entryId: string;
  admittedOn: string;
  onDone: (entry: Entry) => void;
}) {
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [day, setDay] = useState('');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const id = `departure-${entryId}`;
  if (!open)
    return (
      <button type="button" className="button-link" onClick={() => setOpen(true)}>
        {t('presence.recordDeparture')}
      </button>
    );
  const error = problem?.fieldError('departedOn', lang) ?? (problem ? problem.text(lang) : undefined);
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        api<Entry>('POST', `/api/entries/${entryId}/departure`, { departedOn: day }).then(
          onDone,
          (e: unknown) => setProblem(asProblem(e)),
        );
      }}
    >
      <label htmlFor={id}>{t('presence.departedOn')}</label>{' '}
      <input
        id={id}
        type="date"
        min={admittedOn}
        required
        value={day}
        onChange={(e) => setDay(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />{' '}
      <button type="submit" className="button-primary">
        {t('presence.recordDeparture')}
      </button>{' '}
      <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
        {t('cases.move.cancel')}
      </button>
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

function EntryForm({ workerId, onAdded }: { workerId: string; onAdded: (e: Entry) => void }) {
  const { t, lang } = useI18n();
  const [mode, setMode] = useState<'fields' | 'paste'>('fields');
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [added, setAdded] = useState(false);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const body: Record<string, string | boolean> = {};
    if (mode === 'paste') body.i94Text = String(data.get('i94Text') ?? '');
    else {
      for (const k of ['admittedOn', 'classOfAdmission', 'admitUntil', 'i94Number', 'port', 'departedOn']) {
        const v = String(data.get(k) ?? '').trim();
        if (v) body[k] = k === 'classOfAdmission' || k === 'port' ? v.toUpperCase() : v;
      }
      if (data.get('durationOfStatus')) body.durationOfStatus = true;
    }
    setBusy(true);
    setProblem(null);
    setAdded(false);
    api<Entry>('POST', `/api/workers/${workerId}/entries`, body).then(
      (e) => {
        setBusy(false);
        setAdded(true);
        form.reset();
        onAdded(e);
      },
      (err: unknown) => {
        setBusy(false);
        if (err instanceof ApiProblem) setProblem(err);
      },
    );
  };

  const field = (name: string, label: string, type = 'text', required = false) => (
    <Field form="entry" name={name} label={label} problem={problem} className="entry-field">
      {(control) => <input {...control} type={type} required={required} />}
    </Field>
  );
  const pasteErrors =
    problem?.errors.filter((e) => e.path === 'i94Text' || e.path.startsWith('i94Text.')) ?? [];
  const shownPaths =
    mode === 'paste'
      ? ['i94Text']
      : ['admittedOn', 'classOfAdmission', 'admitUntil', 'i94Number', 'port', 'departedOn'];
  const otherErrors =
    problem?.errors.filter((e) => !e.path.startsWith('i94Text') && !shownPaths.includes(e.path)) ?? [];

  return (
    <form className="stay-form" onSubmit={submit} aria-label={t('presence.addEntry')}>
      <h3>{t('presence.addEntry')}</h3>
      <fieldset>
        <legend>{t('presence.how')}</legend>
        <label className="inline">
          <input type="radio" name="mode" checked={mode === 'fields'} onChange={() => setMode('fields')} />
          {t('presence.byFields')}
        </label>
        <label className="inline">
          <input type="radio" name="mode" checked={mode === 'paste'} onChange={() => setMode('paste')} />
          {t('presence.byPaste')}
        </label>
      </fieldset>
      {mode === 'fields' ? (
        <fieldset>
          <legend>{t('presence.fields')}</legend>
          {field('admittedOn', t('presence.admittedOn'), 'date', true)}
          {field('classOfAdmission', t('presence.classOfAdmission'), 'text', true)}
          {field('admitUntil', t('presence.admitUntil'), 'date')}
          <label className="inline">
            <input type="checkbox" name="durationOfStatus" /> {t('presence.durationOfStatus')}
          </label>
          {field('i94Number', t('presence.i94Number'))}
          {field('port', t('presence.port'))}
          {field('departedOn', t('presence.departedOn'), 'date')}
        </fieldset>
      ) : (
        <div>
          <label htmlFor="entry-i94Text">{t('presence.pasteLabel')}</label>
          <p className="muted" id="entry-i94Text-help">
            {t('presence.pasteHelp')}
          </p>
          <textarea
            id="entry-i94Text"
            name="i94Text"
            required
            aria-describedby={
              pasteErrors.length ? 'entry-i94Text-help entry-i94Text-error' : 'entry-i94Text-help'
            }
            aria-invalid={pasteErrors.length ? true : undefined}
          />
          {pasteErrors.length > 0 && (
            <ul id="entry-i94Text-error" className="field-error">
              {pasteErrors.map((e) => (
                <li key={e.path}>{e.messages[lang]}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {otherErrors.length > 0 && (
        <ul className="field-error" role="alert">
          {otherErrors.map((e) => (
            <li key={e.path}>{e.messages[lang]}</li>
          ))}
        </ul>
      )}
      {problem && problem.errors.length === 0 && <LoadProblem problem={problem} />}
      {added && <p role="status">{t('presence.added')}</p>}
      <button type="submit" className="button-primary" disabled={busy}>
        {t('presence.save')}
      </button>
    </form>
  );
}
