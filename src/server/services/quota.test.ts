import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';
import { ApiError } from '../http/problem.js';
import { cliQuotaActor, parameterCatalogue, QuotaLedger, type QuotaCatalogue } from './quota.js';
import { splitIntoPools, type QuotaProgram } from '../../core/quota/index.js';
import type { Reservation } from '../../contract/quota.js';

/** A program with a chosen cap and pools, for the race and spill tests (the real catalogue is tested too). */
function testCatalogue(
  cap: number,
  pools = [{ name: 'general', share: 1 }] as Parameters<typeof splitIntoPools>[2],
): QuotaCatalogue {
  const real = parameterCatalogue();
  return {
    program: (code, fiscalYear) => {
      const base = real.program(code, fiscalYear);
      if (!base || code !== 'E4') return base;
      const program: QuotaProgram = { ...base, cap, pools: splitIntoPools(cap, fiscalYear, pools) };
      return program;
    },
    reservationExpiryDays: () => 30,
  };
}

const actor = cliQuotaActor('test');

async function race(
  ledger: QuotaLedger,
  total: number,
  clients: number,
  poolOf: (i: number) => string | undefined = () => undefined,
  fiscalYear = 2027,
): Promise<Reservation[]> {
  const results: Reservation[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < total; i = next++) {
        const pool = poolOf(i);
        const res = await ledger.reserve(
          actor,
          'E4',
          fiscalYear,
          { caseRef: `case-${i}`, ...(pool ? { pool } : {}) },
          `race-${fiscalYear}-${i}-key`,
        );
        results[i] = res.body;
      }
    }),
  );
  return results;
}

function expectNoSequenceTwice(results: Reservation[]) {
  const seen = new Set<string>();
  for (const r of results) {
    if (r.sequence === null) continue;
    const key = `${r.pool}:${r.sequence}`;
    expect(seen.has(key), `sequence ${key} given twice`).toBe(false);
    seen.add(key);
  }
}

