import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import type { CaseDetail, Reassessment } from '../../contract/pipeline.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { VerdictBadge } from '../pages/AssessmentResult.js';
import { Link } from '../router.js';
import { workerLabel } from './Board.js';
import { LetterForm } from './LetterForm.js';
import { Messages } from './Messages.js';
import { UscisSection } from './UscisSection.js';
import { QuestionnairePanel } from './QuestionnairePanel.js';
import { Attestations } from './Attestations.js';
import { checkUpload, formatBytes, uploadAccept, type Transition } from './model.js';
import {
  caseProblem,
  describedBy,
  Field,
  ProblemNotice,
  provisionName,
  SlaBadge,
  TransitionDialog,
  useCaseWrite,
  useCategoryName,
} from './parts.js';
import { uploadCaseDocument } from './transport.js';
import { useRequest } from '../pages/pipeline-form.js';

/** `/cases/{id}`: one case, its stages, moves, checklist, uploads, history and letters. */
export function CasePage({ me, id }: { me: Me; id: string }) {
  const { t, lang } = useI18n();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [moving, setMoving] = useState<Transition | null>(null);
  const [status, setStatus] = useState('');
  const categoryName = useCategoryName();
  const canWrite = me.capabilities.includes('pipeline.write');
  // Counsel comments, uploads and drafts letters; the employer moves the case through its stages.
  const canMove = canWrite && me.organization?.kind !== 'law_firm';
  // After a move the button pressed is gone: focus returns to the section heading, next to the status line.
  const movesHeading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setDetail(await api<CaseDetail>('GET', `/api/cases/${id}`));
      setProblem(null);
    } catch (error) {
      setProblem(caseProblem(error));
    }
  }, [id]);
  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  if (problem && !detail) return <LoadProblem problem={problem} />;
  if (!detail) return <Loading />;
  const c = detail;
  const stageTitle = (stageId: string | null) =>
    stageId ? (c.stages.find((s) => s.id === stageId)?.title[lang] ?? stageId) : '—';
  const docLabel = (docType: string) =>
    docType === 'message_attachment'
      ? t('messages.attachmentDoc')
      : (c.checklist.find((i) => i.id === docType)?.label[lang] ?? docType);

  return (
    <article aria-labelledby="case-title" className="page case-page">
      <nav aria-label={t('cases.breadcrumb')} className="breadcrumb">
        <Link href={`/cases?project=${c.projectId}`}>{t('cases.board.title')}</Link>
      </nav>
      <div className="page-head">
        <h1 id="case-title">{workerLabel(c, lang)}</h1>
        <SlaBadge sla={c.sla} daysLate={c.daysLate} />
      </div>
      <dl className="facts facts-wide case-facts">
        <dt>{t('cases.worker')}</dt>
        <dd>
          <Link href={`/workers/${c.workerId}`}>
            <span lang="ko">{c.workerNameHangul}</span> · <span lang="en">{c.workerName}</span>
          </Link>
        </dd>
        <dt>{t('cases.project')}</dt>
        <dd>
          <Link href={`/projects/${c.projectId}`}>{c.projectName}</Link>
        </dd>
        <dt>{t('cases.organization')}</dt>
        <dd>{c.organizationName}</dd>
        <dt>{t('cases.category')}</dt>
        <dd>{categoryName(c.category)}</dd>
        <dt>{t('cases.provision')}</dt>
        <dd>{c.provision ? provisionName(t, c.provision) : '—'}</dd>
        <dt>{t('cases.verdict')}</dt>
        <dd>
          <VerdictBadge verdict={c.verdict} />{' '}
          <Link href={`/assessments/${c.assessmentId}`}>{t('cases.assessment')}</Link>
        </dd>
        <dt>{t('cases.rulesVersion')}</dt>
        <dd>
          <code>{c.rulesVersion}</code>
        </dd>
        <dt>{t('cases.stage')}</dt>
        <dd>
          {c.stageTitle[lang]} · {t(`cases.status.${c.status}`)}
        </dd>
        <dt>{t('cases.targetDate')}</dt>
        <dd>
          <time dateTime={c.targetDate}>{c.targetDate}</time>{' '}
          <span className="muted">{t('cases.assignmentStart', { date: c.assignmentStart })}</span>
        </dd>
        <dt>{t('cases.openedAt')}</dt>
        <dd>{formatDateTime(c.openedAt, lang)}</dd>
        {c.admittedAt && (
          <>
            <dt>{t('cases.admittedAt')}</dt>
            <dd>
              {formatDateTime(c.admittedAt, lang)}
              {c.leadTimeDays !== null && <> · {t('cases.leadTime', { n: c.leadTimeDays })}</>}
            </dd>
          </>
        )}
        {c.quota && (
          <>
            <dt>{t('cases.quota')}</dt>
            <dd>
              {t('cases.quotaValue', {
                program: c.quota.program,
                year: c.quota.fiscalYear,
                status: c.quota.status,
                place: c.quota.sequence ?? c.quota.position ?? '—',
              })}
            </dd>
          </>
        )}
      </dl>
      {c.override && (
        <div className="notice notice-warning">
          <p>
            <strong>{t('cases.override')}</strong>{' '}
            {t('cases.overrideBy', { by: c.override.by, at: formatDateTime(c.override.at, lang) })}
          </p>
          <p>{c.override.reason}</p>
        </div>
      )}

      <Attestations caseId={c.id} canWrite={canWrite} />
      <QuestionnairePanel detail={c} canWrite={canWrite} />
      {c.uscis && <UscisSection detail={c} canWrite={canWrite} onSaved={(next) => setDetail(next)} />}
      {c.consular && <ConsularSection detail={c} canWrite={canWrite} onSaved={(next) => setDetail(next)} />}
      <StaySection detail={c} />
      {me.capabilities.includes('messages.read') && (
        <Messages caseId={c.id} canWrite={me.capabilities.includes('messages.write')} />
      )}
      {canWrite && <Reassess caseId={c.id} />}

      <section aria-labelledby="case-moves">
        <h2 id="case-moves" ref={movesHeading} tabIndex={-1}>
          {t('cases.moves.title')}
        </h2>
        <p className="form-status" role="status">
          {status}
        </p>
        {c.status !== 'open' ? (
          <p>{t('cases.moves.closed', { status: t(`cases.status.${c.status}`) })}</p>
        ) : !canMove ? (
          <p>{t('cases.moves.readOnly')}</p>
        ) : (
          <div className="case-moves">
            {c.allowedTransitions.map((m) => (
              <button
                key={m.to}
                type="button"
                className={
                  m === c.allowedTransitions.find((x) => x.kind === 'forward')
                    ? 'button-primary'
                    : 'button-secondary'
                }
                onClick={() => setMoving(m)}
              >
                {t(`cases.moves.${m.kind === 'exit' ? 'exit' : 'to'}`, { stage: m.title[lang] })}
                {m.needsOverride && (
                  <span className="badge badge-verify">{t('cases.moves.needsOverride')}</span>
                )}
              </button>
            ))}
          </div>
        )}
      </section>
      {moving && (
        <TransitionDialog
          caseId={c.id}
          workerName={workerLabel(c, lang)}
          transitions={[moving]}
          canOverride={me.capabilities.includes('cases.override')}
          onClose={() => setMoving(null)}
          onDone={(next) => {
            setMoving(null);
            setDetail(next);
            window.setTimeout(() => movesHeading.current?.focus(), 0);
            setStatus(t('cases.board.moved', { name: workerLabel(c, lang), stage: next.stageTitle[lang] }));
          }}
        />
      )}

      <section aria-labelledby="case-stages">
        <h2 id="case-stages">{t('cases.stages.title')}</h2>
        <ol className="case-timeline">
          {c.stages.map((s) => {
            const current = c.status === 'open' && s.id === c.stage;
            const state = current ? 'current' : s.leftAt ? 'done' : s.enteredAt ? 'done' : 'future';
            return (
              <li key={s.id} className={`timeline-${state}`} aria-current={current ? 'step' : undefined}>
                <div className="timeline-head">
                  <h3>{s.title[lang]}</h3>
                  {current && <span className="badge badge-current">{t('cases.stages.current')}</span>}
                  {(s.enteredAt || current || s.sla !== 'on_track') && (
                    <SlaBadge sla={s.sla} daysLate={s.daysLate} />
                  )}
                </div>
                <p className="muted">
                  {t(`cases.actor.${s.actor}`)} ·{' '}
                  {t('cases.stages.target', { days: s.targetDays, date: s.targetDate })}
                </p>
                {s.enteredAt && (
                  <p className="muted">
                    {t('cases.stages.entered', { at: formatDateTime(s.enteredAt, lang) })}
                    {s.leftAt && <> · {t('cases.stages.left', { at: formatDateTime(s.leftAt, lang) })}</>}
                  </p>
                )}
                {s.documents.length > 0 && (
                  <p className="timeline-docs">
                    {t('cases.stages.documents')}{' '}
                    {s.documents
                      .map((d) => d.label[lang] + (d.required ? '' : ` (${t('cases.optional')})`))
                      .join(', ')}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="case-checklist">
        <h2 id="case-checklist">{t('cases.checklist.title')}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="case-checklist">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('cases.checklist.document')}</th>
                <th scope="col">{t('cases.checklist.stage')}</th>
                <th scope="col">{t('cases.checklist.required')}</th>
                <th scope="col">{t('cases.checklist.status')}</th>
              </tr>
            </thead>
            <tbody>
              {c.checklist.map((item) => (
                <tr key={item.id} data-doc={item.id}>
                  <th scope="row">{item.label[lang]}</th>
                  <td>{stageTitle(item.stageId)}</td>
                  <td className="nowrap">{item.required ? t('cases.checklist.yes') : t('cases.optional')}</td>
                  <td className="nowrap">
                    <span className={item.uploaded ? 'doc-uploaded' : 'doc-missing'}>
                      <span aria-hidden="true">{item.uploaded ? '✓ ' : '○ '}</span>
                      {item.source === 'questionnaire'
                        ? item.uploaded
                          ? t('cases.checklist.accepted')
                          : t('cases.checklist.awaitingAnswers')
                        : item.uploaded
                          ? t('cases.checklist.uploaded')
                          : t('cases.checklist.missing')}
                    </span>
                    {item.source === 'evidence_pack' && me.capabilities.includes('contribution.write') && (
                      <EvidencePackButton caseId={c.id} again={item.uploaded} onDone={() => void load()} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {canWrite && <UploadForm detail={c} onUploaded={() => void load()} />}

      <section aria-labelledby="case-documents">
        <h2 id="case-documents">{t('cases.documents.title')}</h2>
        {c.documents.length === 0 ? (
          <p className="muted">{t('cases.documents.empty')}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="case-documents">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('cases.documents.file')}</th>
                  <th scope="col">{t('cases.documents.type')}</th>
                  <th scope="col">{t('cases.checklist.stage')}</th>
                  <th scope="col">{t('cases.documents.size')}</th>
                  <th scope="col">{t('cases.documents.expires')}</th>
                  <th scope="col">{t('cases.documents.uploaded')}</th>
                </tr>
              </thead>
              <tbody>
                {c.documents.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <a href={`/api/documents/${d.id}`} download={d.filename}>
                        {d.filename}
                      </a>
                    </td>
                    <td>{docLabel(d.docType)}</td>
                    <td>{stageTitle(d.stageId)}</td>
                    <td className="num nowrap">{formatBytes(d.size, lang)}</td>
                    <td className="nowrap">{d.expiresOn ?? '—'}</td>
                    <td>
                      {formatDateTime(d.uploadedAt, lang)} · {d.uploadedBy}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Comments detail={c} canWrite={canWrite} onChanged={setDetail} />

      <section aria-labelledby="case-history">
        <h2 id="case-history">{t('cases.history.title')}</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="case-history">
          <table className="case-history">
            <thead>
              <tr>
                <th scope="col">{t('cases.history.at')}</th>
                <th scope="col">{t('cases.history.move')}</th>
                <th scope="col">{t('cases.history.by')}</th>
                <th scope="col">{t('cases.history.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {[...c.history].reverse().map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at, lang)}</td>
                  <td>
                    {e.from
                      ? `${stageTitle(e.from)} → ${stageTitle(e.to)}`
                      : t('cases.history.opened', { stage: stageTitle(e.to) })}
                  </td>
                  <td>{e.by}</td>
                  <td>
                    {e.comment ?? ''}
                    {e.overrideReason && (
                      <span className="history-override">
                        {' '}
                        {t('cases.history.override', { reason: e.overrideReason })}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {c.letters.length > 0 && canWrite && <LetterForm detail={c} />}
    </article>
  );
}

/** Upload one document with a progress bar; checked here (type, size) and again by the server (content). */
function UploadForm({ detail, onUploaded }: { detail: CaseDetail; onUploaded: () => void }) {
  const { t, lang } = useI18n();
  const missingFirst = [...detail.checklist].sort((a, b) => Number(a.uploaded) - Number(b.uploaded));
  const [docType, setDocType] = useState(missingFirst[0]?.id ?? '');
  const [expiresOn, setExpiresOn] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const item = detail.checklist.find((i) => i.id === docType);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setDone('');
    if (!file) {
      setFileError(t('cases.upload.error.missing'));
      input.current?.focus();
      return;
    }
    const check = checkUpload(file);
    if (!check.ok) {
      setFileError(t(`cases.upload.error.${check.error}`));
      input.current?.focus();
      return;
    }
    setFileError(undefined);
    setProgress(0);
    try {
      const stored = await uploadCaseDocument(
        detail.id,
        {
          docType,
          ...(item?.stageId ? { stageId: item.stageId } : {}),
          ...(expiresOn ? { expiresOn } : {}),
        },
        file,
        lang,
        setProgress,
      );
      setDone(t('cases.upload.done', { file: stored.filename }));
      setFile(null);
      setExpiresOn('');
      if (input.current) input.current.value = '';
      onUploaded();
    } catch (error) {
      setProblem(caseProblem(error));
    } finally {
      setProgress(null);
    }
  };
  const fieldError = (path: string) => problem?.fieldError(path, lang);
  const fileMessage = fileError ?? fieldError('file');

  return (
    <section aria-labelledby="case-upload">
      <h2 id="case-upload">{t('cases.upload.title')}</h2>
      <form className="inline-form case-upload" onSubmit={(e) => void submit(e)} noValidate>
        <Field id="upload-type" label={t('cases.upload.docType')} error={fieldError('docType')}>
          <select id="upload-type" value={docType} onChange={(e) => setDocType(e.target.value)}>
            {detail.checklist
              .filter((i) => i.source !== 'questionnaire')
              .map((i) => (
                <option key={i.id} value={i.id}>
                  {i.label[lang]}
                  {i.uploaded ? ` (${t('cases.checklist.uploaded')})` : ''}
                </option>
              ))}
          </select>
        </Field>
        <Field
          id="upload-expires"
          label={t('cases.upload.expiresOn')}
          hint={t('cases.upload.expiresHint')}
          error={fieldError('expiresOn')}
        >
          <input
            id="upload-expires"
            type="date"
            value={expiresOn}
            onChange={(e) => setExpiresOn(e.target.value)}
            aria-describedby={describedBy('upload-expires', true, !!fieldError('expiresOn'))}
          />
        </Field>
        <Field
          id="upload-file"
          label={t('cases.upload.file')}
          hint={t('cases.upload.fileHint')}
          error={fileMessage}
        >
          <input
            id="upload-file"
            ref={input}
            type="file"
            accept={uploadAccept}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError(undefined);
            }}
            aria-invalid={fileMessage ? true : undefined}
            aria-describedby={describedBy('upload-file', true, !!fileMessage)}
          />
        </Field>
        <div className="field">
          <button type="submit" className="button-primary" disabled={progress !== null}>
            {progress !== null ? t('cases.upload.sending') : t('cases.upload.submit')}
          </button>
        </div>
      </form>
      {progress !== null && (
        <div className="upload-progress">
          <label htmlFor="upload-progress">
            {t('cases.upload.progress', { percent: Math.round(progress * 100) })}
          </label>
          <progress id="upload-progress" max={1} value={progress} />
        </div>
      )}
      <p className="form-status success" role="status">
        {done}
      </p>
      {problem && <ProblemNotice problem={problem} shown={['file', 'docType', 'expiresOn']} />}
    </section>
  );
}

/** The stay that is the case's admission (admitted means present), or a line saying there is none yet. */
function StaySection({ detail: c }: { detail: CaseDetail }) {
  const { t, lang } = useI18n();
  const stay = c.stay;
  return (
    <section aria-labelledby="case-stay" className="case-stay">
      <h2 id="case-stay">{t('cases.stay.title')}</h2>
      {!stay ? (
        <p className="muted">{t('cases.stay.none')}</p>
      ) : (
        <p>
          {t('cases.stay.admitted', { date: stay.admittedOn, class: stay.classLabel[lang] })}
          {stay.admitUntil && <> · {t('cases.stay.until', { date: stay.admitUntil })}</>}
          {stay.departedOn && <> · {t('cases.stay.departed', { date: stay.departedOn })}</>}
          {stay.reportedBy === 'worker' && (
            <span className="badge badge-muted">
              {stay.confirmedAt ? t('cases.stay.confirmed') : t('cases.stay.reportedByWorker')}
            </span>
          )}{' '}
          <Link href={`/workers/${c.workerId}`}>{t('cases.worker')}</Link>
        </p>
      )}
    </section>
  );
}

/** "Assess again": today's rules and records against the assessment the case was opened on. */
function Reassess({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const [result, setResult] = useState<Reassessment | null>(null);
  const request = useRequest();
  const verdict = (v: string) => t(`verdict.${v}`);
  return (
    <section aria-labelledby="case-reassess" className="case-reassess">
      <h2 id="case-reassess" className="visually-hidden">
        {t('cases.reassess.title')}
      </h2>
      <button
        type="button"
        className="button-secondary"
        disabled={request.busy}
        onClick={() =>
          request.run(() => api<Reassessment>('POST', `/api/cases/${caseId}/reassess`), setResult)
        }
      >
        {t('cases.reassess.button')}
      </button>
      {request.problem && <ProblemNotice problem={request.problem} />}
      {result && (
        <div className="notice" role="status">
          <p>
            <strong>{t('cases.reassess.title')}</strong> ·{' '}
            {t('cases.reassess.rules', {
              before: result.rulesVersion.before,
              after: result.rulesVersion.after,
            })}
          </p>
          {result.verdict.before === result.verdict.after && result.changes.length === 0 ? (
            <p>{t('cases.reassess.same')}</p>
          ) : (
            <>
              <p>
                {t('cases.reassess.verdict', {
                  before: verdict(result.verdict.before),
                  after: verdict(result.verdict.after),
                })}
              </p>
              {result.changes.length > 0 && (
                <>
                  <h3>{t('cases.reassess.changed')}</h3>
                  <ul>
                    {result.changes.map((change) => (
                      <li key={change.rule}>
                        <strong>
                          {change.before === null
                            ? t('cases.reassess.new')
                            : change.after
                              ? t('cases.reassess.nowMet')
                              : t('cases.reassess.nowUnmet')}
                        </strong>
                        : {change.message[lang]} <span className="muted">{change.citation}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
          {result.otherCategories.length > 0 && (
            <p className="muted">
              {t('cases.reassess.other', {
                list: result.otherCategories
                  .map((o) => `${o.category}: ${verdict(o.before)} → ${verdict(o.after)}`)
                  .join(' · '),
              })}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

/** Comments on the case by HR and counsel, oldest first, and a box to add one. */
function Comments({
  detail: c,
  canWrite,
  onChanged,
}: {
  detail: CaseDetail;
  canWrite: boolean;
  onChanged: (detail: CaseDetail) => void;
}) {
  const { t, lang } = useI18n();
  const [body, setBody] = useState('');
  const request = useRequest();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.run(
      () => api<CaseDetail>('POST', `/api/cases/${c.id}/comments`, { body }),
      (next) => {
        setBody('');
        onChanged(next);
      },
    );
  };
  return (
    <section aria-labelledby="case-comments" className="case-comments">
      <h2 id="case-comments">{t('cases.comments.title')}</h2>
      {c.comments.length === 0 ? (
        <p className="muted">{t('cases.comments.empty')}</p>
      ) : (
        <ol className="comments">
          {c.comments.map((comment) => (
            <li key={comment.id}>
              <p className="comment-meta">
                <strong>{comment.author}</strong>
                {comment.organizationName && <> · {comment.organizationName}</>} ·{' '}
                <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt, lang)}</time>
              </p>
              <p className="comment-body">{comment.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
        <form onSubmit={submit} noValidate>
          <label htmlFor="case-comment">{t('cases.comments.label')}</label>
          <textarea
            id="case-comment"
            rows={3}
            maxLength={4000}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
          {request.problem && <ProblemNotice problem={request.problem} />}
          <button type="submit" className="button-primary" disabled={request.busy || body.trim() === ''}>
            {t('cases.comments.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

/**
 * The visa application as CEAC shows it (issue 17): status and history, the DS-160 number, the desk's record
 * (interview day, outcome, annotation, 221(g) follow-up). HR records the DS-160 and what CEAC shows; a status
 * moves the case to the stage it means (the server says which).
 */
function ConsularSection({
  detail: c,
  canWrite,
  onSaved,
}: {
  detail: CaseDetail;
  canWrite: boolean;
  onSaved: (next: CaseDetail) => void;
}) {
  const { t } = useI18n();
  const a = c.consular!;
  const { problem, busy, saved, send } = useCaseWrite(onSaved);
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="case-consular" className="case-consular" data-testid="case-consular">
      <h2 id="case-consular">{t('consular.title')}</h2>
      <dl className="facts">
        <div>
          <dt>{t('consular.status')}</dt>
          <dd data-testid="ceac-status">
            {a.status ? t(`ceacStatus.${a.status}`) : t('consular.noStatus')}
            {a.statusOn ? ` · ${a.statusOn}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('consular.ds160')}</dt>
          <dd>{a.ds160Number ?? (a.ds160Last4 ? `••••••${a.ds160Last4}` : '—')}</dd>
        </div>
        <div>
          <dt>{t('console.post')}</dt>
          <dd>{t(`consularPost.${a.post}`)}</dd>
        </div>
        {a.interviewOn && (
          <div>
            <dt>{t('consular.interviewOn')}</dt>
            <dd>{a.interviewOn}</dd>
          </div>
        )}
        {a.outcome && (
          <div>
            <dt>{t('consular.outcome')}</dt>
            <dd data-testid="desk-outcome">
              {t(`deskOutcome.${a.outcome}`)}
              {a.outcomeOn ? ` · ${a.outcomeOn}` : ''}
              {a.refusalReason ? ` · ${a.refusalReason}` : ''}
            </dd>
          </div>
        )}
        {a.annotation && (
          <div>
            <dt>{t('desk.annotationPrinted')}</dt>
            <dd>
              {a.annotation.company} / {a.annotation.facility} / {a.annotation.project}
              {a.validUntil ? ` · ${t('consular.validUntil', { date: a.validUntil })}` : ''}
            </dd>
          </div>
        )}
        {a.returnReason && (
          <div>
            <dt>{t('consular.returnedTitle')}</dt>
            <dd>{a.returnReason}</dd>
          </div>
        )}
      </dl>
      {a.adminProcessing && (
        <p className="notice notice-warning" data-testid="admin-processing">
          {t('consular.adminClock', {
            since: a.adminProcessing.since,
            days: a.adminProcessing.days,
            target: a.adminProcessing.targetDays,
          })}
          {a.followUpOn ? ` ${t('consular.followUp', { date: a.followUpOn })}` : ''}
        </p>
      )}
      {a.history.length > 0 && (
        <ol className="timeline">
          {a.history.map((h, k) => (
            <li key={k}>
              <strong>{t(`ceacStatus.${h.status}`)}</strong> · {h.on} · {h.by}
              {h.note ? ` · ${h.note}` : ''}
            </li>
          ))}
        </ol>
      )}
      <p className="form-status" role="status">
        {saved}
      </p>
      {problem && <LoadProblem problem={problem} />}
      {canWrite && c.status === 'open' && (
        <div className="consular-forms">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const value = String(data.get('ds160') ?? '').trim();
              send(
                'PUT',
                `/api/cases/${c.id}/consular`,
                { ds160Number: value || null, post: data.get('post') },
                t('consular.saved'),
              );
            }}
          >
            <label className="field">
              <span>{t('consular.ds160')}</span>
              <input
                name="ds160"
                defaultValue={a.ds160Number ?? ''}
                maxLength={10}
                aria-describedby={`ds160-hint-${c.id}`}
              />
              <span id={`ds160-hint-${c.id}`} className="help">
                {t('consular.ds160Hint')}
              </span>
            </label>
            <label className="field">
              <span>{t('console.post')}</span>
              <select name="post" defaultValue={a.post}>
                <option value="seoul">{t('consularPost.seoul')}</option>
                <option value="other">{t('consularPost.other')}</option>
              </select>
            </label>
            <button type="submit" className="button-secondary" disabled={busy}>
              {t('consular.saveDs160')}
            </button>
          </form>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const data = new FormData(e.currentTarget);
              const note = String(data.get('note') ?? '').trim();
              send(
                'POST',
                `/api/cases/${c.id}/consular/status`,
                { status: data.get('status'), on: data.get('on'), ...(note ? { note } : {}) },
                t('consular.statusSaved'),
              );
            }}
          >
            <label className="field">
              <span>{t('consular.ceacShows')}</span>
              <select name="status" defaultValue="application_received">
                {['application_received', 'administrative_processing', 'issued', 'refused'].map((s) => (
                  <option key={s} value={s}>
                    {t(`ceacStatus.${s}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span>{t('consular.since')}</span>
              <input type="date" name="on" required max={today} defaultValue={today} />
            </label>
            <label className="field">
              <span>{t('consular.note')}</span>
              <input name="note" maxLength={2000} />
            </label>
            <button type="submit" className="button-secondary" disabled={busy}>
              {t('consular.recordStatus')}
            </button>
          </form>
        </div>
      )}
    </section>
  );
}

/** Generates the training evidence pack from the contribution ledger and attaches it to the case (issue 20). */
function EvidencePackButton({
  caseId,
  again,
  onDone,
}: {
  caseId: string;
  again: boolean;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const generate = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await api('POST', `/api/cases/${caseId}/evidence-pack`, {});
      onDone();
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {' '}
      <button type="button" className="button-secondary" disabled={busy} onClick={() => void generate()}>
        {again ? t('contribution.pack.again') : t('contribution.pack.generate')}
      </button>
      {problem && (
        <span role="alert" className="field-error">
          {problem.fieldError('caseId', lang) ?? problem.text(lang)}
        </span>
      )}
    </>
  );
}
