import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import { workerRoles } from '../../contract/assessment.js';
import {
  dependentRelationships,
  type CaseSummary,
  type Dependent,
  type Project,
  type Worker,
} from '../../contract/pipeline.js';
import { Field, useRequest } from './pipeline-form.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { listWindow, pagesFor } from '../pipeline/virtual.js';
import { WorkerEdit, WorkerForm, WorkerFormFromAssessment } from './WorkerForm.js';
import { WorkerStays } from './WorkerStays.js';
import { PlanPanel } from '../settlement/PlanView.js';
import { NotRecorded } from '../components/feedback.js';
import { useCategoryName } from '../cases/parts.js';

const ROW_HEIGHT = 48;
const PAGE_SIZE = 100;
const VIEWPORT = 480;

/** `/workers` (the list), `/workers/new`, `/workers/{id}` (one worker) and `/workers/{id}/edit`. */
export function WorkersModule({ me, rest }: { me: Me; rest: string }) {
  const canWrite = me.capabilities.includes('pipeline.write');
  if (rest === '') return <WorkerList canWrite={canWrite} />;
  if (rest === 'new' && canWrite) {
    const params = new URLSearchParams(window.location.search);
    const assessment = params.get('assessment');
    const category = params.get('category');
    if (assessment && category)
      return <WorkerFormFromAssessment assessmentId={assessment} category={category} />;
    return <WorkerForm />;
  }
  const edit = /^([^/]+)\/edit$/.exec(rest);
  if (edit) return canWrite ? <WorkerEdit key={rest} id={edit[1]!} /> : <EditNotAllowed id={edit[1]!} />;
  return <WorkerPage key={rest} me={me} id={rest} />;
}

