import { alertsChanged } from '../alerts/refresh.js';
import type { z } from 'zod';
import type { AssessmentRequest, AssessmentResponse, CategoryResult } from '../../../contract/assessment.js';
import type {
  Assignment,
  CreateAssignment,
  Reassessment,
  Worker,
  CaseBoard,
  caseBoardQuerySchema,
  CaseDetail,
  CaseSummary,
  OpenCase,
  TransitionRequest,
  caseListQuerySchema,
} from '../../../contract/pipeline.js';
import { ADMITTED, DEPARTED } from '../../../contract/workflow.js';
import { admissionClass } from '../../../core/presence/stay.js';
import { recordAudit } from '../../audit/audit.js';
import { fiscalYearOf } from '../../../core/dates/index.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { can, isPlatformAdmin } from '../../policies/capabilities.js';
import { evaluate, getAssessment, storeAssessment } from '../assessments.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import { daysBetween, fieldError, nowOf, type PipelineDeps } from './common.js';
import { checkAssignment, insertAssignment, visibleAssignment } from './assignments.js';
import { visibleProject } from './projects.js';
import { boardChanged, cachedBoard } from './board-cache.js';
import { consularApplications, isConsular } from '../consular/consular.js';
import { USCIS_PETITION_JSON, uscisPetitionOf, type PetitionRow } from '../uscis/petition-view.js';
import { emitEvent } from '../webhooks/events.js';
import { caseScope } from './scope.js';
import {
  allowedMoves,
  caseSla,
  caseStateOf,
  checklistFor,
  checkMove,
  planFor,
  stageOf,
  summarySla,
  workflowById,
  workflowForCase,
  type CasePlan,
} from './workflow-bridge.js';
import { visibleWorker } from './workers.js';
import { questionnaireDefinitions, type QuestionnaireForm } from '../../../contract/questionnaire.js';
import { entryFacts, insertEntry, type EntryFacts } from '../presence/entries.js';

interface CaseRow {
  id: string;
  organization_id: string;
  organization_name: string;
  worker_id: string;
  family_name: string;
  given_name: string;
  name_hangul: string;
  dependent_id: string | null;
  assignment_id: string;
  project_id: string;
  project_name: string;
  category: CaseSummary['category'];
  provision: string | null;
  workflow_id: string;
  stage: string;
  status: CaseSummary['status'];
  verdict: CaseSummary['verdict'];
  opened_at: Date;
  stage_entered_at: Date;
  assignment_start: string;
  target_date: string;
  plan: CasePlan;
  admitted_at: Date | null;
  closed_at: Date | null;
  batch_id: string | null;
  stage_due_on: string | null;
  [key: string]: unknown;
}

export const caseSelect = `
  SELECT c.id, c.organization_id, o.name AS organization_name, c.worker_id, w.family_name, w.given_name,
         w.name_hangul, c.dependent_id, c.assignment_id, c.project_id, p.name AS project_name, c.category,
         c.provision, c.workflow_id, c.stage, c.status, c.verdict, c.opened_at, c.stage_entered_at,
         c.assignment_start::text, c.target_date::text, c.plan, c.admitted_at, c.closed_at, c.batch_id,
         CASE WHEN c.stage_due_for = c.stage THEN c.stage_due_on::text END AS stage_due_on
    FROM cases c JOIN organizations o ON o.id = c.organization_id JOIN workers w ON w.id = c.worker_id
    JOIN projects p ON p.id = c.project_id`;

export function toCaseSummary(r: CaseRow, now: Date): CaseSummary {
  const workflow = workflowById(r.workflow_id);
  const sla = summarySla(
    r.plan,
    {
      stage: r.stage,
      status: r.status,
      stageEnteredAt: new Date(r.stage_entered_at),
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      stageDueOn: r.stage_due_on,
    },
    now,
  );
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    workerId: r.worker_id,
    workerName: `${r.family_name} ${r.given_name}`,
    workerNameHangul: r.name_hangul,
    dependentId: r.dependent_id,
    assignmentId: r.assignment_id,
    projectId: r.project_id,
    projectName: r.project_name,
    category: r.category,
    provision: r.provision,
    workflowId: r.workflow_id,
    stage: r.stage,
    stageTitle: stageOf(workflow, r.stage).title,
    status: r.status,
    verdict: r.verdict,
    openedAt: iso(r.opened_at)!,
    stageEnteredAt: iso(r.stage_entered_at)!,
    assignmentStart: r.assignment_start,
    targetDate: r.target_date,
    sla: sla.sla,
    daysLate: sla.daysLate,
    admittedAt: iso(r.admitted_at),
    leadTimeDays: r.admitted_at ? daysBetween(new Date(r.opened_at), new Date(r.admitted_at)) : null,
    batchId: r.batch_id,
  };
}

