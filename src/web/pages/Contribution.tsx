import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { Me } from '../../contract/api.js';
import type {
  ContributionReport,
  contributionOverviewSchema,
  ledgerEntriesSchema,
  PoolPolicyView,
} from '../../contract/contribution.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useI18n } from '../i18n/i18n.js';
import { postFile } from '../cases/transport.js';
import { Field, FormProblem, formatUsd, formValue, useRequest } from './pipeline-form.js';

type Overview = z.infer<typeof contributionOverviewSchema>;
type Entries = z.infer<typeof ledgerEntriesSchema>;
type Indicators = Overview['total']['indicators'];
interface WorkerItem {
  id: string;
  familyName: string;
  givenName: string;
  nameHangul: string;
}

const today = () => new Date().toISOString().slice(0, 10);
const num = (x: number | null, digits = 1) => (x === null ? '—' : x.toFixed(digits));
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * `/contribution` (issue 20): the contribution ledger. Companies see their projects' money, jobs, training and
 * milestones with the four indicators (each defined on screen), and record entries (a partner firm: its own only);
 * a working group sees the report by sector and by investor (aggregates, small cells hidden), downloads it, and
 * computes and publishes the E-4 pool policy derived from the ledger.
 */
export function ContributionPage({ me }: { me: Me }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="contribution-title" className="page contribution" data-testid="contribution">
      <h1 id="contribution-title">{t('contribution.title')}</h1>
      <p>{t('contribution.intro')}</p>
      {me.capabilities.includes('contribution.read') && <CompanyView me={me} />}
      {me.capabilities.includes('contribution.report') && <WorkingGroupView me={me} />}
      <Definitions />
    </section>
  );
}

