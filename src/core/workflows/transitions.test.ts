import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseStateSchema } from '../../contract/workflow.js';
import { loadWorkflows } from './load.js';
import { workflowById } from './select.js';
import {
  addComment,
  allowedTransitions,
  applyTransition,
  assign,
  checkTransition,
  openCaseState,
  replayEvents,
  stageTitle,
  TransitionFailure,
} from './transitions.js';

const b1 = workflowById('b1')!;
const e2 = workflowById('e2')!;
const T0 = '2026-03-02T09:00:00Z';
const at = (day: number) => `2026-03-${String(2 + day).padStart(2, '0')}T09:00:00Z`;

describe('checkTransition', () => {
  const state = { stage: 'visa_application', status: 'open' as const };

  it('allows forward by one stage', () => {
    expect(checkTransition(b1, state, 'interview_scheduling')).toEqual({
      ok: true,
      kind: 'forward',
      override: false,
      status: 'open',
      skipped: [],
    });
  });

  it('refuses a skip without an override, with messages in English and Korean', () => {
    const check = checkTransition(b1, state, 'consular_interview');
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.error.code).toBe('skip_requires_override');
    expect(check.error.message.en).toMatch(/Wait for the interview appointment/);
    expect(check.error.message.ko).toMatch(/인터뷰 예약 대기/);
    expect(checkTransition(b1, state, 'consular_interview', { override: { reason: '   ' } }).ok).toBe(false);
  });

  it('allows a skip with an override and a reason, naming the stages skipped', () => {
    expect(
      checkTransition(b1, state, 'travel', { override: { reason: 'Visa already held (issued 2025)' } }),
    ).toEqual({
      ok: true,
      kind: 'skip',
      override: true,
      status: 'open',
      skipped: ['interview_scheduling', 'consular_interview'],
    });
  });

  it('passes over an optional stage without an override (E-2 company already registered)', () => {
    const check = checkTransition(e2, { stage: 'prepare_documents', status: 'open' }, 'visa_application');
    expect(check).toMatchObject({
      ok: true,
      kind: 'skip',
      override: false,
      skipped: ['company_registration'],
    });
    // ...but not past a required stage as well.
    expect(
      checkTransition(e2, { stage: 'prepare_documents', status: 'open' }, 'interview_scheduling').ok,
    ).toBe(false);
  });

  it('allows back by one stage (rework), not further', () => {
    expect(checkTransition(b1, state, 'prepare_documents')).toMatchObject({
      ok: true,
      kind: 'back',
      override: false,
    });
    const far = checkTransition(b1, { stage: 'consular_interview', status: 'open' }, 'prepare_documents');
    expect(far).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
    const withOverride = checkTransition(
      b1,
      { stage: 'consular_interview', status: 'open' },
      'prepare_documents',
      {
        override: { reason: 'start again' },
      },
    );
    expect(withOverride.ok).toBe(false);
  });

  it('allows refused and withdrawn from any open stage', () => {
    for (const stage of b1.stages.slice(0, -1)) {
      expect(checkTransition(b1, { stage: stage.id, status: 'open' }, 'refused')).toMatchObject({
        ok: true,
        kind: 'exit',
        status: 'refused',
      });
      expect(checkTransition(b1, { stage: stage.id, status: 'open' }, 'withdrawn')).toMatchObject({
        ok: true,
        status: 'withdrawn',
      });
    }
  });

  it('sets status admitted on reaching admitted', () => {
    expect(checkTransition(b1, { stage: 'travel', status: 'open' }, 'admitted')).toMatchObject({
      ok: true,
      status: 'admitted',
    });
  });

  it('keeps terminal states final', () => {
    for (const [stage, status] of [
      ['admitted', 'admitted'],
      ['refused', 'refused'],
      ['withdrawn', 'withdrawn'],
    ] as const) {
      for (const to of ['travel', 'prepare_documents', 'withdrawn']) {
        expect(checkTransition(b1, { stage, status }, to)).toMatchObject({
          ok: false,
          error: { code: 'closed_case' },
        });
      }
    }
  });

  it('reports unknown stages and staying put', () => {
    expect(checkTransition(b1, state, 'lottery')).toMatchObject({
      ok: false,
      error: { code: 'unknown_stage', to: 'lottery' },
    });
    expect(checkTransition(b1, { stage: 'nowhere', status: 'open' }, 'travel')).toMatchObject({
      ok: false,
      error: { code: 'unknown_stage' },
    });
    expect(checkTransition(b1, state, 'visa_application')).toMatchObject({
      ok: false,
      error: { code: 'same_stage' },
    });
  });
});

