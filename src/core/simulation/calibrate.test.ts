import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioSchema, type Scenario, type ScenarioInput } from '../../contract/simulation.js';
import { calibrateScenario, empiricalOf, MAX_POINTS, measureStages, type MeasuredCase } from './calibrate.js';
import { nextOccurrence, simulateScenario } from './engine.js';

/**
 * Calibration from measured cases (issue 21, item 2) and the calendar stage (the H-1B cap season): measured
 * durations become the delay, refusals and 221(g) the rates, the cases opened the shares; small samples keep the
 * entered figures; every figure carries its sample size; the result is a valid scenario.
 */
const DAY = 86_400_000;
const t0 = Date.parse('2026-03-02T00:00:00Z');

/** A case through prepare (p days), the interview (i days), then 221(g) (a days) or not, travel (2), admitted. */
function deskCase(
  k: number,
  p: number,
  i: number,
  end: 'admitted' | 'refused' | 'admin' | 'admin_refused',
): MeasuredCase {
  const opened = t0 + k * DAY;
  const ev = [
    { stage: 'prepare_documents', at: opened },
    { stage: 'visa_application', at: opened + (p / 2) * DAY },
    { stage: 'consular_interview', at: opened + p * DAY },
  ];
  let at = opened + (p + i) * DAY;
  if (end === 'refused') ev.push({ stage: 'refused', at });
  else {
    if (end === 'admin' || end === 'admin_refused') {
      ev.push({ stage: 'administrative_processing', at });
      at += 30 * DAY;
      if (end === 'admin_refused') {
        ev.push({ stage: 'refused', at });
        return { workflowId: 'b1', openedAt: opened, events: ev };
      }
    }
    ev.push({ stage: 'travel', at }, { stage: 'admitted', at: at + 2 * DAY });
  }
  return { workflowId: 'b1', openedAt: opened, events: ev };
}

const base = (over: Partial<ScenarioInput> = {}): Scenario =>
  scenarioSchema.parse({
    name: { en: 'test', ko: '시험' },
    start: '2027-01-04',
    horizonDays: 365,
    projects: [{ id: 'plant', name: 'Plant', workers: 100, from: '2027-01-04', to: '2027-03-31' }],
    routes: [
      { path: 'b1', share: 0.5 },
      { path: 'l1', share: 0.5 },
    ],
    measuredBy: { b1: ['b1'], l1: ['l1-blanket'] },
    paths: {
      b1: [
        { id: 'prepare', delay: { fixed: 10 }, measures: ['prepare_documents', 'visa_application'] },
        { id: 'interview', delay: { fixed: 3 }, refusalRate: 0.5, adminProcessing: { rate: 0.5, delay: { fixed: 60 } }, measures: ['consular_interview'] }, // prettier-ignore
        { id: 'travel', delay: { fixed: 5 }, measures: ['travel'] },
      ],
      l1: [{ id: 'visa', delay: { fixed: 20 }, measures: ['consular_interview'] }],
    },
    ...over,
  });
const period = { from: '2026-01-01', to: '2026-12-31' };

