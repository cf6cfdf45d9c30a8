import { random, streamSeed } from './random.js';
import { estimate, type Estimate } from './statistics.js';

/**
 * The M/M/c queue (issue 21, item 5): Poisson arrivals at rate λ per day, exponential service at rate μ per day per
 * server, c servers, first come first served. Simulated exactly by the servers' next free times (each arrival
 * takes the server free first and waits until then), and compared with the closed forms: Erlang C for the
 * probability of waiting, Wq = C / (cμ − λ) for the mean wait, ρ = λ / (cμ) for the utilization, and Little's law
 * L = λW. Statistics count the customers who arrive after the warm-up (by default a tenth of the horizon), so the
 * empty start does not bias them.
 */
export interface QueueParameters {
  arrivalRate: number;
  serviceRate: number;
  servers: number;
  horizonDays: number;
  /** Days discarded at the start (default: a tenth of the horizon). */
  warmupDays?: number;
}

export interface QueueReplication {
  meanWaitDays: number;
  meanSystemDays: number;
  utilization: number;
  /** Time-average number waiting (from the waits: Little's law on the observed arrivals). */
  meanQueueLength: number;
  customers: number;
}

export function checkQueueParameters(p: QueueParameters): string[] {
  const errors: string[] = [];
  if (!(p.arrivalRate > 0) || !Number.isFinite(p.arrivalRate)) errors.push('arrival rate must be a positive number (per day)'); // prettier-ignore
  if (!(p.serviceRate > 0) || !Number.isFinite(p.serviceRate)) errors.push('service rate must be a positive number (per day per server)'); // prettier-ignore
  if (!Number.isInteger(p.servers) || p.servers < 1 || p.servers > 10_000) errors.push('servers must be a whole number from 1 to 10,000'); // prettier-ignore
  if (!(p.horizonDays > 0) || p.horizonDays > 3_650_000) errors.push('horizon must be more than 0 days'); // prettier-ignore
  if (p.warmupDays !== undefined && !(p.warmupDays >= 0 && p.warmupDays < p.horizonDays)) errors.push('warm-up must be at least 0 and shorter than the horizon'); // prettier-ignore
  if (p.arrivalRate * p.horizonDays > 20_000_000) errors.push('too many arrivals for one run (rate × horizon above 20 million)'); // prettier-ignore
  return errors;
}

/** One replication with its own random stream. */
export function simulateQueue(p: QueueParameters, seed: number): QueueReplication {
  const rnd = random(seed);
  const warmup = p.warmupDays ?? p.horizonDays / 10;
  const c = p.servers;
  // A binary min-heap of the servers' next free times.
  const heap = new Float64Array(c);
  const push = (value: number) => {
    // Replace the root (the server just taken) and sift down.
    heap[0] = value;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < c && heap[l]! < heap[m]!) m = l;
      if (r < c && heap[r]! < heap[m]!) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  let t = 0;
  let waits = 0;
  let systems = 0;
  let counted = 0;
  let busy = 0;
  const window = p.horizonDays - warmup;
  for (;;) {
    t += rnd.exponential(p.arrivalRate);
    if (t > p.horizonDays) break;
    const start = Math.max(t, heap[0]!);
    const service = rnd.exponential(p.serviceRate);
    const end = start + service;
    push(end);
    // Busy time inside the observation window [warmup, horizon].
    busy += Math.max(0, Math.min(end, p.horizonDays) - Math.max(start, warmup));
    if (t >= warmup) {
      waits += start - t;
      systems += end - t;
      counted += 1;
    }
  }
  const meanWait = counted ? waits / counted : 0;
  return {
    meanWaitDays: meanWait,
    meanSystemDays: counted ? systems / counted : 0,
    utilization: busy / (c * window),
    meanQueueLength: (counted / window) * meanWait,
    customers: counted,
  };
}

export interface QueueResult {
  meanWaitDays: number;
  meanWaitDaysCI: [number, number];
  meanSystemDays: number;
  utilization: number;
  utilizationCI: [number, number];
  meanQueueLength: number;
  replications: number;
  customers: number;
  /** The closed forms, when the queue is stable (ρ < 1). */
  theory: { utilization: number; probabilityOfWaiting: number; meanWaitDays: number; meanSystemDays: number; meanQueueLength: number } | null; // prettier-ignore
}

/** Runs `replications` independent replications from `seed` and summarizes them with 95% intervals. */
export function runQueue(
  p: QueueParameters,
  options: { replications: number; seed: number; onProgress?: (done: number) => void },
): QueueResult {
  const runs: QueueReplication[] = [];
  for (let k = 0; k < options.replications; k++) {
    runs.push(simulateQueue(p, streamSeed(options.seed, k)));
    options.onProgress?.(k + 1);
  }
  const wait: Estimate = estimate(runs.map((r) => r.meanWaitDays));
  const util = estimate(runs.map((r) => r.utilization));
  return {
    meanWaitDays: wait.mean,
    meanWaitDaysCI: wait.ci,
    meanSystemDays: estimate(runs.map((r) => r.meanSystemDays)).mean,
    utilization: util.mean,
    utilizationCI: util.ci,
    meanQueueLength: estimate(runs.map((r) => r.meanQueueLength)).mean,
    replications: runs.length,
    customers: runs.reduce((s, r) => s + r.customers, 0),
    theory: erlangC(p.arrivalRate, p.serviceRate, p.servers),
  };
}

/**
 * The M/M/c closed forms: ρ = λ/(cμ); with a = λ/μ, the Erlang C probability of waiting
 * C = (a^c / c!) / ((1 − ρ) Σ_{k<c} a^k / k! + a^c / c!) (computed from the Erlang B recursion
 * B_k = a B_{k−1} / (k + a B_{k−1}), C = cB / (c − a(1 − B)), which does not overflow), Wq = C / (cμ − λ),
 * W = Wq + 1/μ, Lq = λ Wq.
 * Null when the queue is not stable (ρ ≥ 1).
 */
export function erlangC(lambda: number, mu: number, c: number): QueueResult['theory'] {
  const rho = lambda / (c * mu);
  if (!(rho < 1)) return null;
  const a = lambda / mu;
  // Erlang B by its recursion (stable for any c), then C = cB / (c − a(1 − B)).
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  const probabilityOfWaiting = (c * b) / (c - a * (1 - b));
  const meanWaitDays = probabilityOfWaiting / (c * mu - lambda);
  return {
    utilization: rho,
    probabilityOfWaiting,
    meanWaitDays,
    meanSystemDays: meanWaitDays + 1 / mu,
    meanQueueLength: lambda * meanWaitDays,
  };
}