function Definitions() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="contribution-definitions" className="card">
      <h2 id="contribution-definitions">{t('contribution.definitions.title')}</h2>
      <dl className="definitions">
        {(
          ['traineeHoursPerWorkerMonth', 'certifiedShare', 'usJobsPerVisa', 'visasPerMillionUsd'] as const
        ).map((k) => (
          <div key={k}>
            <dt>{t(`contribution.indicator.${k}`)}</dt>
            <dd>{t(`contribution.definitions.${k}`)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function IndicatorCells({ i }: { i: Indicators }) {
  return (
    <>
      <td>{num(i.traineeHoursPerWorkerMonth)}</td>
      <td>{pct(i.certifiedShare)}</td>
      <td>{num(i.usJobsPerVisa)}</td>
      <td>{num(i.visasPerMillionUsd, 3)}</td>
    </>
  );
}

function IndicatorHeads() {
  const { t } = useI18n();
  return (
    <>
      <th scope="col">{t('contribution.indicator.traineeHoursPerWorkerMonth')}</th>
      <th scope="col">{t('contribution.indicator.certifiedShare')}</th>
      <th scope="col">{t('contribution.indicator.usJobsPerVisa')}</th>
      <th scope="col">{t('contribution.indicator.visasPerMillionUsd')}</th>
    </>
  );
}

function CompanyView({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const load = useCallback(() => {
    api<Overview>('GET', '/api/contribution').then(
      (o) => {
        setOverview(o);
        setProjectId((id) => id ?? o.projects[0]?.projectId ?? null);
      },
      (e: unknown) => setProblem(asProblem(e)),
    );
  }, []);
  useEffect(load, [load]);
  if (!overview) return problem ? <LoadProblem problem={problem} /> : <Loading />;
  const partner = me.organization?.kind === 'partner';
  return (
    <>
      <p className="help">{partner ? t('contribution.partnerScope') : t('contribution.investorScope')}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="contribution-projects">
        <table data-testid="contribution-projects">
          <caption id="contribution-projects">
            {t('contribution.projectsCaption', { asOf: overview.asOf })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('contribution.project')}</th>
              <th scope="col">{t('contribution.disbursed')}</th>
              <th scope="col">{t('contribution.jobs')}</th>
              <th scope="col">{t('contribution.visas')}</th>
              <th scope="col">{t('contribution.sessions')}</th>
              <th scope="col">{t('contribution.trainees')}</th>
              <IndicatorHeads />
            </tr>
          </thead>
          <tbody>
            {overview.projects.map((p) => (
              <tr key={p.projectId} aria-current={p.projectId === projectId ? 'true' : undefined}>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => setProjectId(p.projectId)}>
                    {p.name}
                  </button>
                </th>
                <td>{formatUsd(p.sums.disbursedUsd, lang)}</td>
                <td>{p.sums.jobsCreated}</td>
                <td>{p.sums.visasUsed}</td>
                <td>{p.sums.sessions}</td>
                <td>{p.sums.trainees}</td>
                <IndicatorCells i={p.indicators} />
              </tr>
            ))}
            <tr>
              <th scope="row">{t('contribution.total')}</th>
              <td>{formatUsd(overview.total.sums.disbursedUsd, lang)}</td>
              <td>{overview.total.sums.jobsCreated}</td>
              <td>{overview.total.sums.visasUsed}</td>
              <td>{overview.total.sums.sessions}</td>
              <td>{overview.total.sums.trainees}</td>
              <IndicatorCells i={overview.total.indicators} />
            </tr>
          </tbody>
        </table>
      </div>
      {projectId && (
        <ProjectLedger
          key={projectId}
          me={me}
          projectId={projectId}
          projectName={overview.projects.find((p) => p.projectId === projectId)?.name ?? ''}
          onChanged={load}
        />
      )}
    </>
  );
}

function ProjectLedger({
  me,
  projectId,
  projectName,
  onChanged,
}: {
  me: Me;
  projectId: string;
  projectName: string;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const [entries, setEntries] = useState<Entries | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState('');
  const load = useCallback(() => {
    api<Entries>('GET', `/api/contribution/projects/${projectId}`).then(setEntries, (e: unknown) =>
      setProblem(asProblem(e)),
    );
  }, [projectId]);
  useEffect(load, [load]);
  const changed = (message: string) => {
    setStatus(message);
    load();
    onChanged();
  };
  const canWrite = me.capabilities.includes('contribution.write');
  if (!entries) return problem ? <LoadProblem problem={problem} /> : <Loading />;
  return (
    <section aria-labelledby="ledger-title" data-testid="project-ledger">
      <h2 id="ledger-title">{t('contribution.ledgerTitle', { project: projectName })}</h2>
      <p role="status" className="form-status">
        {status}
      </p>
      {canWrite && (
        <SessionForm
          me={me}
          projectId={projectId}
          plans={entries.plans}
          onDone={() => changed(t('contribution.session.saved'))}
        />
      )}{' '}
      {/* prettier-ignore */}
      <h3>{t('contribution.session.list')}</h3>
      {entries.sessions.length === 0 ? (
        <p className="muted">{t('contribution.session.none')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t('contribution.session.list')}>
          <table data-testid="sessions">
            <thead>
              <tr>
                <th scope="col">{t('contribution.session.heldOn')}</th>
                <th scope="col">{t('contribution.session.trainer')}</th>
                <th scope="col">{t('contribution.session.topic')}</th>
                <th scope="col">{t('contribution.session.hours')}</th>
                <th scope="col">{t('contribution.session.trainees')}</th>
                <th scope="col">{t('contribution.session.certified')}</th>
                <th scope="col">{t('contribution.session.firm')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.sessions.slice(0, 50).map((s) => (
                <tr key={s.id}>
                  <td>{s.heldOn}</td>
                  <td>{s.trainer.name}</td>
                  <td>
                    {s.topic}
                    {s.equipment ? ` · ${s.equipment}` : ''}
                    {s.traineeNames?.length ? (
                      <div className="help">{s.traineeNames.map((n) => `${n.name}${n.certified ? ' ✓' : ''}`).join(', ')}</div> // prettier-ignore
                    ) : null}
                  </td>
                  <td>{s.hours}</td>
                  <td>{s.trainees}</td>
                  <td>{s.certified}</td>
                  <td>{s.organization}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('contribution.money.title')}</h3>
      <ul>
        {entries.investments.map((i) => (
          <li key={i.id}>
            {i.onDate} · {t(`investmentKind.${i.kind}`)} {formatUsd(i.amountUsd, lang)} · {i.source} ·{' '}
            {i.organization}
          </li>
        ))}
        {entries.jobs.map((j) => (
          <li key={j.id}>
            {j.quarter} · {t('contribution.jobsLine', { created: j.created, committed: j.committed })} ·{' '}
            {j.organization}
          </li>
        ))}
      </ul>
      {entries.milestones.length > 0 && (
        <>
          <h3>{t('contribution.milestone.title')}</h3>
          <ul>
            {entries.milestones.map((m) => (
              <li key={m.id}>
                {m.achievedOn} · {t(`milestoneKind.${m.kind}`)}: {m.title} · {m.organization}
                {m.evidence && (
                  <>
                    {' · '}
                    <a href={`/api/contribution/milestones/${m.id}/evidence`} download={m.evidence.filename}>
                      {t('contribution.milestone.evidence', { file: m.evidence.filename })}
                    </a>
                  </>
                )}
                {canWrite && m.organization === me.organization?.name && (
                  <EvidenceUpload milestoneId={m.id} onDone={() => changed(t('contribution.saved'))} />
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {canWrite && (
        <details>
          <summary>{t('contribution.more')}</summary>
          <SessionImport onDone={() => changed(t('contribution.saved'))} />
          <InvestmentForm projectId={projectId} onDone={() => changed(t('contribution.saved'))} />
          <JobsForm projectId={projectId} onDone={() => changed(t('contribution.saved'))} />
          <PlanForm projectId={projectId} onDone={() => changed(t('contribution.saved'))} />
          <MilestoneForm projectId={projectId} onDone={() => changed(t('contribution.saved'))} />
        </details>
      )}
    </section>
  );
}

function SessionForm({
  me,
  projectId,
  plans,
  onDone,
}: {
  me: Me;
  projectId: string;
  plans: Entries['plans'];
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { busy, problem, run } = useRequest();
  const [workers, setWorkers] = useState<WorkerItem[]>([]);
  const [names, setNames] = useState<{ name: string; certified: boolean }[]>([]);
  useEffect(() => {
    const org = me.organization?.id;
    api<{ items: WorkerItem[] }>('GET', `/api/workers?limit=1000${org ? `&organizationId=${org}` : ''}`).then(
      (list) => setWorkers(list.items),
      () => setWorkers([]),
    );
  }, [me.organization?.id]);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const named = names.filter((n) => n.name.trim() !== '');
    const body = {
      projectId,
      planId: formValue(data, 'planId'),
      trainerWorkerId: formValue(data, 'trainerWorkerId'),
      heldOn: formValue(data, 'heldOn'),
      hours: Number(formValue(data, 'hours') ?? 0),
      topic: formValue(data, 'topic'),
      equipment: formValue(data, 'equipment'),
      place: formValue(data, 'place'),
      trainees: Number(formValue(data, 'trainees') ?? named.length),
      certified: Number(formValue(data, 'certified') ?? named.filter((n) => n.certified).length),
      skill: formValue(data, 'skill'),
      ...(named.length
        ? { traineeNames: named.map((n) => ({ name: n.name.trim(), certified: n.certified })) }
        : {}),
    };
    run(
      () => api('POST', '/api/contribution/sessions', body),
      () => {
        form.reset();
        setNames([]);
        onDone();
      },
    );
  };
  const f = 'session';
  return (
    <form className="card stacked-form" onSubmit={submit} noValidate aria-labelledby="session-form-title">
      <h3 id="session-form-title">{t('contribution.session.record')}</h3>
      <Field form={f} name="trainerWorkerId" label={t('contribution.session.trainer')} problem={problem}>
        {(p) => (
          <select {...p} required defaultValue="">
            <option value="" disabled>
              {t('contribution.choose')}
            </option>
            {workers.map((w) => (
              <option key={w.id} value={w.id}>
                {w.nameHangul} · {w.familyName} {w.givenName}
              </option>
            ))}
          </select>
        )}
      </Field>
      {plans.length > 0 && (
        <Field form={f} name="planId" label={t('contribution.session.plan')} problem={problem}>
          {(p) => (
            <select {...p} defaultValue="">
              <option value="">{t('contribution.session.noPlan')}</option>
              {plans.map((pl) => (
                <option key={pl.id} value={pl.id}>
                  {pl.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field form={f} name="heldOn" label={t('contribution.session.heldOn')} problem={problem}>
        {(p) => <input {...p} type="date" defaultValue={today()} required />}
      </Field>
      <Field form={f} name="hours" label={t('contribution.session.hours')} problem={problem}>
        {(p) => <input {...p} type="number" min="0.25" max="24" step="0.25" defaultValue="4" required />}
      </Field>
      <Field form={f} name="topic" label={t('contribution.session.topic')} problem={problem}>
        {(p) => <input {...p} required maxLength={200} />}
      </Field>
      <Field form={f} name="equipment" label={t('contribution.session.equipment')} problem={problem}>
        {(p) => <input {...p} maxLength={200} />}
      </Field>
      <Field form={f} name="place" label={t('contribution.session.place')} problem={problem}>
        {(p) => <input {...p} required maxLength={200} />}
      </Field>
      <Field form={f} name="skill" label={t('contribution.session.skill')} problem={problem}>
        {(p) => <input {...p} maxLength={200} />}
      </Field>
      <fieldset>
        <legend>{t('contribution.session.names')}</legend>
        <p className="help">{t('contribution.session.namesHelp')}</p>
        {names.map((n, k) => (
          <div key={k} className="inline-form">
            <label>
              {t('contribution.session.traineeName', { n: k + 1 })}
              <input
                value={n.name}
                maxLength={120}
                onChange={(e) => setNames((list) => list.map((x, i) => (i === k ? { ...x, name: e.target.value } : x)))} // prettier-ignore
              />
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={n.certified}
                onChange={(e) => setNames((list) => list.map((x, i) => (i === k ? { ...x, certified: e.target.checked } : x)))} // prettier-ignore
              />
              {t('contribution.session.traineeCertified', { n: k + 1 })}
            </label>
          </div>
        ))}
        <button
          type="button"
          className="button-secondary"
          onClick={() => setNames((l) => [...l, { name: '', certified: false }])}
        >
          {' '}
          {/* prettier-ignore */}
          {t('contribution.session.addTrainee')}
        </button>
      </fieldset>
      <Field form={f} name="trainees" label={t('contribution.session.traineesCount')} problem={problem}>
        {
          (p) =>
          <input {...p} type="number" min="1" max="500" placeholder={names.length ? String(names.filter((n) => n.name.trim()).length) : ''} /> // prettier-ignore
        }
      </Field>
      <Field form={f} name="certified" label={t('contribution.session.certifiedCount')} problem={problem}>
        {
          (p) =>
          <input {...p} type="number" min="0" max="500" placeholder={names.length ? String(names.filter((n) => n.certified).length) : ''} /> // prettier-ignore
        }
      </Field>
      <FormProblem
        problem={problem}
        shown={[
          'trainerWorkerId',
          'planId',
          'heldOn',
          'hours',
          'topic',
          'equipment',
          'place',
          'skill',
          'trainees',
          'certified',
        ]}
      />{' '}
      {/* prettier-ignore */}
      <button type="submit" className="button-primary" disabled={busy}>
        {t('contribution.session.save')}
      </button>
    </form>
  );
}

/** Attaches a milestone's evidence document (PDF, JPEG or PNG). */
function EvidenceUpload({ milestoneId, onDone }: { milestoneId: string; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { busy, problem, run } = useRequest();
  return (
    <span className="inline-form">
      {' '}
      <label>
        {t('contribution.milestone.attach')}
        <input
          type="file"
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file)
              run(() => postFile(`/api/contribution/milestones/${milestoneId}/evidence`, file, lang), onDone);
          }}
        />
      </label>
      {problem && (
        <span role="alert" className="field-error">
          {problem.fieldError('file', lang) ?? problem.text(lang)}
        </span>
      )}
    </span>
  );
}

interface ImportResult {
  dryRun: boolean;
  rows: number;
  created: number;
  errors: { row: number; column: string; value: string; message: { en: string; ko: string } }[];
}

/** Training sessions from a CSV or XLSX file: checked first (nothing written), then imported all or nothing. */
function SessionImport({ onDone }: { onDone: () => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [kind, setKind] = useState<'sessions' | 'investments' | 'jobs'>('sessions');
  const [result, setResult] = useState<ImportResult | null>(null);
  const { busy, problem, run } = useRequest();
  const send = (dryRun: boolean) => {
    if (!file) return;
    run(
      () => postFile<ImportResult>(`/api/contribution/import?kind=${kind}&dryRun=${dryRun}`, file, lang),
      (r) => {
        setResult(r);
        if (!dryRun && r.created) onDone();
      },
    );
  };
  return (
    <section className="card" aria-labelledby="session-import-title">
      <h3 id="session-import-title">{t('contribution.import.title')}</h3>
      <p className="help">{t(`contribution.import.help.${kind}`)}</p>
      <label className="field">
        <span>{t('contribution.import.kind')}</span>
        <select
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as typeof kind);
            setResult(null);
          }}
        >
          {' '}
          {/* prettier-ignore */}
          {(['sessions', 'investments', 'jobs'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`contribution.import.kinds.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('contribution.import.file')}</span>
        <input
          type="file"
          accept=".csv,.xlsx,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setResult(null);
          }}
        />{' '}
        {/* prettier-ignore */}
      </label>
      <p className="page-actions">
        <button type="button" disabled={!file || busy} onClick={() => send(true)}>
          {t('contribution.import.check')}
        </button>{' '}
        <button
          type="button"
          className="button-primary"
          disabled={!file || busy || !result || result.errors.length > 0 || !result.dryRun}
          onClick={() => send(false)}
        >
          {' '}
          {/* prettier-ignore */}
          {t('contribution.import.commit')}
        </button>
      </p>
      <FormProblem problem={problem} shown={[]} />
      {result && (
        <div role="status">
          <p>
            {result.errors.length
              ? t('contribution.import.errors', { n: result.errors.length, rows: result.rows })
              : result.dryRun
                ? t('contribution.import.ready', { rows: result.rows })
                : t('contribution.import.done', { created: result.created })}
          </p>
          {result.errors.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('contribution.import.row')}</th>
                  <th scope="col">{t('contribution.import.column')}</th>
                  <th scope="col">{t('contribution.import.value')}</th>
                  <th scope="col">{t('contribution.import.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {result.errors.map((e, k) => (
                  <tr key={k}>
                    <td>{e.row}</td>
                    <td>{e.column}</td>
                    <td>{e.value}</td>
                    <td>{e.message[lang]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function SmallForm({
  id,
  title,
  fields,
  url,
  body,
  onDone,
}: {
  id: string;
  title: string;
  fields: {
    name: string;
    label: string;
    type?: string;
    options?: [string, string][];
    defaultValue?: string;
  }[];
  url: string;
  body: (data: FormData) => unknown;
  onDone: () => void;
}) {
  const { t } = useI18n();
  const { busy, problem, run } = useRequest();
  return (
    <form
      className="card stacked-form"
      aria-labelledby={`${id}-title`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        run(
          () => api('POST', url, body(new FormData(form))),
          () => {
            form.reset();
            onDone();
          },
        );
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      {fields.map((fd) => (
        <Field key={fd.name} form={id} name={fd.name} label={fd.label} problem={problem}>
          {(p) =>
            fd.options ? (
              <select {...p} defaultValue={fd.defaultValue}>
                {fd.options.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            ) : (
              <input {...p} type={fd.type ?? 'text'} defaultValue={fd.defaultValue} required />
            )
          }
        </Field>
      ))}
      <FormProblem problem={problem} shown={fields.map((fd) => fd.name)} />
      <button type="submit" disabled={busy}>
        {t('contribution.save')}
      </button>
    </form>
  );
}

function InvestmentForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <SmallForm
      id="investment"
      title={t('contribution.money.record')}
      url="/api/contribution/investments"
      onDone={onDone}
      fields={[
        { name: 'kind', label: t('contribution.money.kind'), options: [['disbursed', t('investmentKind.disbursed')], ['committed', t('investmentKind.committed')]] }, // prettier-ignore
        { name: 'amountUsd', label: t('contribution.money.amount'), type: 'number' },
        { name: 'onDate', label: t('contribution.money.onDate'), type: 'date', defaultValue: today() },
        { name: 'source', label: t('contribution.money.source') },
      ]}
      body={(d) => ({ projectId, kind: formValue(d, 'kind'), amountUsd: Number(formValue(d, 'amountUsd')), onDate: formValue(d, 'onDate'), source: formValue(d, 'source') })} // prettier-ignore
    />
  );
}

function JobsForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useI18n();
  const now = new Date();
  const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
  return (
    <SmallForm
      id="jobs"
      title={t('contribution.jobsForm.title')}
      url="/api/contribution/jobs"
      onDone={onDone}
      fields={[
        { name: 'quarter', label: t('contribution.jobsForm.quarter'), defaultValue: quarter },
        { name: 'committed', label: t('contribution.jobsForm.committed'), type: 'number' },
        { name: 'created', label: t('contribution.jobsForm.created'), type: 'number' },
        { name: 'source', label: t('contribution.money.source') },
      ]}
      body={(d) => ({ projectId, quarter: formValue(d, 'quarter'), committed: Number(formValue(d, 'committed')), created: Number(formValue(d, 'created')), source: formValue(d, 'source') })} // prettier-ignore
    />
  );
}

function PlanForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <SmallForm
      id="plan"
      title={t('contribution.plan.add')}
      url="/api/contribution/plans"
      onDone={onDone}
      fields={[
        { name: 'title', label: t('contribution.plan.titleField') },
        { name: 'goal', label: t('contribution.plan.goal') },
      ]}
      body={(d) => ({ projectId, title: formValue(d, 'title'), goal: formValue(d, 'goal') })}
    />
  );
}

function MilestoneForm({ projectId, onDone }: { projectId: string; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <SmallForm
      id="milestone"
      title={t('contribution.milestone.record')}
      url="/api/contribution/milestones"
      onDone={onDone}
      fields={[
        { name: 'kind', label: t('contribution.milestone.kind'), options: (['line_runs_alone', 'supervisor_certified', 'other'] as const).map((k) => [k, t(`milestoneKind.${k}`)]) }, // prettier-ignore
        { name: 'title', label: t('contribution.milestone.titleField') },
        {
          name: 'achievedOn',
          label: t('contribution.milestone.achievedOn'),
          type: 'date',
          defaultValue: today(),
        },
      ]}
      body={(d) => ({ projectId, kind: formValue(d, 'kind'), title: formValue(d, 'title'), achievedOn: formValue(d, 'achievedOn') })} // prettier-ignore
    />
  );
}

function WorkingGroupView({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [report, setReport] = useState<ContributionReport | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    api<ContributionReport>('GET', '/api/contribution/report').then(setReport, (e: unknown) => setProblem(asProblem(e))); // prettier-ignore
  }, []);
  if (!report) return problem ? <LoadProblem problem={problem} /> : <Loading />;
  const table = (key: 'bySector' | 'byInvestor') => (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={`report-${key}`}>
      <table data-testid={`report-${key}`}>
        <caption id={`report-${key}`}>{t(`contribution.report.${key}`)}</caption>
        <thead>
          <tr>
            <th scope="col">
              {key === 'bySector' ? t('contribution.report.sector') : t('contribution.report.investor')}
            </th>
            <th scope="col">{t('contribution.report.projects')}</th>
            <th scope="col">{t('contribution.disbursed')}</th>
            <th scope="col">{t('contribution.jobs')}</th>
            <th scope="col">{t('contribution.visas')}</th>
            <th scope="col">{t('contribution.trainees')}</th>
            <IndicatorHeads />
          </tr>
        </thead>
        <tbody>
          {report[key].map((r) => (
            <tr key={r.key}>
              <th scope="row">{key === 'bySector' ? t(`sector.${r.key}`) : r.label}</th>
              <td>{r.projects}</td>
              <td>{formatUsd(r.disbursedUsd, lang)}</td>
              <td>{r.jobsCreated}</td>
              <td>{r.visasUsed}</td>
              <td>{r.trainees}</td>
              <IndicatorCells i={r.indicators} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  return (
    <section aria-labelledby="report-title" data-testid="contribution-report">
      <h2 id="report-title">{t('contribution.report.title')}</h2>
      <p className="help">{t('contribution.report.small', { min: report.minCell, asOf: report.asOf })}</p>
      <p>
        <a href="/api/contribution/report.xlsx" download>
          {t('contribution.report.xlsx')}
        </a>{' '}
        ·{' '}
        <a href="/api/contribution/report.pdf" download>
          {t('contribution.report.pdf')}
        </a>
      </p>
      <SectorChart rows={report.bySector} />
      {table('bySector')}
      {table('byInvestor')}
      <PolicyPanel canPublish={me.capabilities.includes('contribution.policy')} />
    </section>
  );
}

/** Visas used per USD 1M and trainee-hours per worker-month, by sector, as bars (rows with hidden figures omitted). */
function SectorChart({ rows }: { rows: ContributionReport['bySector'] }) {
  const { t } = useI18n();
  const series = [
    ['visasPerMillionUsd', 3],
    ['traineeHoursPerWorkerMonth', 1],
  ] as const;
  return (
    <figure data-testid="sector-chart" className="card">
      {series.map(([key, digits]) => {
        const shown = rows.filter((r) => r.indicators[key] !== null);
        const max = Math.max(0.0001, ...shown.map((r) => r.indicators[key]!));
        return (
          <div key={key}>
            <h3>{t(`contribution.indicator.${key}`)}</h3>
            <svg
              viewBox={`0 0 520 ${shown.length * 26 + 4}`}
              role="img"
              aria-label={t('contribution.report.chartLabel', {
                indicator: t(`contribution.indicator.${key}`),
              })}
            >
              {' '}
              {/* prettier-ignore */}
              {shown.map((r, k) => (
                <g key={r.key} transform={`translate(0 ${k * 26 + 2})`}>
                  <text x={0} y={16} fontSize="12">
                    {t(`sector.${r.key}`)}
                  </text>
                  <rect
                    x={110}
                    y={4}
                    width={Math.max(1, (r.indicators[key]! / max) * 330)}
                    height={16}
                    fill="#1d4ed8"
                  />{' '}
                  {/* prettier-ignore */}
                  <text x={116 + (r.indicators[key]! / max) * 330} y={16} fontSize="12">
                    {r.indicators[key]!.toFixed(digits)}
                  </text>
                </g>
              ))}
            </svg>
          </div>
        );
      })}
      <figcaption>{t('contribution.report.chartCaption')}</figcaption>
    </figure>
  );
}

function PolicyPanel({ canPublish }: { canPublish: boolean }) {
  const { t } = useI18n();
  const [policies, setPolicies] = useState<PoolPolicyView[]>([]);
  const { busy, problem, run } = useRequest();
  const load = () => void api<PoolPolicyView[]>('GET', '/api/contribution/policies').then(setPolicies, () => setPolicies([])); // prettier-ignore
  useEffect(load, []);
  const f = 'policy';
  return (
    <section aria-labelledby="policy-title" data-testid="pool-policy">
      <h2 id="policy-title">{t('contribution.policy.title')}</h2>
      <p className="help">{t('contribution.policy.intro')}</p>
      {canPublish && (
        <form
          className="card stacked-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const d = new FormData(e.currentTarget);
            run(
              () =>
                api('POST', '/api/contribution/policies', {
                  effective: formValue(d, 'effective'),
                  cutoff: formValue(d, 'cutoff'),
                  investmentWeight: Number(formValue(d, 'investmentWeight')) / 100,
                  smeShare: Number(formValue(d, 'smeShare')) / 100,
                  generalShare: Number(formValue(d, 'generalShare')) / 100,
                }),
              load,
            );
          }}
        >
          <Field form={f} name="effective" label={t('contribution.policy.effective')} problem={problem}>
            {(p) => <input {...p} type="date" defaultValue="2027-10-01" required />}
          </Field>
          <Field form={f} name="cutoff" label={t('contribution.policy.cutoff')} problem={problem}>
            {(p) => <input {...p} type="date" defaultValue={today()} required />}
          </Field>
          <Field
            form={f}
            name="investmentWeight"
            label={t('contribution.policy.investmentWeight')}
            problem={problem}
          >
            {(p) => <input {...p} type="number" min="0" max="100" defaultValue="50" required />}
          </Field>
          <Field form={f} name="smeShare" label={t('contribution.policy.smeShare')} problem={problem}>
            {(p) => <input {...p} type="number" min="0" max="90" defaultValue="20" required />}
          </Field>
          <Field form={f} name="generalShare" label={t('contribution.policy.generalShare')} problem={problem}>
            {(p) => <input {...p} type="number" min="0" max="90" defaultValue="10" required />}
          </Field>
          <FormProblem
            problem={problem}
            shown={['effective', 'cutoff', 'investmentWeight', 'smeShare', 'generalShare']}
          />{' '}
          {/* prettier-ignore */}
          <button type="submit" disabled={busy}>
            {t('contribution.policy.compute')}
          </button>
        </form>
      )}
      {policies.map((p) => (
        <article key={p.id} className="card" data-testid="policy">
          <h3>
            {t('contribution.policy.version', { version: p.version, effective: p.effective })} ·{' '}
            {t(`contribution.policy.status.${p.status}`)}
          </h3>
          <p className="help">
            {t('contribution.policy.formula', {
              a: Math.round(p.parameters.investmentWeight * 100),
              sme: Math.round(p.parameters.smeShare * 100),
              general: Math.round(p.parameters.generalShare * 100),
              cutoff: p.parameters.cutoff,
            })}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('contribution.policy.pool')}</th>
                <th scope="col">{t('contribution.policy.share')}</th>
                <th scope="col">
                  {t('contribution.policy.numbers', { cap: p.cap ?? '—', fy: p.fiscalYear })}
                </th>
              </tr>
            </thead>
            <tbody>
              {p.pools.map((pool) => {
                const input = p.inputs.find((i) => i.pool === pool.name);
                return (
                  <tr key={pool.name}>
                    <th scope="row">
                      {pool.name === 'general'
                        ? t('contribution.policy.general')
                        : pool.name === 'sme'
                          ? t('contribution.policy.sme')
                          : (input?.name ?? pool.label?.en ?? pool.name)}
                      {input && (
                        <div className="help">
                          {t('contribution.policy.inputs', {
                            money: pct(input.investmentShare),
                            training: pct(input.trainingShare),
                          })}
                        </div>
                      )}
                    </th>
                    <td>{pct(pool.share)}</td>
                    <td>{p.numbers.find((n) => n.name === pool.name)?.cap ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {canPublish && p.status === 'draft' && (
            <button
              type="button"
              onClick={() => run(() => api('POST', `/api/contribution/policies/${p.id}/publish`, {}), load)}
            >
              {' '}
              {/* prettier-ignore */}
              {t('contribution.policy.publish')}
            </button>
          )}
        </article>
      ))}
    </section>
  );
}
