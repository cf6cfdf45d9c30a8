/**
 * The pipeline services' view of the dispatch workflows (rules/workflows/*.yaml and the pure core in
 * src/core/workflows): which workflow a case follows, which moves are allowed, the case plan and its SLA
 * state, mapped to the API's error codes and shapes. The rules live in the core; this module only adapts.
 */
import type { BilingualText, CategoryId, RequiredDocument } from '../../../contract/assessment.js';
import type { ErrorCode } from '../../../contract/errors.js';
import type {
  CasePlan,
  CaseSla,
  CaseState,
  CaseStatus,
  SlaState,
  Workflow,
} from '../../../contract/workflow.js';
import { dayNumber } from '../../../core/dates/index.js';
import {
  allowedTransitions,
  checklist,
  checkTransition,
  loadWorkflows,
  planCase,
  withContingentStages,
  replayEvents,
  riskWindowDays,
  slaStatus,
  stageTitle,
  workflowById as coreWorkflowById,
  workflowFor,
} from '../../../core/workflows/index.js';

export type { CasePlan, Workflow };

export function workflowById(id: string): Workflow {
  const workflow = coreWorkflowById(id, loadWorkflows());
  if (!workflow) throw new Error(`case refers to workflow ${id}, which is not in rules/workflows`);
  return workflow;
}

export function workflowForCase(
  category: CategoryId,
  provision: string | null,
  options: { embassyDesk: boolean; blanketL: boolean; e4Enacted: boolean },
): Workflow | undefined {
  return workflowFor(category, provision, options, loadWorkflows());
}

export function stageOf(workflow: Workflow, stage: string): { title: BilingualText } {
  return { title: stageTitle(workflow, stage) };
}

/** An English label for a stage id in statistics (the first workflow that has it). */
export function stageLabel(workflowId: string, stage: string): string {
  const workflow = coreWorkflowById(workflowId, loadWorkflows());
  return workflow ? stageTitle(workflow, stage).en : stage;
}

export function planFor(workflow: Workflow, openedAt: Date, assignmentStart: string): CasePlan {
  return planCase(workflow, { openedAt, assignmentStart });
}

const errorCodes: Record<string, ErrorCode> = {
  closed_case: 'pipeline.case_closed',
  skip_requires_override: 'pipeline.skip_requires_override',
};

export type Move =
  | { ok: true; kind: 'forward' | 'skip' | 'back' | 'exit'; override: boolean; status: CaseStatus }
  | { ok: false; code: ErrorCode; message: BilingualText };

export function checkMove(
  workflow: Workflow,
  current: { stage: string; status: CaseStatus },
  to: string,
  overrideReason?: string,
): Move {
  const check = checkTransition(
    workflow,
    current,
    to,
    overrideReason ? { override: { reason: overrideReason } } : {},
  );
  if (check.ok) return { ok: true, kind: check.kind, override: check.override, status: check.status };
  return {
    ok: false,
    code: errorCodes[check.error.code] ?? 'pipeline.illegal_transition',
    message: check.error.message,
  };
}

export function allowedMoves(workflow: Workflow, stage: string) {
  return allowedTransitions(workflow, { stage, status: 'open' });
}

/**
 * The SLA of a case for lists (the board, filters), from its row alone: the current stage, when it was entered,
 * and the plan. Earlier stages do not change the state of the case, only the current stage and those ahead do,
 * so this is `slaStatus` of the core restricted to the case level, on day numbers instead of date strings
 * (about 20 times faster, for boards of hundreds of cases; bench:pipeline). A property test checks that it
 * always agrees with `slaStatus` (workflow-bridge.test.ts).
 */
