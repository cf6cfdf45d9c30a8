import {
  assess,
  parseAssessmentRequest,
  withDefaultAsOf,
  AssessmentInputError,
  type Rules,
} from '../../core/rules/index.js';
import type { AssessmentRequest, AssessmentResponse } from '../../contract/assessment.js';
import { recordAudit } from '../audit/audit.js';
import type { Queryable } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { isPlatformAdmin, requireCapability } from '../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from './context.js';

export interface AssessmentRecord {
  id: string;
  createdAt: string;
  createdBy: string;
  rulesVersion: string;
  request: AssessmentRequest;
  response: AssessmentResponse;
}

export interface AssessmentSummary {
  id: string;
  createdAt: string;
  asOf: string;
  recommended: string | null;
  rulesVersion: string;
}

interface AssessmentRow {
  id: string;
  created_at: Date;
  created_by: string;
  as_of: string;
  rules_version: string;
  recommended: string | null;
  request: AssessmentRequest;
  response: AssessmentResponse;
  [key: string]: unknown;
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Validates a request (the as-of date defaults to today, UTC), runs the engine. Pure apart from the clock. */
export function evaluate(
  rules: Rules,
  input: unknown,
  today = todayUtc(),
): { request: AssessmentRequest; response: AssessmentResponse } {
  let request: AssessmentRequest;
  try {
    request = withDefaultAsOf(parseAssessmentRequest(input), today);
  } catch (error) {
    if (error instanceof AssessmentInputError) {
      throw new ApiError('rules.invalid_request', {
        errors: error.issues.map((issue) => ({
          path: issue.path,
          code: 'invalid',
          message: issue.message.en,
          messages: issue.message,
        })),
      });
    }
    throw error;
  }
  return { request, response: assess(request, rules) };
}

/** Stores what the user was told: request, response and rules version, with an audit event. */
export async function createAssessment(
  ctx: ServiceContext,
  rules: Rules,
  input: unknown,
): Promise<AssessmentRecord> {
  requireCapability(ctx.actor, 'assessments.create');
  const { request, response } = evaluate(rules, input);
  return ctx.db.transaction((tx) => storeAssessment(tx, ctx, request, response));
}

/** Inserts an assessment and its audit event inside the caller's transaction (a case opened from it, too). */
export async function storeAssessment(
  tx: Queryable,
  ctx: ServiceContext,
  request: AssessmentRequest,
  response: AssessmentResponse,
): Promise<AssessmentRecord> {
  {
    const [row] = await tx.query<{ id: string; created_at: Date }>(
      `INSERT INTO assessments (organization_id, user_id, as_of, rules_version, recommended, request, response)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`,
      [
        ctx.actor.organizationId,
        ctx.actor.userId,
        response.asOf,
        response.rulesVersion,
        response.recommended ?? null,
        JSON.stringify(request),
        JSON.stringify(response),
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'assessment.create',
      targetType: 'assessment',
      targetId: row!.id,
      after: { request, response },
      details: {
        asOf: response.asOf,
        recommended: response.recommended ?? null,
        rulesVersion: response.rulesVersion,
      },
    });
    return {
      id: row!.id,
      createdAt: iso(row!.created_at)!,
      createdBy: ctx.actor.email,
      rulesVersion: response.rulesVersion,
      request,
      response,
    };
  }
}

const SELECT = `SELECT a.id, a.created_at, u.email AS created_by, a.as_of, a.rules_version, a.recommended, a.request, a.response
  FROM assessments a JOIN users u ON u.id = a.user_id`;

/** Scoped to the caller's organization; a worker sees only their own. */
function scope(ctx: ServiceContext): { where: string; params: unknown[] } {
  if (isPlatformAdmin(ctx.actor)) return { where: 'TRUE', params: [] };
  if (ctx.actor.role === 'worker') return { where: 'a.user_id = $1', params: [ctx.actor.userId] };
  return { where: 'a.organization_id = $1', params: [ctx.actor.organizationId] };
}

export async function getAssessment(ctx: ServiceContext, id: string): Promise<AssessmentRecord> {
  requireCapability(ctx.actor, 'assessments.read');
  const { where, params } = scope(ctx);
  const [row] = await ctx.db.query<AssessmentRow>(
    `${SELECT} WHERE ${where} AND a.id = $${params.length + 1}`,
    [...params, id],
  );
  if (!row) throw new ApiError('resource.not_found');
  return {
    id: row.id,
    createdAt: iso(row.created_at)!,
    createdBy: row.created_by,
    rulesVersion: row.rules_version,
    request: row.request,
    response: row.response,
  };
}

export async function listAssessments(ctx: ServiceContext, limit = 100): Promise<AssessmentSummary[]> {
  requireCapability(ctx.actor, 'assessments.read');
  const { where, params } = scope(ctx);
  const rows = await ctx.db.query<AssessmentRow>(
    `SELECT a.id, a.created_at, a.as_of, a.rules_version, a.recommended FROM assessments a WHERE ${where}
     ORDER BY a.created_at DESC LIMIT ${Math.min(Math.max(1, limit), 500)}`,
    params,
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: iso(r.created_at)!,
    asOf: r.as_of,
    recommended: r.recommended,
    rulesVersion: r.rules_version,
  }));
}
