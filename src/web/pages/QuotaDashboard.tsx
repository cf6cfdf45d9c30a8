import { useId, useState } from 'react';
import type { z } from 'zod';
import type { Me } from '../../contract/api.js';
import type {
  programComparisonSchema,
  QuotaStatus,
  utilizationSchema,
  waitlistSchema,
} from '../../contract/quota.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useResource } from '../data.js';
import { useI18n, type Lang } from '../i18n/i18n.js';
import { navigate } from '../router.js';
import { niceMax, percentUsed, ticks, usePath, xOf } from '../quota-dashboard/chart.js';

type Programs = z.infer<typeof programComparisonSchema>;
type Utilization = z.infer<typeof utilizationSchema>;
type Waitlist = z.infer<typeof waitlistSchema>;

/** The fiscal year (Oct 1 – Sep 30, named by the year it ends) of a UTC date. */
export function fiscalYearOfToday(now = new Date()): number {
  return now.getUTCMonth() >= 9 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
}

const fmt = (lang: Lang, n: number) => new Intl.NumberFormat(lang === 'ko' ? 'ko-KR' : 'en-US').format(n);

/** `/quota/{program}/{fiscalYear}`: the quota dashboard (issue 4). */
export function QuotaDashboard({ rest }: { me: Me; rest: string }) {
  const { t, lang } = useI18n();
  const [programPart, yearPart] = rest.split('/');
  const program = programPart || 'E4';
  const year = Number(yearPart) || fiscalYearOfToday();
  const base = `/api/quota/${encodeURIComponent(program)}/${year}`;
  const programs = useResource<Programs>(`/api/quota/programs?fiscalYear=${year}`);
  const status = useResource<QuotaStatus>(base);
  const utilization = useResource<Utilization>(`${base}/utilization`);
  const [page, setPage] = useState(0);
  const waitlist = useResource<Waitlist>(`${base}/waitlist?limit=25&offset=${page * 25}`);
  const programId = useId();
  const yearId = useId();
  const go = (p: string, y: number) => {
    setPage(0);
    navigate(`/quota/${p}/${y}`);
  };

  return (
    <section className="quota-dash" aria-labelledby="quota-title">
      <h1 id="quota-title">{t('quotaDash.title')}</h1>
      <p className="lead">{t('quotaDash.lead')}</p>
      <form className="quota-dash__pick" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={programId}>{t('quotaDash.program')}</label>
        <select id={programId} value={program} onChange={(e) => go(e.target.value, year)}>
          {(programs.data?.items ?? [{ program, label: { en: program, ko: program } }]).map((p) => (
            <option key={p.program} value={p.program}>
              {p.label[lang]}
            </option>
          ))}
        </select>
        <label htmlFor={yearId}>{t('quotaDash.fiscalYear')}</label>
        <select id={yearId} value={year} onChange={(e) => go(program, Number(e.target.value))}>
          {[fiscalYearOfToday() - 1, fiscalYearOfToday(), fiscalYearOfToday() + 1].map((y) => (
            <option key={y} value={y}>
              {t('quotaDash.fy', { year: y })}
            </option>
          ))}
        </select>
      </form>

      {status.problem ? (
        <LoadProblem problem={status.problem} />
      ) : !status.data ? (
        <Loading />
      ) : (
        <StatusPanel status={status.data} />
      )}
      {status.data && utilization.data ? (
        <UsageChart status={status.data} utilization={utilization.data} />
      ) : null}
      {status.data && status.data.cap !== null ? (
        <section aria-labelledby="quota-waitlist">
          <h2 id="quota-waitlist">{t('quotaDash.waitlist')}</h2>
          {waitlist.problem ? (
            <LoadProblem problem={waitlist.problem} />
          ) : !waitlist.data ? (
            <Loading />
          ) : waitlist.data.total === 0 ? (
            <p>{t('quotaDash.noWaitlist')}</p>
          ) : (
            <>
              <p>
                {t('quotaDash.waitlistTotal', { n: waitlist.data.total, shown: waitlist.data.items.length })}
              </p>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('quotaDash.position')}</th>
                    <th scope="col">{t('quotaDash.pool')}</th>
                    <th scope="col">{t('quotaDash.priorityDate')}</th>
                    <th scope="col">{t('quotaDash.caseRef')}</th>
                  </tr>
                </thead>
                <tbody>
                  {waitlist.data.items.map((w) => (
                    <tr key={w.id}>
                      <td>{fmt(lang, w.position)}</td>
                      <td>{w.pool}</td>
                      <td>{w.priorityDate}</td>
                      <td>{w.caseRef}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <div className="quota-dash__pager">
                <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                  {t('quotaDash.previous')}
                </button>
                <button
                  type="button"
                  disabled={waitlist.data.items.length < 25}
                  onClick={() => setPage(page + 1)}
                >
                  {t('quotaDash.next')}
                </button>
              </div>
            </>
          )}
        </section>
      ) : null}
      {programs.data ? (
        <Comparison programs={programs.data} current={program} onPick={(p) => go(p, year)} />
      ) : null}
    </section>
  );
}

function StatusPanel({ status }: { status: QuotaStatus }) {
  const { t, lang } = useI18n();
  const used = status.reserved + status.issued;
  const share = percentUsed(used, status.cap);
  return (
    <section aria-labelledby="quota-status" className="quota-dash__status">
      <h2 id="quota-status">
        {status.label[lang]} · {t('quotaDash.fy', { year: status.fiscalYear })}
      </h2>
      {status.legalStatus === 'proposed' ? (
        <p className="notice notice-warning" role="note">
          {t('quotaDash.proposed')}
        </p>
      ) : null}
      <p>
        {t(`quotaDash.state.${status.state}`)} · {status.fiscalYearStart} – {status.fiscalYearEnd} (UTC) ·{' '}
        {t(status.mode === 'lottery' ? 'quotaDash.modeLottery' : 'quotaDash.modeFirstCome')}
        {status.verify ? <span className="badge badge-verify"> {t('quotaDash.verify')}</span> : null}
      </p>
      {status.cap === null ? (
        <p data-testid="quota-cap">{t('quotaDash.noCap')}</p>
      ) : (
        <>
          <dl className="quota-dash__figures">
            {(
              [
                ['cap', status.cap],
                ['reserved', status.reserved],
                ['issued', status.issued],
                ['released', status.released],
                ['available', status.available ?? 0],
                ['waitlisted', status.waitlisted],
              ] as const
            ).map(([key, value]) => (
              <div key={key}>
                <dt>{t(`quotaDash.${key}`)}</dt>
                <dd data-testid={`quota-${key}`}>{fmt(lang, value)}</dd>
              </div>
            ))}
          </dl>
          <div
            className="quota-dash__bar"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={status.cap}
            aria-valuenow={used}
            aria-label={t('quotaDash.usedOfCap', {
              used: fmt(lang, used),
              cap: fmt(lang, status.cap),
              share,
            })}
          >
            <span
              className="quota-dash__bar-issued"
              style={{ width: `${percentUsed(status.issued, status.cap)}%` }}
            />
            <span
              className="quota-dash__bar-reserved"
              style={{ width: `${percentUsed(status.reserved, status.cap)}%` }}
            />
          </div>
          <p>{t('quotaDash.usedOfCap', { used: fmt(lang, used), cap: fmt(lang, status.cap), share })}</p>
          <p data-testid="quota-projection">
            {status.projection?.exhausted
              ? t('quotaDash.exhausted', { date: status.projection.date ?? '' })
              : status.projection?.date
                ? t('quotaDash.projection', {
                    date: status.projection.date,
                    rate: status.projection.ratePerDay.toFixed(1),
                    days: status.projection.windowDays,
                  })
                : t('quotaDash.noProjection', { days: status.projection?.windowDays ?? 30 })}
          </p>
          <h3>{t('quotaDash.pools')}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('quotaDash.pool')}</th>
                <th scope="col">{t('quotaDash.cap')}</th>
                <th scope="col">{t('quotaDash.reserved')}</th>
                <th scope="col">{t('quotaDash.issued')}</th>
                <th scope="col">{t('quotaDash.available')}</th>
                <th scope="col">{t('quotaDash.waitlisted')}</th>
                <th scope="col">{t('quotaDash.spill')}</th>
              </tr>
            </thead>
            <tbody>
              {status.pools.map((p) => (
                <tr key={p.name}>
                  <th scope="row">{p.label[lang]}</th>
                  <td>{fmt(lang, p.cap)}</td>
                  <td>{fmt(lang, p.reserved)}</td>
                  <td>{fmt(lang, p.issued)}</td>
                  <td>{fmt(lang, p.available)}</td>
                  <td>{fmt(lang, p.waitlisted)}</td>
                  <td>
                    {p.spillOn ? t('quotaDash.spillOn', { date: p.spillOn, into: p.spillInto ?? '' }) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {status.references.length ? (
        <p className="quota-dash__refs">
          {t('quotaDash.sources')}{' '}
          {status.references.map((r, i) => (
            <span key={r.href}>
              {i ? ' · ' : ''}
              <a href={r.href} rel="noreferrer" target="_blank" lang="en">
                {r.title}
              </a>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

const W = 560;
const H = 200;

function UsageChart({ status, utilization }: { status: QuotaStatus; utilization: Utilization }) {
  const { t, lang } = useI18n();
  if (status.cap === null) return null;
  const yMax = niceMax(Math.max(status.cap, ...utilization.series.map((p) => p.used)));
  const capY = H - (status.cap / yMax) * H;
  const path = usePath(utilization.series, status.fiscalYearStart, status.fiscalYearEnd, yMax, W, H);
  const projection = status.projection?.date;
  const summary = utilization.series.length
    ? t('quotaDash.chartSummary', {
        days: utilization.series.length,
        used: fmt(lang, utilization.series.at(-1)!.used),
        cap: fmt(lang, status.cap),
      })
    : t('quotaDash.noMovements');
  return (
    <section aria-labelledby="quota-usage">
      <h2 id="quota-usage">{t('quotaDash.usage')}</h2>
      <svg
        className="quota-dash__chart"
        viewBox={`-48 -10 ${W + 60} ${H + 40}`}
        role="img"
        aria-labelledby="quota-usage-title quota-usage-desc"
      >
        <title id="quota-usage-title">{t('quotaDash.usage')}</title>
        <desc id="quota-usage-desc">{summary}</desc>
        {ticks(yMax).map((v) => (
          <g key={v}>
            <line
              x1={0}
              x2={W}
              y1={H - (v / yMax) * H}
              y2={H - (v / yMax) * H}
              className="quota-dash__grid"
            />
            <text x={-6} y={H - (v / yMax) * H + 4} textAnchor="end" className="quota-dash__tick">
              {fmt(lang, v)}
            </text>
          </g>
        ))}
        <line x1={0} x2={W} y1={capY} y2={capY} className="quota-dash__cap" />
        <text x={W} y={capY - 4} textAnchor="end" className="quota-dash__tick">
          {t('quotaDash.cap')} {fmt(lang, status.cap)}
        </text>
        {path ? <path d={path} className="quota-dash__line" data-testid="quota-usage-line" /> : null}
        {projection ? (
          <line
            x1={xOf(projection, status.fiscalYearStart, status.fiscalYearEnd, W)}
            x2={xOf(projection, status.fiscalYearStart, status.fiscalYearEnd, W)}
            y1={0}
            y2={H}
            className="quota-dash__projection"
          />
        ) : null}
        <text x={0} y={H + 18} className="quota-dash__tick">
          {status.fiscalYearStart}
        </text>
        <text x={W} y={H + 18} textAnchor="end" className="quota-dash__tick">
          {status.fiscalYearEnd}
        </text>
      </svg>
      <p>{summary}</p>
      {utilization.series.length ? (
        <details>
          <summary>{t('quotaDash.chartData')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('quotaDash.date')}</th>
                <th scope="col">{t('quotaDash.used')}</th>
                <th scope="col">{t('quotaDash.waitlisted')}</th>
              </tr>
            </thead>
            <tbody>
              {utilization.series.map((p) => (
                <tr key={p.date}>
                  <td>{p.date}</td>
                  <td>{fmt(lang, p.used)}</td>
                  <td>{fmt(lang, p.waitlisted)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}

function Comparison({
  programs,
  current,
  onPick,
}: {
  programs: Programs;
  current: string;
  onPick: (p: string) => void;
}) {
  const { t, lang } = useI18n();
  const capped = programs.items.filter((p) => p.cap !== null);
  const max = niceMax(Math.max(1, ...capped.map((p) => p.cap!)));
  const rowH = 30;
  const labelW = 400;
  const barW = 330;
  return (
    <section aria-labelledby="quota-compare">
      <h2 id="quota-compare">{t('quotaDash.compare', { year: programs.fiscalYear })}</h2>
      <svg
        className="quota-dash__compare"
        viewBox={`0 0 ${labelW + barW + 110} ${programs.items.length * rowH + 10}`}
        role="img"
        aria-labelledby="quota-compare-title"
      >
        <title id="quota-compare-title">{t('quotaDash.compare', { year: programs.fiscalYear })}</title>
        {programs.items.map((p, i) => {
          const y = i * rowH + 5;
          let x = labelW;
          return (
            <g key={p.program} data-testid={`compare-${p.program}`}>
              <text x={labelW - 8} y={y + 17} textAnchor="end" className="quota-dash__tick">
                {p.label[lang]}
                {p.legalStatus === 'proposed' ? ` (${t('quotaDash.proposedShort')})` : ''}
              </text>
              {p.cap === null ? (
                <text x={labelW} y={y + 17} className="quota-dash__tick">
                  {t('quotaDash.noCap')}
                </text>
              ) : (
                <>
                  {(p.pools.length ? p.pools : [{ name: 'all', label: p.label, cap: p.cap }]).map(
                    (pool, k) => {
                      const w = (pool.cap / max) * barW;
                      const rect = (
                        <rect
                          key={pool.name}
                          x={x}
                          y={y + 4}
                          width={w}
                          height={18}
                          className={`quota-dash__seg quota-dash__seg--${k % 3}${p.legalStatus === 'proposed' ? ' quota-dash__seg--proposed' : ''}`}
                        >
                          <title>{`${pool.label[lang]}: ${fmt(lang, pool.cap)}`}</title>
                        </rect>
                      );
                      x += w;
                      return rect;
                    },
                  )}
                  <text x={x + 6} y={y + 17} className="quota-dash__tick">
                    {p.pools.length > 1
                      ? p.pools.map((pool) => fmt(lang, pool.cap)).join(' + ')
                      : fmt(lang, p.cap)}
                  </text>
                </>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="quota-dash__programs">
        {programs.items.map((p) => (
          <li key={p.program}>
            <button type="button" aria-pressed={p.program === current} onClick={() => onPick(p.program)}>
              {p.label[lang]}: {p.cap === null ? t('quotaDash.noCap') : fmt(lang, p.cap)}
              {p.legalStatus === 'proposed' ? ` · ${t('quotaDash.proposedShort')}` : ''}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
