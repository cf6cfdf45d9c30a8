/**
 * Summaries of replications (issue 21): the mean and its 95% confidence interval from the replications' own
 * values (Student's t with R − 1 degrees of freedom; the replications are independent by construction).
 */
const Z975 = 1.959963984540054;

/** The 97.5% quantile of Student's t with `df` degrees of freedom (Cornish–Fisher expansion; exact table below 8). */
export function t975(df: number): number {
  const table = [Infinity, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365];
  if (df < 1) return Infinity;
  if (df < table.length) return table[df]!;
  const z = Z975;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}

export interface Estimate {
  mean: number;
  /** 95% confidence interval of the mean; [mean, mean] with one replication (no spread to estimate). */
  ci: [number, number];
  replications: number;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, ci: [NaN, NaN], replications: 0 };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, ci: [mean, mean], replications: 1 };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = t975(n - 1) * Math.sqrt(variance / n);
  return { mean, ci: [mean - half, mean + half], replications: n };
}

/** The q-quantile of sorted values (linear interpolation between order statistics). */
export function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
