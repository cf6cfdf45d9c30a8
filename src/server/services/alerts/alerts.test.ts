import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openTestApp, Session, testRules, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { outboxTransport } from '../../mail/mail.js';
import { ALERTS_DIGEST_QUEUE, ALERTS_SCAN_QUEUE, startAlertJobs } from '../../jobs/alerts-jobs.js';
import { scanAlerts, todayIn } from './alerts.js';
import { sendDigest } from './digest.js';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const today = () => todayIn('UTC');

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A site, a project and a worker of the signed-in firm, with a stay ending in 20 days. */
async function fixture(s: Session, code: string, hangul: string, passportExpiry: string) {
  const ok = async (res: Promise<{ statusCode: number; body: string }>, status = 201) => {
    const r = await res;
    expect(r.statusCode, r.body).toBe(status);
    return JSON.parse(r.body) as { id: string };
  };
  const worker = await ok(
    s.post('/api/workers', {
      familyName: code,
      givenName: 'TEST',
      nameHangul: hangul,
      birthDate: '1985-05-05',
      sex: 'M',
      nationality: 'KR',
      passportNumber: `${code.slice(0, 2)}${Math.floor(1_000_000 + Math.random() * 8_999_999)}`,
      passportExpiry,
      education: 'vocational',
      role: 'technician',
      employedSince: '2012-03-01',
    }),
  );
  const entry = await ok(
    s.post(`/api/workers/${worker.id}/entries`, {
      admittedOn: day(-10),
      classOfAdmission: 'B1',
      admitUntil: day(20),
      port: 'ATL',
    }),
  );
  return { workerId: worker.id, entryId: entry.id };
}

