import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { scenarioSchema, type Scenario } from '../src/contract/simulation.js';
import { root } from './common.js';

/** The "today" scenario scaled to 50,000 workers in a year, with capacities scaled so the queues stay busy. */
export function benchScenario(): Scenario {
  const today = parse(readFileSync(join(root, 'scenarios', 'today.yaml'), 'utf8')) as Record<string, unknown>;
  return scenarioSchema.parse({
    ...today,
    horizonDays: 365,
    projects: [
      { id: 'plants', name: 'Plants', workers: 40_000, from: '2027-01-04', to: '2027-12-31' },
      { id: 'smes', name: 'Partner SMEs', workers: 10_000, from: '2027-01-04', to: '2027-12-31', sme: true },
    ],
    resources: {
      kit_desk: { kind: 'batch', size: 600, everyDays: 7 },
      kit_interviews: { kind: 'queue', perWeek: 600 },
      seoul_interviews: { kind: 'queue', perWeek: 300 },
    },
    quotas: { h1b_selected: { perFiscalYear: 2000 } },
  });
}
