import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  assignmentListQuerySchema,
  assignmentListSchema,
  assignmentSchema,
  batchListSchema,
  batchSchema,
  caseBoardQuerySchema,
  caseBoardSchema,
  caseCommentRequestSchema,
  overviewSchema,
  caseDetailSchema,
  reassessmentSchema,
  caseDocumentSchema,
  caseListQuerySchema,
  caseListSchema,
  createAssignmentSchema,
  createBatchSchema,
  createDependentSchema,
  createProjectSchema,
  createStaffingPlanSchema,
  createWorkerSchema,
  dependentSchema,
  documentUploadQuerySchema,
  leadTimeQuerySchema,
  leadTimeStatsSchema,
  letterRequestSchema,
  openCaseSchema,
  projectDetailSchema,
  projectListSchema,
  projectSchema,
  transitionRequestSchema,
  updateBatchSchema,
  updateWorkerSchema,
  workerListQuerySchema,
  workerListSchema,
  workerSchema,
  workerChecklistSchema,
  workerUploadQuerySchema,
} from '../../../contract/pipeline.js';
import { workerChecklist, workerUpload } from '../../services/pipeline/worker-documents.js';
import { deskListSchema, submitBatchSchema } from '../../../contract/consular.js';
import { FieldCipher, keyRingFromKeys } from '../../crypto/field-encryption.js';
import { ApiError } from '../../http/problem.js';
import { QuotaLedger } from '../../services/quota.js';
import { publishedPoolPolicies } from '../../services/contribution/pool-policy.js';
import { createAssignment, listAssignments } from '../../services/pipeline/assignments.js';
import {
  batchManifestInput,
  createBatch,
  getBatch,
  listBatches,
  listDesks,
  submitBatch,
  updateBatch,
} from '../../services/pipeline/batches.js';
import { batchManifestRows, renderBatchManifestPdf } from '../../letters/index.js';
import { overview } from '../../services/pipeline/overview.js';
import { toCsv } from '../../../core/export/csv.js';
import {
  addCaseComment,
  caseBoard,
  getCase,
  listCases,
  openCase,
  reassessCase,
  transitionCase,
} from '../../services/pipeline/cases.js';
import type { PipelineDeps } from '../../services/pipeline/common.js';
import { MAX_DOCUMENT_BYTES, openDocument, uploadDocument } from '../../services/pipeline/documents.js';
import {
  addStaffingPlan,
  createProject,
  getProject,
  listProjects,
} from '../../services/pipeline/projects.js';
import { caseLetter } from '../../services/pipeline/letters.js';
import { leadTimeStats } from '../../services/pipeline/stats.js';
import {
  addDependent,
  createWorker,
  listDependents,
  listWorkers,
  ownWorker,
  updateWorker,
  visibleWorker,
} from '../../services/pipeline/workers.js';

const tags = ['pipeline'];

/** The pipeline's dependencies from the app options; without a key ring (tests), an ephemeral key. */
const depsByOptions = new WeakMap<AppOptions, PipelineDeps>();

/** One set per app (memoized), so every route family shares the same key ring, uploads folder and ledger. */
export function pipelineDeps(options: AppOptions): PipelineDeps {
  let deps = depsByOptions.get(options);
  if (!deps) depsByOptions.set(options, (deps = makePipelineDeps(options)));
  return deps;
}

function makePipelineDeps(options: AppOptions): PipelineDeps {
  let ledger: QuotaLedger | undefined;
  return {
    cipher: options.cipher ?? new FieldCipher(keyRingFromKeys(randomBytes(32))),
    rules: options.rules,
    uploadsDir: options.uploadsDir ?? mkdtempSync(join(tmpdir(), 'korus-uploads-')),
    quota: () =>
      (ledger ??= new QuotaLedger(options.db, { catalogue: publishedPoolPolicies(options).catalogue() })),
  };
}

