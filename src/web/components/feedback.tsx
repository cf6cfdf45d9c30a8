import type { ApiProblem } from '../api.js';
import { useI18n } from '../i18n/i18n.js';

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {t('app.loading')}
    </p>
  );
}

export function LoadProblem({ problem }: { problem: ApiProblem }) {
  const { lang } = useI18n();
  return (
    <p className="error notice notice-error" role="alert">
      {problem.text(lang)}
    </p>
  );
}

/** A fact the record does not hold yet (an imported roster without it): said in words, never left blank. */
export function NotRecorded() {
  const { t } = useI18n();
  return <span className="muted">{t('workers.notRecorded')}</span>;
}
