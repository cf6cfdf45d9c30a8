import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';

/**
 * One process owns a data directory: it starts and stops the embedded PostgreSQL there. It takes an
 * exclusive lock file (created with O_EXCL) holding its pid and the server's socket directory, so other
 * processes can connect to that server instead of starting a second one; a lock left by a process that no
 * longer runs on this host is taken over.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number,
    readonly holderCommand: string,
    readonly holder?: LockContent,
  ) {
    super(
      `The data directory is in use by another KORUS process (pid ${holderPid}${holderCommand ? `, "${holderCommand}"` : ''}).\n` +
        `Stop that process first, or use a different --data-dir. Lock file: ${lockFile}\n` +
        `데이터 디렉터리를 다른 KORUS 프로세스(pid ${holderPid})가 사용 중입니다. 그 프로세스를 먼저 종료하거나 다른 --data-dir를 지정하세요.`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

export interface LockContent {
  pid: number;
  host: string;
  command: string;
  since: string;
  /** The embedded PostgreSQL's socket directory, for other processes to connect to. */
  socketDir?: string;
}

export function lockDataDir(
  dataDir: string,
  command: string,
  extra: Pick<LockContent, 'socketDir'> = {},
): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'korus.lock');
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    command,
    since: new Date().toISOString(),
    ...extra,
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(content));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = readLock(file);
          if (current?.pid === process.pid) unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return { file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(file);
      if (holder && holder.host === hostname() && holder.pid !== process.pid && !isRunning(holder.pid)) {
        // Stale lock of a process that died (kill -9, power loss): take it over.
        try {
          unlinkSync(file);
        } catch {
          /* someone else removed it */
        }
        continue;
      }
      if (!holder) {
        // Being written right now by another process, or unreadable: treat it as held.
        throw new DataDirLockedError(file, 0, 'unknown');
      }
      throw new DataDirLockedError(file, holder.pid, holder.command, holder);
    }
  }
  throw new DataDirLockedError(file, 0, 'unknown');
}

function readLock(file: string): LockContent | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockContent;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
