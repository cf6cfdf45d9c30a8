import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import {
  deskBatchSchema,
  deskCalendarQuerySchema,
  deskCalendarSchema,
  deskCapacitySchema,
  deskDayParamsSchema,
  deskDaySchema,
  deskInboxQuerySchema,
  deskInboxSchema,
  deskOutcomeRequestSchema,
  deskReturnSchema,
  deskScheduleSchema,
} from '../../../contract/desk.js';
import {
  acknowledgeBatch,
  deskCalendar,
  deskInbox,
  getDeskBatch,
  recordOutcome,
  returnBatch,
  scheduleInterviews,
  setCapacity,
} from '../../services/desk/desk.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['desk'];

/** The embassy desk's inbox (issue 17): officers of a government organization with the `embassy_desk` mandate. */
export async function deskRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const read = { capability: 'desk.read' } as const;
  const write = { capability: 'desk.write' } as const;

  app.get(
    '/api/desk/batches',
    {
      config: read,
      schema: {
        tags,
        summary: "The desk's inbox: batches sent to it (open by default)",
        querystring: deskInboxQuerySchema,
        response: { 200: deskInboxSchema },
      },
    },
    async (request) => ({ items: await deskInbox(contextOf(db, request), request.query.status) }),
  );
  app.get(
    '/api/desk/batches/:id',
    {
      config: read,
      schema: {
        tags,
        summary:
          'A batch sent to the desk: its applicants (identities only while open plus retention), history',
        params: idParamsSchema,
        response: { 200: deskBatchSchema },
      },
    },
    async (request) => getDeskBatch(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/desk/batches/:id/acknowledge',
    {
      config: write,
      schema: {
        tags,
        summary: 'Acknowledge a submitted batch: applications received, cases at the interview stage',
        params: idParamsSchema,
        response: { 200: deskBatchSchema },
      },
    },
    async (request) => acknowledgeBatch(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/desk/batches/:id/return',
    {
      config: write,
      schema: {
        tags,
        summary: 'Return a submitted batch to the investor, with reasons (per applicant where needed)',
        params: idParamsSchema,
        body: deskReturnSchema,
        response: { 200: deskBatchSchema },
      },
    },
    async (request) => returnBatch(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/desk/batches/:id/interviews',
    {
      config: write,
      schema: {
        tags,
        summary: "Book applicants of an acknowledged batch on an interview day, within the day's capacity",
        params: idParamsSchema,
        body: deskScheduleSchema,
        response: { 200: deskBatchSchema },
      },
    },
    async (request) => scheduleInterviews(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.post(
    '/api/desk/batches/:id/outcomes',
    {
      config: write,
      schema: {
        tags,
        summary: "Record an applicant's outcome: issued (annotation, validity), 214(b), 221(g), withdrawn",
        params: idParamsSchema,
        body: deskOutcomeRequestSchema,
        response: { 200: deskBatchSchema },
      },
    },
    async (request) => recordOutcome(contextOf(db, request), deps, request.params.id, request.body),
  );
  app.get(
    '/api/desk/calendar',
    {
      config: read,
      schema: {
        tags,
        summary: "The desk's interview calendar: capacity and bookings per day (four weeks by default)",
        querystring: deskCalendarQuerySchema,
        response: { 200: deskCalendarSchema },
      },
    },
    async (request) => deskCalendar(contextOf(db, request), deps, request.query),
  );
  app.put(
    '/api/desk/calendar/:day',
    {
      config: write,
      schema: {
        tags,
        summary: 'Set the interview capacity of a day (never below what is booked)',
        params: deskDayParamsSchema,
        body: deskCapacitySchema,
        response: { 200: deskDaySchema },
      },
    },
    async (request) => setCapacity(contextOf(db, request), deps, request.params.day, request.body.capacity),
  );
}
