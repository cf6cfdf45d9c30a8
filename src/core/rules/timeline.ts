import type { BilingualText } from '../../contract/assessment.js';
import type { ParameterValue } from '../../contract/rules-catalog.js';
import type { ParamReader } from '../visas/types.js';
import { parameterEntryAt, type ParameterSet } from './parameters.js';

/**
 * The timeline of the rules: every date on which some parameter changes cuts it into periods in which
 * every value is constant. Each period gets one ParamReader, resolved once at load, so evaluating a
 * request only has to find its period (a binary search over a dozen ISO strings).
 */
export interface Period {
  from: string;
  params: ParamReader;
}

export class MissingParameterError extends Error {
  constructor(id: string, from: string, why: string) {
    super(`rule parameter ${id} ${why} on ${from} (rules/parameters/${id}.yaml)`);
    this.name = 'MissingParameterError';
  }
}

function reader(set: ParameterSet, from: string, cache = new Map<string, ParamReader>()): ParamReader {
  const entry = (id: string) => parameterEntryAt(set, id, from);
  const require = (id: string): ParameterValue => {
    if (!set.parameters.has(id)) throw new MissingParameterError(id, from, 'does not exist');
    const found = entry(id);
    if (!found || found.value === null) throw new MissingParameterError(id, from, 'has no value in force');
    return found.value;
  };
  return {
    from,
    number(id) {
      const value = require(id);
      if (typeof value !== 'number') throw new MissingParameterError(id, from, 'is not a number');
      return value;
    },
    value(id) {
      if (!set.parameters.has(id)) throw new MissingParameterError(id, from, 'does not exist');
      const found = entry(id);
      return found && found.value !== null ? found.value : undefined;
    },
    range(id) {
      const value = require(id);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const { min, typical, max } = value;
        if (typeof min === 'number' && typeof typical === 'number' && typeof max === 'number') return { min, typical, max };
      }
      throw new MissingParameterError(id, from, 'is not a {min, typical, max} range');
    },
    isVerify(id) {
      return entry(id)?.status === 'verify';
    },
    entry(id) {
      return entry(id);
    },
    label(id): BilingualText {
      const definition = set.parameters.get(id);
      if (!definition) throw new MissingParameterError(id, from, 'does not exist');
      return definition.label;
    },
    at(date) {
      let found = cache.get(date);
      if (!found) {
        if (cache.size > 1000) cache.clear();
        cache.set(date, (found = reader(set, date, cache)));
      }
      return found;
    },
  };
}

/** Periods from `earliest` on, oldest first. */
export function buildTimeline(set: ParameterSet, earliest: string): Period[] {
  const cuts = new Set<string>([earliest]);
  for (const definition of set.parameters.values()) {
    for (const value of definition.values) if (value.effective > earliest) cuts.add(value.effective);
  }
  return [...cuts].sort().map((from) => ({ from, params: reader(set, from) }));
}

/** Index of the period containing `asOf` (asOf >= starts[0]). */
export function periodIndex(starts: readonly string[], asOf: string): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= asOf) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
