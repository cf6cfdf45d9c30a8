import { contextOf, type App, type AppOptions } from '../../app.js';
import { siteListSchema } from '../../../contract/api.js';
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
}
