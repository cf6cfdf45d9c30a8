import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../contract/workflow.js';
import { addDays } from '../dates/index.js';
import { loadWorkflows } from './load.js';
import { workflowById } from './select.js';
import { planCase, riskWindowDays, slaStatus, utcDateOf } from './sla.js';
import { allowedTransitions, applyTransition, checkTransition, openCaseState } from './transitions.js';

// ESTA: prepare_documents 2, esta_application 1, esta_review 3, travel 2, admitted 0 = 8 days.
const esta = workflowById('esta')!;
const ids = esta.stages.map((s) => s.id);

function moves(openedAt: string, steps: [string, string, { reason: string }?][]): CaseState {
  let s = openCaseState(esta, openedAt, 'hr');
  for (const [to, at, override] of steps)
    s = applyTransition(esta, s, to, at, 'hr', override ? { override } : {});
  return s;
}
const byId = (sla: ReturnType<typeof slaStatus>) => Object.fromEntries(sla.stages.map((s) => [s.id, s]));

describe('planCase', () => {
  it('works backwards from the assignment start when the targets fit', () => {
    const plan = planCase(esta, { openedAt: '2026-05-01T10:00:00Z', assignmentStart: '2026-06-01' });
    expect(plan).toMatchObject({
      mode: 'backward',
      fits: true,
      totalDays: 8,
      availableDays: 31,
      shortfallDays: 0,
      targetDate: '2026-06-01',
    });
    expect(plan.stages.map((s) => `${s.id}:${s.startDate}>${s.targetDate}`)).toEqual([
      'prepare_documents:2026-05-24>2026-05-26',
      'esta_application:2026-05-26>2026-05-27',
      'esta_review:2026-05-27>2026-05-30',
      'travel:2026-05-30>2026-06-01',
      'admitted:2026-06-01>2026-06-01',
    ]);
  });

  it('still works backwards when the targets fill the time exactly', () => {
    const plan = planCase(esta, { openedAt: '2026-05-24T00:00:00Z', assignmentStart: '2026-06-01' });
    expect(plan).toMatchObject({ mode: 'backward', availableDays: 8, targetDate: '2026-06-01' });
    expect(plan.stages[0]).toMatchObject({ startDate: '2026-05-24', targetDate: '2026-05-26' });
  });

  it('works forward from the opening when one day short, and says by how much', () => {
    const plan = planCase(esta, { openedAt: '2026-05-25T08:00:00Z', assignmentStart: '2026-06-01' });
    expect(plan).toMatchObject({
      mode: 'forward',
      fits: false,
      availableDays: 7,
      shortfallDays: 1,
      targetDate: '2026-06-02',
    });
    expect(plan.stages.map((s) => s.targetDate)).toEqual([
      '2026-05-27',
      '2026-05-28',
      '2026-05-31',
      '2026-06-02',
      '2026-06-02',
    ]);
  });

  it('plans forward when the assignment start is already past', () => {
    const plan = planCase(esta, { openedAt: '2026-06-10T08:00:00Z', assignmentStart: '2026-06-01' });
    expect(plan).toMatchObject({
      mode: 'forward',
      availableDays: -9,
      shortfallDays: 17,
      targetDate: '2026-06-18',
    });
  });

  it('counts the opening on its UTC date and rejects a bad start date', () => {
    expect(utcDateOf('2026-05-24T23:30:00-05:00')).toBe('2026-05-25');
    expect(
      planCase(esta, { openedAt: '2026-05-24T23:30:00-05:00', assignmentStart: '2026-06-01' }).mode,
    ).toBe('forward');
    expect(() => planCase(esta, { openedAt: '2026-05-01T00:00:00Z', assignmentStart: '2026-02-30' })).toThrow(
      /YYYY-MM-DD/,
    );
  });
});

