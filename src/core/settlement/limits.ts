import { parameterAt, type ParameterSet } from '../rules/parameters.js';

/**
 * The settlement planner's first rules (issue 19, part): the arithmetic a ten-year plan stands on, pure and cited,
 * reading its figures from the dated parameters (`rules/parameters`):
 * - the maximum stay of an L-1A, L-1B or H-1B worker and its end date, with the time spent outside the United States
 *   recaptured (8 CFR 214.2(l)(12), 214.2(h)(13)(iii)(A) and (C));
 * - H-1B time past six years under AC21: one year at a time with a PERM or I-140 filed at least 365 days before
 *   (§106(a), 8 CFR 214.2(h)(13)(iii)(D)), three years at a time with an approved I-140 whose priority date is not
 *   current (§104(c), (E));
 * - a spouse's right to work in each status;
 * - a child's age under the Child Status Protection Act (INA 203(h)(1)) and the date they age out.
 * Dates are ISO calendar dates (UTC); day counts are whole days.
 */
export type LimitedStatus = 'L1A' | 'L1B' | 'H1B';

const DAY_MS = 86_400_000;
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const toDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string) => Math.round((toMs(b) - toMs(a)) / DAY_MS);
export const addDays = (d: string, n: number) => toDay(toMs(d) + n * DAY_MS);

/** The same day `years` later (29 February becomes 28 February in a common year). */
export function addYears(d: string, years: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y + years, m - 1, day));
  if (target.getUTCMonth() !== m - 1) return toDay(Date.UTC(y + years, m - 1, 28));
  return toDay(target.getTime());
}

function number(parameters: ParameterSet, id: string, asOf: string): number {
  const value = parameterAt(parameters, id, asOf)?.value;
  if (typeof value !== 'number') throw new RangeError(`no value of ${id} on ${asOf}`);
  return value;
}

const MAX_YEARS: Record<LimitedStatus, string> = {
  L1A: 'dhs/cfr/8-cfr-214-2-l/l1a-max-years',
  L1B: 'dhs/cfr/8-cfr-214-2-l/l1b-max-years',
  H1B: 'dhs/cfr/8-cfr-214-2-h/h1b-max-years',
};

export interface MaximumStay {
  status: LimitedStatus;
  years: number;
  /** The last day of the maximum: the first day in status + the years + the days outside recaptured. */
  endsOn: string;
  daysRecaptured: number;
  citation: string;
  parameter: string;
}

/**
 * The end of the maximum period of stay. Time in H-1B and L-1 counts together against the status's maximum (an
 * L-1 worker changing to H-1B keeps the days already used), so `usedDays` are days already spent in either; whole
 * days spent outside the United States are recaptured (added back).
 */
export function maximumStay(
  parameters: ParameterSet,
  input: { status: LimitedStatus; startedOn: string; daysOutside?: number; usedDaysBefore?: number },
): MaximumStay {
  const years = number(parameters, MAX_YEARS[input.status], input.startedOn);
  const recaptured = Math.max(0, Math.floor(input.daysOutside ?? 0));
  const used = Math.max(0, Math.floor(input.usedDaysBefore ?? 0));
  const endsOn = addDays(addYears(input.startedOn, years), recaptured - used - 1);
  return {
    status: input.status,
    years,
    endsOn,
    daysRecaptured: recaptured,
    citation: input.status === 'H1B' ? '8 CFR 214.2(h)(13)(iii)(A), (C); INA 214(g)(4)' : '8 CFR 214.2(l)(12)(i), (15)(ii)', // prettier-ignore
    parameter: MAX_YEARS[input.status],
  };
}

export interface Ac21Extension {
  kind: '104c' | '106a' | 'none';
  /** Years granted by one extension (0 when none). */
  years: number;
  /** From when the extension can be asked (the 365th day after the filing, for §106(a)). */
  availableFrom: string | null;
  reason: { en: string; ko: string };
  citation: string;
}

/**
 * Whether an H-1B worker at six years can stay on, and how: §104(c) first (three years, an approved I-140 and a
 * priority date that is not current), else §106(a) (one year, a PERM or I-140 filed at least 365 days before the
 * extension starts).
 */
