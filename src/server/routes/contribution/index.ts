import { z } from 'zod';
import { idParamsSchema } from '../../../contract/api.js';
import { isoDateSchema } from '../../../contract/assessment.js';
import {
  contributionOverviewSchema,
  contributionReportSchema,
  investmentInputSchema,
  jobsInputSchema,
  ledgerEntriesSchema,
  milestoneInputSchema,
  poolPolicyInputSchema,
  poolPolicySchema,
  trainingPlanInputSchema,
  trainingSessionInputSchema,
  trainingSessionSchema,
} from '../../../contract/contribution.js';
import { caseDocumentSchema } from '../../../contract/pipeline.js';
import type { AppOptions } from '../../app-options.js';
import { recordAudit } from '../../audit/audit.js';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf, type App } from '../../http/fastify.js';
import { ApiError } from '../../http/problem.js';
import { uploadedSpreadsheet } from '../../http/upload.js';
import { MAX_DOCUMENT_BYTES } from '../../services/pipeline/documents.js';
import { defaultReadLimits } from '../../services/imports/read.js';
import { importLedger } from '../../services/contribution/session-import.js';
import { ledgerImportKinds } from '../../../core/contribution/session-import.js';
import { auditContextOf } from '../../services/context.js';
import { attachEvidencePack } from '../../services/contribution/evidence-pack.js';
import { contributionOverview } from '../../services/contribution/indicators.js';
import {
  addInvestment,
  addMilestone,
  addTrainingPlan,
  addTrainingSession,
  attachMilestoneEvidence,
  openMilestoneEvidence,
  projectEntries,
  recordJobs,
} from '../../services/contribution/ledger.js';
import {
  computePolicy,
  listPolicies,
  publishedPoolPolicies,
  publishPolicy,
} from '../../services/contribution/pool-policy.js';
import {
  contributionReport,
  contributionReportPdf,
  contributionReportXlsx,
} from '../../services/contribution/report.js';
import { ownTrainingRecord, trainingRecordPdf } from '../../services/contribution/worker-record.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['contribution'];
const today = () => new Date().toISOString().slice(0, 10);
const asOfQuery = z.object({ asOf: isoDateSchema.optional() }).strict();
const created = { 201: z.object({ id: z.uuid() }) };

