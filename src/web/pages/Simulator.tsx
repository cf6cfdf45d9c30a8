import { useEffect, useState } from 'react';
import type { Scenario, Simulation } from '../../contract/simulation.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, hasMessage, useI18n } from '../i18n/i18n.js';

interface Estimate {
  mean: number | null;
  ci: (number | null)[];
}
interface Result {
  medianLeadDays: Estimate;
  p90LeadDays: Estimate;
  shareUnder30: Estimate;
  admitted: Estimate;
  refused: Estimate;
  feesUsd: Estimate;
  timeToStaffDays: Record<string, Estimate & { metIn: number }>;
  utilization: Record<string, Estimate>;
  waitingByWeek: Record<string, number[]>;
  quotaExhaustedDay: Record<string, Record<string, Estimate & { exhaustedIn: number }>>;
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
  e4Percent: number;
  deskPerWeek: number;
  seoulPerWeek: number;
  lotteryPercent: number;
  demandPercent: number;
  smePercent: number;
  replications: number;
}

/** Words for the shipped scenarios' ids (paths, stages, resources); a scenario of one's own shows its ids. */
function useWords() {
  const { t } = useI18n();
  return (kind: 'path' | 'stage' | 'resource' | 'what', id: string) =>
    hasMessage(`simulator.${kind}.${id}`) ? t(`simulator.${kind}.${id}`) : id;
}

