import type { BatchEvent } from '../../../contract/consular.js';
import type { Queryable } from '../../db/database.js';

/** A batch's status history (issue 17): appended by the investor's changes and the desk's, read by both. */
export async function addBatchEvent(
  tx: Queryable,
  batchId: string,
  event: {
    kind: BatchEvent['kind'];
    side: BatchEvent['side'];
    at: Date;
    userId: string | null;
    label: string;
    caseId?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO batch_events (batch_id, seq, at, kind, case_id, by_user_id, by_label, side, details)
     VALUES ($1, (SELECT coalesce(max(seq), 0) + 1 FROM batch_events WHERE batch_id = $1), $2, $3, $4, $5, $6, $7, $8)`,
    [
      batchId,
      event.at.toISOString(),
      event.kind,
      event.caseId ?? null,
      event.userId,
      event.label,
      event.side,
      JSON.stringify(event.details ?? {}),
    ],
  );
}

export async function batchEvents(q: Queryable, batchId: string): Promise<BatchEvent[]> {
  const rows = await q.query<{
    seq: number;
    at: Date;
    kind: BatchEvent['kind'];
    side: BatchEvent['side'];
    by_label: string;
    case_id: string | null;
    details: Record<string, unknown>;
  }>(
    'SELECT seq, at, kind, side, by_label, case_id, details FROM batch_events WHERE batch_id = $1 ORDER BY seq',
    [batchId],
  );
  return rows.map((r) => ({
    seq: r.seq,
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    side: r.side,
    by: r.by_label,
    caseId: r.case_id,
    details: r.details,
  }));
}
