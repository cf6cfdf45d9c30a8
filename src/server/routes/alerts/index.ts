import { recomputePlans } from '../../services/settlement/plans.js';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  alertScanRequestSchema,
  alertScanResultSchema,
  notificationListQuerySchema,
  notificationListSchema,
  notificationSchema,
  readAllResultSchema,
} from '../../../contract/alerts.js';
import { listNotifications, markAllRead, markRead, scanAlertsAs } from '../../services/alerts/alerts.js';
import { scheduleAlertJobs } from '../../jobs/alerts-jobs.js';
import { configureAlertRefresh, stopAlertRefresh } from '../../services/alerts/refresh.js';

const tags = ['alerts'];

/** The notification centre (the caller's own alerts) and the on-demand alert scan (issue 6, item 2). */
export async function alertRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const timeZone = options.alerts?.timeZone ?? 'UTC';
  const own = { capability: 'notifications.own' } as const;

  app.get(
    '/api/notifications',
    {
      config: own,
      schema: {
        tags,
        summary: "The caller's notifications (alerts), newest first, with the unread and total counts",
        querystring: notificationListQuerySchema,
        response: { 200: notificationListSchema },
      },
    },
    async (request) =>
      listNotifications(contextOf(db, request), {
        unread: request.query.unread === 'true',
        limit: request.query.limit,
      }),
  );
  app.post(
    '/api/notifications/:id/read',
    {
      config: own,
      schema: {
        tags,
        summary: 'Mark one of the caller’s notifications read',
        params: idParamsSchema,
        response: { 200: notificationSchema },
      },
    },
    async (request) => markRead(contextOf(db, request), request.params.id),
  );
  app.post(
    '/api/notifications/read-all',
    {
      config: own,
      schema: {
        tags,
        summary: 'Mark all the caller’s notifications read',
        response: { 200: readAllResultSchema },
      },
    },
    async (request) => markAllRead(contextOf(db, request)),
  );
  app.post(
    '/api/alerts/scan',
    {
      config: { capability: 'alerts.admin' },
      schema: {
        tags,
        summary:
          "Compute the alerts now (the caller's organization; a platform administrator: all) and store new notifications",
        body: alertScanRequestSchema.optional(),
        response: { 200: alertScanResultSchema },
      },
    },
    async (request) => scanAlertsAs(contextOf(db, request), { asOf: request.body?.asOf, timeZone }),
  );

  // The daily scan first recomputes the saved settlement plans (their filings and age-outs feed the alerts).
  scheduleAlertJobs(app, {
    db,
    alerts: options.alerts && {
      ...options.alerts,
      beforeScan: async () => {
        const r = await recomputePlans(db, { parameters: options.rules.parameters, rulesVersion: options.rules.rulesVersion }); // prettier-ignore
        app.log.info({ ...r }, 'settlement plans recomputed');
      },
    },
  });
  // With the server's alert settings (korus serve), a change recomputes its organization's alerts.
  if (options.alerts && options.alerts.refreshOnChange !== false) {
    configureAlertRefresh(db, {
      timeZone,
      delayMs: 1000,
      onError: (error) => app.log.error({ err: error }, 'alert refresh failed; the daily scan will catch up'),
    });
    app.addHook('onClose', async () => stopAlertRefresh(db));
  }
}
