import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem, asProblem } from '../api.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { LoadProblem } from '../components/feedback.js';
import { useI18n, type Lang } from '../i18n/i18n.js';
import { NOT_GOVERNMENT, tokenFrom, type CardClaims } from '../presence/card.js';
import { activityName } from '../rules-labels.js';
import './presence.css';

interface VerifyResult {
  valid: boolean;
  reason: string | null;
  message: { en: string; ko: string };
  claims: CardClaims | null;
}

/** The frame of the pages anyone may open without signing in: the status card and its verification. */
export function PublicShell({ onLang, children }: { onLang: (lang: Lang) => void; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="public-page">
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header>
        <strong>{t('app.name')}</strong>
        <LanguageSwitch onLang={onLang} />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}

/** The claims of a card as a definition list, in the current language. */
export function ClaimList({ claims }: { claims: CardClaims }) {
  const { t, lang } = useI18n();
  const date = (seconds: number | undefined) =>
    seconds === undefined
      ? '—'
      : new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
  const annotation = claims.annotation
    ? [claims.annotation.company, claims.annotation.facility, claims.annotation.project]
        .filter(Boolean)
        .join(' / ')
    : null;
  return (
    <dl>
      <dt>{t('card.name')}</dt>
      <dd>
        <span lang="ko">{claims.names?.hangul ?? '—'}</span>
        <br />
        {claims.names?.romanized ?? '—'}
      </dd>
      <dt>{t('card.employer')}</dt>
      <dd>{claims.employer ?? '—'}</dd>
      <dt>{t('card.site')}</dt>
      <dd>{claims.site ?? '—'}</dd>
      <dt>{t('card.project')}</dt>
      <dd>{claims.project ?? '—'}</dd>
      <dt>{t('card.class')}</dt>
      <dd>
        {claims.classOfAdmission ?? '—'}
        {claims.classLabel ? ` (${claims.classLabel[lang]})` : ''}
      </dd>
      <dt>{t('card.admittedOn')}</dt>
      <dd>{claims.admittedOn ?? '—'}</dd>
      <dt>{t('card.admitUntil')}</dt>
      <dd>{claims.admitUntil ?? '—'}</dd>
      <dt>{t('card.activities')}</dt>
      <dd>
        {claims.permittedActivities && claims.permittedActivities.length > 0 ? (
          <ActivityNames ids={claims.permittedActivities} />
        ) : (
          t('card.noActivities')
        )}
      </dd>
      {annotation && (
        <>
          <dt>{t('card.annotation')}</dt>
          <dd>{annotation}</dd>
        </>
      )}
      <dt>{t('card.issued')}</dt>
      <dd>{date(claims.iat)}</dd>
      <dt>{t('card.expires')}</dt>
      <dd>{date(claims.exp)}</dd>
    </dl>
  );
}

/**
 * The permitted activities of a card by name, from the map bundled into the app (no rules catalog needed, so
 * it works offline and signed out): the current language first, then the other one for whoever checks the
 * card on site. An activity the map does not know shows as its id.
 */
function ActivityNames({ ids }: { ids: readonly string[] }) {
  const { lang } = useI18n();
  const other = lang === 'ko' ? 'en' : 'ko';
  return (
    <ul className="card-activities" data-testid="card-activities">
      {ids.map((id) => {
        const here = activityName(id, lang);
        const there = activityName(id, other);
        return (
          <li key={id}>
            {here}
            {there !== here && (
              <>
                {' · '}
                <span lang={other}>{there}</span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** `/verify#TOKEN` (public): asks the server whether a status card is genuine and current. */
export function VerifyPage({ onLang }: { onLang: (lang: Lang) => void }) {
  const { t, lang } = useI18n();
  const [text, setText] = useState(() => tokenFrom(window.location.hash.slice(1)));
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const check = useCallback((token: string) => {
    if (!token) return;
    setBusy(true);
    setProblem(null);
    api<VerifyResult>('POST', '/api/cards/verify', { token }).then(
      (r) => {
        setBusy(false);
        setResult(r);
      },
      (e: unknown) => {
        setBusy(false);
        setResult(null);
        setProblem(asProblem(e));
      },
    );
  }, []);

  useEffect(() => {
    document.title = `${t('verify.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    const fromHash = () => {
      const token = tokenFrom(window.location.hash.slice(1));
      if (token) {
        setText(token);
        check(token);
      }
    };
    fromHash();
    window.addEventListener('hashchange', fromHash);
    return () => window.removeEventListener('hashchange', fromHash);
  }, [check]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    check(tokenFrom(text));
  };

  return (
    <PublicShell onLang={onLang}>
      <h1>{t('verify.title')}</h1>
      <p>{t('verify.intro')}</p>
      <form onSubmit={submit} aria-label={t('verify.formLabel')}>
        <label htmlFor="verify-token">{t('verify.paste')}</label>
        <textarea
          id="verify-token"
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          required
        />
        <button type="submit" className="button-primary" disabled={busy}>
          {t('verify.check')}
        </button>
      </form>
      <div aria-live="polite">
        {busy && <p role="status">{t('verify.checking')}</p>}
        {problem && <LoadProblem problem={problem} />}
        {result && !busy && (
          <section
            className={`verify-result ${result.valid ? 'verify-valid' : 'verify-invalid'}`}
            aria-labelledby="verify-outcome"
            data-testid="verify-result"
          >
            <h2 id="verify-outcome">
              <span aria-hidden="true">{result.valid ? '✔ ' : '✖ '}</span>
              {result.valid ? t('verify.valid') : t('verify.invalid')}
            </h2>
            <p>{result.message[lang]}</p>
            {!result.valid && result.reason && (
              <p>
                {t('verify.reasonLabel')}: <code>{result.reason}</code>
              </p>
            )}
            {result.valid && result.claims && <ClaimList claims={result.claims} />}
          </section>
        )}
      </div>
      <p className="notice">{NOT_GOVERNMENT[lang]}</p>
    </PublicShell>
  );
}
