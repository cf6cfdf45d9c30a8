import type { Me } from '../../contract/api.js';
import type { Overview } from '../../contract/pipeline.js';
import { useResource } from '../data.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { WorkerHome } from '../worker/WorkerHome.js';
import { useCategoryName } from '../cases/parts.js';
import { LoadProblem, Loading } from '../components/feedback.js';

/**
 * The home of each role (issue 13): what it acts on today. A worker: their own status. Employers and counsel:
 * late stages, arrivals this week, stays ending soon, and the sites' headcount. Government officers: the
 * system's figures, counts only.
 */
export function HomePage({ me }: { me: Me }) {
  if (me.user.role === 'worker') return <WorkerHome me={me} />;
  return <OrganizationHome me={me} />;
}

function OrganizationHome({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const canStats = me.capabilities.includes('stats.read');
  const figures = useResource<Overview>(canStats ? '/api/stats/overview' : null);
  const government = me.organization?.kind === 'government';
  const o = figures.data;
  return (
    <section aria-labelledby="home-title" className="page home">
      <h1 id="home-title">{t('home.title', { name: me.user.displayName })}</h1>
      <p className="lead">
        {me.organization
          ? `${me.organization.name} · ${t(`orgKind.${me.organization.kind}`)} · ${t(`role.${me.user.role}`)}`
          : t(`role.${me.user.role}`)}
      </p>
      {!canStats ? null : figures.problem ? (
        <LoadProblem problem={figures.problem} />
      ) : !o ? (
        <Loading />
      ) : (
        <>
          <ul className="tiles" aria-label={t('home.today', { date: o.asOf })}>
            <li className="tile">
              <span className="tile-figure">{o.cases.open}</span>
              <span className="tile-label">{t('home.tile.open')}</span>
            </li>
            <li className={`tile ${o.cases.late ? 'tile-warning' : ''}`}>
              <span className="tile-figure">{o.cases.late}</span>
              <span className="tile-label">{t('home.tile.late')}</span>
            </li>
            <li className="tile">
              <span className="tile-figure">{o.presence.present}</span>
              <span className="tile-label">{t('home.tile.inUs')}</span>
            </li>
            <li className={`tile ${o.presence.nearAdmitUntil ? 'tile-warning' : ''}`}>
              <span className="tile-figure">{o.presence.nearAdmitUntil}</span>
              <span className="tile-label">{t('home.tile.near')}</span>
            </li>
            <li className={`tile ${o.presence.outOfStatus ? 'tile-critical' : ''}`}>
              <span className="tile-figure">{o.presence.outOfStatus}</span>
              <span className="tile-label">{t('home.tile.out')}</span>
            </li>
          </ul>

          {o.people && (
            <div className="home-lists">
              <section aria-labelledby="home-late">
                <h2 id="home-late">{t('home.lateTitle')}</h2>
                {o.people.lateCases.length === 0 ? (
                  <p className="muted">{t('home.none')}</p>
                ) : (
                  <ul>
                    {o.people.lateCases.map((c) => (
                      <li key={c.caseId}>
                        <Link href={`/cases/${c.caseId}`}>{c.workerName}</Link> · {c.stage[lang]} ·{' '}
                        <strong>{t('home.daysLate', { n: c.daysLate })}</strong>{' '}
                        <span className="muted">{c.projectName}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="home-ending">
                <h2 id="home-ending">{t('home.endingTitle')}</h2>
                {o.people.endingSoon.length === 0 ? (
                  <p className="muted">{t('home.none')}</p>
                ) : (
                  <ul>
                    {o.people.endingSoon.map((p) => (
                      <li key={p.workerId} className={p.daysLeft < 0 ? 'critical' : ''}>
                        <Link href={`/workers/${p.workerId}`}>{p.workerName}</Link> ·{' '}
                        {p.daysLeft < 0
                          ? t('home.overstay', { date: p.admitUntil })
                          : t('home.daysLeft', { n: p.daysLeft, date: p.admitUntil })}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="home-arrivals">
                <h2 id="home-arrivals">{t('home.arrivalsTitle')}</h2>
                {o.people.arrivals.length === 0 ? (
                  <p className="muted">{t('home.none')}</p>
                ) : (
                  <ul>
                    {o.people.arrivals.map((a) => (
                      <li key={`${a.workerId}-${a.startDate}`}>
                        <Link href={`/workers/${a.workerId}`}>{a.workerName}</Link> · {a.projectName} ·{' '}
                        {a.startDate}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
          )}

          {o.sites.length > 0 && (
            <section aria-labelledby="home-sites">
              <h2 id="home-sites">{t('home.sitesToday')}</h2>
              <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="home-sites">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('home.site')}</th>
                      <th scope="col">{t('home.expected')}</th>
                      <th scope="col">{t('home.tile.present')}</th>
                      <th scope="col">{t('home.tile.near')}</th>
                      <th scope="col">{t('home.tile.out')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.sites.map((s) => (
                      <tr key={s.siteId ?? s.state}>
                        <th scope="row">
                          {s.siteId === null ? (
                            t('home.stateSites', { state: s.state })
                          ) : (
                            <Link href={`/roster?site=${s.siteId}`}>
                              {s.siteName} ({s.state})
                            </Link>
                          )}
                        </th>
                        <td>{s.expected}</td>
                        <td>{s.present}</td>
                        <td>{s.nearAdmitUntil}</td>
                        <td className={s.outOfStatus ? 'critical' : ''}>{s.outOfStatus}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </section>
          )}

          <section aria-labelledby="home-categories">
            <h2 id="home-categories">{t('home.byCategory')}</h2>
            <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="home-categories">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('cases.category')}</th>
                    {(['open', 'admitted', 'departed', 'refused', 'withdrawn'] as const).map((s) => (
                      <th scope="col" key={s}>
                        {t(`cases.status.${s}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {o.cases.byCategory.map((c) => (
                    <tr key={c.category}>
                      <th scope="row">{categoryName(c.category)}</th>
                      <td>{c.open}</td>
                      <td>{c.admitted}</td>
                      <td>{c.departed}</td>
                      <td>{c.refused}</td>
                      <td>{c.withdrawn}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section aria-labelledby="home-stages">
            <h2 id="home-stages">{t('home.byStage')}</h2>
            <ul className="stage-bars">
              {o.cases.byStage.map((s) => (
                <li key={s.stage}>
                  <span className="stage-name">{s.title[lang]}</span>{' '}
                  <span className="stage-count">{t('home.stageCount', { open: s.open, late: s.late })}</span>
                </li>
              ))}
            </ul>
          </section>

          {o.batches.length > 0 && (
            <section aria-labelledby="home-batches">
              <h2 id="home-batches">{t('home.batches')}</h2>
              <ul>
                {o.batches.map((b) => (
                  <li key={b.status}>
                    {t(`batchStatus.${b.status}`)}: {b.count}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {government && (
            <p>
              <Link href="/cases/stats" className="button-primary">
                {t('home.leadTimes')}
              </Link>
            </p>
          )}
        </>
      )}
    </section>
  );
}
