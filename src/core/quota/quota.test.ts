import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadParameters } from '../rules/parameters.js';
import {
  availableOf,
  compareDraws,
  counterProblem,
  drawLottery,
  entriesDigest,
  fiscalYearDate,
  fiscalYearWindow,
  lotteryEntries,
  projectExhaustion,
  quotaProgramCodes,
  quotaProgramFor,
  quotaProgramsFor,
  seedCommitment,
  splitIntoPools,
  utilizationSeries,
  deltaOf,
} from './index.js';
import { quotaProgramCodes as contractCodes } from '../../contract/quota.js';

const parameters = loadParameters();
const seed = 'a'.repeat(64);

describe('quota programs from the rules parameters', () => {
  it('reads every program’s cap for FY2027', () => {
    const caps = Object.fromEntries(quotaProgramsFor(parameters, 2027).map((p) => [p.code, p.cap]));
    expect(caps).toEqual({
      E4: 15_000,
      E3: 10_500,
      H1B1_CL: 1_400,
      H1B1_SG: 5_400,
      H1B: 85_000,
      H2B: 66_000,
      TN: null,
    });
    expect(contractCodes).toEqual(quotaProgramCodes);
    const e4 = quotaProgramFor(parameters, 'E4', 2027)!;
    expect(e4.status).toBe('proposed');
    expect(e4.pools).toMatchObject([{ name: 'general', cap: 15_000 }]);
    expect(e4.references[0]!.href).toMatch(/^https:/);
    // Before the bill existed there is no E-4 cap.
    expect(quotaProgramFor(parameters, 'E4', 2025)).toBeUndefined();
  });

  it('splits the H-1B and the H-2B into their pools', () => {
    const h1b = quotaProgramFor(parameters, 'H1B', 2027)!;
    expect(h1b.pools.map((p) => [p.name, p.cap])).toEqual([
      ['regular', 65_000],
      ['advanced_degree', 20_000],
    ]);
    expect(h1b.weightedSelection).toBe(true); // FY2027 season: the rule took effect 2026-02-27
    expect(quotaProgramFor(parameters, 'H1B', 2026)!.weightedSelection).toBe(false);
    const h2b = quotaProgramFor(parameters, 'H2B', 2027)!;
    expect(h2b.pools).toMatchObject([
      { name: 'first_half', cap: 33_000, spillOn: '2027-04-01', spillInto: 'second_half' },
      { name: 'second_half', cap: 33_000, spillOn: null },
    ]);
  });

  it('splits a cap by shares: pools always add up to the cap, general takes the rounding', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 99 }), (cap, percent) => {
        const pools = splitIntoPools(cap, 2027, [
          { name: 'sme', share: percent / 100, spillOn: '07-01', spillInto: 'general' },
          { name: 'general', share: 1 - percent / 100 },
        ]);
        expect(pools.reduce((s, p) => s + p.cap, 0)).toBe(cap);
        expect(pools[0]!.spillOn).toBe('2027-07-01');
      }),
    );
    expect(() => splitIntoPools(10, 2027, [{ name: 'sme', share: 1 }])).toThrow(/general/);
    expect(() => splitIntoPools(10, 2027, [{ name: 'general', share: 0.5 }])).toThrow(/add up/);
    expect(fiscalYearDate(2027, '11-15')).toBe('2026-11-15');
  });

  it('opens a fiscal year for reservations one year ahead and closes it after September 30', () => {
    expect(fiscalYearWindow(2027, '2026-11-23')).toBe('open');
    expect(fiscalYearWindow(2028, '2026-11-23')).toBe('open');
    expect(fiscalYearWindow(2029, '2026-11-23')).toBe('not_yet_open');
    expect(fiscalYearWindow(2026, '2026-10-01')).toBe('ended');
    expect(fiscalYearWindow(2026, '2026-09-30')).toBe('open');
  });
});

