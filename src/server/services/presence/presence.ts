import { alertsChanged } from '../alerts/refresh.js';
import { randomUUID } from 'node:crypto';
import { activityIds } from '../../../contract/assessment.js';
import type { BilingualText } from '../../../contract/assessment.js';
import type { CreateEntry, Entry } from '../../../contract/pipeline.js';
import { admissionClass, stayStatus, type Stay } from '../../../core/presence/stay.js';
import { assess, parseAssessmentRequest } from '../../../core/rules/index.js';
import { recordAudit } from '../../audit/audit.js';
import { signCard, verifyCard, type CardClaims, type CardKeyRing } from '../../cards/jws.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin, requireCapability } from '../../policies/capabilities.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { entryFacts, insertEntry } from './entries.js';
export { I94_CONTEXT } from './entries.js';
import { caseAssessmentRequest, caseDeparted } from '../pipeline/cases.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { ownWorker, visibleWorker } from '../pipeline/workers.js';

/** A card is valid for a short time (72 hours): the worker shows a fresh one; a lost phone ages out. */
export const CARD_LIFETIME_SECONDS = 72 * 3600;
export const CARD_ISSUER = 'korus-mobility';

export interface PresenceDeps extends PipelineDeps {
  cardKeys: CardKeyRing;
}

interface EntryRow {
  id: string;
  worker_id: string;
  dependent_id: string | null;
  admitted_on: string;
  port: string | null;
  class_of_admission: string;
  i94_last4: string | null;
  admit_until: string | null;
  duration_of_status: boolean;
  departed_on: string | null;
  source: Entry['source'];
  reported_by: Entry['reportedBy'];
  confirmed_at: Date | null;
  case_id: string | null;
  [key: string]: unknown;
}

const entrySelect = `SELECT id, worker_id, dependent_id, admitted_on::text, port, class_of_admission, i94_last4,
  admit_until::text, duration_of_status, departed_on::text, source, reported_by, confirmed_at, case_id FROM entries`;

const stayOf = (r: EntryRow): Stay => ({
  admittedOn: r.admitted_on,
  classOfAdmission: r.class_of_admission,
  admitUntil: r.admit_until,
  durationOfStatus: r.duration_of_status,
  departedOn: r.departed_on,
});

function toEntry(r: EntryRow, on: string, history: EntryRow[], passportExpiry: string): Entry {
  const status = stayStatus(stayOf(r), on, {
    passportExpiry,
    history: history
      .filter((h) => h.id !== r.id && (h.dependent_id ?? null) === (r.dependent_id ?? null))
      .map(stayOf),
  });
  return {
    id: r.id,
    workerId: r.worker_id,
    dependentId: r.dependent_id,
    admittedOn: r.admitted_on,
    port: r.port,
    classOfAdmission: r.class_of_admission,
    classLabel: admissionClass(r.class_of_admission)?.label ?? {
      en: r.class_of_admission,
      ko: r.class_of_admission,
    },
    i94Masked: r.i94_last4 ? `•••••••${r.i94_last4}` : null,
    admitUntil: r.admit_until,
    durationOfStatus: r.duration_of_status,
    departedOn: r.departed_on,
    source: r.source,
    reportedBy: r.reported_by,
    confirmedAt: r.confirmed_at ? new Date(r.confirmed_at).toISOString() : null,
    caseId: r.case_id,
    status: { on, ...status },
  };
}

export async function listEntries(
  ctx: ServiceContext,
  deps: PipelineDeps,
  workerId: string,
): Promise<Entry[]> {
  const worker = await visibleWorker(ctx, workerId);
  const rows = await ctx.db.query<EntryRow>(
    `${entrySelect} WHERE worker_id = $1 ORDER BY admitted_on DESC, created_at DESC`,
    [worker.id],
  );
  const on = nowOf(deps).toISOString().slice(0, 10);
  return rows.map((r) => toEntry(r, on, rows, worker.passportExpiry));
}

