import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import type { Database } from '../../db/database.js';

/**
 * The webhook dispatcher (issue 18): posts the deliveries that are due, signed, and reschedules failures with
 * backoff. Deliveries are claimed with FOR UPDATE SKIP LOCKED, so several servers never send one twice at once;
 * the claim moves `next_attempt_at` past the request's timeout first, so a server that dies mid-request leaves
 * the delivery to be retried, not lost (receivers deduplicate on `korus-delivery`).
 */
export const SECRET_CONTEXT = 'webhooks.secret';
/** Minutes to wait after the 1st, 2nd, … failed attempt; after the last, the delivery is given up. */
export const RETRY_MINUTES = [1, 5, 30, 120, 480, 1440] as const;
export const TIMEOUT_MS = 10_000;

export interface DispatchOptions {
  db: Database;
  cipher: FieldCipher;
  now?: () => Date;
  /**
   * Allow addresses on loopback and private networks (`KORUS_WEBHOOKS_ALLOW_PRIVATE`): for tests and an HR system
   * inside the same network. Off by default, so an endpoint cannot be used to reach the server's own network.
   */
  allowPrivate?: boolean;
  batchSize?: number;
}

export function signature(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

/** Loopback, private, link-local, unique-local, CGNAT and unspecified addresses. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return (
      a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)
    ); // prettier-ignore
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::1' || v6 === '::' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe80');
}

async function refusedTarget(url: string, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  return addresses.some(isPrivateAddress) ? `refused: ${host} is on a private or loopback network` : null;
}

interface Due {
  [key: string]: unknown;
  id: string;
  attempts: number;
  url: string;
  secret_enc: string;
  event_id: string;
  type: string;
  data: unknown;
  occurred_at: Date;
  organization_id: string;
}

/** Sends every delivery due now (at most `batchSize`); returns how many were attempted. */
export async function deliverDue(options: DispatchOptions): Promise<number> {
  const now = options.now ? options.now() : new Date();
  const due = await options.db.transaction(async (tx) => {
    const rows = await tx.query<Due>(
      `SELECT d.id, d.attempts, ep.url, ep.secret_enc, e.id AS event_id, e.type, e.data, e.occurred_at,
              e.organization_id
         FROM webhook_deliveries d JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
         JOIN webhook_events e ON e.id = d.event_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND ep.active AND ep.deleted_at IS NULL
        ORDER BY d.next_attempt_at, d.id LIMIT $2 FOR UPDATE OF d SKIP LOCKED`,
      [now.toISOString(), options.batchSize ?? 50],
    );
    if (rows.length)
      await tx.query(`UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
        new Date(now.getTime() + TIMEOUT_MS * 3).toISOString(),
      ]);
    return rows;
  });
  await Promise.all(due.map((d) => attempt(options, d, now)));
  return due.length;
}

async function attempt(options: DispatchOptions, d: Due, now: Date): Promise<void> {
  const body = JSON.stringify({
    id: d.event_id,
    type: d.type,
    occurredAt: new Date(d.occurred_at).toISOString(),
    organizationId: d.organization_id,
    data: d.data,
  });
  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    error = await refusedTarget(d.url, options.allowPrivate ?? false);
    if (!error) {
      const secret = options.cipher.decrypt(d.secret_enc, SECRET_CONTEXT);
      const response = await fetch(d.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'KORUS-Mobility-Webhooks/1',
          'korus-event': d.type,
          'korus-delivery': d.id,
          'korus-signature': signature(secret, Math.floor(now.getTime() / 1000), body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    }
  } catch (e) {
    error = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e); // prettier-ignore
  }
  const n = d.attempts + 1;
  const delivered = error === null;
  const wait = RETRY_MINUTES[n - 1];
  const status = delivered ? 'delivered' : wait === undefined ? 'failed' : 'pending';
  await options.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [d.id, n, now.toISOString(), statusCode, error?.slice(0, 500) ?? null, Date.now() - started],
    );
    await tx.query(
      `UPDATE webhook_deliveries SET attempts = $2, status = $3, last_status_code = $4, last_error = $5,
              delivered_at = $6, next_attempt_at = $7 WHERE id = $1`,
      [
        d.id,
        n,
        status,
        statusCode,
        error?.slice(0, 500) ?? null,
        delivered ? now.toISOString() : null,
        status === 'pending' ? new Date(now.getTime() + wait! * 60_000).toISOString() : null,
      ],
    );
  });
}
