import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, type ZodTypeProvider } from 'fastify-type-provider-zod';
import fastJsonStringify from 'fast-json-stringify';
import { z } from 'zod';
import type { Database } from './db/database.js';
import { migrationStatus } from './db/migrate.js';
import {
  ApiError,
  fieldErrorsFromIssues,
  problemBody,
  requestLang,
  RequestValidationError,
  sendProblem,
  textIssues,
} from './http/problem.js';
import { CSRF_HEADER, SESSION_COOKIE } from './auth/secrets.js';
import { actorForSession, actorForToken, touchToken } from './services/auth.js';
import { can, mustEnrollTwoFactor, type Actor } from './policies/capabilities.js';
import { packageRoot } from './package-root.js';
import { registerRoutes } from './routes/index.js';
import type { App } from './http/fastify.js';
import type { AppOptions } from './app-options.js';
import { FieldCipher, keyRingFromKeys } from './crypto/field-encryption.js';
import { errorCatalog, type ErrorCode } from '../contract/errors.js';
import { webhookCatalogue } from './services/webhooks/catalogue.js';
import { screenText } from '../contract/text.js';

interface CachedActor {
  actor: Actor;
  until: number;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const { db } = options;
  const app: App = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(header) ? header : randomUUID();
    },
    bodyLimit: 1_048_576,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // `//api/me` and `/api/me/` are the route `/api/me`, and so meet its gate (never a different answer).
    routerOptions: { ignoreDuplicateSlashes: true, ignoreTrailingSlash: true },
  }).withTypeProvider<ZodTypeProvider>() as App;

  // Every string of the body, the query and the route's parameters passes the text screen first (NUL, lone
  // surrogates and control characters refused with their path, the rest in NFC), then the route's schema.
  app.setValidatorCompiler(({ schema, httpPart }) => (data) => {
    const part = httpPart ?? 'body';
    const screened = part === 'headers' ? { value: data, issues: [] } : screenText(data);
    if (screened.issues.length > 0)
      return { error: new RequestValidationError(textIssues(screened.issues), part) };
    const result = (schema as z.ZodType).safeParse(screened.value);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(result.error.issues, part) };
  });
  // Responses: the zod schema, turned into JSON Schema, compiled by fast-json-stringify (Fastify's own fast
  // serializer: only declared fields leave the server). With `validateResponses` (the tests) every response
  // is also checked against the zod schema first, so a route that drifts from its contract fails its tests.
  // Each serializer is compiled on the route's first response, not at start-up (about 200 ms for all routes).
  app.setSerializerCompiler(({ schema, method, url }) => {
    const zodSchema = schema as z.ZodType;
    let compiled: ((data: unknown) => string) | undefined;
    const stringify = (data: unknown) =>
      (compiled ??= fastJsonStringify(
        nullableWithoutAnyOf(
          z.toJSONSchema(zodSchema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }),
        ) as Parameters<typeof fastJsonStringify>[0],
      ))(data);
    if (!options.validateResponses) return stringify;
    return (data) => {
      const result = zodSchema.safeParse(data);
      if (!result.success) {
        throw new Error(
          `Response of ${method} ${url} does not match its schema: ${JSON.stringify(result.error.issues).slice(0, 500)}`,
        );
      }
      return stringify(result.data);
    };
  });
  app.decorateRequest('actor', undefined);
  // Every route, as "METHOD /path": the authorization-matrix test proves each one keeps organizations apart.
  const routeList: string[] = [];
  app.decorate('routeList', routeList);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routeList.push(`${method} ${route.url}`);
  });

  await app.register(fastifyCookie);
  // Security headers on every answer (issue 14): a strict Content-Security-Policy for the web app (its scripts
  // and styles are files of its own origin; no inline script, no eval), no framing, no MIME sniffing, no
  // referrer beyond the origin, no powerful browser features; HSTS behind HTTPS (KORUS_SECURE_COOKIES=true).
  // The API browser (/api/docs) sends its own CSP.
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:', 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'worker-src': ["'self'"],
        'manifest-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: options.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'KORUS Mobility API',
        version: options.version ?? '0.1.0',
        description:
          'Lawful, fast dispatch of Korean skilled workers to US investment sites. Errors are RFC 9457 problem details ' +
          '(application/problem+json) with a stable `code`, a `detail` in the language of `Accept-Language` (ko or en) and ' +
          '`errors[]` with field paths. Authenticate with the session cookie (plus the `x-csrf-token` header on writes) or ' +
          'with `Authorization: Bearer <API token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
      webhooks: webhookCatalogue() as Record<string, never>,
    },
    transform: jsonSchemaTransform,
  });
  // Routes that plugins add (the API browser, the web app's files) are public, and say so in their declaration.
  await app.register(async (publicScope) => {
    publicScope.addHook('onRoute', (route) => {
      route.config = { ...route.config, auth: 'public' };
    });
    await publicScope.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async () =>
    app.swagger(),
  );

  // CSRF: a cookie-authenticated write must echo a token bound to the session (HMAC of the session
  // token under an instance secret), read by the web app from the korus_csrf cookie.
  const csrfSecret = await instanceSecret(db, 'csrf_secret');
  const csrfFor = (sessionToken: string) =>
    createHmac('sha256', csrfSecret).update(sessionToken).digest('base64url');
  app.decorate('csrfFor', csrfFor);

  const cacheMs = (options.sessionCacheSeconds ?? 5) * 1000;
  const actorCache = new Map<string, CachedActor>();
  const lastTouched = new Map<string, number>();
  app.decorate('forgetCredential', (key: string) => actorCache.delete(key));
  app.decorate('forgetUser', (userId: string) => {
    for (const [key, value] of actorCache) if (value.actor.userId === userId) actorCache.delete(key);
  });

  async function resolveActor(request: FastifyRequest): Promise<Actor | undefined> {
    const authorization = request.headers.authorization;
    let key: string;
    let lookup: () => Promise<Actor | undefined>;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match) throw new ApiError('auth.invalid_token');
      const token = match[1]!;
      key = `t:${token}`;
      lookup = () => actorForToken(db, token);
    } else {
      const session = request.cookies[SESSION_COOKIE];
      if (!session) return undefined;
      key = `s:${session}`;
      lookup = () => actorForSession(db, session);
    }
    const now = Date.now();
    const cached = actorCache.get(key);
    if (cached && cached.until > now) return cached.actor;
    const actor = await lookup();
    if (!actor) {
      actorCache.delete(key);
      if (authorization) throw new ApiError('auth.invalid_token');
      return undefined;
    }
    if (actorCache.size > 10_000) actorCache.clear();
    actorCache.set(key, { actor, until: now + cacheMs });
    if (actor.tokenId && (lastTouched.get(actor.tokenId) ?? 0) < now - 60_000) {
      lastTouched.set(actor.tokenId, now);
      await touchToken(db, actor.tokenId);
    }
    return actor;
  }

  // The one gate: authentication, CSRF and the capability are decided from the matched route's own declaration
  // (`config.auth`, `config.capability`), never from the text of the URL. A route that does not say
  // `auth: 'public'` needs a signed-in caller. An unknown route goes on to the not-found handler.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.routeOptions.url === undefined) return;
    const config = request.routeOptions.config;
    if (config.auth === 'public') return;
    const actor = await resolveActor(request);
    request.actor = actor;
    if (!actor) throw new ApiError('auth.required');
    if (actor.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
      const header = request.headers[CSRF_HEADER];
      const expected = csrfFor(request.cookies[SESSION_COOKIE]!);
      if (typeof header !== 'string' || !safeEqual(header, expected)) throw new ApiError('auth.csrf_failed');
    }
    if (mustEnrollTwoFactor(actor) && !config.duringEnrollment)
      throw new ApiError('auth.two_factor_enrollment_required');
    if (config.capability && !can(actor, config.capability)) throw new ApiError('auth.forbidden');
  });

  app.setErrorHandler((error, request, reply) => {
    const lang = requestLang(request);
    if (error instanceof ApiError) {
      return sendProblem(
        reply,
        problemBody(error.code, lang, request, detailExtra(error, lang)),
        error.options.headers,
      );
    }
    if (error instanceof RequestValidationError) {
      return sendProblem(
        reply,
        problemBody('request.invalid', lang, request, {
          errors: fieldErrorsFromIssues(error.issues, lang, error.part),
        }),
      );
    }
    const fastifyError = error as { code?: string; statusCode?: number; message?: string };
    const mapped: Record<string, ErrorCode> = {
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'request.unsupported_media_type',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'request.malformed_json',
      FST_ERR_CTP_INVALID_JSON_BODY: 'request.malformed_json',
      FST_ERR_CTP_BODY_TOO_LARGE: 'request.too_large',
    };
    const code = fastifyError.code ? mapped[fastifyError.code] : undefined;
    if (code) return sendProblem(reply, problemBody(code, lang, request));
    if (error instanceof SyntaxError || fastifyError.statusCode === 400) {
      return sendProblem(reply, problemBody('request.malformed_json', lang, request));
    }
    // Logged without the database's `detail` and `where` (they quote the values of the failing row: e-mails,
    // names): the code, the message and the stack locate the fault.
    const { message, stack, code: errorCode, name } = error as Error & { code?: string };
    request.log.error({ err: { name, message, code: errorCode, stack } }, 'unhandled error');
    return sendProblem(reply, problemBody('internal', lang, request));
  });

  const webRoot = options.webRoot ?? join(packageRoot(), 'dist', 'web');
  const hasWeb = existsSync(join(webRoot, 'index.html'));
  // The single-page app's shell, read once: every page of the web app answers with it.
  const indexHtml = hasWeb ? readFileSync(join(webRoot, 'index.html')) : Buffer.alloc(0);
  if (hasWeb) {
    await app.register(async (publicScope) => {
      publicScope.addHook('onRoute', (route) => {
        route.config = { ...route.config, auth: 'public' };
      });
      await publicScope.register(fastifyStatic, {
        root: webRoot,
        wildcard: false,
        index: false,
        serveDotFiles: false,
        cacheControl: false, // set below, per file
        preCompressed: true, // the build writes .br and .gz beside each asset
        setHeaders: (res, path) => {
          // Vite's hashed assets never change: cached for a year; everything else revalidates.
          res.setHeader(
            'cache-control',
            /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
          );
        },
      });
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (isApiPath(request.url) || request.method !== 'GET') {
      return sendProblem(reply, problemBody('route.not_found', requestLang(request), request));
    }
    if (!hasWeb) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send(
          'The web app is not built. Run `npm run build`.\n웹 앱이 빌드되지 않았습니다. `npm run build`를 실행하세요.\n',
        );
    }
    // Single-page app: every other GET gets index.html, never cached so a new release shows at once.
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
  });

  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => ({
    status: 'ok' as const,
  }));
  app.get('/readyz', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    try {
      const { pending } = await migrationStatus(db);
      const ready = pending.length === 0;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'ready' : 'not_ready',
        database: db.kind,
        pendingMigrations: pending.length,
      });
    } catch {
      return reply.code(503).send({ status: 'not_ready', database: db.kind, pendingMigrations: -1 });
    }
  });

  // One cipher for every service: the given key ring, or an ephemeral key (tests, benchmarks).
  await registerRoutes(app, {
    ...options,
    cipher: options.cipher ?? new FieldCipher(keyRingFromKeys(randomBytes(32))),
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    csrfFor(sessionToken: string): string;
    forgetCredential(key: string): void;
    forgetUser(userId: string): void;
    routeList: string[];
  }
}

