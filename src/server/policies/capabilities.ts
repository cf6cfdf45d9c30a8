import type { OrganizationKind, Role } from '../../contract/api.js';
import { ApiError } from '../http/problem.js';

/**
 * Roles are checked here and nowhere else: a route names the capability it needs; services scope every
 * query to the actor's organization (see `scope.ts`).
 */
export const capabilities = [
  'admin.organizations', // create organizations, see all of them
  'admin.partner_links', // link partner firms to an investor
  'admin.users', // create users, reset passwords (own organization; platform admin: all)
  'admin.tokens', // see and revoke the organization's API tokens
  'tokens.own', // create and revoke one's own API tokens
  'assessments.create',
  'assessments.read',
  'rules.read',
  'audit.read',
  'profile.own',
] as const;
export type Capability = (typeof capabilities)[number];

const byRole: Record<Role, readonly Capability[]> = {
  platform_admin: capabilities,
  admin: [
    'admin.partner_links',
    'admin.users',
    'admin.tokens',
    'tokens.own',
    'assessments.create',
    'assessments.read',
    'rules.read',
    'audit.read',
    'profile.own',
  ],
  staff: ['tokens.own', 'assessments.create', 'assessments.read', 'rules.read', 'profile.own'],
  viewer: ['assessments.read', 'rules.read', 'profile.own'],
  worker: ['rules.read', 'profile.own'],
};

export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  locale: 'en' | 'ko' | null;
  organizationId: string | null;
  organizationName: string | null;
  organizationKind: OrganizationKind | null;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
}

export function capabilitiesOf(actor: Pick<Actor, 'role'>): readonly Capability[] {
  return byRole[actor.role];
}

export function can(actor: Pick<Actor, 'role'>, capability: Capability): boolean {
  return byRole[actor.role].includes(capability);
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) throw new ApiError('auth.forbidden');
}

export function isPlatformAdmin(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'platform_admin';
}

/** Which roles an actor may hand out: nobody but a platform admin creates platform admins. */
export function assignableRoles(actor: Actor): readonly Role[] {
  return isPlatformAdmin(actor)
    ? ['platform_admin', 'admin', 'staff', 'viewer', 'worker']
    : ['admin', 'staff', 'viewer', 'worker'];
}
