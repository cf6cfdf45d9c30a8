import type { Database, Queryable, Tx } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { recordAudit } from '../audit/audit.js';
import { normalizeIdentifier, type FieldCipher } from '../crypto/field-encryption.js';
import {
  compareDraws,
  drawLottery,
  entriesDigest,
  lotteryEntries,
  seedCommitment,
  seedPattern,
  type LotteryEntry,
  type LotteryResult,
} from '../../core/quota/index.js';
import type { QuotaActor, QuotaLedger, WriteResult } from './quota.js';

/**
 * The registration lottery of a program and fiscal year (H-1B): open → registrations → commit (the SHA-256 of
 * the seed and the digest of the frozen entry list are published; registration closes) → draw (the seed is
 * revealed; the selection is stored) → anyone can verify. The seed itself is never stored before the draw:
 * the officer keeps it (the CLI writes it to a file readable only by its owner).
 */
export const BENEFICIARY_HASH_PURPOSE = 'quota.lottery.beneficiary';
const PASSPORT_CONTEXT = 'quota_lottery_registrations.passport';

interface RoundRow {
  program: string;
  fiscal_year: number;
  status: 'open' | 'committed' | 'drawn';
  weighted: boolean;
  regular_cap: number;
  advanced_cap: number;
  seed_commitment: string | null;
  entries_digest: string | null;
  entry_count: number | null;
  seed: string | null;
  opened_at: Date | string;
  committed_at: Date | string | null;
  drawn_at: Date | string | null;
  [key: string]: unknown;
}

export interface LotteryStatus {
  program: string;
  fiscalYear: number;
  status: 'open' | 'committed' | 'drawn';
  weighted: boolean;
  regularCap: number;
  advancedCap: number;
  openedAt: string;
  committedAt: string | null;
  drawnAt: string | null;
  registrations: number;
  beneficiaries: number;
  seedCommitment: string | null;
  entriesDigest: string | null;
  entryCount: number | null;
  seed: string | null;
  selectedRegular: number;
  selectedAdvanced: number;
}

export interface LotteryRegistration {
  id: string;
  program: string;
  fiscalYear: number;
  caseRef: string;
  organizationId: string | null;
  /** The passport number's last two characters; the number itself never leaves the server. */
  passportLast2: string;
  wageLevel: number | null;
  advancedDegree: boolean;
  selected: 'regular' | 'advanced' | null;
  createdAt: string;
}

interface RegistrationRow {
  id: string;
  program: string;
  fiscal_year: number;
  organization_id: string | null;
  case_ref: string;
  passport_enc: string;
  wage_level: number | null;
  advanced_degree: boolean;
  selected: 'regular' | 'advanced' | null;
  created_at: Date | string;
  [key: string]: unknown;
}

const REGISTRATION_COLUMNS =
  'id, program, fiscal_year, organization_id, case_ref, passport_enc, wage_level, advanced_degree, selected, created_at';

