import { recordAudit, type AuditContext } from '../audit/audit.js';
import { newSecret, sha256, TOKEN_PREFIX } from '../auth/secrets.js';
import type { Queryable } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { can, isPlatformAdmin, requireCapability } from '../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from './context.js';

export interface TokenDto {
  id: string;
  name: string;
  userId: string;
  userEmail: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  user_id: string;
  user_email: string;
  organization_id: string | null;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

const TOKEN_SELECT = `SELECT t.id, t.name, t.user_id, u.email AS user_email, u.organization_id, t.prefix, t.created_at,
  t.last_used_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id`;

const toDto = (r: TokenRow): TokenDto => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  userEmail: r.user_email,
  prefix: r.prefix,
  createdAt: iso(r.created_at)!,
  lastUsedAt: iso(r.last_used_at),
  revokedAt: iso(r.revoked_at),
});

/** Administrators see their organization's tokens (platform: all); others their own. */
export async function listTokens(ctx: ServiceContext): Promise<TokenDto[]> {
  if (isPlatformAdmin(ctx.actor))
    return (await ctx.db.query<TokenRow>(`${TOKEN_SELECT} ORDER BY t.created_at DESC`)).map(toDto);
  if (can(ctx.actor, 'admin.tokens')) {
    return (
      await ctx.db.query<TokenRow>(
        `${TOKEN_SELECT} WHERE u.organization_id = $1 ORDER BY t.created_at DESC`,
        [ctx.actor.organizationId],
      )
    ).map(toDto);
  }
  requireCapability(ctx.actor, 'tokens.own');
  return (
    await ctx.db.query<TokenRow>(`${TOKEN_SELECT} WHERE t.user_id = $1 ORDER BY t.created_at DESC`, [
      ctx.actor.userId,
    ])
  ).map(toDto);
}

export async function insertToken(
  tx: Queryable,
  audit: AuditContext,
  user: { id: string; organizationId: string | null },
  name: string,
): Promise<{ id: string; name: string; token: string }> {
  const token = newSecret(TOKEN_PREFIX);
  const [row] = await tx.query<{ id: string }>(
    'INSERT INTO api_tokens (user_id, name, token_hash, prefix) VALUES ($1, $2, $3, $4) RETURNING id',
    [user.id, name, sha256(token), token.slice(0, TOKEN_PREFIX.length + 6)],
  );
  await recordAudit(tx, audit, {
    action: 'token.create',
    targetType: 'api_token',
    targetId: row!.id,
    organizationId: user.organizationId,
    details: { name, userId: user.id },
  });
  return { id: row!.id, name, token };
}

export async function createToken(
  ctx: ServiceContext,
  name: string,
): Promise<{ id: string; name: string; token: string }> {
  requireCapability(ctx.actor, 'tokens.own');
  return ctx.db.transaction((tx) =>
    insertToken(
      tx,
      auditContextOf(ctx),
      { id: ctx.actor.userId, organizationId: ctx.actor.organizationId },
      name,
    ),
  );
}

export async function revokeToken(ctx: ServiceContext, id: string): Promise<TokenDto> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [id]);
    const own = row?.user_id === ctx.actor.userId && can(ctx.actor, 'tokens.own');
    const orgAdmin =
      row &&
      can(ctx.actor, 'admin.tokens') &&
      (isPlatformAdmin(ctx.actor) || row.organization_id === ctx.actor.organizationId);
    if (!row || !(own || orgAdmin)) throw new ApiError('resource.not_found');
    const [updated] = await tx.query<TokenRow>(
      `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING id`,
      [id],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'token.revoke',
      targetType: 'api_token',
      targetId: updated!.id,
      organizationId: row.organization_id,
      before: toDto(row),
    });
    const [after] = await tx.query<TokenRow>(`${TOKEN_SELECT} WHERE t.id = $1`, [id]);
    return toDto(after!);
  });
}