describe('slaStatus', () => {
  const openedAt = '2026-05-01T10:00:00Z';
  const plan = planCase(esta, { openedAt, assignmentStart: '2026-06-01' });

  it('is on time on the exact target day and late one day later (calendar days, UTC)', () => {
    const s = moves(openedAt, []);
    const onDay = slaStatus(plan, s, '2026-05-26T23:59:59Z');
    expect(byId(onDay).prepare_documents).toMatchObject({ position: 'current', daysLate: 0 });
    expect(byId(onDay).prepare_documents!.sla).not.toBe('late');
    expect(onDay.sla).not.toBe('late');
    const dayAfter = slaStatus(plan, s, '2026-05-27T00:00:00Z');
    expect(byId(dayAfter).prepare_documents).toMatchObject({ sla: 'late', daysLate: 1 });
    expect(dayAfter).toMatchObject({ sla: 'late', daysLate: 1 });
  });

  it('is on track with time to spare, at risk within the window', () => {
    const s = moves(openedAt, []);
    const early = slaStatus(plan, s, '2026-05-02T12:00:00Z');
    expect(early.sla).toBe('on_track');
    expect(early.stages.map((x) => x.sla)).toEqual([
      'on_track',
      'on_track',
      'on_track',
      'on_track',
      'on_track',
    ]);
    expect(early.stages.map((x) => x.position)).toEqual(['current', 'future', 'future', 'future', 'future']);
    expect(riskWindowDays(2)).toBe(1);
    expect(riskWindowDays(21)).toBe(5);
    expect(byId(slaStatus(plan, s, '2026-05-25T12:00:00Z')).prepare_documents!.sla).toBe('on_track');
    expect(byId(slaStatus(plan, s, '2026-05-26T00:00:00Z')).prepare_documents!.sla).toBe('at_risk');
  });

  it('flags stages ahead as late once their own target date has passed', () => {
    const s = moves(openedAt, []);
    const sla = slaStatus(plan, s, '2026-05-28T09:00:00Z');
    expect(byId(sla).prepare_documents).toMatchObject({ sla: 'late', daysLate: 2 });
    expect(byId(sla).esta_application).toMatchObject({ position: 'future', sla: 'late', daysLate: 1 });
    expect(byId(sla).esta_review).toMatchObject({ sla: 'at_risk', daysLate: 0, expectedDate: '2026-06-01' });
    expect(sla).toMatchObject({ sla: 'late', daysLate: 2, targetDate: '2026-06-01' });
  });

  it('projects a late start of the current stage onto the stages ahead (at risk before late)', () => {
    const s = moves(openedAt, [
      ['esta_application', '2026-05-26T09:00:00Z'],
      ['esta_review', '2026-05-29T09:00:00Z'],
    ]);
    const sla = slaStatus(plan, s, '2026-05-29T12:00:00Z');
    expect(byId(sla).esta_application).toMatchObject({
      position: 'done',
      sla: 'late',
      daysLate: 2,
      expectedDate: '2026-05-29',
    });
    expect(byId(sla).prepare_documents).toMatchObject({ position: 'done', sla: 'done', daysLate: 0 });
    expect(byId(sla).esta_review).toMatchObject({
      position: 'current',
      sla: 'at_risk',
      expectedDate: '2026-06-01',
    });
    expect(byId(sla).travel).toMatchObject({ sla: 'at_risk', expectedDate: '2026-06-03' });
    // A stage finished late does not make the case late once the current stage is on time.
    expect(sla).toMatchObject({ sla: 'at_risk', daysLate: 0 });
  });

  it('shows skipped stages as skipped', () => {
    const s = moves(openedAt, [['esta_review', '2026-05-03T09:00:00Z', { reason: 'ESTA already approved' }]]);
    const sla = slaStatus(plan, s, '2026-05-03T12:00:00Z');
    expect(byId(sla).esta_application).toMatchObject({ position: 'skipped', sla: 'done' });
    expect(byId(sla).esta_review!.position).toBe('current');
  });

  it('closes admitted cases as done, with the days the admission was late', () => {
    const onTime = moves(
      openedAt,
      ids.slice(1).map((to, i) => [to, `2026-05-${27 + i}T09:00:00Z`] as [string, string]),
    );
    expect(onTime.status).toBe('admitted');
    const sla = slaStatus(plan, onTime, '2026-07-01T00:00:00Z');
    expect(sla).toMatchObject({ sla: 'done', daysLate: 0 });
    expect(byId(sla).esta_application).toMatchObject({ sla: 'late', daysLate: 1 });
    expect(byId(sla).admitted).toMatchObject({ sla: 'done', expectedDate: '2026-05-30' });

    const days = ['2026-05-30', '2026-05-31', '2026-06-01', '2026-06-02'];
    const late = moves(
      openedAt,
      ids.slice(1).map((to, i) => [to, `${days[i]}T09:00:00Z`] as [string, string]),
    );
    expect(slaStatus(plan, late, '2026-07-01T00:00:00Z')).toMatchObject({ sla: 'done', daysLate: 1 });
  });

  it('closes refused cases: stages never reached are moot', () => {
    const s = moves(openedAt, [
      ['esta_application', '2026-05-02T09:00:00Z'],
      ['refused', '2026-05-03T09:00:00Z'],
    ]);
    const sla = slaStatus(plan, s, '2026-07-01T00:00:00Z');
    expect(sla).toMatchObject({ sla: 'done', daysLate: 0 });
    expect(sla.stages.map((x) => x.position)).toEqual(['done', 'done', 'closed', 'closed', 'closed']);
  });
});

