import {
  ADMITTED,
  DEPARTED,
  departedTitle,
  terminalExits,
  terminalExitTitles,
  type AllowedTransition,
  type CaseHistoryEntry,
  type CaseState,
  type CaseStatus,
  type TerminalExit,
  type TransitionCheck,
  type TransitionError,
  type TransitionErrorCode,
  type Workflow,
  type WorkflowStage,
} from '../../contract/workflow.js';

/**
 * Stage transitions of a visa case, as pure functions over a JSON-serialisable state.
 *
 * Rules: forward by one stage is normal; forward past stages needs an override with a non-empty reason,
 * unless every stage passed over is `optional` (the E-2 company registration of an already registered
 * company); back by exactly one stage is rework, allowed and recorded (further back: one step at a time);
 * `refused` and `withdrawn` are allowed from any open stage; `admitted`, `refused` and `withdrawn` are final.
 */

export interface Override {
  reason: string;
}

function isExit(id: string): id is TerminalExit {
  return (terminalExits as readonly string[]).includes(id);
}

export function stageIndex(workflow: Workflow, id: string): number {
  return workflow.stages.findIndex((s) => s.id === id);
}

export function stageOf(workflow: Workflow, id: string): WorkflowStage | undefined {
  return workflow.stages.find((s) => s.id === id);
}

/** The title of a stage or terminal exit, in both languages (the id itself when unknown). */
export function stageTitle(workflow: Workflow, id: string): { en: string; ko: string } {
  if (isExit(id)) return terminalExitTitles[id];
  if (id === DEPARTED) return departedTitle;
  return stageOf(workflow, id)?.title ?? { en: id, ko: id };
}

function fail(
  code: TransitionErrorCode,
  from: string,
  to: string,
  message: { en: string; ko: string },
): TransitionCheck {
  const error: TransitionError = { code, from, to, message };
  return { ok: false, error };
}

/**
 * Whether a case may move from its current stage to `to`; an override (with a reason) allows skipping stages.
 * Only `stage` and `status` of the state are read, so a database row fits too.
 */
export function checkTransition(
  workflow: Workflow,
  state: Pick<CaseState, 'stage' | 'status'>,
  to: string,
  options: { override?: Override } = {},
): TransitionCheck {
  const from = state.stage;
  // After admission the one move left is the departure (recorded with the stay), which completes the dispatch.
  if (state.status === 'admitted' && from === ADMITTED && to === DEPARTED)
    return { ok: true, kind: 'exit', override: false, status: 'departed', skipped: [] };
  if (state.status !== 'open' || isExit(from) || from === ADMITTED) {
    return fail('closed_case', from, to, {
      en: `The case is closed (${state.status}); a closed case cannot change stage.`,
      ko: `종결된 사건(${state.status})은 단계를 바꿀 수 없습니다.`,
    });
  }
  const i = stageIndex(workflow, from);
  if (i < 0) {
    return fail('unknown_stage', from, to, {
      en: `The case's stage ${from} is not in workflow ${workflow.id}.`,
      ko: `사건의 단계 ${from}이(가) ${workflow.id} 절차에 없습니다.`,
    });
  }
  if (isExit(to)) return { ok: true, kind: 'exit', override: false, status: to, skipped: [] };
  const j = stageIndex(workflow, to);
  if (j < 0) {
    return fail('unknown_stage', from, to, {
      en: `${to} is not a stage of workflow ${workflow.id}.`,
      ko: `${to}은(는) ${workflow.id} 절차의 단계가 아닙니다.`,
    });
  }
  const fromTitle = workflow.stages[i]!.title;
  const toTitle = workflow.stages[j]!.title;
  if (j === i) {
    return fail('same_stage', from, to, {
      en: `The case is already at "${toTitle.en}".`,
      ko: `사건이 이미 "${toTitle.ko}" 단계에 있습니다.`,
    });
  }
  const status: CaseStatus = to === ADMITTED ? 'admitted' : 'open';
  if (j === i + 1) return { ok: true, kind: 'forward', override: false, status, skipped: [] };
  if (j > i + 1) {
    const passed = workflow.stages.slice(i + 1, j);
    // A contingent stage passed over (no 221(g)) did not happen: it is not "skipped".
    const skipped = passed.filter((s) => !s.contingent).map((s) => s.id);
    // Passing over only contingent stages (no 221(g)) is the normal way forward.
    if (passed.every((s) => s.contingent))
      return { ok: true, kind: 'forward', override: false, status, skipped };
    if (passed.every((s) => s.optional)) return { ok: true, kind: 'skip', override: false, status, skipped };
    if (options.override && options.override.reason.trim().length > 0) {
      return { ok: true, kind: 'skip', override: true, status, skipped };
    }
    const names = passed.filter((s) => !s.optional);
    return fail('skip_requires_override', from, to, {
      en: `Moving from "${fromTitle.en}" to "${toTitle.en}" skips ${names.map((s) => `"${s.title.en}"`).join(', ')}: an override with a reason is required.`,
      ko: `"${fromTitle.ko}"에서 "${toTitle.ko}"(으)로 가면 ${names.map((s) => `"${s.title.ko}"`).join(', ')} 단계를 건너뜁니다. 사유를 적은 재정 승인이 필요합니다.`,
    });
  }
  if (j === i - 1) return { ok: true, kind: 'back', override: false, status, skipped: [] };
  return fail('illegal_transition', from, to, {
    en: `A case goes back one stage at a time (rework): from "${fromTitle.en}" the previous stage is "${workflow.stages[i - 1]!.title.en}".`,
    ko: `사건은 한 번에 한 단계씩만 되돌릴 수 있습니다(재작업). "${fromTitle.ko}"의 이전 단계는 "${workflow.stages[i - 1]!.title.ko}"입니다.`,
  });
}

