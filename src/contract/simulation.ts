import { z } from 'zod';
import { isoDateSchema } from './assessment.js';

/**
 * Scenarios of the policy simulator (issue 21, item 2), as data: who needs to be dispatched and when, the routes
 * (visa paths) they take and their shares, each path's stages (delays, capacity queues, desk batches, quota
 * numbers), refusal and 221(g) rates, fees. Written in YAML (`scenarios/*.yaml`), validated here, run by
 * `src/core/simulation/engine.ts`. Days are calendar days from the scenario's start; fiscal years begin on 1 October.
 */
const name = z.string().trim().min(1).max(80);
const key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'a lower-case name (letters, digits, _)');
const stageKey = z.string().regex(/^[a-z][a-z0-9_]{0,59}$/, 'a workflow stage (letters, digits, _)');
const workflowKey = z.string().regex(/^[a-z][a-z0-9-]{0,59}$/, 'a workflow (letters, digits, -)');
const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$/, 'a month and day, MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`2028-${v}T00:00:00Z`)) && new Date(`2028-${v}T00:00:00Z`).getUTCDate() === Number(v.slice(3)), 'a day of the calendar'); // prettier-ignore

/** What calibration took from the database, stage by stage, with the sample sizes (shown next to the figures). */
export const calibrationSampleSchema = z
  .object({
    /** The path, or the resource for a capacity. */
    path: key,
    stage: key.nullable(),
    what: z.enum([
      'delay',
      'refusalRate',
      'adminProcessingRate',
      'adminProcessingDelay',
      'share',
      'capacity',
    ]),
    /** Cases measured. */
    n: z.number().int().min(0),
    /** The measured figure (median days for a delay, a share for a rate), or null with no sample. */
    value: z.number().nullable(),
    p90: z.number().nullable().optional(),
    /** Whether the scenario now uses it (a sample under the minimum keeps the entered figure). */
    used: z.boolean(),
    /** The entered figure it replaced (median days or a share), for the comparison on screen. */
    entered: z.number().nullable().optional(),
  })
  .strict();
export type CalibrationSample = z.infer<typeof calibrationSampleSchema>;
export const calibrationSchema = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    /** Cases of the period that were read. */
    cases: z.number().int().min(0),
    minSample: z.number().int().min(1),
    samples: z.array(calibrationSampleSchema).max(2000),
  })
  .strict();
export type Calibration = z.infer<typeof calibrationSchema>;

export const distributionSchema = z.union([
  z.object({ fixed: z.number().min(0).max(3650) }).strict(),
  z
    .object({
      lognormal: z
        .object({ median: z.number().positive().max(3650), p90: z.number().positive().max(3650) })
        .strict()
        .refine((d) => d.p90 >= d.median, 'the 90th percentile is at least the median'),
    })
    .strict(),
  z.object({ exponential: z.object({ mean: z.number().positive().max(3650) }).strict() }).strict(),
  z.object({ empirical: z.array(z.number().min(0).max(3650)).min(1).max(100_000) }).strict(),
]);
export type Distribution = z.infer<typeof distributionSchema>;

export const stageSchema = z
  .object({
    id: key,
    /** A delay drawn from a distribution (preparation, USCIS processing, travel). */
    delay: distributionSchema.optional(),
    /** A capacity resource (interviews at a post): the earliest day with a free slot. */
    queue: key.optional(),
    /** A batch resource (the embassy desk): the next batch with room. */
    batch: key.optional(),
    /** A quota: a number of the fiscal year, or the waitlist to the next one. */
    quota: key.optional(),
    /**
     * A date of the calendar (month and day, MM-DD): the worker waits for its next occurrence, e.g. the close of
     * the H-1B registration in March, or the earliest admission before a 1 October start.
     */
    calendar: monthDay.optional(),
    /**
     * The workflow stages (rules/workflows) this stage stands for, when the scenario is calibrated from the
     * database: a delay takes their measured durations (per case, summed); any stage takes their refusal rate,
     * and the 221(g) share and duration that follow them.
     */
    measures: z.array(stageKey).min(1).max(10).optional(),
    /** Share refused at this stage (not admitted). */
    refusalRate: z.number().min(0).max(1).default(0),
    /** Share held in administrative processing (221(g)) and for how long. */
    adminProcessing: z
      .object({ rate: z.number().min(0).max(1), delay: distributionSchema })
      .strict()
      .optional(),
    /** Fee in USD paid at this stage. */
    feeUsd: z.number().min(0).max(100_000).default(0),
  })
  .strict()
  .refine(
    (s) => [s.delay, s.queue, s.batch, s.quota, s.calendar].filter((x) => x !== undefined).length === 1,
    'a stage is exactly one of: delay, queue, batch, quota, calendar',
  );

