import { z } from 'zod';
import { bilingualSchema, educationLevels, isoDateSchema, workerRoles } from './assessment.js';

/**
 * The settlement planner (issue 19): a worker's and family's ranked paths over a decade, from the first visa to
 * permanent residence. `POST /api/settlement/plan` plans from facts (what-if; also `korus plan FILE`);
 * `GET/PUT /api/workers/{id}/plan` reads and saves a worker's plan (goal chosen by HR or the worker), recomputed
 * when the rules or the facts change; `GET /api/workers/{id}/plan.pdf` is the bilingual family plan;
 * `GET/POST /api/sites/{id}/directory` the overseas-Korean network near a site; `GET /api/console/settlement`
 * the working group's aggregates.
 */

export const planGoalKinds = ['permanent', 'stay'] as const;
export const planGoalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('permanent') }),
  z.object({ kind: z.literal('stay'), years: z.number().int().min(1).max(40) }),
]);
export type PlanGoal = z.infer<typeof planGoalSchema>;

/** Where the worker stands today: a status in the United States since a date, or abroad. */
export const planStatusCodes = ['abroad', 'B1', 'ESTA', 'L1A', 'L1B', 'H1B', 'E2', 'E4'] as const;
export type PlanStatusCode = (typeof planStatusCodes)[number];

const person = z.object({
  name: z.string().trim().max(120).optional(),
  birthDate: isoDateSchema,
});

/** Everything a plan is computed from (the server fills it from the worker's records). */
export const planFactsSchema = z
  .object({
    asOf: isoDateSchema,
    worker: z.object({
      name: z.string().trim().max(120).optional(),
      birthDate: isoDateSchema,
      education: z.enum(educationLevels),
      role: z.enum(workerRoles),
      /** Start of continuous full-time work with the sending employer (abroad, before coming). */
      employedSince: isoDateSchema,
      /** Years of relevant experience before this employer (added to the years with it). */
      priorExperienceYears: z.number().min(0).max(50).default(0),
    }),
    employer: z.object({
      name: z.string().trim().max(200).optional(),
      /** At least half owned by Korean nationals: E-2 treaty employer (INA 101(a)(15)(E)(ii)). */
      koreanOwned: z.boolean().default(true),
      /** A qualifying relationship abroad (parent, subsidiary, affiliate, branch): L-1 and EB-1C. */
      multinational: z.boolean().default(true),
    }),
    status: z.object({
      code: z.enum(planStatusCodes),
      since: isoDateSchema.nullable().default(null),
      daysOutside: z.number().int().min(0).max(20_000).default(0),
      /** Days already used in H or L status before the current one. */
      usedDays: z.number().int().min(0).max(20_000).default(0),
    }),
    /** The site's state (USPS code): schools and the consulate of jurisdiction. */
    state: z.string().regex(/^[A-Z]{2}$/, 'a two-letter state code (USPS), e.g. GA'),
    goal: planGoalSchema,
    family: z
      .object({
        spouse: person.nullable().default(null),
        children: z.array(person).max(12).default([]),
      })
      .default({ spouse: null, children: [] }),
  })
  .strict();
export type PlanFactsInput = z.input<typeof planFactsSchema>;
export type PlanFacts = z.infer<typeof planFactsSchema>;

export const planRoutes = [
  'eb1c',
  'eb2_perm',
  'eb2_niw',
  'eb3_perm',
  'eb5',
  'e2_renewals',
  'e4_scenario',
] as const;
export type PlanRoute = (typeof planRoutes)[number];

export const planStepKinds = [
  'first_visa',
  'prevailing_wage',
  'recruitment',
  'perm',
  'i140',
  'i526e',
  'visa_wait',
  'i485',
  'consular',
  'green_card',
  'naturalization_eligible',
  'e_extension',
] as const;
export type PlanStepKind = (typeof planStepKinds)[number];

