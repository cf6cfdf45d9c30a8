import type { Scenario } from '../../../contract/simulation.js';
import { calibrateScenario, type MeasuredCase } from '../../../core/simulation/calibrate.js';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import type { Actor } from '../../policies/capabilities.js';
import { fieldError } from '../pipeline/common.js';
import { caseScope, type Scope } from '../pipeline/scope.js';
import { auditContextOf, type ServiceContext } from '../context.js';

/**
 * Calibration of a scenario from the database (issue 21, item 2): the cases of the period, of the workflows the
 * scenario's paths stand for (`measuredBy`), with their stage history, measured by the pure core
 * (`core/simulation/calibrate.ts`). Whose cases: a company's or a law firm's own (the pipeline's scope); a
 * working group's, every case (the result is durations and shares, never a person). Workers' cases only (a
 * dependent's case follows the worker's). The read is audited with the period and the number of cases.
 */
export interface CalibrationInput {
  scenario: Scenario;
  from: string;
  to: string;
  minSample?: number;
}

export function calibrationScope(actor: Actor): Scope {
  if (actor.organizationKind === 'government') {
    if (!actor.mandates?.includes('working_group')) throw new ApiError('auth.forbidden');
    return { sql: 'true', params: [] };
  }
  return caseScope(actor, 'c', 4);
}

/** The measured cases of a period (any stage history event inside it), as the pure core wants them. */
export async function measuredCases(
  db: Database,
  scope: Scope,
  workflows: string[],
  from: string,
  to: string,
): Promise<MeasuredCase[]> {
  const rows = await db.query<{ workflow_id: string; opened_ms: string; events: [string, string][] }>(
    `SELECT c.workflow_id, (extract(epoch FROM c.opened_at) * 1000)::bigint AS opened_ms,
            (SELECT json_agg(json_build_array(e.to_stage, (extract(epoch FROM e.at) * 1000)::bigint) ORDER BY e.seq)
               FROM case_events e WHERE e.case_id = c.id) AS events
       FROM cases c
      WHERE c.workflow_id = ANY ($1) AND c.dependent_id IS NULL
        AND c.opened_at < $3::date + 1 AND coalesce(c.closed_at, 'infinity') >= $2::date
        AND ${scope.sql}`,
    [workflows, from, to, ...scope.params],
  );
  return rows.map((r) => ({
    workflowId: r.workflow_id,
    openedAt: Number(r.opened_ms),
    events: (r.events ?? []).map(([stage, at]) => ({ stage, at: Number(at) })),
  }));
}

export async function calibrate(ctx: ServiceContext, input: CalibrationInput): Promise<Scenario> {
  if (input.from > input.to)
    throw new ApiError('request.invalid', {
      errors: [fieldError('to', 'the period ends before it starts', '기간의 끝이 시작보다 앞섭니다')],
    });
  const workflows = [...new Set(Object.values(input.scenario.measuredBy ?? {}).flat())];
  if (workflows.length === 0)
    throw new ApiError('request.invalid', {
      errors: [fieldError('scenario.measuredBy', 'names no workflow to measure', '측정할 절차가 없습니다')],
    });
  const cases = await measuredCases(ctx.db, calibrationScope(ctx.actor), workflows, input.from, input.to);
  const calibrated = calibrateScenario(
    input.scenario,
    cases,
    { from: input.from, to: input.to },
    input.minSample,
  );
  await ctx.db.transaction(async (tx) => {
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'simulation.calibrate',
      targetType: 'simulation',
      targetId: null,
      organizationId: ctx.actor.organizationId,
      details: {
        name: input.scenario.name.en,
        from: input.from,
        to: input.to,
        cases: calibrated.calibration!.cases,
      },
    });
  });
  return calibrated;
}
