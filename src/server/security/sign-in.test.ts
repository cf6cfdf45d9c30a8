import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { Session, testRules } from '../testing/app.js';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';
import { seedDemo, DEMO_PASSWORD } from '../seed/demo.js';
import { FieldCipher, keyRingFromKeys } from '../crypto/field-encryption.js';
import { startOidcProvider, type TestOidcProvider } from '../testing/oidc-provider.js';
import { verifyAuditChain } from '../audit/audit.js';

/**
 * Strong sign-in (issue 14): TOTP two-factor with recovery codes and an organization's requirement for its
 * administrators; OIDC single sign-on against a real provider started here (oidc-provider), with users made
 * just in time and their roles mapped from the provider's groups.
 */
const PUBLIC_URL = 'http://korus.test';
const code = (secret: string, offsetSteps = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

async function login(app: App, email: string, password = DEMO_PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
}

describe.each(testDatabaseKinds)('strong sign-in on %s', (kind) => {
  let db: TestDatabase;
  let app: App;
  let provider: TestOidcProvider;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await seedDemo(db);
    provider = await startOidcProvider(`${PUBLIC_URL}/api/auth/sso/callback`);
    app = await buildApp({
      db,
      rules: testRules(),
      logger: false,
      sessionCacheSeconds: 0,
      validateResponses: true,
      publicUrl: PUBLIC_URL,
      cipher: new FieldCipher(keyRingFromKeys(randomBytes(32))),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await provider?.close();
    await db?.close();
  });

  it('enrols TOTP, then asks for a code at sign-in: refuses a wrong or replayed code, accepts a recovery code once', async () => {
    const staff = await Session.login(app, 'staff@hanbit-energy.example');
    const setup = await staff.post('/api/me/two-factor/setup');
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, otpauthUri } = setup.json() as { secret: string; otpauthUri: string };
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/KORUS%20Mobility:staff%40hanbit-energy\.example\?/);
    expect((await staff.post('/api/me/two-factor/confirm', { code: '000000' })).statusCode).toBe(400);
    const confirmed = await staff.post('/api/me/two-factor/confirm', { code: await code(secret) });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await staff.get('/api/me')).json().twoFactor).toEqual({
      enabled: true,
      required: false,
      mustEnroll: false,
    });
    // The secret is encrypted at rest.
    const [stored] = await db.query<{ totp_secret: string }>(
      `SELECT totp_secret FROM users WHERE email = 'staff@hanbit-energy.example'`,
    );
    expect(stored!.totp_secret).not.toContain(secret);

    const first = await login(app, 'staff@hanbit-energy.example');
    expect(first.statusCode).toBe(202);
    const { challenge } = first.json() as { challenge: string };
    expect(first.headers['set-cookie']).toBeUndefined();
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge, code: '123456' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('auth.two_factor_invalid');
    // The code already used to confirm the enrolment (same time step) is refused: a code works once.
    const replay = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge, code: await code(secret) },
    });
    expect(replay.statusCode).toBe(401);
    const next = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge, code: await code(secret, 1) },
    });
    expect(next.statusCode, next.body).toBe(200);
    expect(next.headers['set-cookie']).toBeDefined();

    // A recovery code signs in once.
    const again = (await login(app, 'staff@hanbit-energy.example')).json() as { challenge: string };
    const recovered = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge: again.challenge, code: recoveryCodes[0]!.toUpperCase() },
    });
    expect(recovered.statusCode, recovered.body).toBe(200);
    const third = (await login(app, 'staff@hanbit-energy.example')).json() as { challenge: string };
    const reused = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge: third.challenge, code: recoveryCodes[0] },
    });
    expect(reused.statusCode).toBe(401);
    // Five wrong codes end the challenge.
    for (let i = 0; i < 4; i++)
      await app.inject({
        method: 'POST',
        url: '/api/auth/login/two-factor',
        payload: { challenge: third.challenge, code: '999999' },
      });
    const expired = await app.inject({
      method: 'POST',
      url: '/api/auth/login/two-factor',
      payload: { challenge: third.challenge, code: await code(secret, -1) },
    });
    expect(expired.json().code).toBe('auth.two_factor_expired');
  });

  it("holds an organization's administrators to enrol when it requires 2FA of them, and keeps it on", async () => {
    const admin = await Session.login(app, 'admin@daeho-precision.example');
    const [org] = await db.query<{ id: string }>(`SELECT id FROM organizations WHERE name LIKE 'Daeho%'`);
    const set = await admin.put(`/api/organizations/${org!.id}/sign-in`, {
      requireTwoFactorForAdmins: true,
      sso: null,
    });
    expect(set.statusCode, set.body).toBe(200);
    // The administrator's current session now only enrols.
    const blocked = await admin.get('/api/workers');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('auth.two_factor_enrollment_required');
    expect((await admin.get('/api/me')).json().twoFactor).toEqual({
      enabled: false,
      required: true,
      mustEnroll: true,
    });
    // Staff of the organization are not concerned.
    const staff = await Session.login(app, 'staff@daeho-precision.example');
    expect((await staff.get('/api/workers')).statusCode).toBe(200);
    const { secret } = (await admin.post('/api/me/two-factor/setup')).json() as { secret: string };
    expect((await admin.post('/api/me/two-factor/confirm', { code: await code(secret) })).statusCode).toBe(
      200,
    );
    expect((await admin.get('/api/workers')).statusCode).toBe(200);
    const off = await admin.post('/api/me/two-factor/disable', { code: await code(secret, 1) });
    expect(off.statusCode).toBe(409);
    expect(off.json().code).toBe('two_factor.required_by_organization');
    // Another organization's administrator cannot read or change this policy.
    const other = await Session.login(app, 'admin@hanbit-energy.example');
    expect((await other.get(`/api/organizations/${org!.id}/sign-in`)).statusCode).toBe(404);
  });

  it("signs in through the organization's OIDC provider: a new user just in time, the role from the groups", async () => {
    const admin = await Session.login(app, 'admin@hanbit-energy.example');
    const [org] = await db.query<{ id: string }>(`SELECT id FROM organizations WHERE name LIKE 'Hanbit%'`);
    const saved = await admin.put(`/api/organizations/${org!.id}/sign-in`, {
      requireTwoFactorForAdmins: false,
      sso: {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        emailDomains: ['hanbit-energy.example'],
        roleClaim: 'groups',
        roleMappings: [
          { value: 'korus-hr', role: 'staff' },
          { value: 'korus-admins', role: 'admin' },
        ],
        defaultRole: null,
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      ssoRedirectUri: `${PUBLIC_URL}/api/auth/sso/callback`,
      sso: { clientSecretSet: true },
    });
    expect(saved.body).not.toContain(provider.clientSecret);
    const [row] = await db.query<{ client_secret: string }>(
      'SELECT client_secret FROM oidc_providers WHERE organization_id = $1',
      [org!.id],
    );
    expect(row!.client_secret).not.toContain(provider.clientSecret);

    provider.accounts.set('emp-1042', {
      email: 'jiwoo.han@hanbit-energy.example',
      name: '한지우',
      groups: ['everyone', 'korus-hr'],
    });
    const lookup = await app.inject({
      method: 'GET',
      url: '/api/auth/sso?email=jiwoo.han@hanbit-energy.example',
    });
    expect(lookup.json()).toEqual({
      available: true,
      organizationName: 'Hanbit Energy Solutions (fictional)',
    });

    const signInAs = async (accountId: string, email: string) => {
      const start = await app.inject({
        method: 'GET',
        url: `/api/auth/sso/start?email=${encodeURIComponent(email)}&returnTo=/cases`,
      });
      expect(start.statusCode, start.body).toBe(302);
      const authorize = new URL(start.headers.location as string);
      expect(authorize.origin).toBe(provider.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      const back = await provider.signIn(authorize.href, accountId);
      return app.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    };
    const callback = await signInAs('emp-1042', 'jiwoo.han@hanbit-energy.example');
    expect(callback.statusCode, callback.body).toBe(302);
    expect(callback.headers.location).toBe('/cases');
    const session = callback.cookies.find((c) => c.name === 'korus_session');
    expect(session?.value).toBeTruthy();
    const me = await app.inject({
      method: 'GET',
      url: '/api/me',
      cookies: { korus_session: session!.value },
    });
    expect(me.json()).toMatchObject({
      user: { email: 'jiwoo.han@hanbit-energy.example', displayName: '한지우', role: 'staff' },
      organization: { id: org!.id },
      signedInWith: 'sso',
    });
    // The provider moved them to the administrators' group: the next sign-in follows.
    provider.accounts.get('emp-1042')!.groups = ['korus-admins'];
    const promoted = await signInAs('emp-1042', 'jiwoo.han@hanbit-energy.example');
    const promotedSession = promoted.cookies.find((c) => c.name === 'korus_session')!.value;
    const me2 = await app.inject({
      method: 'GET',
      url: '/api/me',
      cookies: { korus_session: promotedSession },
    });
    expect(me2.json().user.role).toBe('admin');
    // No mapped group and no default role: no entry.
    provider.accounts.set('emp-2000', {
      email: 'guest@hanbit-energy.example',
      name: 'Guest',
      groups: ['visitors'],
    });
    const refused = await signInAs('emp-2000', 'guest@hanbit-energy.example');
    expect(refused.statusCode).toBe(302);
    expect(refused.headers.location).toBe('/login?sso=sso.no_role');
    expect(refused.cookies.find((c) => c.name === 'korus_session')).toBeUndefined();
    // The provider cannot speak for another organization's domain.
    provider.accounts.set('emp-3000', {
      email: 'admin@daeho-precision.example',
      name: 'X',
      groups: ['korus-admins'],
    });
    const foreign = await signInAs('emp-3000', 'someone@hanbit-energy.example');
    expect(foreign.headers.location).toBe('/login?sso=sso.failed');
    // A forged state is refused.
    const forged = await app.inject({ method: 'GET', url: '/api/auth/sso/callback?state=forged&code=x' });
    expect(forged.headers.location).toBe('/login?sso=sso.failed');
    // A user made by single sign-on has no password to sign in with.
    expect((await login(app, 'jiwoo.han@hanbit-energy.example', 'any-password-at-all')).statusCode).toBe(401);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });
});
