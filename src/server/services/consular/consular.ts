import type { CeacStatus, ConsularApplication, DeskOutcome } from '../../../contract/consular.js';
import type { Notification } from '../../../contract/alerts.js';
import { ADMITTED, terminalExits, type Workflow } from '../../../contract/workflow.js';
import type { Queryable } from '../../db/database.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import { ApiError } from '../../http/problem.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import { stageTitle } from '../../../core/workflows/index.js';
import { emitEvent } from '../webhooks/events.js';

/**
 * The consular side of a case (issue 17), shared by HR's CEAC entries and the embassy desk's outcomes: the
 * application row, its status history, and the move of the case to the stage the status means.
 *
 * Stage mapping (every workflow with a `consular_interview` stage): the desk's acknowledgement brings a batch's
 * cases to the interview; administrative processing (221(g)) to its own contingent stage; issued to the stage
 * after the interview (travel); refused (214(b)) and withdrawn close the case. A case already past the stage a
 * status means is not moved back.
 */
export const DS160_CONTEXT = 'consular.ds160';
export const INTERVIEW_STAGE = 'consular_interview';
export const ADMIN_PROCESSING_STAGE = 'administrative_processing';

/** Whether a workflow has a consular interview (so its cases carry a consular application). */
export function isConsular(workflow: Workflow): boolean {
  return workflow.stages.some((s) => s.id === INTERVIEW_STAGE);
}

/** The stage a CEAC status or desk outcome brings a case to: a stage id, a terminal exit, or null (no move). */
export function stageForStatus(workflow: Workflow, status: CeacStatus | DeskOutcome): string | null {
  switch (status) {
    case 'application_received':
      return null;
    case 'administrative_processing':
      return workflow.stages.some((s) => s.id === ADMIN_PROCESSING_STAGE) ? ADMIN_PROCESSING_STAGE : null;
    case 'issued': {
      const k = workflow.stages.findIndex((s) => s.id === INTERVIEW_STAGE);
      const next = workflow.stages.slice(k + 1).find((s) => !s.contingent);
      return next && next.id !== ADMITTED ? next.id : null;
    }
    case 'refused':
    case 'refused_214b':
      return 'refused';
    case 'withdrawn':
      return 'withdrawn';
  }
}

export interface CaseForMove {
  id: string;
  organization_id: string;
  workflow_id: string;
  stage: string;
  status: string;
  stage_entered_at: Date | string;
  [key: string]: unknown;
}

/**
 * Moves a case forward to `target` (a stage or terminal exit) as the consequence of an official record (the
 * desk's acknowledgement or outcome, a CEAC status), one stage at a time so the history replays as ordinary
 * forward moves; contingent stages on the way are passed over. Nothing happens when the case is closed or
 * already at or past the target. Returns the stages entered.
 */
