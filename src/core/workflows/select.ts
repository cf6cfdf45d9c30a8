import type { CategoryId } from '../../contract/assessment.js';
import type { Workflow, WorkflowConditions } from '../../contract/workflow.js';
import { bestMatches, loadWorkflows, type WorkflowSet } from './load.js';

/**
 * The workflow for a category and provision (from the assessment result) and the case's options:
 * `embassyDesk` (B-1 through the KIT Desk batch), `blanketL` (default: provision `blanket`), `e4Enacted`
 * (the E-4 scenario; without it the proposed E-4 has no workflow). Among the workflows serving the category
 * whose `when` conditions hold, the most specific wins (validated at load time to be unique).
 * Undefined when none fits (a category without a dispatch workflow, or E-4 outside its scenario).
 */
export function workflowFor(
  category: CategoryId,
  provision: string | null,
  options: WorkflowConditions = {},
  set: WorkflowSet = loadWorkflows(),
): Workflow | undefined {
  return bestMatches(set.workflows.values(), category, provision, options)[0];
}

export function workflowById(id: string, set: WorkflowSet = loadWorkflows()): Workflow | undefined {
  return set.workflows.get(id);
}
