import type { PoolPolicy } from '../quota/programs.js';

/**
 * Visas in proportion to contribution (issue 20, item 3): a quota pool policy derived from the ledger. The cap is
 * split into an SME set-aside (`smeShare`, for partner SMEs' workers), one pool per investor, and `general` (what
 * rounding leaves). Each investor's weight is `investmentWeight` × its share of the money disbursed by all the
 * investors plus (1 − `investmentWeight`) × its share of the trainee-hours delivered on its projects (its
 * partners' included). An investor with neither gets no pool; a pool once published is kept at share 0 rather than
 * dropped (a running year's pools are never removed: decision 032). Pure; the shares are exact fractions of the cap
 * and `splitIntoPools` turns them into whole numbers (floor per pool, the rest to `general`), so the pools add up
 * to the cap exactly and the set-aside is floor(cap × smeShare).
 */
export interface PolicyParameters {
  /** Weight of investment against training, 0..1. */
  investmentWeight: number;
  /** Share of the cap set aside for partner SMEs, 0..1. */
  smeShare: number;
  /** Share kept in `general` for everyone else (firms with no investor pool), 0..1. */
  generalShare: number;
}

export interface InvestorInput {
  organizationId: string;
  name: string;
  /** USD disbursed on its projects by the cut-off date. */
  disbursedUsd: number;
  /** Trainee-hours delivered on its projects (partners' sessions included) by the cut-off date. */
  traineeHours: number;
}

export interface InvestorShare extends InvestorInput {
  pool: string;
  investmentShare: number;
  trainingShare: number;
  weight: number;
  /** Share of the whole cap. */
  share: number;
}

export interface DerivedPolicy {
  investors: InvestorShare[];
  pools: PoolPolicy[];
}

/** A pool name for an investor: `inv_` and the first 12 hex digits of its id (stable across versions). */
export function investorPool(organizationId: string): string {
  return `inv_${organizationId.replace(/-/g, '').slice(0, 12).toLowerCase()}`;
}

export function derivePoolPolicy(
  parameters: PolicyParameters,
  investors: readonly InvestorInput[],
  keepPools: readonly string[] = [],
): DerivedPolicy {
  const { investmentWeight: a, smeShare, generalShare } = parameters;
  for (const [k, v] of [
    ['investmentWeight', a],
    ['smeShare', smeShare],
    ['generalShare', generalShare],
  ] as const)
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${k} must be between 0 and 1`);
  if (smeShare + generalShare > 1 + 1e-12) throw new RangeError('smeShare + generalShare must not exceed 1');
  const money = investors.reduce((s, i) => s + Math.max(0, i.disbursedUsd), 0);
  const hours = investors.reduce((s, i) => s + Math.max(0, i.traineeHours), 0);
  // With no money (or no training) anywhere, the other measure decides alone.
  const wMoney = money > 0 ? (hours > 0 ? a : 1) : 0;
  const wHours = hours > 0 ? 1 - wMoney : 0;
  const forInvestors = wMoney + wHours > 0 ? 1 - smeShare - generalShare : 0;
  const shares: InvestorShare[] = [...investors]
    .sort((x, y) => x.organizationId.localeCompare(y.organizationId))
    .map((i) => {
      const investmentShare = money > 0 ? Math.max(0, i.disbursedUsd) / money : 0;
      const trainingShare = hours > 0 ? Math.max(0, i.traineeHours) / hours : 0;
      const weight = wMoney * investmentShare + wHours * trainingShare;
      return { ...i, pool: investorPool(i.organizationId), investmentShare, trainingShare, weight, share: forInvestors * weight }; // prettier-ignore
    });
  const pools: PoolPolicy[] = [];
  if (smeShare > 0 || keepPools.includes('sme'))
    pools.push({ name: 'sme', share: smeShare, label: { en: 'Partner SMEs', ko: '중소 협력사' } });
  for (const s of shares)
    if (s.share > 0 || keepPools.includes(s.pool))
      pools.push({ name: s.pool, share: s.share, label: { en: s.name, ko: s.name } });
  for (const name of keepPools)
    if (name !== 'general' && !pools.some((p) => p.name === name)) pools.push({ name, share: 0 });
  const named = pools.reduce((sum, p) => sum + p.share, 0);
  pools.push({ name: 'general', share: Math.max(0, 1 - named), label: { en: 'General', ko: '일반' } });
  // The shares add up to 1 exactly (floating point): the rest is general's.
  const last = pools.at(-1)!;
  last.share = Math.max(0, last.share + (1 - pools.reduce((sum, p) => sum + p.share, 0)));
  return { investors: shares, pools };
}
