import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { testRules } from '../../testing/app.js';
import { recomputePlans } from '../../services/settlement/plans.js';
import { scanAlerts } from '../../services/alerts/alerts.js';

/**
 * The settlement planner over HTTP (issue 19), on the demo data: HR reads the saved plan of the demo family (a
 * manager, a spouse, two children), changes the goal (audited), adds a child and the plan is recomputed for the
 * facts; the nightly pass recomputes for new rules; the family plan PDF embeds the Korean font; the worker reads
 * their own plan and the directory near their site; the directory is kept by the investor and the working group,
 * not by a partner; the working group reads aggregates only; bad input is refused with its path.
 */
describe.each(testDatabaseKinds)('the settlement planner on %s', (kind) => {
  let t: TestApp;
  let hr: Session;
  let familyId: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { demo: true, pipeline: true });
    hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const [w] = await t.db.query<{ id: string }>("SELECT id FROM workers WHERE name_hangul = '강민석'");
    familyId = w!.id;
  }, 240_000);
  afterAll(() => t?.close());

  it('shows the demo family’s saved plan: ranked paths, children’s school years and age-out dates', async () => {
    const res = await hr.get(`/api/workers/${familyId}/plan`);
    expect(res.statusCode, res.body).toBe(200);
    const { plan } = res.json();
    expect(plan.goal).toEqual({ kind: 'permanent' });
    expect(plan.facts.family.children).toHaveLength(2);
    expect(plan.plan.paths.length).toBeGreaterThanOrEqual(2);
    expect(plan.plan.paths.map((p: { rank: number }) => p.rank)).toEqual(plan.plan.paths.map((_: unknown, i: number) => i + 1)); // prettier-ignore
    const top = plan.plan.paths[0];
    expect(top.scenario).toBe(false);
    expect(top.children).toHaveLength(2);
    for (const c of top.children) {
      expect(c.school.length).toBeGreaterThan(0);
      expect(c.ageOutOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.explanation.ko).toBeTruthy();
    }
    // Every line of the timeline carries its citation.
    for (const s of [...top.segments, ...top.steps]) expect(s.citation, JSON.stringify(s)).toBeTruthy();
    // The E-4 is a scenario, never above a path in force.
    const e4 = plan.plan.paths.find((p: { route: string }) => p.route === 'e4_scenario');
    if (e4) expect(e4.rank).toBe(plan.plan.paths.length);
  });

  it('changes the goal (audited), and recomputes when the facts change', async () => {
    const put = await hr.put(`/api/workers/${familyId}/plan`, { goal: { kind: 'stay', years: 12 } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().reason).toBe('goal');
    expect(put.json().plan.horizonTo.slice(0, 4)).toBe(String(Number(put.json().plan.asOf.slice(0, 4)) + 12));
    const [audit] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_events WHERE action = 'settlement.goal' AND target_id = $1",
      [familyId],
    );
    expect(audit!.n).toBeGreaterThanOrEqual(2); // the demo's and this one
    const child = await hr.post(`/api/workers/${familyId}/dependents`, { relationship: 'child', familyName: 'KANG', givenName: 'SEOAH', birthDate: '2024-02-29', nationality: 'KR' }); // prettier-ignore
    expect(child.statusCode, child.body).toBe(201);
    const again = (await hr.get(`/api/workers/${familyId}/plan`)).json().plan;
    expect(again.reason).toBe('facts');
    expect(again.facts.family.children).toHaveLength(3);
    expect(again.plan.paths[0].children.at(-1).school[0].grade).toBe('pre');
    // What the records do not say, corrected by HR: no affiliate abroad, no EB-1C; kept for the next plan.
    const corrected = await hr.put(`/api/workers/${familyId}/plan`, { goal: { kind: 'permanent' }, overrides: { multinational: false } }); // prettier-ignore
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().plan.paths.map((p: { route: string }) => p.route)).not.toContain('eb1c');
    expect(corrected.json().overrides).toEqual({ multinational: false });
    const back = await hr.put(`/api/workers/${familyId}/plan`, {
      goal: { kind: 'permanent' },
      overrides: {},
    });
    expect(back.statusCode).toBe(200);
    expect(back.json().plan.paths[0].route).toBe('eb1c');
  });

  it('recomputes every saved plan for new rules (the nightly pass), and the alerts read them', async () => {
    const rules = testRules();
    const r = await recomputePlans(t.db, {
      parameters: rules.parameters,
      rulesVersion: `${rules.rulesVersion}-changed`,
    });
    expect(r.plans).toBeGreaterThanOrEqual(5);
    expect(r.byReason.rules).toBe(r.plans - r.failed);
    const twice = await recomputePlans(t.db, { parameters: rules.parameters, rulesVersion: `${rules.rulesVersion}-changed` }); // prettier-ignore
    expect(twice.recomputed).toBe(0);
    // A scan on the day before a filing of the first path is due raises the plan's alert for HR.
    const [row] = await t.db.query<{ due: string }>(
      `SELECT min(f->>'dueBy') AS due FROM settlement_plans, jsonb_array_elements(summary->'filings') f WHERE worker_id = $1`,
      [familyId],
    );
    const day = new Date(Date.parse(`${row!.due}T00:00:00Z`) - 5 * 86_400_000).toISOString().slice(0, 10);
    await scanAlerts(t.db, { asOf: day });
    const [alert] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE kind = 'plan_filing' AND worker_id = $1 AND threshold_days = 7",
      [familyId],
    );
    expect(alert!.n).toBeGreaterThan(0);
    // HR reads it in the notification centre, in words.
    const list = await hr.get('/api/notifications?limit=200');
    expect(list.statusCode, list.body.slice(0, 300)).toBe(200);
    const mine = (list.json().items as { kind: string; message: { ko: string } }[]).filter(
      (n) => n.kind === 'plan_filing',
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.message.ko).toContain('정착 계획');
  });

  it('renders the family plan PDF with the Korean font, Korean first', async () => {
    const res = await hr.get(`/api/workers/${familyId}/plan.pdf?lang=ko`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.toString('latin1')).toContain('NotoSansKR');
    expect(bytes.length).toBeGreaterThan(20_000);
  });

  it('gives the worker their own plan and the directory near their site', async () => {
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    const own = await worker.get('/api/me/plan');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().plan.goal).toEqual({ kind: 'stay', years: 5 });
    const dir = await worker.get('/api/me/directory');
    expect(dir.statusCode, dir.body).toBe(200);
    const items = dir.json().items as {
      kind: string;
      official: boolean;
      fictional: boolean;
      name: { ko: string };
    }[];
    expect(items[0]).toMatchObject({ kind: 'consulate', official: true });
    expect(items.some((i) => i.kind === 'weekend_school' && i.fictional)).toBe(true);
    // Someone else's plan is not the worker's.
    expect((await worker.get(`/api/workers/${familyId}/plan`)).statusCode).toBe(403);
  });

  it('lets the investor and the working group keep a site’s directory, not a partner', async () => {
    const [site] = await t.db.query<{ id: string }>("SELECT id FROM sites WHERE state = 'GA' LIMIT 1");
    const entry = { kind: 'interpreter', name: { en: 'Savannah interpreters (test)', ko: '서배너 통역(테스트)' }, verifiedOn: '2026-11-30' }; // prettier-ignore
    const made = await hr.post(`/api/sites/${site!.id}/directory`, entry);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().verifiedBy).toMatch(/Hanbit/);
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    expect((await partner.get(`/api/sites/${site!.id}/directory`)).statusCode).toBe(200);
    expect((await partner.post(`/api/sites/${site!.id}/directory`, entry)).statusCode).toBe(403);
    const wg = await Session.login(t.app, 'admin@visa-desk.example');
    const byWg = await wg.post(`/api/sites/${site!.id}/directory`, { ...entry, name: { en: 'WG entry', ko: '실무그룹 항목' } }); // prettier-ignore
    expect(byWg.statusCode, byWg.body).toBe(201);
    const future = await hr.post(`/api/sites/${site!.id}/directory`, { ...entry, verifiedOn: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].path).toBe('verifiedOn');
    const removed = await hr.request('DELETE', `/api/directory/${made.json().id}`);
    expect(removed.statusCode).toBe(204);
  });

  it('gives the working group aggregates only, and companies none', async () => {
    const wg = await Session.login(t.app, 'officer@visa-desk.example');
    const res = await wg.get('/api/console/settlement');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.smallCell).toBe(5);
    expect(body.byRoute.length).toBeGreaterThan(0);
    // A year whose workers are hidden hides its dependents too; families counted without names.
    for (const y of body.expectedGreenCardsByYear as { workers: number | null; dependents: number | null }[])
      if (y.workers === null) expect(y.dependents).toBeNull();
    expect(res.body).not.toMatch(/강민석|KANG/);
    expect((await hr.get('/api/console/settlement')).statusCode).toBe(403);
    expect((await wg.get(`/api/workers/${familyId}/plan`)).statusCode).toBe(403);
  });

  it('refuses bad input with the field and both languages; an incomplete profile is named', async () => {
    const facts = { asOf: '2026-12-07', worker: { birthDate: '1985-04-02', education: 'master', role: 'engineer', employedSince: '2015-03-01' }, employer: {}, status: { code: 'abroad' }, state: 'GA', goal: { kind: 'permanent' } }; // prettier-ignore
    const hostile = await hr.post('/api/settlement/plan', {
      ...facts,
      worker: { ...facts.worker, name: 'a\u0000b' },
    });
    expect(hostile.statusCode).toBe(400);
    expect(hostile.json().errors.map((e: { path: string }) => e.path)).toContain('worker.name');
    const bad = await hr.post('/api/settlement/plan', {
      ...facts,
      state: 'Georgia',
      goal: { kind: 'stay', years: 0 },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['state', 'goal.years']));
    expect(bad.json().errors[0].messages.ko).toBeTruthy();
    const good = await hr.post('/api/settlement/plan', { asOf: '2026-12-07', worker: { birthDate: '1985-04-02', education: 'master', role: 'engineer', employedSince: '2015-03-01' }, employer: {}, status: { code: 'abroad' }, state: 'GA', goal: { kind: 'permanent' }, family: { children: [{ birthDate: '2012-01-01' }] } }); // prettier-ignore
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().paths.length).toBeGreaterThanOrEqual(2);
    const made = await hr.post('/api/workers', { familyName: 'NOH', givenName: 'PROFILE', nameHangul: '노프로필', birthDate: '1990-01-01', sex: 'M', nationality: 'KR', passportNumber: 'M9876543', passportExpiry: '2031-01-01' }); // prettier-ignore
    expect(made.statusCode, made.body).toBe(201);
    const incomplete = made.json() as { id: string };
    const res = await hr.put(`/api/workers/${incomplete!.id}/plan`, { goal: { kind: 'permanent' } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('settlement.profile_incomplete');
    const [none] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM settlement_plans WHERE worker_id = $1', [incomplete!.id]); // prettier-ignore
    expect(none!.n).toBe(0);
  });
});
