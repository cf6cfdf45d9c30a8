import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { korus } from './testing.js';
import { openTestApp } from '../server/testing/app.js';
import { testDatabaseUrl } from '../server/testing/databases.js';

/**
 * `korus plan WORKER_ID|FILE [--json]` (issue 19), as a process: a facts file gives ranked paths with the
 * children's age-out and school years; the demo family's worker id reads the records from the database; bad input
 * is a readable message and a non-zero exit.
 */
describe('korus plan', () => {
  it('plans from a facts file, as text and as JSON', async () => {
    const text = await korus(['plan', 'examples/plan-facts.yaml', '--as-of', '2026-12-07']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('1. L-1A, then a green card as a multinational manager (EB-1C)');
    expect(text.stdout).toMatch(/child 1 \(Minji\): Counts as a child/);
    expect(text.stdout).toContain('school: 2026-27 10');
    const json = await korus(['plan', 'examples/plan-facts.yaml', '--as-of', '2026-12-07', '--json']);
    const plan = JSON.parse(json.stdout) as {
      paths: { route: string; children: { ageOutOn: string | null }[] }[];
    };
    expect(plan.paths.length).toBeGreaterThanOrEqual(2);
    expect(plan.paths[0]!.children[0]!.ageOutOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const stay = await korus(['plan', 'examples/plan-facts.yaml', '--goal', 'stay:12', '--json']);
    expect((JSON.parse(stay.stdout) as { paths: { route: string }[] }).paths[0]!.route).toBe('e2_renewals');
  }, 60_000);

  it('refuses a bad file or goal with the field named, exit code not 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'korus-plan-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'asOf: "2026-12-07"\nworker: { birthDate: "1985-01-01", education: phd, role: engineer, employedSince: "2015-01-01" }\nemployer: {}\nstatus: { code: abroad }\nstate: Georgia\ngoal: { kind: permanent }\n'); // prettier-ignore
    const run = await korus(['plan', bad]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('worker.education');
    expect(run.stderr).toContain('state');
    const goal = await korus(['plan', 'examples/plan-facts.yaml', '--goal', 'forever']);
    expect(goal.code).not.toBe(0);
    expect(goal.stderr).toContain('--goal');
    const missing = await korus(['plan', join(dir, 'none.yaml')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('cannot read');
  }, 60_000);

  it('plans a worker of the database by id', async () => {
    const t = await openTestApp('embedded', { demo: true, pipeline: true });
    try {
      const [w] = await t.db.query<{ id: string }>("SELECT id FROM workers WHERE name_hangul = '강민석'");
      const env = { DATABASE_URL: testDatabaseUrl('embedded'), KORUS_DATABASE_SCHEMA: t.db.schemaName };
      const run = await korus(['plan', w!.id, '--json'], env);
      expect(run.code, run.stderr).toBe(0);
      const plan = JSON.parse(run.stdout) as { goal: { kind: string }; paths: { children: unknown[] }[] };
      expect(plan.goal.kind).toBe('permanent');
      expect(plan.paths[0]!.children).toHaveLength(2);
      const none = await korus(['plan', '00000000-0000-4000-8000-000000000000'], env);
      expect(none.code).not.toBe(0);
      expect(none.stderr).toContain('no worker');
    } finally {
      await t.close();
    }
  }, 240_000);
});
