import type { Database } from '../db/database.js';
import type { Role } from '../../contract/api.js';
import { ApiError } from '../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { newSecret, sha256, SESSION_PREFIX } from '../auth/secrets.js';
import type { Actor } from '../policies/capabilities.js';

export const SESSION_DAYS = 7;
/** Failed attempts allowed in the window before sign-in is refused, per account and per client address. */
export const THROTTLE = { windowMinutes: 15, perAccount: 5, perIp: 30 } as const;

interface ActorRow {
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  locale: 'en' | 'ko' | null;
  disabled: boolean;
  organization_id: string | null;
  organization_name: string | null;
  organization_kind: Actor['organizationKind'];
  [key: string]: unknown;
}

const ACTOR_COLUMNS = `u.id AS user_id, u.email, u.display_name, u.role, u.locale, u.disabled,
  o.id AS organization_id, o.name AS organization_name, o.kind AS organization_kind`;

function toActor(row: ActorRow, via: Actor['via'], extra: Partial<Actor>): Actor {
  return {
    userId: row.user_id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    organizationId: row.organization_id,
    organizationName: row.organization_name,
    organizationKind: row.organization_kind,
    via,
    ...extra,
  };
}

export interface LoginResult {
  sessionToken: string;
  actor: Actor;
  expiresAt: Date;
}

export async function login(
  db: Database,
  input: { email: string; password: string; ip: string; userAgent: string | undefined; requestId: string },
): Promise<LoginResult> {
  const account = input.email.trim().toLowerCase();
  const [counts] = await db.query<{ account_failures: number; ip_failures: number }>(
    `SELECT
       count(*) FILTER (WHERE account = $1)::int AS account_failures,
       count(*) FILTER (WHERE ip = $2)::int AS ip_failures
     FROM login_attempts
     WHERE NOT success AND at > now() - make_interval(mins => $3) AND (account = $1 OR ip = $2)`,
    [account, input.ip, THROTTLE.windowMinutes],
  );
  if (
    (counts?.account_failures ?? 0) >= THROTTLE.perAccount ||
    (counts?.ip_failures ?? 0) >= THROTTLE.perIp
  ) {
    throw new ApiError('auth.throttled', { headers: { 'retry-after': String(THROTTLE.windowMinutes * 60) } });
  }

  const [row] = await db.query<ActorRow & { password_hash: string }>(
    `SELECT ${ACTOR_COLUMNS}, u.password_hash FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE lower(u.email) = $1`,
    [account],
  );
  const ok = row
    ? await verifyPassword(row.password_hash, input.password)
    : await verifyPassword(await dummyHash(), input.password);
  if (!row || !ok || row.disabled) {
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, false)', [
        account,
        input.ip,
      ]);
      await recordAudit(
        tx,
        {
          actorUserId: row?.user_id ?? null,
          actorLabel: account,
          organizationId: row?.organization_id ?? null,
          requestId: input.requestId,
        },
        {
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: row?.user_id ?? null,
          details: { ip: input.ip },
        },
      );
    });
    throw new ApiError('auth.invalid_credentials');
  }

  const sessionToken = newSecret(SESSION_PREFIX);
  const sessionId = sha256(sessionToken);
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, true)', [
      account,
      input.ip,
    ]);
    await tx.query(
      'INSERT INTO sessions (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5)',
      [sessionId, row.user_id, expiresAt, input.ip, input.userAgent?.slice(0, 300) ?? null],
    );
    await recordAudit(
      tx,
      {
        actorUserId: row.user_id,
        actorLabel: row.email,
        organizationId: row.organization_id,
        requestId: input.requestId,
      },
      {
        action: 'auth.login',
        targetType: 'session',
        targetId: sessionId.slice(0, 16),
        details: { ip: input.ip },
      },
    );
  });
  return { sessionToken, actor: toActor(row, 'session', { sessionId }), expiresAt };
}

export async function logout(db: Database, actor: Actor, requestId: string): Promise<void> {
  if (!actor.sessionId) return;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM sessions WHERE id = $1', [actor.sessionId]);
    await recordAudit(
      tx,
      { actorUserId: actor.userId, actorLabel: actor.email, organizationId: actor.organizationId, requestId },
      { action: 'auth.logout', targetType: 'session', targetId: actor.sessionId!.slice(0, 16) },
    );
  });
}

export async function actorForSession(db: Database, sessionToken: string): Promise<Actor | undefined> {
  const sessionId = sha256(sessionToken);
  const [row] = await db.query<ActorRow>(
    `SELECT ${ACTOR_COLUMNS} FROM sessions s JOIN users u ON u.id = s.user_id
     LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE s.id = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [sessionId],
  );
  return row ? toActor(row, 'session', { sessionId }) : undefined;
}

export async function actorForToken(db: Database, token: string): Promise<Actor | undefined> {
  const [row] = await db.query<ActorRow & { token_id: string }>(
    `SELECT ${ACTOR_COLUMNS}, t.id AS token_id FROM api_tokens t JOIN users u ON u.id = t.user_id
     LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled`,
    [sha256(token)],
  );
  return row ? toActor(row, 'token', { tokenId: row.token_id }) : undefined;
}

/** Recorded at most once a minute per token, so a busy machine client does not write on every call. */
export async function touchToken(db: Database, tokenId: string): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [tokenId],
  );
}
