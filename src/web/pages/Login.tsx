import { useEffect, useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import { api, ApiProblem, asProblem } from '../api.js';
import { hasMessage, loadCatalog, translate, useI18n, type Lang } from '../i18n/i18n.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';

interface Challenge {
  twoFactorRequired: true;
  challenge: string;
  expiresAt: string;
}

/**
 * Sign-in: e-mail and password, then the authenticator's code when the account has two-factor sign-in; or the
 * organization's single sign-on when the e-mail's domain has one (the button appears once the address is typed).
 */
export function LoginPage({
  onSignedIn,
  onLang,
}: {
  onSignedIn: (me: Me) => void;
  onLang: (lang: Lang) => void;
}) {
  const { lang, t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [sso, setSso] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  // A refused single sign-on comes back as `?sso=<code>`: its reason in both languages (both catalogs loaded).
  useEffect(() => {
    if (!new URLSearchParams(window.location.search).get('sso')) return;
    void Promise.all([loadCatalog('en'), loadCatalog('ko')]).then(() => setProblem(ssoProblemFromUrl()));
  }, []);

  // Whether the address signs in through its organization's provider (asked once the address looks complete).
  useEffect(() => {
    setSso(null);
    if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i.test(email.trim())) return;
    const timer = setTimeout(() => {
      api<{ available: boolean; organizationName: string | null }>(
        'GET',
        `/api/auth/sso?email=${encodeURIComponent(email.trim())}`,
      ).then(
        (r) => setSso(r.available ? (r.organizationName ?? '') : null),
        () => setSso(null),
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [email]);

  const run = async (call: () => Promise<Me | Challenge>) => {
    setBusy(true);
    setProblem(null);
    try {
      const result = await call();
      if ('twoFactorRequired' in result) setChallenge(result);
      else onSignedIn(result);
    } catch (error) {
      setProblem(asProblem(error));
      if (error instanceof ApiProblem && error.code === 'auth.two_factor_expired') {
        setChallenge(null);
        setCode('');
      }
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (event: FormEvent) => {
    event.preventDefault();
    void run(() => api<Me | Challenge>('POST', '/api/auth/login', { email, password }));
  };
  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    void run(() =>
      api<Me>('POST', '/api/auth/login/two-factor', { challenge: challenge!.challenge, code: code.trim() }),
    );
  };
  const startSso = () => {
    const returnTo = window.location.pathname.startsWith('/login') ? '/' : window.location.pathname;
    window.location.assign(
      `/api/auth/sso/start?email=${encodeURIComponent(email.trim())}&returnTo=${encodeURIComponent(returnTo)}`,
    );
  };

  const error = problem && (
    <p className="error" role="alert">
      {problem.text(lang)}
    </p>
  );

  return (
    <div className="login-page">
      <header className="login-header">
        <LanguageSwitch onLang={onLang} />
      </header>
      <main id="main" className="login-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">
            K
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <p className="tagline">{t('app.tagline')}</p>
        {challenge ? (
          <>
            <h1>{t('auth.twoFactorTitle')}</h1>
            <p>{t('auth.twoFactorIntro')}</p>
            <form onSubmit={submitCode} noValidate>
              <label htmlFor="code">{t('auth.code')}</label>
              <input
                id="code"
                name="code"
                inputMode="text"
                autoComplete="one-time-code"
                autoFocus
                required
                aria-describedby="code-hint"
                value={code}
                onChange={(e) => setCode(e.target.value)}
              />
              <p id="code-hint" className="hint">
                {t('auth.codeHint')}
              </p>
              {error}
              <button type="submit" className="button-primary" disabled={busy || code.trim().length < 6}>
                {busy ? t('auth.submitting') : t('auth.verify')}
              </button>
              <button
                type="button"
                className="button-link"
                onClick={() => {
                  setChallenge(null);
                  setCode('');
                  setProblem(null);
                }}
              >
                {t('auth.back')}
              </button>
            </form>
          </>
        ) : (
          <>
            <h1>{t('auth.title')}</h1>
            <form onSubmit={submitPassword} noValidate>
              <label htmlFor="email">{t('auth.email')}</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
              {sso !== null && (
                <div className="sso-offer" role="status">
                  <p>{t('auth.ssoAvailable', { organization: sso })}</p>
                  <button type="button" className="button-primary" onClick={startSso}>
                    {t('auth.ssoButton')}
                  </button>
                  <p className="hint">{t('auth.or')}</p>
                </div>
              )}
              <label htmlFor="password">{t('auth.password')}</label>
              <input
                id="password"
                name="password"
                type="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              {error}
              <button
                type="submit"
                className={sso !== null ? 'button-secondary' : 'button-primary'}
                disabled={busy}
              >
                {busy ? t('auth.submitting') : t('auth.submit')}
              </button>
            </form>
            <p className="hint">{t('auth.demoHint')}</p>
          </>
        )}
      </main>
      <footer className="footer">{t('app.disclaimer')}</footer>
    </div>
  );
}

/** A single sign-on that came back refused (`/login?sso=<code>`): its reason, in both languages. */
function ssoProblemFromUrl(): ApiProblem | null {
  const code = new URLSearchParams(window.location.search).get('sso');
  if (!code || !hasMessage(`auth.sso.${code}`)) return null;
  return new ApiProblem(401, code, {
    en: translate('en', `auth.sso.${code}`),
    ko: translate('ko', `auth.sso.${code}`),
  });
}