function detailExtra(error: ApiError, lang: 'en' | 'ko') {
  const extra: {
    errors?: typeof error.options.errors;
    messages?: { en: string; ko: string };
    detail?: string;
  } = {};
  if (error.options.errors)
    extra.errors = error.options.errors.map((e) => ({ ...e, message: e.messages[lang] }));
  if (error.options.detail) {
    extra.messages = error.options.detail;
    extra.detail = error.options.detail[lang];
  }
  return extra;
}

/**
 * zod renders `x.nullable()` as `anyOf: [x, {type: 'null'}]`, which fast-json-stringify resolves with a
 * validator on every call; `nullable: true` on x serializes the same JSON without it.
 */
function nullableWithoutAnyOf(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(nullableWithoutAnyOf);
  if (!schema || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, nullableWithoutAnyOf(v)]),
  ) as Record<string, unknown>;
  const anyOf = node.anyOf as Record<string, unknown>[] | undefined;
  if (anyOf?.length === 2) {
    const nonNull = anyOf.filter((s) => s.type !== 'null');
    if (nonNull.length === 1 && nonNull[0]!.type !== undefined) {
      const { anyOf: _dropped, ...rest } = node;
      return { ...rest, ...nonNull[0], nullable: true };
    }
  }
  return node;
}

/**
 * Whether a request's path is under /api however it is written (percent-encoded, dot segments, any case): an
 * unknown API path answers a 404 problem, never the web app's page.
 */
function isApiPath(url: string): boolean {
  let path = url.split('?')[0] ?? '';
  try {
    path = decodeURIComponent(new URL(path, 'http://korus.invalid').pathname);
  } catch {
    /* malformed escapes: judged as written */
  }
  return /^\/+api(\/|$)/i.test(path);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function instanceSecret(db: Database, key: string): Promise<string> {
  await db.query('INSERT INTO instance_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    key,
    randomUUID() + randomUUID(),
  ]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM instance_settings WHERE key = $1', [
    key,
  ]);
  return row!.value;
}

/** The service context of an authenticated request. */
export type { FastifyReply };
export { contextOf, type App } from './http/fastify.js';
export type { AppOptions } from './app-options.js';
export { errorCatalog };
