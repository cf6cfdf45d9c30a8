import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openTestApp, Session, testRules, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { outboxTransport, smtpTransport, type MailTransport } from '../../mail/mail.js';
import { closedPort, startSmtpServer, type TestSmtpServer } from '../../testing/smtp-server.js';
import { ALERTS_DIGEST_QUEUE, ALERTS_SCAN_QUEUE, startAlertJobs } from '../../jobs/alerts-jobs.js';
import { scanAlerts, todayIn } from './alerts.js';
import { DIGEST_LEASE_MS, sendDigest, unsentDigests } from './digest.js';

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
      await t.db.exec(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
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
        },
      },
    });
    await app.ready();
    const jobs = await app.alertJobsStarted?.();
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
    await t.db.exec(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
  });
  describe('the digest over SMTP (a real SMTP server on 127.0.0.1)', () => {
    let smtp: TestSmtpServer;
    beforeAll(async () => {
      smtp = await startSmtpServer();
    });
    afterAll(async () => {
      await smtp?.close();
    });
    const from = '코러스 알림 <alerts@korus.example>';
    const userOf = async (email: string, locale: 'en' | 'ko' | null) => {
      const [user] = await t.db.query<{ id: string; email: string; display_name: string }>(
        `UPDATE users SET locale = $2 WHERE email = $1 RETURNING id, email, display_name`,
        [email, locale],
      );
      const [{ n }] = (await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND as_of = $2`,
        [user!.id, today()],
      )) as [{ n: number }];
      expect(n).toBeGreaterThan(0);
      return { ...user!, notifications: n };
    };
    const logOf = async (userId: string) => {
      const [log] = await t.db.query<{
        status: string;
        error: string | null;
        transport: string;
        message_id: string | null;
        sent_at: Date | null;
        attempts: number;
        claimed_at: Date;
      }>(
        `SELECT status, error, transport, message_id, sent_at, attempts, claimed_at FROM email_log
          WHERE user_id = $1 AND kind = 'digest' AND digest_date = $2`,
        [userId, today()],
      );
      return log;
    };
    const receivedBy = (address: string) => smtp.received.filter((m) => m.envelope.to.includes(address));

    it('sends a Korean user their digest in Korean, MIME-encoded UTF-8, and marks it sent', async () => {
      const user = await userOf('admin@hanbit-energy.example', 'ko');
      const transport = await smtpTransport(smtp.url);
      try {
        const mail = { transport, from, baseUrl: 'https://korus.example' };
        expect(await sendDigest(t.db, mail, user.id, today())).toBe('sent');
        expect(await sendDigest(t.db, mail, user.id, today())).toBe('already_sent');
      } finally {
        await transport.close?.();
      }
      const received = receivedBy(user.email);
      expect(received).toHaveLength(1);
      const { envelope, parsed, raw } = received[0]!;
      expect(envelope).toEqual({ from: 'alerts@korus.example', to: [user.email] });
      expect(parsed.to).toMatchObject({ value: [{ address: user.email }] });
      expect(parsed.from?.value).toEqual([{ name: '코러스 알림', address: 'alerts@korus.example' }]);
      expect(parsed.subject).toBe(`KORUS Mobility 알림 요약: 새 알림 ${user.notifications}건 (${today()})`);
      const text = parsed.text!.replace(/\r\n/g, '\n');
      expect(text).toContain(`${user.display_name}님,`);
      expect(text).toContain(`${today()} 기준 새 알림 ${user.notifications}건입니다.`);
      expect(text).toContain('알림가'); // the worker's name in Hangul, from the alert's Korean message
      expect(text).toMatch(/^- \[(긴급|주의|참고)\] /m);
      expect(text).toContain('알림 센터: https://korus.example/alerts');
      expect(text).not.toContain('Hello');
      expect(raw.toString('latin1')).not.toMatch(/[^\x00-\x7f]/); // 7-bit on the wire
      const log = await logOf(user.id);
      expect(log).toMatchObject({
        status: 'sent',
        error: null,
        transport: 'smtp',
        message_id: parsed.messageId,
        attempts: 1,
      });
      expect(log!.sent_at).not.toBeNull();
      const audits = await t.db.query<{ details: { transport: string; locale: string } }>(
        `SELECT details FROM audit_events
          WHERE action = 'email.digest' AND target_id = $1 AND details->>'date' = $2`,
        [user.id, today()],
      );
      expect(audits.map((a) => a.details)).toMatchObject([{ transport: 'smtp', locale: 'ko' }]);
    });

    it('leaves a refused digest unsent with the reason, and sends it on the next run', async () => {
      const user = await userOf('admin@daeho-precision.example', null); // no locale: English
      const transport = await smtpTransport(smtp.url);
      const mail = { transport, from };
      try {
        smtp.reply = { at: 'rcpt', code: 550, message: 'Mailbox unavailable' };
        await expect(sendDigest(t.db, mail, user.id, today())).rejects.toThrow(/550/);
        expect(await logOf(user.id)).toMatchObject({ status: 'failed', sent_at: null, attempts: 1 });
        expect((await logOf(user.id))!.error).toMatch(/550.*Mailbox unavailable/);

        smtp.reply = { at: 'data', code: 451, message: 'Local error, try again later' };
        await expect(sendDigest(t.db, mail, user.id, today())).rejects.toThrow(/451/);
        expect(await logOf(user.id)).toMatchObject({ status: 'failed', sent_at: null, attempts: 2 });
        expect((await logOf(user.id))!.error).toMatch(/451.*try again later/);

        const down = await smtpTransport(`smtp://127.0.0.1:${await closedPort()}`);
        await expect(sendDigest(t.db, { transport: down, from }, user.id, today())).rejects.toThrow(
          /ECONNREFUSED/,
        );
        await down.close?.();
        expect(await logOf(user.id)).toMatchObject({ status: 'failed', sent_at: null, attempts: 3 });
        expect((await logOf(user.id))!.error).toMatch(/ECONNREFUSED/);
        expect(receivedBy(user.email)).toHaveLength(0);
        // The daily run picks it up again.
        expect(await unsentDigests(t.db, today())).toContainEqual({ userId: user.id, date: today() });

        smtp.reply = { accept: true };
        expect(await sendDigest(t.db, mail, user.id, today())).toBe('sent');
        expect(await sendDigest(t.db, mail, user.id, today())).toBe('already_sent');
      } finally {
        smtp.reply = { accept: true };
        await transport.close?.();
      }
      expect(await logOf(user.id)).toMatchObject({ status: 'sent', error: null, attempts: 4 });
      expect(await unsentDigests(t.db, today())).not.toContainEqual({ userId: user.id, date: today() });
      const received = receivedBy(user.email);
      expect(received).toHaveLength(1);
      expect(received[0]!.parsed.subject).toBe(
        `KORUS Mobility digest: ${user.notifications} new alert${user.notifications === 1 ? '' : 's'} (${today()})`,
      );
      expect(received[0]!.parsed.text).toContain('Hello ');
    });

    it('sends again a digest whose run died after claiming it, once its lease has lapsed, exactly once', async () => {
      const user = await userOf('worker@hanbit-energy.example', 'ko');
      const t0 = new Date('2031-03-01T06:00:00.000Z');
      const at = (ms: number) => () => new Date(t0.getTime() + ms);
      // The run that dies: it claims the digest, then never gets to send it (the process is gone).
      const dying: MailTransport = { kind: 'smtp', send: () => new Promise(() => undefined) };
      void sendDigest(t.db, { transport: dying, from }, user.id, today(), { now: at(0) });
      const claim = await until('the claim', async () => {
        const log = await logOf(user.id);
        return log?.status === 'pending' ? log : undefined;
      });
      expect(claim).toMatchObject({ attempts: 1, sent_at: null });
      expect(new Date(claim.claimed_at).toISOString()).toBe(t0.toISOString());

      const transport = await smtpTransport(smtp.url);
      const mail = { transport, from };
      try {
        // While the lease holds, no other run sends it (nor does the daily run list it).
        const early = at(DIGEST_LEASE_MS - 1_000);
        expect(await sendDigest(t.db, mail, user.id, today(), { now: early })).toBe('in_progress');
        expect(await unsentDigests(t.db, today(), { now: early })).not.toContainEqual({
          userId: user.id,
          date: today(),
        });
        expect(receivedBy(user.email)).toHaveLength(0);
        expect(await logOf(user.id)).toMatchObject({ status: 'pending', attempts: 1 });

        // Past the lease: the next run claims it again and sends it.
        const late = at(DIGEST_LEASE_MS + 1_000);
        expect(await unsentDigests(t.db, today(), { now: late })).toContainEqual({
          userId: user.id,
          date: today(),
        });
        expect(await sendDigest(t.db, mail, user.id, today(), { now: late })).toBe('sent');
        expect(await sendDigest(t.db, mail, user.id, today(), { now: at(3 * DIGEST_LEASE_MS) })).toBe(
          'already_sent',
        );
      } finally {
        await transport.close?.();
      }
      const received = receivedBy(user.email);
      expect(received).toHaveLength(1);
      expect(received[0]!.parsed.subject).toBe(
        `KORUS Mobility 알림 요약: 새 알림 ${user.notifications}건 (${today()})`,
      );
      const log = await logOf(user.id);
      expect(log).toMatchObject({ status: 'sent', attempts: 2, message_id: received[0]!.parsed.messageId });
      expect(new Date(log!.claimed_at).toISOString()).toBe(
        new Date(t0.getTime() + DIGEST_LEASE_MS + 1_000).toISOString(),
      );
      const audits = await t.db.query<{ details: { attempt: number } }>(
        `SELECT details FROM audit_events
          WHERE action = 'email.digest' AND target_id = $1 AND details->>'date' = $2`,
        [user.id, today()],
      );
      expect(audits.map((a) => a.details.attempt)).toEqual([2]);
    });
    it(
      'queues again, from the daily run, a digest of an earlier day that was never sent',
      { timeout: 60_000 },
      async () => {
        const user = await userOf('staff@daeho-precision.example', 'ko');
        const yesterday = day(-1);
        // Yesterday's scan raised something for this user (a copy of one of today's alerts)…
        await t.db.query(
          `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, worker_id,
           case_id, due_on, threshold_days, dedupe_key, message, verify, as_of)
         SELECT organization_id, user_id, kind, severity, subject_type, subject_id, worker_id, case_id, due_on,
                threshold_days, dedupe_key || ':yesterday', message, verify, $2
           FROM notifications WHERE user_id = $1 AND as_of = $3 ORDER BY id LIMIT 1`,
          [user.id, yesterday, today()],
        );
        // …and its digest was refused, and pg-boss's retries of that job are long over.
        const refusing = await smtpTransport(smtp.url);
        smtp.reply = { at: 'rcpt', code: 554, message: 'Transaction failed' };
        try {
          await expect(sendDigest(t.db, { transport: refusing, from }, user.id, yesterday)).rejects.toThrow(
            /554/,
          );
        } finally {
          smtp.reply = { accept: true };
          await refusing.close?.();
        }
        const bossSchema = t.db.schemaName ? `${t.db.schemaName}_boss3` : 'pgboss_retry';
        const jobs = await startAlertJobs(t.db, {
          timeZone: 'UTC',
          schedule: {
            schema: bossSchema,
            pollingIntervalSeconds: 0.5,
          },
          mail: { transport: await smtpTransport(smtp.url), from },
        });
        try {
          const id = await jobs.sendScan(today());
          const job = await until('the scan job', async () => {
            const j = await jobs.boss.getJobById(ALERTS_SCAN_QUEUE, id!);
            return j?.state === 'completed' || j?.state === 'failed' ? j : undefined;
          });
          expect(job.state, JSON.stringify(job.output)).toBe('completed');
          expect(job.output).toMatchObject({ asOf: today(), digestsRetried: 1 });
          await until('yesterday’s digest', async () => {
            const [log] = await t.db.query<{ status: string }>(
              `SELECT status FROM email_log WHERE user_id = $1 AND digest_date = $2`,
              [user.id, yesterday],
            );
            return log?.status === 'sent' ? log : undefined;
          });
        } finally {
          await jobs.stop();
          await t.db.exec(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`);
        }
        const late = receivedBy(user.email).filter((m) => m.parsed.subject?.includes(`(${yesterday})`));
        expect(late).toHaveLength(1);
        expect(late[0]!.parsed.subject).toBe(`KORUS Mobility 알림 요약: 새 알림 1건 (${yesterday})`);
        expect(await unsentDigests(t.db, today())).toEqual([]);
      },
    );
  });
});
