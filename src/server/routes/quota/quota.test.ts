import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();

describe.each(testDatabaseKinds)('quota API on %s', (kind) => {
  let t: TestApp;
  let officer: Session;
  let officerKo: Session;
  let company: Session;
  let hanbitId: string;
  beforeAll(async () => {
    t = await openTestApp(kind);
    officer = await Session.login(t.app, 'officer@visa-desk.example');
    officerKo = await Session.login(t.app, 'officer@visa-desk.example', undefined, 'ko');
    company = await Session.login(t.app, 'admin@hanbit-energy.example');
    hanbitId = (await company.get('/api/me')).json().organization.id;
  });
  afterAll(async () => t?.close());

  const reserveUrl = `/api/quota/E4/${fiscalYear}/reservations`;

  it('reserves with an idempotency key, replays the first answer, refuses a reused key with another body', async () => {
    const body = { caseRef: 'HB-2027-001', organizationId: hanbitId, priorityDate: '2026-03-02' };
    const first = await officer.request('POST', reserveUrl, body, { 'idempotency-key': 'api-test-key-1' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ status: 'reserved', sequence: 1, position: null, pool: 'general' });
    const again = await officer.request('POST', reserveUrl, body, { 'idempotency-key': 'api-test-key-1' });
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());

    const before = (await officer.get(`/api/quota/E4/${fiscalYear}`)).json();
    const reused = await officerKo.request(
      'POST',
      reserveUrl,
      { ...body, caseRef: 'other' },
      { 'idempotency-key': 'api-test-key-1' },
    );
    expect(reused.statusCode).toBe(409);
    expect(reused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(reused.json()).toMatchObject({
      code: 'idempotency.key_reused',
      messages: { en: expect.any(String), ko: expect.any(String) },
    });
    expect(reused.json().detail).toBe(reused.json().messages.ko);
    const malformed = await officer.request('POST', reserveUrl, body, { 'idempotency-key': 'bad key' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('idempotency.key_invalid');
    const missing = await officer.request('POST', reserveUrl, body);
    expect(missing.json().code).toBe('idempotency.key_required');
    const unknown = await officer.request('POST', `/api/quota/E9/${fiscalYear}/reservations`, body, {
      'idempotency-key': 'api-test-key-2',
    });
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'quota.unknown_program']);
    const closed = await officer.request('POST', '/api/quota/E3/2024/reservations', body, {
      'idempotency-key': 'api-test-key-3',
    });
    expect([closed.statusCode, closed.json().code]).toEqual([409, 'quota.fiscal_year_closed']);
    const badBody = await officer.request(
      'POST',
      reserveUrl,
      { caseRef: '' },
      { 'idempotency-key': 'api-test-key-4' },
    );
    expect(badBody.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'caseRef' }] });
    expect((await officer.get(`/api/quota/E4/${fiscalYear}`)).json()).toEqual(before);
  });

  it('issues and releases; an issued number cannot be released; companies see their own cases only', async () => {
    const created = (
      await officer.request(
        'POST',
        reserveUrl,
        { caseRef: 'HB-2027-002', organizationId: hanbitId },
        { 'idempotency-key': 'api-test-key-5' },
      )
    ).json();
    const issued = await officer.request('POST', `/api/quota/reservations/${created.id}/issue`, undefined, {
      'idempotency-key': 'api-test-issue-5',
    });
    expect(issued.statusCode, issued.body).toBe(200);
    expect(issued.json()).toMatchObject({ status: 'issued', promoted: null });
    const release = await officerKo.request(
      'POST',
      `/api/quota/reservations/${created.id}/release`,
      { reason: 'withdrawn' },
      {
        'idempotency-key': 'api-test-release-5',
      },
    );
    expect(release.statusCode).toBe(409);
    expect(release.json()).toMatchObject({ code: 'quota.already_issued' });
    expect(release.json().detail).toMatch(/발급/);

    const own = await company.get(`/api/quota/E4/${fiscalYear}/reservations`);
    expect(own.statusCode).toBe(200);
    expect(own.json().items.every((r: { organizationId: string }) => r.organizationId === hanbitId)).toBe(
      true,
    );
    expect((await company.get(`/api/quota/reservations/${created.id}`)).statusCode).toBe(200);
    const forbidden = await company.request(
      'POST',
      reserveUrl,
      { caseRef: 'X' },
      { 'idempotency-key': 'api-test-key-6' },
    );
    expect(forbidden.statusCode).toBe(403);

    const status = (await company.get(`/api/quota/E4/${fiscalYear}`)).json();
    expect(status).toMatchObject({
      cap: 15_000,
      reserved: 1,
      issued: 1,
      available: 14_998,
      legalStatus: 'proposed',
    });
    expect(status.pools[0]).toMatchObject({ name: 'general', cap: 15_000 });
    const utilization = (await company.get(`/api/quota/E4/${fiscalYear}/utilization`)).json();
    expect(utilization.series.at(-1)).toMatchObject({ used: 2, issued: 1 });
    const programs = (await company.get(`/api/quota/programs?fiscalYear=${fiscalYear}`)).json();
    expect(programs.items.map((p: { program: string; cap: number | null }) => [p.program, p.cap])).toEqual([
      ['E4', 15_000],
      ['E3', 10_500],
      ['H1B1_CL', 1_400],
      ['H1B1_SG', 5_400],
      ['H1B', 85_000],
      ['H2B', 66_000],
      ['TN', null],
    ]);
    expect((await company.get(`/api/quota/E4/${fiscalYear}/verify`)).json().ok).toBe(true);
    expect((await company.get(`/api/quota/E4/${fiscalYear}/waitlist`)).json()).toMatchObject({
      total: 0,
      items: [],
    });
  });
});
