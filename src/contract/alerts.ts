import { z } from 'zod';
import { bilingualSchema, isoDateSchema } from './assessment.js';

/** Alerts and the notification centre (issue 6, item 2): shared by the server and the web app. */
export const alertKindValues = [
  'admit_until',
  'passport_expiry',
  'visa_expiry',
  'max_stay',
  'child_turning_21',
  'case_stage_overdue',
  'response_due', // the response to a USCIS request for evidence or notice of intent to deny is due (issue 18)
  'questionnaire', // a questionnaire was sent, submitted, returned or accepted (issue 18)
  'uscis_update', // USCIS recorded a status on a petition case (received, approved, denied…) (issue 18)
  'desk_update', // the embassy desk acknowledged, returned or decided on a batch the organization filed (issue 17)
  'case_message', // a message on a case the user takes part in (issue 18)
  'plan_filing', // a filing of the worker's settlement plan is due within 90, 30 or 7 days (issue 19)
  'plan_age_out', // a child ages out on the first path of the worker's settlement plan (issue 19)
] as const;
export const alertSeverityValues = ['info', 'warning', 'critical'] as const;

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.enum(alertKindValues),
  severity: z.enum(alertSeverityValues),
  subjectType: z.string(),
  subjectId: z.uuid(),
  workerId: z.uuid().nullable(),
  caseId: z.uuid().nullable(),
  dueOn: isoDateSchema,
  thresholdDays: z.number().int().nullable(),
  message: bilingualSchema,
  /** The reading of the law behind the alert should be checked (maximum-stay rules). */
  verify: z.boolean(),
  createdAt: z.string().describe('ISO 8601 date-time (UTC)'),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = z.object({
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const notificationListSchema = z.object({
  items: z.array(notificationSchema),
  unread: z.number().int(),
  total: z.number().int(),
});

export const readAllResultSchema = z.object({ updated: z.number().int() });

export const alertScanRequestSchema = z.object({
  /** The as-of date (default: today in the alerts time zone). */
  asOf: isoDateSchema.optional(),
});

export const alertScanResultSchema = z.object({
  asOf: isoDateSchema,
  timeZone: z.string(),
  organizations: z.number().int(),
  alerts: z.number().int(),
  inserted: z.number().int(),
});
export type AlertScanResult = z.infer<typeof alertScanResultSchema>;
