/**
 * Contribution indicators (issue 20, item 2): computed from sums, never from averages of ratios, so a group's
 * indicator (an investor with its partners, a sector) is the ratio of its sums and adding a project moves it the
 * way the sums say. Pure: the server reads the sums per project (`services/contribution/indicators.ts`). Each
 * indicator's definition is in docs/contribution.md and on screen.
 */
export interface ProjectSums {
  /** Training: Σ trainees × hours of the sessions (trainee-hours). */
  traineeHours: number;
  /** Σ trainees over the sessions (a person trained twice counts twice: trainee places). */
  trainees: number;
  /** Σ trainees certified. */
  certified: number;
  sessions: number;
  /** Korean workers' months on site: Σ over their stays on the project's cases of days present / 30.4375. */
  workerMonths: number;
  /** US jobs created: the headcount of the latest quarter recorded (summed over the firms recording). */
  jobsCreated: number;
  jobsCommitted: number;
  /** Visas used: the project's workers' cases that reached admission. */
  visasUsed: number;
  /** USD disbursed (and committed) to date. */
  disbursedUsd: number;
  committedUsd: number;
}

export interface Indicators {
  /** Trainee-hours per Korean worker-month on site. */
  traineeHoursPerWorkerMonth: number | null;
  /** Share of US trainee places that ended certified. */
  certifiedShare: number | null;
  /** US jobs created per visa used. */
  usJobsPerVisa: number | null;
  /** Visas used per million USD disbursed. */
  visasPerMillionUsd: number | null;
}

export const emptySums = (): ProjectSums => ({
  traineeHours: 0,
  trainees: 0,
  certified: 0,
  sessions: 0,
  workerMonths: 0,
  jobsCreated: 0,
  jobsCommitted: 0,
  visasUsed: 0,
  disbursedUsd: 0,
  committedUsd: 0,
});

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

export function indicatorsOf(s: ProjectSums): Indicators {
  return {
    traineeHoursPerWorkerMonth: ratio(s.traineeHours, s.workerMonths),
    certifiedShare: ratio(s.certified, s.trainees),
    usJobsPerVisa: ratio(s.jobsCreated, s.visasUsed),
    visasPerMillionUsd: ratio(s.visasUsed, s.disbursedUsd / 1_000_000),
  };
}

/** The sums of a group (an investor with its partners, a sector): field by field. */
export function addSums(items: readonly ProjectSums[]): ProjectSums {
  const out = emptySums();
  for (const s of items) for (const k of Object.keys(out) as (keyof ProjectSums)[]) out[k] += s[k];
  return out;
}