export async function advanceCase(
  tx: Queryable,
  c: CaseForMove,
  target: string,
  at: Date,
  by: { userId: string | null; label: string; comment: string },
): Promise<string[]> {
  if (c.status !== 'open') return [];
  const workflow = workflowById(c.workflow_id);
  const from = workflow.stages.findIndex((s) => s.id === c.stage);
  const when = new Date(Math.max(at.getTime(), new Date(c.stage_entered_at).getTime()));
  let path: string[];
  if ((terminalExits as readonly string[]).includes(target)) path = [target];
  else {
    const to = workflow.stages.findIndex((s) => s.id === target);
    if (to <= from || to < 0) return [];
    path = workflow.stages
      .slice(from + 1, to + 1)
      .filter((s, k, passed) => !s.contingent || k === passed.length - 1)
      .map((s) => s.id);
  }
  const [seq] = await tx.query<{ n: number }>(
    'SELECT coalesce(max(seq), 0) AS n FROM case_events WHERE case_id = $1',
    [c.id],
  );
  let previous = c.stage;
  let n = seq!.n;
  for (const stage of path) {
    n += 1;
    await tx.query(
      `INSERT INTO case_events (case_id, seq, from_stage, to_stage, at, by_user_id, by_label, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [c.id, n, previous, stage, when.toISOString(), by.userId, by.label, by.comment],
    );
    previous = stage;
  }
  const last = path[path.length - 1]!;
  const status = (terminalExits as readonly string[]).includes(last) ? last : 'open';
  await tx.query(
    `UPDATE cases SET stage = $2, status = $3, stage_entered_at = $4,
            closed_at = CASE WHEN $3 = 'open' THEN NULL ELSE $4::timestamptz END
      WHERE id = $1`,
    [c.id, last, status, when.toISOString()],
  );
  await emitEvent(tx, {
    organizationId: c.organization_id,
    type: 'case.stage_changed',
    data: { caseId: c.id, from: c.stage, to: last, status, at: when.toISOString() },
    at: new Date(),
  });
  return path;
}

/** Records a CEAC status on a case's application (creating the row), with its history entry. */
export async function recordCeacStatus(
  tx: Queryable,
  caseId: string,
  organizationId: string,
  entry: {
    status: CeacStatus;
    on: string;
    at: Date;
    userId: string | null;
    label: string;
    side: 'employer' | 'desk';
    note?: string | null;
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO consular_applications (case_id, organization_id, ceac_status, ceac_status_on, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (case_id) DO UPDATE SET ceac_status = $3, ceac_status_on = $4, updated_at = $5`,
    [caseId, organizationId, entry.status, entry.on, entry.at.toISOString()],
  );
  const [seq] = await tx.query<{ n: number }>(
    'SELECT coalesce(max(seq), 0) + 1 AS n FROM consular_status_events WHERE case_id = $1',
    [caseId],
  );
  await tx.query(
    `INSERT INTO consular_status_events (case_id, seq, status, status_on, entered_at, by_user_id, by_label, side, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      caseId,
      seq!.n,
      entry.status,
      entry.on,
      entry.at.toISOString(),
      entry.userId,
      entry.label,
      entry.side,
      entry.note ?? null,
    ],
  );
}

interface ApplicationRow {
  case_id: string;
  ds160_enc: string | null;
  ds160_last4: string | null;
  post: 'seoul' | 'other';
  ceac_status: CeacStatus | null;
  ceac_status_on: string | null;
  interview_on: string | null;
  outcome: DeskOutcome | null;
  outcome_on: string | null;
  refusal_reason: string | null;
  annotation: { company: string; facility: string; project: string } | null;
  valid_until: string | null;
  follow_up_on: string | null;
  return_reason: string | null;
  [key: string]: unknown;
}

interface HistoryRow {
  status: CeacStatus;
  on: string;
  enteredAt: string;
  by: string;
  side: 'employer' | 'desk';
  note: string | null;
}

const empty = (caseId: string): ApplicationRow => ({
  case_id: caseId,
  ds160_enc: null,
  ds160_last4: null,
  post: 'seoul',
  ceac_status: null,
  ceac_status_on: null,
  interview_on: null,
  outcome: null,
  outcome_on: null,
  refusal_reason: null,
  annotation: null,
  valid_until: null,
  follow_up_on: null,
  return_reason: null,
});

/**
 * The consular applications of some cases, by case id (absent rows read as empty). `reveal`: whether the caller
 * may see the DS-160 number in full (the case's people, the desk it was sent to).
 */
export async function consularApplications(
  q: Queryable,
  cipher: FieldCipher,
  cases: readonly { id: string; stage: string; stageEnteredAt: string; workflowId: string }[],
  reveal: boolean,
  today: string,
): Promise<Map<string, ConsularApplication>> {
  const ids = cases.map((c) => c.id);
  const out = new Map<string, ConsularApplication>();
  if (ids.length === 0) return out;
  // One query: the applications and their CEAC histories (a case page's query budget, issue 15).
  const rows = await q.query<ApplicationRow & { history: HistoryRow[] | null }>(
    `SELECT x.id AS case_id, ca.ds160_enc, ca.ds160_last4, coalesce(ca.post, 'seoul') AS post, ca.ceac_status,
            ca.ceac_status_on::text, ca.interview_on::text, ca.outcome, ca.outcome_on::text, ca.refusal_reason,
            ca.annotation, ca.valid_until::text, ca.follow_up_on::text, ca.return_reason,
            (SELECT json_agg(json_build_object('status', e.status, 'on', e.status_on, 'enteredAt', e.entered_at,
                                               'by', e.by_label, 'side', e.side, 'note', e.note) ORDER BY e.seq)
               FROM consular_status_events e WHERE e.case_id = x.id) AS history
       FROM unnest($1::uuid[]) AS x (id) LEFT JOIN consular_applications ca ON ca.case_id = x.id`,
    [ids],
  );
  const byCase = new Map(rows.map((r) => [r.case_id, r]));
  for (const c of cases) {
    const r = byCase.get(c.id) ?? empty(c.id);
    const workflow = workflowById(c.workflowId);
    const stage = workflow.stages.find((s) => s.id === ADMIN_PROCESSING_STAGE);
    const since = c.stage === ADMIN_PROCESSING_STAGE ? c.stageEnteredAt.slice(0, 10) : null;
    out.set(c.id, {
      ds160Number: r.ds160_enc && reveal ? cipher.decrypt(r.ds160_enc, DS160_CONTEXT) : null,
      ds160Last4: r.ds160_last4,
      post: r.post,
      status: r.ceac_status,
      statusOn: r.ceac_status_on,
      history: (byCase.get(c.id)?.history ?? []).map((h) => ({
        status: h.status,
        on: h.on,
        enteredAt: new Date(h.enteredAt).toISOString(),
        by: h.by,
        side: h.side,
        note: h.note,
      })),
      interviewOn: r.interview_on,
      outcome: r.outcome,
      outcomeOn: r.outcome_on,
      refusalReason: r.refusal_reason,
      annotation: r.annotation,
      validUntil: r.valid_until,
      followUpOn: r.follow_up_on,
      returnReason: r.return_reason,
      adminProcessing:
        since && stage
          ? {
              since,
              days: Math.round((Date.parse(today) - Date.parse(since)) / 86_400_000),
              targetDays: stage.targetDays,
            }
          : null,
    });
  }
  return out;
}

/** The HR users to tell (administrators and staff of the case's employer and of the batch's investor). */
export async function notifyHr(
  tx: Queryable,
  organizationIds: readonly string[],
  notice: {
    kind: Notification['kind'];
    severity: Notification['severity'];
    subjectType: string;
    subjectId: string;
    caseId: string | null;
    dueOn: string;
    dedupeKey: string;
    message: { en: string; ko: string };
  },
): Promise<number> {
  const recipients = await tx.query<{ id: string; organization_id: string }>(
    `SELECT id, organization_id FROM users
      WHERE organization_id = ANY($1::uuid[]) AND role IN ('admin', 'staff') AND NOT disabled`,
    [[...new Set(organizationIds)]],
  );
  if (recipients.length === 0) return 0;
  const inserted = await tx.query<{ id: string; organization_id: string }>(
    `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, case_id, due_on,
       dedupe_key, message, as_of)
     SELECT r.organization_id, r.id, $2, $3, $4, $5, $6, $7, $8, $9, $7
       FROM jsonb_to_recordset($1::jsonb) AS r (id uuid, organization_id uuid)
     ON CONFLICT (organization_id, user_id, dedupe_key) DO NOTHING RETURNING id, organization_id`,
    [
      JSON.stringify(recipients),
      notice.kind,
      notice.severity,
      notice.subjectType,
      notice.subjectId,
      notice.caseId,
      notice.dueOn,
      notice.dedupeKey,
      JSON.stringify(notice.message),
    ],
  );
  // One webhook event per organization told.
  for (const organizationId of new Set(inserted.map((r) => r.organization_id)))
    await emitEvent(tx, {
      organizationId,
      type: 'alert.raised',
      data: {
        kind: notice.kind,
        severity: notice.severity,
        caseId: notice.caseId,
        workerId: null,
        dueOn: notice.dueOn,
      },
      at: new Date(),
    });
  return inserted.length;
}

/** Titles of the stages a move passed through, for messages. */
export function stagesTitle(workflowId: string, stages: readonly string[]): { en: string; ko: string } {
  const workflow = workflowById(workflowId);
  const titles = stages.map((s) => stageTitle(workflow, s));
  return { en: titles.map((t) => t.en).join(' → '), ko: titles.map((t) => t.ko).join(' → ') };
}

export function requireConsular(workflow: Workflow): void {
  if (!isConsular(workflow))
    throw new ApiError('consular.not_consular', {
      detail: {
        en: `This case (${workflow.title.en}) has no consular interview: it has no visa application at a consulate.`,
        ko: `이 사건(${workflow.title.ko})에는 영사 인터뷰가 없어 영사관 비자 신청이 없습니다.`,
      },
    });
}
