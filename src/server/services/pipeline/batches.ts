import type { FieldError } from '../../../contract/errors.js';
import type { BatchManifestInput } from '../../../contract/letters.js';
import {
  MAX_BATCH_CASES,
  type Batch,
  type CreateBatch,
  type UpdateBatch,
} from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin, type Actor } from '../../policies/capabilities.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { listCases } from './cases.js';
import { fieldError, nowOf, type PipelineDeps } from './common.js';
import { visibleProject } from './projects.js';
import { boardChanged } from './board-cache.js';
import { batchScope, caseScope } from './scope.js';
import { addBatchEvent, batchEvents } from '../consular/batch-events.js';
import { advanceCase, consularApplications, type CaseForMove } from '../consular/consular.js';

interface BatchRow {
  id: string;
  organization_id: string;
  project_id: string;
  project_name: string;
  annotation_company: string;
  annotation_facility: string;
  annotation_project: string;
  submitted_at: Date | null;
  created_at: Date;
  desk_status: Batch['deskStatus'];
  desk_id: string | null;
  desk_name: string | null;
  acknowledged_at: Date | null;
  closed_at: Date | null;
  total: string;
  open: string;
  admitted: string;
  [key: string]: unknown;
}

const batchSelect = `
  SELECT b.id, b.organization_id, b.project_id, p.name AS project_name, b.annotation_company, b.annotation_facility,
         b.annotation_project, b.submitted_at, b.created_at, b.desk_status, b.acknowledged_at, b.closed_at,
         d.id AS desk_id, d.name AS desk_name,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id) AS total,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id AND c.status = 'open') AS open,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id AND c.status = 'admitted') AS admitted
    FROM batches b JOIN projects p ON p.id = b.project_id LEFT JOIN organizations d ON d.id = b.desk_organization_id`;

/** A batch's status follows its cases: draft until submitted; then submitted, in progress, completed. */
export function batchStatus(submitted: boolean, total: number, open: number): Batch['status'] {
  if (!submitted) return 'draft';
  if (open === 0 && total > 0) return 'completed';
  return open < total ? 'in_progress' : 'submitted';
}

function toBatch(r: BatchRow): Omit<Batch, 'cases'> {
  const total = Number(r.total);
  const open = Number(r.open);
  const admitted = Number(r.admitted);
  return {
    id: r.id,
    organizationId: r.organization_id,
    projectId: r.project_id,
    projectName: r.project_name,
    annotation: {
      company: r.annotation_company,
      facility: r.annotation_facility,
      project: r.annotation_project,
    },
    status: batchStatus(r.submitted_at !== null, total, open),
    deskStatus: r.desk_status,
    desk: r.desk_id ? { id: r.desk_id, name: r.desk_name! } : null,
    submittedAt: iso(r.submitted_at),
    acknowledgedAt: iso(r.acknowledged_at),
    closedAt: iso(r.closed_at),
    createdAt: iso(r.created_at)!,
    counts: { total, open, admitted, closed: total - open - admitted },
  };
}

export async function listBatches(ctx: ServiceContext): Promise<Omit<Batch, 'cases'>[]> {
  const scope = batchScope(ctx.actor, 'b', 1);
  const rows = await ctx.db.query<BatchRow>(
    `${batchSelect} WHERE ${scope.sql} ORDER BY b.created_at DESC`,
    scope.params,
  );
  return rows.map(toBatch);
}

