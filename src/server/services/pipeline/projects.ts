import type {
  CreateProject,
  CreateSite,
  CreateStaffingPlan,
  Project,
  ProjectDetail,
  StaffingPlan,
} from '../../../contract/pipeline.js';
import type { Site } from '../../../contract/api.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { fieldError } from './common.js';
import { projectScope } from './scope.js';
import { consulateOf } from '../sites.js';

/** The organization a write acts for: the actor's own; a platform administrator names one. */
export function actingOrganization(ctx: ServiceContext, requested?: string): string {
  if (isPlatformAdmin(ctx.actor)) {
    if (!requested) {
      throw new ApiError('request.invalid', {
        errors: [
          fieldError(
            'organizationId',
            'is required for a platform administrator',
            '플랫폼 관리자는 지정해야 합니다',
            'required',
          ),
        ],
      });
    }
    return requested;
  }
  // Only platform administrators act for another organization; naming one's own is harmless.
  if (requested && requested !== ctx.actor.organizationId) throw new ApiError('auth.forbidden');
  return ctx.actor.organizationId!;
}

function investorOnly(ctx: ServiceContext): void {
  if (!isPlatformAdmin(ctx.actor) && ctx.actor.organizationKind !== 'investor')
    throw new ApiError('auth.forbidden');
}

export async function createSite(ctx: ServiceContext, input: CreateSite): Promise<Site> {
  investorOnly(ctx);
  const org = actingOrganization(ctx, input.organizationId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string; name: string; created_at: Date }>(
      `INSERT INTO sites (organization_id, name, sector, address, city, state, county, time_zone)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, created_at,
       (SELECT name FROM organizations WHERE id = $1) AS name`,
      [
        org,
        input.name,
        input.sector,
        input.address,
        input.city,
        input.state,
        input.county ?? null,
        input.timeZone,
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'site.create',
      targetType: 'site',
      targetId: row!.id,
      organizationId: org,
      after: input,
    });
    return {
      id: row!.id,
      organizationId: org,
      organizationName: row!.name,
      name: input.name,
      sector: input.sector,
      address: input.address,
      city: input.city,
      state: input.state,
      county: input.county ?? null,
      timeZone: input.timeZone,
      consulate: consulateOf(input.state, input.county ?? null),
    };
  });
}

interface ProjectRow {
  id: string;
  organization_id: string;
  organization_name: string;
  site_id: string;
  site_name: string;
  state: string;
  code: string;
  name: string;
  sector: Project['sector'];
  investment_usd: string;
  start_date: string;
  end_date: string | null;
  partners: { id: string; name: string }[] | null;
  created_at: Date;
  [key: string]: unknown;
}

const projectSelect = `
  SELECT p.id, p.organization_id, o.name AS organization_name, p.site_id, s.name AS site_name, s.state, p.code,
         p.name, p.sector, p.investment_usd::text, p.start_date::text, p.end_date::text, p.created_at,
         (SELECT json_agg(json_build_object('id', po.id, 'name', po.name) ORDER BY po.name)
            FROM project_partners pp JOIN organizations po ON po.id = pp.partner_id
           WHERE pp.project_id = p.id) AS partners
    FROM projects p JOIN organizations o ON o.id = p.organization_id JOIN sites s ON s.id = p.site_id`;

function toProject(r: ProjectRow): Project {
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    siteId: r.site_id,
    siteName: r.site_name,
    state: r.state.trim(),
    code: r.code,
    name: r.name,
    sector: r.sector,
    investmentUsd: Number(r.investment_usd),
    startDate: r.start_date,
    endDate: r.end_date,
    partners: r.partners ?? [],
    createdAt: iso(r.created_at)!,
  };
}

export async function listProjects(ctx: ServiceContext): Promise<Project[]> {
  const scope = projectScope(ctx.actor, 'p', 1);
  const rows = await ctx.db.query<ProjectRow>(
    `${projectSelect} WHERE ${scope.sql} ORDER BY p.name`,
    scope.params,
  );
  return rows.map(toProject);
}

