import type { CasePlan, CaseSla, CaseState, SlaState, StageSla, Workflow } from '../../contract/workflow.js';
import { ADMITTED } from '../../contract/workflow.js';
import { addDays, daysBetween, isIsoDate, type IsoDate } from '../dates/index.js';

/**
 * Service-level clocks of a visa case.
 *
 * Days are CALENDAR days, counted on UTC dates (an instant's date is its UTC calendar day). Business days were
 * considered and rejected: the targets are our estimates (mostly `status: verify`) and a business-day count
 * would need the holiday calendars of Korea, the US federal government and each consulate; where a source
 * states working days (LCA: 7 working days) the YAML converts them to calendar days and says so.
 *
 * Plan (`planCase`): each stage gets a target date by which it should be finished; `admitted` gets the case's
 * target date. When the workflow's total target days fit between the opening date and the assignment start,
 * the plan works BACKWARDS from the assignment start: the worker should be admitted on the assignment start
 * date, each earlier stage finished `targetDays` of the following stage before that, so every date is the
 * latest that still meets the start and the spare days sit at the beginning (the first stage may wait).
 * When they do not fit (or the start is already past), the plan works FORWARD from the opening date, stage
 * after stage, and the case target date falls `shortfallDays` after the assignment start.
 *
 * Status (`slaStatus`) on a day `today`: a stage finished on or before its target date is `done`, after it
 * `late` (by the days between); the current stage and the stages still ahead are `late` once today is after
 * their target date (the target day itself is on time), `at_risk` when the projection (today or the planned
 * finish of the current stage, plus the target days of the stages in between) passes the target date or
 * fewer than max(1, ceil(20% of target days)) days are left on the current stage, else `on_track`.
 */

