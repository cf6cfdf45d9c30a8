import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * The calendar feed (issue 18): a secret URL of one's deadlines in iCalendar (RFC 5545: CRLF lines folded at 75
 * octets, escaped text, all-day events), listing only what the user sees; a new URL revokes the old one, and
 * revoking ends it. Made and revoked in the audit log.
 */
describe.each(testDatabaseKinds)('the calendar feed on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
  }, 180_000);
  afterAll(() => t?.close());

  it('serves the deadlines the user sees, behind a secret that can be replaced and revoked', async () => {
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    expect((await hr.get('/api/me/calendar')).json()).toEqual({ active: false, createdAt: null });
    const made = await hr.post('/api/me/calendar', {});
    expect(made.statusCode, made.body).toBe(201);
    const url: string = made.json().url;
    expect(url).toMatch(/^\/calendar\/kcal_[A-Za-z0-9_-]+\.ics$/);
    const feed = await t.app.inject({ method: 'GET', url });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const ics = feed.body;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).toMatch(/DTSTART;VALUE=DATE:\d{8}/);
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('admission target / 입국 목표일');
    expect(unfolded).toContain('I-94 admit-until / 체류 허가 만료');

    // What a partner firm's HR gets is only its own: none of the investor's own workers.
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const partnerUrl: string = (await partner.post('/api/me/calendar', {})).json().url;
    const partnerIcs = (await t.app.inject({ method: 'GET', url: partnerUrl })).body.replace(/\r\n /g, '');
    const [investorWorker] = await t.db.query<{ hangul: string; name: string }>(
      `SELECT w.name_hangul AS hangul, w.family_name || ' ' || w.given_name AS name FROM workers w
         JOIN organizations o ON o.id = w.organization_id JOIN cases c ON c.worker_id = w.id
        WHERE o.name LIKE 'Hanbit%' AND c.status = 'open' ORDER BY c.target_date LIMIT 1`,
    );
    if (investorWorker) {
      expect(unfolded).toContain(`${investorWorker.hangul} ${investorWorker.name}`);
      expect(partnerIcs).not.toContain(`${investorWorker.hangul} ${investorWorker.name}`);
    }

    // A new URL revokes the old one; revoking ends the feed.
    const again: string = (await hr.post('/api/me/calendar', {})).json().url;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: again })).statusCode).toBe(200);
    expect((await hr.request('DELETE', '/api/me/calendar')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: again })).statusCode).toBe(404);
    const [audits] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action IN ('calendar.create', 'calendar.revoke')`,
    );
    expect(audits!.n).toBe(4);
    // Officers have no deadlines of anyone's here.
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    const officerUrl = await officer.post('/api/me/calendar', {});
    if (officerUrl.statusCode === 201) {
      const officerIcs = (await t.app.inject({ method: 'GET', url: officerUrl.json().url })).body;
      expect(officerIcs).not.toContain('BEGIN:VEVENT');
    } else expect(officerUrl.statusCode).toBe(403);
  });
});
