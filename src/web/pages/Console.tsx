import { SettlementFigures } from '../settlement/SettlementFigures.js';
import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { Me } from '../../contract/api.js';
import type {
  consoleBatchesSchema,
  consoleLeadTimesSchema,
  consoleOutcomesSchema,
  consolePartnersSchema,
  consolePresenceSchema,
  consoleQuotaSchema,
  consoleReentrySchema,
  consoleSummarySchema,
} from '../../contract/console.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useResource } from '../data.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import './pipeline.css';

type Summary = z.infer<typeof consoleSummarySchema>;
type Shown = number | string;

const FILTER_KEYS = [
  'from',
  'to',
  'category',
  'post',
  'firmKind',
  'sme',
  'siteId',
  'state',
  'sector',
] as const;

/** `/console`: the working group's figures, de-identified, with their exports and the PDF briefing. */
export function ConsolePage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [version, setVersion] = useState(0);
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== '')).toString();
  const q = query ? `?${query}` : '';
  const v = `${q ? '&' : '?'}v=${version}`;
  const summary = useResource<Summary>(`/api/console/summary${q}${v}`);
  const [refreshing, setRefreshing] = useState(false);
  const [refreshProblem, setRefreshProblem] = useState<ApiProblem | null>(null);

  const apply = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    setFilters(Object.fromEntries(FILTER_KEYS.map((k) => [k, String(data.get(k) ?? '')])));
  };
  const refresh = () => {
    setRefreshing(true);
    setRefreshProblem(null);
    api('POST', '/api/console/refresh', {}).then(
      () => {
        setRefreshing(false);
        setVersion((n) => n + 1);
      },
      (e: unknown) => {
        setRefreshing(false);
        setRefreshProblem(asProblem(e));
      },
    );
  };
  const s = summary.data;
  return (
    <section className="page console">
      <h1>{t('console.title')}</h1>
      <p className="help">{t('console.intro', { n: s?.minCell ?? 5 })}</p>
      <p className="notice" data-testid="console-freshness">
        {s?.refreshedAt
          ? t('console.freshness', { at: formatDateTime(s.refreshedAt, lang) })
          : t('console.neverRefreshed')}{' '}
        {me.capabilities.includes('console.admin') && (
          <button type="button" className="button-secondary" disabled={refreshing} onClick={refresh}>
            {t('console.refresh')}
          </button>
        )}
      </p>
      {refreshProblem && <LoadProblem problem={refreshProblem} />}

      <form className="console-filters" onSubmit={apply} aria-label={t('console.filters')}>
        <label className="field">
          <span>{t('console.from')}</span>
          <input type="date" name="from" defaultValue={filters['from']} />
        </label>
        <label className="field">
          <span>{t('console.to')}</span>
          <input type="date" name="to" defaultValue={filters['to']} />
        </label>
        <label className="field">
          <span>{t('console.category')}</span>
          <select name="category" defaultValue={filters['category'] ?? ''}>
            <option value="">{t('console.any')}</option>
            {(s?.options.categories ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('console.post')}</span>
          <select name="post" defaultValue={filters['post'] ?? ''}>
            <option value="">{t('console.any')}</option>
            <option value="seoul">{t('consularPost.seoul')}</option>
            <option value="other">{t('consularPost.other')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('console.firmKind')}</span>
          <select name="firmKind" defaultValue={filters['firmKind'] ?? ''}>
            <option value="">{t('console.any')}</option>
            <option value="investor">{t('orgKind.investor')}</option>
            <option value="partner">{t('orgKind.partner')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('console.sme')}</span>
          <select name="sme" defaultValue={filters['sme'] ?? ''}>
            <option value="">{t('console.any')}</option>
            <option value="true">{t('console.smeYes')}</option>
            <option value="false">{t('console.smeNo')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('console.site')}</span>
          <select name="siteId" defaultValue={filters['siteId'] ?? ''}>
            <option value="">{t('console.any')}</option>
            {(s?.options.sites ?? []).map((site) => (
              <option key={site.id} value={site.id}>
                {site.name} ({site.state})
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('console.state')}</span>
          <select name="state" defaultValue={filters['state'] ?? ''}>
            <option value="">{t('console.any')}</option>
            {(s?.options.states ?? []).map((st) => (
              <option key={st} value={st}>
                {st}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('console.sector')}</span>
          <select name="sector" defaultValue={filters['sector'] ?? ''}>
            <option value="">{t('console.any')}</option>
            {(s?.options.sectors ?? []).map((sector) => (
              <option key={sector} value={sector}>
                {t(`sector.${sector}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button-primary">
          {t('console.apply')}
        </button>
      </form>

      <p className="console-exports">
        <a className="button-secondary" href={`/api/console/briefing.pdf${q}`} download>
          {t('console.briefing')}
        </a>{' '}
        <a className="button-secondary" href={`/api/console/export.xlsx${q}`} download>
          {t('console.xlsx')}
        </a>
      </p>

      {summary.problem && <LoadProblem problem={summary.problem} />}
      {s && (
        <div className="tiles" data-testid="console-totals">
          <Tile label={t('console.totals.cases')} value={s.totals.cases} />
          <Tile label={t('console.totals.admitted')} value={s.totals.admitted} />
          <Tile label={t('console.totals.present')} value={s.totals.present} />
          <Tile label={t('console.totals.batches')} value={s.totals.batches} />
        </div>
      )}
      <LeadTimes q={q} v={v} />
      <Outcomes q={q} v={v} />
      <Partners q={q} v={v} />
      <Presence q={q} v={v} />
      <Batches q={q} v={v} />
      <Quota q={q} v={v} />
      <Reentry q={q} v={v} />
      {me.capabilities.includes('settlement.aggregates') && <SettlementFigures />}
    </section>
  );
}

function Tile({ label, value }: { label: string; value: Shown }) {
  return (
    <div className="tile">
      <span className="tile-value">{value}</span>
      <span className="tile-label">{label}</span>
    </div>
  );
}

function Figure({
  id,
  title,
  q,
  children,
}: {
  id: string;
  title: string;
  q: string;
  children: React.ReactNode;
}) {
  const { t } = useI18n();
  return (
    <section className="console-figure" aria-labelledby={`fig-${id}`} data-testid={`figure-${id}`}>
      <h2 id={`fig-${id}`}>{title}</h2>
      {children}
      <p>
        <a href={`/api/console/export.csv?figure=${id}${q ? `&${q.slice(1)}` : ''}`} download>
          {t('console.csv')}
        </a>
      </p>
    </section>
  );
}

const pct = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const days = (x: number | null) => (x === null ? '—' : String(x));

function LeadTimes({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consoleLeadTimesSchema>>(
    `/api/console/lead-times${q}${v}`,
  );
  return (
    <Figure id="lead-times" title={t('console.leadTimes.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {!data && !problem && <Loading />}
      {data && (
        <>
          <p className="help">{t('console.leadTimes.help')}</p>
          <p data-testid="lead-overall">
            {t('console.leadTimes.overall', {
              people: String(data.overall.people),
              median: days(data.overall.median),
              p90: days(data.overall.p90),
              share: pct(data.overall.shareWithin),
            })}
          </p>
          <LeadChart months={data.months} />
          <table>
            <caption className="visually-hidden">{t('console.leadTimes.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.month')}</th>
                <th scope="col" className="num">
                  {t('console.people')}
                </th>
                <th scope="col" className="num">
                  {t('console.median')}
                </th>
                <th scope="col" className="num">
                  {t('console.p90')}
                </th>
                <th scope="col" className="num">
                  {t('console.under30')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td className="num">{m.people}</td>
                  <td className="num">{days(m.median)}</td>
                  <td className="num">{days(m.p90)}</td>
                  <td className="num">{pct(m.shareWithin)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Figure>
  );
}

/** Median (dark) and 90th percentile (light) by month, with the 30-day goal as a dashed line. */
function LeadChart({ months }: { months: z.infer<typeof consoleLeadTimesSchema>['months'] }) {
  const { t } = useI18n();
  const shown = months.slice(-18);
  if (shown.length === 0) return null;
  const width = 640;
  const height = 160;
  const max = Math.max(30, ...shown.map((m) => m.p90 ?? m.median ?? 0));
  const slot = width / shown.length;
  const y = (d: number) => height - (d / max) * height;
  return (
    <svg
      className="console-chart"
      viewBox={`0 0 ${width} ${height + 18}`}
      role="img"
      aria-label={t('console.leadTimes.chart')}
    >
      <line x1={0} x2={width} y1={y(30)} y2={y(30)} stroke="#b91c1c" strokeDasharray="4 3" />
      {shown.map((m, k) => {
        const x = k * slot + slot * 0.12;
        const w = slot * 0.36;
        return (
          <g key={m.month}>
            {m.p90 !== null && (
              <rect x={x + w} y={y(m.p90)} width={w} height={height - y(m.p90)} fill="#93c5fd" />
            )}
            {m.median !== null && (
              <rect x={x} y={y(m.median)} width={w} height={height - y(m.median)} fill="#1d4ed8" />
            )}
            {m.median === null && (
              <text x={x + w} y={height - 4} fontSize="10" textAnchor="middle" fill="#555">
                {String(m.people)}
              </text>
            )}
            <text x={x + w} y={height + 14} fontSize="9" textAnchor="middle" fill="#333">
              {m.month.slice(2)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

function Outcomes({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consoleOutcomesSchema>>(
    `/api/console/outcomes${q}${v}`,
  );
  return (
    <Figure id="outcomes" title={t('console.outcomes.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && data.rows.length === 0 && <p className="muted">{t('console.none')}</p>}
      {data && data.rows.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">{t('console.outcomes.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('console.category')}</th>
                <th scope="col">{t('console.post')}</th>
                <th scope="col" className="num">
                  {t('console.outcomes.applications')}
                </th>
                <th scope="col" className="num">
                  {t('ceacStatus.issued')}
                </th>
                <th scope="col" className="num">
                  {t('ceacStatus.refused')}
                </th>
                <th scope="col" className="num">
                  {t('console.outcomes.admin')}
                </th>
                <th scope="col" className="num">
                  {t('console.outcomes.refusalRate')}
                </th>
                <th scope="col" className="num">
                  {t('console.outcomes.adminRate')}
                </th>
                <th scope="col" className="num">
                  {t('console.outcomes.wait')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={`${r.category}-${r.post}`}>
                  <th scope="row">{r.category}</th>
                  <td>{t(`consularPost.${r.post}`)}</td>
                  <td className="num">{r.applications}</td>
                  <td className="num">{r.issued}</td>
                  <td className="num">{r.refused}</td>
                  <td className="num">{r.administrativeProcessing}</td>
                  <td className="num">{pct(r.refusalRate)}</td>
                  <td className="num">{pct(r.adminProcessingRate)}</td>
                  <td className="num">{days(r.interviewWaitMedian)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Figure>
  );
}

function Partners({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consolePartnersSchema>>(
    `/api/console/partners${q}${v}`,
  );
  return (
    <Figure id="partners" title={t('console.partners.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && (
        <table>
          <caption className="visually-hidden">{t('console.partners.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.partners.firms')}</th>
              <th scope="col" className="num">
                {t('console.partners.dispatches')}
              </th>
              <th scope="col" className="num">
                {t('console.partners.share')}
              </th>
              <th scope="col" className="num">
                {t('console.median')}
              </th>
              <th scope="col" className="num">
                {t('console.p90')}
              </th>
              <th scope="col" className="num">
                {t('console.under30')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.groups.map((g) => (
              <tr key={g.group}>
                <th scope="row">{t(`console.partners.${g.group}`)}</th>
                <td className="num">{g.dispatches}</td>
                <td className="num">{pct(g.share)}</td>
                <td className="num">{days(g.leadTimes.median)}</td>
                <td className="num">{days(g.leadTimes.p90)}</td>
                <td className="num">{pct(g.leadTimes.shareWithin)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Figure>
  );
}

function Presence({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consolePresenceSchema>>(
    `/api/console/presence${q}${v}`,
  );
  return (
    <Figure id="presence" title={t('console.presence.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && (
        <>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('console.presence.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('console.site')}</th>
                  <th scope="col" className="num">
                    {t('console.presence.present')}
                  </th>
                  <th scope="col" className="num">
                    {t('console.presence.inStatus')}
                  </th>
                  <th scope="col" className="num">
                    {t('console.presence.near', { n: data.nearDays })}
                  </th>
                  <th scope="col" className="num">
                    {t('console.presence.out')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.bySite.map((s) => (
                  <tr key={s.siteId}>
                    <th scope="row">
                      {s.site} ({s.state})
                    </th>
                    <td className="num">{s.present}</td>
                    <td className="num">{s.inStatus}</td>
                    <td className="num">{s.nearAdmitUntil}</td>
                    <td className="num">{s.outOfStatus}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('console.presence.projects')}</h3>
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">{t('console.presence.projects')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('batches.project')}</th>
                  <th scope="col">{t('desk.investor')}</th>
                  <th scope="col" className="num">
                    {t('console.presence.need')}
                  </th>
                  <th scope="col" className="num">
                    {t('console.presence.admitted')}
                  </th>
                  <th scope="col" className="num">
                    {t('console.presence.present')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.projects.map((p) => (
                  <tr key={`${p.investor}-${p.project}`}>
                    <th scope="row">{p.project}</th>
                    <td>{p.investor}</td>
                    <td className="num">{p.need}</td>
                    <td className="num">{p.admitted}</td>
                    <td className="num">{p.present}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Figure>
  );
}

function Batches({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consoleBatchesSchema>>(`/api/console/batches${q}${v}`);
  return (
    <Figure id="batches" title={t('console.batches.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && (
        <>
          <table>
            <caption className="visually-hidden">{t('console.batches.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('batches.status')}</th>
                <th scope="col" className="num">
                  {t('console.batches.batches')}
                </th>
                <th scope="col" className="num">
                  {t('batches.applicants')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.byStatus.map((b) => (
                <tr key={b.status}>
                  <th scope="row">{t(`deskStatus.${b.status}`)}</th>
                  <td className="num">{b.batches}</td>
                  <td className="num">{b.applicants}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t('console.batches.throughput')}:{' '}
            {data.weeks
              .slice(-8)
              .map((w) => `${w.week} ${w.decisions}`)
              .join(' · ') || '—'}
          </p>
        </>
      )}
    </Figure>
  );
}

function Quota({ q, v }: { q: string; v: string }) {
  const { t, lang } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consoleQuotaSchema>>(`/api/console/quota${q}${v}`);
  return (
    <Figure id="quota" title={t('console.quota.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && (
        <table>
          <caption className="visually-hidden">{t('console.quota.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('console.quota.program')}</th>
              <th scope="col" className="num">
                {t('console.quota.cap')}
              </th>
              <th scope="col" className="num">
                {t('console.quota.used')}
              </th>
              <th scope="col" className="num">
                {t('console.quota.share')}
              </th>
              <th scope="col">{t('console.quota.exhaustion')}</th>
            </tr>
          </thead>
          <tbody>
            {data.programs.map((p) => (
              <tr key={p.program}>
                <th scope="row">
                  {p.label[lang]}
                  {p.legalStatus === 'proposed' && (
                    <span className="badge badge-verify">{t('console.quota.proposed')}</span>
                  )}
                </th>
                <td className="num">{p.cap ?? '—'}</td>
                <td className="num">{p.used}</td>
                <td className="num">{pct(p.share)}</td>
                <td>{p.projectedExhaustion ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Figure>
  );
}

function Reentry({ q, v }: { q: string; v: string }) {
  const { t } = useI18n();
  const { data, problem } = useResource<z.infer<typeof consoleReentrySchema>>(`/api/console/reentry${q}${v}`);
  return (
    <Figure id="reentry" title={t('console.reentry.title')} q={q}>
      {problem && <LoadProblem problem={problem} />}
      {data && (
        <p data-testid="reentry-summary">
          {t('console.reentry.summary', {
            cohort: String(data.cohort),
            returned: String(data.returned),
            median: days(data.leadTimes.median),
          })}
          {data.byCategory.length > 0 &&
            ` (${data.byCategory.map((c) => `${c.category}: ${c.returned}/${c.cohort}`).join(', ')})`}
        </p>
      )}
    </Figure>
  );
}