/** The contribution ledger (issue 20): entries, indicators, the working group's report, the pool policy. */
export async function contributionRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const read = { capability: 'contribution.read' } as const;
  const write = { capability: 'contribution.write' } as const;
  const report = { capability: 'contribution.report' } as const;
  const policy = { capability: 'contribution.policy' } as const;
  const minCell = Math.max(1, Math.round(options.console?.minCell ?? 5));
  // The quota ledgers' catalogue follows the published policies: loaded before serving, then every minute.
  const published = publishedPoolPolicies(options);
  app.addHook('onReady', async () => {
    await published.refresh(db).catch(() => undefined);
  });
  const timer = setInterval(() => void published.ensureFresh(db), 60_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));

  app.get(
    '/api/contribution',
    { config: read, schema: { tags, summary: "The organization's projects with their contribution sums and indicators (a partner: its own entries and workers)", querystring: asOfQuery, response: { 200: contributionOverviewSchema } } }, // prettier-ignore
    async (request) => contributionOverview(contextOf(db, request), request.query.asOf ?? today()),
  );
  app.get(
    '/api/contribution/projects/:id',
    { config: read, schema: { tags, summary: "A project's ledger entries the organization may read (trainee names only for the recording organization)", params: idParamsSchema, response: { 200: ledgerEntriesSchema } } }, // prettier-ignore
    async (request) => projectEntries(contextOf(db, request), deps, request.params.id),
  );
  const post = <S extends z.ZodType>(
    url: string,
    summary: string,
    body: S,
    handler: (ctx: ReturnType<typeof contextOf>, input: z.output<S>) => Promise<{ id: string }>,
  ) =>
    // prettier-ignore
    app.post(url, { config: write, schema: { tags, summary, body, response: created } }, async (request, reply) => {
      reply.code(201);
      return handler(contextOf(db, request), request.body as z.output<S>);
    });
  post('/api/contribution/investments', 'Record money committed or disbursed on a project, with its source document', investmentInputSchema, (ctx, input) => addInvestment(ctx, deps, input)); // prettier-ignore
  post('/api/contribution/jobs', "Record a quarter's US jobs committed and created (replaces the firm's figure for that quarter)", jobsInputSchema, (ctx, input) => recordJobs(ctx, deps, input)); // prettier-ignore
  post('/api/contribution/plans', 'Add a training plan to a project', trainingPlanInputSchema, (ctx, input) => addTrainingPlan(ctx, deps, input)); // prettier-ignore
  post('/api/contribution/sessions', 'Record a training session given by one of your Korean workers to US trainees', trainingSessionInputSchema, (ctx, input) => addTrainingSession(ctx, deps, input)); // prettier-ignore
  post('/api/contribution/milestones', 'Record a knowledge-transfer milestone', milestoneInputSchema, (ctx, input) => addMilestone(ctx, deps, input)); // prettier-ignore

  // Bulk import of training sessions: a CSV or XLSX file, dry run or all-or-nothing.
  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(multipart, { limits: { fileSize: defaultReadLimits.maxBytes, files: 1, fields: 0, parts: 1 } }); // prettier-ignore
    scoped.post(
      '/api/contribution/import',
      {
        config: write,
        bodyLimit: defaultReadLimits.maxBytes + 1024 * 1024,
        schema: {
          tags,
          summary:
            'Import ledger entries from a CSV (UTF-8 or CP949) or XLSX file (multipart field "file"), English or Korean headers: kind=sessions (project, trainer, date, hours, topic, equipment, place, trainees, certified, skill, plan), investments (project, kind, amount, date, source) or jobs (project, quarter, jobs committed, jobs created, source); every problem with its row and column; dryRun=true writes nothing, otherwise every row or none',
          querystring: z
            .object({
              kind: z.enum(ledgerImportKinds).default('sessions'),
              dryRun: z.enum(['true', 'false']).default('true'),
            }) // prettier-ignore
            .strict(),
          response: {
            200: z.object({
              dryRun: z.boolean(),
              rows: z.number().int(),
              created: z.number().int(),
              errors: z.array(z.object({ row: z.number().int(), column: z.string(), value: z.string(), message: z.object({ en: z.string(), ko: z.string() }) })), // prettier-ignore
            }),
          },
        },
      },
      async (request) => {
        const file = await uploadedSpreadsheet(request);
        return importLedger(contextOf(db, request), deps, request.query.kind, file, request.query.dryRun === 'true'); // prettier-ignore
      },
    );
  });

  // A milestone's evidence document (PDF, JPEG or PNG, at most 10 MB).
  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 0, parts: 1 } }); // prettier-ignore
    scoped.post(
      '/api/contribution/milestones/:id/evidence',
      {
        config: write,
        schema: {
          tags,
          summary:
            'Attach the milestone\'s evidence document (multipart field "file"; PDF, JPEG or PNG, at most 10 MB; encrypted at rest), replacing an earlier one',
          params: idParamsSchema,
          response: { 201: z.object({ filename: z.string(), size: z.number().int(), sha256: z.string() }) },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new ApiError('document.missing_file');
        const file = await request.file();
        if (!file) throw new ApiError('document.missing_file');
        reply.code(201);
        return attachMilestoneEvidence(contextOf(db, request), deps, request.params.id, { filename: file.filename, mimetype: file.mimetype, stream: file.file }); // prettier-ignore
      },
    );
  });
  app.get(
    '/api/contribution/milestones/:id/evidence',
    { config: read, schema: { tags, summary: "Download a milestone's evidence document", params: idParamsSchema } }, // prettier-ignore
    async (request, reply) => {
      const file = await openMilestoneEvidence(contextOf(db, request), deps, request.params.id);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .send(file.body);
    },
  );

  app.post(
    '/api/cases/:id/evidence-pack',
    {
      config: write,
      schema: {
        tags,
        summary:
          "Generate the worker's training evidence pack (bilingual PDF, cited to 9 FAM 402.2-5(E)(2)) and attach it to the B-1 case's checklist",
        params: idParamsSchema,
        response: { 201: caseDocumentSchema },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return attachEvidencePack(contextOf(db, request), deps, request.params.id);
    },
  );

  const reportOf = async (request: Parameters<typeof contextOf>[1], asOf: string, format: string) => {
    const ctx = contextOf(db, request);
    const data = await contributionReport(db, asOf, minCell);
    await ctx.db.transaction(
      (tx) =>
      recordAudit(tx, auditContextOf(ctx), { action: 'console.export', targetType: 'console', targetId: `contribution.${format}`, organizationId: ctx.actor.organizationId, details: { asOf } }), // prettier-ignore
    );
    return data;
  };
  app.get(
    '/api/contribution/report',
    {
      config: report,
      schema: {
        tags,
        summary:
          'The working group\'s contribution report by sector and by investor (partners included): aggregates only, counts of people under the console\'s small-cell threshold shown as "<5"',
        querystring: asOfQuery,
        response: { 200: contributionReportSchema },
      },
    },
    async (request) => reportOf(request, request.query.asOf ?? today(), 'json'),
  );
  app.get(
    '/api/contribution/report.xlsx',
    { config: report, schema: { tags, summary: 'The contribution report as an XLSX workbook (a sheet by sector, a sheet by investor)', querystring: asOfQuery } }, // prettier-ignore
    async (request, reply) => {
      const data = await reportOf(request, request.query.asOf ?? today(), 'xlsx');
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="korus-contribution-${data.asOf}.xlsx"`)
        .send(await contributionReportXlsx(data));
    },
  );
  app.get(
    '/api/contribution/report.pdf',
    { config: report, schema: { tags, summary: 'The contribution report as a bilingual PDF with a chart of visas per USD 1M by sector', querystring: asOfQuery } }, // prettier-ignore
    async (request, reply) => {
      const data = await reportOf(request, request.query.asOf ?? today(), 'pdf');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="korus-contribution-${data.asOf}.pdf"`)
        .send(await contributionReportPdf(data, new Date().toISOString().replace(/\.\d+Z$/, 'Z')));
    },
  );

  app.get(
    '/api/contribution/policies',
    { config: report, schema: { tags, summary: 'The quota pool policies computed from the ledger, newest first', response: { 200: z.array(poolPolicySchema) } } }, // prettier-ignore
    async (request) => listPolicies(contextOf(db, request), options.rules.parameters),
  );
  app.post(
    '/api/contribution/policies',
    {
      config: policy,
      schema: {
        tags,
        summary:
          'Compute a new version of the E-4 pool policy from the ledger as of a cut-off date (a draft: the formula, every input and share, the pools in whole numbers)',
        body: poolPolicyInputSchema,
        response: { 201: poolPolicySchema },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return computePolicy(contextOf(db, request), options.rules.parameters, request.body, new Date());
    },
  );
  app.post(
    '/api/contribution/policies/:id/publish',
    {
      config: policy,
      schema: {
        tags,
        summary:
          'Publish a draft: from its effective date the quota ledger applies its shares through the audited pool-change path (decision 032)',
        params: idParamsSchema,
        response: { 200: poolPolicySchema },
      },
    },
    async (request) =>
      publishPolicy(
        contextOf(db, request),
        options.rules.parameters,
        request.params.id,
        new Date(),
        published,
      ),
  );

  app.get(
    '/api/me/training',
    {
      config: { capability: 'contribution.own' },
      schema: {
        tags,
        summary:
          'The training the signed-in worker gave: sessions, hours, trainees, certifications (counts only)',
        response: {
          200: z.object({
            worker: z.object({ name: z.string(), nameHangul: z.string() }),
            totals: z.object({ sessions: z.number(), hours: z.number(), trainees: z.number(), traineeHours: z.number(), certified: z.number(), from: z.string().nullable(), to: z.string().nullable() }), // prettier-ignore
            sessions: z.array(trainingSessionSchema),
          }),
        },
      },
    },
    async (request) => ownTrainingRecord(contextOf(db, request), deps),
  );
  app.get(
    '/api/me/training.pdf',
    { config: { capability: 'contribution.own' }, schema: { tags, summary: 'The same record as a bilingual PDF, for the worker to keep' } }, // prettier-ignore
    async (request, reply) => {
      const record = await ownTrainingRecord(contextOf(db, request), deps);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="training-record-${today()}.pdf"`)
        .send(await trainingRecordPdf(record, new Date().toISOString().replace(/\.\d+Z$/, 'Z')));
    },
  );
}
