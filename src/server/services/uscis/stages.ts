import type { UscisStatusValue } from '../../../contract/uscis.js';
import { ADMITTED, type Workflow } from '../../../contract/workflow.js';

/**
 * Where a USCIS status brings a petition case (issue 18, item 3). The petition stage is the workflow's USCIS
 * adjudication (`petition` or `uscis_petition`); a request for evidence and a notice of intent to deny are
 * contingent stages after it, whose clock is the response deadline on the notice; an approval closes the
 * petition stage and opens the next one (the consular application, or travel); a denial closes the case.
 */
export const PETITION_STAGES = ['petition', 'uscis_petition'] as const;
export const RFE_STAGE = 'request_for_evidence';
export const NOID_STAGE = 'notice_of_intent_to_deny';

export function petitionStage(workflow: Workflow): string | null {
  return workflow.stages.find((s) => (PETITION_STAGES as readonly string[]).includes(s.id))?.id ?? null;
}

/** The notice whose deadline is the clock of a stage, if any. */
export function noticeOfStage(stage: string): 'rfe' | 'noid' | null {
  return stage === RFE_STAGE ? 'rfe' : stage === NOID_STAGE ? 'noid' : null;
}

/** The stage (or terminal exit) a status brings a case to; null when it does not move the case. */
export function stageForUscisStatus(workflow: Workflow, status: UscisStatusValue): string | null {
  const petition = petitionStage(workflow);
  if (!petition) return null;
  const has = (id: string) => workflow.stages.some((s) => s.id === id);
  switch (status) {
    case 'received':
      return petition;
    case 'rfe':
      return has(RFE_STAGE) ? RFE_STAGE : null;
    case 'noid':
      return has(NOID_STAGE) ? NOID_STAGE : null;
    case 'approved': {
      const k = workflow.stages.findIndex((s) => s.id === petition);
      const next = workflow.stages.slice(k + 1).find((s) => !s.contingent);
      return next && next.id !== ADMITTED ? next.id : null;
    }
    case 'denied':
      return 'refused';
    case 'biometrics':
    case 'response_submitted':
    case 'transferred':
      return null;
  }
}
