import { createHash } from 'node:crypto';

/**
 * Hash chain shared by the audit log and the quota ledger: each entry's hash covers the previous hash
 * and the entry's canonical JSON, so changing, removing or reordering any entry breaks every later link.
 */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Digest of a record's state before or after a change (null when there is no such state). */
export function stateDigest(state: unknown): string | null {
  return state === null || state === undefined ? null : sha256Hex(canonicalJson(state));
}

export function chainHash(prevHash: string, entry: unknown): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(entry)}`);
}

export interface ChainLink<E> {
  seq: number;
  prevHash: string;
  hash: string;
  entry: E;
}

export type ChainBreak =
  | { seq: number; problem: 'prev_hash_mismatch'; expected: string; found: string }
  | { seq: number; problem: 'hash_mismatch'; expected: string; found: string };

/**
 * Checks links in order; `previousHash` is the hash of the link before the first one given. Every break is
 * reported, not only the first: after a broken link the check goes on from the hash stored in it, so one bad
 * link cannot hide a later one. `broken` is the first break (kept for callers that stop there).
 */
export function verifyLinks<E>(
  links: Iterable<ChainLink<E>>,
  previousHash = GENESIS_HASH,
): {
  lastHash: string;
  checked: number;
  broken: ChainBreak | undefined;
  breaks: ChainBreak[];
} {
  let prev = previousHash;
  let checked = 0;
  const breaks: ChainBreak[] = [];
  for (const link of links) {
    if (link.prevHash !== prev) {
      breaks.push({ seq: link.seq, problem: 'prev_hash_mismatch', expected: prev, found: link.prevHash });
    } else {
      const expected = chainHash(prev, link.entry);
      if (expected !== link.hash)
        breaks.push({ seq: link.seq, problem: 'hash_mismatch', expected, found: link.hash });
    }
    prev = link.hash;
    checked++;
  }
  return { lastHash: prev, checked, broken: breaks[0], breaks };
}

/**
 * The form in which a value is stored: PostgreSQL keeps text as UTF-8, where an unpaired surrogate becomes
 * U+FFFD and NUL cannot be stored at all. Hashing this form means the digest covers exactly what is kept.
 */
export function storable<T>(value: T): T {
  if (typeof value === 'string')
    return value
      .replace(/\u0000/g, '\uFFFD')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD') as T;
  if (Array.isArray(value)) return value.map(storable) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [storable(k), storable(v)]),
    ) as T;
  }
  return value;
}