export function h1bPastSixYears(
  parameters: ParameterSet,
  input: {
    /** The day the extension would start (the day after the six years end). */
    from: string;
    permFiledOn?: string;
    i140FiledOn?: string;
    i140ApprovedOn?: string;
    priorityDateCurrent?: boolean;
  },
): Ac21Extension {
  const lead = number(parameters, 'congress/ac21/h1b-106a-filing-lead-days', input.from);
  if (input.i140ApprovedOn && input.i140ApprovedOn <= input.from && input.priorityDateCurrent === false)
    return {
      kind: '104c',
      years: number(parameters, 'congress/ac21/h1b-104c-extension-years', input.from),
      availableFrom: input.from,
      reason: {
        en: 'An approved I-140 and a priority date that is not current: three years at a time (AC21 §104(c)).',
        ko: 'I-140이 승인되었고 우선일이 아직 도래하지 않았으므로 3년씩 연장할 수 있습니다(AC21 §104(c)).',
      },
      citation: 'AC21 §104(c); 8 CFR 214.2(h)(13)(iii)(E)',
    };
  const filings = [input.permFiledOn, input.i140FiledOn].filter((d): d is string => d !== undefined).sort();
  const first = filings[0];
  if (first) {
    const availableFrom = addDays(first, lead);
    return {
      kind: availableFrom <= input.from ? '106a' : 'none',
      years: availableFrom <= input.from ? number(parameters, 'congress/ac21/h1b-106a-extension-years', input.from) : 0, // prettier-ignore
      availableFrom,
      reason:
        availableFrom <= input.from
          ? { en: `A PERM or I-140 filed on ${first}, ${lead} days or more before: one year at a time (AC21 §106(a)).`, ko: `${first}에 PERM 또는 I-140을 제출해 ${lead}일 이상 지났으므로 1년씩 연장할 수 있습니다(AC21 §106(a)).` } // prettier-ignore
          : { en: `The PERM or I-140 filed on ${first} is not ${lead} days old on ${input.from}: no extension past six years until ${availableFrom}.`, ko: `${first}에 제출한 PERM 또는 I-140이 ${input.from}에 ${lead}일이 지나지 않아 ${availableFrom}까지는 6년을 넘겨 연장할 수 없습니다.` }, // prettier-ignore
      citation: 'AC21 §106(a); 8 CFR 214.2(h)(13)(iii)(D)',
    };
  }
  return {
    kind: 'none',
    years: 0,
    availableFrom: null,
    reason: {
      en: 'No PERM or I-140 filed: the H-1B ends at six years (a year outside the United States resets it).',
      ko: 'PERM이나 I-140을 제출하지 않아 H-1B는 6년에 끝납니다(미국 밖에서 1년을 보내면 다시 시작할 수 있습니다).',
    },
    citation: '8 CFR 214.2(h)(13)(iii)(A)',
  };
}

export type SpouseStatus = 'L2' | 'E2S' | 'H4' | 'B2' | 'none';
export interface SpouseWork {
  may: 'incident_to_status' | 'with_ead' | 'no';
  explanation: { en: string; ko: string };
  citation: string;
}

/**
 * A spouse's right to work: E and L spouses incident to status (shown by the I-94 annotation, E-1S/E-2S/E-3S,
 * L-2S, since 2022-01-30); an H-4 spouse only with an EAD, and only when the H-1B worker has an approved I-140 or
 * an AC21 extension; a visitor never.
 */
export function spouseWork(
  status: SpouseStatus,
  principal: { i140Approved?: boolean; ac21Extended?: boolean } = {},
): SpouseWork {
  if (status === 'L2' || status === 'E2S')
    return {
      may: 'incident_to_status',
      explanation: {
        en: 'May work for any employer: authorized incident to status, shown by the I-94 annotation (L-2S, E-2S); no EAD needed.', // prettier-ignore
        ko: '어느 고용주에게서나 일할 수 있습니다. 체류 신분에 따라 허가되며 I-94의 표기(L-2S, E-2S)로 증명하므로 EAD가 필요 없습니다.', // prettier-ignore
      },
      citation: 'INA 214(c)(2)(E), 214(e)(6); USCIS policy of 2021-11-12 after Shergill v. Mayorkas (I-94 annotation from 2022-01-30)', // prettier-ignore
    };
  if (status === 'H4')
    return principal.i140Approved || principal.ac21Extended
      ? {
          may: 'with_ead',
          explanation: {
            en: 'May work once USCIS grants an EAD (Form I-765): the H-1B worker has an approved I-140 or an AC21 extension.', // prettier-ignore
            ko: 'H-1B 근로자의 I-140이 승인되었거나 AC21 연장을 받았으므로 USCIS의 취업 허가(EAD, I-765)를 받으면 일할 수 있습니다.', // prettier-ignore
          },
          citation: '8 CFR 214.2(h)(9)(iv); 8 CFR 274a.12(c)(26)',
        }
      : {
          may: 'no',
          explanation: {
            en: 'May not work: an H-4 spouse gets an EAD only after the H-1B worker’s I-140 is approved or an AC21 extension is granted.', // prettier-ignore
            ko: '일할 수 없습니다. H-4 배우자는 H-1B 근로자의 I-140 승인이나 AC21 연장 이후에만 EAD를 받을 수 있습니다.',
          },
          citation: '8 CFR 214.2(h)(9)(iv); 8 CFR 274a.12(c)(26)',
        };
  return {
    may: 'no',
    explanation: { en: 'May not work in the United States in this status.', ko: '이 신분으로는 미국에서 일할 수 없습니다.' }, // prettier-ignore
    citation: '8 CFR 214.1(e); 8 CFR 274a.12',
  };
}

