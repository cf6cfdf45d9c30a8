import type { z } from 'zod';
import type {
  DeskApplicant,
  DeskBatch,
  deskCalendarSchema,
  DeskOutcomeRequest,
  deskBatchSummarySchema,
} from '../../../contract/desk.js';
import { labels as label } from '../../../contract/labels.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { alertsChanged } from '../alerts/refresh.js';
import { boardChanged } from '../pipeline/board-cache.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { stageOf, workflowById } from '../pipeline/workflow-bridge.js';
import { addBatchEvent, batchEvents } from '../consular/batch-events.js';
import {
  advanceCase,
  DS160_CONTEXT,
  notifyHr,
  recordCeacStatus,
  stageForStatus,
  type CaseForMove,
} from '../consular/consular.js';

/**
 * The embassy desk's inbox (issue 17). A desk officer works on the batches sent to their organization (never
 * on others'); every change is one transaction with its audit event, a line in the batch's history that both
 * sides read, the cases moved to the stage the change means, and a notification to the filing HR.
 */

type Summary = z.infer<typeof deskBatchSummarySchema>;

/** Interviews a desk can hold on a weekday when it has not set the day (0 at weekends). */
export const DEFAULT_DAILY_CAPACITY = 20;
const defaultCapacity = (day: string) => {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? 0 : DEFAULT_DAILY_CAPACITY;
};

/** The batches of the caller's desk (a platform administrator: every desk's); drafts are never a desk's. */
function deskCondition(ctx: ServiceContext, b: string, from: number): { sql: string; params: unknown[] } {
  if (isPlatformAdmin(ctx.actor)) return { sql: `${b}.desk_status <> 'draft'`, params: [] };
  return {
    sql: `${b}.desk_status <> 'draft' AND ${b}.desk_organization_id = $${from}`,
    params: [ctx.actor.organizationId],
  };
}

interface SummaryRow {
  id: string;
  investor: string;
  project_name: string;
  site_name: string;
  state: string;
  annotation_company: string;
  annotation_facility: string;
  annotation_project: string;
  desk_status: Summary['deskStatus'];
  desk_organization_id: string;
  submitted_at: Date | null;
  acknowledged_at: Date | null;
  closed_at: Date | null;
  status_changed_at: Date | null;
  retention_days: number;
  applicants: string;
  scheduled: string;
  issued: string;
  refused: string;
  admin: string;
  withdrawn: string;
  [key: string]: unknown;
}

const summarySelect = `
  SELECT b.id, i.name AS investor, p.name AS project_name, s.name AS site_name, s.state, b.annotation_company,
         b.annotation_facility, b.annotation_project, b.desk_status, b.desk_organization_id, b.submitted_at,
         b.acknowledged_at, b.closed_at, b.status_changed_at, d.desk_retention_days AS retention_days,
         k.applicants, k.scheduled, k.issued, k.refused, k.admin, k.withdrawn
    FROM batches b JOIN organizations i ON i.id = b.organization_id JOIN projects p ON p.id = b.project_id
    JOIN sites s ON s.id = p.site_id JOIN organizations d ON d.id = b.desk_organization_id
    CROSS JOIN LATERAL (
      SELECT count(*) AS applicants,
             count(*) FILTER (WHERE ca.interview_on IS NOT NULL) AS scheduled,
             count(*) FILTER (WHERE ca.outcome = 'issued') AS issued,
             count(*) FILTER (WHERE ca.outcome = 'refused_214b') AS refused,
             count(*) FILTER (WHERE ca.outcome = 'administrative_processing') AS admin,
             count(*) FILTER (WHERE ca.outcome = 'withdrawn') AS withdrawn
        FROM cases c LEFT JOIN consular_applications ca ON ca.case_id = c.id WHERE c.batch_id = b.id) k`;