/** A visible project, or 404 (never 403: what one may not see does not exist for one). */
export async function visibleProject(
  ctx: ServiceContext,
  id: string,
  q: Queryable = ctx.db,
): Promise<Project> {
  const scope = projectScope(ctx.actor, 'p', 2);
  const [row] = await q.query<ProjectRow>(`${projectSelect} WHERE p.id = $1 AND ${scope.sql}`, [
    id,
    ...scope.params,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return toProject(row);
}

export async function createProject(ctx: ServiceContext, input: CreateProject): Promise<Project> {
  investorOnly(ctx);
  return ctx.db.transaction(async (tx) => {
    const [site] = await tx.query<{ organization_id: string }>(
      'SELECT organization_id FROM sites WHERE id = $1',
      [input.siteId],
    );
    if (!site || (!isPlatformAdmin(ctx.actor) && site.organization_id !== ctx.actor.organizationId)) {
      throw new ApiError('request.invalid', {
        errors: [fieldError('siteId', 'is not a site of your organization', '조직의 사업장이 아닙니다')],
      });
    }
    const org = site.organization_id;
    const [dup] = await tx.query('SELECT 1 FROM projects WHERE organization_id = $1 AND code = $2', [
      org,
      input.code,
    ]);
    if (dup) throw new ApiError('pipeline.duplicate_project_code');
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO projects (organization_id, site_id, code, name, sector, investment_usd, start_date, end_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        org,
        input.siteId,
        input.code,
        input.name,
        input.sector,
        input.investmentUsd,
        input.startDate,
        input.endDate ?? null,
      ],
    );
    const projectId = row!.id;
    for (const [index, partnerId] of [...new Set(input.partnerIds ?? [])].entries()) {
      const [link] = await tx.query(
        'SELECT 1 FROM partner_links WHERE investor_id = $1 AND partner_id = $2',
        [org, partnerId],
      );
      if (!link) {
        throw new ApiError('pipeline.partner_not_linked', {
          errors: [
            fieldError(`partnerIds[${index}]`, 'is not a linked partner firm', '연결된 협력사가 아닙니다'),
          ],
        });
      }
      await tx.query('INSERT INTO project_partners (project_id, partner_id) VALUES ($1, $2)', [
        projectId,
        partnerId,
      ]);
    }
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'project.create',
      targetType: 'project',
      targetId: projectId,
      organizationId: org,
      after: input,
    });
    const [created] = await tx.query<ProjectRow>(`${projectSelect} WHERE p.id = $1`, [projectId]);
    return toProject(created!);
  });
}

interface PlanRow {
  id: string;
  project_id: string;
  role: StaffingPlan['role'];
  skill: string | null;
  headcount: number;
  start_date: string;
  end_date: string;
  assigned: string;
  admitted: string;
  [key: string]: unknown;
}

/**
 * The staffing plan of a project: per plan, the people needed, the workers assigned in that role whose
 * assignment overlaps the plan's dates, and of those the ones admitted (their case reached `admitted`).
 */
export async function getProject(ctx: ServiceContext, id: string): Promise<ProjectDetail> {
  const project = await visibleProject(ctx, id);
  const rows = await ctx.db.query<PlanRow>(
    `SELECT sp.id, sp.project_id, sp.role, sp.skill, sp.headcount, sp.start_date::text, sp.end_date::text,
            count(DISTINCT a.worker_id) AS assigned,
            count(DISTINCT a.worker_id) FILTER (WHERE c.status = 'admitted') AS admitted
       FROM staffing_plans sp
       LEFT JOIN assignments a ON a.project_id = sp.project_id
            AND a.start_date <= sp.end_date AND a.end_date >= sp.start_date
            AND EXISTS (SELECT 1 FROM workers w WHERE w.id = a.worker_id AND w.role = sp.role)
       LEFT JOIN cases c ON c.assignment_id = a.id AND c.dependent_id IS NULL AND c.status IN ('open', 'admitted')
      WHERE sp.project_id = $1
      GROUP BY sp.id
      ORDER BY sp.start_date, sp.role`,
    [id],
  );
  const staffing = rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    role: r.role,
    skill: r.skill,
    headcount: r.headcount,
    startDate: r.start_date,
    endDate: r.end_date,
    assigned: Number(r.assigned),
    admitted: Number(r.admitted),
  }));
  const [totals] = await ctx.db.query<{ assigned: string; admitted: string }>(
    `SELECT count(DISTINCT a.worker_id) AS assigned,
            count(DISTINCT a.worker_id) FILTER (WHERE c.status = 'admitted') AS admitted
       FROM assignments a
       LEFT JOIN cases c ON c.assignment_id = a.id AND c.dependent_id IS NULL AND c.status IN ('open', 'admitted')
      WHERE a.project_id = $1`,
    [id],
  );
  return {
    ...project,
    staffing,
    totals: {
      needed: staffing.reduce((sum, p) => sum + p.headcount, 0),
      assigned: Number(totals?.assigned ?? 0),
      admitted: Number(totals?.admitted ?? 0),
    },
  };
}

export async function addStaffingPlan(
  ctx: ServiceContext,
  projectId: string,
  input: CreateStaffingPlan,
): Promise<ProjectDetail> {
  const project = await visibleProject(ctx, projectId);
  if (!isPlatformAdmin(ctx.actor) && project.organizationId !== ctx.actor.organizationId)
    throw new ApiError('auth.forbidden');
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO staffing_plans (project_id, role, skill, headcount, start_date, end_date)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [projectId, input.role, input.skill ?? null, input.headcount, input.startDate, input.endDate],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'staffing_plan.create',
      targetType: 'staffing_plan',
      targetId: row!.id,
      organizationId: project.organizationId,
      after: { projectId, ...input },
    });
  });
  return getProject(ctx, projectId);
}
