// Processes the HTTP benchmarks start: `korus serve` (the compiled one, as a user runs it) and the bare Fastify
// hello-world that anchors every HTTP figure. Every process started here is stopped when the bench exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { root } from './common.js';

export const korusBin = join(root, 'bin', 'korus.js');
const started = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(m);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('close', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((r) => child.on('close', r));
  child.kill('SIGTERM');
  await closed;
  started.delete(child);
}

export interface KorusProcess {
  child: ChildProcess;
  port: number;
  readyMs: number;
}

/** `korus serve` on a data directory (or DATABASE_URL in env), timed from spawn to `/readyz` = 200. */
export async function startKorus(options: {
  bin?: string;
  dataDir: string;
  port: number;
  env?: Record<string, string>;
  args?: string[];
}): Promise<KorusProcess> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      options.bin ?? korusBin,
      'serve',
      '--data-dir',
      options.dataDir,
      '--port',
      String(options.port),
      '--host',
      '127.0.0.1',
      ...(options.args ?? []),
    ],
    {
      env: {
        ...process.env,
        DATABASE_URL: '',
        KORUS_LOG_LEVEL: 'warn',
        KORUS_ALERTS_ENABLED: 'false',
        KORUS_QUOTA_EXPIRY_INTERVAL: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  started.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`korus serve exited before it was ready: ${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${options.port}/readyz`);
      if (res.status === 200) return { child, port: options.port, readyMs: performance.now() - t0 };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The bare Fastify hello-world in a process of its own. */
export async function startHello(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'hello-fastify.ts')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.add(child);
  const [, url] = await waitForLine(child, /LISTENING (\S+)/);
  return { child, url: url! };
}

export function cannon(
  url: string,
  options: { headers?: Record<string, string>; connections?: number; seconds?: number } = {},
): Promise<autocannon.Result> {
  return autocannon({
    url,
    connections: options.connections ?? 20,
    duration: options.seconds ?? 5,
    headers: options.headers ?? {},
  });
}
