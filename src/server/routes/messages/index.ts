import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { caseMessageListSchema, caseMessageRequestSchema } from '../../../contract/messages.js';
import { listMessages, markMessagesRead, postMessage } from '../../services/messages/messages.js';

const tags = ['messages'];

/** Messages on a case (issue 18): HR, counsel and the worker; internal notes for HR and counsel only. */
export async function messageRoutes(app: App, options: AppOptions) {
  const { db } = options;
  app.get(
    '/api/cases/:id/messages',
    {
      config: { capability: 'messages.read' },
      schema: {
        tags,
        summary: "A case's messages, oldest first (a worker never sees internal notes), with the unread ones",
        params: idParamsSchema,
        response: { 200: caseMessageListSchema },
      },
    },
    async (request) => listMessages(contextOf(db, request), request.params.id),
  );
  app.post(
    '/api/cases/:id/messages',
    {
      config: { capability: 'messages.write' },
      schema: {
        tags,
        summary: 'Write on a case: the other participants are notified; audited',
        params: idParamsSchema,
        body: caseMessageRequestSchema,
        response: { 201: caseMessageListSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await postMessage(contextOf(db, request), request.params.id, request.body, new Date())),
  );
  app.post(
    '/api/cases/:id/messages/read',
    {
      config: { capability: 'messages.read' },
      schema: {
        tags,
        summary: "Mark a case's messages read for the caller",
        params: idParamsSchema,
        response: { 200: z.object({ unread: z.number().int() }) },
      },
    },
    async (request) => markMessagesRead(contextOf(db, request), request.params.id, new Date()),
  );
}
