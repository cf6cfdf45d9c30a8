import type { BatchManifestInput } from '../../../contract/letters.js';
import type { Batch, CreateBatch } from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { listCases } from './cases.js';
import { fieldError, nowOf, type PipelineDeps } from './common.js';
import { visibleProject } from './projects.js';
import { boardChanged } from './board-cache.js';
import { batchScope } from './scope.js';

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
  total: string;
  open: string;
  admitted: string;
  [key: string]: unknown;
}

const batchSelect = `
  SELECT b.id, b.organization_id, b.project_id, p.name AS project_name, b.annotation_company, b.annotation_facility,
         b.annotation_project, b.submitted_at, b.created_at,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id) AS total,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id AND c.status = 'open') AS open,
         (SELECT count(*) FROM cases c WHERE c.batch_id = b.id AND c.status = 'admitted') AS admitted
    FROM batches b JOIN projects p ON p.id = b.project_id`;

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
    submittedAt: iso(r.submitted_at),
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
  return { ...toBatch(row), cases: cases.items };
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
  const project = await visibleProject(ctx, input.projectId);
  if (!isPlatformAdmin(ctx.actor) && project.organizationId !== ctx.actor.organizationId) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('projectId', "is not one of your organization's projects", '조직의 프로젝트가 아닙니다'),
      ],
    });
  }
  const ids = [...new Set(input.caseIds)];
  const id = await ctx.db.transaction(async (tx) => {
    const rows = await tx.query<{
      id: string;
      category: string;
      status: string;
      project_id: string;
      batch_id: string | null;
    }>('SELECT id, category, status, project_id, batch_id FROM cases WHERE id = ANY($1::uuid[]) FOR UPDATE', [
      ids,
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const errors = ids.flatMap((caseId, index) => {
      const c = byId.get(caseId);
      return c &&
        c.category === 'B1' &&
        c.status === 'open' &&
        c.project_id === project.id &&
        c.batch_id === null
        ? []
        : [
            fieldError(
              `caseIds[${index}]`,
              'is not an open B-1 case of this project outside other batches',
              '이 프로젝트의 다른 묶음에 속하지 않은 진행 중 B-1 사건이 아닙니다',
            ),
          ];
    });
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

export async function submitBatch(ctx: ServiceContext, deps: PipelineDeps, id: string): Promise<Batch> {
  const batch = await getBatch(ctx, deps, id);
  if (!isPlatformAdmin(ctx.actor) && batch.organizationId !== ctx.actor.organizationId)
    throw new ApiError('auth.forbidden');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      'UPDATE batches SET submitted_at = $2 WHERE id = $1 AND submitted_at IS NULL RETURNING id',
      [id, nowOf(deps).toISOString()],
    );
    if (!row) throw new ApiError('pipeline.batch_submitted');
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'batch.submit',
      targetType: 'batch',
      targetId: id,
      organizationId: batch.organizationId,
      details: { cases: batch.cases.length },
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
