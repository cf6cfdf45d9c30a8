import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  expireRequestSchema,
  expiryResultSchema,
  IDEMPOTENCY_HEADER,
  lotteryCommitRequestSchema,
  lotteryDrawRequestSchema,
  lotteryRegistrationListQuerySchema,
  lotteryRegistrationListSchema,
  lotteryRegistrationRequestBodySchema,
  lotteryRegistrationSchema,
  lotteryStatusSchema,
  lotteryVerificationSchema,
  quotaYearParamsSchema,
} from '../../../contract/quota.js';
import { idempotencyKeyOf, quotaActorOf, type QuotaLedger } from '../../services/quota.js';
import { QuotaLottery } from '../../services/quota-lottery.js';
import { idempotencyHeaders, sendWrite } from './write.js';

/**
 * The registration lottery over the API (open, register, commit, draw, status, verify) and the on-demand
 * reservation expiry. The seed never reaches the server before the draw: officers compute the commitment with
 * `korus quota lottery seed --seed-file <file>` and send only its SHA-256.
 */
export async function lotteryRoutes(app: App, options: AppOptions, ledgerOf: () => QuotaLedger) {
  const { db } = options;
  const cipher = options.cipher;
  if (!cipher) throw new Error('lotteryRoutes needs the app cipher');
  let lottery: QuotaLottery | undefined;
  const lotteryOf = () => (lottery ??= new QuotaLottery(db, ledgerOf()));
  const tags = ['quota'];
  const base = '/api/quota/:program/:fiscalYear/lottery';

  app.post(
    base,
    {
      config: { capability: 'quota.write' },
      schema: {
        tags,
        summary: 'Open the registration window of a lottery program (officers; idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        response: { 201: lotteryStatusSchema },
      },
    },
    async (request, reply) =>
      sendWrite(
        reply,
        await lotteryOf().open(
          quotaActorOf(contextOf(db, request)),
          request.params.program,
          request.params.fiscalYear,
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]) ?? '',
        ),
      ),
  );

  app.get(
    base,
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Lottery status: window, counts, seed commitment, entries digest, revealed seed, selection',
        params: quotaYearParamsSchema,
        response: { 200: lotteryStatusSchema },
      },
    },
    async (request) => lotteryOf().status(request.params.program, request.params.fiscalYear),
  );

  app.post(
    `${base}/registrations`,
    {
      config: { capability: 'quota.register' },
      schema: {
        tags,
        summary:
          'Register a beneficiary (companies for themselves, officers on behalf of one); the passport number is stored encrypted (idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        body: lotteryRegistrationRequestBodySchema,
        response: { 201: lotteryRegistrationSchema },
      },
    },
    async (request, reply) => {
      const actor = quotaActorOf(contextOf(db, request));
      const { organizationId, ...input } = request.body;
      const service = lotteryOf();
      return sendWrite(
        reply,
        await service.register(
          actor,
          cipher,
          request.params.program,
          request.params.fiscalYear,
          { ...input, organizationId: service.registrant(actor, organizationId) },
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]) ?? '',
        ),
      );
    },
  );

  app.get(
    `${base}/registrations`,
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary:
          'Registrations (companies: their own; officers: all); passport numbers only as their last 2 characters',
        params: quotaYearParamsSchema,
        querystring: lotteryRegistrationListQuerySchema,
        response: { 200: lotteryRegistrationListSchema },
      },
    },
    async (request) =>
      lotteryOf().registrations(
        quotaActorOf(contextOf(db, request)),
        cipher,
        request.params.program,
        request.params.fiscalYear,
        request.query,
      ),
  );

  app.post(
    `${base}/commit`,
    {
      config: { capability: 'quota.write' },
      schema: {
        tags,
        summary:
          'Close registration and publish the SHA-256 of the seed (computed off the server: `korus quota lottery seed`) and the entries digest (idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        body: lotteryCommitRequestSchema,
        response: { 200: lotteryStatusSchema },
      },
    },
    async (request, reply) =>
      sendWrite(
        reply,
        await lotteryOf().commit(
          quotaActorOf(contextOf(db, request)),
          request.params.program,
          request.params.fiscalYear,
          request.body.commitment,
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]) ?? '',
        ),
      ),
  );

  app.post(
    `${base}/draw`,
    {
      config: { capability: 'quota.write' },
      schema: {
        tags,
        summary: 'Reveal the seed (it must match the commitment) and draw (idempotent)',
        params: quotaYearParamsSchema,
        headers: idempotencyHeaders,
        body: lotteryDrawRequestSchema,
        response: { 200: lotteryStatusSchema },
      },
    },
    async (request, reply) => {
      const result = await lotteryOf().draw(
        quotaActorOf(contextOf(db, request)),
        request.params.program,
        request.params.fiscalYear,
        request.body.seed,
        idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]) ?? '',
      );
      // The selected beneficiaries' keyed hashes stay on the server (see the registrations for one's own).
      const { result: _selection, ...status } = result.body;
      return sendWrite(reply, { ...result, body: status });
    },
  );

  app.get(
    `${base}/verify`,
    {
      config: { capability: 'quota.read' },
      schema: {
        tags,
        summary: 'Recompute the draw from the revealed seed and the frozen registrations; list differences',
        params: quotaYearParamsSchema,
        response: { 200: lotteryVerificationSchema },
      },
    },
    async (request) => lotteryOf().verify(request.params.program, request.params.fiscalYear),
  );

  app.post(
    '/api/quota/expire',
    {
      config: { capability: 'quota.admin' },
      schema: {
        tags,
        summary:
          'Release reservations older than policy/quota/reservation-expiry-days and promote the waitlist (idempotent)',
        headers: idempotencyHeaders,
        body: expireRequestSchema,
        response: { 200: expiryResultSchema },
      },
    },
    async (request, reply) =>
      sendWrite(
        reply,
        await ledgerOf().expireIdempotent(
          quotaActorOf(contextOf(db, request)),
          request.body.asOf,
          idempotencyKeyOf(request.headers[IDEMPOTENCY_HEADER]),
        ),
      ),
  );
}