describe('calibration from measured cases', () => {
  it('takes the measured durations, refusals, 221(g) share and length, and the shares of the cases', () => {
    // 20 cases: prepare 4 days each (summed over two stages), interview 1 day; 2 refused at the interview, 4
    // held in 221(g) for 30 days (one of them then refused).
    const cases = Array.from({ length: 20 }, (_, k) =>
      deskCase(k, 4, 1, k < 2 ? 'refused' : k < 5 ? 'admin' : k < 6 ? 'admin_refused' : 'admitted'),
    );
    const s = calibrateScenario(base(), cases, period);
    const [prepare, interview, travel] = s.paths.b1!;
    expect(prepare!.delay).toEqual({ empirical: new Array(20).fill(4) });
    expect(travel!.delay).toEqual({ empirical: new Array(17).fill(2) }); // the refused never travel
    expect(interview!.refusalRate).toBeCloseTo(3 / 20, 12); // two at the interview, one after 221(g)
    expect(interview!.adminProcessing!.rate).toBeCloseTo(4 / 18, 12); // of the 18 who went on
    // Three 221(g) cases ended (the refused one has no length): under the minimum of five, the entered 60 days stay.
    expect(interview!.adminProcessing!.delay).toEqual({ fixed: 60 });
    // Shares: 20 B-1 cases and no L-1 blanket case opened in the period.
    expect(s.routes).toEqual([
      { path: 'b1', share: 1 },
      { path: 'l1', share: 0 },
    ]);
    const sample = (stage: string | null, what: string) => s.calibration!.samples.find((x) => x.stage === stage && x.what === what && (stage !== null || x.path === 'b1')); // prettier-ignore
    expect(sample('prepare', 'delay')).toMatchObject({ n: 20, value: 4, used: true, entered: 10 });
    expect(sample('interview', 'refusalRate')).toMatchObject({ n: 20, used: true, entered: 0.5 });
    expect(sample('interview', 'adminProcessingDelay')).toMatchObject({ n: 3, value: 30, used: false, entered: 60 }); // prettier-ignore
    expect(s.calibration).toMatchObject({ from: '2026-01-01', to: '2026-12-31', cases: 20, minSample: 5 });
    // L-1 has no case: its entered figures stay, with n = 0 said.
    expect(s.paths.l1![0]!.delay).toEqual({ fixed: 20 });
    expect(s.calibration!.samples.find((x) => x.path === 'l1' && x.what === 'delay')).toMatchObject({ n: 0, used: false }); // prettier-ignore
    expect(scenarioSchema.safeParse(s).success).toBe(true);
  });

  it("takes a desk queue's weekly capacity from the desk's interview calendar", () => {
    const withQueue = base({
      resources: { kit: { kind: 'queue', perWeek: 100, measuredBy: 'embassy_desk_interviews' }, other: { kind: 'queue', perWeek: 7 } }, // prettier-ignore
    });
    const s = calibrateScenario(withQueue, [], period, 5, { perWeek: 123.4, days: 260, recorded: 12 });
    expect(s.resources.kit).toMatchObject({ perWeek: 123 });
    expect(s.resources.other).toMatchObject({ perWeek: 7 });
    expect(s.calibration!.samples.find((x) => x.what === 'capacity')).toMatchObject({ path: 'kit', n: 12, value: 123.4, used: true, entered: 100 }); // prettier-ignore
    // No calendar: the entered capacity stays, said so.
    const none = calibrateScenario(withQueue, [], period);
    expect(none.resources.kit).toMatchObject({ perWeek: 100 });
    expect(none.calibration!.samples.find((x) => x.what === 'capacity')).toMatchObject({
      used: false,
      value: null,
    });
  });

  it('keeps the entered figures below the minimum sample, and reads only the period', () => {
    const few = Array.from({ length: 4 }, (_, k) => deskCase(k, 4, 1, 'admitted'));
    const s = calibrateScenario(base(), few, period);
    expect(s.paths.b1![0]!.delay).toEqual({ fixed: 10 });
    expect(s.routes.map((r) => r.share)).toEqual([0.5, 0.5]);
    const outside = calibrateScenario(base(), Array.from({ length: 30 }, (_, k) => deskCase(k, 4, 1, 'admitted')), { from: '2025-01-01', to: '2025-12-31' }); // prettier-ignore
    expect(outside.paths.b1![0]!.delay).toEqual({ fixed: 10 });
    expect(outside.calibration!.cases).toBe(0);
  });

  it('sums repeated visits of a stage (sent back) and ignores cases still in it', () => {
    const sentBack: MeasuredCase = {
      workflowId: 'b1',
      openedAt: t0,
      events: [
        { stage: 'prepare_documents', at: t0 },
        { stage: 'visa_application', at: t0 + 2 * DAY },
        { stage: 'prepare_documents', at: t0 + 3 * DAY },
        { stage: 'visa_application', at: t0 + 5 * DAY },
        { stage: 'consular_interview', at: t0 + 6 * DAY },
      ],
    };
    const stillThere: MeasuredCase = { workflowId: 'b1', openedAt: t0, events: [{ stage: 'prepare_documents', at: t0 }] }; // prettier-ignore
    const m = measureStages([sentBack, stillThere], new Set(['b1']), new Set(['prepare_documents', 'visa_application']), period); // prettier-ignore
    expect(m.durations).toEqual([6]);
    expect(m.left).toBe(1);
  });

  it('keeps shares summing to 1 with a route that opens later, and at most MAX_POINTS points', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('b1', 'l1-blanket'), { minLength: 5, maxLength: 60 }), (kinds) => {
        const cases = kinds.map((w, k) => ({ ...deskCase(k, 3, 1, 'admitted'), workflowId: w }));
        const s = calibrateScenario(
          base({
            routes: [
              { path: 'b1', share: 0.3 },
              { path: 'l1', share: 0.3 },
              { path: 'e4', share: 0.4, availableFrom: '2027-10-01' },
            ],
            paths: { ...base().paths, e4: [{ id: 'x', delay: { fixed: 1 } }] },
          }),
          cases,
          period,
        );
        expect(s.routes.reduce((a, r) => a + r.share, 0)).toBeCloseTo(1, 12);
        expect(s.routes.find((r) => r.path === 'e4')!.share).toBe(0.4);
        const b1 = kinds.filter((k) => k === 'b1').length;
        expect(s.routes.find((r) => r.path === 'b1')!.share).toBeCloseTo((0.6 * b1) / kinds.length, 9);
        expect(scenarioSchema.safeParse(s).success).toBe(true);
      }),
      { numRuns: 50 },
    );
    const big = empiricalOf(Array.from({ length: 5000 }, (_, k) => k / 10));
    expect('empirical' in big && big.empirical.length).toBe(MAX_POINTS);
    expect('empirical' in big && big.empirical[0]! < 1 && big.empirical.at(-1)! > 498).toBe(true);
  });

  it('calibrates the shipped scenarios: every measured stage exists in its workflows', () => {
    for (const f of ['today', 'e4-enacted', 'desk-doubled', 'e4-sme-pool']) {
      const s = scenarioSchema.parse(parse(readFileSync(`scenarios/${f}.yaml`, 'utf8')));
      for (const [path, workflows] of Object.entries(s.measuredBy ?? {}))
        for (const wf of workflows) {
          const yaml = parse(readFileSync(`rules/workflows/${wf}.yaml`, 'utf8')) as {
            stages: { id: string }[];
          };
          const ids = new Set(yaml.stages.map((x) => x.id));
          for (const stage of s.paths[path]!) {
            const known = (stage.measures ?? []).filter((m) => ids.has(m));
            // Each measured stage list names at least one stage of each workflow of the path (L-1 blanket has no petition).
            if (stage.measures && !(path === 'l1' && stage.id === 'uscis_petition' && wf === 'l1-blanket'))
              expect(known.length, `${f}: ${path}.${stage.id} in ${wf}`).toBeGreaterThan(0);
          }
        }
    }
  });
});

