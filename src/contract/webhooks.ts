import { z } from 'zod';
import { isoDateSchema } from './assessment.js';
import { oneLine } from './text.js';

/**
 * Webhooks per organization (issue 18, item 5): the event catalogue (also published in the OpenAPI description's
 * `webhooks`), endpoints and the delivery log.
 *
 * Every delivery is an HTTP POST of `{ id, type, occurredAt, organizationId, data }` (JSON) with the headers
 * `korus-event` (the type), `korus-delivery` (the delivery's id; the same on every retry), and `korus-signature`:
 * `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<body>" under the endpoint's secret>`. A 2xx answer within 10
 * seconds delivers it; anything else is retried after 1 min, 5 min, 30 min, 2 h, 8 h and 24 h, then given up
 * (the log keeps every attempt, and an administrator can send it again).
 */
const id = z.uuid();
const instant = z.string().describe('ISO 8601 date-time (UTC)');

export const webhookEventTypes = [
  'case.opened',
  'case.stage_changed',
  'case.uscis_status',
  'entry.recorded',
  'alert.raised',
  'webhook.ping',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** The `data` of each event type: identifiers and codes, never a person's name or document numbers. */
export const webhookEventData = {
  'case.opened': z.object({ caseId: id, workerId: id, projectId: id, category: z.string(), workflowId: z.string(), stage: z.string() }), // prettier-ignore
  'case.stage_changed': z.object({
    caseId: id,
    from: z.string(),
    to: z.string(),
    status: z.string().describe('open, admitted, departed, refused or withdrawn'),
    at: instant,
  }),
  'case.uscis_status': z.object({
    caseId: id,
    status: z.string(),
    on: isoDateSchema,
    responseDue: isoDateSchema.nullable(),
    stage: z.string(),
    stagesEntered: z.array(z.string()),
  }),
  'entry.recorded': z.object({ entryId: id, workerId: id, caseId: id.nullable(), admittedOn: isoDateSchema, classOfAdmission: z.string(), admitUntil: isoDateSchema.nullable() }), // prettier-ignore
  'alert.raised': z.object({ kind: z.string(), severity: z.string(), caseId: id.nullable(), workerId: id.nullable(), dueOn: isoDateSchema }), // prettier-ignore
  'webhook.ping': z.object({ endpointId: id }),
} satisfies Record<WebhookEventType, z.ZodType>;

export const webhookEventDescriptions: Record<WebhookEventType, string> = {
  'case.opened': 'A case was opened for a worker (from an assessment or a staffing plan).',
  'case.stage_changed': 'A case moved to another stage, or was admitted, closed or withdrawn.',
  'case.uscis_status':
    'A USCIS status was recorded on a petition case (receipt, RFE, NOID, approval, denial…).',
  'entry.recorded': 'An admission (I-94) was recorded for a worker.',
  'alert.raised': 'An alert was raised for the organization (admit-until, passport, response due…).',
  'webhook.ping': 'A test event sent from the webhooks page.',
};

const urlSchema = z
  .url({ protocol: /^https?$/, message: 'an http(s) address' })
  .max(2000)
  .refine((u) => !/[\s]/.test(u), 'no spaces');

export const createWebhookSchema = z.object({
  url: urlSchema,
  description: oneLine(z.string().trim().min(1).max(200)).optional(),
  /** Empty or absent: every event. */
  eventTypes: z.array(z.enum(webhookEventTypes)).max(webhookEventTypes.length).default([]),
});
export const updateWebhookSchema = z.object({
  url: urlSchema.optional(),
  description: oneLine(z.string().trim().min(1).max(200)).nullable().optional(),
  eventTypes: z.array(z.enum(webhookEventTypes)).max(webhookEventTypes.length).optional(),
  active: z.boolean().optional(),
  rotateSecret: z.boolean().optional(),
});

export const webhookEndpointSchema = z.object({
  id,
  url: z.string(),
  description: z.string().nullable(),
  eventTypes: z.array(z.enum(webhookEventTypes)),
  active: z.boolean(),
  createdAt: instant,
  createdBy: z.string(),
  /** Shown once: when the endpoint is made or its secret rotated. */
  secret: z.string().optional(),
  stats: z.object({ delivered: z.number().int(), pending: z.number().int(), failed: z.number().int() }),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const webhookDeliverySchema = z.object({
  id,
  eventId: id,
  type: z.enum(webhookEventTypes),
  occurredAt: instant,
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  nextAttemptAt: instant.nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: instant.nullable(),
  log: z.array(
    z.object({
      attempt: z.number().int(),
      at: instant,
      statusCode: z.number().int().nullable(),
      error: z.string().nullable(),
      durationMs: z.number().int(),
    }),
  ),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
