import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoleGrantsSql } from './app-role.js';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';
import { recordAudit } from '../audit/audit.js';

describe.each(testDatabaseKinds)('application role on %s PostgreSQL', (kind) => {
  let db: TestDatabase;
  const role = `korus_app_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await db.exec(`CREATE ROLE ${role} NOLOGIN`);
    await db.exec(appRoleGrantsSql(role, db.schemaName));
  });
  afterAll(async () => {
    await db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`).catch(() => undefined);
    await db.close();
  });

  it('may append audit events but cannot change or delete them', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`SET LOCAL ROLE ${role}`);
      await recordAudit(
        tx,
        { actorUserId: null, actorLabel: 'app', organizationId: null, requestId: null },
        { action: 'user.create', targetType: 'user', targetId: 'x' },
      );
    });
    const attempt = (sql: string) =>
      db.transaction(async (tx) => {
        await tx.query(`SET LOCAL ROLE ${role}`);
        await tx.query(sql);
      });
    await expect(attempt(`UPDATE audit_events SET actor_label = 'forged'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(attempt('DELETE FROM audit_events')).rejects.toThrow(/permission denied/);
    await expect(attempt('TRUNCATE audit_events')).rejects.toThrow(/permission denied/);
    await attempt(`UPDATE users SET locale = 'ko' WHERE false`);
  });
});