export async function getBatch(ctx: ServiceContext, deps: PipelineDeps, id: string): Promise<Batch> {
  const scope = batchScope(ctx.actor, 'b', 2);
  const [row] = await ctx.db.query<BatchRow>(`${batchSelect} WHERE b.id = $1 AND ${scope.sql}`, [
    id,
    ...scope.params,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  const cases = await listCases(
    ctx,
    deps,
    { limit: 2000, offset: 0 },
    { sql: 'c.batch_id = $1', params: [id] },
  );
  const applications = await consularApplications(
    ctx.db,
    deps.cipher,
    cases.items.map((c) => ({
      id: c.id,
      stage: c.stage,
      stageEnteredAt: c.stageEnteredAt,
      workflowId: c.workflowId,
    })),
    true,
    nowOf(deps).toISOString().slice(0, 10),
  );
  return {
    ...toBatch(row),
    cases: cases.items,
    events: await batchEvents(ctx.db, id),
    applications: Object.fromEntries(applications),
  };
}

/** A project the caller may batch cases of: visible, and its own organization's (platform administrators: any). */
async function ownProject(ctx: ServiceContext, projectId: string) {
  const project = await visibleProject(ctx, projectId);
  if (!isPlatformAdmin(ctx.actor) && project.organizationId !== ctx.actor.organizationId) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('projectId', "is not one of your organization's projects", '조직의 프로젝트가 아닙니다'),
      ],
    });
  }
  return project;
}

/**
 * The rule of batch membership, for creating a batch and for adding cases to one: each case must be visible to
 * the caller and an open B-1 case on the batch's project that is in no other batch (`batchId`: the batch being
 * edited, whose own cases pass). Locks the cases it reads until the transaction ends, so two batches cannot
 * take the same case. Returns a field error per refused id, at `path[index]` of the request.
 */
/** Batches go to the embassy desk: their cases follow its workflow (rules/workflows/b1-embassy-desk.yaml). */
const EMBASSY_DESK_WORKFLOW = 'b1-embassy-desk';

async function batchCaseErrors(
  tx: Queryable,
  actor: Actor,
  projectId: string,
  caseIds: readonly string[],
  path: string,
  batchId: string | null,
): Promise<FieldError[]> {
  if (caseIds.length === 0) return [];
  const scope = caseScope(actor, 'c', 2);
  const rows = await tx.query<{
    id: string;
    category: string;
    workflow_id: string;
    status: string;
    project_id: string;
    batch_id: string | null;
  }>(
    `SELECT c.id, c.category, c.workflow_id, c.status, c.project_id, c.batch_id FROM cases c
      WHERE c.id = ANY($1::uuid[]) AND ${scope.sql} FOR UPDATE OF c`,
    [[...new Set(caseIds)], ...scope.params],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return caseIds.flatMap((caseId, index) => {
    const c = byId.get(caseId);
    return c &&
      c.category === 'B1' &&
      c.workflow_id === EMBASSY_DESK_WORKFLOW &&
      c.status === 'open' &&
      c.project_id === projectId &&
      (c.batch_id === null || c.batch_id === batchId)
      ? []
      : [
          fieldError(
            `${path}[${index}]`,
            'is not an open B-1 case through the embassy desk on this project, outside other batches',
            '이 프로젝트의 대사관 데스크 경유 진행 중 B-1 사건(다른 묶음에 속하지 않은 것)이 아닙니다',
          ),
        ];
  });
}

/**
 * An investor assembles a batch for the embassy desk: open B-1 cases on one of its projects, of its own and its
 * partners' workers, not already in another batch; the batch carries the annotation (company, facility,
 * project) the visas will bear.
 */
export async function createBatch(
  ctx: ServiceContext,
  deps: PipelineDeps,
  input: CreateBatch,
): Promise<Batch> {
  const project = await ownProject(ctx, input.projectId);
  const ids = [...new Set(input.caseIds)];
  const id = await ctx.db.transaction(async (tx) => {
    const errors = await batchCaseErrors(tx, ctx.actor, project.id, input.caseIds, 'caseIds', null);
    if (errors.length) throw new ApiError('pipeline.batch_case_invalid', { errors });
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO batches (organization_id, project_id, annotation_company, annotation_facility, annotation_project, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        project.organizationId,
        project.id,
        input.annotation.company,
        input.annotation.facility,
        input.annotation.project,
        nowOf(deps).toISOString(),
      ],
    );
    await tx.query('UPDATE cases SET batch_id = $1 WHERE id = ANY($2::uuid[])', [row!.id, ids]);
    await addBatchEvent(tx, row!.id, {
      kind: 'created',
      side: 'employer',
      at: nowOf(deps),
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      details: { cases: ids.length },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'batch.create',
      targetType: 'batch',
      targetId: row!.id,
      organizationId: project.organizationId,
      after: { ...input, caseIds: ids },
    });
    return row!.id;
  });
  boardChanged(ctx.db);
  return getBatch(ctx, deps, id);
}

