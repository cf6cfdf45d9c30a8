/**
 * The pipeline services' view of the dispatch workflows (rules/workflows/*.yaml and the pure core in
 * src/core/workflows): which workflow a case follows, which moves are allowed, the case plan and its SLA
 * state, mapped to the API's error codes and shapes. The rules live in the core; this module only adapts.
 */
import type { BilingualText, CategoryId, RequiredDocument } from '../../../contract/assessment.js';
import type { ErrorCode } from '../../../contract/errors.js';
import type { CasePlan, CaseSla, CaseState, CaseStatus, Workflow } from '../../../contract/workflow.js';
import {
  allowedTransitions,
  checklist,
  checkTransition,
  loadWorkflows,
  planCase,
  replayEvents,
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
 * The SLA of a case for lists (board, filters): from its row alone (the current stage and when it was entered),
 * without loading the history — earlier stages do not change the state of the case, only the stages ahead do.
 */
export function summarySla(
  plan: CasePlan,
  row: { stage: string; status: CaseStatus; stageEnteredAt: Date; closedAt: Date | null },
  now: Date,
): CaseSla {
  const visit = {
    enteredAt: row.stageEnteredAt.toISOString(),
    leftAt: null,
    enteredBy: '',
    assignee: null,
    comments: [],
  };
  return slaStatus(
    plan,
    {
      stage: row.stage,
      status: row.status,
      closedAt: row.closedAt ? row.closedAt.toISOString() : null,
      stages: { [row.stage]: [visit] },
    },
    now,
  );
}

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

export function caseSla(plan: CasePlan, state: CaseState, now: Date): CaseSla {
  return slaStatus(plan, state, now);
}

export function checklistFor(workflow: Workflow, assessmentDocuments: readonly RequiredDocument[]) {
  return checklist(workflow, undefined, assessmentDocuments);
}
