import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKinds, type TestDatabase } from '../testing/databases.js';
import { cliQuotaActor, parameterCatalogue, QuotaLedger, type QuotaCatalogue } from './quota.js';
import { splitIntoPools, type PoolPolicy, type QuotaProgram } from '../../core/quota/index.js';
import { loadParameters } from '../../core/rules/parameters.js';

/**
 * Pool policy changes inside a running fiscal year (docs/decisions/032-mid-year-pool-changes.md): an E-4 of
 * 100 numbers whose split changes on a date within the year.
 */
function catalogueWithChange(
  years: Record<number, { initial: PoolPolicy[]; effective: string; changed: PoolPolicy[] }>,
): QuotaCatalogue {
  const real = parameterCatalogue();
  return {
    program: (code, fiscalYear) => {
      const base = real.program(code, fiscalYear);
      const year = years[fiscalYear];
      if (!base || code !== 'E4' || !year) return base;
      const program: QuotaProgram = {
        ...base,
        cap: 100,
        pools: splitIntoPools(100, fiscalYear, year.initial),
      };
      return program;
    },
    reservationExpiryDays: () => 120,
    poolChanges: (code, fiscalYear) => {
      const year = years[fiscalYear];
      if (code !== 'E4' || !year) return [];
      return [
        {
          effective: year.effective,
          policy: 'test/e4-pools',
          pools: splitIntoPools(100, fiscalYear, year.changed),
        },
      ];
    },
  };
}

const actor = cliQuotaActor('test');
const general = (share: number): PoolPolicy => ({ name: 'general', share });
const sme = (share: number): PoolPolicy => ({ name: 'sme', share });

