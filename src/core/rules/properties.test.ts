import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  activityIds,
  assessmentResponseSchema,
  educationLevels,
  employerRelationships,
  temporaryNeeds,
  workerRoles,
  type AssessmentRequest,
} from '../../contract/assessment.js';
import { formatIsoDate, parseIsoDate } from '../dates/index.js';
import { assess, loadRules, parseAssessmentRequest } from './index.js';

const rules = loadRules();
const day = (iso: string) => parseIsoDate(iso);
const date = (from: string, to: string) => fc.integer({ min: day(from), max: day(to) }).map(formatIsoDate);

/** Any valid request within the modelled range. */
const requestArbitrary: fc.Arbitrary<AssessmentRequest> = fc
  .record({
    asOf: date('2024-01-01', '2027-12-31'),
    e4Enacted: fc.boolean(),
    nationality: fc.constantFrom('KR', 'KR', 'KR', 'JP', 'US', 'VN'),
    birthDate: date('1950-01-01', '2005-12-31'),
    education: fc.constantFrom(...educationLevels),
    usAdvancedDegree: fc.boolean(),
    years: fc.integer({ min: 0, max: 40 }),
    role: fc.constantFrom(...workerRoles),
    employedSinceOffset: fc.integer({ min: 0, max: 9000 }),
    esta: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
    ownership: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(49.9, 50, 50.1)),
    relationship: fc.constantFrom(...employerRelationships),
    entityYears: fc.oneof(fc.constant(0.5), fc.integer({ min: 0, max: 50 })),
    blanketL: fc.boolean(),
    activities: fc.uniqueArray(fc.constantFrom(...activityIds), { minLength: 1, maxLength: 6 }),
    startOffset: fc.integer({ min: -30, max: 800 }),
    length: fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constantFrom(90, 91, 180, 181, 365, 366), fc.integer({ min: 1, max: 2600 })),
    payer: fc.constantFrom('foreign' as const, 'us' as const),
    flags: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean()),
    temporaryNeed: fc.constantFrom(...temporaryNeeds),
  })
  .map((x) => {
    const asOfDay = day(x.asOf);
    const start = asOfDay + x.startOffset;
    const employedSince = Math.max(day(x.birthDate) + 6570, asOfDay - x.employedSinceOffset);
    return parseAssessmentRequest({
      asOf: x.asOf,
      scenario: { e4Enacted: x.e4Enacted },
      worker: {
        nationality: x.nationality,
        birthDate: x.birthDate,
        education: x.education,
        usAdvancedDegree: x.usAdvancedDegree,
        yearsSpecializedExperience: x.years,
        role: x.role,
        employedSince: formatIsoDate(employedSince),
        esta: { electronicPassport: x.esta[0], priorRefusalOrDenial: x.esta[1], priorOverstayOrViolation: x.esta[2], restrictedCountryTravelOrNationality: x.esta[3] },
      },
      employer: { koreanOwnershipPercent: x.ownership, relationship: x.relationship, usEntityYearsInBusiness: x.entityYears, blanketL: x.blanketL },
      assignment: {
        activities: x.activities,
        startDate: formatIsoDate(start),
        endDate: formatIsoDate(start + x.length - 1),
        payer: x.payer,
        equipmentFromAbroad: x.flags[0],
        contractRequiresSellerService: x.flags[1],
        specializedKnowledgeEssential: x.flags[2],
        occupationRequiresDegree: x.flags[3],
        temporaryNeed: x.temporaryNeed,
      },
    });
  });

const runs = { numRuns: 1500 };

