import { z } from 'zod';
import { isoDateSchema } from './assessment.js';
import {
  batchEventSchema,
  ceacStatusSchema,
  deskOutcomeSchema,
  deskStatusSchema,
  visaAnnotationSchema,
} from './consular.js';
import { oneLine } from './text.js';

/**
 * The embassy desk's inbox (issue 17): batches sent to the desk, its interview calendar, and what it records.
 *
 * Routes (docs/government.md; capabilities `desk.read` and `desk.write`, held by the officers of a government
 * organization whose mandate includes `embassy_desk`):
 * - `GET /api/desk/batches` (deskInboxQuerySchema), `GET /api/desk/batches/{id}`;
 * - `POST /api/desk/batches/{id}/acknowledge`, `POST /api/desk/batches/{id}/return` (deskReturnSchema);
 * - `POST /api/desk/batches/{id}/interviews` (deskScheduleSchema);
 * - `POST /api/desk/batches/{id}/outcomes` (deskOutcomeRequestSchema);
 * - `GET /api/desk/calendar` (deskCalendarQuerySchema), `PUT /api/desk/calendar/{day}` (deskCapacitySchema).
 *
 * A desk officer sees the people on a batch (names, dates of birth, the last four of the passport, DS-160) only
 * while the batch is open (submitted, acknowledged or returned) and for the desk's retention period after it
 * closes; after that `identityVisible` is false and the applicants carry no identity.
 */
const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
const text = (max: number) => z.string().trim().min(1).max(max);
const line = (max: number) => oneLine(z.string().trim().min(1).max(max));

export const deskInboxQuerySchema = z.object({
  status: z.enum(['open', 'submitted', 'acknowledged', 'returned', 'closed', 'all']).default('open'),
});

export const deskApplicantSchema = z.object({
  caseId: id,
  /** Null once the desk's retention period has passed. */
  person: z
    .object({
      familyName: z.string(),
      givenName: z.string(),
      nameHangul: z.string(),
      birthDate: isoDateSchema,
      passportLast4: z.string(),
      ds160Number: z.string().nullable(),
    })
    .nullable(),
  employer: z.object({ name: z.string(), relation: z.enum(['own', 'partner']) }),
  role: z.string(),
  plannedEntry: isoDateSchema,
  activities: z.array(z.string()),
  caseStatus: z.string(),
  stage: z.string(),
  stageTitle: z.object({ en: z.string(), ko: z.string() }),
  ceacStatus: ceacStatusSchema.nullable(),
  interviewOn: isoDateSchema.nullable(),
  outcome: deskOutcomeSchema.nullable(),
  outcomeOn: isoDateSchema.nullable(),
  refusalReason: z.string().nullable(),
  annotation: z.object({ company: z.string(), facility: z.string(), project: z.string() }).nullable(),
  validUntil: isoDateSchema.nullable(),
  followUpOn: isoDateSchema.nullable(),
  returnReason: z.string().nullable(),
});
export type DeskApplicant = z.infer<typeof deskApplicantSchema>;

export const deskBatchSummarySchema = z.object({
  id,
  investor: z.string(),
  projectName: z.string(),
  site: z.object({ name: z.string(), state: z.string() }),
  annotation: z.object({ company: z.string(), facility: z.string(), project: z.string() }),
  deskStatus: deskStatusSchema,
  submittedAt: isoDateTime.nullable(),
  acknowledgedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  counts: z.object({
    applicants: z.number().int(),
    scheduled: z.number().int(),
    issued: z.number().int(),
    refused: z.number().int(),
    administrativeProcessing: z.number().int(),
    withdrawn: z.number().int(),
  }),
});
export const deskInboxSchema = z.object({ items: z.array(deskBatchSummarySchema) });

export const deskBatchSchema = deskBatchSummarySchema.extend({
  identityVisible: z.boolean(),
  /** Until when the desk sees the people on it (null while the batch is open). */
  identityVisibleUntil: isoDateSchema.nullable(),
  applicants: z.array(deskApplicantSchema),
  events: z.array(batchEventSchema),
});
export type DeskBatch = z.infer<typeof deskBatchSchema>;

export const deskReturnSchema = z.object({
  reason: text(2000).describe('Why the batch goes back to the investor'),
  applicants: z
    .array(z.object({ caseId: id, reason: text(1000) }))
    .max(500)
    .default([])
    .describe('Reasons per applicant (the documents missing, a name to correct)'),
});
export const deskScheduleSchema = z.object({
  day: isoDateSchema,
  caseIds: z.array(id).min(1).max(500),
});
export const deskOutcomeRequestSchema = z
  .object({
    caseId: id,
    outcome: deskOutcomeSchema,
    on: isoDateSchema.describe('The day of the decision (the interview, the 221(g) sheet, the withdrawal)'),
    reason: text(2000).optional().describe('214(b): the reason given; 221(g): what the consulate asked for'),
    annotation: visaAnnotationSchema
      .optional()
      .describe('Issued: the annotation printed (default: the batch’s)'),
    validUntil: isoDateSchema.optional().describe('Issued: the visa’s expiry date'),
    followUpOn: isoDateSchema.optional().describe('221(g): the day to follow up'),
  })
  .superRefine((value, ctx) => {
    if (value.outcome === 'issued' && !value.validUntil)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'an issued visa needs its expiry date' });
    if (value.outcome === 'issued' && value.validUntil && value.validUntil <= value.on)
      ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must be after the day of issue' });
    if (value.outcome === 'refused_214b' && !value.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a refusal under 214(b) states its reason' });
    if (value.outcome === 'administrative_processing' && !value.followUpOn)
      ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: '221(g) needs a follow-up date' });
    if (value.followUpOn && value.followUpOn < value.on)
      ctx.addIssue({ code: 'custom', path: ['followUpOn'], message: 'must not be before the decision' });
  });
export type DeskOutcomeRequest = z.infer<typeof deskOutcomeRequestSchema>;

export const deskCalendarQuerySchema = z.object({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
});
export const deskDaySchema = z.object({
  day: isoDateSchema,
  capacity: z.number().int(),
  booked: z.number().int(),
});
export const deskCalendarSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  /** The capacity of a day with no entry. */
  defaultCapacity: z.number().int(),
  days: z.array(deskDaySchema),
});
export const deskCapacitySchema = z.object({ capacity: z.number().int().min(0).max(1000) });
export const deskDayParamsSchema = z.object({ day: isoDateSchema });
export const deskNoteSchema = z.object({ note: line(500).optional() });
