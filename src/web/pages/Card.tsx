import { useEffect, useMemo, useState } from 'react';
import QRCode from 'qrcode';
import { translate, useI18n, type Lang } from '../i18n/i18n.js';
import { Link } from '../router.js';
import {
  decodeCardClaims,
  NOT_GOVERNMENT,
  safeDecode,
  storeCard,
  storedCard,
  verifyUrl,
} from '../presence/card.js';
import { ClaimList, PublicShell } from './Verify.js';
import './presence.css';

/** Registers the service worker that keeps the app shell for offline use, and the web app manifest. */
function useOfflineShell(): void {
  useEffect(() => {
    if (!document.querySelector('link[rel="manifest"]')) {
      const link = document.createElement('link');
      link.rel = 'manifest';
      link.href = '/manifest.webmanifest';
      document.head.appendChild(link);
    }
    if ('serviceWorker' in navigator && window.isSecureContext) {
      navigator.serviceWorker.register('/sw.js').catch(() => undefined);
    }
  }, []);
}

/**
 * `/card` and `/card/TOKEN` (no sign-in needed, so it shows offline): the worker's signed status card, read
 * from the token (the path, else the last one kept on this device), with a QR code of its verify link.
 */
export function CardPage({ onLang, rest }: { onLang: (lang: Lang) => void; rest: string }) {
  const { t, lang } = useI18n();
  useOfflineShell();
  const fromPath = rest ? safeDecode(rest) : '';
  const token = useMemo(() => fromPath || storedCard() || '', [fromPath]);
  useEffect(() => {
    // Keep a readable card from a link on this device, so /card shows it later, offline too.
    if (fromPath && decodeCardClaims(fromPath)) storeCard(fromPath);
  }, [fromPath]);
  const claims = token ? decodeCardClaims(token) : null;
  const url = token ? verifyUrl(window.location.origin, token) : '';
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    if (!url) return;
    let live = true;
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 }).then(
      (svg) => live && setQr(svg),
      () => live && setQr(null),
    );
    return () => {
      live = false;
    };
  }, [url]);
  useEffect(() => {
    document.title = `${t('card.title')} · ${t('app.name')}`;
  }, [t]);

  const expired = claims?.exp !== undefined && claims.exp * 1000 < Date.now();
  return (
    <PublicShell onLang={onLang}>
      <h1>{t('card.title')}</h1>
      {!token ? (
        <div className="notice">
          <p>{t('card.none')}</p>
          <p>{t('card.noneHow')}</p>
        </div>
      ) : !claims ? (
        <p className="notice notice-error" role="alert">
          {t('card.unreadable')}
        </p>
      ) : (
        <>
          {expired && (
            <p className="notice notice-warning" role="alert">
              {t('card.expired')}
            </p>
          )}
          <article className="status-card" aria-labelledby="card-heading" lang={lang}>
            <h2 id="card-heading">
              {t('card.heading')}{' '}
              <span className="muted" lang={lang === 'ko' ? 'en' : 'ko'}>
                · {translate(lang === 'ko' ? 'en' : 'ko', 'card.heading')}
              </span>
            </h2>
            <ClaimList claims={claims} />
            {qr ? (
              <img
                className="card-qr"
                src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qr)}`}
                alt={t('card.qrAlt')}
                data-testid="card-qr"
              />
            ) : (
              <p className="muted">{t('app.loading')}</p>
            )}
            <p>
              <a href={url}>{t('card.verifyLink')}</a>
            </p>
            <p className="notice">
              {(claims.notice ?? NOT_GOVERNMENT).en}
              <br />
              <span lang="ko">{(claims.notice ?? NOT_GOVERNMENT).ko}</span>
            </p>
          </article>
          <p className="muted">{t('card.offline')}</p>
        </>
      )}
      <p>
        <Link href="/">{t('card.home')}</Link>
      </p>
    </PublicShell>
  );
}
