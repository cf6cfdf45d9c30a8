import { prng } from '../prng.js';

/**
 * Random draws for the simulator (issue 21): seeded, reproducible. Each replication gets its own stream, derived
 * from the run's seed and the replication's number by SplitMix32, so replication k is the same whatever the number
 * of replications or threads.
 */
export function streamSeed(seed: number, replication: number): number {
  let z = (seed + Math.imul(replication + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export interface Random {
  uniform(): number;
  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Lognormal given its median and 90th percentile (both > 0, p90 ≥ median). */
  lognormal(median: number, p90: number): number;
  /** Poisson with mean m (Knuth for small m, normal approximation above 50). */
  poisson(mean: number): number;
}

const Z90 = 1.2815515655446004;

export function random(seed: number): Random {
  const u = prng(seed);
  let spare: number | null = null;
  const r: Random = {
    uniform: u,
    exponential: (rate) => -Math.log(1 - u()) / rate,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const a = 1 - u();
      const b = u();
      const radius = Math.sqrt(-2 * Math.log(a));
      spare = radius * Math.sin(2 * Math.PI * b);
      return radius * Math.cos(2 * Math.PI * b);
    },
    lognormal(median, p90) {
      const sigma = Math.log(p90 / median) / Z90;
      return median * Math.exp(sigma * r.normal());
    },
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * r.normal()));
      const limit = Math.exp(-mean);
      let k = 0;
      let p = u();
      while (p > limit) {
        k += 1;
        p *= u();
      }
      return k;
    },
  };
  return r;
}
