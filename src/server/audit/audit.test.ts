import { afterEach, describe, expect, it } from 'vitest';
import { recordAudit, verifyAuditChain, type AuditContext } from './audit.js';
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
});
