import type { Database } from '../db/database.js';
import type { AuditContext } from '../audit/audit.js';
import type { Actor } from '../policies/capabilities.js';

/** What a use case needs: the database, who acts, and the request it belongs to (for the audit log). */
export interface ServiceContext {
  db: Database;
  actor: Actor;
  requestId: string | null;
}

export function auditContextOf(ctx: ServiceContext): AuditContext {
  return {
    actorUserId: ctx.actor.userId,
    actorLabel: ctx.actor.email,
    organizationId: ctx.actor.organizationId,
    requestId: ctx.requestId,
  };
}

export const iso = (value: Date | string | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString();

/** Who did it, as both sides read it in the batch's history: the person and their organization. */
export function actorLabel(ctx: ServiceContext): string {
  return ctx.actor.organizationName
    ? `${ctx.actor.displayName} · ${ctx.actor.organizationName}`
    : ctx.actor.displayName;
}
