import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { openTestDatabase, type TestDatabase } from '../testing/databases.js';
import { testRules } from '../testing/app.js';

/** Security headers (issue 14, finding 4) on the web app, the API, the probes and static files. */
describe('security headers', () => {
  let db: TestDatabase;
  let webRoot: string;
  const apps: App[] = [];
  const open = async (secureCookies: boolean) => {
    const app = await buildApp({ db, rules: testRules(), logger: false, webRoot, secureCookies });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    db = await openTestDatabase('embedded');
    webRoot = mkdtempSync(join(tmpdir(), 'korus-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>KORUS</title>');
    writeFileSync(join(webRoot, 'assets', 'index-abc123.js'), 'console.log(1)');
    // As the build writes them (vite.config.ts, precompress): a Brotli and a gzip copy beside the asset.
    const script = 'console.log("KORUS");\n'.repeat(200);
    writeFileSync(join(webRoot, 'assets', 'app-def456.js'), script);
    writeFileSync(join(webRoot, 'assets', 'app-def456.js.br'), brotliCompressSync(script));
    writeFileSync(join(webRoot, 'assets', 'app-def456.js.gz'), gzipSync(script));
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it('sends a strict CSP, no framing, nosniff, a referrer policy and a permissions policy everywhere', async () => {
    const app = await open(false);
    for (const url of ['/', '/workers', '/api/me', '/healthz', '/assets/index-abc123.js', '/api/nothing']) {
      const res = await app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(csp, url).not.toContain('unsafe-eval');
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("object-src 'none'");
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('strict-origin-when-cross-origin');
      expect(String(res.headers['permissions-policy']), url).toContain('camera=()');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('caches hashed assets for a year and never the page', async () => {
    const app = await open(false);
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await app.inject({ method: 'GET', url: '/workers' });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  it('serves the precompressed copy the browser accepts, the same script once decoded', async () => {
    const app = await open(false);
    const url = '/assets/app-def456.js';
    const plain = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 10);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
  });

  it('adds HSTS behind HTTPS (KORUS_SECURE_COOKIES=true)', async () => {
    const app = await open(true);
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });
});