export interface CspaAge {
  /** Age in whole days on the date the visa became available, minus the days the petition was pending. */
  ageDays: number;
  /** The same in years (365.25 days), for display. */
  ageYears: number;
  protectedAsChild: boolean;
  /** The last day the child may seek permanent residence for the age to count (a year after availability). */
  seekBy: string;
  citation: string;
}

/**
 * The CSPA age (INA 203(h)(1)): the age on the day a visa became available, reduced by the time the petition was
 * pending (filing to approval). Under 21 years the child stays a child for the parent's petition, if they seek
 * to acquire permanent residence within a year. The age limit is counted as the 21st birthday (a calendar date).
 */
export function cspaAge(
  parameters: ParameterSet,
  input: { birthDate: string; petitionFiledOn: string; petitionApprovedOn: string; visaAvailableOn: string },
): CspaAge {
  const limit = number(parameters, 'congress/cspa/child-age-limit-years', input.visaAvailableOn);
  const seekYears = number(parameters, 'congress/cspa/seek-to-acquire-years', input.visaAvailableOn);
  const pending = Math.max(0, daysBetween(input.petitionFiledOn, input.petitionApprovedOn));
  const ageDays = daysBetween(input.birthDate, input.visaAvailableOn) - pending;
  // Under the limit: the reduced age falls before the limit birthday (counted in calendar days).
  const limitDays = daysBetween(input.birthDate, addYears(input.birthDate, limit));
  return {
    ageDays,
    ageYears: Math.round((ageDays / 365.25) * 100) / 100,
    protectedAsChild: ageDays < limitDays,
    seekBy: addYears(input.visaAvailableOn, seekYears),
    citation: 'INA 203(h)(1) (8 U.S.C. 1153(h)(1)); INA 101(b)(1)',
  };
}

/**
 * The last day a child can wait for a visa and still count as a child: the day before the 21st birthday, pushed
 * later by the days the parent's petition was (or is expected to be) pending.
 */
export function ageOutDate(parameters: ParameterSet, birthDate: string, pendingDays = 0): string {
  const limit = number(parameters, 'congress/cspa/child-age-limit-years', birthDate < '2002-08-06' ? '2002-08-06' : birthDate); // prettier-ignore
  return addDays(addYears(birthDate, limit), Math.max(0, Math.floor(pendingDays)) - 1);
}

export type StatusForChange = 'abroad' | 'B1' | 'ESTA' | 'L1A' | 'L1B' | 'H1B' | 'E2' | 'E4';
export interface StatusChange {
  /** `in_us`: a change (or extension) of status inside the United States; `abroad`: a visa abroad and a new admission. */
  how: 'in_us' | 'abroad' | 'same';
  explanation: { en: string; ko: string };
  citation: string;
}

/**
 * How a worker moves from where they stand to a nonimmigrant status: inside the United States by a petition with a
 * change of status (Form I-129, 8 CFR 248), or by a visa at a consulate abroad and a new admission. A Visa Waiver
 * (ESTA) entrant cannot change status (INA 248(a)(4)); from Korea there is only the visa. A visa is still needed to
 * travel and come back after a change inside the United States (the visa stamp is not the status).
 */
export function statusChange(from: StatusForChange, to: StatusForChange): StatusChange {
  if (from === to)
    return { how: 'same', explanation: { en: 'Already in this status: extend it before the admission ends (Form I-129).', ko: '이미 이 신분입니다. 체류 허가가 끝나기 전에 연장하세요(I-129).' }, citation: '8 CFR 214.1(c)' }; // prettier-ignore
  if (from === 'abroad')
    return { how: 'abroad', explanation: { en: 'From Korea: the petition (where the status needs one), then the visa at the U.S. Embassy in Seoul, then admission.', ko: '한국에서: (필요하면) 청원 후 주한 미국대사관에서 비자를 받아 입국합니다.' }, citation: 'INA 221, 222; 22 CFR 41' }; // prettier-ignore
  if (from === 'ESTA')
    return { how: 'abroad', explanation: { en: 'A Visa Waiver (ESTA) entrant cannot change status inside the United States: leave, get the visa in Seoul, and be admitted again.', ko: '비자면제(ESTA)로 입국하면 미국 안에서 신분을 바꿀 수 없습니다. 출국해 서울에서 비자를 받고 다시 입국해야 합니다.' }, citation: 'INA 248(a)(4); 8 CFR 248.2(a)(3)' }; // prettier-ignore
  return {
    how: 'in_us',
    explanation: {
      en: 'Possible inside the United States: the employer files Form I-129 with a change of status while the current status lasts; a visa is still needed to travel and come back.', // prettier-ignore
      ko: '미국 안에서 가능합니다. 현재 신분이 유지되는 동안 고용주가 신분 변경과 함께 I-129를 제출합니다. 출국 후 재입국하려면 비자가 필요합니다.', // prettier-ignore
    },
    citation: 'INA 248(a); 8 CFR 248.1, 248.3',
  };
}
