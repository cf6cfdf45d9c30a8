import type { z } from 'zod';
import type { CaseDetail } from '../../../contract/pipeline.js';
import type { updateUscisSchema, uscisStatusRequestSchema } from '../../../contract/uscis.js';
import { labels } from '../../../contract/labels.js';
import type { Workflow } from '../../../contract/workflow.js';
import { addDays } from '../../../core/dates/index.js';
import { DEFAULT_RESPONSE_DAYS } from '../../../core/uscis/notice.js';
import { recordAudit } from '../../audit/audit.js';
import type { FieldCipher } from '../../crypto/field-encryption.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, type ServiceContext } from '../context.js';
import { alertsChanged } from '../alerts/refresh.js';
import { advanceCase, notifyHr, stagesTitle, type CaseForMove } from '../consular/consular.js';
import { writableCase } from '../consular/case-consular.js';
import { boardChanged } from '../pipeline/board-cache.js';
import { getCase } from '../pipeline/cases.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import { emitEvent } from '../webhooks/events.js';
import { noticeOfStage, stageForUscisStatus } from './stages.js';
import { isPetition, RECEIPT_CONTEXT } from './petition-view.js';

/**
 * USCIS tracking of a petition case (issue 18, item 3): the receipt number (encrypted at rest, like every
 * identifier; the audit keeps its last four), the status history as USCIS states it, and the case moving with
 * it: a receipt brings the case to the petition stage, a request for evidence or a notice of intent to deny to
 * its contingent stage whose clock is the response deadline, the response stops that clock, an approval opens
 * the next stage (the consular application or travel), a denial closes the case.
 */

function requirePetition(workflow: Workflow): void {
  if (!isPetition(workflow))
    throw new ApiError('uscis.not_petition', {
      detail: {
        en: `This case (${workflow.title.en}) has no USCIS petition.`,
        ko: `이 사건(${workflow.title.ko})에는 USCIS 청원이 없습니다.`,
      },
    });
}

async function upsertReceipt(
  tx: Queryable,
  cipher: FieldCipher,
  caseId: string,
  organizationId: string,
  fields: { receiptNumber?: string | null; formType?: string | null },
  now: Date,
): Promise<{ before: string | null; after: string | null }> {
  const [before] = await tx.query<{ receipt_last4: string | null }>(
    'SELECT receipt_last4 FROM uscis_petitions WHERE case_id = $1 FOR UPDATE',
    [caseId],
  );
  const receipt = fields.receiptNumber;
  const setReceipt = receipt !== undefined;
  await tx.query(
    `INSERT INTO uscis_petitions (case_id, organization_id, receipt_enc, receipt_last4, service_center, form_type,
                                  updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (case_id) DO UPDATE SET
       receipt_enc = CASE WHEN $8 THEN $3 ELSE uscis_petitions.receipt_enc END,
       receipt_last4 = CASE WHEN $8 THEN $4 ELSE uscis_petitions.receipt_last4 END,
       service_center = CASE WHEN $8 THEN $5 ELSE uscis_petitions.service_center END,
       form_type = CASE WHEN $9 THEN $6 ELSE uscis_petitions.form_type END,
       updated_at = $7`,
    [
      caseId,
      organizationId,
      receipt ? cipher.encrypt(receipt, RECEIPT_CONTEXT) : null,
      receipt ? receipt.slice(-4) : null,
      receipt ? receipt.slice(0, 3) : null,
      fields.formType ?? null,
      now.toISOString(),
      setReceipt,
      fields.formType !== undefined,
    ],
  );
  return {
    before: before?.receipt_last4 ?? null,
    after: setReceipt ? (receipt ? receipt.slice(-4) : null) : (before?.receipt_last4 ?? null),
  };
}

export async function updateUscis(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: z.output<typeof updateUscisSchema>,
): Promise<CaseDetail> {
  const c = await writableCase(ctx, deps, id);
  requirePetition(workflowById(c.workflowId));
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const receipt = await upsertReceipt(tx, deps.cipher, id, c.organizationId, input, now);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'uscis.update',
      targetType: 'case',
      targetId: id,
      organizationId: c.organizationId,
      // The receipt number identifies the person's case: the audit keeps its last four characters only.
      before: { receiptLast4: receipt.before },
      after: { receiptLast4: receipt.after, formType: input.formType },
    });
  });
  return getCase(ctx, deps, id);
}

