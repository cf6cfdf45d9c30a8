import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, type TestApp } from '../../testing/app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { deliverDue, RETRY_MINUTES } from '../../services/webhooks/dispatch.js';

/**
 * Webhooks (issue 18, item 5) against a real receiving HTTP server: events of the organization's changes are
 * delivered signed (HMAC-SHA-256 over "<t>.<body>", checked here as a receiver would), a failing receiver is
 * retried with backoff until it answers, every attempt is in the delivery log, endpoints on private networks are
 * refused unless allowed, and only the organization's administrators manage them. The catalogue is in OpenAPI.
 */
interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

class Receiver {
  server: Server;
  received: Received[] = [];
  /** Status codes to answer, in order; then 200. */
  answers: number[] = [];
  constructor() {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body });
        res.statusCode = this.answers.shift() ?? 200;
        res.end('ok');
      });
    });
  }
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/korus`;
  }
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function verify(secret: string, r: Received): boolean {
  const header = String(r.headers['korus-signature']);
  const t = /t=(\d+)/.exec(header)?.[1];
  const v1 = /v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!t || !v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${r.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

describe.each(testDatabaseKinds)('webhooks on %s', (kind) => {
  let t: TestApp;
  const receiver = new Receiver();
  let url: string;
  beforeAll(async () => {
    url = await receiver.start();
    t = await openTestApp(kind, { pipeline: true, webhooks: { allowPrivate: true } });
  }, 180_000);
  afterAll(async () => {
    await t?.close();
    await receiver.stop();
  });

  it('delivers signed events to a real receiver, retries with backoff, and logs every attempt', async () => {
    const hr = await Session.login(t.app, 'admin@hanbit-energy.example');
    const made = await hr.post('/api/webhooks', { url, description: 'HR system', eventTypes: ['case.stage_changed', 'webhook.ping'] }); // prettier-ignore
    expect(made.statusCode, made.body).toBe(201);
    const endpoint = made.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    // The secret is shown once, and kept encrypted.
    expect((await hr.get('/api/webhooks')).json()[0].secret).toBeUndefined();
    const [row] = await t.db.query<{ secret_enc: string }>('SELECT secret_enc FROM webhook_endpoints WHERE id = $1', [endpoint.id]); // prettier-ignore
    expect(row!.secret_enc).not.toContain(endpoint.secret.slice(6, 20));

    // A test ping, delivered and verified as the receiver would.
    expect((await hr.post(`/api/webhooks/${endpoint.id}/ping`, {})).statusCode).toBe(202);
    expect(await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true })).toBe(1);
    const ping = receiver.received.at(-1)!;
    expect(ping.headers['korus-event']).toBe('webhook.ping');
    expect(verify(endpoint.secret, ping)).toBe(true);
    expect(verify('whsec_wrong', ping)).toBe(false);
    expect(JSON.parse(ping.body)).toMatchObject({ type: 'webhook.ping', data: { endpointId: endpoint.id } });

    // A case moves: the receiver fails twice (500, then 503), is retried after 1 and 5 minutes, then takes it.
    const [open] = await t.db.query<{ id: string }>(
      `SELECT c.id FROM cases c JOIN organizations o ON o.id = c.organization_id
        WHERE o.name LIKE 'Hanbit%' AND c.status = 'open' ORDER BY c.opened_at LIMIT 1`,
    );
    const detail = (await hr.get(`/api/cases/${open!.id}`)).json();
    const move = detail.allowedTransitions.find((m: { kind: string; needsOverride: boolean }) => m.kind === 'forward' && !m.needsOverride); // prettier-ignore
    receiver.answers = [500, 503];
    const moved = await hr.post(`/api/cases/${open!.id}/transitions`, { to: move.to });
    expect(moved.statusCode, moved.body).toBe(200);
    const start = Date.now();
    const at = (minutes: number) => () => new Date(start + minutes * 60_000 + 1000);
    expect(await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true, now: at(0) })).toBe(1);
    // Not due again before its backoff.
    expect(await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true, now: at(0.5) })).toBe(0);
    expect(
      await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true, now: at(RETRY_MINUTES[0]) }),
    ).toBe(1);
    expect(await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true, now: at(RETRY_MINUTES[0] + RETRY_MINUTES[1]) })).toBe(1); // prettier-ignore
    const moves = receiver.received.filter((r) => r.headers['korus-event'] === 'case.stage_changed');
    expect(moves).toHaveLength(3);
    // The same delivery id on every retry, so a receiver can deduplicate.
    expect(new Set(moves.map((r) => r.headers['korus-delivery'])).size).toBe(1);
    expect(JSON.parse(moves[2]!.body).data).toMatchObject({
      caseId: open!.id,
      from: detail.stage,
      to: move.to,
    });
    const log = (await hr.get(`/api/webhooks/${endpoint.id}/deliveries`)).json();
    const delivery = log.find((d: { type: string }) => d.type === 'case.stage_changed');
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 503, 200]);

    // Events it does not take are not queued; a paused endpoint gets nothing.
    expect((await hr.patch(`/api/webhooks/${endpoint.id}`, { active: false })).json().active).toBe(false);
    expect((await hr.post(`/api/webhooks/${endpoint.id}/ping`, {})).statusCode).toBe(409);
    // A delivery sent again goes out once more.
    await hr.patch(`/api/webhooks/${endpoint.id}`, { active: true });
    expect((await hr.post(`/api/webhooks/${endpoint.id}/deliveries/${delivery.id}/redeliver`, {})).statusCode).toBe(202); // prettier-ignore
    expect(await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true })).toBe(1);
    // A rotated secret signs what follows.
    const rotated = (await hr.patch(`/api/webhooks/${endpoint.id}`, { rotateSecret: true })).json();
    await hr.post(`/api/webhooks/${endpoint.id}/ping`, {});
    await deliverDue({ db: t.db, cipher: t.cipher, allowPrivate: true });
    expect(verify(rotated.secret, receiver.received.at(-1)!)).toBe(true);
    const [audits] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE target_id = $1 AND action LIKE 'webhook.%'`,
      [endpoint.id],
    );
    expect(audits!.n).toBeGreaterThanOrEqual(7);
  });

  it('gives up after the last retry, and refuses private addresses unless allowed', async () => {
    const hr = await Session.login(t.app, 'admin@daeho-precision.example');
    const endpoint = (await hr.post('/api/webhooks', { url, eventTypes: ['webhook.ping'] })).json();
    await hr.post(`/api/webhooks/${endpoint.id}/ping`, {});
    // Without the allowance, a loopback address is refused (never requested) and retried like any failure.
    const before = receiver.received.length;
    let clock = Date.now();
    await deliverDue({ db: t.db, cipher: t.cipher, now: () => new Date(clock) });
    expect(receiver.received.length).toBe(before);
    let log = (await hr.get(`/api/webhooks/${endpoint.id}/deliveries`)).json();
    expect(log[0].lastError).toMatch(/private or loopback/);
    for (const minutes of RETRY_MINUTES) {
      clock += minutes * 60_000 + 1000;
      await deliverDue({ db: t.db, cipher: t.cipher, now: () => new Date(clock) });
    }
    log = (await hr.get(`/api/webhooks/${endpoint.id}/deliveries`)).json();
    expect(log[0]).toMatchObject({
      status: 'failed',
      attempts: RETRY_MINUTES.length + 1,
      nextAttemptAt: null,
    });
  });

  it('is for the organization’s administrators only, and the catalogue is in OpenAPI', async () => {
    const partner = await Session.login(t.app, 'admin@daeho-precision.example');
    const investor = await Session.login(t.app, 'admin@hanbit-energy.example');
    const theirs = (await investor.get('/api/webhooks')).json()[0];
    expect((await partner.get(`/api/webhooks/${theirs.id}/deliveries`)).statusCode).toBe(404);
    expect((await partner.patch(`/api/webhooks/${theirs.id}`, { active: false })).statusCode).toBe(404);
    const officer = await Session.login(t.app, 'officer@visa-desk.example');
    expect((await officer.get('/api/webhooks')).statusCode).toBe(403);
    const bad = await investor.post('/api/webhooks', { url: 'ftp://example.com/x', eventTypes: ['nope'] });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['eventTypes[0]', 'url']);
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(spec.webhooks)).toEqual(expect.arrayContaining(['case.stage_changed', 'case.uscis_status', 'entry.recorded', 'alert.raised'])); // prettier-ignore
    expect(spec.webhooks['case.uscis_status'].post.requestBody.content['application/json'].schema.properties.data.properties).toHaveProperty('responseDue'); // prettier-ignore
  });
});