describe('allowedTransitions', () => {
  it('lists next, skips (with override), back and exits', () => {
    const moves = allowedTransitions(b1, { stage: 'visa_application', status: 'open' });
    expect(moves.map((m) => `${m.to}:${m.kind}:${m.needsOverride}`)).toEqual([
      'interview_scheduling:forward:false',
      'consular_interview:skip:true',
      'travel:skip:true',
      'admitted:skip:true',
      'prepare_documents:back:false',
      'refused:exit:false',
      'withdrawn:exit:false',
    ]);
    // Each listed move is accepted by checkTransition (with an override where needed).
    for (const m of moves) {
      const check = checkTransition(
        b1,
        { stage: 'visa_application', status: 'open' },
        m.to,
        m.needsOverride ? { override: { reason: 'r' } } : {},
      );
      expect(check.ok).toBe(true);
    }
    expect(allowedTransitions(b1, { stage: 'admitted', status: 'admitted' })).toEqual([]);
    expect(
      allowedTransitions(e2, { stage: 'prepare_documents', status: 'open' }).find(
        (m) => m.to === 'visa_application',
      )?.needsOverride,
    ).toBe(false);
  });
});

describe('applyTransition', () => {
  it('keeps per-stage visits with timestamps, assignee and comments, and a history', () => {
    let s = openCaseState(b1, T0, 'hr@example.com', { assignee: 'u-hr', comment: 'Opened from assessment' });
    s = applyTransition(b1, s, 'visa_application', at(3), 'hr@example.com', {
      assignee: 'u-worker',
      comment: 'Documents complete',
    });
    s = addComment(s, at(4), 'u-worker', 'DS-160 started');
    s = applyTransition(b1, s, 'prepare_documents', at(5), 'hr@example.com', {
      comment: 'Employer letter missing the dates',
    });
    s = applyTransition(b1, s, 'visa_application', at(6), 'hr@example.com');
    s = assign(s, 'u-worker-2');
    s = applyTransition(b1, s, 'travel', at(7), 'admin@example.com', {
      override: { reason: 'Valid B-1 visa already held' },
    });
    s = applyTransition(b1, s, 'admitted', at(10), 'hr@example.com');

    expect(caseStateSchema.parse(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(s.status).toBe('admitted');
    expect(s.closedAt).toBe(at(10));
    expect(s.stages.prepare_documents).toEqual([
      {
        enteredAt: T0,
        leftAt: at(3),
        enteredBy: 'hr@example.com',
        assignee: 'u-hr',
        comments: [{ at: T0, by: 'hr@example.com', text: 'Opened from assessment' }],
      },
      {
        enteredAt: at(5),
        leftAt: at(6),
        enteredBy: 'hr@example.com',
        assignee: null,
        comments: [{ at: at(5), by: 'hr@example.com', text: 'Employer letter missing the dates' }],
      },
    ]);
    expect(s.stages.visa_application).toHaveLength(2);
    expect(s.stages.visa_application![0]!.comments.map((c) => c.text)).toEqual([
      'Documents complete',
      'DS-160 started',
    ]);
    expect(s.stages.visa_application![1]!.assignee).toBe('u-worker-2');
    expect(s.stages.admitted).toEqual([
      { enteredAt: at(10), leftAt: null, enteredBy: 'hr@example.com', assignee: null, comments: [] },
    ]);
    expect(s.history.map((h) => `${h.from}>${h.to}:${h.kind}`)).toEqual([
      'null>prepare_documents:open',
      'prepare_documents>visa_application:forward',
      'visa_application>prepare_documents:back',
      'prepare_documents>visa_application:forward',
      'visa_application>travel:skip',
      'travel>admitted:forward',
    ]);
    expect(s.history[4]).toMatchObject({
      overrideReason: 'Valid B-1 visa already held',
      skipped: ['interview_scheduling', 'consular_interview'],
    });
  });

  it('does not change its input and throws a typed failure on a refused move', () => {
    const s = openCaseState(b1, T0, 'hr');
    const copy = structuredClone(s);
    applyTransition(b1, s, 'visa_application', at(1), 'hr');
    expect(s).toEqual(copy);
    try {
      applyTransition(b1, s, 'travel', at(1), 'hr');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TransitionFailure);
      expect((error as TransitionFailure).error.code).toBe('skip_requires_override');
    }
  });

  it('closes the case on an exit and then refuses any move', () => {
    let s = openCaseState(b1, T0, 'hr');
    s = applyTransition(b1, s, 'withdrawn', at(2), 'hr', { comment: 'Project postponed' });
    expect(s).toMatchObject({ status: 'withdrawn', stage: 'withdrawn', closedAt: at(2) });
    expect(s.stages.prepare_documents![0]!.leftAt).toBe(at(2));
    expect(() => applyTransition(b1, s, 'visa_application', at(3), 'hr')).toThrow(/closed/);
  });

  it('refuses a move dated before the previous change or without a time zone', () => {
    const s = applyTransition(b1, openCaseState(b1, T0, 'hr'), 'visa_application', at(3), 'hr');
    expect(() => applyTransition(b1, s, 'interview_scheduling', at(2), 'hr')).toThrow(
      /before the previous change/,
    );
    expect(() => applyTransition(b1, s, 'interview_scheduling', '2026-03-09T09:00:00', 'hr')).toThrow(
      /time zone/,
    );
    expect(() => applyTransition(e2, s, 'interview_scheduling', at(4), 'hr')).toThrow(/workflow/);
  });

  it('replays stored events to the same state, and rejects a history the workflow forbids', () => {
    let s = openCaseState(b1, T0, 'hr');
    s = applyTransition(b1, s, 'visa_application', at(1), 'hr', { comment: 'ok' });
    s = applyTransition(b1, s, 'travel', at(2), 'admin', { override: { reason: 'visa held' } });
    const events = s.history.map((h) => ({
      to: h.to,
      at: h.at,
      by: h.by,
      comment: h.comment,
      overrideReason: h.overrideReason,
    }));
    expect(replayEvents(b1, events)).toEqual(s);
    expect(() =>
      replayEvents(
        b1,
        events.map((e) => ({ ...e, overrideReason: null })),
      ),
    ).toThrow(TransitionFailure);
    expect(() => replayEvents(b1, [])).toThrow(/opening/);
  });

  it('titles stages and exits in both languages', () => {
    expect(stageTitle(b1, 'refused')).toEqual({ en: 'Refused', ko: '거절' });
    expect(stageTitle(b1, 'admitted').ko).toMatch(/입국/);
  });
});

describe('random walks through every workflow (property)', () => {
  it('only reach states that survive JSON and replay, with one history entry per move', () => {
    const workflows = [...loadWorkflows().workflows.values()];
    fc.assert(
      fc.property(
        fc.constantFrom(...workflows),
        fc.array(fc.tuple(fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 72 })), { maxLength: 30 }),
        (workflow, picks) => {
          let state = openCaseState(workflow, '2026-01-01T00:00:00Z', 'hr');
          let ms = Date.parse(state.openedAt);
          let moves = 0;
          for (const [pick, useOverride, hours] of picks) {
            const options = allowedTransitions(workflow, state);
            if (options.length === 0) break;
            const move = options[pick % options.length]!;
            ms += hours * 3_600_000;
            const at = new Date(ms).toISOString();
            const override = useOverride ? { reason: 'test' } : undefined;
            if (move.needsOverride && !override) {
              expect(() => applyTransition(workflow, state, move.to, at, 'hr')).toThrow(TransitionFailure);
              continue;
            }
            state = applyTransition(workflow, state, move.to, at, 'hr', { override });
            moves++;
          }
          expect(state.history).toHaveLength(moves + 1);
          expect(caseStateSchema.parse(JSON.parse(JSON.stringify(state)))).toEqual(state);
          const events = state.history.map((h) => ({
            to: h.to,
            at: h.at,
            by: h.by,
            comment: h.comment,
            overrideReason: h.overrideReason,
          }));
          expect(replayEvents(workflow, events)).toEqual(state);
          // Exactly one visit is open while the case is open, none once it is closed (the terminal one stays open).
          const openVisits = Object.values(state.stages)
            .flat()
            .filter((v) => v.leftAt === null).length;
          expect(openVisits).toBe(1);
          expect(state.status === 'open').toBe(state.closedAt === null);
        },
      ),
      { numRuns: 300 },
    );
  });
});