export async function listCases(
  ctx: ServiceContext,
  deps: PipelineDeps,
  query: z.infer<typeof caseListQuerySchema>,
  extra?: { sql: string; params: unknown[] },
): Promise<{ total: number; items: CaseSummary[] }> {
  let scope = caseScope(ctx.actor, 'c', 1);
  if (query.projectId && (await ownsProject(ctx, query.projectId))) {
    // Every case on a project of one's own is visible: the scope adds nothing, and without it the board's count
    // is an index-only scan instead of a visit to every case of the project (bench:pipeline).
    scope = { sql: 'true', params: [] };
  }
  const params: unknown[] = [...scope.params];
  const where = [scope.sql];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.projectId) add((n) => `c.project_id = $${n}`, query.projectId);
  if (query.workerId) add((n) => `c.worker_id = $${n}`, query.workerId);
  if (query.category) add((n) => `c.category = $${n}`, query.category);
  if (query.stage) add((n) => `c.stage = $${n}`, query.stage);
  if (query.status) add((n) => `c.status = $${n}`, query.status);
  if (extra) {
    const shifted = extra.sql.replace(/\$(\d+)/g, (_, d: string) => `$${Number(d) + params.length}`);
    params.push(...extra.params);
    where.push(shifted);
  }
  const now = nowOf(deps);
  const condition = where.join(' AND ');
  if (query.sla) {
    // The SLA state depends on the clock and the plan: computed here, over the filtered cases.
    const rows = await ctx.db.query<CaseRow>(
      `${caseSelect} WHERE ${condition} ORDER BY c.target_date, c.id`,
      params,
    );
    const all = rows.map((r) => toCaseSummary(r, now)).filter((c) => c.sla === query.sla);
    return { total: all.length, items: all.slice(query.offset, query.offset + query.limit) };
  }
  const [count] = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM cases c WHERE ${condition}`,
    params,
  );
  const rows = await ctx.db.query<CaseRow>(
    `${caseSelect} WHERE ${condition} ORDER BY c.target_date, c.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  return { total: Number(count?.n ?? 0), items: rows.map((r) => toCaseSummary(r, now)) };
}

/**
 * The case board of a project: a column per stage (in workflow order, the closed ones last) with its count and
 * the `perStage` cards due first. Two index-backed queries however many cases the project has (bench:pipeline).
 */
export async function caseBoard(
  ctx: ServiceContext,
  deps: PipelineDeps,
  query: z.infer<typeof caseBoardQuerySchema>,
): Promise<CaseBoard> {
  await visibleProject(ctx, query.projectId);
  const owner = await ownsProject(ctx, query.projectId);
  const scope = owner ? { sql: 'true', params: [] } : caseScope(ctx.actor, 'c', 3);
  // Authorized above, per request; the board itself is shared by everyone with the same view (decision 033).
  // The SLA colours change with the day: the (possibly moved, in tests) clock's UTC date is part of the key.
  const day = nowOf(deps).toISOString().slice(0, 10);
  const key = `${day}|${query.projectId}|${query.category ?? ''}|${query.perStage}|${scope.sql}|${JSON.stringify(scope.params)}`;
  return cachedBoard(ctx.db, key, Date.now(), () => computeBoard(ctx, deps, query, scope));
}

async function computeBoard(
  ctx: ServiceContext,
  deps: PipelineDeps,
  query: z.infer<typeof caseBoardQuerySchema>,
  scope: { sql: string; params: unknown[] },
): Promise<CaseBoard> {
  const params: unknown[] = [query.projectId, query.category ?? null, ...scope.params];
  const filter = `c.project_id = $1 AND ($2::text IS NULL OR c.category = $2) AND ${scope.sql}`;
  const counts = await ctx.db.query<{ workflow_id: string; stage: string; status: string; n: string }>(
    `SELECT c.workflow_id, c.stage, c.status, count(*) AS n FROM cases c WHERE ${filter} GROUP BY 1, 2, 3`,
    params,
  );
  const order: string[] = [];
  const titles = new Map<string, CaseBoard['columns'][number]['title']>();
  for (const workflowId of [...new Set(counts.map((r) => r.workflow_id))].sort()) {
    const workflow = workflowById(workflowId);
    let at = 0;
    for (const stage of workflow.stages) {
      const known = order.indexOf(stage.id);
      if (known >= 0) at = known + 1;
      else order.splice(at++, 0, stage.id);
      if (!titles.has(stage.id)) titles.set(stage.id, stage.title);
    }
  }
  // Closed cases last: admitted, then the exits.
  const closed = ['admitted', 'departed', 'refused', 'withdrawn'];
  const stages = [...order.filter((s) => !closed.includes(s)), ...closed];
  const byStage = new Map<string, number>();
  const totals = { open: 0, admitted: 0, closed: 0 };
  for (const r of counts) {
    const n = Number(r.n);
    byStage.set(r.stage, (byStage.get(r.stage) ?? 0) + n);
    if (r.status === 'open') totals.open += n;
    else if (r.status === 'admitted') totals.admitted += n;
    else totals.closed += n;
  }
  const shown = stages.filter((s) => (byStage.get(s) ?? 0) > 0 || !closed.includes(s));
  const rows = await ctx.db.query<CaseRow & { board_stage: string }>(
    `SELECT x.* FROM unnest($${params.length + 1}::text[]) AS st(stage)
       CROSS JOIN LATERAL (${caseSelect} WHERE ${filter} AND c.stage = st.stage
                           ORDER BY c.target_date, c.id LIMIT $${params.length + 2}) x`,
    [...params, shown.filter((s) => (byStage.get(s) ?? 0) > 0), query.perStage],
  );
  const now = nowOf(deps);
  const cards = new Map<string, CaseSummary[]>();
  for (const row of rows) {
    const list = cards.get(row.stage) ?? [];
    list.push(toCaseSummary(row, now));
    cards.set(row.stage, list);
  }
  return {
    projectId: query.projectId,
    columns: shown.map((stage) => ({
      stage,
      title: titles.get(stage) ?? stageOf(workflowById(counts[0]?.workflow_id ?? 'b1'), stage).title,
      count: byStage.get(stage) ?? 0,
      cards: cards.get(stage) ?? [],
    })),
    totals,
  };
}

async function ownsProject(ctx: ServiceContext, projectId: string): Promise<boolean> {
  if (!ctx.actor.organizationId || ctx.actor.role === 'worker') return false;
  if (ctx.actor.organizationKind !== 'investor' && ctx.actor.organizationKind !== 'partner') return false;
  const [row] = await ctx.db.query('SELECT 1 FROM projects WHERE id = $1 AND organization_id = $2', [
    projectId,
    ctx.actor.organizationId,
  ]);
  return row !== undefined;
}

