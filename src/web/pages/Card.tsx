import { useEffect, useMemo, useState } from 'react';
import QRCode from 'qrcode';
import { translate, useBothCatalogs, useI18n, type Lang } from '../i18n/i18n.js';
import { Link } from '../router.js';
import type { Me, OrganizationContacts } from '../../contract/api.js';
import { api } from '../api.js';
import {
  decodeCardClaims,
  NOT_GOVERNMENT,
  safeDecode,
  storeCard,
  storeContacts,
  storedCard,
  storedContacts,
  verifyUrl,
  type KeptContacts,
} from '../presence/card.js';
import { ClaimList, PublicShell } from './Verify.js';
import { useRequest } from './pipeline-form.js';
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
  const bilingual = useBothCatalogs();
  useOfflineShell();
  const fromPath = rest ? safeDecode(rest) : '';
  const [fresh, setFresh] = useState<string | null>(null);
  const token = useMemo(() => fresh || fromPath || storedCard() || '', [fresh, fromPath]);
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
              {bilingual && (
                <span className="muted" lang={lang === 'ko' ? 'en' : 'ko'}>
                  · {translate(lang === 'ko' ? 'en' : 'ko', 'card.heading')}
                </span>
              )}
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
      <OwnCard
        onToken={(next) => {
          storeCard(next);
          setFresh(next);
        }}
      />
      <p>
        <Link href="/">{t('card.home')}</Link>
      </p>
    </PublicShell>
  );
}

/**
 * For a worker signed in on this phone (online): take a fresh card of their own, and keep the employer's counsel
 * and emergency contacts beside the card so they show offline too. Signed out or offline, it shows only the kept
 * contacts; nothing here is part of the signed card.
 */
function OwnCard({ onToken }: { onToken: (token: string) => void }) {
  const { t, lang } = useI18n();
  const [me, setMe] = useState<Me | null>(null);
  const [contacts, setContacts] = useState<KeptContacts | null>(storedContacts);
  const { busy, problem, run } = useRequest();
  useEffect(() => {
    if (!navigator.onLine) return;
    let live = true;
    api<Me>('GET', '/api/me')
      .then(async (who) => {
        if (!live || who.user.role !== 'worker' || !who.organization) return;
        setMe(who);
        const list = await api<OrganizationContacts>(
          'GET',
          `/api/organizations/${who.organization.id}/contacts`,
        );
        const kept: KeptContacts = {
          organizationName: list.organizationName,
          items: list.items.map((c) => ({
            kind: c.kind,
            name: c.name,
            firm: c.firm,
            phone: c.phone,
            hours: c.hours,
          })),
        };
        storeContacts(kept);
        if (live) setContacts(kept);
      })
      .catch(() => undefined); // signed out or offline: the kept contacts stay
    return () => {
      live = false;
    };
  }, []);
  const take = () =>
    run(
      () => api<{ token: string }>('POST', '/api/workers/me/cards'),
      (issued) => onToken(issued.token),
    );
  const emergency = contacts?.items.filter((c) => c.kind === 'emergency') ?? [];
  const counsel = contacts?.items.filter((c) => c.kind === 'counsel') ?? [];
  return (
    <>
      {me && (
        <div className="card-own">
          <button type="button" className="button-primary" disabled={busy} onClick={take}>
            {busy ? t('app.loading') : t('card.takeOwn')}
          </button>
          <p className="muted">{t('card.takeOwnHelp')}</p>
          <div aria-live="polite">
            {problem && (
              <p className="notice notice-error" role="alert">
                {problem.text(lang)}
              </p>
            )}
          </div>
        </div>
      )}
      <section className="card-contacts" aria-labelledby="card-contacts-title">
        <h2 id="card-contacts-title">{t('card.whomToCall')}</h2>
        <p>
          <strong>{t('roster.emergency911')}</strong>
        </p>
        {contacts && (
          <>
            <p className="muted">{t('card.contactsFrom', { organization: contacts.organizationName })}</p>
            <ul>
              {[...emergency, ...counsel].map((c, i) => (
                <li key={i}>
                  <strong>
                    {c.kind === 'emergency' ? t('roster.emergencyContact') : t('roster.counsel')}
                  </strong>
                  {': '}
                  {c.name}
                  {c.firm && <> ({c.firm})</>} —{' '}
                  <a href={`tel:${c.phone.replace(/[^0-9+]/g, '')}`}>{c.phone}</a>
                  {c.hours && <> · {c.hours}</>}
                </li>
              ))}
            </ul>
            {emergency.length === 0 && counsel.length === 0 && (
              <p className="muted">{t('roster.notOnFile')}</p>
            )}
          </>
        )}
      </section>
    </>
  );
}
