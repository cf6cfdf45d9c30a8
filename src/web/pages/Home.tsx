import { useEffect, useState } from 'react';
import type { Me, Site } from '../../contract/api.js';
import { api } from '../api.js';
import { useI18n } from '../i18n/i18n.js';
import { visibleModules } from '../modules.js';
import { Link } from '../router.js';

export function HomePage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [sites, setSites] = useState<Site[] | null>(null);
  useEffect(() => {
    api<{ items: Site[] }>('GET', '/api/sites')
      .then((r) => setSites(r.items))
      .catch(() => setSites([]));
  }, []);
  return (
    <section aria-labelledby="home-title" className="page">
      <h1 id="home-title">{t('home.title', { name: me.user.displayName })}</h1>
      <p className="lead">{t('home.intro')}</p>
      <dl className="facts">
        <div>
          <dt>{t('home.organization')}</dt>
          <dd>
            {me.organization
              ? `${me.organization.name} (${t(`orgKind.${me.organization.kind}`)})`
              : t('home.noOrganization')}
          </dd>
        </div>
        <div>
          <dt>{t('home.yourRole')}</dt>
          <dd>{t(`role.${me.user.role}`)}</dd>
        </div>
      </dl>
      <h2>{t('home.sites')}</h2>
      {sites?.length === 0 && <p>{t('home.sitesEmpty')}</p>}
      <ul className="cards">
        {sites?.map((site) => (
          <li key={site.id} className="card">
            <h3>{site.name}</h3>
            <p>
              {t(`sector.${site.sector}`)} · {site.city}
              {site.county ? `, ${site.county} County` : ''}, {site.state}
            </p>
            <p className="muted">
              {site.organizationName} · {t('home.timeZone', { zone: site.timeZone })}
            </p>
          </li>
        ))}
      </ul>
      <h2>{t('home.modules')}</h2>
      <ul className="cards">
        {visibleModules(me)
          .filter((m) => m.description)
          .map((m) => (
            <li key={m.path} className="card">
              <h3>
                <Link href={m.path}>{t(m.label)}</Link>
              </h3>
              <p>{t(m.description!)}</p>
            </li>
          ))}
        <li className="card card-muted">
          <h3>{t('home.comingTitle')}</h3>
          <p>{t('home.coming')}</p>
        </li>
      </ul>
    </section>
  );
}
