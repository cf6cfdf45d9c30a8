import type { z } from 'zod';
import type { WebhookEventType, webhookEventData } from '../../../contract/webhooks.js';
import type { Queryable } from '../../db/database.js';

/**
 * The webhook outbox (issue 18): an event is written in the transaction of the change it describes, with one
 * delivery per active endpoint of the organization that takes its type; so an event is sent if and only if the
 * change was committed. The dispatcher (`dispatch.ts`) posts what is due. An organization with no endpoint
 * stores nothing.
 */
export async function emitEvent<T extends WebhookEventType>(
  tx: Queryable,
  event: {
    organizationId: string;
    type: T;
    data: z.input<(typeof webhookEventData)[T]>;
    at: Date;
    /** Only this endpoint (a test ping). */
    endpointId?: string;
  },
): Promise<string | null> {
  const rows = await tx.query<{ id: string }>(
    `WITH targets AS (
       SELECT id FROM webhook_endpoints
        WHERE organization_id = $1 AND active AND deleted_at IS NULL
          AND (cardinality(event_types) = 0 OR $2 = ANY(event_types)) AND ($5::uuid IS NULL OR id = $5)
     ), event AS (
       INSERT INTO webhook_events (organization_id, type, data, occurred_at)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM targets) RETURNING id
     ), deliveries AS (
       INSERT INTO webhook_deliveries (endpoint_id, event_id, next_attempt_at)
       SELECT t.id, e.id, $4 FROM targets t CROSS JOIN event e
     )
     SELECT id FROM event`,
    [
      event.organizationId,
      event.type,
      JSON.stringify(event.data),
      event.at.toISOString(),
      event.endpointId ?? null,
    ],
  );
  if (rows.length) webhooksPending();
  return rows[0]?.id ?? null;
}

/** Listeners told that deliveries were queued (the dispatcher sends them without waiting for its next tick). */
const listeners = new Set<() => void>();
export function onWebhooksPending(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
function webhooksPending(): void {
  for (const l of listeners) l();
}
