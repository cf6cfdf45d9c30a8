import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { categoryIds, type CategoryId } from '../../contract/assessment.js';
import {
  ADMITTED,
  terminalExits,
  workflowSchema,
  type Workflow,
  type WorkflowConditions,
} from '../../contract/workflow.js';
import { packageRoot } from '../rules/package-root.js';

/**
 * Dispatch workflows as data: one YAML file per workflow in `rules/workflows/`, the id being the file name.
 * Loaded and validated once (like rules/parameters); everything afterwards is pure.
 */

export interface WorkflowIssue {
  file: string;
  field: string;
  message: string;
}

export class WorkflowValidationError extends Error {
  constructor(readonly issues: WorkflowIssue[]) {
    super(
      `invalid workflows:\n` +
        issues.map((i) => `  ${i.file}: ${i.field || '(file)'}: ${i.message}`).join('\n'),
    );
    this.name = 'WorkflowValidationError';
  }
}

export interface WorkflowSet {
  dir: string;
  /** By id, in file-name order. */
  workflows: ReadonlyMap<string, Workflow>;
}

export function defaultWorkflowsDir(): string {
  return join(packageRoot(), 'rules', 'workflows');
}

/** Provisions the assessment engine returns (src/contract/assessment.ts), plus `null` for categories without. */
export const knownProvisions: Readonly<Partial<Record<CategoryId, readonly string[]>>> = {
  ESTA: ['general', 'installer', 'trainer'],
  B1: ['general', 'installer', 'trainer', 'in_lieu_h1b', 'in_lieu_h3'],
  L1A: ['individual', 'blanket'],
  L1B: ['individual', 'blanket'],
};

const conditionKeys = [
  'embassyDesk',
  'blanketL',
  'e4Enacted',
] as const satisfies readonly (keyof WorkflowConditions)[];

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Validates one workflow file's text; `id` is its file name without `.yaml`. */
export function parseWorkflowFile(
  id: string,
  file: string,
  text: string,
): { workflow?: Workflow; issues: WorkflowIssue[] } {
  const issues: WorkflowIssue[] = [];
  const issue = (field: string, message: string) => issues.push({ file, field, message });
  let raw: unknown;
  try {
    raw = parseYaml(text, { schema: 'core', version: '1.2', uniqueKeys: true, merge: false });
  } catch (error) {
    return { issues: [{ file, field: '', message: `not valid YAML: ${(error as Error).message}` }] };
  }
  const parsed = workflowSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issue(fieldOf(i.path), i.message);
    return { issues };
  }
  const workflow = parsed.data;
  if (workflow.id !== id) issue('id', `must equal the file name (${id})`);

  const stageIds = new Set<string>();
  const documentIds = new Map<string, string>();
  workflow.stages.forEach((stage, index) => {
    const at = `stages.${index}`;
    if (stageIds.has(stage.id)) issue(`${at}.id`, `stage id ${stage.id} appears twice`);
    stageIds.add(stage.id);
    if ((terminalExits as readonly string[]).includes(stage.id)) {
      issue(`${at}.id`, `${stage.id} is a terminal exit, allowed from every stage; do not list it`);
    }
    if (stage.id === ADMITTED && index !== workflow.stages.length - 1)
      issue(`${at}.id`, 'admitted must be the last stage');
    if (stage.status !== 'verify' && stage.targetDays > 0 && !stage.references?.length) {
      issue(
        `${at}.targetDays`,
        'a target that is not marked `status: verify` (our estimate) needs a reference',
      );
    }
    stage.documents.forEach((document, d) => {
      const first = documentIds.get(document.id);
      if (first)
        issue(`${at}.documents.${d}.id`, `document ${document.id} is already listed in stage ${first}`);
      else documentIds.set(document.id, stage.id);
    });
  });
  const last = workflow.stages[workflow.stages.length - 1]!;
  if (last.id !== ADMITTED)
    issue(`stages.${workflow.stages.length - 1}.id`, 'the last stage must be `admitted`');
  else if (last.targetDays !== 0)
    issue(`stages.${workflow.stages.length - 1}.targetDays`, 'admitted is reached, not spent: 0');
  workflow.stages.forEach((stage, k) => {
    if (stage.contingent && !stage.optional)
      issue(
        `stages.${k}.contingent`,
        'a contingent stage is entered only when needed: it must be optional too',
      );
  });
  if (workflow.stages[0]!.optional)
    issue('stages.0.optional', 'the first stage is where a case opens: it cannot be optional');

  const categories = new Set<string>();
  workflow.serves.forEach((entry, index) => {
    if (categories.has(entry.category))
      issue(`serves.${index}.category`, `${entry.category} is listed twice`);
    categories.add(entry.category);
    const known = knownProvisions[entry.category];
    for (const provision of entry.provisions ?? []) {
      if (!known?.includes(provision))
        issue(`serves.${index}.provisions`, `unknown provision ${provision} for ${entry.category}`);
    }
  });
  if (workflow.legalStatus === 'proposed' && workflow.when?.e4Enacted !== true) {
    issue(
      'when.e4Enacted',
      'a proposed (not enacted) workflow must be limited to its scenario: when: { e4Enacted: true }',
    );
  }
  if (categories.has('E4') && !workflow.stages.some((s) => s.quota)) {
    issue(
      'stages',
      'the E-4 workflow must reserve a number through the quota ledger (a stage with quota: true)',
    );
  }
  return issues.length > 0 ? { issues } : { workflow, issues };
}

