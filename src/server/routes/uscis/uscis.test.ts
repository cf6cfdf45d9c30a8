import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { scanAlerts } from '../../services/alerts/alerts.js';

/**
 * USCIS tracking (issue 18, item 3): a petition case gets its receipt number from a pasted I-797 (read, shown,
 * then recorded), a request for evidence whose deadline becomes the stage's clock, an alert and a calendar
 * event, a response that stops the clock, and an approval that opens the consular stage. The receipt number is
 * encrypted at rest; bad input is refused with field paths; the worker and officers cannot write.
 */
const RECEIPT_TEXT = `I-797C, Notice of Action
Receipt Number                     Case Type
WAC2612345678                      I129 - PETITION FOR A NONIMMIGRANT WORKER
Received Date          Priority Date          Page
NOTICE_DAY                                         1 of 1
Notice Date
NOTICE_DAY
Notice Type: Receipt Notice`;

describe.each(testDatabaseKinds)('USCIS tracking on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 180_000);
  afterAll(() => t?.close());

  async function petitionCase(): Promise<{ id: string; organization: string; petitionStage: string }> {
    const rows = await t.db.query<{ id: string; email: string; workflow_id: string; stage: string }>(
      `SELECT c.id, u.email, c.workflow_id, c.stage FROM cases c JOIN users u ON u.organization_id = c.organization_id
        WHERE c.status = 'open' AND c.workflow_id IN ('l1-individual', 'h1b', 'h2b', 'h3') AND u.role = 'admin'
          AND c.stage IN ('prepare_petition', 'uscis_petition', 'petition', 'labor_certification',
                          'labor_condition_application', 'training_plan')
        ORDER BY c.opened_at LIMIT 1`,
    );
    expect(rows.length, 'the demo data has an open petition case before its approval').toBe(1);
    const r = rows[0]!;
    return { id: r.id, organization: r.email, petitionStage: r.workflow_id === 'h1b' || r.workflow_id === 'h2b' ? 'petition' : 'uscis_petition' }; // prettier-ignore
  }

  it('reads a notice, records the receipt, an RFE with its deadline, the response and the approval', async () => {
    const c = await petitionCase();
    const hr = await Session.login(t.app, c.organization);
    const today = new Date().toISOString().slice(0, 10);
    const [m, d, y] = [today.slice(5, 7), today.slice(8, 10), today.slice(0, 4)];
    const parsed = await hr.post('/api/uscis/notices/parse', { text: RECEIPT_TEXT.replaceAll('NOTICE_DAY', `${m}/${d}/${y}`) }); // prettier-ignore
    expect(parsed.statusCode, parsed.body).toBe(200);
    expect(parsed.json()).toMatchObject({ receiptNumber: 'WAC2612345678', status: 'received', formType: 'I-129', noticeDate: today }); // prettier-ignore

    // Bad input: a malformed receipt number, a future date, a deadline on an approval.
    const bad = await hr.post(`/api/cases/${c.id}/uscis/status`, { status: 'received', on: today, receiptNumber: 'WAC12' }); // prettier-ignore
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('receiptNumber');
    expect(bad.json().errors[0].messages.ko).toBeTruthy();
    const future = await hr.post(`/api/cases/${c.id}/uscis/status`, { status: 'received', on: '2999-01-01' });
    expect(future.statusCode).toBe(400);
    const noDue = await hr.post(`/api/cases/${c.id}/uscis/status`, { status: 'approved', on: today, responseDue: today }); // prettier-ignore
    expect(noDue.statusCode).toBe(400);
    expect(noDue.json().errors[0].path).toBe('responseDue');

    const received = await hr.post(`/api/cases/${c.id}/uscis/status`, {
      status: 'received',
      on: today,
      receiptNumber: 'wac-26-123-45678',
      source: 'notice',
    });
    expect(received.statusCode, received.body).toBe(200);
    expect(received.json().stage).toBe(c.petitionStage);
    expect(received.json().uscis).toMatchObject({
      receiptNumber: 'WAC2612345678',
      receiptLast4: '5678',
      serviceCenter: { code: 'WAC', name: { en: 'California Service Center' } },
      status: 'received',
    });
    // Encrypted at rest; the audit keeps the last four.
    const [stored] = await t.db.query<{ receipt_enc: string }>('SELECT receipt_enc FROM uscis_petitions WHERE case_id = $1', [c.id]); // prettier-ignore
    expect(stored!.receipt_enc).not.toContain('2612345678');
    const audits = await t.db.query<{ text: string }>(`SELECT row_to_json(a)::text AS text FROM audit_events a WHERE target_id = $1 AND action LIKE 'uscis.%'`, [c.id]); // prettier-ignore
    expect(audits.length).toBeGreaterThan(0);
    for (const a of audits) expect(a.text).not.toContain('2612345678');

    // A request for evidence, due in 20 days: the stage's clock, an alert, a calendar event.
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const rfe = await hr.post(`/api/cases/${c.id}/uscis/status`, {
      status: 'rfe',
      on: today,
      responseDue: due,
    });
    expect(rfe.statusCode, rfe.body).toBe(200);
    const afterRfe = rfe.json();
    expect(afterRfe.stage).toBe('request_for_evidence');
    expect(afterRfe.uscis.pending).toEqual({ notice: 'rfe', responseDue: due, daysLeft: 20 });
    expect(afterRfe.stages.find((s: { id: string }) => s.id === 'request_for_evidence').targetDate).toBe(due);
    const items = (await hr.get('/api/notifications?limit=50')).json().items;
    expect(items.some((n: { kind: string; dueOn: string; caseId: string }) => n.kind === 'response_due' && n.dueOn === due && n.caseId === c.id)).toBe(true); // prettier-ignore
    // The daily scan raises the threshold alert too (20 days left: the 30-day threshold).
    await scanAlerts(t.db, { asOf: today });
    const [scanned] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE case_id = $1 AND kind = 'response_due' AND threshold_days = 30`,
      [c.id],
    );
    expect(scanned!.n).toBeGreaterThan(0);
    const feed = await hr.post('/api/me/calendar', {});
    const ics = (await t.app.inject({ method: 'GET', url: feed.json().url })).body.replace(/\r\n /g, '');
    expect(ics).toContain(`DTSTART;VALUE=DATE:${due.replaceAll('-', '')}`);
    expect(ics).toContain('USCIS RFE response due');

    // The response stops the deadline clock; the approval opens the next stage.
    const responded = await hr.post(`/api/cases/${c.id}/uscis/status`, {
      status: 'response_submitted',
      on: today,
    });
    expect(responded.json().uscis.pending).toBeNull();
    expect(responded.json().stage).toBe('request_for_evidence');
    const approved = await hr.post(`/api/cases/${c.id}/uscis/status`, {
      status: 'approved',
      on: today,
      validFrom: today,
      validTo: `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`,
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const next = approved.json();
    expect(['visa_application', 'consular_interview', 'travel']).toContain(next.stage);
    expect(next.uscis.history.map((h: { status: string }) => h.status)).toEqual(['received', 'rfe', 'response_submitted', 'approved']); // prettier-ignore
    expect(next.history.some((h: { to: string }) => h.to === 'request_for_evidence')).toBe(true);
  });

  it('refuses a case without a petition, the worker and officers', async () => {
    const [b1] = await t.db.query<{ id: string; email: string }>(
      `SELECT c.id, u.email FROM cases c JOIN users u ON u.organization_id = c.organization_id
        WHERE c.status = 'open' AND c.workflow_id LIKE 'b1%' AND u.role = 'admin' LIMIT 1`,
    );
    const hr = await Session.login(t.app, b1!.email);
    const res = await hr.post(`/api/cases/${b1!.id}/uscis/status`, { status: 'received', on: '2026-01-05' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('uscis.not_petition');
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.post('/api/uscis/notices/parse', { text: 'x' })).statusCode).toBe(403);
    expect((await officer.post(`/api/cases/${b1!.id}/uscis/status`, { status: 'received', on: '2026-01-05' })).statusCode).toBe(403); // prettier-ignore
    // Hostile text is refused at the contract.
    const nul = await hr.post('/api/uscis/notices/parse', { text: 'Receipt\u0000' });
    expect(nul.statusCode).toBe(400);
  });
});
