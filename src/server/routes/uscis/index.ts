import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { caseDetailSchema } from '../../../contract/pipeline.js';
import {
  parsedNoticeSchema,
  parseNoticeRequestSchema,
  updateUscisSchema,
  uscisStatusRequestSchema,
} from '../../../contract/uscis.js';
import { parseI797 } from '../../../core/uscis/notice.js';
import { recordUscisStatus, updateUscis } from '../../services/uscis/uscis.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['pipeline'];

/** USCIS tracking of petition cases (issue 18): receipt number, status history, RFE/NOID, notices read. */
export async function uscisRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const write = { capability: 'pipeline.write' } as const;

  app.put(
    '/api/cases/:id/uscis',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Record the USCIS receipt number (three letters, ten digits; encrypted; null clears it) and the form',
        params: idParamsSchema,
        body: updateUscisSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => updateUscis(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/cases/:id/uscis/status',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Record a USCIS status (received, biometrics, RFE, NOID, response submitted, approved, denied, transferred); the case moves with it',
        params: idParamsSchema,
        body: uscisStatusRequestSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => recordUscisStatus(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/uscis/notices/parse',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Read the text of an I-797 notice (receipt number, notice type, dates, response deadline, validity); nothing is stored',
        body: parseNoticeRequestSchema,
        response: { 200: parsedNoticeSchema },
      },
    },
    async (request) => parseI797(request.body.text),
  );
}
