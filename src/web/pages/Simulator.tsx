import { useEffect, useState } from 'react';
import type { Scenario, Simulation } from '../../contract/simulation.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';

interface Estimate {
  mean: number | null;
  ci: (number | null)[];
}
interface Result {
  medianLeadDays: Estimate;
  p90LeadDays: Estimate;
  shareUnder30: Estimate;
  leadHistogram: { fromDays: number; share: number }[];
}
interface Comparison {
  a: Result;
  b: Result;
  difference: { medianLeadDays: Estimate; p90LeadDays: Estimate; shareUnder30: Estimate };
}

/** The levers on screen, applied to a copy of a template. */
interface Levers {
  e4: boolean;
  e4From: string;
  deskPerWeek: number;
  demandPercent: number;
  smePercent: number;
  replications: number;
}

function applyLevers(templates: Record<string, Scenario>, levers: Levers): Scenario {
  const base = structuredClone(levers.e4 ? templates['e4-enacted']! : templates.today!);
  base.projects = base.projects.map((p) =>
    p.workers !== undefined
      ? { ...p, workers: Math.max(1, Math.round((p.workers * levers.demandPercent) / 100)) }
      : p,
  );
  const desk = base.resources.kit_desk;
  if (desk && desk.kind === 'batch') base.resources.kit_desk = { ...desk, size: levers.deskPerWeek };
  const interviews = base.resources.kit_interviews;
  if (interviews && interviews.kind === 'queue')
    base.resources.kit_interviews = { ...interviews, perWeek: levers.deskPerWeek };
  if (levers.e4 && base.quotas.e4) {
    base.quotas.e4 = { ...base.quotas.e4, availableFrom: levers.e4From, smeShare: levers.smePercent / 100 };
    base.routes = base.routes.map((r) => (r.path === 'e4' ? { ...r, availableFrom: levers.e4From } : r));
  }
  base.name = { en: 'Your scenario', ko: '사용자 시나리오' };
  return base;
}

const fmt = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined ? '—' : x.toFixed(digits);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;

/**
 * `/simulator` (issue 21): how long a dispatch takes under a policy. Start from today, move the levers (demand,
 * the desk's weekly capacity, the E-4 and its date, the SME pool), run, and read the figures of both scenarios side
 * by side with 95% intervals, the difference, and the lead-time distributions as a chart. Runs are kept for the
 * organization. A simulation is not a forecast.
 */
