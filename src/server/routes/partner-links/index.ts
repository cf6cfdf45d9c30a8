import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  createPartnerLinkSchema,
  idParamsSchema,
  partnerLinkListSchema,
  partnerLinkSchema,
} from '../../../contract/api.js';
import { createPartnerLink, deletePartnerLink, listPartnerLinks } from '../../services/organizations.js';

export async function partnerLinkRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/partner-links',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Partner links of the caller’s organization',
        response: { 200: partnerLinkListSchema },
      },
    },
    async (request) => ({ items: await listPartnerLinks(contextOf(db, request)) }),
  );
  app.post(
    '/api/partner-links',
    {
      config: { capability: 'admin.partner_links' },
      schema: {
        tags: ['organizations'],
        summary: 'Link a partner firm to an investor',
        body: createPartnerLinkSchema,
        response: { 201: partnerLinkSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createPartnerLink(contextOf(db, request), request.body)),
  );
  app.delete(
    '/api/partner-links/:id',
    {
      config: { capability: 'admin.partner_links' },
      schema: {
        tags: ['organizations'],
        summary: 'Remove a partner link',
        params: idParamsSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deletePartnerLink(contextOf(db, request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