/** The refusal of any change to a batch the embassy desk has acknowledged (or closed). */
function lockedError(acknowledgedAt: Date | string | null): ApiError {
  const day = acknowledgedAt ? iso(acknowledgedAt)!.slice(0, 10) : null;
  return new ApiError('pipeline.batch_locked', {
    detail: day
      ? {
          en: `The embassy desk acknowledged this batch on ${day} (UTC); it can no longer be changed.`,
          ko: `대사관 창구가 ${day}(UTC)에 이 묶음 신청을 접수 확인하여 더 이상 변경할 수 없습니다.`,
        }
      : {
          en: 'The embassy desk has taken this batch; it can no longer be changed.',
          ko: '대사관 창구가 이 묶음 신청을 처리 중이어서 더 이상 변경할 수 없습니다.',
        },
  });
}

/** A batch can be amended while the desk has not acknowledged it: draft, submitted (awaiting), returned. */
const AMENDABLE: readonly Batch['deskStatus'][] = ['draft', 'submitted', 'returned'];

/**
 * Edits a draft batch, as its investor: the annotation lines given, cases added (the rule of creation, in
 * `batchCaseErrors`) and cases taken out (they must be in it; the batch keeps at least one case). All or
 * nothing, in one transaction that holds the batch row so a concurrent submit waits; one audit event with the
 * state before and after. A submitted batch is refused (409).
 */
