import type { BilingualText } from '../../../contract/assessment.js';
import type { AlertScanResult, Notification } from '../../../contract/alerts.js';
import {
  computeAlerts,
  type Alert,
  type AlertInput,
  type CaseStageRecord,
} from '../../../core/alerts/rules.js';
import type { IsoDate } from '../../../core/dates/index.js';
import { workflowById } from '../../../core/workflows/index.js';
import type { CasePlan } from '../../../contract/workflow.js';
import { currentStageTarget } from '../pipeline/workflow-bridge.js';
import { noticeOfStage } from '../uscis/stages.js';
import { emitEvent } from '../webhooks/events.js';
import type { PlanSummary } from '../../../contract/settlement.js';
import type { Database, Queryable } from '../../db/database.js';
import { recordAudit, type AuditContext } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';

/**
 * Alerts (issue 6, item 2): computes the alerts of every organization with `src/core/alerts` and stores them as
 * notifications, one row per recipient, idempotently (the (organization, user, dedupe key) is unique).
 *
 * Recipients: the administrators and staff of the worker's employer (the organization every record below
 * belongs to), and the worker concerned when they have a login. Every query is scoped to one organization; each
 * organization is scanned in a transaction of its own.
 */

/** The scheduled scan acts as the system, never as a user. */
export const alertsSystemActor: AuditContext = {
  actorUserId: null,
  actorLabel: 'system:alerts-scan',
  organizationId: null,
  requestId: null,
};

/** Today's calendar date in a time zone (IANA name, e.g. `UTC`, `Asia/Seoul`, `America/New_York`). */
export function todayIn(timeZone: string, now: Date = new Date()): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface ScanOptions {
  /** The as-of date; default today in `timeZone`. */
  asOf?: IsoDate | undefined;
  /** Time zone of "today" (default UTC). */
  timeZone?: string | undefined;
  /** Scan this organization only; default all. */
  organizationId?: string | undefined;
  audit?: AuditContext;
}

