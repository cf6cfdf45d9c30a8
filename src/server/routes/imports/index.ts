import multipart from '@fastify/multipart';
import type { FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { uploadedSpreadsheet } from '../../http/upload.js';
import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  columnMappingSchema,
  exportQuerySchema,
  importListSchema,
  importPreviewSchema,
  importResultSchema,
  importRunSchema,
  savedMappingSchema,
} from '../../../contract/imports.js';
import { caseListQuerySchema, rosterQuerySchema, workerListQuerySchema } from '../../../contract/pipeline.js';
import { toCsv } from '../../../core/export/csv.js';
import { casesTable, rosterTable, workersTable, type Table } from '../../export/tables.js';
import { toXlsx } from '../../export/xlsx.js';
import { schedulePeriodic } from '../../jobs/periodic.js';
import {
  getImport,
  importerOf,
  listImports,
  listMappings,
  purgeAbandonedImports,
  runImport,
  saveMapping,
  uploadImport,
  type ImportDeps,
} from '../../services/imports/imports.js';
import { defaultReadLimits } from '../../services/imports/read.js';
import { listCases } from '../../services/pipeline/cases.js';
import { listWorkers } from '../../services/pipeline/workers.js';
import { siteRoster } from '../../services/presence/roster.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['imports'];
const orgQuery = z.object({ organizationId: z.uuid().optional().describe('Platform administrators only') });

/** Sends a table as CSV (UTF-8 with BOM) or XLSX, as an attachment. */
export async function sendTable(
  reply: FastifyReply,
  table: Table,
  format: 'csv' | 'xlsx',
  name: string,
  fileBase = `${name}-${new Date().toISOString().slice(0, 10)}`,
) {
  const file = `${fileBase}.${format}`;
  const body =
    format === 'csv' ? toCsv(table.header, table.rows) : await toXlsx(name, table.header, table.rows);
  return reply
    .header(
      'content-type',
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    )
    .header('content-disposition', `attachment; filename="${file}"`)
    .header('x-content-type-options', 'nosniff')
    .send(body);
}

