import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rosterPdfDefinition, type RosterExport } from '../../services/presence/roster-export.js';
import { investorProject, openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';

/**
 * Organization contacts (issue 6, the roster's contact sheet): counsel and emergency contacts entered by each
 * company's administrators, replaced whole in one audited transaction, and shown on the roster of every site
 * where the company owns the site or employs someone on it.
 */
const counsel = {
  kind: 'counsel',
  name: 'Grace Baek',
  title: 'Immigration attorney',
  firm: 'Baek & Lowell LLP',
  phone: '+1-404-555-0142',
  email: 'gbaek@baek-lowell.example',
  hours: 'Mon–Fri 8–20 ET',
  languages: ['ko', 'en'],
};
const duty = {
  kind: 'emergency',
  name: '24시간 상황실 Duty desk',
  firm: 'HR, Hanbit Energy America',
  phone: '(912) 555-0199 ext. 7',
  hours: '24/7',
  languages: ['ko'],
  notes: 'Korean-speaking, calls the consulate and counsel',
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(testDatabaseKinds)('organization contacts on %s', (kind) => {
  let t: TestApp;
  let admin: Session;
  let partner: Session;
  let orgId: string;
  let partnerOrgId: string;

  const rows = async (org: string) =>
    t.db.query<{ name: string; position: number }>(
      'SELECT name, position FROM organization_contacts WHERE organization_id = $1 ORDER BY position',
      [org],
    );

  beforeAll(async () => {
    t = await openTestApp(kind);
    admin = await Session.login(t.app, 'admin@hanbit-energy.example');
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    orgId = (await admin.get('/api/me')).json().organization.id;
    partnerOrgId = (await partner.get('/api/me')).json().organization.id;
  }, 120_000);
  afterAll(async () => t?.close());

  it('starts empty, replaces the list whole, keeps the order entered and audits before and after', async () => {
    const empty = await admin.get(`/api/organizations/${orgId}/contacts`);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ organizationId: orgId, items: [], updatedAt: null });

    const saved = await admin.put(`/api/organizations/${orgId}/contacts`, { items: [duty, counsel] });
    expect(saved.statusCode, saved.body).toBe(200);
    const body = saved.json();
    expect(body.organizationName).toBe('Hanbit Energy Solutions (fictional)');
    expect(body.items.map((c: { name: string }) => c.name)).toEqual([duty.name, counsel.name]);
    expect(body.items[0]).toEqual({ ...duty, title: null, email: null });
    expect(body.items[1]).toEqual({ ...counsel, notes: null });
    expect(body.updatedAt).toMatch(/Z$/);
    expect((await admin.get(`/api/organizations/${orgId}/contacts`)).json().items).toEqual(body.items);

    const audit = async () =>
      (
        await t.db.query<{
          before_digest: string | null;
          after_digest: string;
          details: Record<string, number>;
        }>(
          `SELECT before_digest, after_digest, details FROM audit_events
            WHERE action = 'organization.contacts_update' AND target_id = $1 ORDER BY seq DESC LIMIT 1`,
          [orgId],
        )
      )[0]!;
    const first = await audit();
    expect(first.details).toEqual({ before: 0, counsel: 1, emergency: 1 });
    expect(first.after_digest).not.toBe(first.before_digest);

    // A second save replaces everything: one contact left, the audit shows the two it replaced.
    const again = await admin.put(`/api/organizations/${orgId}/contacts`, { items: [counsel] });
    expect(again.json().items).toHaveLength(1);
    expect(await rows(orgId)).toEqual([{ name: counsel.name, position: 0 }]);
    const second = await audit();
    expect(second.details).toEqual({ before: 2, counsel: 1, emergency: 0 });
    expect(second.before_digest).toBe(first.after_digest);
  });

  it('refuses bad input with field paths in both languages and changes nothing', async () => {
    const before = await rows(orgId);
    const bad = await admin.put(
      `/api/organizations/${orgId}/contacts`,
      {
        items: [
          counsel,
          { ...duty, phone: 'call the office', email: 'not-an-address' },
          { kind: 'lawyer', name: '', phone: '+1 404 555 0100', languages: ['fr'] },
        ],
      },
      { 'accept-language': 'ko' },
    );
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const errors = bad.json().errors as {
      path: string;
      message: string;
      messages: { en: string; ko: string };
    }[];
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      ['items[1].email', 'items[1].phone', 'items[2].kind', 'items[2].languages[0]', 'items[2].name'].sort(),
    );
    const phone = errors.find((e) => e.path === 'items[1].phone')!;
    expect(phone.messages.en).toContain('telephone number');
    expect(phone.messages.ko).toContain('전화번호');
    expect(phone.message).toBe(phone.messages.ko);
    expect(await rows(orgId)).toEqual(before);

    const tooMany = await admin.put(`/api/organizations/${orgId}/contacts`, {
      items: Array.from({ length: 21 }, () => counsel),
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].path).toBe('items');
    expect(await rows(orgId)).toEqual(before);
  });

  it('lets only the organization’s own administrators write, and hides unrelated organizations', async () => {
    const staff = await Session.login(t.app, 'staff@hanbit-energy.example');
    expect((await staff.put(`/api/organizations/${orgId}/contacts`, { items: [] })).statusCode).toBe(403);
    // The partner firm sees its investor (they are linked) but may not change the investor's contacts.
    expect((await partner.get(`/api/organizations/${orgId}/contacts`)).statusCode).toBe(200);
    const foreign = await partner.put(`/api/organizations/${orgId}/contacts`, { items: [] });
    expect(foreign.statusCode, foreign.body).toBe(403);
    // An unrelated company does not learn that the organization exists.
    const other = await Session.login(t.app, 'counsel@baek-lowell.example');
    expect((await other.get(`/api/organizations/${orgId}/contacts`)).statusCode).toBe(404);
    expect((await other.put(`/api/organizations/${orgId}/contacts`, { items: [] })).statusCode).toBe(404);
    // A worker reads their employer's contacts (whom to call), nothing more.
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    expect((await worker.get(`/api/organizations/${orgId}/contacts`)).json().items).toHaveLength(1);
    expect((await worker.put(`/api/organizations/${orgId}/contacts`, { items: [] })).statusCode).toBe(403);
    // A platform administrator may correct any organization's contacts.
    const platform = await Session.login(t.app, 'platform@korus.example');
    const fixed = await platform.put(`/api/organizations/${partnerOrgId}/contacts`, {
      items: [{ kind: 'emergency', name: 'Daeho duty phone', phone: '010-1234-5678' }],
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().items[0]).toMatchObject({ languages: [], hours: null });
  });

  it('keeps concurrent saves whole: the last one wins, never a mix', async () => {
    const a = Array.from({ length: 6 }, (_, i) => ({
      kind: 'counsel',
      name: `A${i}`,
      phone: '+1 404 555 0101',
    }));
    const b = Array.from({ length: 3 }, (_, i) => ({
      kind: 'emergency',
      name: `B${i}`,
      phone: '+1 404 555 0102',
    }));
    const results = await Promise.all([
      admin.put(`/api/organizations/${orgId}/contacts`, { items: a }),
      admin.put(`/api/organizations/${orgId}/contacts`, { items: b }),
      admin.put(`/api/organizations/${orgId}/contacts`, { items: a }),
    ]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const names = (await rows(orgId)).map((r) => r.name);
    expect([a.map((c) => c.name), b.map((c) => c.name)]).toContainEqual(names);
    await admin.put(`/api/organizations/${orgId}/contacts`, { items: [counsel, duty] });
  });

  it('puts the site owner’s and each partner employer’s contacts on the roster and its PDF', async () => {
    const { siteId, projectId } = await investorProject(admin, partner, {
      site: 'Contact Sheet Plant',
      code: 'CSP-1',
      project: 'Contact sheet cells',
    });
    const worker = await partner.post('/api/workers', {
      familyName: 'SEO',
      givenName: 'JIHUN',
      nameHangul: '서지훈',
      birthDate: '1988-08-08',
      sex: 'M',
      nationality: 'KR',
      passportNumber: 'M55501234',
      passportExpiry: day(2000),
      education: 'vocational',
      role: 'technician',
      employedSince: '2012-03-02',
    });
    expect(worker.statusCode, worker.body).toBe(201);
    const assignment = await partner.post('/api/assignments', {
      workerId: worker.json().id,
      projectId,
      activities: ['equipment_installation'],
      startDate: day(-10),
      endDate: day(30),
      payer: 'foreign',
    });
    expect(assignment.statusCode, assignment.body).toBe(201);

    const roster = (await admin.get(`/api/sites/${siteId}/roster?date=${day(0)}`)).json();
    expect(roster.contacts).toHaveLength(2);
    expect(roster.contacts[0]).toMatchObject({
      organizationId: orgId,
      organizationName: 'Hanbit Energy Solutions (fictional)',
      role: 'site_owner',
      items: [{ name: counsel.name }, { name: duty.name }],
    });
    expect(roster.contacts[1]).toMatchObject({
      organizationId: partnerOrgId,
      role: 'employer',
      items: [{ kind: 'emergency', name: 'Daeho duty phone', phone: '010-1234-5678' }],
    });

    const data: RosterExport = {
      roster,
      admittedOn: {},
      site: {
        name: roster.siteName,
        address: '1 Test Road',
        city: 'Savannah',
        state: 'GA',
        organizationName: 'x',
      },
      consulate: null,
    };
    const text = JSON.stringify(rosterPdfDefinition(data));
    expect(text).toContain('Grace Baek');
    expect(text).toContain('Baek & Lowell LLP');
    expect(text).toContain('Phone / 전화: +1-404-555-0142');
    expect(text).toContain('E-mail / 이메일: gbaek@baek-lowell.example');
    expect(text).toContain('Hours / 연락 가능 시간: 24/7');
    expect(text).toContain('Languages / 사용 언어: 한국어');
    expect(text).toContain('Partner employer · 협력 업체');
    expect(text).toContain('Daeho duty phone');
    // The consulate (no state match here) and the partner's counsel are not on file: said, not invented.
    expect(text.match(/Not on file \/ 등록되지 않음/g)).toHaveLength(2);
    expect(text).toContain('Administration → Organizations → Contacts');

    const pdf = await admin.get(`/api/sites/${siteId}/roster.pdf?date=${day(0)}`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 60_000);
});
