import { useI18n, type Lang } from '../i18n/i18n.js';

export function LanguageSwitch({ onLang }: { onLang: (lang: Lang) => void }) {
  const { lang, t } = useI18n();
  return (
    <div className="lang-switch" role="group" aria-label={t('lang.label')}>
      {(['ko', 'en'] as const).map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={lang === l} onClick={() => onLang(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
