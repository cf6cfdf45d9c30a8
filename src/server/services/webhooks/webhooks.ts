import type { z } from 'zod';
import type {
  createWebhookSchema,
  updateWebhookSchema,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
} from '../../../contract/webhooks.js';
import { recordAudit } from '../../audit/audit.js';
import { newSecret } from '../../auth/secrets.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { SECRET_CONTEXT } from './dispatch.js';
import { emitEvent } from './events.js';

/**
 * An organization's webhook endpoints (issue 18): its administrators add, change, pause and remove them, send a
 * test event, read the delivery log and send a delivery again. Every change is audited; the secret is shown
 * once (creation, rotation) and kept encrypted.
 */
interface EndpointRow {
  [key: string]: unknown;
  id: string;
  url: string;
  description: string | null;
  event_types: WebhookEventType[];
  active: boolean;
  created_at: Date;
  created_by_label: string;
  delivered: number;
  pending: number;
  failed: number;
}

function organizationOf(ctx: ServiceContext): string {
  if (!ctx.actor.organizationId) throw new ApiError('auth.forbidden');
  return ctx.actor.organizationId;
}

const endpointSelect = `
  SELECT ep.id, ep.url, ep.description, ep.event_types, ep.active, ep.created_at, ep.created_by_label,
         count(d.id) FILTER (WHERE d.status = 'delivered')::int AS delivered,
         count(d.id) FILTER (WHERE d.status = 'pending')::int AS pending,
         count(d.id) FILTER (WHERE d.status = 'failed')::int AS failed
    FROM webhook_endpoints ep LEFT JOIN webhook_deliveries d ON d.endpoint_id = ep.id
   WHERE ep.organization_id = $1 AND ep.deleted_at IS NULL`;

function toEndpoint(r: EndpointRow, secret?: string): WebhookEndpoint {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    active: r.active,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by_label,
    ...(secret ? { secret } : {}),
    stats: { delivered: r.delivered, pending: r.pending, failed: r.failed },
  };
}

export async function listWebhooks(ctx: ServiceContext): Promise<WebhookEndpoint[]> {
  const rows = await ctx.db.query<EndpointRow>(
    `${endpointSelect} GROUP BY ep.id ORDER BY ep.created_at, ep.id`,
    [organizationOf(ctx)],
  );
  return rows.map((r) => toEndpoint(r));
}

async function endpoint(ctx: ServiceContext, id: string, secret?: string): Promise<WebhookEndpoint> {
  const [row] = await ctx.db.query<EndpointRow>(`${endpointSelect} AND ep.id = $2 GROUP BY ep.id`, [
    organizationOf(ctx),
    id,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return toEndpoint(row, secret);
}

const SECRET_PREFIX = 'whsec_';

export async function createWebhook(
  ctx: ServiceContext,
  cipher: FieldCipher,
  input: z.output<typeof createWebhookSchema>,
  now: Date,
): Promise<WebhookEndpoint> {
  const organizationId = organizationOf(ctx);
  const secret = newSecret(SECRET_PREFIX);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO webhook_endpoints (organization_id, url, description, event_types, secret_enc, created_at,
                                      created_by_label)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        organizationId,
        input.url,
        input.description ?? null,
        [...new Set(input.eventTypes)],
        cipher.encrypt(secret, SECRET_CONTEXT),
        now.toISOString(),
        actorLabel(ctx),
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'webhook.create',
      targetType: 'webhook',
      targetId: row!.id,
      organizationId,
      after: { url: input.url, eventTypes: input.eventTypes },
    });
    return row!.id;
  });
  return endpoint(ctx, id, secret);
}

