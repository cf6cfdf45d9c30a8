import { describe, expect, it } from 'vitest';
import { contractExampleRequest } from '../../contract/assessment-example.js';
import { activityIds, type ActivityId, type AssessmentRequest } from '../../contract/assessment.js';
import { letterActivitiesByProvision, letterProvisions } from '../../contract/letters.js';
import { assess, loadRules } from '../../core/rules/index.js';

/**
 * The activities a support letter may state (contract/letters.ts) must be activities the guidelines engine
 * permits to a B-1 visitor under that provision: a letter may never claim more than the rules allow.
 */
const rules = loadRules();

function b1Status(activity: ActivityId, contractRequiresSellerService: boolean) {
  const request: AssessmentRequest = {
    ...contractExampleRequest,
    assignment: {
      ...contractExampleRequest.assignment,
      activities: [activity],
      contractRequiresSellerService,
    },
  };
  const b1 = assess(request, rules).results.find((result) => result.category === 'B1');
  return { status: b1?.activities[activity], provision: b1?.provision };
}

describe('letter activities agree with the guidelines engine', () => {
  for (const provision of letterProvisions) {
    for (const activity of letterActivitiesByProvision[provision]) {
      it(`${provision}: ${activity} is permitted to a B-1 visitor`, () => {
        // The trainer provision does not rely on a contract of sale; the installer one does.
        const { status } = b1Status(activity, provision === 'installer');
        expect(status).toBe('permitted');
      });
    }
  }

  it('never lets a letter state an activity the rules forbid even under the installer provision', () => {
    const allowed = new Set<ActivityId>(Object.values(letterActivitiesByProvision).flat());
    const forbidden = activityIds.filter((activity) => b1Status(activity, true).status === 'not_permitted');
    expect(forbidden).toEqual(expect.arrayContaining(['construction_work', 'production_work']));
    for (const activity of forbidden) expect(allowed.has(activity)).toBe(false);
  });
});
