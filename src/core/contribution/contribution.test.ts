import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitIntoPools } from '../quota/programs.js';
import { addSums, emptySums, indicatorsOf, type ProjectSums } from './indicators.js';
import { derivePoolPolicy, investorPool } from './pool-policy.js';

/**
 * The contribution ledger's arithmetic (issue 20): indicators are ratios of sums (a group's is the ratio of its
 * sums, never an average of ratios); the pool policy's shares sum to 1, its pools to the cap exactly, the SME
 * set-aside holds, shares follow the weights, and a published pool is never dropped.
 */
const sums = fc.record<ProjectSums>({
  traineeHours: fc.integer({ min: 0, max: 1e6 }),
  trainees: fc.integer({ min: 0, max: 1e5 }),
  certified: fc.integer({ min: 0, max: 1e5 }),
  sessions: fc.integer({ min: 0, max: 1e5 }),
  workerMonths: fc.double({ min: 0, max: 1e5, noNaN: true }),
  jobsCreated: fc.integer({ min: 0, max: 1e5 }),
  jobsCommitted: fc.integer({ min: 0, max: 1e5 }),
  visasUsed: fc.integer({ min: 0, max: 1e5 }),
  disbursedUsd: fc.integer({ min: 0, max: 1e10 }),
  committedUsd: fc.integer({ min: 0, max: 1e10 }),
});

describe('contribution indicators', () => {
  it('computes each indicator from its definition, and says nothing without a denominator', () => {
    const s: ProjectSums = { ...emptySums(), traineeHours: 480, trainees: 60, certified: 45, workerMonths: 12, jobsCreated: 300, visasUsed: 20, disbursedUsd: 50_000_000 }; // prettier-ignore
    expect(indicatorsOf(s)).toEqual({
      traineeHoursPerWorkerMonth: 40,
      certifiedShare: 0.75,
      usJobsPerVisa: 15,
      visasPerMillionUsd: 0.4,
    });
    expect(indicatorsOf(emptySums())).toEqual({
      traineeHoursPerWorkerMonth: null,
      certifiedShare: null,
      usJobsPerVisa: null,
      visasPerMillionUsd: null,
    });
  });

  it("a group's indicator is the ratio of its sums, between its members' smallest and largest", () => {
    const denominators = {
      traineeHoursPerWorkerMonth: (p: ProjectSums) => p.workerMonths,
      usJobsPerVisa: (p: ProjectSums) => p.visasUsed,
      visasPerMillionUsd: (p: ProjectSums) => p.disbursedUsd,
    } as const;
    fc.assert(
      fc.property(fc.array(sums, { minLength: 1, maxLength: 8 }), (projects) => {
        const group = addSums(projects);
        expect(group.traineeHours).toBe(projects.reduce((a, p) => a + p.traineeHours, 0));
        for (const [key, denominator] of Object.entries(denominators) as [
          keyof typeof denominators,
          (p: ProjectSums) => number,
        ][]) {
          // prettier-ignore
          // Among members that have a denominator, the ratio of sums is their weighted mean: between the extremes.
          // (A member with a numerator and no denominator still adds to the group's numerator: visas used on a
          // project with no money recorded count against the group's money. That is the definition, not a bug.)
          const measured = projects.filter((p) => denominator(p) > 0);
          if (measured.length === 0) continue;
          const value = indicatorsOf(addSums(measured))[key]!;
          const members = measured.map((p) => indicatorsOf(p)[key]!);
          expect(value).toBeGreaterThanOrEqual(Math.min(...members) * (1 - 1e-9) - 1e-9);
          expect(value).toBeLessThanOrEqual(Math.max(...members) * (1 + 1e-9) + 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });
});

const investor = fc.record({
  organizationId: fc.uuid(),
  name: fc.string({ minLength: 1, maxLength: 20 }),
  disbursedUsd: fc.integer({ min: 0, max: 5e9 }),
  traineeHours: fc.integer({ min: 0, max: 1e6 }),
});

describe('the pool policy derived from the ledger', () => {
  it('splits by the formula: investment and training weighted, the SME set-aside and general first', () => {
    const d = derivePoolPolicy({ investmentWeight: 0.5, smeShare: 0.2, generalShare: 0.1 }, [
      {
        organizationId: 'aaaaaaaa-0000-4000-8000-000000000001',
        name: 'A',
        disbursedUsd: 300,
        traineeHours: 100,
      },
      {
        organizationId: 'bbbbbbbb-0000-4000-8000-000000000002',
        name: 'B',
        disbursedUsd: 100,
        traineeHours: 300,
      },
    ]);
    // A: 0.5 × 0.75 + 0.5 × 0.25 = 0.5 of the 70% for investors.
    expect(d.investors.map((i) => i.name)).toEqual(['A', 'B']);
    for (const i of d.investors) {
      expect(i.weight).toBeCloseTo(0.5, 12);
      expect(i.share).toBeCloseTo(0.35, 12);
    }
    const pools = splitIntoPools(15_000, 2028, d.pools);
    expect(pools.map((p) => [p.name, p.cap])).toEqual([
      ['sme', 3000],
      [investorPool('aaaaaaaa-0000-4000-8000-000000000001'), 5250],
      [investorPool('bbbbbbbb-0000-4000-8000-000000000002'), 5250],
      ['general', 1500],
    ]);
  });

  it('always adds up to the cap, holds the set-aside, never gives a negative pool, keeps published pools', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(investor, { maxLength: 12, selector: (i) => i.organizationId }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        (investors, a, sme, general, cap) => {
          const keep = investors.slice(0, 2).map((i) => investorPool(i.organizationId));
          const d = derivePoolPolicy({ investmentWeight: a, smeShare: sme, generalShare: general }, investors, [...keep, 'sme']); // prettier-ignore
          expect(d.pools.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 9);
          for (const p of d.pools) expect(p.share).toBeGreaterThanOrEqual(0);
          for (const k of keep) expect(d.pools.some((p) => p.name === k)).toBe(true);
          const pools = splitIntoPools(cap, 2028, d.pools);
          expect(pools.reduce((s, p) => s + p.cap, 0)).toBe(cap);
          expect(pools.find((p) => p.name === 'sme')!.cap).toBe(Math.floor(cap * sme + 1e-9));
          for (const p of pools) expect(p.cap).toBeGreaterThanOrEqual(0);
          // More money and more training never means a smaller share than an investor with less of both.
          for (const x of d.investors)
            for (const y of d.investors)
              if (x.disbursedUsd >= y.disbursedUsd && x.traineeHours >= y.traineeHours)
                expect(x.share).toBeGreaterThanOrEqual(y.share - 1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });
});
