import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { siteListSchema, siteSchema } from '../../../contract/api.js';
import { createSiteSchema } from '../../../contract/pipeline.js';
import { createSite } from '../../services/pipeline/projects.js';
import { listSites } from '../../services/sites.js';

export async function siteRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/sites',
    {
      schema: {
        tags: ['sites'],
        summary: 'Work sites visible to the caller (own, and linked investors’ for partner firms)',
        response: { 200: siteListSchema },
      },
    },
    async (request) => ({ items: await listSites(contextOf(db, request)) }),
  );
  app.post(
    '/api/sites',
    {
      config: { capability: 'pipeline.write' },
      schema: {
        tags: ['sites'],
        summary: 'Add a work site (investors): US address, state, county, time zone',
        body: createSiteSchema,
        response: { 201: siteSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createSite(contextOf(db, request), request.body)),
  );
}
