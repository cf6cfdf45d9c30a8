import { beforeAll, describe, expect, it } from 'vitest';
import { activityStatuses, verdicts } from '../../contract/assessment.js';
import { parameterUnits } from '../../contract/rules-catalog.js';
import { questions, steps } from '../assessment/wizard.js';
import { hasMessage, loadCatalog } from './i18n.js';
import { modules } from '../modules.js';

/** Keys the screens build at run time (`wizard.q.${id}.label`) exist, so no raw key ever reaches a reader. */
describe('message keys built from codes', () => {
  beforeAll(() => Promise.all([loadCatalog('en'), loadCatalog('ko')]));
  const missing = (list: string[]) => list.filter((k) => !hasMessage(k));

  it('cover every question, option and step of the assessment wizard', () => {
    const wanted: string[] = [];
    for (const q of questions) {
      wanted.push(`wizard.q.${q.id}.label`);
      if (q.help || q.kind.type === 'activities') wanted.push(`wizard.q.${q.id}.help`);
      const kind = q.kind;
      if (kind.type === 'select' || kind.type === 'radio')
        wanted.push(...kind.options.map((o) => `${kind.optionKey}.${o}`));
    }
    for (const s of steps) wanted.push(`wizard.step.${s}`, `wizard.stepIntro.${s}`);
    expect(missing(wanted)).toEqual([]);
  });

  it('cover every verdict, activity status, parameter unit and module', () => {
    expect(
      missing([
        ...verdicts.map((v) => `verdict.${v}`),
        ...activityStatuses.map((s) => `activityStatus.${s}`),
        ...parameterUnits.map((u) => `unit.${u}`),
        ...modules.flatMap((m) => [m.label, ...(m.description ? [m.description] : [])]),
      ]),
    ).toEqual([]);
  });
});