/** Records an admission to the US (by hand or from the pasted I-94 text) for a worker of the employer. */
export async function createEntry(
  ctx: ServiceContext,
  deps: PipelineDeps,
  workerId: string,
  input: CreateEntry,
): Promise<Entry> {
  const worker = await visibleWorker(ctx, workerId);
  if (!isPlatformAdmin(ctx.actor) && worker.organizationId !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  const facts = entryFacts(deps, worker, input);
  const id = await ctx.db.transaction((tx) =>
    insertEntry(tx, ctx, deps, worker, facts, {
      dependentId: input.dependentId,
      departedOn: input.departedOn,
    }),
  );
  alertsChanged(ctx.db, worker.organizationId);
  const entries = await listEntries(ctx, deps, worker.id);
  return entries.find((e) => e.id === id)!;
}

/**
 * A worker reports their own entry (from the I-94 text or its fields): recorded as reported by the worker, for
 * HR to confirm; their card can be taken at once.
 */
export async function reportOwnEntry(
  ctx: ServiceContext,
  deps: PipelineDeps,
  input: CreateEntry,
): Promise<Entry> {
  const worker = await ownWorker(ctx);
  const facts = entryFacts(deps, worker, input);
  const id = await ctx.db.transaction((tx) =>
    insertEntry(tx, ctx, deps, worker, facts, { departedOn: input.departedOn, reportedBy: 'worker' }),
  );
  alertsChanged(ctx.db, worker.organizationId);
  const rows = await ctx.db.query<EntryRow>(
    `${entrySelect} WHERE worker_id = $1 ORDER BY admitted_on DESC, created_at DESC`,
    [worker.id],
  );
  const on = nowOf(deps).toISOString().slice(0, 10);
  return toEntry(
    rows.find((r) => r.id === id)!,
    on,
    rows,
    worker.passportExpiry,
  );
}

/** The signed-in worker's own stays. */
export async function listOwnEntries(ctx: ServiceContext, deps: PipelineDeps): Promise<Entry[]> {
  const worker = await ownWorker(ctx);
  return listEntries(ctx, deps, worker.id);
}

/**
 * HR confirms an entry the worker reported (checked against the I-94). When the worker's open case is at the
 * stage before `admitted`, it moves to `admitted` with this stay.
 */
export async function confirmEntry(ctx: ServiceContext, deps: PipelineDeps, entryId: string): Promise<Entry> {
  const [row] = await ctx.db.query<{ worker_id: string; organization_id: string }>(
    'SELECT worker_id, organization_id FROM entries WHERE id = $1',
    [entryId],
  );
  if (!row) throw new ApiError('resource.not_found');
  await visibleWorker(ctx, row.worker_id);
  if (!isPlatformAdmin(ctx.actor) && row.organization_id !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `UPDATE entries SET confirmed_at = now(), confirmed_by = $2 WHERE id = $1 AND confirmed_at IS NULL`,
      [entryId, ctx.actor.email],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'entry.confirm',
      targetType: 'entry',
      targetId: entryId,
      organizationId: row.organization_id,
      details: { workerId: row.worker_id },
    });
  });
  return (await listEntries(ctx, deps, row.worker_id)).find((e) => e.id === entryId)!;
}

/** Records a departure: the stay closes and, when it was a case's admission, the case moves to `departed`. */
export async function recordDeparture(
  ctx: ServiceContext,
  deps: PipelineDeps,
  entryId: string,
  departedOn: string,
): Promise<Entry> {
  const [row] = await ctx.db.query<{
    worker_id: string;
    admitted_on: string;
    organization_id: string;
    case_id: string | null;
  }>('SELECT worker_id, admitted_on::text, organization_id, case_id FROM entries WHERE id = $1', [entryId]);
  if (!row) throw new ApiError('resource.not_found');
  await visibleWorker(ctx, row.worker_id);
  if (!isPlatformAdmin(ctx.actor) && row.organization_id !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  if (departedOn < row.admitted_on) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('departedOn', 'must not be before the admission date', '입국일보다 앞설 수 없습니다'),
      ],
    });
  }
  if (departedOn > nowOf(deps).toISOString().slice(0, 10)) {
    throw new ApiError('request.invalid', {
      errors: [fieldError('departedOn', 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  }
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE entries SET departed_on = $2 WHERE id = $1', [entryId, departedOn]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'entry.depart',
      targetType: 'entry',
      targetId: entryId,
      organizationId: row.organization_id,
      details: { departedOn, caseId: row.case_id },
    });
    if (row.case_id) await caseDeparted(tx, ctx, row.case_id, departedOn);
  });
  alertsChanged(ctx.db, row.organization_id);
  return (await listEntries(ctx, deps, row.worker_id)).find((e) => e.id === entryId)!;
}

/**
 * Issues a signed status card for a worker who is in the US now: names, employer, site and project of the current
 * assignment, class of admission, admit-until, the activities the class permits (from the guidelines engine, with
 * the facts of the worker's case), the embassy-desk annotation, a short expiry. Earlier cards are superseded.
 */
