import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { caseMessageListSchema, caseMessageRequestSchema } from '../../../contract/messages.js';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { caseDocumentSchema } from '../../../contract/pipeline.js';
import { ApiError } from '../../http/problem.js';
import {
  listMessages,
  markMessagesRead,
  openAttachment,
  postMessage,
  uploadAttachment,
} from '../../services/messages/messages.js';
import { MAX_DOCUMENT_BYTES } from '../../services/pipeline/documents.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['messages'];

/** Messages on a case (issue 18): HR, counsel and the worker; internal notes for HR and counsel only. */
export async function messageRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  // A file for a message: multipart in its own scope, like the case documents.
  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(multipart, {
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0, parts: 1 },
    });
    scoped.post(
      '/api/cases/:id/messages/attachments',
      {
        config: { capability: 'messages.write' },
        schema: {
          tags,
          summary:
            'Upload a file to attach to a message (multipart, field "file"; PDF, JPEG or PNG, 10 MB); then post the message with its documentId',
          params: idParamsSchema,
          response: { 201: caseDocumentSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new ApiError('document.missing_file');
        const file = await request.file();
        if (!file) throw new ApiError('document.missing_file');
        const stored = await uploadAttachment(contextOf(db, request), deps, request.params.id, {
          filename: file.filename,
          mimetype: file.mimetype,
          stream: file.file,
        });
        return reply.code(201).send(stored);
      },
    );
  });
  app.get(
    '/api/cases/:id/messages/attachments/:documentId',
    {
      config: { capability: 'messages.read' },
      schema: {
        tags,
        summary:
          "Download a file attached to a message one can read (as an attachment; a worker never gets an internal note's)",
        params: z.object({ id: z.uuid(), documentId: z.uuid() }),
      },
    },
    async (request, reply) => {
      const doc = await openAttachment(
        contextOf(db, request),
        deps,
        request.params.id,
        request.params.documentId,
      );
      return reply
        .header('content-type', doc.contentType)
        .header(
          'content-disposition',
          `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .send(doc.body);
    },
  );
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
