import { describe, expect, it } from 'vitest';
import { checklist } from './checklist.js';
import { workflowById } from './select.js';

const b1 = workflowById('b1')!;
const h1b = workflowById('h1b')!;
const label = (en: string) => ({ en, ko: `${en} (ko)` });

describe('checklist', () => {
  it('lists every stage document once for the whole workflow', () => {
    const items = checklist(b1, undefined, []);
    const expected = b1.stages.flatMap((s) => s.documents.map((d) => `${s.id}/${d.id}`));
    expect(items.map((i) => `${i.stageId}/${i.id}`)).toEqual(expected);
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(items.find((i) => i.id === 'passport')).toMatchObject({
      required: true,
      expires: true,
      sources: ['workflow'],
    });
  });

  it('merges the assessment documents without duplicates; assessed documents become required', () => {
    const assessed = [
      { id: 'sales_contract_service_clause', label: label('Sale contract with service clause') },
      { id: 'employer_letter', label: label('Employer letter') },
      { id: 'training_plan', label: label('Training plan') },
      { id: 'training_plan', label: label('Training plan again') },
    ];
    const items = checklist(b1, undefined, assessed);
    expect(items.filter((i) => i.id === 'employer_letter')).toHaveLength(1);
    expect(items.filter((i) => i.id === 'training_plan')).toHaveLength(1);
    // In the workflow as optional; the installer provision asks for it: required, workflow's stage and label kept.
    expect(items.find((i) => i.id === 'sales_contract_service_clause')).toMatchObject({
      required: true,
      stageId: 'prepare_documents',
      sources: ['workflow', 'assessment'],
    });
    expect(items.find((i) => i.id === 'sales_contract_service_clause')!.label.en).toMatch(
      /Sale or lease contract/,
    );
    // Only in the assessment: joins the first stage, required.
    expect(items.find((i) => i.id === 'training_plan')).toEqual({
      id: 'training_plan',
      label: label('Training plan'),
      required: true,
      stageId: 'prepare_documents',
      expires: false,
      sources: ['assessment'],
    });
    const firstStageIds = items.filter((i) => i.stageId === 'prepare_documents').map((i) => i.id);
    expect(items.slice(0, firstStageIds.length).map((i) => i.id)).toEqual(firstStageIds);
  });

  it('gives one stage its own items (assessment extras only at the first stage)', () => {
    const assessed = [
      { id: 'lca_certified', label: label('LCA') },
      { id: 'degree_evaluation', label: label('Degree evaluation') },
      { id: 'specialty_evidence', label: label('Evidence of the specialty occupation') },
    ];
    expect(checklist(h1b, 'labor_condition_application', assessed)).toEqual([
      {
        id: 'lca_certified',
        label: h1b.stages.find((s) => s.id === 'labor_condition_application')!.documents[0]!.label,
        required: true,
        stageId: 'labor_condition_application',
        expires: false,
        sources: ['workflow', 'assessment'],
      },
    ]);
    expect(checklist(h1b, 'registration', assessed).map((i) => i.id)).toEqual([
      'passport',
      'degree_evaluation',
      'registration_confirmation',
      'specialty_evidence',
    ]);
    expect(checklist(h1b, 'selection', assessed).map((i) => i.id)).toEqual(['selection_notice']);
    expect(() => checklist(h1b, 'nowhere', [])).toThrow(/not a stage/);
  });
});
