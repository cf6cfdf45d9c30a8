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
