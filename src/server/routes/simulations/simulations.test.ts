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
    t = await openTestApp(kind, { demo: true, pipeline: true });
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

  it('calibrates a scenario from the cases of a period, within who may see them, with the sample sizes', async () => {
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const today = ((await hr.get('/api/simulations/templates')).json() as { id: string; scenario: Record<string, unknown> }[]).find((x) => x.id === 'today')!.scenario; // prettier-ignore
    const now = new Date();
    const from = new Date(now.getTime() - 400 * 86_400_000).toISOString().slice(0, 10);
    const to = now.toISOString().slice(0, 10);
    // The small demo pipeline has a few cases: a minimum sample of one uses them all.
    const res = await hr.post('/api/simulations/calibrate', { scenario: today, from, to, minSample: 1 });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.calibration).toMatchObject({ from, to, minSample: 1 });
    expect(s.calibration.cases).toBeGreaterThan(5);
    // The demo's desk cases measured: the preparation delay is now their durations, with the count behind it.
    const prep = s.calibration.samples.find((x: { path: string; stage: string; what: string }) => x.path === 'b1_desk' && x.stage === 'prepare' && x.what === 'delay'); // prettier-ignore
    expect(prep.n).toBeGreaterThanOrEqual(1);
    expect(prep.used).toBe(true);
    expect(s.paths.b1_desk[0].delay.empirical).toHaveLength(prep.n);
    // The desk's own wait is reported, never used: its capacity stays the lever.
    const desk = s.calibration.samples.find((x: { stage: string; what: string }) => x.stage === 'desk_batch' && x.what === 'delay'); // prettier-ignore
    expect(desk.used).toBe(false);
    expect(s.resources.kit_desk).toEqual(
      today.resources && (today.resources as Record<string, unknown>).kit_desk,
    );
    expect(s.routes.reduce((a: number, r: { share: number }) => a + r.share, 0)).toBeCloseTo(1, 9);
    // The desk's interview calendar (its default 20 a weekday where unset) gives the KIT interviews' capacity.
    const capacity = s.calibration.samples.find((x: { what: string }) => x.what === 'capacity');
    expect(capacity, JSON.stringify(capacity)).toMatchObject({ path: 'kit_interviews', used: true });
    expect(s.resources.kit_interviews.perWeek).toBe(Math.round(capacity.value));
    expect(capacity.value).toBeGreaterThan(50);
    // The calibrated scenario runs.
    const run = await finished(hr, (await hr.post('/api/simulations', { scenario: s, replications: 3, seed: 1 })).json().id); // prettier-ignore
    expect(run.status, run.error).toBe('done');
    // A partner measures its own cases (fewer); the working group measures all of them; the desk may not.
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const theirs = (await partner.post('/api/simulations/calibrate', { scenario: today, from, to })).json();
    expect(theirs.calibration.cases).toBeGreaterThan(0);
    expect(theirs.calibration.cases).toBeLessThan(s.calibration.cases);
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const all = (await officer.post('/api/simulations/calibrate', { scenario: today, from, to })).json();
    expect(all.calibration.cases).toBeGreaterThanOrEqual(s.calibration.cases);
    const consul = await Session.login(t.app, 'consul@kit-desk.example');
    expect((await consul.post('/api/simulations/calibrate', { scenario: today, from, to })).statusCode).toBe(
      403,
    );
    // A period that ends before it starts, with its path in both languages; audited with the count, no person.
    const bad = await hr.post('/api/simulations/calibrate', { scenario: today, from: to, to: from });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'to' });
    const [audit] = await t.db.query<{ details: { cases: number } }>(
      `SELECT details FROM audit_events WHERE action = 'simulation.calibrate' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.details.cases).toBe(all.calibration.cases);
  });
});