/** Reads one organization's records as the pure rules' input. */
export async function alertInputOf(
  tx: Queryable,
  organizationId: string,
  asOf: IsoDate,
): Promise<AlertInput> {
  const workers = await tx.query<{
    id: string;
    family_name: string;
    given_name: string;
    name_hangul: string;
    passport_expiry: string;
  }>(
    `SELECT id, family_name, given_name, name_hangul, passport_expiry FROM workers WHERE organization_id = $1`,
    [organizationId],
  );
  const dependents = await tx.query<{
    id: string;
    worker_id: string;
    relationship: 'spouse' | 'child';
    family_name: string;
    given_name: string;
    name_hangul: string | null;
    birth_date: string;
    passport_expiry: string | null;
  }>(
    `SELECT d.id, d.worker_id, d.relationship, d.family_name, d.given_name, d.name_hangul, d.birth_date,
            d.passport_expiry
       FROM dependents d JOIN workers w ON w.id = d.worker_id
      WHERE w.organization_id = $1`,
    [organizationId],
  );
  const entries = await tx.query<{
    id: string;
    worker_id: string;
    dependent_id: string | null;
    admitted_on: string;
    class_of_admission: string;
    admit_until: string | null;
    duration_of_status: boolean;
    departed_on: string | null;
  }>(
    `SELECT id, worker_id, dependent_id, admitted_on, class_of_admission, admit_until, duration_of_status,
            departed_on
       FROM entries WHERE organization_id = $1 AND admitted_on <= $2`,
    [organizationId, asOf],
  );
  // Visa expiry: there is no visa table; a visa is a case document of type `visa` or `<category>_visa` (the
  // workflows' `b1_visa`, `h1b_visa`, …) uploaded with an expiry date.
  const visas = await tx.query<{
    id: string;
    case_id: string;
    worker_id: string;
    dependent_id: string | null;
    doc_type: string;
    expires_on: string;
  }>(
    `SELECT d.id, d.case_id, c.worker_id, c.dependent_id, d.doc_type, d.expires_on
       FROM case_documents d JOIN cases c ON c.id = d.case_id
      WHERE c.organization_id = $1 AND d.expires_on IS NOT NULL
        AND (d.doc_type = 'visa' OR d.doc_type LIKE '%\\_visa')`,
    [organizationId],
  );
  const cases = await tx.query<{
    id: string;
    worker_id: string;
    dependent_id: string | null;
    stage: string;
    workflow_id: string;
    plan: { stages?: { id: string; targetDate: string }[] };
    stage_entered_at: Date;
    stage_due_on: string | null;
  }>(
    `SELECT id, worker_id, dependent_id, stage, workflow_id, plan, stage_entered_at,
            CASE WHEN stage_due_for = stage THEN stage_due_on::text END AS stage_due_on
       FROM cases WHERE organization_id = $1 AND status = 'open'`,
    [organizationId],
  );
  const caseStages: CaseStageRecord[] = [];
  for (const c of cases) {
    const targetDate = currentStageTarget(c.plan as CasePlan, {
      workflowId: c.workflow_id,
      stage: c.stage,
      stageEnteredAt: c.stage_entered_at,
      stageDueOn: c.stage_due_on,
    });
    if (!targetDate) continue;
    const title: BilingualText = workflowById(c.workflow_id)?.stages.find((s) => s.id === c.stage)?.title ?? {
      en: c.stage,
      ko: c.stage,
    };
    caseStages.push({
      caseId: c.id,
      workerId: c.worker_id,
      dependentId: c.dependent_id,
      stage: c.stage,
      stageTitle: title,
      stageTargetDate: targetDate,
      notice: c.stage_due_on ? noticeOfStage(c.stage) : null,
    });
  }
  // The first path of each saved settlement plan (issue 19): its filings and the children it leaves behind.
  const plans = await tx.query<{ worker_id: string; summary: PlanSummary }>(
    `SELECT worker_id, summary FROM settlement_plans WHERE organization_id = $1`,
    [organizationId],
  );
  return {
    asOf,
    workers: workers.map((w) => ({
      id: w.id,
      familyName: w.family_name,
      givenName: w.given_name,
      nameHangul: w.name_hangul,
      passportExpiry: w.passport_expiry,
    })),
    dependents: dependents.map((d) => ({
      id: d.id,
      workerId: d.worker_id,
      relationship: d.relationship,
      familyName: d.family_name,
      givenName: d.given_name,
      nameHangul: d.name_hangul,
      birthDate: d.birth_date,
      passportExpiry: d.passport_expiry,
    })),
    entries: entries.map((e) => ({
      id: e.id,
      workerId: e.worker_id,
      dependentId: e.dependent_id,
      admittedOn: e.admitted_on,
      classOfAdmission: e.class_of_admission,
      admitUntil: e.admit_until,
      durationOfStatus: e.duration_of_status,
      departedOn: e.departed_on,
    })),
    visas: visas.map((v) => ({
      documentId: v.id,
      caseId: v.case_id,
      workerId: v.worker_id,
      dependentId: v.dependent_id,
      docType: v.doc_type,
      expiresOn: v.expires_on,
    })),
    caseStages,
    plans: plans.map((p) => ({
      workerId: p.worker_id,
      route: p.summary.topRoute ?? '',
      filings: p.summary.filings,
      ageOuts: p.summary.ageOuts,
    })),
  };
}

