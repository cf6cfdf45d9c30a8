import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractExampleRequest } from '../../contract/assessment-example.js';
import { bearer, openTestApp, Session, type TestApp } from '../testing/app.js';
import { testDatabaseKinds } from '../testing/databases.js';
import { DEMO_PASSWORD } from '../seed/demo.js';
import { verifyAuditChain } from '../audit/audit.js';

describe.each(testDatabaseKinds)('HTTP API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('signs in with httpOnly SameSite=Strict session and a readable CSRF cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'ADMIN@hanbit-energy.example', password: DEMO_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user: { email: 'admin@hanbit-energy.example', role: 'admin' },
      organization: { kind: 'investor' },
    });
    const cookies = res.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[];
    expect(cookies.find((c) => c.name === 'korus_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
    expect(cookies.find((c) => c.name === 'korus_csrf')?.httpOnly).toBeFalsy();
  });

  it('answers a wrong password with a bilingual problem, in the requested language', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8' },
      payload: { email: 'staff@hanbit-energy.example', password: 'not-the-password' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({
      status: 401,
      code: 'auth.invalid_credentials',
      detail: '이메일 주소 또는 비밀번호가 올바르지 않습니다.',
    });
    expect(body.messages.en).toMatch(/not correct/);
    expect(body.requestId).toBe(res.headers['x-request-id']);
  });

  it('slows repeated failures down instead of locking: the right password from another address still works', async () => {
    const attempt = (password: string, remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email: 'viewer@hanbit-energy.example', password },
      });
    // From one address: three free failures, then the server holds each answer longer, then asks to wait.
    const statuses: number[] = [];
    for (let i = 0; i < 8 && statuses.at(-1) !== 429; i++)
      statuses.push((await attempt(`wrong-${i}-password`, '198.51.100.1')).statusCode);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    const waiting = await attempt(DEMO_PASSWORD, '198.51.100.1');
    expect(waiting.statusCode).toBe(429);
    expect(Number(waiting.headers['retry-after'])).toBeGreaterThan(3);
    expect(Number(waiting.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The owner, from another address, with the right password: in at once or after a short hold, never locked.
    const started = Date.now();
    const owner = await attempt(DEMO_PASSWORD, '198.51.100.2');
    expect(owner.statusCode).toBe(200);
    expect(Date.now() - started).toBeLessThan(4000);
    // Once the wait has passed (the failures moved a minute back), the first address gets in too.
    await t.db.query(`UPDATE login_attempts SET at = at - interval '1 minute' WHERE ip = '198.51.100.1'`);
    expect((await attempt(DEMO_PASSWORD, '198.51.100.1')).statusCode).toBe(200);
  });

  it('slows down an address that tries many accounts, for at most a minute, not a lock of every login from it', async () => {
    const from = '203.0.113.7';
    await t.db.query(
      `INSERT INTO login_attempts (account, ip, success, at)
       SELECT 'nobody' || i || '@example.com', $1, false, now() - interval '5 seconds' FROM generate_series(1, 30) i`,
      [from],
    );
    const login = (remoteAddress: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        payload: { email: 'counsel@baek-lowell.example', password: DEMO_PASSWORD },
      });
    const slowed = await login(from);
    expect(slowed.statusCode).toBe(429);
    expect(slowed.json().detail).toMatch(/Try again in \d+ seconds/);
    expect(Number(slowed.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await login('203.0.113.8')).statusCode).toBe(200); // another address is not affected
    await t.db.query(`UPDATE login_attempts SET at = at - interval '1 minute' WHERE ip = $1`, [from]);
    expect((await login(from)).statusCode).toBe(200);
  });

  it('refuses weak passwords with the reason in both languages and accepts a strong one', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example', DEMO_PASSWORD, 'ko');
    for (const password of [
      'aaaaaaaaaa',
      '1234567890',
      'password12',
      'aaaaaaaaaaaaaaaa',
      'password1234',
      'qwertyuiop123',
    ]) {
      const res = await admin.post('/api/users', {
        email: 'weak@hanbit-energy.example',
        displayName: 'Weak Example',
        role: 'viewer',
        password,
      });
      expect(res.statusCode, password).toBe(400);
      const error = (res.json() as { errors: { path: string; messages: { en: string; ko: string } }[] })
        .errors[0]!;
      expect(error.path).toBe('password');
      expect(error.messages.ko.length).toBeGreaterThan(5);
    }
    const strong = await admin.post('/api/users', {
      email: 'strong@hanbit-energy.example',
      displayName: 'Strong Example',
      role: 'viewer',
      password: 'copper kettle harbour 27',
    });
    expect(strong.statusCode, strong.body).toBe(201);
  });

  it('validates bodies: field paths and messages in both languages, nothing written', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example', DEMO_PASSWORD, 'ko');
    const before = await t.db.query('SELECT count(*)::int AS n FROM users');
    const res = await admin.post('/api/users', {
      email: 'not-an-email',
      displayName: '',
      role: 'boss',
      password: 'short',
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('request.invalid');
    const paths = body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['displayName', 'email', 'password', 'role']);
    const password = body.errors.find((e: { path: string }) => e.path === 'password');
    expect(password.message).toBe('12자 이상이어야 합니다.');
    expect(password.messages.en).toBe('Must be at least 12 characters long.');
    expect(await t.db.query('SELECT count(*)::int AS n FROM users')).toEqual(before);
  });

  it('refuses malformed JSON and unknown routes with problem details', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    const res = await admin.request('POST', '/api/tokens', '{"name": ', {
      'content-type': 'application/json',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('request.malformed_json');
    const missing = await admin.get('/api/no-such-thing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('route.not_found');
  });

  it('requires the CSRF header on cookie-authenticated writes, not on bearer tokens', async () => {
    const staff = await Session.login(t.app, 'staff@hanbit-energy.example');
    const forged = await staff.request(
      'POST',
      '/api/tokens',
      { name: 'forged' },
      { 'x-csrf-token': 'wrong' },
    );
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('auth.csrf_failed');
    const created = await staff.post('/api/tokens', { name: 'robot' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^korus_pat_/);
    const me = await bearer(t.app, token, 'GET', '/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe('staff@hanbit-energy.example');
    const write = await bearer(t.app, token, 'POST', '/api/tokens', { name: 'from a machine' });
    expect(write.statusCode).toBe(201);
    // Stored hashed: the secret is nowhere in the database.
    const rows = await t.db.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens');
    expect(rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect((await staff.request('DELETE', `/api/tokens/${id}`)).statusCode).toBe(204);
    const revoked = await bearer(t.app, token, 'GET', '/api/me');
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().code).toBe('auth.invalid_token');
  });

  it('an administrator resets a password: old sessions end, the new password works', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    const staffSession = await Session.login(t.app, 'staff@hanbit-energy.example');
    const users = (await admin.get('/api/users')).json().items as { id: string; email: string }[];
    const staff = users.find((u) => u.email === 'staff@hanbit-energy.example')!;
    expect(
      (await admin.post(`/api/users/${staff.id}/password`, { password: 'a-new-password-2026' })).statusCode,
    ).toBe(204);
    expect((await staffSession.get('/api/me')).statusCode).toBe(401);
    await Session.login(t.app, 'staff@hanbit-energy.example', 'a-new-password-2026');
  });

  it('remembers the language and ends the session at logout', async () => {
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    expect((await worker.request('PUT', '/api/me/preferences', { locale: 'ko' })).statusCode).toBe(204);
    expect((await worker.get('/api/me')).json().user.locale).toBe('ko');
    expect((await worker.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await worker.get('/api/me')).statusCode).toBe(401);
  });

  it('serves OpenAPI 3.1 describing the routes, and the docs page', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/auth/login',
        '/api/me',
        '/api/users',
        '/api/tokens',
        '/api/partner-links',
        '/api/assessments',
        '/api/rules',
      ]),
    );
    expect(
      doc.paths['/api/users'].post.requestBody.content['application/json'].schema.properties.email,
    ).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toMatch(/swagger/i);
  });

  it('reports liveness and readiness; echoes a safe request id', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({
      method: 'GET',
      url: '/readyz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(ready.json()).toMatchObject({ status: 'ready', pendingMigrations: 0 });
    expect(ready.headers['x-request-id']).toBe('abc-123');
    const unsafe = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': '<script>' },
    });
    expect(unsafe.headers['x-request-id']).not.toBe('<script>');
  });

  it('shows an organization its own audit events, newest first, in pages', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    const first = (await admin.get('/api/audit-events?limit=3')).json();
    expect(first.items).toHaveLength(3);
    expect(first.items[0].seq).toBeGreaterThan(first.items[2].seq);
    const [hanbit] = await t.db.query<{ id: string }>(
      "SELECT id FROM organizations WHERE name LIKE 'Hanbit%'",
    );
    expect(first.items.every((e: { organizationId: string }) => e.organizationId === hanbit!.id)).toBe(true);
    expect(first.items[0].actionLabel.ko).toBeTruthy();
    const second = (await admin.get(`/api/audit-events?limit=3&before=${first.nextBefore}`)).json();
    expect(second.items[0].seq).toBeLessThan(first.items[2].seq);
    const bad = await admin.get('/api/audit-events?limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.limit');
  });

  it('lists the demo sites to their investor and its linked partner firms only', async () => {
    const investor = (
      await (await Session.login(t.app, 'admin@hanbit-energy.example')).get('/api/sites')
    ).json();
    expect(
      investor.items.map((s: { state: string; sector: string }) => `${s.state} ${s.sector}`).sort(),
    ).toEqual(['GA battery', 'PA shipbuilding']);
    const partner = (
      await (await Session.login(t.app, 'admin@daeho-precision.example')).get('/api/sites')
    ).json();
    expect(partner.items).toHaveLength(2);
    const lawFirm = (
      await (await Session.login(t.app, 'counsel@baek-lowell.example')).get('/api/sites')
    ).json();
    expect(lawFirm.items).toEqual([]);
  });

  it('stores an assessment with what the user was told, and serves the rules catalog', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example', DEMO_PASSWORD, 'ko');
    const request = contractExampleRequest;
    const created = await admin.post('/api/assessments', request);
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json();
    expect(record.response.results.length).toBeGreaterThanOrEqual(12);
    const fetched = (await admin.get(`/api/assessments/${record.id}`)).json();
    expect(fetched.response).toEqual(record.response);
    expect(fetched.rulesVersion).toBe(record.response.rulesVersion);
    const early = await admin.post('/api/assessments', { ...request, asOf: '2023-12-31' });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors.some((e: { path: string }) => e.path === 'asOf')).toBe(true);
    const catalog = (await admin.get('/api/rules')).json();
    expect(
      catalog.parameters.every((p: { values: { reference: unknown[] }[] }) =>
        p.values.every((v) => v.reference.length > 0),
      ),
    ).toBe(true);
  });

  it('audits every write in one verifiable chain', async () => {
    const events = await t.db.query<{ action: string }>('SELECT action FROM audit_events');
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'auth.login',
        'auth.login_failed',
        'token.create',
        'token.revoke',
        'user.password_reset',
        'auth.logout',
      ]),
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});
