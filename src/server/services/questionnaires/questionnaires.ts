import type { z } from 'zod';
import {
  answerProblems,
  answerProgress,
  missingAnswers,
  questionnaireDefinitions,
  type Answers,
  type Questionnaire,
  type QuestionnaireForm,
  type QuestionnaireStatus,
  type returnQuestionnaireSchema,
} from '../../../contract/questionnaire.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { actorLabel, auditContextOf, iso, type ServiceContext } from '../context.js';
import { isConsular, notifyHr } from '../consular/consular.js';
import { writableCase } from '../consular/case-consular.js';
import { getCase } from '../pipeline/cases.js';
import { fieldError, nowOf, PASSPORT_CONTEXT, type PipelineDeps } from '../pipeline/common.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import { isPetition } from '../uscis/petition-view.js';

/**
 * The worker's questionnaire (issue 18, item 1). HR or counsel sends it for a case (the DS-160's data for a
 * consular case, the petition's for a USCIS case), prefilled from what the platform knows (the worker, the
 * passport, the employer, entries, the spouse); the worker fills it in on a phone, saved as they go (each field
 * checked for its kind, nothing required yet), and submits it when every required question is answered; HR and
 * counsel return items with a comment or accept it; it exports as JSON and a bilingual PDF for filing. The answers
 * are encrypted at rest as one value; every step is audited and tells the other side.
 */
export const ANSWERS_CONTEXT = 'questionnaire.answers';

interface Row {
  id: string;
  case_id: string;
  organization_id: string;
  form: QuestionnaireForm;
  status: QuestionnaireStatus;
  answers_enc: string;
  returned: { path: string; comment: string; by: string; at: string }[];
  sent_at: Date;
  sent_by_label: string;
  submitted_at: Date | null;
  accepted_at: Date | null;
  accepted_by_label: string | null;
  updated_at: Date;
  [key: string]: unknown;
}

function formsOf(workflowId: string): QuestionnaireForm[] {
  const workflow = workflowById(workflowId);
  return [
    ...(isPetition(workflow) ? (['petition'] as const) : []),
    ...(isConsular(workflow) ? (['ds160'] as const) : []),
  ];
}

/** What the platform knows, in the form's shape. */
async function prefill(
  q: Queryable,
  deps: PipelineDeps,
  form: QuestionnaireForm,
  workerId: string,
): Promise<Answers> {
  const [w] = await q.query<{
    family_name: string;
    given_name: string;
    name_hangul: string;
    birth_date: string;
    passport_enc: string;
    passport_expiry: string;
    phone: string | null;
    email: string | null;
    role: string;
    employed_since: string;
    organization: string;
  }>(
    `SELECT w.family_name, w.given_name, w.name_hangul, w.birth_date::text, w.passport_enc, w.passport_expiry::text,
            w.phone, w.email, w.role, w.employed_since::text, o.name AS organization
       FROM workers w JOIN organizations o ON o.id = w.organization_id WHERE w.id = $1`,
    [workerId],
  );
  const entries = await q.query<{
    admitted_on: string;
    departed_on: string | null;
    class: string;
    days: number | null;
  }>(
    `SELECT admitted_on::text, departed_on::text, class_of_admission AS class, (departed_on - admitted_on) + 1 AS days
       FROM entries WHERE worker_id = $1 AND dependent_id IS NULL ORDER BY admitted_on DESC LIMIT 5`,
    [workerId],
  );
  const [spouse] = await q.query<{ name: string; birth_date: string }>(
    `SELECT coalesce(name_hangul, family_name || ' ' || given_name) AS name, birth_date::text FROM dependents
      WHERE worker_id = $1 AND relationship = 'spouse' LIMIT 1`,
    [workerId],
  );
  const passport = deps.cipher.decrypt(w!.passport_enc, PASSPORT_CONTEXT);
  const visited = entries.length > 0;
  if (form === 'ds160')
    return {
      personal: { familyName: w!.family_name, givenName: w!.given_name, nameHangul: w!.name_hangul, birthDate: w!.birth_date }, // prettier-ignore
      passport: { passportNumber: passport, passportExpiry: w!.passport_expiry },
      travel: {
        previousVisits: visited,
        visits: entries.map((e) => ({ arrived: e.admitted_on, days: e.days === null ? null : String(e.days), classOfAdmission: e.class })), // prettier-ignore
      },
      contact: { ...(w!.phone ? { phone: w!.phone } : {}), ...(w!.email ? { email: w!.email } : {}) },
      family: spouse ? { spouseName: spouse.name, spouseBirthDate: spouse.birth_date } : {},
      work: { currentEmployer: w!.organization, currentSince: w!.employed_since },
    };
  return {
    beneficiary: {
      familyName: w!.family_name,
      givenName: w!.given_name,
      nameHangul: w!.name_hangul,
      birthDate: w!.birth_date,
      passportNumber: passport,
      passportExpiry: w!.passport_expiry,
    },
    employment: {
      employers: [
        { employer: w!.organization, title: w!.role, from: w!.employed_since, to: null, duties: null },
      ],
    },
    stays: {
      previousVisits: visited,
      visits: entries.map((e) => ({
        arrived: e.admitted_on,
        departed: e.departed_on,
        classOfAdmission: e.class,
      })),
    },
  };
}

