import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../db/embedded.js';

/**
 * vitest's global setup: one embedded PostgreSQL for the whole test run (fsync off), in a temporary data
 * directory; test files open schemas of their own on it (`testing/databases.ts`). Its guardian stops the
 * server when this process ends, however it ends.
 */
let server: EmbeddedServer | undefined;
let dataDir: string | undefined;

export async function setup(): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'korus-test-pg-'));
  server = await startEmbeddedPostgres({ dataDir, command: 'vitest', exclusive: true, durability: 'test' });
  process.env.KORUS_TEST_EMBEDDED_URL = server.url;
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