function applyLevers(templates: Record<string, Scenario>, levers: Levers): Scenario {
  const base = structuredClone(levers.e4 ? templates['e4-enacted']! : templates.today!);
  const seoul = base.resources.seoul_interviews;
  if (seoul && seoul.kind === 'queue')
    base.resources.seoul_interviews = { ...seoul, perWeek: levers.seoulPerWeek };
  // The H-1B lottery: the share of registrations selected.
  for (const stage of base.paths.h1b ?? [])
    if (stage.calendar && stage.id === 'registration') stage.refusalRate = 1 - levers.lotteryPercent / 100;
  // Once the E-4 is law, this share of the workers takes it; the other routes share the rest as before.
  const e4Route = base.routes.find((r) => r.path === 'e4');
  if (levers.e4 && e4Route) {
    const others = base.routes.filter((r) => r !== e4Route).reduce((a, r) => a + r.share, 0);
    const share = levers.e4Percent / 100;
    base.routes = base.routes.map((r) =>
      r === e4Route ? { ...r, share } : { ...r, share: others ? (r.share * (1 - share)) / others : 0 },
    );
  }
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
 * `/simulator` (issue 21): how long a dispatch takes under a policy. Start from today (entered figures, or measured
 * from the organization's cases of a period), move the levers (demand, the desk's and the Seoul consulate's weekly
 * capacity, the H-1B lottery's odds, the E-4 with its date, share and SME pool), run, and read the figures of both
 * scenarios side by side with 95% intervals, the difference, the lead-time distributions and the queues over time
 * as charts. Runs are kept for the organization. A simulation is not a forecast.
 */
export function SimulatorPage({ canReadPolicies = false }: { canReadPolicies?: boolean }) {
  const { t, lang } = useI18n();
  const word = useWords();
  const [templates, setTemplates] = useState<Record<string, Scenario> | null>(null);
  const [calibrated, setCalibrated] = useState<Record<string, Scenario> | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [levers, setLevers] = useState<Levers>({
    e4: true,
    e4From: '2027-10-01',
    e4Percent: 60,
    deskPerWeek: 100,
    seoulPerWeek: 25,
    lotteryPercent: 35,
    demandPercent: 100,
    smePercent: 0,
    replications: 20,
  });
  const [run, setRun] = useState<Simulation | null>(null);
  const [past, setPast] = useState<Simulation[]>([]);
  const [resource, setResource] = useState('kit_desk');
  // The E-4 pool policy derived from the contribution ledger (issue 20), for working groups: its SME set-aside
  // becomes the scenario's SME pool, simulated before it is published.
  const [policy, setPolicy] = useState<{ version: number; status: string; smeShare: number } | null>(null);
  useEffect(() => {
    if (!canReadPolicies) return;
    api<{ version: number; status: string; parameters: { smeShare: number } }[]>(
      'GET',
      '/api/contribution/policies',
    ).then(
      (list) => setPolicy(list[0] ? { version: list[0].version, status: list[0].status, smeShare: list[0].parameters.smeShare } : null), // prettier-ignore
      () => setPolicy(null),
    );
  }, [canReadPolicies]);

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
  const scenarios = calibrated ?? templates;
  const start = async () => {
    setProblem(null);
    try {
      const started = await api<Simulation>('POST', '/api/simulations', {
        scenario: scenarios.today,
        compare: applyLevers(scenarios, levers),
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
    key: 'demandPercent' | 'deskPerWeek' | 'seoulPerWeek' | 'lotteryPercent' | 'e4Percent' | 'smePercent' | 'replications', // prettier-ignore
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
  const todayName = scenarios.today!.name[lang];
  const resources = result ? Object.keys(result.a.waitingByWeek) : [];

  return (
    <section aria-labelledby="simulator-title" className="page simulator" data-testid="simulator">
      <h1 id="simulator-title">{t('simulator.title')}</h1>
      <p>{t('simulator.intro')}</p>
      <p className="notice notice-warning">{t('simulator.caveat')}</p>
      <CalibrationPanel
        templates={templates}
        calibrated={calibrated}
        onCalibrated={(c) => {
          setCalibrated(c);
          setRun(null);
          // The desk lever starts from the desk's measured capacity.
          const desk = (c ?? templates).today?.resources.kit_interviews;
          if (desk?.kind === 'queue') setLevers((l) => ({ ...l, deskPerWeek: Math.max(20, Math.min(600, Math.round(desk.perWeek / 20) * 20)) })); // prettier-ignore
        }}
      />
      <h2>{t('simulator.leversTitle')}</h2>
      <form
        className="simulator-levers"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        {slider('demandPercent', t('simulator.demand', { percent: levers.demandPercent }), 25, 400, 25)}
        {slider('deskPerWeek', t('simulator.desk', { perWeek: levers.deskPerWeek }), 20, 600, 20)}
        {slider('seoulPerWeek', t('simulator.seoul', { perWeek: levers.seoulPerWeek }), 5, 200, 5)}
        {slider('lotteryPercent', t('simulator.lottery', { percent: levers.lotteryPercent }), 5, 100, 5)}
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
            {slider('e4Percent', t('simulator.e4Share', { percent: levers.e4Percent }), 0, 100, 5)}
            {slider('smePercent', t('simulator.sme', { percent: levers.smePercent }), 0, 50, 5)}
            {policy && (
              <button
                type="button"
                className="button-secondary"
                onClick={() => set('smePercent', Math.round(policy.smeShare * 100))}
              >
                {' '}
                {/* prettier-ignore */}
                {t('simulator.usePolicy', {
                  version: policy.version,
                  percent: Math.round(policy.smeShare * 100),
                  status: t(`contribution.policy.status.${policy.status}`),
                })}{' '}
                {/* prettier-ignore */}
              </button>
            )}
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
                <th scope="col">{todayName}</th>
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
                    <EstimateCell key={k} estimate={e} format={f} />
                  ))}
                </tr>
              ))}
              {(
                [
                  ['admitted', 'simulator.admitted', (x: number | null | undefined) => fmt(x, 0)],
                  ['refused', 'simulator.refused', (x: number | null | undefined) => fmt(x, 0)],
                  ['feesUsd', 'simulator.fees', usd],
                ] as const
              ).map(([key, label, f]) => (
                <tr key={key}>
                  <th scope="row">{t(label)}</th>
                  {[result.a[key], result.b[key]].map((e, k) => (
                    <EstimateCell key={k} estimate={e} format={f} />
                  ))}
                  <td>{f(diffOf(result.a[key], result.b[key]))}</td>
                </tr>
              ))}
              {Object.keys(result.a.utilization).map((id) => (
                <tr key={`u-${id}`}>
                  <th scope="row">{t('simulator.utilization', { resource: word('resource', id) })}</th>
                  {[result.a.utilization[id], result.b.utilization[id]].map((e, k) => (
                    <td key={k}>{e ? pct(e.mean) : '—'}</td>
                  ))}
                  <td>{pct(diffOf(result.a.utilization[id], result.b.utilization[id]))}</td>
                </tr>
              ))}
              {Object.entries(result.b.quotaExhaustedDay).flatMap(([q, years]) =>
                Object.entries(years).map(([fy, e]) => (
                  <tr key={`q-${q}-${fy}`}>
                    <th scope="row">
                      {t('simulator.exhausted', { quota: q.toUpperCase().replace('_', ' '), fy })}
                    </th>
                    <td>
                      {result.a.quotaExhaustedDay[q]
                        ? exhaustedOn(result.a.quotaExhaustedDay[q][fy], scenarios.today!.start, t('simulator.notExhausted')) // prettier-ignore
                        : '—'}
                    </td>
                    <td>{exhaustedOn(e, scenarios.today!.start, t('simulator.notExhausted'))}</td>
                    <td>—</td>
                  </tr>
                )),
              )}
              {Object.keys(result.a.timeToStaffDays).map((id) => (
                <tr key={`s-${id}`}>
                  <th scope="row">
                    {t('simulator.staffed', {
                      project: scenarios.today!.projects.find((p) => p.id === id)?.name ?? id,
                    })}
                  </th>
                  {[result.a.timeToStaffDays[id], result.b.timeToStaffDays[id]].map((e, k) => (
                    <td key={k}>{e && e.metIn > 0 ? fmt(e.mean, 0) : t('simulator.notStaffed')}</td>
                  ))}
                  <td>
                    {result.a.timeToStaffDays[id]?.metIn && result.b.timeToStaffDays[id]?.metIn
                      ? fmt(diffOf(result.a.timeToStaffDays[id], result.b.timeToStaffDays[id]), 0)
                      : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <LeadChart a={result.a} b={result.b} labels={[todayName, t('simulator.yours')]} />
          {resources.length > 0 && (
            <>
              <label className="field">
                <span>{t('simulator.queueOf')}</span>
                <select
                  value={resources.includes(resource) ? resource : resources[0]}
                  onChange={(e) => setResource(e.target.value)}
                >
                  {' '}
                  {/* prettier-ignore */}
                  {resources.map((id) => (
                    <option key={id} value={id}>
                      {word('resource', id)}
                    </option>
                  ))}
                </select>
              </label>
              <QueueChart
                a={result.a}
                b={result.b}
                resource={resources.includes(resource) ? resource : resources[0]!}
                start={scenarios.today!.start}
                labels={[todayName, t('simulator.yours')]}
              />
            </>
          )}
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

const usd = (x: number | null | undefined) =>
  x === null || x === undefined
    ? '—'
    : `${x < 0 ? '−' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;
const diffOf = (a: Estimate | undefined, b: Estimate | undefined) =>
  a?.mean === null || a?.mean === undefined || b?.mean === null || b?.mean === undefined
    ? null
    : b.mean - a.mean;

/** A figure with its 95% interval. */
function EstimateCell({
  estimate,
  format,
}: {
  estimate: Estimate;
  format: (x: number | null | undefined) => string;
}) {
  return (
    <td>
      {format(estimate.mean)}{' '}
      <span className="help">
        ({format(estimate.ci[0])} – {format(estimate.ci[1])})
      </span>
    </td>
  );
}

/** The day a year's quota numbers ran out (mean over the replications where they did), as a date. */
function exhaustedOn(
  e: (Estimate & { exhaustedIn: number }) | undefined,
  start: string,
  never: string,
): string {
  if (!e || !e.exhaustedIn || e.mean === null) return never;
  return new Date(Date.parse(`${start}T00:00:00Z`) + Math.round(e.mean) * 86_400_000)
    .toISOString()
    .slice(0, 10);
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Measured figures: the scenarios calibrated from the cases of a period (the organization's; a working group's,
 * all), each figure with its sample size, the entered one it replaced, or why it was kept.
 */
function CalibrationPanel({
  templates,
  calibrated,
  onCalibrated,
}: {
  templates: Record<string, Scenario>;
  calibrated: Record<string, Scenario> | null;
  onCalibrated: (c: Record<string, Scenario> | null) => void;
}) {
  const { t } = useI18n();
  const word = useWords();
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 365 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const measure = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const ids = Object.keys(templates).filter((id) => templates[id]!.measuredBy);
      const out: Record<string, Scenario> = { ...templates };
      for (const id of ids)
        out[id] = await api<Scenario>('POST', '/api/simulations/calibrate', {
          scenario: templates[id],
          from,
          to,
        });
      onCalibrated(out);
    } catch (e) {
      setProblem(asProblem(e));
    } finally {
      setBusy(false);
    }
  };
  const c = calibrated?.today?.calibration;
  const value = (what: string, v: number | null | undefined) =>
    v === null || v === undefined ? '—' : what.endsWith('Rate') || what === 'share' ? pct(v) : what === 'capacity' ? t('simulator.perWeek', { n: fmt(v, 0) }) : t('simulator.days', { days: fmt(v) }); // prettier-ignore
  return (
    <section aria-labelledby="calibration-title" className="card" data-testid="calibration">
      <h2 id="calibration-title">{t('simulator.calibration.title')}</h2>
      <p className="help">{t('simulator.calibration.intro')}</p>
      <form
        className="simulator-levers"
        onSubmit={(e) => {
          e.preventDefault();
          void measure();
        }}
      >
        <label className="field">
          <span>{t('simulator.calibration.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label className="field">
          <span>{t('simulator.calibration.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <button type="submit" disabled={busy}>
          {t('simulator.calibration.measure')}
        </button>
        {calibrated && (
          <button type="button" onClick={() => onCalibrated(null)}>
            {t('simulator.calibration.entered')}
          </button>
        )}
      </form>
      {problem && <LoadProblem problem={problem} />}
      {c && (
        <table data-testid="calibration-table">
          <caption>
            {t('simulator.calibration.caption', { cases: c.cases, from: c.from, to: c.to, min: c.minSample })}
          </caption>{' '}
          {/* prettier-ignore */}
          <thead>
            <tr>
              <th scope="col">{t('simulator.calibration.stage')}</th>
              <th scope="col">{t('simulator.calibration.what')}</th>
              <th scope="col">{t('simulator.calibration.n')}</th>
              <th scope="col">{t('simulator.calibration.measured')}</th>
              <th scope="col">{t('simulator.calibration.enteredFigure')}</th>
              <th scope="col">{t('simulator.calibration.used')}</th>
            </tr>
          </thead>
          {[...new Set(c.samples.map((x) => x.path))].map((path) => (
            <tbody key={path}>
              <tr>
                <th scope="rowgroup" colSpan={6}>
                  {c.samples.some((x) => x.path === path && x.what === 'capacity')
                    ? word('resource', path)
                    : word('path', path)}
                </th>
              </tr>
              {c.samples
                .filter((x) => x.path === path)
                .map((x, k) => (
                  <tr key={k}>
                    <td>
                      {x.stage
                        ? word('stage', x.stage)
                        : x.what === 'capacity'
                          ? t('simulator.calibration.calendar')
                          : t('simulator.calibration.route')}
                    </td>
                    <td>{word('what', x.what)}</td>
                    <td>{x.n}</td>
                    <td>
                      {value(x.what, x.value)}
                      {x.p90 !== null && x.p90 !== undefined ? ` (p90 ${fmt(x.p90)})` : ''}
                    </td>
                    <td>{value(x.what, x.entered)}</td>
                    <td>
                      {x.used
                        ? t('simulator.calibration.yes')
                        : x.what === 'delay' && x.entered === null
                          ? t('simulator.calibration.capacity')
                          : t('simulator.calibration.tooFew')}
                    </td>
                  </tr>
                ))}
            </tbody>
          ))}
        </table>
      )}
    </section>
  );
}

/** Workers waiting for a resource, week by week (mean over the replications), in both scenarios. */
function QueueChart({
  a,
  b,
  resource,
  start,
  labels,
}: {
  a: Result;
  b: Result;
  resource: string;
  start: string;
  labels: [string, string];
}) {
  const { t } = useI18n();
  const word = useWords();
  const sa = a.waitingByWeek[resource] ?? [];
  const sb = b.waitingByWeek[resource] ?? [];
  const weeks = Math.max(sa.length, sb.length, 1);
  const max = Math.max(1, ...sa, ...sb);
  const w = 640;
  const h = 220;
  const x = (k: number) => 40 + (k * (w - 60)) / weeks;
  const y = (v: number) => h - 30 - (v / max) * (h - 50);
  const line = (series: number[]) =>
    series.map((v, k) => `${k === 0 ? 'M' : 'L'}${x(k).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const startMs = Date.parse(`${start}T00:00:00Z`);
  const ticks = Array.from({ length: Math.floor(weeks / 13) + 1 }, (_, k) => k * 13);
  return (
    <figure data-testid="queue-chart">
      <svg
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={t('simulator.queueChartLabel', { resource: word('resource', resource) })}
      >
        {' '}
        {/* prettier-ignore */}
        <line x1={40} y1={h - 30} x2={w - 20} y2={h - 30} stroke="currentColor" />
        <text x={36} y={y(max) + 4} fontSize="11" textAnchor="end">
          {Math.round(max)}
        </text>
        {ticks.map((wk) => (
          <text key={wk} x={x(wk)} y={h - 12} fontSize="11" textAnchor="middle">
            {new Date(startMs + wk * 7 * 86_400_000).toISOString().slice(0, 7)}
          </text>
        ))}
        <path d={line(sa)} fill="none" stroke="#6b7280" strokeWidth={2} />
        <path d={line(sb)} fill="none" stroke="#1d4ed8" strokeWidth={2} />
      </svg>
      <figcaption>
        {t('simulator.queueChartCaption')} <span style={{ color: '#6b7280' }}>■ {labels[0]}</span>{' '}
        <span style={{ color: '#1d4ed8' }}>■ {labels[1]}</span>
      </figcaption>
    </figure>
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
