import { useEffect, useState, type FormEvent } from 'react';
import QRCode from 'qrcode';
import type { Me } from '../../contract/api.js';
import { api } from '../api.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { useRequest } from '../pages/pipeline-form.js';

interface Setup {
  secret: string;
  otpauthUri: string;
}

/**
 * Sign-in and security of the signed-in user: how this session signed in, and two-factor sign-in (TOTP) with its
 * recovery codes. When the organization requires two-factor sign-in of an administrator who has none yet, this is
 * the only page they can use (`enforced`).
 */
/** Fired when the signed-in user's own record changed (the app loads `/api/me` again). */
export const ME_CHANGED = 'korus:me-changed';
const onChanged = () => window.dispatchEvent(new Event(ME_CHANGED));

export function AccountPage({ me }: { me: Me }) {
  const { lang, t } = useI18n();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const request = useRequest();

  useEffect(() => {
    document.title = `${t('account.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    if (!setup) return setQr(null);
    let live = true;
    QRCode.toDataURL(setup.otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 200 }).then(
      (url) => live && setQr(url),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [setup]);

  const start = () => {
    setMessage(null);
    request.run(() => api<Setup>('POST', '/api/me/two-factor/setup'), setSetup);
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    request.run(
      () => api<{ recoveryCodes: string[] }>('POST', '/api/me/two-factor/confirm', { code: code.trim() }),
      (result) => {
        setSetup(null);
        setCode('');
        setRecoveryCodes(result.recoveryCodes);
      },
    );
  };
  const turnOff = (event: FormEvent) => {
    event.preventDefault();
    request.run(
      () => api('POST', '/api/me/two-factor/disable', { code: code.trim() }),
      () => {
        setCode('');
        setMessage(t('account.turnedOff'));
        onChanged();
      },
    );
  };
  const newCodes = () =>
    request.run(
      () =>
        api<{ recoveryCodes: string[] }>('POST', '/api/me/two-factor/recovery-codes', { code: code.trim() }),
      (result) => {
        setCode('');
        setRecoveryCodes(result.recoveryCodes);
      },
    );
  const download = () => {
    const text = `KORUS Mobility — ${me.user.email}\n${t('account.recoveryTitle')}\n\n${recoveryCodes!.join('\n')}\n`;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    link.download = 'korus-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const error = request.problem && (
    <p className="error" role="alert">
      {request.problem.text(lang)}
    </p>
  );

  return (
    <section className="page account-page" aria-labelledby="account-title">
      <h1 id="account-title">{t('account.title')}</h1>
      <p>{t('account.signedInWith', { method: t(`account.method.${me.signedInWith}`) })}</p>
      {me.twoFactor.mustEnroll && (
        <div className="notice notice-warning" role="alert">
          <p>{t('account.required')}</p>
        </div>
      )}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      <h2>{t('account.twoFactor')}</h2>
      {me.signedInWith === 'sso' ? (
        <p>{t('account.ssoManaged')}</p>
      ) : recoveryCodes ? (
        <div className="recovery-codes">
          <h3>{t('account.recoveryTitle')}</h3>
          <p>{t('account.recoveryIntro')}</p>
          <ol className="codes" data-testid="recovery-codes">
            {recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
          <div className="actions">
            <button type="button" className="button-secondary" onClick={download}>
              {t('account.download')}
            </button>
            <button
              type="button"
              className="button-primary"
              onClick={() => {
                setRecoveryCodes(null);
                onChanged();
              }}
            >
              {t('account.done')}
            </button>
          </div>
        </div>
      ) : setup ? (
        <form onSubmit={confirm} className="two-factor-setup" noValidate>
          <p>{t('account.step1')}</p>
          {qr && <img src={qr} width={200} height={200} alt={setup.otpauthUri} className="qr" />}
          <p>
            {t('account.secretKey')}: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <label htmlFor="totp-code">{t('account.step2')}</label>
          <input
            id="totp-code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          {error}
          <div className="actions">
            <button
              type="submit"
              className="button-primary"
              disabled={request.busy || code.trim().length < 6}
            >
              {t('account.confirm')}
            </button>
            <button type="button" className="button-link" onClick={() => setSetup(null)}>
              {t('account.cancel')}
            </button>
          </div>
        </form>
      ) : me.twoFactor.enabled ? (
        <>
          <p>{t('account.twoFactorOn')}</p>
          <form onSubmit={turnOff} noValidate>
            <label htmlFor="confirm-code">{t('account.codeToConfirm')}</label>
            <input
              id="confirm-code"
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
            {error}
            <div className="actions">
              <button
                type="button"
                className="button-secondary"
                disabled={request.busy || code.trim().length < 6}
                onClick={newCodes}
              >
                {t('account.newCodes')}
              </button>
              {!me.twoFactor.required && (
                <button
                  type="submit"
                  className="button-secondary"
                  disabled={request.busy || code.trim().length < 6}
                >
                  {t('account.turnOff')}
                </button>
              )}
            </div>
          </form>
        </>
      ) : (
        <>
          <p>{t('account.twoFactorOff')}</p>
          {error}
          <button type="button" className="button-primary" onClick={start} disabled={request.busy}>
            {t('account.setUp')}
          </button>
        </>
      )}
      {me.capabilities.includes('notifications.own') && !me.twoFactor.mustEnroll && <CalendarFeed />}
    </section>
  );
}

/**
 * The calendar feed (issue 18): a secret address of one's deadlines for a calendar application. Shown once when
 * made; making a new one or revoking ends the old one.
 */
function CalendarFeed() {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<{ active: boolean; createdAt: string | null } | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api<{ active: boolean; createdAt: string | null }>('GET', '/api/me/calendar').then(setStatus, () =>
      setStatus(null),
    );
  }, []);
  const make = () =>
    api<{ url: string; createdAt: string }>('POST', '/api/me/calendar', {}).then(
      (made) => {
        setUrl(made.url.startsWith('/') ? `${window.location.origin}${made.url}` : made.url);
        setStatus({ active: true, createdAt: made.createdAt });
      },
      () => setProblem(t('account.calendarFailed')),
    );
  const revoke = () =>
    api('DELETE', '/api/me/calendar').then(
      () => {
        setUrl(null);
        setStatus({ active: false, createdAt: null });
      },
      () => setProblem(t('account.calendarFailed')),
    );
  return (
    <section aria-labelledby="calendar-title" className="calendar-feed">
      <h2 id="calendar-title">{t('account.calendar')}</h2>
      <p className="help">{t('account.calendarHelp')}</p>
      {status?.active && status.createdAt && (
        <p>{t('account.calendarActive', { date: formatDateTime(status.createdAt, lang) })}</p>
      )}
      {url && (
        <p>
          <label className="field">
            <span>{t('account.calendarUrl')}</span>
            <input
              readOnly
              value={url}
              onFocus={(e) => e.currentTarget.select()}
              data-testid="calendar-url"
            />
          </label>
        </p>
      )}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <button type="button" className="button-secondary" onClick={() => void make()}>
          {status?.active ? t('account.calendarNew') : t('account.calendarMake')}
        </button>{' '}
        {status?.active && (
          <button type="button" className="button-secondary" onClick={() => void revoke()}>
            {t('account.calendarRevoke')}
          </button>
        )}
      </p>
    </section>
  );
}