describe('planCase (property)', () => {
  it('gives ordered stage dates that meet the start when they fit, and start at the opening otherwise', () => {
    const workflows = [...loadWorkflows().workflows.values()];
    fc.assert(
      fc.property(
        fc.constantFrom(...workflows),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: -60, max: 400 }),
        (workflow, day, lead) => {
          const openedOn = addDays('2024-01-01', day);
          const plan = planCase(workflow, {
            openedAt: `${openedOn}T12:00:00Z`,
            assignmentStart: addDays(openedOn, lead),
          });
          const dates = plan.stages.map((s) => s.targetDate);
          expect([...dates].sort()).toEqual(dates);
          // A contingent stage (221(g)) has no width in the plan.
          plan.stages.forEach((s) =>
            expect(addDays(s.startDate, s.contingent ? 0 : s.targetDays)).toBe(s.targetDate),
          );
          expect(plan.targetDate).toBe(dates.at(-1));
          if (plan.fits) {
            expect(plan.targetDate).toBe(plan.assignmentStart);
            expect(plan.stages[0]!.startDate >= openedOn).toBe(true);
          } else {
            expect(plan.stages[0]!.startDate).toBe(openedOn);
            expect(plan.targetDate).toBe(addDays(plan.assignmentStart, plan.shortfallDays));
          }
        },
      ),
    );
  });
});

describe('a contingent stage (221(g) administrative processing, issue 17)', () => {
  const desk = workflowById('b1-embassy-desk')!;
  const walk = (to: string[], start = '2026-01-05') => {
    let s = openCaseState(desk, `${start}T09:00:00Z`, 'hr');
    to.forEach((stage, k) => {
      s = applyTransition(desk, s, stage, `${addDays(start, k + 1)}T09:00:00Z`, 'hr');
    });
    return s;
  };

  it('has no width in the plan and adds nothing to the total', () => {
    const plan = planCase(desk, { openedAt: '2026-01-05T09:00:00Z', assignmentStart: '2026-06-01' });
    const stage = plan.stages.find((s) => s.id === 'administrative_processing')!;
    expect(stage).toMatchObject({ contingent: true, targetDays: 60 });
    expect(stage.startDate).toBe(stage.targetDate);
    const sum = desk.stages.filter((s) => !s.contingent).reduce((n, s) => n + s.targetDays, 0);
    expect(plan.totalDays).toBe(sum);
  });

  it('does not delay the projection while not entered, and runs its own clock once entered', () => {
    const plan = planCase(desk, { openedAt: '2026-01-05T09:00:00Z', assignmentStart: '2026-06-01' });
    const before = walk(['visa_application', 'batch_assembly', 'desk_submission', 'consular_interview']);
    const ahead = byId(slaStatus(plan, before, '2026-01-10T12:00:00Z'));
    expect(ahead['administrative_processing']).toMatchObject({ position: 'future', expectedDate: null });
    expect(ahead['travel']!.sla).toBe('on_track');

    const held = walk([
      'visa_application',
      'batch_assembly',
      'desk_submission',
      'consular_interview',
      'administrative_processing',
    ]);
    // Entered 2026-01-10: its own target is 60 days later, whatever the plan said.
    const onDay = (day: string) =>
      byId(slaStatus(plan, held, `${day}T12:00:00Z`))['administrative_processing']!;
    expect(onDay('2026-02-01')).toMatchObject({
      position: 'current',
      targetDate: '2026-03-11',
      sla: 'on_track',
    });
    expect(onDay('2026-03-12')).toMatchObject({ sla: 'late', daysLate: 1 });
  });

  it('is offered only from the interview, after the normal next step, and passing it is not a skip', () => {
    const moves = allowedTransitions(desk, { stage: 'consular_interview', status: 'open' });
    expect(moves.slice(0, 2).map((m) => `${m.to}:${m.kind}:${m.needsOverride}`)).toEqual([
      'travel:forward:false',
      'administrative_processing:forward:false',
    ]);
    expect(checkTransition(desk, { stage: 'consular_interview', status: 'open' }, 'travel')).toMatchObject({
      ok: true,
      kind: 'forward',
      skipped: [],
    });
    const earlier = allowedTransitions(desk, { stage: 'batch_assembly', status: 'open' });
    expect(earlier.some((m) => m.to === 'administrative_processing')).toBe(false);
  });
});
