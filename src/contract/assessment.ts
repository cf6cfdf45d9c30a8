import { z } from 'zod';

/**
 * The assessment contract (issue 3): which US visa category fits a worker and the planned on-site
 * activities. Fixed field names — other tools depend on them; fields may be added, never renamed or removed.
 * Browser-safe: zod only, no Node imports. Custom issues carry their Korean text in `params.ko`.
 */

export const categoryIds = [
  'ESTA',
  'B1',
  'E2',
  'L1A',
  'L1B',
  'H1B',
  'H2B',
  'H3',
  'E4',
  'E3',
  'H1B1',
  'TN',
] as const;
export const activityIds = [
  'meetings',
  'negotiation',
  'conference',
  'site_visit',
  'equipment_installation',
  'equipment_servicing',
  'equipment_supervision',
  'train_us_workers',
  'receive_training',
  'construction_work',
  'construction_supervision',
  'production_work',
  'managing_us_operations',
  'supervising_us_staff',
  'engineering_work',
  'skilled_trade_work',
  'administrative_work',
] as const;
export const educationLevels = [
  'none',
  'high_school',
  'vocational',
  'associate',
  'bachelor',
  'master',
  'doctorate',
] as const;
export const workerRoles = [
  'laborer',
  'technician',
  'engineer',
  'specialist',
  'supervisor',
  'manager',
  'executive',
] as const;
export const employerRelationships = [
  'none',
  'parent',
  'subsidiary',
  'affiliate',
  'branch',
  'customer',
] as const;
export const payers = ['foreign', 'us'] as const;
export const temporaryNeeds = ['none', 'one_time', 'seasonal', 'peakload', 'intermittent'] as const;
export const verdicts = ['eligible', 'conditional', 'ineligible', 'unavailable'] as const;
export const activityStatuses = ['permitted', 'conditional', 'not_permitted'] as const;

export const categoryIdSchema = z.enum(categoryIds);
export const activityIdSchema = z.enum(activityIds);
export const verdictSchema = z.enum(verdicts);
export const activityStatusSchema = z.enum(activityStatuses);
export type CategoryId = z.infer<typeof categoryIdSchema>;
export type ActivityId = z.infer<typeof activityIdSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type ActivityStatus = z.infer<typeof activityStatusSchema>;
export type EducationLevel = (typeof educationLevels)[number];
export type WorkerRole = (typeof workerRoles)[number];
export type EmployerRelationship = (typeof employerRelationships)[number];

export const bilingualSchema = z.object({ en: z.string(), ko: z.string() });
export type BilingualText = z.infer<typeof bilingualSchema>;

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const length = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= length;
}

/** A calendar date `YYYY-MM-DD` (no time, no zone). */
export const isoDateSchema = z
  .string()
  .refine(isCalendarDate, {
    message: 'must be a real calendar date in the form YYYY-MM-DD',
    params: { ko: 'YYYY-MM-DD 형식의 실제 날짜여야 합니다' },
  })
  .describe('ISO 8601 calendar date, YYYY-MM-DD');

const yearsSchema = z.number().finite().min(0).max(80);

export const assessmentRequestSchema = z
  .object({
    asOf: isoDateSchema
      .optional()
      .describe('Date whose rules apply; default today (UTC). Not before 2024-01-01.'),
    scenario: z
      .object({
        e4Enacted: z.boolean().default(false).describe('Evaluate the proposed E-4 as if H.R. 4687 were law'),
      })
      .strict()
      .optional(),
    worker: z
      .object({
        nationality: z
          .string()
          .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as KR' }),
        birthDate: isoDateSchema,
        education: z.enum(educationLevels),
        usAdvancedDegree: z.boolean(),
        yearsSpecializedExperience: yearsSchema,
        role: z.enum(workerRoles),
        employedSince: isoDateSchema.describe(
          'Start of continuous full-time employment with the sending employer',
        ),
        residenceCountry: z
          .string()
          .regex(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code such as KR' })
          .optional()
          .describe(
            'Country where the worker lives, when not the country of nationality (where a visa may be applied for)',
          ),
        detainedOn: isoDateSchema
          .optional()
          .describe(
            'Date the worker was detained by US immigration authorities, if ever (e.g. 2025-09-04 at the Georgia site): the ESTA question on a prior violation is then answered yes, and the re-entry track applies',
          ),
        esta: z
          .object({
            electronicPassport: z.boolean(),
            priorRefusalOrDenial: z.boolean(),
            priorOverstayOrViolation: z.boolean(),
            restrictedCountryTravelOrNationality: z.boolean(),
          })
          .strict(),
      })
      .strict(),
    employer: z
      .object({
        koreanOwnershipPercent: z.number().finite().min(0).max(100),
        relationship: z.enum(employerRelationships),
        usEntityYearsInBusiness: yearsSchema,
        blanketL: z.boolean(),
      })
      .strict(),
    assignment: z
      .object({
        activities: z
          .array(activityIdSchema)
          .min(1, { message: 'list at least one activity' })
          .max(activityIds.length),
        startDate: isoDateSchema,
        endDate: isoDateSchema.describe('Inclusive'),
        payer: z.enum(payers),
        equipmentFromAbroad: z.boolean(),
        contractRequiresSellerService: z.boolean(),
        specializedKnowledgeEssential: z.boolean(),
        occupationRequiresDegree: z.boolean(),
        temporaryNeed: z.enum(temporaryNeeds),
      })
      .strict(),
  })
  .strict()
  .superRefine((request, ctx) => {
    const { startDate, endDate, activities } = request.assignment;
    if (isCalendarDate(startDate) && isCalendarDate(endDate) && endDate < startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['assignment', 'endDate'],
        message: 'must be on or after the start date (the end date is inclusive)',
        params: { ko: '시작일과 같거나 그 이후여야 합니다(종료일 포함)' },
      });
    }
    const seen = new Set<string>();
    activities.forEach((activity, index) => {
      if (seen.has(activity)) {
        ctx.addIssue({
          code: 'custom',
          path: ['assignment', 'activities', index],
          message: `lists ${activity} twice`,
          params: { ko: `${activity} 활동이 두 번 들어 있습니다` },
        });
      }
      seen.add(activity);
    });
    const { birthDate, employedSince } = request.worker;
    if (isCalendarDate(birthDate) && isCalendarDate(employedSince) && employedSince < birthDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['worker', 'employedSince'],
        message: 'must be after the birth date',
        params: { ko: '생년월일 이후여야 합니다' },
      });
    }
  });

