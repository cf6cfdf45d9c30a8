import type { BilingualText, CategoryId } from '../../contract/assessment.js';
import { addDays, dayNumber, periodEnd, type IsoDate } from '../dates/index.js';

/**
 * Stays in the US and their arithmetic (issue 6). Pure: no clock, no I/O.
 *
 * Counting rule (stated, because month and day arithmetic is ambiguous otherwise): a stay is counted in
 * calendar days INCLUDING the day of admission and the day of departure (entered and left on the same day = 1
 * day). "Admitted for N days" means the last day of permitted stay is admission + N − 1 (ESTA: 90 days from
 * 2026-01-01 is 2026-03-31). "Admitted for N months/years" means admission + N months − 1 day (the day before
 * the same calendar day; a day missing in the target month becomes its last day, then minus one).
 * The expected admit-until dates below are what the status should give; CBP decides, and its I-94 is what
 * counts. We flag a difference so a person checks it (CBP errors and admissions cut to passport expiry are
 * common); we never "correct" the I-94.
 */

export interface AdmissionClass {
  code: string;
  /** The guidelines category whose activity rules apply to this class (null: no rules modelled). */
  category: CategoryId | null;
  label: BilingualText;
  /** What the status should give at admission, if fixed: days, or months. */
  expected: { days: number } | { months: number } | { maxMonths: number } | null;
  /** Duration of status (no date) is possible for this class. */
  durationOfStatus: boolean;
  /** The expectation is our reading and should be checked (`verify`). */
  verify: boolean;
}

/** CBP classes of admission we model (8 CFR 214; CBP I-94 class codes). */
export const admissionClasses: readonly AdmissionClass[] = [
  { code: 'WB', category: 'ESTA', label: { en: 'Visa Waiver Program, business (ESTA)', ko: '비자면제프로그램 상용(ESTA)' }, expected: { days: 90 }, durationOfStatus: false, verify: false },
  { code: 'WT', category: 'ESTA', label: { en: 'Visa Waiver Program, tourism (ESTA)', ko: '비자면제프로그램 관광(ESTA)' }, expected: { days: 90 }, durationOfStatus: false, verify: false },
  { code: 'B1', category: 'B1', label: { en: 'B-1 business visitor', ko: 'B-1 상용 방문' }, expected: { maxMonths: 12 }, durationOfStatus: false, verify: true },
  { code: 'B2', category: 'B1', label: { en: 'B-2 visitor for pleasure', ko: 'B-2 관광 방문' }, expected: { maxMonths: 12 }, durationOfStatus: false, verify: true },
  { code: 'E2', category: 'E2', label: { en: 'E-2 treaty investor or employee', ko: 'E-2 조약 투자자·직원' }, expected: { months: 24 }, durationOfStatus: false, verify: true },
  { code: 'L1A', category: 'L1A', label: { en: 'L-1A intracompany manager or executive', ko: 'L-1A 주재원(관리자·임원)' }, expected: null, durationOfStatus: false, verify: true },
  { code: 'L1B', category: 'L1B', label: { en: 'L-1B intracompany specialized knowledge', ko: 'L-1B 주재원(전문 지식)' }, expected: null, durationOfStatus: false, verify: true },
  { code: 'H1B', category: 'H1B', label: { en: 'H-1B specialty occupation', ko: 'H-1B 전문직' }, expected: null, durationOfStatus: false, verify: true },
  { code: 'H2B', category: 'H2B', label: { en: 'H-2B temporary non-agricultural worker', ko: 'H-2B 비농업 임시 근로자' }, expected: null, durationOfStatus: false, verify: true },
  { code: 'H3', category: 'H3', label: { en: 'H-3 trainee', ko: 'H-3 연수생' }, expected: null, durationOfStatus: false, verify: true },
  { code: 'E4', category: 'E4', label: { en: 'E-4 (proposed, H.R. 4687; not law)', ko: 'E-4(발의안 H.R. 4687, 미입법)' }, expected: { months: 24 }, durationOfStatus: false, verify: true },
  { code: 'F1', category: null, label: { en: 'F-1 student', ko: 'F-1 학생' }, expected: null, durationOfStatus: true, verify: false },
] as const; // prettier-ignore

const byCode = new Map(admissionClasses.map((c) => [c.code, c]));

/** A class by its code (`L-1A`, `l1a` and `L1A` are the same); undefined for an unknown class. */
export function admissionClass(code: string): AdmissionClass | undefined {
  return byCode.get(code.toUpperCase().replace(/[\s-]/g, ''));
}

/** Days from `from` to `to`, both included (same day = 1). */
export function inclusiveDays(from: IsoDate, to: IsoDate): number {
  return dayNumber(to) - dayNumber(from) + 1;
}

/** The last day of a stay of `days` days that starts on `admitted` (the admission day is day 1). */
export function lastDayOfDays(admitted: IsoDate, days: number): IsoDate {
  return addDays(admitted, days - 1);
}

/** The last day of a stay of `months` months from `admitted`: the day before the same day N months later. */
export function lastDayOfMonths(admitted: IsoDate, months: number): IsoDate {
  return periodEnd(admitted, months);
}

/** The admit-until date a class should give on admission (null when it depends on a petition or is open). */
export function expectedAdmitUntil(
  cls: AdmissionClass,
  admitted: IsoDate,
): { date: IsoDate; exact: boolean } | null {
  if (!cls.expected) return null;
  if ('days' in cls.expected) return { date: lastDayOfDays(admitted, cls.expected.days), exact: true };
  if ('months' in cls.expected) return { date: lastDayOfMonths(admitted, cls.expected.months), exact: true };
  return { date: lastDayOfMonths(admitted, cls.expected.maxMonths), exact: false };
}