/** Every move available from the case's stage, for buttons and the API's `allowedTransitions`. */
export function allowedTransitions(
  workflow: Workflow,
  state: Pick<CaseState, 'stage' | 'status'>,
): AllowedTransition[] {
  if (state.status !== 'open') return [];
  const i = stageIndex(workflow, state.stage);
  if (i < 0) return [];
  const out: AllowedTransition[] = [];
  const contingent: AllowedTransition[] = [];
  for (let j = i + 1; j < workflow.stages.length; j++) {
    const stage = workflow.stages[j]!;
    const passed = workflow.stages.slice(i + 1, j);
    const move: AllowedTransition = {
      to: stage.id,
      title: stage.title,
      kind: j === i + 1 || passed.every((s) => s.contingent) ? 'forward' : 'skip',
      needsOverride: !passed.every((s) => s.optional),
    };
    // A contingent stage (221(g)) is offered only from the stage before it, after the normal next step.
    if (stage.contingent) {
      if (j === i + 1) contingent.push(move);
    } else out.push(move);
  }
  out.splice(
    out.findIndex((m) => m.kind !== 'forward') < 0 ? out.length : out.findIndex((m) => m.kind !== 'forward'),
    0,
    ...contingent,
  );
  if (i > 0) {
    const previous = workflow.stages[i - 1]!;
    out.push({ to: previous.id, title: previous.title, kind: 'back', needsOverride: false });
  }
  for (const exit of terminalExits)
    out.push({ to: exit, title: terminalExitTitles[exit], kind: 'exit', needsOverride: false });
  return out;
}

export class TransitionFailure extends Error {
  constructor(readonly error: TransitionError) {
    super(error.message.en);
    this.name = 'TransitionFailure';
  }
}

function assertInstant(at: string, what: string): number {
  const ms = Date.parse(at);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) || Number.isNaN(ms)) {
    throw new RangeError(`${what} must be an ISO 8601 date-time with a time zone: ${JSON.stringify(at)}`);
  }
  return ms;
}

export interface TransitionOptions {
  comment?: string;
  /** Who will act on the stage entered (a user id or label). */
  assignee?: string;
  override?: Override;
}

/** A new case at the workflow's first stage. */
export function openCaseState(
  workflow: Workflow,
  openedAt: string,
  by: string,
  options: { comment?: string; assignee?: string } = {},
): CaseState {
  assertInstant(openedAt, 'openedAt');
  const first = workflow.stages[0]!.id;
  const comment = options.comment?.trim() || null;
  return {
    workflowId: workflow.id,
    stage: first,
    status: 'open',
    openedAt,
    closedAt: null,
    stages: {
      [first]: [
        {
          enteredAt: openedAt,
          leftAt: null,
          enteredBy: by,
          assignee: options.assignee ?? null,
          comments: comment ? [{ at: openedAt, by, text: comment }] : [],
        },
      ],
    },
    history: [
      { from: null, to: first, at: openedAt, by, kind: 'open', comment, overrideReason: null, skipped: [] },
    ],
  };
}

function lastChange(state: CaseState): string {
  return state.history[state.history.length - 1]?.at ?? state.openedAt;
}

