import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  closeYearResponseSchema,
  IDEMPOTENCY_HEADER,
  programComparisonSchema,
  programsQuerySchema,
  quotaStatusSchema,
  quotaYearParamsSchema,
  releaseRequestSchema,
  reservationChangeSchema,
  reservationListQuerySchema,
  reservationListSchema,
  reservationSchema,
  reserveRequestSchema,
  utilizationSchema,
  verificationSchema,
  waitlistQuerySchema,
  waitlistSchema,
} from '../../../contract/quota.js';
import { idempotencyKeyOf, QuotaLedger, quotaActorOf } from '../../services/quota.js';
import { publishedPoolPolicies } from '../../services/contribution/pool-policy.js';
import { idempotencyHeaders, sendWrite } from './write.js';
import { lotteryRoutes } from './lottery.js';
import { scheduleQuotaExpiry } from './expiry-schedule.js';

/** The quota ledger: status for everyone entitled; writes for government officers (capability quota.write). */
export async function quotaRoutes(app: App, options: AppOptions) {
  const { db } = options;
  let ledger: QuotaLedger | undefined;
  // One ledger per server (it holds the batching queues), on the parameters the rules engine loaded at start-up.
  const ledgerOf = () =>
    (ledger ??= new QuotaLedger(db, { catalogue: publishedPoolPolicies(options).catalogue() }));
  const tags = ['quota'];
  // Registered before `/api/quota/:program/:fiscalYear/...` lookalikes; the lottery and the expiry.
  await lotteryRoutes(app, options, ledgerOf);
  scheduleQuotaExpiry(app, ledgerOf, options.quotaExpiryIntervalSeconds ?? 0);

  app.get(
    '/api/quota/programs',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Capped programs side by side for a fiscal year (default: the current one)',
        querystring: programsQuerySchema,
        response: { 200: programComparisonSchema },
      },
    },
    async (request) => ledgerOf().programs(request.query.fiscalYear),
  );

  app.get(
    '/api/quota/:program/:fiscalYear',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary:
          'Cap, reserved, issued, released, available and waitlisted, by pool, with the projected exhaustion',
        params: quotaYearParamsSchema,
        response: { 200: quotaStatusSchema },
      },
    },
    async (request) =>
      ledgerOf().status(
        quotaActorOf(contextOf(db, request)),
        request.params.program,
        request.params.fiscalYear,
      ),
  );

  app.get(
    '/api/quota/:program/:fiscalYear/utilization',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Utilization over time: counters at the end of each UTC day, in total and per pool',
        params: quotaYearParamsSchema,
        response: { 200: utilizationSchema },
      },
    },
    async (request) =>
      ledgerOf().utilization(
        quotaActorOf(contextOf(db, request)),
        request.params.program,
        request.params.fiscalYear,
      ),
  );

  app.get(
    '/api/quota/:program/:fiscalYear/waitlist',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'The waitlist in promotion order (companies see their own entries and their places)',
        params: quotaYearParamsSchema,
        querystring: waitlistQuerySchema,
        response: { 200: waitlistSchema },
      },
    },
    async (request) =>
      ledgerOf().waitlist(
        quotaActorOf(contextOf(db, request)),
        request.params.program,
        request.params.fiscalYear,
        request.query,
      ),
  );

  app.get(
    '/api/quota/:program/:fiscalYear/reservations',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Reservations (officers: all; companies: their own cases)',
        params: quotaYearParamsSchema,
        querystring: reservationListQuerySchema,
        response: { 200: reservationListSchema },
      },
    },
    async (request) =>
      ledgerOf().reservations(
        quotaActorOf(contextOf(db, request)),
        request.params.program,
        request.params.fiscalYear,
        request.query,
      ),
  );

  app.post(
    '/api/quota/:program/:fiscalYear/reservations',
    {
      config: { capability: 'quota.write' },
      schema: {
        tags,
        summary: 'Reserve a number for a case, or join the waitlist when none is left (idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        body: reserveRequestSchema,
        response: { 201: reservationSchema },
      },
    },
    async (request, reply) =>
      sendWrite(
        reply,
        await ledgerOf().reserve(
          quotaActorOf(contextOf(db, request)),
          request.params.program,
          request.params.fiscalYear,
          request.body,
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]),
        ),
      ),
  );

  app.post(
    '/api/quota/:program/:fiscalYear/close',
    {
      config: { capability: 'quota.write' },
      schema: {
        tags,
        summary: 'Close the fiscal year: no more reservations (idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        response: { 200: closeYearResponseSchema },
      },
    },
    async (request, reply) =>
      sendWrite(
        reply,
        await ledgerOf().closeYear(
          quotaActorOf(contextOf(db, request)),
          request.params.program,
          request.params.fiscalYear,
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]),
        ),
      ),
  );

  app.get(
    '/api/quota/:program/:fiscalYear/verify',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Recompute the hash chains and check that the entries add up to the counters',
        params: quotaYearParamsSchema,
        response: { 200: verificationSchema },
      },
    },
    async (request) => {
      const ledger = ledgerOf();
      const program = ledger.program(request.params.program, request.params.fiscalYear);
      return ledger.verify({ program: program.code, fiscalYear: request.params.fiscalYear });
    },
  );

  app.get(
    '/api/quota/reservations/:id',
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'One reservation (with its place in the queue when it waits)',
        params: idParamsSchema,
        response: { 200: reservationSchema },
      },
    },
    async (request) => ledgerOf().reservation(quotaActorOf(contextOf(db, request)), request.params.id),
  );

  for (const action of ['issue', 'release'] as const) {
    app.post(
      `/api/quota/reservations/:id/${action}`,
      {
        config: { capability: 'quota.write' },
        schema: {
          tags,
          summary:
            action === 'issue'
              ? 'The approval was granted: the reserved number is used (idempotent)'
              : 'Release a number (denied, withdrawn, expired): it returns and the earliest waiting request is promoted (idempotent)',
          params: idParamsSchema,
          headers: idempotencyHeaders,
          ...(action === 'release' ? { body: releaseRequestSchema } : {}),
          response: { 200: reservationChangeSchema },
        },
      },
      async (request, reply) =>
        sendWrite(
          reply,
          await ledgerOf().settle(
            quotaActorOf(contextOf(db, request)),
            request.params.id,
            action,
            action === 'release' ? (request.body as { reason: string }).reason : null,
            idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]),
          ),
        ),
    );
  }
}
