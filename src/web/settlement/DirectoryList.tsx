import type { Directory } from '../../contract/settlement.js';
import { useI18n } from '../i18n/i18n.js';
import './settlement.css';

/**
 * The overseas-Korean network near a site (issue 19): the consulate of jurisdiction first, then associations,
 * weekend schools, doctors, counsel, interpreters, housing help and mentor families; each with who verified it
 * and when, fictional entries marked.
 */
export function DirectoryList({
  directory,
  onRemove,
}: {
  directory: Directory;
  onRemove?: (id: string) => void;
}) {
  const { t, lang } = useI18n();
  return (
    <section className="directory" aria-labelledby="directory-title">
      <h2 id="directory-title">{t('directory.title', { site: directory.siteName })}</h2>
      <p className="muted">{t('directory.intro')}</p>
      {directory.items.length === 0 ? (
        <p className="muted">{t('directory.empty')}</p>
      ) : (
        <ul className="directory-list">
          {directory.items.map((e) => (
            <li key={e.id} className={`directory-entry directory-${e.kind}`}>
              <p>
                <span className="badge">{t(`directoryKind.${e.kind}`)}</span> <strong>{e.name[lang]}</strong>{' '}
                {e.fictional && <span className="badge badge-verify">{t('directory.fictional')}</span>}
                {e.status === 'verify' && (
                  <span className="badge badge-verify">{t('settlement.verify')}</span>
                )}
              </p>
              {e.description && <p>{e.description[lang]}</p>}
              <p className="directory-contact">
                {e.phone && <a href={`tel:${e.phone}`}>{e.phone}</a>}
                {e.email && <a href={`mailto:${e.email}`}>{e.email}</a>}
                {e.website && (
                  <a href={e.website} rel="noreferrer noopener" target="_blank">
                    {e.website.replace(/^https:\/\//, '')}
                  </a>
                )}
                {e.address && <span>{e.address}</span>}
              </p>
              <p className="muted">
                {t('directory.verified', { date: e.verifiedOn, by: e.verifiedBy })}
                {onRemove && !e.official && (
                  <>
                    {' '}
                    <button type="button" className="button-link" onClick={() => onRemove(e.id)}>
                      {t('directory.remove')}
                    </button>
                  </>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
