import { randomUUID } from 'node:crypto';
import {
  canonicalJson,
  chainHash,
  GENESIS_HASH,
  sha256Hex,
  verifyLinks,
  type ChainLink,
} from '../../core/audit/chain.js';
import { fiscalYearEnd, fiscalYearOf, fiscalYearStart, type IsoDate } from '../../core/dates/index.js';
import {
  addCounters,
  availableOf,
  counterProblem,
  defaultPoolOf,
  deltaOf,
  fiscalYearWindow,
  idempotencyKeyPattern,
  isQuotaProgramCode,
  projectExhaustion,
  quotaProgramFor,
  quotaProgramCodes,
  splitIntoPools,
  type PoolPolicy,
  type QuotaPool,
  utilizationSeries,
  zeroCounters,
  type CounterDelta,
  type CounterState,
  type LedgerEntryContent,
  type LedgerKind,
  type QuotaProgram,
  type QuotaProgramCode,
} from '../../core/quota/index.js';
import { loadParameters, parameterAt, type ParameterSet } from '../../core/rules/parameters.js';
import type { Database, Queryable, Tx } from '../db/database.js';
import { ApiError } from '../http/problem.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { seesAllQuotaCases } from '../policies/capabilities.js';
import type { ServiceContext } from './context.js';
import type {
  QuotaStatus,
  QuotaVerification,
  ReserveRequest,
  Reservation,
  ReservationChange,
} from '../../contract/quota.js';

/**
 * The quota ledger's use cases. Hot path: reservations for one pool are applied in batches: while one
 * transaction holds the pool's counter row, the requests that arrive queue up, and the next transaction
 * takes them all (group commit). Each batch is one transaction: lock the counter row, check idempotency keys,
 * append the hash-chained entries, insert the reservations, store the answers, update the counters.
 * See docs/decisions/030-quota-ledger-hot-path.md.
 */

/** Who acts on the ledger: a user of the API, or the CLI. */
export interface QuotaActor {
  label: string;
  userId: string | null;
  organizationId: string | null;
  requestId: string | null;
  /** Idempotency keys are unique per scope: the organization, or the user without one, or the CLI. */
  idempotencyScope: string;
  seesAllCases: boolean;
}

export function quotaActorOf(ctx: ServiceContext): QuotaActor {
  return {
    label: ctx.actor.email,
    userId: ctx.actor.userId,
    organizationId: ctx.actor.organizationId,
    requestId: ctx.requestId,
    idempotencyScope: ctx.actor.organizationId
      ? `org:${ctx.actor.organizationId}`
      : `user:${ctx.actor.userId}`,
    seesAllCases: seesAllQuotaCases(ctx.actor),
  };
}

export function cliQuotaActor(command: string): QuotaActor {
  return {
    label: `cli:${command}`,
    userId: null,
    organizationId: null,
    requestId: null,
    idempotencyScope: 'cli',
    seesAllCases: true,
  };
}

function auditContextOf(actor: QuotaActor): AuditContext {
  return {
    actorUserId: actor.userId,
    actorLabel: actor.label,
    organizationId: actor.organizationId,
    requestId: actor.requestId,
  };
}

/** Program definitions by fiscal year, from the rules parameters (or given, in tests). */
export interface QuotaCatalogue {
  program(code: QuotaProgramCode, fiscalYear: number): QuotaProgram | undefined;
  reservationExpiryDays(asOf: IsoDate): number;
  /**
   * Pool policies taking effect after the fiscal year's first day and within the year, oldest first, each
   * split over the whole annual cap (docs/decisions/032-mid-year-pool-changes.md).
   */
  poolChanges?(code: QuotaProgramCode, fiscalYear: number): PoolChange[];
}

export interface PoolChange {
  /** The parameter value's effective date. */
  effective: IsoDate;
  /** The parameter (for the ledger entries' details). */
  policy: string;
  pools: QuotaPool[];
}

/** The pool policy parameter of each program that has one. */
const POOL_POLICIES: Partial<Record<QuotaProgramCode, string>> = { E4: 'policy/quota/e4-pools' };

function poolPoliciesOf(value: unknown): PoolPolicy[] {
  const pools = (value as { pools?: unknown } | null)?.pools;
  if (!Array.isArray(pools)) return [{ name: 'general', share: 1 }];
  return pools.map((raw) => {
    const p = raw as PoolPolicy;
    return {
      name: p.name,
      share: p.share,
      ...(p.spillOn !== undefined ? { spillOn: p.spillOn } : {}),
      ...(p.spillInto !== undefined ? { spillInto: p.spillInto } : {}),
      ...(p.label !== undefined ? { label: p.label } : {}),
    };
  });
}

export function parameterCatalogue(parameters: ParameterSet = loadParameters()): QuotaCatalogue {
  const changesMemo = new Map<string, PoolChange[]>();
  return {
    program: (code, fiscalYear) => quotaProgramFor(parameters, code, fiscalYear),
    reservationExpiryDays: (asOf) => {
      const value = parameterAt(parameters, 'policy/quota/reservation-expiry-days', asOf)?.value;
      return typeof value === 'number' ? value : 120;
    },
    // Memoized: `program()` asks on every reservation, and the parameters never change while running.
    poolChanges: (code, fiscalYear) => {
      const memo = `${code}:${fiscalYear}`;
      let found = changesMemo.get(memo);
      if (!found) changesMemo.set(memo, (found = poolChangesOf(code, fiscalYear)));
      return found;
    },
  };
  function poolChangesOf(code: QuotaProgramCode, fiscalYear: number): PoolChange[] {
    const id = POOL_POLICIES[code];
    const definition = id ? parameters.parameters.get(id) : undefined;
    if (!id || !definition) return [];
    const start = fiscalYearStart(fiscalYear);
    const end = fiscalYearEnd(fiscalYear);
    const inYear = definition.values.filter((v) => v.effective > start && v.effective <= end);
    const cap = inYear.length ? quotaProgramFor(parameters, code, fiscalYear)?.cap : null;
    if (cap === null || cap === undefined) return [];
    return inYear.map((v) => ({
      effective: v.effective,
      policy: id,
      pools: splitIntoPools(cap, fiscalYear, poolPoliciesOf(parameterAt(parameters, id, v.effective)?.value)),
    }));
  }
}

/** The idempotency scope of expiry releases, shared by every runner so a reservation is released once. */
export const EXPIRY_SCOPE = 'system:expire';

export interface ExpiryResult {
  asOf: IsoDate;
  days: number;
  released: number;
  items: {
    id: string;
    program: string;
    fiscalYear: number;
    pool: string;
    caseRef: string;
    organizationId: string | null;
    promoted: { id: string; sequence: number } | null;
  }[];
}

export interface WriteResult<T> {
  statusCode: number;
  body: T;
  /** The answer is the stored answer to an earlier request with the same key. */
  replayed: boolean;
}

export interface QuotaLedgerOptions {
  catalogue?: QuotaCatalogue;
  /** The ledger's clock (UTC date); tests and the bench set it. */
  today?: () => IsoDate;
  /** Group commit of concurrent reservations (default on); `false` runs one transaction per reservation. */
  batching?: boolean;
  maxBatch?: number;
  /**
   * Also append a global audit event per reservation (measured in bench/quota.ts; off by default: the ledger
   * entry is the audit record of a movement, see docs/decisions/031-quota-ledger-as-audit-record.md).
   */
  auditEachMovement?: boolean;
}

interface CounterRow {
  program: string;
  fiscal_year: number;
  pool: string;
  cap: number;
  reserved: number;
  issued: number;
  released: number;
  waitlisted: number;
  next_sequence: number;
  next_wait: number;
  head_seq: number;
  head_hash: string;
  spill_on: string | null;
  spill_into: string | null;
  spilled_at: Date | null;
  closed_at?: Date | null;
  [key: string]: unknown;
}

