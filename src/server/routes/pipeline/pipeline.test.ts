import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  investorProject,
  multipartFile,
  openTestApp,
  Session,
  TEST_PDF,
  type TestApp,
} from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { readPdf } from '../../letters/testing/pdf-text.js';

/**
 * The dispatch pipeline over HTTP on a real database (the embedded PostgreSQL, and an external one when KORUS_TEST_DATABASE_URL is
 * set): records, a case opened from the guidelines and moved through its workflow, bad input refused with
 * nothing half-saved, uploads checked by content, visibility between firms, lead-time statistics, batches.
 */
const PDF = TEST_PDF;
const multipart = multipartFile;

const installerFacts = {
  assignment: {
    equipmentFromAbroad: true,
    contractRequiresSellerService: true,
    specializedKnowledgeEssential: true,
  },
};

function worker(overrides: Record<string, unknown> = {}) {
  return {
    familyName: 'hong',
    givenName: 'gil dong',
    nameHangul: '홍길동',
    birthDate: '1984-02-29',
    sex: 'M',
    nationality: 'KR',
    passportNumber: 'm 1234-5678',
    passportExpiry: '2032-05-01',
    education: 'vocational',
    role: 'technician',
    qualifications: [{ name: '전기기능사', grade: '기능사' }],
    employedSince: '2010-03-02',
    ...overrides,
  };
}