/** Stores one organization's alerts for their recipients; returns how many rows were new. */
async function storeAlerts(
  tx: Queryable,
  organizationId: string,
  asOf: IsoDate,
  alerts: readonly Alert[],
): Promise<number> {
  if (alerts.length === 0) return 0;
  const staff = await tx.query<{ id: string }>(
    `SELECT id FROM users WHERE organization_id = $1 AND role IN ('admin', 'staff') AND NOT disabled`,
    [organizationId],
  );
  const workerUsers = new Map(
    (
      await tx.query<{ id: string; user_id: string }>(
        `SELECT w.id, w.user_id FROM workers w JOIN users u ON u.id = w.user_id
          WHERE w.organization_id = $1 AND NOT u.disabled`,
        [organizationId],
      )
    ).map((r) => [r.id, r.user_id]),
  );
  const rows: Record<string, unknown>[] = [];
  for (const alert of alerts) {
    const recipients = new Set(staff.map((s) => s.id));
    const own = alert.workerId ? workerUsers.get(alert.workerId) : undefined;
    if (own) recipients.add(own);
    for (const userId of recipients) {
      rows.push({
        user_id: userId,
        kind: alert.kind,
        severity: alert.severity,
        subject_type: alert.subjectType,
        subject_id: alert.subjectId,
        worker_id: alert.workerId,
        case_id: alert.caseId,
        due_on: alert.dueOn,
        threshold_days: alert.thresholdDays,
        dedupe_key: alert.dedupeKey,
        message: alert.message,
        verify: alert.verify,
      });
    }
  }
  if (rows.length === 0) return 0;
  const inserted = await tx.query<{
    id: string;
    dedupe_key: string;
    kind: string;
    severity: string;
    case_id: string | null;
    worker_id: string | null;
    due_on: string;
  }>(
    `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, worker_id,
       case_id, due_on, threshold_days, dedupe_key, message, verify, as_of)
     SELECT $1, r.user_id, r.kind, r.severity, r.subject_type, r.subject_id, r.worker_id, r.case_id, r.due_on,
            r.threshold_days, r.dedupe_key, r.message, r.verify, $2
       FROM jsonb_to_recordset($3::jsonb) AS r (user_id uuid, kind text, severity text, subject_type text,
            subject_id uuid, worker_id uuid, case_id uuid, due_on date, threshold_days integer, dedupe_key text,
            message jsonb, verify boolean)
     ON CONFLICT (organization_id, user_id, dedupe_key) DO NOTHING
     RETURNING id, dedupe_key, kind, severity, case_id, worker_id, due_on::text`,
    [organizationId, asOf, JSON.stringify(rows)],
  );
  // One webhook event per alert newly raised (not per recipient).
  const raised = new Map(inserted.map((r) => [r.dedupe_key, r]));
  for (const r of raised.values())
    await emitEvent(tx, {
      organizationId,
      type: 'alert.raised',
      data: { kind: r.kind, severity: r.severity, caseId: r.case_id, workerId: r.worker_id, dueOn: r.due_on },
      at: new Date(),
    });
  return inserted.length;
}

/**
 * Computes and stores the alerts of every organization (or one), each in its own transaction. Running it twice
 * on the same day (or on two servers at once) stores each alert once per recipient.
 */
export async function scanAlerts(db: Database, options: ScanOptions = {}): Promise<AlertScanResult> {
  const timeZone = options.timeZone ?? 'UTC';
  const asOf = options.asOf ?? todayIn(timeZone);
  const audit = options.audit ?? alertsSystemActor;
  const organizations = await db.query<{ id: string }>(
    options.organizationId
      ? `SELECT id FROM organizations WHERE id = $1 AND EXISTS (SELECT 1 FROM workers WHERE organization_id = $1)`
      : `SELECT o.id FROM organizations o WHERE EXISTS (SELECT 1 FROM workers w WHERE w.organization_id = o.id)
         ORDER BY o.id`,
    options.organizationId ? [options.organizationId] : [],
  );
  let alerts = 0;
  let inserted = 0;
  for (const { id: organizationId } of organizations) {
    const result = await db.transaction(async (tx) => {
      const computed = computeAlerts(await alertInputOf(tx, organizationId, asOf));
      const stored = await storeAlerts(tx, organizationId, asOf, computed);
      if (stored > 0) {
        const byKind: Record<string, number> = {};
        for (const a of computed) byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
        await recordAudit(tx, audit, {
          action: 'alerts.scan',
          targetType: 'organization',
          targetId: organizationId,
          organizationId,
          details: { asOf, timeZone, alerts: computed.length, notifications: stored, byKind },
        });
      }
      return { alerts: computed.length, stored };
    });
    alerts += result.alerts;
    inserted += result.stored;
  }
  return { asOf, timeZone, organizations: organizations.length, alerts, inserted };
}

