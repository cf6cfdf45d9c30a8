import type { z } from 'zod';
import type { consularStatusRequestSchema, updateConsularSchema } from '../../../contract/consular.js';
import type { CaseDetail } from '../../../contract/pipeline.js';
import { labels } from '../../../contract/labels.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { actorLabel, auditContextOf, type ServiceContext } from '../context.js';
import { alertsChanged } from '../alerts/refresh.js';
import { boardChanged } from '../pipeline/board-cache.js';
import { getCase } from '../pipeline/cases.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import {
  advanceCase,
  DS160_CONTEXT,
  recordCeacStatus,
  requireConsular,
  stageForStatus,
  type CaseForMove,
} from './consular.js';

/**
 * HR's side of a consular case (issue 17): the DS-160 confirmation number and the post, and the status as CEAC
 * shows it, whether or not the case went through a desk batch. A status moves the case to the stage it means
 * (administrative processing to the 221(g) stage, issued past the interview, refused closes the case).
 */

/** The case's people who may write (its employer, the project's investor, its counsel; platform admins). */
export async function writableCase(ctx: ServiceContext, deps: PipelineDeps, id: string): Promise<CaseDetail> {
  const c = await getCase(ctx, deps, id);
  if (!isPlatformAdmin(ctx.actor)) {
    const [owners] = await ctx.db.query<{ project_org: string }>(
      'SELECT p.organization_id AS project_org FROM projects p WHERE p.id = $1',
      [c.projectId],
    );
    const orgs = [c.organizationId, owners!.project_org, c.counselOrganizationId];
    if (!orgs.includes(ctx.actor.organizationId)) throw new ApiError('auth.forbidden');
  }
  return c;
}

async function writableConsularCase(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
): Promise<CaseDetail> {
  const c = await writableCase(ctx, deps, id);
  requireConsular(workflowById(c.workflowId));
  return c;
}

export async function updateCaseConsular(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: z.output<typeof updateConsularSchema>,
): Promise<CaseDetail> {
  const c = await writableConsularCase(ctx, deps, id);
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.query<{ ds160_last4: string | null; post: string }>(
      'SELECT ds160_last4, post FROM consular_applications WHERE case_id = $1 FOR UPDATE',
      [id],
    );
    const ds160 = input.ds160Number;
    const enc = ds160 ? deps.cipher.encrypt(ds160, DS160_CONTEXT) : null;
    const last4 = ds160 ? ds160.slice(-4) : null;
    await tx.query(
      `INSERT INTO consular_applications (case_id, organization_id, ds160_enc, ds160_last4, post, updated_at)
       VALUES ($1, $2, $3, $4, coalesce($5, 'seoul'), $6)
       ON CONFLICT (case_id) DO UPDATE SET
         ds160_enc = CASE WHEN $7 THEN $3 ELSE consular_applications.ds160_enc END,
         ds160_last4 = CASE WHEN $7 THEN $4 ELSE consular_applications.ds160_last4 END,
         post = coalesce($5, consular_applications.post), updated_at = $6`,
      [id, c.organizationId, enc, last4, input.post ?? null, now.toISOString(), ds160 !== undefined],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'consular.update',
      targetType: 'case',
      targetId: id,
      organizationId: c.organizationId,
      // The number itself is an identifier: the audit keeps its last four characters only.
      before: { ds160Last4: before?.ds160_last4 ?? null, post: before?.post ?? null },
      after: {
        ds160Last4: ds160 !== undefined ? last4 : (before?.ds160_last4 ?? null),
        post: input.post ?? before?.post ?? 'seoul',
      },
    });
  });
  return getCase(ctx, deps, id);
}

export async function recordCaseStatus(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: z.output<typeof consularStatusRequestSchema>,
): Promise<CaseDetail> {
  const c = await writableConsularCase(ctx, deps, id);
  const now = nowOf(deps);
  if (input.on > now.toISOString().slice(0, 10))
    throw new ApiError('request.invalid', {
      errors: [fieldError('on', 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<CaseForMove>(
      'SELECT id, organization_id, workflow_id, stage, status, stage_entered_at FROM cases WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (row!.status !== 'open') throw new ApiError('consular.case_closed');
    const label = actorLabel(ctx);
    await recordCeacStatus(tx, id, c.organizationId, {
      status: input.status,
      on: input.on,
      at: now,
      userId: ctx.actor.userId,
      label,
      side: 'employer',
      note: input.note ?? null,
    });
    const target = stageForStatus(workflowById(row!.workflow_id), input.status);
    const words = labels('ceacStatus', input.status);
    const moved = target
      ? await advanceCase(tx, row!, target, new Date(`${input.on}T12:00:00Z`), {
          userId: ctx.actor.userId,
          label: ctx.actor.email,
          comment: `CEAC: ${words.en}${input.note ? ` (${input.note})` : ''}`,
        })
      : [];
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'consular.status',
      targetType: 'case',
      targetId: id,
      organizationId: c.organizationId,
      after: { status: input.status, on: input.on },
      details: { stages: moved },
    });
  });
  boardChanged(ctx.db);
  alertsChanged(ctx.db, c.organizationId);
  return getCase(ctx, deps, id);
}
