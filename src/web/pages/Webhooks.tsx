import { useCallback, useEffect, useState } from 'react';
import { webhookEventTypes, type WebhookDelivery, type WebhookEndpoint } from '../../contract/webhooks.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';

/**
 * The organization's webhooks (issue 18), for its administrators: add an endpoint (its signing secret shown
 * once), choose the events, pause, rotate the secret, send a test event, read the delivery log and send a
 * delivery again. How to verify the signature is in docs/webhooks.md and the OpenAPI description.
 */
export function Webhooks() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<WebhookEndpoint[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [log, setLog] = useState<WebhookDelivery[] | null>(null);
  const [types, setTypes] = useState<string[]>([]);

  const reload = useCallback(async () => {
    try {
      setItems(await api<WebhookEndpoint[]>('GET', '/api/webhooks'));
    } catch (e) {
      setProblem(asProblem(e));
    }
  }, []);
  useEffect(() => {
    void reload();
  }, [reload]);
  const loadLog = useCallback(async (id: string) => {
    setLog(await api<WebhookDelivery[]>('GET', `/api/webhooks/${id}/deliveries`));
  }, []);

  const act = async (work: () => Promise<unknown>, message: string) => {
    setProblem(null);
    try {
      await work();
      setStatus(message);
      await reload();
      if (open) await loadLog(open);
    } catch (e) {
      setProblem(asProblem(e));
    }
  };

  if (!items && !problem) return <Loading />;
  return (
    <div className="webhooks" data-testid="webhooks">
      <p>{t('webhooks.intro')}</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const data = new FormData(form);
          const description = String(data.get('description') ?? '').trim();
          void act(async () => {
            const made = await api<WebhookEndpoint>('POST', '/api/webhooks', {
              url: String(data.get('url') ?? '').trim(),
              ...(description ? { description } : {}),
              eventTypes: types,
            });
            setSecret({ id: made.id, secret: made.secret! });
            form.reset();
            setTypes([]);
          }, t('webhooks.added'));
        }}
      >
        <label className="field">
          <span>{t('webhooks.url')}</span>
          <input name="url" type="url" required maxLength={2000} placeholder="https://" />
        </label>
        <label className="field">
          <span>{t('webhooks.description')}</span>
          <input name="description" maxLength={200} />
        </label>
        <fieldset className="field">
          <legend>{t('webhooks.events')}</legend>
          <span className="help">{t('webhooks.eventsHint')}</span>
          {webhookEventTypes.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(e) =>
                  setTypes(e.target.checked ? [...types, type] : types.filter((x) => x !== type))
                }
              />
              {t(`webhookEvent.${type}`)} <code>{type}</code>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button-primary">
          {t('webhooks.add')}
        </button>
      </form>
      <p className="form-status" role="status">
        {status}
      </p>
      {problem && <LoadProblem problem={problem} />}
      {secret && (
        <div className="notice notice-warning" data-testid="webhook-secret">
          <p>{t('webhooks.secretOnce')}</p>
          <code>{secret.secret}</code>
        </div>
      )}
      <table>
        <caption>{t('webhooks.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('webhooks.url')}</th>
            <th scope="col">{t('webhooks.events')}</th>
            <th scope="col">{t('webhooks.state')}</th>
            <th scope="col">{t('webhooks.deliveries')}</th>
            <th scope="col">{t('webhooks.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(items ?? []).length === 0 && (
            <tr>
              <td colSpan={5}>{t('webhooks.none')}</td>
            </tr>
          )}
          {(items ?? []).map((w) => (
            <tr key={w.id}>
              <td>
                {w.url}
                {w.description ? <div className="help">{w.description}</div> : null}
              </td>
              <td>
                {w.eventTypes.length === 0
                  ? t('webhooks.allEvents')
                  : w.eventTypes.map((e) => t(`webhookEvent.${e}`)).join(', ')}
              </td>
              <td>{w.active ? t('webhooks.active') : t('webhooks.paused')}</td>
              <td>
                {t('webhooks.stats', {
                  delivered: w.stats.delivered,
                  pending: w.stats.pending,
                  failed: w.stats.failed,
                })}
              </td>
              <td className="actions">
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => {
                    setOpen(w.id);
                    void loadLog(w.id);
                  }}
                >
                  {t('webhooks.showLog')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  disabled={!w.active}
                  onClick={() =>
                    void act(() => api('POST', `/api/webhooks/${w.id}/ping`, {}), t('webhooks.pinged'))
                  }
                >
                  {t('webhooks.ping')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() =>
                    void act(
                      () => api('PATCH', `/api/webhooks/${w.id}`, { active: !w.active }),
                      w.active ? t('webhooks.pausedDone') : t('webhooks.resumed'),
                    )
                  }
                >
                  {w.active ? t('webhooks.pause') : t('webhooks.resume')}
                </button>
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() =>
                    void act(async () => {
                      const next = await api<WebhookEndpoint>('PATCH', `/api/webhooks/${w.id}`, { rotateSecret: true }); // prettier-ignore
                      setSecret({ id: w.id, secret: next.secret! });
                    }, t('webhooks.rotated'))
                  }
                >
                  {t('webhooks.rotate')}
                </button>
                <button
                  type="button"
                  className="button-danger"
                  onClick={() => {
                    if (window.confirm(t('webhooks.confirmRemove', { url: w.url })))
                      void act(() => api('DELETE', `/api/webhooks/${w.id}`), t('webhooks.removed'));
                  }}
                >
                  {t('webhooks.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && log && (
        <table data-testid="webhook-log">
          <caption>{t('webhooks.logTitle', { url: items?.find((w) => w.id === open)?.url ?? '' })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('webhooks.event')}</th>
              <th scope="col">{t('webhooks.occurred')}</th>
              <th scope="col">{t('webhooks.state')}</th>
              <th scope="col">{t('webhooks.attempts')}</th>
              <th scope="col">{t('webhooks.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {log.length === 0 && (
              <tr>
                <td colSpan={5}>{t('webhooks.noDeliveries')}</td>
              </tr>
            )}
            {log.map((d) => (
              <tr key={d.id}>
                <td>
                  {t(`webhookEvent.${d.type}`)} <code>{d.type}</code>
                </td>
                <td>{formatDateTime(d.occurredAt, lang)}</td>
                <td>
                  {t(`webhookDelivery.${d.status}`)}
                  {d.status === 'pending' && d.nextAttemptAt
                    ? ` · ${t('webhooks.nextAttempt', { at: formatDateTime(d.nextAttemptAt, lang) })}`
                    : ''}
                </td>
                <td>
                  <ol className="attempts">
                    {d.log.map((a) => (
                      <li key={a.attempt}>
                        {formatDateTime(a.at, lang)} · {a.statusCode ?? '—'} · {a.durationMs} ms
                        {a.error ? ` · ${a.error}` : ''}
                      </li>
                    ))}
                  </ol>
                </td>
                <td>
                  {d.status !== 'pending' && (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() =>
                        void act(
                          () => api('POST', `/api/webhooks/${open}/deliveries/${d.id}/redeliver`, {}),
                          t('webhooks.redelivered'),
                        )
                      }
                    >
                      {t('webhooks.redeliver')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