const today = new Date().toISOString().slice(0, 10);
/** A date as the I-94 website prints it (`2026 December 07`), `days` from today. */
const i94Day = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getUTCFullYear()} ${d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${String(d.getUTCDate()).padStart(2, '0')}`;
};

describe.each(testDatabaseKinds)('dispatch pipeline on %s', (kind) => {
  let t: TestApp;
  let investor: Session;
  let staff: Session;
  let partner: Session;
  let siteId: string;
  let projectId: string;

  const count = async (table: string) =>
    Number((await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    staff = await Session.login(t.app, 'staff@hanbit-energy.example');
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const made = await investorProject(investor, partner, {
      site: 'Test Cell Plant',
      code: 'T-1',
      project: 'Test project',
    });
    ({ siteId, projectId } = made);
    // Georgia is under the Korean Consulate General in Atlanta.
    expect(made.site.consulate).toMatchObject({ city: expect.stringContaining('Atlanta') });
    const listed = (await investor.get('/api/sites'))
      .json()
      .items.find((s: { id: string }) => s.id === siteId);
    expect(listed.consulate.name.ko).toMatch(/애틀랜타/);
  }, 120_000);
  afterAll(async () => t?.close());

  it('takes a worker from staffing plan to admitted, with the stage history and the lead time', async () => {
    const plan = await investor.post(`/api/projects/${projectId}/staffing-plans`, {
      role: 'technician',
      headcount: 3,
      startDate: '2027-01-01',
      endDate: '2027-06-30',
    });
    expect(plan.statusCode, plan.body).toBe(201);
    const created = await partner.post('/api/workers', worker());
    expect(created.statusCode, created.body).toBe(201);
    const w = created.json();
    expect(w).toMatchObject({
      familyName: 'HONG',
      givenName: 'GIL DONG',
      nameHangul: '홍길동',
      passportMasked: '•••••5678',
    });
    expect(created.body).not.toContain('12345678');
    // At rest the passport number is encrypted; the keyed hash finds duplicates.
    const [row] = await t.db.query<{ passport_enc: string }>(
      'SELECT passport_enc FROM workers WHERE id = $1',
      [w.id],
    );
    expect(row!.passport_enc).not.toContain('12345678');

    const assignment = await partner.post('/api/assignments', {
      workerId: w.id,
      projectId,
      activities: ['equipment_installation', 'train_us_workers'],
      startDate: '2027-02-01',
      endDate: '2027-04-15',
      payer: 'foreign',
    });
    expect(assignment.statusCode, assignment.body).toBe(201);
    const opened = await partner.post('/api/cases', {
      assignmentId: assignment.json().id,
      category: 'B1',
      assessment: installerFacts,
    });
    expect(opened.statusCode, opened.body).toBe(201);
    let detail = opened.json();
    expect(detail).toMatchObject({
      category: 'B1',
      provision: 'installer',
      status: 'open',
      verdict: 'conditional',
    });
    expect(detail.reasons.some((r: { citation: string }) => r.citation.includes('402.2-5(E)(1)'))).toBe(true);
    expect(detail.stages.at(-1).id).toBe('admitted');
    expect(detail.history).toHaveLength(1);
    // The investor sees the partner's case through its project; the partner's staff board lists it.
    expect((await investor.get(`/api/cases/${detail.id}`)).statusCode).toBe(200);
    const board = (await investor.get(`/api/cases?projectId=${projectId}`)).json();
    expect(board.items.map((c: { id: string }) => c.id)).toContain(detail.id);

    // Forward, one stage at a time, to admitted.
    let steps = 0;
    while (detail.status === 'open') {
      const next = detail.allowedTransitions.find(
        (m: { kind?: string; needsOverride: boolean; to: string }) =>
          !m.needsOverride &&
          detail.stages.findIndex((s: { id: string }) => s.id === m.to) ===
            detail.stages.findIndex((s: { id: string }) => s.id === detail.stage) + 1,
      );
      expect(next, JSON.stringify(detail.allowedTransitions)).toBeDefined();
      if (next.to === 'admitted') {
        // Admitted means present (issue 13): the move needs the entry, which becomes the worker's stay.
        const refused = await partner.post(`/api/cases/${detail.id}/transitions`, { to: 'admitted' });
        expect(refused.statusCode).toBe(400);
        expect(refused.json()).toMatchObject({
          code: 'pipeline.entry_required',
          errors: [{ path: 'entry' }],
        });
        const badClass = await partner.post(`/api/cases/${detail.id}/transitions`, {
          to: 'admitted',
          entry: { admittedOn: today, classOfAdmission: 'ZZ9', admitUntil: today },
        });
        expect(badClass.json().errors[0].path).toBe('entry.classOfAdmission');
      }
      const moved = await partner.post(`/api/cases/${detail.id}/transitions`, {
        to: next.to,
        comment: `step ${++steps}`,
        ...(next.to === 'admitted'
          ? {
              entry: {
                i94Text: `Admission I-94 Record Number: 123456789A1\nMost Recent Date of Entry: ${i94Day(0)}\nClass of Admission: B1\nAdmit Until Date: ${i94Day(60)}\nLast/Surname: HONG\nPort of Entry: ATL`,
              },
            }
          : {}),
      });
      expect(moved.statusCode, moved.body).toBe(200);
      detail = moved.json();
    }
    expect(detail.status).toBe('admitted');
    expect(detail.stay).toMatchObject({ classOfAdmission: 'B1', admittedOn: today, reportedBy: 'employer' });
    const stays = (await partner.get(`/api/workers/${w.id}/entries`)).json().items;
    expect(stays[0]).toMatchObject({ caseId: detail.id, status: { present: true } });
    expect(detail.leadTimeDays).toBe(0);
    expect(detail.history).toHaveLength(steps + 1);
    expect(detail.history.at(-1)).toMatchObject({ to: 'admitted', comment: `step ${steps}` });
    expect(detail.allowedTransitions).toEqual([]);
    const closed = await partner.post(`/api/cases/${detail.id}/transitions`, { to: 'withdrawn' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('pipeline.case_closed');

    const boardView = (await investor.get(`/api/cases/board?projectId=${projectId}&perStage=5`)).json();
    const stagesShown = boardView.columns.map((c: { stage: string }) => c.stage);
    expect(stagesShown.indexOf('admitted')).toBeGreaterThan(stagesShown.indexOf('travel'));
    const admittedColumn = boardView.columns.find((c: { stage: string }) => c.stage === 'admitted');
    expect(admittedColumn.cards.map((c: { id: string }) => c.id)).toContain(detail.id);
    expect(boardView.totals.admitted).toBeGreaterThanOrEqual(1);
    const project = (await investor.get(`/api/projects/${projectId}`)).json();
    expect(project.staffing[0]).toMatchObject({ role: 'technician', headcount: 3, assigned: 1, admitted: 1 });
    const stats = (
      await investor.get(`/api/stats/lead-times?groupBy=category&projectId=${projectId}`)
    ).json();
    expect(stats.groups.find((g: { key: string }) => g.key === 'B1')).toMatchObject({
      count: 1,
      medianDays: 0,
      p90Days: 0,
    });
    // The departure closes the stay and completes the case.
    const departed = await partner.post(`/api/entries/${detail.stay.entryId}/departure`, {
      departedOn: today,
    });
    expect(departed.statusCode, departed.body).toBe(200);
    const done = (await partner.get(`/api/cases/${detail.id}`)).json();
    expect(done).toMatchObject({ status: 'departed', stage: 'departed', stay: { departedOn: today } });
    expect(done.history.at(-1)).toMatchObject({ to: 'departed' });
    const byStage = (await investor.get('/api/stats/lead-times?groupBy=stage')).json();
    expect(byStage.groups.length).toBeGreaterThan(2);
    // Every change left an audit event (each move, and the departure).
    const [events] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'case.transition' AND target_id = $1`,
      [detail.id],
    );
    expect(Number(events!.n)).toBe(steps + 1);
  });

  it('refuses bad input with field paths in both languages and saves nothing', async () => {
    const before = {
      workers: await count('workers'),
      assignments: await count('assignments'),
      cases: await count('cases'),
      assessments: await count('assessments'),
      audit: await count('audit_events'),
    };
    const first = await investor.post(
      '/api/workers',
      worker({ passportNumber: 'K99887766', nameHangul: '김철수', familyName: 'KIM', givenName: 'CHEOLSU' }),
    );
    expect(first.statusCode, first.body).toBe(201);
    const dup = await investor.post(
      '/api/workers',
      worker({
        passportNumber: 'k9988-7766',
        nameHangul: '김영희',
        familyName: 'KIM',
        givenName: 'YOUNGHEE',
      }),
    );
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      code: 'pipeline.duplicate_passport',
      errors: [{ path: 'passportNumber' }],
    });
    expect(dup.json().messages.ko).toMatch(/여권번호/);
    const w = first.json();

    const reversed = await investor.post('/api/assignments', {
      workerId: w.id,
      projectId,
      activities: ['meetings'],
      startDate: '2027-05-01',
      endDate: '2027-04-01',
      payer: 'foreign',
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0].path).toBe('endDate');
    const unknown = await investor.post('/api/assignments', {
      workerId: w.id,
      projectId,
      activities: ['welding_in_orbit'],
      startDate: '2027-04-01',
      endDate: '2027-05-01',
      payer: 'foreign',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toBe('activities[0]');
    const impossible = await investor.post(
      '/api/workers',
      worker({ passportNumber: 'Z1112223', birthDate: '2026-02-30' }),
    );
    expect(impossible.statusCode).toBe(400);
    expect(impossible.json().errors[0].path).toBe('birthDate');

    // An ESTA traveller doing construction work: ineligible; staff may not override, admins must give a reason.
    const a = await investor.post('/api/assignments', {
      workerId: w.id,
      projectId,
      activities: ['construction_work'],
      startDate: '2027-03-01',
      endDate: '2027-03-20',
      payer: 'foreign',
    });
    expect(a.statusCode, a.body).toBe(201);
    const ineligible = await investor.post('/api/cases', { assignmentId: a.json().id, category: 'ESTA' });
    expect(ineligible.statusCode).toBe(422);
    expect(ineligible.json()).toMatchObject({
      code: 'pipeline.ineligible_needs_override',
      errors: [{ path: 'overrideReason' }],
    });
    const byStaff = await staff.post('/api/cases', {
      assignmentId: a.json().id,
      category: 'ESTA',
      overrideReason: 'counsel advised',
    });
    expect(byStaff.statusCode).toBe(403);
    expect(await count('cases')).toBe(before.cases);
    expect(await count('assessments')).toBe(before.assessments);
    const overridden = await investor.post('/api/cases', {
      assignmentId: a.json().id,
      category: 'ESTA',
      overrideReason: 'Counsel opinion 2027-02-01: work is warranty repair (reviewed)',
    });
    expect(overridden.statusCode, overridden.body).toBe(201);
    expect(overridden.json().override).toMatchObject({ reason: expect.stringContaining('Counsel opinion') });
    const [audit] = await t.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'case.override' AND target_id = $1`,
      [overridden.json().id],
    );
    expect(Number(audit!.n)).toBe(1);
    const again = await investor.post('/api/cases', {
      assignmentId: a.json().id,
      category: 'ESTA',
      overrideReason: 'again',
    });
    expect(again.statusCode).toBe(409);

    // Illegal moves: two stages ahead needs an override (admins), unknown stages are refused.
    const c = overridden.json();
    const later = c.stages[2].id;
    const skip = await staff.post(`/api/cases/${c.id}/transitions`, { to: later });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().code).toBe('pipeline.skip_requires_override');
    const staffOverride = await staff.post(`/api/cases/${c.id}/transitions`, {
      to: later,
      overrideReason: 'documents came early',
    });
    expect(staffOverride.statusCode).toBe(403);
    const nowhere = await investor.post(`/api/cases/${c.id}/transitions`, { to: 'mars' });
    expect(nowhere.statusCode).toBe(409);
    const future = await investor.post(`/api/cases/${c.id}/transitions`, {
      to: c.stages[1].id,
      at: '2099-01-01T00:00:00Z',
    });
    expect(future.statusCode).toBe(400);
    expect((await investor.get(`/api/cases/${c.id}`)).json().history).toHaveLength(1);
    const skipped = await investor.post(`/api/cases/${c.id}/transitions`, {
      to: later,
      overrideReason: 'documents came early',
    });
    expect(skipped.statusCode, skipped.body).toBe(200);
    expect(skipped.json().history.at(-1)).toMatchObject({
      to: later,
      overrideReason: 'documents came early',
    });
    expect(before.workers + 1).toBe(await count('workers'));
  });

  it('checks uploads by content and size, stores them with their SHA-256, and serves them only as attachments', async () => {
    const w = (
      await investor.post(
        '/api/workers',
        worker({ passportNumber: 'D5556667', nameHangul: '박문서', familyName: 'PARK', givenName: 'MUNSEO' }),
      )
    ).json();
    const a = (
      await investor.post('/api/assignments', {
        workerId: w.id,
        projectId,
        activities: ['meetings', 'site_visit'],
        startDate: '2027-03-01',
        endDate: '2027-03-10',
        payer: 'foreign',
      })
    ).json();
    const c = (await investor.post('/api/cases', { assignmentId: a.id, category: 'B1' })).json();
    const rows = await count('case_documents');

    const disguised = multipart(
      'letter.pdf',
      'application/pdf',
      Buffer.from('<html><script>alert(1)</script></html>'),
    );
    const bad = await investor.request(
      'POST',
      `/api/cases/${c.id}/documents?docType=passport_copy`,
      disguised.payload,
      disguised.headers,
    );
    expect(bad.statusCode).toBe(415);
    expect(bad.json().code).toBe('document.type_not_allowed');
    const big = multipart(
      'big.pdf',
      'application/pdf',
      Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024 + 10)]),
    );
    const tooBig = await investor.request(
      'POST',
      `/api/cases/${c.id}/documents?docType=passport_copy`,
      big.payload,
      big.headers,
    );
    expect(tooBig.statusCode).toBe(413);
    expect(await count('case_documents')).toBe(rows);

    const good = multipart('여권 사본.pdf', 'application/pdf', PDF);
    const uploaded = await investor.request(
      'POST',
      `/api/cases/${c.id}/documents?docType=passport_copy&expiresOn=2032-05-01`,
      good.payload,
      good.headers,
    );
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    expect(uploaded.json()).toMatchObject({
      filename: '여권 사본.pdf',
      size: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
      expiresOn: '2032-05-01',
    });
    const download = await investor.get(`/api/documents/${uploaded.json().id}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment;/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(PDF)).toBe(true);
    const detail = (await investor.get(`/api/cases/${c.id}`)).json();
    expect(detail.documents).toHaveLength(1);
    expect(detail.checklist.find((i: { id: string }) => i.id === 'passport_copy')?.uploaded ?? true).toBe(
      true,
    );
    // No temporary files are left behind by the refused uploads.
    const [stored] = await t.db.query<{ storage_key: string }>(
      'SELECT storage_key FROM case_documents WHERE id = $1',
      [uploaded.json().id],
    );
    expect(stored!.storage_key.startsWith(`${c.id}/`)).toBe(true);
  });

  it('shows a firm only what it may see: partners their own, investors through their projects, workers themselves', async () => {
    const other = await Session.login(t.app, 'admin@seorin-auto.example');
    const hidden = (
      await other.post(
        '/api/workers',
        worker({ passportNumber: 'S7654321', nameHangul: '서비밀', familyName: 'SEO', givenName: 'BIMIL' }),
      )
    ).json();
    // Not assigned to the investor's project yet: the investor cannot see the partner's worker.
    expect((await investor.get(`/api/workers/${hidden.id}`)).statusCode).toBe(404);
    expect((await investor.get('/api/workers?q=서비밀')).json().total).toBe(0);
    expect((await partner.get(`/api/workers/${hidden.id}`)).statusCode).toBe(404);
    // A worker login sees their own record (linked by the demo data), not the list.
    const workerSession = await Session.login(t.app, 'worker@hanbit-energy.example');
    expect((await workerSession.get('/api/workers')).statusCode).toBe(403);
    const me = await workerSession.get('/api/workers/me');
    expect([200, 404]).toContain(me.statusCode);
    if (me.statusCode === 200) {
      const edit = await workerSession.request('PATCH', '/api/workers/me', { familyName: 'HACKER' });
      expect(edit.statusCode).toBe(403);
      const phone = await workerSession.request('PATCH', '/api/workers/me', { phone: '+1-912-555-0100' });
      expect(phone.statusCode, phone.body).toBe(200);
      expect(phone.json().phone).toBe('+1-912-555-0100');
    }
    // Officers see aggregated statistics only.
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.get('/api/cases')).statusCode).toBe(403);
    expect((await officer.get('/api/stats/lead-times?groupBy=category')).statusCode).toBe(200);
  });

  it('reserves an E-4 number in the quota ledger when an E-4 case (scenario) reaches its quota stage, once', async () => {
    const w = (
      await investor.post(
        '/api/workers',
        worker({
          passportNumber: 'E4445556',
          nameHangul: '정사증',
          familyName: 'JUNG',
          givenName: 'SAJEUNG',
          education: 'bachelor',
          role: 'engineer',
        }),
      )
    ).json();
    const a = (
      await investor.post('/api/assignments', {
        workerId: w.id,
        projectId,
        activities: ['engineering_work'],
        startDate: '2027-06-01',
        endDate: '2028-05-31',
        payer: 'us',
      })
    ).json();
    const opened = await investor.post('/api/cases', {
      assignmentId: a.id,
      category: 'E4',
      assessment: { scenario: { e4Enacted: true }, assignment: { occupationRequiresDegree: true } },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    let c = opened.json();
    expect(c.workflowId).toBe('e4');
    expect(c.quota).toBeNull();
    while (c.stage !== 'quota_reservation') {
      const next = c.allowedTransitions.find((m: { kind: string }) => m.kind === 'forward');
      const moved = await investor.post(`/api/cases/${c.id}/transitions`, { to: next.to });
      expect(moved.statusCode, moved.body).toBe(200);
      c = moved.json();
    }
    expect(c.quota).toMatchObject({ program: 'E4', fiscalYear: 2027, status: 'reserved' });
    expect(c.quota.sequence).toBeGreaterThan(0);
    // Back and forward again (rework): the same number, not a second one.
    const back = await investor.post(`/api/cases/${c.id}/transitions`, { to: 'labor_attestation' });
    expect(back.statusCode, back.body).toBe(200);
    const again = (await investor.post(`/api/cases/${c.id}/transitions`, { to: 'quota_reservation' })).json();
    expect(again.quota.reservationId).toBe(c.quota.reservationId);
    const [n] = await t.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM quota_reservations WHERE case_ref = $1',
      [c.id],
    );
    expect(Number(n!.n)).toBe(1);
  });

  it('assembles an embassy-desk batch of B-1 cases and follows their status', async () => {
    // A partner's worker installing equipment on the project in May 2027.
    const installer = async (overrides: Record<string, unknown>) => {
      const created = (await partner.post('/api/workers', worker(overrides))).json();
      const assignment = await partner.post('/api/assignments', {
        workerId: created.id,
        projectId,
        activities: ['equipment_installation'],
        startDate: '2027-05-01',
        endDate: '2027-06-01',
        payer: 'foreign',
      });
      return assignment.json() as { id: string };
    };
    const a = await installer({
      passportNumber: 'B2223334',
      nameHangul: '이배치',
      familyName: 'LEE',
      givenName: 'BAECHI',
    });
    const c = (
      await partner.post('/api/cases', {
        assignmentId: a.id,
        category: 'B1',
        embassyDesk: true,
        assessment: installerFacts,
      })
    ).json();
    expect(c.workflowId).toBe('b1-embassy-desk');
    const wrong = await partner.post('/api/batches', {
      projectId,
      annotation: { company: 'X', facility: 'Y', project: 'Z' },
      caseIds: [c.id],
    });
    expect(wrong.statusCode).toBe(400); // the partner does not own the project
    const batch = await investor.post('/api/batches', {
      projectId,
      annotation: {
        company: 'Hanbit Energy Solutions',
        facility: 'Bryan County Battery Plant',
        project: 'T-1',
      },
      caseIds: [c.id],
    });
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json()).toMatchObject({ status: 'draft', counts: { total: 1, open: 1 } });
    const twice = await investor.post('/api/batches', {
      projectId,
      annotation: { company: 'X', facility: 'Y', project: 'Z' },
      caseIds: [c.id],
    });
    expect(twice.statusCode).toBe(400);
    // A B-1 case on the ordinary consular workflow is not the desk's to take.
    const a2 = await installer({ passportNumber: 'B2223335', nameHangul: '김개별', familyName: 'KIM' });
    const plain = (
      await partner.post('/api/cases', { assignmentId: a2.id, category: 'B1', assessment: installerFacts })
    ).json();
    expect(plain.workflowId).toBe('b1');
    const consular = await investor.post('/api/batches', {
      projectId,
      annotation: { company: 'X', facility: 'Y', project: 'Z' },
      caseIds: [plain.id],
    });
    expect(consular.statusCode).toBe(400);
    expect(consular.json().errors[0]).toMatchObject({ path: 'caseIds[0]' });
    expect(consular.json().errors[0].messages.ko).toContain('대사관 데스크');
    const csv = await investor.get(`/api/batches/${batch.json().id}/manifest.csv`);
    expect(csv.statusCode).toBe(200);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csv.rawPayload.subarray(3).toString('utf8');
    expect(csvText).toContain('이배치');
    expect(csvText).not.toContain('B2223334');
    const manifest = await investor.get(`/api/batches/${batch.json().id}/manifest.pdf`);
    expect(manifest.statusCode).toBe(200);
    expect(manifest.headers['content-type']).toBe('application/pdf');
    const text = readPdf(manifest.rawPayload).text;
    expect(text).toContain('이배치');
    expect(text).toContain('Bryan County Battery Plant');
    expect(text).not.toContain('B2223334');
    // The support letter for the same case, in Korean, with the contract clause the records do not hold.
    const letter = await partner.post(`/api/cases/${c.id}/letters`, {
      kind: 'support',
      language: 'ko',
      signatory: { name: 'Jung Ha-neul', title: 'HR Director' },
      contact: {
        address: '12 Demo-ro, Changwon, Korea',
        phone: '+82-55-000-0000',
        email: 'hr@daeho-precision.example',
      },
      equipment: {
        description: 'Electrode coating line',
        seller: 'Daeho Precision Machinery',
        buyer: 'Hanbit Energy Solutions',
        contractReference: 'DP-2026-117',
        contractDate: '2026-09-01',
        clause: 'Seller shall install, commission and train Buyer personnel (art. 9.2).',
      },
    });
    expect(letter.statusCode, letter.body.slice(0, 300)).toBe(200);
    const letterText = readPdf(letter.rawPayload).text;
    expect(letterText).toContain('이배치');
    expect(letterText).toContain('402.2-5(E)(1)');
    expect(letterText).not.toContain('B2223334');
    const noClause = await partner.post(`/api/cases/${c.id}/letters`, {
      kind: 'support',
      signatory: { name: 'Jung Ha-neul', title: 'HR Director' },
      contact: { address: '12 Demo-ro', phone: '1', email: 'hr@daeho-precision.example' },
    });
    expect(noClause.statusCode).toBe(400);
    expect(noClause.json().errors[0].path).toBe('equipment');
    const [desk] = (await investor.get('/api/desks')).json().items as { id: string }[];
    const noDesk = await investor.post(`/api/batches/${batch.json().id}/submit`, {});
    expect(noDesk.statusCode).toBe(400);
    expect(noDesk.json().errors[0].path).toBe('deskId');
    const submitted = await investor.post(`/api/batches/${batch.json().id}/submit`, { deskId: desk!.id });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json()).toMatchObject({ status: 'submitted', deskStatus: 'submitted' });
    // The case reached the desk-submission stage with the batch.
    expect((await investor.get(`/api/cases/${c.id}`)).json().stage).toBe('desk_submission');
    expect(
      (await investor.post(`/api/batches/${batch.json().id}/submit`, { deskId: desk!.id })).statusCode,
    ).toBe(409);
    // The partner sees the batch its case is in.
    expect((await partner.get(`/api/batches/${batch.json().id}`)).statusCode).toBe(200);
  });

  it('edits a draft batch in one audited step, refuses bad cases with nothing changed, and never a submitted one', async () => {
    /** An open embassy-desk B-1 case of a new partner worker on the project. */
    const deskCase = async (n: number): Promise<string> => {
      const w = await partner.post(
        '/api/workers',
        worker({
          passportNumber: `E${n}0${n}0${n}0${n}`,
          nameHangul: `편집${'가나다라'[n - 1]!}`,
          familyName: 'PYEON',
          givenName: `JIP ${'ABCD'[n - 1]!}`,
        }),
      );
      expect(w.statusCode, w.body).toBe(201);
      const a = await partner.post('/api/assignments', {
        workerId: w.json().id,
        projectId,
        activities: ['equipment_installation'],
        startDate: '2027-07-01',
        endDate: '2027-08-01',
        payer: 'foreign',
      });
      expect(a.statusCode, a.body).toBe(201);
      const c = await partner.post('/api/cases', {
        assignmentId: a.json().id,
        category: 'B1',
        embassyDesk: true,
        assessment: installerFacts,
      });
      expect(c.statusCode, c.body).toBe(201);
      return c.json().id as string;
    };
    const [c1, c2, c3, c4] = [await deskCase(1), await deskCase(2), await deskCase(3), await deskCase(4)];
    const made = await investor.post('/api/batches', {
      projectId,
      annotation: { company: 'Hanbit Energy Solutions', facility: 'Old facility', project: 'T-1' },
      caseIds: [c1, c2],
    });
    expect(made.statusCode, made.body).toBe(201);
    const batchId: string = made.json().id;
    const url = `/api/batches/${batchId}`;
    const patch = (session: Session, body: unknown) => session.request('PATCH', url, body);
    const state = async () => ({
      batch: (
        await t.db.query<{
          annotation_company: string;
          annotation_facility: string;
          annotation_project: string;
        }>('SELECT annotation_company, annotation_facility, annotation_project FROM batches WHERE id = $1', [
          batchId,
        ])
      )[0],
      cases: (
        await t.db.query<{ id: string }>('SELECT id FROM cases WHERE batch_id = $1 ORDER BY id', [batchId])
      ).map((r) => r.id),
    });
    const audits = async () =>
      t.db.query<{ details: Record<string, unknown> }>(
        "SELECT details FROM audit_events WHERE action = 'batch.update' AND target_id = $1 ORDER BY seq",
        [batchId],
      );

    // Rename the facility, add one case and take one out: one transaction, one audit event with before and after.
    const edited = await patch(investor, {
      annotation: { facility: 'Bryan County Battery Plant, Cell Line 2' },
      addCaseIds: [c3],
      removeCaseIds: [c1],
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      status: 'draft',
      annotation: {
        company: 'Hanbit Energy Solutions',
        facility: 'Bryan County Battery Plant, Cell Line 2',
        project: 'T-1',
      },
      counts: { total: 2, open: 2 },
    });
    expect(
      edited
        .json()
        .cases.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([c2, c3].sort());
    expect((await investor.get(`/api/cases/${c1}`)).json().batchId).toBeNull();
    const [audit] = await audits();
    expect(audit!.details).toMatchObject({
      annotationChanged: ['facility'],
      before: { annotation: { facility: 'Old facility' }, cases: 2 },
      after: { annotation: { facility: 'Bryan County Battery Plant, Cell Line 2' }, cases: 2 },
      addedCaseIds: [c3],
      removedCaseIds: [c1],
    });
    // The manifest follows the edit.
    const csv = (await investor.get(`${url}/manifest.csv`)).rawPayload.toString('utf8');
    expect(csv).toContain('편집다');
    expect(csv).not.toContain('편집가');

    // Bad cases: one in another batch, one that does not exist, one removed that is not in it. Nothing changes,
    // not even the annotation sent with them.
    const other = await investor.post('/api/batches', {
      projectId,
      annotation: { company: 'Hanbit Energy Solutions', facility: 'Other', project: 'T-1' },
      caseIds: [c4],
    });
    expect(other.statusCode, other.body).toBe(201);
    const before = await state();
    const auditsBefore = (await audits()).length;
    const bad = await patch(investor, {
      annotation: { company: 'Changed Co.' },
      addCaseIds: [c1, c4, '00000000-0000-4000-8000-000000000000'],
      removeCaseIds: [c2, c1],
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    const badBody = bad.json();
    expect(badBody.code).toBe('pipeline.batch_case_invalid');
    expect(badBody.errors.map((e: { path: string }) => e.path)).toEqual([
      'addCaseIds[1]',
      'addCaseIds[2]',
      'removeCaseIds[1]',
    ]);
    expect(badBody.errors[0].messages.ko).toMatch(/B-1/);
    expect(await state()).toEqual(before);
    expect(await audits()).toHaveLength(auditsBefore);
    // Taking every case out is refused too; so is a malformed id (by the schema, with its path).
    const empty = await patch(investor, { removeCaseIds: [c2, c3] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('removeCaseIds');
    const malformed = await patch(investor, { addCaseIds: ['not-a-uuid'] });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().errors[0].path).toBe('addCaseIds[0]');
    expect((await patch(investor, { annotation: { company: '  ' } })).statusCode).toBe(400);
    expect(await state()).toEqual(before);

    // Only the investor's writers edit it: the partner whose case is in it reads it but cannot change it; an
    // unrelated firm and counsel do not even see it; a viewer of the investor has no pipeline.write.
    expect((await partner.get(url)).statusCode).toBe(200);
    expect((await patch(partner, { annotation: { company: 'Daeho' } })).statusCode).toBe(403);
    const stranger = await Session.login(t.app, 'admin@seorin-auto.example');
    expect((await stranger.get(url)).statusCode).toBe(404);
    expect((await patch(stranger, { annotation: { company: 'Seorin' } })).statusCode).toBe(404);
    const counsel = await Session.login(t.app, 'counsel@baek-lowell.example');
    expect([403, 404]).toContain((await patch(counsel, { annotation: { company: 'Baek' } })).statusCode);
    const viewer = await Session.login(t.app, 'viewer@hanbit-energy.example');
    expect((await patch(viewer, { annotation: { company: 'Viewer' } })).statusCode).toBe(403);
    expect(await state()).toEqual(before);

    // Staff of the investor may edit (pipeline.write); after submission too, until the desk acknowledges it
    // (issue 17): each amendment is in the history the desk reads; then it is refused in both languages.
    const renamed = await patch(staff, { annotation: { project: 'T-1 (phase 2)' } });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().annotation.project).toBe('T-1 (phase 2)');
    const [desk] = (await investor.get('/api/desks')).json().items as { id: string; name: string }[];
    expect(desk!.name).toMatch(/KIT Desk/);
    expect((await investor.post(`${url}/submit`, { deskId: desk!.id })).statusCode).toBe(200);
    const amended = await patch(investor, { annotation: { project: 'T-1 (phase 2b)' } });
    expect(amended.statusCode, amended.body).toBe(200);
    expect(amended.json().deskStatus).toBe('submitted');
    expect(amended.json().events.map((e: { kind: string }) => e.kind)).toEqual([
      'created',
      'submitted',
      'amended',
    ]);
    const consul = await Session.login(t.app, 'consul@kit-desk.example');
    expect((await consul.post(`/api/desk/batches/${batchId}/acknowledge`)).statusCode).toBe(200);
    const submittedBefore = await state();
    const locked = await patch(investor, { annotation: { company: 'Too late' }, removeCaseIds: [c2] });
    expect(locked.statusCode).toBe(409);
    expect(locked.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(locked.json()).toMatchObject({ code: 'pipeline.batch_locked', status: 409 });
    expect(locked.json().messages.en).toMatch(/acknowledged.*can no longer be changed/);
    expect(locked.json().messages.ko).toMatch(/접수 확인하여 더 이상 변경할 수 없습니다/);
    expect(await state()).toEqual(submittedBefore);
  });

  it("checks an edited worker's dates against the stored ones, and names the field", async () => {
    const made = await partner.post(
      '/api/workers',
      worker({ passportNumber: 'M20250904', nameHangul: '박수정' }),
    );
    expect(made.statusCode, made.body).toBe(201);
    const url = `/api/workers/${made.json().id}`;
    // Stored: born 1984-02-29, employed since 2010-03-02.
    const early = await partner.request(
      'PATCH',
      url,
      { employedSince: '1980-01-01' },
      { 'accept-language': 'ko' },
    );
    expect(early.statusCode).toBe(400);
    expect(early.json().errors).toEqual([
      expect.objectContaining({ path: 'employedSince', message: '생년월일 이후여야 합니다' }),
    ]);
    const late = await partner.request('PATCH', url, { birthDate: '2011-01-01' });
    expect(late.statusCode).toBe(400);
    expect(late.json().errors[0]).toMatchObject({
      path: 'birthDate',
      message: 'must be before employedSince',
    });
    expect((await partner.get(url)).json()).toMatchObject({
      birthDate: '1984-02-29',
      employedSince: '2010-03-02',
    });
    const both = await partner.request('PATCH', url, {
      birthDate: '1985-05-05',
      employedSince: '2011-04-01',
    });
    expect(both.statusCode, both.body).toBe(200);
  });
});
