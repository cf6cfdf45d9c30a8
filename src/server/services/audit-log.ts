import { auditActions, type AuditAction } from '../../contract/audit.js';
import { isPlatformAdmin, requireCapability } from '../policies/capabilities.js';
import { iso, type ServiceContext } from './context.js';

interface Row {
  seq: number;
  id: string;
  occurred_at: Date;
  actor_label: string;
  organization_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  hash: string;
  [key: string]: unknown;
}

/** The audit log, newest first, in pages; an organization sees its own events, a platform admin all. */
export async function listAuditEvents(
  ctx: ServiceContext,
  query: { before?: number | undefined; limit: number },
) {
  requireCapability(ctx.actor, 'audit.read');
  const params: unknown[] = [query.before ?? Number.MAX_SAFE_INTEGER, query.limit + 1];
  let where = 'seq < $1';
  if (!isPlatformAdmin(ctx.actor)) {
    params.push(ctx.actor.organizationId);
    where += ` AND organization_id = $${params.length}`;
  }
  const rows = await ctx.db.query<Row>(
    `SELECT seq, id, occurred_at, actor_label, organization_id, action, target_type, target_id, request_id, hash
     FROM audit_events WHERE ${where} ORDER BY seq DESC LIMIT $2`,
    params,
  );
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => ({
      seq: r.seq,
      id: r.id,
      occurredAt: iso(r.occurred_at)!,
      actorLabel: r.actor_label,
      organizationId: r.organization_id,
      action: r.action,
      actionLabel: auditActions[r.action as AuditAction] ?? { en: r.action, ko: r.action },
      targetType: r.target_type,
      targetId: r.target_id,
      requestId: r.request_id,
      hash: r.hash,
    })),
    nextBefore: rows.length > query.limit ? page[page.length - 1]!.seq : null,
  };
}
