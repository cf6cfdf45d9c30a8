#!/usr/bin/env node
// Entry point of the `korus` command. Runs the compiled CLI (built by `npm install` through the
// `prepare` script, or by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write(
    'korus: the compiled CLI is missing (dist/cli/main.js). Run `npm run build` first.\n' +
      'korus: 컴파일된 CLI가 없습니다. 먼저 `npm run build`를 실행하세요.\n',
  );
  process.exit(2);
}
await import(pathToFileURL(compiled).href);