async function caseRow(ctx: ServiceContext, id: string, q: Queryable, lock = false): Promise<CaseRow> {
  const scope = caseScope(ctx.actor, 'c', 2);
  const [row] = await q.query<CaseRow>(
    `${caseSelect} WHERE c.id = $1 AND ${scope.sql}${lock ? ' FOR UPDATE OF c' : ''}`,
    [id, ...scope.params],
  );
  if (!row) throw new ApiError('resource.not_found');
  return row;
}

interface DetailRow {
  rules_version: string;
  assessment_id: string;
  override_reason: string | null;
  override_by_label: string | null;
  override_at: Date | null;
  counsel_organization_id: string | null;
  response: AssessmentResponse;
  quota_reservation_id: string | null;
  uscis: PetitionRow | null;
  questionnaires: { form: QuestionnaireForm; status: string }[] | null;
  [key: string]: unknown;
}

export async function getCase(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  q: Queryable = ctx.db,
): Promise<CaseDetail> {
  const row = await caseRow(ctx, id, q);
  const now = nowOf(deps);
  const summary = toCaseSummary(row, now);
  const [detail] = await q.query<DetailRow>(
    `SELECT c.rules_version, c.assessment_id, c.override_reason, u.email AS override_by_label, c.override_at,
            c.counsel_organization_id, a.response, c.quota_reservation_id, ${USCIS_PETITION_JSON} AS uscis,
            (SELECT json_agg(json_build_object('form', q.form, 'status', q.status) ORDER BY q.sent_at)
               FROM questionnaires q WHERE q.case_id = c.id) AS questionnaires
       FROM cases c JOIN assessments a ON a.id = c.assessment_id LEFT JOIN users u ON u.id = c.override_by
      WHERE c.id = $1`,
    [id],
  );
  const events = await q.query<{
    id: string;
    from_stage: string | null;
    to_stage: string;
    at: Date;
    by_label: string;
    comment: string | null;
    override_reason: string | null;
    assignee_user_id: string | null;
  }>(
    `SELECT id, from_stage, to_stage, at, by_label, comment, override_reason, assignee_user_id
       FROM case_events WHERE case_id = $1 ORDER BY seq`,
    [id],
  );
  const documents = await q.query<{
    id: string;
    stage_id: string | null;
    doc_type: string;
    filename: string;
    content_type: string;
    size: number;
    sha256: string;
    expires_on: string | null;
    uploaded_at: Date;
    uploaded_by_label: string;
  }>(
    `SELECT id, stage_id, doc_type, filename, content_type, size, sha256, expires_on::text, uploaded_at,
            uploaded_by_label FROM case_documents WHERE case_id = $1 ORDER BY uploaded_at, id`,
    [id],
  );
  const [stay] = await q.query<{
    id: string;
    admitted_on: string;
    class_of_admission: string;
    admit_until: string | null;
    departed_on: string | null;
    reported_by: 'employer' | 'worker';
    confirmed_at: Date | null;
  }>(
    `SELECT id, admitted_on::text, class_of_admission, admit_until::text, departed_on::text, reported_by, confirmed_at
       FROM entries WHERE case_id = $1 ORDER BY admitted_on DESC LIMIT 1`,
    [id],
  );
  const comments = await q.query<{
    id: string;
    author: string;
    organization_name: string | null;
    body: string;
    created_at: Date;
  }>(
    `SELECT cc.id, cc.author, o.name AS organization_name, cc.body, cc.created_at FROM case_comments cc
       LEFT JOIN organizations o ON o.id = cc.organization_id WHERE cc.case_id = $1 ORDER BY cc.created_at, cc.id`,
    [id],
  );
  const workflow = workflowById(row.workflow_id);
  const result = detail!.response.results.find((r) => r.category === row.category) as
    CategoryResult | undefined;
  const state = caseStateOf(
    workflow,
    events.map((e) => ({
      to: e.to_stage,
      at: new Date(e.at).toISOString(),
      by: e.by_label,
      comment: e.comment,
      overrideReason: e.override_reason,
      assignee: e.assignee_user_id,
    })),
  );
  const sla = caseSla(row.plan, state, now, row.stage_due_on);
  const uploaded = new Set(documents.map((d) => d.doc_type));
  const checklist: CaseDetail['checklist'] = checklistFor(workflow, result?.documents ?? []).map((item) => ({
    id: item.id,
    label: item.label,
    required: item.required,
    stageId: item.stageId,
    uploaded: uploaded.has(item.id),
  }));
  // A B-1 case relying on the specialized-trainer provision: the training evidence pack from the contribution
  // ledger (issue 20).
  if (row.category === 'B1' && (row.provision === 'trainer' || result?.provisions?.includes('trainer')))
    checklist.push({
      id: 'training_evidence_pack',
      label: {
        en: 'Training evidence pack from the contribution ledger (9 FAM 402.2-5(E)(2))',
        ko: '기여 원장의 교육 증빙 자료(9 FAM 402.2-5(E)(2))',
      },
      required: false,
      stageId: workflow.stages[0]!.id,
      uploaded: uploaded.has('training_evidence_pack'),
      source: 'evidence_pack',
    });
  // The worker's questionnaire, once sent, is on the checklist too: done when HR accepts it.
  for (const sent of detail!.questionnaires ?? [])
    checklist.push({
      id: `questionnaire_${sent.form}`,
      label: questionnaireDefinitions[sent.form].title,
      required: true,
      stageId: workflow.stages[0]!.id,
      uploaded: sent.status === 'accepted',
      source: 'questionnaire',
    });
  const consular = isConsular(workflow)
    ? (
        await consularApplications(
          q,
          deps.cipher,
          [{ id, stage: row.stage, stageEnteredAt: iso(row.stage_entered_at)!, workflowId: row.workflow_id }],
          true,
          now.toISOString().slice(0, 10),
        )
      ).get(id)!
    : null;
  const uscis = uscisPetitionOf(
    detail!.uscis,
    deps.cipher,
    row.workflow_id,
    true,
    now.toISOString().slice(0, 10),
  );
  const letters: CaseDetail['letters'] = [];
  if (row.category === 'B1') letters.push('support');
  if (row.category === 'B1' || row.category === 'ESTA') letters.push('invitation');
  return {
    ...summary,
    sla: sla.sla,
    daysLate: sla.daysLate,
    consular,
    uscis,
    rulesVersion: detail!.rules_version,
    assessmentId: detail!.assessment_id,
    reasons: (result?.reasons ?? []).map((r) => ({
      rule: r.rule,
      passed: r.passed,
      citation: r.citation,
      message: r.message,
    })),
    override: detail!.override_reason
      ? {
          reason: detail!.override_reason,
          by: detail!.override_by_label ?? '',
          at: iso(detail!.override_at)!,
        }
      : null,
    counselOrganizationId: detail!.counsel_organization_id,
    quota: await quotaOf(deps, detail!.quota_reservation_id),
    stages: workflow.stages.map((stage, k) => {
      const visits = state.stages[stage.id] ?? [];
      const stageSla = sla.stages[k]!;
      return {
        id: stage.id,
        title: stage.title,
        actor: stage.actor,
        targetDays: stage.targetDays,
        // The SLA's target: the plan's, or for a contingent stage entered (221(g)) its own clock's.
        targetDate: stageSla.targetDate,
        enteredAt: visits[0]?.enteredAt ?? null,
        leftAt: visits.at(-1)?.leftAt ?? null,
        sla: stageSla.sla,
        daysLate: stageSla.daysLate,
        documents: stage.documents.map((d) => ({ id: d.id, label: d.label, required: d.required })),
      };
    }),
    allowedTransitions:
      row.status === 'open'
        ? allowedMoves(workflow, row.stage).map((m) => ({
            to: m.to,
            title: m.title,
            kind: m.kind,
            needsOverride: m.needsOverride,
          }))
        : [],
    history: events.map((e) => ({
      id: e.id,
      from: e.from_stage,
      to: e.to_stage,
      at: iso(e.at)!,
      by: e.by_label,
      comment: e.comment,
      overrideReason: e.override_reason,
      assigneeUserId: e.assignee_user_id,
    })),
    documents: documents.map((d) => ({
      id: d.id,
      caseId: id,
      stageId: d.stage_id,
      docType: d.doc_type,
      filename: d.filename,
      contentType: d.content_type,
      size: d.size,
      sha256: d.sha256.trim(),
      expiresOn: d.expires_on,
      uploadedAt: iso(d.uploaded_at)!,
      uploadedBy: d.uploaded_by_label,
    })),
    checklist,
    letters,
    stay: stay
      ? {
          entryId: stay.id,
          admittedOn: stay.admitted_on,
          classOfAdmission: stay.class_of_admission,
          classLabel: admissionClass(stay.class_of_admission)?.label ?? {
            en: stay.class_of_admission,
            ko: stay.class_of_admission,
          },
          admitUntil: stay.admit_until,
          departedOn: stay.departed_on,
          reportedBy: stay.reported_by,
          confirmedAt: iso(stay.confirmed_at),
        }
      : null,
    comments: comments.map((c) => ({
      id: c.id,
      author: c.author,
      organizationName: c.organization_name,
      body: c.body,
      createdAt: iso(c.created_at)!,
    })),
  };
}

