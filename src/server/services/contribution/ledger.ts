import type { z } from 'zod';
import type {
  investmentInputSchema,
  jobsInputSchema,
  ledgerEntriesSchema,
  milestoneInputSchema,
  trainingPlanInputSchema,
  trainingSessionInputSchema,
} from '../../../contract/contribution.js';
import { recordAudit } from '../../audit/audit.js';
import type { Tx } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin, type Actor } from '../../policies/capabilities.js';
import { actorLabel, auditContextOf, type ServiceContext } from '../context.js';
import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { writeEncryptedUpload, type Upload } from '../pipeline/documents.js';

/**
 * The contribution ledger's entries (issue 20, item 1). Who records what:
 * - an investor on its own projects; a partner firm on the projects it works on (`project_partners`);
 * - a training session's trainer is one of the recording organization's workers;
 * - trainees' names are encrypted (context `training.traineeName`) and read only by the recording organization.
 * Who reads what: an investor reads every entry on its projects (its partners' too, without trainee names); a
 * partner reads only its own entries. Every change is audited in the same transaction; no person's name is in the
 * audit details.
 */
export const TRAINEE_CONTEXT = 'training.traineeName';
type Entries = z.infer<typeof ledgerEntriesSchema>;

export function organizationOf(actor: Actor): string {
  if (!actor.organizationId) throw new ApiError('auth.forbidden');
  return actor.organizationId;
}

/** The projects an organization may record on, and read: its own (investor) or those it works on (partner). */
export function projectScope(actor: Actor, p: string, from: number): { sql: string; params: unknown[] } {
  if (isPlatformAdmin(actor)) return { sql: 'true', params: [] };
  return {
    sql: `(${p}.organization_id = $${from} OR ${p}.id IN (SELECT project_id FROM project_partners WHERE partner_id = $${from}))`,
    params: [organizationOf(actor)],
  };
}

/**
 * Entries the actor reads: an investor's projects' entries (anyone's), otherwise the organization's own. `e` is
 * the entry table's alias, `p` the projects alias; parameters from `$from`.
 */
export function entryScope(
  actor: Actor,
  e: string,
  p: string,
  from: number,
): { sql: string; params: unknown[] } {
  if (isPlatformAdmin(actor)) return { sql: 'true', params: [] };
  return { sql: `(${e}.organization_id = $${from} OR ${p}.organization_id = $${from})`, params: [organizationOf(actor)] }; // prettier-ignore
}

async function recordableProject(
  tx: Tx,
  actor: Actor,
  projectId: string,
): Promise<{ id: string; name: string; organization_id: string }> {
  // prettier-ignore
  const scope = projectScope(actor, 'p', 2);
  const [row] = await tx.query<{ id: string; name: string; organization_id: string }>(
    `SELECT p.id, p.name, p.organization_id FROM projects p WHERE p.id = $1 AND ${scope.sql}`,
    [projectId, ...scope.params],
  );
  if (!row)
    throw new ApiError('request.invalid', {
      errors: [fieldError('projectId', 'is not a project your organization works on', '귀사가 참여하는 프로젝트가 아닙니다')], // prettier-ignore
    });
  return row;
}

function notInFuture(date: string, now: Date, path: string) {
  if (date > now.toISOString().slice(0, 10))
    throw new ApiError('request.invalid', {
      errors: [fieldError(path, 'is in the future: the ledger records what happened', '미래 날짜입니다. 원장에는 일어난 일만 기록합니다')], // prettier-ignore
    });
}

/** An investment row (the caller checked the project and the date, and audits). */
export async function insertInvestment(
  tx: Tx,
  organizationId: string,
  recordedBy: string,
  input: z.output<typeof investmentInputSchema>,
  now: Date,
): Promise<{ id: string }> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO contribution_investments (organization_id, project_id, kind, amount_usd, on_date, source,
       recorded_by_label, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [organizationId, input.projectId, input.kind, input.amountUsd, input.onDate, input.source, recordedBy, now.toISOString()], // prettier-ignore
  );
  return row!;
}