export async function recordUscisStatus(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: z.output<typeof uscisStatusRequestSchema>,
): Promise<CaseDetail> {
  const c = await writableCase(ctx, deps, id);
  const workflow = workflowById(c.workflowId);
  requirePetition(workflow);
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  if (input.on > today)
    throw new ApiError('request.invalid', {
      errors: [fieldError('on', 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  const notice = input.status === 'rfe' || input.status === 'noid' ? input.status : null;
  const responseDue = notice ? (input.responseDue ?? addDays(input.on, DEFAULT_RESPONSE_DAYS[notice])) : null;
  const words = labels('uscisStatus', input.status);
  let moved: string[] = [];
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<CaseForMove>(
      'SELECT id, organization_id, workflow_id, stage, status, stage_entered_at FROM cases WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (row!.status !== 'open') throw new ApiError('uscis.case_closed');
    if (input.receiptNumber)
      await upsertReceipt(tx, deps.cipher, id, c.organizationId, { receiptNumber: input.receiptNumber }, now);
    const label = actorLabel(ctx);
    await tx.query(
      `INSERT INTO uscis_petitions (case_id, organization_id, status, status_on, valid_from, valid_to, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_id) DO UPDATE SET status = $3, status_on = $4,
         valid_from = coalesce($5, uscis_petitions.valid_from), valid_to = coalesce($6, uscis_petitions.valid_to),
         updated_at = $7`,
      [
        id,
        c.organizationId,
        input.status,
        input.on,
        input.validFrom ?? null,
        input.validTo ?? null,
        now.toISOString(),
      ],
    );
    await tx.query(
      `INSERT INTO uscis_status_events (case_id, organization_id, status, on_date, response_due, source, note,
                                        by_user_id, by_label, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        c.organizationId,
        input.status,
        input.on,
        responseDue,
        input.source,
        input.note ?? null,
        ctx.actor.userId,
        label,
        now.toISOString(),
      ],
    );
    const target = stageForUscisStatus(workflow, input.status);
    moved = target
      ? await advanceCase(tx, row!, target, new Date(`${input.on}T12:00:00Z`), {
          userId: ctx.actor.userId,
          label: ctx.actor.email,
          comment: `USCIS: ${words.en}${input.note ? ` (${input.note})` : ''}`,
        })
      : [];
    const [after] = await tx.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [id]);
    if (notice && noticeOfStage(after!.stage) === notice)
      // The notice's deadline becomes the stage's clock (also when a later notice corrects it).
      await tx.query('UPDATE cases SET stage_due_on = $2, stage_due_for = stage WHERE id = $1', [
        id,
        responseDue,
      ]);
    if (input.status === 'response_submitted')
      await tx.query('UPDATE cases SET stage_due_on = NULL, stage_due_for = NULL WHERE id = $1', [id]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'uscis.status',
      targetType: 'case',
      targetId: id,
      organizationId: c.organizationId,
      after: { status: input.status, on: input.on, responseDue, source: input.source },
      details: { stages: moved },
    });
    const who = `${c.workerNameHangul} ${c.workerName}`.trim();
    const through = moved.length ? stagesTitle(c.workflowId, moved) : null;
    // The employer's HR and the investor's (the project's organization), as for the desk's outcomes.
    const [project] = await tx.query<{ organization_id: string }>(
      'SELECT organization_id FROM projects WHERE id = $1',
      [c.projectId],
    );
    await notifyHr(tx, [c.organizationId, project!.organization_id], {
      kind: notice ? 'response_due' : 'uscis_update',
      severity: notice ? 'critical' : input.status === 'denied' ? 'critical' : 'info',
      subjectType: 'case',
      subjectId: id,
      caseId: id,
      dueOn: responseDue ?? input.on,
      dedupeKey: `uscis:${id}:${input.status}:${input.on}:${responseDue ?? ''}`,
      message: notice
        ? {
            en: `USCIS: ${words.en} for ${who}. The response must reach USCIS by ${responseDue}.`,
            ko: `USCIS: ${who}에 대한 ${words.ko}. 답변은 ${responseDue}까지 USCIS에 도착해야 합니다.`,
          }
        : {
            en: `USCIS: ${words.en} for ${who} (${input.on})${through ? `; the case moved to ${through.en}` : ''}.`,
            ko: `USCIS: ${who} ${words.ko}(${input.on})${through ? `. 사건이 ${through.ko} 단계로 이동했습니다` : ''}.`,
          },
    });
    await emitEvent(tx, {
      organizationId: c.organizationId,
      type: 'case.uscis_status',
      data: {
        caseId: id,
        status: input.status,
        on: input.on,
        responseDue,
        stage: after!.stage,
        stagesEntered: moved,
      },
      at: now,
    });
  });
  boardChanged(ctx.db);
  alertsChanged(ctx.db, c.organizationId);
  return getCase(ctx, deps, id);
}
