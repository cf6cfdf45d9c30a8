import { useEffect, useState, type FormEvent } from 'react';
import { siteSectors, type Me, type Organization, type Site } from '../../contract/api.js';
import {
  activityIds,
  categoryIds,
  payers,
  workerRoles,
  type ActivityId,
  type CategoryId,
} from '../../contract/assessment.js';
import type {
  Assignment,
  CaseDetail,
  ProjectDetail,
  Project,
  StaffingPlan,
  Worker,
} from '../../contract/pipeline.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useResource, useRulesCatalog } from '../data.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, navigate } from '../router.js';
import { Field, FormProblem, formatUsd, formValue, useRequest } from './pipeline-form.js';
import './pipeline.css';

/**
 * `/projects` (the list), `/projects/new` (create one) and `/projects/{id}` (a project: staffing plans,
 * assignments, opening cases).
 */
export function ProjectsModule({ me, rest }: { me: Me; rest: string }) {
  const canCreate = canCreateProjects(me);
  if (rest === '') return <ProjectList canCreate={canCreate} />;
  if (rest === 'new' && canCreate) return <ProjectForm me={me} />;
  return <ProjectPage key={rest} me={me} id={rest} />;
}

/**
 * Who may create a project: `pipeline.write` (roles, checked by the server's capability policy) and, as
 * `createProject` requires, an investor organization (partner firms and counsel work on investors' projects)
 * or a platform administrator.
 */
export function canCreateProjects(me: Me): boolean {
  return (
    me.capabilities.includes('pipeline.write') &&
    (me.user.role === 'platform_admin' || me.organization?.kind === 'investor')
  );
}

