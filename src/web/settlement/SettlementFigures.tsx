import type { SettlementAggregates } from '../../contract/settlement.js';
import { useResource } from '../data.js';
import { useI18n } from '../i18n/i18n.js';

/** The working group's settlement figures (issue 19) on the console: counts only, small cells hidden. */
export function SettlementFigures() {
  const { t } = useI18n();
  const { data } = useResource<SettlementAggregates>('/api/console/settlement');
  if (!data) return null;
  const n = (v: number | null) =>
    v === null ? t('settlement.figures.hidden', { n: data.smallCell }) : String(v);
  return (
    <section className="console-figure" aria-labelledby="fig-settlement" data-testid="console-settlement">
      <h2 id="fig-settlement">{t('settlement.figures.title')}</h2>
      <p className="help">{t('settlement.figures.intro')}</p>
      <dl className="tiles">
        <div className="tile">
          <dt>{t('settlement.figures.families')}</dt>
          <dd>{n(data.families)}</dd>
        </div>
        <div className="tile">
          <dt>{t('settlement.figures.permanent')}</dt>
          <dd>{n(data.familiesOnPermanentPath)}</dd>
        </div>
      </dl>
      <div className="console-tables">
        <table>
          <caption>{t('settlement.figures.byRoute')}</caption>
          <tbody>
            {data.byRoute.map((r) => (
              <tr key={r.route}>
                <th scope="row">{t(`planRoute.${r.route}`)}</th>
                <td>{n(r.families)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>{t('settlement.figures.schoolAge')}</caption>
          <tbody>
            {data.childrenOfSchoolAgeByState.map((r) => (
              <tr key={r.state}>
                <th scope="row">{r.state}</th>
                <td>{n(r.children)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table>
          <caption>{t('settlement.figures.greenCards')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('settlement.figures.year')}</th>
              <th scope="col">{t('settlement.figures.workers')}</th>
              <th scope="col">{t('settlement.figures.dependents')}</th>
            </tr>
          </thead>
          <tbody>
            {data.expectedGreenCardsByYear.map((r) => (
              <tr key={r.year}>
                <th scope="row">{r.year}</th>
                <td>{n(r.workers)}</td>
                <td>{n(r.dependents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
