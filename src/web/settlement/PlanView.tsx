import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type {
  Directory,
  Plan,
  PlanGoal,
  PlanOverrides,
  PlanPath,
  SavedPlan,
} from '../../contract/settlement.js';
import { api, asProblem, type ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { FormProblem } from '../pages/pipeline-form.js';
import { DirectoryList } from './DirectoryList.js';
import './settlement.css';

/**
 * A worker's settlement plan (issue 19): the goal, then the ranked paths, each as a timeline on one axis (the
 * worker's statuses and green-card steps, the spouse's right to work, each child's school years, 21st birthday
 * and age-out date), the filings due, the risks in words and the citations; the family plan PDF in Korean or
 * English. HR and the worker read it (Korean first for the worker); HR, counsel and the worker choose the goal.
 */
export function PlanPanel({
  url,
  pdfUrl,
  canChangeGoal,
  canCorrectFacts = false,
  directoryUrl,
}: {
  url: string;
  pdfUrl: string;
  canChangeGoal: boolean;
  /** HR and counsel may correct what the records do not say (the employer's ownership, earlier experience). */
  canCorrectFacts?: boolean;
  directoryUrl?: string;
}) {
  const { t, lang } = useI18n();
  const [saved, setSaved] = useState<SavedPlan | null>(null);
  const [goal, setGoal] = useState<PlanGoal>({ kind: 'permanent' });
  const [loaded, setLoaded] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [overrides, setOverrides] = useState<PlanOverrides>({});
  const load = useCallback(() => {
    api<{ plan: SavedPlan | null; defaultGoal: PlanGoal }>('GET', url).then(
      (r) => {
        setSaved(r.plan);
        setGoal(r.plan?.goal ?? r.defaultGoal);
        if (r.plan) setOverrides(r.plan.overrides);
        setLoaded(true);
      },
      (e: unknown) => {
        setProblem(asProblem(e));
        setLoaded(true);
      },
    );
  }, [url]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!directoryUrl) return;
    api<Directory>('GET', directoryUrl).then(setDirectory, () => undefined);
  }, [directoryUrl]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    api<SavedPlan>('PUT', url, canCorrectFacts ? { goal, overrides } : { goal }).then(
      (p) => {
        setSaved(p);
        setBusy(false);
      },
      (e: unknown) => {
        setProblem(asProblem(e));
        setBusy(false);
      },
    );
  };
  const plan = saved?.plan ?? null;
  return (
    <section className="plan-panel" aria-labelledby="plan-title">
      <h2 id="plan-title">{t('settlement.title')}</h2>
      <p className="muted">{t('settlement.intro')}</p>
      {canChangeGoal && loaded && (
        <form className="plan-goal" onSubmit={submit}>
          <fieldset>
            <legend>{t('settlement.goal')}</legend>
            <label>
              <input
                type="radio"
                name="goal"
                checked={goal.kind === 'permanent'}
                onChange={() => setGoal({ kind: 'permanent' })}
              />{' '}
              {t('planGoalKind.permanent')}
            </label>
            <label>
              <input
                type="radio"
                name="goal"
                checked={goal.kind === 'stay'}
                onChange={() => setGoal({ kind: 'stay', years: goal.kind === 'stay' ? goal.years : 10 })}
              />{' '}
              {t('settlement.stayYears')}
            </label>
            {goal.kind === 'stay' && (
              <label>
                {t('settlement.years')}{' '}
                <input
                  type="number"
                  min={1}
                  max={40}
                  value={goal.years}
                  onChange={(e) =>
                    setGoal({ kind: 'stay', years: Math.max(1, Math.min(40, Number(e.target.value) || 1)) })
                  }
                />
              </label>
            )}
          </fieldset>
          {canCorrectFacts && (
            <fieldset className="plan-overrides">
              <legend>{t('settlement.correct')}</legend>
              <label>
                <input
                  type="checkbox"
                  checked={overrides.koreanOwned ?? saved?.facts.employer.koreanOwned ?? true}
                  onChange={(e) => setOverrides({ ...overrides, koreanOwned: e.target.checked })}
                />{' '}
                {t('settlement.koreanOwned')}
              </label>
              <label>
                <input
                  type="checkbox"
                  checked={overrides.multinational ?? saved?.facts.employer.multinational ?? false}
                  onChange={(e) => setOverrides({ ...overrides, multinational: e.target.checked })}
                />{' '}
                {t('settlement.multinationalField')}
              </label>
              <label>
                {t('settlement.priorExperience')}{' '}
                <input
                  type="number"
                  min={0}
                  max={50}
                  value={overrides.priorExperienceYears ?? saved?.facts.worker.priorExperienceYears ?? 0}
                  onChange={(e) =>
                    setOverrides({
                      ...overrides,
                      priorExperienceYears: Math.max(0, Math.min(50, Number(e.target.value) || 0)),
                    })
                  }
                />
              </label>
            </fieldset>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('app.loading') : saved ? t('settlement.replan') : t('settlement.plan')}
          </button>
        </form>
      )}
      {problem && <FormProblem problem={problem} shown={[]} />}
      {loaded && !plan && !problem && (
        <p className="notice">{canChangeGoal ? t('settlement.noPlanYet') : t('settlement.noPlanWorker')}</p>
      )}
      {plan && saved && (
        <>
          <p className="plan-meta">
            {t('settlement.computed', { asOf: plan.asOf, month: plan.bulletin.month })}{' '}
            {plan.bulletin.verify && <span className="badge badge-verify">{t('settlement.verify')}</span>}{' '}
            <span className="muted">{t(`settlement.reason.${saved.reason}`)}</span>
          </p>
          <FactsLine saved={saved} />
          <p className="plan-downloads">
            <a className="button-secondary" href={`${pdfUrl}?lang=ko`} download>
              {t('settlement.pdfKo')}
            </a>{' '}
            <a className="button-secondary" href={`${pdfUrl}?lang=en`} download>
              {t('settlement.pdfEn')}
            </a>
          </p>
          <ol className="plan-paths">
            {plan.paths.map((path) => (
              <PathCard key={path.route} plan={plan} path={path} />
            ))}
          </ol>
          {plan.unavailable.length > 0 && (
            <details className="plan-unavailable">
              <summary>{t('settlement.unavailable', { n: plan.unavailable.length })}</summary>
              <ul>
                {plan.unavailable.map((u) => (
                  <li key={u.route}>
                    <strong>{t(`planRoute.${u.route}`)}</strong>: {u.reason[lang]}
                  </li>
                ))}
              </ul>
            </details>
          )}
          <p className="notice plan-notice">{plan.notice[lang]}</p>
        </>
      )}
      {directory && <DirectoryList directory={directory} />}
    </section>
  );
}