export const planSegmentSchema = z.object({
  status: z.string(),
  label: bilingualSchema,
  from: z.string(),
  to: z.string(),
  /** The limit in words (7-year maximum, renewable two years at a time, …). */
  limit: bilingualSchema,
  citation: z.string(),
  verify: z.boolean(),
});
export const planStepSchema = z.object({
  kind: z.enum(planStepKinds),
  label: bilingualSchema,
  from: z.string(),
  to: z.string(),
  /** An estimate (processing times, the bulletin's queue): shown as such. */
  estimate: z.boolean(),
  citation: z.string(),
  /** The dated parameter or data behind the duration. */
  source: z.string().nullable(),
  verify: z.boolean(),
});
export const planFilingSchema = z.object({
  label: bilingualSchema,
  /** The first day it can be filed (null: now). */
  from: z.string().nullable(),
  /** The last day for it to do its work. */
  dueBy: z.string(),
  reason: bilingualSchema,
  citation: z.string(),
});
export const spouseWorkModes = ['incident_to_status', 'with_ead', 'no', 'permanent_resident'] as const;
export const planSpousePeriodSchema = z.object({
  status: z.string(),
  label: bilingualSchema,
  from: z.string(),
  to: z.string(),
  work: z.enum(spouseWorkModes),
  explanation: bilingualSchema,
  citation: z.string(),
});
export const planSchoolYearSchema = z.object({
  /** e.g. `2027-28` (1 August to 31 July). */
  schoolYear: z.string(),
  /** `pre` before kindergarten, `K`, `1`…`12`, `done` after grade 12. */
  grade: z.string(),
});
export const planChildSchema = z.object({
  index: z.number().int(),
  name: z.string().nullable(),
  birthDate: z.string(),
  turns21On: z.string(),
  /** Whether the child gets permanent residence with the parent on this path (CSPA). */
  protectedAsChild: z.boolean().nullable(),
  /** The CSPA age-out date on this path (21st birthday + days the petition was pending). */
  ageOutOn: z.string().nullable(),
  /** The CSPA age on the estimated day a visa is available, in years. */
  cspaAgeYears: z.number().nullable(),
  explanation: bilingualSchema,
  school: z.array(planSchoolYearSchema),
});
export const planRiskSeverities = ['info', 'warning', 'critical'] as const;
export const planRiskSchema = z.object({
  severity: z.enum(planRiskSeverities),
  text: bilingualSchema,
  citation: z.string().nullable(),
});
export const planPathSchema = z.object({
  route: z.enum(planRoutes),
  rank: z.number().int(),
  title: bilingualSchema,
  summary: bilingualSchema,
  /** Not law (the E-4): a scenario, never ranked above a path in force. */
  scenario: z.boolean(),
  reachesGoal: z.boolean(),
  /** The estimated green card, or the end of the stay the path gives. */
  goalOn: z.string().nullable(),
  priorityDate: z.string().nullable(),
  /** The estimated day the priority date is current (final action chart). */
  currentOn: z.string().nullable(),
  segments: z.array(planSegmentSchema),
  steps: z.array(planStepSchema),
  filings: z.array(planFilingSchema),
  spouse: z.array(planSpousePeriodSchema),
  children: z.array(planChildSchema),
  risks: z.array(planRiskSchema),
  citations: z.array(z.string()),
});
export type PlanPath = z.infer<typeof planPathSchema>;
export const planUnavailableSchema = z.object({ route: z.enum(planRoutes), reason: bilingualSchema });
export const planSchema = z.object({
  asOf: z.string(),
  horizonTo: z.string(),
  goal: planGoalSchema,
  state: z.string(),
  /** The Visa Bulletin used: its month, the chart, and whether its figures are still to verify. */
  bulletin: z.object({ month: z.string(), chart: z.literal('final_action'), verify: z.boolean() }),
  paths: z.array(planPathSchema),
  unavailable: z.array(planUnavailableSchema),
  /** Plain words on what the plan is: an estimate, not legal advice. */
  notice: bilingualSchema,
});
export type Plan = z.infer<typeof planSchema>;

/** A worker's saved plan: the plan, the goal, what it was computed from and when. */
/** Facts HR may give where the worker's records are silent. */
export const planOverridesSchema = z
  .object({
    koreanOwned: z.boolean().optional(),
    multinational: z.boolean().optional(),
    priorExperienceYears: z.number().min(0).max(50).optional(),
  })
  .strict();
