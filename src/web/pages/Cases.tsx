import type { Me } from '../../contract/api.js';
import { CaseBoardPage } from '../cases/Board.js';
import { CasePage } from '../cases/CasePage.js';
import { LeadTimesPage } from '../cases/LeadTimes.js';
import { useI18n } from '../i18n/i18n.js';

/** `/cases` (the board), `/cases/stats` (lead times), `/cases/{id}` (one case). */
export function CasesModule({ me, rest }: { me: Me; rest: string }) {
  const { t } = useI18n();
  if (rest === '') return <CaseBoardPage me={me} />;
  if (rest === 'stats') {
    return me.capabilities.includes('stats.read') ? (
      <LeadTimesPage me={me} />
    ) : (
      <section className="page">
        <h1>{t('error.forbiddenTitle')}</h1>
        <p>{t('error.forbidden')}</p>
      </section>
    );
  }
  return <CasePage key={rest} me={me} id={rest} />;
}
