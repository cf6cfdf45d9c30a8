import type { z } from 'zod';
import {
  ownProfileFields,
  type CreateWorker,
  type Dependent,
  type ProfileField,
  type UpdateWorker,
  type Worker,
  type createDependentSchema,
  type workerListQuerySchema,
} from '../../../contract/pipeline.js';
import { recordAudit } from '../../audit/audit.js';
import type { Queryable } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';
import { auditContextOf, iso, type ServiceContext } from '../context.js';
import {
  fieldError,
  maskPassport,
  nowOf,
  PASSPORT_CONTEXT,
  passportHash,
  type PipelineDeps,
} from './common.js';
import { actingOrganization } from './projects.js';
import { boardChanged } from './board-cache.js';
import { alertsChanged } from '../alerts/refresh.js';
import { workerScope } from './scope.js';

interface WorkerRow {
  id: string;
  organization_id: string;
  organization_name: string;
  user_id: string | null;
  family_name: string;
  given_name: string;
  name_hangul: string;
  birth_date: string;
  sex: Worker['sex'];
  nationality: string;
  passport_last4: string;
  passport_expiry: string;
  education: Worker['education'];
  role: Worker['role'];
  qualifications: Worker['qualifications'];
  skills: string[];
  employed_since: string | null;
  phone: string | null;
  email: string | null;
  emergency_contact: Worker['emergencyContact'];
  detained_on: string | null;
  open_cases: string;
  created_at: Date;
  updated_at: Date;
  [key: string]: unknown;
}

const workerSelect = `
  SELECT w.id, w.organization_id, o.name AS organization_name, w.user_id, w.family_name, w.given_name,
         w.name_hangul, w.birth_date::text, w.sex, w.nationality, w.passport_last4, w.passport_expiry::text,
         w.education, w.role, w.qualifications, w.skills, w.employed_since::text, w.phone, w.email,
         w.emergency_contact, w.detained_on::text, w.created_at, w.updated_at,
         (SELECT count(*) FROM cases c WHERE c.worker_id = w.id AND c.status = 'open') AS open_cases
    FROM workers w JOIN organizations o ON o.id = w.organization_id`;

/** What an assessment needs and the worker's record lacks (imports of identity columns alone). */
export function profileMissing(w: {
  education: unknown;
  role: unknown;
  employed_since?: unknown;
  employedSince?: unknown;
}): ProfileField[] {
  const missing: ProfileField[] = [];
  if (!w.education) missing.push('education');
  if (!w.role) missing.push('role');
  if (!(w.employed_since ?? w.employedSince)) missing.push('employedSince');
  return missing;
}

function toWorker(r: WorkerRow): Worker {
  return {
    id: r.id,
    organizationId: r.organization_id,
    organizationName: r.organization_name,
    familyName: r.family_name,
    givenName: r.given_name,
    nameHangul: r.name_hangul,
    birthDate: r.birth_date,
    sex: r.sex,
    nationality: r.nationality.trim(),
    passportMasked: maskPassport(r.passport_last4),
    passportExpiry: r.passport_expiry,
    education: r.education,
    role: r.role,
    qualifications: r.qualifications,
    skills: r.skills,
    employedSince: r.employed_since,
    profileMissing: profileMissing(r),
    phone: r.phone,
    email: r.email,
    emergencyContact: r.emergency_contact,
    detainedOn: r.detained_on,
    userId: r.user_id,
    openCases: Number(r.open_cases),
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

const duplicatePassport = () =>
  new ApiError('pipeline.duplicate_passport', {
    errors: [
      fieldError(
        'passportNumber',
        'is already registered in your organization',
        '조직에 이미 등록된 여권번호입니다',
        'duplicate',
      ),
    ],
  });

export const searchTextOf = (w: { familyName: string; givenName: string; nameHangul: string }) =>
  `${w.familyName} ${w.givenName} ${w.givenName} ${w.familyName} ${w.nameHangul} ${w.nameHangul.replace(/\s+/g, '')}`.toLowerCase();

/** Escapes LIKE wildcards in a search term. */
const likeTerm = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listWorkers(
  ctx: ServiceContext,
  query: z.infer<typeof workerListQuerySchema>,
): Promise<{ total: number; items: Worker[] }> {
  const scope = workerScope(ctx.actor, 'w', 1);
  const params: unknown[] = [...scope.params];
  const where = [scope.sql];
  if (query.q) {
    params.push(likeTerm(query.q));
    where.push(`w.search_text LIKE $${params.length}`);
  }
  if (query.organizationId) {
    params.push(query.organizationId);
    where.push(`w.organization_id = $${params.length}`);
  }
  if (query.role) {
    params.push(query.role);
    where.push(`w.role = $${params.length}`);
  }
  if (query.projectId) {
    params.push(query.projectId);
    where.push(`w.id IN (SELECT worker_id FROM assignments WHERE project_id = $${params.length})`);
  }
  const condition = where.join(' AND ');
  const [count] = await ctx.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM workers w WHERE ${condition}`,
    params,
  );
  const rows = await ctx.db.query<WorkerRow>(
    `${workerSelect} WHERE ${condition} ORDER BY w.family_name, w.given_name, w.id
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, query.limit, query.offset],
  );
  return { total: Number(count?.n ?? 0), items: rows.map(toWorker) };
}

