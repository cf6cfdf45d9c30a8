import { useState, type FormEvent } from 'react';
import type { Me } from '../../contract/api.js';
import { api, ApiProblem } from '../api.js';
import { useI18n, type Lang } from '../i18n/i18n.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';

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
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      onSignedIn(await api<Me>('POST', '/api/auth/login', { email, password }));
    } catch (error) {
      setProblem(
        error instanceof ApiProblem
          ? error
          : new ApiProblem(0, 'unexpected', { en: t('error.unexpected'), ko: t('error.unexpected') }),
      );
    } finally {
      setBusy(false);
    }
  };

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
        <h1>{t('auth.title')}</h1>
        <form onSubmit={(e) => void submit(e)} noValidate>
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
          {problem && (
            <p className="error" role="alert">
              {problem.text(lang)}
              {problem.code === 'auth.throttled' && problem.retryAfter
                ? ` ${t('auth.retryAfter', { minutes: Math.max(1, Math.ceil(problem.retryAfter / 60)) })}`
                : ''}
            </p>
          )}
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('auth.submitting') : t('auth.submit')}
          </button>
        </form>
        <p className="hint">{t('auth.demoHint')}</p>
      </main>
      <footer className="footer">{t('app.disclaimer')}</footer>
    </div>
  );
}
