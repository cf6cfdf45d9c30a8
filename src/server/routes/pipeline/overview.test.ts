import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import type { Overview } from '../../../contract/pipeline.js';

describe.each(testDatabaseKinds)('home overview on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 120_000);
  afterAll(() => t?.close());

  it('gives a company its figures and the people behind them, consistent with the cases and the roster', async () => {
    const admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    const res = await admin.get('/api/stats/overview');
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json<Overview>();
    expect(o.people).not.toBeNull();
    // The figures agree with the case list the same person sees.
    const cases = (await admin.get('/api/cases?status=open&limit=1')).json<{ total: number }>();
    expect(o.cases.open).toBe(cases.total);
    expect(o.sites.length).toBeGreaterThan(0);
    for (const site of o.sites) {
      expect(site.siteId).not.toBeNull();
      const roster = (await admin.get(`/api/sites/${site.siteId}/roster`)).json<{
        counts: { expected: number; present: number };
      }>();
      expect(site.expected, site.siteName ?? '').toBe(roster.counts.expected);
      expect(site.present, site.siteName ?? '').toBe(roster.counts.present);
    }
    for (const late of o.people!.lateCases) expect(late.daysLate).toBeGreaterThan(0);
    // Presence counts everyone still in the US, on a site today or not; the sites' figures are part of it.
    expect(o.presence.present).toBeGreaterThanOrEqual(o.sites.reduce((n, s) => n + s.present, 0));
    expect(o.presence.outOfStatus).toBeGreaterThanOrEqual(o.sites.reduce((n, s) => n + s.outOfStatus, 0));
    expect(o.people!.endingSoon.filter((e) => e.daysLeft < 0)).toHaveLength(o.presence.outOfStatus);
    // The demo's embassy-desk batches agree with the batch list and with their cases' stages.
    const batches = (await admin.get('/api/batches')).json<{ items: { id: string; status: string }[] }>();
    const byStatus: Record<string, number> = {};
    for (const b of batches.items) byStatus[b.status] = (byStatus[b.status] ?? 0) + 1;
    expect(Object.fromEntries(o.batches.map((b) => [b.status, b.count]))).toEqual(byStatus);
    expect(batches.items.length).toBeGreaterThan(0);
    const stages = await t.db.query<{ submitted: boolean; stage: string; status: string }>(
      `SELECT b.submitted_at IS NOT NULL AS submitted, c.stage, c.status FROM batches b JOIN cases c ON c.batch_id = b.id`,
    );
    for (const c of stages) {
      if (c.status !== 'open') continue;
      expect(c.stage, JSON.stringify(c)).toBe(c.submitted ? c.stage : 'batch_assembly');
      if (c.submitted)
        expect(['prepare_documents', 'visa_application', 'batch_assembly']).not.toContain(c.stage);
    }
  });

  it('gives a government officer counts by state and never a person, a company or a site', async () => {
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const res = await officer.get('/api/stats/overview');
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json<Overview>();
    expect(o.people).toBeNull();
    for (const site of o.sites) {
      expect(site.siteId).toBeNull();
      expect(site.siteName).toBeNull();
    }
    expect(res.body).not.toContain('Hanbit');
    expect(res.body).not.toContain('Daeho');
    const platform = (
      await (await Session.login(t.app, 'platform@korus.example')).get('/api/stats/overview')
    ).json<Overview>();
    expect(o.cases.open).toBe(platform.cases.open);
  });

  it('is not for workers', async () => {
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    expect((await worker.get('/api/stats/overview')).statusCode).toBe(403);
  });
});
