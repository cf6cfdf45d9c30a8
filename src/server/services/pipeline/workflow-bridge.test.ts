import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadWorkflows, planCase, slaStatus } from '../../../core/workflows/index.js';
import { summarySla } from './workflow-bridge.js';

const DAY = 86_400_000;
const workflows = [...loadWorkflows().workflows.values()];

describe('summarySla (the board’s fast path)', () => {
  it('always agrees with the core’s slaStatus at the case level', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: workflows.length - 1 }),
        fc.integer({ min: 0, max: 40 }), // which stage (clamped)
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) }), // opened
        fc.integer({ min: -30, max: 400 }), // assignment start, days after opening
        fc.integer({ min: 0, max: 300 }), // stage entered, days after opening
        fc.integer({ min: 0, max: 300 }), // now, days after entering
        fc.constantFrom('open', 'open', 'open', 'admitted', 'withdrawn', 'refused'),
        (w, stageIndex, opened, startOffset, enteredOffset, nowOffset, status) => {
          const workflow = workflows[w]!;
          const assignmentStart = new Date(opened + startOffset * DAY).toISOString().slice(0, 10);
          const plan = planCase(workflow, { openedAt: new Date(opened), assignmentStart });
          const stage =
            status === 'admitted'
              ? 'admitted'
              : status === 'open'
                ? workflow.stages[Math.min(stageIndex, workflow.stages.length - 2)]!.id
                : status;
          const entered = new Date(opened + enteredOffset * DAY + 3_600_000);
          const now = new Date(entered.getTime() + nowOffset * DAY);
          const visit = {
            enteredAt: entered.toISOString(),
            leftAt: null,
            enteredBy: 'x',
            assignee: null,
            comments: [],
          };
          const full = slaStatus(
            plan,
            {
              stage,
              status: status as 'open',
              closedAt: status === 'open' ? null : entered.toISOString(),
              stages: status === 'open' || status === 'admitted' ? { [stage]: [visit] } : {},
            },
            now,
          );
          const fast = summarySla(
            plan,
            {
              stage,
              status: status as 'open',
              stageEnteredAt: entered,
              closedAt: status === 'open' ? null : entered,
            },
            now,
          );
          expect(fast).toEqual({ sla: full.sla, daysLate: full.daysLate });
        },
      ),
      { numRuns: 3000 },
    );
  });
});
