import { contextOf, type App, type AppOptions } from '../../app.js';
import {
  createOrganizationSchema,
  organizationListSchema,
  organizationSchema,
} from '../../../contract/api.js';
import { createOrganization, listOrganizations } from '../../services/organizations.js';

export async function organizationRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Organizations visible to the caller',
        response: { 200: organizationListSchema },
      },
    },
    async (request) => ({ items: await listOrganizations(contextOf(db, request)) }),
  );
  app.post(
    '/api/organizations',
    {
      config: { capability: 'admin.organizations' },
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization (platform administrators)',
        body: createOrganizationSchema,
        response: { 201: organizationSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOrganization(contextOf(db, request), request.body)),
  );
}
