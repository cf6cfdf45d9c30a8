import { mkdirSync, writeFileSync } from 'node:fs';
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
