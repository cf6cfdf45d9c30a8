import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes bench/results/<name>.json and prints it. */
export function writeResult(name: string, result: unknown): void {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify({ ...(result as object), measuredAt: new Date().toISOString() }, null, 2);
  writeFileSync(join(dir, `${name}.json`), text + '\n');
  process.stdout.write(text + '\n');
}

/** Inserts rows in multi-row INSERT batches (bulk loading for benchmarks). */
export async function insertRows(
  db: { query(sql: string, params?: unknown[]): Promise<unknown> },
  table: string,
  columns: string[],
  rows: unknown[][],
  batch = 1000,
): Promise<void> {
  for (let i = 0; i < rows.length; i += batch) {
    const params: unknown[] = [];
    const values = rows
      .slice(i, i + batch)
      .map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`);
    await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')}`, params);
  }
}

/** min, median and max of a series (rounded to 3 decimals). */
export function summary(values: number[]): { min: number; median: number; max: number; runs: number[] } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const mid =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return {
    min: round(sorted[0] ?? NaN),
    median: round(mid),
    max: round(sorted.at(-1) ?? NaN),
    runs: values.map(round),
  };
}

/** Per-round ratios a[i] / b[i] of two series measured in the same rounds, summarised. */
export function roundRatios(a: number[], b: number[]) {
  return summary(a.map((v, i) => v / b[i]!));
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the whole line (12 and 13 after the command), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Resident memory (MB) of a process, from /proc. */
export function processRssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The machine as a result should name it: cores, load average at the time, Node. */
export function machine() {
  return {
    cpus: cpus().length,
    loadAverage: loadavg().map((v) => Math.round(v * 100) / 100),
    node: process.version,
  };
}

/**
 * The PostgreSQL database the benchmarks use: KORUS_BENCH_DATABASE_URL, or a database of their own,
 * `korus_bench`, on the local server (created when missing). Never the tests' database.
 */
export function benchDatabaseUrl(): string {
  const given = process.env.KORUS_BENCH_DATABASE_URL;
  if (given) return given;
  const server = 'postgres://postgres@127.0.0.1:5432';
  const exists = execFileSync(
    'psql',
    [`${server}/postgres`, '-tAc', `SELECT 1 FROM pg_database WHERE datname = 'korus_bench'`],
    { encoding: 'utf8' },
  ).trim();
  if (exists !== '1') execFileSync('psql', [`${server}/postgres`, '-qc', 'CREATE DATABASE korus_bench']);
  return `${server}/korus_bench`;
}