/** `/workers/{id}/edit` opened without `pipeline.write` (e.g. a bookmarked address): say so, link back. */
function EditNotAllowed({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <section className="page worker-edit">
      <p className="notice notice-error" role="alert">
        {t('workerForm.notAllowed')}
      </p>
      <p>
        <Link href={`/workers/${id}`}>{t('workerForm.backToWorker')}</Link>
      </p>
    </section>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

/**
 * `GET /api/workers/export` with the list's filters: the endpoint takes the same `q`, `role`, `projectId` and
 * `organizationId` as `GET /api/workers` (no `limit`/`offset`: it exports every match). Empty ones are left out.
 */
export function workersExportUrl(
  filters: { q: string; role: string; projectId: string; organizationId: string },
  format: 'csv' | 'xlsx',
): string {
  const p = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value.trim()) p.set(key, value.trim());
  p.set('format', format);
  return `/api/workers/export?${p.toString()}`;
}

function WorkerList({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [projectId, setProjectId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [projects, setProjects] = useState<Project[]>([]);
  // The organizations whose workers the caller may see: the investor and the partners on its projects.
  const organizations = useMemo(() => {
    const byId = new Map<string, string>();
    for (const p of projects) {
      byId.set(p.organizationId, p.organizationName);
      for (const partner of p.partners) byId.set(partner.id, partner.name);
    }
    return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
  }, [projects]);
  useEffect(() => {
    api<{ items: Project[] }>('GET', '/api/projects').then(
      (res) => setProjects(res.items),
      (e: unknown) => {
        if (e instanceof ApiProblem) setProblem(e);
      },
    );
  }, []);
  const query = useDebounced(q.trim(), 300);
  const [total, setTotal] = useState<number | null>(null);
  const [rows, setRows] = useState<Map<number, Worker>>(new Map());
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const requested = useRef(new Set<number>());
  const generation = useRef(0);
  const viewport = useRef<HTMLDivElement>(null);

  const params = useMemo(() => {
    const p = new URLSearchParams();
    if (query) p.set('q', query);
    if (role) p.set('role', role);
    if (projectId) p.set('projectId', projectId);
    if (organizationId) p.set('organizationId', organizationId);
    return p;
  }, [query, role, projectId, organizationId]);

  const fetchPage = (offset: number, gen: number) => {
    if (requested.current.has(offset)) return;
    requested.current.add(offset);
    const p = new URLSearchParams(params);
    p.set('limit', String(PAGE_SIZE));
    p.set('offset', String(offset));
    api<{ total: number; items: Worker[] }>('GET', `/api/workers?${p.toString()}`).then(
      (res) => {
        if (gen !== generation.current) return;
        setTotal(res.total);
        setRows((prev) => {
          const next = new Map(prev);
          res.items.forEach((w, i) => next.set(offset + i, w));
          return next;
        });
      },
      (e: unknown) => {
        requested.current.delete(offset);
        if (gen === generation.current && e instanceof ApiProblem) setProblem(e);
      },
    );
  };

  // A new search or filter starts again from the top.
  useEffect(() => {
    generation.current += 1;
    requested.current = new Set();
    setRows(new Map());
    setTotal(null);
    setProblem(null);
    setScrollTop(0);
    if (viewport.current) viewport.current.scrollTop = 0;
    fetchPage(0, generation.current);
  }, [params]);

  const win = listWindow(scrollTop, VIEWPORT, ROW_HEIGHT, total ?? 0);
  useEffect(() => {
    if (total === null) return;
    for (const offset of pagesFor(win.start, win.end, PAGE_SIZE)) fetchPage(offset, generation.current);
  }, [win.start, win.end, total]);

  const visible = [];
  for (let i = win.start; i < win.end; i++) visible.push(i);
  // The filters as shown (the search as typed, not yet debounced), so a download matches what was asked.
  const exportFilters = { q, role, projectId, organizationId };

  return (
    <section className="page workers">
      <h1>{t('workers.title')}</h1>
      {canWrite && (
        <p className="page-actions">
          <Link href="/workers/new" className="button-primary">
            {t('workerForm.title')}
          </Link>
        </p>
      )}
      <div className="workers-filters" role="search">
        <label>
          {t('workers.search')}
          <input
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('workers.searchHint')}
          />
        </label>
        <label>
          {t('workers.role')}
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">{t('workers.allRoles')}</option>
            {workerRoles.map((r) => (
              <option key={r} value={r}>
                {t(`workerRole.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('workers.project')}
          <select value={projectId} onChange={(e) => setProjectId(e.target.value)}>
            <option value="">{t('workers.allProjects')}</option>
            {projects.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {organizations.length > 1 && (
          <label>
            {t('workerForm.organization')}
            <select value={organizationId} onChange={(e) => setOrganizationId(e.target.value)}>
              <option value="">{t('workerForm.allOrganizations')}</option>
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <p className="page-actions workers-export">
        <a className="button-secondary" href={workersExportUrl(exportFilters, 'csv')} download>
          {t('workers.exportCsv')}
        </a>{' '}
        <a className="button-secondary" href={workersExportUrl(exportFilters, 'xlsx')} download>
          {t('workers.exportXlsx')}
        </a>
      </p>
      <p role="status" className="workers-count">
        {total === null ? t('app.loading') : t('workers.count', { count: total })}
      </p>
      {problem && <LoadProblem problem={problem} />}
      <div
        ref={viewport}
        className="virtual-viewport"
        style={{ height: VIEWPORT }}
        tabIndex={0}
        role="region"
        aria-label={t('workers.listLabel')}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      >
        <ul className="virtual-list" style={{ height: win.totalHeight, position: 'relative' }}>
          {visible.map((i) => {
            const w = rows.get(i);
            return (
              <li
                key={i}
                className="virtual-row"
                aria-setsize={total ?? 0}
                aria-posinset={i + 1}
                style={{ position: 'absolute', top: i * ROW_HEIGHT, height: ROW_HEIGHT, left: 0, right: 0 }}
              >
                {w ? (
                  <Link href={`/workers/${w.id}`}>
                    <span lang="ko">{w.nameHangul}</span> · {w.familyName} {w.givenName}
                    <span className="muted">
                      {' '}
                      {w.role ? ` · ${t(`workerRole.${w.role}`)}` : ''} · {w.organizationName}
                    </span>
                  </Link>
                ) : (
                  <span className="muted">{t('app.loading')}</span>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}

function WorkerPage({ me, id }: { me: Me; id: string }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const [worker, setWorker] = useState<Worker | null>(null);
  const [dependents, setDependents] = useState<Dependent[]>([]);
  const [cases, setCases] = useState<CaseSummary[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  // A change to the stays (an admission, a departure, a confirmation) moves cases too: reload them.
  const [version, setVersion] = useState(0);
  const canWrite = me.capabilities.includes('pipeline.write');

  useEffect(() => {
    Promise.all([
      api<Worker>('GET', `/api/workers/${id}`),
      api<{ items: Dependent[] }>('GET', `/api/workers/${id}/dependents`),
      api<{ total: number; items: CaseSummary[] }>('GET', `/api/workers/${id}/cases`),
    ]).then(
      ([w, d, c]) => {
        setWorker(w);
        setDependents(d.items);
        setCases(c.items);
      },
      (e: unknown) => setProblem(asProblem(e)),
    );
  }, [id, version]);

  if (problem) return <LoadProblem problem={problem} />;
  if (!worker) return <Loading />;
  // Only the worker's own employer changes the record (the server says so too: worker.not_employer); an
  // investor sees partner firms' workers on its projects, read-only.
  const mayChange =
    canWrite && (me.user.role === 'platform_admin' || worker.organizationId === me.organization?.id);

  const timeline = cases
    .flatMap((c) => [
      {
        at: c.openedAt,
        text: t('workers.eventOpened', {
          category: categoryName(c.category, c.provision),
          project: c.projectName,
        }),
      },
      { at: c.stageEnteredAt, text: t('workers.eventStage', { stage: c.stageTitle[lang] }) },
      ...(c.admittedAt
        ? [
            {
              at: c.admittedAt,
              text: t('workers.eventAdmitted', { category: categoryName(c.category, c.provision) }),
            },
          ]
        : []),
    ])
    .sort((a, b) => a.at.localeCompare(b.at));

  return (
    <section className="page worker">
      <p>
        <Link href="/workers">{t('workers.back')}</Link>
      </p>
      <h1>
        <span lang="ko">{worker.nameHangul}</span> · {worker.familyName} {worker.givenName}
      </h1>
      {mayChange && (
        <p className="page-actions">
          <Link href={`/workers/${id}/edit`} className="button-secondary">
            {t('workers.edit')}
          </Link>
        </p>
      )}
      {worker.detainedOn && (
        <p className="notice notice-warning" data-testid="reentry-track">
          {t('worker.detainedOn', { date: worker.detainedOn })}
        </p>
      )}
      {worker.profileMissing.length > 0 && (
        <div className="notice notice-warning" role="status">
          <p>
            <strong>{t('workers.incomplete')}</strong>{' '}
            {t('workers.incompleteList', {
              list: worker.profileMissing.map((f) => t(`workers.field.${f}`)).join(', '),
            })}
          </p>
          {mayChange && (
            <p>
              <Link href={`/workers/${id}/edit`}>{t('workers.completeProfile')}</Link>
            </p>
          )}
        </div>
      )}
      <dl className="worker-profile">
        <dt>{t('workers.organization')}</dt>
        <dd>{worker.organizationName}</dd>
        <dt>{t('workers.role')}</dt>
        <dd>{worker.role ? t(`workerRole.${worker.role}`) : <NotRecorded />}</dd>
        <dt>{t('workers.birthDate')}</dt>
        <dd>{worker.birthDate}</dd>
        <dt>{t('workers.passport')}</dt>
        <dd>
          {worker.passportMasked} ({t('workers.expires', { date: worker.passportExpiry })})
        </dd>
        <dt>{t('workers.phone')}</dt>
        <dd>{worker.phone ?? '—'}</dd>
        <dt>{t('workers.email')}</dt>
        <dd>{worker.email ?? '—'}</dd>
        <dt>{t('workers.education')}</dt>
        <dd>{worker.education ? t(`education.${worker.education}`) : <NotRecorded />}</dd>
        <dt>{t('workers.employedSince')}</dt>
        <dd>{worker.employedSince ?? <NotRecorded />}</dd>
        <dt>{t('workers.emergencyContact')}</dt>
        <dd>
          {worker.emergencyContact
            ? `${worker.emergencyContact.name} (${worker.emergencyContact.relationship}) ${worker.emergencyContact.phone}`
            : '—'}
        </dd>
      </dl>

      <h2>{t('workers.dependents')}</h2>
      {dependents.length === 0 ? (
        <p className="muted">{t('workers.noDependents')}</p>
      ) : (
        <ul className="dependents">
          {dependents.map((d) => (
            <li key={d.id}>
              {t(`workers.relationship.${d.relationship}`)}: {d.nameHangul ? `${d.nameHangul} · ` : ''}
              {d.familyName} {d.givenName} ({d.birthDate})
            </li>
          ))}
        </ul>
      )}
      {mayChange && <DependentForm workerId={id} onAdded={(d) => setDependents((prev) => [...prev, d])} />}

      <h2>{t('workers.cases')}</h2>
      {cases.length === 0 ? (
        <p className="muted">{t('workers.noCases')}</p>
      ) : (
        <ul>
          {cases.map((c) => (
            <li key={c.id}>
              <Link href={`/cases/${c.id}`}>
                {categoryName(c.category, c.provision)} · {c.projectName} ·{' '}
                {c.status === 'open' ? c.stageTitle[lang] : t(`cases.status.${c.status}`)}
              </Link>
            </li>
          ))}
        </ul>
      )}

      <h2>{t('workers.timeline')}</h2>
      {timeline.length === 0 ? (
        <p className="muted">{t('workers.noEvents')}</p>
      ) : (
        <ol className="timeline">
          {timeline.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time> — {e.text}
            </li>
          ))}
        </ol>
      )}

      <WorkerStays workerId={id} canWrite={mayChange} onChanged={() => setVersion((v) => v + 1)} />
      {me.capabilities.includes('settlement.read') && (
        <PlanPanel
          key={`plan-${dependents.length}`}
          url={`/api/workers/${id}/plan`}
          pdfUrl={`/api/workers/${id}/plan.pdf`}
          canChangeGoal={me.capabilities.includes('settlement.write')}
          canCorrectFacts={me.capabilities.includes('settlement.write')}
        />
      )}
    </section>
  );
}

function DependentForm({ workerId, onAdded }: { workerId: string; onAdded: (d: Dependent) => void }) {
  const { t } = useI18n();
  const { busy, problem, run } = useRequest();

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const body: Record<string, string> = {};
    for (const k of ['relationship', 'familyName', 'givenName', 'nameHangul', 'birthDate', 'nationality']) {
      const v = String(data.get(k) ?? '').trim();
      if (v) body[k] = v;
    }
    run(
      () => api<Dependent>('POST', `/api/workers/${workerId}/dependents`, body),
      (d) => {
        form.reset();
        onAdded(d);
      },
    );
  };
  const field = (name: string, label: string, type = 'text', required = true) => (
    <Field form="dep" name={name} label={label} problem={problem} className="dep-field">
      {(control) => (
        <input
          {...control}
          type={type}
          required={required}
          defaultValue={name === 'nationality' ? 'KR' : undefined}
        />
      )}
    </Field>
  );
  return (
    <form className="dependent-form" onSubmit={submit} aria-label={t('workers.addDependent')}>
      <label>
        {t('workers.relationshipLabel')}
        <select name="relationship">
          {dependentRelationships.map((r) => (
            <option key={r} value={r}>
              {t(`workers.relationship.${r}`)}
            </option>
          ))}
        </select>
      </label>
      {field('familyName', t('workers.familyName'))}
      {field('givenName', t('workers.givenName'))}
      {field('nameHangul', t('workers.nameHangul'), 'text', false)}
      {field('birthDate', t('workers.birthDate'), 'date')}
      {field('nationality', t('workers.nationality'))}
      {problem && !problem.errors.length && <LoadProblem problem={problem} />}
      <button type="submit" disabled={busy}>
        {t('workers.addDependent')}
      </button>
    </form>
  );
}
