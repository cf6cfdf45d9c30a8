import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/chain.js';

/**
 * The registration lottery (H-1B style), deterministic and verifiable:
 *  - one entry per beneficiary, whatever the number of employers registering them (8 CFR 214.2(h)(8)(iii)(A),
 *    beneficiary-centric selection since FY2025); the identity is a keyed hash of the passport number;
 *  - optional weights by wage level, IV/III/II/I = 4/3/2/1 entries (DHS weighted-selection rule, FY2027 season),
 *    taking the beneficiary's lowest wage level among their registrations;
 *  - selection for the regular cap first among all entries, then for the advanced-degree cap among the
 *    advanced-degree entries not yet selected (INA 214(g)(5)(C); 8 CFR 214.2(h)(8)(iii)(A)(6));
 *  - the seed is committed (its SHA-256 published) before the draw and revealed after, so anyone holding the
 *    frozen registration list can recompute the selection.
 *
 * Algorithm: weighted sampling without replacement by exponential keys (Efraimidis–Spirakis): each entry gets
 * u ∈ (0,1) from SHA-256(seed, stage, beneficiary) and the key −ln(u)/weight; the `cap` smallest keys win.
 * The result does not depend on the order of the list, and each entry's key can be checked on its own.
 */
export interface LotteryRegistration {
  beneficiary: string;
  wageLevel: 1 | 2 | 3 | 4 | null;
  advancedDegree: boolean;
}

export interface LotteryEntry {
  beneficiary: string;
  /** 1 when unweighted or when no wage level was given. */
  weight: number;
  advancedDegree: boolean;
  /** How many registrations name this beneficiary. */
  registrations: number;
}

export interface LotteryParameters {
  seed: string;
  regularCap: number;
  advancedCap: number;
  weighted: boolean;
}

export interface LotteryResult {
  /** Selected beneficiaries in selection order (smallest key first). */
  regular: string[];
  advanced: string[];
}

export const seedPattern = /^[0-9a-f]{64}$/;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What is published before the draw: SHA-256 of the seed (64 lower-case hex characters, as text). */
export function seedCommitment(seed: string): string {
  return sha256Hex(seed);
}

/** Merges registrations into one entry per beneficiary (lowest wage level; advanced degree only if all say so). */
export function lotteryEntries(
  registrations: readonly LotteryRegistration[],
  weighted: boolean,
): LotteryEntry[] {
  const byBeneficiary = new Map<string, { wage: number | null; advanced: boolean; count: number }>();
  for (const r of registrations) {
    const seen = byBeneficiary.get(r.beneficiary);
    if (!seen) {
      byBeneficiary.set(r.beneficiary, { wage: r.wageLevel, advanced: r.advancedDegree, count: 1 });
      continue;
    }
    seen.count++;
    seen.advanced = seen.advanced && r.advancedDegree;
    if (r.wageLevel !== null) seen.wage = seen.wage === null ? r.wageLevel : Math.min(seen.wage, r.wageLevel);
  }
  return [...byBeneficiary]
    .map(([beneficiary, e]) => ({
      beneficiary,
      weight: weighted && e.wage !== null ? e.wage : 1,
      advancedDegree: e.advanced,
      registrations: e.count,
    }))
    .sort((a, b) => (a.beneficiary < b.beneficiary ? -1 : a.beneficiary > b.beneficiary ? 1 : 0));
}

/** Digest of the frozen entry list (sorted by beneficiary), published with the commitment. */
export function entriesDigest(entries: readonly LotteryEntry[]): string {
  return sha256Hex(canonicalJson(entries.map((e) => [e.beneficiary, e.weight, e.advancedDegree])));
}

/** u ∈ (0, 1) from 52 bits of SHA-256(seed ‖ stage ‖ beneficiary). */
export function uniformOf(seed: string, stage: 'regular' | 'advanced', beneficiary: string): number {
  const hex = sha256Hex(`${seed}\n${stage}\n${beneficiary}`).slice(0, 13);
  return (parseInt(hex, 16) + 0.5) / 2 ** 52;
}

export function selectionKey(seed: string, stage: 'regular' | 'advanced', entry: LotteryEntry): number {
  return -Math.log(uniformOf(seed, stage, entry.beneficiary)) / entry.weight;
}

function pick(
  entries: readonly LotteryEntry[],
  seed: string,
  stage: 'regular' | 'advanced',
  cap: number,
): string[] {
  return entries
    .map((e) => ({ beneficiary: e.beneficiary, key: selectionKey(seed, stage, e) }))
    .sort((a, b) => a.key - b.key || (a.beneficiary < b.beneficiary ? -1 : 1))
    .slice(0, Math.max(0, cap))
    .map((e) => e.beneficiary);
}

export function drawLottery(entries: readonly LotteryEntry[], params: LotteryParameters): LotteryResult {
  if (!seedPattern.test(params.seed)) throw new Error('the seed must be 64 lower-case hex characters');
  const regular = pick(entries, params.seed, 'regular', params.regularCap);
  const chosen = new Set(regular);
  const advanced = pick(
    entries.filter((e) => e.advancedDegree && !chosen.has(e.beneficiary)),
    params.seed,
    'advanced',
    params.advancedCap,
  );
  return { regular, advanced };
}

export interface DrawDifference {
  beneficiary: string;
  expected: 'regular' | 'advanced' | 'not_selected';
  recorded: 'regular' | 'advanced' | 'not_selected';
}

/** Compares a recorded selection with the one recomputed from the revealed seed; empty when they agree. */
export function compareDraws(expected: LotteryResult, recorded: LotteryResult): DrawDifference[] {
  const label = (r: LotteryResult) => {
    const m = new Map<string, 'regular' | 'advanced'>();
    for (const b of r.regular) m.set(b, 'regular');
    for (const b of r.advanced) m.set(b, 'advanced');
    return m;
  };
  const e = label(expected);
  const r = label(recorded);
  const differences: DrawDifference[] = [];
  for (const beneficiary of new Set([...e.keys(), ...r.keys()])) {
    const a = e.get(beneficiary) ?? 'not_selected';
    const b = r.get(beneficiary) ?? 'not_selected';
    if (a !== b) differences.push({ beneficiary, expected: a, recorded: b });
  }
  return differences.sort((x, y) => (x.beneficiary < y.beneficiary ? -1 : 1));
}
