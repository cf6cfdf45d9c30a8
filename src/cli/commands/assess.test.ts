import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { parse } from 'yaml';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { assessmentResponseSchema } from '../../contract/assessment.js';
import { registerAssessCommand } from './assess.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const script = join(root, 'src', 'cli', 'commands', 'assess-cli.ts');
const work = mkdtempSync(join(tmpdir(), 'korus-assess-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const base = parse(readFileSync(join(root, 'rules', 'tests', '_default-request.yaml'), 'utf8')) as Record<
  string,
  Record<string, unknown>
>;
const installer = {
  ...base,
  assignment: {
    ...base.assignment,
    activities: ['equipment_installation', 'train_us_workers'],
    endDate: '2026-06-15',
  },
};
const file = (name: string, content: unknown) => {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};

function run(
  args: string[],
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, 'assess', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: undefined } as NodeJS.ProcessEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

describe('assess command in-process (commander)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  async function inProcess(args: string[]) {
    let stdout = '';
    let stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation(
      (chunk: string | Uint8Array) => ((stdout += String(chunk)), true),
    );
    vi.spyOn(process.stderr, 'write').mockImplementation(
      (chunk: string | Uint8Array) => ((stderr += String(chunk)), true),
    );
    const program = new Command().exitOverride();
    registerAssessCommand(program);
    await program.parseAsync(['node', 'korus', 'assess', ...args]);
    vi.restoreAllMocks();
    return { stdout, stderr, code: process.exitCode };
  }

  it('--json prints exactly the response', async () => {
    const { stdout, code } = await inProcess([file('installer.json', installer), '--json']);
    expect(code).toBeUndefined();
    const response = assessmentResponseSchema.parse(JSON.parse(stdout));
    expect(response.recommended).toBe('ESTA');
    expect(response.results.find((r) => r.category === 'B1')).toMatchObject({
      verdict: 'conditional',
      provision: 'installer',
    });
  });

  it('prints a readable table in Korean', async () => {
    const { stdout } = await inProcess([file('installer.json', installer), '--lang', 'ko']);
    expect(stdout).toMatch(/판정/);
    expect(stdout).toMatch(/B1 +조건부 가능/);
    expect(stdout).toMatch(/추천: ESTA/);
    expect(stdout).toMatch(/법률 자문이 아닙니다/);
  });

  it('prints a readable table in English by default', async () => {
    const { stdout } = await inProcess([file('installer.json', installer)]);
    expect(stdout).toMatch(/Verdict/);
    expect(stdout).toMatch(/ESTA +conditional/);
    expect(stdout).toMatch(/Recommended: ESTA/);
    expect(stdout).toMatch(/not legal advice/);
  });

  it('--as-of overrides the request date', async () => {
    const { stdout } = await inProcess([
      file('installer.json', installer),
      '--json',
      '--as-of',
      '2025-09-29',
    ]);
    const response = JSON.parse(stdout) as {
      asOf: string;
      results: { category: string; feesUsd: { item: string; amount: number }[] }[];
    };
    expect(response.asOf).toBe('2025-09-29');
    expect(response.results[0]!.feesUsd).toEqual([expect.objectContaining({ item: 'esta_fee', amount: 21 })]);
  });

  it('an invalid request sets exit code 2 and names the field', async () => {
    const { stderr, code } = await inProcess([
      file('bad.json', { ...base, worker: { ...base.worker, birthDate: '1986-02-30' } }),
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/worker\.birthDate: must be a real calendar date/);
  });
});

describe('assess command as a process (real exit codes)', () => {
  it('exits 0 with the JSON response', async () => {
    const result = await run([file('ok.json', installer), '--json']);
    expect(result.code).toBe(0);
    assessmentResponseSchema.parse(JSON.parse(result.stdout));
  });

  it('reads the request from standard input with -', async () => {
    const result = await run(['-', '--json'], JSON.stringify(installer));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).asOf).toBe('2026-03-02');
  });

  it('fills a missing as-of date with today (UTC)', async () => {
    const { asOf: _drop, ...noDate } = installer as Record<string, unknown>;
    const result = await run(['-', '--json'], JSON.stringify(noDate));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).asOf).toBe(new Date().toISOString().slice(0, 10));
  });

  it('exits 2 naming the field of an invalid request', async () => {
    const result = await run([file('early.json', { ...installer, asOf: '2023-06-01' })]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/asOf: must be on or after 2024-01-01/);
    expect(result.stderr).toMatch(/asOf: 2024-01-01 이후여야 합니다/);
    expect(result.stdout).toBe('');
  });

  it('exits 2 on malformed JSON and on a missing file', async () => {
    const malformed = await run(['-'], '{ not json');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/not valid JSON/);
    const missing = await run([join(work, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('--batch streams JSON lines, reports invalid lines and exits 2 when any', async () => {
    const lines = [
      JSON.stringify(installer),
      JSON.stringify(base),
      '{"asOf":"2026-13-01"}',
      JSON.stringify({ ...base, asOf: '2025-09-29' }),
    ];
    const result = await run(['--batch', file('batch.jsonl', lines.join('\n') + '\n')]);
    expect(result.code).toBe(2);
    const out = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(4);
    assessmentResponseSchema.parse(out[0]);
    expect(out[2]).toMatchObject({ line: 3, error: { code: 'rules.invalid_request' } });
    expect((out[3] as { asOf: string }).asOf).toBe('2025-09-29');
    expect(result.stderr).toMatch(/line 3: asOf/);
    expect(result.stderr).toMatch(/3 assessed, 1 invalid/);
  });

  it('--batch of valid lines exits 0', async () => {
    const result = await run(['--batch', '-'], `${JSON.stringify(installer)}\n${JSON.stringify(base)}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(2);
  });
});