export async function issueCard(
  ctx: ServiceContext,
  deps: PresenceDeps,
  workerId: string,
  publicBase: string,
): Promise<{ token: string; id: string; expiresAt: string; verifyUrl: string; claims: CardClaims }> {
  const worker = await visibleWorker(ctx, workerId);
  if (!isPlatformAdmin(ctx.actor) && worker.organizationId !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  const now = nowOf(deps);
  const today = now.toISOString().slice(0, 10);
  const [entry] = await ctx.db.query<EntryRow>(
    `${entrySelect} WHERE worker_id = $1 AND dependent_id IS NULL AND admitted_on <= $2 AND (departed_on IS NULL OR departed_on >= $2)
     ORDER BY admitted_on DESC LIMIT 1`,
    [worker.id, today],
  );
  if (!entry) throw new ApiError('presence.not_present');
  const cls = admissionClass(entry.class_of_admission)!;
  const [assignment] = await ctx.db.query<{
    activities: string[];
    start_date: string;
    end_date: string;
    payer: string;
    project_name: string;
    site_name: string;
    request: {
      worker?: Record<string, unknown>;
      employer?: Record<string, unknown>;
      assignment?: Record<string, unknown>;
      scenario?: { e4Enacted: boolean };
    } | null;
    annotation_company: string | null;
    annotation_facility: string | null;
    annotation_project: string | null;
  }>(
    `SELECT a.activities, a.start_date::text, a.end_date::text, a.payer, p.name AS project_name, s.name AS site_name,
            asm.request, b.annotation_company, b.annotation_facility, b.annotation_project
       FROM assignments a JOIN projects p ON p.id = a.project_id JOIN sites s ON s.id = p.site_id
       LEFT JOIN cases c ON c.assignment_id = a.id AND c.dependent_id IS NULL AND c.status IN ('open', 'admitted')
       LEFT JOIN assessments asm ON asm.id = c.assessment_id
       LEFT JOIN batches b ON b.id = c.batch_id
      WHERE a.worker_id = $1
      ORDER BY (a.start_date <= $2 AND a.end_date >= $2) DESC, a.start_date DESC LIMIT 1`,
    [worker.id, today],
  );
  let permitted: string[] = [];
  if (cls.category && assignment) {
    const request = caseAssessmentRequest(
      worker,
      {
        activities: [...activityIds],
        startDate: assignment.start_date,
        endDate: assignment.end_date,
        payer: assignment.payer,
      },
      {
        scenario: assignment.request?.scenario,
        worker: assignment.request?.worker,
        employer: assignment.request?.employer,
        assignment: assignment.request?.assignment,
      },
      today,
    );
    const result = assess(parseAssessmentRequest(request), deps.rules).results.find(
      (r) => r.category === cls.category,
    );
    permitted = Object.entries(result?.activities ?? {})
      .filter(([, status]) => status === 'permitted' || status === 'conditional')
      .map(([activity]) => activity);
  }
  const id = randomUUID();
  const iat = Math.floor(now.getTime() / 1000);
  const claims: CardClaims = {
    iss: CARD_ISSUER,
    sub: worker.id,
    jti: id,
    iat,
    exp: iat + CARD_LIFETIME_SECONDS,
    names: { hangul: worker.nameHangul, romanized: `${worker.familyName} ${worker.givenName}` },
    employer: worker.organizationName,
    site: assignment?.site_name ?? null,
    project: assignment?.project_name ?? null,
    classOfAdmission: cls.code,
    classLabel: cls.label,
    admittedOn: entry.admitted_on,
    admitUntil: entry.duration_of_status ? 'D/S' : entry.admit_until,
    permittedActivities: permitted,
    annotation: assignment?.annotation_company
      ? {
          company: assignment.annotation_company,
          facility: assignment.annotation_facility,
          project: assignment.annotation_project,
        }
      : null,
    notice: CARD_NOTICE,
  };
  const token = signCard(deps.cardKeys, claims);
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO status_cards (id, organization_id, worker_id, key_id, issued_at, expires_at, claims)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        id,
        worker.organizationId,
        worker.id,
        deps.cardKeys.currentKeyId,
        new Date(iat * 1000).toISOString(),
        new Date(claims.exp * 1000).toISOString(),
        JSON.stringify(claims),
      ],
    );
    await tx.query(
      `UPDATE status_cards SET superseded_by = $1 WHERE worker_id = $2 AND id <> $1 AND superseded_by IS NULL AND revoked_at IS NULL`,
      [id, worker.id],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'card.issue',
      targetType: 'status_card',
      targetId: id,
      organizationId: worker.organizationId,
      details: {
        workerId: worker.id,
        keyId: deps.cardKeys.currentKeyId,
        expiresAt: new Date(claims.exp * 1000).toISOString(),
      },
    });
  });
  return {
    token,
    id,
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    verifyUrl: `${publicBase}/verify#${token}`,
    claims,
  };
}

/**
 * A worker signed in on their phone takes a fresh card of their own: the same claims, from the employer's records,
 * as when the employer issues it (the audit names the worker as the actor). A card the employer revoked is not
 * replaced by the worker: while the worker's latest card is revoked, only the employer issues the next one.
 */