export const scenarioSchema = z
  .object({
    name: z.object({ en: name, ko: name }).strict(),
    /** The first day simulated. */
    start: isoDateSchema,
    horizonDays: z.number().int().min(7).max(3650),
    /** Staffing needs: how many workers a project needs, arriving evenly between two dates, or at a Poisson rate. */
    projects: z
      .array(
        z
          .object({
            id: key,
            name: name,
            workers: z.number().int().min(1).max(200_000).optional(),
            from: isoDateSchema.optional(),
            to: isoDateSchema.optional(),
            ratePerDay: z.number().positive().max(10_000).optional(),
            /** The project is a partner SME's (for the SME pool). */
            sme: z.boolean().default(false),
          })
          .strict()
          .refine((p) => (p.workers !== undefined) !== (p.ratePerDay !== undefined), 'either workers (with from and to) or ratePerDay') // prettier-ignore
          .refine((p) => p.ratePerDay !== undefined || (p.from !== undefined && p.to !== undefined && p.from <= p.to), 'workers need from and to (from ≤ to)'), // prettier-ignore
      )
      .min(1)
      .max(200),
    /** How workers are routed among the paths (shares sum to 1); a route may open on a date (a law enacted). */
    routes: z
      .array(
        z
          .object({ path: key, share: z.number().min(0).max(1), availableFrom: isoDateSchema.optional() })
          .strict(),
      )
      .min(1)
      .max(20),
    paths: z.record(key, z.array(stageSchema).min(1).max(30)),
    resources: z
      .record(
        key,
        z.union([
          z
            .object({
              kind: z.literal('queue'),
              perWeek: z.number().int().min(0).max(1_000_000),
              /** Calibration reads the weekly capacity from the embassy desk's interview calendar. */
              measuredBy: z.literal('embassy_desk_interviews').optional(),
            })
            .strict(),
          z.object({ kind: z.literal('batch'), size: z.number().int().min(1).max(100_000), everyDays: z.number().int().min(1).max(365) }).strict(), // prettier-ignore
        ]),
      )
      .default({}),
    quotas: z
      .record(
        key,
        z
          .object({
            perFiscalYear: z.number().int().min(0).max(10_000_000),
            /** Numbers exist from this day (a bill enacted); before it, workers wait. */
            availableFrom: isoDateSchema.optional(),
            /** Share of each year's numbers set aside for partner SMEs (their workers take those first). */
            smeShare: z.number().min(0).max(1).default(0),
          })
          .strict(),
      )
      .default({}),
    /** Which workflows each path stands for, when calibrated from the database (rules/workflows ids). */
    measuredBy: z.record(key, z.array(workflowKey).min(1).max(10)).optional(),
    /** Set by calibration: the period and the samples behind the figures. */
    calibration: calibrationSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const total = s.routes.reduce((sum, r) => sum + r.share, 0);
    if (Math.abs(total - 1) > 1e-6)
      ctx.addIssue({ code: 'custom', path: ['routes'], message: `the shares sum to ${total}, not 1` });
    s.routes.forEach((r, k) => {
      if (!s.paths[r.path]) ctx.addIssue({ code: 'custom', path: ['routes', k, 'path'], message: `no path named ${r.path}` }); // prettier-ignore
    });
    for (const pathId of Object.keys(s.measuredBy ?? {}))
      if (!s.paths[pathId]) ctx.addIssue({ code: 'custom', path: ['measuredBy', pathId], message: `no path named ${pathId}` }); // prettier-ignore
    for (const [pathId, stages] of Object.entries(s.paths))
      stages.forEach((st, k) => {
        for (const [field, table] of [
          ['queue', s.resources],
          ['batch', s.resources],
          ['quota', s.quotas],
        ] as const) {
          const ref = st[field];
          if (ref !== undefined && !(ref in table))
            ctx.addIssue({ code: 'custom', path: ['paths', pathId, k, field], message: `no ${field === 'quota' ? 'quota' : 'resource'} named ${ref}` }); // prettier-ignore
          if (ref !== undefined && field !== 'quota' && table[ref] && (table[ref] as { kind: string }).kind !== field)
            ctx.addIssue({ code: 'custom', path: ['paths', pathId, k, field], message: `${ref} is not a ${field} resource` }); // prettier-ignore
        }
      });
  });
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

const estimateSchema = z.object({ mean: z.number().nullable(), ci: z.array(z.number().nullable()), replications: z.number().int() }); // prettier-ignore

export const simulationRequestSchema = z.object({
  scenario: scenarioSchema,
  /** A second scenario to compare with (its figures minus the first's, paired). */
  compare: scenarioSchema.optional(),
  replications: z.number().int().min(2).max(500).default(30),
  seed: z.number().int().min(0).max(0xffffffff).default(1),
});

export const calibrationRequestSchema = z
  .object({
    scenario: scenarioSchema,
    /** The period whose cases are measured (stage left, case opened, inside it), inclusive. */
    from: isoDateSchema,
    to: isoDateSchema,
    /** Fewer cases than this behind a figure keep the entered figure. */
    minSample: z.number().int().min(1).max(10_000).default(5),
  })
  .strict();

export const simulationSchema = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  createdBy: z.string(),
  name: z.object({ en: z.string(), ko: z.string() }),
  compareName: z.object({ en: z.string(), ko: z.string() }).nullable(),
  status: z.enum(['running', 'done', 'failed']),
  replications: z.number().int(),
  done: z.number().int(),
  seed: z.number().int(),
  error: z.string().nullable(),
  /** The run's figures (`ScenarioResult`, or `Comparison` when compared), when done. */
  result: z.unknown().nullable(),
});
export type Simulation = z.infer<typeof simulationSchema>;
export { estimateSchema };