export interface Stay {
  admittedOn: IsoDate;
  classOfAdmission: string;
  admitUntil: IsoDate | null;
  durationOfStatus: boolean;
  departedOn: IsoDate | null;
}

export type StayWarningCode =
  | 'esta_over_90_days'
  | 'admit_until_differs'
  | 'admit_until_cut_to_passport'
  | 'back_to_back_visits'
  | 'overstay';

export interface StayWarning {
  code: StayWarningCode;
  message: BilingualText;
  verify: boolean;
}

export interface StayStatus {
  /** Days in the US on this admission up to `on` (or the departure), both days included. */
  daysUsed: number;
  /** Days left until admit-until, `on` excluded (0 on the last day); null for duration of status. */
  daysRemaining: number | null;
  present: boolean;
  expectedAdmitUntil: IsoDate | null;
  warnings: StayWarning[];
}

const BACK_TO_BACK_WINDOW_DAYS = 365;
const BACK_TO_BACK_VISITOR_DAYS = 180;

/**
 * The state of one stay on a day: days used and left, and what a person should look at. `history` holds the
 * person's earlier stays (for back-to-back visitor entries); `passportExpiry` explains a short admission.
 */
export function stayStatus(
  stay: Stay,
  on: IsoDate,
  options: { passportExpiry?: IsoDate; history?: readonly Stay[] } = {},
): StayStatus {
  const cls = admissionClass(stay.classOfAdmission);
  const end = stay.departedOn && stay.departedOn < on ? stay.departedOn : on;
  const present = on >= stay.admittedOn && (!stay.departedOn || on <= stay.departedOn);
  const daysUsed = on < stay.admittedOn ? 0 : inclusiveDays(stay.admittedOn, end);
  const daysRemaining =
    stay.durationOfStatus || !stay.admitUntil
      ? null
      : Math.max(0, dayNumber(stay.admitUntil) - dayNumber(on));
  const warnings: StayWarning[] = [];
  const expected = cls ? expectedAdmitUntil(cls, stay.admittedOn) : null;
  if (cls?.category === 'ESTA' && daysUsed > 90) {
    warnings.push({
      code: 'esta_over_90_days',
      message: {
        en: `ESTA stays are limited to 90 days; this one has lasted ${daysUsed}.`,
        ko: `ESTA 체류는 90일까지인데 이번 체류가 ${daysUsed}일째입니다.`,
      },
      verify: false,
    });
  }
  if (stay.admitUntil && expected) {
    const cut =
      options.passportExpiry !== undefined &&
      stay.admitUntil === options.passportExpiry &&
      stay.admitUntil < expected.date;
    if (cut) {
      warnings.push({
        code: 'admit_until_cut_to_passport',
        message: {
          en: `The admission was cut to the passport's expiry (${stay.admitUntil}); the status would give ${expected.date}. Renew the passport before an extension.`,
          ko: `체류 허가 기한이 여권 만료일(${stay.admitUntil})로 단축되었습니다. 원래는 ${expected.date}까지입니다. 연장 전에 여권을 갱신하세요.`,
        },
        verify: cls!.verify,
      });
    } else if (expected.exact ? stay.admitUntil !== expected.date : stay.admitUntil > expected.date) {
      warnings.push({
        code: 'admit_until_differs',
        message: {
          en: `The I-94 admit-until date ${stay.admitUntil} differs from what ${cls!.code} usually gives (${expected.exact ? expected.date : `at most ${expected.date}`}); check the I-94 and ask CBP to correct an error.`,
          ko: `I-94 체류 허가 기한 ${stay.admitUntil}이(가) ${cls!.code} 자격의 일반적인 기한(${expected.exact ? expected.date : `최대 ${expected.date}`})과 다릅니다. I-94를 확인하고 오류라면 CBP에 정정을 요청하세요.`,
        },
        verify: cls!.verify,
      });
    }
  }
  if (present && stay.admitUntil && !stay.durationOfStatus && on > stay.admitUntil) {
    warnings.push({
      code: 'overstay',
      message: {
        en: `Still present after the admit-until date ${stay.admitUntil}.`,
        ko: `체류 허가 기한 ${stay.admitUntil}이(가) 지났는데 아직 체류 중입니다.`,
      },
      verify: false,
    });
  }
  if (cls && (cls.category === 'ESTA' || cls.category === 'B1') && options.history) {
    const since = addDays(stay.admittedOn, -BACK_TO_BACK_WINDOW_DAYS);
    let days = daysUsed;
    let visits = 1;
    for (const earlier of options.history) {
      const earlierClass = admissionClass(earlier.classOfAdmission);
      if (!earlierClass || (earlierClass.category !== 'ESTA' && earlierClass.category !== 'B1')) continue;
      if (earlier.admittedOn >= stay.admittedOn || !earlier.departedOn || earlier.departedOn < since)
        continue;
      const from = earlier.admittedOn < since ? since : earlier.admittedOn;
      days += inclusiveDays(from, earlier.departedOn);
      visits++;
    }
    if (visits >= 3 || days > BACK_TO_BACK_VISITOR_DAYS) {
      warnings.push({
        code: 'back_to_back_visits',
        message: {
          en: `${visits} visitor admissions and ${days} days in the US within a year: frequent back-to-back visits invite questions at the border about residence and work (our threshold, not a legal limit).`,
          ko: `1년 안에 방문 자격 입국 ${visits}회, 미국 체류 ${days}일입니다. 잦은 연속 방문은 입국 심사에서 거주·취업 의심을 받을 수 있습니다(법정 한도가 아닌 자체 기준).`,
        },
        verify: true,
      });
    }
  }
  return { daysUsed, daysRemaining, present, expectedAdmitUntil: expected?.date ?? null, warnings };
}