export async function updateWebhook(
  ctx: ServiceContext,
  cipher: FieldCipher,
  id: string,
  input: z.output<typeof updateWebhookSchema>,
): Promise<WebhookEndpoint> {
  const organizationId = organizationOf(ctx);
  const before = await endpoint(ctx, id);
  const secret = input.rotateSecret ? newSecret(SECRET_PREFIX) : undefined;
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE webhook_endpoints SET url = coalesce($3, url),
              description = CASE WHEN $4 THEN $5 ELSE description END,
              event_types = coalesce($6, event_types), active = coalesce($7, active),
              secret_enc = coalesce($8, secret_enc)
        WHERE id = $1 AND organization_id = $2`,
      [
        id,
        organizationId,
        input.url ?? null,
        input.description !== undefined,
        input.description ?? null,
        input.eventTypes ? [...new Set(input.eventTypes)] : null,
        input.active ?? null,
        secret ? cipher.encrypt(secret, SECRET_CONTEXT) : null,
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'webhook.update',
      targetType: 'webhook',
      targetId: id,
      organizationId,
      before: { url: before.url, eventTypes: before.eventTypes, active: before.active },
      after: { url: input.url, eventTypes: input.eventTypes, active: input.active, secretRotated: !!secret },
    });
  });
  return endpoint(ctx, id, secret);
}

export async function deleteWebhook(ctx: ServiceContext, id: string, now: Date): Promise<void> {
  const organizationId = organizationOf(ctx);
  const before = await endpoint(ctx, id);
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE webhook_endpoints SET deleted_at = $3, active = false WHERE id = $1 AND organization_id = $2', [id, organizationId, now.toISOString()]); // prettier-ignore
    await tx.query(`UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint removed', next_attempt_at = NULL WHERE endpoint_id = $1 AND status = 'pending'`, [id]); // prettier-ignore
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'webhook.delete',
      targetType: 'webhook',
      targetId: id,
      organizationId,
      before: { url: before.url },
    });
  });
}

/** Queues a `webhook.ping` to this endpoint only; the dispatcher sends it at once. */
export async function pingWebhook(ctx: ServiceContext, id: string, now: Date): Promise<{ eventId: string }> {
  const organizationId = organizationOf(ctx);
  const ep = await endpoint(ctx, id);
  if (!ep.active) throw new ApiError('webhook.inactive');
  const eventId = await ctx.db.transaction(async (tx) => {
    const eventId = await emitEvent(tx, {
      organizationId,
      type: 'webhook.ping',
      data: { endpointId: id },
      at: now,
      endpointId: id,
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'webhook.ping',
      targetType: 'webhook',
      targetId: id,
      organizationId,
    });
    return eventId;
  });
  return { eventId: eventId! };
}

export async function webhookDeliveries(
  ctx: ServiceContext,
  id: string,
  limit = 100,
): Promise<WebhookDelivery[]> {
  await endpoint(ctx, id);
  const rows = await ctx.db.query<{
    id: string;
    event_id: string;
    type: WebhookEventType;
    occurred_at: Date;
    status: WebhookDelivery['status'];
    attempts: number;
    next_attempt_at: Date | null;
    last_status_code: number | null;
    last_error: string | null;
    delivered_at: Date | null;
    log: {
      attempt: number;
      at: string;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
    }[];
  }>(
    `SELECT d.id, d.event_id, e.type, e.occurred_at, d.status, d.attempts, d.next_attempt_at, d.last_status_code,
            d.last_error, d.delivered_at,
            coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'statusCode', a.status_code,
                        'error', a.error, 'durationMs', a.duration_ms) ORDER BY a.attempt)
                        FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]'::json) AS log
       FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
      WHERE d.endpoint_id = $1 ORDER BY e.occurred_at DESC, d.id LIMIT $2`,
    [id, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    type: r.type,
    occurredAt: iso(r.occurred_at)!,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: iso(r.next_attempt_at),
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    deliveredAt: iso(r.delivered_at),
    log: r.log.map((a) => ({ ...a, at: new Date(a.at).toISOString() })),
  }));
}

/** Sends a delivery again (a failed one, or a delivered one the receiver lost): it is due at once. */
export async function redeliver(
  ctx: ServiceContext,
  endpointId: string,
  deliveryId: string,
  now: Date,
): Promise<void> {
  const organizationId = organizationOf(ctx);
  await endpoint(ctx, endpointId);
  await ctx.db.transaction(async (tx) => {
    const updated = await tx.query(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3, delivered_at = NULL
        WHERE id = $1 AND endpoint_id = $2 AND status <> 'pending' RETURNING id`,
      [deliveryId, endpointId, now.toISOString()],
    );
    if (!updated.length) throw new ApiError('resource.not_found');
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'webhook.redeliver',
      targetType: 'webhook',
      targetId: endpointId,
      organizationId,
      details: { deliveryId },
    });
  });
}
