import type { Scenario } from '../../../contract/simulation.js';
import {
  calibrateScenario,
  type DeskCapacity,
  type MeasuredCase,
} from '../../../core/simulation/calibrate.js';
import { DEFAULT_DAILY_CAPACITY } from '../desk/desk.js';
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

/**
 * The embassy desk's interview capacity over the period: each weekday's set capacity or the desk's default (the
 * busiest desk when there are several: the KIT desk), as places a week; none without a desk organization.
 */
export async function deskCapacity(
  db: Database,
  from: string,
  to: string,
): Promise<DeskCapacity | undefined> {
  const rows = await db.query<{ weekdays: number; recorded: number; places: string }>(
    `WITH days AS (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d
                    WHERE extract(isodow FROM d) < 6),
          desks AS (SELECT id AS desk FROM organizations WHERE 'embassy_desk' = ANY (mandates))
     SELECT (SELECT count(*) FROM days)::int AS weekdays,
            count(i.day)::int AS recorded,
            sum(coalesce(i.capacity, $3))::text AS places
       FROM desks CROSS JOIN days LEFT JOIN desk_interview_days i ON i.desk_organization_id = desks.desk AND i.day = days.day
      GROUP BY desks.desk ORDER BY sum(coalesce(i.capacity, $3)) DESC LIMIT 1`,
    [from, to, DEFAULT_DAILY_CAPACITY],
  );
  const r = rows[0];
  if (!r || r.weekdays === 0) return undefined;
  return { perWeek: (Number(r.places) / r.weekdays) * 5, days: r.weekdays, recorded: r.recorded };
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
  const desk = await deskCapacity(ctx.db, input.from, input.to);
  const calibrated = calibrateScenario(input.scenario, cases, { from: input.from, to: input.to }, input.minSample, desk); // prettier-ignore
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
