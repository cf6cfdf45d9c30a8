import { z } from 'zod';
import { contextOf, type App, type AppOptions } from '../../app.js';
import { loginRequestSchema, meSchema, preferencesSchema } from '../../../contract/api.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../auth/secrets.js';
import { login, logout } from '../../services/auth.js';
import { updatePreferences } from '../../services/users.js';
import { capabilitiesOf, type Actor } from '../../policies/capabilities.js';

export function meOf(actor: Actor) {
  return {
    user: {
      id: actor.userId,
      email: actor.email,
      displayName: actor.displayName,
      role: actor.role,
      locale: actor.locale,
    },
    organization:
      actor.organizationId && actor.organizationName && actor.organizationKind
        ? { id: actor.organizationId, name: actor.organizationName, kind: actor.organizationKind }
        : null,
    capabilities: [...capabilitiesOf(actor)],
  };
}

export async function authRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: options.secureCookies ?? false };

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password',
        body: loginRequestSchema,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const result = await login(db, {
        email: request.body.email,
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'],
        requestId: String(request.id),
      });
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        ...cookieBase,
        httpOnly: true,
        expires: result.expiresAt,
      });
      reply.setCookie(CSRF_COOKIE, app.csrfFor(result.sessionToken), {
        ...cookieBase,
        httpOnly: false,
        expires: result.expiresAt,
      });
      return meOf(result.actor);
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'], summary: 'Sign out (ends the session)', response: { 204: z.null() } } },
    async (request, reply) => {
      const actor = request.actor!;
      await logout(db, actor, String(request.id));
      const session = request.cookies[SESSION_COOKIE];
      if (session) app.forgetCredential(`s:${session}`);
      reply.clearCookie(SESSION_COOKIE, cookieBase).clearCookie(CSRF_COOKIE, cookieBase);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, organization and capabilities',
        response: { 200: meSchema },
      },
    },
    async (request) => meOf(request.actor!),
  );

  app.put(
    '/api/me/preferences',
    {
      schema: {
        tags: ['auth'],
        summary: 'Remember the interface language',
        body: preferencesSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await updatePreferences(contextOf(db, request), request.body.locale);
      app.forgetUser(request.actor!.userId);
      return reply.code(204).send(null);
    },
  );
}
