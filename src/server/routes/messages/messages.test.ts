import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, openTestApp, Session, TEST_PDF, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * Messages on a case (issue 18) for each kind of user: the worker reads and writes on their own case but never
 * sees an internal note nor writes one; the investor's HR and its counsel read everything; a partner firm with
 * no part in the case does not find it; a government officer has no messages at all. Each message notifies the
 * others (internal notes not the worker) and is audited.
 */
describe.each(testDatabaseKinds)('messages on a case on %s', (kind) => {
  let t: TestApp;
  let hr: Session;
  let worker: Session;
  let counsel: Session;
  let caseId: string;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    counsel = await Session.login(t.app, 'counsel@baek-lowell.example');
    caseId = (await worker.get('/api/workers/me/cases')).json().items[0].id;
  }, 180_000);
  afterAll(() => t?.close());

  it('keeps internal notes from the worker, notifies the others, and audits every message', async () => {
    const url = `/api/cases/${caseId}/messages`;
    const asked = await hr.post(url, { body: '여권 사본을 올려 주세요. Please upload your passport copy.' });
    expect(asked.statusCode, asked.body).toBe(201);
    const note = await hr.post(url, { body: 'Check the 2019 refusal before we file.', internal: true });
    expect(note.statusCode).toBe(201);

    const seen = (await worker.get(url)).json();
    expect(seen.items.map((m: { body: string }) => m.body)).toEqual([
      '여권 사본을 올려 주세요. Please upload your passport copy.',
    ]);
    expect(seen).toMatchObject({ unread: 1, mayWriteInternal: false });
    expect(JSON.stringify(seen)).not.toContain('2019 refusal');
    const workerNotes = (await worker.get('/api/notifications')).json().items as {
      kind: string;
      message: { en: string };
    }[];
    expect(workerNotes.filter((n) => n.kind === 'case_message')).toHaveLength(1);
    expect(JSON.stringify(workerNotes)).not.toContain('2019 refusal');

    // The worker answers; an internal note from a worker is refused, in both languages, and nothing is saved.
    const refused = await worker.post(url, { body: 'secret', internal: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({
      path: 'internal',
      messages: { ko: expect.any(String) },
    });
    const answered = await worker.post(url, { body: '오늘 저녁에 올리겠습니다.' });
    expect(answered.statusCode).toBe(201);
    expect(answered.json().items.at(-1)).toMatchObject({ side: 'worker', mine: true, unread: false });
    expect((await worker.post(`${url}/read`, {})).statusCode).toBe(200);
    expect((await worker.get(url)).json().unread).toBe(0);

    // HR and counsel read the whole thread, the internal note marked as such.
    const all = (await counsel.get(url)).json();
    expect(all.items).toHaveLength(3);
    expect(all.items[1]).toMatchObject({ internal: true, side: 'employer' });
    expect(all.mayWriteInternal).toBe(true);
    expect((await hr.get(url)).json().unread).toBe(1); // the worker's answer
    const hrNotes = (await hr.get('/api/notifications')).json().items as {
      kind: string;
      message: { ko: string };
    }[];
    expect(hrNotes.some((n) => n.kind === 'case_message' && n.message.ko.includes('오늘 저녁에'))).toBe(true);

    const [audits] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.message' AND target_id = $1`,
      [caseId],
    );
    expect(audits!.n).toBe(3);
  });

  it('carries files: the worker attaches a photo, HR one on an internal note the worker cannot open', async () => {
    const attach = async (who: Session, name: string, content: Buffer, type = 'application/pdf') => {
      const body = multipartFile(name, type, content);
      return who.request('POST', `/api/cases/${caseId}/messages/attachments`, body.payload, body.headers);
    };
    const upload = await attach(worker, '여권 사본.pdf', TEST_PDF);
    expect(upload.statusCode, upload.body).toBe(201);
    expect(upload.json()).toMatchObject({ docType: 'message_attachment', filename: '여권 사본.pdf' });
    const posted = await worker.post(`/api/cases/${caseId}/messages`, {
      body: '여권 사본입니다.',
      documentId: upload.json().id,
    });
    expect(posted.json().items.at(-1).document).toMatchObject({ filename: '여권 사본.pdf' });
    // Not what it says it is: refused by content, nothing stored.
    const fake = await attach(worker, 'virus.pdf', Buffer.from('MZ not a pdf'));
    expect(fake.statusCode).toBe(415);
    // HR downloads the worker's file from the thread.
    const got = await hr.get(`/api/cases/${caseId}/messages/attachments/${upload.json().id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-disposition']).toContain('attachment');
    expect(got.rawPayload.equals(TEST_PDF)).toBe(true);
    // A file on an internal note: HR and counsel only.
    const secret = await attach(hr, 'memo.pdf', TEST_PDF);
    await hr.post(`/api/cases/${caseId}/messages`, {
      body: 'Internal memo',
      internal: true,
      documentId: secret.json().id,
    });
    expect(
      (await counsel.get(`/api/cases/${caseId}/messages/attachments/${secret.json().id}`)).statusCode,
    ).toBe(200);
    expect(
      (await worker.get(`/api/cases/${caseId}/messages/attachments/${secret.json().id}`)).statusCode,
    ).toBe(404);
    const mine = (await worker.get(`/api/workers/me/cases/${caseId}/checklist`)).json();
    expect(JSON.stringify(mine)).not.toContain('memo.pdf');
  });

  it('is not found by a partner with no part in the case, and closed to officers', async () => {
    const url = `/api/cases/${caseId}/messages`;
    const stranger = await Session.login(t.app, 'admin@seorin-auto.example');
    expect((await stranger.get(url)).statusCode).toBe(404);
    expect((await stranger.post(url, { body: 'hello' })).statusCode).toBe(404);
    for (const email of ['officer@visa-desk.example', 'consul@kit-desk.example']) {
      const officer = await Session.login(t.app, email);
      expect((await officer.get(url)).statusCode).toBe(403);
      expect((await officer.post(url, { body: 'hello' })).statusCode).toBe(403);
    }
    // A document of another case cannot be attached; the refusal names the field.
    const [other] = await t.db.query<{ id: string }>(
      `SELECT d.id FROM case_documents d WHERE d.case_id <> $1 LIMIT 1`,
      [caseId],
    );
    if (other) {
      const wrong = await hr.post(url, { body: 'see attached', documentId: other.id });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().errors[0].path).toBe('documentId');
    }
  });
});