describe('counters, utilization and projection', () => {
  it('knows impossible states', () => {
    expect(counterProblem({ cap: 2, reserved: 2, issued: 1, released: 0, waitlisted: 0 })).toMatch(/exceed/);
    expect(counterProblem({ cap: 2, reserved: 1, issued: 0, released: 0, waitlisted: 1 })).toMatch(/waiting/);
    expect(availableOf({ cap: 5, reserved: 1, issued: 2, released: 7, waitlisted: 0 })).toBe(2);
  });

  it('builds a daily series and projects exhaustion from the recent rate', () => {
    const daily = [
      { date: '2026-10-01', delta: deltaOf('open', 1000) },
      ...Array.from({ length: 30 }, (_, i) => ({
        date: `2026-10-${String(i + 2).padStart(2, '0')}`,
        delta: deltaOf('reserve', 10),
      })),
    ];
    const series = utilizationSeries(daily, '2026-11-05');
    expect(series[0]).toMatchObject({ date: '2026-10-01', cap: 1000, used: 0 });
    expect(series.at(-1)).toMatchObject({ date: '2026-11-05', used: 300 });
    const projection = projectExhaustion(series, 700, '2026-10-31');
    expect(projection.ratePerDay).toBe(10);
    expect(projection.date).toBe('2027-01-09'); // 700 left at 10 a day: 70 days
    expect(projectExhaustion(series, 0, '2026-11-05').exhausted).toBe(true);
  });
});

describe('the lottery', () => {
  const registrations = Array.from({ length: 400 }, (_, i) => ({
    beneficiary: `b${String(i).padStart(4, '0')}`,
    wageLevel: ((i % 4) + 1) as 1 | 2 | 3 | 4,
    advancedDegree: i % 3 === 0,
  }));

  it('enters each beneficiary once, with the lowest wage level and advanced degree only if all agree', () => {
    const entries = lotteryEntries(
      [
        { beneficiary: 'x', wageLevel: 4, advancedDegree: true },
        { beneficiary: 'x', wageLevel: 2, advancedDegree: false },
        { beneficiary: 'y', wageLevel: null, advancedDegree: true },
      ],
      true,
    );
    expect(entries).toEqual([
      { beneficiary: 'x', weight: 2, advancedDegree: false, registrations: 2 },
      { beneficiary: 'y', weight: 1, advancedDegree: true, registrations: 1 },
    ]);
  });

  it('is deterministic for a seed, independent of list order, and the advanced round takes only the unselected', () => {
    const entries = lotteryEntries(registrations, true);
    const params = { seed, regularCap: 100, advancedCap: 30, weighted: true };
    const first = drawLottery(entries, params);
    const shuffled = drawLottery([...entries].reverse(), params);
    expect(shuffled).toEqual(first);
    expect(first.regular).toHaveLength(100);
    expect(first.advanced).toHaveLength(30);
    const regular = new Set(first.regular);
    for (const b of first.advanced) {
      expect(regular.has(b)).toBe(false);
      expect(entries.find((e) => e.beneficiary === b)!.advancedDegree).toBe(true);
    }
    expect(drawLottery(entries, { ...params, seed: 'b'.repeat(64) })).not.toEqual(first);
    expect(compareDraws(first, shuffled)).toEqual([]);
    const tampered = { ...first, regular: [...first.regular.slice(1), 'b9999'] };
    expect(compareDraws(first, tampered)).toHaveLength(2);
    expect(seedCommitment(seed)).toMatch(/^[0-9a-f]{64}$/);
    expect(entriesDigest(entries)).toBe(entriesDigest([...entries]));
  });

  it('favours higher wage levels when weighted (about 4:1 between levels IV and I)', () => {
    const many = lotteryEntries(
      Array.from({ length: 4000 }, (_, i) => ({
        beneficiary: `w${i}`,
        wageLevel: (i % 2 === 0 ? 4 : 1) as 1 | 4,
        advancedDegree: false,
      })),
      true,
    );
    const result = drawLottery(many, { seed, regularCap: 400, advancedCap: 0, weighted: true });
    const level4 = result.regular.filter((b) => Number(b.slice(1)) % 2 === 0).length;
    expect(level4 / (400 - level4)).toBeGreaterThan(3);
    expect(level4 / (400 - level4)).toBeLessThan(5.5);
  });
});
