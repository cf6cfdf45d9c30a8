/**
 * A short-lived cache of case boards (decision 033). Twenty people watching the same project's board share one
 * computation for up to `boardCacheSettings.ttlMs` (3 s); any write to cases, batches or workers through this
 * process clears it at once (`boardChanged`), so whoever moves a card sees the move on the next load. A write
 * through another server process shows after at most 3 s. A computation in flight when a write commits is
 * cleared with the rest: its callers get it, later readers get a fresh one.
 */

/** `ttlMs` 0 turns the cache off (bench:pipeline measures both). */
export const boardCacheSettings = { ttlMs: 3_000 };

interface Entry {
  at: number;
  value: Promise<unknown>;
}

const caches = new WeakMap<object, Map<string, Entry>>();
function cacheOf(db: object): Map<string, Entry> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
}

/** Call after a committed change that a board shows (case stage, new case, batch, worker names). */
export function boardChanged(db: object): void {
  cacheOf(db).clear();
}

export function cachedBoard<T>(db: object, key: string, now: number, compute: () => Promise<T>): Promise<T> {
  if (boardCacheSettings.ttlMs <= 0) return compute();
  const cache = cacheOf(db);
  const hit = cache.get(key);
  if (hit && now - hit.at < boardCacheSettings.ttlMs) return hit.value as Promise<T>;
  const entry: Entry = { at: now, value: compute() };
  cache.set(key, entry);
  entry.value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  if (cache.size > 500) cache.delete(cache.keys().next().value!);
  return entry.value as Promise<T>;
}