interface ReservationRow {
  id: string;
  program: string;
  fiscal_year: number;
  pool: string;
  case_ref: string;
  organization_id: string | null;
  priority_date: string;
  status: Reservation['status'];
  sequence: number | null;
  wait_order: number | null;
  created_at: Date;
  reserved_at: Date | null;
  release_reason: string | null;
  [key: string]: unknown;
}

interface PendingReservation {
  program: QuotaProgram;
  pool: string;
  request: ReserveRequest;
  priorityDate: IsoDate;
  key: string;
  requestHash: string;
  actor: QuotaActor;
  resolve: (result: WriteResult<Reservation>) => void;
  reject: (error: unknown) => void;
}

const nowIso = () => new Date().toISOString();
const todayUtc = () => nowIso().slice(0, 10);

function checkKey(key: string | undefined): string {
  if (key === undefined || key === '') throw new ApiError('idempotency.key_required');
  if (!idempotencyKeyPattern.test(key)) throw new ApiError('idempotency.key_invalid');
  return key;
}

const requestHashOf = (operation: string, request: unknown) =>
  sha256Hex(canonicalJson({ operation, request }));

/** Accumulates ledger entries of one pool inside a transaction and keeps its counters and chain head. */
class Segment {
  readonly entries: (LedgerEntryContent & { prevHash: string; hash: string })[] = [];
  state: CounterState;
  nextSequence: number;
  nextWait: number;
  headSeq: number;
  headHash: string;
  constructor(readonly row: CounterRow) {
    this.state = {
      cap: row.cap,
      reserved: row.reserved,
      issued: row.issued,
      released: row.released,
      waitlisted: row.waitlisted,
    };
    this.nextSequence = row.next_sequence;
    this.nextWait = Number(row.next_wait);
    this.headSeq = Number(row.head_seq);
    this.headHash = row.head_hash;
  }
  get available(): number {
    return availableOf(this.state);
  }
  append(
    kind: LedgerKind,
    actor: QuotaActor,
    at: string,
    fields: {
      reservationId?: string | null;
      sequence?: number | null;
      amount?: number;
      details?: LedgerEntryContent['details'];
    } = {},
  ): void {
    const delta = deltaOf(kind, fields.amount ?? 1);
    const content: LedgerEntryContent = {
      program: this.row.program,
      fiscalYear: this.row.fiscal_year,
      pool: this.row.pool,
      seq: this.headSeq + 1,
      kind,
      reservationId: fields.reservationId ?? null,
      sequence: fields.sequence ?? null,
      delta,
      occurredAt: at,
      actor: actor.label,
      requestId: actor.requestId,
      details: fields.details ?? null,
    };
    const hash = chainHash(this.headHash, content);
    this.entries.push({ ...content, prevHash: this.headHash, hash });
    this.headSeq++;
    this.headHash = hash;
    this.state = addCounters(this.state, delta);
  }
  /**
   * Writes the entries and the counters in one statement; `extra` adds data-modifying CTEs of the caller
   * (numbered from $14) to the same statement, saving round trips on the hot path.
   */
  async flush(
    tx: Queryable,
    extra: { ctes: string[]; params: unknown[] } = { ctes: [], params: [] },
  ): Promise<void> {
    if (this.entries.length === 0) return;
    await tx.query(
      `WITH entries AS (
         INSERT INTO quota_ledger (program, fiscal_year, pool, seq, kind, reservation_id, sequence, d_cap, d_reserved,
           d_issued, d_released, d_waitlisted, occurred_at, actor, request_id, details, prev_hash, hash)
         SELECT program, "fiscalYear", pool, seq, kind, "reservationId", sequence, (delta->>'cap')::int,
           (delta->>'reserved')::int, (delta->>'issued')::int, (delta->>'released')::int, (delta->>'waitlisted')::int,
           "occurredAt", actor, "requestId", details, "prevHash", hash
         FROM json_to_recordset($1::json) AS x(program text, "fiscalYear" int, pool text, seq bigint, kind text,
           "reservationId" uuid, sequence int, delta jsonb, "occurredAt" timestamptz, actor text, "requestId" text,
           details jsonb, "prevHash" text, hash text))${extra.ctes.map((cte) => `,\n${cte}`).join('')}
       UPDATE quota_counters SET cap = $5, reserved = $6, issued = $7, released = $8, waitlisted = $9,
         next_sequence = $10, next_wait = $11, head_seq = $12, head_hash = $13
       WHERE program = $2 AND fiscal_year = $3 AND pool = $4`,
      [
        JSON.stringify(this.entries),
        this.row.program,
        this.row.fiscal_year,
        this.row.pool,
        this.state.cap,
        this.state.reserved,
        this.state.issued,
        this.state.released,
        this.state.waitlisted,
        this.nextSequence,
        this.nextWait,
        this.headSeq,
        this.headHash,
        ...extra.params,
      ],
    );
    this.entries.length = 0;
  }
}

interface StoredAnswer {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: Reservation;
}

const COUNTER_COLUMNS = `c.program, c.fiscal_year, c.pool, c.cap, c.reserved, c.issued, c.released, c.waitlisted,
  c.next_sequence, c.next_wait, c.head_seq, c.head_hash, c.spill_on::text AS spill_on, c.spill_into, c.spilled_at`;

async function lockSegment(
  tx: Queryable,
  program: string,
  fiscalYear: number,
  pool: string,
): Promise<Segment> {
  const [row] = await tx.query<CounterRow>(
    `SELECT ${COUNTER_COLUMNS}, y.closed_at FROM quota_counters c
       JOIN quota_years y ON y.program = c.program AND y.fiscal_year = c.fiscal_year
     WHERE c.program = $1 AND c.fiscal_year = $2 AND c.pool = $3 FOR UPDATE OF c`,
    [program, fiscalYear, pool],
  );
  if (!row) throw new ApiError('quota.unknown_pool');
  return new Segment(row);
}

function toReservation(r: ReservationRow, position: number | null): Reservation {
  return {
    id: r.id,
    status: r.status,
    sequence: r.sequence,
    position,
    program: r.program,
    fiscalYear: r.fiscal_year,
    pool: r.pool,
    caseRef: r.case_ref,
    organizationId: r.organization_id,
    priorityDate: r.priority_date,
    createdAt: new Date(r.created_at).toISOString(),
    releaseReason: r.release_reason,
  };
}

const RESERVATION_COLUMNS = `id, program, fiscal_year, pool, case_ref, organization_id, priority_date::text AS priority_date,
  status, sequence, wait_order, created_at, reserved_at, release_reason`;

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string })?.code === '23505';
}

export class QuotaLedger {
  readonly catalogue: QuotaCatalogue;
  private readonly today: () => IsoDate;
  private readonly batching: boolean;
  private readonly maxBatch: number;
  private readonly auditEachMovement: boolean;
  private readonly queues = new Map<string, PendingReservation[]>();
  private readonly draining = new Set<string>();
  private readonly openedYears = new Set<string>();
  private readonly spillChecked = new Map<string, IsoDate>();
  private readonly knownOrganizations = new Set<string>();

  constructor(
    readonly db: Database,
    options: QuotaLedgerOptions = {},
  ) {
    this.catalogue = options.catalogue ?? parameterCatalogue();
    this.today = options.today ?? todayUtc;
    this.batching = options.batching ?? true;
    this.maxBatch = options.maxBatch ?? 500;
    this.auditEachMovement = options.auditEachMovement ?? false;
  }

  todayDate(): IsoDate {
    return this.today();
  }

  /** The program's definition for the fiscal year, or the bilingual error that explains why there is none. */
  program(code: string, fiscalYear: number): QuotaProgram {
    const upper = code.toUpperCase();
    if (!isQuotaProgramCode(upper)) throw new ApiError('quota.unknown_program');
    const program = this.catalogue.program(upper, fiscalYear);
    if (!program) throw new ApiError('quota.no_cap_for_year');
    const change = this.poolChangesInForce(program).at(-1);
    return change ? { ...program, pools: change.pools } : program;
  }