export async function visibleWorker(ctx: ServiceContext, id: string, q: Queryable = ctx.db): Promise<Worker> {
  const scope = workerScope(ctx.actor, 'w', 2, { one: true });
  const [row] = await q.query<WorkerRow>(`${workerSelect} WHERE w.id = $1 AND ${scope.sql}`, [
    id,
    ...scope.params,
  ]);
  if (!row) throw new ApiError('resource.not_found');
  return toWorker(row);
}

/** The worker record of the signed-in worker (role `worker`), linked through `workers.user_id`. */
export async function ownWorker(ctx: ServiceContext): Promise<Worker> {
  const [row] = await ctx.db.query<WorkerRow>(`${workerSelect} WHERE w.user_id = $1`, [ctx.actor.userId]);
  if (!row) throw new ApiError('resource.not_found');
  return toWorker(row);
}

function checkDates(
  input: { birthDate?: string; passportExpiry?: string; employedSince?: string; detainedOn?: string | null },
  today: string,
) {
  const errors = [];
  if (input.detainedOn && input.detainedOn > today)
    errors.push(fieldError('detainedOn', 'must not be in the future', '미래 날짜일 수 없습니다'));
  if (input.birthDate && input.birthDate >= today)
    errors.push(fieldError('birthDate', 'must be in the past', '과거 날짜여야 합니다'));
  if (input.employedSince && input.employedSince > today)
    errors.push(fieldError('employedSince', 'must not be in the future', '미래 날짜일 수 없습니다'));
  if (errors.length) throw new ApiError('request.invalid', { errors });
}

export async function createWorker(
  ctx: ServiceContext,
  deps: PipelineDeps,
  input: CreateWorker,
): Promise<Worker> {
  const org = actingOrganization(ctx, input.organizationId);
  checkDates(input, nowOf(deps).toISOString().slice(0, 10));
  const hash = passportHash(deps.cipher, input.passportNumber);
  return ctx.db.transaction(async (tx) => {
    const [dup] = await tx.query('SELECT 1 FROM workers WHERE organization_id = $1 AND passport_hash = $2', [
      org,
      hash,
    ]);
    if (dup) {
      throw duplicatePassport();
    }
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO workers (organization_id, family_name, given_name, name_hangul, birth_date, sex, nationality,
         passport_enc, passport_hash, passport_last4, passport_expiry, education, role, qualifications, skills,
         employed_since, phone, email, emergency_contact, search_text, detained_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
      [
        org,
        input.familyName,
        input.givenName,
        input.nameHangul,
        input.birthDate,
        input.sex,
        input.nationality,
        deps.cipher.encrypt(input.passportNumber, PASSPORT_CONTEXT),
        hash,
        input.passportNumber.slice(-4),
        input.passportExpiry,
        input.education ?? null,
        input.role ?? null,
        JSON.stringify(input.qualifications ?? []),
        JSON.stringify(input.skills ?? []),
        input.employedSince ?? null,
        input.phone ?? null,
        input.email ?? null,
        input.emergencyContact ? JSON.stringify(input.emergencyContact) : null,
        searchTextOf(input),
        input.detainedOn ?? null,
      ],
    );
    const { passportNumber: _secret, ...logged } = input;
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'worker.create',
      targetType: 'worker',
      targetId: row!.id,
      organizationId: org,
      after: { ...logged, passportHash: hash },
    });
    return visibleWorkerAsAdmin(tx, row!.id);
  });
}

