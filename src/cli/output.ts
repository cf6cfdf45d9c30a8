import { SingleBar, Presets } from 'cli-progress';
import { ApiError } from '../server/http/problem.js';
import { DataDirLockedError } from '../server/db/lock.js';
import { MigrationError } from '../server/db/migrate.js';
import { BackupError } from '../server/backup/backup.js';
import { errorCatalog } from '../contract/errors.js';

/** Exit codes: 1 the operation failed, 2 bad input, 3 the data directory is held by another process. */
export const EXIT = { failed: 1, invalidInput: 2, locked: 3 } as const;

export class CliInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliInputError';
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Writes a readable message for any error to stderr and returns the exit code. */
export function reportError(error: unknown): number {
  const write = (text: string) => process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  if (error instanceof DataDirLockedError) {
    write(`korus: ${error.message}`);
    return EXIT.locked;
  }
  if (error instanceof ApiError) {
    const entry = errorCatalog[error.code];
    const messages = error.options.detail ?? { en: entry.en, ko: entry.ko };
    write(`korus: ${messages.en}\nkorus: ${messages.ko}`);
    for (const e of error.options.errors ?? []) write(`  ${e.path}: ${e.messages.en} / ${e.messages.ko}`);
    return entry.status === 400 || entry.status === 409 ? EXIT.invalidInput : EXIT.failed;
  }
  if (error instanceof CliInputError) {
    write(`korus: ${error.message}`);
    return EXIT.invalidInput;
  }
  if (error instanceof MigrationError || error instanceof BackupError) {
    write(`korus: ${error.message}`);
    return EXIT.failed;
  }
  const err = error as NodeJS.ErrnoException;
  if (err?.code === 'ECONNREFUSED') {
    write(
      `korus: cannot reach the PostgreSQL server of DATABASE_URL (${err.message}).\nkorus: DATABASE_URL의 PostgreSQL 서버에 연결할 수 없습니다.`,
    );
    return EXIT.failed;
  }
  write(`korus: ${err?.message ?? String(error)}`);
  if (process.env.KORUS_DEBUG) write(String(err?.stack ?? ''));
  return EXIT.failed;
}

/** A progress bar on stderr when it is a terminal; periodic lines otherwise (logs, CI). */
export function progress(label: string) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% {value}/{total} {detail}`,
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update(value: number, total: number, detail = '') {
        if (!started) {
          bar.start(total, 0, { detail });
          started = true;
        }
        bar.setTotal(total);
        bar.update(value, { detail });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let lastAt = 0;
  return {
    update(value: number, total: number, detail = '') {
      const now = Date.now();
      if (now - lastAt < 1000 && value !== total) return;
      lastAt = now;
      process.stderr.write(`${label}: ${value}${total ? `/${total}` : ''} ${detail}\n`);
    },
    stop() {},
  };
}
