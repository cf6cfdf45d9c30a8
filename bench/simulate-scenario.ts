import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scenarioSchema, type Scenario } from '../src/contract/simulation.js';
import { calibrateScenario, type MeasuredCase } from '../src/core/simulation/calibrate.js';
import { random } from '../src/core/simulation/random.js';
import { root } from './common.js';

const DAY = 86_400_000;

/**
 * A year of measured cases for calibration (what `POST /api/simulations/calibrate` reads from the database): for
 * each workflow of the scenario, its share of `total` cases through its stages, each stage lasting a lognormal number of
 * days (median 3–20, p90 twice that), 3% refused at the consular interview and 5% held in 221(g).
 */
export function measuredYear(total = 20_000, seed = 7): MeasuredCase[] {
  const rnd = random(seed);
  const cases: MeasuredCase[] = [];
  // In the proportions of the scenario's entered route shares.
  const mix = { 'b1-embassy-desk': 0.55, b1: 0.1, 'l1-individual': 0.125, 'l1-blanket': 0.125, h1b: 0.1 };
  for (const [wf, share] of Object.entries(mix)) {
    const perWorkflow = Math.round(total * share);
    const yaml = parse(readFileSync(join(root, 'rules', 'workflows', `${wf}.yaml`), 'utf8')) as { stages: { id: string; contingent?: boolean }[] }; // prettier-ignore
    const stages = yaml.stages.filter((x) => !x.contingent && x.id !== 'admitted').map((x) => x.id);
    for (let k = 0; k < perWorkflow; k++) {
      const opened = Date.parse('2026-01-05T00:00:00Z') + Math.floor(rnd.uniform() * 300) * DAY;
      let at = opened;
      const events: MeasuredCase['events'] = [];
      let refused = false;
      for (const [i, stage] of stages.entries()) {
        events.push({ stage, at });
        const median = 3 + ((i * 7) % 18);
        at += rnd.lognormal(median, median * 2) * DAY;
        if (stage === 'consular_interview') {
          if (rnd.uniform() < 0.03) {
            events.push({ stage: 'refused', at });
            refused = true;
            break;
          }
          if (rnd.uniform() < 0.05) {
            events.push({ stage: 'administrative_processing', at });
            at += rnd.lognormal(40, 90) * DAY;
          }
        }
      }
      if (!refused) events.push({ stage: 'admitted', at });
      cases.push({ workflowId: wf, openedAt: opened, events });
    }
  }
  return cases;
}

/**
 * The "today" scenario calibrated from a measured year (empirical stage durations, measured refusal and 221(g)
 * rates, route shares) and scaled to 50,000 workers in a year, with capacities scaled so the queues stay busy.
 */
export function benchScenario(): Scenario {
  const today = parse(readFileSync(join(root, 'scenarios', 'today.yaml'), 'utf8')) as Record<string, unknown>;
  const scaled = scenarioSchema.parse({
    ...today,
    horizonDays: 365,
    projects: [
      { id: 'plants', name: 'Plants', workers: 40_000, from: '2027-01-04', to: '2027-12-31' },
      { id: 'smes', name: 'Partner SMEs', workers: 10_000, from: '2027-01-04', to: '2027-12-31', sme: true },
    ],
    resources: {
      kit_desk: { kind: 'batch', size: 600, everyDays: 7 },
      kit_interviews: { kind: 'queue', perWeek: 600 },
      seoul_interviews: { kind: 'queue', perWeek: 450 },
    },
  });
  return calibrateScenario(scaled, measuredYear(), { from: '2026-01-01', to: '2026-12-31' });
}