describe.each(testDatabaseKinds)('quota ledger service on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('64 clients racing 20,000 reservations for a 15,000 cap: exactly 15,000 reserved, 5,000 waitlisted', async () => {
    const ledger = new QuotaLedger(db, { catalogue: testCatalogue(15_000), today: () => '2026-11-23' });
    const results = await race(ledger, 20_000, 64);
    expect(results.filter((r) => r.status === 'reserved')).toHaveLength(15_000);
    expect(results.filter((r) => r.status === 'waitlisted')).toHaveLength(5_000);
    expectNoSequenceTwice(results);
    const sequences = results.filter((r) => r.sequence !== null).map((r) => r.sequence!);
    expect(Math.min(...sequences)).toBe(1);
    expect(Math.max(...sequences)).toBe(15_000);
    // Waitlist positions: 1 … 5,000, each once (all requests carry the same priority date).
    const positions = results.filter((r) => r.status === 'waitlisted').map((r) => r.position!);
    expect(new Set(positions).size).toBe(5_000);
    expect(Math.max(...positions)).toBe(5_000);
    const status = await ledger.status(actor, 'E4', 2027);
    expect(status).toMatchObject({
      cap: 15_000,
      reserved: 15_000,
      issued: 0,
      available: 0,
      waitlisted: 5_000,
    });
    const [{ n }] = (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM quota_reservations WHERE fiscal_year = 2027 AND status = 'reserved'`,
    )) as [{ n: number }];
    expect(n).toBe(15_000);
    const verification = await ledger.verify({ program: 'E4', fiscalYear: 2027 });
    expect(verification.ok, JSON.stringify(verification)).toBe(true);

    // Re-sent requests get their first answers; nothing changes.
    const again = await ledger.reserve(actor, 'E4', 2027, { caseRef: 'case-17' }, 'race-2027-17-key');
    expect(again.replayed).toBe(true);
    expect(again.body).toEqual(results[17]);
    await expect(
      ledger.reserve(actor, 'E4', 2027, { caseRef: 'other' }, 'race-2027-17-key'),
    ).rejects.toMatchObject({
      code: 'idempotency.key_reused',
    });
    expect((await ledger.status(actor, 'E4', 2027)).reserved).toBe(15_000);
  });

  it('the same with pools: each pool is filled exactly to its cap', async () => {
    const ledger = new QuotaLedger(db, {
      catalogue: testCatalogue(15_000, [
        { name: 'sme', share: 0.2 },
        { name: 'project_a', share: 0.3 },
        { name: 'general', share: 0.5 },
      ]),
      today: () => '2026-11-23',
    });
    const pools = ['sme', 'project_a', 'general'];
    // 20,000 requests: 4,000 to sme (cap 3,000), 6,000 to project_a (cap 4,500), 10,000 to general (cap 7,500).
    const poolOf = (i: number) => (i % 10 < 2 ? pools[0] : i % 10 < 5 ? pools[1] : pools[2]);
    const results = await race(ledger, 20_000, 64, poolOf, 2028);
    const count = (pool: string, status: string) =>
      results.filter((r) => r.pool === pool && r.status === status).length;
    expect([count('sme', 'reserved'), count('project_a', 'reserved'), count('general', 'reserved')]).toEqual([
      3_000, 4_500, 7_500,
    ]);
    expect([
      count('sme', 'waitlisted'),
      count('project_a', 'waitlisted'),
      count('general', 'waitlisted'),
    ]).toEqual([1_000, 1_500, 2_500]);
    expectNoSequenceTwice(results);
    expect((await ledger.verify({ fiscalYear: 2028 })).ok).toBe(true);
  });

  it('issues, releases and promotes the earliest priority date; refuses bad input and changes nothing', async () => {
    const ledger = new QuotaLedger(db, { catalogue: testCatalogue(2), today: () => '2026-09-01' });
    const reserve = (caseRef: string, priorityDate: string, key: string) =>
      ledger.reserve(actor, 'E4', 2026, { caseRef, priorityDate }, key);
    const a = (await reserve('A', '2026-01-05', 'key-a-0001')).body;
    const b = (await reserve('B', '2026-01-06', 'key-b-0001')).body;
    const late = (await reserve('LATE', '2026-03-01', 'key-late-01')).body;
    const early = (await reserve('EARLY', '2026-02-01', 'key-early-1')).body;
    expect([a.status, b.status, late.status, early.status]).toEqual([
      'reserved',
      'reserved',
      'waitlisted',
      'waitlisted',
    ]);
    expect([late.position, early.position]).toEqual([1, 1]);
    expect((await ledger.reservation(actor, late.id)).position).toBe(2);

    const issued = await ledger.settle(actor, a.id, 'issue', null, 'issue-a-001');
    expect(issued.body).toMatchObject({ status: 'issued', sequence: 1, promoted: null });
    const released = await ledger.settle(actor, b.id, 'release', 'denied', 'release-b-01');
    expect(released.body.status).toBe('released');
    expect(released.body.promoted).toEqual({ id: early.id, sequence: 3 });
    expect((await ledger.reservation(actor, early.id)).status).toBe('reserved');
    expect((await ledger.reservation(actor, late.id)).position).toBe(1);
    // The same release again under its key: the first answer.
    expect((await ledger.settle(actor, b.id, 'release', 'denied', 'release-b-01')).body).toEqual(
      released.body,
    );

    const before = await ledger.status(actor, 'E4', 2026);
    const ledgerRows = await db.query('SELECT count(*)::int AS n FROM quota_ledger');
    const refusals: [() => Promise<unknown>, string][] = [
      [() => ledger.settle(actor, a.id, 'release', 'withdrawn', 'release-a-01'), 'quota.already_issued'],
      [() => ledger.settle(actor, b.id, 'release', 'again', 'release-b-02'), 'quota.already_released'],
      [() => ledger.settle(actor, late.id, 'issue', null, 'issue-late-1'), 'quota.not_reserved'],
      [() => ledger.settle(actor, b.id, 'release', 'other reason', 'release-b-01'), 'idempotency.key_reused'],
      [() => reserve('X', '2026-01-01', 'bad key!'), 'idempotency.key_invalid'],
      [() => ledger.reserve(actor, 'E4', 2026, { caseRef: 'X' }, undefined), 'idempotency.key_required'],
      [() => ledger.reserve(actor, 'E9', 2026, { caseRef: 'X' }, 'key-x-00001'), 'quota.unknown_program'],
      [() => ledger.reserve(actor, 'E3', 2025, { caseRef: 'X' }, 'key-x-00002'), 'quota.fiscal_year_closed'],
      [
        () => ledger.reserve(actor, 'E4', 2029, { caseRef: 'X' }, 'key-x-00003'),
        'quota.fiscal_year_not_open',
      ],
      [
        () => ledger.reserve(actor, 'E4', 2026, { caseRef: 'X', pool: 'nope' }, 'key-x-00004'),
        'quota.unknown_pool',
      ],
      [() => ledger.reserve(actor, 'TN', 2026, { caseRef: 'X' }, 'key-x-00005'), 'quota.uncapped_program'],
    ];
    for (const [promise, code] of refusals) {
      const error = await promise().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, code).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe(code);
    }
    expect(await ledger.status(actor, 'E4', 2026)).toEqual(before);
    expect(await db.query('SELECT count(*)::int AS n FROM quota_ledger')).toEqual(ledgerRows);

    // Closing the year: reservations refused, issue and release go on.
    await ledger.closeYear(actor, 'E4', 2026, 'close-2026-e4');
    await expect(reserve('Y', '2026-01-01', 'key-y-00001')).rejects.toMatchObject({
      code: 'quota.fiscal_year_closed',
    });
    expect((await ledger.settle(actor, early.id, 'issue', null, 'issue-early')).body.status).toBe('issued');
    expect((await ledger.verify({ fiscalYear: 2026 })).ok).toBe(true);
  });

  it('moves unused first-half H-2B numbers to the second half on April 1, and nothing into the next year', async () => {
    let today = '2026-11-23';
    const ledger = new QuotaLedger(db, { today: () => today });
    const first = await ledger.reserve(
      actor,
      'H2B',
      2027,
      { caseRef: 'H2B-1', priorityDate: '2026-12-01' },
      'h2b-first-1',
    );
    expect(first.body.pool).toBe('first_half');
    const s1 = await ledger.status(actor, 'H2B', 2027);
    expect(s1.pools.map((p) => [p.name, p.cap, p.available])).toEqual([
      ['first_half', 33_000, 32_999],
      ['second_half', 33_000, 33_000],
    ]);
    today = '2027-04-01';
    const s2 = await ledger.status(actor, 'H2B', 2027);
    expect(s2.pools.map((p) => [p.name, p.cap, p.available])).toEqual([
      ['first_half', 1, 0],
      ['second_half', 65_999, 65_999],
    ]);
    // A first-half request now lands in the second half; a release of a first-half number returns it there too.
    const late = await ledger.reserve(
      actor,
      'H2B',
      2027,
      { caseRef: 'H2B-2', pool: 'first_half' },
      'h2b-late-01',
    );
    expect(late.body.pool).toBe('second_half');
    await ledger.settle(actor, first.body.id, 'release', 'withdrawn', 'h2b-release-1');
    const s3 = await ledger.status(actor, 'H2B', 2027);
    expect(s3.pools.map((p) => [p.name, p.cap, p.available])).toEqual([
      ['first_half', 0, 0],
      ['second_half', 66_000, 65_999],
    ]);
    expect(s3.cap).toBe(66_000);
    // The next fiscal year starts afresh from the parameters.
    today = '2027-10-02';
    const next = await ledger.status(actor, 'H2B', 2028);
    expect(next.pools.map((p) => p.cap)).toEqual([33_000, 33_000]);
    expect((await ledger.verify({ program: 'H2B' })).ok).toBe(true);
  });

  it('verify names a changed entry and counters that do not add up; the database refuses over-issue', async () => {
    const ledger = new QuotaLedger(db, { today: () => '2026-11-23' });
    for (let i = 0; i < 3; i++)
      await ledger.reserve(actor, 'E3', 2027, { caseRef: `T${i}` }, `tamper-key-${i}`);
    expect((await ledger.verify({ program: 'E3', fiscalYear: 2027 })).ok).toBe(true);
    // The CHECK constraint refuses more numbers out than the cap, whatever the code does.
    await expect(
      db.query(`UPDATE quota_counters SET reserved = cap + 1 WHERE program = 'E3' AND fiscal_year = 2027`),
    ).rejects.toThrow(/check constraint/);
    await db.exec('ALTER TABLE quota_ledger DISABLE TRIGGER quota_ledger_no_update');
    await db.query(
      `UPDATE quota_ledger SET actor = 'forged' WHERE program = 'E3' AND fiscal_year = 2027 AND seq = 2`,
    );
    await db.query(
      `UPDATE quota_counters SET released = released + 1 WHERE program = 'E3' AND fiscal_year = 2027`,
    );
    await db.exec('ALTER TABLE quota_ledger ENABLE TRIGGER quota_ledger_no_update');
    const result = await ledger.verify({ program: 'E3', fiscalYear: 2027 });
    expect(result.ok).toBe(false);
    const problems = result.segments[0]!.problems.join('\n');
    expect(problems).toMatch(/chain broken at entry 2/);
    expect(problems).toMatch(/released: counter 1, entries add up to 0/);
    await expect(db.query(`DELETE FROM quota_ledger WHERE fiscal_year = 2027`)).rejects.toThrow(
      /append-only/,
    );
  });
});
