import type { z } from 'zod';
import type { Assignment, CreateAssignment, assignmentListQuerySchema } from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { fieldError } from './common.js';
import { visibleProject } from './projects.js';
import { assignmentScope } from './scope.js';
import { visibleWorker } from './workers.js';

interface AssignmentRow {
  id: string;
  organization_id: string;
  worker_id: string;
  family_name: string;
  given_name: string;
  name_hangul: string;
  project_id: string;
  project_name: string;
  site_id: string;
  site_name: string;
  activities: Assignment['activities'];
  start_date: string;
  end_date: string;
  payer: Assignment['payer'];
  case_id: string | null;
  created_at: Date;
  [key: string]: unknown;
}

const assignmentSelect = `
  SELECT a.id, a.organization_id, a.worker_id, w.family_name, w.given_name, w.name_hangul, a.project_id,
         p.name AS project_name, p.site_id, s.name AS site_name, a.activities, a.start_date::text,
         a.end_date::text, a.payer, a.created_at,
         (SELECT c.id FROM cases c WHERE c.assignment_id = a.id AND c.dependent_id IS NULL
           ORDER BY (c.status IN ('open', 'admitted')) DESC, c.opened_at DESC LIMIT 1) AS case_id
    FROM assignments a JOIN workers w ON w.id = a.worker_id JOIN projects p ON p.id = a.project_id
    JOIN sites s ON s.id = p.site_id`;

const toAssignment = (r: AssignmentRow): Assignment => ({
  id: r.id,
  organizationId: r.organization_id,
  workerId: r.worker_id,
  workerName: `${r.family_name} ${r.given_name}`,
  workerNameHangul: r.name_hangul,
  projectId: r.project_id,
  projectName: r.project_name,
  siteId: r.site_id,
  siteName: r.site_name,
  activities: r.activities,
  startDate: r.start_date,
  endDate: r.end_date,
  payer: r.payer,
  caseId: r.case_id,
  createdAt: iso(r.created_at)!,
});

export async function listAssignments(
  ctx: ServiceContext,
  query: z.infer<typeof assignmentListQuerySchema>,
): Promise<{ total: number; items: Assignment[] }> {
  const scope = assignmentScope(ctx.actor, 'a', 1);
  const params: unknown[] = [...scope.params];
  const where = [scope.sql];
  if (query.projectId) {
    params.push(query.projectId);
    where.push(`a.project_id = $${params.length}`);
  }
  if (query.workerId) {
    params.push(query.workerId);
    where.push(`a.worker_id = $${params.length}`);
  }
  const condition = where.join(' AND ');
  const [count] = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM assignments a WHERE ${condition}`,
    params,
  );
  const rows = await ctx.db.query<AssignmentRow>(
    `${assignmentSelect} WHERE ${condition} ORDER BY a.start_date, w.family_name, a.id
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  return { total: Number(count?.n ?? 0), items: rows.map(toAssignment) };
}

export async function visibleAssignment(
  ctx: ServiceContext,
  id: string,
  q: Queryable = ctx.db,
): Promise<Assignment> {
  const scope = assignmentScope(ctx.actor, 'a', 2);
  const [row] = await q.query<AssignmentRow>(`${assignmentSelect} WHERE a.id = $1 AND ${scope.sql}`, [
    id,
    ...scope.params,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return toAssignment(row);
}

/**
 * Checks that the actor may assign this worker to this project for these dates (the worker's employer, a
 * project it works on, within the project's dates). Throws a field problem otherwise.
 */
export async function checkAssignment(
  ctx: ServiceContext,
  input: CreateAssignment,
): Promise<{ worker: Awaited<ReturnType<typeof visibleWorker>>; projectId: string }> {
  const worker = await visibleWorker(ctx, input.workerId).catch(() => {
    throw new ApiError('request.invalid', {
      errors: [fieldError('workerId', 'is not a worker you can assign', '배치할 수 있는 근로자가 아닙니다')],
    });
  });
  if (!isPlatformAdmin(ctx.actor) && worker.organizationId !== ctx.actor.organizationId) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          'workerId',
          'belongs to another firm; only the employer assigns its workers',
          '다른 회사 소속입니다. 소속 회사만 배치할 수 있습니다',
        ),
      ],
    });
  }
  const project = await visibleProject(ctx, input.projectId).catch(() => {
    throw new ApiError('request.invalid', {
      errors: [fieldError('projectId', 'is not a project you work on', '참여하는 프로젝트가 아닙니다')],
    });
  });
  if (input.startDate < project.startDate || (project.endDate && input.endDate > project.endDate)) {
    throw new ApiError('pipeline.assignment_outside_project', {
      errors: [
        fieldError(
          input.startDate < project.startDate ? 'startDate' : 'endDate',
          `must fall within the project (${project.startDate} – ${project.endDate ?? '…'})`,
          `프로젝트 기간(${project.startDate} – ${project.endDate ?? '…'}) 안이어야 합니다`,
        ),
      ],
    });
  }
  return { worker, projectId: project.id };
}

/** Inserts a checked assignment in the caller's transaction, with its audit event. */
export async function insertAssignment(
  tx: Queryable,
  ctx: ServiceContext,
  organizationId: string,
  input: CreateAssignment,
): Promise<Assignment> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO assignments (organization_id, worker_id, project_id, activities, start_date, end_date, payer)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      organizationId,
      input.workerId,
      input.projectId,
      input.activities,
      input.startDate,
      input.endDate,
      input.payer,
    ],
  );
  await recordAudit(tx, auditContextOf(ctx), {
    action: 'assignment.create',
    targetType: 'assignment',
    targetId: row!.id,
    organizationId,
    after: input,
  });
  const [created] = await tx.query<AssignmentRow>(`${assignmentSelect} WHERE a.id = $1`, [row!.id]);
  return toAssignment(created!);
}

/**
 * Assigns a worker of the actor's organization to a project the organization may staff (its own, or one it
 * works on as a linked partner firm), within the project's dates.
 */
export async function createAssignment(ctx: ServiceContext, input: CreateAssignment): Promise<Assignment> {
  const { worker } = await checkAssignment(ctx, input);
  return ctx.db.transaction((tx) => insertAssignment(tx, ctx, worker.organizationId, input));
}