function ProjectList({ canCreate }: { canCreate: boolean }) {
  const { t, lang } = useI18n();
  const { data, problem } = useResource<{ items: Project[] }>('/api/projects');
  return (
    <section className="page projects">
      <h1>{t('projects.title')}</h1>
      {canCreate && (
        <p className="page-actions">
          <Link href="/projects/new" className="button-primary">
            {t('projects.new.title')}
          </Link>
        </p>
      )}
      {problem && <LoadProblem problem={problem} />}
      {!data && !problem && <Loading />}
      {data && data.items.length === 0 && <p className="muted">{t('projects.empty')}</p>}
      {data && data.items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('projects.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('projects.name')}</th>
                <th scope="col">{t('projects.site')}</th>
                <th scope="col">{t('projects.sector')}</th>
                <th scope="col" className="num">
                  {t('projects.investment')}
                </th>
                <th scope="col">{t('projects.dates')}</th>
                <th scope="col">{t('projects.owner')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <Link href={`/projects/${p.id}`}>{p.name}</Link> <span className="muted">{p.code}</span>
                  </th>
                  <td>
                    {p.siteName} ({p.state})
                  </td>
                  <td>{t(`sector.${p.sector}`)}</td>
                  <td className="num">{formatUsd(p.investmentUsd, lang)}</td>
                  <td>
                    {p.startDate} – {p.endDate ?? t('projects.openEnded')}
                  </td>
                  <td>{p.organizationName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const PROJECT_FORM = 'project';
/** The fields the form shows, so field errors under other paths still reach the user in the summary. */
const projectFields = ['siteId', 'code', 'name', 'sector', 'investmentUsd', 'startDate', 'endDate'];

/** The body of `POST /api/projects` from the form: empty optional fields left out, the investment a number. */
export function projectBody(data: FormData): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const partnerIds = data.getAll('partnerIds').filter((v): v is string => typeof v === 'string' && v !== '');
  if (partnerIds.length > 0) body.partnerIds = partnerIds;
  for (const k of projectFields) {
    const v = formValue(data, k);
    if (v === undefined) continue;
    // "1,000,000" and "1 000 000" read as a number; anything else goes as typed for the server to explain.
    const digits = v.replace(/[\s,]/g, '');
    body[k] = k === 'investmentUsd' && /^\d+$/.test(digits) ? Number(digits) : v;
  }
  return body;
}

/** `/projects/new`: an investment project at one of the organization's sites, then the new project's page. */
function ProjectForm({ me }: { me: Me }) {
  const { t } = useI18n();
  const sites = useResource<{ items: Site[] }>('/api/sites');
  // The partner firms linked to the organization (GET /api/organizations lists them for its users).
  const partners = (useResource<{ items: Organization[] }>('/api/organizations').data?.items ?? []).filter(
    (o) => o.kind === 'partner',
  );
  const { busy, problem, run } = useRequest();
  // The sector starts as the chosen site's, and stays as picked once the user picks one.
  const [sector, setSector] = useState<string | null>(null);
  const [siteId, setSiteId] = useState<string | null>(null);
  // Projects go at the organization's own sites (partner firms' lists also hold linked investors' sites).
  const own =
    sites.data?.items.filter(
      (s) => me.user.role === 'platform_admin' || s.organizationId === me.organization?.id,
    ) ?? [];
  const site = own.find((s) => s.id === siteId) ?? own[0];

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const body = projectBody(new FormData(e.currentTarget));
    run(
      () => api<Project>('POST', '/api/projects', body),
      (p) => {
        navigate(`/projects/${p.id}`);
      },
    );
  };
  const text = (name: string, label: string, type = 'text', extra: Record<string, unknown> = {}) => (
    <Field form={PROJECT_FORM} name={name} label={label} problem={problem}>
      {(p) => <input {...p} type={type} {...extra} />}
    </Field>
  );

  return (
    <section className="page project-new">
      <p>
        <Link href="/projects">{t('projects.back')}</Link>
      </p>
      <h1 id="project-form-title">{t('projects.new.title')}</h1>
      <p className="help">{t('projects.new.intro')}</p>
      {sites.problem && <LoadProblem problem={sites.problem} />}
      {!sites.data && !sites.problem && <Loading />}
      {sites.data && own.length === 0 && <p className="notice">{t('projects.new.noSites')}</p>}
      {own.length > 0 && (
        <form
          className="inline-form project-form"
          onSubmit={submit}
          aria-labelledby="project-form-title"
          noValidate
        >
          <Field form={PROJECT_FORM} name="siteId" label={t('projects.site')} problem={problem}>
            {(p) => (
              <select {...p} required value={site?.id ?? ''} onChange={(e) => setSiteId(e.target.value)}>
                {own.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.city}, {s.state})
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('name', t('projects.new.name'), 'text', { required: true, maxLength: 200 })}
          {text('code', t('projects.new.code'), 'text', {
            required: true,
            maxLength: 40,
            autoComplete: 'off',
            spellCheck: false,
          })}
          <Field form={PROJECT_FORM} name="sector" label={t('projects.sector')} problem={problem}>
            {(p) => (
              <select {...p} value={sector ?? site?.sector ?? ''} onChange={(e) => setSector(e.target.value)}>
                {siteSectors.map((x) => (
                  <option key={x} value={x}>
                    {t(`sector.${x}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text('investmentUsd', t('projects.new.investment'), 'text', {
            required: true,
            inputMode: 'numeric',
            autoComplete: 'off',
          })}
          {text('startDate', t('projects.startDate'), 'date', { required: true })}
          {text('endDate', t('projects.new.endDate'), 'date')}
          {partners.length > 0 && (
            <fieldset className="project-partners">
              <legend>{t('projects.new.partners')}</legend>
              <p className="help">{t('projects.new.partnersHelp')}</p>
              {partners.map((o) => (
                <label key={o.id}>
                  <input type="checkbox" name="partnerIds" value={o.id} /> {o.name}
                </label>
              ))}
            </fieldset>
          )}
          <FormProblem problem={problem} shown={projectFields} />
          <button type="submit" className="button-primary" disabled={busy}>
            {t('projects.new.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

/** Assignments shown per page on a project (a plant has hundreds). */
const PAGE = 25;

function ProjectPage({ me, id }: { me: Me; id: string }) {
  const { t, lang } = useI18n();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [assignments, setAssignments] = useState<Assignment[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const canWrite = me.capabilities.includes('pipeline.write');
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(assignments.length / PAGE));

  const reload = () =>
    Promise.all([
      api<ProjectDetail>('GET', `/api/projects/${id}`),
      api<{ total: number; items: Assignment[] }>('GET', `/api/assignments?projectId=${id}&limit=1000`),
    ]).then(
      ([p, a]) => {
        setProject(p);
        setAssignments(a.items);
      },
      (e: unknown) => setProblem(asProblem(e)),
    );
  useEffect(() => {
    void reload();
  }, [id]);

  if (problem) return <LoadProblem problem={problem} />;
  if (!project) return <Loading />;

  return (
    <section className="page project">
      <p>
        <Link href="/projects">{t('projects.back')}</Link>
      </p>
      <h1>{project.name}</h1>
      <dl className="facts">
        <div>
          <dt>{t('projects.code')}</dt>
          <dd>{project.code}</dd>
        </div>
        <div>
          <dt>{t('projects.site')}</dt>
          <dd>
            {project.siteName} ({project.state})
          </dd>
        </div>
        <div>
          <dt>{t('projects.sector')}</dt>
          <dd>{t(`sector.${project.sector}`)}</dd>
        </div>
        <div>
          <dt>{t('projects.investment')}</dt>
          <dd>{formatUsd(project.investmentUsd, lang)}</dd>
        </div>
        <div>
          <dt>{t('projects.dates')}</dt>
          <dd>
            {project.startDate} – {project.endDate ?? t('projects.openEnded')}
          </dd>
        </div>
        <div>
          <dt>{t('projects.partners')}</dt>
          <dd>{project.partners.length ? project.partners.map((p) => p.name).join(', ') : '—'}</dd>
        </div>
      </dl>

      <h2>{t('projects.staffing')}</h2>
      <p>
        {t('projects.totals', {
          needed: project.totals.needed,
          assigned: project.totals.assigned,
          admitted: project.totals.admitted,
        })}
      </p>
      {project.staffing.length === 0 ? (
        <p className="muted">{t('projects.noPlans')}</p>
      ) : (
        <ul className="staffing-plans">
          {project.staffing.map((plan) => (
            <PlanBar key={plan.id} plan={plan} />
          ))}
        </ul>
      )}
      {canWrite && <StaffingPlanForm projectId={id} onAdded={setProject} />}
      {canWrite && (
        <AssignForm
          project={project}
          canOverride={me.capabilities.includes('cases.override')}
          onChanged={() => void reload()}
        />
      )}

      <h2>{t('projects.assignments')}</h2>
      {assignments.length === 0 ? (
        <p className="muted">{t('projects.noAssignments')}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('projects.assignments')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('projects.worker')}</th>
                <th scope="col">{t('projects.dates')}</th>
                <th scope="col">{t('projects.payer')}</th>
                <th scope="col">{t('projects.case')}</th>
              </tr>
            </thead>
            <tbody>
              {assignments.slice(page * PAGE, page * PAGE + PAGE).map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <Link href={`/workers/${a.workerId}`}>
                      <span lang="ko">{a.workerNameHangul}</span> · {a.workerName}
                    </Link>
                  </th>
                  <td>
                    {a.startDate} – {a.endDate}
                  </td>
                  <td>{t(`payer.${a.payer}`)}</td>
                  <td>
                    {a.caseId ? (
                      <Link href={`/cases/${a.caseId}`}>{t('projects.viewCase')}</Link>
                    ) : (
                      <span className="muted">{t('projects.noCase')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pages > 1 && (
            <nav className="pager" aria-label={t('projects.assignments')}>
              <button
                type="button"
                className="button-secondary"
                disabled={page === 0}
                onClick={() => setPage(page - 1)}
              >
                {t('projects.previous')}
              </button>
              <span>{t('projects.page', { page: page + 1, pages })}</span>
              <button
                type="button"
                className="button-secondary"
                disabled={page >= pages - 1}
                onClick={() => setPage(page + 1)}
              >
                {t('projects.next')}
              </button>
            </nav>
          )}
        </div>
      )}
    </section>
  );
}

/** One staffing plan: a horizontal bar whose filled share is assigned / needed (admitted shown darker). */
function PlanBar({ plan }: { plan: StaffingPlan }) {
  const { t } = useI18n();
  const share = plan.headcount > 0 ? Math.min(1, plan.assigned / plan.headcount) : 0;
  const admittedShare = plan.headcount > 0 ? Math.min(1, plan.admitted / plan.headcount) : 0;
  const title = `${t(`workerRole.${plan.role}`)}${plan.skill ? ` · ${plan.skill}` : ''}`;
  const summary = t('projects.planFill', {
    assigned: plan.assigned,
    needed: plan.headcount,
    admitted: plan.admitted,
  });
  return (
    <li className="staffing-plan">
      <div className="staffing-plan-head">
        <strong>{title}</strong>
        <span className="muted">
          {plan.startDate} – {plan.endDate}
        </span>
      </div>
      <div
        className="plan-bar"
        role="progressbar"
        aria-label={title}
        aria-valuemin={0}
        aria-valuemax={plan.headcount}
        aria-valuenow={Math.min(plan.assigned, plan.headcount)}
        aria-valuetext={summary}
      >
        <span
          className={`plan-bar-assigned${plan.assigned > plan.headcount ? ' plan-bar-over' : ''}`}
          style={{ width: `${share * 100}%` }}
        />
        <span className="plan-bar-admitted" style={{ width: `${admittedShare * 100}%` }} />
      </div>
      <span className="plan-bar-text">
        {summary}{' '}
        {plan.assigned > plan.headcount ? (
          <strong className="plan-over">{t('projects.overBy', { n: plan.assigned - plan.headcount })}</strong>
        ) : plan.assigned < plan.headcount ? (
          <span className="plan-under">{t('projects.toGo', { n: plan.headcount - plan.assigned })}</span>
        ) : null}
      </span>
    </li>
  );
}

function StaffingPlanForm({
  projectId,
  onAdded,
}: {
  projectId: string;
  onAdded: (p: ProjectDetail) => void;
}) {
  const { t } = useI18n();
  const { busy, problem, run } = useRequest();
  const form = 'plan';

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const el = e.currentTarget;
    const data = new FormData(el);
    const body = {
      role: formValue(data, 'role'),
      skill: formValue(data, 'skill'),
      headcount: Number(formValue(data, 'headcount') ?? 0),
      startDate: formValue(data, 'startDate'),
      endDate: formValue(data, 'endDate'),
    };
    run(
      () => api<ProjectDetail>('POST', `/api/projects/${projectId}/staffing-plans`, body),
      (p) => {
        el.reset();
        onAdded(p);
      },
    );
  };
  const fields = ['role', 'skill', 'headcount', 'startDate', 'endDate'];
  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="plan-form-title" noValidate>
      <h3 id="plan-form-title">{t('projects.addPlan')}</h3>
      <Field form={form} name="role" label={t('projects.role')} problem={problem}>
        {(p) => (
          <select {...p}>
            {workerRoles.map((r) => (
              <option key={r} value={r}>
                {t(`workerRole.${r}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} name="skill" label={t('projects.skill')} problem={problem}>
        {(p) => <input {...p} type="text" />}
      </Field>
      <Field form={form} name="headcount" label={t('projects.headcount')} problem={problem}>
        {(p) => <input {...p} type="number" min={1} required />}
      </Field>
      <Field form={form} name="startDate" label={t('projects.startDate')} problem={problem}>
        {(p) => <input {...p} type="date" required />}
      </Field>
      <Field form={form} name="endDate" label={t('projects.endDate')} problem={problem}>
        {(p) => <input {...p} type="date" required />}
      </Field>
      <FormProblem problem={problem} shown={fields} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t('projects.addPlan')}
      </button>
    </form>
  );
}

/** Assign a worker (found by name) to the project; then open a visa case from the assignment. */
function AssignForm({
  project,
  canOverride,
  onChanged,
}: {
  project: ProjectDetail;
  canOverride: boolean;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const catalog = useRulesCatalog();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Worker[]>([]);
  const [worker, setWorker] = useState<Worker | null>(null);
  const [activities, setActivities] = useState<ActivityId[]>([]);
  const { busy, problem, run } = useRequest();
  const [assignment, setAssignment] = useState<Assignment | null>(null);
  const form = 'assign';

  useEffect(() => {
    const query = q.trim();
    if (query.length < 1) {
      setFound([]);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      api<{ total: number; items: Worker[] }>(
        'GET',
        `/api/workers?q=${encodeURIComponent(query)}&limit=10`,
      ).then(
        (res) => live && setFound(res.items),
        () => live && setFound([]),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [q]);

  const labels = new Map((catalog.data?.activities ?? []).map((a) => [a.id, a.label[lang]]));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      workerId: worker?.id ?? '',
      projectId: project.id,
      activities,
      startDate: formValue(data, 'startDate'),
      endDate: formValue(data, 'endDate'),
      payer: formValue(data, 'payer'),
    };
    run(
      () => api<Assignment>('POST', '/api/assignments', body),
      (a) => {
        setAssignment(a);
        onChanged();
      },
    );
  };

  if (assignment) {
    return (
      <OpenCaseForm
        assignment={assignment}
        canOverride={canOverride}
        onOpened={onChanged}
        onDone={() => {
          setAssignment(null);
          setWorker(null);
          setQ('');
          setActivities([]);
        }}
      />
    );
  }

  const workerError = problem?.fieldError('workerId', lang);
  const activitiesError = problem?.fieldError('activities', lang);
  return (
    <form
      className="inline-form assign-form"
      onSubmit={submit}
      aria-labelledby="assign-form-title"
      noValidate
    >
      <h3 id="assign-form-title">{t('projects.assign')}</h3>
      <div className="field">
        <label htmlFor="assign-q">{t('projects.findWorker')}</label>
        <input
          id="assign-q"
          type="search"
          value={q}
          placeholder={t('workers.searchHint')}
          onChange={(e) => setQ(e.target.value)}
          aria-invalid={workerError ? true : undefined}
          aria-describedby={workerError ? 'assign-workerId-error' : undefined}
        />
        {workerError && (
          <span id="assign-workerId-error" className="field-error">
            {workerError}
          </span>
        )}
      </div>
      {found.length > 0 && (
        <fieldset className="worker-picks">
          <legend>{t('projects.pickWorker')}</legend>
          {found.map((w) => (
            <div key={w.id} className="check">
              <input
                type="radio"
                id={`assign-worker-${w.id}`}
                name="workerId"
                checked={worker?.id === w.id}
                onChange={() => setWorker(w)}
              />
              <label htmlFor={`assign-worker-${w.id}`}>
                <span lang="ko">{w.nameHangul}</span> · {w.familyName} {w.givenName}
                {w.role ? ` · ${t(`workerRole.${w.role}`)}` : ''}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {worker && (
        <p className="form-status" role="status">
          {t('projects.picked', { name: `${worker.nameHangul} · ${worker.familyName} ${worker.givenName}` })}
        </p>
      )}
      <fieldset
        className="activity-picks"
        aria-describedby={activitiesError ? 'assign-activities-error' : undefined}
      >
        <legend>{t('projects.activities')}</legend>
        {activitiesError && (
          <span id="assign-activities-error" className="field-error">
            {activitiesError}
          </span>
        )}
        {activityIds.map((a) => {
          const checked = activities.includes(a);
          return (
            <div key={a} className="check">
              <input
                type="checkbox"
                id={`assign-activity-${a}`}
                checked={checked}
                onChange={() =>
                  setActivities((prev) => (checked ? prev.filter((x) => x !== a) : [...prev, a]))
                }
              />
              <label htmlFor={`assign-activity-${a}`}>{labels.get(a) ?? a}</label>
            </div>
          );
        })}
      </fieldset>
      <Field form={form} name="startDate" label={t('projects.startDate')} problem={problem}>
        {(p) => <input {...p} type="date" required />}
      </Field>
      <Field form={form} name="endDate" label={t('projects.endDate')} problem={problem}>
        {(p) => <input {...p} type="date" required />}
      </Field>
      <Field form={form} name="payer" label={t('projects.payer')} problem={problem}>
        {(p) => (
          <select {...p}>
            {payers.map((x) => (
              <option key={x} value={x}>
                {t(`payer.${x}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormProblem problem={problem} shown={['workerId', 'activities', 'startDate', 'endDate', 'payer']} />
      <button type="submit" className="button-primary" disabled={busy}>
        {t('projects.assignSubmit')}
      </button>
    </form>
  );
}

function OpenCaseForm({
  assignment,
  canOverride,
  onOpened,
  onDone,
}: {
  assignment: Assignment;
  canOverride: boolean;
  onOpened: () => void;
  onDone: () => void;
}) {
  const { t, lang } = useI18n();
  const catalog = useRulesCatalog();
  const [category, setCategory] = useState<CategoryId>('B1');
  const { busy, problem, run } = useRequest();
  const [opened, setOpened] = useState<CaseDetail | null>(null);
  const form = 'open-case';
  const names = new Map((catalog.data?.categories ?? []).map((c) => [c.id, c.name[lang]]));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    // What the employer attests: the judgement facts the guidelines read (the records hold the rest).
    const attested = (name: string) => data.get(name) === 'on';
    const body = {
      assignmentId: assignment.id,
      category,
      embassyDesk: category === 'B1' ? data.get('embassyDesk') === 'on' : undefined,
      overrideReason: formValue(data, 'overrideReason'),
      assessment: {
        assignment: {
          equipmentFromAbroad: attested('equipmentFromAbroad'),
          contractRequiresSellerService: attested('contractRequiresSellerService'),
          specializedKnowledgeEssential: attested('specializedKnowledgeEssential'),
          occupationRequiresDegree: attested('occupationRequiresDegree'),
        },
      },
    };
    run(
      () => api<CaseDetail>('POST', '/api/cases', body),
      (c) => {
        setOpened(c);
        onOpened();
      },
    );
  };
  const ineligible = problem?.code === 'pipeline.ineligible_needs_override';
  if (opened) {
    return (
      <div className="inline-form" role="status">
        <p className="success">
          {t('projects.caseOpened', { category: opened.category, stage: opened.stageTitle[lang] })}
        </p>
        <Link href={`/cases/${opened.id}`} className="button-primary">
          {t('projects.goToCase')}
        </Link>
        <button type="button" className="button-secondary" onClick={onDone}>
          {t('projects.assignAnother')}
        </button>
      </div>
    );
  }

  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby="open-case-title" noValidate>
      <h3 id="open-case-title">{t('projects.openCase')}</h3>
      <p className="form-status success" role="status">
        {t('projects.assigned', { name: `${assignment.workerNameHangul} · ${assignment.workerName}` })}
      </p>
      <Field form={form} name="category" label={t('projects.category')} problem={problem}>
        {(p) => (
          <select {...p} value={category} onChange={(e) => setCategory(e.target.value as CategoryId)}>
            {categoryIds.map((c) => (
              <option key={c} value={c}>
                {names.get(c) ?? c}
              </option>
            ))}
          </select>
        )}
      </Field>
      {category === 'B1' && (
        <div className="check">
          <input type="checkbox" id="open-case-embassyDesk" name="embassyDesk" />
          <label htmlFor="open-case-embassyDesk">{t('projects.embassyDesk')}</label>
        </div>
      )}
      <fieldset className="attest">
        <legend>{t('projects.attest')}</legend>
        <p className="help">{t('projects.attestHelp')}</p>
        {(
          [
            'equipmentFromAbroad',
            'contractRequiresSellerService',
            'specializedKnowledgeEssential',
            'occupationRequiresDegree',
          ] as const
        ).map((fact) => (
          <div className="check" key={fact}>
            <input type="checkbox" id={`${form}-${fact}`} name={fact} />
            <label htmlFor={`${form}-${fact}`}>{t(`wizard.q.${fact}.label`)}</label>
          </div>
        ))}
        <p className="help">
          {t('projects.orAssess')} <Link href="/assessments/new">{t('assessments.new')}</Link>
        </p>
      </fieldset>
      {ineligible && (
        <div className="notice notice-warning" role="status">
          <p>
            {t(canOverride ? 'projects.ineligibleAdmin' : 'projects.ineligibleStaff', {
              category: names.get(category) ?? category,
            })}
          </p>
        </div>
      )}
      {canOverride && (
        <Field form={form} name="overrideReason" label={t('projects.overrideReason')} problem={problem}>
          {(p) => <textarea {...p} rows={2} aria-describedby={`${form}-override-hint`} />}
        </Field>
      )}
      {canOverride && (
        <p id={`${form}-override-hint`} className="help">
          {t('projects.overrideHint')}
        </p>
      )}
      <FormProblem
        problem={ineligible ? null : problem}
        shown={['category', ...(canOverride ? ['overrideReason'] : [])]}
      />
      <button type="submit" className="button-primary" disabled={busy}>
        {t('projects.openCase')}
      </button>
      <button type="button" className="button-secondary" onClick={onDone}>
        {t('projects.later')}
      </button>
    </form>
  );
}
