import type { Database, Queryable } from '../db/database.js';
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
import type { QuotaActor, QuotaLedger } from './quota.js';

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
  [key: string]: unknown;
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

  private lotteryProgram(code: string, fiscalYear: number) {
    const program = this.ledger.program(code, fiscalYear);
    if (program.mode !== 'lottery') throw new ApiError('lottery.not_lottery_program');
    return program;
  }

  async open(actor: QuotaActor, code: string, fiscalYear: number): Promise<RoundRow> {
    const program = this.lotteryProgram(code, fiscalYear);
    const regular = program.pools.find((p) => p.name === 'regular')?.cap ?? program.cap ?? 0;
    const advanced = program.pools.find((p) => p.name === 'advanced_degree')?.cap ?? 0;
    return this.db.transaction(async (tx) => {
      const [exists] = await tx.query(
        'SELECT 1 FROM quota_lottery_rounds WHERE program = $1 AND fiscal_year = $2',
        [program.code, fiscalYear],
      );
      if (exists) throw new ApiError('lottery.exists');
      const [row] = await tx.query<RoundRow>(
        `INSERT INTO quota_lottery_rounds (program, fiscal_year, status, weighted, regular_cap, advanced_cap)
         VALUES ($1, $2, 'open', $3, $4, $5) RETURNING *`,
        [program.code, fiscalYear, program.weightedSelection, regular, advanced],
      );
      await recordAudit(tx, audit(actor), {
        action: 'lottery.open',
        targetType: 'quota_lottery',
        targetId: `${program.code}:${fiscalYear}`,
        organizationId: null,
        after: { weighted: program.weightedSelection, regular, advanced },
      });
      return row!;
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
  ): Promise<{ id: string; beneficiaryHash: string }> {
    const program = this.lotteryProgram(code, fiscalYear);
    const passport = normalizeIdentifier(input.passportNumber);
    const beneficiaryHash = cipher.keyedHash(passport, BENEFICIARY_HASH_PURPOSE);
    return this.db.transaction(async (tx) => {
      const round = await this.round(tx, program.code, fiscalYear, true);
      if (round.status !== 'open') throw new ApiError('lottery.not_open');
      const [row] = await tx.query<{ id: string }>(
        `INSERT INTO quota_lottery_registrations (program, fiscal_year, organization_id, case_ref, beneficiary_hash,
           passport_enc, wage_level, advanced_degree)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (program, fiscal_year, organization_id, beneficiary_hash) DO NOTHING RETURNING id`,
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
      return { id: row.id, beneficiaryHash };
    });
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
  async commit(actor: QuotaActor, code: string, fiscalYear: number, commitment: string): Promise<RoundRow> {
    if (!seedPattern.test(commitment)) throw new ApiError('request.invalid');
    const program = this.lotteryProgram(code, fiscalYear);
    return this.db.transaction(async (tx) => {
      const round = await this.round(tx, program.code, fiscalYear, true);
      if (round.status !== 'open') throw new ApiError('lottery.not_open');
      const entries = await this.entries(tx, program.code, fiscalYear, round.weighted);
      const [row] = await tx.query<RoundRow>(
        `UPDATE quota_lottery_rounds SET status = 'committed', committed_at = now(), seed_commitment = $3,
           entries_digest = $4, entry_count = $5 WHERE program = $1 AND fiscal_year = $2 RETURNING *`,
        [program.code, fiscalYear, commitment, entriesDigest(entries), entries.length],
      );
      await recordAudit(tx, audit(actor), {
        action: 'lottery.commit',
        targetType: 'quota_lottery',
        targetId: `${program.code}:${fiscalYear}`,
        organizationId: null,
        details: { seedCommitment: commitment, entriesDigest: row!.entries_digest, entries: entries.length },
      });
      return row!;
    });
  }

  /** Reveals the seed and stores the selection computed from it and the frozen entries. */
  async draw(actor: QuotaActor, code: string, fiscalYear: number, seed: string): Promise<LotteryResult> {
    if (!seedPattern.test(seed)) throw new ApiError('lottery.seed_mismatch');
    const program = this.lotteryProgram(code, fiscalYear);
    return this.db.transaction(async (tx) => {
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
      return result;
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

  async status(code: string, fiscalYear: number) {
    const program = this.lotteryProgram(code, fiscalYear);
    const round = await this.round(this.db, program.code, fiscalYear);
    const [counts] = await this.db.query<{
      registrations: number;
      beneficiaries: number;
      regular: number;
      advanced: number;
    }>(
      `SELECT count(*)::int AS registrations, count(DISTINCT beneficiary_hash)::int AS beneficiaries,
         count(DISTINCT beneficiary_hash) FILTER (WHERE selected = 'regular')::int AS regular,
         count(DISTINCT beneficiary_hash) FILTER (WHERE selected = 'advanced')::int AS advanced
       FROM quota_lottery_registrations WHERE program = $1 AND fiscal_year = $2`,
      [program.code, fiscalYear],
    );
    return {
      program: program.code,
      fiscalYear,
      status: round.status,
      weighted: round.weighted,
      regularCap: round.regular_cap,
      advancedCap: round.advanced_cap,
      registrations: counts!.registrations,
      beneficiaries: counts!.beneficiaries,
      seedCommitment: round.seed_commitment,
      entriesDigest: round.entries_digest,
      seed: round.status === 'drawn' ? round.seed : null,
      selectedRegular: counts!.regular,
      selectedAdvanced: counts!.advanced,
    };
  }
}
