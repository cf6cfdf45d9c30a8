import * as oidc from 'openid-client';
import type { Database } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { sha256 } from '../auth/secrets.js';
import type { FieldCipher } from '../crypto/field-encryption.js';
import { requireCapability, isPlatformAdmin } from '../policies/capabilities.js';
import { auditContextOf, type ServiceContext } from './context.js';
import { actorRowById, startSession, type LoginResult } from './auth.js';
import type { Role } from '../../contract/api.js';

/**
 * OIDC single sign-on per organization (issue 14), with openid-client: the authorization-code flow with PKCE,
 * state and nonce, the ID token checked by the library (issuer, audience, signature, expiry, nonce). The
 * organization's administrator registers KORUS at their identity provider, then enters its issuer, client id
 * and secret, the e-mail domains it serves, and how the provider's groups map to roles here. A person the
 * provider vouches for gets a KORUS user on first sign-in (just in time), with the mapped role, updated at each
 * sign-in; no mapping and no default role: no entry. Users made this way have no password.
 */
type MappedRole = 'admin' | 'staff' | 'viewer' | 'worker';

export interface SsoDeps {
  cipher: FieldCipher;
  /** `KORUS_PUBLIC_URL`: the callback address registered at the provider. Never taken from the request. */
  publicUrl: string | undefined;
}

const SECRET_FIELD = 'oidc_providers.client_secret';
const SIGN_IN_MINUTES = 10;
export const SSO_CALLBACK_PATH = '/api/auth/sso/callback';

interface ProviderRow {
  organization_id: string;
  organization_name: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  email_domains: string[];
  role_claim: string;
  role_mappings: { value: string; role: MappedRole }[];
  default_role: MappedRole | null;
  enabled: boolean;
  [key: string]: unknown;
}

export interface SignInSettings {
  requireTwoFactorForAdmins: boolean;
  ssoRedirectUri: string | null;
  sso: {
    issuer: string;
    clientId: string;
    clientSecretSet: boolean;
    emailDomains: string[];
    roleClaim: string;
    roleMappings: { value: string; role: 'admin' | 'staff' | 'viewer' | 'worker' }[];
    defaultRole: 'admin' | 'staff' | 'viewer' | 'worker' | null;
    enabled: boolean;
  } | null;
}

export interface SignInSettingsInput {
  requireTwoFactorForAdmins: boolean;
  sso: {
    issuer: string;
    clientId: string;
    clientSecret?: string | undefined;
    emailDomains: string[];
    roleClaim: string;
    roleMappings: { value: string; role: 'admin' | 'staff' | 'viewer' | 'worker' }[];
    defaultRole: 'admin' | 'staff' | 'viewer' | 'worker' | null;
    enabled: boolean;
  } | null;
}

const redirectUri = (publicUrl: string | undefined) =>
  publicUrl ? `${publicUrl.replace(/\/+$/, '')}${SSO_CALLBACK_PATH}` : null;

function checkOrganization(ctx: ServiceContext, organizationId: string): void {
  requireCapability(ctx.actor, 'admin.security');
  if (!isPlatformAdmin(ctx.actor) && ctx.actor.organizationId !== organizationId)
    throw new ApiError('resource.not_found');
}

export async function getSignInSettings(
  ctx: ServiceContext,
  deps: SsoDeps,
  organizationId: string,
): Promise<SignInSettings> {
  checkOrganization(ctx, organizationId);
  const [org] = await ctx.db.query<{ require_two_factor_for_admins: boolean }>(
    'SELECT require_two_factor_for_admins FROM organizations WHERE id = $1',
    [organizationId],
  );
  if (!org) throw new ApiError('resource.not_found');
  const [p] = await ctx.db.query<ProviderRow>(
    `SELECT p.*, o.name AS organization_name FROM oidc_providers p JOIN organizations o ON o.id = p.organization_id
     WHERE p.organization_id = $1`,
    [organizationId],
  );
  return {
    requireTwoFactorForAdmins: org.require_two_factor_for_admins,
    ssoRedirectUri: redirectUri(deps.publicUrl),
    sso: p
      ? {
          issuer: p.issuer,
          clientId: p.client_id,
          clientSecretSet: true,
          emailDomains: p.email_domains,
          roleClaim: p.role_claim,
          roleMappings: p.role_mappings,
          defaultRole: p.default_role,
          enabled: p.enabled,
        }
      : null,
  };
}