export type AssessmentRequestInput = z.input<typeof assessmentRequestSchema>;
export type AssessmentRequest = z.output<typeof assessmentRequestSchema>;

export const referenceSchema = z.object({ title: z.string(), href: z.string() });

export const reasonSchema = z.object({
  rule: z.string().describe('Stable requirement id, e.g. b1.installer.no-us-pay'),
  passed: z.boolean(),
  citation: z.string().describe('Pinpoint citation'),
  sourceUrl: z.string().optional(),
  message: bilingualSchema,
  verify: z.boolean().optional().describe('Depends on a fact marked uncertain (status: verify)'),
  facts: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .optional()
    .describe('Fact values used'),
});
export type Reason = z.infer<typeof reasonSchema>;

export const attestationSchema = z.object({
  rule: z.string(),
  message: bilingualSchema,
  citation: z.string().optional(),
});
export type Attestation = z.infer<typeof attestationSchema>;

export const documentSchema = z.object({ id: z.string(), label: bilingualSchema });
export type RequiredDocument = z.infer<typeof documentSchema>;

export const feeSchema = z.object({
  item: z.string(),
  amount: z.number(),
  label: bilingualSchema.optional(),
  parameter: z.string().optional().describe('Parameter id the amount comes from'),
  verify: z.boolean().optional(),
});
export type Fee = z.infer<typeof feeSchema>;

export const leadTimeSchema = z.object({
  min: z.number(),
  typical: z.number(),
  max: z.number(),
  verify: z.boolean().optional().describe('True when the figures are estimates to be checked'),
  basis: bilingualSchema.optional(),
});
export type LeadTime = z.infer<typeof leadTimeSchema>;

export const capSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  pool: z.string().optional().describe('H1B: regular | advanced_degree; H2B: first_half | second_half'),
});
export type CapReference = z.infer<typeof capSchema>;

export const noteSchema = z.object({
  id: z.string(),
  verify: z.boolean().describe('True when the note reports an uncertain fact'),
  message: bilingualSchema,
  citation: z.string().optional(),
  sourceUrl: z.string().optional(),
});
export type Note = z.infer<typeof noteSchema>;

export const categoryResultSchema = z.object({
  category: categoryIdSchema,
  name: bilingualSchema.optional(),
  provision: z
    .string()
    .nullable()
    .describe('B1/ESTA: general | installer | trainer | in_lieu_h1b | in_lieu_h3; L1: individual | blanket'),
  provisions: z.array(z.string()).optional().describe('Every provision relied on, primary first'),
  verdict: verdictSchema,
  activities: z.partialRecord(activityIdSchema, activityStatusSchema),
  maxStayDays: z.number().int().nullable(),
  admitUntil: z
    .string()
    .nullable()
    .optional()
    .describe('Last day of the first admission period from the start date'),
  reasons: z.array(reasonSchema),
  attestations: z.array(attestationSchema),
  documents: z.array(documentSchema),
  leadTimeDays: leadTimeSchema.nullable(),
  feesUsd: z.array(feeSchema),
  cap: capSchema.nullable(),
  notes: z.array(noteSchema).optional(),
  verify: z.boolean().optional().describe('True when the result depends on any fact marked verify'),
});
export type CategoryResult = z.infer<typeof categoryResultSchema>;

export const assessmentResponseSchema = z.object({
  asOf: isoDateSchema,
  rulesVersion: z.string(),
  results: z.array(categoryResultSchema),
  recommended: categoryIdSchema.nullable(),
  disclaimer: bilingualSchema,
});
export type AssessmentResponse = z.infer<typeof assessmentResponseSchema>;
