import { z } from 'zod';
import { webhookEventData, webhookEventDescriptions, webhookEventTypes } from '../../../contract/webhooks.js';
import { RETRY_MINUTES, TIMEOUT_MS } from './dispatch.js';

/**
 * The event catalogue in the OpenAPI description (its `webhooks` object, OpenAPI 3.1): one entry per event type,
 * with the body the endpoint receives and the headers that sign it.
 */
export function webhookCatalogue(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const type of webhookEventTypes) {
    const body = z.object({
      id: z.uuid().describe('The event (the same on every retry of its delivery)'),
      type: z.literal(type),
      occurredAt: z.string().describe('ISO 8601 date-time (UTC)'),
      organizationId: z.uuid(),
      data: webhookEventData[type],
    });
    out[type] = {
      post: {
        summary: webhookEventDescriptions[type],
        description:
          `Signed: \`korus-signature: t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<raw body>" under the endpoint's secret>\`; ` +
          `\`korus-delivery\` identifies the delivery (deduplicate on it), \`korus-event\` is the type. Answer 2xx within ` +
          `${TIMEOUT_MS / 1000} s; otherwise it is retried after ${RETRY_MINUTES.join(', ')} minutes, then given up (the delivery log keeps every attempt).`,
        parameters: ['korus-signature', 'korus-delivery', 'korus-event'].map((name) => ({
          name,
          in: 'header',
          required: true,
          schema: { type: 'string' },
        })),
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: z.toJSONSchema(body, { io: 'input', unrepresentable: 'any' }) },
          },
        },
        responses: { '2XX': { description: 'Received' } },
      },
    };
  }
  return out;
}
