import type { RequiredDocument } from '../../contract/assessment.js';
import type { ChecklistItem, Workflow } from '../../contract/workflow.js';

/**
 * The document checklist of a case: the workflow's documents per stage merged with the assessment result's
 * `documents`, one item per document id. A document in both keeps the workflow's stage and label and becomes
 * required (the guidelines ask for it); one only in the assessment belongs to the first stage, where the
 * file is put together, and is required. With `stageId`, only that stage's items.
 */
export function checklist(
  workflow: Workflow,
  stageId: string | undefined,
  assessmentDocuments: readonly RequiredDocument[],
): ChecklistItem[] {
  if (stageId !== undefined && !workflow.stages.some((s) => s.id === stageId)) {
    throw new RangeError(`${stageId} is not a stage of workflow ${workflow.id}`);
  }
  const fromAssessment = new Map<string, RequiredDocument>();
  for (const document of assessmentDocuments)
    if (!fromAssessment.has(document.id)) fromAssessment.set(document.id, document);
  const items: ChecklistItem[] = [];
  const inWorkflow = new Set<string>();
  for (const stage of workflow.stages) {
    for (const document of stage.documents) {
      inWorkflow.add(document.id);
      if (stageId !== undefined && stage.id !== stageId) continue;
      const alsoAssessed = fromAssessment.has(document.id);
      items.push({
        id: document.id,
        label: document.label,
        required: document.required || alsoAssessed,
        stageId: stage.id,
        expires: document.expires ?? false,
        sources: alsoAssessed ? ['workflow', 'assessment'] : ['workflow'],
      });
    }
  }
  const first = workflow.stages[0]!.id;
  if (stageId === undefined || stageId === first) {
    const extra: ChecklistItem[] = [];
    for (const document of fromAssessment.values()) {
      if (inWorkflow.has(document.id)) continue;
      extra.push({
        id: document.id,
        label: document.label,
        required: true,
        stageId: first,
        expires: false,
        sources: ['assessment'],
      });
    }
    // The first stage's items come first in the list; keep the assessment's extras with them.
    const firstCount = items.filter((i) => i.stageId === first).length;
    items.splice(firstCount, 0, ...extra);
  }
  return items;
}
