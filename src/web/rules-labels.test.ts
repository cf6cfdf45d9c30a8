import { describe, expect, it } from 'vitest';
import { describeRules, loadRules } from '../core/rules/index.js';
import { activityLabels, activityName } from './rules-labels.js';

/** The map the web bundle carries, as the rules catalog (`GET /api/rules`) describes the activities. */
function expectedMap(): { activities: Record<string, { en: string; ko: string }> } {
  const catalog = describeRules(loadRules());
  return {
    activities: Object.fromEntries(catalog.activities.map((a) => [a.id, { en: a.label.en, ko: a.label.ko }])),
  };
}

describe('activity names bundled into the web app', () => {
  const expected = expectedMap();

  it('are the rules catalog’s labels, every activity, nothing else (regenerate: vitest run this file --update)', async () => {
    await expect(`${JSON.stringify(expected, null, 2)}\n`).toMatchFileSnapshot('./rules-labels.json');
    expect(activityLabels).toEqual(expected.activities);
  });

  it('name an activity in either language and fall back to the id for unknown ones', () => {
    expect(activityName('equipment_installation', 'en')).toBe('Installing equipment');
    expect(activityName('equipment_installation', 'ko')).toBe('장비 설치');
    expect(activityName('unheard_of_activity', 'ko')).toBe('unheard_of_activity');
    expect(activityName('toString', 'en')).toBe('toString');
  });
});
