import { randomUUID } from 'node:crypto';
import {
  chainHash,
  GENESIS_HASH,
  stateDigest,
  verifyLinks,
  type ChainBreak,
  type ChainLink,
} from '../../core/audit/chain.js';
import type { Database, Queryable } from '../db/database.js';
import type { AuditAction } from '../../contract/audit.js';

/** Who did it and in which request: carried from the route into every service call that writes. */
export interface AuditContext {
  actorUserId: string | null;
  /** e-mail of the user, or `cli:<command>` / `system:<job>` */
  actorLabel: string;
  organizationId: string | null;
  requestId: string | null;
}

export interface AuditInput {
  action: AuditAction;
  targetType: string;
  targetId: string | null;
  /** Organization the change belongs to (defaults to the actor's). */
  organizationId?: string | null;
  before?: unknown;
  after?: unknown;
  /** Small, non-secret facts worth reading later (never passwords, tokens or identifiers in clear). */
  details?: Record<string, unknown>;
}

interface AuditEntry {
  id: string;
  occurredAt: string;
  actorUserId: string | null;
  actorLabel: string;
  organizationId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  beforeDigest: string | null;
  afterDigest: string | null;
  details: Record<string, unknown> | null;
}

// One chain for the whole instance: appends are serialized by a transaction-scoped advisory lock, so
// the chain order is the commit order and a rolled-back transaction leaves no link behind.
const AUDIT_LOCK = 724002;

/** Appends an audit event inside the caller's transaction (the change and its event commit together). */
export async function recordAudit(tx: Queryable, ctx: AuditContext, input: AuditInput): Promise<string> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const [last] = await tx.query<{ hash: string }>('SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const prevHash = last?.hash ?? GENESIS_HASH;
  const entry: AuditEntry = {
    id: randomUUID(),
    occurredAt: new Date().toISOString(),
    actorUserId: ctx.actorUserId,
    actorLabel: ctx.actorLabel,
    organizationId: input.organizationId !== undefined ? input.organizationId : ctx.organizationId,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId,
    requestId: ctx.requestId,
    beforeDigest: stateDigest(input.before),
    afterDigest: stateDigest(input.after),
    details: input.details ?? null,
  };
  const hash = chainHash(prevHash, entry);
  await tx.query(
    `INSERT INTO audit_events (id, occurred_at, actor_user_id, actor_label, organization_id, action, target_type,
       target_id, request_id, before_digest, after_digest, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      entry.id,
      entry.occurredAt,
      entry.actorUserId,
      entry.actorLabel,
      entry.organizationId,
      entry.action,
      entry.targetType,
      entry.targetId,
      entry.requestId,
      entry.beforeDigest,
      entry.afterDigest,
      entry.details === null ? null : JSON.stringify(entry.details),
      prevHash,
      hash,
    ],
  );
  return entry.id;
}

interface AuditRow {
  seq: number;
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  organization_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  before_digest: string | null;
  after_digest: string | null;
  details: Record<string, unknown> | null;
  prev_hash: string;
  hash: string;
  [key: string]: unknown;
}

function toLink(row: AuditRow): ChainLink<AuditEntry> {
  return {
    seq: row.seq,
    prevHash: row.prev_hash,
    hash: row.hash,
    entry: {
      id: row.id,
      occurredAt: new Date(row.occurred_at).toISOString(),
      actorUserId: row.actor_user_id,
      actorLabel: row.actor_label,
      organizationId: row.organization_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      requestId: row.request_id,
      beforeDigest: row.before_digest,
      afterDigest: row.after_digest,
      details: row.details,
    },
  };
}

export interface AuditVerification {
  ok: boolean;
  events: number;
  headHash: string;
  headSeq: number | null;
  broken?: ChainBreak & { eventId: string; action: string; occurredAt: string };
}

/** Recomputes the whole chain in batches; names the first broken event. */
export async function verifyAuditChain(
  db: Database,
  onProgress?: (checked: number, total: number) => void,
): Promise<AuditVerification> {
  const [{ count } = { count: 0 }] = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_events',
  );
  let prev = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  let headSeq: number | null = null;
  const batch = 5000;
  for (;;) {
    const rows = await db.query<AuditRow>('SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      afterSeq,
      batch,
    ]);
    if (rows.length === 0) break;
    const result = verifyLinks(rows.map(toLink), prev);
    if (result.broken) {
      const row = rows.find((r) => r.seq === result.broken!.seq)!;
      return {
        ok: false,
        events: count,
        headHash: prev,
        headSeq,
        broken: {
          ...result.broken,
          eventId: row.id,
          action: row.action,
          occurredAt: new Date(row.occurred_at).toISOString(),
        },
      };
    }
    prev = result.lastHash;
    checked += rows.length;
    afterSeq = rows[rows.length - 1]!.seq;
    headSeq = afterSeq;
    onProgress?.(checked, count);
    if (rows.length < batch) break;
  }
  return { ok: true, events: checked, headHash: prev, headSeq };
}

export async function auditHead(db: Queryable): Promise<{ seq: number | null; hash: string }> {
  const [last] = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  return { seq: last?.seq ?? null, hash: last?.hash ?? GENESIS_HASH };
}