/** A comment on a case by anyone who works on it (HR of the employer or the investor, counsel). */
export async function addCaseComment(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  body: string,
): Promise<CaseDetail> {
  const row = await caseRow(ctx, id, ctx.db);
  await ctx.db.transaction(async (tx) => {
    const [comment] = await tx.query<{ id: string }>(
      `INSERT INTO case_comments (case_id, user_id, author, organization_id, body) VALUES ($1, $2, $3, $4, $5)
       RETURNING id`,
      [id, ctx.actor.userId, ctx.actor.displayName || ctx.actor.email, ctx.actor.organizationId, body],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'case.comment',
      targetType: 'case',
      targetId: id,
      organizationId: row.organization_id,
      after: { body },
      details: { commentId: comment!.id },
    });
  });
  return getCase(ctx, deps, id);
}

/**
 * The case's facts assessed again under today's rules and the worker's record as it is now, compared with the
 * assessment the case was opened on: the verdict, the provision, each reason that changed. Stored (audited) as a
 * new assessment; the case itself changes only by a person's decision.
 */
export async function reassessCase(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
): Promise<Reassessment> {
  const row = await caseRow(ctx, id, ctx.db);
  const [stored] = await ctx.db.query<{ request: AssessmentRequest; response: AssessmentResponse }>(
    'SELECT request, response FROM assessments WHERE id = (SELECT assessment_id FROM cases WHERE id = $1)',
    [id],
  );
  const worker = await visibleWorker(ctx, row.worker_id);
  const assignment = await visibleAssignment(ctx, row.assignment_id).catch(() => undefined);
  const today = nowOf(deps).toISOString().slice(0, 10);
  const base = stored!.request;
  const candidate = caseAssessmentRequest(
    worker,
    assignment ?? base.assignment,
    { scenario: base.scenario, worker: base.worker, employer: base.employer, assignment: base.assignment },
    today,
  );
  const { request, response } = evaluate(deps.rules, candidate, today);
  const saved = await ctx.db.transaction(async (tx) => {
    const assessment = await storeAssessment(tx, ctx, request, response);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'case.reassess',
      targetType: 'case',
      targetId: id,
      organizationId: row.organization_id,
      details: { assessmentId: assessment.id, rulesVersion: response.rulesVersion },
    });
    return assessment;
  });
  const before = stored!.response.results.find((r) => r.category === row.category);
  const after = response.results.find((r) => r.category === row.category);
  const reasonsBefore = new Map((before?.reasons ?? []).map((r) => [r.rule, r]));
  const reasonsAfter = new Map((after?.reasons ?? []).map((r) => [r.rule, r]));
  const changes: Reassessment['changes'] = [];
  for (const rule of new Set([...reasonsBefore.keys(), ...reasonsAfter.keys()])) {
    const b = reasonsBefore.get(rule);
    const a = reasonsAfter.get(rule);
    if (b && a && b.passed === a.passed) continue;
    const shown = (a ?? b)!;
    changes.push({
      rule,
      before: b ? b.passed : null,
      after: a ? a.passed : null,
      message: shown.message,
      citation: shown.citation,
    });
  }
  return {
    assessmentId: saved.id,
    rulesVersion: { before: stored!.response.rulesVersion, after: response.rulesVersion },
    category: row.category,
    verdict: { before: before?.verdict ?? 'unavailable', after: after?.verdict ?? 'unavailable' },
    provision: { before: before?.provision ?? null, after: after?.provision ?? null },
    changes,
    otherCategories: response.results
      .map((r) => ({
        category: r.category,
        before: stored!.response.results.find((x) => x.category === r.category)?.verdict ?? 'unavailable',
        after: r.verdict,
      }))
      .filter((r) => r.category !== row.category && r.before !== r.after),
  };
}

