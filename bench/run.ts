// `npm run bench`: every benchmark, each writing bench/results/<name>.json. The foundation benchmark runs
// here; the others (added by later modules) run in processes of their own so their measurements do not
// disturb each other.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './common.js';
import { runFoundationBench } from './foundation.js';

await runFoundationBench();
for (const name of ['rules.ts', 'quota.ts']) {
  const file = join(root, 'bench', name);
  if (!existsSync(file)) continue;
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