export async function updateSignInSettings(
  ctx: ServiceContext,
  deps: SsoDeps,
  organizationId: string,
  input: SignInSettingsInput,
): Promise<SignInSettings> {
  checkOrganization(ctx, organizationId);
  await ctx.db.transaction(async (tx) => {
    const [org] = await tx.query<{ require_two_factor_for_admins: boolean }>(
      'SELECT require_two_factor_for_admins FROM organizations WHERE id = $1 FOR UPDATE',
      [organizationId],
    );
    if (!org) throw new ApiError('resource.not_found');
    const [before] = await tx.query<ProviderRow>('SELECT * FROM oidc_providers WHERE organization_id = $1', [
      organizationId,
    ]);
    await tx.query('UPDATE organizations SET require_two_factor_for_admins = $2 WHERE id = $1', [
      organizationId,
      input.requireTwoFactorForAdmins,
    ]);
    if (!input.sso) {
      await tx.query('DELETE FROM oidc_providers WHERE organization_id = $1', [organizationId]);
    } else {
      const secret = input.sso.clientSecret
        ? deps.cipher.encrypt(input.sso.clientSecret, SECRET_FIELD)
        : before?.client_secret;
      if (!secret)
        throw new ApiError('request.invalid', {
          errors: [
            {
              path: 'sso.clientSecret',
              code: 'required',
              message: 'The client secret is required the first time.',
              messages: {
                en: 'The client secret is required the first time.',
                ko: '처음 설정할 때는 클라이언트 시크릿이 필요합니다.',
              },
            },
          ],
        });
      const taken = await tx.query<{ name: string }>(
        `SELECT o.name FROM oidc_providers p JOIN organizations o ON o.id = p.organization_id
         WHERE p.organization_id <> $1 AND p.email_domains && $2::text[]`,
        [organizationId, input.sso.emailDomains],
      );
      if (taken.length)
        throw new ApiError('request.invalid', {
          errors: [
            {
              path: 'sso.emailDomains',
              code: 'taken',
              message: 'Another organization signs in these e-mail domains.',
              messages: {
                en: 'Another organization already signs in one of these e-mail domains.',
                ko: '다른 조직이 이미 이 이메일 도메인 중 하나로 통합 로그인을 씁니다.',
              },
            },
          ],
        });
      await tx.query(
        `INSERT INTO oidc_providers (organization_id, issuer, client_id, client_secret, email_domains, role_claim,
           role_mappings, default_role, enabled, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
         ON CONFLICT (organization_id) DO UPDATE SET issuer = $2, client_id = $3, client_secret = $4,
           email_domains = $5, role_claim = $6, role_mappings = $7, default_role = $8, enabled = $9, updated_at = now()`,
        [
          organizationId,
          input.sso.issuer.replace(/\/+$/, ''),
          input.sso.clientId,
          secret,
          input.sso.emailDomains,
          input.sso.roleClaim,
          JSON.stringify(input.sso.roleMappings),
          input.sso.defaultRole,
          input.sso.enabled,
        ],
      );
    }
    configurations.delete(organizationId);
    const describe = (
      p:
        | {
            issuer: string;
            client_id?: string;
            clientId?: string;
            email_domains?: string[];
            emailDomains?: string[];
          }
        | undefined
        | null,
    ) =>
      p
        ? {
            issuer: p.issuer,
            clientId: p.client_id ?? p.clientId,
            domains: p.email_domains ?? p.emailDomains,
          }
        : null;
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'organization.sign_in_update',
      targetType: 'organization',
      targetId: organizationId,
      organizationId,
      before: { requireTwoFactorForAdmins: org.require_two_factor_for_admins, sso: describe(before) },
      after: { requireTwoFactorForAdmins: input.requireTwoFactorForAdmins, sso: describe(input.sso) },
      details: { secretChanged: !!input.sso?.clientSecret },
    });
  });
  return getSignInSettings(ctx, deps, organizationId);
}