describe.each(testDatabaseKinds)('alerts on %s', (kind) => {
  let t: TestApp;
  let hanbit: Session;
  let daeho: Session;
  let a: { workerId: string; entryId: string };
  let b: { workerId: string; entryId: string };
  const outbox = mkdtempSync(join(tmpdir(), 'korus-outbox-'));

  beforeAll(async () => {
    t = await openTestApp(kind);
    hanbit = await Session.login(t.app, 'admin@hanbit-energy.example');
    daeho = await Session.login(t.app, 'admin@daeho-precision.example');
    a = await fixture(hanbit, 'ALERTA', '알림가', day(100));
    b = await fixture(daeho, 'BRAVOB', '브라보', day(1000));
    // The hanbit worker login is this worker.
    await t.db.query(
      `UPDATE workers SET user_id = (SELECT id FROM users WHERE email = 'worker@hanbit-energy.example') WHERE id = $1`,
      [a.workerId],
    );
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('stores each alert once per recipient, however often the scan runs', async () => {
    const first = await scanAlerts(t.db, { asOf: today() });
    expect(first.inserted).toBeGreaterThan(0);
    const again = await scanAlerts(t.db, { asOf: today() });
    expect(again).toMatchObject({ inserted: 0, alerts: first.alerts });
    const [{ n }] = (await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM notifications WHERE dedupe_key = $1`,
      [`admit_until:${a.entryId}:${day(20)}:30`],
    )) as [{ n: number }];
    // hanbit: admin, staff and the worker themselves.
    expect(n).toBe(3);
    const [audit] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'alerts.scan'`,
    );
    expect(audit!.n).toBeGreaterThanOrEqual(1);
  });

  it("shows a user only their own organization's alerts, newest first, in both languages", async () => {
    const mine = (await hanbit.get('/api/notifications')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.unread).toBe(mine.total);
    const kinds = mine.items.map((i: { kind: string }) => i.kind).sort();
    expect(kinds).toEqual(['admit_until', 'passport_expiry']);
    const stay = mine.items.find((i: { kind: string }) => i.kind === 'admit_until');
    expect(stay).toMatchObject({ workerId: a.workerId, subjectId: a.entryId, thresholdDays: 30 });
    expect(stay.message.ko).toContain('알림가');
    const body = JSON.stringify(mine);
    expect(body).not.toContain(b.workerId);
    expect(body).not.toContain('BRAVOB');
    const theirs = (await daeho.get('/api/notifications')).json();
    expect(theirs.items.map((i: { kind: string }) => i.kind)).toEqual(['admit_until']);
    expect(JSON.stringify(theirs)).not.toContain(a.workerId);
    const worker = await Session.login(t.app, 'worker@hanbit-energy.example');
    expect((await worker.get('/api/notifications')).json().total).toBe(2);
    const viewer = await Session.login(t.app, 'viewer@hanbit-energy.example');
    expect((await viewer.get('/api/notifications')).statusCode).toBe(403); // viewers receive no alerts
  });

  it('marks one read, refuses another user’s, and marks all read', async () => {
    const list = (await hanbit.get('/api/notifications?unread=true')).json();
    const first = list.items[0];
    const read = await hanbit.post(`/api/notifications/${first.id}/read`);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect((await hanbit.post(`/api/notifications/${first.id}/read`)).statusCode).toBe(200);
    expect((await daeho.post(`/api/notifications/${first.id}/read`)).statusCode).toBe(404);
    const after = (await hanbit.get('/api/notifications?unread=true')).json();
    expect(after.unread).toBe(list.unread - 1);
    expect(after.items.map((i: { id: string }) => i.id)).not.toContain(first.id);
    const all = (await hanbit.post('/api/notifications/read-all')).json();
    expect(all.updated).toBe(after.unread);
    expect((await hanbit.get('/api/notifications')).json().unread).toBe(0);
  });

  it('lets an administrator scan their own organization only', async () => {
    const res = await daeho.post('/api/alerts/scan', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ organizations: 1, inserted: 0, timeZone: 'UTC' });
    const staff = await Session.login(t.app, 'staff@hanbit-energy.example');
    expect((await staff.post('/api/alerts/scan', {})).statusCode).toBe(403);
  });

  it('e-mails each user one digest of the day, in their language, once', async () => {
    const transport = outboxTransport(outbox);
    const mail = {
      transport,
      from: 'KORUS Mobility <alerts@korus.example>',
      baseUrl: 'https://korus.example',
    };
    const [user] = await t.db.query<{ id: string }>(
      `UPDATE users SET locale = 'ko' WHERE email = 'staff@hanbit-energy.example' RETURNING id`,
    );
    expect(await sendDigest(t.db, mail, user!.id, today())).toBe('sent');
    expect(await sendDigest(t.db, mail, user!.id, today())).toBe('already_sent');
    expect(await sendDigest(t.db, mail, user!.id, day(-30))).toBe('nothing_new');
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(outbox, files[0]!), 'utf8');
    expect(raw).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    const subject = /^Subject: (.*(?:\r\n .*)*)/m
      .exec(raw)![1]!
      .split(/\r\n /)
      .map((w) => Buffer.from(/=\?UTF-8\?B\?(.*)\?=/.exec(w)![1]!, 'base64').toString('utf8'))
      .join('');
    expect(subject).toBe(`KORUS Mobility 알림 요약: 새 알림 2건 (${today()})`);
    const body = Buffer.from(raw.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8');
    expect(body).toContain('알림가');
    expect(body).toContain('https://korus.example/alerts');
    const [log] = await t.db.query<{ status: string; locale: string }>(
      `SELECT status, locale FROM email_log WHERE user_id = $1`,
      [user!.id],
    );
    expect(log).toEqual({ status: 'sent', locale: 'ko' });
  });

  it('runs the scan and the digests as pg-boss jobs', { timeout: 60_000 }, async () => {
    const bossSchema = t.db.schemaName ? `${t.db.schemaName}_boss` : 'pgboss';
    const outbox2 = mkdtempSync(join(tmpdir(), 'korus-outbox-'));
    const jobs = await startAlertJobs(t.db, {
      timeZone: 'UTC',
      schedule: {
        schema: bossSchema,
        pollingIntervalSeconds: 0.5,
        ...(kind === 'postgres' ? { connectionString: process.env.KORUS_TEST_DATABASE_URL } : {}),
      },
      mail: { transport: outboxTransport(outbox2), from: 'alerts@korus.example' },
    });
    try {
      // A week later the stay crosses its 14-day threshold: a new alert, so that day's digest has news.
      const asOf = day(7);
      const id = await jobs.sendScan(asOf);
      expect(id).toBeTruthy();
      expect(await jobs.sendScan(asOf)).toBeNull(); // the same day again: de-duplicated by pg-boss
      const job = await until('the scan job', async () => {
        const j = await jobs.boss.getJobById(ALERTS_SCAN_QUEUE, id!);
        return j?.state === 'completed' || j?.state === 'failed' ? j : undefined;
      });
      expect(job.state, JSON.stringify(job.output)).toBe('completed');
      expect(job.output).toMatchObject({ asOf });
      // One digest job per user who got something new that day, each completed.
      const digests = await until('the digest jobs', async () => {
        const rows = await t.db.query<{ state: string }>(
          `SELECT state FROM ${bossSchema}.job WHERE name = $1`,
          [ALERTS_DIGEST_QUEUE],
        );
        return rows.length > 0 && rows.every((r) => r.state === 'completed') ? rows.length : undefined;
      });
      const [sent] = await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM email_log WHERE digest_date = $1 AND status = 'sent'`,
        [asOf],
      );
      expect(sent!.n).toBe(digests);
      expect(readdirSync(outbox2)).toHaveLength(digests);
    } finally {
      await jobs.stop();
      if (kind === 'postgres') await t.db.exec(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
      rmSync(outbox2, { recursive: true, force: true });
    }
  });

  it('starts and stops the jobs with the app', { timeout: 60_000 }, async () => {
    const bossSchema = t.db.schemaName ? `${t.db.schemaName}_boss2` : 'pgboss_app';
    const app = await buildApp({
      db: t.db,
      rules: testRules(),
      logger: false,
      alerts: {
        timeZone: 'Asia/Seoul',
        schedule: {
          schema: bossSchema,
          cron: '0 6 * * *',
          ...(kind === 'postgres' ? { connectionString: process.env.KORUS_TEST_DATABASE_URL } : {}),
        },
      },
    });
    await app.ready();
    const jobs = app.alertJobs?.();
    expect(jobs).toBeDefined();
    const [schedule] = await t.db.query<{ cron: string; timezone: string }>(
      `SELECT cron, timezone FROM ${bossSchema}.schedule WHERE name = $1`,
      [ALERTS_SCAN_QUEUE],
    );
    expect(schedule).toEqual({ cron: '0 6 * * *', timezone: 'Asia/Seoul' });
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(app.alertJobs?.()).toBeUndefined();
    if (kind === 'postgres') await t.db.exec(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
  });
});