function toSummary(r: SummaryRow): Summary {
  return {
    id: r.id,
    investor: r.investor,
    projectName: r.project_name,
    site: { name: r.site_name, state: r.state },
    annotation: {
      company: r.annotation_company,
      facility: r.annotation_facility,
      project: r.annotation_project,
    },
    deskStatus: r.desk_status,
    submittedAt: iso(r.submitted_at),
    acknowledgedAt: iso(r.acknowledged_at),
    closedAt: iso(r.closed_at),
    counts: {
      applicants: Number(r.applicants),
      scheduled: Number(r.scheduled),
      issued: Number(r.issued),
      refused: Number(r.refused),
      administrativeProcessing: Number(r.admin),
      withdrawn: Number(r.withdrawn),
    },
  };
}

export async function deskInbox(
  ctx: ServiceContext,
  status: 'open' | 'submitted' | 'acknowledged' | 'returned' | 'closed' | 'all',
): Promise<Summary[]> {
  const scope = deskCondition(ctx, 'b', 1);
  const filter =
    status === 'all'
      ? 'true'
      : status === 'open'
        ? `b.desk_status IN ('submitted', 'acknowledged')`
        : `b.desk_status = '${status}'`;
  const rows = await ctx.db.query<SummaryRow>(
    `${summarySelect} WHERE ${scope.sql} AND ${filter} ORDER BY b.submitted_at DESC, b.id`,
    scope.params,
  );
  return rows.map(toSummary);
}

