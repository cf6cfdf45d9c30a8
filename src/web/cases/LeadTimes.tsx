import { useId, useState } from 'react';
import type { Me } from '../../contract/api.js';
import { leadTimeGroupings, type LeadTimeStats, type Project } from '../../contract/pipeline.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useResource } from '../data.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { CasesTabs } from './Board.js';
import { chartGeometry } from './model.js';
import { useCategoryName } from './parts.js';

type GroupBy = (typeof leadTimeGroupings)[number];

/** `/cases/stats`: median and 90th percentile of lead times by category, stage, organization or project. */
export function LeadTimesPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [groupBy, setGroupBy] = useState<GroupBy>('category');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [projectId, setProjectId] = useState('');
  const categoryName = useCategoryName();
  const projects = useResource<{ items: Project[] }>(
    me.capabilities.includes('pipeline.read') ? '/api/projects' : null,
  );
  const rangeError = from && to && from > to ? t('cases.stats.rangeError') : undefined;
  const params = new URLSearchParams({ groupBy });
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (projectId) params.set('projectId', projectId);
  const stats = useResource<LeadTimeStats>(rangeError ? null : `/api/stats/lead-times?${params.toString()}`);

  const label = (g: LeadTimeStats['groups'][number]) =>
    stats.data?.groupBy === 'category' ? categoryName(g.key) : g.label;
  // Stage titles come from the workflows in English only: mark them so screen readers read them as English.
  const labelLang = stats.data?.groupBy === 'stage' ? 'en' : undefined;
  const days = (n: number | null) =>
    n === null
      ? '—'
      : new Intl.NumberFormat(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);

  return (
    <section aria-labelledby="stats-title" className="page">
      <div className="page-head">
        <h1 id="stats-title">{t('cases.stats.title')}</h1>
        <CasesTabs me={me} current="stats" />
      </div>
      <p className="lead">{t('cases.stats.intro')}</p>
      <form className="filter case-filters" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="stats-group">{t('cases.stats.groupByLabel')}</label>
          <select id="stats-group" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {leadTimeGroupings.map((g) => (
              <option key={g} value={g}>
                {t(`cases.stats.groupBy.${g}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="stats-from">{t('cases.stats.from')}</label>
          <input id="stats-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="stats-to">{t('cases.stats.to')}</label>
          <input
            id="stats-to"
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            aria-invalid={rangeError ? true : undefined}
            aria-describedby={rangeError ? 'stats-to-error' : undefined}
          />
          {rangeError && (
            <span className="field-error" id="stats-to-error">
              {rangeError}
            </span>
          )}
        </div>
        {projects.data && projects.data.items.length > 0 && (
          <div className="field">
            <label htmlFor="stats-project">{t('cases.board.project')}</label>
            <select id="stats-project" value={projectId} onChange={(e) => setProjectId(e.target.value)}>
              <option value="">{t('cases.stats.allProjects')}</option>
              {projects.data.items.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code} · {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </form>
      <p className="help">{t('cases.stats.rangeHelp')}</p>
      {stats.problem && <LoadProblem problem={stats.problem} />}
      {!stats.data && !stats.problem && !rangeError && <Loading />}
      {stats.data && (
        <>
          {stats.data.groups.length === 0 ? (
            <p className="notice">{t('cases.stats.empty')}</p>
          ) : (
            <>
              <LeadTimeChart stats={stats.data} label={label} labelLang={labelLang} />
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="stats-table">
                <table className="stats-table">
                  <caption id="stats-table">
                    {t('cases.stats.tableCaption', { group: t(`cases.stats.groupBy.${stats.data.groupBy}`) })}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">{t(`cases.stats.groupBy.${stats.data.groupBy}`)}</th>
                      <th scope="col" className="num">
                        {t('cases.stats.count')}
                      </th>
                      <th scope="col" className="num">
                        {t('cases.stats.median')}
                      </th>
                      <th scope="col" className="num">
                        {t('cases.stats.p90')}
                      </th>
                      <th scope="col" className="num">
                        {t('cases.stats.open')}
                      </th>
                      <th scope="col" className="num">
                        {t('cases.stats.late')}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.data.groups.map((g) => (
                      <tr key={g.key}>
                        <th scope="row" lang={labelLang}>
                          {label(g)}
                        </th>
                        <td className="num">{g.count}</td>
                        <td className="num">{days(g.medianDays)}</td>
                        <td className="num">{days(g.p90Days)}</td>
                        <td className="num">{g.open}</td>
                        <td className="num">{g.late}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <p className="muted">
            {t('cases.stats.method', { at: formatDateTime(stats.data.computedAt, lang) })}{' '}
            <span lang="en">{stats.data.method}</span>
          </p>
        </>
      )}
    </section>
  );
}

/** Median and p90 per group as horizontal bars; the table above it carries the same numbers for everyone. */
function LeadTimeChart({
  stats,
  label,
  labelLang,
}: {
  stats: LeadTimeStats;
  label: (g: LeadTimeStats['groups'][number]) => string;
  labelLang: string | undefined;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const g = chartGeometry(stats.groups, { width: 720, labelWidth: 210, rowHeight: 36, top: 28 });
  const x = (v: number) => g.labelWidth + (g.max === 0 ? 0 : (v / g.max) * g.plotWidth);
  const fmt = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat(lang).format(v));
  return (
    <figure className="stats-chart">
      <svg
        viewBox={`0 0 ${g.width} ${g.height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{t('cases.stats.chartTitle')}</title>
        <desc id={`${id}-desc`}>{t('cases.stats.chartDesc')}</desc>
        <g className="chart-legend" aria-hidden="true">
          <rect x={g.labelWidth} y={4} width={12} height={12} className="bar-median" />
          <text x={g.labelWidth + 18} y={14}>
            {t('cases.stats.median')}
          </text>
          <rect x={g.labelWidth + 150} y={4} width={12} height={12} className="bar-p90" />
          <text x={g.labelWidth + 168} y={14}>
            {t('cases.stats.p90')}
          </text>
        </g>
        <g aria-hidden="true">
          {g.ticks.map((tick) => (
            <g key={tick}>
              <line
                x1={x(tick)}
                x2={x(tick)}
                y1={g.bars[0]?.y ?? 0}
                y2={g.height - 20}
                className="chart-grid"
              />
              <text x={x(tick)} y={g.height - 6} textAnchor="middle" className="chart-tick">
                {fmt(tick)}
              </text>
            </g>
          ))}
          {g.bars.map((b, i) => (
            <g key={b.key}>
              <text
                x={g.labelWidth - 8}
                y={b.y + 20}
                textAnchor="end"
                className="chart-label"
                lang={labelLang}
              >
                {truncate(label(stats.groups[i]!), 28)}
              </text>
              <rect x={g.labelWidth} y={b.y + 4} width={b.medianWidth} height={12} className="bar-median" />
              <rect x={g.labelWidth} y={b.y + 18} width={b.p90Width} height={12} className="bar-p90" />
              <text x={g.labelWidth + b.medianWidth + 4} y={b.y + 14} className="chart-value">
                {fmt(b.median)}
              </text>
              <text x={g.labelWidth + b.p90Width + 4} y={b.y + 28} className="chart-value">
                {fmt(b.p90)}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption className="muted">{t('cases.stats.chartCaption')}</figcaption>
    </figure>
  );
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
