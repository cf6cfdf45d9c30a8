import { describe, expect, it } from 'vitest';
import { boardCacheSettings, boardChanged, cachedBoard } from './board-cache.js';

describe('the case board cache', () => {
  it('shares one computation within the time to live, and recomputes after it', async () => {
    const db = {};
    let runs = 0;
    const compute = async () => ++runs;
    expect(await cachedBoard(db, 'k', 1_000, compute)).toBe(1);
    expect(await cachedBoard(db, 'k', 1_000 + boardCacheSettings.ttlMs - 1, compute)).toBe(1);
    expect(await cachedBoard(db, 'other', 1_000, compute)).toBe(2);
    expect(await cachedBoard(db, 'k', 1_000 + boardCacheSettings.ttlMs, compute)).toBe(3);
  });

  it('forgets everything on a write, including a computation in flight', async () => {
    const db = {};
    let runs = 0;
    expect(await cachedBoard(db, 'k', 0, async () => ++runs)).toBe(1);
    boardChanged(db);
    expect(await cachedBoard(db, 'k', 0, async () => ++runs)).toBe(2);
    // A computation in flight when a write commits: answered to its caller, but not kept.
    let release!: () => void;
    const slow = cachedBoard(db, 'slow', 0, () => new Promise<number>((r) => (release = () => r(++runs))));
    boardChanged(db);
    release();
    expect(await slow).toBe(3);
    expect(await cachedBoard(db, 'slow', 0, async () => ++runs)).toBe(4);
  });

  it('drops a failed computation, but not a newer one for the same key', async () => {
    const db = {};
    await expect(cachedBoard(db, 'k', 0, () => Promise.reject(new Error('db down')))).rejects.toThrow();
    expect(await cachedBoard(db, 'k', 0, async () => 'ok')).toBe('ok');
    let fail!: () => void;
    const failing = cachedBoard(
      db,
      'j',
      0,
      () => new Promise((_, reject) => (fail = () => reject(new Error('x')))),
    );
    boardChanged(db);
    const fresh = cachedBoard(db, 'j', 0, async () => 'fresh');
    fail();
    await expect(failing).rejects.toThrow();
    expect(await fresh).toBe('fresh');
    expect(await cachedBoard(db, 'j', 0, async () => 'recomputed')).toBe('fresh');
  });
});