function toRegistration(r: RegistrationRow, cipher: FieldCipher): LotteryRegistration {
  return {
    id: r.id,
    program: r.program,
    fiscalYear: r.fiscal_year,
    caseRef: r.case_ref,
    organizationId: r.organization_id,
    passportLast2: cipher.decrypt(r.passport_enc, PASSPORT_CONTEXT).slice(-2),
    wageLevel: r.wage_level,
    advancedDegree: r.advanced_degree,
    selected: r.selected,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const audit = (actor: QuotaActor) => ({
  actorUserId: actor.userId,
  actorLabel: actor.label,
  organizationId: actor.organizationId,
  requestId: actor.requestId,
});

export class QuotaLottery {
  constructor(
    private readonly db: Database,
    private readonly ledger: QuotaLedger,
  ) {}

  private async round(q: Queryable, program: string, fiscalYear: number, lock = false): Promise<RoundRow> {
    const [row] = await q.query<RoundRow>(
      `SELECT * FROM quota_lottery_rounds WHERE program = $1 AND fiscal_year = $2${lock ? ' FOR UPDATE' : ''}`,
      [program, fiscalYear],
    );
    if (!row) throw new ApiError('lottery.not_found');
    return row;
  }

  /**
   * Runs a lottery write in one transaction, serialized per round by a transaction-scoped advisory lock. With an
   * idempotency key (the API), the answer is stored and replayed exactly like the ledger's reservations.
   */
  private async write<T>(
    actor: QuotaActor,
    key: string | undefined,
    operation: string,
    request: { program: string; fiscalYear: number } & Record<string, unknown>,
    statusCode: number,
    fn: (tx: Tx) => Promise<T>,
  ): Promise<WriteResult<T>> {
    const lock = (tx: Tx) =>
      tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `lottery:${request.program}:${request.fiscalYear}`,
      ]);
    if (key === undefined) {
      const body = await this.db.transaction(async (tx) => {
        await lock(tx);
        return fn(tx);
      });
      return { statusCode, body, replayed: false };
    }
    return this.ledger.idempotent<T>(
      actor,
      key,
      operation,
      request,
      async (tx) => {
        await lock(tx);
      },
      async (tx) => ({ statusCode, body: await fn(tx) }),
    );
  }

  private lotteryProgram(code: string, fiscalYear: number) {
    const program = this.ledger.program(code, fiscalYear);
    if (program.mode !== 'lottery') throw new ApiError('lottery.not_lottery_program');
    return program;
  }

  async open(
    actor: QuotaActor,
    code: string,
    fiscalYear: number,
    idempotencyKey?: string,
  ): Promise<WriteResult<LotteryStatus>> {
    const program = this.lotteryProgram(code, fiscalYear);
    const regular = program.pools.find((p) => p.name === 'regular')?.cap ?? program.cap ?? 0;
    const advanced = program.pools.find((p) => p.name === 'advanced_degree')?.cap ?? 0;
    const request = { program: program.code, fiscalYear };
    return this.write(actor, idempotencyKey, 'lottery.open', request, 201, async (tx) => {
      const [exists] = await tx.query(
        'SELECT 1 FROM quota_lottery_rounds WHERE program = $1 AND fiscal_year = $2',
        [program.code, fiscalYear],
      );
      if (exists) throw new ApiError('lottery.exists');
      await tx.query(
        `INSERT INTO quota_lottery_rounds (program, fiscal_year, status, weighted, regular_cap, advanced_cap)
         VALUES ($1, $2, 'open', $3, $4, $5)`,
        [program.code, fiscalYear, program.weightedSelection, regular, advanced],
      );
      await recordAudit(tx, audit(actor), {
        action: 'lottery.open',
        targetType: 'quota_lottery',
        targetId: `${program.code}:${fiscalYear}`,
        organizationId: null,
        after: { weighted: program.weightedSelection, regular, advanced },
      });
      return this.statusIn(tx, program.code, fiscalYear);
    });
  }

  /** One registration by an employer; the beneficiary is identified by the keyed hash of the passport number. */
  async register(
    actor: QuotaActor,
    cipher: FieldCipher,
    code: string,
    fiscalYear: number,
    input: {
      caseRef: string;
      passportNumber: string;
      wageLevel: 1 | 2 | 3 | 4 | null;
      advancedDegree: boolean;
      organizationId: string | null;
    },
    idempotencyKey?: string,
  ): Promise<WriteResult<LotteryRegistration>> {
    const program = this.lotteryProgram(code, fiscalYear);
    const passport = normalizeIdentifier(input.passportNumber);
    const beneficiaryHash = cipher.keyedHash(passport, BENEFICIARY_HASH_PURPOSE);
    // The stored request holds the keyed hash, never the passport number itself.
    const request = {
      program: program.code,
      fiscalYear,
      caseRef: input.caseRef,
      beneficiaryHash,
      wageLevel: input.wageLevel,
      advancedDegree: input.advancedDegree,
      organizationId: input.organizationId,
    };
    return this.write(actor, idempotencyKey, 'lottery.register', request, 201, async (tx) => {
      const round = await this.round(tx, program.code, fiscalYear, true);
      if (round.status !== 'open') throw new ApiError('lottery.not_open');
      if (input.organizationId !== null) {
        const [org] = await tx.query('SELECT 1 FROM organizations WHERE id = $1', [input.organizationId]);
        if (!org) throw new ApiError('quota.organization_not_found');
      }
      const [row] = await tx.query<RegistrationRow>(
        `INSERT INTO quota_lottery_registrations (program, fiscal_year, organization_id, case_ref, beneficiary_hash,
           passport_enc, wage_level, advanced_degree)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (program, fiscal_year, organization_id, beneficiary_hash) DO NOTHING
         RETURNING ${REGISTRATION_COLUMNS}`,
        [
          program.code,
          fiscalYear,
          input.organizationId,
          input.caseRef,
          beneficiaryHash,
          cipher.encrypt(passport, PASSPORT_CONTEXT),
          input.wageLevel,
          input.advancedDegree,
        ],
      );
      if (!row) throw new ApiError('resource.conflict');
      await recordAudit(tx, audit(actor), {
        action: 'lottery.register',
        targetType: 'quota_lottery_registration',
        targetId: row.id,
        organizationId: input.organizationId,
        details: {
          program: program.code,
          fiscalYear,
          wageLevel: input.wageLevel,
          advancedDegree: input.advancedDegree,
        },
      });
      return toRegistration(row, cipher);
    });
  }

  /**
   * The organization a registration is filed for: a company files for itself; officers and platform
   * administrators file on behalf of a named organization.
   */
  registrant(actor: QuotaActor, requested: string | undefined): string {
    if (actor.seesAllCases) {
      if (requested === undefined) throw new ApiError('lottery.organization_required');
      return requested;
    }
    if (actor.organizationId === null) throw new ApiError('auth.forbidden');
    if (requested !== undefined && requested !== actor.organizationId) throw new ApiError('auth.forbidden');
    return actor.organizationId;
  }

  /**
   * Registrations of a round: a company sees its own, officers (and the CLI) all. Passport numbers never leave:
   * at most their last two characters.
   */
  async registrations(
    actor: QuotaActor,
    cipher: FieldCipher,
    code: string,
    fiscalYear: number,
    query: { limit: number; offset: number },
  ): Promise<{ total: number; items: LotteryRegistration[] }> {
    const program = this.lotteryProgram(code, fiscalYear);
    await this.round(this.db, program.code, fiscalYear);
    if (!actor.seesAllCases && actor.organizationId === null) return { total: 0, items: [] };
    const scope = actor.seesAllCases ? '' : ' AND organization_id = $3';
    const params: unknown[] = [program.code, fiscalYear];
    if (!actor.seesAllCases) params.push(actor.organizationId);
    const [count] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM quota_lottery_registrations WHERE program = $1 AND fiscal_year = $2${scope}`,
      params,
    );
    const n = params.length;
    const rows = await this.db.query<RegistrationRow>(
      `SELECT ${REGISTRATION_COLUMNS} FROM quota_lottery_registrations
       WHERE program = $1 AND fiscal_year = $2${scope}
       ORDER BY created_at, id LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.limit, query.offset],
    );
    return { total: count!.total, items: rows.map((r) => toRegistration(r, cipher)) };
  }

  private async entries(
    q: Queryable,
    program: string,
    fiscalYear: number,
    weighted: boolean,
  ): Promise<LotteryEntry[]> {
    const rows = await q.query<{
      beneficiary_hash: string;
      wage_level: number | null;
      advanced_degree: boolean;
    }>(
      `SELECT beneficiary_hash, wage_level, advanced_degree FROM quota_lottery_registrations
       WHERE program = $1 AND fiscal_year = $2`,
      [program, fiscalYear],
    );
    return lotteryEntries(
      rows.map((r) => ({
        beneficiary: r.beneficiary_hash,
        wageLevel: r.wage_level as 1 | 2 | 3 | 4 | null,
        advancedDegree: r.advanced_degree,
      })),
      weighted,
    );
  }

  /** Publishes the seed's SHA-256 and freezes the registrations (their digest is published too). */
  async commit(
    actor: QuotaActor,
    code: string,
    fiscalYear: number,
    commitment: string,
    idempotencyKey?: string,
  ): Promise<WriteResult<LotteryStatus>> {
    if (!seedPattern.test(commitment)) throw new ApiError('request.invalid');
    const program = this.lotteryProgram(code, fiscalYear);
    const request = { program: program.code, fiscalYear, commitment };
    return this.write(actor, idempotencyKey, 'lottery.commit', request, 200, async (tx) => {
      const round = await this.round(tx, program.code, fiscalYear, true);
      if (round.status !== 'open') throw new ApiError('lottery.not_open');
      const entries = await this.entries(tx, program.code, fiscalYear, round.weighted);
      const digest = entriesDigest(entries);
      await tx.query(
        `UPDATE quota_lottery_rounds SET status = 'committed', committed_at = now(), seed_commitment = $3,
           entries_digest = $4, entry_count = $5 WHERE program = $1 AND fiscal_year = $2`,
        [program.code, fiscalYear, commitment, digest, entries.length],
      );
      await recordAudit(tx, audit(actor), {
        action: 'lottery.commit',
        targetType: 'quota_lottery',
        targetId: `${program.code}:${fiscalYear}`,
        organizationId: null,
        details: { seedCommitment: commitment, entriesDigest: digest, entries: entries.length },
      });
      return this.statusIn(tx, program.code, fiscalYear);
    });
  }

  /** Reveals the seed and stores the selection computed from it and the frozen entries. */
  async draw(
    actor: QuotaActor,
    code: string,
    fiscalYear: number,
    seed: string,
    idempotencyKey?: string,
  ): Promise<WriteResult<LotteryStatus & { result: LotteryResult }>> {
    if (!seedPattern.test(seed)) throw new ApiError('lottery.seed_mismatch');
    const program = this.lotteryProgram(code, fiscalYear);
    const request = { program: program.code, fiscalYear, seed };
    return this.write(actor, idempotencyKey, 'lottery.draw', request, 200, async (tx) => {
      const round = await this.round(tx, program.code, fiscalYear, true);
      if (round.status !== 'committed') throw new ApiError('lottery.not_committed');
      if (seedCommitment(seed) !== round.seed_commitment) throw new ApiError('lottery.seed_mismatch');
      const entries = await this.entries(tx, program.code, fiscalYear, round.weighted);
      const result = drawLottery(entries, {
        seed,
        regularCap: round.regular_cap,
        advancedCap: round.advanced_cap,
        weighted: round.weighted,
      });
      await tx.query(
        `UPDATE quota_lottery_registrations r SET selected = s.stage
         FROM unnest($3::text[], $4::text[]) AS s(beneficiary, stage)
         WHERE r.program = $1 AND r.fiscal_year = $2 AND r.beneficiary_hash = s.beneficiary`,
        [
          program.code,
          fiscalYear,
          [...result.regular, ...result.advanced],
          [...result.regular.map(() => 'regular'), ...result.advanced.map(() => 'advanced')],
        ],
      );
      await tx.query(
        `UPDATE quota_lottery_rounds SET status = 'drawn', drawn_at = now(), seed = $3 WHERE program = $1 AND fiscal_year = $2`,
        [program.code, fiscalYear, seed],
      );
      await recordAudit(tx, audit(actor), {
        action: 'lottery.draw',
        targetType: 'quota_lottery',
        targetId: `${program.code}:${fiscalYear}`,
        organizationId: null,
        details: { seed, regular: result.regular.length, advanced: result.advanced.length },
      });
      return { ...(await this.statusIn(tx, program.code, fiscalYear)), result };
    });
  }

  /** Recomputes the selection from the revealed seed and the frozen registrations; lists every difference. */
  async verify(code: string, fiscalYear: number, seedOverride?: string) {
    const program = this.lotteryProgram(code, fiscalYear);
    const round = await this.round(this.db, program.code, fiscalYear);
    const seed = seedOverride ?? round.seed;
    if (round.status !== 'drawn' || !seed) throw new ApiError('lottery.not_committed');
    const entries = await this.entries(this.db, program.code, fiscalYear, round.weighted);
    const expected = drawLottery(entries, {
      seed,
      regularCap: round.regular_cap,
      advancedCap: round.advanced_cap,
      weighted: round.weighted,
    });
    const rows = await this.db.query<{ beneficiary_hash: string; selected: 'regular' | 'advanced' }>(
      `SELECT DISTINCT beneficiary_hash, selected FROM quota_lottery_registrations
       WHERE program = $1 AND fiscal_year = $2 AND selected IS NOT NULL`,
      [program.code, fiscalYear],
    );
    const recorded: LotteryResult = {
      regular: rows.filter((r) => r.selected === 'regular').map((r) => r.beneficiary_hash),
      advanced: rows.filter((r) => r.selected === 'advanced').map((r) => r.beneficiary_hash),
    };
    const differences = compareDraws(expected, recorded);
    const commitmentMatches = seedCommitment(seed) === round.seed_commitment;
    const entriesDigestMatches = entriesDigest(entries) === round.entries_digest;
    return {
      ok: differences.length === 0 && commitmentMatches && entriesDigestMatches,
      commitmentMatches,
      entriesDigestMatches,
      differences,
      entries: entries.length,
      selected: { regular: recorded.regular.length, advanced: recorded.advanced.length },
    };
  }

  async status(code: string, fiscalYear: number): Promise<LotteryStatus> {
    const program = this.lotteryProgram(code, fiscalYear);
    return this.statusIn(this.db, program.code, fiscalYear);
  }

  private async statusIn(q: Queryable, program: string, fiscalYear: number): Promise<LotteryStatus> {
    const round = await this.round(q, program, fiscalYear);
    const [counts] = await q.query<{
      registrations: number;
      beneficiaries: number;
      regular: number;
      advanced: number;
    }>(
      `SELECT count(*)::int AS registrations, count(DISTINCT beneficiary_hash)::int AS beneficiaries,
         count(DISTINCT beneficiary_hash) FILTER (WHERE selected = 'regular')::int AS regular,
         count(DISTINCT beneficiary_hash) FILTER (WHERE selected = 'advanced')::int AS advanced
       FROM quota_lottery_registrations WHERE program = $1 AND fiscal_year = $2`,
      [program, fiscalYear],
    );
    const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
    return {
      program,
      fiscalYear,
      status: round.status,
      weighted: round.weighted,
      regularCap: round.regular_cap,
      advancedCap: round.advanced_cap,
      openedAt: new Date(round.opened_at).toISOString(),
      committedAt: iso(round.committed_at),
      drawnAt: iso(round.drawn_at),
      registrations: counts!.registrations,
      beneficiaries: counts!.beneficiaries,
      seedCommitment: round.seed_commitment,
      entriesDigest: round.entries_digest,
      entryCount: round.entry_count,
      seed: round.status === 'drawn' ? round.seed : null,
      selectedRegular: counts!.regular,
      selectedAdvanced: counts!.advanced,
    };
  }
}