describe('the calendar stage (the H-1B cap season)', () => {
  it('finds the next occurrence of a month and day', () => {
    // 2027-01-04 is day 0.
    expect(nextOccurrence('2027-01-04', '03-31', 0)).toBe(86);
    expect(nextOccurrence('2027-01-04', '03-31', 86)).toBe(86);
    expect(nextOccurrence('2027-01-04', '03-31', 86.5)).toBe(86 + 366); // 2028 is a leap year
    expect(nextOccurrence('2027-01-04', '02-29', 0)).toBe(421); // 2028-02-29
    expect(nextOccurrence('2027-01-04', '01-04', 0.25)).toBe(365);
  });

  it('admits H-1B workers of the shipped scenario no earlier than ten days before 1 October', () => {
    const today = scenarioSchema.parse(parse(readFileSync('scenarios/today.yaml', 'utf8')));
    const h1bOnly: Scenario = { ...today, routes: [{ path: 'h1b', share: 1 }] };
    const r = simulateScenario(h1bOnly, 3);
    expect(r.admitted).toBeGreaterThan(0);
    // Every need of 2027 is met by the 2027 or 2028 season: lead times stretch to the 21 September after a March.
    expect(r.refused / (r.admitted + r.refused)).toBeGreaterThan(0.55); // most registrations are not selected
    const min = Math.min(...r.leadTimes);
    expect(min).toBeGreaterThan(150);
  });
});
