import { useEffect, useMemo, useState } from 'react';
import type { Site } from '../../contract/api.js';
import type { Roster } from '../../contract/pipeline.js';
import { Loading, LoadProblem } from '../components/feedback.js';
import { useResource, useRulesCatalog } from '../data.js';
import { useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import './presence.css';

type Flag = Roster['people'][number]['flag'];
const flags: readonly Flag[] = ['red', 'amber', 'green', 'grey'];
const symbols: Record<Flag, string> = { green: '●', amber: '▲', red: '■', grey: '○' };

/** A flag as colour AND a symbol AND words, so it never depends on colour alone. */
export function FlagBadge({ flag }: { flag: Flag }) {
  const { t } = useI18n();
  return (
    <span className={`flag flag-${flag}`}>
      <span aria-hidden="true">{symbols[flag]}</span> {t(`roster.flag.${flag}`)}
    </span>
  );
}

function localToday(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** `/roster`: who is expected and present at a site on a date, with flags per person and activity. */
export function RosterPage() {
  const { t, lang } = useI18n();
  const sites = useResource<{ items: Site[] }>('/api/sites');
  const catalog = useRulesCatalog().data;
  // `/roster?site=…` (from the home page's sites) opens that site.
  const [siteId, setSiteId] = useState(() => new URLSearchParams(window.location.search).get('site') ?? '');
  const [date, setDate] = useState(localToday);
  const [flag, setFlag] = useState<'' | Flag>('');
  const [presence, setPresence] = useState<'' | 'present' | 'expected'>('');
  const [q, setQ] = useState('');

  useEffect(() => {
    if (!siteId && sites.data?.items[0]) setSiteId(sites.data.items[0].id);
  }, [siteId, sites.data]);

  const validDate = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const query = siteId && validDate ? `/api/sites/${siteId}/roster?date=${date}` : null;
  const roster = useResource<Roster>(query);
  const activityLabel = (id: string) => catalog?.activities.find((a) => a.id === id)?.label[lang] ?? id;

  const people = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return (roster.data?.people ?? []).filter(
      (p) =>
        (!flag || p.flag === flag) &&
        (presence !== 'present' || p.present) &&
        (presence !== 'expected' || !p.present) &&
        (!needle || p.name.toLowerCase().includes(needle) || p.nameHangul.includes(needle)),
    );
  }, [roster.data, flag, presence, q]);

  const site = sites.data?.items.find((s) => s.id === siteId);
  const consulate = (roster.data?.consulate ?? site?.consulate ?? null) as {
    name: { en: string; ko: string };
    city: string;
    phone: string | null;
    website: string | null;
    verify: boolean;
  } | null;

  if (sites.problem) return <LoadProblem problem={sites.problem} />;
  if (!sites.data) return <Loading />;

  return (
    <section className="page roster">
      <h1>{t('roster.title')}</h1>
      <p className="muted">{t('roster.intro')}</p>
      {sites.data.items.length === 0 ? (
        <p>{t('roster.noSites')}</p>
      ) : (
        <>
          <div className="roster-filters" role="search" aria-label={t('roster.filters')}>
            <label>
              {t('roster.site')}
              <select value={siteId} onChange={(e) => setSiteId(e.target.value)}>
                {sites.data.items.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.city}, {s.state})
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('roster.date')}
              <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
            </label>
            <label>
              {t('roster.flagFilter')}
              <select value={flag} onChange={(e) => setFlag(e.target.value as '' | Flag)}>
                <option value="">{t('roster.allFlags')}</option>
                {flags.map((f) => (
                  <option key={f} value={f}>
                    {symbols[f]} {t(`roster.flag.${f}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('roster.presenceFilter')}
              <select
                value={presence}
                onChange={(e) => setPresence(e.target.value as '' | 'present' | 'expected')}
              >
                <option value="">{t('roster.everyone')}</option>
                <option value="present">{t('roster.onlyPresent')}</option>
                <option value="expected">{t('roster.onlyNotPresent')}</option>
              </select>
            </label>
            <label>
              {t('roster.search')}
              <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
            </label>
          </div>

          {roster.problem && <LoadProblem problem={roster.problem} />}
          {query && !roster.data && !roster.problem && <Loading />}
          {roster.data && (
            <>
              <ul className="roster-counts" aria-label={t('roster.countsLabel')} data-testid="roster-counts">
                <li>
                  {t('roster.expected')}: <strong>{roster.data.counts.expected}</strong>
                </li>
                <li>
                  {t('roster.present')}: <strong>{roster.data.counts.present}</strong>
                </li>
                <li>
                  <FlagBadge flag="red" /> <strong>{roster.data.counts.red}</strong>
                </li>
                <li>
                  <FlagBadge flag="amber" /> <strong>{roster.data.counts.amber}</strong>
                </li>
                <li>
                  <FlagBadge flag="green" /> <strong>{roster.data.counts.green}</strong>
                </li>
                <li className={roster.data.counts.outOfStatus ? 'critical' : ''}>
                  {t('roster.outOfStatus')}: <strong>{roster.data.counts.outOfStatus}</strong>
                </li>
                <li>
                  {t('roster.nearAdmitUntil')}: <strong>{roster.data.counts.nearAdmitUntil}</strong>
                </li>
                <li>
                  {t('roster.awaitingVisa')}: <strong>{roster.data.counts.awaitingVisa}</strong>
                </li>
              </ul>
              <p className="roster-exports">
                <a href={`/api/sites/${siteId}/roster.csv?date=${roster.data.date}`} download>
                  {t('roster.exportCsv')}
                </a>
                <a href={`/api/sites/${siteId}/roster.pdf?date=${roster.data.date}`} download>
                  {t('roster.exportPdf')}
                </a>
              </p>
              <p role="status">
                {t('roster.shown', { shown: people.length, total: roster.data.people.length })}
              </p>
              {people.length === 0 ? (
                <p className="muted">{t('roster.empty')}</p>
              ) : (
                <div className="table-scroll" tabIndex={0} role="region" aria-label={t('roster.tableLabel')}>
                  <table className="roster-table">
                    <caption>
                      {t('roster.caption', { site: roster.data.siteName, date: roster.data.date })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('roster.name')}</th>
                        <th scope="col">{t('roster.employer')}</th>
                        <th scope="col">{t('roster.flagColumn')}</th>
                        <th scope="col">{t('roster.class')}</th>
                        <th scope="col">{t('roster.admitUntil')}</th>
                        <th scope="col">{t('roster.daysLeft')}</th>
                        <th scope="col">{t('roster.activities')}</th>
                        <th scope="col">{t('roster.warnings')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {people.map((p) => (
                        <tr key={`${p.workerId}-${p.project}`}>
                          <th scope="row">
                            <Link href={`/workers/${p.workerId}`}>
                              <span lang="ko">{p.nameHangul}</span> · {p.name}
                            </Link>
                          </th>
                          <td>
                            {p.employer}
                            <br />
                            <span className="muted">{p.project}</span>
                          </td>
                          <td>
                            <FlagBadge flag={p.flag} />
                          </td>
                          <td className="nowrap">
                            {p.classOfAdmission ??
                              (p.caseStage ? (
                                <Link href={`/cases/${p.caseStage.caseId}`}>
                                  {t('roster.visaAt', { stage: p.caseStage.title[lang] })}
                                </Link>
                              ) : (
                                t('roster.notPresent')
                              ))}
                          </td>
                          <td className="nowrap">{p.admitUntil ?? '—'}</td>
                          <td className="nowrap">{p.daysRemaining ?? '—'}</td>
                          <td>
                            <ul>
                              {p.activities.map((a) => (
                                <li key={a.activity}>
                                  <FlagBadge flag={a.flag} /> {activityLabel(a.activity)}
                                </li>
                              ))}
                            </ul>
                          </td>
                          <td>
                            {p.warnings.length === 0 ? (
                              '—'
                            ) : (
                              <ul>
                                {p.warnings.map((w) => (
                                  <li key={w.code}>{w.message[lang]}</li>
                                ))}
                              </ul>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <h2>{t('roster.consulateTitle')}</h2>
              {consulate ? (
                <address className="roster-consulate">
                  <strong>{consulate.name[lang]}</strong>
                  <br />
                  {consulate.city}
                  {consulate.phone && (
                    <>
                      <br />
                      {t('roster.phone')}: <a href={`tel:${consulate.phone}`}>{consulate.phone}</a>
                    </>
                  )}
                  {consulate.website && (
                    <>
                      <br />
                      <a href={consulate.website} rel="noreferrer" target="_blank">
                        {t('roster.website')}
                      </a>
                    </>
                  )}
                  {consulate.verify && (
                    <>
                      <br />
                      <span className="muted">{t('roster.verifyData')}</span>
                    </>
                  )}
                </address>
              ) : (
                <p className="muted">{t('roster.noConsulate')}</p>
              )}
              <CompanyContacts groups={roster.data.contacts} />
            </>
          )}
        </>
      )}
    </section>
  );
}

type ContactGroup = Roster['contacts'][number];
type Contact = ContactGroup['items'][number];

/** The company part of the contact sheet: the site owner's counsel and emergency contacts, then partners'. */
function CompanyContacts({ groups }: { groups: readonly ContactGroup[] }) {
  const { t } = useI18n();
  const missing = groups.some(
    (g) => !g.items.some((c) => c.kind === 'counsel') || !g.items.some((c) => c.kind === 'emergency'),
  );
  return (
    <section aria-labelledby="roster-company-contacts" className="roster-contacts">
      <h2 id="roster-company-contacts">{t('roster.companyContacts')}</h2>
      {groups.map((g) => (
        <div key={g.organizationId} className="roster-contact-group">
          <h3>
            {g.organizationName}{' '}
            <span className="muted">
              ({g.role === 'site_owner' ? t('roster.siteOwner') : t('roster.partnerEmployer')})
            </span>
          </h3>
          <dl>
            {(['counsel', 'emergency'] as const).map((kind) => {
              const items = g.items.filter((c) => c.kind === kind);
              return (
                <div key={kind}>
                  <dt>{kind === 'counsel' ? t('roster.counsel') : t('roster.emergencyContact')}</dt>
                  {items.length === 0 ? (
                    <dd className="muted">{t('roster.notOnFile')}</dd>
                  ) : (
                    items.map((c, i) => (
                      <dd key={i}>
                        <ContactCard contact={c} />
                      </dd>
                    ))
                  )}
                </div>
              );
            })}
          </dl>
        </div>
      ))}
      {missing && <p className="muted">{t('roster.contactsHint')}</p>}
      <p>
        <strong>{t('roster.emergency911')}</strong>
      </p>
    </section>
  );
}

const languageNames: Record<string, string> = { ko: '한국어', en: 'English' };

function ContactCard({ contact: c }: { contact: Contact }) {
  const { t } = useI18n();
  return (
    <address>
      <strong>{c.name}</strong>
      {c.title && <>, {c.title}</>}
      {c.firm && (
        <>
          <br />
          {c.firm}
        </>
      )}
      <br />
      {t('roster.phone')}: <a href={`tel:${c.phone.replace(/[^0-9+]/g, '')}`}>{c.phone}</a>
      {c.email && (
        <>
          <br />
          {t('roster.email')}: <a href={`mailto:${c.email}`}>{c.email}</a>
        </>
      )}
      {c.hours && (
        <>
          <br />
          {t('roster.hours')}: {c.hours}
        </>
      )}
      {c.languages.length > 0 && (
        <>
          <br />
          {t('roster.languages')}: {c.languages.map((l) => languageNames[l] ?? l).join(', ')}
        </>
      )}
      {c.notes && (
        <>
          <br />
          <span className="muted">{c.notes}</span>
        </>
      )}
    </address>
  );
}