export function summarySla(
  plan: CasePlan,
  row: {
    stage: string;
    status: CaseStatus;
    stageEnteredAt: Date;
    closedAt: Date | null;
    /** A notice's deadline on the current stage (RFE, NOID): its clock. */
    stageDueOn?: string | null;
  },
  now: Date,
): { sla: SlaState; daysLate: number } {
  const today = Math.floor(now.getTime() / DAY_MS);
  let stages = plan.stages;
  if (row.status !== 'open') {
    if (row.status !== 'admitted') return { sla: 'done', daysLate: 0 };
    const admittedOn = Math.floor(row.stageEnteredAt.getTime() / DAY_MS);
    return {
      sla: 'done',
      daysLate: Math.max(0, admittedOn - dayNumber(stages[stages.length - 1]!.targetDate)),
    };
  }
  let current = stages.findIndex((s) => s.id === row.stage);
  if (current < 0) {
    // A plan stored before the workflow gained its contingent (221(g)) stage.
    const workflow = coreWorkflowById(plan.workflowId, loadWorkflows());
    if (workflow) stages = withContingentStages(plan, workflow).stages;
    current = stages.findIndex((s) => s.id === row.stage);
  }
  if (current < 0) throw new RangeError(`stage ${row.stage} is not in the plan of ${plan.workflowId}`);
  let late = false;
  let atRisk = false;
  let daysLate = 0;
  let projected = 0;
  for (let k = current; k < stages.length; k++) {
    const planned = stages[k]!;
    if (planned.contingent && k > current) continue;
    const noticeDue = k === current && row.stageDueOn ? dayNumber(row.stageDueOn) : null;
    const target =
      noticeDue ??
      (planned.contingent && k === current
        ? Math.floor(row.stageEnteredAt.getTime() / DAY_MS) + planned.targetDays
        : dayNumber(planned.targetDate));
    const lateBy = Math.max(0, today - target);
    if (lateBy > daysLate) daysLate = lateBy;
    if (k === current) {
      const entered = Math.floor(row.stageEnteredAt.getTime() / DAY_MS);
      projected = Math.max(today, noticeDue ?? entered + planned.targetDays);
      if (lateBy > 0) late = true;
      else if (projected > target || target - today < riskWindowDays(planned.targetDays)) atRisk = true;
    } else {
      projected += planned.targetDays;
      if (lateBy > 0) late = true;
      else if (projected > target) atRisk = true;
    }
  }
  return { sla: late ? 'late' : atRisk ? 'at_risk' : 'on_track', daysLate };
}

const DAY_MS = 86_400_000;

/** The full state of a case from its stored events (each move checked again) and its SLA, stage by stage. */
export function caseStateOf(
  workflow: Workflow,
  events: readonly {
    to: string;
    at: string;
    by: string;
    comment: string | null;
    overrideReason: string | null;
    assignee: string | null;
  }[],
): CaseState {
  return replayEvents(workflow, events);
}

export function caseSla(plan: CasePlan, state: CaseState, now: Date, currentDue?: string | null): CaseSla {
  // Plans stored before the workflow gained its 221(g) stage get it (with no width) so its clock can run.
  const workflow = coreWorkflowById(plan.workflowId, loadWorkflows());
  return slaStatus(workflow ? withContingentStages(plan, workflow) : plan, { ...state, currentDue }, now);
}

/**
 * The target date of a case's current stage, as alerts and calendars show it: a notice's deadline (RFE, NOID)
 * when one is set, a contingent stage's own clock (entered + target days), else the plan's date.
 */
export function currentStageTarget(
  plan: CasePlan,
  row: { workflowId: string; stage: string; stageEnteredAt: Date | string; stageDueOn?: string | null },
): string | null {
  if (row.stageDueOn) return row.stageDueOn;
  const workflow = coreWorkflowById(row.workflowId, loadWorkflows());
  const stage = workflow?.stages.find((s) => s.id === row.stage);
  if (stage?.contingent) {
    const entered = Math.floor(new Date(row.stageEnteredAt).getTime() / DAY_MS);
    return new Date((entered + stage.targetDays) * DAY_MS).toISOString().slice(0, 10);
  }
  return plan.stages?.find((s) => s.id === row.stage)?.targetDate ?? null;
}

export function checklistFor(workflow: Workflow, assessmentDocuments: readonly RequiredDocument[]) {
  return checklist(workflow, undefined, assessmentDocuments);
}