/**
 * Applies a move (checked with `checkTransition`; throws `TransitionFailure` when refused) and returns the new
 * state: the current stage's visit is closed at `at`, the new stage gets a visit (entered at `at`, by, assignee,
 * comment), and the history gains an entry with the kind of move, the override reason and the stages skipped.
 * The input state is not modified.
 */
export function applyTransition(
  workflow: Workflow,
  state: CaseState,
  to: string,
  at: string,
  by: string,
  options: TransitionOptions = {},
): CaseState {
  if (state.workflowId !== workflow.id) {
    throw new RangeError(`state of workflow ${state.workflowId} given with workflow ${workflow.id}`);
  }
  const check = checkTransition(workflow, state, to, { override: options.override });
  if (!check.ok) throw new TransitionFailure(check.error);
  const ms = assertInstant(at, 'at');
  if (ms < Date.parse(lastChange(state))) {
    throw new TransitionFailure({
      code: 'illegal_transition',
      from: state.stage,
      to,
      message: {
        en: `The move at ${at} would come before the previous change (${lastChange(state)}).`,
        ko: `${at} 변경은 이전 변경(${lastChange(state)})보다 앞설 수 없습니다.`,
      },
    });
  }
  const comment = options.comment?.trim() || null;
  const stages: CaseState['stages'] = {};
  for (const [id, visits] of Object.entries(state.stages))
    stages[id] = visits.map((v) => ({ ...v, comments: [...v.comments] }));
  const current = stages[state.stage];
  const open = current?.[current.length - 1];
  if (open && open.leftAt === null) open.leftAt = at;
  (stages[to] ??= []).push({
    enteredAt: at,
    leftAt: null,
    enteredBy: by,
    assignee: options.assignee ?? null,
    comments: comment ? [{ at, by, text: comment }] : [],
  });
  const entry: CaseHistoryEntry = {
    from: state.stage,
    to,
    at,
    by,
    kind: check.kind,
    comment,
    overrideReason: check.override ? options.override!.reason.trim() : null,
    skipped: check.skipped,
  };
  return {
    ...state,
    stage: to,
    status: check.status,
    closedAt: check.status === 'open' ? null : at,
    stages,
    history: [...state.history, entry],
  };
}

/** Adds a comment to the current stage's visit. */
export function addComment(state: CaseState, at: string, by: string, text: string): CaseState {
  assertInstant(at, 'at');
  const body = text.trim();
  if (!body) throw new RangeError('a comment needs text');
  const visits = state.stages[state.stage] ?? [];
  const last = visits[visits.length - 1];
  if (!last) throw new RangeError(`the case has no visit of its stage ${state.stage}`);
  const updated = { ...last, comments: [...last.comments, { at, by, text: body }] };
  return { ...state, stages: { ...state.stages, [state.stage]: [...visits.slice(0, -1), updated] } };
}

/** Sets who acts on the current stage. */
export function assign(state: CaseState, assignee: string | null): CaseState {
  const visits = state.stages[state.stage] ?? [];
  const last = visits[visits.length - 1];
  if (!last) throw new RangeError(`the case has no visit of its stage ${state.stage}`);
  return {
    ...state,
    stages: { ...state.stages, [state.stage]: [...visits.slice(0, -1), { ...last, assignee }] },
  };
}

/**
 * Rebuilds a state from stored stage changes (e.g. the `case_events` rows, opening first), checking each move
 * again: stored history that the workflow no longer allows is reported, never silently accepted.
 */
export function replayEvents(
  workflow: Workflow,
  events: readonly {
    to: string;
    at: string;
    by: string;
    comment?: string | null;
    overrideReason?: string | null;
    assignee?: string | null;
  }[],
): CaseState {
  const [opening, ...moves] = events;
  if (!opening) throw new RangeError('a case history starts with its opening');
  if (opening.to !== workflow.stages[0]!.id) {
    throw new RangeError(`a case of ${workflow.id} opens at ${workflow.stages[0]!.id}, not ${opening.to}`);
  }
  let state = openCaseState(workflow, opening.at, opening.by, {
    comment: opening.comment ?? undefined,
    assignee: opening.assignee ?? undefined,
  });
  for (const e of moves) {
    state = applyTransition(workflow, state, e.to, e.at, e.by, {
      comment: e.comment ?? undefined,
      assignee: e.assignee ?? undefined,
      override: e.overrideReason ? { reason: e.overrideReason } : undefined,
    });
  }
  return state;
}