/** Checks a whole set: unique ids and no two workflows equally fit for the same category, provision and options. */
export function validateWorkflowSet(workflows: readonly Workflow[]): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const seen = new Set<string>();
  for (const workflow of workflows) {
    if (seen.has(workflow.id))
      issues.push({ file: `${workflow.id}.yaml`, field: 'id', message: 'duplicate workflow id' });
    seen.add(workflow.id);
  }
  for (const category of categoryIds) {
    for (const provision of [null, ...(knownProvisions[category] ?? [])]) {
      for (let mask = 0; mask < 1 << conditionKeys.length; mask++) {
        const options: WorkflowConditions = {};
        conditionKeys.forEach((key, bit) => (options[key] = (mask & (1 << bit)) !== 0));
        const best = bestMatches(workflows, category, provision, options);
        if (best.length > 1) {
          issues.push({
            file: best.map((w) => `${w.id}.yaml`).join(', '),
            field: 'when',
            message: `equally fit for ${category}/${provision ?? '-'} with ${JSON.stringify(options)}: make one more specific`,
          });
        }
      }
    }
  }
  return issues;
}

/** The workflows serving the category and provision whose conditions hold, the most specific first only. */
export function bestMatches(
  workflows: Iterable<Workflow>,
  category: CategoryId,
  provision: string | null,
  options: WorkflowConditions,
): Workflow[] {
  const effective: Required<WorkflowConditions> = {
    embassyDesk: options.embassyDesk ?? false,
    e4Enacted: options.e4Enacted ?? false,
    blanketL: options.blanketL ?? provision === 'blanket',
  };
  let best: Workflow[] = [];
  let bestScore = -1;
  for (const workflow of workflows) {
    const serves = workflow.serves.some(
      (entry) =>
        entry.category === category &&
        (!entry.provisions || provision === null || entry.provisions.includes(provision)),
    );
    if (!serves) continue;
    const when = Object.entries(workflow.when ?? {}) as [keyof WorkflowConditions, boolean][];
    if (!when.every(([key, value]) => effective[key] === value)) continue;
    if (when.length > bestScore) {
      best = [workflow];
      bestScore = when.length;
    } else if (when.length === bestScore) best.push(workflow);
  }
  return best;
}

/** Parses and validates the given files (pure; used by the loader and by tests). Throws on any problem. */
export function parseWorkflows(
  files: readonly { id: string; file: string; text: string }[],
  dir = '(memory)',
): WorkflowSet {
  const issues: WorkflowIssue[] = [];
  const list: Workflow[] = [];
  for (const { id, file, text } of files) {
    const parsed = parseWorkflowFile(id, file, text);
    issues.push(...parsed.issues);
    if (parsed.workflow) list.push(parsed.workflow);
  }
  issues.push(...validateWorkflowSet(list));
  if (issues.length > 0) throw new WorkflowValidationError(issues);
  return { dir, workflows: new Map(list.map((w) => [w.id, w])) };
}

const cache = new Map<string, WorkflowSet>();

/** Loads every `*.yaml` in `dir` (default `<package root>/rules/workflows`) once; throws on any problem. */
export function loadWorkflows(dir: string = defaultWorkflowsDir()): WorkflowSet {
  const cached = cache.get(dir);
  if (cached) return cached;
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => e.name)
    .sort()
    .map((name) => ({
      id: name.replace(/\.yaml$/, ''),
      file: `rules/workflows/${name}`,
      text: readFileSync(join(dir, name), 'utf8'),
    }));
  if (files.length === 0)
    throw new WorkflowValidationError([{ file: dir, field: '', message: 'no workflow files' }]);
  const set = parseWorkflows(files, dir);
  cache.set(dir, set);
  return set;
}
