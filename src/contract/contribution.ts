import { z } from 'zod';
import { isoDateSchema } from './assessment.js';
import { oneLine } from './text.js';

/**
 * The contribution ledger (issue 20): investment, US jobs, training given by Korean workers, knowledge-transfer
 * milestones; the indicators computed from them; the quota pool policy derived from them. Amounts in USD.
 */
const line = (max: number) => oneLine(z.string().trim().min(1).max(max));

export const investmentKinds = ['committed', 'disbursed'] as const;
export const milestoneKinds = ['line_runs_alone', 'supervisor_certified', 'other'] as const;

export const investmentInputSchema = z
  .object({
    projectId: z.uuid(),
    kind: z.enum(investmentKinds),
    amountUsd: z.number().positive().max(1e13),
    onDate: isoDateSchema,
    /** The source document: its title or reference (a board resolution, a bank statement, a filing). */
    source: line(200),
  })
  .strict();

export const quarterSchema = z
  .string()
  .regex(/^\d{4}-Q[1-4]$/, 'a quarter such as 2026-Q3')
  .refine(
    (q) => Number(q.slice(0, 4)) >= 2000 && Number(q.slice(0, 4)) <= 2100,
    'a quarter from 2000 to 2100',
  );

export const jobsInputSchema = z
  .object({
    projectId: z.uuid(),
    quarter: quarterSchema,
    /** US jobs committed for the project, and the headcount created at the end of the quarter. */
    committed: z.number().int().min(0).max(1_000_000),
    created: z.number().int().min(0).max(1_000_000),
    source: line(200),
  })
  .strict();

export const trainingPlanInputSchema = z
  .object({ projectId: z.uuid(), title: line(160), goal: z.string().trim().min(1).max(2000) })
  .strict();

export const traineeSchema = z.object({ name: line(120), certified: z.boolean().default(false) }).strict();

export const trainingSessionInputSchema = z
  .object({
    projectId: z.uuid(),
    planId: z.uuid().optional(),
    /** The Korean worker who gave it (one of the organization's workers). */
    trainerWorkerId: z.uuid(),
    heldOn: isoDateSchema,
    hours: z.number().positive().max(24).multipleOf(0.25),
    topic: line(200),
    equipment: line(200).optional(),
    place: line(200),
    /** US trainees present; with names given, at least as many as the names. */
    trainees: z.number().int().min(1).max(500),
    certified: z.number().int().min(0).max(500),
    skill: line(200).optional(),
    /** Names, where the employer records them (kept, encrypted, in the employer's organization only). */
    traineeNames: z.array(traineeSchema).max(500).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.certified > s.trainees)
      ctx.addIssue({ code: 'custom', path: ['certified'], message: 'cannot exceed the trainees' });
    if (s.traineeNames && s.traineeNames.length > s.trainees)
      ctx.addIssue({ code: 'custom', path: ['traineeNames'], message: 'more names than trainees' });
    if (s.traineeNames && s.traineeNames.filter((t) => t.certified).length > s.certified)
      ctx.addIssue({
        code: 'custom',
        path: ['certified'],
        message: 'fewer than the trainees named as certified',
      });
  });

export const milestoneInputSchema = z
  .object({ projectId: z.uuid(), kind: z.enum(milestoneKinds), title: line(200), achievedOn: isoDateSchema })
  .strict();

const nullableNumber = z.number().nullable();

export const indicatorsSchema = z.object({
  traineeHoursPerWorkerMonth: nullableNumber,
  certifiedShare: nullableNumber,
  usJobsPerVisa: nullableNumber,
  visasPerMillionUsd: nullableNumber,
});

export const sumsSchema = z.object({
  traineeHours: z.number(),
  trainees: z.number(),
  certified: z.number(),
  sessions: z.number(),
  workerMonths: z.number(),
  jobsCreated: z.number(),
  jobsCommitted: z.number(),
  visasUsed: z.number(),
  disbursedUsd: z.number(),
  committedUsd: z.number(),
});

export const projectContributionSchema = z.object({
  projectId: z.uuid(),
  code: z.string(),
  name: z.string(),
  sector: z.string(),
  investor: z.string(),
  sums: sumsSchema,
  indicators: indicatorsSchema,
});

export const contributionOverviewSchema = z.object({
  asOf: isoDateSchema,
  projects: z.array(projectContributionSchema),
  /** The caller's own contribution (a partner: its sessions on the projects; an investor: with its partners'). */
  total: z.object({ sums: sumsSchema, indicators: indicatorsSchema }),
});