/** Bulk import of rosters (upload, mapping, dry run, commit, history) and list exports (issue 7). */
export async function importRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const pipeline = pipelineDeps(options);
  const deps: ImportDeps = { cipher: pipeline.cipher, uploadsDir: pipeline.uploadsDir };
  const read = { capability: 'pipeline.read' } as const;
  const write = { capability: 'pipeline.write' } as const;
  // Rosters left unfinished leave the disk after the retention period (daily; KORUS_IMPORT_RETENTION_DAYS).
  if (options.importRetentionDays !== undefined)
    schedulePeriodic(app, 'import purge', 86_400, async () => {
      const { purged } = await purgeAbandonedImports(db, deps, options.importRetentionDays!);
      if (purged)
        app.log.info({ purged, days: options.importRetentionDays }, 'abandoned roster files deleted');
    });

  await app.register(async (plugin) => {
    const scoped = plugin.withTypeProvider<ZodTypeProvider>();
    await scoped.register(multipart, {
      limits: { fileSize: defaultReadLimits.maxBytes, files: 1, fields: 0, parts: 1 },
    });
    scoped.post(
      '/api/imports',
      {
        config: write,
        bodyLimit: defaultReadLimits.maxBytes + 1024 * 1024,
        schema: {
          tags,
          summary:
            'Upload a roster (multipart/form-data, field "file": CSV in UTF-8 or CP949, or XLSX; at most 50 MB): its sheets, header rows and suggested column mapping',
          querystring: orgQuery.extend({ mappingName: z.string().trim().min(1).max(80).optional() }),
          response: { 201: importPreviewSchema },
        },
      },
      async (request, reply) => {
        const { bytes, fileName } = await uploadedSpreadsheet(request);
        const imp = await importerOf(contextOf(db, request), request.query.organizationId);
        const preview = await uploadImport(imp, deps, { fileName, bytes }, request.query.mappingName);
        return reply.code(201).send(preview);
      },
    );
  });

  app.get(
    '/api/imports',
    {
      config: read,
      schema: {
        tags,
        summary: 'The import history of the organization, newest first',
        querystring: orgQuery.extend({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: importListSchema },
      },
    },
    async (request) => {
      const imp = await importerOf(contextOf(db, request), request.query.organizationId);
      return listImports(imp, request.query);
    },
  );
  app.get(
    '/api/imports/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'An import: the file, its sheets and mapping, its status and counts',
        params: idParamsSchema,
        querystring: orgQuery,
        response: { 200: importPreviewSchema },
      },
    },
    async (request) =>
      getImport(
        await importerOf(contextOf(db, request), request.query.organizationId),
        deps,
        request.params.id,
      ),
  );
  for (const [path, commit] of [
    ['/api/imports/:id/dry-run', false],
    ['/api/imports/:id/commit', true],
  ] as const) {
    app.post(
      path,
      {
        config: write,
        schema: {
          tags,
          summary: commit
            ? 'Commit an import: every row valid or nothing written (422 with the row errors)'
            : "Dry run: every row's outcome and errors; nothing is written",
          params: idParamsSchema,
          querystring: orgQuery,
          body: importRunSchema,
          response: { 200: importResultSchema },
        },
      },
      async (request) =>
        runImport(
          await importerOf(contextOf(db, request), request.query.organizationId),
          deps,
          request.params.id,
          request.body,
          { commit },
        ),
    );
  }
  app.get(
    '/api/import-mappings',
    {
      config: read,
      schema: {
        tags,
        summary: 'Saved column mappings of the organization',
        querystring: orgQuery,
        response: { 200: z.object({ items: z.array(savedMappingSchema) }) },
      },
    },
    async (request) => ({
      items: await listMappings(await importerOf(contextOf(db, request), request.query.organizationId)),
    }),
  );
  app.put(
    '/api/import-mappings/:name',
    {
      config: write,
      schema: {
        tags,
        summary: 'Save a column mapping under a name',
        params: z.object({ name: z.string().trim().min(1).max(80) }),
        querystring: orgQuery,
        body: z.object({ mapping: columnMappingSchema }),
        response: { 200: savedMappingSchema },
      },
    },
    async (request) =>
      saveMapping(
        await importerOf(contextOf(db, request), request.query.organizationId),
        request.params.name,
        request.body.mapping,
      ),
  );

  // ------------------------------------------------------------ exports
  app.get(
    '/api/workers/export',
    {
      config: read,
      schema: {
        tags,
        summary: 'The workers the caller sees (same filters as GET /api/workers) as CSV or XLSX',
        querystring: workerListQuerySchema
          .omit({ limit: true, offset: true })
          .extend(exportQuerySchema.shape),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const { items } = await listWorkers(contextOf(db, request), { ...query, limit: 1_000_000, offset: 0 });
      return sendTable(reply, workersTable(items), format, 'workers');
    },
  );
  app.get(
    '/api/sites/:id/roster.xlsx',
    {
      config: read,
      schema: {
        tags,
        summary: 'The site roster on a date as XLSX (one row per person: status, class, admit-until, flags)',
        params: idParamsSchema,
        querystring: rosterQuerySchema,
      },
    },
    async (request, reply) => {
      const roster = await siteRoster(
        contextOf(db, request),
        pipeline,
        request.params.id,
        request.query.date,
      );
      return sendTable(reply, rosterTable(roster), 'xlsx', 'roster', `roster-${roster.date}`);
    },
  );
  app.get(
    '/api/cases/export',
    {
      config: read,
      schema: {
        tags,
        summary: 'The cases the caller sees (same filters as GET /api/cases) as CSV or XLSX',
        querystring: caseListQuerySchema.omit({ limit: true, offset: true }).extend(exportQuerySchema.shape),
      },
    },
    async (request, reply) => {
      const { format, ...query } = request.query;
      const { items } = await listCases(contextOf(db, request), pipeline, {
        ...query,
        limit: 1_000_000,
        offset: 0,
      });
      return sendTable(reply, casesTable(items), format, 'cases');
    },
  );
}
