/** Dispatch workflows as data, transitions, service-level clocks, lead-time statistics, checklists (issue 5). */
export {
  bestMatches,
  defaultWorkflowsDir,
  knownProvisions,
  loadWorkflows,
  parseWorkflowFile,
  parseWorkflows,
  validateWorkflowSet,
  WorkflowValidationError,
  type WorkflowIssue,
  type WorkflowSet,
} from './load.js';
export { workflowById, workflowFor } from './select.js';
export {
  addComment,
  allowedTransitions,
  applyTransition,
  assign,
  checkTransition,
  openCaseState,
  replayEvents,
  stageIndex,
  stageOf,
  stageTitle,
  TransitionFailure,
  type Override,
  type TransitionOptions,
} from './transitions.js';
export { planCase, riskWindowDays, slaStatus, utcDateOf, withContingentStages } from './sla.js';
export {
  daysBetweenInstants,
  doorToDoorDays,
  leadTimeStats,
  median,
  percentileCont,
  type LeadTimeOptions,
} from './stats.js';
export { checklist } from './checklist.js';
export type * from '../../contract/workflow.js';
