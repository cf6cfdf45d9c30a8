import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * Simulations over HTTP (issue 21): the templates, a run in the background with its progress and then its figures
 * (intervals included), a comparison with paired differences, kept within the organization; a working group runs
 * them, an embassy desk does not; a scenario that does not add up is refused with its paths.
 */
describe.each(testDatabaseKinds)('simulations on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { demo: true });
  }, 180_000);
  afterAll(() => t?.close());

  async function finished(who: Session, id: string) {
    for (let k = 0; k < 200; k++) {
      const run = (await who.get(`/api/simulations/${id}`)).json();
      if (run.status !== 'running') return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the run did not finish');
  }

  it('runs a template and a comparison in the background, shared within the organization', async () => {
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const templates = (await hr.get('/api/simulations/templates')).json() as { id: string; scenario: { name: { en: string } } }[]; // prettier-ignore
    expect(templates.map((x) => x.id)).toEqual(expect.arrayContaining(['today', 'e4-enacted', 'desk-doubled', 'e4-sme-pool'])); // prettier-ignore
    const today = templates.find((x) => x.id === 'today')!.scenario;
    const e4 = templates.find((x) => x.id === 'e4-enacted')!.scenario;
    const started = await hr.post('/api/simulations', {
      scenario: today,
      compare: e4,
      replications: 6,
      seed: 3,
    });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toMatchObject({ status: 'running', replications: 6, name: { en: today.name.en } });
    const done = await finished(hr, started.json().id);
    expect(done.status).toBe('done');
    expect(done.done).toBe(12);
    expect(done.result.a.medianLeadDays.mean).toBeGreaterThan(0);
    expect(done.result.difference.medianLeadDays.ci).toHaveLength(2);
    expect(done.result.b.leadHistogram.length).toBeGreaterThan(10);
    // The same run again gives the same figures (seeded).
    const again = await finished(hr, (await hr.post('/api/simulations', { scenario: today, compare: e4, replications: 6, seed: 3 })).json().id); // prettier-ignore
    expect(again.result).toEqual(done.result);
    // Shared within the organization, not beyond.
    const staff = await Session.login(t.app, 'staff@hanbit-energy.example');
    expect((await staff.get('/api/simulations')).json().length).toBe(2);
    const other = await Session.login(t.app, 'admin@daeho-precision.example');
    expect((await other.get(`/api/simulations/${done.id}`)).statusCode).toBe(404);
    expect((await other.get('/api/simulations')).json()).toEqual([]);
    const [audits] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'simulation.run'`); // prettier-ignore
    expect(audits!.n).toBe(2);
  });

  it('is for working groups among officers, and refuses a scenario that does not add up', async () => {
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const [wg] = await t.db.query<{ mandates: string[] }>(
      `SELECT o.mandates FROM organizations o JOIN users u ON u.organization_id = o.id WHERE u.email = 'officer@visa-desk.example'`,
    );
    expect((await officer.get('/api/simulations/templates')).statusCode).toBe(wg!.mandates.includes('working_group') ? 200 : 403); // prettier-ignore
    const desk = await Session.login(t.app, 'consul@kit-desk.example');
    expect((await desk.get('/api/simulations')).statusCode).toBe(403);
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const today = ((await hr.get('/api/simulations/templates')).json() as { id: string; scenario: { routes: { share: number }[] } }[]).find((x) => x.id === 'today')!.scenario; // prettier-ignore
    const bad = await hr.post('/api/simulations', {
      scenario: { ...today, routes: [{ path: 'nowhere', share: 0.5 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['scenario.routes', 'scenario.routes[0].path'])); // prettier-ignore
  });
});