/** The case's number in the quota ledger (E-4), with its waitlist place when there is no number yet. */
async function quotaOf(deps: PipelineDeps, reservationId: string | null): Promise<CaseDetail['quota']> {
  if (!reservationId || !deps.quota) return null;
  const r = await deps.quota().reservation(
    {
      label: 'pipeline',
      userId: null,
      organizationId: null,
      requestId: null,
      idempotencyScope: 'pipeline',
      seesAllCases: true,
    },
    reservationId,
  );
  return {
    reservationId: r.id,
    program: r.program,
    fiscalYear: r.fiscalYear,
    status: r.status,
    sequence: r.sequence,
    position: r.position,
  };
}

/** Whole years from one ISO date to another. */
function yearsBetween(from: string, to: string): number {
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) years--;
  return Math.max(0, years);
}

/**
 * The assessment request for a case: worker and assignment facts come from the records (they win), the facts the
 * records do not hold (employer relationship, ESTA answers, contract clause, judgement attestations) from the
 * caller, with conservative defaults (nothing attested).
 */
export function caseAssessmentRequest(
  worker: {
    nationality: string;
    birthDate: string;
    education: string | null;
    role: string | null;
    employedSince: string | null;
    detainedOn?: string | null;
  },
  assignment: { activities: string[]; startDate: string; endDate: string; payer: string },
  facts: OpenCase['assessment'],
  today: string,
): unknown {
  return {
    asOf: today,
    scenario: facts?.scenario,
    worker: {
      usAdvancedDegree: false,
      yearsSpecializedExperience: worker.employedSince ? yearsBetween(worker.employedSince, today) : 0,
      esta: {
        electronicPassport: true,
        priorRefusalOrDenial: false,
        priorOverstayOrViolation: false,
        restrictedCountryTravelOrNationality: false,
      },
      ...facts?.worker,
      nationality: worker.nationality,
      birthDate: worker.birthDate,
      // The record's facts win; a record without them ("profile incomplete") uses those of the assessment.
      ...(worker.education ? { education: worker.education } : {}),
      ...(worker.role ? { role: worker.role } : {}),
      ...(worker.employedSince ? { employedSince: worker.employedSince } : {}),
      // A detention recorded on the worker is a fact of the record: the re-entry track follows it.
      ...(worker.detainedOn ? { detainedOn: worker.detainedOn } : {}),
    },
    employer: {
      koreanOwnershipPercent: 100,
      relationship: 'subsidiary',
      usEntityYearsInBusiness: 1,
      blanketL: false,
      ...facts?.employer,
    },
    assignment: {
      equipmentFromAbroad: false,
      contractRequiresSellerService: false,
      specializedKnowledgeEssential: false,
      occupationRequiresDegree: false,
      temporaryNeed: 'none',
      ...facts?.assignment,
      activities: assignment.activities,
      startDate: assignment.startDate,
      endDate: assignment.endDate,
      payer: assignment.payer,
    },
  };
}

/** A worker without what an assessment needs: say which, and where to fill it in (or open from an assessment). */
export function profileIncomplete(missing: readonly string[]): ApiError {
  const names: Record<string, { en: string; ko: string }> = {
    education: { en: 'education', ko: '최종 학력' },
    role: { en: 'role', ko: '직무' },
    employedSince: { en: 'employed since', ko: '입사일' },
  };
  return new ApiError('worker.profile_incomplete', {
    errors: missing.map((field) =>
      fieldError(
        `worker.${field}`,
        `is missing from the worker's profile (${names[field]!.en}): fill it on the worker page, or open the case from an assessment`,
        `근로자 정보에 없습니다(${names[field]!.ko}). 근로자 화면에서 채우거나 판정 결과에서 사건을 여세요`,
        'required',
      ),
    ),
  });
}

/** Who may act on a case: the worker's employer, the project's investor, the granted law firm. */
function mayAct(ctx: ServiceContext, orgs: (string | null)[]): boolean {
  return isPlatformAdmin(ctx.actor) || orgs.includes(ctx.actor.organizationId);
}

