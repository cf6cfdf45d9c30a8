import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, Session, bearer, type TestApp } from '../testing/app.js';
import { testDatabaseKinds } from '../testing/databases.js';
import { insertToken } from '../services/tokens.js';
import { recordAudit, verifyAuditChain, type AuditContext } from '../audit/audit.js';
import { screenText, textProblem } from '../../contract/text.js';
import { concretePath, idsForPaths, sampleFromSchema, type JsonSchema } from './fuzz.js';

/**
 * Hostile text (issue 14, findings 1 and 3): NUL, lone surrogates and control characters are refused at the
 * contract with the field's path in both languages, never a 500; what is stored is what the audit log hashed,
 * so `korus audit verify` stays intact whatever anyone sends.
 */
const LONE = 'x\ud800y';
const hostile: Record<string, (max?: number) => string> = {
  nul: () => 'a\u0000b',
  lone_high: () => LONE,
  lone_low: () => '\udc00z',
  control: () => 'bell\u0007',
  escape: () => 'ansi\u001b[31m',
  huge: () => '가'.repeat(200_000),
  rtl_override: () => 'abc\u202edcba',
  zero_width: () => 'a\u200bb\ufeff',
  emoji_zwj: () => '👩‍👩‍👧‍👦🇰🇷',
  combining: () => 'e\u0301\u0308한\u1100\u1161',
  sql: () => "x'); DROP TABLE workers; --",
  html: () => '<script>alert(1)</script>',
  json_like: () => '{"$gt": ""}',
  newline: () => 'line\nbreak\r\n',
};

const ctx: AuditContext = { actorUserId: null, actorLabel: 'fuzz', organizationId: null, requestId: null };

describe('the text screen', () => {
  it('refuses NUL, lone surrogates and control characters with their paths; keeps the rest, in NFC', () => {
    expect(textProblem('a\u0000')).toBe('nul');
    expect(textProblem(LONE)).toBe('lone_surrogate');
    expect(textProblem('\udc00')).toBe('lone_surrogate');
    expect(textProblem('ok 😀 한국어')).toBeUndefined();
    expect(textProblem('tab\tnew\nline\r')).toBeUndefined();
    expect(textProblem('\u0085')).toBe('control');
    const screened = screenText({ a: [{ b: 'x\u0000' }], ['k\ud800']: 'v', c: 'e\u0301' });
    expect(screened.issues).toEqual([
      { path: ['a', 0, 'b'], problem: 'nul' },
      { path: ['k\ud800'], problem: 'lone_surrogate' },
    ]);
    expect((screened.value as { c: string }).c).toBe('\u00e9');
  });
});

