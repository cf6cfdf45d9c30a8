import type { Database, Queryable } from '../db/database.js';
import { acceptSecondFactor, type TwoFactorDeps } from './two-factor.js';
import type { Role } from '../../contract/api.js';
import { ApiError } from '../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { dummyHash, verifyPassword } from '../auth/passwords.js';
import { newSecret, sha256, SESSION_PREFIX } from '../auth/secrets.js';
import type { Actor } from '../policies/capabilities.js';

export const SESSION_DAYS = 7;

/**
 * Sign-in throttling by progressive delay (issue 14): failures slow the next attempt down instead of locking
 * the account. Three counts over the last 15 minutes, each giving a wait after its latest failure:
 *   - this address on this account (since its last success): free for 3, then 1, 2, 4 … up to 60 s;
 *   - this address on any account (password spraying): free for 10, then doubling every 4, up to 60 s;
 *   - this account from any address (distributed guessing): free for 5, then 0.5 s more each, up to 3 s.
 * A wait of up to 3 s is served by the server holding the answer; a longer one is a 429 with Retry-After. So the
 * owner's right password from another address is at most 3 s late, whatever an attacker did elsewhere.
 */
export const THROTTLE = {
  windowMinutes: 15,
  pair: { free: 3, maxSeconds: 60 },
  address: { free: 10, doublingEvery: 4, maxSeconds: 60 },
  account: { free: 5, stepSeconds: 0.5, maxSeconds: 3 },
  serverWaitSeconds: 3,
} as const;

interface FailureCounts {
  pair: number;
  pair_last: Date | null;
  address: number;
  address_last: Date | null;
  account: number;
  account_last: Date | null;
  now: Date;
  [key: string]: unknown;
}

/** Seconds to wait before this attempt may be judged (0: at once). Pure, for the tests. */
export function throttleWait(c: FailureCounts): number {
  const since = (last: Date | null) => (last ? (c.now.getTime() - last.getTime()) / 1000 : Infinity);
  const waits = [0];
  if (c.pair >= THROTTLE.pair.free)
    waits.push(Math.min(2 ** (c.pair - THROTTLE.pair.free), THROTTLE.pair.maxSeconds) - since(c.pair_last));
  if (c.address >= THROTTLE.address.free)
    waits.push(
      Math.min(
        2 ** ((c.address - THROTTLE.address.free) / THROTTLE.address.doublingEvery),
        THROTTLE.address.maxSeconds,
      ) - since(c.address_last),
    );
  if (c.account >= THROTTLE.account.free)
    waits.push(
      Math.min(
        (c.account - THROTTLE.account.free + 1) * THROTTLE.account.stepSeconds,
        THROTTLE.account.maxSeconds,
      ) - since(c.account_last),
    );
  return Math.max(...waits);
}

async function throttle(db: Database, account: string, ip: string): Promise<void> {
  const [counts] = await db.query<FailureCounts>(
    `WITH recent AS (
       SELECT account, ip, success, at FROM login_attempts
       WHERE at > now() - make_interval(mins => $3) AND (account = $1 OR ip = $2)
     ), pair_success AS (
       SELECT max(at) AS at FROM recent WHERE account = $1 AND ip = $2 AND success
     )
     SELECT
       count(*) FILTER (WHERE account = $1 AND ip = $2 AND NOT success
         AND at > coalesce((SELECT at FROM pair_success), '-infinity'))::int AS pair,
       max(at) FILTER (WHERE account = $1 AND ip = $2 AND NOT success) AS pair_last,
       count(*) FILTER (WHERE ip = $2 AND NOT success)::int AS address,
       max(at) FILTER (WHERE ip = $2 AND NOT success) AS address_last,
       count(*) FILTER (WHERE account = $1 AND NOT success)::int AS account,
       max(at) FILTER (WHERE account = $1 AND NOT success) AS account_last,
       now() AS now
     FROM recent`,
    [account, ip, THROTTLE.windowMinutes],
  );
  const wait = counts ? throttleWait(counts) : 0;
  if (wait <= 0) return;
  if (wait <= THROTTLE.serverWaitSeconds) {
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    return;
  }
  const seconds = Math.ceil(wait);
  throw new ApiError('auth.throttled', {
    headers: { 'retry-after': String(seconds) },
    detail: {
      en: `Too many failed sign-in attempts. Try again in ${seconds} seconds.`,
      ko: `로그인 실패가 너무 많습니다. ${seconds}초 후 다시 시도하세요.`,
    },
  });
}

