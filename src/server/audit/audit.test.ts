import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit, recordChainNote, verifyAuditChain, type AuditContext } from './audit.js';
import { ephemeralCardKeys } from '../cards/jws.js';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';

const ctx: AuditContext = { actorUserId: null, actorLabel: 'test', organizationId: null, requestId: 'req-1' };

describe.each(testDatabaseKinds)('audit chain on %s', (kind) => {
  let db: TestDatabase;
  afterEach(async () => db?.close());

  it('chains events written concurrently and verifies them', async () => {
    db = await openTestDatabase(kind);
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction((tx) =>
          recordAudit(tx, ctx, {
            action: 'organization.create',
            targetType: 'organization',
            targetId: String(i),
            after: { i },
          }),
        ),
      ),
    );
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ ok: true, events: 40 });
  });

  it('an event of a rolled-back transaction leaves no link', async () => {
    db = await openTestDatabase(kind);
    await db.transaction((tx) =>
      recordAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: 'a' }),
    );
    await expect(
      db.transaction(async (tx) => {
        await recordAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: 'b' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.transaction((tx) =>
      recordAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: 'c' }),
    );
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, events: 2 });
  });

  it('names the first event that was changed in the database', async () => {
    db = await openTestDatabase(kind);
    for (let i = 0; i < 5; i++) {
      await db.transaction((tx) =>
        recordAudit(tx, ctx, {
          action: 'token.create',
          targetType: 'api_token',
          targetId: `t${i}`,
          details: { n: i },
        }),
      );
    }
    const [third] = await db.query<{ seq: number; id: string }>(
      'SELECT seq, id FROM audit_events ORDER BY seq OFFSET 2 LIMIT 1',
    );
    await db.query(`UPDATE audit_events SET target_id = 'forged' WHERE seq = $1`, [third!.seq]);
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.broken).toMatchObject({ seq: third!.seq, eventId: third!.id, problem: 'hash_mismatch' });
  });

  it('detects a deleted event', async () => {
    db = await openTestDatabase(kind);
    for (let i = 0; i < 3; i++)
      await db.transaction((tx) =>
        recordAudit(tx, ctx, { action: 'token.create', targetType: 'api_token', targetId: `t${i}` }),
      );
    const [second] = await db.query<{ seq: number }>(
      'SELECT seq FROM audit_events ORDER BY seq OFFSET 1 LIMIT 1',
    );
    await db.query('DELETE FROM audit_events WHERE seq = $1', [second!.seq]);
    const result = await verifyAuditChain(db);
    expect(result.broken).toMatchObject({ seq: second!.seq + 1, problem: 'prev_hash_mismatch' });
  });

  it('reports every broken event, so one bad event cannot hide a later one', async () => {
    db = await openTestDatabase(kind);
    for (let i = 0; i < 6; i++)
      await db.transaction((tx) =>
        recordAudit(tx, ctx, { action: 'token.create', targetType: 'api_token', targetId: `t${i}` }),
      );
    const rows = await db.query<{ seq: number }>('SELECT seq FROM audit_events ORDER BY seq');
    await db.query(`UPDATE audit_events SET target_id = 'forged' WHERE seq = $1`, [rows[1]!.seq]);
    await db.query(`UPDATE audit_events SET actor_label = 'forged' WHERE seq = $1`, [rows[4]!.seq]);
    const result = await verifyAuditChain(db);
    expect(result.ok).toBe(false);
    expect(result.breaks.map((b) => [b.seq, b.problem])).toEqual([
      [rows[1]!.seq, 'hash_mismatch'],
      [rows[4]!.seq, 'hash_mismatch'],
    ]);
  });

  it('a signed chain note acknowledges an investigated break; the break stays listed; a forged note does not', async () => {
    db = await openTestDatabase(kind);
    const ring = ephemeralCardKeys();
    for (let i = 0; i < 4; i++)
      await db.transaction((tx) =>
        recordAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: `u${i}` }),
      );
    const [second] = await db.query<{ seq: number }>(
      'SELECT seq FROM audit_events ORDER BY seq OFFSET 1 LIMIT 1',
    );
    await db.query(`UPDATE audit_events SET target_id = 'restored-by-hand' WHERE seq = $1`, [second!.seq]);
    await expect(
      recordChainNote(db, ctx, ring, { seqs: [second!.seq + 1], reason: 'not broken' }),
    ).rejects.toThrow(/not an unacknowledged break/);
    const { noteId } = await recordChainNote(db, ctx, ring, {
      seqs: [second!.seq],
      reason: 'Row edited by hand during the 2026-12 restore; checked against the backup.',
    });
    const after = await verifyAuditChain(db, undefined, ring.publicKeys);
    expect(after.ok).toBe(true);
    expect(after.breaks).toHaveLength(1);
    expect(after.breaks[0]).toMatchObject({ seq: second!.seq, acknowledgedBy: noteId });
    // A later break is not covered by the note.
    const [last] = await db.query<{ seq: number }>('SELECT max(seq)::int AS seq FROM audit_events');
    await db.transaction((tx) =>
      recordAudit(tx, ctx, { action: 'user.create', targetType: 'user', targetId: 'late' }),
    );
    await db.query(`UPDATE audit_events SET target_id = 'forged' WHERE seq = $1`, [last!.seq + 1]);
    expect((await verifyAuditChain(db, undefined, ring.publicKeys)).broken?.seq).toBe(last!.seq + 1);
    // A note whose signature is not the instance's acknowledges nothing.
    const other = ephemeralCardKeys();
    expect((await verifyAuditChain(db, undefined, other.publicKeys)).invalidNotes).toEqual([noteId]);
  });
});