describe.each(testDatabaseKinds)('hostile text on %s', (kind) => {
  let t: TestApp;
  let admin: Session;
  beforeAll(async () => {
    t = await openTestApp(kind, { pipeline: true });
    admin = await Session.login(t.app, 'admin@hanbit-energy.example');
  });
  afterAll(() => t?.close());

  it('a login with a lone surrogate is a 400 naming the field, and leaves the audit chain intact', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-language': 'ko', 'content-type': 'application/json' },
      // Written as JSON escapes, as an attacker would send them.
      payload: '{"email":"x\\ud800@x.example","password":"xxxxxxxxxxxx"}',
    });
    expect(res.statusCode).toBe(400);
    const problem = res.json() as {
      errors: { path: string; message: string; messages: { en: string; ko: string } }[];
    };
    expect(problem.errors[0]).toMatchObject({ path: 'email' });
    expect(problem.errors[0]!.messages.en).toMatch(/unpaired UTF-16 surrogate/);
    expect(problem.errors[0]!.message).toMatch(/서러게이트/);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('refuses NUL and lone surrogates in every field the review found (13), naming each, changing nothing', async () => {
    const ids = await idsForPaths(t.db);
    const cases: [string, string, (v: string) => unknown, string][] = [
      ['POST', '/api/tokens', (v) => ({ name: v }), 'name'],
      ['POST', '/api/sites', (v) => site({ name: v }), 'name'],
      ['POST', '/api/sites', (v) => site({ address: v }), 'address'],
      ['POST', '/api/sites', (v) => site({ city: v }), 'city'],
      [
        'POST',
        '/api/projects',
        (v) => ({ siteId: ids.sites, name: v, code: 'FUZZ-1', sector: 'battery' }),
        'name',
      ],
      [
        'POST',
        '/api/users',
        (v) => ({
          email: 'fuzz@hanbit-energy.example',
          displayName: v,
          role: 'viewer',
          password: 'a-strong-passphrase-2026',
        }),
        'displayName',
      ],
      [
        'PUT',
        `/api/organizations/${ids.organizations}/contacts`,
        (v) => ({ items: [{ kind: 'counsel', name: v }] }),
        'items[0].name',
      ],
      ['PATCH', `/api/workers/${ids.workers}`, (v) => ({ phone: v }), 'phone'],
      [
        'POST',
        `/api/cards/${ids.cards || '00000000-0000-4000-8000-000000000009'}/revoke`,
        (v) => ({ reason: v }),
        'reason',
      ],
    ];
    const before = await t.db.query('SELECT count(*)::int AS n FROM audit_events');
    for (const [method, url, body, path] of cases) {
      for (const value of ['a\u0000b', LONE]) {
        const res = await admin.request(method, url, body(value));
        expect(res.statusCode, `${method} ${url} ${path}`).toBe(400);
        const errors = (res.json() as { errors: { path: string; messages: { ko: string } }[] }).errors;
        expect(
          errors.map((e) => e.path),
          `${method} ${url}`,
        ).toContain(path);
        expect(errors.every((e) => e.messages.ko.length > 0)).toBe(true);
      }
    }
    expect(await t.db.query('SELECT count(*)::int AS n FROM audit_events')).toEqual(before);
  });

  it('fuzzes every JSON route with hostile and random Unicode text: no 5xx, and the audit chain verifies', async () => {
    // A platform administrator and the investor's administrator, by API token (no CSRF to carry).
    const tokens: string[] = [];
    for (const email of ['platform@korus.example', 'admin@hanbit-energy.example']) {
      const [user] = await t.db.query<{ id: string; organization_id: string | null }>(
        'SELECT id::text, organization_id::text FROM users WHERE email = $1',
        [email],
      );
      const created = await t.db.transaction((tx) =>
        insertToken(tx, ctx, { id: user!.id, organizationId: user!.organization_id }, `fuzz ${email}`),
      );
      tokens.push(created.token);
    }
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema: JsonSchema }> } }>
      >;
      components?: { schemas?: Record<string, JsonSchema> };
    };
    const ids = await idsForPaths(t.db);
    const fy = new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
    const randomTexts = fc.sample(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), {
      numRuns: 6,
      seed: 42,
    });
    const failures: string[] = [];
    let sent = 0;
    const statuses: Record<number, number> = {};
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (path === '/api/auth/logout') continue;
      for (const [method, operation] of Object.entries(methods)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        if (!schema) continue;
        const url = concretePath(path, ids, fy);
        const runs: { label: string; everyString: boolean; text: (max?: number) => string }[] = [
          ...Object.entries(hostile).map(([label, text]) => ({ label, everyString: true, text })),
          ...randomTexts.map((r, i) => ({
            label: `random ${i}`,
            everyString: false,
            text: (max?: number) => (max ? r.slice(0, max) : r),
          })),
        ];
        for (const run of runs) {
          const body = sampleFromSchema(schema, {
            text: run.text,
            everyString: run.everyString,
            ids: {
              ...ids,
              siteId: ids.sites!,
              projectId: ids.projects!,
              workerId: ids.workers!,
              caseId: ids.cases!,
            },
            ...(doc.components?.schemas ? { components: doc.components.schemas } : {}),
          });
          for (const token of tokens) {
            const res = await bearer(t.app, token, method.toUpperCase(), url, body);
            sent++;
            statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
            if (res.statusCode >= 500)
              failures.push(
                `${method.toUpperCase()} ${url} [${run.label}]: ${res.statusCode} ${res.body.slice(0, 160)}`,
              );
          }
        }
      }
    }
    expect(failures, failures.slice(0, 15).join('\n')).toEqual([]);
    expect(sent).toBeGreaterThan(500);
    // The random runs reach the services: some writes succeed (and are audited).
    expect(
      Object.entries(statuses)
        .filter(([s]) => Number(s) < 300)
        .reduce((a, [, n]) => a + n, 0),
    ).toBeGreaterThan(20);
    console.info(`fuzz (${kind}): ${sent} requests, by status ${JSON.stringify(statuses)}`);
    const verification = await verifyAuditChain(t.db);
    expect(verification.breaks).toEqual([]);
    expect(verification.ok).toBe(true);
  });

  it('hashes what it stores: random Unicode, lone surrogates and NUL included, always verifies', async () => {
    const anyText = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 30,
    });
    await fc.assert(
      fc.asyncProperty(anyText, anyText, anyText, async (label, target, detail) => {
        await t.db.transaction((tx) =>
          recordAudit(
            tx,
            { ...ctx, actorLabel: label },
            {
              action: 'site.create',
              targetType: target,
              targetId: target,
              after: { name: detail },
              details: { [detail]: detail, note: label },
            },
          ),
        );
      }),
      { numRuns: 60, seed: 7 },
    );
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });
});

function site(overrides: Record<string, string>) {
  return {
    name: 'Fuzz Plant (fictional)',
    sector: 'battery',
    address: '1 Test Road',
    city: 'Savannah',
    state: 'GA',
    timeZone: 'America/New_York',
    ...overrides,
  };
}
