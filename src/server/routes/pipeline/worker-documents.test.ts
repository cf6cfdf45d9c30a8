import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartFile, openTestApp, Session, TEST_PDF, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * A worker uploads what their own case's checklist asks for (issue 18): only on their own case, only a checklist
 * item, checked by content like any upload; HR then sees the document on the case, uploaded by the worker.
 */
describe.each(testDatabaseKinds)("the worker's own documents on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('takes a checklist document from the worker, refuses others, and shows it to HR', async () => {
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const caseId: string = (await worker.get('/api/workers/me/cases')).json().items[0].id;
    const checklist = (await worker.get(`/api/workers/me/cases/${caseId}/checklist`)).json();
    const item = checklist.items.find((i: { uploaded: boolean }) => !i.uploaded) ?? checklist.items[0];
    const upload = (docType: string, name = 'scan.pdf', body = TEST_PDF, type = 'application/pdf') => {
      const file = multipartFile(name, type, body);
      return worker.request(
        'POST',
        `/api/workers/me/cases/${caseId}/documents?docType=${docType}`,
        file.payload,
        file.headers,
      );
    };
    const unknown = await upload('not_on_the_list');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0]).toMatchObject({ path: 'docType', messages: { ko: expect.any(String) } });
    const fake = await upload(item.id, 'scan.pdf', Buffer.from('not a pdf at all'));
    expect(fake.statusCode).toBe(415); // checked by content, like every upload
    const done = await upload(item.id, '여권 사본.pdf');
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().items.find((i: { id: string }) => i.id === item.id).uploaded).toBe(true);
    const hrView = (await hr.get(`/api/cases/${caseId}`)).json();
    const doc = hrView.documents.find((d: { filename: string }) => d.filename === '여권 사본.pdf');
    expect(doc).toBeTruthy();
    expect(doc.uploadedBy).toBe('worker@hanbit-energy.example'); // uploaded by the worker

    // Another case is not the worker's own; HR has no "own documents" route.
    const [other] = await t.db.query<{ id: string }>(
      `SELECT c.id FROM cases c JOIN workers w ON w.id = c.worker_id WHERE w.user_id IS NULL LIMIT 1`,
    );
    expect((await worker.get(`/api/workers/me/cases/${other!.id}/checklist`)).statusCode).toBe(404);
    const file = multipartFile('x.pdf', 'application/pdf', TEST_PDF);
    expect(
      (
        await worker.request(
          'POST',
          `/api/workers/me/cases/${other!.id}/documents?docType=${item.id}`,
          file.payload,
          file.headers,
        )
      ).statusCode,
    ).toBe(404);
    expect((await hr.get(`/api/workers/me/cases/${caseId}/checklist`)).statusCode).toBe(403);
  });
});
