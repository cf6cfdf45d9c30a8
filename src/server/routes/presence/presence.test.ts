import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { verifyCard } from '../../cards/jws.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const i94Date = (offset: number) => {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${d.getUTCFullYear()} ${d.toLocaleString('en-US', { month: 'long', timeZone: 'UTC' })} ${String(d.getUTCDate()).padStart(2, '0')}`;
};

describe.each(testDatabaseKinds)('presence and status cards on %s', (kind) => {
  let t: TestApp;
  let hr: Session;
  let workerId: string;

  beforeAll(async () => {
    t = await openTestApp(kind);
    hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const site = (
      await hr.post('/api/sites', {
        name: 'Card Plant',
        sector: 'battery',
        address: '1 Way',
        city: 'Savannah',
        state: 'GA',
        timeZone: 'America/New_York',
      })
    ).json();
    const project = (
      await hr.post('/api/projects', {
        siteId: site.id,
        code: 'CARD-1',
        name: 'Card project',
        sector: 'battery',
        investmentUsd: 1,
        startDate: day(-400),
      })
    ).json();
    const worker = await hr.post('/api/workers', {
      familyName: 'HONG', givenName: 'GILDONG', nameHangul: '홍길동', birthDate: '1984-02-29', sex: 'M', nationality: 'KR',
      passportNumber: 'M12345678', passportExpiry: day(2000), education: 'vocational', role: 'technician', employedSince: '2010-03-02',
    }); // prettier-ignore
    expect(worker.statusCode, worker.body).toBe(201);
    workerId = worker.json().id;
    const a = await hr.post('/api/assignments', {
      workerId,
      projectId: project.id,
      activities: ['equipment_installation'],
      startDate: day(-20),
      endDate: day(40),
      payer: 'foreign',
    });
    expect(a.statusCode, a.body).toBe(201);
    const c = await hr.post('/api/cases', {
      assignmentId: a.json().id,
      category: 'B1',
      assessment: {
        assignment: {
          equipmentFromAbroad: true,
          contractRequiresSellerService: true,
          specializedKnowledgeEssential: true,
        },
      },
    });
    expect(c.statusCode, c.body).toBe(201);
  }, 120_000);
  afterAll(async () => t?.close());

  it('records entries by hand and from the pasted I-94 text, with days used and warnings; refuses bad ones', async () => {
    const before = Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM entries'))[0]!.n);
    const reversed = await hr.post(`/api/workers/${workerId}/entries`, {
      admittedOn: day(-300),
      classOfAdmission: 'WB',
      admitUntil: day(-211),
      departedOn: day(-310),
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0].path).toBe('departedOn');
    const unknown = await hr.post(`/api/workers/${workerId}/entries`, {
      admittedOn: day(-300),
      classOfAdmission: 'Q9',
      admitUntil: day(-211),
    });
    expect(unknown.json()).toMatchObject({ code: 'request.invalid', errors: [{ path: 'classOfAdmission' }] });
    const garbled = await hr.post(`/api/workers/${workerId}/entries`, {
      i94Text: 'Class of Admission: WB\nsomething else',
    });
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().errors.map((e: { path: string }) => e.path)).toContain('i94Text.i94Number');
    expect(Number((await t.db.query<{ n: string }>('SELECT count(*) AS n FROM entries'))[0]!.n)).toBe(before);

    const earlier = await hr.post(`/api/workers/${workerId}/entries`, {
      admittedOn: day(-200),
      classOfAdmission: 'WB',
      admitUntil: day(-111),
      departedOn: day(-150),
      port: 'atl',
    });
    expect(earlier.statusCode, earlier.body).toBe(201);
    expect(earlier.json().status).toMatchObject({ daysUsed: 51, present: false });
    const overlapping = await hr.post(`/api/workers/${workerId}/entries`, {
      admittedOn: day(-160),
      classOfAdmission: 'WB',
      admitUntil: day(-71),
      departedOn: day(-155),
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().code).toBe('presence.overlapping_stay');

    const pasted = await hr.post(`/api/workers/${workerId}/entries`, {
      i94Text: `Admission I-94 Record Number: 123456789A1\nMost Recent Date of Entry: ${i94Date(-10)}\nClass of Admission: B1\nAdmit Until Date: ${i94Date(170)}\nLast/Surname: HONG\nFirst (Given) Name: GILDONG`,
    });
    expect(pasted.statusCode, pasted.body).toBe(201);
    expect(pasted.json()).toMatchObject({
      source: 'i94_paste',
      classOfAdmission: 'B1',
      i94Masked: '•••••••89A1',
      admittedOn: day(-10),
    });
    expect(pasted.json().status).toMatchObject({ daysUsed: 11, daysRemaining: 170, present: true });
    expect(pasted.body).not.toContain('123456789A1');
    const wrongPerson = await hr.post(`/api/workers/${workerId}/entries`, {
      i94Text: `Admission I-94 Record Number: 223456789A1\nMost Recent Date of Entry: ${i94Date(-5)}\nClass of Admission: WB\nAdmit Until Date: ${i94Date(84)}\nLast/Surname: KIM`,
    });
    expect(wrongPerson.statusCode).toBe(400);
  });

  it('issues a signed card that anyone can verify, and that fails once tampered, revoked or replaced', async () => {
    // The Host header is the caller's to choose: it never becomes the card's link (issue 14, finding 9).
    const issued = await hr.request('POST', `/api/workers/${workerId}/cards`, {}, { host: 'evil.example' });
    expect(issued.statusCode, issued.body).toBe(201);
    const { token, id, claims } = issued.json();
    expect(issued.json().verifyUrl).toBe(`/verify#${token}`);
    expect(issued.body).not.toContain('evil.example');
    expect(claims).toMatchObject({
      names: { hangul: '홍길동', romanized: 'HONG GILDONG' },
      classOfAdmission: 'B1',
      site: 'Card Plant',
      project: 'Card project',
    });
    expect(claims.permittedActivities).toContain('equipment_installation');
    expect(claims.permittedActivities).not.toContain('construction_work');
    expect(claims.notice.ko).toContain('정부 문서가 아니며');

    const anonymous = await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token } });
    expect(anonymous.json()).toMatchObject({ valid: true, reason: null, claims: { jti: id } });
    const keys = (await t.app.inject({ method: 'GET', url: '/.well-known/korus-keys.json' })).json().keys;
    expect(verifyCard(token, keys, Math.floor(Date.now() / 1000)).valid).toBe(true);

    const [h, p, s] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, classOfAdmission: 'E2' })).toString('base64url');
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/cards/verify',
          payload: { token: `${h}.${forged}.${s}` },
        })
      ).json(),
    ).toMatchObject({ valid: false, reason: 'bad_signature' });
    expect(
      (
        await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token: `${h}.${p}` } })
      ).json(),
    ).toMatchObject({ valid: false, reason: 'malformed' });

    const second = (await hr.post(`/api/workers/${workerId}/cards`)).json();
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token } })).json(),
    ).toMatchObject({ valid: false, reason: 'superseded' });
    const revoke = await hr.post(`/api/cards/${second.id}/revoke`, { reason: 'phone lost' });
    expect(revoke.statusCode).toBe(204);
    const revoked = (
      await t.app.inject({
        method: 'POST',
        url: '/api/cards/verify',
        payload: { token: second.token },
        headers: { 'accept-language': 'ko' },
      })
    ).json();
    expect(revoked).toMatchObject({ valid: false, reason: 'revoked' });
    expect(revoked.message.ko).toContain('취소');
  });

  it('shows the site roster: present or not, and each activity checked against the actual class of admission', async () => {
    const siteId = (await hr.get('/api/sites'))
      .json()
      .items.find((s: { name: string }) => s.name === 'Card Plant').id;
    const roster = await hr.get(`/api/sites/${siteId}/roster`);
    expect(roster.statusCode, roster.body).toBe(200);
    const hong = roster.json().people.find((p: { nameHangul: string }) => p.nameHangul === '홍길동');
    expect(hong).toMatchObject({
      present: true,
      classOfAdmission: 'B1',
      activities: [{ activity: 'equipment_installation' }],
    });
    expect(['green', 'amber']).toContain(hong.flag);
    expect(roster.json().consulate).toMatchObject({ city: expect.stringContaining('Atlanta') });
    // An ESTA entrant assigned construction work is red.
    const project = (await hr.get('/api/projects'))
      .json()
      .items.find((p: { code: string }) => p.code === 'CARD-1');
    const w =
      (await hr.post('/api/workers', {
        familyName: 'PARK', givenName: 'ESTA', nameHangul: '박이스타', birthDate: '1988-01-01', sex: 'M', nationality: 'KR',
        passportNumber: 'P55554444', passportExpiry: day(2000), education: 'high_school', role: 'laborer', employedSince: '2012-01-01',
      })) // prettier-ignore
        .json();
    expect(
      (
        await hr.post('/api/assignments', {
          workerId: w.id,
          projectId: project.id,
          activities: ['construction_work', 'meetings'],
          startDate: day(-3),
          endDate: day(30),
          payer: 'foreign',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await hr.post(`/api/workers/${w.id}/entries`, {
          admittedOn: day(-2),
          classOfAdmission: 'WB',
          admitUntil: day(87),
        })
      ).statusCode,
    ).toBe(201);
    const after = (await hr.get(`/api/sites/${siteId}/roster`)).json();
    const park = after.people.find((p: { nameHangul: string }) => p.nameHangul === '박이스타');
    expect(park.flag).toBe('red');
    expect(park.activities).toEqual([
      { activity: 'construction_work', status: 'not_permitted', flag: 'red' },
      { activity: 'meetings', status: 'permitted', flag: 'green' },
    ]);
    expect(after.counts.red).toBeGreaterThanOrEqual(1);
    // Before the entry, the same person is expected but not present (grey).
    const earlier = (await hr.get(`/api/sites/${siteId}/roster?date=${day(-3)}`)).json();
    expect(earlier.people.find((p: { nameHangul: string }) => p.nameHangul === '박이스타')).toMatchObject({
      present: false,
      flag: 'grey',
    });
  });

  it('refuses a card to a worker with no current admission', async () => {
    const w =
      (await hr.post('/api/workers', {
        familyName: 'KIM', givenName: 'NOENTRY', nameHangul: '김무입', birthDate: '1990-01-01', sex: 'F', nationality: 'KR',
        passportNumber: 'N99887766', passportExpiry: day(2000), education: 'bachelor', role: 'engineer', employedSince: '2015-01-01',
      })) // prettier-ignore
        .json();
    const res = await hr.post(`/api/workers/${w.id}/cards`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('presence.not_present');
  });

  it('lets a signed-in worker take a fresh card of their own, unless the employer revoked the last one', async () => {
    await t.db.query(
      `UPDATE workers SET user_id = (SELECT id FROM users WHERE email = 'worker@hanbit-energy.example') WHERE id = $1`,
      [workerId],
    );
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    // The earlier test revoked the worker's latest card: only the employer issues the next one.
    expect((await worker.post('/api/workers/me/cards')).statusCode).toBe(409);
    expect((await hr.post(`/api/workers/${workerId}/cards`)).statusCode).toBe(201);
    const own = await worker.post('/api/workers/me/cards');
    expect(own.statusCode, own.body).toBe(201);
    const { token, id, claims } = own.json();
    expect(claims).toMatchObject({ sub: workerId, names: { hangul: '홍길동' } });
    const checked = await t.app.inject({ method: 'POST', url: '/api/cards/verify', payload: { token } });
    expect(checked.json()).toMatchObject({ valid: true });
    const [audit] = await t.db.query<{ actor_label: string }>(
      `SELECT actor_label FROM audit_events WHERE action = 'card.issue' AND target_id = $1`,
      [id],
    );
    expect(audit!.actor_label).toContain('worker@hanbit-energy.example');

    // The employer revokes it: the worker cannot replace it; the employer can.
    expect((await hr.post(`/api/cards/${id}/revoke`, { reason: 'left the project' })).statusCode).toBe(204);
    const refused = await worker.request('POST', '/api/workers/me/cards', {}, { 'accept-language': 'ko' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'presence.card_revoked' });
    expect(refused.json().messages.ko).toContain('인사 담당자');
    expect((await hr.post(`/api/workers/${workerId}/cards`)).statusCode).toBe(201);
    expect((await worker.post('/api/workers/me/cards')).statusCode).toBe(201);

    // Someone without a worker record of their own has no card to take.
    expect((await hr.post('/api/workers/me/cards')).statusCode).toBe(404);
  });
});
