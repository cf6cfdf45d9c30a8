import { useEffect, useState, type ReactNode } from 'react';
import type { Me } from '../../contract/api.js';
import { api, forgetOffline, OFFLINE_CHANGED, offlineSince } from '../api.js';
import { useI18n, type Lang } from '../i18n/i18n.js';
import type { Module } from '../modules.js';
import { navigate } from '../router.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { NOTIFICATIONS_CHANGED } from '../pages/Alerts.js';

interface Props {
  me: Me;
  modules: Module[];
  currentPath: string;
  onLang: (lang: Lang) => void;
  onSignedOut: () => void;
  children: ReactNode;
}

export function Frame({ me, modules, currentPath, onLang, onSignedOut, children }: Props) {
  const { t } = useI18n();
  const unread = useUnreadAlerts(me, currentPath);
  const logout = async () => {
    await api('POST', '/api/auth/logout').catch(() => undefined);
    forgetOffline();
    onSignedOut();
  };
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <div className="topbar-right">
          <LanguageSwitch onLang={onLang} />
          <div className="whoami" data-testid="whoami">
            <span className="whoami-name">{t('auth.signedInAs', { name: me.user.displayName })}</span>
            <span className="whoami-org">
              {me.organization
                ? `${me.organization.name} · ${t(`orgKind.${me.organization.kind}`)}`
                : t('home.noOrganization')}{' '}
              · {t(`role.${me.user.role}`)}
            </span>
          </div>
          <a
            href="/account"
            className="account-link"
            aria-current={currentPath === '/account' ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate('/account');
            }}
          >
            {t('nav.account')}
          </a>
          <button type="button" className="button-secondary" onClick={() => void logout()}>
            {t('auth.logout')}
          </button>
        </div>
      </header>
      <div className="layout">
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {modules
              .filter((m) => !m.header)
              .map((m) => (
                <li key={m.path}>
                  <a
                    href={m.path}
                    aria-current={m.path === currentPath ? 'page' : undefined}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(m.path);
                    }}
                  >
                    {t(m.label)}
                    {m.path === '/alerts' && unread > 0 && (
                      <span className="badge badge-recommended" data-testid="alerts-badge">
                        <span aria-hidden="true">{unread}</span>
                        <span className="visually-hidden">{t('alerts.badge', { count: unread })}</span>
                      </span>
                    )}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          <OfflineBanner />
          {children}
        </main>
      </div>
      <footer className="footer">{t('app.disclaimer')}</footer>
    </div>
  );
}

/** The caller's unread alerts, refreshed on every page change and when the alerts centre changes them. */
function useUnreadAlerts(me: Me, currentPath: string): number {
  const [unread, setUnread] = useState(0);
  const enabled = me.capabilities.includes('notifications.own');
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const refresh = () =>
      api<{ unread: number }>('GET', '/api/notifications?unread=true&limit=1').then(
        (r) => live && setUnread(r.unread),
        () => undefined,
      );
    void refresh();
    window.addEventListener(NOTIFICATIONS_CHANGED, refresh);
    return () => {
      live = false;
      window.removeEventListener(NOTIFICATIONS_CHANGED, refresh);
    };
  }, [enabled, currentPath]);
  return unread;
}

/** While the network is gone, what is shown is what this device saved: say so, and since when. */
function OfflineBanner() {
  const { t, lang } = useI18n();
  const [since, setSince] = useState(offlineSince);
  useEffect(() => {
    const update = () => setSince(offlineSince);
    window.addEventListener(OFFLINE_CHANGED, update);
    return () => window.removeEventListener(OFFLINE_CHANGED, update);
  }, []);
  if (!since) return null;
  return (
    <p className="notice notice-warning offline-banner" role="status">
      {t('app.offline', { time: new Date(since).toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-US') })}
    </p>
  );
}
