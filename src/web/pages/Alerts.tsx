import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../contract/api.js';
import type { AlertScanResult, Notification } from '../../contract/alerts.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';

interface NotificationList {
  items: Notification[];
  unread: number;
  total: number;
}

/** Sent when notifications change, so the frame's unread badge follows. */
export const NOTIFICATIONS_CHANGED = 'korus:notifications-changed';

const severityStyle: Record<Notification['severity'], React.CSSProperties> = {
  critical: { background: '#fdecea', color: '#8a1c1c', borderColor: '#f1b5b0' },
  warning: { background: '#fff4e0', color: '#6b4100', borderColor: '#f0cf94' },
  info: { background: '#eceff3', color: '#3d4753', borderColor: '#d3d9e0' },
};

/** `/alerts`: the notification centre (the caller's own alerts, in the current language). */
export function AlertsPage({ me }: { me: Me }) {
  const { t, lang } = useI18n();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [list, setList] = useState<NotificationList | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const canScan = me.capabilities.includes('alerts.admin');

  const load = useCallback(async () => {
    try {
      setList(
        await api<NotificationList>('GET', `/api/notifications?limit=200${unreadOnly ? '&unread=true' : ''}`),
      );
      setProblem(null);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }, [unreadOnly]);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus(await fn());
      await load();
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };
  const markRead = (n: Notification) =>
    act(async () => {
      await api('POST', `/api/notifications/${n.id}/read`, {});
      return t('alerts.markedRead');
    });
  const markAll = () =>
    act(async () => {
      const { updated } = await api<{ updated: number }>('POST', '/api/notifications/read-all', {});
      return t('alerts.markedAllRead', { count: updated });
    });
  const scan = () =>
    act(async () => {
      // The scan counts conditions and notifications across everyone it reaches; the person reads their own:
      // how many of their alerts are new now, in the same terms as the count line below.
      const before = (await api<NotificationList>('GET', '/api/notifications?limit=1')).unread;
      const result = await api<AlertScanResult>('POST', '/api/alerts/scan', {});
      const after = (await api<NotificationList>('GET', '/api/notifications?limit=1')).unread;
      return t('alerts.scanned', { asOf: result.asOf, mine: Math.max(0, after - before), unread: after });
    });

  return (
    <section aria-labelledby="alerts-title" className="page">
      <div className="page-head">
        <h1 id="alerts-title">{t('alerts.title')}</h1>
        <div className="page-actions">
          {canScan && (
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void scan()}>
              {t('alerts.scan')}
            </button>
          )}
          <button
            type="button"
            className="button-primary"
            disabled={busy || !list || list.unread === 0}
            onClick={() => void markAll()}
          >
            {t('alerts.markAllRead')}
          </button>
        </div>
      </div>
      <p className="lead">{t('alerts.intro')}</p>
      <fieldset className="alerts-filter" style={{ border: 0, padding: 0, margin: '0 0 1rem' }}>
        <legend className="visually-hidden">{t('alerts.filter')}</legend>
        <label>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(event) => setUnreadOnly(event.target.checked)}
          />{' '}
          {t('alerts.unreadOnly')}
        </label>
      </fieldset>
      <p role="status" className="alerts-status">
        {status}
      </p>
      {problem && <LoadProblem problem={problem} />}
      {!list && !problem && <Loading />}
      {list && (
        <>
          <p className="alerts-count" data-testid="alerts-count">
            {t('alerts.count', { unread: list.unread, total: list.total })}
          </p>
          {list.items.length === 0 ? (
            <p className="empty">{unreadOnly ? t('alerts.emptyUnread') : t('alerts.empty')}</p>
          ) : (
            <ul className="alerts-list" style={{ listStyle: 'none', padding: 0 }}>
              {list.items.map((n) => (
                <li
                  key={n.id}
                  className={`alerts-item${n.readAt ? ' alerts-read' : ' alerts-unread'}`}
                  data-testid="alert"
                  style={{
                    borderBottom: '1px solid var(--line)',
                    padding: '0.75rem 0',
                    fontWeight: n.readAt ? 400 : 600,
                  }}
                >
                  <div>
                    <span className="badge" style={{ ...severityStyle[n.severity], marginLeft: 0 }}>
                      {t(`alerts.severity.${n.severity}`)}
                    </span>{' '}
                    <span className="badge badge-muted">{t(`alerts.kind.${n.kind}`)}</span>
                    {n.verify && (
                      <span className="badge badge-verify" title={t('alerts.verifyHelp')}>
                        {t('alerts.verify')}
                      </span>
                    )}
                    {!n.readAt && <span className="visually-hidden"> {t('alerts.unread')}</span>}
                  </div>
                  <p className="alerts-message" lang={lang} style={{ margin: '0.35rem 0' }}>
                    {n.message[lang]}
                  </p>
                  <p className="help" style={{ margin: 0 }}>
                    {t('alerts.dueOn', { date: n.dueOn })} ·{' '}
                    {t('alerts.raised', { at: formatDateTime(n.createdAt, lang) })}
                    {n.workerId && (
                      <>
                        {' · '}
                        <Link href={`/workers/${n.workerId}`}>{t('alerts.openWorker')}</Link>
                      </>
                    )}
                    {n.caseId && (
                      <>
                        {' · '}
                        <Link href={`/cases/${n.caseId}`}>{t('alerts.openCase')}</Link>
                      </>
                    )}
                    {!n.readAt && (
                      <>
                        {' · '}
                        <button
                          type="button"
                          className="button-link"
                          disabled={busy}
                          onClick={() => void markRead(n)}
                        >
                          {t('alerts.markRead')}
                        </button>
                      </>
                    )}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