  /** Pool policy changes of the program's year that have taken effect by today (oldest first). */
  private poolChangesInForce(program: QuotaProgram): PoolChange[] {
    const today = this.today();
    return (this.catalogue.poolChanges?.(program.code, program.fiscalYear) ?? []).filter(
      (c) => c.effective <= today,
    );
  }

  /**
   * Applies pool policy changes that took effect inside the running year, once each (recorded on the year):
   * shares re-apply to the whole cap; a pool never shrinks below what it has reserved and issued; only free
   * numbers move, as `spill_out`/`spill_in` entries; pools that already spilled take no part; the growing
   * pools' waitlists are promoted. One transaction with every counter row locked in pool-name order.
   * See docs/decisions/032-mid-year-pool-changes.md.
   */
  async applyPoolChanges(program: QuotaProgram, actor: QuotaActor): Promise<void> {
    const changes = this.poolChangesInForce(program);
    if (changes.length === 0) return;
    await this.db.transaction(async (tx) => {
      const existing = await tx.query<{ pool: string }>(
        'SELECT pool FROM quota_counters WHERE program = $1 AND fiscal_year = $2 ORDER BY pool',
        [program.code, program.fiscalYear],
      );
      const segments = new Map<string, Segment>();
      for (const { pool } of existing)
        segments.set(pool, await lockSegment(tx, program.code, program.fiscalYear, pool));
      const [year] = await tx.query<{ applied: IsoDate[] | null }>(
        `SELECT definition->'appliedPoolChanges' AS applied FROM quota_years WHERE program = $1 AND fiscal_year = $2`,
        [program.code, program.fiscalYear],
      );
      const applied = new Set(year?.applied ?? []);
      const pending = changes.filter((c) => !applied.has(c.effective));
      if (pending.length === 0) return;
      const at = nowIso();
      for (const change of pending) {
        for (const pool of change.pools) {
          if (segments.has(pool.name)) continue;
          await tx.query(
            `INSERT INTO quota_counters (program, fiscal_year, pool, cap, head_hash, spill_on, spill_into)
             VALUES ($1, $2, $3, 0, $4, $5, $6)`,
            [program.code, program.fiscalYear, pool.name, GENESIS_HASH, pool.spillOn, pool.spillInto],
          );
          const segment = await lockSegment(tx, program.code, program.fiscalYear, pool.name);
          segment.append('open', actor, at, {
            amount: 0,
            details: { initialCap: 0, share: pool.share, policy: change.policy, effective: change.effective },
          });
          segments.set(pool.name, segment);
        }
        const taking = change.pools.filter((p) => !segments.get(p.name)!.row.spilled_at);
        const donors = taking
          .map((p) => ({ seg: segments.get(p.name)!, give: 0 }))
          .map((d) => {
            const target = taking.find((p) => p.name === d.seg.row.pool)!.cap;
            d.give = Math.max(0, Math.min(d.seg.state.cap - target, d.seg.available));
            return d;
          })
          .filter((d) => d.give > 0);
        // Named pools first, `general` last.
        const recipients = [
          ...taking.filter((p) => p.name !== 'general'),
          ...taking.filter((p) => p.name === 'general'),
        ]
          .map((p) => ({ seg: segments.get(p.name)!, need: p.cap - segments.get(p.name)!.state.cap }))
          .filter((r) => r.need > 0);
        const moves: { from: string; into: string; amount: number }[] = [];
        for (const r of recipients) {
          for (const d of donors) {
            const amount = Math.min(r.need, d.give);
            if (amount <= 0) continue;
            const details = { policy: change.policy, effective: change.effective };
            d.seg.append('spill_out', actor, at, { amount, details: { ...details, into: r.seg.row.pool } });
            r.seg.append('spill_in', actor, at, { amount, details: { ...details, from: d.seg.row.pool } });
            d.give -= amount;
            r.need -= amount;
            moves.push({ from: d.seg.row.pool, into: r.seg.row.pool, amount });
          }
        }
        for (const r of recipients) await this.promote(tx, r.seg, actor, at);
        const shortfall = Object.fromEntries(
          recipients.filter((r) => r.need > 0).map((r) => [r.seg.row.pool, r.need]),
        );
        await recordAudit(tx, auditContextOf(actor), {
          action: 'quota.spill',
          targetType: 'quota_year',
          targetId: `${program.code}:${program.fiscalYear}`,
          organizationId: null,
          details: {
            policy: change.policy,
            effective: change.effective,
            moves,
            shortfall,
            caps: Object.fromEntries([...segments].map(([name, seg]) => [name, seg.state.cap])),
          },
        });
        applied.add(change.effective);
      }
      for (const segment of segments.values()) await segment.flush(tx);
      await tx.query(
        `UPDATE quota_years SET definition = jsonb_set(definition::jsonb, '{appliedPoolChanges}', $3::jsonb)
         WHERE program = $1 AND fiscal_year = $2`,
        [program.code, program.fiscalYear, JSON.stringify([...applied].sort())],
      );
    });
  }

