import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/database.js';
import type { Actor, Capability } from '../policies/capabilities.js';
import type { ServiceContext } from '../services/context.js';
import { ApiError } from './problem.js';

/**
 * The app's Fastify type and what every route needs from it (the signed-in actor, the service context), apart
 * from `app.ts` so that routes and jobs do not import the module that builds the app (no import circle).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** `public` routes need no sign-in; every other route does (decided by the gate in `buildApp`). */
    auth?: 'public';
    /** Open to an administrator who must first enrol in two-factor sign-in (their own account, sign-out). */
    duringEnrollment?: boolean;
    /** The capability the route needs (checked in one place, the auth hook). */
    capability?: Capability;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
  }
}

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export function contextOf(db: Database, request: FastifyRequest): ServiceContext {
  if (!request.actor) throw new ApiError('auth.required');
  return { db, actor: request.actor, requestId: String(request.id) };
}
