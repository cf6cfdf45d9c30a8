// `npm run bench`: every benchmark, one after the other, each in a process of its own (so their measurements do
// not disturb each other), each writing bench/results/<name>.json; then the table of every target
// (`bench:check`), which exits non-zero when one is missed. `BENCH_ONLY=quota,import` runs a subset.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './common.js';

const all: [string, string[]][] = [
  ['foundation', []],
  ['rules', []],
  ['quota', []],
  ['import', ['--expose-gc']],
  ['pipeline', []],
  ['presence', []],
  ['console', []],
  ['simulate', []],
  ['contribution', []],
  ['settlement', []],
  ['web', []],
];
const only = process.env.BENCH_ONLY?.split(',');
for (const [name, flags] of all) {
  if (only && !only.includes(name)) continue;
  process.stderr.write(`\n=== bench:${name} (${new Date().toISOString()})\n`);
  const run = spawnSync(process.execPath, [...flags, '--import', 'tsx', join(root, 'bench', `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
const check = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'check.ts')], {
  stdio: 'inherit',
});
process.exit(check.status ?? 1);
