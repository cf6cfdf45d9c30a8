import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { ApiError } from '../../http/problem.js';
import { actorForCalendar } from '../../services/auth.js';
import {
  calendarEvents,
  calendarStatus,
  createCalendar,
  revokeCalendar,
  toICalendar,
} from '../../services/calendar/calendar.js';

const tags = ['calendar'];
const statusSchema = z.object({ active: z.boolean(), createdAt: z.string().nullable() });

/** A calendar feed of one's deadlines (issue 18): a secret URL, made, replaced and revoked by its owner. */
export async function calendarRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const base = options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : '';
  const own = { capability: 'notifications.own' } as const;
  app.get(
    '/api/me/calendar',
    {
      config: own,
      schema: {
        tags,
        summary: 'Whether one has a calendar feed, and since when',
        response: { 200: statusSchema },
      },
    },
    async (request) => calendarStatus(contextOf(db, request)),
  );
  app.post(
    '/api/me/calendar',
    {
      config: own,
      schema: {
        tags,
        summary: 'A new secret calendar URL (shown once; the previous one stops working)',
        response: { 201: z.object({ url: z.string(), createdAt: z.string() }) },
      },
    },
    async (request, reply) => {
      // Without KORUS_PUBLIC_URL the URL is relative; the web app completes it with its own address.
      reply.code(201);
      return createCalendar(contextOf(db, request), base, new Date());
    },
  );
  app.delete(
    '/api/me/calendar',
    {
      config: own,
      schema: {
        tags,
        summary: 'Revoke the calendar URL',
        response: { 200: z.object({ active: z.literal(false) }) },
      },
    },
    async (request) => revokeCalendar(contextOf(db, request), new Date()),
  );
  app.get(
    '/calendar/:file',
    {
      // Public: a calendar application has no session; the secret in the URL is the credential.
      config: { auth: 'public' },
      schema: {
        tags,
        summary: 'The iCalendar feed behind a secret URL',
        params: z.object({ file: z.string().max(200) }),
      },
    },
    async (request, reply) => {
      const match = /^(kcal_[A-Za-z0-9_-]{20,100})\.ics$/.exec(request.params.file);
      const actor = match ? await actorForCalendar(db, match[1]!) : undefined;
      if (!actor) throw new ApiError('resource.not_found');
      const now = new Date();
      const events = await calendarEvents(db, actor, base, now);
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .send(toICalendar(events, now, `KORUS Mobility · ${actor.displayName}`));
    },
  );
}
