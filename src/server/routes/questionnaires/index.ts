import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  questionnaireSchema,
  returnQuestionnaireSchema,
  saveAnswersSchema,
  sendQuestionnaireSchema,
} from '../../../contract/questionnaire.js';
import { renderQuestionnairePdf } from '../../services/questionnaires/pdf.js';
import {
  acceptQuestionnaire,
  getQuestionnaire,
  returnQuestionnaire,
  saveAnswers,
  sendQuestionnaire,
  submitQuestionnaire,
} from '../../services/questionnaires/questionnaires.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['pipeline'];

/** The worker's questionnaire (issue 18): HR sends, reviews, returns and accepts; the worker fills it in. */
export async function questionnaireRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const read = { capability: 'pipeline.read' } as const;
  const write = { capability: 'pipeline.write' } as const;
  const own = { capability: 'questionnaire.own' } as const;
  const response = { 200: questionnaireSchema };

  app.post(
    '/api/cases/:id/questionnaire',
    {
      config: write,
      schema: {
        tags,
        summary:
          "Send the worker the case's questionnaire (DS-160 data or petition data), prefilled; again: unchanged",
        params: idParamsSchema,
        body: sendQuestionnaireSchema,
        response,
      },
    },
    async (request) => sendQuestionnaire(contextOf(db, request), deps, request.params.id, request.body.form),
  );
  app.get(
    '/api/cases/:id/questionnaire',
    { config: read, schema: { tags, summary: "The case's questionnaire and its answers", params: idParamsSchema, response } }, // prettier-ignore
    async (request) => getQuestionnaire(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/cases/:id/questionnaire/return',
    {
      config: write,
      schema: {
        tags,
        summary: 'Return answers to the worker, each with a comment',
        params: idParamsSchema,
        body: returnQuestionnaireSchema,
        response,
      },
    },
    async (request) => returnQuestionnaire(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/cases/:id/questionnaire/accept',
    {
      config: write,
      schema: { tags, summary: 'Accept the submitted answers', params: idParamsSchema, response },
    },
    async (request) => acceptQuestionnaire(contextOf(db, request), deps, request.params.id),
  );
  app.get(
    '/api/cases/:id/questionnaire.json',
    { config: read, schema: { tags, summary: 'The answers as JSON, for filing', params: idParamsSchema } },
    async (request, reply) => {
      const q = await getQuestionnaire(contextOf(db, request), deps, request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="questionnaire-${q.form}-${q.caseId}.json"`)
        .type('application/json')
        .send(
          JSON.stringify(
            { form: q.form, status: q.status, acceptedAt: q.acceptedAt, answers: q.answers },
            null,
            2,
          ),
        );
    },
  );
  app.get(
    '/api/cases/:id/questionnaire.pdf',
    { config: read, schema: { tags, summary: 'The answers as a bilingual PDF (English and Korean)', params: idParamsSchema } }, // prettier-ignore
    async (request, reply) => {
      const q = await getQuestionnaire(contextOf(db, request), deps, request.params.id);
      const pdf = await renderQuestionnairePdf(q, new Date().toISOString().slice(0, 16).replace('T', ' '));
      return reply
        .header('content-disposition', `attachment; filename="questionnaire-${q.form}-${q.caseId}.pdf"`)
        .type('application/pdf')
        .send(pdf);
    },
  );
  app.get(
    '/api/workers/me/cases/:id/questionnaire',
    { config: own, schema: { tags, summary: "One's own questionnaire", params: idParamsSchema, response } },
    async (request) => getQuestionnaire(contextOf(db, request), deps, request.params.id),
  );
  app.put(
    '/api/workers/me/cases/:id/questionnaire',
    {
      config: own,
      schema: {
        tags,
        summary: "Save one's answers (each field checked for its kind; nothing required until submitting)",
        params: idParamsSchema,
        body: saveAnswersSchema,
        response,
      },
    },
    async (request) => saveAnswers(contextOf(db, request), deps, request.params.id, request.body.answers),
  );
  app.post(
    '/api/workers/me/cases/:id/questionnaire/submit',
    {
      config: own,
      schema: {
        tags,
        summary: 'Submit the answers for review (every required question answered)',
        params: idParamsSchema,
        response,
      },
    },
    async (request) => submitQuestionnaire(contextOf(db, request), deps, request.params.id),
  );
}