function FactsLine({ saved }: { saved: SavedPlan }) {
  const { t } = useI18n();
  const f = saved.facts;
  return (
    <p className="plan-facts muted">
      {t(f.status.since ? 'settlement.facts' : 'settlement.factsAbroad', {
        status: t(`planStatus.${f.status.code}`),
        since: f.status.since ?? '—',
        education: t(`education.${f.worker.education}`),
        role: t(`workerRole.${f.worker.role}`),
        state: f.state,
        spouse: f.family.spouse ? 1 : 0,
        children: f.family.children.length,
      })}{' '}
      {f.employer.multinational ? t('settlement.multinational') : t('settlement.notMultinational')}
    </p>
  );
}

const pct = (plan: Plan, date: string) => {
  const a = Date.parse(plan.asOf);
  const b = Date.parse(plan.horizonTo);
  return Math.max(0, Math.min(100, ((Date.parse(date) - a) / (b - a)) * 100));
};

function Bar({
  plan,
  from,
  to,
  label,
  kind,
}: {
  plan: Plan;
  from: string;
  to: string;
  label: string;
  kind: string;
}) {
  const left = pct(plan, from);
  const width = Math.max(0.8, pct(plan, to) - left);
  return (
    <span
      className={`stl-bar stl-bar-${kind}`}
      style={{ left: `${left}%`, width: `${width}%` }}
      title={`${label}: ${from} – ${to}`}
    >
      <span className="stl-bar-label">{label}</span>
    </span>
  );
}

function Marker({ plan, on, label, kind }: { plan: Plan; on: string; label: string; kind: string }) {
  if (on < plan.asOf || on > plan.horizonTo) return null;
  return (
    <span
      className={`stl-marker stl-marker-${kind}`}
      style={{ left: `${pct(plan, on)}%` }}
      title={`${label}: ${on}`}
    >
      <span className="stl-marker-label">{label}</span>
    </span>
  );
}

