import { z } from 'zod';
import { isoDateSchema } from './assessment.js';

/**
 * The working group's console (issue 17): de-identified figures for both governments, read from an aggregate
 * layer that holds no identity (docs/government.md). Every count drawn from fewer than `minCell` people (5 unless
 * configured) reads "<5"; rates, medians and percentiles of such groups are null. Capability `console.read`
 * (officers of a government organization whose mandate includes `working_group`).
 *
 * Routes: `GET /api/console/{summary|lead-times|outcomes|batches|presence|quota|reentry|partners}` with the
 * filters below; `GET /api/console/export.csv?figure=…`, `GET /api/console/export.xlsx`,
 * `GET /api/console/briefing.pdf` (the bilingual working-group pack); `POST /api/console/refresh`.
 */
const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
const bilingual = z.object({ en: z.string(), ko: z.string() });
/** A count as shown: the number, or "<5" when it is drawn from fewer people than the threshold. */
export const shownSchema = z.union([z.number(), z.string().regex(/^<\d+$/)]);

export const consoleFiltersSchema = z.object({
  from: isoDateSchema.optional().describe('Period start (UTC date): the date each figure counts by'),
  to: isoDateSchema.optional().describe('Period end (UTC date, inclusive)'),
  category: z
    .string()
    .regex(/^[A-Z0-9]{2,6}$/)
    .optional(),
  post: z.enum(['seoul', 'other']).optional(),
  firmKind: z.enum(['investor', 'partner']).optional(),
  sme: z.enum(['true', 'false']).optional(),
  siteId: id.optional(),
  state: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  sector: z
    .string()
    .regex(/^[a-z_]{2,30}$/)
    .optional(),
});
export type ConsoleFilters = z.infer<typeof consoleFiltersSchema>;

const freshness = {
  /** When the aggregate layer was last rebuilt (the figures are as of then). */
  refreshedAt: isoDateTime.nullable(),
  minCell: z.number().int(),
  filters: consoleFiltersSchema,
};

export const leadTimeRowSchema = z.object({
  people: shownSchema,
  median: z.number().nullable(),
  p90: z.number().nullable(),
  shareWithin: z.number().nullable(),
});
export const consoleLeadTimesSchema = z.object({
  ...freshness,
  withinDays: z.number().int(),
  overall: leadTimeRowSchema,
  months: z.array(leadTimeRowSchema.extend({ month: z.string() })),
});

export const outcomeRowSchema = z.object({
  category: z.string(),
  post: z.string(),
  applications: shownSchema,
  issued: shownSchema,
  refused: shownSchema,
  administrativeProcessing: shownSchema,
  issuanceRate: z.number().nullable(),
  refusalRate: z.number().nullable(),
  adminProcessingRate: z.number().nullable(),
  /** Days from the desk batch's submission to the interview (median), desk applications only. */
  interviewWaitMedian: z.number().nullable(),
});
export const consoleOutcomesSchema = z.object({ ...freshness, rows: z.array(outcomeRowSchema) });

export const consoleBatchesSchema = z.object({
  ...freshness,
  byStatus: z.array(z.object({ status: z.string(), batches: shownSchema, applicants: shownSchema })),
  /** Decisions the desk recorded per ISO week (Monday). */
  weeks: z.array(z.object({ week: isoDateSchema, decisions: shownSchema })),
});

export const consolePresenceSchema = z.object({
  ...freshness,
  today: isoDateSchema,
  nearDays: z.number().int(),
  bySite: z.array(
    z.object({
      siteId: id,
      site: z.string(),
      state: z.string(),
      present: shownSchema,
      inStatus: shownSchema,
      nearAdmitUntil: shownSchema,
      outOfStatus: shownSchema,
    }),
  ),
  byCategory: z.array(z.object({ category: z.string(), present: shownSchema })),
  projects: z.array(
    z.object({
      project: z.string(),
      investor: z.string(),
      state: z.string(),
      need: z.number().int(),
      admitted: shownSchema,
      present: shownSchema,
    }),
  ),
});

export const consoleQuotaSchema = z.object({
  ...freshness,
  fiscalYear: z.number().int(),
  programs: z.array(
    z.object({
      program: z.string(),
      label: bilingual,
      legalStatus: z.enum(['law', 'proposed']),
      cap: z.number().int().nullable(),
      used: shownSchema,
      issued: shownSchema,
      share: z.number().nullable(),
      projectedExhaustion: isoDateSchema.nullable(),
      verify: z.boolean(),
    }),
  ),
});

export const consoleReentrySchema = z.object({
  ...freshness,
  cohort: shownSchema,
  returned: shownSchema,
  byCategory: z.array(z.object({ category: z.string(), cohort: shownSchema, returned: shownSchema })),
  leadTimes: leadTimeRowSchema,
});

export const consolePartnersSchema = z.object({
  ...freshness,
  groups: z.array(
    z.object({
      group: z.enum(['investor', 'partner', 'partner_sme']),
      dispatches: shownSchema,
      share: z.number().nullable(),
      admitted: shownSchema,
      leadTimes: leadTimeRowSchema,
    }),
  ),
});

export const consoleSummarySchema = z.object({
  ...freshness,
  totals: z.object({ cases: shownSchema, admitted: shownSchema, present: shownSchema, batches: shownSchema }),
  options: z.object({
    categories: z.array(z.string()),
    sites: z.array(z.object({ id, name: z.string(), state: z.string() })),
    states: z.array(z.string()),
    sectors: z.array(z.string()),
  }),
});

export const consoleFigures = [
  'lead-times',
  'outcomes',
  'batches',
  'presence',
  'quota',
  'reentry',
  'partners',
] as const;
export type ConsoleFigure = (typeof consoleFigures)[number];
export const consoleExportQuerySchema = consoleFiltersSchema.extend({ figure: z.enum(consoleFigures) });
export const consoleRefreshSchema = z.object({
  refreshedAt: isoDateTime,
  cases: z.number().int(),
  presence: z.number().int(),
  tookMs: z.number().int(),
});
