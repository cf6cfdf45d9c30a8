import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  consoleBatchesSchema,
  consoleExportQuerySchema,
  consoleFigures,
  consoleFiltersSchema,
  consoleLeadTimesSchema,
  consoleOutcomesSchema,
  consolePartnersSchema,
  consolePresenceSchema,
  consoleQuotaSchema,
  consoleReentrySchema,
  consoleRefreshSchema,
  consoleSummarySchema,
  type ConsoleFilters,
} from '../../../contract/console.js';
import { toCsv } from '../../../core/export/csv.js';
import { recordAudit } from '../../audit/audit.js';
import { auditContextOf, type ServiceContext } from '../../services/context.js';
import { ConsoleService, refreshConsole } from '../../services/console/console.js';
import { consoleTable, figureTitles, type ConsoleFigures } from '../../export/console-tables.js';
import { renderConsoleBriefing } from '../../export/console-briefing.js';
import { toXlsxBook } from '../../export/xlsx.js';
import { schedulePeriodic } from '../../jobs/periodic.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['console'];

/** The working group's console (issue 17): de-identified figures, exports and the PDF briefing. */
export async function consoleRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const minCell = Math.max(1, Math.round(options.console?.minCell ?? 5));
  const service = new ConsoleService(db, { minCell, now: () => new Date() }, () => deps.quota!());
  const read = { capability: 'console.read' } as const;

  // The aggregate layer is rebuilt on a schedule (default every 15 minutes; the first run shortly after start).
  schedulePeriodic(app, 'console refresh', options.console?.refreshIntervalSeconds ?? 0, async () => {
    await refreshConsole(db);
    service.warm();
  });

  const figure = <T>(
    path: string,
    name: string,
    summary: string,
    response: unknown,
    compute: (ctx: ServiceContext, filters: ConsoleFilters) => Promise<T>,
  ) =>
    app.get(
      path,
      {
        config: read,
        schema: { tags, summary, querystring: consoleFiltersSchema, response: { 200: response as never } },
      },
      async (request) => {
        const ctx = contextOf(db, request);
        // The quota figure reads the live ledger; the others the aggregate layer (computed once per rebuild).
        const result =
          name === 'quota'
            ? await compute(ctx, request.query)
            : await service.cached(name, request.query, () => compute(ctx, request.query));
        await service.audit(ctx, 'console.query', name, request.query);
        return result;
      },
    );

  figure(
    '/api/console/summary',
    'summary',
    'Totals, freshness and the filter choices',
    consoleSummarySchema,
    (_c, f) => service.summary(f),
  );
  figure(
    '/api/console/lead-times',
    'lead-times',
    'Dispatch lead time (staffing need to admission) by month: median, 90th percentile, share under 30 days',
    consoleLeadTimesSchema,
    (_c, f) => service.leadTimes(f),
  );
  figure(
    '/api/console/outcomes',
    'outcomes',
    'Applications, issuances, refusals and 221(g) by category and post; interview waiting days',
    consoleOutcomesSchema,
    (_c, f) => service.outcomes(f),
  );
  figure(
    '/api/console/batches',
    'batches',
    'Embassy-desk batches by status, and decisions per week',
    consoleBatchesSchema,
    (_c, f) => service.batches(f),
  );
  figure(
    '/api/console/presence',
    'presence',
    'People on US sites today by status and site; staffing need against admitted per project',
    consolePresenceSchema,
    (_c, f) => service.presence(f),
  );
  figure(
    '/api/console/quota',
    'quota',
    'Capped programs (the E-4 and others): use against cap, projected exhaustion',
    consoleQuotaSchema,
    (c, f) => service.quota(c, f),
  );
  figure(
    '/api/console/reentry',
    'reentry',
    'The re-entry cohort of workers detained on 2025-09-04: returned, by category, lead times',
    consoleReentrySchema,
    (_c, f) => service.reentry(f),
  );
  figure(
    '/api/console/partners',
    'partners',
    "Partner firms' share of dispatches and their lead times against investors'",
    consolePartnersSchema,
    (_c, f) => service.partners(f),
  );

  async function all(ctx: ServiceContext, filters: ConsoleFilters): Promise<ConsoleFigures> {
    const c = <T>(name: string, compute: () => Promise<T>) => service.cached(name, filters, compute);
    return {
      'lead-times': await c('lead-times', () => service.leadTimes(filters)),
      outcomes: await c('outcomes', () => service.outcomes(filters)),
      batches: await c('batches', () => service.batches(filters)),
      presence: await c('presence', () => service.presence(filters)),
      quota: await service.quota(ctx, filters),
      reentry: await c('reentry', () => service.reentry(filters)),
      partners: await c('partners', () => service.partners(filters)),
    };
  }
  const stamp = () => new Date().toISOString().slice(0, 10);

  app.get(
    '/api/console/export.csv',
    {
      config: read,
      schema: {
        tags,
        summary: 'One figure as CSV (UTF-8 with BOM, bilingual header, small cells as "<5")',
        querystring: consoleExportQuerySchema,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(db, request);
      const { figure: name, ...filters } = request.query;
      const data = (await all(ctx, filters))[name];
      const table = consoleTable(name, data as never);
      await service.audit(ctx, 'console.export', `${name}.csv`, filters);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="korus-${name}-${stamp()}.csv"`)
        .send(toCsv(table.header, table.rows));
    },
  );
  app.get(
    '/api/console/export.xlsx',
    {
      config: read,
      schema: {
        tags,
        summary: 'Every figure as an XLSX workbook, one sheet per figure',
        querystring: consoleFiltersSchema,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(db, request);
      const figures = await all(ctx, request.query);
      const book = await toXlsxBook(
        consoleFigures.map((name) => ({
          name: figureTitles[name].en.slice(0, 31),
          ...consoleTable(name, figures[name] as never),
        })),
      );
      await service.audit(ctx, 'console.export', 'all.xlsx', request.query);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="korus-console-${stamp()}.xlsx"`)
        .send(book);
    },
  );
  app.get(
    '/api/console/briefing.pdf',
    {
      config: read,
      schema: {
        tags,
        summary: 'The working-group pack: every figure and the lead-time chart as a bilingual PDF',
        querystring: consoleFiltersSchema,
      },
    },
    async (request, reply) => {
      const ctx = contextOf(db, request);
      const figures = await all(ctx, request.query);
      const pdf = await renderConsoleBriefing(figures, {
        refreshedAt: figures['lead-times'].refreshedAt,
        filters: request.query,
        minCell,
        generatedOn: stamp(),
      });
      await service.audit(ctx, 'console.export', 'briefing.pdf', request.query);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="korus-working-group-pack-${stamp()}.pdf"`)
        .send(pdf);
    },
  );
  app.post(
    '/api/console/refresh',
    {
      config: { capability: 'console.admin' },
      schema: {
        tags,
        summary: "Rebuild the console's aggregate layer now (it is also rebuilt on a schedule)",
        response: { 200: consoleRefreshSchema },
      },
    },
    async (request) => {
      const ctx = contextOf(db, request);
      const result = await refreshConsole(db);
      service.warm();
      await recordAudit(db, auditContextOf(ctx), {
        action: 'console.refresh',
        targetType: 'console',
        targetId: null,
        organizationId: ctx.actor.organizationId,
        details: result,
      });
      return result;
    },
  );
}
