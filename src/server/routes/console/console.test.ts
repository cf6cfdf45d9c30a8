import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { readPdf } from '../../letters/testing/pdf-text.js';

/**
 * The working group's console (issue 17) on the demo: the aggregate layer holds no identity; each figure hides
 * counts under the threshold as "<5" (and a sibling with a lone hidden cell); every query and export is audited;
 * CSV, XLSX and the bilingual PDF briefing carry the same figures; only working-group officers see it.
 */
describe.each(testDatabaseKinds)('the working-group console on %s', (kind) => {
  let t: TestApp;
  let group: Session;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    group = await Session.login(t.app, 'admin@visa-desk.example');
  }, 180_000);
  afterAll(() => t?.close());

  it('rebuilds a layer without identity, then shows figures with small cells hidden, audited', async () => {
    const before = (await group.get('/api/console/summary')).json();
    expect(before.refreshedAt).toBeNull();
    const refreshed = await group.post('/api/console/refresh', {});
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json().cases).toBeGreaterThan(0);
    // The aggregate layer has no column that could name a person or a case.
    const columns = await t.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name LIKE 'console_%'`,
    );
    const names = columns.map((c) => c.column_name);
    for (const banned of [
      'case_id',
      'worker_id',
      'family_name',
      'given_name',
      'birth_date',
      'passport_last4',
      'name_hangul',
    ])
      expect(names).not.toContain(banned);

    const summary = (await group.get('/api/console/summary')).json();
    expect(summary.refreshedAt).toBe(refreshed.json().refreshedAt);
    expect(summary.minCell).toBe(5);
    expect(summary.options.categories).toContain('B1');

    const lead = (await group.get('/api/console/lead-times')).json();
    // The small demo (16 workers): some months have fewer than five admissions, hidden with their figures.
    const small = lead.months.filter((m: { people: unknown }) => m.people === '<5');
    expect(small.length).toBeGreaterThan(0);
    for (const m of small) expect([m.median, m.p90, m.shareWithin]).toEqual([null, null, null]);

    for (const figure of ['outcomes', 'batches', 'presence', 'quota', 'reentry', 'partners']) {
      const res = await group.get(`/api/console/${figure}?from=2020-01-01`);
      expect(res.statusCode, `${figure}: ${res.body}`).toBe(200);
    }
    const outcomes = (await group.get('/api/console/outcomes')).json();
    // No count between 1 and 4 is ever shown.
    for (const row of outcomes.rows)
      for (const key of ['applications', 'issued', 'refused', 'administrativeProcessing'])
        expect(typeof row[key] === 'number' ? row[key] === 0 || row[key] >= 5 : row[key] === '<5').toBe(true);
    const quota = (await group.get('/api/console/quota')).json();
    expect(quota.programs.map((p: { program: string }) => p.program)).toContain('E4');
    const e4 = quota.programs.find((p: { program: string }) => p.program === 'E4');
    expect(e4).toMatchObject({ cap: 15000, legalStatus: 'proposed' });

    // No worker's name reaches the officer through any figure.
    const [person] = await t.db.query<{ family_name: string; name_hangul: string }>(
      'SELECT family_name, name_hangul FROM workers ORDER BY created_at LIMIT 1',
    );
    const everything = JSON.stringify(
      await Promise.all(
        ['summary', 'lead-times', 'outcomes', 'batches', 'presence', 'quota', 'reentry', 'partners'].map(
          async (f) => (await group.get(`/api/console/${f}`)).json(),
        ),
      ),
    );
    expect(everything).not.toContain(person!.name_hangul);

    const [audits] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'console.query'`,
    );
    expect(audits!.n).toBeGreaterThanOrEqual(17);
  });

  it('filters, refuses bad filters with their path, and exports CSV, XLSX and the PDF briefing', async () => {
    await group.post('/api/console/refresh', {});
    const bad = await group.get('/api/console/lead-times?state=georgia');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('querystring.state');
    const ga = (await group.get('/api/console/presence?state=GA')).json();
    expect(ga.bySite.every((s: { state: string }) => s.state === 'GA')).toBe(true);

    const csv = await group.get('/api/console/export.csv?figure=outcomes');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body).toContain('Applications / 신청');
    const xlsx = await group.get('/api/console/export.xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await group.get('/api/console/briefing.pdf?from=2020-01-01');
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = readPdf(pdf.rawPayload).text;
    expect(text).toContain('한미 비자 실무 협의체');
    expect(text).toContain('Dispatch lead time by month of admission');
    const [exports] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'console.export'`,
    );
    expect(exports!.n).toBe(3);
  });

  it('is for working-group officers only', async () => {
    for (const email of [
      'consul@kit-desk.example',
      'admin@hanbit-energy.example',
      'counsel@baek-lowell.example',
    ]) {
      const s = await Session.login(t.app, email);
      expect((await s.get('/api/console/summary')).statusCode, email).toBe(403);
    }
    const staff = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await staff.get('/api/console/summary')).statusCode).toBe(200);
    expect((await staff.post('/api/console/refresh', {})).statusCode).toBe(403);
  });
});
