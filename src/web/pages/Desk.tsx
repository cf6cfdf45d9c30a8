import { useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import type { DeskBatch } from '../../contract/desk.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useResource } from '../data.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { BatchHistory } from './Batches.js';
import './pipeline.css';

type Summary = Omit<DeskBatch, 'applicants' | 'events' | 'identityVisible' | 'identityVisibleUntil'>;
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** `/desk` (the inbox), `/desk/calendar` (interview capacity), `/desk/{id}` (a batch sent to the desk). */
export function DeskModule({ me, rest }: { me: Me; rest: string }) {
  const canWrite = me.capabilities.includes('desk.write');
  if (rest === '') return <Inbox />;
  if (rest === 'calendar') return <Calendar canWrite={canWrite} />;
  return <DeskBatchPage key={rest} id={rest} canWrite={canWrite} />;
}

function Inbox() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState('open');
  const { data, problem } = useResource<{ items: Summary[] }>(`/api/desk/batches?status=${status}`);
  return (
    <section className="page desk">
      <h1>{t('desk.title')}</h1>
      <p className="help">{t('desk.intro')}</p>
      <p className="page-actions">
        <Link href="/desk/calendar" className="button-secondary">
          {t('desk.calendar')}
        </Link>
      </p>
      <label className="field field-inline">
        <span>{t('desk.show')}</span>
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          {['open', 'submitted', 'acknowledged', 'returned', 'closed', 'all'].map((s) => (
            <option key={s} value={s}>
              {t(`desk.filter.${s}`)}
            </option>
          ))}
        </select>
      </label>
      {problem && <LoadProblem problem={problem} />}
      {!data && !problem && <Loading />}
      {data && data.items.length === 0 && <p className="muted">{t('desk.empty')}</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('desk.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk.investor')}</th>
                <th scope="col">{t('batches.project')}</th>
                <th scope="col">{t('desk.site')}</th>
                <th scope="col">{t('batches.status')}</th>
                <th scope="col" className="num">
                  {t('batches.applicants')}
                </th>
                <th scope="col" className="num">
                  {t('desk.scheduled')}
                </th>
                <th scope="col" className="num">
                  {t('desk.decided')}
                </th>
                <th scope="col">{t('batches.submittedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link href={`/desk/${b.id}`}>{b.investor}</Link>
                  </th>
                  <td>{b.projectName}</td>
                  <td>
                    {b.site.name} ({b.site.state})
                  </td>
                  <td>{t(`deskStatus.${b.deskStatus}`)}</td>
                  <td className="num">{b.counts.applicants}</td>
                  <td className="num">{b.counts.scheduled}</td>
                  <td className="num">
                    {b.counts.issued +
                      b.counts.refused +
                      b.counts.withdrawn +
                      b.counts.administrativeProcessing}
                  </td>
                  <td>{b.submittedAt ? formatDateTime(b.submittedAt, lang) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeskBatchPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [batch, setBatch] = useState<DeskBatch | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [actionProblem, setActionProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api<DeskBatch>('GET', `/api/desk/batches/${id}`).then(setBatch, (e: unknown) => setProblem(asProblem(e)));
  }, [id]);
  if (problem) return <LoadProblem problem={problem} />;
  if (!batch) return <Loading />;

  const act = (path: string, body: unknown, message: string) => {
    setBusy(true);
    setActionProblem(null);
    setDone('');
    return api<DeskBatch>('POST', `/api/desk/batches/${id}/${path}`, body).then(
      (b) => {
        setBusy(false);
        setBatch(b);
        setDone(message);
        return true;
      },
      (e: unknown) => {
        setBusy(false);
        setActionProblem(asProblem(e));
        return false;
      },
    );
  };
  const undecided = batch.applicants.filter(
    (a) => a.caseStatus === 'open' && (!a.outcome || a.outcome === 'administrative_processing'),
  );
  const nameOf = (a: DeskBatch['applicants'][number]) =>
    a.person ? `${a.person.nameHangul} · ${a.person.familyName} ${a.person.givenName}` : t('desk.hidden');

  return (
    <section className="page desk-batch">
      <p>
        <Link href="/desk">{t('desk.back')}</Link>
      </p>
      <h1>{t('desk.heading', { investor: batch.investor, project: batch.projectName })}</h1>
      <dl className="facts">
        <div>
          <dt>{t('batches.status')}</dt>
          <dd data-testid="desk-status">{t(`deskStatus.${batch.deskStatus}`)}</dd>
        </div>
        <div>
          <dt>{t('desk.site')}</dt>
          <dd>
            {batch.site.name} ({batch.site.state})
          </dd>
        </div>
        <div>
          <dt>{t('desk.annotation')}</dt>
          <dd>
            {batch.annotation.company} / {batch.annotation.facility} / {batch.annotation.project}
          </dd>
        </div>
        <div>
          <dt>{t('batches.submittedAt')}</dt>
          <dd>{batch.submittedAt ? formatDateTime(batch.submittedAt, lang) : '—'}</dd>
        </div>
        <div>
          <dt>{t('desk.identity')}</dt>
          <dd>
            {batch.identityVisible
              ? batch.identityVisibleUntil
                ? t('desk.identityUntil', { date: batch.identityVisibleUntil })
                : t('desk.identityOpen')
              : t('desk.identityGone', { date: batch.identityVisibleUntil ?? '' })}
          </dd>
        </div>
      </dl>
      <p className="form-status" role="status">
        {done}
      </p>
      {actionProblem && <LoadProblem problem={actionProblem} />}

      {canWrite && batch.deskStatus === 'submitted' && (
        <div className="desk-actions">
          <button
            type="button"
            className="button-primary"
            disabled={busy}
            onClick={() => void act('acknowledge', {}, t('desk.acknowledged'))}
          >
            {t('desk.acknowledge')}
          </button>
          <ReturnForm
            batch={batch}
            busy={busy}
            onReturn={(body) => act('return', body, t('desk.returnedDone'))}
            nameOf={nameOf}
          />
        </div>
      )}
      {canWrite && batch.deskStatus === 'acknowledged' && undecided.length > 0 && (
        <ScheduleForm
          batch={batch}
          busy={busy}
          nameOf={nameOf}
          onSchedule={(body) => act('interviews', body, t('desk.scheduledDone', { day: body.day }))}
        />
      )}

      <h2>{t('batches.applicants')}</h2>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t('batches.applicants')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('desk.applicant')}</th>
              <th scope="col">{t('desk.birthDate')}</th>
              <th scope="col">{t('desk.passport')}</th>
              <th scope="col">{t('desk.ds160')}</th>
              <th scope="col">{t('batches.employer')}</th>
              <th scope="col">{t('consular.status')}</th>
              <th scope="col">{t('consular.interviewOn')}</th>
              <th scope="col">{t('consular.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.applicants.map((a) => (
              <tr key={a.caseId}>
                <th scope="row">{nameOf(a)}</th>
                <td>{a.person?.birthDate ?? '—'}</td>
                <td>{a.person ? `•••••${a.person.passportLast4}` : '—'}</td>
                <td>{a.person?.ds160Number ?? '—'}</td>
                <td>
                  {a.employer.name}
                  {a.employer.relation === 'partner' ? ` (${t('desk.partnerFirm')})` : ''}
                </td>
                <td>{a.ceacStatus ? t(`ceacStatus.${a.ceacStatus}`) : '—'}</td>
                <td>{a.interviewOn ?? '—'}</td>
                <td>
                  {a.outcome
                    ? t(`deskOutcome.${a.outcome}`)
                    : a.returnReason
                      ? t('consular.returned', { reason: a.returnReason })
                      : '—'}
                  {a.outcome === 'issued' && a.validUntil
                    ? ` · ${t('consular.validUntil', { date: a.validUntil })}`
                    : ''}
                  {a.outcome === 'refused_214b' && a.refusalReason ? ` · ${a.refusalReason}` : ''}
                  {a.outcome === 'administrative_processing' && a.followUpOn
                    ? ` · ${t('consular.followUp', { date: a.followUpOn })}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {canWrite && batch.deskStatus === 'acknowledged' && undecided.length > 0 && (
        <OutcomeForm
          batch={batch}
          busy={busy}
          nameOf={nameOf}
          onRecord={(body) => act('outcomes', body, t('desk.outcomeDone'))}
        />
      )}
      <BatchHistory events={batch.events} />
    </section>
  );
}

function ReturnForm({
  batch,
  busy,
  nameOf,
  onReturn,
}: {
  batch: DeskBatch;
  busy: boolean;
  nameOf: (a: DeskBatch['applicants'][number]) => string;
  onReturn: (body: { reason: string; applicants: { caseId: string; reason: string }[] }) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const applicants = batch.applicants
      .map((a) => ({ caseId: a.caseId, reason: String(data.get(`reason-${a.caseId}`) ?? '').trim() }))
      .filter((a) => a.reason !== '');
    void onReturn({ reason: String(data.get('reason') ?? ''), applicants });
  };
  return (
    <details className="desk-return">
      <summary>{t('desk.return')}</summary>
      <form onSubmit={submit}>
        <label className="field">
          <span>{t('desk.returnReason')}</span>
          <textarea name="reason" required maxLength={2000} rows={2} />
        </label>
        {batch.applicants.map((a) => (
          <label className="field" key={a.caseId}>
            <span>{t('desk.returnApplicant', { name: nameOf(a) })}</span>
            <input name={`reason-${a.caseId}`} maxLength={1000} />
          </label>
        ))}
        <button type="submit" className="button-secondary" disabled={busy}>
          {t('desk.returnSend')}
        </button>
      </form>
    </details>
  );
}

function ScheduleForm({
  batch,
  busy,
  nameOf,
  onSchedule,
}: {
  batch: DeskBatch;
  busy: boolean;
  nameOf: (a: DeskBatch['applicants'][number]) => string;
  onSchedule: (body: { day: string; caseIds: string[] }) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const open = batch.applicants.filter((a) => a.caseStatus === 'open' && !a.outcome);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    void onSchedule({ day: String(data.get('day')), caseIds: data.getAll('caseIds').map(String) });
  };
  return (
    <form className="desk-schedule" onSubmit={submit} aria-labelledby="desk-schedule-title">
      <h2 id="desk-schedule-title">{t('desk.schedule')}</h2>
      <label className="field field-inline">
        <span>{t('desk.day')}</span>
        <input type="date" name="day" required min={today()} defaultValue={inDays(3)} />
      </label>
      <fieldset>
        <legend>{t('batches.applicants')}</legend>
        {open.map((a) => (
          <label key={a.caseId} className="check">
            <input type="checkbox" name="caseIds" value={a.caseId} defaultChecked={!a.interviewOn} />{' '}
            {nameOf(a)}
            {a.interviewOn ? ` (${a.interviewOn})` : ''}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button-secondary" disabled={busy}>
        {t('desk.scheduleSend')}
      </button>
    </form>
  );
}

function OutcomeForm({
  batch,
  busy,
  nameOf,
  onRecord,
}: {
  batch: DeskBatch;
  busy: boolean;
  nameOf: (a: DeskBatch['applicants'][number]) => string;
  onRecord: (body: Record<string, unknown>) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const candidates = batch.applicants.filter(
    (a) => a.caseStatus === 'open' && (!a.outcome || a.outcome === 'administrative_processing'),
  );
  const [outcome, setOutcome] = useState('issued');
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const value = (k: string) => String(data.get(k) ?? '').trim() || undefined;
    const body: Record<string, unknown> = {
      caseId: value('caseId'),
      outcome,
      on: value('on'),
      reason: value('reason'),
      validUntil: outcome === 'issued' ? value('validUntil') : undefined,
      followUpOn: outcome === 'administrative_processing' ? value('followUpOn') : undefined,
    };
    if (outcome === 'issued' && value('company'))
      body['annotation'] = {
        company: value('company'),
        facility: value('facility'),
        project: value('project'),
      };
    void onRecord(body).then((ok) => ok && form.reset());
  };
  return (
    <form className="desk-outcome" onSubmit={submit} aria-labelledby="desk-outcome-title">
      <h2 id="desk-outcome-title">{t('desk.recordOutcome')}</h2>
      <label className="field">
        <span>{t('desk.applicant')}</span>
        <select name="caseId" required>
          {candidates.map((a) => (
            <option key={a.caseId} value={a.caseId}>
              {nameOf(a)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('consular.outcome')}</span>
        <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)}>
          {['issued', 'refused_214b', 'administrative_processing', 'withdrawn'].map((o) => (
            <option key={o} value={o}>
              {t(`deskOutcome.${o}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.decidedOn')}</span>
        <input type="date" name="on" required max={today()} defaultValue={today()} />
      </label>
      {outcome === 'issued' && (
        <>
          <label className="field">
            <span>{t('consular.validUntilLabel')}</span>
            <input type="date" name="validUntil" required defaultValue={inDays(3652)} />
          </label>
          <fieldset>
            <legend>{t('desk.annotationPrinted')}</legend>
            <label className="field">
              <span>{t('batches.company')}</span>
              <input name="company" defaultValue={batch.annotation.company} maxLength={200} />
            </label>
            <label className="field">
              <span>{t('batches.facility')}</span>
              <input name="facility" defaultValue={batch.annotation.facility} maxLength={200} />
            </label>
            <label className="field">
              <span>{t('batches.annotationProject')}</span>
              <input name="project" defaultValue={batch.annotation.project} maxLength={200} />
            </label>
          </fieldset>
        </>
      )}
      {(outcome === 'refused_214b' || outcome === 'administrative_processing') && (
        <label className="field">
          <span>{outcome === 'refused_214b' ? t('desk.refusalReason') : t('desk.requested')}</span>
          <textarea name="reason" rows={2} maxLength={2000} required={outcome === 'refused_214b'} />
        </label>
      )}
      {outcome === 'administrative_processing' && (
        <>
          <p className="help">{t('desk.notFinal')}</p>
          <label className="field">
            <span>{t('desk.followUpOn')}</span>
            <input type="date" name="followUpOn" required min={today()} defaultValue={inDays(30)} />
          </label>
        </>
      )}
      <button type="submit" className="button-primary" disabled={busy}>
        {t('desk.recordSend')}
      </button>
    </form>
  );
}

function Calendar({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const { data, problem } = useResource<{
    days: { day: string; capacity: number; booked: number }[];
    defaultCapacity: number;
  }>(`/api/desk/calendar?v=${version}`);
  const [saveProblem, setSaveProblem] = useState<ApiProblem | null>(null);
  const save = (day: string, capacity: number) => {
    setSaveProblem(null);
    api('PUT', `/api/desk/calendar/${day}`, { capacity }).then(
      () => setVersion((v) => v + 1),
      (e: unknown) => setSaveProblem(asProblem(e)),
    );
  };
  return (
    <section className="page desk-calendar">
      <p>
        <Link href="/desk">{t('desk.back')}</Link>
      </p>
      <h1>{t('desk.calendar')}</h1>
      {data && <p className="help">{t('desk.calendarHelp', { n: data.defaultCapacity })}</p>}
      {problem && <LoadProblem problem={problem} />}
      {saveProblem && <LoadProblem problem={saveProblem} />}
      {!data && !problem && <Loading />}
      {data && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('desk.calendar')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('desk.day')}</th>
                <th scope="col" className="num">
                  {t('desk.capacity')}
                </th>
                <th scope="col" className="num">
                  {t('desk.booked')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.days.map((d) => (
                <tr key={d.day}>
                  <th scope="row">{d.day}</th>
                  <td className="num">
                    {canWrite ? (
                      <input
                        type="number"
                        min={d.booked}
                        max={1000}
                        defaultValue={d.capacity}
                        aria-label={t('desk.capacityOf', { day: d.day })}
                        onBlur={(e) => {
                          const n = Number(e.currentTarget.value);
                          if (Number.isInteger(n) && n !== d.capacity) save(d.day, n);
                        }}
                      />
                    ) : (
                      d.capacity
                    )}
                  </td>
                  <td className="num">{d.booked}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
