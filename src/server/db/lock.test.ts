import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './lock.js';

describe('data directory lock', () => {
  it('refuses a second holder with a message naming the holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-lock-'));
    const lock = lockDataDir(dir, 'korus serve');
    try {
      expect(() => lockDataDir(dir, 'korus migrate')).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir, 'korus migrate')).toThrow(
        /in use by another KORUS process \(pid \d+, "korus serve"\)/,
      );
    } finally {
      lock.release();
    }
    expect(existsSync(join(dir, 'korus.lock'))).toBe(false);
    lockDataDir(dir, 'again').release();
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-lock-'));
    // pid 2^22+1 is above Linux's default pid_max: no such process.
    writeFileSync(
      join(dir, 'korus.lock'),
      JSON.stringify({ pid: 4_194_305, host: hostname(), command: 'dead', since: '2026-01-01T00:00:00Z' }),
    );
    const lock = lockDataDir(dir, 'korus serve');
    lock.release();
  });
});