export interface ActorRow {
  user_id: string;
  email: string;
  display_name: string;
  role: Role;
  locale: 'en' | 'ko' | null;
  disabled: boolean;
  organization_id: string | null;
  organization_name: string | null;
  organization_kind: Actor['organizationKind'];
  organization_mandates: Actor['mandates'] | null;
  totp_enabled: boolean;
  two_factor_required: boolean;
  [key: string]: unknown;
}

// A worker's login shows the worker record's name (the passport's, with the Hangul), whatever the user was called.
const ACTOR_COLUMNS = `u.id AS user_id, u.email,
  coalesce((SELECT w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name FROM workers w WHERE w.user_id = u.id),
           u.display_name) AS display_name,
  u.role, u.locale, u.disabled,
  o.id AS organization_id, o.name AS organization_name, o.kind AS organization_kind, o.mandates AS organization_mandates,
  u.totp_enabled_at IS NOT NULL AS totp_enabled,
  (coalesce(o.require_two_factor_for_admins, false) AND u.role = 'admin') AS two_factor_required`;

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
    mandates: row.organization_mandates ?? [],
    twoFactorEnabled: row.totp_enabled,
    twoFactorRequired: row.two_factor_required,
    via,
    ...extra,
  };
}

export interface LoginResult {
  sessionToken: string;
  actor: Actor;
  expiresAt: Date;
}

/** The password was right and the account has a second factor: the client sends the code with this. */
export interface ChallengeResult {
  challenge: string;
  expiresAt: Date;
}

const CHALLENGE_MINUTES = 5;
const CHALLENGE_ATTEMPTS = 5;

interface SignInInput {
  ip: string;
  userAgent: string | undefined;
  requestId: string;
}

export async function login(
  db: Database,
  input: SignInInput & { email: string; password: string },
): Promise<LoginResult | ChallengeResult> {
  const account = input.email.trim().toLowerCase();
  await throttle(db, account, input.ip);

  const [row] = await db.query<ActorRow & { password_hash: string | null }>(
    `SELECT ${ACTOR_COLUMNS}, u.password_hash FROM users u LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE lower(u.email) = $1`,
    [account],
  );
  // Same work whether or not the account exists (or has a password: single sign-on users have none).
  const ok = row?.password_hash
    ? await verifyPassword(row.password_hash, input.password)
    : (await verifyPassword(await dummyHash(), input.password)) && false;
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

  if (row.totp_enabled) {
    const challenge = newSecret('korus_2fa_');
    const expiresAt = new Date(Date.now() + CHALLENGE_MINUTES * 60_000);
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, true)', [
        account,
        input.ip,
      ]);
      await tx.query('DELETE FROM sign_in_challenges WHERE user_id = $1 OR expires_at < now()', [
        row.user_id,
      ]);
      await tx.query('INSERT INTO sign_in_challenges (id, user_id, expires_at, ip) VALUES ($1, $2, $3, $4)', [
        sha256(challenge),
        row.user_id,
        expiresAt,
        input.ip,
      ]);
    });
    return { challenge, expiresAt };
  }
  return db.transaction(async (tx) => {
    await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, true)', [
      account,
      input.ip,
    ]);
    return startSession(tx, row, input, 'password');
  });
}

/** Opens a session for a user who has proved who they are, and audits the sign-in. */
export async function startSession(
  tx: Queryable,
  row: ActorRow,
  input: SignInInput,
  signedInWith: 'password' | 'sso',
  details: Record<string, unknown> = {},
): Promise<LoginResult> {
  const sessionToken = newSecret(SESSION_PREFIX);
  const sessionId = sha256(sessionToken);
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await tx.query(
    'INSERT INTO sessions (id, user_id, expires_at, ip, user_agent, signed_in_with) VALUES ($1, $2, $3, $4, $5, $6)',
    [sessionId, row.user_id, expiresAt, input.ip, input.userAgent?.slice(0, 300) ?? null, signedInWith],
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
      details: { ip: input.ip, via: signedInWith, ...details },
    },
  );
  return {
    sessionToken,
    actor: toActor(row, 'session', { sessionId, ...(signedInWith === 'sso' ? { sso: true } : {}) }),
    expiresAt,
  };
}