  /** Opens the program's fiscal year on first use: one counter row per pool, each chain starting with `open`. */
  async ensureYear(program: QuotaProgram, actor: QuotaActor): Promise<void> {
    const yearKey = `${program.code}:${program.fiscalYear}`;
    if (this.openedYears.has(yearKey)) return;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`quota:${yearKey}`]);
      const [found] = await tx.query('SELECT 1 FROM quota_years WHERE program = $1 AND fiscal_year = $2', [
        program.code,
        program.fiscalYear,
      ]);
      if (found) return;
      await tx.query('INSERT INTO quota_years (program, fiscal_year, definition) VALUES ($1, $2, $3)', [
        program.code,
        program.fiscalYear,
        JSON.stringify(program),
      ]);
      const at = nowIso();
      for (const pool of program.pools) {
        await tx.query(
          `INSERT INTO quota_counters (program, fiscal_year, pool, cap, head_hash, spill_on, spill_into)
           VALUES ($1, $2, $3, 0, $4, $5, $6)`,
          [program.code, program.fiscalYear, pool.name, GENESIS_HASH, pool.spillOn, pool.spillInto],
        );
        const segment = await lockSegment(tx, program.code, program.fiscalYear, pool.name);
        segment.append('open', actor, at, {
          amount: pool.cap,
          details: { initialCap: pool.cap, share: pool.share },
        });
        await segment.flush(tx);
      }
      await recordAudit(tx, auditContextOf(actor), {
        action: 'quota.year_open',
        targetType: 'quota_year',
        targetId: yearKey,
        organizationId: null,
        after: { cap: program.cap, pools: program.pools.map((p) => ({ name: p.name, cap: p.cap })) },
      });
    });
    this.openedYears.add(yearKey);
  }

  /**
   * Moves the unused numbers (and the waitlist) of pools whose spill date has come into the pool they spill
   * into, in one transaction per pool, recorded as ledger movements and one audit event.
   */
  async applyDueSpills(program: QuotaProgram, actor: QuotaActor): Promise<void> {
    const today = this.today();
    const yearKey = `${program.code}:${program.fiscalYear}`;
    if (this.spillChecked.get(yearKey) === today) return;
    await this.applyPoolChanges(program, actor);
    const due = program.pools.filter((p) => p.spillOn !== null && p.spillOn <= today);
    for (const pool of due) {
      await this.db.transaction(async (tx) => {
        const source = await lockSegment(tx, program.code, program.fiscalYear, pool.name);
        if (source.row.spilled_at) return;
        const target = await lockSegment(tx, program.code, program.fiscalYear, pool.spillInto!);
        const at = nowIso();
        const free = source.available;
        if (free > 0) {
          source.append('spill_out', actor, at, { amount: free, details: { into: target.row.pool } });
          target.append('spill_in', actor, at, { amount: free, details: { from: source.row.pool } });
        }
        const waiting = source.state.waitlisted;
        if (waiting > 0) {
          // The spilled pool's waiting requests join the other pool's queue, keeping their priority dates.
          const moved = await tx.query<{ id: string }>(
            `UPDATE quota_reservations r SET pool = $4, wait_order = $5 + m.n - 1
             FROM (SELECT id, row_number() OVER (ORDER BY priority_date, wait_order) AS n FROM quota_reservations
                   WHERE program = $1 AND fiscal_year = $2 AND pool = $3 AND status = 'waitlisted') m
             WHERE r.id = m.id RETURNING r.id`,
            [program.code, program.fiscalYear, pool.name, pool.spillInto, target.nextWait],
          );
          target.nextWait += moved.length;
          source.append('waitlist_out', actor, at, {
            amount: moved.length,
            details: { into: target.row.pool },
          });
          target.append('waitlist_in', actor, at, {
            amount: moved.length,
            details: { from: source.row.pool },
          });
        }
        await this.promote(tx, target, actor, at);
        await source.flush(tx);
        await target.flush(tx);
        await tx.query(
          'UPDATE quota_counters SET spilled_at = $4 WHERE program = $1 AND fiscal_year = $2 AND pool = $3',
          [program.code, program.fiscalYear, pool.name, at],
        );
        await recordAudit(tx, auditContextOf(actor), {
          action: 'quota.spill',
          targetType: 'quota_pool',
          targetId: `${program.code}:${program.fiscalYear}:${pool.name}`,
          organizationId: null,
          details: { into: pool.spillInto, numbers: free, waiting },
        });
      });
    }
    this.spillChecked.set(yearKey, today);
  }

  /** The pool a request finally lands in: its own, or where it spilled once its spill date has come. */
  private resolvePool(program: QuotaProgram, requested: string | undefined, priorityDate: IsoDate): string {
    let name = requested ?? defaultPoolOf(program, priorityDate);
    let pool = program.pools.find((p) => p.name === name);
    if (!pool) {
      throw new ApiError('quota.unknown_pool', {
        errors: [
          {
            path: 'pool',
            code: 'unknown_pool',
            message: `Unknown pool "${name}"`,
            messages: {
              en: `Unknown pool "${name}". Pools: ${program.pools.map((p) => p.name).join(', ')}.`,
              ko: `알 수 없는 풀 "${name}". 가능한 풀: ${program.pools.map((p) => p.name).join(', ')}.`,
            },
          },
        ],
      });
    }
    const today = this.today();
    for (let hops = 0; pool.spillOn !== null && pool.spillOn <= today && hops < 10; hops++) {
      name = pool.spillInto!;
      pool = program.pools.find((p) => p.name === name)!;
    }
    return pool.name;
  }

  private checkWindow(program: QuotaProgram): void {
    const window = fiscalYearWindow(program.fiscalYear, this.today());
    if (window === 'ended') throw new ApiError('quota.fiscal_year_closed');
    if (window === 'not_yet_open') throw new ApiError('quota.fiscal_year_not_open');
  }

  private async checkOrganization(id: string | undefined): Promise<void> {
    if (id === undefined || this.knownOrganizations.has(id)) return;
    const [found] = await this.db.query('SELECT 1 FROM organizations WHERE id = $1', [id]);
    if (!found) throw new ApiError('quota.organization_not_found');
    this.knownOrganizations.add(id);
  }

  /** Reserves a number for a case, or puts the request on the waitlist when none is left. */
  async reserve(
    actor: QuotaActor,
    programCode: string,
    fiscalYear: number,
    request: ReserveRequest,
    idempotencyKey: string | undefined,
  ): Promise<WriteResult<Reservation>> {
    const key = checkKey(idempotencyKey);
    const program = this.program(programCode, fiscalYear);
    if (program.cap === null) throw new ApiError('quota.uncapped_program');
    this.checkWindow(program);
    const priorityDate = request.priorityDate ?? this.today();
    await this.checkOrganization(request.organizationId);
    await this.ensureYear(program, actor);
    await this.applyDueSpills(program, actor);
    const pool = this.resolvePool(program, request.pool, priorityDate);
    const requestHash = requestHashOf('reserve', { program: program.code, fiscalYear, ...request });
    return new Promise<WriteResult<Reservation>>((resolve, reject) => {
      const item: PendingReservation = {
        program,
        pool,
        request,
        priorityDate,
        key,
        requestHash,
        actor,
        resolve,
        reject,
      };
      if (!this.batching) {
        void this.runBatch([item]);
        return;
      }
      const queueKey = `${program.code}:${fiscalYear}:${pool}`;
      const queue = this.queues.get(queueKey) ?? [];
      queue.push(item);
      this.queues.set(queueKey, queue);
      if (!this.draining.has(queueKey)) void this.drain(queueKey);
    });
  }

  private async drain(queueKey: string): Promise<void> {
    this.draining.add(queueKey);
    try {
      for (;;) {
        // Let the callers answered by the last batch submit their next requests first (they resume in
        // microtasks): the next batch then takes them all instead of the first one or two.
        await new Promise((resolve) => setImmediate(resolve));
        const queue = this.queues.get(queueKey);
        if (!queue || queue.length === 0) break;
        const batch = queue.splice(0, this.maxBatch);
        await this.runBatch(batch);
      }
    } finally {
      this.draining.delete(queueKey);
      this.queues.delete(queueKey);
    }
  }

  private async runBatch(batch: PendingReservation[]): Promise<void> {
    // A unique violation means another transaction stored one of our idempotency keys meanwhile (a request
    // for another pool under the same key): the batch is rolled back and re-run, and then sees it.
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.db.transaction((tx) => this.reserveBatch(tx, batch));
        batch.forEach((item, i) => {
          const result = results[i]!;
          if (result instanceof Error) item.reject(result);
          else item.resolve(result);
        });
        return;
      } catch (error) {
        if (isUniqueViolation(error) && attempt < 3) continue;
        for (const item of batch) item.reject(error);
        return;
      }
    }
  }

  private async reserveBatch(
    tx: Tx,
    batch: PendingReservation[],
  ): Promise<(WriteResult<Reservation> | Error)[]> {
    const { program, pool } = batch[0]!;
    const results: (WriteResult<Reservation> | Error | undefined)[] = new Array(batch.length);
    // One round trip: lock the pool's counter row and read the stored answers for the batch's keys. (A key
    // stored by the transaction we waited for is not in this statement's snapshot: inserting it again raises a
    // unique violation, and the batch is re-run, see runBatch.)
    const [locked] = await tx.query<{ segment: CounterRow | null; stored: StoredAnswer[] }>(
      `WITH seg AS (
         SELECT ${COUNTER_COLUMNS}, y.closed_at FROM quota_counters c
           JOIN quota_years y ON y.program = c.program AND y.fiscal_year = c.fiscal_year
         WHERE c.program = $1 AND c.fiscal_year = $2 AND c.pool = $3 FOR UPDATE OF c)
       SELECT (SELECT row_to_json(seg) FROM seg) AS segment,
         (SELECT coalesce(json_agg(json_build_object('scope', i.scope, 'key', i.key, 'request_hash', i.request_hash,
            'status_code', i.status_code, 'response', i.response)), '[]'::json)
          FROM quota_idempotency i JOIN unnest($4::text[], $5::text[]) AS k(scope, key)
            ON i.scope = k.scope AND i.key = k.key) AS stored`,
      [
        program.code,
        program.fiscalYear,
        pool,
        batch.map((b) => b.actor.idempotencyScope),
        batch.map((b) => b.key),
      ],
    );
    if (!locked?.segment) throw new ApiError('quota.unknown_pool');
    const segment = new Segment(locked.segment);
    const stored = locked.stored;
    const storedByKey = new Map(stored.map((s) => [`${s.scope}\n${s.key}`, s]));
    if (segment.row.closed_at) {
      return batch.map((item) => {
        const previous = storedByKey.get(`${item.actor.idempotencyScope}\n${item.key}`);
        if (previous && previous.request_hash === item.requestHash)
          return { statusCode: previous.status_code, body: previous.response, replayed: true };
        return new ApiError('quota.fiscal_year_closed');
      });
    }
    const at = nowIso();
    const fresh = new Map<string, number>();
    const rows: Record<string, unknown>[] = [];
    const answers: Record<string, unknown>[] = [];
    const waiting: { index: number; priorityDate: string }[] = [];
    batch.forEach((item, i) => {
      const id = `${item.actor.idempotencyScope}\n${item.key}`;
      const previous = storedByKey.get(id);
      if (previous) {
        results[i] =
          previous.request_hash === item.requestHash
            ? { statusCode: previous.status_code, body: previous.response, replayed: true }
            : new ApiError('idempotency.key_reused');
        return;
      }
      const twin = fresh.get(id);
      if (twin !== undefined) {
        // The same key twice in one batch: the second gets the first's answer (filled in below).
        results[i] =
          batch[twin]!.requestHash === item.requestHash ? undefined : new ApiError('idempotency.key_reused');
        return;
      }
      fresh.set(id, i);
      const reservationId = randomUUID();
      const reserved = segment.available > 0 && segment.state.waitlisted === 0;
      const sequence = reserved ? segment.nextSequence++ : null;
      const waitOrder = reserved ? null : segment.nextWait++;
      segment.append(reserved ? 'reserve' : 'waitlist', item.actor, at, { reservationId, sequence });
      const body: Reservation = {
        id: reservationId,
        status: reserved ? 'reserved' : 'waitlisted',
        sequence,
        position: null,
        program: program.code,
        fiscalYear: program.fiscalYear,
        pool,
        caseRef: item.request.caseRef,
        organizationId: item.request.organizationId ?? null,
        priorityDate: item.priorityDate,
        createdAt: at,
        releaseReason: null,
      };
      if (!reserved) waiting.push({ index: i, priorityDate: item.priorityDate });
      rows.push({
        id: reservationId,
        pool,
        caseRef: body.caseRef,
        organizationId: body.organizationId,
        priorityDate: body.priorityDate,
        status: body.status,
        sequence,
        waitOrder,
        createdBy: item.actor.label,
      });
      results[i] = { statusCode: 201, body, replayed: false };
    });
    if (waiting.length > 0) {
      // Position in the queue: everyone waiting with an earlier or equal priority date, plus one.
      const dates = [...new Set(waiting.map((w) => w.priorityDate))];
      const ahead = new Map<string, number>();
      if (segment.state.waitlisted > waiting.length) {
        const counts = await tx.query<{ d: string; n: number }>(
          `SELECT d::text AS d, (SELECT count(*)::int FROM quota_reservations r WHERE r.program = $1
             AND r.fiscal_year = $2 AND r.pool = $3 AND r.status = 'waitlisted' AND r.priority_date <= d) AS n
           FROM unnest($4::date[]) AS d`,
          [program.code, program.fiscalYear, pool, dates],
        );
        for (const c of counts) ahead.set(c.d, c.n);
      }
      waiting.forEach((w, j) => {
        const earlierInBatch = waiting.slice(0, j).filter((x) => x.priorityDate <= w.priorityDate).length;
        (results[w.index] as WriteResult<Reservation>).body.position =
          (ahead.get(w.priorityDate) ?? 0) + earlierInBatch + 1;
      });
    }
    batch.forEach((item, i) => {
      if (results[i] === undefined) {
        results[i] = {
          ...(results[fresh.get(`${item.actor.idempotencyScope}\n${item.key}`)!] as WriteResult<Reservation>),
          replayed: true,
        };
      }
    });
    for (const [id, i] of fresh) {
      const result = results[i] as WriteResult<Reservation>;
      const [scope, key] = id.split('\n') as [string, string];
      answers.push({
        scope,
        key,
        requestHash: batch[i]!.requestHash,
        statusCode: 201,
        response: result.body,
      });
    }
    if (rows.length > 0) {
      await segment.flush(tx, {
        ctes: [
          `reservations AS (
           INSERT INTO quota_reservations (id, program, fiscal_year, pool, case_ref, organization_id, priority_date,
             status, sequence, wait_order, created_at, reserved_at, created_by)
           SELECT id, $2, $3, pool, "caseRef", "organizationId", "priorityDate", status, sequence, "waitOrder", $16::timestamptz,
             CASE WHEN status = 'reserved' THEN $16::timestamptz END, "createdBy"
           FROM json_to_recordset($14::json) AS x(id uuid, pool text, "caseRef" text, "organizationId" uuid,
             "priorityDate" date, status text, sequence int, "waitOrder" bigint, "createdBy" text))`,
          `answers AS (
           INSERT INTO quota_idempotency (scope, key, operation, request_hash, status_code, response)
           SELECT scope, key, 'reserve', "requestHash", "statusCode", response
           FROM json_to_recordset($15::json) AS x(scope text, key text, "requestHash" text, "statusCode" int, response jsonb))`,
        ],
        params: [JSON.stringify(rows), JSON.stringify(answers), at],
      });
      if (this.auditEachMovement) {
        for (const row of rows) {
          await recordAudit(tx, auditContextOf(batch[0]!.actor), {
            action: 'quota.reserve',
            targetType: 'quota_reservation',
            targetId: row.id as string,
            organizationId: (row.organizationId as string | null) ?? null,
            after: row,
          });
        }
      }
    }
    return results as (WriteResult<Reservation> | Error)[];
  }

  /** Gives free numbers of a pool to the earliest-priority waiting requests (same transaction). */
  private async promote(
    tx: Queryable,
    segment: Segment,
    actor: QuotaActor,
    at: string,
  ): Promise<{ id: string; sequence: number }[]> {
    const count = Math.min(segment.available, segment.state.waitlisted);
    if (count <= 0) return [];
    const picked = await tx.query<{ id: string }>(
      `SELECT id FROM quota_reservations WHERE program = $1 AND fiscal_year = $2 AND pool = $3 AND status = 'waitlisted'
       ORDER BY priority_date, wait_order LIMIT $4 FOR UPDATE`,
      [segment.row.program, segment.row.fiscal_year, segment.row.pool, count],
    );
    const promoted = picked.map((p) => ({ id: p.id, sequence: segment.nextSequence++ }));
    for (const p of promoted)
      segment.append('promote', actor, at, { reservationId: p.id, sequence: p.sequence });
    await tx.query(
      `UPDATE quota_reservations r SET status = 'reserved', sequence = p.sequence, wait_order = NULL, reserved_at = $2
       FROM json_to_recordset($1::json) AS p(id uuid, sequence int) WHERE r.id = p.id`,
      [JSON.stringify(promoted), at],
    );
    return promoted;
  }

  /** Runs an idempotent write in one transaction: replays a stored answer, refuses a reused key. */
  async idempotent<T>(
    actor: QuotaActor,
    key: string | undefined,
    operation: string,
    request: unknown,
    lockFirst: (tx: Tx) => Promise<void>,
    fn: (tx: Tx) => Promise<{ statusCode: number; body: T }>,
  ): Promise<WriteResult<T>> {
    const checked = checkKey(key);
    const requestHash = requestHashOf(operation, request);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(async (tx) => {
          await lockFirst(tx);
          const [previous] = await tx.query<{ request_hash: string; status_code: number; response: T }>(
            'SELECT request_hash, status_code, response FROM quota_idempotency WHERE scope = $1 AND key = $2',
            [actor.idempotencyScope, checked],
          );
          if (previous) {
            if (previous.request_hash !== requestHash) throw new ApiError('idempotency.key_reused');
            return { statusCode: previous.status_code, body: previous.response, replayed: true };
          }
          const result = await fn(tx);
          await tx.query(
            `INSERT INTO quota_idempotency (scope, key, operation, request_hash, status_code, response)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              actor.idempotencyScope,
              checked,
              operation,
              requestHash,
              result.statusCode,
              JSON.stringify(result.body),
            ],
          );
          return { ...result, replayed: false };
        });
      } catch (error) {
        if (isUniqueViolation(error) && attempt < 3) continue;
        throw error;
      }
    }
  }

  private async reservationRow(tx: Queryable, id: string, lock = false): Promise<ReservationRow | undefined> {
    const [row] = await tx.query<ReservationRow>(
      `SELECT ${RESERVATION_COLUMNS} FROM quota_reservations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row;
  }

  /** Issue (the approval was granted) or release (denied, withdrawn, expired) a reservation. */
  async settle(
    actor: QuotaActor,
    id: string,
    action: 'issue' | 'release',
    reason: string | null,
    idempotencyKey: string | undefined,
  ): Promise<WriteResult<ReservationChange>> {
    checkKey(idempotencyKey);
    let segment: Segment | undefined;
    return this.idempotent<ReservationChange>(
      actor,
      idempotencyKey,
      action,
      { id, reason },
      async (tx) => {
        // Lock the pool's counter row first (the order every writer follows), then the reservation.
        for (;;) {
          const row = await this.reservationRow(tx, id);
          if (!row) throw new ApiError('resource.not_found');
          segment = await lockSegment(tx, row.program, row.fiscal_year, row.pool);
          const again = await this.reservationRow(tx, id, true);
          if (again!.pool === row.pool) return;
        }
      },
      async (tx) => {
        const row = (await this.reservationRow(tx, id, true))!;
        const seg = segment!;
        const at = nowIso();
        let promoted: { id: string; sequence: number } | null = null;
        if (row.status === 'issued') throw new ApiError('quota.already_issued');
        if (row.status === 'released' || row.status === 'withdrawn')
          throw new ApiError('quota.already_released');
        if (action === 'issue') {
          if (row.status !== 'reserved') throw new ApiError('quota.not_reserved');
          seg.append('issue', actor, at, { reservationId: id, sequence: row.sequence });
          await tx.query(`UPDATE quota_reservations SET status = 'issued', issued_at = $2 WHERE id = $1`, [
            id,
            at,
          ]);
          row.status = 'issued';
        } else if (row.status === 'waitlisted') {
          seg.append('withdraw', actor, at, { reservationId: id, details: { reason } });
          await tx.query(
            `UPDATE quota_reservations SET status = 'withdrawn', wait_order = NULL, released_at = $2, release_reason = $3 WHERE id = $1`,
            [id, at, reason],
          );
          row.status = 'withdrawn';
          row.release_reason = reason;
        } else {
          seg.append('release', actor, at, {
            reservationId: id,
            sequence: row.sequence,
            details: { reason },
          });
          await tx.query(
            `UPDATE quota_reservations SET status = 'released', released_at = $2, release_reason = $3 WHERE id = $1`,
            [id, at, reason],
          );
          row.status = 'released';
          row.release_reason = reason;
          // The number returns: to this pool, or (once the pool has spilled) to the pool it spilled into.
          let holder = seg;
          const touched = [seg];
          while (holder.row.spilled_at && holder.row.spill_into) {
            const next = await lockSegment(
              tx,
              holder.row.program,
              holder.row.fiscal_year,
              holder.row.spill_into,
            );
            holder.append('spill_out', actor, at, { amount: 1, details: { into: next.row.pool } });
            next.append('spill_in', actor, at, { amount: 1, details: { from: holder.row.pool } });
            touched.push(next);
            holder = next;
          }
          [promoted = null] = await this.promote(tx, holder, actor, at);
          for (const s of touched.slice(1)) await s.flush(tx);
        }
        await seg.flush(tx);
        return { statusCode: 200, body: { ...toReservation(row, null), promoted } };
      },
    );
  }

  /** Closes a fiscal year early (an officer's decision): nothing more is reserved; issue and release go on. */
  async closeYear(
    actor: QuotaActor,
    programCode: string,
    fiscalYear: number,
    idempotencyKey: string | undefined,
  ): Promise<WriteResult<{ program: string; fiscalYear: number; closedAt: string }>> {
    checkKey(idempotencyKey);
    const program = this.program(programCode, fiscalYear);
    if (program.cap === null) throw new ApiError('quota.uncapped_program');
    await this.ensureYear(program, actor);
    return this.idempotent(
      actor,
      idempotencyKey,
      'close',
      { program: program.code, fiscalYear },
      async (tx) => {
        // Every pool's counter row: a reservation in flight either commits before the closure or sees it.
        await tx.query(
          'SELECT 1 FROM quota_counters WHERE program = $1 AND fiscal_year = $2 ORDER BY pool FOR UPDATE',
          [program.code, fiscalYear],
        );
      },
      async (tx) => {
        const [year] = await tx.query<{ closed_at: Date | null }>(
          'SELECT closed_at FROM quota_years WHERE program = $1 AND fiscal_year = $2',
          [program.code, fiscalYear],
        );
        if (year!.closed_at) throw new ApiError('quota.fiscal_year_closed');
        const at = nowIso();
        await tx.query(
          'UPDATE quota_years SET closed_at = $3, closed_by = $4 WHERE program = $1 AND fiscal_year = $2',
          [program.code, fiscalYear, at, actor.label],
        );
        await recordAudit(tx, auditContextOf(actor), {
          action: 'quota.year_close',
          targetType: 'quota_year',
          targetId: `${program.code}:${fiscalYear}`,
          organizationId: null,
          after: { closedAt: at },
        });
        return { statusCode: 200, body: { program: program.code, fiscalYear, closedAt: at } };
      },
    );
  }

  /**
   * Releases reservations neither issued nor released within the configured number of days. Each release is
   * its own short transaction with the idempotency key `expire:<id>` in one scope shared by every runner
   * (servers' timers, the API, the CLI): when two run at once, each reservation is released once, the other
   * runner gets the stored answer and does not count it. A reservation settled meanwhile is skipped.
   */
  async expireReservations(actor: QuotaActor, asOf: IsoDate = this.today()): Promise<ExpiryResult> {
    const days = this.catalogue.reservationExpiryDays(asOf);
    const due = await this.db.query<{ id: string }>(
      `SELECT id FROM quota_reservations WHERE status = 'reserved' AND reserved_at < ($1::date - $2::int)::timestamptz
       ORDER BY reserved_at, id`,
      [asOf, days],
    );
    const runner: QuotaActor = { ...actor, idempotencyScope: EXPIRY_SCOPE };
    const items: ExpiryResult['items'] = [];
    for (const { id } of due) {
      try {
        const result = await this.settle(runner, id, 'release', `expired after ${days} days`, `expire:${id}`);
        if (result.replayed) continue;
        const r = result.body;
        items.push({
          id: r.id,
          program: r.program,
          fiscalYear: r.fiscalYear,
          pool: r.pool,
          caseRef: r.caseRef,
          organizationId: r.organizationId,
          promoted: r.promoted,
        });
      } catch (error) {
        if (
          error instanceof ApiError &&
          (error.code === 'quota.already_released' || error.code === 'quota.already_issued')
        )
          continue;
        throw error;
      }
    }
    if (items.length > 0) {
      await this.db.transaction((tx) =>
        recordAudit(tx, auditContextOf(actor), {
          action: 'quota.expire',
          targetType: 'quota_reservation',
          targetId: null,
          organizationId: null,
          details: { released: items.length, days, asOf, ids: items.map((i) => i.id) },
        }),
      );
    }
    return { asOf, days, released: items.length, items };
  }

  /**
   * The expiry run behind an idempotency key (the API): a repeated request returns the first answer; the same
   * key with another body is refused. Concurrent runs are safe (see `expireReservations`).
   */
  async expireIdempotent(
    actor: QuotaActor,
    asOf: IsoDate | undefined,
    idempotencyKey: string | undefined,
  ): Promise<WriteResult<ExpiryResult>> {
    const key = checkKey(idempotencyKey);
    const requestHash = requestHashOf('expire', { asOf: asOf ?? null });
    const stored = async () => {
      const [previous] = await this.db.query<{
        request_hash: string;
        status_code: number;
        response: ExpiryResult;
      }>('SELECT request_hash, status_code, response FROM quota_idempotency WHERE scope = $1 AND key = $2', [
        actor.idempotencyScope,
        key,
      ]);
      if (!previous) return undefined;
      if (previous.request_hash !== requestHash) throw new ApiError('idempotency.key_reused');
      return { statusCode: previous.status_code, body: previous.response, replayed: true };
    };
    const first = await stored();
    if (first) return first;
    const body = await this.expireReservations(actor, asOf);
    const [inserted] = await this.db.query(
      `INSERT INTO quota_idempotency (scope, key, operation, request_hash, status_code, response)
       VALUES ($1, $2, 'expire', $3, 200, $4) ON CONFLICT DO NOTHING RETURNING 1`,
      [actor.idempotencyScope, key, requestHash, JSON.stringify(body)],
    );
    if (inserted) return { statusCode: 200, body, replayed: false };
    // Another request with the same key finished first: its answer is the answer.
    return (await stored())!;
  }

  /** Status of a program's fiscal year (definition-only, all zero, until the year is opened by a first use). */
  async status(actor: QuotaActor, programCode: string, fiscalYear: number): Promise<QuotaStatus> {
    const program = this.program(programCode, fiscalYear);
    const today = this.today();
    const window = fiscalYearWindow(fiscalYear, today);
    const [year] = await this.db.query<{ closed_at: Date | null }>(
      'SELECT closed_at FROM quota_years WHERE program = $1 AND fiscal_year = $2',
      [program.code, fiscalYear],
    );
    if (year && window !== 'ended') await this.applyDueSpills(program, actor);
    const rows = year
      ? await this.db.query<CounterRow>(
          `SELECT ${COUNTER_COLUMNS} FROM quota_counters c WHERE c.program = $1 AND c.fiscal_year = $2`,
          [program.code, fiscalYear],
        )
      : [];
    const pools = program.pools.map((pool) => {
      const row = rows.find((r) => r.pool === pool.name);
      const c: CounterState = row
        ? {
            cap: row.cap,
            reserved: row.reserved,
            issued: row.issued,
            released: row.released,
            waitlisted: row.waitlisted,
          }
        : { ...zeroCounters(), cap: pool.cap };
      return {
        name: pool.name,
        label: pool.label,
        share: pool.share,
        initialCap: pool.cap,
        ...c,
        available: availableOf(c),
        spillOn: pool.spillOn,
        spillInto: pool.spillInto,
        spilledAt: row?.spilled_at ? new Date(row.spilled_at).toISOString() : null,
      };
    });
    const sum = (k: 'reserved' | 'issued' | 'released' | 'waitlisted' | 'available') =>
      pools.reduce((s, p) => s + p[k], 0);
    let projection: QuotaStatus['projection'] = null;
    if (program.cap !== null) {
      const series = year ? (await this.utilizationRows(program.code, fiscalYear)).total : [];
      const until = today < fiscalYearEnd(fiscalYear) ? today : fiscalYearEnd(fiscalYear);
      projection = projectExhaustion(utilizationSeries(series, until), sum('available'), until);
    }
    return {
      program: program.code,
      fiscalYear,
      label: program.label,
      legalStatus: program.status,
      mode: program.mode,
      fiscalYearStart: fiscalYearStart(fiscalYear),
      fiscalYearEnd: fiscalYearEnd(fiscalYear),
      state: year?.closed_at ? 'closed' : window,
      opened: year !== undefined,
      cap: program.cap,
      reserved: sum('reserved'),
      issued: sum('issued'),
      released: sum('released'),
      available: program.cap === null ? null : sum('available'),
      waitlisted: sum('waitlisted'),
      pools,
      projection,
      verify: program.verify,
      references: program.references,
      asOf: today,
    };
  }

  private async utilizationRows(program: string, fiscalYear: number) {
    const rows = await this.db.query<{
      pool: string;
      day: string;
      cap: number;
      reserved: number;
      issued: number;
      released: number;
      waitlisted: number;
    }>(
      `SELECT pool, (occurred_at AT TIME ZONE 'UTC')::date::text AS day, sum(d_cap)::int AS cap,
         sum(d_reserved)::int AS reserved, sum(d_issued)::int AS issued, sum(d_released)::int AS released,
         sum(d_waitlisted)::int AS waitlisted
       FROM quota_ledger WHERE program = $1 AND fiscal_year = $2 GROUP BY pool, day ORDER BY day`,
      [program, fiscalYear],
    );
    const byPool = new Map<string, { date: string; delta: CounterDelta }[]>();
    const totals = new Map<string, CounterDelta>();
    for (const r of rows) {
      const delta = {
        cap: r.cap,
        reserved: r.reserved,
        issued: r.issued,
        released: r.released,
        waitlisted: r.waitlisted,
      };
      byPool.set(r.pool, [...(byPool.get(r.pool) ?? []), { date: r.day, delta }]);
      totals.set(r.day, addCounters(totals.get(r.day) ?? zeroCounters(), delta));
    }
    return { byPool, total: [...totals].map(([date, delta]) => ({ date, delta })) };
  }

  /** Utilization over time (a point per UTC day) for the whole program and per pool, and the projection. */
  async utilization(actor: QuotaActor, programCode: string, fiscalYear: number) {
    const program = this.program(programCode, fiscalYear);
    const today = this.today();
    const until = today < fiscalYearEnd(fiscalYear) ? today : fiscalYearEnd(fiscalYear);
    const { byPool, total } = await this.utilizationRows(program.code, fiscalYear);
    const series = utilizationSeries(total, until);
    const status = await this.status(actor, program.code, fiscalYear);
    return {
      program: program.code,
      fiscalYear,
      timeZone: 'UTC' as const,
      series,
      pools: program.pools.map((p) => ({
        pool: p.name,
        series: utilizationSeries(byPool.get(p.name) ?? [], until),
      })),
      projection: status.projection,
    };
  }

  /** The waitlist in promotion order; companies see only their own entries (with their place in the queue). */
  async waitlist(
    actor: QuotaActor,
    programCode: string,
    fiscalYear: number,
    query: { pool?: string | undefined; limit: number; offset: number },
  ) {
    const program = this.program(programCode, fiscalYear);
    const params: unknown[] = [program.code, fiscalYear, query.pool ?? null];
    let visible = '';
    if (!actor.seesAllCases) {
      params.push(actor.organizationId);
      visible = `AND organization_id = $${params.length}`;
    }
    const [{ total } = { total: 0 }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM quota_reservations WHERE program = $1 AND fiscal_year = $2
         AND ($3::text IS NULL OR pool = $3) AND status = 'waitlisted'`,
      params.slice(0, 3),
    );
    params.push(query.limit, query.offset);
    const rows = await this.db.query<ReservationRow & { position: number }>(
      `SELECT * FROM (SELECT ${RESERVATION_COLUMNS},
           row_number() OVER (PARTITION BY pool ORDER BY priority_date, wait_order)::int AS position
         FROM quota_reservations WHERE program = $1 AND fiscal_year = $2 AND ($3::text IS NULL OR pool = $3)
           AND status = 'waitlisted') w
       WHERE true ${visible} ORDER BY pool, position LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      program: program.code,
      fiscalYear,
      total,
      items: rows.map((r) => ({
        position: r.position,
        pool: r.pool,
        priorityDate: r.priority_date,
        id: r.id,
        caseRef: r.case_ref,
        organizationId: r.organization_id,
        createdAt: new Date(r.created_at).toISOString(),
      })),
    };
  }

  /** Reservations of a program's year: all for officers, the organization's own cases for companies. */
  async reservations(
    actor: QuotaActor,
    programCode: string,
    fiscalYear: number,
    query: { status?: string | undefined; pool?: string | undefined; limit: number; offset: number },
  ) {
    const program = this.program(programCode, fiscalYear);
    const params: unknown[] = [program.code, fiscalYear, query.status ?? null, query.pool ?? null];
    let visible = '';
    if (!actor.seesAllCases) {
      params.push(actor.organizationId);
      visible = `AND organization_id = $${params.length}`;
    }
    const where = `WHERE program = $1 AND fiscal_year = $2 AND ($3::text IS NULL OR status = $3)
      AND ($4::text IS NULL OR pool = $4) ${visible}`;
    const [{ total } = { total: 0 }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM quota_reservations ${where}`,
      params,
    );
    const rows = await this.db.query<ReservationRow>(
      `SELECT ${RESERVATION_COLUMNS} FROM quota_reservations ${where}
       ORDER BY created_at, sequence NULLS LAST, wait_order LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.limit, query.offset],
    );
    return { total, items: rows.map((r) => toReservation(r, null)) };
  }

  /** One reservation, with its current place in the queue when it waits; 404 for another organization's case. */
  async reservation(actor: QuotaActor, id: string): Promise<Reservation> {
    const row = await this.reservationRow(this.db, id);
    if (!row || (!actor.seesAllCases && row.organization_id !== actor.organizationId)) {
      throw new ApiError('resource.not_found');
    }
    let position: number | null = null;
    if (row.status === 'waitlisted') {
      const [ahead] = await this.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM quota_reservations WHERE program = $1 AND fiscal_year = $2 AND pool = $3
           AND status = 'waitlisted' AND (priority_date, wait_order) < ($4::date, $5::bigint)`,
        [row.program, row.fiscal_year, row.pool, row.priority_date, row.wait_order],
      );
      position = ahead!.n + 1;
    }
    return toReservation(row, position);
  }

  /** The caps of every program for a fiscal year, side by side (the trade partners' comparison). */
  programs(fiscalYear: number = fiscalYearOf(this.today())) {
    return {
      fiscalYear,
      items: quotaProgramCodes
        .map((code) => this.catalogue.program(code, fiscalYear))
        .filter((p): p is QuotaProgram => p !== undefined)
        .map((p) => ({
          program: p.code,
          label: p.label,
          legalStatus: p.status,
          mode: p.mode,
          cap: p.cap,
          pools: p.pools.map((pool) => ({ name: pool.name, label: pool.label, cap: pool.cap })),
          verify: p.verify,
          references: p.references,
          notes: p.notes,
        })),
    };
  }

  /**
   * Recomputes every pool's chain and sums its entries: the sums must equal the counters, the last entry must
   * be the head recorded in the counter row, and the reservations must agree with the counters.
   */
  async verify(
    filter: { program?: string; fiscalYear?: number } = {},
    onProgress?: (checked: number, total: number) => void,
  ): Promise<QuotaVerification> {
    const counters = await this.db.query<CounterRow>(
      `SELECT ${COUNTER_COLUMNS} FROM quota_counters c WHERE ($1::text IS NULL OR c.program = $1)
         AND ($2::int IS NULL OR c.fiscal_year = $2) ORDER BY c.program, c.fiscal_year, c.pool`,
      [filter.program?.toUpperCase() ?? null, filter.fiscalYear ?? null],
    );
    const [{ total } = { total: 0 }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM quota_ledger WHERE ($1::text IS NULL OR program = $1)
         AND ($2::int IS NULL OR fiscal_year = $2)`,
      [filter.program?.toUpperCase() ?? null, filter.fiscalYear ?? null],
    );
    let checked = 0;
    const segments: QuotaVerification['segments'] = [];
    for (const c of counters) {
      const problems: string[] = [];
      let prev = GENESIS_HASH;
      let sum = zeroCounters();
      let lastSeq = 0;
      let entries = 0;
      for (;;) {
        const rows = await this.db.query<Record<string, unknown>>(
          `SELECT * FROM quota_ledger WHERE program = $1 AND fiscal_year = $2 AND pool = $3 AND seq > $4
           ORDER BY seq LIMIT 5000`,
          [c.program, c.fiscal_year, c.pool, lastSeq],
        );
        if (rows.length === 0) break;
        const links: ChainLink<LedgerEntryContent>[] = rows.map((r) => ({
          seq: Number(r.seq),
          prevHash: r.prev_hash as string,
          hash: r.hash as string,
          entry: {
            program: r.program as string,
            fiscalYear: r.fiscal_year as number,
            pool: r.pool as string,
            seq: Number(r.seq),
            kind: r.kind as LedgerKind,
            reservationId: (r.reservation_id as string | null) ?? null,
            sequence: (r.sequence as number | null) ?? null,
            delta: {
              cap: r.d_cap as number,
              reserved: r.d_reserved as number,
              issued: r.d_issued as number,
              released: r.d_released as number,
              waitlisted: r.d_waitlisted as number,
            },
            occurredAt: new Date(r.occurred_at as Date).toISOString(),
            actor: r.actor as string,
            requestId: (r.request_id as string | null) ?? null,
            details: (r.details as LedgerEntryContent['details']) ?? null,
          },
        }));
        for (const link of links) {
          if (link.seq !== lastSeq + 1) problems.push(`entry ${lastSeq + 1} is missing (found ${link.seq})`);
          lastSeq = link.seq;
          sum = addCounters(sum, link.entry.delta);
        }
        const result = verifyLinks(links, prev);
        if (result.broken && problems.length < 10) {
          problems.push(`chain broken at entry ${result.broken.seq}: ${result.broken.problem}`);
        }
        prev = result.broken ? links[links.length - 1]!.hash : result.lastHash;
        entries += rows.length;
        checked += rows.length;
        onProgress?.(checked, total);
        if (rows.length < 5000) break;
      }
      if (Number(c.head_seq) !== lastSeq)
        problems.push(`counter row names entry ${c.head_seq} as the last, found ${lastSeq}`);
      if (c.head_hash !== prev && Number(c.head_seq) === lastSeq)
        problems.push('counter row head hash differs from the last entry');
      for (const key of ['cap', 'reserved', 'issued', 'released', 'waitlisted'] as const) {
        if (sum[key] !== c[key]) problems.push(`${key}: counter ${c[key]}, entries add up to ${sum[key]}`);
      }
      const impossible = counterProblem({
        cap: c.cap,
        reserved: c.reserved,
        issued: c.issued,
        released: c.released,
        waitlisted: c.waitlisted,
      });
      if (impossible) problems.push(impossible);
      const [r] = await this.db.query<{
        reserved: number;
        issued: number;
        waitlisted: number;
        duplicates: number;
        max_seq: number | null;
      }>(
        `SELECT count(*) FILTER (WHERE status = 'reserved')::int AS reserved,
                count(*) FILTER (WHERE status = 'issued')::int AS issued,
                count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted,
                (count(sequence) - count(DISTINCT sequence))::int AS duplicates,
                max(sequence) AS max_seq
         FROM quota_reservations WHERE program = $1 AND fiscal_year = $2 AND pool = $3`,
        [c.program, c.fiscal_year, c.pool],
      );
      for (const key of ['reserved', 'issued', 'waitlisted'] as const) {
        if (r![key] !== c[key]) problems.push(`${key}: counter ${c[key]}, reservations ${r![key]}`);
      }
      if (r!.duplicates > 0) problems.push(`${r!.duplicates} sequence numbers given twice`);
      if (r!.max_seq !== null && r!.max_seq >= c.next_sequence)
        problems.push('a sequence number beyond the counter');
      segments.push({
        program: c.program,
        fiscalYear: c.fiscal_year,
        pool: c.pool,
        entries,
        ok: problems.length === 0,
        problems,
      });
    }
    return { ok: segments.every((s) => s.ok), segments };
  }
}

/** A request's idempotency key from the header value(s). */
export function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (Array.isArray(header)) return header.length === 1 ? header[0] : '\u0000';
  return header;
}

export type { IsoDate };
