import { z } from 'zod';
import { idParamsSchema } from '../../../contract/api.js';
import {
  createDirectoryEntrySchema,
  directoryEntrySchema,
  directorySchema,
  planFactsSchema,
  planSchema,
  putPlanGoalSchema,
  savedPlanSchema,
  settlementAggregatesSchema,
  workerPlanSchema,
} from '../../../contract/settlement.js';
import type { AppOptions } from '../../app-options.js';
import { contextOf, type App } from '../../http/fastify.js';
import { ApiError } from '../../http/problem.js';
import type { ServiceContext } from '../../services/context.js';
import { ownWorker } from '../../services/pipeline/workers.js';
import { settlementAggregates } from '../../services/settlement/aggregates.js';
import {
  addDirectoryEntry,
  directorySites,
  latestSiteId,
  ownSiteId,
  removeDirectoryEntry,
  siteDirectory,
} from '../../services/settlement/directory.js';
import { familyPlanPdf } from '../../services/settlement/family-plan-pdf.js';
import { getPlan, planFromFacts, setPlanGoal, type PlannerDeps } from '../../services/settlement/plans.js';

const tags = ['settlement'];
const today = () => new Date().toISOString().slice(0, 10);
const langQuery = z.object({ lang: z.enum(['ko', 'en']).default('ko') }).strict();

/** The settlement planner (issue 19): plans, the family plan PDF, the directory near sites, the aggregates. */
export async function settlementRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps: PlannerDeps = {
    parameters: options.rules.parameters,
    rulesVersion: options.rules.rulesVersion,
  };
  const read = { capability: 'settlement.read' } as const;
  const own = { capability: 'settlement.own' } as const;
  const minCell = Math.max(1, Math.round(options.console?.minCell ?? 5));

  app.post(
    '/api/settlement/plan',
    { config: read, schema: { tags, summary: 'Plan from facts given whole (what-if): ranked paths as timelines; nothing is read or saved', body: planFactsSchema, response: { 200: planSchema } } }, // prettier-ignore
    async (request) => planFromFacts(deps, request.body),
  );
  app.get(
    '/api/workers/:id/plan',
    { config: read, schema: { tags, summary: "A worker's saved plan (recomputed first if the rules, the facts or the day changed); null until a goal is chosen", params: idParamsSchema, response: { 200: workerPlanSchema } } }, // prettier-ignore
    async (request) => getPlan(contextOf(db, request), deps, request.params.id),
  );
  app.put(
    '/api/workers/:id/plan',
    { config: { capability: 'settlement.write' }, schema: { tags, summary: "Choose a worker's goal (permanent residence, or a stay of N years) and the facts the records lack; computes and saves the plan (audited)", params: idParamsSchema, body: putPlanGoalSchema, response: { 200: savedPlanSchema } } }, // prettier-ignore
    async (request) => setPlanGoal(contextOf(db, request), deps, request.params.id, request.body),
  );
  const pdf = async (ctx: ServiceContext, workerId: string | null, lang: 'ko' | 'en') => {
    const { plan } = await getPlan(ctx, deps, workerId);
    if (!plan) throw new ApiError('resource.not_found');
    const siteId = await latestSiteId(ctx, plan.workerId);
    const directory = siteId ? await siteDirectory(ctx, siteId) : null;
    return familyPlanPdf({ facts: plan.facts, plan: plan.plan, directory, generatedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, lang); // prettier-ignore
  };
  app.get(
    '/api/workers/:id/plan.pdf',
    { config: read, schema: { tags, summary: 'The family plan as a bilingual PDF (the language asked first; Korean by default), with the directory near the site', params: idParamsSchema, querystring: langQuery } }, // prettier-ignore
    async (request, reply) =>
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="family-plan-${today()}.pdf"`)
        .send(await pdf(contextOf(db, request), request.params.id, request.query.lang)),
  );
  app.get(
    '/api/me/plan',
    {
      config: own,
      schema: { tags, summary: "The signed-in worker's own plan", response: { 200: workerPlanSchema } },
    },
    async (request) => getPlan(contextOf(db, request), deps, null),
  );
  app.put(
    '/api/me/plan',
    { config: own, schema: { tags, summary: 'The signed-in worker chooses the goal of their own plan (audited)', body: putPlanGoalSchema.pick({ goal: true }).strict(), response: { 200: savedPlanSchema } } }, // prettier-ignore
    async (request) => {
      const ctx = contextOf(db, request);
      const worker = await ownWorker(ctx);
      return setPlanGoal(ctx, deps, worker.id, { goal: request.body.goal });
    },
  );
  app.get(
    '/api/me/plan.pdf',
    { config: own, schema: { tags, summary: "The signed-in worker's family plan as a bilingual PDF", querystring: langQuery } }, // prettier-ignore
    async (request, reply) =>
      reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="family-plan-${today()}.pdf"`)
        .send(await pdf(contextOf(db, request), null, request.query.lang)),
  );
  app.get(
    '/api/me/directory',
    { config: own, schema: { tags, summary: 'The overseas-Korean directory near the signed-in worker’s site', response: { 200: directorySchema } } }, // prettier-ignore
    async (request) => {
      const ctx = contextOf(db, request);
      return siteDirectory(ctx, await ownSiteId(ctx));
    },
  );

  app.get(
    '/api/directory/sites',
    { config: { capability: 'directory.read' }, schema: { tags, summary: 'Sites with a directory the organization keeps or reads, and their entry counts', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), state: z.string(), city: z.string(), organizationName: z.string().nullable(), entries: z.number() })) }) } } }, // prettier-ignore
    async (request) => directorySites(contextOf(db, request)),
  );
  app.get(
    '/api/sites/:id/directory',
    { config: { capability: 'directory.read' }, schema: { tags, summary: 'The overseas-Korean network near a site: the consulate of jurisdiction, then the entries kept by the investor and government organizations', params: idParamsSchema, response: { 200: directorySchema } } }, // prettier-ignore
    async (request) => siteDirectory(contextOf(db, request), request.params.id),
  );
  app.post(
    '/api/sites/:id/directory',
    { config: { capability: 'directory.write' }, schema: { tags, summary: "Add an entry near a site (bilingual, dated, verified by the caller's organization; audited)", params: idParamsSchema, body: createDirectoryEntrySchema, response: { 201: directoryEntrySchema } } }, // prettier-ignore
    async (request, reply) => {
      reply.code(201);
      return addDirectoryEntry(contextOf(db, request), request.params.id, request.body, today());
    },
  );
  app.delete(
    '/api/directory/:id',
    { config: { capability: 'directory.write' }, schema: { tags, summary: 'Remove a directory entry (audited)', params: idParamsSchema, response: { 204: z.null() } } }, // prettier-ignore
    async (request, reply) => {
      await removeDirectoryEntry(contextOf(db, request), request.params.id);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/api/console/settlement',
    { config: { capability: 'settlement.aggregates' }, schema: { tags, summary: "The working group's settlement figures: families, those on a path to permanent residence, children of school age by state, expected green cards per year (small cells suppressed)", response: { 200: settlementAggregatesSchema } } }, // prettier-ignore
    async () => settlementAggregates(db, today(), minCell),
  );
}