export async function issueOwnCard(
  ctx: ServiceContext,
  deps: PresenceDeps,
  publicBase: string,
): Promise<{ token: string; id: string; expiresAt: string; verifyUrl: string; claims: CardClaims }> {
  requireCapability(ctx.actor, 'profile.own');
  const worker = await ownWorker(ctx);
  const [latest] = await ctx.db.query<{ revoked_at: Date | null }>(
    // The current card: not replaced by a later one (issue times have whole seconds, so among cards of the same
    // second one that is still valid was issued after the revocation: issuing never replaces a revoked card).
    `SELECT revoked_at FROM status_cards WHERE worker_id = $1 AND superseded_by IS NULL
      ORDER BY issued_at DESC, (revoked_at IS NULL) DESC LIMIT 1`,
    [worker.id],
  );
  if (latest?.revoked_at) throw new ApiError('presence.card_revoked');
  return issueCard(ctx, deps, worker.id, publicBase);
}

export const CARD_NOTICE: BilingualText = {
  en: 'Issued by the employer through KORUS Mobility from its records and the I-94. Not a government document: CBP and the I-94 decide status.',
  ko: '고용주가 자사 기록과 I-94를 바탕으로 KORUS Mobility에서 발급한 확인증입니다. 정부 문서가 아니며, 체류 자격은 CBP와 I-94가 정합니다.',
};

const reasons: Record<string, BilingualText> = {
  valid: {
    en: 'Valid card: signature, issuer and dates check out.',
    ko: '유효한 확인증입니다: 서명, 발급자, 기간이 확인되었습니다.',
  },
  malformed: {
    en: 'Not a status card (damaged or truncated).',
    ko: '확인증이 아닙니다(손상되었거나 잘렸습니다).',
  },
  unknown_key: { en: 'Signed with a key we do not publish.', ko: '공개되지 않은 키로 서명되었습니다.' },
  bad_signature: {
    en: 'The signature does not match: the card was altered.',
    ko: '서명이 일치하지 않습니다: 확인증이 변조되었습니다.',
  },
  expired: {
    en: 'The card has expired; ask the worker to show a fresh one.',
    ko: '확인증이 만료되었습니다. 새 확인증을 요청하세요.',
  },
  not_yet_valid: { en: 'The card is dated in the future.', ko: '확인증의 발급 시각이 미래입니다.' },
  revoked: { en: 'The employer revoked this card.', ko: '고용주가 이 확인증을 취소했습니다.' },
  superseded: { en: 'A newer card replaced this one.', ko: '새 확인증으로 대체되었습니다.' },
  unknown_card: { en: 'We did not issue this card.', ko: '발급 기록이 없는 확인증입니다.' },
};

/** Public verification: the signature and dates, then revocation and replacement from the records. */
export async function checkCard(db: ServiceContext['db'], keys: CardKeyRing, token: string, now: Date) {
  const check = verifyCard(token, keys.publicKeys, Math.floor(now.getTime() / 1000));
  if (!check.valid)
    return {
      valid: false,
      reason: check.reason,
      message: reasons[check.reason]!,
      claims: check.reason === 'expired' ? check.claims : null,
    };
  const [row] = await db.query<{
    revoked_at: Date | null;
    revoked_reason: string | null;
    superseded_by: string | null;
  }>('SELECT revoked_at, revoked_reason, superseded_by FROM status_cards WHERE id = $1', [check.claims.jti]);
  if (!row) return { valid: false, reason: 'unknown_card', message: reasons.unknown_card!, claims: null };
  if (row.revoked_at)
    return { valid: false, reason: 'revoked', message: reasons.revoked!, claims: check.claims };
  if (row.superseded_by)
    return { valid: false, reason: 'superseded', message: reasons.superseded!, claims: check.claims };
  return { valid: true, reason: null, message: reasons.valid!, claims: check.claims };
}

export async function revokeCard(ctx: ServiceContext, cardId: string, reason: string) {
  const [row] = await ctx.db.query<{ organization_id: string; worker_id: string }>(
    'SELECT organization_id, worker_id FROM status_cards WHERE id = $1',
    [cardId],
  );
  if (!row || (!isPlatformAdmin(ctx.actor) && row.organization_id !== ctx.actor.organizationId))
    throw new ApiError('resource.not_found');
  await ctx.db.transaction(async (tx) => {
    await tx.query(
      'UPDATE status_cards SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
      [cardId, reason],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'card.revoke',
      targetType: 'status_card',
      targetId: cardId,
      organizationId: row.organization_id,
      details: { reason, workerId: row.worker_id },
    });
  });
}
