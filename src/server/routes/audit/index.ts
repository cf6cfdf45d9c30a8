import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { auditListQuerySchema, auditListSchema } from '../../../contract/api.js';
import { listAuditEvents } from '../../services/audit-log.js';

export async function auditRoutes(app: App, { db }: AppOptions) {
  app.get(
    '/api/audit-events',
    {
      config: { capability: 'audit.read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit events of the caller’s organization, newest first (page with `before`)',
        querystring: auditListQuerySchema,
        response: { 200: auditListSchema },
      },
    },
    async (request) => listAuditEvents(contextOf(db, request), request.query),
  );
}