export function SimulatorPage() {
  const { t, lang } = useI18n();
  const [templates, setTemplates] = useState<Record<string, Scenario> | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [levers, setLevers] = useState<Levers>({
    e4: true,
    e4From: '2027-10-01',
    deskPerWeek: 100,
    demandPercent: 100,
    smePercent: 0,
    replications: 20,
  });
  const [run, setRun] = useState<Simulation | null>(null);
  const [past, setPast] = useState<Simulation[]>([]);

  useEffect(() => {
    api<{ id: string; scenario: Scenario }[]>('GET', '/api/simulations/templates').then(
      (list) => setTemplates(Object.fromEntries(list.map((x) => [x.id, x.scenario]))),
      (e: unknown) => setProblem(asProblem(e)),
    );
    api<Simulation[]>('GET', '/api/simulations').then(setPast, () => undefined);
  }, []);

  useEffect(() => {
    if (!run) return;
    // The list of runs follows the one on screen.
    setPast((list) => list.map((x) => (x.id === run.id ? { ...run, result: null } : x)));
    if (run.status !== 'running') return;
    const timer = setTimeout(() => {
      api<Simulation>('GET', `/api/simulations/${run.id}`).then(setRun, (e: unknown) =>
        setProblem(asProblem(e)),
      );
    }, 400);
    return () => clearTimeout(timer);
  }, [run]);

  if (!templates) return problem ? <LoadProblem problem={problem} /> : <Loading />;
  const start = async () => {
    setProblem(null);
    try {
      const started = await api<Simulation>('POST', '/api/simulations', {
        scenario: templates.today,
        compare: applyLevers(templates, levers),
        replications: levers.replications,
        seed: 1,
      });
      setRun(started);
      setPast((p) => [started, ...p]);
    } catch (e) {
      setProblem(asProblem(e));
    }
  };
  const set = <K extends keyof Levers>(key: K, value: Levers[K]) =>
    setLevers((l) => ({ ...l, [key]: value }));
  const slider = (
    key: 'demandPercent' | 'deskPerWeek' | 'smePercent' | 'replications',
    label: string,
    min: number,
    max: number,
    step: number,
  ) =>
    // prettier-ignore
    <label className="field">
      <span>{label}</span>
      <input type="range" min={min} max={max} step={step} value={levers[key]} onChange={(e) => set(key, Number(e.target.value))} /> {/* prettier-ignore */}
    </label>;
  const result = run?.status === 'done' ? (run.result as Comparison) : null;

  return (
    <section aria-labelledby="simulator-title" className="page simulator" data-testid="simulator">
      <h1 id="simulator-title">{t('simulator.title')}</h1>
      <p>{t('simulator.intro')}</p>
      <p className="notice notice-warning">{t('simulator.caveat')}</p>
      <form
        className="simulator-levers"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        {slider('demandPercent', t('simulator.demand', { percent: levers.demandPercent }), 25, 400, 25)}
        {slider('deskPerWeek', t('simulator.desk', { perWeek: levers.deskPerWeek }), 20, 600, 20)}
        <label className="check">
          <input type="checkbox" checked={levers.e4} onChange={(e) => set('e4', e.target.checked)} />
          {t('simulator.e4')}
        </label>
        {levers.e4 && (
          <>
            <label className="field">
              <span>{t('simulator.e4From')}</span>
              <input
                type="date"
                value={levers.e4From}
                onChange={(e) => set('e4From', e.target.value)}
                required
              />
            </label>
            {slider('smePercent', t('simulator.sme', { percent: levers.smePercent }), 0, 50, 5)}
          </>
        )}
        {slider('replications', t('simulator.replications', { n: levers.replications }), 10, 100, 10)}
        <button type="submit" className="button-primary" disabled={run?.status === 'running'}>
          {t('simulator.run')}
        </button>
      </form>
      {problem && <LoadProblem problem={problem} />}
      <p role="status" className="form-status">
        {run?.status === 'running'
          ? t('simulator.progress', { done: run.done, total: run.replications * (run.compareName ? 2 : 1) })
          : run?.status === 'failed'
            ? t('simulator.failed', { error: run.error ?? '' })
            : ''}
      </p>
      {run?.status === 'running' && (
        <progress max={run.replications * 2} value={run.done} aria-label={t('simulator.progressLabel')} />
      )}
      {result && (
        <>
          <table data-testid="simulation-table">
            <caption>{t('simulator.resultCaption', { n: run!.replications })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('simulator.figure')}</th>
                <th scope="col">{templates.today!.name[lang]}</th>
                <th scope="col">{t('simulator.yours')}</th>
                <th scope="col">{t('simulator.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['medianLeadDays', 'simulator.median', fmt],
                  ['p90LeadDays', 'simulator.p90', fmt],
                  ['shareUnder30', 'simulator.under30', pct],
                ] as const
              ).map(([key, label, f]) => (
                <tr key={key}>
                  <th scope="row">{t(label)}</th>
                  {[result.a[key], result.b[key], result.difference[key]].map((e, k) => (
                    <td key={k}>
                      {f(e.mean)}{' '}
                      <span className="help">
                        ({f(e.ci[0])} – {f(e.ci[1])})
                      </span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <LeadChart a={result.a} b={result.b} labels={[templates.today!.name[lang], t('simulator.yours')]} />
        </>
      )}
      {past.length > 0 && (
        <>
          <h2>{t('simulator.past')}</h2>
          <ul>
            {past.slice(0, 10).map((p) => (
              <li key={p.id}>
                {formatDateTime(p.createdAt, lang)} · {p.createdBy} · {p.name[lang]}
                {p.compareName ? ` ↔ ${p.compareName[lang]}` : ''} · {t(`simulator.status.${p.status}`)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** The two lead-time distributions (share of workers per 5-day bin, to 180 days) and their medians. */
function LeadChart({ a, b, labels }: { a: Result; b: Result; labels: [string, string] }) {
  const { t } = useI18n();
  const bins = a.leadHistogram.slice(0, 36);
  const max = Math.max(
    0.0001,
    ...bins.map((x) => x.share),
    ...b.leadHistogram.slice(0, 36).map((x) => x.share),
  );
  const w = 640;
  const h = 220;
  const x = (k: number) => 40 + (k * (w - 60)) / bins.length;
  const y = (v: number) => h - 30 - (v / max) * (h - 50);
  const line = (r: Result) =>
    r.leadHistogram
      .slice(0, 36)
      .map((p, k) => `${k === 0 ? 'M' : 'L'}${x(k + 0.5).toFixed(1)},${y(p.share).toFixed(1)}`)
      .join(' ');
  const medianX = (r: Result) => x((r.medianLeadDays.mean ?? 0) / 5);
  return (
    <figure data-testid="simulation-chart">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={t('simulator.chartLabel')}>
        <line x1={40} y1={h - 30} x2={w - 20} y2={h - 30} stroke="currentColor" />
        {[0, 30, 60, 90, 120, 150, 180].map((d) => (
          <text key={d} x={x(d / 5)} y={h - 12} fontSize="11" textAnchor="middle">
            {d}
          </text>
        ))}
        <path d={line(a)} fill="none" stroke="#6b7280" strokeWidth={2} />
        <path d={line(b)} fill="none" stroke="#1d4ed8" strokeWidth={2} />
        <line x1={medianX(a)} x2={medianX(a)} y1={20} y2={h - 30} stroke="#6b7280" strokeDasharray="4 3" />
        <line x1={medianX(b)} x2={medianX(b)} y1={20} y2={h - 30} stroke="#1d4ed8" strokeDasharray="4 3" />
      </svg>
      <figcaption>
        {t('simulator.chartCaption')} <span style={{ color: '#6b7280' }}>■ {labels[0]}</span>{' '}
        <span style={{ color: '#1d4ed8' }}>■ {labels[1]}</span>
      </figcaption>
    </figure>
  );
}
