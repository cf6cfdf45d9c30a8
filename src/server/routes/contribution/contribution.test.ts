import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { multipartFile, openTestApp, Session, TEST_PDF, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { projectSums } from '../../services/contribution/indicators.js';

/**
 * The contribution ledger over HTTP (issue 20), on the demo data: a partner records a session with three named
 * trainees on the investor's project and the indicators move; names are encrypted and stay with the partner; the
 * investor sees the partner's session as counts; bad input is refused with paths and nothing written; the worker
 * attaches nothing; an evidence pack is generated and attached to a B-1 case; the working group reads the report
 * (small cells hidden) and computes and publishes a pool policy that the quota ledger then applies.
 */
describe.each(testDatabaseKinds)('the contribution ledger on %s', (kind) => {
  let t: TestApp;
  let projectId: string;
  let partnerWorker: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { demo: true, pipeline: true });
    const [p] = await t.db.query<{ id: string }>(`SELECT id FROM projects WHERE code = 'GA-BAT-1'`);
    projectId = p!.id;
    const [w] = await t.db.query<{ id: string }>(
      `SELECT w.id FROM workers w JOIN organizations o ON o.id = w.organization_id
        WHERE o.name LIKE 'Daeho%' ORDER BY w.created_at LIMIT 1`,
    );
    partnerWorker = w!.id;
  }, 240_000);
  afterAll(() => t?.close());

  const session = (over: Record<string, unknown> = {}) => ({
    projectId,
    trainerWorkerId: partnerWorker,
    heldOn: '2026-11-02',
    hours: 6,
    topic: 'Electrode coating line start-up',
    equipment: 'Coater C-200',
    place: 'Georgia plant, line 2',
    trainees: 3,
    certified: 2,
    traineeNames: [
      { name: 'Jamie Carter', certified: true },
      { name: 'Luis Ortega', certified: true },
      { name: 'Ava Brooks', certified: false },
    ],
    ...over,
  });

  it('records a partner’s session; indicators move; names stay encrypted with the partner', async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const before = (await partner.get('/api/contribution')).json();
    const row = (o: {
      projects: { projectId: string; sums: { trainees: number; traineeHours: number } }[];
    }) => o.projects.find((p) => p.projectId === projectId)!;
    const made = await partner.post('/api/contribution/sessions', session());
    expect(made.statusCode, made.body).toBe(201);
    const after = (await partner.get('/api/contribution')).json();
    expect(row(after).sums.trainees).toBe(row(before).sums.trainees + 3);
    expect(row(after).sums.traineeHours).toBe(row(before).sums.traineeHours + 18);
    // Encrypted at rest; the partner reads the names back.
    const [stored] = await t.db.query<{ name_enc: string }>('SELECT name_enc FROM training_trainees LIMIT 1');
    expect(stored!.name_enc).not.toContain('Jamie');
    const entries = (await partner.get(`/api/contribution/projects/${projectId}`)).json();
    const mine = entries.sessions.find((x: { id: string }) => x.id === made.json().id);
    expect(mine.traineeNames.map((n: { name: string }) => n.name)).toEqual(['Jamie Carter', 'Luis Ortega', 'Ava Brooks']); // prettier-ignore
    // The investor sees the session as counts, without names.
    const investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const theirs = (await investor.get(`/api/contribution/projects/${projectId}`)).json();
    const seen = theirs.sessions.find((s: { id: string }) => s.id === made.json().id);
    expect(seen).toMatchObject({ trainees: 3, certified: 2, traineeNames: null });
    // Another partner sees none of it.
    const other = await Session.login(t.app, 'admin@seorin-auto.example');
    const otherEntries = await other.get(`/api/contribution/projects/${projectId}`);
    if (otherEntries.statusCode === 200)
      expect(otherEntries.json().sessions.some((s: { id: string }) => s.id === made.json().id)).toBe(false); // prettier-ignore
    else expect(otherEntries.statusCode).toBe(404);
    // The change is audited, without names.
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE action = 'contribution.training' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.details).toMatchObject({ trainees: 3, certified: 2, named: 3 });
    expect(JSON.stringify(audit!.details)).not.toContain('Jamie');
  });

  it('refuses bad entries with paths in both languages and writes nothing', async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const [{ n: before }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM training_sessions')) as [{ n: number }]; // prettier-ignore
    const tooMany = await partner.post('/api/contribution/sessions', session({ certified: 4 }));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors.map((e: { path: string }) => e.path)).toContain('certified');
    expect(tooMany.json().errors[0].messages.ko).toBeTruthy();
    const future = await partner.post('/api/contribution/sessions', session({ heldOn: '2099-01-01' }));
    expect(future.json().errors[0]).toMatchObject({ path: 'heldOn' });
    const [investorWorker] = await t.db.query<{ id: string }>(
      `SELECT w.id FROM workers w JOIN organizations o ON o.id = w.organization_id WHERE o.kind = 'investor' LIMIT 1`,
    );
    const notMine = await partner.post(
      '/api/contribution/sessions',
      session({ trainerWorkerId: investorWorker!.id }),
    );
    expect(notMine.json().errors[0]).toMatchObject({ path: 'trainerWorkerId' });
    const hostile = await partner.post('/api/contribution/sessions', session({ topic: 'a\u0000b' }));
    expect(hostile.statusCode).toBe(400);
    const huge = await partner.post('/api/contribution/sessions', session({ topic: 'x'.repeat(5000) }));
    expect(huge.statusCode).toBe(400);
    const [{ n: after }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM training_sessions')) as [{ n: number }]; // prettier-ignore
    expect(after).toBe(before);
    // A project the firm does not work on.
    const [shipyard] = await t.db.query<{ id: string }>(`SELECT id FROM projects WHERE code = 'PA-SHIP-1'`);
    const daehoOnShipyard = await t.db.query(
      `SELECT 1 FROM project_partners pp JOIN organizations o ON o.id = pp.partner_id WHERE pp.project_id = $1 AND o.name LIKE 'Daeho%'`,
      [shipyard!.id],
    );
    if (daehoOnShipyard.length === 0) {
      const wrong = await partner.post('/api/contribution/investments', { projectId: shipyard!.id, kind: 'disbursed', amountUsd: 10, onDate: '2026-01-05', source: 'x' }); // prettier-ignore
      expect(wrong.json().errors[0]).toMatchObject({ path: 'projectId' });
    }
    // Officers and workers record nothing.
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.post('/api/contribution/sessions', session())).statusCode).toBe(403);
  });

  it('imports sessions from a spreadsheet: a dry run writes nothing, a bad row stops all, a good file writes all', async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const [w] = await t.db.query<{ hangul: string }>('SELECT name_hangul AS hangul FROM workers WHERE id = $1', [partnerWorker]); // prettier-ignore
    const count = async () => Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM training_sessions'))[0]!.n); // prettier-ignore
    const upload = (csv: string, dryRun: boolean, encode: 'utf8' | 'cp949' = 'utf8') => {
      const { payload, headers } = multipartFile('sessions.csv', 'text/csv', encode === 'utf8' ? Buffer.from(csv) : iconv.encode(csv, 'cp949')); // prettier-ignore
      return partner.request(
        'POST',
        `/api/contribution/import?kind=sessions&dryRun=${dryRun}`,
        payload,
        headers,
      );
    };
    // Korean headers, in CP949 as Excel saves a Korean CSV.
    const good = `프로젝트,트레이너,날짜,시간,주제,장비,장소,교육생,자격 취득\nGA-BAT-1,${w!.hangul},2026-10-05,4,Coating line,Coater C-200,Line 1,5,2\nGA-BAT-1,${w!.hangul},2026-10-12,3.5,Stacking,,Line 2,4,0\n`; // prettier-ignore
    const before = await count();
    const dry = await upload(good, true, 'cp949');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ dryRun: true, rows: 2, created: 0, errors: [] });
    expect(await count()).toBe(before);
    const bad = await upload(`${good}GA-BAT-1,Nobody,2026-10-19,25,X,,Line 1,3,4\n`, false);
    const errors = bad.json().errors as {
      row: number;
      column: string;
      message: { en: string; ko: string };
    }[];
    expect(errors).toEqual([expect.objectContaining({ row: 4, column: '트레이너' })]);
    expect(errors[0]!.message.ko).toBeTruthy();
    const worse = await upload(`${good}GA-BAT-1,${w!.hangul},2026-10-19,25,X,,Line 1,3,4\n`, false);
    expect((worse.json().errors as { column: string }[]).map((e) => e.column).sort()).toEqual([
      '시간',
      '자격 취득',
    ]);
    expect(await count()).toBe(before);
    const done = await upload(good, false, 'cp949');
    expect(done.json()).toMatchObject({ dryRun: false, rows: 2, created: 2, errors: [] });
    expect(await count()).toBe(before + 2);
    const [audit] = await t.db.query<{ details: { rows: number } }>(`SELECT details FROM audit_events WHERE action = 'contribution.import' ORDER BY seq DESC LIMIT 1`); // prettier-ignore
    expect(audit!.details.rows).toBe(2);
    // Investments and jobs from a sheet the same way (Korean kinds and headers too).
    const sheet = (csv: string, kind: string, dry: boolean) => {
      const f = multipartFile('ledger.csv', 'text/csv', Buffer.from(csv));
      return partner.request(
        'POST',
        `/api/contribution/import?kind=${kind}&dryRun=${dry}`,
        f.payload,
        f.headers,
      );
    };
    const money =
      'project,kind,amount,date,source\nGA-BAT-1,집행,1250000,2026-09-30,Invoice 88 (fictional)\nGA-BAT-1,nonsense,5,2026-09-30,x\n';
    const refused = (await sheet(money, 'investments', false)).json();
    expect(refused.errors).toEqual([expect.objectContaining({ row: 3, column: 'kind' })]);
    const [{ n: inv }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contribution_investments WHERE source = 'Invoice 88 (fictional)'`)) as [{ n: number }]; // prettier-ignore
    expect(inv).toBe(0);
    expect((await sheet(money.split('\n').slice(0, 2).join('\n'), 'investments', false)).json()).toMatchObject({ created: 1, errors: [] }); // prettier-ignore
    const jobs = '프로젝트,분기,약정 일자리,창출 인원,근거\nGA-BAT-1,2026-Q2,120,80,HR report (fictional)\n';
    expect((await sheet(jobs, 'jobs', false)).json()).toMatchObject({ created: 1, errors: [] });
  });

  it('keeps the monthly rollup equal to the sessions, as of any day, through inserts, updates and deletes', async () => {
    const raw = async (asOf: string) =>
      t.db.query<{ project_id: string; th: string; tr: string; ce: string; n: string }>(
        `SELECT project_id, sum(trainees * hours) AS th, sum(trainees) AS tr, sum(certified) AS ce, count(*) AS n
           FROM training_sessions WHERE held_on <= $1 GROUP BY project_id`,
        [asOf],
      );
    const check = async (asOf: string) => {
      const sums = await projectSums(t.db, null, null, asOf);
      for (const r of await raw(asOf)) {
        const s = sums.get(r.project_id)!;
        expect([s.traineeHours, s.trainees, s.certified, s.sessions]).toEqual([Number(r.th), Number(r.tr), Number(r.ce), Number(r.n)]); // prettier-ignore
      }
    };
    for (const day of ['2026-03-15', '2026-10-31', '2026-11-01', new Date().toISOString().slice(0, 10)])
      await check(day);
    // A correction and a removal done in SQL move the rollup too (statement triggers).
    await t.db.query(`UPDATE training_sessions SET hours = hours + 1, held_on = held_on - 40 WHERE id IN (SELECT id FROM training_sessions ORDER BY id LIMIT 5)`); // prettier-ignore
    await t.db.query(
      'DELETE FROM training_sessions WHERE id IN (SELECT id FROM training_sessions ORDER BY id DESC LIMIT 3)',
    );
    for (const day of ['2026-06-30', new Date().toISOString().slice(0, 10)]) await check(day);
  });

  it("attaches a milestone's evidence, encrypted, for its firm and the investor to read", async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const made = await partner.post('/api/contribution/milestones', { projectId, kind: 'supervisor_certified', title: 'US supervisor certified on the coater', achievedOn: '2026-11-20' }); // prettier-ignore
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id;
    const { payload, headers } = multipartFile('certificate.pdf', 'application/pdf', TEST_PDF);
    const up = await partner.request('POST', `/api/contribution/milestones/${id}/evidence`, payload, headers);
    expect(up.statusCode, up.body).toBe(201);
    const bad = multipartFile('certificate.pdf', 'application/pdf', Buffer.from('not a pdf'));
    expect((await partner.request('POST', `/api/contribution/milestones/${id}/evidence`, bad.payload, bad.headers)).json().errors[0]).toMatchObject({ path: 'file' }); // prettier-ignore
    const investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const file = await investor.get(`/api/contribution/milestones/${id}/evidence`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(TEST_PDF)).toBe(true);
    const entries = (await investor.get(`/api/contribution/projects/${projectId}`)).json();
    expect(entries.milestones.find((m: { id: string }) => m.id === id).evidence).toMatchObject({ filename: 'certificate.pdf' }); // prettier-ignore
    // Only the recording firm attaches; another firm does not see it.
    const up2 = await investor.request(
      'POST',
      `/api/contribution/milestones/${id}/evidence`,
      payload,
      headers,
    );
    expect(up2.statusCode).toBe(404);
    const other = await Session.login(t.app, 'admin@seorin-auto.example');
    expect((await other.get(`/api/contribution/milestones/${id}/evidence`)).statusCode).toBe(404);
  });

  it('records investment and jobs; a quarter recorded again replaces the figure', async () => {
    const investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const money = await investor.post('/api/contribution/investments', { projectId, kind: 'disbursed', amountUsd: 25_000_000, onDate: '2026-10-01', source: 'Board resolution 2026-09 (fictional)' }); // prettier-ignore
    expect(money.statusCode, money.body).toBe(201);
    const before = (await investor.get('/api/contribution')).json().projects.find((p: { projectId: string }) => p.projectId === projectId); // prettier-ignore
    await investor.post('/api/contribution/jobs', { projectId, quarter: '2026-Q3', committed: 900, created: 410, source: 'HR headcount' }); // prettier-ignore
    await investor.post('/api/contribution/jobs', { projectId, quarter: '2026-Q3', committed: 900, created: 420, source: 'HR headcount, corrected' }); // prettier-ignore
    const after = (await investor.get('/api/contribution')).json().projects.find((p: { projectId: string }) => p.projectId === projectId); // prettier-ignore
    const [{ n }] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM contribution_jobs WHERE quarter = '2026-07-01' AND source LIKE 'HR headcount%'`)) as [{ n: number }]; // prettier-ignore
    expect(n).toBe(1);
    expect(after.sums.jobsCreated).toBeGreaterThanOrEqual(420);
    expect(after.sums.disbursedUsd).toBe(before.sums.disbursedUsd);
    if (after.sums.visasUsed > 0) expect(after.indicators.usJobsPerVisa).toBeCloseTo(after.sums.jobsCreated / after.sums.visasUsed, 9); // prettier-ignore
    const badQuarter = await investor.post('/api/contribution/jobs', { projectId, quarter: '2026-Q5', committed: 1, created: 1, source: 'x' }); // prettier-ignore
    expect(badQuarter.json().errors[0]).toMatchObject({ path: 'quarter' });
  });

  it('generates the training evidence pack for a B-1 case and attaches it', async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    // A B-1 case whose worker gave no training: nothing to show, said so.
    const [idle] = await t.db.query<{ id: string }>(
      `SELECT c.id FROM cases c JOIN organizations o ON o.id = c.organization_id
        WHERE c.category = 'B1' AND c.dependent_id IS NULL AND o.name LIKE 'Daeho%'
          AND NOT EXISTS (SELECT 1 FROM training_sessions s WHERE s.trainer_worker_id = c.worker_id) LIMIT 1`,
    );
    if (idle) expect((await partner.post(`/api/cases/${idle.id}/evidence-pack`, {})).json().errors[0]).toMatchObject({ path: 'caseId' }); // prettier-ignore
    // The trainer case: the worker's sessions go into the pack.
    const [c] = await t.db.query<{ id: string; worker_id: string }>(`SELECT id, worker_id FROM cases WHERE provision = 'trainer' LIMIT 1`); // prettier-ignore
    await partner.post(
      '/api/contribution/sessions',
      session({ trainerWorkerId: c!.worker_id, traineeNames: undefined }),
    );
    const pack = await partner.post(`/api/cases/${c!.id}/evidence-pack`, {});
    expect(pack.statusCode, pack.body).toBe(201);
    expect(pack.json()).toMatchObject({ docType: 'training_evidence_pack', contentType: 'application/pdf' });
    const file = await partner.get(`/api/documents/${pack.json().id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const after = (await partner.get(`/api/cases/${c!.id}`)).json();
    expect(after.checklist.find((i: { id: string }) => i.id === 'training_evidence_pack').uploaded).toBe(
      true,
    );
    const viewer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await viewer.post(`/api/cases/${c!.id}/evidence-pack`, {})).statusCode).toBe(403);
  });

  it('seeds a year of history and a B-1 case on the trainer provision with the evidence pack on its checklist', async () => {
    const [{ n }] = (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM contribution_investments')) as [{ n: number }]; // prettier-ignore
    expect(n).toBeGreaterThan(2);
    const [c] = await t.db.query<{ id: string }>(
      `SELECT id FROM cases WHERE category = 'B1' AND provision = 'trainer'`,
    );
    expect(c).toBeDefined();
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const detail = (await partner.get(`/api/cases/${c!.id}`)).json();
    expect(detail.checklist.find((i: { id: string }) => i.id === 'training_evidence_pack')).toMatchObject({ source: 'evidence_pack', required: false }); // prettier-ignore
  });

  it('gives the working group the report with small cells hidden, and nobody else', async () => {
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const report = await officer.get('/api/contribution/report');
    expect(report.statusCode, report.body).toBe(200);
    const battery = report.json().bySector.find((r: { key: string }) => r.key === 'battery');
    expect(battery.projects).toBeGreaterThanOrEqual(1);
    for (const r of [...report.json().bySector, ...report.json().byInvestor])
      for (const k of ['jobsCreated', 'visasUsed', 'trainees'])
        expect(typeof r[k] === 'number' ? r[k] === 0 || r[k] >= 5 : r[k] === '<5').toBe(true);
    const xlsx = await officer.get('/api/contribution/report.xlsx');
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const pdf = await officer.get('/api/contribution/report.pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    expect((await hr.get('/api/contribution/report')).statusCode).toBe(403);
    const desk = await Session.login(t.app, 'consul@kit-desk.example');
    expect((await desk.get('/api/contribution/report')).statusCode).toBe(403);
    expect((await officer.get('/api/contribution')).statusCode).toBe(403);
  });

  it('computes a pool policy from the ledger, publishes it, and the quota ledger applies it', async () => {
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const input = { effective: '2027-10-01', cutoff: '2026-12-01', investmentWeight: 0.5, smeShare: 0.2, generalShare: 0.1 }; // prettier-ignore
    expect((await officer.post('/api/contribution/policies', input)).statusCode).toBe(403); // staff may not
    const admin = await Session.login(t.app, 'admin@visa-desk.example');
    const draft = await admin.post('/api/contribution/policies', input);
    expect(draft.statusCode, draft.body).toBe(201);
    const p = draft.json();
    expect(p).toMatchObject({ version: 1, status: 'draft', fiscalYear: 2028, cap: 15000 });
    expect(p.pools.reduce((a: number, x: { share: number }) => a + x.share, 0)).toBeCloseTo(1, 9);
    expect(p.numbers.reduce((a: number, x: { cap: number }) => a + x.cap, 0)).toBe(15000);
    expect(p.numbers.find((x: { name: string }) => x.name === 'sme').cap).toBe(3000);
    const investorPool = p.inputs.find((i: { name: string }) => i.name.startsWith('Hanbit'))?.pool;
    expect(investorPool).toMatch(/^inv_/);
    const published = await admin.post(`/api/contribution/policies/${p.id}/publish`, {});
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('published');
    expect((await admin.post(`/api/contribution/policies/${p.id}/publish`, {})).statusCode).toBe(400);
    // The quota ledger's FY2028 opens with the published split.
    const status = await admin.get('/api/quota/E4/2028');
    expect(status.statusCode, status.body).toBe(200);
    const pools = status.json().pools as { name: string; cap: number }[];
    expect(pools.find((x) => x.name === 'sme')?.cap).toBe(3000);
    expect(pools.find((x) => x.name === investorPool)?.cap).toBe(p.numbers.find((x: { name: string }) => x.name === investorPool).cap); // prettier-ignore
    expect(pools.reduce((a, x) => a + x.cap, 0)).toBe(15000);
    const [audit] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_events WHERE action IN ('contribution.policy_draft', 'contribution.policy_publish')`); // prettier-ignore
    expect(audit!.n).toBe(2);
  });

  it('shows a worker the training they gave, and exports it', async () => {
    const [linked] = await t.db.query<{ id: string; organization_id: string }>(
      `SELECT w.id, w.organization_id FROM workers w JOIN users u ON u.id = w.user_id WHERE u.email = 'worker@hanbit-energy.example'`,
    );
    const investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const made = await investor.post('/api/contribution/sessions', session({ trainerWorkerId: linked!.id, traineeNames: undefined, trainees: 5, certified: 4 })); // prettier-ignore
    expect(made.statusCode, made.body).toBe(201);
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    const record = (await worker.get('/api/me/training')).json();
    const mine = record.sessions.find((s: { id: string }) => s.id === made.json().id);
    expect(mine).toMatchObject({ trainees: 5, certified: 4, hours: 6 });
    expect(record.totals.sessions).toBe(record.sessions.length);
    expect(record.totals.traineeHours).toBeCloseTo(record.sessions.reduce((a: number, s: { trainees: number; hours: number }) => a + s.trainees * s.hours, 0), 9); // prettier-ignore
    expect(record.sessions.every((s: { traineeNames: unknown }) => s.traineeNames === null)).toBe(true);
    const pdf = await worker.get('/api/me/training.pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await worker.get('/api/contribution')).statusCode).toBe(403);
  });
});