async function rowOf(q: Queryable, caseId: string, lock = false): Promise<Row | undefined> {
  const [row] = await q.query<Row>(
    `SELECT * FROM questionnaires WHERE case_id = $1 ORDER BY sent_at DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
    [caseId],
  );
  return row;
}

const EDITABLE: readonly QuestionnaireStatus[] = ['sent', 'in_progress', 'returned'];

/** The case's questionnaire, locked for a change that only some states allow (404 when none was sent, 409 else). */
async function lockedRow(
  q: Queryable,
  caseId: string,
  allowed: readonly QuestionnaireStatus[],
): Promise<Row> {
  const row = await rowOf(q, caseId, true);
  if (!row) throw new ApiError('questionnaire.not_sent');
  if (!allowed.includes(row.status)) throw new ApiError('questionnaire.wrong_state');
  return row;
}

function toQuestionnaire(
  row: Row,
  deps: PipelineDeps,
  worker: { name: string; nameHangul: string },
): Questionnaire {
  const answers = JSON.parse(deps.cipher.decrypt(row.answers_enc, ANSWERS_CONTEXT)) as Answers;
  return {
    id: row.id,
    caseId: row.case_id,
    form: row.form,
    status: row.status,
    answers,
    returned: row.returned,
    sentAt: iso(row.sent_at)!,
    sentBy: row.sent_by_label,
    submittedAt: iso(row.submitted_at),
    acceptedAt: iso(row.accepted_at),
    acceptedBy: row.accepted_by_label,
    updatedAt: iso(row.updated_at)!,
    missing: missingAnswers(row.form, answers),
    progress: answerProgress(row.form, answers),
    worker,
    title: questionnaireDefinitions[row.form].title,
  };
}

/** The case's questionnaire (the latest sent), for HR, counsel and the worker; 404 when none was sent. */
export async function getQuestionnaire(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<Questionnaire> {
  const c = await getCase(ctx, deps, caseId);
  const row = await rowOf(ctx.db, caseId);
  if (!row) throw new ApiError('questionnaire.not_sent');
  return toQuestionnaire(row, deps, { name: c.workerName, nameHangul: c.workerNameHangul });
}

async function tellWorker(
  tx: Queryable,
  caseId: string,
  organizationId: string,
  key: string,
  message: { en: string; ko: string },
  today: string,
): Promise<void> {
  // prettier-ignore
  await tx.query(
    `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, case_id, due_on,
       dedupe_key, message, as_of)
     SELECT $2, w.user_id, 'questionnaire', 'warning', 'case', c.id, c.id, $5, $3, $4, $5
       FROM cases c JOIN workers w ON w.id = c.worker_id WHERE c.id = $1 AND w.user_id IS NOT NULL
     ON CONFLICT (organization_id, user_id, dedupe_key) DO NOTHING`,
    [caseId, organizationId, key, JSON.stringify(message), today],
  );
}

export async function sendQuestionnaire(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  requested: QuestionnaireForm | undefined,
): Promise<Questionnaire> {
  const c = await writableCase(ctx, deps, caseId);
  const forms = formsOf(c.workflowId);
  const form = requested ?? forms[0];
  if (!form || !forms.includes(form)) throw new ApiError('questionnaire.no_form');
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const [exists] = await tx.query('SELECT 1 FROM questionnaires WHERE case_id = $1 AND form = $2', [
      caseId,
      form,
    ]);
    if (exists) return; // sent already: the worker keeps their answers
    const answers = await prefill(tx, deps, form, c.workerId);
    await tx.query(
      `INSERT INTO questionnaires (case_id, organization_id, form, status, answers_enc, sent_at, sent_by_label, updated_at)
       VALUES ($1, $2, $3, 'sent', $4, $5, $6, $5)`,
      [caseId, c.organizationId, form, deps.cipher.encrypt(JSON.stringify(answers), ANSWERS_CONTEXT), now.toISOString(), actorLabel(ctx)], // prettier-ignore
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'questionnaire.send',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { form },
    });
    const title = questionnaireDefinitions[form].title;
    await tellWorker(tx, caseId, c.organizationId, `questionnaire:${caseId}:${form}:sent`, {
      en: `Please fill in "${title.en}" for your case. Your answers are saved as you go.`,
      ko: `사건의 "${title.ko}"를 작성해 주세요. 입력하는 대로 저장됩니다.`,
    }, now.toISOString().slice(0, 10)); // prettier-ignore
  });
  return getQuestionnaire(ctx, deps, caseId);
}

function invalid(problems: { path: string; en: string; ko: string }[]): ApiError {
  return new ApiError('request.invalid', {
    errors: problems.map((p) => fieldError(`answers.${p.path}`, p.en, p.ko)),
  });
}

/** The worker saves (part of) their answers: every field is checked for its kind; nothing is required yet. */
export async function saveAnswers(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  answers: Answers,
): Promise<Questionnaire> {
  const c = await getCase(ctx, deps, caseId);
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, caseId, EDITABLE);
    const problems = answerProblems(row.form, answers);
    if (problems.length) throw invalid(problems);
    await tx.query(
      `UPDATE questionnaires SET answers_enc = $2, updated_at = $3,
              status = CASE WHEN status = 'sent' THEN 'in_progress' ELSE status END WHERE id = $1`,
      [row.id, deps.cipher.encrypt(JSON.stringify(answers), ANSWERS_CONTEXT), now.toISOString()],
    );
    // The audit says what was saved, not the answers (identifiers).
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'questionnaire.save',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { form: row.form, progress: answerProgress(row.form, answers) },
    });
  });
  return getQuestionnaire(ctx, deps, caseId);
}

export async function submitQuestionnaire(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<Questionnaire> {
  // prettier-ignore
  const c = await getCase(ctx, deps, caseId);
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, caseId, EDITABLE);
    const answers = JSON.parse(deps.cipher.decrypt(row.answers_enc, ANSWERS_CONTEXT)) as Answers;
    const missing = missingAnswers(row.form, answers);
    if (missing.length)
      throw invalid(missing.map((path) => ({ path, en: 'is required', ko: '필수 항목입니다' })));
    await tx.query(
      `UPDATE questionnaires SET status = 'submitted', submitted_at = $2, updated_at = $2, returned = '[]' WHERE id = $1`,
      [row.id, now.toISOString()],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'questionnaire.submit',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { form: row.form },
    });
    const [project] = await tx.query<{ organization_id: string }>('SELECT organization_id FROM projects WHERE id = $1', [c.projectId]); // prettier-ignore
    await notifyHr(tx, [c.organizationId, project!.organization_id], {
      kind: 'questionnaire',
      severity: 'info',
      subjectType: 'case',
      subjectId: caseId,
      caseId,
      dueOn: now.toISOString().slice(0, 10),
      dedupeKey: `questionnaire:${caseId}:submitted:${now.toISOString()}`,
      message: {
        en: `${c.workerName} submitted the questionnaire: review it.`,
        ko: `${c.workerNameHangul}님이 설문을 제출했습니다. 검토해 주세요.`,
      },
    });
  });
  return getQuestionnaire(ctx, deps, caseId);
}

export async function returnQuestionnaire(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
  input: z.output<typeof returnQuestionnaireSchema>,
): Promise<Questionnaire> {
  const c = await writableCase(ctx, deps, caseId);
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, caseId, ['submitted']);
    const sections = questionnaireDefinitions[row.form].sections;
    const errors = input.items.flatMap((item, k) => {
      const [sectionId, fieldId] = item.path.split('.');
      const known = sections.find((s) => s.id === sectionId)?.fields.some((f) => f.id === fieldId);
      return known ? [] : [fieldError(`items.${k}.path`, 'is not a question of this form', '이 양식의 질문이 아닙니다')]; // prettier-ignore
    });
    if (errors.length) throw new ApiError('request.invalid', { errors });
    const by = actorLabel(ctx);
    const returned = input.items.map((i) => ({ ...i, by, at: now.toISOString() }));
    await tx.query(
      `UPDATE questionnaires SET status = 'returned', returned = $2, updated_at = $3 WHERE id = $1`,
      [row.id, JSON.stringify(returned), now.toISOString()],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'questionnaire.return',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { form: row.form, items: input.items.map((i) => i.path) },
    });
    await tellWorker(tx, caseId, c.organizationId, `questionnaire:${caseId}:returned:${now.toISOString()}`, {
      en: `${input.items.length} answer(s) of your questionnaire need a correction: see the comments.`,
      ko: `설문 답변 ${input.items.length}개를 고쳐야 합니다. 의견을 확인하세요.`,
    }, now.toISOString().slice(0, 10)); // prettier-ignore
  });
  return getQuestionnaire(ctx, deps, caseId);
}

export async function acceptQuestionnaire(
  ctx: ServiceContext,
  deps: PipelineDeps,
  caseId: string,
): Promise<Questionnaire> {
  // prettier-ignore
  const c = await writableCase(ctx, deps, caseId);
  const now = nowOf(deps);
  await ctx.db.transaction(async (tx) => {
    const row = await lockedRow(tx, caseId, ['submitted']);
    await tx.query(
      `UPDATE questionnaires SET status = 'accepted', accepted_at = $2, accepted_by_label = $3, updated_at = $2 WHERE id = $1`,
      [row.id, now.toISOString(), actorLabel(ctx)],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'questionnaire.accept',
      targetType: 'case',
      targetId: caseId,
      organizationId: c.organizationId,
      details: { form: row.form },
    });
    await tellWorker(tx, caseId, c.organizationId, `questionnaire:${caseId}:accepted`, {
      en: 'Your questionnaire was accepted. Thank you.',
      ko: '설문이 승인되었습니다. 감사합니다.',
    }, now.toISOString().slice(0, 10)); // prettier-ignore
  });
  return getQuestionnaire(ctx, deps, caseId);
}
