import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ADMITTED, workflowActors } from '../../contract/workflow.js';
import {
  defaultWorkflowsDir,
  loadWorkflows,
  parseWorkflowFile,
  parseWorkflows,
  WorkflowValidationError,
} from './load.js';
import { workflowById, workflowFor } from './select.js';

const set = loadWorkflows();
const all = [...set.workflows.values()];
const text = (id: string) => readFileSync(join(defaultWorkflowsDir(), `${id}.yaml`), 'utf8');
const b1Text = text('b1');

/** A valid workflow document, to break one field at a time. */
function b1Document(): Record<string, unknown> {
  return structuredClone(workflowById('b1')) as unknown as Record<string, unknown>;
}
function issuesOf(doc: unknown): string[] {
  return parseWorkflowFile('b1', 'rules/workflows/b1.yaml', stringify(doc)).issues.map(
    (i) => `${i.field}: ${i.message}`,
  );
}

describe('rules/workflows', () => {
  it('loads every required workflow', () => {
    expect([...set.workflows.keys()].sort()).toEqual(
      expect.arrayContaining([
        'b1',
        'b1-embassy-desk',
        'e2',
        'e4',
        'esta',
        'h1b',
        'l1-blanket',
        'l1-individual',
      ]),
    );
  });

  it.each(all.map((w) => [w.id, w] as const))(
    '%s: cites sources, ends with admitted, bilingual, known actors',
    (_id, w) => {
      expect(w.references.length).toBeGreaterThan(0);
      for (const r of w.references) expect(r.href).toMatch(/^https:\/\//);
      expect(w.stages.at(-1)!.id).toBe(ADMITTED);
      expect(w.stages.at(-1)!.targetDays).toBe(0);
      for (const stage of w.stages) {
        expect(stage.id).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(workflowActors).toContain(stage.actor);
        expect(stage.title.ko).toMatch(/[\uAC00-\uD7A3]/);
        for (const d of stage.documents) expect(d.label.ko).toMatch(/[\uAC00-\uD7A3]/);
        // A target that is not our estimate must cite where it comes from.
        if (stage.status !== 'verify' && stage.targetDays > 0)
          expect(stage.references?.length).toBeGreaterThan(0);
      }
      expect(new Set(w.stages.map((s) => s.id)).size).toBe(w.stages.length);
    },
  );

  it('fails a workflow without references', () => {
    const doc = b1Document();
    delete doc.references;
    expect(issuesOf(doc).join('\n')).toMatch(/^references: /m);
    expect(issuesOf({ ...b1Document(), references: [] }).join('\n')).toMatch(
      /every workflow needs at least one/,
    );
    expect(issuesOf(b1Document())).toEqual([]);
  });

  it('fails duplicate stages, duplicate documents, a missing admitted stage and an unknown actor', () => {
    const doc = b1Document() as { stages: { id: string; actor: string; documents: { id: string }[] }[] };
    doc.stages[1]!.id = doc.stages[0]!.id;
    expect(issuesOf(doc).join('\n')).toMatch(/stage id prepare_documents appears twice/);

    const docs = b1Document() as typeof doc;
    docs.stages[1]!.documents.push(structuredClone(docs.stages[0]!.documents[0]!));
    expect(issuesOf(docs).join('\n')).toMatch(
      /document passport is already listed in stage prepare_documents/,
    );

    const noEnd = b1Document() as typeof doc;
    noEnd.stages.pop();
    expect(issuesOf(noEnd).join('\n')).toMatch(/the last stage must be `admitted`/);

    const actor = b1Document() as typeof doc;
    actor.stages[0]!.actor = 'lawyer';
    expect(issuesOf(actor).join('\n')).toMatch(/^stages\.0\.actor: /m);

    const exit = b1Document() as typeof doc;
    exit.stages[1]!.id = 'refused';
    expect(issuesOf(exit).join('\n')).toMatch(/terminal exit/);
  });

  it('fails an unmarked estimate without a reference, and an E-4 without a quota stage or scenario', () => {
    const doc = b1Document() as { stages: { status?: string; references?: unknown }[] };
    delete doc.stages[0]!.status;
    expect(issuesOf(doc).join('\n')).toMatch(/stages\.0\.targetDays: a target that is not marked/);

    const e4 = structuredClone(workflowById('e4')) as unknown as {
      stages: { quota?: boolean }[];
      when?: unknown;
    };
    for (const s of e4.stages) delete s.quota;
    delete e4.when;
    const issues = parseWorkflowFile('e4', 'rules/workflows/e4.yaml', stringify(e4))
      .issues.map((i) => i.message)
      .join('\n');
    expect(issues).toMatch(/quota ledger/);
    expect(issues).toMatch(/limited to its scenario/);
  });

  it('rejects a file whose id is not its name, bad YAML, and two equally fit workflows', () => {
    expect(parseWorkflowFile('other', 'x.yaml', b1Text).issues[0]!.message).toMatch(/file name/);
    expect(parseWorkflowFile('b1', 'x.yaml', 'id: [').issues[0]!.message).toMatch(/not valid YAML/);
    const copy = b1Text.replace(/^id: b1$/m, 'id: b1-copy');
    expect(() =>
      parseWorkflows([
        { id: 'b1', file: 'b1.yaml', text: b1Text },
        { id: 'b1-copy', file: 'b1-copy.yaml', text: copy },
      ]),
    ).toThrow(WorkflowValidationError);
    expect(() => parseWorkflows([{ id: 'b1', file: 'b1.yaml', text: b1Text }])).not.toThrow();
  });
});

describe('workflowFor', () => {
  it('picks the workflow by category, provision and options', () => {
    expect(workflowFor('ESTA', 'installer')?.id).toBe('esta');
    expect(workflowFor('ESTA', 'general', { embassyDesk: true })?.id).toBe('esta');
    expect(workflowFor('B1', 'installer')?.id).toBe('b1');
    expect(workflowFor('B1', 'installer', { embassyDesk: true })?.id).toBe('b1-embassy-desk');
    expect(workflowFor('E2', null)?.id).toBe('e2');
    expect(workflowFor('L1A', 'blanket')?.id).toBe('l1-blanket');
    expect(workflowFor('L1B', 'individual')?.id).toBe('l1-individual');
    expect(workflowFor('L1B', null, { blanketL: true })?.id).toBe('l1-blanket');
    expect(workflowFor('L1A', null)?.id).toBe('l1-individual');
    expect(workflowFor('H1B', null)?.id).toBe('h1b');
    expect(workflowFor('H2B', null)?.id).toBe('h2b');
    expect(workflowFor('H3', null)?.id).toBe('h3');
  });

  it('offers the proposed E-4 only under its scenario', () => {
    expect(workflowFor('E4', null)).toBeUndefined();
    expect(workflowFor('E4', null, { e4Enacted: false })).toBeUndefined();
    const e4 = workflowFor('E4', null, { e4Enacted: true });
    expect(e4?.id).toBe('e4');
    expect(e4?.legalStatus).toBe('proposed');
    expect(e4?.stages.some((s) => s.quota)).toBe(true);
  });

  it('has no workflow for categories Koreans cannot use', () => {
    expect(workflowFor('TN', null)).toBeUndefined();
    expect(workflowFor('E3', null)).toBeUndefined();
  });
});
