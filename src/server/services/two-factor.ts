import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import type { Database, Queryable } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { sha256 } from '../auth/secrets.js';
import type { FieldCipher } from '../crypto/field-encryption.js';
import { auditContextOf, type ServiceContext } from './context.js';

/**
 * TOTP two-factor sign-in (RFC 6238 with otplib: SHA-1, 6 digits, 30-second steps, one step of clock drift
 * either way), with ten single-use recovery codes. The secret is encrypted at rest with the field key ring. A
 * code is accepted once: the time step it matched is kept and an equal or earlier step is refused (replay).
 */
const ISSUER = 'KORUS Mobility';
const RECOVERY_CODES = 10;
const SECRET_FIELD = 'users.totp_secret';

export interface TwoFactorDeps {
  cipher: FieldCipher;
}

interface TotpRow {
  id: string;
  email: string;
  organization_id: string | null;
  role: string;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  required: boolean;
  [key: string]: unknown;
}

async function totpRow(db: Queryable, userId: string, lock = false): Promise<TotpRow> {
  const [row] = await db.query<TotpRow>(
    `SELECT u.id, u.email, u.organization_id, u.role, u.totp_secret, u.totp_enabled_at, u.totp_last_step,
       coalesce(o.require_two_factor_for_admins, false) AND u.role = 'admin' AS required
     FROM users u LEFT JOIN organizations o ON o.id = u.organization_id WHERE u.id = $1${lock ? ' FOR UPDATE OF u' : ''}`,
    [userId],
  );
  if (!row) throw new ApiError('resource.not_found');
  return row;
}

/** Starts (or restarts) enrolment: a new secret, waiting for its first code. */
export async function beginTotpEnrollment(
  ctx: ServiceContext,
  deps: TwoFactorDeps,
): Promise<{ secret: string; otpauthUri: string }> {
  return ctx.db.transaction(async (tx) => {
    const row = await totpRow(tx, ctx.actor.userId, true);
    if (row.totp_enabled_at) throw new ApiError('two_factor.already_enabled');
    const secret = generateSecret();
    await tx.query('UPDATE users SET totp_secret = $2, totp_last_step = NULL WHERE id = $1', [
      row.id,
      deps.cipher.encrypt(secret, SECRET_FIELD),
    ]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'two_factor.enroll_start',
      targetType: 'user',
      targetId: row.id,
    });
    return { secret, otpauthUri: generateURI({ issuer: ISSUER, label: row.email, secret }) };
  });
}

/** The first code turns two-factor on and gives the recovery codes (shown once). */
export async function confirmTotpEnrollment(
  ctx: ServiceContext,
  deps: TwoFactorDeps,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  return ctx.db.transaction(async (tx) => {
    const row = await totpRow(tx, ctx.actor.userId, true);
    if (row.totp_enabled_at) throw new ApiError('two_factor.already_enabled');
    if (!row.totp_secret) throw new ApiError('two_factor.not_started');
    const step = await matchTotp(deps.cipher.decrypt(row.totp_secret, SECRET_FIELD), code, null);
    if (step === undefined) throw new ApiError('two_factor.code_invalid');
    await tx.query('UPDATE users SET totp_enabled_at = now(), totp_last_step = $2 WHERE id = $1', [
      row.id,
      step,
    ]);
    const recoveryCodes = await replaceRecoveryCodes(tx, row.id);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'two_factor.enable',
      targetType: 'user',
      targetId: row.id,
    });
    return { recoveryCodes };
  });
}

/** Turns two-factor off with a current code (or a recovery code); refused where the organization requires it. */
export async function disableTotp(ctx: ServiceContext, deps: TwoFactorDeps, code: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const row = await totpRow(tx, ctx.actor.userId, true);
    if (!row.totp_enabled_at) throw new ApiError('two_factor.not_enabled');
    if (row.required) throw new ApiError('two_factor.required_by_organization');
    if (!(await acceptSecondFactor(tx, deps, row, code))) throw new ApiError('two_factor.code_invalid');
    await tx.query(
      'UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL WHERE id = $1',
      [row.id],
    );
    await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [row.id]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'two_factor.disable',
      targetType: 'user',
      targetId: row.id,
    });
  });
}

/** New recovery codes (the old ones stop working), with a current code. */
export async function regenerateRecoveryCodes(
  ctx: ServiceContext,
  deps: TwoFactorDeps,
  code: string,
): Promise<{ recoveryCodes: string[] }> {
  return ctx.db.transaction(async (tx) => {
    const row = await totpRow(tx, ctx.actor.userId, true);
    if (!row.totp_enabled_at) throw new ApiError('two_factor.not_enabled');
    if (!(await acceptSecondFactor(tx, deps, row, code))) throw new ApiError('two_factor.code_invalid');
    return { recoveryCodes: await replaceRecoveryCodes(tx, row.id) };
  });
}

/**
 * Checks a second factor inside the caller's transaction (the user's row locked): a TOTP code newer than the
 * last one used, or an unused recovery code (then spent). Returns whether it was accepted.
 */
export async function acceptSecondFactor(
  tx: Queryable,
  deps: TwoFactorDeps,
  row: Pick<TotpRow, 'id' | 'totp_secret' | 'totp_last_step'>,
  code: string,
): Promise<'totp' | 'recovery' | false> {
  const compact = code.replace(/\s+/g, '');
  if (/^\d{6}$/.test(compact) && row.totp_secret) {
    const step = await matchTotp(
      deps.cipher.decrypt(row.totp_secret, SECRET_FIELD),
      compact,
      row.totp_last_step,
    );
    if (step === undefined) return false;
    await tx.query('UPDATE users SET totp_last_step = $2 WHERE id = $1', [row.id, step]);
    return 'totp';
  }
  const normalized = compact.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (normalized.length !== 10) return false;
  const spent = await tx.query(
    `UPDATE user_recovery_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL RETURNING 1`,
    [row.id, sha256(normalized)],
  );
  return spent.length === 1 ? 'recovery' : false;
}

/** The time step a code matches (current ±1), if it is newer than `lastStep`. */
async function matchTotp(secret: string, code: string, lastStep: number | null): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const now = Math.floor(Date.now() / 1000);
  const result = await verify({ secret, token: code, epoch: now, epochTolerance: 30 });
  if (!result.valid) return undefined;
  const step = Math.floor(now / 30) + result.delta;
  if (lastStep !== null && step <= lastStep) return undefined;
  return step;
}

async function replaceRecoveryCodes(tx: Queryable, userId: string): Promise<string[]> {
  await tx.query('DELETE FROM user_recovery_codes WHERE user_id = $1', [userId]);
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read aloud and typed without doubt
  const codes = Array.from({ length: RECOVERY_CODES }, () => {
    const raw = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]).join('');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  for (const code of codes)
    await tx.query('INSERT INTO user_recovery_codes (user_id, code_hash) VALUES ($1, $2)', [
      userId,
      sha256(code.replace('-', '')),
    ]);
  return codes;
}

export type { Database };