export const trainingSessionSchema = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  projectName: z.string(),
  organization: z.string(),
  planId: z.uuid().nullable(),
  planTitle: z.string().nullable(),
  trainer: z.object({ id: z.uuid(), name: z.string() }),
  heldOn: isoDateSchema,
  hours: z.number(),
  topic: z.string(),
  equipment: z.string().nullable(),
  place: z.string(),
  trainees: z.number().int(),
  certified: z.number().int(),
  skill: z.string().nullable(),
  /** Only for the recording organization. */
  traineeNames: z.array(z.object({ name: z.string(), certified: z.boolean() })).nullable(),
  recordedBy: z.string(),
});
export type TrainingSession = z.infer<typeof trainingSessionSchema>;

export const ledgerEntriesSchema = z.object({
  investments: z.array(
    z.object({
      id: z.uuid(),
      projectId: z.uuid(),
      organization: z.string(),
      kind: z.enum(investmentKinds),
      amountUsd: z.number(),
      onDate: isoDateSchema,
      source: z.string(),
      recordedBy: z.string(),
    }),
  ),
  jobs: z.array(
    z.object({
      id: z.uuid(),
      projectId: z.uuid(),
      organization: z.string(),
      quarter: z.string(),
      committed: z.number().int(),
      created: z.number().int(),
      source: z.string(),
    }),
  ),
  plans: z.array(z.object({ id: z.uuid(), projectId: z.uuid(), title: z.string(), goal: z.string(), sessions: z.number().int() })), // prettier-ignore
  sessions: z.array(trainingSessionSchema),
  milestones: z.array(
    z.object({
      id: z.uuid(),
      projectId: z.uuid(),
      organization: z.string(),
      kind: z.enum(milestoneKinds),
      title: z.string(),
      achievedOn: isoDateSchema,
      evidence: z.object({ filename: z.string(), size: z.number().int(), sha256: z.string() }).nullable(),
    }),
  ),
});

/** The working group's report: per sector and per investor (its partners included), small cells suppressed. */
const shownCount = z.union([z.number(), z.string()]);
export const contributionReportRowSchema = z.object({
  key: z.string(),
  label: z.string(),
  projects: z.number().int(),
  disbursedUsd: z.number(),
  jobsCreated: shownCount,
  visasUsed: shownCount,
  trainees: shownCount,
  traineeHours: z.number(),
  indicators: indicatorsSchema,
});
export const contributionReportSchema = z.object({
  asOf: isoDateSchema,
  minCell: z.number().int(),
  bySector: z.array(contributionReportRowSchema),
  byInvestor: z.array(contributionReportRowSchema),
});
export type ContributionReport = z.infer<typeof contributionReportSchema>;

export const poolPolicyInputSchema = z
  .object({
    program: z.literal('E4').default('E4'),
    /** The date the shares take effect (the quota ledger applies them then: decision 032). */
    effective: isoDateSchema,
    /** The ledger's figures are read up to this date (inclusive). */
    cutoff: isoDateSchema,
    investmentWeight: z.number().min(0).max(1),
    smeShare: z.number().min(0).max(0.9),
    generalShare: z.number().min(0).max(0.9),
  })
  .strict()
  .refine((p) => p.smeShare + p.generalShare <= 1, { path: ['generalShare'], message: 'smeShare + generalShare must not exceed 1' }); // prettier-ignore

export const poolPolicySchema = z.object({
  id: z.uuid(),
  program: z.string(),
  version: z.number().int(),
  effective: isoDateSchema,
  status: z.enum(['draft', 'published']),
  parameters: z.object({
    cutoff: isoDateSchema,
    investmentWeight: z.number(),
    smeShare: z.number(),
    generalShare: z.number(),
  }),
  inputs: z.array(
    z.object({
      organizationId: z.uuid(),
      name: z.string(),
      disbursedUsd: z.number(),
      traineeHours: z.number(),
      investmentShare: z.number(),
      trainingShare: z.number(),
      weight: z.number(),
      share: z.number(),
      pool: z.string(),
    }),
  ),
  pools: z.array(z.object({ name: z.string(), share: z.number(), label: z.object({ en: z.string(), ko: z.string() }).optional() })), // prettier-ignore
  /** The pools in whole numbers of the cap of the fiscal year the policy takes effect in. */
  numbers: z.array(z.object({ name: z.string(), cap: z.number().int() })),
  cap: z.number().int().nullable(),
  fiscalYear: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  publishedAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
});
export type PoolPolicyView = z.infer<typeof poolPolicySchema>;
