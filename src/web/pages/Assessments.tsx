import type { Me } from '../../contract/api.js';
import type { CategoryId } from '../../contract/assessment.js';
import { LoadProblem, Loading } from '../components/feedback.js';
import { useResource, useRulesCatalog } from '../data.js';
import { formatDateTime, useI18n } from '../i18n/i18n.js';
import { Link } from '../router.js';
import { AssessmentResult } from './AssessmentResult.js';
import { AssessmentWizard } from './AssessmentWizard.js';

interface AssessmentSummary {
  id: string;
  createdAt: string;
  asOf: string;
  recommended: CategoryId | null;
  rulesVersion: string;
}

/** `/assessments` (the list), `/assessments/new` (the wizard), `/assessments/:id` (a result). */
export function AssessmentsModule({ me, rest }: { me: Me; rest: string }) {
  const { t } = useI18n();
  const canCreate = me.capabilities.includes('assessments.create');
  if (rest === '') return <AssessmentList canCreate={canCreate} />;
  if (rest === 'new') {
    return canCreate ? (
      <AssessmentWizard />
    ) : (
      <section className="page">
        <h1>{t('error.forbiddenTitle')}</h1>
        <p>{t('error.forbidden')}</p>
      </section>
    );
  }
  return <AssessmentResult id={rest} me={me} />;
}

function AssessmentList({ canCreate }: { canCreate: boolean }) {
  const { t, lang } = useI18n();
  const list = useResource<{ items: AssessmentSummary[] }>('/api/assessments');
  const catalog = useRulesCatalog();
  const name = (id: CategoryId | null) =>
    id === null
      ? t('result.noRecommendationShort')
      : (catalog.data?.categories.find((c) => c.id === id)?.name[lang] ?? id);
  return (
    <section aria-labelledby="assessments-title" className="page">
      <div className="page-head">
        <h1 id="assessments-title">{t('assessments.title')}</h1>
        {canCreate && (
          <div className="page-actions">
            <Link href="/assessments/new" className="button-primary">
              {t('assessments.new')}
            </Link>
          </div>
        )}
      </div>
      <p className="lead">{t('assessments.intro')}</p>
      {list.problem && <LoadProblem problem={list.problem} />}
      {!list.data && !list.problem && <Loading />}
      {list.data && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="assessments-past">
          <table>
            <caption id="assessments-past">{t('assessments.past')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('assessments.created')}</th>
                <th scope="col">{t('result.asOf')}</th>
                <th scope="col">{t('result.recommended')}</th>
                <th scope="col">{t('result.rulesVersion')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.length === 0 && (
                <tr>
                  <td colSpan={4} className="empty">
                    {canCreate ? t('assessments.emptyCreate') : t('assessments.empty')}
                  </td>
                </tr>
              )}
              {list.data.items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link href={`/assessments/${a.id}`}>{formatDateTime(a.createdAt, lang)}</Link>
                  </td>
                  <td>{a.asOf}</td>
                  <td>{name(a.recommended)}</td>
                  <td>
                    <code>{a.rulesVersion}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
