import type { Locale, Role } from '../../contract/api.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { hashPassword } from '../auth/passwords.js';
import { requireStrongPassword } from '../auth/password-policy.js';
import type { Queryable } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { assignableRoles, isPlatformAdmin, requireCapability } from '../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from './context.js';

export interface UserDto {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organizationId: string | null;
  organizationName: string | null;
  createdAt: string;
  disabled: boolean;
}

interface UserRow {
  id: string;
  email: string;
  display_name: string;
  role: Role;
  organization_id: string | null;
  organization_name: string | null;
  created_at: Date;
  disabled: boolean;
  [key: string]: unknown;
}

const USER_SELECT = `SELECT u.id, u.email, u.display_name, u.role, u.organization_id, o.name AS organization_name,
  u.created_at, u.disabled FROM users u LEFT JOIN organizations o ON o.id = u.organization_id`;

const toDto = (r: UserRow): UserDto => ({
  id: r.id,
  email: r.email,
  displayName: r.display_name,
  role: r.role,
  organizationId: r.organization_id,
  organizationName: r.organization_name,
  createdAt: iso(r.created_at)!,
  disabled: r.disabled,
});

export async function listUsers(
  ctx: ServiceContext,
  filter: { organizationId?: string | undefined },
): Promise<UserDto[]> {
  requireCapability(ctx.actor, 'admin.users');
  if (isPlatformAdmin(ctx.actor)) {
    const rows = filter.organizationId
      ? await ctx.db.query<UserRow>(`${USER_SELECT} WHERE u.organization_id = $1 ORDER BY u.email`, [
          filter.organizationId,
        ])
      : await ctx.db.query<UserRow>(`${USER_SELECT} ORDER BY o.name NULLS FIRST, u.email`);
    return rows.map(toDto);
  }
  // An organization administrator sees the users of their own organization, whatever filter is asked.
  if (filter.organizationId && filter.organizationId !== ctx.actor.organizationId) return [];
  const rows = await ctx.db.query<UserRow>(`${USER_SELECT} WHERE u.organization_id = $1 ORDER BY u.email`, [
    ctx.actor.organizationId,
  ]);
  return rows.map(toDto);
}

export interface NewUser {
  email: string;
  displayName: string;
  role: Role;
  organizationId?: string | null | undefined;
  password: string;
}

/** Inserts a user and its audit event inside `tx`: shared by the API, the CLI and the demo seed. */
export async function insertUser(
  tx: Queryable,
  audit: AuditContext,
  input: NewUser & { organizationId: string | null },
): Promise<UserDto> {
  const taken = await tx.query('SELECT 1 FROM users WHERE lower(email) = lower($1)', [input.email]);
  if (taken.length > 0) {
    throw new ApiError('user.email_taken', {
      errors: [
        {
          path: 'email',
          code: 'taken',
          message: 'Already in use.',
          messages: { en: 'Already in use.', ko: '이미 사용 중입니다.' },
        },
      ],
    });
  }
  if (input.role !== 'platform_admin' && !input.organizationId) {
    throw new ApiError('request.invalid', {
      errors: [
        {
          path: 'organizationId',
          code: 'required',
          message: 'Required for this role.',
          messages: {
            en: 'Every user but a platform administrator belongs to an organization.',
            ko: '플랫폼 관리자를 제외한 모든 사용자는 조직에 속해야 합니다.',
          },
        },
      ],
    });
  }
  await requireStrongPassword(input.password, [input.email, input.displayName]);
  const passwordHash = await hashPassword(input.password);
  const [inserted] = await tx.query<{ id: string }>(
    `INSERT INTO users (email, display_name, role, organization_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      input.email.trim(),
      input.displayName,
      input.role,
      input.role === 'platform_admin' ? null : input.organizationId,
      passwordHash,
    ],
  );
  const [row] = await tx.query<UserRow>(`${USER_SELECT} WHERE u.id = $1`, [inserted!.id]);
  const dto = toDto(row!);
  await recordAudit(tx, audit, {
    action: 'user.create',
    targetType: 'user',
    targetId: dto.id,
    organizationId: dto.organizationId,
    after: dto,
    details: { role: dto.role },
  });
  return dto;
}

export async function createUser(ctx: ServiceContext, input: NewUser): Promise<UserDto> {
  requireCapability(ctx.actor, 'admin.users');
  if (!assignableRoles(ctx.actor).includes(input.role)) throw new ApiError('auth.forbidden');
  let organizationId = input.organizationId ?? null;
  if (!isPlatformAdmin(ctx.actor)) {
    if (organizationId && organizationId !== ctx.actor.organizationId)
      throw new ApiError('resource.not_found');
    organizationId = ctx.actor.organizationId;
  }
  return ctx.db.transaction(async (tx) => {
    if (organizationId) {
      const org = await tx.query('SELECT 1 FROM organizations WHERE id = $1', [organizationId]);
      if (org.length === 0) throw new ApiError('resource.not_found');
    }
    return insertUser(tx, auditContextOf(ctx), { ...input, organizationId });
  });
}

/** An administrator sets a new password; the user's sessions end. */
export async function resetPassword(ctx: ServiceContext, userId: string, password: string): Promise<void> {
  requireCapability(ctx.actor, 'admin.users');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<UserRow>(`${USER_SELECT} WHERE u.id = $1`, [userId]);
    if (!row || (!isPlatformAdmin(ctx.actor) && row.organization_id !== ctx.actor.organizationId)) {
      throw new ApiError('resource.not_found');
    }
    if (row.role === 'platform_admin' && !isPlatformAdmin(ctx.actor)) throw new ApiError('auth.forbidden');
    await setPassword(tx, auditContextOf(ctx), row, password);
  });
}

export async function setPassword(
  tx: Queryable,
  audit: AuditContext,
  user: { id: string; organization_id: string | null; email?: string; display_name?: string },
  password: string,
) {
  await requireStrongPassword(password, [user.email ?? '', user.display_name ?? '']);
  const passwordHash = await hashPassword(password);
  await tx.query('UPDATE users SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    user.id,
    passwordHash,
  ]);
  await tx.query('DELETE FROM sessions WHERE user_id = $1', [user.id]);
  await recordAudit(tx, audit, {
    action: 'user.password_reset',
    targetType: 'user',
    targetId: user.id,
    organizationId: user.organization_id,
  });
}

export async function updatePreferences(ctx: ServiceContext, locale: Locale): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<{ locale: string | null }>('SELECT locale FROM users WHERE id = $1', [
      ctx.actor.userId,
    ]);
    await tx.query('UPDATE users SET locale = $2 WHERE id = $1', [ctx.actor.userId, locale]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'user.preferences_update',
      targetType: 'user',
      targetId: ctx.actor.userId,
      before: { locale: before?.locale ?? null },
      after: { locale },
    });
  });
}
