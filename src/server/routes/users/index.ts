import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  createUserSchema,
  idParamsSchema,
  resetPasswordSchema,
  userListQuerySchema,
  userListSchema,
  userSchema,
} from '../../../contract/api.js';
import { createUser, listUsers, resetPassword } from '../../services/users.js';

export async function userRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/users',
    {
      config: { capability: 'admin.users' },
      schema: {
        tags: ['users'],
        summary: 'Users of the caller’s organization',
        querystring: userListQuerySchema,
        response: { 200: userListSchema },
      },
    },
    async (request) => ({ items: await listUsers(contextOf(db, request), request.query) }),
  );
  app.post(
    '/api/users',
    {
      config: { capability: 'admin.users' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: createUserSchema,
        response: { 201: userSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createUser(contextOf(db, request), request.body)),
  );
  app.post(
    '/api/users/:id/password',
    {
      config: { capability: 'admin.users' },
      schema: {
        tags: ['users'],
        summary: 'Set a new password (administrators); ends the user’s sessions',
        params: idParamsSchema,
        body: resetPasswordSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await resetPassword(contextOf(db, request), request.params.id, request.body.password);
      app.forgetUser(request.params.id);
      return reply.code(204).send(null);
    },
  );
}
