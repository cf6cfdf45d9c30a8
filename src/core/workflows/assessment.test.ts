import { describe, expect, it } from 'vitest';
import { contractExampleRequest } from '../../contract/assessment-example.js';
import { assess, loadRules, parseAssessmentRequest } from '../rules/index.js';
import { checklist } from './checklist.js';
import { workflowFor } from './select.js';

// The real guidelines engine on the contract's example (installer and trainer, paid from Korea), with and
// without the E-4 scenario: every category it can recommend has a workflow, and its documents merge cleanly.
const rules = loadRules();
const responses = [false, true].map((e4Enacted) =>
  assess(parseAssessmentRequest({ ...contractExampleRequest, scenario: { e4Enacted } }), rules),
);

describe('workflows and the assessment engine', () => {
  it.each(
    responses.flatMap((r) => r.results.map((result) => [result.category, r.results.length, result] as const)),
  )('%s: has a workflow and a checklist holding every assessed document once', (category, _n, result) => {
    if (['E3', 'H1B1', 'TN'].includes(category) || result.verdict === 'unavailable') {
      expect(workflowFor(category, result.provision, { e4Enacted: false })).toBeUndefined();
      return;
    }
    const workflow = workflowFor(category, result.provision, { e4Enacted: true })!;
    expect(workflow, category).toBeDefined();
    const items = checklist(workflow, undefined, result.documents);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    for (const document of result.documents) {
      const item = items.find((i) => i.id === document.id)!;
      expect(item, document.id).toBeDefined();
      expect(item.required).toBe(true);
    }
    // The visa itself is issued at the consulate, never asked for at the first stage.
    for (const item of items.filter((i) => i.id.endsWith('_visa'))) {
      expect(item.stageId).not.toBe(workflow.stages[0]!.id);
      expect(item.sources).toContain('workflow');
    }
  });

  it('puts the B-1 installer documents at their stages', () => {
    const b1 = responses[0]!.results.find((r) => r.category === 'B1')!;
    const items = checklist(workflowFor('B1', b1.provision)!, undefined, b1.documents);
    expect(items.find((i) => i.id === 'b1_visa')).toMatchObject({
      stageId: 'consular_interview',
      required: true,
    });
    expect(items.find((i) => i.id === 'kit_desk_annotation')).toMatchObject({
      stageId: 'consular_interview',
      required: true,
    });
    expect(items.find((i) => i.id === 'employer_letter')).toMatchObject({ stageId: 'prepare_documents' });
  });
});