/** Until when the desk sees the people on a batch: open batches always; returned or closed ones for a while. */
function identityWindow(r: SummaryRow, today: string): { visible: boolean; until: string | null } {
  if (r.desk_status === 'submitted' || r.desk_status === 'acknowledged')
    return { visible: true, until: null };
  const since = (r.status_changed_at ?? r.closed_at ?? r.submitted_at)!;
  const until = new Date(new Date(since).getTime() + r.retention_days * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return { visible: today <= until, until };
}

async function summaryRow(ctx: ServiceContext, q: Queryable, id: string, lock = false): Promise<SummaryRow> {
  const scope = deskCondition(ctx, 'b', 2);
  const [row] = await q.query<SummaryRow>(`${summarySelect} WHERE b.id = $1 AND ${scope.sql}`, [
    id,
    ...scope.params,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  if (lock) await q.query('SELECT 1 FROM batches WHERE id = $1 FOR UPDATE', [id]);
  return row;
}

export async function getDeskBatch(ctx: ServiceContext, deps: PipelineDeps, id: string): Promise<DeskBatch> {
  const row = await summaryRow(ctx, ctx.db, id);
  const today = nowOf(deps).toISOString().slice(0, 10);
  const window = identityWindow(row, today);
  const applicants = await ctx.db.query<{
    case_id: string;
    family_name: string;
    given_name: string;
    name_hangul: string;
    birth_date: string;
    passport_last4: string;
    employer: string;
    employer_id: string;
    investor_id: string;
    role: string;
    start_date: string;
    activities: string[];
    status: string;
    stage: string;
    workflow_id: string;
    ds160_enc: string | null;
    ceac_status: DeskApplicant['ceacStatus'];
    interview_on: string | null;
    outcome: DeskApplicant['outcome'];
    outcome_on: string | null;
    refusal_reason: string | null;
    annotation: DeskApplicant['annotation'];
    valid_until: string | null;
    follow_up_on: string | null;
    return_reason: string | null;
  }>(
    `SELECT c.id AS case_id, w.family_name, w.given_name, w.name_hangul, w.birth_date::text, w.passport_last4,
            o.name AS employer, o.id AS employer_id, b.organization_id AS investor_id, w.role, a.start_date::text,
            a.activities, c.status, c.stage, c.workflow_id, ca.ds160_enc, ca.ceac_status, ca.interview_on::text,
            ca.outcome, ca.outcome_on::text, ca.refusal_reason, ca.annotation, ca.valid_until::text,
            ca.follow_up_on::text, ca.return_reason
       FROM cases c JOIN batches b ON b.id = c.batch_id JOIN workers w ON w.id = c.worker_id
       JOIN organizations o ON o.id = c.organization_id JOIN assignments a ON a.id = c.assignment_id
       LEFT JOIN consular_applications ca ON ca.case_id = c.id
      WHERE c.batch_id = $1 ORDER BY w.family_name, w.given_name, c.id`,
    [id],
  );
  return {
    ...toSummary(row),
    identityVisible: window.visible,
    identityVisibleUntil: window.until,
    applicants: applicants.map((a) => ({
      caseId: a.case_id,
      person: window.visible
        ? {
            familyName: a.family_name,
            givenName: a.given_name,
            nameHangul: a.name_hangul,
            birthDate: a.birth_date,
            passportLast4: a.passport_last4,
            ds160Number: a.ds160_enc ? deps.cipher.decrypt(a.ds160_enc, DS160_CONTEXT) : null,
          }
        : null,
      employer: { name: a.employer, relation: a.employer_id === a.investor_id ? 'own' : 'partner' },
      role: a.role,
      plannedEntry: a.start_date,
      activities: a.activities,
      caseStatus: a.status,
      stage: a.stage,
      stageTitle: stageOf(workflowById(a.workflow_id), a.stage).title,
      ceacStatus: a.ceac_status,
      interviewOn: a.interview_on,
      outcome: a.outcome,
      outcomeOn: a.outcome_on,
      refusalReason: a.refusal_reason,
      annotation: a.annotation,
      validUntil: a.valid_until,
      followUpOn: a.follow_up_on,
      returnReason: a.return_reason,
    })),
    events: await batchEvents(ctx.db, id),
  };
}

/** The organizations whose HR hear of the desk's changes: the batch's investor and the applicants' employers. */
async function hrOrganizations(q: Queryable, batchId: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `SELECT organization_id AS id FROM batches WHERE id = $1
     UNION SELECT organization_id FROM cases WHERE batch_id = $1`,
    [batchId],
  );
  return rows.map((r) => r.id);
}

function requireStatus(
  row: SummaryRow,
  allowed: readonly Summary['deskStatus'][],
  action: { en: string; ko: string },
) {
  if (!allowed.includes(row.desk_status)) {
    const now = label('deskStatus', row.desk_status);
    throw new ApiError('desk.batch_state', {
      detail: {
        en: `The batch is "${now.en}": it cannot be ${action.en}.`,
        ko: `묶음 신청이 "${now.ko}" 상태라 ${action.ko} 수 없습니다.`,
      },
    });
  }
}

async function openCases(tx: Queryable, batchId: string): Promise<CaseForMove[]> {
  return tx.query<CaseForMove>(
    `SELECT id, organization_id, workflow_id, stage, status, stage_entered_at FROM cases
      WHERE batch_id = $1 ORDER BY id FOR UPDATE`,
    [batchId],
  );
}

function afterChange(ctx: ServiceContext, organizations: readonly string[]) {
  boardChanged(ctx.db);
  for (const org of organizations) alertsChanged(ctx.db, org);
}

/** The desk takes the batch: its applicants' applications are received and their cases reach the interview. */
export async function acknowledgeBatch(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
): Promise<DeskBatch> {
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  const orgs = await ctx.db.transaction(async (tx) => {
    const row = await summaryRow(ctx, tx, id, true);
    requireStatus(row, ['submitted'], { en: 'acknowledged', ko: '접수 확인할' });
    await tx.query(
      `UPDATE batches SET desk_status = 'acknowledged', acknowledged_at = $2, status_changed_at = $2 WHERE id = $1`,
      [id, now.toISOString()],
    );
    const cases = await openCases(tx, id);
    for (const c of cases.filter((c) => c.status === 'open')) {
      await recordCeacStatus(tx, c.id, c.organization_id, {
        status: 'application_received',
        on: today,
        at: now,
        userId: ctx.actor.userId,
        label: actorLabel(ctx),
        side: 'desk',
      });
      await tx.query('UPDATE consular_applications SET desk_organization_id = $2 WHERE case_id = $1', [
        c.id,
        row.desk_organization_id,
      ]);
      await advanceCase(tx, c, 'consular_interview', now, {
        userId: ctx.actor.userId,
        label: ctx.actor.email,
        comment: `Acknowledged by ${ctx.actor.organizationName ?? 'the embassy desk'}`,
      });
    }
    await addBatchEvent(tx, id, {
      kind: 'acknowledged',
      side: 'desk',
      at: now,
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      details: { applicants: cases.length },
    });
    const orgs = await hrOrganizations(tx, id);
    await notifyHr(tx, orgs, {
      kind: 'desk_update',
      severity: 'info',
      subjectType: 'batch',
      subjectId: id,
      caseId: null,
      dueOn: today,
      dedupeKey: `desk:${id}:acknowledged:${now.toISOString()}`,
      message: {
        en: `The embassy desk acknowledged the batch for ${row.project_name} (${cases.length} applicants); interviews will be scheduled.`,
        ko: `대사관 창구가 ${row.project_name} 묶음 신청(${cases.length}명)을 접수 확인했습니다. 인터뷰 일정이 잡힐 예정입니다.`,
      },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'desk.acknowledge',
      targetType: 'batch',
      targetId: id,
      organizationId: ctx.actor.organizationId,
      details: { applicants: cases.length },
    });
    return orgs;
  });
  afterChange(ctx, orgs);
  return getDeskBatch(ctx, deps, id);
}

/** The desk sends a submitted batch back with its reasons (and per applicant); the investor amends and resubmits. */
export async function returnBatch(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: { reason: string; applicants: { caseId: string; reason: string }[] },
): Promise<DeskBatch> {
  const now = nowOf(deps);
  const orgs = await ctx.db.transaction(async (tx) => {
    const row = await summaryRow(ctx, tx, id, true);
    requireStatus(row, ['submitted'], { en: 'returned', ko: '반송할' });
    const cases = await openCases(tx, id);
    const inBatch = new Map(cases.map((c) => [c.id, c]));
    const errors = input.applicants.flatMap((a, k) =>
      inBatch.has(a.caseId)
        ? []
        : [
            fieldError(
              `applicants[${k}].caseId`,
              'is not an applicant of this batch',
              '이 묶음 신청의 신청자가 아닙니다',
            ),
          ],
    );
    if (errors.length) throw new ApiError('request.invalid', { errors });
    await tx.query(`UPDATE batches SET desk_status = 'returned', status_changed_at = $2 WHERE id = $1`, [
      id,
      now.toISOString(),
    ]);
    for (const a of input.applicants) {
      const c = inBatch.get(a.caseId)!;
      await tx.query(
        `INSERT INTO consular_applications (case_id, organization_id, return_reason, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (case_id) DO UPDATE SET return_reason = $3, updated_at = $4`,
        [c.id, c.organization_id, a.reason, now.toISOString()],
      );
    }
    // The cases go back to the investor's batch assembly (rework, one stage back).
    for (const c of cases.filter((c) => c.status === 'open' && c.stage === 'desk_submission')) {
      const [seq] = await tx.query<{ n: number }>(
        'SELECT coalesce(max(seq), 0) + 1 AS n FROM case_events WHERE case_id = $1',
        [c.id],
      );
      const at = new Date(Math.max(now.getTime(), new Date(c.stage_entered_at).getTime()));
      await tx.query(
        `INSERT INTO case_events (case_id, seq, from_stage, to_stage, at, by_user_id, by_label, comment)
         VALUES ($1, $2, 'desk_submission', 'batch_assembly', $3, $4, $5, $6)`,
        [
          c.id,
          seq!.n,
          at.toISOString(),
          ctx.actor.userId,
          ctx.actor.email,
          `Returned by the embassy desk: ${input.reason}`,
        ],
      );
      await tx.query(`UPDATE cases SET stage = 'batch_assembly', stage_entered_at = $2 WHERE id = $1`, [
        c.id,
        at.toISOString(),
      ]);
    }
    await addBatchEvent(tx, id, {
      kind: 'returned',
      side: 'desk',
      at: now,
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      details: { reason: input.reason, applicants: input.applicants },
    });
    const orgs = await hrOrganizations(tx, id);
    await notifyHr(tx, orgs, {
      kind: 'desk_update',
      severity: 'warning',
      subjectType: 'batch',
      subjectId: id,
      caseId: null,
      dueOn: now.toISOString().slice(0, 10),
      dedupeKey: `desk:${id}:returned:${now.toISOString()}`,
      message: {
        en: `The embassy desk returned the batch for ${row.project_name}: ${input.reason}`,
        ko: `대사관 창구가 ${row.project_name} 묶음 신청을 반송했습니다: ${input.reason}`,
      },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'desk.return',
      targetType: 'batch',
      targetId: id,
      organizationId: ctx.actor.organizationId,
      details: { reason: input.reason, applicants: input.applicants.length },
    });
    return orgs;
  });
  afterChange(ctx, orgs);
  return getDeskBatch(ctx, deps, id);
}

/** Books applicants of an acknowledged batch on an interview day, within the day's capacity. */
export async function scheduleInterviews(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: { day: string; caseIds: string[] },
): Promise<DeskBatch> {
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  if (input.day < today)
    throw new ApiError('request.invalid', {
      errors: [fieldError('day', 'must not be in the past', '지난 날짜일 수 없습니다')],
    });
  const ids = [...new Set(input.caseIds)];
  const orgs = await ctx.db.transaction(async (tx) => {
    const row = await summaryRow(ctx, tx, id, true);
    requireStatus(row, ['acknowledged'], { en: 'scheduled', ko: '인터뷰를 예약할' });
    const desk = row.desk_organization_id;
    const cases = await openCases(tx, id);
    const inBatch = new Map(cases.map((c) => [c.id, c]));
    const decided = new Set(
      (
        await tx.query<{ case_id: string }>(
          `SELECT case_id FROM consular_applications WHERE case_id = ANY($1::uuid[]) AND outcome IS NOT NULL`,
          [ids],
        )
      ).map((r) => r.case_id),
    );
    const errors = input.caseIds.flatMap((caseId, k) => {
      const c = inBatch.get(caseId);
      if (!c)
        return [
          fieldError(
            `caseIds[${k}]`,
            'is not an applicant of this batch',
            '이 묶음 신청의 신청자가 아닙니다',
          ),
        ];
      if (c.status !== 'open' || decided.has(caseId))
        return [fieldError(`caseIds[${k}]`, 'already has a decision', '이미 결정이 기록되었습니다')];
      return [];
    });
    if (errors.length) throw new ApiError('request.invalid', { errors });
    // The day's row is the lock: two officers booking the same day wait for each other.
    await tx.query(
      `INSERT INTO desk_interview_days (desk_organization_id, day, capacity) VALUES ($1, $2, $3)
       ON CONFLICT (desk_organization_id, day) DO NOTHING`,
      [desk, input.day, defaultCapacity(input.day)],
    );
    const [day] = await tx.query<{ capacity: number }>(
      'SELECT capacity FROM desk_interview_days WHERE desk_organization_id = $1 AND day = $2 FOR UPDATE',
      [desk, input.day],
    );
    const [booked] = await tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM consular_applications
        WHERE desk_organization_id = $1 AND interview_on = $2 AND NOT (case_id = ANY($3::uuid[]))`,
      [desk, input.day, ids],
    );
    const left = day!.capacity - Number(booked!.n);
    if (ids.length > left)
      throw new ApiError('desk.day_full', {
        detail: {
          en: `${input.day} has ${Math.max(0, left)} interview places left of ${day!.capacity}; ${ids.length} asked.`,
          ko: `${input.day}의 인터뷰 정원 ${day!.capacity}명 중 ${Math.max(0, left)}자리가 남았습니다(요청 ${ids.length}명).`,
        },
        errors: [fieldError('day', 'has too few interview places left', '남은 인터뷰 자리가 부족합니다')],
      });
    for (const caseId of ids) {
      const c = inBatch.get(caseId)!;
      await tx.query(
        `INSERT INTO consular_applications (case_id, organization_id, interview_on, desk_organization_id, updated_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (case_id) DO UPDATE SET interview_on = $3, desk_organization_id = $4, updated_at = $5`,
        [caseId, c.organization_id, input.day, desk, now.toISOString()],
      );
    }
    await addBatchEvent(tx, id, {
      kind: 'interview_scheduled',
      side: 'desk',
      at: now,
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      details: { day: input.day, applicants: ids.length },
    });
    const orgs = await hrOrganizations(tx, id);
    await notifyHr(tx, orgs, {
      kind: 'desk_update',
      severity: 'info',
      subjectType: 'batch',
      subjectId: id,
      caseId: null,
      dueOn: input.day,
      dedupeKey: `desk:${id}:interviews:${input.day}:${now.toISOString()}`,
      message: {
        en: `Consular interviews for ${ids.length} applicant(s) of the ${row.project_name} batch on ${input.day}.`,
        ko: `${row.project_name} 묶음 신청의 ${ids.length}명 영사 인터뷰가 ${input.day}로 예약되었습니다.`,
      },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'desk.schedule',
      targetType: 'batch',
      targetId: id,
      organizationId: ctx.actor.organizationId,
      details: { day: input.day, caseIds: ids },
    });
    return orgs;
  });
  afterChange(ctx, orgs);
  return getDeskBatch(ctx, deps, id);
}

const FINAL = new Set(['issued', 'refused_214b', 'withdrawn']);

/**
 * Records an applicant's outcome: issued (with the annotation and validity), refused under 214(b) (with the
 * reason), 221(g) administrative processing (not final: a follow-up date; a later outcome replaces it), or
 * withdrawn. The case moves to the matching stage, CEAC's status is recorded, the filing HR is told; when every
 * applicant has a final outcome the batch closes (and the desk's retention clock starts).
 */
export async function recordOutcome(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: DeskOutcomeRequest,
): Promise<DeskBatch> {
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  if (input.on > today)
    throw new ApiError('request.invalid', {
      errors: [fieldError('on', 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  const orgs = await ctx.db.transaction(async (tx) => {
    const row = await summaryRow(ctx, tx, id, true);
    requireStatus(row, ['acknowledged'], { en: 'decided on', ko: '결정을 기록할' });
    const cases = await openCases(tx, id);
    const c = cases.find((x) => x.id === input.caseId);
    if (!c)
      throw new ApiError('request.invalid', {
        errors: [
          fieldError('caseId', 'is not an applicant of this batch', '이 묶음 신청의 신청자가 아닙니다'),
        ],
      });
    const [current] = await tx.query<{ outcome: string | null }>(
      'SELECT outcome FROM consular_applications WHERE case_id = $1',
      [c.id],
    );
    if (current?.outcome && FINAL.has(current.outcome)) {
      const was = label('deskOutcome', current.outcome);
      throw new ApiError('desk.batch_state', {
        detail: {
          en: `This applicant's outcome is final ("${was.en}"); it cannot be changed.`,
          ko: `이 신청자의 결정("${was.ko}")은 최종이라 바꿀 수 없습니다.`,
        },
        errors: [fieldError('caseId', 'already has a final outcome', '이미 최종 결정이 있습니다')],
      });
    }
    if (c.status !== 'open')
      throw new ApiError('consular.case_closed', {
        errors: [fieldError('caseId', 'the case is closed', '종결된 사건입니다')],
      });
    const annotation =
      input.outcome === 'issued'
        ? (input.annotation ?? {
            company: row.annotation_company,
            facility: row.annotation_facility,
            project: row.annotation_project,
          })
        : null;
    await tx.query(
      `INSERT INTO consular_applications (case_id, organization_id, desk_organization_id, outcome, outcome_on,
         refusal_reason, annotation, valid_until, follow_up_on, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (case_id) DO UPDATE SET desk_organization_id = $3, outcome = $4, outcome_on = $5,
         refusal_reason = $6, annotation = $7, valid_until = $8, follow_up_on = $9, updated_at = $10`,
      [
        c.id,
        c.organization_id,
        row.desk_organization_id,
        input.outcome,
        input.on,
        input.outcome === 'issued' ? null : (input.reason ?? null),
        annotation ? JSON.stringify(annotation) : null,
        input.outcome === 'issued' ? input.validUntil : null,
        input.outcome === 'administrative_processing' ? input.followUpOn : null,
        now.toISOString(),
      ],
    );
    // A decision follows the interview: without a booking, or with one later than the decision, the interview
    // was on the day of the decision.
    if (input.outcome !== 'withdrawn')
      await tx.query(
        `UPDATE consular_applications SET interview_on = $2
          WHERE case_id = $1 AND (interview_on IS NULL OR interview_on > $2::date)`,
        [c.id, input.on],
      );
    const ceac =
      input.outcome === 'refused_214b' ? 'refused' : input.outcome === 'withdrawn' ? null : input.outcome;
    if (ceac)
      await recordCeacStatus(tx, c.id, c.organization_id, {
        status: ceac,
        on: input.on,
        at: now,
        userId: ctx.actor.userId,
        label: actorLabel(ctx),
        side: 'desk',
        note: input.reason ?? null,
      });
    const workflow = workflowById(c.workflow_id);
    const target = stageForStatus(workflow, input.outcome);
    const outcomeWords = label('deskOutcome', input.outcome);
    const moved = target
      ? await advanceCase(tx, c, target, new Date(`${input.on}T12:00:00Z`), {
          userId: ctx.actor.userId,
          label: ctx.actor.email,
          comment: `${outcomeWords.en} (${ctx.actor.organizationName ?? 'embassy desk'})${input.reason ? `: ${input.reason}` : ''}`,
        })
      : [];
    await addBatchEvent(tx, id, {
      kind: 'outcome',
      side: 'desk',
      at: now,
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      caseId: c.id,
      details: {
        outcome: input.outcome,
        on: input.on,
        ...(input.reason ? { reason: input.reason } : {}),
        ...(annotation ? { annotation, validUntil: input.validUntil } : {}),
        ...(input.followUpOn && input.outcome === 'administrative_processing'
          ? { followUpOn: input.followUpOn }
          : {}),
      },
    });
    // Closed when every applicant has a final outcome (or a case closed otherwise).
    const [open] = await tx.query<{ n: string }>(
      `SELECT count(*) AS n FROM cases c LEFT JOIN consular_applications ca ON ca.case_id = c.id
        WHERE c.batch_id = $1 AND c.status = 'open'
          AND coalesce(ca.outcome, '') NOT IN ('issued', 'refused_214b', 'withdrawn')`,
      [id],
    );
    if (Number(open!.n) === 0) {
      await tx.query(
        `UPDATE batches SET desk_status = 'closed', closed_at = $2, status_changed_at = $2 WHERE id = $1`,
        [id, now.toISOString()],
      );
      await addBatchEvent(tx, id, {
        kind: 'closed',
        side: 'system',
        at: now,
        userId: null,
        label: 'KORUS Mobility',
        details: { retentionDays: row.retention_days },
      });
    }
    const [person] = await tx.query<{ name: string }>(
      `SELECT w.family_name || ' ' || w.given_name AS name FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id = $1`,
      [c.id],
    );
    const orgs = await hrOrganizations(tx, id);
    const detail = {
      issued: {
        en: ` Valid until ${input.validUntil}; annotation: ${annotation?.company} / ${annotation?.facility} / ${annotation?.project}.`,
        ko: ` 유효기간 ${input.validUntil}, 기재 사항: ${annotation?.company} / ${annotation?.facility} / ${annotation?.project}.`,
      },
      refused_214b: { en: ` Reason: ${input.reason}.`, ko: ` 사유: ${input.reason}.` },
      administrative_processing: {
        en: ` Not a final refusal. Follow up on ${input.followUpOn}${input.reason ? `; asked for: ${input.reason}` : ''}.`,
        ko: ` 최종 거절이 아닙니다. ${input.followUpOn}에 후속 확인${input.reason ? `, 요청 사항: ${input.reason}` : ''}.`,
      },
      withdrawn: { en: '', ko: '' },
    }[input.outcome];
    await notifyHr(tx, orgs, {
      kind: 'desk_update',
      severity: input.outcome === 'issued' ? 'info' : 'warning',
      subjectType: 'case',
      subjectId: c.id,
      caseId: c.id,
      dueOn: input.outcome === 'administrative_processing' ? input.followUpOn! : input.on,
      dedupeKey: `desk:${id}:outcome:${c.id}:${input.outcome}:${now.toISOString()}`,
      message: {
        en: `${person!.name}: ${outcomeWords.en} on ${input.on} (embassy desk).${detail.en}`,
        ko: `${person!.name}: ${input.on} ${outcomeWords.ko}(대사관 창구).${detail.ko}`,
      },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'desk.outcome',
      targetType: 'case',
      targetId: c.id,
      organizationId: ctx.actor.organizationId,
      details: { batchId: id, outcome: input.outcome, on: input.on, stages: moved },
    });
    return orgs;
  });
  afterChange(ctx, orgs);
  return getDeskBatch(ctx, deps, id);
}