/** A firm's jobs of a quarter on a project, replacing an earlier figure of the same quarter. */
export async function upsertJobs(
  tx: Tx,
  organizationId: string,
  recordedBy: string,
  input: z.output<typeof jobsInputSchema>,
  now: Date,
): Promise<{ id: string }> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO contribution_jobs (organization_id, project_id, quarter, committed, created, source, recorded_by_label,
       created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (organization_id, project_id, quarter) DO UPDATE
       SET committed = EXCLUDED.committed, created = EXCLUDED.created, source = EXCLUDED.source,
           recorded_by_label = EXCLUDED.recorded_by_label, created_at = EXCLUDED.created_at
     RETURNING id`,
    [organizationId, input.projectId, quarterStart(input.quarter), input.committed, input.created, input.source, recordedBy, now.toISOString()], // prettier-ignore
  );
  return row!;
}

export async function addInvestment(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'now'>,
  input: z.output<typeof investmentInputSchema>,
): Promise<{ id: string }> {
  const now = nowOf(deps);
  notInFuture(input.onDate, now, 'onDate');
  return ctx.db.transaction(async (tx) => {
    await recordableProject(tx, ctx.actor, input.projectId);
    const row = await insertInvestment(tx, organizationOf(ctx.actor), actorLabel(ctx), input, now);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.investment',
      targetType: 'project',
      targetId: input.projectId,
      organizationId: organizationOf(ctx.actor),
      details: { id: row!.id, kind: input.kind, amountUsd: input.amountUsd, onDate: input.onDate, source: input.source }, // prettier-ignore
    });
    return row!;
  });
}

export function quarterStart(quarter: string): string {
  const q = Number(quarter.slice(6));
  return `${quarter.slice(0, 4)}-${String((q - 1) * 3 + 1).padStart(2, '0')}-01`;
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** Jobs of a quarter: one row per firm, project and quarter (a later record for the same quarter replaces it). */
export async function recordJobs(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'now'>,
  input: z.output<typeof jobsInputSchema>,
): Promise<{ id: string }> {
  const now = nowOf(deps);
  notInFuture(quarterStart(input.quarter), now, 'quarter');
  return ctx.db.transaction(async (tx) => {
    await recordableProject(tx, ctx.actor, input.projectId);
    const row = await upsertJobs(tx, organizationOf(ctx.actor), actorLabel(ctx), input, now);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.jobs',
      targetType: 'project',
      targetId: input.projectId,
      organizationId: organizationOf(ctx.actor),
      details: { id: row!.id, quarter: input.quarter, committed: input.committed, created: input.created, source: input.source }, // prettier-ignore
    });
    return row!;
  });
}

export async function addTrainingPlan(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'now'>,
  input: z.output<typeof trainingPlanInputSchema>,
): Promise<{ id: string }> {
  return ctx.db.transaction(async (tx) => {
    await recordableProject(tx, ctx.actor, input.projectId);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO training_plans (organization_id, project_id, title, goal, created_at) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [organizationOf(ctx.actor), input.projectId, input.title, input.goal, nowOf(deps).toISOString()],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.plan',
      targetType: 'training_plan',
      targetId: row!.id,
      organizationId: organizationOf(ctx.actor),
      details: { projectId: input.projectId, title: input.title },
    });
    return row!;
  });
}

export interface SessionWrite {
  organizationId: string;
  recordedBy: string;
  input: z.output<typeof trainingSessionInputSchema>;
}

/** Checks a session against the database (project, plan, trainer) and writes it; the caller's transaction. */
export async function insertSession(
  tx: Tx,
  deps: Pick<PipelineDeps, 'cipher' | 'now'>,
  actor: Actor,
  { organizationId, recordedBy, input }: SessionWrite,
  pathPrefix = '',
): Promise<string> {
  const now = nowOf(deps);
  notInFuture(input.heldOn, now, `${pathPrefix}heldOn`);
  await recordableProject(tx, actor, input.projectId).catch((e: unknown) => {
    if (e instanceof ApiError && pathPrefix) throw new ApiError('request.invalid', { errors: [fieldError(`${pathPrefix}projectId`, 'is not a project your organization works on', '귀사가 참여하는 프로젝트가 아닙니다')] }); // prettier-ignore
    throw e;
  });
  const [trainer] = await tx.query<{ id: string }>(
    'SELECT id FROM workers WHERE id = $1 AND organization_id = $2',
    [input.trainerWorkerId, organizationId],
  );
  if (!trainer)
    throw new ApiError('request.invalid', {
      errors: [fieldError(`${pathPrefix}trainerWorkerId`, 'is not one of your organization’s workers', '귀사 근로자가 아닙니다')], // prettier-ignore
    });
  if (input.planId) {
    const [plan] = await tx.query<{ id: string }>(
      'SELECT id FROM training_plans WHERE id = $1 AND project_id = $2 AND organization_id = $3',
      [input.planId, input.projectId, organizationId],
    );
    if (!plan)
      throw new ApiError('request.invalid', {
        errors: [fieldError(`${pathPrefix}planId`, 'is not one of your training plans on this project', '이 프로젝트의 귀사 교육 계획이 아닙니다')], // prettier-ignore
      });
  }
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO training_sessions (organization_id, project_id, plan_id, trainer_worker_id, held_on, hours, topic,
       equipment, place, trainees, certified, skill, recorded_by_label, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
    [
      organizationId,
      input.projectId,
      input.planId ?? null,
      input.trainerWorkerId,
      input.heldOn,
      input.hours,
      input.topic,
      input.equipment ?? null,
      input.place,
      input.trainees,
      input.certified,
      input.skill ?? null,
      recordedBy,
      now.toISOString(),
    ],
  );
  const names = input.traineeNames ?? [];
  if (names.length)
    await tx.query(
      `INSERT INTO training_trainees (session_id, seq, name_enc, certified)
       SELECT $1, s.seq, s.name_enc, s.certified
         FROM unnest($2::int[], $3::text[], $4::boolean[]) AS s (seq, name_enc, certified)`,
      [
        row!.id,
        names.map((_, k) => k + 1),
        names.map((n) => deps.cipher.encrypt(n.name, TRAINEE_CONTEXT)),
        names.map((n) => n.certified),
      ],
    );
  return row!.id;
}

export async function addTrainingSession(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'cipher' | 'now'>,
  input: z.output<typeof trainingSessionInputSchema>,
): Promise<{ id: string }> {
  const organizationId = organizationOf(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const id = await insertSession(tx, deps, ctx.actor, {
      organizationId,
      recordedBy: actorLabel(ctx),
      input,
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.training',
      targetType: 'training_session',
      targetId: id,
      organizationId,
      details: {
        projectId: input.projectId,
        trainerWorkerId: input.trainerWorkerId,
        heldOn: input.heldOn,
        hours: input.hours,
        trainees: input.trainees,
        certified: input.certified,
        named: input.traineeNames?.length ?? 0,
      },
    });
    return { id };
  });
}

export async function addMilestone(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'now'>,
  input: z.output<typeof milestoneInputSchema>,
): Promise<{ id: string }> {
  const now = nowOf(deps);
  notInFuture(input.achievedOn, now, 'achievedOn');
  return ctx.db.transaction(async (tx) => {
    await recordableProject(tx, ctx.actor, input.projectId);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO transfer_milestones (organization_id, project_id, kind, title, achieved_on, recorded_by_label,
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [organizationOf(ctx.actor), input.projectId, input.kind, input.title, input.achievedOn, actorLabel(ctx), now.toISOString()], // prettier-ignore
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'contribution.milestone',
      targetType: 'transfer_milestone',
      targetId: row!.id,
      organizationId: organizationOf(ctx.actor),
      details: {
        projectId: input.projectId,
        kind: input.kind,
        title: input.title,
        achievedOn: input.achievedOn,
      },
    });
    return row!;
  });
}

const num = (x: unknown) => Number(x);
const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** The entries of one project the actor may read, newest first (sessions: the last 500). */
export async function projectEntries(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'cipher'>,
  projectId: string,
): Promise<Entries> {
  const project = projectScope(ctx.actor, 'p', 2);
  const [visible] = await ctx.db.query<{ id: string }>(
    `SELECT p.id FROM projects p WHERE p.id = $1 AND ${project.sql}`,
    [projectId, ...project.params],
  );
  if (!visible) throw new ApiError('resource.not_found');
  const own = isPlatformAdmin(ctx.actor) ? null : organizationOf(ctx.actor);
  const scope = entryScope(ctx.actor, 'e', 'p', 2);
  const q = <T extends Record<string, unknown>>(sql: string) =>
    ctx.db.query<T>(sql.replaceAll('{scope}', scope.sql), [projectId, ...scope.params]);
  const [investments, jobs, plans, sessions, milestones] = await Promise.all([
    q<Record<string, unknown>>(
      `SELECT e.*, o.name AS org FROM contribution_investments e JOIN projects p ON p.id = e.project_id
         JOIN organizations o ON o.id = e.organization_id WHERE e.project_id = $1 AND {scope} ORDER BY e.on_date DESC, e.created_at DESC`, // prettier-ignore
    ),
    q<Record<string, unknown>>(
      `SELECT e.*, o.name AS org FROM contribution_jobs e JOIN projects p ON p.id = e.project_id
         JOIN organizations o ON o.id = e.organization_id WHERE e.project_id = $1 AND {scope} ORDER BY e.quarter DESC, o.name`, // prettier-ignore
    ),
    q<Record<string, unknown>>(
      `SELECT e.*, (SELECT count(*)::int FROM training_sessions s WHERE s.plan_id = e.id) AS sessions
         FROM training_plans e JOIN projects p ON p.id = e.project_id WHERE e.project_id = $1 AND {scope} ORDER BY e.created_at`, // prettier-ignore
    ),
    q<Record<string, unknown>>(
      `SELECT e.*, o.name AS org, p.name AS project_name, tp.title AS plan_title,
              w.name_hangul || ' · ' || w.family_name || ' ' || w.given_name AS trainer_name,
              (SELECT json_agg(json_build_object('n', t.name_enc, 'c', t.certified) ORDER BY t.seq)
                 FROM training_trainees t WHERE t.session_id = e.id) AS names
         FROM training_sessions e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.organization_id
         JOIN workers w ON w.id = e.trainer_worker_id LEFT JOIN training_plans tp ON tp.id = e.plan_id
        WHERE e.project_id = $1 AND {scope} ORDER BY e.held_on DESC, e.created_at DESC LIMIT 500`,
    ),
    q<Record<string, unknown>>(
      `SELECT e.*, o.name AS org FROM transfer_milestones e JOIN projects p ON p.id = e.project_id
         JOIN organizations o ON o.id = e.organization_id WHERE e.project_id = $1 AND {scope} ORDER BY e.achieved_on DESC`, // prettier-ignore
    ),
  ]);
  return {
    investments: investments.map((r) => ({
      id: r.id as string,
      projectId: r.project_id as string,
      organization: r.org as string,
      kind: r.kind as 'committed' | 'disbursed',
      amountUsd: num(r.amount_usd),
      onDate: day(r.on_date),
      source: r.source as string,
      recordedBy: r.recorded_by_label as string,
    })),
    jobs: jobs.map((r) => ({
      id: r.id as string,
      projectId: r.project_id as string,
      organization: r.org as string,
      quarter: quarterOf(day(r.quarter)),
      committed: num(r.committed),
      created: num(r.created),
      source: r.source as string,
    })),
    plans: plans.map((r) => ({ id: r.id as string, projectId: r.project_id as string, title: r.title as string, goal: r.goal as string, sessions: num(r.sessions) })), // prettier-ignore
    sessions: sessions.map((r) => sessionOf(r, own, deps)),
    milestones: milestones.map((r) => ({
      id: r.id as string,
      projectId: r.project_id as string,
      organization: r.org as string,
      kind: r.kind as 'line_runs_alone' | 'supervisor_certified' | 'other',
      title: r.title as string,
      achievedOn: day(r.achieved_on),
      evidence: r.evidence_filename
        ? { filename: r.evidence_filename as string, size: num(r.evidence_size), sha256: r.evidence_sha256 as string } // prettier-ignore
        : null,
    })),
  };
}

export function sessionOf(
  r: Record<string, unknown>,
  own: string | null,
  deps: Pick<PipelineDeps, 'cipher'>,
) {
  const names = r.names as { n: string; c: boolean }[] | null;
  const mine = own === null || r.organization_id === own;
  return {
    id: r.id as string,
    projectId: r.project_id as string,
    projectName: r.project_name as string,
    organization: r.org as string,
    planId: (r.plan_id as string | null) ?? null,
    planTitle: (r.plan_title as string | null) ?? null,
    trainer: { id: r.trainer_worker_id as string, name: r.trainer_name as string },
    heldOn: day(r.held_on),
    hours: num(r.hours),
    topic: r.topic as string,
    equipment: (r.equipment as string | null) ?? null,
    place: r.place as string,
    trainees: num(r.trainees),
    certified: num(r.certified),
    skill: (r.skill as string | null) ?? null,
    // Names stay with the recording organization.
    traineeNames: mine && names ? names.map((t) => ({ name: deps.cipher.decrypt(t.n, TRAINEE_CONTEXT), certified: t.c })) : null, // prettier-ignore
    recordedBy: r.recorded_by_label as string,
  };
}

const EVIDENCE_CONTEXT = 'transfer_milestones.evidence';

/**
 * The evidence document of a milestone (a PDF, JPEG or PNG, at most 10 MB, checked by content, encrypted at rest):
 * attached by the firm that recorded the milestone, replacing an earlier one; audited with its SHA-256.
 */
export async function attachMilestoneEvidence(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'uploadsDir' | 'cipher' | 'now'>,
  milestoneId: string,
  upload: Upload,
): Promise<{ filename: string; size: number; sha256: string }> {
  const organizationId = organizationOf(ctx.actor);
  const [own] = await ctx.db.query<{ id: string }>(
    'SELECT id FROM transfer_milestones WHERE id = $1 AND organization_id = $2',
    [milestoneId, organizationId],
  );
  if (!own) throw new ApiError('resource.not_found');
  const stored = await writeEncryptedUpload(deps, 'milestones', upload, EVIDENCE_CONTEXT);
  let previous: string | null = null;
  try {
    await ctx.db.transaction(async (tx) => {
      const [row] = await tx.query<{ evidence_key: string | null }>(
        'SELECT evidence_key FROM transfer_milestones WHERE id = $1 FOR UPDATE',
        [milestoneId],
      );
      previous = row!.evidence_key;
      await tx.query(
        `UPDATE transfer_milestones SET evidence_filename = $2, evidence_content_type = $3, evidence_size = $4,
                evidence_sha256 = $5, evidence_key = $6 WHERE id = $1`,
        [milestoneId, stored.filename, stored.contentType, stored.size, stored.sha256, stored.storageKey],
      );
      await recordAudit(tx, auditContextOf(ctx), {
        action: 'contribution.evidence',
        targetType: 'transfer_milestone',
        targetId: milestoneId,
        organizationId,
        details: { filename: stored.filename, size: stored.size, sha256: stored.sha256 },
      });
      await rename(stored.temp, join(deps.uploadsDir, stored.storageKey));
    });
  } catch (error) {
    await rm(stored.temp, { force: true });
    throw error;
  }
  if (previous) await rm(join(deps.uploadsDir, previous), { force: true });
  return { filename: stored.filename, size: stored.size, sha256: stored.sha256 };
}

/** A milestone's evidence for whoever may read the milestone (its firm; the project's investor). */
export async function openMilestoneEvidence(
  ctx: ServiceContext,
  deps: Pick<PipelineDeps, 'uploadsDir' | 'cipher'>,
  milestoneId: string,
): Promise<{ filename: string; contentType: string; body: Buffer }> {
  const scope = entryScope(ctx.actor, 'e', 'p', 2);
  const [row] =
    await ctx.db.query<{ evidence_filename: string | null; evidence_content_type: string; evidence_key: string }>( // prettier-ignore
      `SELECT e.evidence_filename, e.evidence_content_type, e.evidence_key
       FROM transfer_milestones e JOIN projects p ON p.id = e.project_id WHERE e.id = $1 AND ${scope.sql}`,
      [milestoneId, ...scope.params],
    );
  if (!row?.evidence_filename) throw new ApiError('resource.not_found');
  let stored: Buffer;
  try {
    stored = await readFile(join(deps.uploadsDir, row.evidence_key));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('document.file_missing');
    throw error;
  }
  return { filename: row.evidence_filename, contentType: row.evidence_content_type, body: deps.cipher.decryptFile(stored, EVIDENCE_CONTEXT) }; // prettier-ignore
}