export async function updateBatch(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: UpdateBatch,
): Promise<Batch> {
  const visible = await getBatch(ctx, deps, id);
  if (!isPlatformAdmin(ctx.actor) && visible.organizationId !== ctx.actor.organizationId)
    throw new ApiError('auth.forbidden');
  const adding = input.addCaseIds ?? [];
  const removing = input.removeCaseIds ?? [];
  const changed = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{
      project_id: string;
      desk_status: Batch['deskStatus'];
      acknowledged_at: Date | null;
      annotation_company: string;
      annotation_facility: string;
      annotation_project: string;
    }>(
      `SELECT project_id, desk_status, acknowledged_at, annotation_company, annotation_facility, annotation_project
         FROM batches WHERE id = $1 FOR UPDATE`,
      [id],
    );
    if (!row) throw new ApiError('resource.not_found');
    if (!AMENDABLE.includes(row.desk_status)) throw lockedError(row.acknowledged_at);
    const current = (
      await tx.query<{ id: string }>('SELECT id FROM cases WHERE batch_id = $1 ORDER BY id FOR UPDATE', [id])
    ).map((r) => r.id);
    const inBatch = new Set(current);
    const addSet = new Set(adding);
    const errors = [
      ...(await batchCaseErrors(tx, ctx.actor, row.project_id, adding, 'addCaseIds', id)),
      ...removing.flatMap((caseId, index) =>
        !inBatch.has(caseId)
          ? [
              fieldError(
                `removeCaseIds[${index}]`,
                'is not a case of this batch',
                '이 묶음 신청에 속한 사건이 아닙니다',
              ),
            ]
          : addSet.has(caseId)
            ? [fieldError(`removeCaseIds[${index}]`, 'is also in addCaseIds', 'addCaseIds에도 들어 있습니다')]
            : [],
      ),
    ];
    if (errors.length) throw new ApiError('pipeline.batch_case_invalid', { errors });
    const removed = [...new Set(removing)].sort();
    const added = [...addSet].filter((caseId) => !inBatch.has(caseId)).sort();
    const after = [...current.filter((caseId) => !removed.includes(caseId)), ...added].sort();
    if (after.length === 0) {
      throw new ApiError('pipeline.batch_case_invalid', {
        errors: [
          fieldError(
            'removeCaseIds',
            'would leave the batch without cases',
            '묶음 신청에 사건이 하나도 남지 않게 됩니다',
          ),
        ],
      });
    }
    if (after.length > MAX_BATCH_CASES) {
      throw new ApiError('pipeline.batch_case_invalid', {
        errors: [
          fieldError(
            'addCaseIds',
            `would make the batch larger than ${MAX_BATCH_CASES} cases`,
            `묶음 신청의 사건이 ${MAX_BATCH_CASES}건을 넘게 됩니다`,
          ),
        ],
      });
    }
    const annotationBefore = {
      company: row.annotation_company,
      facility: row.annotation_facility,
      project: row.annotation_project,
    };
    const annotation = { ...annotationBefore, ...input.annotation };
    const annotationChanged = (Object.keys(annotation) as (keyof typeof annotation)[]).filter(
      (key) => annotation[key] !== annotationBefore[key],
    );
    if (annotationChanged.length === 0 && added.length === 0 && removed.length === 0) return false;
    await tx.query(
      `UPDATE batches SET annotation_company = $2, annotation_facility = $3, annotation_project = $4
        WHERE id = $1`,
      [id, annotation.company, annotation.facility, annotation.project],
    );
    if (removed.length)
      await tx.query('UPDATE cases SET batch_id = NULL WHERE batch_id = $1 AND id = ANY($2::uuid[])', [
        id,
        removed,
      ]);
    if (added.length)
      await tx.query('UPDATE cases SET batch_id = $1 WHERE id = ANY($2::uuid[])', [id, added]);
    // The desk sees every amendment made after submission in the batch's history.
    if (row.desk_status !== 'draft')
      await addBatchEvent(tx, id, {
        kind: 'amended',
        side: 'employer',
        at: nowOf(deps),
        userId: ctx.actor.userId,
        label: actorLabel(ctx),
        details: { annotationChanged, added: added.length, removed: removed.length },
      });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'batch.update',
      targetType: 'batch',
      targetId: id,
      organizationId: visible.organizationId,
      before: { annotation: annotationBefore, caseIds: current },
      after: { annotation, caseIds: after },
      details: {
        annotationChanged,
        before: { annotation: annotationBefore, cases: current.length },
        after: { annotation, cases: after.length },
        addedCaseIds: added,
        removedCaseIds: removed,
      },
    });
    return true;
  });
  if (changed) boardChanged(ctx.db);
  return getBatch(ctx, deps, id);
}

/** The embassy desks a batch can be sent to: government organizations whose mandate includes `embassy_desk`. */
export async function listDesks(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  return ctx.db.query<{ id: string; name: string }>(
    `SELECT id, name FROM organizations WHERE kind = 'government' AND 'embassy_desk' = ANY(mandates) ORDER BY name`,
  );
}

/**
 * Sends a draft (or returned) batch to the embassy desk chosen: the batch enters the desk's inbox, its cases
 * that had not reached the desk-submission stage are brought to it, and the history records the submission.
 */