function PathCard({ plan, path }: { plan: Plan; path: PlanPath }) {
  const { t, lang } = useI18n();
  const startYear = Number(plan.asOf.slice(0, 4));
  const endYear = Number(plan.horizonTo.slice(0, 4));
  const years = Array.from({ length: endYear - startYear + 1 }, (_, i) => startYear + i);
  const gradeLabel = (g: string) => (g === 'pre' ? t('settlement.preK') : g === 'K' ? t('settlement.kindergarten') : t('settlement.grade', { grade: g })); // prettier-ignore
  return (
    <li
      className={`plan-path${path.scenario ? ' plan-path-scenario' : ''}`}
      aria-label={t('settlement.pathAria', { rank: path.rank, title: path.title[lang] })}
    >
      <h3>
        <span className="plan-rank">{path.rank}</span> {path.title[lang]}{' '}
        {path.scenario && <span className="badge badge-verify">{t('settlement.scenario')}</span>}
        {!path.reachesGoal && <span className="badge">{t('settlement.notReaching')}</span>}
      </h3>
      <p>{path.summary[lang]}</p>
      <div
        className="plan-timeline"
        role="img"
        aria-label={t('settlement.timelineAria', { title: path.title[lang] })}
      >
        <div className="plan-row plan-axis">
          <span className="plan-row-label" />
          <span className="plan-track">
            {years
              .filter((y) => `${y}-01-01` >= plan.asOf)
              .map((y) => (
                <span
                  key={y}
                  className={`plan-tick${y % 2 ? ' plan-tick-odd' : ''}`}
                  style={{ left: `${pct(plan, `${y}-01-01`)}%` }}
                >
                  {y}
                </span>
              ))}
          </span>
        </div>
        <div className="plan-row">
          <span className="plan-row-label">{t('settlement.rowWorker')}</span>
          <span className="plan-track">
            {path.segments.map((s, i) => (
              <Bar
                key={i}
                plan={plan}
                from={s.from}
                to={s.to}
                label={s.label[lang]}
                kind={s.status === 'LPR' ? 'lpr' : 'status'}
              />
            ))}
          </span>
        </div>
        {path.steps.some((s) => s.from !== s.to) && (
          <div className="plan-row">
            <span className="plan-row-label">{t('settlement.rowSteps')}</span>
            <span className="plan-track">
              {path.steps
                .filter((s) => s.from !== s.to)
                .map((s, i) => (
                  <Bar
                    key={i}
                    plan={plan}
                    from={s.from}
                    to={s.to}
                    label={t(`planStepKind.${s.kind}`)}
                    kind={s.kind === 'visa_wait' ? 'wait' : 'step'}
                  />
                ))}
              {path.steps
                .filter((s) => s.kind === 'green_card')
                .map((s) => (
                  <Marker key="gc" plan={plan} on={s.from} label={t('planStepKind.green_card')} kind="gc" />
                ))}
            </span>
          </div>
        )}
        {path.spouse.length > 0 && (
          <div className="plan-row">
            <span className="plan-row-label">{t('settlement.rowSpouse')}</span>
            <span className="plan-track">
              {path.spouse.map((s, i) => (
                <Bar
                  key={i}
                  plan={plan}
                  from={s.from}
                  to={s.to}
                  label={t(`spouseWork.${s.work}`)}
                  kind={s.work === 'no' ? 'nowork' : 'work'}
                />
              ))}
            </span>
          </div>
        )}
        {path.children.map((c) => (
          <div className="plan-row" key={c.index}>
            <span className="plan-row-label">{c.name ?? t('settlement.child', { n: c.index + 1 })}</span>
            <span className="plan-track">
              {c.school.map((s) => {
                const y = Number(s.schoolYear.slice(0, 4));
                return (
                  <Bar
                    key={s.schoolYear}
                    plan={plan}
                    from={`${y}-08-01`}
                    to={`${y + 1}-07-31`}
                    label={s.grade === 'pre' ? '' : s.grade}
                    kind={s.grade === 'pre' ? 'pre' : 'school'}
                  />
                );
              })}
              <Marker plan={plan} on={c.turns21On} label={t('settlement.turns21')} kind="21" />
              {c.ageOutOn && (
                <Marker
                  plan={plan}
                  on={c.ageOutOn}
                  label={t('settlement.ageOut')}
                  kind={c.protectedAsChild ? 'safe' : 'ageout'}
                />
              )}
            </span>
          </div>
        ))}
      </div>
      <details className="plan-details" open={path.rank === 1}>
        <summary>{t('settlement.details')}</summary>
        <h4>{t('settlement.steps')}</h4>
        <ul className="plan-steps">
          {path.segments.map((s, i) => (
            <li key={`s${i}`}>
              <time>{s.from}</time> – <time>{s.to}</time> · <strong>{s.label[lang]}</strong>: {s.limit[lang]}{' '}
              <cite>{s.citation}</cite>
              {s.verify && <span className="badge badge-verify">{t('settlement.verify')}</span>}
            </li>
          ))}
          {path.steps.map((s, i) => (
            <li key={`p${i}`}>
              <time>{s.from}</time>
              {s.to !== s.from && (
                <>
                  {' '}
                  – <time>{s.to}</time>
                </>
              )}{' '}
              · <strong>{s.label[lang]}</strong>{' '}
              {s.estimate && <span className="muted">({t('settlement.estimate')})</span>}{' '}
              <cite>{s.citation}</cite>
              {s.verify && <span className="badge badge-verify">{t('settlement.verify')}</span>}
            </li>
          ))}
        </ul>
        {path.filings.length > 0 && (
          <>
            <h4>{t('settlement.filings')}</h4>
            <ul className="plan-filings">
              {path.filings.map((f, i) => (
                <li key={i}>
                  <strong>{t('settlement.dueBy', { date: f.dueBy })}</strong> {f.label[lang]} —{' '}
                  {f.reason[lang]} <cite>{f.citation}</cite>
                </li>
              ))}
            </ul>
          </>
        )}
        {path.spouse.length > 0 && (
          <>
            <h4>{t('settlement.spouse')}</h4>
            <ul>
              {path.spouse.map((s, i) => (
                <li key={i}>
                  <time>{s.from}</time> – <time>{s.to}</time> · {s.label[lang]}:{' '}
                  <strong>{t(`spouseWork.${s.work}`)}</strong> — {s.explanation[lang]}{' '}
                  <cite>{s.citation}</cite>
                </li>
              ))}
            </ul>
          </>
        )}
        {path.children.length > 0 && (
          <>
            <h4>{t('settlement.children')}</h4>
            {path.children.map((c) => (
              <div key={c.index} className="plan-child">
                <p>
                  <strong>{c.name ?? t('settlement.child', { n: c.index + 1 })}</strong> ({c.birthDate}) —{' '}
                  {c.explanation[lang]}{' '}
                  {c.ageOutOn && (
                    <span className={c.protectedAsChild ? 'badge' : 'badge badge-danger'}>
                      {t('settlement.ageOutOn', { date: c.ageOutOn })}
                    </span>
                  )}
                </p>
                {c.school.length > 0 && (
                  <div
                    className="plan-school-wrap"
                    tabIndex={0}
                    role="region"
                    aria-label={t('settlement.schoolYears', { state: plan.state })}
                  >
                    <table className="plan-school">
                      <caption>{t('settlement.schoolYears', { state: plan.state })}</caption>
                      <tbody>
                        <tr>
                          {c.school.map((s) => (
                            <th key={s.schoolYear} scope="col">
                              {s.schoolYear}
                            </th>
                          ))}
                        </tr>
                        <tr>
                          {c.school.map((s) => (
                            <td key={s.schoolYear}>{gradeLabel(s.grade)}</td>
                          ))}
                        </tr>
                      </tbody>
                    </table>
                  </div>
                )}
              </div>
            ))}
            <p className="muted">{t('settlement.schoolNote')}</p>
          </>
        )}
        {path.risks.length > 0 && (
          <>
            <h4>{t('settlement.risks')}</h4>
            <ul className="plan-risks">
              {path.risks.map((r, i) => (
                <li key={i} className={`risk-${r.severity}`}>
                  <span className="badge">{t(`planRiskSeverity.${r.severity}`)}</span> {r.text[lang]}{' '}
                  {r.citation && <cite>{r.citation}</cite>}
                </li>
              ))}
            </ul>
          </>
        )}
      </details>
    </li>
  );
}
