import { z } from 'zod';
import { bilingualSchema, isoDateSchema } from './assessment.js';
import { oneLine } from './text.js';

/**
 * USCIS tracking of petition cases (issue 18, item 3), shared by the server and the web app: the receipt number,
 * the status history as USCIS states it, requests for evidence and notices of intent to deny with their response
 * deadline, and the fields read from a pasted I-797 notice.
 */
export const uscisStatuses = [
  'received',
  'biometrics',
  'rfe',
  'noid',
  'response_submitted',
  'approved',
  'denied',
  'transferred',
] as const;
export const uscisStatusSchema = z.enum(uscisStatuses);
export type UscisStatusValue = z.infer<typeof uscisStatusSchema>;

/** Three letters (the receiving office) and ten digits; spaces and dashes are dropped. */
export const receiptNumberSchema = z
  .string()
  .max(40)
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(
    z
      .string()
      .regex(
        /^[A-Z]{3}\d{10}$/,
        'a USCIS receipt number is three letters and ten digits (e.g. WAC2612345678)',
      ),
  );

export const updateUscisSchema = z.object({
  /** null clears it. */
  receiptNumber: receiptNumberSchema.nullable().optional(),
  formType: oneLine(
    z
      .string()
      .trim()
      .regex(/^I-\d{3}[A-Z]?$/, 'a form number such as I-129'),
  )
    .nullable()
    .optional(),
});

export const uscisStatusRequestSchema = z
  .object({
    status: uscisStatusSchema,
    /** The notice date (or the day the status was seen), not in the future. */
    on: isoDateSchema,
    /** The response deadline of an RFE or a NOID; computed from `on` when absent (12 weeks + 3, 30 + 3 days). */
    responseDue: isoDateSchema.optional(),
    validFrom: isoDateSchema.optional(),
    validTo: isoDateSchema.optional(),
    receiptNumber: receiptNumberSchema.optional(),
    source: z.enum(['manual', 'notice']).default('manual'),
    note: oneLine(z.string().trim().min(1).max(500)).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.responseDue && v.status !== 'rfe' && v.status !== 'noid')
      ctx.addIssue({ code: 'custom', path: ['responseDue'], message: 'only a request for evidence or a notice of intent to deny has a response deadline' }); // prettier-ignore
    if (v.responseDue && v.responseDue < v.on)
      ctx.addIssue({ code: 'custom', path: ['responseDue'], message: 'the response deadline comes after the notice date' }); // prettier-ignore
    if ((v.validFrom || v.validTo) && v.status !== 'approved')
      ctx.addIssue({ code: 'custom', path: ['validFrom'], message: 'only an approval has a validity period' }); // prettier-ignore
    if (v.validFrom && v.validTo && v.validTo < v.validFrom)
      ctx.addIssue({ code: 'custom', path: ['validTo'], message: 'the validity ends after it starts' }); // prettier-ignore
  });

export const uscisStatusEventSchema = z.object({
  status: uscisStatusSchema,
  on: isoDateSchema,
  responseDue: isoDateSchema.nullable(),
  source: z.enum(['manual', 'notice']),
  by: z.string(),
  note: z.string().nullable(),
  enteredAt: z.string().describe('ISO 8601 date-time (UTC)'),
});

export const uscisPetitionSchema = z.object({
  receiptNumber: z.string().nullable(),
  receiptLast4: z.string().nullable(),
  serviceCenter: z.object({ code: z.string(), name: bilingualSchema }).nullable(),
  formType: z.string().nullable(),
  status: uscisStatusSchema.nullable(),
  statusOn: isoDateSchema.nullable(),
  validFrom: isoDateSchema.nullable(),
  validTo: isoDateSchema.nullable(),
  /** The open request (RFE or NOID) and its deadline, while no response is recorded. */
  pending: z
    .object({ notice: z.enum(['rfe', 'noid']), responseDue: isoDateSchema, daysLeft: z.number().int() })
    .nullable(),
  history: z.array(uscisStatusEventSchema),
});
export type UscisPetition = z.infer<typeof uscisPetitionSchema>;

/** Up to 20,000 characters of a notice's text, as pasted. */
export const parseNoticeRequestSchema = z.object({ text: z.string().min(1).max(20_000) });
export const parsedNoticeSchema = z.object({
  receiptNumber: z.string().nullable(),
  serviceCenter: z.string().nullable(),
  status: uscisStatusSchema.nullable(),
  formType: z.string().nullable(),
  receivedDate: isoDateSchema.nullable(),
  noticeDate: isoDateSchema.nullable(),
  responseDue: isoDateSchema.nullable(),
  responseDueComputed: z.boolean(),
  validFrom: isoDateSchema.nullable(),
  validTo: isoDateSchema.nullable(),
  missing: z.array(z.string()),
});