async function visibleWorkerAsAdmin(q: Queryable, id: string): Promise<Worker> {
  const [row] = await q.query<WorkerRow>(`${workerSelect} WHERE w.id = $1`, [id]);
  return toWorker(row!);
}

const columns: Record<keyof UpdateWorker, string> = {
  familyName: 'family_name',
  givenName: 'given_name',
  nameHangul: 'name_hangul',
  birthDate: 'birth_date',
  sex: 'sex',
  nationality: 'nationality',
  passportNumber: 'passport_enc',
  passportExpiry: 'passport_expiry',
  education: 'education',
  role: 'role',
  qualifications: 'qualifications',
  skills: 'skills',
  employedSince: 'employed_since',
  phone: 'phone',
  email: 'email',
  emergencyContact: 'emergency_contact',
  detainedOn: 'detained_on',
};

/**
 * Changes a worker. The employer (its admin or staff) may change everything; the worker (own profile) only
 * `ownProfileFields`. A new passport number is checked for duplicates and re-encrypted.
 */
export async function updateWorker(
  ctx: ServiceContext,
  deps: PipelineDeps,
  id: string,
  input: UpdateWorker,
  { own = false } = {},
): Promise<Worker> {
  const before = own ? await ownWorker(ctx) : await visibleWorker(ctx, id);
  if (own) {
    const forbidden = Object.keys(input).filter((k) => !(ownProfileFields as readonly string[]).includes(k));
    if (forbidden.length) {
      throw new ApiError('auth.forbidden', {
        errors: forbidden.map((k) =>
          fieldError(
            k,
            'is kept by your employer; ask your HR contact to change it',
            '고용주가 관리하는 항목입니다. 인사 담당자에게 변경을 요청하세요',
            'forbidden',
          ),
        ),
      });
    }
  } else if (!isPlatformAdmin(ctx.actor) && before.organizationId !== ctx.actor.organizationId) {
    throw new ApiError('worker.not_employer');
  }
  checkDates(input, nowOf(deps).toISOString().slice(0, 10));
  // The creation rule "employed after birth" holds for the record as it will be, one date changed or both.
  if (input.birthDate !== undefined || input.employedSince !== undefined) {
    const birthDate = input.birthDate ?? before.birthDate;
    const employedSince = input.employedSince ?? before.employedSince;
    if (birthDate && employedSince && employedSince < birthDate)
      throw new ApiError('request.invalid', {
        errors: [
          fieldError(
            input.employedSince !== undefined ? 'employedSince' : 'birthDate',
            input.employedSince !== undefined ? 'must be after birthDate' : 'must be before employedSince',
            input.employedSince !== undefined ? '생년월일 이후여야 합니다' : '입사일 이전이어야 합니다',
          ),
        ],
      });
  }
  const updated = await ctx.db.transaction(async (tx) => {
    const sets: string[] = [];
    const params: unknown[] = [];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    for (const [key, value] of Object.entries(input) as [keyof UpdateWorker, unknown][]) {
      if (value === undefined) continue;
      if (key === 'passportNumber') {
        const hash = passportHash(deps.cipher, value as string);
        const [dup] = await tx.query(
          'SELECT 1 FROM workers WHERE organization_id = $1 AND passport_hash = $2 AND id <> $3',
          [before.organizationId, hash, before.id],
        );
        if (dup) {
          throw duplicatePassport();
        }
        set('passport_enc', deps.cipher.encrypt(value as string, PASSPORT_CONTEXT));
        set('passport_hash', hash);
        set('passport_last4', (value as string).slice(-4));
      } else if (key === 'qualifications' || key === 'skills' || key === 'emergencyContact') {
        set(columns[key], value === null ? null : JSON.stringify(value));
      } else {
        set(columns[key], value);
      }
    }
    if (sets.length === 0) return before;
    const merged = { ...before, ...input };
    set('search_text', searchTextOf(merged));
    set('updated_at', nowOf(deps).toISOString());
    params.push(before.id);
    await tx.query(`UPDATE workers SET ${sets.join(', ')} WHERE id = $${params.length}`, params);
    const { passportNumber: _secret, ...logged } = input;
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'worker.update',
      targetType: 'worker',
      targetId: before.id,
      organizationId: before.organizationId,
      before,
      after: { ...logged, passportChanged: input.passportNumber !== undefined },
    });
    return visibleWorkerAsAdmin(tx, before.id);
  });
  // Names show on the case boards.
  boardChanged(ctx.db);
  alertsChanged(ctx.db, updated.organizationId);
  return updated;
}