describe('properties of assess', () => {
  it('every valid request gives a response that validates against the response schema', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const response = assess(request, rules);
        assessmentResponseSchema.parse(JSON.parse(JSON.stringify(response)));
      }),
      { numRuns: 400 },
    );
  });

  it('a category is never eligible while one of its activities is not permitted; ineligible always says why', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        for (const result of assess(request, rules).results) {
          const statuses = Object.values(result.activities);
          if (statuses.includes('not_permitted')) expect(['ineligible', 'unavailable']).toContain(result.verdict);
          if (result.verdict === 'eligible') {
            expect(statuses.every((s) => s === 'permitted')).toBe(true);
            expect(result.attestations).toEqual([]);
            expect(result.reasons.every((r) => r.passed)).toBe(true);
          }
          if (result.verdict === 'ineligible') expect(result.reasons.some((r) => !r.passed)).toBe(true);
          if (result.verdict === 'conditional') expect(result.attestations.length + statuses.filter((s) => s === 'conditional').length).toBeGreaterThan(0);
        }
      }),
      runs,
    );
  });

  it('equal inputs give equal outputs (including a structurally cloned input)', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const a = JSON.stringify(assess(request, rules));
        const b = JSON.stringify(assess(structuredClone(request), rules));
        expect(b).toBe(a);
      }),
      { numRuns: 500 },
    );
  });

  it('every result reports exactly the planned activities, and results come in the fixed category order', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const response = assess(request, rules);
        expect(response.results.map((r) => r.category)).toEqual(['ESTA', 'B1', 'E2', 'L1A', 'L1B', 'H1B', 'H2B', 'H3', 'E4', 'E3', 'H1B1', 'TN']);
        for (const result of response.results) expect(Object.keys(result.activities).sort()).toEqual([...request.assignment.activities].sort());
      }),
      runs,
    );
  });

  it('the recommendation is an eligible or conditional category, eligible whenever one is', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const { results, recommended } = assess(request, rules);
        const fits = results.filter((r) => r.verdict === 'eligible' || r.verdict === 'conditional');
        if (fits.length === 0) {
          expect(recommended).toBeNull();
          return;
        }
        const chosen = results.find((r) => r.category === recommended)!;
        expect(['eligible', 'conditional']).toContain(chosen.verdict);
        if (fits.some((r) => r.verdict === 'eligible')) expect(chosen.verdict).toBe('eligible');
      }),
      runs,
    );
  });

  it('E-4 is unavailable exactly when the scenario is off (or before the bill was introduced); reference programs are never open', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const byId = new Map(assess(request, rules).results.map((r) => [r.category, r]));
        const billExists = request.asOf! >= '2025-07-23';
        expect(byId.get('E4')!.verdict === 'unavailable').toBe(!request.scenario?.e4Enacted || !billExists);
        for (const id of ['E3', 'H1B1', 'TN'] as const) expect(byId.get(id)!.verdict).toBe('ineligible');
      }),
      runs,
    );
  });

  it('ESTA never fits a stay over 90 days, and hands-on construction never fits ESTA or B-1', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        const byId = new Map(assess(request, rules).results.map((r) => [r.category, r]));
        const days = day(request.assignment.endDate) - day(request.assignment.startDate) + 1;
        if (days > 90) expect(byId.get('ESTA')!.verdict).toBe('ineligible');
        if (request.assignment.activities.includes('construction_work')) {
          expect(byId.get('ESTA')!.activities.construction_work).toBe('not_permitted');
          expect(byId.get('B1')!.activities.construction_work).toBe('not_permitted');
        }
      }),
      runs,
    );
  });

  // H-3 is the one category that REQUIRES an activity (receive_training), so it is left out.
  it('adding an activity never improves a verdict (monotonic in the plan), except H-3', () => {
    const rank = { eligible: 0, conditional: 1, ineligible: 2, unavailable: 3 } as const;
    fc.assert(
      fc.property(requestArbitrary, fc.constantFrom(...activityIds), (request, extra) => {
        if (request.assignment.activities.includes(extra)) return;
        const before = assess(request, rules).results;
        const after = assess({ ...request, assignment: { ...request.assignment, activities: [...request.assignment.activities, extra] } }, rules).results;
        after.forEach((r, i) => {
          if (r.category !== 'H3') expect(rank[r.verdict], r.category).toBeGreaterThanOrEqual(rank[before[i]!.verdict]);
        });
      }),
      runs,
    );
  });

  it('a verify flag on a reason, fee or note always raises the result’s verify flag', () => {
    fc.assert(
      fc.property(requestArbitrary, (request) => {
        for (const r of assess(request, rules).results) {
          const any = r.reasons.some((x) => x.verify) || r.feesUsd.some((f) => f.verify) || (r.notes ?? []).some((n) => n.verify);
          expect(r.verify).toBe(any);
        }
      }),
      runs,
    );
  });
});
