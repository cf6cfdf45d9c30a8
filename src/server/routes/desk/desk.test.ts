import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import type { DeskBatch } from '../../../contract/desk.js';

/**
 * The embassy desk (issue 17) over HTTP on the demo: the investor sends a batch to the KIT Desk; the desk
 * returns it with a reason per applicant, the investor amends and resubmits; the desk acknowledges, books
 * interviews within a day's capacity, and records one visa issued with its annotation, one refused under
 * 214(b) and one in 221(g) administrative processing; the cases show those stages and CEAC statuses, the
 * filing HR is notified, the batch's history is the same for both sides. Another desk, the working group and
 * an unrelated firm see none of it; the desk loses sight of the people after the retention period.
 */
const installerFacts = {
  assignment: {
    equipmentFromAbroad: true,
    contractRequiresSellerService: true,
    specializedKnowledgeEssential: true,
  },
};
const today = new Date().toISOString().slice(0, 10);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** The next weekday at least `offset` days ahead (the desk interviews on weekdays by default). */
const weekday = (offset: number) => {
  let d = offset;
  while ([0, 6].includes(new Date(`${day(d)}T00:00:00Z`).getUTCDay())) d++;
  return day(d);
};

describe.each(testDatabaseKinds)('the embassy desk on %s', (kind) => {
  let t: TestApp;
  let investor: Session;
  let partner: Session;
  let consul: Session;
  let projectId: string;
  let deskId: string;
  const cases: string[] = [];

  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    consul = await Session.login(t.app, 'consul@kit-desk.example');
    const [project] = await t.db.query<{ id: string }>(
      `SELECT id::text FROM projects WHERE code = 'GA-BAT-1'`,
    );
    projectId = project!.id;
    deskId = (await investor.get('/api/desks')).json().items[0].id;
    for (let n = 1; n <= 4; n++) {
      const w = await partner.post('/api/workers', {
        familyName: 'DESK',
        givenName: `APPLICANT ${'ABCD'[n - 1]}`,
        nameHangul: `데스크${'가나다라'[n - 1]}`,
        birthDate: '1985-04-0' + n,
        sex: 'M',
        nationality: 'KR',
        passportNumber: `D7${n}00${n}11${n}`,
        passportExpiry: '2033-05-01',
        education: 'vocational',
        role: 'technician',
        employedSince: '2012-03-02',
      });
      expect(w.statusCode, w.body).toBe(201);
      const a = await partner.post('/api/assignments', {
        workerId: w.json().id,
        projectId,
        activities: ['equipment_installation'],
        startDate: day(60),
        endDate: day(100),
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
      cases.push(c.json().id);
    }
  }, 180_000);
  afterAll(() => t?.close());

  it('takes a batch from submission to outcomes, with the cases, CEAC, HR and both histories following', async () => {
    const made = await investor.post('/api/batches', {
      projectId,
      annotation: {
        company: 'HANBIT ENERGY SOLUTIONS',
        facility: 'BRYAN COUNTY BATTERY PLANT',
        project: 'PHASE 1',
      },
      caseIds: cases.slice(0, 3),
    });
    expect(made.statusCode, made.body).toBe(201);
    const batchId: string = made.json().id;
    const deskUrl = `/api/desk/batches/${batchId}`;
    // A draft is nobody's at the desk.
    expect((await consul.get(deskUrl)).statusCode).toBe(404);
    expect((await investor.post(`/api/batches/${batchId}/submit`, { deskId })).statusCode).toBe(200);
    const inbox = (await consul.get('/api/desk/batches')).json().items as { id: string }[];
    expect(inbox.map((b) => b.id)).toContain(batchId);

    // The desk returns it: one applicant's documents are missing. The cases go back to batch assembly.
    const returned = await consul.post(`${deskUrl}/return`, {
      reason: 'One employer letter is unsigned',
      applicants: [{ caseId: cases[0], reason: 'Employer letter not signed' }],
    });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json<DeskBatch>().deskStatus).toBe('returned');
    expect((await investor.get(`/api/cases/${cases[0]}`)).json()).toMatchObject({
      stage: 'batch_assembly',
      consular: { returnReason: 'Employer letter not signed' },
    });
    // The investor amends (adds the fourth applicant) and resubmits.
    const amended = await investor.request('PATCH', `/api/batches/${batchId}`, { addCaseIds: [cases[3]] });
    expect(amended.statusCode, amended.body).toBe(200);
    expect((await investor.post(`/api/batches/${batchId}/submit`, { deskId })).statusCode).toBe(200);
    expect((await investor.get(`/api/cases/${cases[0]}`)).json().consular.returnReason).toBeNull();

    // Acknowledged: applications received, every case at the interview.
    const ack = await consul.post(`${deskUrl}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    const acknowledged = ack.json<DeskBatch>();
    expect(acknowledged.deskStatus).toBe('acknowledged');
    expect(acknowledged.identityVisible).toBe(true);
    expect(acknowledged.applicants).toHaveLength(4);
    expect(acknowledged.applicants.every((a) => a.ceacStatus === 'application_received')).toBe(true);
    expect(acknowledged.applicants.every((a) => a.stage === 'consular_interview')).toBe(true);
    expect(acknowledged.applicants[0]!.person?.passportLast4).toMatch(/^\d{4}$/);
    // Acknowledging twice is refused, in words.
    const again = await consul.post(`${deskUrl}/acknowledge`);
    expect(again.statusCode).toBe(409);
    expect(again.json().messages.ko).toMatch(/접수 확인/);

    // Interviews: a day with room for two takes two, not three; nothing is booked by the refused request.
    const interviewDay = weekday(3);
    expect(
      (await consul.request('PUT', `/api/desk/calendar/${interviewDay}`, { capacity: 2 })).statusCode,
    ).toBe(200);
    const full = await consul.post(`${deskUrl}/interviews`, {
      day: interviewDay,
      caseIds: cases.slice(0, 3),
    });
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('desk.day_full');
    const booked = await consul.post(`${deskUrl}/interviews`, {
      day: interviewDay,
      caseIds: cases.slice(0, 2),
    });
    expect(booked.statusCode, booked.body).toBe(200);
    const calendar = (await consul.get(`/api/desk/calendar?from=${interviewDay}&to=${interviewDay}`)).json();
    expect(calendar.days[0]).toMatchObject({ day: interviewDay, capacity: 2, booked: 2 });
    const shrink = await consul.request('PUT', `/api/desk/calendar/${interviewDay}`, { capacity: 1 });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.json().errors[0].path).toBe('capacity');

    // Outcomes: issued (annotation, validity), 214(b), 221(g); a 221(g) without a follow-up date is refused.
    const outcome = (body: Record<string, unknown>) => consul.post(`${deskUrl}/outcomes`, body);
    const noFollowUp = await outcome({ caseId: cases[2], outcome: 'administrative_processing', on: today });
    expect(noFollowUp.statusCode).toBe(400);
    expect(noFollowUp.json().errors[0].path).toBe('followUpOn');
    expect(
      (await outcome({ caseId: cases[0], outcome: 'issued', on: today, validUntil: day(3650) })).statusCode,
    ).toBe(200);
    expect(
      (
        await outcome({
          caseId: cases[1],
          outcome: 'refused_214b',
          on: today,
          reason: 'Activities not shown to be permissible business activities',
        })
      ).statusCode,
    ).toBe(200);
    const held = await outcome({
      caseId: cases[2],
      outcome: 'administrative_processing',
      on: today,
      reason: 'Training plan',
      followUpOn: day(30),
    });
    expect(held.statusCode, held.body).toBe(200);
    // A final outcome is final.
    const change = await outcome({ caseId: cases[1], outcome: 'issued', on: today, validUntil: day(3650) });
    expect(change.statusCode).toBe(409);

    const issued = (await investor.get(`/api/cases/${cases[0]}`)).json();
    expect(issued).toMatchObject({
      stage: 'travel',
      status: 'open',
      consular: {
        status: 'issued',
        outcome: 'issued',
        annotation: { company: 'HANBIT ENERGY SOLUTIONS', project: 'PHASE 1' },
        validUntil: day(3650),
      },
    });
    expect((await partner.get(`/api/cases/${cases[1]}`)).json()).toMatchObject({
      status: 'refused',
      consular: { status: 'refused', outcome: 'refused_214b' },
    });
    const processing = (await partner.get(`/api/cases/${cases[2]}`)).json();
    expect(processing).toMatchObject({
      stage: 'administrative_processing',
      status: 'open',
      consular: { status: 'administrative_processing', followUpOn: day(30) },
    });
    // 221(g) is its own stage with its own clock (60 days from today), never "refused".
    expect(processing.consular.adminProcessing).toMatchObject({ since: today, days: 0, targetDays: 60 });
    const stage = processing.stages.find((s: { id: string }) => s.id === 'administrative_processing');
    expect(stage.targetDate).toBe(day(60));

    // The filing HR (the investor and the partner employer) were told, in both languages.
    const notes = (await partner.get('/api/notifications')).json().items as {
      kind: string;
      message: { en: string; ko: string };
    }[];
    const desk = notes.filter((n) => n.kind === 'desk_update');
    expect(desk.some((n) => /214\(b\)/.test(n.message.en) && /214\(b\)/.test(n.message.ko))).toBe(true);
    expect(desk.some((n) => /Not a final refusal/.test(n.message.en))).toBe(true);
    expect(
      (await investor.get('/api/notifications'))
        .json()
        .items.some((n: { kind: string }) => n.kind === 'desk_update'),
    ).toBe(true);

    // Both sides read the same history.
    const employerView = (await investor.get(`/api/batches/${batchId}`)).json();
    const deskView = (await consul.get(deskUrl)).json<DeskBatch>();
    expect(employerView.events).toEqual(deskView.events);
    expect(deskView.events.map((e) => e.kind)).toEqual([
      'created',
      'submitted',
      'returned',
      'amended',
      'submitted',
      'acknowledged',
      'interview_scheduled',
      'outcome',
      'outcome',
      'outcome',
    ]);
    expect(deskView.deskStatus).toBe('acknowledged'); // two applicants are still undecided

    // Every desk action is audited.
    const [audits] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action LIKE 'desk.%' AND (target_id = $1 OR target_id = ANY($2))`,
      [batchId, cases],
    );
    expect(audits!.n).toBeGreaterThanOrEqual(6);

    // Once every applicant is decided the batch closes; after the retention period the people are hidden.
    await outcome({ caseId: cases[3], outcome: 'withdrawn', on: today });
    await outcome({ caseId: cases[2], outcome: 'issued', on: today, validUntil: day(3650) });
    const closed = (await consul.get(deskUrl)).json<DeskBatch>();
    expect(closed.deskStatus).toBe('closed');
    expect(closed.identityVisible).toBe(true);
    expect(closed.identityVisibleUntil).toBe(day(90));
    await t.db.query(`UPDATE batches SET status_changed_at = now() - interval '91 days' WHERE id = $1`, [
      batchId,
    ]);
    const expired = (await consul.get(deskUrl)).json<DeskBatch>();
    expect(expired.identityVisible).toBe(false);
    expect(expired.applicants.every((a) => a.person === null)).toBe(true);
    expect(JSON.stringify(expired)).not.toContain('데스크');
  });

  it("lets HR record a case's DS-160 and CEAC status outside any batch; the case follows, ESTA has none", async () => {
    // A B-1 case not through the desk (a partner's worker), brought to the interview by HR.
    const w = await partner.post('/api/workers', {
      familyName: 'CEAC',
      givenName: 'SOLO',
      nameHangul: '단독신청',
      birthDate: '1984-06-01',
      sex: 'M',
      nationality: 'KR',
      passportNumber: 'D9900991',
      passportExpiry: '2033-05-01',
      education: 'vocational',
      role: 'technician',
      employedSince: '2012-03-02',
    });
    const a = await partner.post('/api/assignments', {
      workerId: w.json().id,
      projectId,
      activities: ['equipment_installation'],
      startDate: day(60),
      endDate: day(100),
      payer: 'foreign',
    });
    const made = await partner.post('/api/cases', {
      assignmentId: a.json().id,
      category: 'B1',
      embassyDesk: false,
      assessment: installerFacts,
    });
    expect(made.json().workflowId).toBe('b1');
    const c = { id: made.json().id as string };
    const hr = partner; // the employer's HR
    const url = `/api/cases/${c.id}`;
    let detail = (await hr.get(url)).json();
    while (detail.stage !== 'consular_interview') {
      const next = detail.allowedTransitions.find((m: { kind: string }) => m.kind === 'forward');
      detail = (await hr.post(`${url}/transitions`, { to: next.to })).json();
    }
    const bad = await hr.request('PUT', `${url}/consular`, { ds160Number: 'XX12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({
      path: 'ds160Number',
      messages: { ko: expect.stringContaining('DS-160') },
    });
    const saved = await hr.request('PUT', `${url}/consular`, {
      ds160Number: 'aa00b1c2d3',
      post: 'seoul',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().consular).toMatchObject({
      ds160Number: 'AA00B1C2D3',
      ds160Last4: 'C2D3',
      post: 'seoul',
    });
    const [stored] = await t.db.query<{ ds160_enc: string }>(
      'SELECT ds160_enc FROM consular_applications WHERE case_id = $1',
      [c.id],
    );
    expect(stored!.ds160_enc).not.toContain('AA00B1C2D3'); // encrypted at rest
    const held = await hr.post(`${url}/consular/status`, {
      status: 'administrative_processing',
      on: today,
    });
    expect(held.statusCode, held.body).toBe(200);
    expect(held.json()).toMatchObject({
      stage: 'administrative_processing',
      consular: { status: 'administrative_processing' },
    });
    const future = await hr.post(`${url}/consular/status`, { status: 'issued', on: day(3) });
    expect(future.statusCode).toBe(400);
    const issued = await hr.post(`${url}/consular/status`, {
      status: 'issued',
      on: today,
      note: 'CEAC: Issued',
    });
    expect(issued.json()).toMatchObject({ stage: 'travel', consular: { status: 'issued' } });
    expect(issued.json().consular.history.map((h: { status: string }) => h.status)).toEqual([
      'administrative_processing',
      'issued',
    ]);
    // The partner whose worker is not on it, and an ESTA case (no consulate), are refused.
    const [esta] = await t.db.query<{ id: string }>(
      `SELECT c.id::text FROM cases c JOIN organizations o ON o.id = c.organization_id
        WHERE c.workflow_id = 'esta' AND c.status = 'open' AND o.name LIKE 'Daeho%' LIMIT 1`,
    );
    if (esta)
      expect(
        (await hr.post(`/api/cases/${esta.id}/consular/status`, { status: 'issued', on: today })).statusCode,
      ).toBe(409);
    expect((await consul.post(`${url}/consular/status`, { status: 'issued', on: today })).statusCode).toBe(
      403,
    );
  });

  it('shows a batch to its desk only: not to another desk, the working group, or an unrelated firm', async () => {
    const [batch] = await t.db.query<{ id: string }>(
      `SELECT id::text FROM batches WHERE desk_status <> 'draft' ORDER BY submitted_at DESC LIMIT 1`,
    );
    const url = `/api/desk/batches/${batch!.id}`;
    expect((await consul.get(url)).statusCode).toBe(200);
    // The working group has no desk capability at all; an unrelated firm neither.
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.get(url)).statusCode).toBe(403);
    expect((await officer.get('/api/desk/batches')).statusCode).toBe(403);
    expect((await partner.get('/api/desk/batches')).statusCode).toBe(403);
    // A second desk (another post) sees an empty inbox and none of this desk's batches.
    const [other] = await t.db.query<{ id: string }>(
      `INSERT INTO organizations (name, kind, mandates) VALUES ('U.S. Consulate Busan desk (test)', 'government', '{embassy_desk}') RETURNING id::text`,
    );
    await t.db.query(
      `INSERT INTO users (email, display_name, role, organization_id, password_hash)
       SELECT 'busan@desk.example', 'Busan officer', 'staff', $1, password_hash FROM users WHERE email = 'consul@kit-desk.example'`,
      [other!.id],
    );
    const busan = await Session.login(t.app, 'busan@desk.example');
    expect((await busan.get('/api/desk/batches?status=all')).json().items).toEqual([]);
    expect((await busan.get(url)).statusCode).toBe(404);
    expect((await busan.post(`${url}/acknowledge`)).statusCode).toBe(404);
    // A desk officer never reads the companies' records directly.
    expect((await consul.get('/api/batches')).statusCode).toBe(403);
    expect((await consul.get(`/api/cases/${cases[0]}`)).statusCode).toBe(403);
  });
});
