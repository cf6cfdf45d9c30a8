import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { scenarioSchema, type Scenario, type ScenarioInput } from '../../contract/simulation.js';
import { compareScenarios, runScenario, simulateScenario, slotsOnDay } from './engine.js';

/**
 * The scenario engine (issue 21): a fixed-delay chain takes exactly its sum; a batch waits for the next send;
 * weekly interview capacity and a quota's yearly cap are never exceeded (property tests); the SME set-aside holds;
 * seeds reproduce results; the shipped scenarios validate and run.
 */
const base = (over: Partial<ScenarioInput> = {}): ScenarioInput => ({
  name: { en: 'test', ko: '시험' },
  start: '2027-01-04', // a Monday
  horizonDays: 365,
  projects: [{ id: 'plant', name: 'Plant', workers: 100, from: '2027-01-04', to: '2027-03-31' }],
  routes: [{ path: 'p', share: 1 }],
  paths: {
    p: [
      { id: 'prepare', delay: { fixed: 10 } },
      { id: 'travel', delay: { fixed: 5 } },
    ],
  },
  ...over,
});
const scenario = (over: Partial<ScenarioInput> = {}): Scenario => scenarioSchema.parse(base(over));

describe('the scenario engine', () => {
  it('takes a fixed-delay chain in exactly its sum, and staffs the plant when the last arrives', () => {
    const r = simulateScenario(scenario(), 1);
    expect(r.admitted).toBe(100);
    for (const x of r.leadTimes) expect(x).toBeCloseTo(15, 9);
    expect(r.medianLeadDays).toBeCloseTo(15, 9);
    expect(r.shareUnder30).toBe(1);
    expect(r.timeToStaffDays.plant).toBeGreaterThanOrEqual(86 + 15 - 1);
  });

  it('sends the desk batch on its day and counts fees and refusals', () => {
    const s = scenario({
      resources: { desk: { kind: 'batch', size: 1000, everyDays: 7 } },
      paths: {
        p: [
          { id: 'desk', batch: 'desk', feeUsd: 185 },
          { id: 'interview', delay: { fixed: 0 }, refusalRate: 0.5 },
        ],
      },
    });
    const r = simulateScenario(s, 4);
    for (const x of r.leadTimes) expect(x).toBeLessThanOrEqual(7);
    expect(r.admitted + r.refused).toBe(100);
    expect(r.refused).toBeGreaterThan(30);
    expect(r.feesUsd).toBe(185 * 100);
  });

  it('never books more interviews a day than the capacity, and none on weekends', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 20, max: 400 }),
        fc.nat(),
        (perWeek, workers, seed) => {
          const s = scenario({
            projects: [{ id: 'plant', name: 'Plant', workers, from: '2027-01-04', to: '2027-02-28' }],
            resources: { post: { kind: 'queue', perWeek } },
            paths: { p: [{ id: 'interview', queue: 'post' }] },
          });
          const r = simulateScenario(s, seed);
          expect(r.admitted).toBe(workers);
          let booked = 0;
          for (const [day, count] of Object.entries(r.bookedByDay.post!)) {
            expect(count).toBeLessThanOrEqual(slotsOnDay(s, perWeek, Number(day)));
            booked += count;
          }
          expect(booked).toBe(workers);
          expect(r.utilization.post).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never issues more quota numbers a fiscal year than the cap; the SME set-aside goes to SMEs first', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.nat(),
        (cap, smeShare, seed) => {
          const s = scenario({
            horizonDays: 900,
            projects: [
              { id: 'big', name: 'Big', workers: 300, from: '2027-01-04', to: '2027-06-30' },
              { id: 'sme', name: 'SME', workers: 100, from: '2027-01-04', to: '2027-06-30', sme: true },
            ],
            quotas: { e4: { perFiscalYear: cap, smeShare } },
            paths: { p: [{ id: 'number', quota: 'e4' }] },
          });
          const r = simulateScenario(s, seed);
          const setAside = Math.round(cap * smeShare);
          for (const issued of Object.values(r.quotaIssued.e4 ?? {})) {
            expect(issued.general + issued.sme).toBeLessThanOrEqual(cap);
            expect(issued.sme).toBeLessThanOrEqual(setAside);
            expect(issued.general).toBeLessThanOrEqual(cap - setAside);
          }
          // The first year's set-aside is taken by the SME workers (they ask before it runs out).
          expect(r.quotaIssued.e4!.FY2027!.sme).toBe(Math.min(setAside, 100));
          // Everyone is admitted in the end, a year's numbers at a time (or the horizon ends first).
          expect(r.admitted).toBeLessThanOrEqual(400);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reproduces a run from its seed; a different seed differs', () => {
    const s = scenarioSchema.parse(parse(readFileSync('scenarios/today.yaml', 'utf8')));
    const a = runScenario(s, { replications: 3, seed: 9 });
    expect(runScenario(s, { replications: 3, seed: 9 })).toEqual(a);
    expect(runScenario(s, { replications: 3, seed: 10 }).medianLeadDays.mean).not.toBe(a.medianLeadDays.mean);
  });

  it('ships scenarios that validate and run, compared with paired replications', () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(scenarioSchema.safeParse(parse(readFileSync(`scenarios/${f}`, 'utf8'))).success, f).toBe(true); // prettier-ignore
    const today = scenarioSchema.parse(parse(readFileSync('scenarios/today.yaml', 'utf8')));
    const same = compareScenarios(today, today, { replications: 4, seed: 2 });
    expect(same.difference.medianLeadDays.mean).toBe(0);
  });

  it('refuses a scenario that does not add up, with paths', () => {
    const bad = scenarioSchema.safeParse(
      base({
        routes: [
          { path: 'p', share: 0.5 },
          { path: 'nope', share: 0.2 },
        ],
      }),
    );
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['routes', 'routes.1.path']));
  });
});