/** The second step of a password sign-in: the challenge and a TOTP or recovery code. */
export async function completeTwoFactor(
  db: Database,
  deps: TwoFactorDeps,
  input: SignInInput & { challenge: string; code: string },
): Promise<LoginResult> {
  const challengeId = sha256(input.challenge);
  const [pending] = await db.query<{ user_id: string; email: string }>(
    `SELECT c.user_id, u.email FROM sign_in_challenges c JOIN users u ON u.id = c.user_id
     WHERE c.id = $1 AND c.expires_at > now() AND c.attempts < $2`,
    [challengeId, CHALLENGE_ATTEMPTS],
  );
  if (!pending) throw new ApiError('auth.two_factor_expired');
  const account = pending.email.toLowerCase();
  await throttle(db, account, input.ip);
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx.query<
      ActorRow & { totp_secret: string | null; totp_last_step: number | null; id: string }
    >(
      `SELECT ${ACTOR_COLUMNS}, u.id, u.totp_secret, u.totp_last_step FROM users u
       LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1 FOR UPDATE OF u`,
      [pending.user_id],
    );
    if (!row || row.disabled) return { ok: false as const };
    const factor = await acceptSecondFactor(tx, deps, row, input.code);
    if (!factor) return { ok: false as const, row };
    await tx.query('DELETE FROM sign_in_challenges WHERE id = $1', [challengeId]);
    await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, true)', [
      account,
      input.ip,
    ]);
    if (factor === 'recovery') {
      const [{ left } = { left: 0 }] = await tx.query<{ left: number }>(
        'SELECT count(*)::int AS left FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL',
        [row.user_id],
      );
      await recordAudit(
        tx,
        {
          actorUserId: row.user_id,
          actorLabel: row.email,
          organizationId: row.organization_id,
          requestId: input.requestId,
        },
        { action: 'two_factor.recovery_used', targetType: 'user', targetId: row.user_id, details: { left } },
      );
    }
    return {
      ok: true as const,
      result: await startSession(tx, row, input, 'password', { secondFactor: factor }),
    };
  });
  if (outcome.ok) return outcome.result;
  await db.transaction(async (tx) => {
    await tx.query('UPDATE sign_in_challenges SET attempts = attempts + 1 WHERE id = $1', [challengeId]);
    await tx.query('INSERT INTO login_attempts (account, ip, success) VALUES ($1, $2, false)', [
      account,
      input.ip,
    ]);
    await recordAudit(
      tx,
      {
        actorUserId: pending.user_id,
        actorLabel: account,
        organizationId: outcome.row?.organization_id ?? null,
        requestId: input.requestId,
      },
      {
        action: 'auth.two_factor_failed',
        targetType: 'user',
        targetId: pending.user_id,
        details: { ip: input.ip },
      },
    );
  });
  throw new ApiError('auth.two_factor_invalid');
}

/** A user's row as the actor queries read it (single sign-on reuses it after making or updating the user). */
export async function actorRowById(db: Queryable, userId: string): Promise<ActorRow | undefined> {
  const [row] = await db.query<ActorRow>(
    `SELECT ${ACTOR_COLUMNS} FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1`,
    [userId],
  );
  return row;
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
    `SELECT ${ACTOR_COLUMNS}, s.signed_in_with FROM sessions s JOIN users u ON u.id = s.user_id
     LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE s.id = $1 AND s.expires_at > now() AND NOT u.disabled`,
    [sessionId],
  );
  return row
    ? toActor(row, 'session', { sessionId, ...(row.signed_in_with === 'sso' ? { sso: true } : {}) })
    : undefined;
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

/** The user behind a calendar feed's secret (issue 18): read-only, like an API token. */
export async function actorForCalendar(db: Database, token: string): Promise<Actor | undefined> {
  const [row] = await db.query<ActorRow & { feed_id: string }>(
    `SELECT ${ACTOR_COLUMNS}, f.id AS feed_id FROM calendar_feeds f JOIN users u ON u.id = f.user_id
     LEFT JOIN organizations o ON o.id = u.organization_id
     WHERE f.token_hash = $1 AND f.revoked_at IS NULL AND NOT u.disabled`,
    [sha256(token)],
  );
  return row ? toActor(row, 'token', {}) : undefined;
}

/** Recorded at most once a minute per token, so a busy machine client does not write on every call. */
export async function touchToken(db: Database, tokenId: string): Promise<void> {
  await db.query(
    `UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [tokenId],
  );
}
