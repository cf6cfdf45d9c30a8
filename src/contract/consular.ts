import { z } from 'zod';
import { isoDateSchema } from './assessment.js';
import { oneLine } from './text.js';

/**
 * The consular side of a case and of an embassy-desk batch (issue 17), shared by the server and the web app:
 * CEAC-style application status, the DS-160 confirmation number, the desk's outcomes and the batch's history.
 *
 * CEAC (the State Department's Consular Electronic Application Center) shows an application as received, in
 * administrative processing, issued or refused. A refusal under INA 221(g) for administrative processing is not
 * final and is shown as administrative processing, never as "refused"; 214(b) is a refusal.
 */
const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
const line = (max: number) => oneLine(z.string().trim().min(1).max(max));
const text = (max: number) => z.string().trim().min(1).max(max);

export const ceacStatuses = [
  'application_received',
  'administrative_processing',
  'issued',
  'refused',
] as const;
export const ceacStatusSchema = z.enum(ceacStatuses);
export type CeacStatus = z.infer<typeof ceacStatusSchema>;

/** Where the visa is applied for: the U.S. Embassy in Seoul (its KIT desk for batches), or elsewhere. */
export const consularPosts = ['seoul', 'other'] as const;
export const consularPostSchema = z.enum(consularPosts);

/** The DS-160 confirmation number: two letters followed by eight letters or digits (e.g. AA00A1B2C3). */
export const ds160Schema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(
    /^[A-Z]{2}[A-Z0-9]{8}$/,
    'a DS-160 confirmation number is 10 characters: AA followed by 8 letters or digits',
  );

/** What the desk records for one applicant. */
export const deskOutcomes = ['issued', 'refused_214b', 'administrative_processing', 'withdrawn'] as const;
export const deskOutcomeSchema = z.enum(deskOutcomes);
export type DeskOutcome = z.infer<typeof deskOutcomeSchema>;

export const visaAnnotationSchema = z.object({ company: line(200), facility: line(200), project: line(200) });

export const consularStatusEventSchema = z.object({
  status: ceacStatusSchema,
  on: isoDateSchema,
  enteredAt: isoDateTime,
  by: z.string(),
  side: z.enum(['employer', 'desk']),
  note: z.string().nullable(),
});

/** A consular case's application: the CEAC status and its history, the DS-160 number, the desk's record. */
export const consularApplicationSchema = z.object({
  /** Shown in full to the case's people and the desk it was sent to; others see the last four characters. */
  ds160Number: z.string().nullable(),
  ds160Last4: z.string().nullable(),
  post: consularPostSchema,
  status: ceacStatusSchema.nullable(),
  statusOn: isoDateSchema.nullable(),
  history: z.array(consularStatusEventSchema),
  interviewOn: isoDateSchema.nullable(),
  outcome: deskOutcomeSchema.nullable(),
  outcomeOn: isoDateSchema.nullable(),
  refusalReason: z.string().nullable(),
  annotation: z.object({ company: z.string(), facility: z.string(), project: z.string() }).nullable(),
  validUntil: isoDateSchema.nullable(),
  followUpOn: isoDateSchema.nullable(),
  returnReason: z.string().nullable(),
  /** The 221(g) clock: days since administrative processing began, and the stage's target. */
  adminProcessing: z
    .object({ since: isoDateSchema, days: z.number().int(), targetDays: z.number().int() })
    .nullable(),
});
export type ConsularApplication = z.infer<typeof consularApplicationSchema>;

/** `PUT /api/cases/{id}/consular`: HR records the DS-160 number and the post. */
export const updateConsularSchema = z.object({
  ds160Number: ds160Schema.nullable().optional(),
  post: consularPostSchema.optional(),
});
/** `POST /api/cases/{id}/consular/status`: HR (or the desk) records the status CEAC shows, with its date. */
export const consularStatusRequestSchema = z.object({
  status: ceacStatusSchema,
  on: isoDateSchema,
  note: text(2000).optional(),
});

// ---------------------------------------------------------------- a batch's desk status and history

export const deskStatuses = ['draft', 'submitted', 'acknowledged', 'returned', 'closed'] as const;
export const deskStatusSchema = z.enum(deskStatuses);
export type DeskStatus = z.infer<typeof deskStatusSchema>;

export const batchEventKinds = [
  'created',
  'amended',
  'submitted',
  'acknowledged',
  'returned',
  'interview_scheduled',
  'outcome',
  'closed',
] as const;
export const batchEventSchema = z.object({
  seq: z.number().int(),
  at: isoDateTime,
  kind: z.enum(batchEventKinds),
  side: z.enum(['employer', 'desk', 'system']),
  by: z.string(),
  /** The applicant concerned, when one is (interview, outcome); null for the batch as a whole. */
  caseId: id.nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type BatchEvent = z.infer<typeof batchEventSchema>;

/** A government organization that receives batches. */
export const deskSchema = z.object({ id, name: z.string() });
export const deskListSchema = z.object({ items: z.array(deskSchema) });
export const submitBatchSchema = z.object({
  deskId: id.describe('The embassy desk the batch goes to (GET /api/desks)'),
});
