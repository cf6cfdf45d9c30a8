import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = join(root, 'src', 'cli', 'main.ts');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `korus` command (from the sources, through tsx) in a child process. */
export function korus(
  args: string[],
  env: Record<string, string | undefined> = {},
  input?: string,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: undefined, KORUS_LOG_LEVEL: 'warn', ...env } as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts `korus serve` and resolves once it listens; returns the process and its port. */
export function startServer(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, 'serve', '--port', '0', '--host', '127.0.0.1', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: undefined,
          KORUS_LOG_LEVEL: 'info',
          ...env,
        } as NodeJS.ProcessEnv,
      },
    );
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = /"address":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      if (match) resolve({ child, port: Number(match[1]), output: () => out });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/**
 * A government organization and an officer (role staff) through the real CLI, for tests that run `korus serve`;
 * throws with the CLI's message when a step fails.
 */
export async function addOfficer(
  dir: string,
  env: Record<string, string | undefined>,
  {
    org: name,
    email,
    password,
    mandate = 'working_group',
  }: { org: string; email: string; password: string; mandate?: string },
): Promise<void> {
  const org = await korus(
    ['org', 'add', '--name', name, '--kind', 'government', '--mandate', mandate, '--data-dir', dir],
    env,
  );
  if (org.code !== 0) throw new Error(`korus org add: ${org.stderr}`);
  const user = await korus(
    [
      'user',
      'add',
      '--email',
      email,
      '--org',
      org.stdout.trim(),
      '--role',
      'staff',
      '--password',
      password,
      '--data-dir',
      dir,
    ],
    env,
  );
  if (user.code !== 0) throw new Error(`korus user add: ${user.stderr}`);
}