export type PlanOverrides = z.infer<typeof planOverridesSchema>;
export const savedPlanSchema = z.object({
  workerId: z.string(),
  goal: planGoalSchema,
  plan: planSchema,
  computedAt: z.string(),
  /** Why it was computed last: first plan, facts changed, rules changed, goal changed. */
  reason: z.enum(['first', 'facts', 'rules', 'goal']),
  /** The facts it stands on, as the planner read them (the worker can check them). */
  facts: planFactsSchema,
  overrides: planOverridesSchema,
});
export type SavedPlan = z.infer<typeof savedPlanSchema>;
export const putPlanGoalSchema = z
  .object({ goal: planGoalSchema, overrides: planOverridesSchema.optional() })
  .strict();
export const workerPlanSchema = z.object({ plan: savedPlanSchema.nullable(), defaultGoal: planGoalSchema });

/** What a saved plan keeps of its computation (the timeline is computed again when read). */
export interface PlanSummary {
  topRoute: string | null;
  greenCardOn: string | null;
  /** The first-ranked path's filings and the children it leaves behind: the alerts read them. */
  filings: { label: { en: string; ko: string }; dueBy: string; citation: string }[];
  ageOuts: { index: number; name: string | null; ageOutOn: string }[];
  routes: { route: string; rank: number; goalOn: string | null; reachesGoal: boolean }[];
}
// ---------------------------------------------------------------- the overseas-Korean network near a site

export const directoryKinds = [
  'consulate',
  'association',
  'weekend_school',
  'doctor',
  'counsel',
  'interpreter',
  'housing',
  'mentor',
] as const;
const dirText = z.string().trim().min(1).max(300);
export const createDirectoryEntrySchema = z
  .object({
    kind: z.enum(directoryKinds),
    name: z.object({ en: dirText, ko: dirText }),
    description: z.object({ en: z.string().trim().max(1000), ko: z.string().trim().max(1000) }).optional(),
    phone: z.string().trim().max(40).optional(),
    email: z.email().max(254).optional(),
    website: z
      .string()
      .regex(/^https:\/\/\S{3,300}$/, 'an https address')
      .optional(),
    address: z.string().trim().max(300).optional(),
    languages: z
      .array(z.enum(['ko', 'en']))
      .min(1)
      .default(['ko', 'en']),
    /** Fictional entries (the demo) are shown as such. */
    fictional: z.boolean().default(false),
    verifiedOn: isoDateSchema,
  })
  .strict();
export const directoryEntrySchema = z.object({
  id: z.string(),
  siteId: z.string(),
  kind: z.enum(directoryKinds),
  name: bilingualSchema,
  description: bilingualSchema.nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  address: z.string().nullable(),
  languages: z.array(z.string()),
  fictional: z.boolean(),
  verifiedOn: z.string(),
  /** Who verified it: the maintaining organization's name. */
  verifiedBy: z.string(),
  /** Public data (the consulate of jurisdiction), not an entry someone keeps. */
  official: z.boolean(),
  status: z.enum(['verify', 'verified']),
});
export type DirectoryEntry = z.infer<typeof directoryEntrySchema>;
export const directorySchema = z.object({
  siteId: z.string(),
  siteName: z.string(),
  state: z.string(),
  items: z.array(directoryEntrySchema),
});
export type Directory = z.infer<typeof directorySchema>;

// ---------------------------------------------------------------- the working group's aggregates

export const settlementAggregatesSchema = z.object({
  asOf: z.string(),
  /** Cells under this count are suppressed (null). */
  smallCell: z.number(),
  families: z.number().nullable(),
  familiesOnPermanentPath: z.number().nullable(),
  byRoute: z.array(z.object({ route: z.enum(planRoutes), families: z.number().nullable() })),
  childrenOfSchoolAgeByState: z.array(z.object({ state: z.string(), children: z.number().nullable() })),
  expectedGreenCardsByYear: z.array(
    z.object({ year: z.number(), workers: z.number().nullable(), dependents: z.number().nullable() }),
  ),
});
export type SettlementAggregates = z.infer<typeof settlementAggregatesSchema>;
