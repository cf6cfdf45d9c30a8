import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  createdTokenSchema,
  createTokenSchema,
  idParamsSchema,
  tokenListSchema,
} from '../../../contract/api.js';
import { createToken, listTokens, revokeToken } from '../../services/tokens.js';

export async function tokenRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'API tokens (own; administrators: the organization’s)',
        response: { 200: tokenListSchema },
      },
    },
    async (request) => ({ items: await listTokens(contextOf(db, request)) }),
  );
  app.post(
    '/api/tokens',
    {
      config: { capability: 'tokens.own' },
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token for the caller (the secret is shown once)',
        body: createTokenSchema,
        response: { 201: createdTokenSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createToken(contextOf(db, request), request.body.name)),
  );
  app.delete(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Revoke an API token',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const revoked = await revokeToken(contextOf(db, request), request.params.id);
      // Other processes drop cached credentials within the session cache time; this one at once.
      app.forgetUser(revoked.userId);
      return reply.code(204).send(null);
    },
  );
}
