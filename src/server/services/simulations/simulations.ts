import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { scenarioSchema, type Scenario, type Simulation, type simulationRequestSchema } from '../../../contract/simulation.js'; // prettier-ignore
import { comparison, summarize } from '../../../core/simulation/engine.js';
import { recordAudit } from '../../audit/audit.js';
import type { Database } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { packageRoot } from '../../package-root.js';
import { replicateOnThreads } from './replicate.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';

/**
 * Policy simulations through the API (issue 21, item 4): a run is stored, computed in the background on worker
 * threads (the server stays responsive; progress is the replications done), and read by the organization's people. The
 * shipped scenarios (`scenarios/*.yaml`) are the templates. A scenario holds figures and dates, no person.
 */
export function scenarioTemplates(): { id: string; scenario: Scenario }[] {
  const dir = join(packageRoot(), 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ id: f.replace(/\.yaml$/, ''), scenario: scenarioSchema.parse(parse(readFileSync(join(dir, f), 'utf8'))) })); // prettier-ignore
}

interface Row {
  id: string;
  created_at: Date;
  created_by_label: string;
  scenario: Scenario;
  compare_with: Scenario | null;
  status: Simulation['status'];
  replications: number;
  done_replications: number;
  seed: string | number;
  error: string | null;
  result: unknown;
  [key: string]: unknown;
}

function toSimulation(r: Row, withResult: boolean): Simulation {
  return {
    id: r.id,
    createdAt: iso(r.created_at)!,
    createdBy: r.created_by_label,
    name: r.scenario.name,
    compareName: r.compare_with?.name ?? null,
    status: r.status,
    replications: r.replications,
    done: r.done_replications,
    seed: Number(r.seed),
    error: r.error,
    result: withResult ? (r.result ?? null) : null,
  };
}

function organizationOf(ctx: ServiceContext): string {
  if (!ctx.actor.organizationId) throw new ApiError('auth.forbidden');
  return ctx.actor.organizationId;
}

export async function listSimulations(ctx: ServiceContext): Promise<Simulation[]> {
  const rows = await ctx.db.query<Row>(
    `SELECT id, created_at, created_by_label, scenario, compare_with, status, replications, done_replications, seed,
            error, NULL AS result
       FROM simulations WHERE organization_id = $1 ORDER BY created_at DESC LIMIT 50`,
    [organizationOf(ctx)],
  );
  return rows.map((r) => toSimulation(r, false));
}

export async function getSimulation(ctx: ServiceContext, id: string): Promise<Simulation> {
  const [row] = await ctx.db.query<Row>('SELECT * FROM simulations WHERE id = $1 AND organization_id = $2', [
    id,
    organizationOf(ctx),
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return toSimulation(row, true);
}

/** Stores the run and starts it; the answer comes at once (202) with the id to follow. */
export async function startSimulation(
  ctx: ServiceContext,
  input: z.output<typeof simulationRequestSchema>,
  now: Date,
  running: Set<Promise<void>>,
  signal?: AbortSignal,
): Promise<Simulation> {
  const organizationId = organizationOf(ctx);
  const id = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO simulations (organization_id, created_by_label, scenario, compare_with, replications, seed, status,
                                created_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'running', $7) RETURNING id`,
      [
        organizationId,
        actorLabel(ctx),
        JSON.stringify(input.scenario),
        input.compare ? JSON.stringify(input.compare) : null,
        input.replications,
        input.seed,
        now.toISOString(),
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'simulation.run',
      targetType: 'simulation',
      targetId: row!.id,
      organizationId,
      details: { name: input.scenario.name.en, compare: input.compare?.name.en ?? null, replications: input.replications }, // prettier-ignore
    });
    return row!.id;
  });
  const job = runInBackground(ctx.db, id, input, signal).finally(() => running.delete(job));
  running.add(job);
  return getSimulation(ctx, id);
}

/** Runs the replications on worker threads, with the progress written as it goes (at most every 300 ms). */
async function runInBackground(
  db: Database,
  id: string,
  input: z.output<typeof simulationRequestSchema>,
  signal?: AbortSignal,
): Promise<void> {
  // prettier-ignore
  try {
    const scenarios = input.compare ? [input.scenario, input.compare] : [input.scenario];
    let written = Date.now();
    let pending = Promise.resolve();
    const runs = await replicateOnThreads(scenarios, {
      replications: input.replications,
      seed: input.seed,
      signal,
      onProgress: (done) => {
        if (Date.now() - written < 300) return;
        written = Date.now();
        pending = pending.then(() => db.query('UPDATE simulations SET done_replications = $2 WHERE id = $1', [id, done]).then(() => undefined)); // prettier-ignore
      },
    });
    await pending;
    const result = input.compare ? comparison(runs[0]!, runs[1]!, input.seed) : summarize(runs[0]!, input.seed);
    await db.query(
      `UPDATE simulations SET status = 'done', result = $2, done_replications = $3, finished_at = now() WHERE id = $1`,
      [id, JSON.stringify(stripForStorage(result)), input.replications * scenarios.length],
    );
  } catch (error) {
    await db
      .query(`UPDATE simulations SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
        id,
        error instanceof Error ? error.message.slice(0, 500) : String(error),
      ])
      .catch(() => undefined);
  }
}

/** NaN and Infinity are not JSON: stored as null. */
function stripForStorage(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))); // prettier-ignore
}