type Calendar = z.infer<typeof deskCalendarSchema>;

/** The desk's interview calendar: capacity and bookings per day (default 20 on weekdays, none at weekends). */
export async function deskCalendar(
  ctx: ServiceContext,
  deps: PipelineDeps,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<Calendar> {
  const today = nowOf(deps).toISOString().slice(0, 10);
  const from = query.from ?? today;
  const to = query.to ?? new Date(Date.parse(from) + 27 * 86_400_000).toISOString().slice(0, 10);
  if (to < from || Date.parse(to) - Date.parse(from) > 366 * 86_400_000)
    throw new ApiError('request.invalid', {
      errors: [fieldError('to', 'must be on or after from, within a year', 'from 이후 1년 이내여야 합니다')],
    });
  const desk = ctx.actor.organizationId;
  const rows = await ctx.db.query<{ day: string; capacity: number | null; booked: string }>(
    `SELECT d::date::text AS day, di.capacity,
            (SELECT count(*) FROM consular_applications ca WHERE ca.desk_organization_id = $1 AND ca.interview_on = d::date) AS booked
       FROM generate_series($2::date, $3::date, interval '1 day') AS d
       LEFT JOIN desk_interview_days di ON di.desk_organization_id = $1 AND di.day = d::date
      ORDER BY d`,
    [desk, from, to],
  );
  return {
    from,
    to,
    defaultCapacity: DEFAULT_DAILY_CAPACITY,
    days: rows.map((r) => ({
      day: r.day,
      capacity: r.capacity ?? defaultCapacity(r.day),
      booked: Number(r.booked),
    })),
  };
}

export async function setCapacity(
  ctx: ServiceContext,
  deps: PipelineDeps,
  day: string,
  capacity: number,
): Promise<Calendar['days'][number]> {
  const desk = ctx.actor.organizationId;
  if (!desk) throw new ApiError('auth.forbidden');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<{ capacity: number }>(
      'SELECT capacity FROM desk_interview_days WHERE desk_organization_id = $1 AND day = $2 FOR UPDATE',
      [desk, day],
    );
    const [booked] = await tx.query<{ n: string }>(
      'SELECT count(*) AS n FROM consular_applications WHERE desk_organization_id = $1 AND interview_on = $2',
      [desk, day],
    );
    if (capacity < Number(booked!.n))
      throw new ApiError('request.invalid', {
        errors: [
          fieldError(
            'capacity',
            `is below the ${booked!.n} interviews already booked that day`,
            `그날 이미 예약된 인터뷰 ${booked!.n}건보다 적습니다`,
          ),
        ],
      });
    await tx.query(
      `INSERT INTO desk_interview_days (desk_organization_id, day, capacity, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (desk_organization_id, day) DO UPDATE SET capacity = $3, updated_at = $4`,
      [desk, day, capacity, nowOf(deps).toISOString()],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'desk.capacity',
      targetType: 'organization',
      targetId: desk,
      organizationId: desk,
      before: { day, capacity: before?.capacity ?? defaultCapacity(day) },
      after: { day, capacity },
    });
    return { day, capacity, booked: Number(booked!.n) };
  });
}
