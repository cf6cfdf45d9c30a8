import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import type { Reassessment, Worker } from '../../../contract/pipeline.js';
import { contractExampleRequest } from '../../../contract/assessment-example.js';

/**
 * The re-entry track (issue 16) through the API: the employer records that a worker was detained (the Georgia
 * site, 2025-09-04); a date in the future is refused, naming the field in both languages; re-assessing the
 * worker's open case reads the detention from the record, so ESTA fails on the prior-violation question.
 */
describe.each(testDatabaseKinds)('the re-entry track on %s', (kind) => {
  let t: TestApp;
  let partner: Session;
  let worker: { id: string; caseId: string };
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const [row] = await t.db.query<{ id: string; case_id: string }>(
      `SELECT w.id::text, c.id::text AS case_id FROM workers w JOIN cases c ON c.worker_id = w.id
         JOIN organizations o ON o.id = w.organization_id
        WHERE o.name LIKE 'Daeho%' AND c.status = 'open' AND w.detained_on IS NULL
        ORDER BY c.opened_at LIMIT 1`,
    );
    worker = { id: row!.id, caseId: row!.case_id };
  }, 120_000);
  afterAll(() => t?.close());

  it('records the detention on the worker, refuses a future date, and re-assesses the case on the track', async () => {
    const future = await partner.request('PATCH', `/api/workers/${worker.id}`, { detainedOn: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors).toEqual([
      expect.objectContaining({
        path: 'detainedOn',
        messages: expect.objectContaining({ ko: expect.any(String) }),
      }),
    ]);
    expect((await partner.get(`/api/workers/${worker.id}`)).json<Worker>().detainedOn).toBeNull();

    const saved = await partner.request('PATCH', `/api/workers/${worker.id}`, { detainedOn: '2025-09-04' });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json<Worker>().detainedOn).toBe('2025-09-04');
    const [audit] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'worker.update' AND target_id = $1`,
      [worker.id],
    );
    expect(audit!.n).toBeGreaterThan(0);

    const re = await partner.post(`/api/cases/${worker.caseId}/reassess`, {});
    expect(re.statusCode, re.body).toBeLessThan(300);
    const reassessment = re.json<Reassessment>();
    const [stored] = await t.db.query<{ request: { worker: { detainedOn?: string } }; response: unknown }>(
      'SELECT request, response FROM assessments WHERE id = $1',
      [reassessment.assessmentId],
    );
    expect(stored!.request.worker.detainedOn).toBe('2025-09-04');
    const esta = (
      stored!.response as { results: { category: string; verdict: string; notes?: { id: string }[] }[] }
    ).results.find((r) => r.category === 'ESTA')!;
    expect(esta.verdict).toBe('ineligible');
  });

  it('opens a case for a detained worker from an assessment made without the detention: on the track, with its checklist', async () => {
    // An assessment that does not know of the detention (made in the wizard, the question answered "no").
    const made = await partner.post('/api/assessments', {
      ...contractExampleRequest,
      asOf: new Date().toISOString().slice(0, 10),
      employer: { ...contractExampleRequest.employer, relationship: 'none' },
      assignment: {
        ...contractExampleRequest.assignment,
        activities: ['equipment_installation'],
        startDate: '2027-03-02',
        endDate: '2027-04-10',
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const assessmentId = made.json<{ id: string }>().id;
    const [project] = await t.db.query<{ id: string }>(
      `SELECT p.id::text FROM projects p JOIN project_partners pp ON pp.project_id = p.id
         JOIN organizations o ON o.id = pp.partner_id WHERE o.name LIKE 'Daeho%' ORDER BY p.name LIMIT 1`,
    );
    // ESTA is refused now that the record is read.
    const esta = await partner.post('/api/cases', {
      assessmentId,
      workerId: worker.id,
      projectId: project!.id,
      category: 'ESTA',
    });
    expect(esta.statusCode, esta.body).toBe(422);
    expect(esta.json().code).toBe('pipeline.ineligible_needs_override');
    const b1 = await partner.post('/api/cases', {
      assessmentId,
      workerId: worker.id,
      projectId: project!.id,
      category: 'B1',
      embassyDesk: true,
    });
    expect(b1.statusCode, b1.body).toBe(201);
    const detail = b1.json<{ id: string; checklist: { id: string }[] }>();
    expect(detail.checklist.map((c) => c.id)).toContain('reentry_record');
  });
});