/** The scan run by an organization's administrator (their organization only; a platform admin: all). */
export async function scanAlertsAs(
  ctx: ServiceContext,
  options: { asOf?: IsoDate | undefined; timeZone: string },
): Promise<AlertScanResult> {
  const platform = ctx.actor.role === 'platform_admin';
  if (!platform && !ctx.actor.organizationId) throw new ApiError('auth.forbidden');
  return scanAlerts(ctx.db, {
    asOf: options.asOf,
    timeZone: options.timeZone,
    ...(platform ? {} : { organizationId: ctx.actor.organizationId! }),
    audit: auditContextOf(ctx),
  });
}

type NotificationRow = {
  id: string;
  kind: Notification['kind'];
  severity: Notification['severity'];
  subject_type: string;
  subject_id: string;
  worker_id: string | null;
  case_id: string | null;
  due_on: string;
  threshold_days: number | null;
  message: BilingualText;
  verify: boolean;
  created_at: Date;
  read_at: Date | null;
};

const columns = `id, kind, severity, subject_type, subject_id, worker_id, case_id, due_on, threshold_days,
  message, verify, created_at, read_at`;

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    severity: r.severity,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    workerId: r.worker_id,
    caseId: r.case_id,
    dueOn: r.due_on,
    thresholdDays: r.threshold_days,
    message: r.message,
    verify: r.verify,
    createdAt: iso(r.created_at)!,
    readAt: iso(r.read_at),
  };
}

/** The caller's own notifications, newest first, with their counts. */
export async function listNotifications(
  ctx: ServiceContext,
  query: { unread?: boolean; limit: number },
): Promise<{ items: Notification[]; unread: number; total: number }> {
  const rows = await ctx.db.query<NotificationRow>(
    `SELECT ${columns} FROM notifications
      WHERE user_id = $1 ${query.unread ? 'AND read_at IS NULL' : ''}
      ORDER BY created_at DESC, due_on, id LIMIT $2`,
    [ctx.actor.userId, query.limit],
  );
  const [counts] = await ctx.db.query<{ total: number; unread: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread
       FROM notifications WHERE user_id = $1`,
    [ctx.actor.userId],
  );
  return { items: rows.map(toNotification), unread: counts!.unread, total: counts!.total };
}

/** Marks one of the caller's notifications read (again: no change); another user's is "not found". */
export async function markRead(ctx: ServiceContext, id: string): Promise<Notification> {
  return ctx.db.transaction(async (tx) => {
    const [updated] = await tx.query<NotificationRow>(
      `UPDATE notifications SET read_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL
       RETURNING ${columns}`,
      [id, ctx.actor.userId],
    );
    if (updated) {
      await recordAudit(tx, auditContextOf(ctx), {
        action: 'notification.read',
        targetType: 'notification',
        targetId: id,
        details: { count: 1 },
      });
      return toNotification(updated);
    }
    const [existing] = await tx.query<NotificationRow>(
      `SELECT ${columns} FROM notifications WHERE id = $1 AND user_id = $2`,
      [id, ctx.actor.userId],
    );
    if (!existing) throw new ApiError('resource.not_found');
    return toNotification(existing);
  });
}

export async function markAllRead(ctx: ServiceContext): Promise<{ updated: number }> {
  return ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: string }>(
      `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL RETURNING id`,
      [ctx.actor.userId],
    );
    if (rows.length > 0) {
      await recordAudit(tx, auditContextOf(ctx), {
        action: 'notification.read',
        targetType: 'user',
        targetId: ctx.actor.userId,
        details: { count: rows.length },
      });
    }
    return { updated: rows.length };
  });
}
