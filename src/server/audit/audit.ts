import { randomUUID } from 'node:crypto';
import {
  chainHash,
  GENESIS_HASH,
  stateDigest,
  storable,
  verifyLinks,
  type ChainBreak,
  type ChainLink,
} from '../../core/audit/chain.js';
import { signJws, verifiedJwsPayload, type CardKeyRing, type PublicJwk } from '../cards/jws.js';
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
  // The entry is hashed in the form it is stored in (see `storable`), so verification recomputes the same hash.
  const entry: AuditEntry = storable({
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
  });
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

export type AuditBreak = ChainBreak & {
  eventId: string;
  action: string;
  occurredAt: string;
  /** The chain note (its event id) that acknowledged this break after an investigation, if any. */
  acknowledgedBy?: string;
};

export interface AuditVerification {
  /** No break, or every break acknowledged by a valid, signed chain note. */
  ok: boolean;
  events: number;
  headHash: string;
  headSeq: number | null;
  /** The first break not acknowledged by a chain note. */
  broken?: AuditBreak;
  /** Every break found, acknowledged or not (one bad event never hides a later one). */
  breaks: AuditBreak[];
  /** Chain notes whose signature does not verify (they acknowledge nothing). */
  invalidNotes: string[];
}

interface ChainNoteDetails {
  acknowledges: { seq: number; found: string }[];
  reason: string;
  signature: string;
}

/**
 * Recomputes the whole chain in batches and reports every broken event. A break that was investigated can be
 * acknowledged by a chain note (`recordChainNote`): an audited event, signed with the instance's key, naming
 * the broken events and the hashes found in them; with `keys` its signature is checked.
 */
export async function verifyAuditChain(
  db: Database,
  onProgress?: (checked: number, total: number) => void,
  keys?: readonly PublicJwk[],
): Promise<AuditVerification> {
  const [{ count } = { count: 0 }] = await db.query<{ count: number }>(
    'SELECT count(*)::int AS count FROM audit_events',
  );
  let prev = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  let headSeq: number | null = null;
  const breaks: AuditBreak[] = [];
  const acknowledged = new Map<string, string>(); // `${seq}:${found}` -> note event id
  const invalidNotes: string[] = [];
  const batch = 5000;
  for (;;) {
    const rows = await db.query<AuditRow>('SELECT * FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2', [
      afterSeq,
      batch,
    ]);
    if (rows.length === 0) break;
    const result = verifyLinks(rows.map(toLink), prev);
    for (const b of result.breaks) {
      const row = rows.find((r) => r.seq === b.seq)!;
      breaks.push({
        ...b,
        eventId: row.id,
        action: row.action,
        occurredAt: new Date(row.occurred_at).toISOString(),
      });
    }
    for (const row of rows) {
      if (row.action !== 'audit.chain_note') continue;
      const details = row.details as unknown as ChainNoteDetails | null;
      const signed = details && keys ? verifiedJwsPayload(details.signature, keys) : details;
      const payload = signed as { acknowledges?: { seq: number; found: string }[] } | undefined;
      if (
        !payload?.acknowledges ||
        (keys && JSON.stringify(payload.acknowledges) !== JSON.stringify(details?.acknowledges))
      ) {
        invalidNotes.push(row.id);
        continue;
      }
      for (const a of payload.acknowledges) acknowledged.set(`${a.seq}:${a.found}`, row.id);
    }
    prev = result.lastHash;
    checked += rows.length;
    afterSeq = rows[rows.length - 1]!.seq;
    headSeq = afterSeq;
    onProgress?.(checked, count);
    if (rows.length < batch) break;
  }
  for (const b of breaks) {
    const note = acknowledged.get(`${b.seq}:${b.found}`);
    if (note) b.acknowledgedBy = note;
  }
  const open = breaks.filter((b) => !b.acknowledgedBy);
  return {
    ok: open.length === 0,
    events: checked,
    headHash: prev,
    headSeq,
    ...(open[0] ? { broken: open[0] } : {}),
    breaks,
    invalidNotes,
  };
}

/**
 * Re-anchors the chain after an investigated break: records an `audit.chain_note` naming the broken events
 * (each must be a break that verification reports now) with the reason, signed with the instance's key. The
 * breaks stay visible in every later verification, marked as acknowledged by this note.
 */
export async function recordChainNote(
  db: Database,
  ctx: AuditContext,
  ring: CardKeyRing,
  input: { seqs: number[]; reason: string },
): Promise<{ noteId: string; acknowledged: AuditBreak[] }> {
  const reason = input.reason.trim();
  if (!reason) throw new Error('A chain note needs a reason (what was investigated and found).');
  const verification = await verifyAuditChain(db, undefined, ring.publicKeys);
  const chosen = input.seqs.map((seq) => {
    const found = verification.breaks.find((b) => b.seq === seq && !b.acknowledgedBy);
    if (!found) throw new Error(`Event #${seq} is not an unacknowledged break of the audit chain.`);
    return found;
  });
  const acknowledges = chosen.map((b) => ({ seq: b.seq, found: b.found }));
  const signature = signJws(ring, {
    type: 'korus-audit-chain-note',
    acknowledges,
    reason,
    at: new Date().toISOString(),
  });
  const noteId = await db.transaction((tx) =>
    recordAudit(tx, ctx, {
      action: 'audit.chain_note',
      targetType: 'audit_event',
      targetId: acknowledges.map((a) => a.seq).join(','),
      details: { acknowledges, reason, signature },
    }),
  );
  return { noteId, acknowledged: chosen };
}

export async function auditHead(db: Queryable): Promise<{ seq: number | null; hash: string }> {
  const [last] = await db.query<{ seq: number; hash: string }>(
    'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
  );
  return { seq: last?.seq ?? null, hash: last?.hash ?? GENESIS_HASH };
}
