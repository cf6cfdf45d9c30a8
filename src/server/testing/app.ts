import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../app.js';
import { loadRules, type Rules } from '../../core/rules/index.js';

let rules: Rules | undefined;
export const testRules = (): Rules => (rules ??= loadRules());
import { seedDemo, DEMO_PASSWORD } from '../seed/demo.js';
import { seedDemoPipeline } from '../seed/demo-pipeline.js';
import { FieldCipher, keyRingFromKeys } from '../crypto/field-encryption.js';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase, type TestDatabaseKind } from './databases.js';

export interface TestApp {
  app: App;
  db: TestDatabase;
  cipher: FieldCipher;
  uploadsDir: string;
  close(): Promise<void>;
}

/** A real server (in-process, injected requests) on a real database, with the demo data loaded. */
export async function openTestApp(
  kind: TestDatabaseKind,
  {
    demo = true,
    pipeline = false,
    console: consoleOptions,
    webhooks,
  }: {
    demo?: boolean;
    pipeline?: boolean;
    console?: { minCell?: number };
    webhooks?: { intervalSeconds?: number; allowPrivate?: boolean };
  } = {},
): Promise<TestApp> {
  const db = await openTestDatabase(kind);
  const cipher = new FieldCipher(keyRingFromKeys(randomBytes(32)));
  const uploadsDir = mkdtempSync(join(tmpdir(), 'korus-test-uploads-'));
  if (demo) await seedDemo(db);
  if (demo && pipeline) await seedDemoPipeline(db, { cipher, rules: testRules(), uploadsDir }, 'small');
  const app = await buildApp({
    db,
    cipher,
    uploadsDir,
    rules: testRules(),
    logger: process.env.KORUS_TEST_LOG ? (await import('pino')).pino({ level: 'error' }) : false,
    sessionCacheSeconds: 0,
    validateResponses: true,
    ...(consoleOptions ? { console: consoleOptions } : {}),
    ...(webhooks ? { webhooks } : {}),
  });
  await app.ready();
  return {
    app,
    db,
    cipher,
    uploadsDir,
    async close() {
      await app.close();
      await db.close();
      rmSync(uploadsDir, { recursive: true, force: true });
    },
  };
}

/** A signed-in browser-like client: keeps the cookies and sends the CSRF header on writes. */
export class Session {
  private cookies = new Map<string, string>();
  constructor(
    private readonly app: App,
    readonly lang: 'en' | 'ko' = 'en',
  ) {}

  static async login(
    app: App,
    email: string,
    password = DEMO_PASSWORD,
    lang: 'en' | 'ko' = 'en',
  ): Promise<Session> {
    const session = new Session(app, lang);
    const res = await session.request('POST', '/api/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
    return session;
  }

  async request(
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const csrf = this.cookies.get('korus_csrf');
    const res = await this.app.inject({
      method: method as 'GET',
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: {
        'accept-language': this.lang,
        ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(csrf && method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
        ...headers,
      },
    });
    for (const c of res.cookies as { name: string; value: string; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, payload?: unknown) {
    return this.request('POST', url, payload ?? {});
  }
  put(url: string, payload: unknown, headers?: Record<string, string>) {
    return this.request('PUT', url, payload, headers);
  }
  patch(url: string, payload: unknown) {
    return this.request('PATCH', url, payload);
  }
}

export async function bearer(app: App, token: string, method: string, url: string, payload?: unknown) {
  return app.inject({
    method: method as 'GET',
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    headers: { authorization: `Bearer ${token}` },
  });
}

/**
 * A site in Georgia and a battery project of the investor, worked on by the partner firm (both sessions of the
 * demo organizations): the fixture of the pipeline, import and presence tests.
 */
export async function investorProject(
  investor: Session,
  partner: Session,
  names: { site: string; code: string; project: string },
): Promise<{ siteId: string; projectId: string; site: Record<string, unknown> }> {
  const site = await investor.post('/api/sites', {
    name: names.site,
    sector: 'battery',
    address: '1 Test Road',
    city: 'Savannah',
    state: 'GA',
    county: 'Chatham',
    timeZone: 'America/New_York',
  });
  if (site.statusCode !== 201) throw new Error(`site: ${site.statusCode} ${site.body}`);
  const partnerId = (await partner.get('/api/me')).json().organization.id;
  const project = await investor.post('/api/projects', {
    siteId: site.json().id,
    code: names.code,
    name: names.project,
    sector: 'battery',
    investmentUsd: 2_000_000_000,
    startDate: '2026-01-01',
    endDate: '2028-12-31',
    partnerIds: [partnerId],
  });
  if (project.statusCode !== 201) throw new Error(`project: ${project.statusCode} ${project.body}`);
  return { siteId: site.json().id, projectId: project.json().id, site: site.json() };
}

/** A small valid PDF, for document uploads. */
export const TEST_PDF = Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\ntrailer <<>>\n%%EOF\n');

/** A multipart/form-data body with one file field `file`, as the web app sends an upload. */
export function multipartFile(
  name: string,
  type: string,
  content: Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = 'korustestboundary7d1f';
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
