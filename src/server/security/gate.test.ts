import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../testing/app.js';
import { testDatabaseKinds } from '../testing/databases.js';

/**
 * The one gate (issue 14, finding 2): every route decides authentication from its own declaration. This walks
 * every route of the OpenAPI document and every route the server knows (plugins' included) with the path
 * written in odd ways: raw, percent-encoded, doubled or trailing slashes, dot segments, another case. A route
 * that is not declared public never answers an anonymous caller with anything but 401 or a 404 problem; no
 * variant ever answers 5xx, and no variant of an /api path answers the web app's page.
 */
const PUBLIC = new Set([
  'POST /api/auth/login',
  'POST /api/auth/login/two-factor',
  'GET /api/auth/sso',
  'GET /api/auth/sso/start',
  'GET /api/auth/sso/callback',
  'GET /api/openapi.json',
  'POST /api/cards/verify',
  'GET /.well-known/korus-keys.json',
  'GET /healthz',
  'GET /readyz',
]);

const sample: Record<string, string> = {
  id: '00000000-0000-4000-8000-000000000001',
  program: 'E4',
  fiscalYear: '2027',
  name: 'default',
};

function concrete(path: string): string {
  return path.replace(/[:{]([A-Za-z]+)\}?/g, (_, key: string) => sample[key] ?? 'x');
}

/** The same path written as a client or an attacker might. */
function variants(path: string): string[] {
  const body = path.slice(1);
  const encodeFirst = (p: string) => {
    const i = p.search(/[a-z]/);
    return i < 0 ? p : `${p.slice(0, i)}%${p.charCodeAt(i).toString(16)}${p.slice(i + 1)}`;
  };
  return [
    path,
    encodeFirst(path), // /%61pi/…
    '/' + body.split('/').map(encodeFirst).join('/'), // every segment's first letter encoded
    path.replace(/\//g, '%2F').replace(/^%2F/, '/'),
    `/${path}`, // //api/…
    path.replace('/api/', '/api//'),
    `${path}/`,
    `/x/..${path}`,
    path.replace('/api/', '/api/./'),
    path.replace('/api/', '/x/../api/'),
    path.toUpperCase(),
    path.replace('/api/', '/API/'),
    `${path}?x=%00`,
    `${path}%00`,
  ];
}

describe.each(testDatabaseKinds)('the authentication gate on %s', (kind) => {
  let t: TestApp;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    t = await openTestApp(kind, { demo: false });
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const fromDoc = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({ method: m.toUpperCase(), path })),
    );
    const fromServer = t.app.routeList.map((r) => {
      const [method, path] = r.split(' ');
      return { method: method!, path: path! };
    });
    const seen = new Set<string>();
    routes = [...fromDoc, ...fromServer].filter((r) => {
      const key = `${r.method} ${r.path.replace(/\{(\w+)\}/g, ':$1')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  });
  afterAll(() => t?.close());

  it('walks every route', () => {
    expect(routes.length).toBeGreaterThan(80);
  });

  it('refuses an anonymous caller on every non-public route, however the path is written', async () => {
    const failures: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const key = `${route.method} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`;
      const isPublic =
        PUBLIC.has(key) ||
        route.path.startsWith('/api/docs') ||
        !route.path.startsWith('/api/') ||
        route.path === '/';
      if (isPublic && !route.path.startsWith('/api/')) continue; // static files and probes: public by design
      for (const url of variants(concrete(route.path))) {
        requests++;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        const type = String(res.headers['content-type'] ?? '');
        if (res.statusCode >= 500)
          failures.push(`${route.method} ${url}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        else if (type.startsWith('text/html') && !route.path.startsWith('/api/docs'))
          failures.push(`${route.method} ${url}: the web app's page`);
        else if (!isPublic && ![401, 404, 405].includes(res.statusCode))
          failures.push(`${route.method} ${url}: ${res.statusCode} without authentication`);
      }
    }
    expect(failures, failures.slice(0, 20).join('\n')).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  });

  it('answers the former bypasses with 401', async () => {
    for (const url of [
      '/%61pi/quota/H1B1_CL/2027/verify',
      '/%61pi/rules',
      '/%61pi/quota/programs',
      '/%61pi/me',
    ]) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const logout = await t.app.inject({ method: 'POST', url: '/%61pi/auth/logout', payload: {} });
    expect(logout.statusCode).toBe(401);
  });
});