/** Sites, projects, workers, assignments, cases, documents, batches and lead-time statistics (issue 5). */
export async function pipelineRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const read = { capability: 'pipeline.read' } as const;
  const write = { capability: 'pipeline.write' } as const;

  // ------------------------------------------------------------ projects
  app.get(
    '/api/projects',
    {
      config: read,
      schema: {
        tags,
        summary: 'Projects the organization runs or works on',
        response: { 200: projectListSchema },
      },
    },
    async (request) => ({ items: await listProjects(contextOf(db, request)) }),
  );
  app.post(
    '/api/projects',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create an investment project at a site (investors)',
        body: createProjectSchema,
        response: { 201: projectSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await createProject(contextOf(db, request), request.body)),
  );
  app.get(
    '/api/projects/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A project with its staffing plan: needed, assigned, admitted',
        params: idParamsSchema,
        response: { 200: projectDetailSchema },
      },
    },
    async (request) => getProject(contextOf(db, request), request.params.id),
  );
  app.post(
    '/api/projects/:id/staffing-plans',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a staffing need (role, headcount, dates)',
        params: idParamsSchema,
        body: createStaffingPlanSchema,
        response: { 201: projectDetailSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addStaffingPlan(contextOf(db, request), request.params.id, request.body)),
  );

  // ------------------------------------------------------------ workers
  app.get(
    '/api/workers',
    {
      config: read,
      schema: {
        tags,
        summary: 'Workers visible to the caller, searched and paged',
        querystring: workerListQuerySchema,
        response: { 200: workerListSchema },
      },
    },
    async (request) => listWorkers(contextOf(db, request), request.query),
  );
  app.post(
    '/api/workers',
    {
      config: write,
      schema: {
        tags,
        summary: 'Register a worker (passport number encrypted at rest)',
        body: createWorkerSchema,
        response: { 201: workerSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createWorker(contextOf(db, request), deps, request.body)),
  );
  app.get(
    '/api/workers/me',
    {
      config: { capability: 'profile.own' },
      schema: { tags, summary: "The signed-in worker's own record", response: { 200: workerSchema } },
    },
    async (request) => ownWorker(contextOf(db, request)),
  );
  app.patch(
    '/api/workers/me',
    {
      config: { capability: 'profile.own' },
      schema: {
        tags,
        summary: 'A worker corrects their own contact details, skills and qualifications',
        body: updateWorkerSchema,
        response: { 200: workerSchema },
      },
    },
    async (request) => updateWorker(contextOf(db, request), deps, '', request.body, { own: true }),
  );
  app.get(
    '/api/workers/me/cases',
    {
      config: { capability: 'profile.own' },
      schema: { tags, summary: "The signed-in worker's own cases", response: { 200: caseListSchema } },
    },
    async (request) => {
      const ctx = contextOf(db, request);
      const worker = await ownWorker(ctx);
      return listCases(ctx, deps, { workerId: worker.id, limit: 200, offset: 0 });
    },
  );
  app.get(
    '/api/workers/:id',
    {
      config: read,
      schema: { tags, summary: 'One worker', params: idParamsSchema, response: { 200: workerSchema } },
    },
    async (request) => visibleWorker(contextOf(db, request), request.params.id),
  );
  app.patch(
    '/api/workers/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a worker (the employer)',
        params: idParamsSchema,
        body: updateWorkerSchema,
        response: { 200: workerSchema },
      },
    },
    async (request) => updateWorker(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.get(
    '/api/workers/:id/dependents',
    {
      config: read,
      schema: {
        tags,
        summary: "A worker's spouse and children",
        params: idParamsSchema,
        response: { 200: z.object({ items: z.array(dependentSchema) }) },
      },
    },
    async (request) => ({ items: await listDependents(contextOf(db, request), request.params.id) }),
  );
  app.post(
    '/api/workers/:id/dependents',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a spouse or child',
        params: idParamsSchema,
        body: createDependentSchema,
        response: { 201: dependentSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addDependent(contextOf(db, request), deps, request.params.id, request.body)),
  );
  app.get(
    '/api/workers/:id/cases',
    {
      config: read,
      schema: {
        tags,
        summary: "A worker's cases",
        params: idParamsSchema,
        response: { 200: caseListSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(db, request);
      await visibleWorker(ctx, request.params.id);
      return listCases(ctx, deps, { workerId: request.params.id, limit: 500, offset: 0 });
    },
  );

  // ------------------------------------------------------------ assignments
  app.get(
    '/api/assignments',
    {
      config: read,
      schema: {
        tags,
        summary: 'Assignments of workers to projects',
        querystring: assignmentListQuerySchema,
        response: { 200: assignmentListSchema },
      },
    },
    async (request) => listAssignments(contextOf(db, request), request.query),
  );
  app.post(
    '/api/assignments',
    {
      config: write,
      schema: {
        tags,
        summary: 'Assign a worker to a project: activities, dates, payer',
        body: createAssignmentSchema,
        response: { 201: assignmentSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createAssignment(contextOf(db, request), request.body)),
  );

  // ------------------------------------------------------------ cases
  app.get(
    '/api/cases',
    {
      config: read,
      schema: {
        tags,
        summary: 'Visa cases (the case board): filters, SLA state',
        querystring: caseListQuerySchema,
        response: { 200: caseListSchema },
      },
    },
    async (request) => listCases(contextOf(db, request), deps, request.query),
  );
  app.get(
    '/api/cases/board',
    {
      config: read,
      schema: {
        tags,
        summary: 'The case board of a project: a column per stage with its count and the cards due first',
        querystring: caseBoardQuerySchema,
        response: { 200: caseBoardSchema },
      },
    },
    async (request) => caseBoard(contextOf(db, request), deps, request.query),
  );
  app.post(
    '/api/cases',
    {
      config: write,
      schema: {
        tags,
        summary: 'Open a visa case for an assignment from a guidelines assessment',
        description:
          'The case keeps the category, provision, rules version and reasons. An ineligible category needs `overrideReason` (administrators).',
        body: openCaseSchema,
        response: { 201: caseDetailSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await openCase(contextOf(db, request), deps, request.body)),
  );
  app.get(
    '/api/cases/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A case: stages with target dates and SLA, history, checklist, documents',
        params: idParamsSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => getCase(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/cases/:id/transitions',
    {
      config: write,
      schema: {
        tags,
        summary: 'Move a case to another stage (skipping needs an override)',
        params: idParamsSchema,
        body: transitionRequestSchema,
        response: { 200: caseDetailSchema },
      },
    },
    async (request) => transitionCase(contextOf(db, request), deps, request.params.id, request.body),
  );

  app.post(
    '/api/cases/:id/comments',
    {
      config: write,
      schema: {
        tags,
        summary: 'Comment on a case (HR, the investor, counsel)',
        params: idParamsSchema,
        body: caseCommentRequestSchema,
        response: { 201: caseDetailSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await addCaseComment(contextOf(db, request), deps, request.params.id, request.body.body)),
  );
  app.post(
    '/api/cases/:id/reassess',
    {
      config: write,
      schema: {
        tags,
        summary: "Assess the case's facts again under today's rules and records, and show what changed",
        params: idParamsSchema,
        response: { 200: reassessmentSchema },
      },
    },
    async (request) => reassessCase(contextOf(db, request), deps, request.params.id),
  );

  app.post(
    '/api/cases/:id/letters',
    {
      config: write,
      schema: {
        tags,
        summary:
          "Generate the employer's support letter or the invitation letter for a case (PDF, English or Korean)",
        params: idParamsSchema,
        body: letterRequestSchema,
      },
    },
    async (request, reply) => {
      const { pdf, filename } = await caseLetter(
        contextOf(db, request),
        deps,
        request.params.id,
        request.body,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="letter.pdf"; filename*=UTF-8''${encodeURIComponent(filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(pdf);
    },
  );

  // ------------------------------------------------------------ documents (multipart, in their own scope)
  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(multipart, {
      limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0, parts: 1 },
    });
    scoped.post(
      '/api/cases/:id/documents',
      {
        config: write,
        schema: {
          tags,
          summary:
            'Upload a document for a case (multipart/form-data, field "file"; PDF, JPEG or PNG, at most 10 MB)',
          params: idParamsSchema,
          querystring: documentUploadQuerySchema,
          response: { 201: caseDocumentSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new ApiError('document.missing_file');
        const file = await request.file();
        if (!file) throw new ApiError('document.missing_file');
        const stored = await uploadDocument(contextOf(db, request), deps, request.params.id, request.query, {
          filename: file.filename,
          mimetype: file.mimetype,
          stream: file.file,
        });
        return reply.code(201).send(stored);
      },
    );
    scoped.post(
      '/api/workers/me/cases/:id/documents',
      {
        config: { capability: 'documents.own' },
        schema: {
          tags,
          summary:
            'A worker uploads a document their own case\'s checklist asks for (multipart, field "file"; PDF, JPEG or PNG, 10 MB)',
          params: idParamsSchema,
          querystring: workerUploadQuerySchema,
          response: { 201: workerChecklistSchema },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new ApiError('document.missing_file');
        const file = await request.file();
        if (!file) throw new ApiError('document.missing_file');
        const checklist = await workerUpload(
          contextOf(db, request),
          deps,
          request.params.id,
          request.query.docType,
          {
            filename: file.filename,
            mimetype: file.mimetype,
            stream: file.file,
          },
        );
        return reply.code(201).send(checklist);
      },
    );
  });
  app.get(
    '/api/workers/me/cases/:id/checklist',
    {
      config: { capability: 'documents.own' },
      schema: {
        tags,
        summary: "The documents the worker's own case asks for, and those already there",
        params: idParamsSchema,
        response: { 200: workerChecklistSchema },
      },
    },
    async (request) => workerChecklist(contextOf(db, request), deps, request.params.id),
  );
  app.get(
    '/api/documents/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Download a document (always as an attachment, never rendered inline)',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const doc = await openDocument(contextOf(db, request), deps, request.params.id);
      return reply
        .header('content-type', doc.contentType)
        .header('content-length', String(doc.size))
        .header(
          'content-disposition',
          `attachment; filename="document"; filename*=UTF-8''${encodeURIComponent(doc.filename)}`,
        )
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('digest', `sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`)
        .send(doc.body);
    },
  );

  // ------------------------------------------------------------ embassy-desk batches
  app.get(
    '/api/batches',
    { config: read, schema: { tags, summary: 'Embassy-desk batches', response: { 200: batchListSchema } } },
    async (request) => ({ items: await listBatches(contextOf(db, request)) }),
  );
  app.post(
    '/api/batches',
    {
      config: write,
      schema: {
        tags,
        summary: 'Assemble a batch of B-1 cases for one project (investors)',
        body: createBatchSchema,
        response: { 201: batchSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createBatch(contextOf(db, request), deps, request.body)),
  );
  app.get(
    '/api/batches/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'A batch with its cases; its status follows them',
        params: idParamsSchema,
        response: { 200: batchSchema },
      },
    },
    async (request) => getBatch(contextOf(db, request), deps, request.params.id),
  );
  app.patch(
    '/api/batches/:id',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Amend a batch until the desk acknowledges it: annotation, cases added (checked as at creation) or removed; 409 after',
        params: idParamsSchema,
        body: updateBatchSchema,
        response: { 200: batchSchema },
      },
    },
    async (request) => updateBatch(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.get(
    '/api/batches/:id/manifest.pdf',
    {
      config: read,
      schema: {
        tags,
        summary: 'The batch manifest as a bilingual PDF (passport numbers masked)',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const input = await batchManifestInput(contextOf(db, request), deps, request.params.id);
      const pdf = await renderBatchManifestPdf(input);
      return reply
        .header('content-type', 'application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="batch-${input.batchId.slice(0, 8)}-manifest.pdf"`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(pdf);
    },
  );
  app.get(
    '/api/batches/:id/manifest.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'The batch manifest as CSV (UTF-8 with BOM, bilingual header, passports masked)',
        params: idParamsSchema,
      },
    },
    async (request, reply) => {
      const input = await batchManifestInput(contextOf(db, request), deps, request.params.id);
      const { header, rows } = batchManifestRows(input);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="batch-${input.batchId.slice(0, 8)}-manifest.csv"`,
        )
        .header('x-content-type-options', 'nosniff')
        .send(toCsv(header, rows));
    },
  );
  app.get(
    '/api/desks',
    {
      config: read,
      schema: {
        tags,
        summary: 'The embassy desks a batch can be sent to (government organizations with that mandate)',
        response: { 200: deskListSchema },
      },
    },
    async (request) => ({ items: await listDesks(contextOf(db, request)) }),
  );
  app.post(
    '/api/batches/:id/submit',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Send a draft or returned batch to an embassy desk; its cases are brought to the desk-submission stage',
        params: idParamsSchema,
        body: submitBatchSchema,
        response: { 200: batchSchema },
      },
    },
    async (request) => submitBatch(contextOf(db, request), deps, request.params.id, request.body),
  );

  // ------------------------------------------------------------ statistics
  app.get(
    '/api/stats/overview',
    {
      config: { capability: 'stats.read' },
      schema: {
        tags,
        summary:
          "The home page's figures: cases by category and stage, batches, presence by site; companies also get the people behind them",
        response: { 200: overviewSchema },
      },
    },
    async (request) => overview(contextOf(db, request), deps),
  );
  app.get(
    '/api/stats/lead-times',
    {
      config: { capability: 'stats.read' },
      schema: {
        tags,
        summary: 'Lead times: median and 90th percentile by category, stage, organization or project',
        querystring: leadTimeQuerySchema,
        response: { 200: leadTimeStatsSchema },
      },
    },
    async (request) => leadTimeStats(contextOf(db, request), deps, request.query),
  );
}