async function providerForEmail(db: Database, email: string): Promise<ProviderRow | undefined> {
  const domain = email.trim().toLowerCase().split('@')[1];
  if (!domain) return undefined;
  const [p] = await db.query<ProviderRow>(
    `SELECT p.*, o.name AS organization_name FROM oidc_providers p JOIN organizations o ON o.id = p.organization_id
     WHERE p.enabled AND $1 = ANY (p.email_domains)`,
    [domain],
  );
  return p;
}

/** Whether an e-mail address signs in through its organization's provider (the sign-in page asks). */
export async function ssoForEmail(
  db: Database,
  email: string,
): Promise<{ available: boolean; organizationName: string | null }> {
  const p = await providerForEmail(db, email);
  return { available: !!p, organizationName: p?.organization_name ?? null };
}

// Discovered provider metadata, per organization, for ten minutes.
const configurations = new Map<string, { config: oidc.Configuration; until: number }>();

async function configurationOf(deps: SsoDeps, p: ProviderRow): Promise<oidc.Configuration> {
  const cached = configurations.get(p.organization_id);
  if (cached && cached.until > Date.now()) return cached.config;
  const issuer = new URL(p.issuer);
  // Plain HTTP only for a provider on this machine (development, tests); anything else must be HTTPS.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  try {
    const config = await oidc.discovery(
      issuer,
      p.client_id,
      deps.cipher.decrypt(p.client_secret, SECRET_FIELD),
      undefined,
      issuer.protocol === 'http:' && loopback ? { execute: [oidc.allowInsecureRequests] } : {},
    );
    configurations.set(p.organization_id, { config, until: Date.now() + 600_000 });
    return config;
  } catch {
    throw new ApiError('sso.provider_unreachable');
  }
}

/** Step 1: the address to send the browser to (PKCE, state and nonce kept for ten minutes). */
export async function startSso(
  db: Database,
  deps: SsoDeps,
  input: { email: string; returnTo?: string | undefined },
): Promise<URL> {
  const p = await providerForEmail(db, input.email);
  if (!p) throw new ApiError('sso.not_configured');
  const callback = redirectUri(deps.publicUrl);
  if (!callback) throw new ApiError('sso.public_url_missing');
  const config = await configurationOf(deps, p);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await db.query('DELETE FROM oidc_sign_ins WHERE expires_at < now()');
  await db.query(
    `INSERT INTO oidc_sign_ins (state_hash, organization_id, code_verifier, nonce, return_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(mins => $6))`,
    [sha256(state), p.organization_id, codeVerifier, nonce, input.returnTo ?? '/', SIGN_IN_MINUTES],
  );
  return oidc.buildAuthorizationUrl(config, {
    redirect_uri: callback,
    scope: `openid email profile${p.role_claim === 'groups' ? ' groups' : ''}`,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    login_hint: input.email,
  });
}