export async function submitBatch(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: { deskId: string },
): Promise<Batch> {
  const batch = await getBatch(ctx, deps, id);
  if (!isPlatformAdmin(ctx.actor) && batch.organizationId !== ctx.actor.organizationId)
    throw new ApiError('auth.forbidden');
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const [desk] = await tx.query<{ id: string; name: string }>(
      `SELECT id, name FROM organizations WHERE id = $1 AND kind = 'government' AND 'embassy_desk' = ANY(mandates)`,
      [input.deskId],
    );
    if (!desk)
      throw new ApiError('desk.not_a_desk', {
        errors: [fieldError('deskId', 'is not an embassy desk', '대사관 창구가 아닙니다')],
      });
    const [row] = await tx.query<{ desk_status: Batch['deskStatus'] }>(
      'SELECT desk_status FROM batches WHERE id = $1 FOR UPDATE',
      [id],
    );
    if (!row || (row.desk_status !== 'draft' && row.desk_status !== 'returned'))
      throw new ApiError('pipeline.batch_submitted');
    await tx.query(
      `UPDATE batches SET desk_status = 'submitted', submitted_at = $2, desk_organization_id = $3, status_changed_at = $2
        WHERE id = $1`,
      [id, now.toISOString(), desk.id],
    );
    const cases = await tx.query<CaseForMove>(
      `SELECT id, organization_id, workflow_id, stage, status, stage_entered_at FROM cases
        WHERE batch_id = $1 AND status = 'open' ORDER BY id FOR UPDATE`,
      [id],
    );
    let moved = 0;
    for (const c of cases) {
      const path = await advanceCase(tx, c, 'desk_submission', now, {
        userId: ctx.actor.userId,
        label: ctx.actor.email,
        comment: `Batch submitted to ${desk.name}`,
      });
      if (path.length) moved += 1;
    }
    // A resubmitted batch starts afresh: the reasons it was returned with are kept in its history.
    await tx.query('UPDATE consular_applications SET return_reason = NULL WHERE case_id = ANY($1::uuid[])', [
      cases.map((c) => c.id),
    ]);
    await addBatchEvent(tx, id, {
      kind: 'submitted',
      side: 'employer',
      at: now,
      userId: ctx.actor.userId,
      label: actorLabel(ctx),
      details: { desk: desk.name, cases: cases.length, resubmitted: row.desk_status === 'returned' },
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'batch.submit',
      targetType: 'batch',
      targetId: id,
      organizationId: batch.organizationId,
      details: {
        cases: batch.cases.length,
        deskId: desk.id,
        casesMoved: moved,
        resubmitted: row.desk_status === 'returned',
      },
    });
  });
  boardChanged(ctx.db);
  return getBatch(ctx, deps, id);
}

/** The manifest input of the letters module, from a batch and its cases (passport numbers masked). */
export async function batchManifestInput(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
): Promise<BatchManifestInput> {
  const batch = await getBatch(ctx, deps, id);
  const rows = await ctx.db.query<{
    case_id: string;
    family_name: string;
    given_name: string;
    name_hangul: string;
    birth_date: string;
    passport_last4: string;
    employer: string;
    employer_id: string;
    role: string;
    start_date: string;
    activities: BatchManifestInput['rows'][number]['activities'];
  }>(
    `SELECT c.id AS case_id, w.family_name, w.given_name, w.name_hangul, w.birth_date::text, w.passport_last4,
            o.name AS employer, o.id AS employer_id, w.role, a.start_date::text, a.activities
       FROM cases c JOIN workers w ON w.id = c.worker_id JOIN organizations o ON o.id = c.organization_id
       JOIN assignments a ON a.id = c.assignment_id
      WHERE c.batch_id = $1 ORDER BY w.family_name, w.given_name, c.id`,
    [id],
  );
  const byCase = new Map(batch.cases.map((c) => [c.id, c]));
  const [investor] = await ctx.db.query<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [
    batch.organizationId,
  ]);
  return {
    batchId: batch.id,
    annotation: batch.annotation,
    investor: { en: investor!.name, ko: investor!.name },
    createdDate: batch.createdAt.slice(0, 10),
    post: 'U.S. Embassy Seoul, business visa desk',
    rows: rows.map((r) => {
      const c = byCase.get(r.case_id)!;
      return {
        hangulName: r.name_hangul,
        familyName: r.family_name,
        givenNames: r.given_name,
        birthDate: r.birth_date,
        passportNumber: `*****${r.passport_last4}`,
        employer: {
          name: { en: r.employer, ko: r.employer },
          relation: r.employer_id === batch.organizationId ? 'own' : 'partner',
        },
        role: r.role,
        plannedEntry: r.start_date,
        activities: r.activities,
        caseStatus: {
          code: c.status === 'open' ? c.stage : c.status,
          en: c.stageTitle.en,
          ko: c.stageTitle.ko,
        },
      };
    }),
  };
}
