import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  cardIssuedSchema,
  cardRevokeSchema,
  cardVerifyRequestSchema,
  cardVerifyResponseSchema,
  createEntrySchema,
  departureSchema,
  entryListSchema,
  entrySchema,
  rosterQuerySchema,
  rosterSchema,
} from '../../../contract/pipeline.js';
import { ephemeralCardKeys } from '../../cards/jws.js';
import {
  checkCard,
  confirmEntry,
  createEntry,
  listOwnEntries,
  reportOwnEntry,
  issueCard,
  issueOwnCard,
  listEntries,
  recordDeparture,
  revokeCard,
  type PresenceDeps,
} from '../../services/presence/presence.js';
import { pipelineDeps } from '../pipeline/index.js';
import { siteRoster } from '../../services/presence/roster.js';
import {
  renderRosterPdf,
  rosterCsvHeader,
  rosterCsvRows,
  rosterExport,
} from '../../services/presence/roster-export.js';
import { toCsv } from '../../../core/export/csv.js';

const tags = ['presence'];

/** Entries and exits (I-94), and the signed worker status card with its public verification (issue 6). */
export async function presenceRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps: PresenceDeps = { ...pipelineDeps(options), cardKeys: options.cardKeys ?? ephemeralCardKeys() };
  const read = { capability: 'pipeline.read' } as const;
  const write = { capability: 'pipeline.write' } as const;

  app.get(
    '/api/workers/:id/entries',
    {
      config: read,
      schema: {
        tags,
        summary: "A worker's admissions to the US with days used and left and warnings",
        params: idParamsSchema,
        response: { 200: entryListSchema },
      },
    },
    async (request) => ({ items: await listEntries(contextOf(db, request), deps, request.params.id) }),
  );
  app.post(
    '/api/workers/:id/entries',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record an admission: by hand, or paste the text of the CBP I-94 website (`i94Text`)',
        params: idParamsSchema,
        body: createEntrySchema,
        response: { 201: entrySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createEntry(contextOf(db, request), deps, request.params.id, request.body)),
  );
  // The worker's own stays: they see them, and report their entry from the I-94 (HR confirms it).
  app.get(
    '/api/workers/me/entries',
    {
      config: { capability: 'profile.own' },
      schema: {
        tags,
        summary: "The signed-in worker's own admissions, with days used and left",
        response: { 200: entryListSchema },
      },
    },
    async (request) => ({ items: await listOwnEntries(contextOf(db, request), deps) }),
  );
  app.post(
    '/api/workers/me/entries',
    {
      config: { capability: 'profile.own' },
      schema: {
        tags,
        summary: 'A worker reports their own entry: paste the I-94 text (or give its fields); HR confirms it',
        body: createEntrySchema,
        response: { 201: entrySchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await reportOwnEntry(contextOf(db, request), deps, request.body)),
  );
  app.post(
    '/api/entries/:id/confirm',
    {
      config: write,
      schema: {
        tags,
        summary: 'HR confirms an entry the worker reported',
        params: idParamsSchema,
        response: { 200: entrySchema },
      },
    },
    async (request) => confirmEntry(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/entries/:id/departure',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record the departure that ends a stay',
        params: idParamsSchema,
        body: departureSchema,
        response: { 200: entrySchema },
      },
    },
    async (request) =>
      recordDeparture(contextOf(db, request), deps, request.params.id, request.body.departedOn),
  );
  app.post(
    '/api/workers/:id/cards',
    {
      config: write,
      schema: {
        tags,
        summary:
          'Issue a signed status card (JWS, Ed25519) for a worker in the US; earlier cards are superseded',
        params: idParamsSchema,
        response: { 201: cardIssuedSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await issueCard(contextOf(db, request), deps, request.params.id, publicBase(options.publicUrl)),
        ),
  );
  app.post(
    '/api/workers/me/cards',
    {
      config: { capability: 'profile.own' },
      schema: {
        tags,
        summary:
          "The signed-in worker takes a fresh status card of their own (same claims as the employer's); refused while their latest card is revoked",
        response: { 201: cardIssuedSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await issueOwnCard(contextOf(db, request), deps, publicBase(options.publicUrl))),
  );
  app.post(
    '/api/cards/:id/revoke',
    {
      config: write,
      schema: { tags, summary: 'Revoke a status card', params: idParamsSchema, body: cardRevokeSchema },
    },
    async (request, reply) => {
      await revokeCard(contextOf(db, request), request.params.id, request.body.reason);
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/cards/verify',
    {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'Check a status card: signature, dates, revocation, replacement (public)',
        body: cardVerifyRequestSchema,
        response: { 200: cardVerifyResponseSchema },
      },
    },
    async (request) => checkCard(db, deps.cardKeys, request.body.token, new Date()),
  );
  app.get(
    '/api/sites/:id/roster',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Who is expected and present at a site on a date, and whether their class of admission permits each assigned activity',
        params: idParamsSchema,
        querystring: rosterQuerySchema,
        response: { 200: rosterSchema },
      },
    },
    async (request) => siteRoster(contextOf(db, request), deps, request.params.id, request.query.date),
  );
  const exportName = (roster: { siteName: string; date: string }, ext: string) =>
    `roster-${roster.siteName.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'site'}-${roster.date}.${ext}`;
  app.get(
    '/api/sites/:id/roster.csv',
    {
      config: read,
      schema: {
        tags,
        summary:
          'The site roster on a date as CSV (UTF-8 with BOM, bilingual header, one row per person, formulas neutralized)',
        params: idParamsSchema,
        querystring: rosterQuerySchema,
      },
    },
    async (request, reply) => {
      const data = await rosterExport(contextOf(db, request), deps, request.params.id, request.query.date);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportName(data.roster, 'csv')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(toCsv(rosterCsvHeader, rosterCsvRows(data)));
    },
  );
  app.get(
    '/api/sites/:id/roster.pdf',
    {
      config: read,
      schema: {
        tags,
        summary:
          'The site roster on a date as a bilingual PDF: counts, people with flags, and a contact sheet (consulate of jurisdiction, company)',
        params: idParamsSchema,
        querystring: rosterQuerySchema,
      },
    },
    async (request, reply) => {
      const data = await rosterExport(contextOf(db, request), deps, request.params.id, request.query.date);
      const pdf = await renderRosterPdf(data);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="${exportName(data.roster, 'pdf')}"`)
        .header('x-content-type-options', 'nosniff')
        .send(pdf);
    },
  );
  app.get(
    '/.well-known/korus-keys.json',
    { config: { auth: 'public' }, schema: { hide: true } },
    async (_request, reply) =>
      reply.header('cache-control', 'public, max-age=300').send({ keys: deps.cardKeys.publicKeys }),
  );
}

/**
 * The base of the verify links on cards: `KORUS_PUBLIC_URL` when set, otherwise nothing (a relative link, which
 * the web app completes with its own address). Never the request's Host header, which the caller chooses.
 */
function publicBase(publicUrl: string | undefined): string {
  return publicUrl ? publicUrl.replace(/\/+$/, '') : '';
}
