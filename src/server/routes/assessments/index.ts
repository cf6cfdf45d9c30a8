import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { assessmentRequestSchema, assessmentResponseSchema } from '../../../contract/assessment.js';
import { createAssessment, getAssessment, listAssessments } from '../../services/assessments.js';

const recordSchema = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  createdBy: z.string(),
  rulesVersion: z.string(),
  request: assessmentRequestSchema,
  response: assessmentResponseSchema,
});
const listSchema = z.object({
  items: z.array(
    z.object({
      id: z.uuid(),
      createdAt: z.string(),
      asOf: z.string(),
      recommended: z.string().nullable(),
      rulesVersion: z.string(),
    }),
  ),
});

export async function assessmentRoutes(app: App, { db, rules }: AppOptions) {
  app.post(
    '/api/assessments',
    {
      config: { capability: 'assessments.create' },
      schema: {
        tags: ['guidelines'],
        summary: 'Assess which US visa categories fit a worker and assignment, and store what was told',
        description:
          'The body is the assessment request of the guidelines contract; `asOf` defaults to today (UTC). The response is kept with the rules version.',
        body: assessmentRequestSchema,
        response: { 201: recordSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createAssessment(contextOf(db, request), rules, request.body)),
  );
  app.get(
    '/api/assessments',
    {
      config: { capability: 'assessments.read' },
      schema: {
        tags: ['guidelines'],
        summary: 'Recent assessments of the organization',
        response: { 200: listSchema },
      },
    },
    async (request) => ({ items: await listAssessments(contextOf(db, request)) }),
  );
  app.get(
    '/api/assessments/:id',
    {
      config: { capability: 'assessments.read' },
      schema: {
        tags: ['guidelines'],
        summary: 'One stored assessment: request, response and rules version',
        params: idParamsSchema,
        response: { 200: recordSchema },
      },
    },
    async (request) => getAssessment(contextOf(db, request), request.params.id),
  );
}
