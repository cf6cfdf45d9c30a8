import type {
  ActivityId,
  AssessmentRequest,
  BilingualText,
  CategoryId,
  CategoryResult,
  EducationLevel,
} from '../../contract/assessment.js';
import type { ParameterValue } from '../../contract/rules-catalog.js';

export type { ActivityId, BilingualText, CategoryId, CategoryResult };

/** Parameter values in force during one period of the timeline (resolved once, at load). */
export interface ParamReader {
  /** First day of the period. */
  readonly from: string;
  /** A number in force, or throws at load if the parameter is missing (a module bug, caught at start-up). */
  number(id: string): number;
  /** A value or undefined when not in force (before its first date or a `null` entry). */
  value(id: string): ParameterValue | undefined;
  /** A value of numbers ({min, typical, max}) in force. */
  range(id: string): { min: number; typical: number; max: number };
  /** Whether the entry in force (even a `null` one) is marked `status: verify`. */
  isVerify(id: string): boolean;
  /** The entry in force, including `null` ones (with its note and first reference). */
  entry(id: string):
    | {
        value: ParameterValue;
        effective: string;
        status?: 'verify';
        note?: string;
        reference: { title: string; href: string }[];
      }
    | undefined;
  label(id: string): BilingualText;
  /**
   * The values in force on another date (a filing or travel date after the as-of date: what will apply then,
   * as far as the rules know). Readers are cached per date.
   */
  at(date: string): ParamReader;
}

/** Request facts computed once per assessment and shared by every category. */
export interface Facts {
  readonly request: AssessmentRequest;
  readonly asOf: string;
  readonly asOfDay: number;
  readonly startDay: number;
  readonly endDay: number;
  /** Calendar days of the assignment, start and end included. */
  readonly stayDays: number;
  readonly employedSinceDay: number;
  /** Calendar parts of the as-of and start dates, computed once per request. */
  readonly asOfYear: number;
  readonly asOfMonth: number;
  readonly startYear: number;
  readonly startMonth: number;
  readonly startDayOfMonth: number;
  readonly activities: readonly ActivityId[];
  /** Bit i set when activity i (index in `activityIds`) is planned. */
  readonly activityMask: number;
  readonly isKorean: boolean;
  /** Years of college-level education the worker has (0, 2 or 4+). */
  readonly collegeYears: number;
  readonly education: EducationLevel;
}

export type Evaluate = (facts: Facts) => CategoryResult;

export interface CategoryMeta {
  id: CategoryId;
  name: BilingualText;
  summary: BilingualText;
  openToKoreanNationals: boolean;
  proposed: boolean;
  requirements: readonly import('./requirement.js').Requirement[];
}

/** A visa category: its description and, per period of the timeline, an evaluator bound to that period's values. */
export interface CategoryModule extends CategoryMeta {
  bind(params: ParamReader): Evaluate;
}
