// `npm run bench`: every benchmark, each writing bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './common.js';
import { runFoundationBench } from './foundation.js';

await runFoundationBench();
// The rules benchmark runs in its own process, so its one-core measurement is not disturbed.
const rules = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'rules.ts')], {
  stdio: 'inherit',
});
if (rules.status !== 0) process.exit(rules.status ?? 1);
