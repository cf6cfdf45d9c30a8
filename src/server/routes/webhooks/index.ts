import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  createWebhookSchema,
  updateWebhookSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../../../contract/webhooks.js';
import { schedulePeriodic } from '../../jobs/periodic.js';
import { deliverDue } from '../../services/webhooks/dispatch.js';
import { onWebhooksPending } from '../../services/webhooks/events.js';
import {
  createWebhook,
  deleteWebhook,
  listWebhooks,
  pingWebhook,
  redeliver,
  updateWebhook,
  webhookDeliveries,
} from '../../services/webhooks/webhooks.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['webhooks'];

/**
 * Webhooks (issue 18): the organization's endpoints and their delivery log, for its administrators. The
 * dispatcher runs in every server (deliveries are claimed with SKIP LOCKED): every few seconds, and at once when
 * an event is queued.
 */
export async function webhookRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const { cipher } = pipelineDeps(options);
  const manage = { capability: 'webhooks.manage' } as const;
  const now = () => new Date();
  const dispatch = () =>
    deliverDue({ db, cipher, allowPrivate: options.webhooks?.allowPrivate ?? false }).then(() => undefined);

  const interval = options.webhooks?.intervalSeconds ?? 0;
  if (interval > 0) {
    schedulePeriodic(app, 'webhook deliveries', interval, dispatch, 1_000);
    let closed = false;
    let inFlight: Promise<void> | undefined;
    const stop = onWebhooksPending(() => {
      if (closed || inFlight) return;
      // After the commit that queued them (the emitting transaction ends first).
      inFlight = new Promise<void>((resolve) => setTimeout(resolve, 50))
        .then(dispatch)
        .catch((error: unknown) => app.log.error({ err: error }, 'webhook deliveries failed'))
        .finally(() => {
          inFlight = undefined;
        });
    });
    app.addHook('onClose', async () => {
      closed = true;
      stop();
      await inFlight;
    });
  }

  app.get(
    '/api/webhooks',
    { config: manage, schema: { tags, summary: "The organization's webhook endpoints", response: { 200: z.array(webhookEndpointSchema) } } }, // prettier-ignore
    async (request) => listWebhooks(contextOf(db, request)),
  );
  app.post(
    '/api/webhooks',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add an endpoint (the signing secret is in the answer, once)',
        body: createWebhookSchema,
        response: { 201: webhookEndpointSchema },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return createWebhook(contextOf(db, request), cipher, request.body, now());
    },
  );
  app.patch(
    '/api/webhooks/:id',
    {
      config: manage,
      schema: {
        tags,
        summary:
          'Change, pause or resume an endpoint, or rotate its secret (the new one is in the answer, once)',
        params: idParamsSchema,
        body: updateWebhookSchema,
        response: { 200: webhookEndpointSchema },
      },
    },
    async (request) => updateWebhook(contextOf(db, request), cipher, request.params.id, request.body),
  );
  app.delete(
    '/api/webhooks/:id',
    { config: manage, schema: { tags, summary: 'Remove an endpoint (its pending deliveries are dropped)', params: idParamsSchema } }, // prettier-ignore
    async (request, reply) => {
      await deleteWebhook(contextOf(db, request), request.params.id, now());
      return reply.code(204).send();
    },
  );
  app.post(
    '/api/webhooks/:id/ping',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Send a test event (webhook.ping) to this endpoint',
        params: idParamsSchema,
        response: { 202: z.object({ eventId: z.uuid() }) },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return pingWebhook(contextOf(db, request), request.params.id, now());
    },
  );
  app.get(
    '/api/webhooks/:id/deliveries',
    {
      config: manage,
      schema: {
        tags,
        summary: 'The delivery log of an endpoint: each event, its status and every attempt (newest first)',
        params: idParamsSchema,
        response: { 200: z.array(webhookDeliverySchema) },
      },
    },
    async (request) => webhookDeliveries(contextOf(db, request), request.params.id),
  );
  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Send a delivery again',
        params: z.object({ id: z.uuid(), deliveryId: z.uuid() }),
      },
    },
    async (request, reply) => {
      await redeliver(contextOf(db, request), request.params.id, request.params.deliveryId, now());
      return reply.code(202).send();
    },
  );
}
