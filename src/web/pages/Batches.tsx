import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import type { Batch, CaseSummary, Project } from '../../contract/pipeline.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useResource } from '../data.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Field, FormProblem, formValue, useRequest } from './pipeline-form.js';
import './pipeline.css';

/** The workflow of B-1 cases that go through the embassy desk (rules/workflows/b1-embassy-desk.yaml). */
export const EMBASSY_DESK_WORKFLOW = 'b1-embassy-desk';

/** `/batches` (list), `/batches/new` (the builder), `/batches/{id}` (a batch, with its edit mode while a draft). */
export function BatchesModule({ me, rest }: { me: Me; rest: string }) {
  const canWrite = me.capabilities.includes('pipeline.write');
  if (rest === '') return <BatchList canWrite={canWrite} />;
  if (rest === 'new' && canWrite) return <BatchBuilder me={me} />;
  return <BatchPage key={rest} id={rest} canWrite={canWrite} />;
}

function BatchList({ canWrite }: { canWrite: boolean }) {
  const { t, lang } = useI18n();
  const { data, problem } = useResource<{ items: Omit<Batch, 'cases'>[] }>('/api/batches');
  return (
    <section className="page batches">
      <h1>{t('batches.title')}</h1>
      <p className="help">{t('batches.intro')}</p>
      {canWrite && (
        <p className="page-actions">
          <Link href="/batches/new" className="button-primary">
            {t('batches.new')}
          </Link>
        </p>
      )}
      {problem && <LoadProblem problem={problem} />}
      {!data && !problem && <Loading />}
      {data && data.items.length === 0 && <p className="muted">{t('batches.empty')}</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('batches.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.project')}</th>
                <th scope="col">{t('batches.company')}</th>
                <th scope="col">{t('batches.facility')}</th>
                <th scope="col">{t('batches.annotationProject')}</th>
                <th scope="col">{t('batches.status')}</th>
                <th scope="col" className="num">
                  {t('batches.applicants')}
                </th>
                <th scope="col">{t('batches.created')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((b) => (
                <tr key={b.id}>
                  <th scope="row">
                    <Link href={`/batches/${b.id}`}>{b.projectName}</Link>
                  </th>
                  <td>{b.annotation.company}</td>
                  <td>{b.annotation.facility}</td>
                  <td>{b.annotation.project}</td>
                  <td>{t(`deskStatus.${b.deskStatus}`)}</td>
                  <td className="num">{b.counts.total}</td>
                  <td>{formatDateTime(b.createdAt, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Pick a project of the organization, annotate, tick its open embassy-desk B-1 cases outside other batches. */
function BatchBuilder({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const projects = useResource<{ items: Project[] }>('/api/projects');
  const own = (projects.data?.items ?? []).filter(
    (p) => !me.organization || p.organizationId === me.organization.id,
  );
  const [projectId, setProjectId] = useState('');
  const [cases, setCases] = useState<CaseSummary[] | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const { busy, problem, setProblem, run } = useRequest();
  const form = 'batch';
  const project = own.find((p) => p.id === projectId);

  useEffect(() => {
    if (!projectId) {
      setCases(null);
      return;
    }
    let live = true;
    setCases(null);
    setPicked(new Set());
    api<{ total: number; items: CaseSummary[] }>(
      'GET',
      `/api/cases?projectId=${projectId}&category=B1&status=open&limit=2000`,
    ).then(
      (res) =>
        live &&
        setCases(res.items.filter((c) => c.workflowId === EMBASSY_DESK_WORKFLOW && c.batchId === null)),
      (e: unknown) => live && setProblem(asProblem(e)),
    );
    return () => {
      live = false;
    };
  }, [projectId]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      projectId,
      annotation: {
        company: formValue(data, 'annotation.company') ?? '',
        facility: formValue(data, 'annotation.facility') ?? '',
        project: formValue(data, 'annotation.project') ?? '',
      },
      caseIds: [...picked],
    };
    run(
      () => api<Batch>('POST', '/api/batches', body),
      (b) => {
        navigate(`/batches/${b.id}`);
      },
    );
  };

  const toggle = (id: string) =>
    setPicked((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const casesError = problem?.fieldError('caseIds', lang);

  return (
    <section className="page batch-new">
      <p>
        <Link href="/batches">{t('batches.back')}</Link>
      </p>
      <h1 id="batch-form-title">{t('batches.new')}</h1>
      <p className="help">{t('batches.builderIntro')}</p>
      {projects.problem && <LoadProblem problem={projects.problem} />}
      <form className="inline-form" onSubmit={submit} aria-labelledby="batch-form-title" noValidate>
        <Field form={form} name="projectId" label={t('batches.project')} problem={problem}>
          {(p) => (
            <select {...p} value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              <option value="">{t('batches.pickProject')}</option>
              {own.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field form={form} name="annotation.company" label={t('batches.company')} problem={problem}>
          {(p) => <input {...p} type="text" required defaultValue={me.organization?.name ?? ''} />}
        </Field>
        <Field form={form} name="annotation.facility" label={t('batches.facility')} problem={problem}>
          {(p) => (
            <input {...p} key={project?.id} type="text" required defaultValue={project?.siteName ?? ''} />
          )}
        </Field>
        <Field form={form} name="annotation.project" label={t('batches.annotationProject')} problem={problem}>
          {(p) => <input {...p} key={project?.id} type="text" required defaultValue={project?.name ?? ''} />}
        </Field>
        {projectId && (
          <fieldset className="batch-cases" aria-describedby={casesError ? 'batch-caseIds-error' : undefined}>
            <legend>{t('batches.pickCases')}</legend>
            {casesError && (
              <span id="batch-caseIds-error" className="field-error">
                {casesError}
              </span>
            )}
            {cases === null ? (
              <Loading />
            ) : cases.length === 0 ? (
              <p className="muted">{t('batches.noCases')}</p>
            ) : (
              <>
                <div className="check">
                  <input
                    type="checkbox"
                    id="batch-all"
                    checked={picked.size === cases.length}
                    onChange={() =>
                      setPicked(picked.size === cases.length ? new Set() : new Set(cases.map((c) => c.id)))
                    }
                  />
                  <label htmlFor="batch-all">{t('batches.all', { count: cases.length })}</label>
                </div>
                {cases.map((c) => (
                  <div key={c.id} className="check">
                    <input
                      type="checkbox"
                      id={`batch-case-${c.id}`}
                      checked={picked.has(c.id)}
                      onChange={() => toggle(c.id)}
                    />
                    <label htmlFor={`batch-case-${c.id}`}>
                      <span lang="ko">{c.workerNameHangul}</span> · {c.workerName} · {c.stageTitle[lang]} ·{' '}
                      {t('batches.starts', { date: c.assignmentStart })}
                    </label>
                  </div>
                ))}
              </>
            )}
          </fieldset>
        )}
        <FormProblem
          problem={problem}
          shown={['projectId', 'annotation.company', 'annotation.facility', 'annotation.project', 'caseIds']}
        />
        <p className="form-status" role="status">
          {t('batches.picked', { count: picked.size })}
        </p>
        <button type="submit" className="button-primary" disabled={busy}>
          {t('batches.create')}
        </button>
      </form>
    </section>
  );
}

function BatchPage({ id, canWrite }: { id: string; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [batch, setBatch] = useState<Batch | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [submitProblem, setSubmitProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  const desks = useResource<{ items: { id: string; name: string }[] }>(canWrite ? '/api/desks' : null);
  const [deskId, setDeskId] = useState('');

  useEffect(() => {
    api<Batch>('GET', `/api/batches/${id}`).then(setBatch, (e: unknown) => setProblem(asProblem(e)));
  }, [id]);

  if (problem) return <LoadProblem problem={problem} />;
  if (!batch) return <Loading />;

  if (editing) {
    return (
      <BatchEditor
        batch={batch}
        onDone={(next) => {
          if (next) setBatch(next);
          setSaved(next !== null);
          setEditing(false);
          // Back on the batch page, the keyboard returns to the button that opened the editor.
          requestAnimationFrame(() => editButton.current?.focus());
        }}
      />
    );
  }

  const submit = () => {
    setBusy(true);
    setSubmitProblem(null);
    const chosen = deskId || batch.desk?.id || desks.data?.items[0]?.id || '';
    api<Batch>('POST', `/api/batches/${id}/submit`, { deskId: chosen }).then(
      (b) => {
        setBusy(false);
        dialog.current?.close();
        setBatch(b);
      },
      (err: unknown) => {
        setBusy(false);
        dialog.current?.close();
        setSubmitProblem(asProblem(err));
      },
    );
  };

  return (
    <section className="page batch">
      <p>
        <Link href="/batches">{t('batches.back')}</Link>
      </p>
      <h1>{t('batches.heading', { project: batch.projectName })}</h1>
      <dl className="facts">
        <div>
          <dt>{t('batches.status')}</dt>
          <dd data-testid="batch-status">{t(`deskStatus.${batch.deskStatus}`)}</dd>
        </div>
        <div>
          <dt>{t('batches.desk')}</dt>
          <dd>{batch.desk?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('batches.company')}</dt>
          <dd>{batch.annotation.company}</dd>
        </div>
        <div>
          <dt>{t('batches.facility')}</dt>
          <dd>{batch.annotation.facility}</dd>
        </div>
        <div>
          <dt>{t('batches.annotationProject')}</dt>
          <dd>{batch.annotation.project}</dd>
        </div>
        <div>
          <dt>{t('batches.counts')}</dt>
          <dd>
            {t('batches.countsValue', {
              total: batch.counts.total,
              open: batch.counts.open,
              admitted: batch.counts.admitted,
            })}
          </dd>
        </div>
        <div>
          <dt>{t('batches.submittedAt')}</dt>
          <dd>{batch.submittedAt ? formatDateTime(batch.submittedAt, lang) : '—'}</dd>
        </div>
        <div>
          <dt>{t('batches.acknowledgedAt')}</dt>
          <dd>{batch.acknowledgedAt ? formatDateTime(batch.acknowledgedAt, lang) : '—'}</dd>
        </div>
      </dl>
      {batch.deskStatus === 'submitted' && <p className="notice">{t('batches.amendUntilAck')}</p>}
      {batch.deskStatus === 'returned' && (
        <p className="notice notice-warning" role="status">
          {t('batches.returnedNotice', {
            reason: String(
              [...(batch.events ?? [])].reverse().find((e) => e.kind === 'returned')?.details['reason'] ?? '',
            ),
          })}
        </p>
      )}

      <div className="batch-downloads">
        <a href={`/api/batches/${id}/manifest.csv`} download className="button-secondary">
          {t('batches.downloadCsv')}
        </a>
        <a href={`/api/batches/${id}/manifest.pdf`} download className="button-secondary">
          {t('batches.downloadPdf')}
        </a>
        {canWrite && ['draft', 'submitted', 'returned'].includes(batch.deskStatus) && (
          <>
            <button
              type="button"
              className="button-secondary"
              ref={editButton}
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t('batches.edit')}
            </button>
            {batch.deskStatus !== 'submitted' && (
              <button type="button" className="button-primary" onClick={() => dialog.current?.showModal()}>
                {batch.deskStatus === 'returned' ? t('batches.resubmit') : t('batches.submit')}
              </button>
            )}
          </>
        )}
      </div>
      <p className="form-status" role="status">
        {saved ? t('batches.saved') : ''}
      </p>
      {submitProblem && <LoadProblem problem={submitProblem} />}

      <dialog ref={dialog} className="batch-dialog" aria-labelledby="batch-confirm-title">
        <h2 id="batch-confirm-title">{t('batches.confirmTitle')}</h2>
        <p>{t('batches.confirmText', { count: batch.counts.total, project: batch.projectName })}</p>
        <label className="field">
          <span>{t('batches.chooseDesk')}</span>
          <select
            value={deskId || batch.desk?.id || desks.data?.items[0]?.id || ''}
            onChange={(e) => setDeskId(e.target.value)}
          >
            {(desks.data?.items ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <div className="dialog-actions">
          <button type="button" className="button-primary" disabled={busy} onClick={submit}>
            {t('batches.confirm')}
          </button>
          <button type="button" className="button-secondary" onClick={() => dialog.current?.close()}>
            {t('batches.cancel')}
          </button>
        </div>
      </dialog>

      <h2>{t('batches.applicants')}</h2>
      <div className="table-scroll">
        <table>
          <caption className="visually-hidden">{t('batches.applicants')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('batches.worker')}</th>
              <th scope="col">{t('batches.employer')}</th>
              <th scope="col">{t('batches.stage')}</th>
              <th scope="col">{t('batches.assignmentStart')}</th>
              <th scope="col">{t('consular.status')}</th>
              <th scope="col">{t('consular.interviewOn')}</th>
              <th scope="col">{t('consular.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {batch.cases.map((c) => {
              const a = batch.applications?.[c.id];
              return (
                <tr key={c.id}>
                  <th scope="row">
                    <Link href={`/cases/${c.id}`}>
                      <span lang="ko">{c.workerNameHangul}</span> · {c.workerName}
                    </Link>
                  </th>
                  <td>{c.organizationName}</td>
                  <td>{c.status === 'open' ? c.stageTitle[lang] : t(`cases.status.${c.status}`)}</td>
                  <td>{c.assignmentStart}</td>
                  <td>{a?.status ? t(`ceacStatus.${a.status}`) : '—'}</td>
                  <td>{a?.interviewOn ?? '—'}</td>
                  <td>
                    {a?.outcome
                      ? t(`deskOutcome.${a.outcome}`)
                      : a?.returnReason
                        ? t('consular.returned', { reason: a.returnReason })
                        : '—'}
                    {a?.outcome === 'refused_214b' && a.refusalReason ? ` · ${a.refusalReason}` : ''}
                    {a?.outcome === 'administrative_processing' && a.followUpOn
                      ? ` · ${t('consular.followUp', { date: a.followUpOn })}`
                      : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <BatchHistory events={batch.events ?? []} />
    </section>
  );
}

/**
 * The edit mode of a draft batch: its annotation, its cases (untick to take one out) and the project's open
 * embassy-desk B-1 cases in no other batch (tick to add). One `PATCH /api/batches/{id}`; the server checks the
 * cases as at creation and refuses a submitted batch (409); its field errors show at the case they concern.
 */
function BatchEditor({ batch, onDone }: { batch: Batch; onDone: (saved: Batch | null) => void }) {
  const { t, lang } = useI18n();
  const [candidates, setCandidates] = useState<CaseSummary[] | null>(null);
  const [keep, setKeep] = useState<Set<string>>(() => new Set(batch.cases.map((c) => c.id)));
  const [add, setAdd] = useState<Set<string>>(new Set());
  const { busy, problem, setProblem, run } = useRequest();
  /** The ids of the last request, to find the case an error path such as `addCaseIds[2]` names. */
  const [sent, setSent] = useState<{ add: string[]; remove: string[] }>({ add: [], remove: [] });
  const title = useRef<HTMLHeadingElement>(null);
  const form = 'batch-edit';

  useEffect(() => {
    title.current?.focus();
    let live = true;
    api<{ total: number; items: CaseSummary[] }>(
      'GET',
      `/api/cases?projectId=${batch.projectId}&category=B1&status=open&limit=2000`,
    ).then(
      (res) =>
        live &&
        setCandidates(res.items.filter((c) => c.workflowId === EMBASSY_DESK_WORKFLOW && c.batchId === null)),
      (e: unknown) => live && setProblem(asProblem(e)),
    );
    return () => {
      live = false;
    };
  }, [batch.projectId]);

  const toggle = (set: (f: (prev: Set<string>) => Set<string>) => void, id: string) =>
    set((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const removed = batch.cases.filter((c) => !keep.has(c.id)).map((c) => c.id);
  const caseError = (id: string) => {
    const at = (list: string[], path: string) =>
      list.flatMap((x, i) => (x === id ? [problem?.fieldError(`${path}[${i}]`, lang)] : [])).find(Boolean);
    return at(sent.add, 'addCaseIds') ?? at(sent.remove, 'removeCaseIds');
  };
  const listError = problem?.fieldError('removeCaseIds', lang) ?? problem?.fieldError('addCaseIds', lang);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const value = (name: string) => String(data.get(name) ?? '');
    const request = { add: [...add], remove: removed };
    setSent(request);
    run(
      () =>
        api<Batch>('PATCH', `/api/batches/${batch.id}`, {
          annotation: {
            company: value('annotation.company'),
            facility: value('annotation.facility'),
            project: value('annotation.project'),
          },
          addCaseIds: request.add,
          removeCaseIds: request.remove,
        }),
      (b) => {
        onDone(b);
      },
    );
  };

  const caseRow = (c: CaseSummary, checked: boolean, onChange: () => void, prefix: string) => {
    const error = caseError(c.id);
    const inputId = `${form}-${prefix}-${c.id}`;
    return (
      <div key={c.id} className="check">
        <input
          type="checkbox"
          id={inputId}
          checked={checked}
          onChange={onChange}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
        />
        <label htmlFor={inputId}>
          <span lang="ko">{c.workerNameHangul}</span> · {c.workerName} · {c.organizationName} ·{' '}
          {c.stageTitle[lang]}
        </label>
        {error && (
          <span id={`${inputId}-error`} className="field-error">
            {error}
          </span>
        )}
      </div>
    );
  };
  const shownPaths = [
    'annotation.company',
    'annotation.facility',
    'annotation.project',
    'addCaseIds',
    'removeCaseIds',
    ...sent.add.map((_, i) => `addCaseIds[${i}]`),
    ...sent.remove.map((_, i) => `removeCaseIds[${i}]`),
  ];

  return (
    <section className="page batch-edit">
      <p>
        <Link href="/batches">{t('batches.back')}</Link>
      </p>
      <h1 id="batch-edit-title" ref={title} tabIndex={-1}>
        {t('batches.editTitle', { project: batch.projectName })}
      </h1>
      <p className="help">{t('batches.editIntro')}</p>
      <form className="inline-form" onSubmit={submit} aria-labelledby="batch-edit-title" noValidate>
        <Field form={form} name="annotation.company" label={t('batches.company')} problem={problem}>
          {(p) => <input {...p} type="text" required defaultValue={batch.annotation.company} />}
        </Field>
        <Field form={form} name="annotation.facility" label={t('batches.facility')} problem={problem}>
          {(p) => <input {...p} type="text" required defaultValue={batch.annotation.facility} />}
        </Field>
        <Field form={form} name="annotation.project" label={t('batches.annotationProject')} problem={problem}>
          {(p) => <input {...p} type="text" required defaultValue={batch.annotation.project} />}
        </Field>
        <fieldset className="batch-cases" aria-describedby={listError ? `${form}-cases-error` : undefined}>
          <legend>{t('batches.inBatch')}</legend>
          {listError && (
            <span id={`${form}-cases-error`} className="field-error">
              {listError}
            </span>
          )}
          {batch.cases.map((c) => caseRow(c, keep.has(c.id), () => toggle(setKeep, c.id), 'keep'))}
        </fieldset>
        <fieldset className="batch-cases">
          <legend>{t('batches.addable')}</legend>
          {candidates === null ? (
            <Loading />
          ) : candidates.length === 0 ? (
            <p className="muted">{t('batches.noAddable')}</p>
          ) : (
            candidates.map((c) => caseRow(c, add.has(c.id), () => toggle(setAdd, c.id), 'add'))
          )}
        </fieldset>
        <FormProblem problem={problem} shown={shownPaths} />
        <p className="form-status" role="status">
          {t('batches.editSummary', { kept: keep.size, added: add.size, removed: removed.length })}
        </p>
        <div className="dialog-actions">
          <button type="submit" className="button-primary" disabled={busy}>
            {t('batches.save')}
          </button>
          <button type="button" className="button-secondary" onClick={() => onDone(null)}>
            {t('batches.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** The batch's status history, the same lines the desk reads. */
export function BatchHistory({ events }: { events: NonNullable<Batch['events']> }) {
  const { t, lang } = useI18n();
  if (events.length === 0) return null;
  return (
    <section aria-labelledby="batch-history-title">
      <h2 id="batch-history-title">{t('batches.history')}</h2>
      <ol className="timeline" data-testid="batch-history">
        {events.map((e) => (
          <li key={e.seq}>
            <strong>{t(`batchEvent.${e.kind}`)}</strong>
            {e.kind === 'outcome' && typeof e.details['outcome'] === 'string'
              ? `: ${t(`deskOutcome.${e.details['outcome']}`)}`
              : ''}
            {e.kind === 'interview_scheduled' && typeof e.details['day'] === 'string'
              ? `: ${t('batches.interviewDay', { day: e.details['day'], count: Number(e.details['applicants'] ?? 0) })}`
              : ''}
            {e.kind === 'returned' && typeof e.details['reason'] === 'string'
              ? `: ${e.details['reason']}`
              : ''}
            <br />
            <span className="muted">
              {formatDateTime(e.at, lang)} · {e.by}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
