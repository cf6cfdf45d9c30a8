import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.js';
import { openTestApp, Session, testRules, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { seedCommitment } from '../../../core/quota/index.js';
import { cliQuotaActor, parameterCatalogue, QuotaLedger } from '../../services/quota.js';
import { scheduleQuotaExpiry } from './expiry-schedule.js';

const fiscalYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
const SEED = 'a1'.repeat(32);
const OTHER_SEED = 'b2'.repeat(32);
const PASSPORTS = ['M12345678', 'M87654321', 'R11112222'];

describe.each(testDatabaseKinds)('quota lottery and expiry API on %s', (kind) => {
  let t: TestApp;
  let officer: Session;
  let officerKo: Session;
  let govAdmin: Session;
  let company: Session;
  let companyViewer: Session;
  let partner: Session;
  let hanbitId: string;
  let daehoId: string;
  const base = `/api/quota/H1B/${fiscalYear}/lottery`;
  const key = (k: string) => ({ 'idempotency-key': k });

  beforeAll(async () => {
    t = await openTestApp(kind);
    officer = await Session.login(t.app, 'officer@visa-desk.example');
    officerKo = await Session.login(t.app, 'officer@visa-desk.example', undefined, 'ko');
    govAdmin = await Session.login(t.app, 'admin@visa-desk.example');
    company = await Session.login(t.app, 'admin@hanbit-energy.example');
    companyViewer = await Session.login(t.app, 'viewer@hanbit-energy.example');
    partner = await Session.login(t.app, 'admin@daeho-precision.example');
    hanbitId = (await company.get('/api/me')).json().organization.id;
    daehoId = (await partner.get('/api/me')).json().organization.id;
  });
  afterAll(async () => t?.close());

  it('runs a lottery end to end over the API, refusing bad input bilingually', async () => {
    // Opening: officers only; a lottery program only; idempotent.
    const notOfficer = await company.request('POST', base, undefined, key('lottery-open-co'));
    expect(notOfficer.statusCode).toBe(403);
    const unknown = await officer.request(
      'POST',
      `/api/quota/E9/${fiscalYear}/lottery`,
      undefined,
      key('lottery-open-x'),
    );
    expect([unknown.statusCode, unknown.json().code]).toEqual([404, 'quota.unknown_program']);
    const notLottery = await officerKo.request(
      'POST',
      `/api/quota/E4/${fiscalYear}/lottery`,
      undefined,
      key('lottery-open-e4'),
    );
    expect([notLottery.statusCode, notLottery.json().code]).toEqual([400, 'lottery.not_lottery_program']);
    expect(notLottery.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(notLottery.json().messages).toEqual({ en: expect.any(String), ko: expect.any(String) });
    expect(notLottery.json().detail).toBe(notLottery.json().messages.ko);
    const noRound = await company.get(base);
    expect([noRound.statusCode, noRound.json().code]).toEqual([404, 'lottery.not_found']);

    const opened = await officer.request('POST', base, undefined, key('lottery-open-1'));
    expect(opened.statusCode, opened.body).toBe(201);
    expect(opened.json()).toMatchObject({
      program: 'H1B',
      fiscalYear,
      status: 'open',
      weighted: true,
      regularCap: 65000,
      advancedCap: 20000,
      registrations: 0,
      seed: null,
    });
    const openReplay = await officer.request('POST', base, undefined, key('lottery-open-1'));
    expect(openReplay.statusCode).toBe(201);
    expect(openReplay.headers['idempotent-replayed']).toBe('true');
    expect(openReplay.json()).toEqual(opened.json());
    const twice = await officer.request('POST', base, undefined, key('lottery-open-2'));
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'lottery.exists']);

    // Registrations: companies for themselves, officers on behalf of a named organization.
    const reg = {
      caseRef: 'H1B-HB-001',
      passportNumber: PASSPORTS[0],
      wageLevel: 3,
      advancedDegree: true,
    };
    const first = await company.request('POST', `${base}/registrations`, reg, key('lottery-reg-1'));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      caseRef: 'H1B-HB-001',
      organizationId: hanbitId,
      passportLast2: '78',
      wageLevel: 3,
      advancedDegree: true,
      selected: null,
    });
    const replay = await company.request('POST', `${base}/registrations`, reg, key('lottery-reg-1'));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    const reused = await company.request(
      'POST',
      `${base}/registrations`,
      { ...reg, passportNumber: PASSPORTS[1] },
      key('lottery-reg-1'),
    );
    expect([reused.statusCode, reused.json().code]).toEqual([409, 'idempotency.key_reused']);
    const malformed = await company.request('POST', `${base}/registrations`, reg, key('bad key'));
    expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'idempotency.key_invalid']);
    const missing = await company.request('POST', `${base}/registrations`, reg);
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'idempotency.key_required']);
    const duplicate = await company.request('POST', `${base}/registrations`, reg, key('lottery-reg-dup'));
    expect([duplicate.statusCode, duplicate.json().code]).toEqual([409, 'resource.conflict']);
    const forOther = await company.request(
      'POST',
      `${base}/registrations`,
      { ...reg, passportNumber: PASSPORTS[2], organizationId: daehoId },
      key('lottery-reg-other'),
    );
    expect(forOther.statusCode).toBe(403);
    const viewer = await companyViewer.request('POST', `${base}/registrations`, reg, key('lottery-reg-v'));
    expect(viewer.statusCode).toBe(403);
    const badWage = await company.request(
      'POST',
      `${base}/registrations`,
      { ...reg, wageLevel: 5 },
      key('lottery-reg-bad'),
    );
    expect([badWage.statusCode, badWage.json().code]).toEqual([400, 'request.invalid']);
    // The same person registered by a second employer: a second registration, one entry.
    const second = await partner.request(
      'POST',
      `${base}/registrations`,
      { ...reg, caseRef: 'H1B-DH-001', wageLevel: 2 },
      key('lottery-reg-2'),
    );
    expect(second.statusCode, second.body).toBe(201);
    const noOrg = await officer.request(
      'POST',
      `${base}/registrations`,
      { caseRef: 'H1B-GOV-1', passportNumber: PASSPORTS[1] },
      key('lottery-reg-gov-0'),
    );
    expect([noOrg.statusCode, noOrg.json().code]).toEqual([400, 'lottery.organization_required']);
    const onBehalf = await officer.request(
      'POST',
      `${base}/registrations`,
      { caseRef: 'H1B-DH-002', passportNumber: PASSPORTS[1], wageLevel: 1, organizationId: daehoId },
      key('lottery-reg-gov-1'),
    );
    expect(onBehalf.statusCode, onBehalf.body).toBe(201);
    expect(onBehalf.json().organizationId).toBe(daehoId);

    // Listing: a company sees its own; officers see all; passport numbers never appear.
    const own = await company.get(`${base}/registrations`);
    expect(own.json().total).toBe(1);
    expect(own.json().items.map((r: { caseRef: string }) => r.caseRef)).toEqual(['H1B-HB-001']);
    const all = await officer.get(`${base}/registrations?limit=2`);
    expect(all.json().total).toBe(3);
    expect(all.json().items).toHaveLength(2);
    for (const res of [first, replay, second, onBehalf, own, all]) {
      for (const passport of PASSPORTS) expect(res.body).not.toContain(passport);
    }
    const [stored] = await t.db.query<{ passport_enc: string }>(
      `SELECT passport_enc FROM quota_lottery_registrations WHERE case_ref = 'H1B-HB-001'`,
    );
    expect(stored!.passport_enc).not.toContain(PASSPORTS[0]);
    const status = (await company.get(base)).json();
    expect(status).toMatchObject({ registrations: 3, beneficiaries: 2, status: 'open' });

    // Verification before the draw is refused; commit needs a SHA-256.
    const early = await officer.get(`${base}/verify`);
    expect([early.statusCode, early.json().code]).toEqual([409, 'lottery.not_committed']);
    const badCommit = await officer.request(
      'POST',
      `${base}/commit`,
      { commitment: 'not-a-hash' },
      key('lottery-commit-bad'),
    );
    expect([badCommit.statusCode, badCommit.json().code]).toEqual([400, 'request.invalid']);
    const companyCommit = await company.request(
      'POST',
      `${base}/commit`,
      { commitment: seedCommitment(SEED) },
      key('lottery-commit-co'),
    );
    expect(companyCommit.statusCode).toBe(403);
    const committed = await officer.request(
      'POST',
      `${base}/commit`,
      { commitment: seedCommitment(SEED) },
      key('lottery-commit-1'),
    );
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json()).toMatchObject({
      status: 'committed',
      seedCommitment: seedCommitment(SEED),
      entryCount: 2,
      seed: null,
    });
    expect(committed.json().entriesDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(committed.body).not.toContain(SEED);

    // Registration after the commit is refused, and nothing is written.
    const late = await company.request(
      'POST',
      `${base}/registrations`,
      { ...reg, caseRef: 'H1B-HB-LATE', passportNumber: PASSPORTS[2] },
      key('lottery-reg-late'),
    );
    expect([late.statusCode, late.json().code]).toEqual([409, 'lottery.not_open']);
    expect((await officer.get(base)).json().registrations).toBe(3);

    // The draw: a wrong seed is refused; the committed one draws; a replay returns the first answer.
    const wrong = await officer.request('POST', `${base}/draw`, { seed: OTHER_SEED }, key('lottery-draw-0'));
    expect([wrong.statusCode, wrong.json().code]).toEqual([400, 'lottery.seed_mismatch']);
    expect((await officer.get(base)).json().status).toBe('committed');
    const drawn = await officer.request('POST', `${base}/draw`, { seed: SEED }, key('lottery-draw-1'));
    expect(drawn.statusCode, drawn.body).toBe(200);
    expect(drawn.json()).toMatchObject({ status: 'drawn', seed: SEED, selectedRegular: 2 });
    const drawReplay = await officer.request('POST', `${base}/draw`, { seed: SEED }, key('lottery-draw-1'));
    expect(drawReplay.headers['idempotent-replayed']).toBe('true');
    expect(drawReplay.json()).toEqual(drawn.json());
    const drawReused = await officer.request(
      'POST',
      `${base}/draw`,
      { seed: OTHER_SEED },
      key('lottery-draw-1'),
    );
    expect([drawReused.statusCode, drawReused.json().code]).toEqual([409, 'idempotency.key_reused']);
    const drawAgain = await officer.request('POST', `${base}/draw`, { seed: SEED }, key('lottery-draw-2'));
    expect([drawAgain.statusCode, drawAgain.json().code]).toEqual([409, 'lottery.not_committed']);
    expect((await company.get(`${base}/registrations`)).json().items[0].selected).toBe('regular');

    // Anyone entitled verifies; a changed selection is named.
    const verified = await company.get(`${base}/verify`);
    expect(verified.json()).toMatchObject({
      ok: true,
      commitmentMatches: true,
      entriesDigestMatches: true,
      differences: [],
      entries: 2,
      selected: { regular: 2, advanced: 0 },
    });
    await t.db.query(
      `UPDATE quota_lottery_registrations SET selected = NULL WHERE case_ref IN ('H1B-DH-002')`,
    );
    const tampered = (await officer.get(`${base}/verify`)).json();
    expect(tampered.ok).toBe(false);
    expect(tampered.differences).toEqual([
      { beneficiary: expect.stringMatching(/^[0-9a-f]{64}$/), expected: 'regular', recorded: 'not_selected' },
    ]);
  });

  it('expires old reservations on demand (government administrators; idempotent) and by the timer', async () => {
    const ledgerUrl = `/api/quota/E3/${fiscalYear}`;
    const reserve = async (caseRef: string) => {
      const res = await officer.request(
        'POST',
        `${ledgerUrl}/reservations`,
        { caseRef, organizationId: hanbitId },
        key(`expire-reserve-${caseRef}`),
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const old = await reserve('E3-OLD-1');
    const fresh = await reserve('E3-NEW-1');
    // 200 days ago (the ledger's own entries keep their times: the chain stays intact).
    await t.db.query(
      `UPDATE quota_reservations SET reserved_at = now() - interval '200 days', created_at = now() - interval '200 days'
       WHERE id = $1`,
      [old],
    );

    const staff = await officer.request('POST', '/api/quota/expire', {}, key('expire-run-0'));
    expect(staff.statusCode).toBe(403);
    const companyRun = await company.request('POST', '/api/quota/expire', {}, key('expire-run-0'));
    expect(companyRun.statusCode).toBe(403);
    const missing = await govAdmin.request('POST', '/api/quota/expire', {});
    expect([missing.statusCode, missing.json().code]).toEqual([400, 'idempotency.key_required']);
    const badDate = await govAdmin.request(
      'POST',
      '/api/quota/expire',
      { asOf: '2027-13-01' },
      key('x-run-1'),
    );
    expect([badDate.statusCode, badDate.json().code]).toEqual([400, 'request.invalid']);

    const run = await govAdmin.request('POST', '/api/quota/expire', {}, key('expire-run-1'));
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({
      days: 120,
      released: 1,
      items: [{ id: old, program: 'E3', caseRef: 'E3-OLD-1', organizationId: hanbitId, promoted: null }],
    });
    const replay = await govAdmin.request('POST', '/api/quota/expire', {}, key('expire-run-1'));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(run.json());
    const reused = await govAdmin.request(
      'POST',
      '/api/quota/expire',
      { asOf: '2026-01-01' },
      key('expire-run-1'),
    );
    expect([reused.statusCode, reused.json().code]).toEqual([409, 'idempotency.key_reused']);
    const again = await govAdmin.request('POST', '/api/quota/expire', {}, key('expire-run-2'));
    expect(again.json()).toMatchObject({ released: 0, items: [] });

    const oldNow = (await officer.get(`/api/quota/reservations/${old}`)).json();
    expect(oldNow).toMatchObject({ status: 'released', releaseReason: 'expired after 120 days' });
    expect((await officer.get(`/api/quota/reservations/${fresh}`)).json().status).toBe('reserved');
    expect((await officer.get(`${ledgerUrl}`)).json()).toMatchObject({ reserved: 1, released: 1 });
    expect((await officer.get(`${ledgerUrl}/verify`)).json().ok).toBe(true);

    // Two runners at once (two servers on one database): each old reservation is released exactly once.
    const a = await reserve('E3-OLD-2');
    const b = await reserve('E3-OLD-3');
    await t.db.query(
      `UPDATE quota_reservations SET reserved_at = now() - interval '130 days' WHERE id = ANY($1::uuid[])`,
      [[a, b]],
    );
    const catalogue = parameterCatalogue(testRules().parameters);
    const [one, two] = await Promise.all([
      new QuotaLedger(t.db, { catalogue }).expireReservations(cliQuotaActor('server one')),
      new QuotaLedger(t.db, { catalogue }).expireReservations(cliQuotaActor('server two')),
    ]);
    expect(one.released + two.released).toBe(2);
    expect([...one.items, ...two.items].map((i) => i.id).sort()).toEqual([a, b].sort());
    expect((await officer.get(`${ledgerUrl}`)).json()).toMatchObject({ reserved: 1, released: 3 });

    // The server's timer: runs shortly after start, then every interval; stops when the app closes.
    const c = await reserve('E3-OLD-4');
    await t.db.query(
      `UPDATE quota_reservations SET reserved_at = now() - interval '121 days' WHERE id = $1`,
      [c],
    );
    const host = Fastify({ logger: false }) as unknown as App;
    const ledger = new QuotaLedger(t.db, { catalogue });
    scheduleQuotaExpiry(host, () => ledger, 3600, 10);
    await host.ready();
    let status = '';
    for (let i = 0; i < 200 && status !== 'released'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      const [row] = await t.db.query<{ status: string }>(
        'SELECT status FROM quota_reservations WHERE id = $1',
        [c],
      );
      status = row!.status;
    }
    await host.close();
    expect(status).toBe('released');
    expect((await officer.get(`${ledgerUrl}/verify`)).json().ok).toBe(true);
    const events = await t.db.query<{ actor_label: string }>(
      `SELECT actor_label FROM audit_events WHERE action = 'quota.expire' ORDER BY seq`,
    );
    expect(events.map((e) => e.actor_label)).toContain('system:quota-expiry');
  });

  it('does not start the timer when the interval is 0', () => {
    const host = Fastify({ logger: false }) as unknown as App;
    let hooks = 0;
    const counting = new Proxy(host, {
      get(target, prop, receiver) {
        if (prop === 'addHook') return () => hooks++;
        return Reflect.get(target, prop, receiver);
      },
    });
    scheduleQuotaExpiry(counting, () => new QuotaLedger(t.db), 0);
    expect(hooks).toBe(0);
    scheduleQuotaExpiry(counting, () => new QuotaLedger(t.db), 60);
    expect(hooks).toBe(2);
  });
});
