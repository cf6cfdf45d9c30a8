import { describe, expect, it } from 'vitest';
import { erlangC } from '../core/simulation/queue.js';
import { korus } from './testing.js';
import { openTestApp } from '../server/testing/app.js';
import { testDatabaseUrl } from '../server/testing/databases.js';

/**
 * `korus simulate queue` (issue 21, item 5), as a process: JSON with the mean wait, its 95% interval and the
 * utilization, held against the Erlang C formula for several (λ, μ, c); the same seed gives the same output; bad
 * input is exit 2 with a readable message.
 */
describe('korus simulate queue', () => {
  it('agrees with Erlang C for several queues, reproducibly', async () => {
    for (const [lambda, mu, c] of [
      [0.9, 1, 1],
      [5, 2, 3],
      [24, 1.5, 20],
    ] as const) {
      const args = ['simulate', 'queue', '--arrival-rate', String(lambda), '--service-rate', String(mu), '--servers', String(c), '--horizon-days', '2000', '--replications', '25', '--seed', '11', '--json']; // prettier-ignore
      const run = await korus(args);
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { meanWaitDays: number; meanWaitDaysCI: [number, number]; utilization: number; replications: number }; // prettier-ignore
      expect(out.replications).toBe(25);
      const theory = erlangC(lambda, mu, c)!;
      const [lo, hi] = out.meanWaitDaysCI;
      expect(lo).toBeLessThanOrEqual(out.meanWaitDays);
      expect(hi).toBeGreaterThanOrEqual(out.meanWaitDays);
      expect(Math.abs(out.meanWaitDays - theory.meanWaitDays)).toBeLessThan(Math.max(0.12 * theory.meanWaitDays, hi - lo) + 1e-3); // prettier-ignore
      expect(Math.abs(out.utilization - theory.utilization)).toBeLessThan(0.02);
      expect((await korus(args)).stdout).toBe(run.stdout);
    }
  }, 120_000);

  it('runs scenario files, side by side, and names what is wrong in a bad one', async () => {
    const run = await korus(['simulate', 'scenarios/today.yaml', '--compare', 'scenarios/e4-enacted.yaml', '--replications', '4', '--seed', '3', '--json']); // prettier-ignore
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { a: { replications: number; medianLeadDays: { mean: number } }; difference: { medianLeadDays: { ci: [number, number] } } }; // prettier-ignore
    expect(out.a.replications).toBe(4);
    expect(out.a.medianLeadDays.mean).toBeGreaterThan(0);
    expect(out.difference.medianLeadDays.ci).toHaveLength(2);
    const bad = await korus(['simulate', 'package.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/is not a valid scenario/);
    expect(bad.stderr).toMatch(/horizonDays/);
    const missing = await korus(['simulate', 'scenarios/none.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the scenario file/);
  }, 60_000);

  it('refuses bad input with exit 2 and says why; an unstable queue is said to be so', async () => {
    const bad = await korus([
      'simulate',
      'queue',
      '--arrival-rate',
      '-1',
      '--service-rate',
      '1',
      '--servers',
      '1.5',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/arrival rate must be a positive number/);
    expect(bad.stderr).toMatch(/servers must be a whole number/);
    const missing = await korus(['simulate', 'queue', '--service-rate', '1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--arrival-rate is required/);
    const unstable = await korus(['simulate', 'queue', '--arrival-rate', '2', '--service-rate', '1', '--horizon-days', '100', '--replications', '2']); // prettier-ignore
    expect(unstable.code).toBe(0);
    expect(unstable.stdout).toMatch(/not stable/);
  }, 60_000);

  it('calibrates a scenario from the cases in the database, and says what it measured', async () => {
    // The demo pipeline (small) in a schema of its own on the embedded test server.
    const t = await openTestApp('embedded', { demo: true, pipeline: true });
    try {
      const env = { DATABASE_URL: testDatabaseUrl('embedded'), KORUS_DATABASE_SCHEMA: t.db.schemaName };
      const to = new Date().toISOString().slice(0, 10);
      const from = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
      const args = ['simulate', 'scenarios/today.yaml', '--calibrate', `${from}..${to}`, '--min-sample', '1', '--replications', '3']; // prettier-ignore
      const json = await korus([...args, '--json'], env);
      expect(json.code, json.stderr).toBe(0);
      const out = JSON.parse(json.stdout) as { medianLeadDays: { mean: number }; calibration: { cases: number; samples: { path: string; stage: string | null; what: string; n: number; used: boolean }[] } }; // prettier-ignore
      expect(out.calibration.cases).toBeGreaterThan(5);
      const prep = out.calibration.samples.find((x) => x.path === 'b1_desk' && x.stage === 'prepare' && x.what === 'delay'); // prettier-ignore
      expect(prep!.n).toBeGreaterThan(0);
      expect(prep!.used).toBe(true);
      expect(out.medianLeadDays.mean).toBeGreaterThan(0);
      const text = await korus(args, env);
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/calibrated from \d+ cases between/);
      expect(text.stdout).toMatch(/b1_desk\.desk_batch\s+duration .*not used: the capacity decides/);
      const bad = await korus(
        ['simulate', 'scenarios/today.yaml', '--calibrate', '2026-13-01..2026-12-31'],
        env,
      );
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/FROM\.\.TO/);
    } finally {
      await t.close();
    }
  }, 120_000);
});
