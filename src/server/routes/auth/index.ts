import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  loginRequestSchema,
  meSchema,
  preferencesSchema,
  recoveryCodesSchema,
  ssoLookupQuerySchema,
  ssoLookupSchema,
  ssoStartQuerySchema,
  totpCodeSchema,
  totpSetupSchema,
  twoFactorChallengeSchema,
  twoFactorLoginSchema,
} from '../../../contract/api.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../../auth/secrets.js';
import { completeTwoFactor, login, logout, type LoginResult } from '../../services/auth.js';
import { updatePreferences } from '../../services/users.js';
import {
  beginTotpEnrollment,
  confirmTotpEnrollment,
  disableTotp,
  regenerateRecoveryCodes,
} from '../../services/two-factor.js';
import { finishSso, ssoForEmail, SSO_CALLBACK_PATH, startSso } from '../../services/sso.js';
import { capabilitiesOf, mustEnrollTwoFactor, type Actor } from '../../policies/capabilities.js';
import { ApiError } from '../../http/problem.js';

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
        ? {
            id: actor.organizationId,
            name: actor.organizationName,
            kind: actor.organizationKind,
            mandates: [...(actor.mandates ?? [])],
          }
        : null,
    capabilities: [...capabilitiesOf(actor)],
    twoFactor: {
      enabled: !!actor.twoFactorEnabled,
      required: !!actor.twoFactorRequired,
      mustEnroll: mustEnrollTwoFactor(actor),
    },
    signedInWith:
      actor.via === 'token' ? ('token' as const) : actor.sso ? ('sso' as const) : ('password' as const),
  };
}

const tags = ['auth'];

export async function authRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const cipher = options.cipher!; // registerRoutes always passes one
  const cookieBase = { path: '/', sameSite: 'strict' as const, secure: options.secureCookies ?? false };
  const ssoDeps = { cipher, publicUrl: options.publicUrl };
  const signIn = (request: { ip: string; headers: { 'user-agent'?: string | undefined }; id: unknown }) => ({
    ip: request.ip,
    userAgent: request.headers['user-agent'],
    requestId: String(request.id),
  });
  const setSessionCookies = (reply: FastifyReply, result: LoginResult) => {
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
  };

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Sign in with e-mail and password',
        description:
          'Answers 200 with the session, or 202 with a challenge when the account has two-factor sign-in: then ' +
          '`POST /api/auth/login/two-factor` with the code.',
        body: loginRequestSchema,
        response: { 200: meSchema, 202: twoFactorChallengeSchema },
      },
    },
    async (request, reply) => {
      const result = await login(db, {
        email: request.body.email,
        password: request.body.password,
        ...signIn(request),
      });
      if ('challenge' in result)
        return reply.code(202).send({
          twoFactorRequired: true as const,
          challenge: result.challenge,
          expiresAt: result.expiresAt.toISOString(),
        });
      setSessionCookies(reply, result);
      return meOf(result.actor);
    },
  );

  app.post(
    '/api/auth/login/two-factor',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Second step of a sign-in: the authenticator code or a recovery code',
        body: twoFactorLoginSchema,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const result = await completeTwoFactor(db, { cipher }, { ...request.body, ...signIn(request) });
      setSessionCookies(reply, result);
      return meOf(result.actor);
    },
  );

  app.get(
    '/api/auth/sso',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "Whether an e-mail address signs in through its organization's single sign-on",
        querystring: ssoLookupQuerySchema,
        response: { 200: ssoLookupSchema },
      },
    },
    async (request) => ssoForEmail(db, request.query.email),
  );

  app.get(
    '/api/auth/sso/start',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: "Go to the organization's identity provider (302)",
        querystring: ssoStartQuerySchema,
        response: { 302: z.null() },
      },
    },
    async (request, reply) => {
      const url = await startSso(db, ssoDeps, request.query);
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    SSO_CALLBACK_PATH,
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Where the identity provider sends the browser back (302 into the app)',
        querystring: z.record(z.string(), z.string().max(4000)),
        response: { 302: z.null() },
      },
    },
    async (request, reply) => {
      try {
        const result = await finishSso(db, ssoDeps, { query: request.query, ...signIn(request) });
        setSessionCookies(reply, result);
        return reply.redirect(result.returnTo, 302);
      } catch (error) {
        // Back to the sign-in page with the reason's code, which the page shows in the user's language.
        const code = error instanceof ApiError ? error.code : 'sso.failed';
        if (!(error instanceof ApiError)) request.log.error({ err: error }, 'single sign-on failed');
        return reply.redirect(`/login?sso=${encodeURIComponent(code)}`, 302);
      }
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { duringEnrollment: true },
      schema: { tags, summary: 'Sign out (ends the session)', response: { 204: z.null() } },
    },
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
      config: { duringEnrollment: true },
      schema: {
        tags,
        summary: 'The signed-in user, organization and capabilities',
        response: { 200: meSchema },
      },
    },
    async (request) => meOf(request.actor!),
  );

  app.put(
    '/api/me/preferences',
    {
      config: { duringEnrollment: true },
      schema: {
        tags,
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

  // Two-factor sign-in of the signed-in user (a password account; single sign-on leaves it to the provider).
  const enrolment = { config: { duringEnrollment: true } } as const;
  app.post(
    '/api/me/two-factor/setup',
    {
      ...enrolment,
      schema: {
        tags,
        summary: 'Start two-factor set-up: a new authenticator secret',
        response: { 200: totpSetupSchema },
      },
    },
    async (request) => beginTotpEnrollment(contextOf(db, request), { cipher }),
  );
  app.post(
    '/api/me/two-factor/confirm',
    {
      ...enrolment,
      schema: {
        tags,
        summary: 'Turn two-factor sign-in on with the first code; returns the recovery codes (once)',
        body: totpCodeSchema,
        response: { 200: recoveryCodesSchema },
      },
    },
    async (request) => {
      const result = await confirmTotpEnrollment(contextOf(db, request), { cipher }, request.body.code);
      app.forgetUser(request.actor!.userId);
      return result;
    },
  );
  app.post(
    '/api/me/two-factor/disable',
    {
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off (a current code or a recovery code)',
        body: totpCodeSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await disableTotp(contextOf(db, request), { cipher }, request.body.code);
      app.forgetUser(request.actor!.userId);
      return reply.code(204).send(null);
    },
  );
  app.post(
    '/api/me/two-factor/recovery-codes',
    {
      schema: {
        tags,
        summary: 'New recovery codes (the old ones stop working)',
        body: totpCodeSchema,
        response: { 200: recoveryCodesSchema },
      },
    },
    async (request) => regenerateRecoveryCodes(contextOf(db, request), { cipher }, request.body.code),
  );
}
