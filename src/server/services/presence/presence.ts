import { randomUUID } from 'node:crypto';
import { activityIds } from '../../../contract/assessment.js';
import type { BilingualText } from '../../../contract/assessment.js';
import type { CreateEntry, Entry } from '../../../contract/pipeline.js';
import { I94ParseError, parseI94Text } from '../../../core/presence/i94.js';
import { admissionClass, stayStatus, type Stay } from '../../../core/presence/stay.js';
import { assess, parseAssessmentRequest } from '../../../core/rules/index.js';
import { recordAudit } from '../../audit/audit.js';
import { signCard, verifyCard, type CardClaims, type CardKeyRing } from '../../cards/jws.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin, requireCapability } from '../../policies/capabilities.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { caseAssessmentRequest } from '../pipeline/cases.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';
import { ownWorker, visibleWorker } from '../pipeline/workers.js';

export const I94_CONTEXT = 'entry.i94Number';
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
  [key: string]: unknown;
}

const entrySelect = `SELECT id, worker_id, dependent_id, admitted_on::text, port, class_of_admission, i94_last4,
  admit_until::text, duration_of_status, departed_on::text, source FROM entries`;

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

/**
 * Records an admission to the US (by hand or from the pasted I-94 text), checked: a known class, an admit-until
 * date or D/S, a departure not before the entry, no overlap with another stay of the same person.
 */
export async function createEntry(
  ctx: ServiceContext,
  deps: PipelineDeps,
  workerId: string,
  input: CreateEntry,
): Promise<Entry> {
  const worker = await visibleWorker(ctx, workerId);
  if (!isPlatformAdmin(ctx.actor) && worker.organizationId !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  let fields = {
    admittedOn: input.admittedOn,
    classOfAdmission: input.classOfAdmission,
    i94Number: input.i94Number,
    admitUntil: input.admitUntil,
    durationOfStatus: input.durationOfStatus ?? false,
    port: input.port,
  };
  const source: Entry['source'] = input.i94Text ? 'i94_paste' : 'manual';
  if (input.i94Text) {
    try {
      const record = parseI94Text(input.i94Text);
      fields = {
        admittedOn: record.admittedOn,
        classOfAdmission: record.classOfAdmission,
        i94Number: record.i94Number,
        admitUntil: record.admitUntil ?? undefined,
        durationOfStatus: record.durationOfStatus,
        port: record.port ?? input.port,
      };
      if (record.familyName && record.familyName !== worker.familyName) {
        throw new ApiError('request.invalid', {
          errors: [
            fieldError(
              'i94Text',
              `the I-94 is for ${record.familyName}, not ${worker.familyName}`,
              `I-94의 성(${record.familyName})이 근로자(${worker.familyName})와 다릅니다`,
            ),
          ],
        });
      }
    } catch (error) {
      if (error instanceof I94ParseError) {
        throw new ApiError('request.invalid', {
          errors: error.issues.map((i) => fieldError(`i94Text.${i.field}`, i.message.en, i.message.ko)),
        });
      }
      throw error;
    }
  }
  const cls = admissionClass(fields.classOfAdmission!);
  if (!cls) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          'classOfAdmission',
          `"${fields.classOfAdmission}" is not a class of admission we know`,
          `"${fields.classOfAdmission}"은(는) 알 수 없는 입국 자격입니다`,
        ),
      ],
    });
  }
  if (!fields.admitUntil && !fields.durationOfStatus) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          'admitUntil',
          'give the admit-until date, or duration of status (D/S)',
          '체류 허가 기한 또는 D/S를 입력하세요',
          'required',
        ),
      ],
    });
  }
  if (fields.admitUntil && fields.admitUntil < fields.admittedOn!) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('admitUntil', 'must not be before the admission date', '입국일보다 앞설 수 없습니다'),
      ],
    });
  }
  if (input.departedOn && input.departedOn < fields.admittedOn!) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError('departedOn', 'must not be before the admission date', '입국일보다 앞설 수 없습니다'),
      ],
    });
  }
  const today = nowOf(deps).toISOString().slice(0, 10);
  if (fields.admittedOn! > today) {
    throw new ApiError('request.invalid', {
      errors: [fieldError('admittedOn', 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  }
  const id = randomUUID();
  await ctx.db.transaction(async (tx) => {
    // Stays of one person do not overlap: an open stay (no departure) runs until today.
    const [overlap] = await tx.query<{ id: string; admitted_on: string }>(
      `SELECT id, admitted_on::text FROM entries
        WHERE worker_id = $1 AND dependent_id IS NOT DISTINCT FROM $2
          AND admitted_on <= coalesce($4::date, $5::date) AND coalesce(departed_on, $5::date) >= $3::date
        FOR UPDATE`,
      [worker.id, input.dependentId ?? null, fields.admittedOn, input.departedOn ?? null, today],
    );
    if (overlap) {
      throw new ApiError('presence.overlapping_stay', {
        errors: [
          fieldError(
            'admittedOn',
            `overlaps the stay admitted on ${overlap.admitted_on}; record that departure first`,
            `${overlap.admitted_on} 입국 체류와 겹칩니다. 먼저 그 출국을 기록하세요`,
            'overlap',
          ),
        ],
      });
    }
    await tx.query(
      `INSERT INTO entries (id, organization_id, worker_id, dependent_id, admitted_on, port, class_of_admission, i94_enc,
         i94_last4, admit_until, duration_of_status, departed_on, source)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        id,
        worker.organizationId,
        worker.id,
        input.dependentId ?? null,
        fields.admittedOn,
        fields.port?.toUpperCase() ?? null,
        cls.code,
        fields.i94Number ? deps.cipher.encrypt(fields.i94Number.toUpperCase(), I94_CONTEXT) : null,
        fields.i94Number ? fields.i94Number.slice(-4).toUpperCase() : null,
        fields.admitUntil ?? null,
        fields.durationOfStatus,
        input.departedOn ?? null,
        source,
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'entry.create',
      targetType: 'entry',
      targetId: id,
      organizationId: worker.organizationId,
      details: {
        workerId: worker.id,
        classOfAdmission: cls.code,
        admittedOn: fields.admittedOn,
        admitUntil: fields.admitUntil ?? null,
        source,
      },
    });
  });
  const entries = await listEntries(ctx, deps, worker.id);
  return entries.find((e) => e.id === id)!;
}

export async function recordDeparture(
  ctx: ServiceContext,
  deps: PipelineDeps,
  entryId: string,
  departedOn: string,
): Promise<Entry> {
  const [row] = await ctx.db.query<{ worker_id: string; admitted_on: string; organization_id: string }>(
    'SELECT worker_id, admitted_on::text, organization_id FROM entries WHERE id = $1',
    [entryId],
  );
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
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE entries SET departed_on = $2 WHERE id = $1', [entryId, departedOn]);
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'entry.depart',
      targetType: 'entry',
      targetId: entryId,
      organizationId: row.organization_id,
      details: { departedOn },
    });
  });
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
