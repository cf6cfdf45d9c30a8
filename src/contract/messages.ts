import { z } from 'zod';

/**
 * Messages on a case (issue 18, item 2): one thread per case among the worker's employer and the project's
 * investor (HR), counsel, and the worker. An internal note is for HR and counsel only: the worker never sees one
 * and cannot write one. Routes: `GET /api/cases/{id}/messages`, `POST /api/cases/{id}/messages`
 * (caseMessageRequestSchema), `POST /api/cases/{id}/messages/read`. Capabilities `messages.read`,
 * `messages.write`; government users have neither.
 */
const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');

export const messageSides = ['employer', 'counsel', 'worker'] as const;

export const caseMessageSchema = z.object({
  id,
  author: z.string(),
  /** Who wrote it: the employer's or investor's HR, counsel, or the worker. */
  side: z.enum(messageSides),
  organizationName: z.string().nullable(),
  internal: z.boolean(),
  body: z.string(),
  document: z.object({ id, filename: z.string() }).nullable(),
  createdAt: isoDateTime,
  mine: z.boolean(),
  unread: z.boolean(),
});
export type CaseMessage = z.infer<typeof caseMessageSchema>;

export const caseMessageListSchema = z.object({
  items: z.array(caseMessageSchema),
  unread: z.number().int(),
  /** Whether the caller may write an internal note (HR and counsel, not the worker). */
  mayWriteInternal: z.boolean(),
});

export const caseMessageRequestSchema = z.object({
  body: z.string().trim().min(1).max(5000),
  internal: z
    .boolean()
    .optional()
    .describe('An internal note: HR and counsel only, never shown to the worker'),
  documentId: id.optional().describe("A document of this case's to attach"),
});