describe.each(testDatabaseKinds)('mid-year pool policy changes on %s', (kind) => {
  let db: TestDatabase;
  let today = '2027-02-01';
  const catalogue = catalogueWithChange({
    2027: { initial: [general(1)], effective: '2027-03-01', changed: [sme(0.2), general(0.8)] },
    2028: { initial: [sme(0.5), general(0.5)], effective: '2028-01-15', changed: [sme(0.2), general(0.8)] },
  });
  const ledgerNow = () => new QuotaLedger(db, { catalogue, today: () => today, batching: false });
  beforeAll(async () => {
    db = await openTestDatabase(kind);
  });
  afterAll(async () => db?.close());

  it('adds a set-aside from its date: reserved numbers stay, a pool never shrinks below what it holds, applied once', async () => {
    today = '2027-02-01';
    const ledger = ledgerNow();
    for (let i = 0; i < 90; i++)
      await ledger.reserve(actor, 'E4', 2027, { caseRef: `g-${i}` }, `pool-change-2027-${i}`);
    const before = await ledger.status(actor, 'E4', 2027);
    expect(before.pools.map((p) => [p.name, p.cap, p.reserved])).toEqual([['general', 100, 90]]);
    // Before its date, the set-aside does not exist.
    await expect(
      ledger.reserve(actor, 'E4', 2027, { caseRef: 's-0', pool: 'sme' }, 'pool-change-2027-s0'),
    ).rejects.toMatchObject({ code: 'quota.unknown_pool' });

    today = '2027-03-02';
    const after = await ledger.status(actor, 'E4', 2027);
    // The target is 20/80, but general holds 90: it keeps them; sme gets the 10 free numbers.
    expect(after.pools.map((p) => [p.name, p.cap, p.reserved])).toEqual([
      ['sme', 10, 0],
      ['general', 90, 90],
    ]);
    expect(after.cap).toBe(100);
    const sme1 = await ledger.reserve(
      actor,
      'E4',
      2027,
      { caseRef: 's-1', pool: 'sme' },
      'pool-change-2027-s1',
    );
    expect(sme1.body).toMatchObject({ status: 'reserved', pool: 'sme', sequence: 1 });
    const full = await ledger.reserve(actor, 'E4', 2027, { caseRef: 'g-90' }, 'pool-change-2027-90');
    expect(full.body.status).toBe('waitlisted');

    // Another server (a fresh ledger) and another day: the change is not applied again.
    today = '2027-03-03';
    await ledgerNow().status(actor, 'E4', 2027);
    const moves = await db.query<{
      pool: string;
      kind: string;
      d_cap: number;
      details: { shortfall?: unknown };
    }>(
      `SELECT pool, kind, d_cap, details FROM quota_ledger
       WHERE program = 'E4' AND fiscal_year = 2027 AND kind IN ('spill_in', 'spill_out') ORDER BY pool`,
    );
    expect(moves.map((m) => [m.pool, m.kind, m.d_cap])).toEqual([
      ['general', 'spill_out', -10],
      ['sme', 'spill_in', 10],
    ]);
    const [event] = await db.query<{ details: { shortfall: Record<string, number> } }>(
      `SELECT details FROM audit_events WHERE action = 'quota.spill' AND target_id = 'E4:2027'`,
    );
    expect(event!.details.shortfall).toEqual({ sme: 10 });
    expect((await ledger.verify({ program: 'E4', fiscalYear: 2027 })).ok).toBe(true);
  });

  it('grows a pool to its new share from the others’ free numbers and promotes its waitlist', async () => {
    today = '2027-11-01';
    const ledger = ledgerNow();
    for (let i = 0; i < 53; i++)
      await ledger.reserve(actor, 'E4', 2028, { caseRef: `g-${i}` }, `pool-change-2028-g${i}`);
    for (let i = 0; i < 5; i++)
      await ledger.reserve(actor, 'E4', 2028, { caseRef: `s-${i}`, pool: 'sme' }, `pool-change-2028-s${i}`);
    const before = await ledger.status(actor, 'E4', 2028);
    expect(before.pools.map((p) => [p.name, p.cap, p.reserved, p.waitlisted])).toEqual([
      ['sme', 50, 5, 0],
      ['general', 50, 50, 3],
    ]);

    // Two ledgers (two servers) race to apply the change: it is applied once.
    today = '2028-01-20';
    await Promise.all([ledgerNow().status(actor, 'E4', 2028), ledgerNow().status(actor, 'E4', 2028)]);
    const after = await ledger.status(actor, 'E4', 2028);
    expect(after.pools.map((p) => [p.name, p.cap, p.reserved, p.waitlisted])).toEqual([
      ['sme', 20, 5, 0],
      ['general', 80, 53, 0],
    ]);
    const promoted = await db.query<{ sequence: number }>(
      `SELECT sequence FROM quota_reservations WHERE fiscal_year = 2028 AND pool = 'general' AND case_ref IN ('g-50', 'g-51', 'g-52')
       ORDER BY sequence`,
    );
    expect(promoted.map((r) => r.sequence)).toEqual([51, 52, 53]);
    expect((await ledger.verify({ program: 'E4', fiscalYear: 2028 })).ok).toBe(true);
  });

  it('reads mid-year pool changes from the dated policy parameters', () => {
    const parameters = loadParameters();
    // The shipped policy has no change inside a year; a dated value inside FY2027 would be listed.
    expect(parameterCatalogue(parameters).poolChanges!('E4', 2027)).toEqual([]);
    const definition = parameters.parameters.get('policy/quota/e4-pools')!;
    const withChange = {
      ...parameters,
      parameters: new Map(parameters.parameters).set('policy/quota/e4-pools', {
        ...definition,
        values: [
          ...definition.values,
          {
            ...definition.values[0]!,
            effective: '2027-03-01',
            value: {
              pools: [
                { name: 'sme', share: 0.2 },
                { name: 'general', share: 0.8 },
              ],
            },
          },
        ],
      }),
    };
    const changes = parameterCatalogue(withChange).poolChanges!('E4', 2027);
    expect(changes.map((c) => [c.effective, c.pools.map((p) => [p.name, p.cap])])).toEqual([
      [
        '2027-03-01',
        [
          ['sme', 3000],
          ['general', 12000],
        ],
      ],
    ]);
    expect(parameterCatalogue(withChange).poolChanges!('E4', 2028)).toEqual([]);
  });
});