export async function openCase(
  ctx: ServiceContext,
  deps: PipelineDeps,
  input: OpenCase,
): Promise<CaseDetail> {
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  let request: AssessmentRequest | undefined;
  let response: AssessmentResponse | undefined;
  let assessmentId: string | undefined;
  if (input.assessmentId) {
    const stored = await getAssessment(ctx, input.assessmentId).catch(() => {
      throw new ApiError('request.invalid', {
        errors: [
          fieldError(
            'assessmentId',
            'is not an assessment of your organization',
            '조직의 판정 기록이 아닙니다',
          ),
        ],
      });
    });
    request = stored.request;
    response = stored.response;
    assessmentId = stored.id;
  }
  // The assignment: an existing one, or (from an assessment) the worker on the project for the assessed
  // activities and dates, made in the same transaction as the case.
  let newAssignment: CreateAssignment | undefined;
  let assignment: Pick<
    Assignment,
    'id' | 'organizationId' | 'workerId' | 'projectId' | 'activities' | 'startDate' | 'endDate' | 'payer'
  >;
  if (input.assignmentId) {
    assignment = await visibleAssignment(ctx, input.assignmentId).catch(() => {
      throw new ApiError('request.invalid', {
        errors: [
          fieldError('assignmentId', 'is not an assignment you can see', '볼 수 있는 배치가 아닙니다'),
        ],
      });
    });
  } else {
    newAssignment = {
      workerId: input.workerId!,
      projectId: input.projectId!,
      activities: request!.assignment.activities,
      startDate: request!.assignment.startDate,
      endDate: request!.assignment.endDate,
      payer: request!.assignment.payer,
    };
    const checked = await checkAssignment(ctx, newAssignment);
    assignment = { id: '', organizationId: checked.worker.organizationId, ...newAssignment };
  }
  const [project] = await ctx.db.query<{ organization_id: string }>(
    'SELECT organization_id FROM projects WHERE id = $1',
    [assignment.projectId],
  );
  if (!mayAct(ctx, [assignment.organizationId, project!.organization_id]))
    throw new ApiError('auth.forbidden');
  const worker = await visibleWorker(ctx, assignment.workerId);
  // The record's facts win (issue 16): an assessment made without the worker's recorded detention is evaluated
  // again with it (and stored anew), so the case, its checklist and letters follow the re-entry track.
  if (request && worker.detainedOn && worker.detainedOn !== request.worker.detainedOn) {
    ({ request, response } = evaluate(
      deps.rules,
      caseAssessmentRequest(
        worker,
        assignment,
        {
          scenario: request.scenario,
          worker: request.worker,
          employer: request.employer,
          assignment: request.assignment,
        },
        today,
      ),
      today,
    ));
    assessmentId = undefined;
  }
  if (!request || !response) {
    if (worker.profileMissing.length > 0) throw profileIncomplete(worker.profileMissing);
    ({ request, response } = evaluate(
      deps.rules,
      caseAssessmentRequest(worker, assignment, input.assessment, today),
      today,
    ));
  }
  const result = response.results.find((r) => r.category === input.category)!;
  if (result.verdict === 'unavailable') {
    throw new ApiError('pipeline.unavailable_category', {
      errors: [
        fieldError('category', 'is not available on the assessment date', '판정 기준일에 이용할 수 없습니다'),
      ],
    });
  }
  if (result.verdict === 'ineligible') {
    if (!input.overrideReason) {
      throw new ApiError('pipeline.ineligible_needs_override', {
        errors: [
          fieldError(
            'overrideReason',
            'is required to open a category the guidelines found ineligible',
            '부적격 유형을 개설하려면 사유가 필요합니다',
            'required',
          ),
        ],
      });
    }
    if (!can(ctx.actor, 'cases.override')) throw new ApiError('pipeline.override_forbidden');
  }
  const workflow = workflowForCase(result.category, result.provision, {
    embassyDesk: input.embassyDesk ?? false,
    blanketL: request.employer.blanketL,
    e4Enacted: request.scenario?.e4Enacted ?? false,
  });
  if (!workflow)
    throw new ApiError('pipeline.no_workflow', {
      errors: [fieldError('category', 'has no dispatch workflow', '파견 절차가 없습니다')],
    });
  if (input.dependentId) {
    const [dependent] = await ctx.db.query('SELECT 1 FROM dependents WHERE id = $1 AND worker_id = $2', [
      input.dependentId,
      worker.id,
    ]);
    if (!dependent) {
      throw new ApiError('request.invalid', {
        errors: [fieldError('dependentId', "is not this worker's dependent", '이 근로자의 가족이 아닙니다')],
      });
    }
  }
  if (input.counselOrganizationId) {
    const [firm] = await ctx.db.query(`SELECT 1 FROM organizations WHERE id = $1 AND kind = 'law_firm'`, [
      input.counselOrganizationId,
    ]);
    if (!firm) {
      throw new ApiError('request.invalid', {
        errors: [fieldError('counselOrganizationId', 'is not a law firm', '법무법인이 아닙니다')],
      });
    }
  }
  const plan = planFor(workflow, now, assignment.startDate);
  const firstStage = workflow.stages[0]!.id;
  const caseId = await ctx.db.transaction(async (tx) => {
    if (newAssignment) assignment = await insertAssignment(tx, ctx, assignment.organizationId, newAssignment);
    if (!assessmentId) assessmentId = (await storeAssessment(tx, ctx, request!, response!)).id;
    const [exists] = await tx.query(
      `SELECT 1 FROM cases WHERE assignment_id = $1 AND dependent_id IS NOT DISTINCT FROM $2 AND status IN ('open', 'admitted')`,
      [assignment.id, input.dependentId ?? null],
    );
    if (exists) throw new ApiError('pipeline.case_exists');
    const override = result.verdict === 'ineligible';
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO cases (organization_id, assignment_id, worker_id, dependent_id, project_id, assessment_id, category,
         provision, verdict, rules_version, workflow_id, stage, opened_at, stage_entered_at, assignment_start,
         target_date, plan, override_reason, override_by, override_at, counsel_organization_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15, $16, $17, $18, $19, $20)
       RETURNING id`,
      [
        assignment.organizationId,
        assignment.id,
        worker.id,
        input.dependentId ?? null,
        assignment.projectId,
        assessmentId,
        result.category,
        result.provision,
        result.verdict,
        response.rulesVersion,
        workflow.id,
        firstStage,
        now.toISOString(),
        assignment.startDate,
        plan.targetDate,
        JSON.stringify(plan),
        override ? input.overrideReason : null,
        override ? ctx.actor.userId : null,
        override ? now.toISOString() : null,
        input.counselOrganizationId ?? null,
      ],
    );
    const id = row!.id;
    await tx.query(
      `INSERT INTO case_events (case_id, seq, from_stage, to_stage, at, by_user_id, by_label, comment)
       VALUES ($1, 1, NULL, $2, $3, $4, $5, NULL)`,
      [id, firstStage, now.toISOString(), ctx.actor.userId, ctx.actor.email],
    );
    await emitEvent(tx, {
      organizationId: assignment.organizationId,
      type: 'case.opened',
      data: {
        caseId: id,
        workerId: worker.id,
        projectId: assignment.projectId,
        category: result.category,
        workflowId: workflow.id,
        stage: firstStage,
      },
      at: now,
    });
    const audit = auditContextOf(ctx);
    await recordAudit(tx, audit, {
      action: 'case.open',
      targetType: 'case',
      targetId: id,
      organizationId: assignment.organizationId,
      after: {
        ...input,
        workflow: workflow.id,
        verdict: result.verdict,
        rulesVersion: response.rulesVersion,
        assessmentId,
      },
    });
    if (override) {
      await recordAudit(tx, audit, {
        action: 'case.override',
        targetType: 'case',
        targetId: id,
        organizationId: assignment.organizationId,
        details: { category: result.category, verdict: result.verdict, reason: input.overrideReason },
      });
    }
    return id;
  });
  boardChanged(ctx.db);
  alertsChanged(ctx.db, assignment.organizationId);
  return getCase(ctx, deps, caseId);
}

/**
 * The stay of a case reaching `admitted`: the entry given with the move, or else the worker's current stay that
 * no case holds yet (reported by the worker, or recorded on the worker page). Neither: the move is refused,
 * with what to give. A dependent's case needs its own entry on the dependent.
 */
async function admit(
  tx: Queryable,
  ctx: ServiceContext,
  deps: PipelineDeps,
  row: CaseRow,
  worker: Worker,
  facts: EntryFacts | undefined,
): Promise<void> {
  if (facts) {
    await insertEntry(tx, ctx, deps, worker, facts, {
      caseId: row.id,
      dependentId: row.dependent_id ?? undefined,
      pathPrefix: 'entry.',
    });
    return;
  }
  const today = nowOf(deps).toISOString().slice(0, 10);
  const [stay] = await tx.query<{ id: string }>(
    `SELECT id FROM entries WHERE worker_id = $1 AND dependent_id IS NOT DISTINCT FROM $2 AND case_id IS NULL
       AND departed_on IS NULL AND admitted_on <= $3 ORDER BY admitted_on DESC LIMIT 1 FOR UPDATE`,
    [worker.id, row.dependent_id, today],
  );
  if (!stay)
    throw new ApiError('pipeline.entry_required', {
      errors: [
        fieldError(
          'entry',
          'give the entry: paste the I-94 text, or its date, class of admission and admit-until date',
          '입국 기록을 입력하세요: I-94 내용을 붙여 넣거나 입국일, 입국 자격, 체류 허가 기한을 입력하세요',
          'required',
        ),
      ],
    });
  await tx.query('UPDATE entries SET case_id = $2 WHERE id = $1', [stay.id, row.id]);
}

/** A departure closes the dispatch: an admitted case moves to `departed` (called with the stay's departure). */
export async function caseDeparted(
  tx: Queryable,
  ctx: ServiceContext,
  caseId: string,
  departedOn: string,
): Promise<void> {
  const [row] = await tx.query<{ status: string; stage: string; organization_id: string }>(
    'SELECT status, stage, organization_id FROM cases WHERE id = $1 FOR UPDATE',
    [caseId],
  );
  if (!row || row.status !== 'admitted') return;
  const at = `${departedOn}T12:00:00.000Z`;
  const [seq] = await tx.query<{ n: number }>(
    'SELECT coalesce(max(seq), 0) + 1 AS n FROM case_events WHERE case_id = $1',
    [caseId],
  );
  await tx.query(
    `INSERT INTO case_events (case_id, seq, from_stage, to_stage, at, by_user_id, by_label, comment)
     VALUES ($1, $2, $3, $4, greatest($5::timestamptz, (SELECT stage_entered_at FROM cases WHERE id = $1)), $6, $7, NULL)`,
    [caseId, seq!.n, row.stage, DEPARTED, at, ctx.actor.userId, ctx.actor.email],
  );
  await tx.query(
    `UPDATE cases SET stage = $2, status = 'departed',
       stage_entered_at = greatest($3::timestamptz, stage_entered_at), closed_at = greatest($3::timestamptz, stage_entered_at)
     WHERE id = $1`,
    [caseId, DEPARTED, at],
  );
  await emitEvent(tx, {
    organizationId: row.organization_id,
    type: 'case.stage_changed',
    data: { caseId, from: row.stage, to: DEPARTED, status: 'departed', at },
    at: new Date(),
  });
  await recordAudit(tx, auditContextOf(ctx), {
    action: 'case.transition',
    targetType: 'case',
    targetId: caseId,
    organizationId: row.organization_id,
    before: { stage: row.stage, status: row.status },
    after: { stage: DEPARTED, status: 'departed' },
    details: { kind: 'departure', departedOn },
  });
  boardChanged(ctx.db);
}

/** The quota programs of workflows with a `quota` stage that the ledger runs by reservation (not by lottery). */
const quotaPrograms: Partial<Record<string, string>> = { E4: 'E4' };

async function reserveQuotaIfNeeded(ctx: ServiceContext, deps: PipelineDeps, id: string, to: string) {
  const row = await caseRow(ctx, id, ctx.db);
  const stage = workflowById(row.workflow_id).stages.find((s) => s.id === to);
  const program = quotaPrograms[row.category];
  if (!stage?.quota || !program || !deps.quota || row.dependent_id) return null; // dependents never count
  const ledger = deps.quota();
  const result = await ledger.reserve(
    {
      label: `case:${id}`,
      userId: ctx.actor.userId,
      organizationId: row.organization_id,
      requestId: ctx.requestId,
      idempotencyScope: `org:${row.organization_id}`,
      seesAllCases: false,
    },
    program,
    fiscalYearOf(row.assignment_start),
    {
      caseRef: id,
      organizationId: row.organization_id,
      priorityDate: new Date(row.opened_at).toISOString().slice(0, 10),
    },
    `case-${id}`,
  );
  return result.body;
}

/**
 * Moves a case to another stage of its workflow: the next one; back one (rework); to a terminal exit
 * (refused, withdrawn); or past stages with an override (administrators, with a reason). Each change is an
 * event with its time, actor, comment and assignee; `admitted` closes the case and fixes its lead time.
 */
export async function transitionCase(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: TransitionRequest,
): Promise<CaseDetail> {
  const now = nowOf(deps);
  const at = input.at ? new Date(input.at) : now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 60_000) {
    throw new ApiError('pipeline.transition_in_future', {
      errors: [fieldError('at', 'must not be in the future', '미래 시각일 수 없습니다')],
    });
  }
  // Admitted means present (issue 13): reaching `admitted` records the entry, which becomes the worker's stay.
  let admission: { worker: Worker; facts: EntryFacts | undefined } | undefined;
  if (input.to === ADMITTED) {
    const current = await caseRow(ctx, id, ctx.db);
    const worker = await visibleWorker(ctx, current.worker_id);
    admission = {
      worker,
      facts: input.entry ? entryFacts(deps, worker, input.entry, 'entry.') : undefined,
    };
  }
  // A workflow stage that reserves a number (the E-4's): the reservation is made first, idempotently (the key
  // is the case's), so a retried or failed transition never takes a second number; the case keeps it.
  const reservation = await reserveQuotaIfNeeded(ctx, deps, id, input.to);
  await ctx.db.transaction(async (tx) => {
    const row = await caseRow(ctx, id, tx, true);
    const [owners] = await tx.query<{ project_org: string; counsel: string | null }>(
      `SELECT p.organization_id AS project_org, c.counsel_organization_id AS counsel
         FROM cases c JOIN projects p ON p.id = c.project_id WHERE c.id = $1`,
      [id],
    );
    if (!mayAct(ctx, [row.organization_id, owners!.project_org, owners!.counsel]))
      throw new ApiError('auth.forbidden');
    if (at.getTime() < new Date(row.stage_entered_at).getTime()) {
      throw new ApiError('pipeline.transition_in_future', {
        errors: [
          fieldError(
            'at',
            'must not be before the previous stage change',
            '이전 단계 변경보다 앞설 수 없습니다',
          ),
        ],
      });
    }
    const workflow = workflowById(row.workflow_id);
    const move = checkMove(
      workflow,
      { stage: row.stage, status: row.status },
      input.to,
      input.overrideReason,
    );
    if (!move.ok) {
      throw new ApiError(move.code, {
        errors: [
          fieldError(
            move.code === 'pipeline.skip_requires_override' ? 'overrideReason' : 'to',
            move.message.en,
            move.message.ko,
          ),
        ],
      });
    }
    if (move.override && !can(ctx.actor, 'cases.override')) throw new ApiError('pipeline.override_forbidden');
    const status = move.status;
    const [seq] = await tx.query<{ n: number }>(
      'SELECT coalesce(max(seq), 0) + 1 AS n FROM case_events WHERE case_id = $1',
      [id],
    );
    await tx.query(
      `INSERT INTO case_events (case_id, seq, from_stage, to_stage, at, by_user_id, by_label, comment, override_reason,
         assignee_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        id,
        seq!.n,
        row.stage,
        input.to,
        at.toISOString(),
        ctx.actor.userId,
        ctx.actor.email,
        input.comment ?? null,
        move.override ? input.overrideReason : null,
        input.assigneeUserId ?? null,
      ],
    );
    if (reservation)
      await tx.query('UPDATE cases SET quota_reservation_id = $2 WHERE id = $1', [id, reservation.id]);
    if (admission) await admit(tx, ctx, deps, row, admission.worker, admission.facts);
    await tx.query(
      `UPDATE cases SET stage = $2, status = $3, stage_entered_at = $4,
              admitted_at = CASE WHEN $3 = 'admitted' THEN $4::timestamptz ELSE admitted_at END,
              closed_at = CASE WHEN $3 = 'open' THEN NULL ELSE $4::timestamptz END
        WHERE id = $1`,
      [id, input.to, status, at.toISOString()],
    );
    await emitEvent(tx, {
      organizationId: row.organization_id,
      type: 'case.stage_changed',
      data: { caseId: id, from: row.stage, to: input.to, status, at: at.toISOString() },
      at: nowOf(deps),
    });
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'case.transition',
      targetType: 'case',
      targetId: id,
      organizationId: row.organization_id,
      before: { stage: row.stage, status: row.status },
      after: { stage: input.to, status },
      details: {
        kind: move.kind,
        comment: input.comment ?? null,
        overrideReason: move.override ? input.overrideReason : null,
      },
    });
  });
  boardChanged(ctx.db);
  alertsChanged(ctx.db, (await caseRow(ctx, id, ctx.db)).organization_id);
  return getCase(ctx, deps, id);
}