/** Step 2: the provider sent the browser back; the code becomes a session (and, the first time, a user). */
export async function finishSso(
  db: Database,
  deps: SsoDeps,
  input: {
    query: Record<string, string | undefined>;
    ip: string;
    userAgent: string | undefined;
    requestId: string;
  },
): Promise<LoginResult & { returnTo: string }> {
  const callback = redirectUri(deps.publicUrl);
  if (!callback) throw new ApiError('sso.public_url_missing');
  const state = input.query.state;
  if (!state) throw new ApiError('sso.failed');
  const [pending] = await db.query<{
    organization_id: string;
    code_verifier: string;
    nonce: string;
    return_to: string;
  }>('DELETE FROM oidc_sign_ins WHERE state_hash = $1 AND expires_at > now() RETURNING *', [sha256(state)]);
  if (!pending) throw new ApiError('sso.failed');
  const [p] = await db.query<ProviderRow>(
    `SELECT p.*, o.name AS organization_name FROM oidc_providers p JOIN organizations o ON o.id = p.organization_id
     WHERE p.organization_id = $1 AND p.enabled`,
    [pending.organization_id],
  );
  if (!p) throw new ApiError('sso.failed');
  const config = await configurationOf(deps, p);
  const currentUrl = new URL(callback);
  for (const [k, v] of Object.entries(input.query)) if (v !== undefined) currentUrl.searchParams.set(k, v);
  let claims: Record<string, unknown>;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
    if (config.serverMetadata().userinfo_endpoint) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      claims = { ...info, ...claims };
    }
  } catch {
    throw new ApiError('sso.failed');
  }
  const subject = String(claims.sub ?? '');
  const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : '';
  const domain = email.split('@')[1] ?? '';
  // The provider speaks only for its own domains, and only for verified addresses.
  if (!subject || !email || !p.email_domains.includes(domain) || claims.email_verified === false)
    throw new ApiError('sso.failed');
  const role = roleFor(p, claims[p.role_claim]);
  if (!role) throw new ApiError('sso.no_role');
  const name =
    typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email;

  const result = await db.transaction(async (tx) => {
    const audit = {
      actorUserId: null,
      actorLabel: `sso:${email}`,
      organizationId: p.organization_id,
      requestId: input.requestId,
    };
    let [user] = await tx.query<{
      id: string;
      organization_id: string | null;
      role: Role;
      oidc_subject: string | null;
    }>(
      `SELECT id, organization_id, role, oidc_subject FROM users
       WHERE (oidc_issuer = $1 AND oidc_subject = $2) OR lower(email) = $3 ORDER BY (oidc_subject = $2) DESC NULLS LAST LIMIT 1 FOR UPDATE`,
      [p.issuer, subject, email],
    );
    if (user && user.organization_id !== p.organization_id) throw new ApiError('sso.failed');
    if (user && user.oidc_subject && user.oidc_subject !== subject) throw new ApiError('sso.failed');
    if (!user) {
      [user] = await tx.query(
        `INSERT INTO users (email, display_name, role, organization_id, password_hash, oidc_issuer, oidc_subject)
         VALUES ($1, $2, $3, $4, NULL, $5, $6) RETURNING id, organization_id, role, oidc_subject`,
        [email, name, role, p.organization_id, p.issuer, subject],
      );
      await recordAudit(tx, audit, {
        action: 'user.create',
        targetType: 'user',
        targetId: user!.id,
        after: { email, role, organizationId: p.organization_id },
        details: { via: 'sso', issuer: p.issuer },
      });
    } else if (user.role !== role || !user.oidc_subject) {
      await tx.query('UPDATE users SET role = $2, oidc_issuer = $3, oidc_subject = $4 WHERE id = $1', [
        user.id,
        role,
        p.issuer,
        subject,
      ]);
    }
    const row = await actorRowById(tx, user!.id);
    if (!row || row.disabled) throw new ApiError('sso.failed');
    return startSession(tx, row, input, 'sso', { issuer: p.issuer });
  });
  return { ...result, returnTo: pending.return_to };
}

function roleFor(p: ProviderRow, claim: unknown): MappedRole | null {
  const values = Array.isArray(claim)
    ? claim.map(String)
    : claim === undefined || claim === null
      ? []
      : [String(claim)];
  for (const mapping of p.role_mappings) if (values.includes(mapping.value)) return mapping.role;
  return p.default_role;
}
