import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, openTestApp, Session, TEST_PDF, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { readPdf } from '../../letters/testing/pdf-text.js';

/**
 * The worker's questionnaire (issue 18, item 1): HR sends it prefilled; the worker saves part, is refused a
 * malformed field (field path, both languages) and an early submission (every missing question named); submits;
 * HR returns one item with a comment; the worker corrects it; HR accepts; JSON and a bilingual PDF come out. The
 * answers are encrypted at rest and never in the audit; others' cases are not reachable.
 */
describe.each(testDatabaseKinds)('the questionnaire on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('goes from HR to the worker and back, prefilled, checked, returned, corrected and accepted', async () => {
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    const caseId: string = (await worker.get('/api/workers/me/cases')).json().items[0].id;
    expect((await worker.get(`/api/workers/me/cases/${caseId}/questionnaire`)).statusCode).toBe(404);
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const sent = await hr.post(`/api/cases/${caseId}/questionnaire`, { form: 'ds160' });
    expect(sent.statusCode, sent.body).toBe(200);
    const q = sent.json();
    expect(q.form).toBe('ds160');
    expect(q.status).toBe('sent');
    // Prefilled from the worker's record (the passport number decrypted for the form).
    const [w] = await t.db.query<{ family_name: string; birth_date: string; passport_last4: string }>(
      'SELECT w.family_name, w.birth_date::text, w.passport_last4 FROM workers w JOIN cases c ON c.worker_id = w.id WHERE c.id = $1',
      [caseId],
    );
    expect(q.answers.personal.familyName).toBe(w!.family_name);
    expect(q.answers.personal.birthDate).toBe(w!.birth_date);
    expect(q.answers.passport.passportNumber.endsWith(w!.passport_last4)).toBe(true);
    expect(q.missing).toContain('personal.birthPlace');
    // Encrypted at rest.
    const [stored] = await t.db.query<{ answers_enc: string }>('SELECT answers_enc FROM questionnaires WHERE case_id = $1', [caseId]); // prettier-ignore
    // (A ciphertext is base64url: a JSON key in quotes can never appear in it by chance, a two-letter name can.)
    expect(stored!.answers_enc).not.toContain('"familyName"');
    expect(stored!.answers_enc).not.toContain(w!.birth_date);
    expect(stored!.answers_enc).toMatch(/^v1\.[0-9a-f]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    // The worker saves part; a malformed date is refused with its path.
    const mine = (await worker.get(`/api/workers/me/cases/${caseId}/questionnaire`)).json();
    const answers = structuredClone(mine.answers);
    answers.personal = {
      ...answers.personal,
      birthPlace: '경상남도 창원시',
      maritalStatus: 'Married / 기혼',
    };
    const bad = await worker.put(`/api/workers/me/cases/${caseId}/questionnaire`, {
      answers: { ...answers, passport: { ...answers.passport, passportIssued: '2026-02-30' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'answers.passport.passportIssued' });
    expect(bad.json().errors[0].messages.ko).toContain('날짜');
    const part = await worker.put(`/api/workers/me/cases/${caseId}/questionnaire`, { answers });
    expect(part.statusCode, part.body).toBe(200);
    expect(part.json().status).toBe('in_progress');
    const early = await worker.post(`/api/workers/me/cases/${caseId}/questionnaire/submit`);
    expect(early.statusCode).toBe(400);
    expect(early.json().errors.map((e: { path: string }) => e.path)).toContain('answers.family.fatherName');

    // Everything required answered, then submitted.
    const full = structuredClone(part.json().answers);
    full.passport = { ...full.passport, passportIssued: '2021-03-02', passportLost: false };
    full.travel = { ...full.travel, previousVisa: false, refused: false };
    full.contact = { ...full.contact, homeAddress: '창원시 성산구 중앙대로 1', phone: '+82 10-1234-5678', email: 'worker@example.com' }; // prettier-ignore
    full.family = { ...full.family, fatherName: '김아버지', motherName: '이어머니' };
    full.work = { ...full.work, currentTitle: 'Electrical supervisor', currentDuties: '전기 설비 설치 감독' };
    if (full.travel.previousVisits === true && (full.travel.visits ?? []).length === 0) full.travel.previousVisits = false; // prettier-ignore
    for (const v of full.travel.visits ?? []) v.days ??= '10';
    expect((await worker.put(`/api/workers/me/cases/${caseId}/questionnaire`, { answers: full })).json().missing).toEqual([]); // prettier-ignore
    const submitted = await worker.post(`/api/workers/me/cases/${caseId}/questionnaire/submit`);
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().status).toBe('submitted');

    // HR returns one item; the worker sees the comment, corrects, submits; HR accepts.
    const unknown = await hr.post(`/api/cases/${caseId}/questionnaire/return`, { items: [{ path: 'personal.nope', comment: 'x' }] }); // prettier-ignore
    expect(unknown.statusCode).toBe(400);
    const returned = await hr.post(`/api/cases/${caseId}/questionnaire/return`, {
      items: [
        { path: 'personal.birthPlace', comment: 'Write the city as in the passport / 여권과 같이 쓰세요' },
      ],
    });
    expect(returned.json().status).toBe('returned');
    const seen = (await worker.get(`/api/workers/me/cases/${caseId}/questionnaire`)).json();
    expect(seen.returned[0]).toMatchObject({ path: 'personal.birthPlace' });
    full.personal.birthPlace = 'Changwon, Gyeongsangnam-do / 창원시';
    await worker.put(`/api/workers/me/cases/${caseId}/questionnaire`, { answers: full });
    expect(
      (await worker.post(`/api/workers/me/cases/${caseId}/questionnaire/submit`)).json().returned,
    ).toEqual([]);
    const item = () =>
      (
        hr.get(`/api/cases/${caseId}`) as Promise<{
          json(): { checklist: { id: string; uploaded: boolean; source?: string }[] };
        }>
      ).then(
        // prettier-ignore
        (r) => r.json().checklist.find((i) => i.id === 'questionnaire_ds160'),
      );
    expect(await item()).toMatchObject({ source: 'questionnaire', uploaded: false });
    // Answered, not uploaded: the worker cannot send a file for it.
    const upload = multipartFile('x.pdf', 'application/pdf', TEST_PDF);
    const asFile = await worker.request('POST', `/api/workers/me/cases/${caseId}/documents?docType=questionnaire_ds160`, upload.payload, upload.headers); // prettier-ignore
    expect(asFile.statusCode).toBe(400);
    const accepted = await hr.post(`/api/cases/${caseId}/questionnaire/accept`, {});
    expect(await item()).toMatchObject({ uploaded: true });
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      acceptedBy: expect.stringContaining('Hanbit'),
    });
    expect(
      (await worker.put(`/api/workers/me/cases/${caseId}/questionnaire`, { answers: full })).statusCode,
    ).toBe(409);

    // Exports: JSON and a bilingual PDF with the answers.
    const json = await hr.get(`/api/cases/${caseId}/questionnaire.json`);
    expect(JSON.parse(json.body).answers.family.fatherName).toBe('김아버지');
    const pdf = await hr.get(`/api/cases/${caseId}/questionnaire.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const text = readPdf(pdf.rawPayload).text.replace(/\n/g, ' ');
    for (const s of [
      'Visa application data (DS-160)',
      '비자 신청서 정보(DS-160)',
      "Father's full name",
      '아버지 성명',
      '김아버지',
      'Changwon',
    ])
      expect(text).toContain(s);

    // Never the answers in the audit; the worker and HR were told.
    const audits = await t.db.query<{ text: string }>(`SELECT row_to_json(a)::text AS text FROM audit_events a WHERE action LIKE 'questionnaire.%' AND target_id = $1`, [caseId]); // prettier-ignore
    expect(audits.length).toBeGreaterThanOrEqual(7);
    for (const a of audits) expect(a.text).not.toContain('김아버지');
    const kinds = (await worker.get('/api/notifications?limit=50'))
      .json()
      .items.map((n: { kind: string }) => n.kind);
    expect(kinds).toContain('questionnaire');
  });

  it("reaches nobody else's case", async () => {
    const other = await Session.login(t.app, 'admin@daeho-precision.example');
    const [c] = await t.db.query<{ id: string }>(
      `SELECT c.id FROM cases c JOIN organizations o ON o.id = c.organization_id
        WHERE o.name LIKE 'Hanbit%' AND c.project_id IN (SELECT id FROM projects p WHERE p.organization_id = o.id)
          AND NOT EXISTS (SELECT 1 FROM projects p2 JOIN organizations o2 ON o2.id = p2.organization_id WHERE p2.id = c.project_id AND o2.name LIKE 'Daeho%')
        LIMIT 1`,
    );
    expect((await other.post(`/api/cases/${c!.id}/questionnaire`, {})).statusCode).toBe(404);
    expect((await other.get(`/api/cases/${c!.id}/questionnaire`)).statusCode).toBe(404);
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.get(`/api/cases/${c!.id}/questionnaire`)).statusCode).toBe(403);
  });
});
