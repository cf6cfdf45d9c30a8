import { randomUUID } from 'node:crypto';
import type { CreateEntry, Entry } from '../../../contract/pipeline.js';
import { I94ParseError, parseI94Text } from '../../../core/presence/i94.js';
import { admissionClass } from '../../../core/presence/stay.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { auditContextOf, type ServiceContext } from '../context.js';
import { emitEvent } from '../webhooks/events.js';
import { fieldError, nowOf, type PipelineDeps } from '../pipeline/common.js';

/**
 * Admissions to the US (stays), read and written: shared by the presence services (HR records an entry, a
 * worker reports their own) and the case workflow (reaching `admitted` records the entry).
 */
export const I94_CONTEXT = 'entry.i94Number';

/** An admission's facts, read from the I-94 text or the fields and checked (nothing written yet). */
export interface EntryFacts {
  admittedOn: string;
  classOfAdmission: string;
  i94Number: string | undefined;
  admitUntil: string | undefined;
  durationOfStatus: boolean;
  port: string | undefined;
  source: Entry['source'];
}

type EntryInput = Omit<CreateEntry, 'dependentId' | 'departedOn'> & { departedOn?: string | undefined };

/** Reads and checks an admission: a known class, an admit-until date or D/S, no future date, the right person. */
export function entryFacts(
  deps: PipelineDeps,
  worker: { familyName: string },
  input: EntryInput,
  pathPrefix = '',
): EntryFacts {
  const path = (p: string) => `${pathPrefix}${p}`;
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
              path('i94Text'),
              `the I-94 is for ${record.familyName}, not ${worker.familyName}`,
              `I-94의 성(${record.familyName})이 근로자(${worker.familyName})와 다릅니다`,
            ),
          ],
        });
      }
    } catch (error) {
      if (error instanceof I94ParseError) {
        throw new ApiError('request.invalid', {
          errors: error.issues.map((i) => fieldError(path(`i94Text.${i.field}`), i.message.en, i.message.ko)),
        });
      }
      throw error;
    }
  }
  if (!fields.admittedOn || !fields.classOfAdmission) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          path('admittedOn'),
          'give the admission date and class, or paste the I-94 text',
          '입국일과 입국 자격을 입력하거나 I-94 내용을 붙여 넣으세요',
          'required',
        ),
      ],
    });
  }
  const cls = admissionClass(fields.classOfAdmission);
  if (!cls) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          path('classOfAdmission'),
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
          path('admitUntil'),
          'give the admit-until date, or duration of status (D/S)',
          '체류 허가 기한 또는 D/S를 입력하세요',
          'required',
        ),
      ],
    });
  }
  if (fields.admitUntil && fields.admitUntil < fields.admittedOn) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          path('admitUntil'),
          'must not be before the admission date',
          '입국일보다 앞설 수 없습니다',
        ),
      ],
    });
  }
  if (input.departedOn && input.departedOn < fields.admittedOn) {
    throw new ApiError('request.invalid', {
      errors: [
        fieldError(
          path('departedOn'),
          'must not be before the admission date',
          '입국일보다 앞설 수 없습니다',
        ),
      ],
    });
  }
  const today = nowOf(deps).toISOString().slice(0, 10);
  if (fields.admittedOn > today) {
    throw new ApiError('request.invalid', {
      errors: [fieldError(path('admittedOn'), 'must not be in the future', '미래 날짜일 수 없습니다')],
    });
  }
  return {
    admittedOn: fields.admittedOn,
    classOfAdmission: cls.code,
    i94Number: fields.i94Number,
    admitUntil: fields.admitUntil,
    durationOfStatus: fields.durationOfStatus,
    port: fields.port,
    source,
  };
}

/**
 * Writes a checked admission in the caller's transaction: no overlap with another stay of the same person (an
 * open stay runs until today), the I-94 number encrypted, an audit event.
 */
export async function insertEntry(
  tx: Queryable,
  ctx: ServiceContext,
  deps: PipelineDeps,
  worker: { id: string; organizationId: string },
  facts: EntryFacts,
  options: {
    dependentId?: string | undefined;
    departedOn?: string | undefined;
    caseId?: string | undefined;
    reportedBy?: Entry['reportedBy'];
    pathPrefix?: string;
  } = {},
): Promise<string> {
  const today = nowOf(deps).toISOString().slice(0, 10);
  const [overlap] = await tx.query<{ id: string; admitted_on: string }>(
    `SELECT id, admitted_on::text FROM entries
      WHERE worker_id = $1 AND dependent_id IS NOT DISTINCT FROM $2
        AND admitted_on <= coalesce($4::date, $5::date) AND coalesce(departed_on, $5::date) >= $3::date
      FOR UPDATE`,
    [worker.id, options.dependentId ?? null, facts.admittedOn, options.departedOn ?? null, today],
  );
  if (overlap) {
    throw new ApiError('presence.overlapping_stay', {
      errors: [
        fieldError(
          `${options.pathPrefix ?? ''}admittedOn`,
          `overlaps the stay admitted on ${overlap.admitted_on}; record that departure first`,
          `${overlap.admitted_on} 입국 체류와 겹칩니다. 먼저 그 출국을 기록하세요`,
          'overlap',
        ),
      ],
    });
  }
  const id = randomUUID();
  const reportedBy = options.reportedBy ?? 'employer';
  await tx.query(
    `INSERT INTO entries (id, organization_id, worker_id, dependent_id, admitted_on, port, class_of_admission, i94_enc,
       i94_last4, admit_until, duration_of_status, departed_on, source, case_id, reported_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [
      id,
      worker.organizationId,
      worker.id,
      options.dependentId ?? null,
      facts.admittedOn,
      facts.port?.toUpperCase() ?? null,
      facts.classOfAdmission,
      facts.i94Number ? deps.cipher.encrypt(facts.i94Number.toUpperCase(), I94_CONTEXT) : null,
      facts.i94Number ? facts.i94Number.slice(-4).toUpperCase() : null,
      facts.admitUntil ?? null,
      facts.durationOfStatus,
      options.departedOn ?? null,
      facts.source,
      options.caseId ?? null,
      reportedBy,
    ],
  );
  await recordAudit(tx, auditContextOf(ctx), {
    action: 'entry.create',
    targetType: 'entry',
    targetId: id,
    organizationId: worker.organizationId,
    details: {
      workerId: worker.id,
      classOfAdmission: facts.classOfAdmission,
      admittedOn: facts.admittedOn,
      admitUntil: facts.admitUntil ?? null,
      source: facts.source,
      reportedBy,
      caseId: options.caseId ?? null,
    },
  });
  await emitEvent(tx, {
    organizationId: worker.organizationId,
    type: 'entry.recorded',
    data: {
      entryId: id,
      workerId: worker.id,
      caseId: options.caseId ?? null,
      admittedOn: facts.admittedOn,
      classOfAdmission: facts.classOfAdmission,
      admitUntil: facts.admitUntil ?? null,
    },
    at: new Date(),
  });
  return id;
}
