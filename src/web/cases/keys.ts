import { leadTimeGroupings } from '../../contract/pipeline.js';
import { caseStatuses, slaStates, transitionKinds, workflowActors } from '../../contract/workflow.js';

/** Message keys the case screens build from codes; model.test.ts checks that both catalogs hold them. */
export function caseMessageKeys(): string[] {
  return [
    ...slaStates.map((s) => `cases.sla.${s}`),
    ...caseStatuses.map((s) => `cases.status.${s}`),
    ...transitionKinds.map((k) => `cases.kind.${k}`),
    ...workflowActors.map((a) => `cases.actor.${a}`),
    ...leadTimeGroupings.map((g) => `cases.stats.groupBy.${g}`),
    ...(['empty', 'tooLarge', 'type'] as const).map((e) => `cases.upload.error.${e}`),
  ];
}
