import { PlanPanel } from '../settlement/PlanView.js';
import { useI18n } from '../i18n/i18n.js';

/**
 * The worker's family plan on their phone (issue 19): their own plan (they may choose the goal), the PDF, and the
 * overseas-Korean network near their site. The plan and the directory are kept on the phone for offline reading.
 */
export function FamilyPage() {
  const { t } = useI18n();
  return (
    <section className="page family-page">
      <h1>{t('settlement.familyTitle')}</h1>
      <PlanPanel
        url="/api/me/plan"
        pdfUrl="/api/me/plan.pdf"
        canChangeGoal
        directoryUrl="/api/me/directory"
      />
    </section>
  );
}