interface DependentRow {
  id: string;
  worker_id: string;
  relationship: Dependent['relationship'];
  family_name: string;
  given_name: string;
  name_hangul: string | null;
  birth_date: string;
  nationality: string;
  derivative_category: string | null;
  passport_expiry: string | null;
  [key: string]: unknown;
}

const toDependent = (r: DependentRow): Dependent => ({
  id: r.id,
  workerId: r.worker_id,
  relationship: r.relationship,
  familyName: r.family_name,
  givenName: r.given_name,
  nameHangul: r.name_hangul,
  birthDate: r.birth_date,
  nationality: r.nationality.trim(),
  derivativeCategory: r.derivative_category,
  passportExpiry: r.passport_expiry,
});

export async function listDependents(
  ctx: ServiceContext,
  workerId: string,
  own = false,
): Promise<Dependent[]> {
  const worker = own ? await ownWorker(ctx) : await visibleWorker(ctx, workerId);
  const rows = await ctx.db.query<DependentRow>(
    `SELECT id, worker_id, relationship, family_name, given_name, name_hangul, birth_date::text, nationality,
            derivative_category, passport_expiry::text FROM dependents WHERE worker_id = $1
      ORDER BY relationship DESC, birth_date`,
    [worker.id],
  );
  return rows.map(toDependent);
}

export async function addDependent(
  ctx: ServiceContext,
  deps: PipelineDeps,
  workerId: string,
  input: z.infer<typeof createDependentSchema>,
): Promise<Dependent> {
  const worker = await visibleWorker(ctx, workerId);
  if (!isPlatformAdmin(ctx.actor) && worker.organizationId !== ctx.actor.organizationId)
    throw new ApiError('worker.not_employer');
  if (input.birthDate >= nowOf(deps).toISOString().slice(0, 10)) {
    throw new ApiError('request.invalid', {
      errors: [fieldError('birthDate', 'must be in the past', '과거 날짜여야 합니다')],
    });
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.query<DependentRow>(
      `INSERT INTO dependents (worker_id, relationship, family_name, given_name, name_hangul, birth_date, nationality,
         derivative_category, passport_expiry) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, worker_id, relationship, family_name, given_name, name_hangul, birth_date::text, nationality,
         derivative_category, passport_expiry::text`,
      [
        worker.id,
        input.relationship,
        input.familyName,
        input.givenName,
        input.nameHangul ?? null,
        input.birthDate,
        input.nationality,
        input.derivativeCategory ?? null,
        input.passportExpiry ?? null,
      ],
    );
    await recordAudit(tx, auditContextOf(ctx), {
      action: 'dependent.create',
      targetType: 'dependent',
      targetId: row!.id,
      organizationId: worker.organizationId,
      after: input,
    });
    return toDependent(row!);
  });
}
