import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { consularStatusRequestSchema, updateConsularSchema } from '../../../contract/consular.js';
import { caseDetailSchema } from '../../../contract/pipeline.js';
import { recordCaseStatus, updateCaseConsular } from '../../services/consular/case-consular.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['pipeline'];

/** A consular case's application (issue 17): the DS-160 number, the post, and the CEAC status with its history. */
export async function consularRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const write = { capability: 'pipeline.write' } as const;

  app.put(
    '/api/cases/:id/consular',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record the DS-160 confirmation number (encrypted; null clears it) and the consular post',
        params: idParamsSchema,
        body: updateConsularSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => updateCaseConsular(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/cases/:id/consular/status',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Record the status CEAC shows (received, administrative processing, issued, refused); the case moves with it',
        params: idParamsSchema,
        body: consularStatusRequestSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => recordCaseStatus(contextOf(db, request), deps, request.params.id, request.body),
  );
}