export function utcDateOf(instant: string | Date): IsoDate {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a valid instant: ${String(instant)}`);
  return date.toISOString().slice(0, 10);
}

export function planCase(
  workflow: Workflow,
  input: { openedAt: string | Date; assignmentStart: IsoDate },
): CasePlan {
  if (!isIsoDate(input.assignmentStart))
    throw new RangeError(`assignmentStart must be YYYY-MM-DD: ${input.assignmentStart}`);
  const openedOn = utcDateOf(input.openedAt);
  // A contingent stage (221(g)) is not planned for: it has no width here and adds nothing to the total.
  const width = (s: Workflow['stages'][number]) => (s.contingent ? 0 : s.targetDays);
  const planned = (s: Workflow['stages'][number], startDate: IsoDate, targetDate: IsoDate) => ({
    id: s.id,
    targetDays: s.targetDays,
    startDate,
    targetDate,
    ...(s.contingent ? { contingent: true } : {}),
  });
  const totalDays = workflow.stages.reduce((sum, s) => sum + width(s), 0);
  const availableDays = daysBetween(openedOn, input.assignmentStart);
  const fits = totalDays <= availableDays;
  const stages: CasePlan['stages'] = [];
  if (fits) {
    let due = input.assignmentStart;
    for (let k = workflow.stages.length - 1; k >= 0; k--) {
      const stage = workflow.stages[k]!;
      stages.unshift(planned(stage, addDays(due, -width(stage)), due));
      due = addDays(due, -width(stage));
    }
  } else {
    let start = openedOn;
    for (const stage of workflow.stages) {
      const due = addDays(start, width(stage));
      stages.push(planned(stage, start, due));
      start = due;
    }
  }
  const targetDate = stages[stages.length - 1]!.targetDate;
  return {
    workflowId: workflow.id,
    mode: fits ? 'backward' : 'forward',
    openedOn,
    assignmentStart: input.assignmentStart,
    totalDays,
    availableDays,
    fits,
    shortfallDays: fits ? 0 : totalDays - availableDays,
    targetDate,
    stages,
  };
}

/**
 * A plan made before the workflow gained a contingent stage (221(g), issue 17) gets it, with no width, after the
 * stage it follows in the workflow, so a case that enters it has a clock. Other plans are returned as they are.
 */
export function withContingentStages(plan: CasePlan, workflow: Workflow): CasePlan {
  const missing = workflow.stages.filter((s) => s.contingent && !plan.stages.some((p) => p.id === s.id));
  if (missing.length === 0) return plan;
  const stages = [...plan.stages];
  for (const stage of missing) {
    const k = workflow.stages.indexOf(stage);
    const previous = k > 0 ? stages.findIndex((p) => p.id === workflow.stages[k - 1]!.id) : -1;
    const at = previous >= 0 ? previous + 1 : 0;
    const date = previous >= 0 ? stages[previous]!.targetDate : plan.openedOn;
    stages.splice(at, 0, {
      id: stage.id,
      targetDays: stage.targetDays,
      startDate: date,
      targetDate: date,
      contingent: true,
    });
  }
  return { ...plan, stages };
}

/** Days before a stage's target date from which the current stage is `at_risk`. */
export function riskWindowDays(targetDays: number): number {
  return Math.max(1, Math.ceil(targetDays * 0.2));
}

function maxDate(a: IsoDate, b: IsoDate): IsoDate {
  return a > b ? a : b;
}

type SlaInput = Pick<CaseState, 'stage' | 'status' | 'stages' | 'closedAt'> & {
  /**
   * A deadline an official notice set on the current stage (an RFE's or a NOID's response date, issue 18): the
   * stage's clock instead of entered + target days, and the date its work is expected to be done.
   */
  currentDue?: IsoDate | null;
};

/** SLA of every stage of the plan and of the case on `now` (an instant; its UTC date counts). */
export function slaStatus(plan: CasePlan, state: SlaInput, now: string | Date): CaseSla {
  const today = utcDateOf(now);
  const current = plan.stages.findIndex((s) => s.id === state.stage);
  if (state.status === 'open' && current < 0)
    throw new RangeError(`stage ${state.stage} is not in the plan of ${plan.workflowId}`);
  const stages: StageSla[] = [];
  let projected: IsoDate | null = null;
  let lastReached = -1;
  plan.stages.forEach((s, k) => {
    if ((state.stages[s.id] ?? []).length > 0) lastReached = k;
  });

  plan.stages.forEach((planned, k) => {
    const visits = state.stages[planned.id] ?? [];
    const last = visits[visits.length - 1];
    // A contingent stage, once entered, has its own target: the day it was entered plus its target days.
    const noticeDue = k === current && state.status === 'open' ? (state.currentDue ?? null) : null;
    const ownTarget = noticeDue
      ? noticeDue
      : planned.contingent && last
        ? addDays(utcDateOf(last.enteredAt), planned.targetDays)
        : planned.targetDate;
    const base = { id: planned.id, targetDate: ownTarget };
    const finishedOn = (date: IsoDate): StageSla => {
      const late = Math.max(0, daysBetween(ownTarget, date));
      return {
        ...base,
        position: 'done',
        expectedDate: date,
        sla: late > 0 ? 'late' : 'done',
        daysLate: late,
      };
    };
    if (state.status !== 'open') {
      // Closed: stages reached are judged by when they were finished (admitted: reached); the rest are moot.
      if (!last) {
        const reachedLater = k < lastReached;
        stages.push({
          ...base,
          position: reachedLater ? 'skipped' : 'closed',
          expectedDate: null,
          sla: 'done',
          daysLate: 0,
        });
      } else if (planned.id === ADMITTED) stages.push(finishedOn(utcDateOf(last.enteredAt)));
      else stages.push(finishedOn(utcDateOf(last.leftAt ?? state.closedAt ?? last.enteredAt)));
      return;
    }
    if (k < current) {
      if (!last || last.leftAt === null)
        stages.push({ ...base, position: 'skipped', expectedDate: null, sla: 'done', daysLate: 0 });
      else stages.push(finishedOn(utcDateOf(last.leftAt)));
      return;
    }
    if (planned.contingent && k > current) {
      // Not entered and perhaps never will be: it neither delays the projection nor can be late.
      stages.push({ ...base, position: 'future', expectedDate: null, sla: 'on_track', daysLate: 0 });
      return;
    }
    let sla: SlaState;
    const daysLate = Math.max(0, daysBetween(ownTarget, today));
    if (k === current) {
      const entered = last ? utcDateOf(last.enteredAt) : plan.openedOn;
      projected = maxDate(today, noticeDue ?? addDays(entered, planned.targetDays));
      const left = daysBetween(today, ownTarget);
      sla =
        daysLate > 0
          ? 'late'
          : projected > ownTarget || left < riskWindowDays(planned.targetDays)
            ? 'at_risk'
            : 'on_track';
    } else {
      projected = addDays(projected!, planned.targetDays);
      sla = daysLate > 0 ? 'late' : projected > planned.targetDate ? 'at_risk' : 'on_track';
    }
    stages.push({
      ...base,
      position: k === current ? 'current' : 'future',
      expectedDate: projected,
      sla,
      daysLate,
    });
  });

  if (state.status !== 'open') {
    const admitted = stages[stages.length - 1]!;
    const daysLate = state.status === 'admitted' ? admitted.daysLate : 0;
    return { sla: 'done', daysLate, targetDate: plan.targetDate, stages };
  }
  const ahead = stages.slice(current);
  const daysLate = Math.max(0, ...ahead.map((s) => s.daysLate));
  const sla: SlaState = ahead.some((s) => s.sla === 'late')
    ? 'late'
    : ahead.some((s) => s.sla === 'at_risk')
      ? 'at_risk'
      : 'on_track';
  return { sla, daysLate, targetDate: plan.targetDate, stages };
}
