import type { BilingualText } from '../../contract/assessment.js';
import { addDays, addMonths, addYears, daysBetween, type IsoDate } from '../dates/index.js';
import { admissionClass, inclusiveDays, lastDayOfMonths } from '../presence/stay.js';

/**
 * Alert rules (issue 6, item 2). Pure: no clock, no I/O — the caller gives the as-of DATE and the records.
 *
 * Time zone: the as-of date is a calendar date the caller has already fixed; the server computes it in the
 * alerts time zone (`KORUS_ALERTS_TIME_ZONE`, default UTC) when the scan runs. Every date below (admit-until,
 * passport and visa expiry, birth dates, stage targets) is a calendar date without a time zone, so the rules
 * only compare calendar dates. Stays are counted with `src/core/presence/stay.ts` (both ends included).
 *
 * Each rule emits at most one alert per subject and threshold and gives it a `dedupeKey` that stays the same
 * from one day to the next, so storing alerts with "insert unless the key exists" never repeats one.
 */

export const alertKinds = [
  'admit_until', // the I-94 admit-until date of a stay in progress is near (30/14/7/1 days) or past
  'passport_expiry', // a worker's or dependent's passport expires within 6 months (or has expired)
  'visa_expiry', // a visa (case document of a `*_visa` type with an expiry date) expires within 90 days
  'max_stay', // the maximum period of stay in H or L classification is near
  'child_turning_21', // a child dependent turns 21 within 90 days (INA 101(b)(1))
  'case_stage_overdue', // an open case is still in a stage whose target date has passed
  'response_due', // the response to a USCIS RFE or NOID is due within 30/14/7/3/1 days (issue 18)
  'plan_filing', // a filing of the worker's settlement plan (first path) is due within 90/30/7 days (issue 19)
  'plan_age_out', // on the worker's settlement plan (first path) a child ages out before the green card
] as const;
export type AlertKind = (typeof alertKinds)[number];
export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertSubjectType = 'worker' | 'dependent' | 'entry' | 'case' | 'document';

export interface Alert {
  kind: AlertKind;
  subjectType: AlertSubjectType;
  subjectId: string;
  /** The worker the alert concerns (for links and recipients); null for none. */
  workerId: string | null;
  /** The case the alert concerns, when there is one. */
  caseId: string | null;
  /** The date the alert is about: the admit-until, expiry, maximum-stay date, 21st birthday, stage target. */
  dueOn: IsoDate;
  /** The threshold crossed (days before `dueOn`); 0 when the date has passed; null for single-shot rules. */
  thresholdDays: number | null;
  dedupeKey: string;
  severity: AlertSeverity;
  message: BilingualText;
  /** The reading of the law behind the rule should be checked by counsel. */
  verify: boolean;
}

export interface PersonRecord {
  id: string;
  familyName: string;
  givenName: string;
  nameHangul: string | null;
}

export interface WorkerRecord extends PersonRecord {
  passportExpiry: IsoDate;
}

export interface DependentRecord extends PersonRecord {
  workerId: string;
  relationship: 'spouse' | 'child';
  birthDate: IsoDate;
  /** Not every dependent has a passport expiry on file. */
  passportExpiry: IsoDate | null;
}

export interface EntryRecord {
  id: string;
  workerId: string;
  dependentId: string | null;
  admittedOn: IsoDate;
  classOfAdmission: string;
  admitUntil: IsoDate | null;
  durationOfStatus: boolean;
  departedOn: IsoDate | null;
}

export interface VisaRecord {
  /** The case document holding the visa. */
  documentId: string;
  caseId: string;
  workerId: string;
  dependentId: string | null;
  docType: string;
  expiresOn: IsoDate;
}

export interface CaseStageRecord {
  caseId: string;
  workerId: string;
  dependentId: string | null;
  stage: string;
  stageTitle: BilingualText;
  /** The current stage's target date: the plan's, a contingent stage's own clock, or a notice's deadline. */
  stageTargetDate: IsoDate;
  /** Set when the target is the response deadline of a USCIS notice (request for evidence, intent to deny). */
  notice?: 'rfe' | 'noid' | null;
}

/** A worker's saved settlement plan, its first-ranked path as the alerts read it (issue 19). */
export interface PlanRecord {
  workerId: string;
  route: string;
  filings: { label: BilingualText; dueBy: IsoDate; citation: string }[];
  ageOuts: { index: number; name: string | null; ageOutOn: IsoDate }[];
}

export interface AlertInput {
  asOf: IsoDate;
  /** Saved settlement plans (absent: none). */
  plans?: readonly PlanRecord[];
  workers: readonly WorkerRecord[];
  dependents: readonly DependentRecord[];
  entries: readonly EntryRecord[];
  visas: readonly VisaRecord[];
  caseStages: readonly CaseStageRecord[];
}

/** Thresholds (days before the admit-until date) at which a stay in progress raises an alert. */
export const ADMIT_UNTIL_THRESHOLDS = [30, 14, 7, 1] as const;
/** Passports expiring within this many months (many consulates and CBP expect six months of validity). */
export const PASSPORT_WINDOW_MONTHS = 6;
/** Visas expiring within this many days (our choice: time to renew before the next trip). */
export const VISA_WINDOW_DAYS = 90;
/** A child dependent turning 21 within this many days. */
export const CHILD_AGE_OUT_WINDOW_DAYS = 90;
/**
 * Days before the response deadline of an RFE or a NOID at which an alert is raised. USCIS gives at most 12
 * weeks for an RFE and 30 days for a NOID (8 CFR 103.2(b)(8)(iv)), plus 3 days when the notice is mailed
 * (8 CFR 103.8(b)); a response not received by the deadline is treated as abandoned or decided on the record
 * (8 CFR 103.2(b)(13)).
 */
export const RESPONSE_DUE_THRESHOLDS = [30, 14, 7, 3, 1] as const;
/** Days before a settlement plan's filing is due at which an alert is raised (issue 19). */
export const PLAN_FILING_THRESHOLDS = [90, 30, 7] as const;
/** Days before the maximum-stay date at which an alert is raised. */
export const MAX_STAY_THRESHOLDS = [180, 90, 30] as const;

/**
 * Maximum periods of stay (years) and the classes whose time counts toward them.
 * - L-1A 7 years, L-1B 5 years: 8 CFR 214.2(l)(12)(i); time in H or L classification counts.
 * - H-1B 6 years: 8 CFR 214.2(h)(13)(iii)(A); time in H or L classification counts.
 * - H-2B 3 years: 8 CFR 214.2(h)(15)(ii)(C) (and (h)(13)(iv)); time in H or L classification counts.
 * Only days in the US count (time abroad is "recaptured"). The clock restarts after an absence: one year
 * abroad for H-1B and L (214.2(h)(13)(iii)(A), (l)(12)(i)); 60 days for H-2B (214.2(h)(13)(v) as amended by the
 * 2024 H-2 modernization rule). Exemptions (AC21 §§104(c), 106(a), commuters, seasonal workers) are not
 * modelled: every max-stay alert is marked `verify`.
 */
export const maxStayRules: Record<string, { years: number; resetDaysAbroad: number; cite: string }> = {
  L1A: { years: 7, resetDaysAbroad: 365, cite: '8 CFR 214.2(l)(12)(i)' },
  L1B: { years: 5, resetDaysAbroad: 365, cite: '8 CFR 214.2(l)(12)(i)' },
  H1B: { years: 6, resetDaysAbroad: 365, cite: '8 CFR 214.2(h)(13)(iii)(A)' },
  H2B: { years: 3, resetDaysAbroad: 60, cite: '8 CFR 214.2(h)(15)(ii)(C)' },
};
const H_OR_L = new Set(['H1B', 'H2B', 'H3', 'L1A', 'L1B']);

function nameOf(p: PersonRecord): BilingualText {
  const en = `${p.familyName} ${p.givenName}`;
  return { en, ko: p.nameHangul ? p.nameHangul : en };
}

/** The tightest threshold crossed: the smallest t with daysLeft <= t (null when none is crossed yet). */
function thresholdCrossed(daysLeft: number, thresholds: readonly number[]): number | null {
  let crossed: number | null = null;
  for (const t of thresholds) if (daysLeft <= t && (crossed === null || t < crossed)) crossed = t;
  return crossed;
}

function presentOn(e: EntryRecord, on: IsoDate): boolean {
  return e.admittedOn <= on && (e.departedOn === null || e.departedOn >= on);
}

function dayWord(n: number): { en: string; ko: string } {
  return { en: n === 1 ? '1 day' : `${n} days`, ko: `${n}일` };
}

/** All alerts for one as-of date, in a stable order (kind, then due date, then key). */
export function computeAlerts(input: AlertInput): Alert[] {
  const { asOf } = input;
  const alerts: Alert[] = [];
  const workers = new Map(input.workers.map((w) => [w.id, w]));
  const dependents = new Map(input.dependents.map((d) => [d.id, d]));
  const personOf = (workerId: string, dependentId: string | null): PersonRecord | undefined =>
    dependentId ? dependents.get(dependentId) : workers.get(workerId);

  // Admit-until: a stay in progress (present on the as-of date), not duration of status.
  for (const e of input.entries) {
    if (!presentOn(e, asOf) || e.durationOfStatus || !e.admitUntil) continue;
    const person = personOf(e.workerId, e.dependentId);
    if (!person) continue;
    const name = nameOf(person);
    const daysLeft = daysBetween(asOf, e.admitUntil);
    const threshold = daysLeft < 0 ? 0 : thresholdCrossed(daysLeft, ADMIT_UNTIL_THRESHOLDS);
    if (threshold === null) continue;
    const left = dayWord(daysLeft);
    alerts.push({
      kind: 'admit_until',
      subjectType: 'entry',
      subjectId: e.id,
      workerId: e.workerId,
      caseId: null,
      dueOn: e.admitUntil,
      thresholdDays: threshold,
      dedupeKey: `admit_until:${e.id}:${e.admitUntil}:${threshold}`,
      severity: threshold === 0 || threshold <= 7 ? 'critical' : threshold <= 14 ? 'warning' : 'info',
      message:
        daysLeft < 0
          ? {
              en: `${name.en} (${e.classOfAdmission}) is still recorded as present after the I-94 admit-until date ${e.admitUntil}: record the departure or an extension now.`,
              ko: `${name.ko}(${e.classOfAdmission})이(가) I-94 체류 허가 기한 ${e.admitUntil}이(가) 지났는데 아직 체류 중으로 기록되어 있습니다. 즉시 출국 또는 연장을 기록하세요.`,
            }
          : {
              en: `${name.en} (${e.classOfAdmission}) must leave or extend by ${e.admitUntil}: ${left.en} left (I-94 admit-until).`,
              ko: `${name.ko}(${e.classOfAdmission})의 I-94 체류 허가 기한은 ${e.admitUntil}입니다. ${left.ko} 남았습니다. 출국하거나 연장하세요.`,
            },
      verify: false,
    });
  }

  // Passports: workers and dependents (those with an expiry on file).
  const passportLimit = addMonths(asOf, PASSPORT_WINDOW_MONTHS);
  const passports: {
    type: 'worker' | 'dependent';
    person: PersonRecord;
    workerId: string;
    expiry: IsoDate;
  }[] = [];
  for (const w of input.workers) passports.push({ type: 'worker', person: w, workerId: w.id, expiry: w.passportExpiry }); // prettier-ignore
  for (const d of input.dependents)
    if (d.passportExpiry) passports.push({ type: 'dependent', person: d, workerId: d.workerId, expiry: d.passportExpiry }); // prettier-ignore
  for (const p of passports) {
    if (p.expiry > passportLimit) continue;
    const name = nameOf(p.person);
    const expired = p.expiry < asOf;
    alerts.push({
      kind: 'passport_expiry',
      subjectType: p.type,
      subjectId: p.person.id,
      workerId: p.workerId,
      caseId: null,
      dueOn: p.expiry,
      thresholdDays: expired ? 0 : null,
      dedupeKey: `passport_expiry:${p.type}:${p.person.id}:${p.expiry}${expired ? ':expired' : ''}`,
      severity: expired ? 'critical' : 'warning',
      message: expired
        ? {
            en: `The passport of ${name.en} expired on ${p.expiry}: renew it before any travel or filing.`,
            ko: `${name.ko}의 여권이 ${p.expiry}에 만료되었습니다. 출입국이나 신청 전에 갱신하세요.`,
          }
        : {
            en: `The passport of ${name.en} expires on ${p.expiry}, within ${PASSPORT_WINDOW_MONTHS} months: renew it (an admission may be cut to the passport's expiry).`,
            ko: `${name.ko}의 여권이 ${p.expiry}에 만료됩니다(${PASSPORT_WINDOW_MONTHS}개월 이내). 갱신하세요(체류 허가 기한이 여권 만료일로 단축될 수 있습니다).`,
          },
      verify: false,
    });
  }

  // Visas: the latest expiry per person and visa type (a renewed visa replaces the old one).
  const latestVisa = new Map<string, VisaRecord>();
  for (const v of input.visas) {
    const key = `${v.workerId}:${v.dependentId ?? ''}:${v.docType}`;
    const current = latestVisa.get(key);
    if (!current || v.expiresOn > current.expiresOn) latestVisa.set(key, v);
  }
  for (const v of latestVisa.values()) {
    const daysLeft = daysBetween(asOf, v.expiresOn);
    if (daysLeft > VISA_WINDOW_DAYS) continue;
    const person = personOf(v.workerId, v.dependentId);
    if (!person) continue;
    const name = nameOf(person);
    const expired = daysLeft < 0;
    alerts.push({
      kind: 'visa_expiry',
      subjectType: 'document',
      subjectId: v.documentId,
      workerId: v.workerId,
      caseId: v.caseId,
      dueOn: v.expiresOn,
      thresholdDays: expired ? 0 : VISA_WINDOW_DAYS,
      dedupeKey: `visa_expiry:${v.documentId}:${v.expiresOn}${expired ? ':expired' : ''}`,
      severity: expired ? 'warning' : 'info',
      message: {
        en: `The visa (${v.docType}) of ${name.en} ${expired ? 'expired' : 'expires'} on ${v.expiresOn}. A visa is needed to enter again; the stay itself is governed by the I-94 admit-until date.`,
        ko: `${name.ko}의 비자(${v.docType})가 ${v.expiresOn}에 만료${expired ? '되었습니다' : '됩니다'}. 재입국에는 유효한 비자가 필요하며, 체류 기한 자체는 I-94 체류 허가 기한을 따릅니다.`,
      },
      verify: false,
    });
  }

  // Maximum period of stay in H or L classification, for a person present in one of the capped classes.
  const staysByPerson = new Map<string, EntryRecord[]>();
  for (const e of input.entries) {
    const key = `${e.workerId}:${e.dependentId ?? ''}`;
    const list = staysByPerson.get(key) ?? [];
    list.push(e);
    staysByPerson.set(key, list);
  }
  for (const e of input.entries) {
    if (!presentOn(e, asOf)) continue;
    const code = admissionClass(e.classOfAdmission)?.code;
    const rule = code ? maxStayRules[code] : undefined;
    if (!code || !rule) continue;
    const person = personOf(e.workerId, e.dependentId);
    if (!person) continue;
    const stays = staysByPerson
      .get(`${e.workerId}:${e.dependentId ?? ''}`)!
      .filter((s) => s.admittedOn <= asOf && H_OR_L.has(admissionClass(s.classOfAdmission)?.code ?? ''))
      .sort((a, b) => (a.admittedOn < b.admittedOn ? -1 : a.admittedOn > b.admittedOn ? 1 : 0));
    const maxStayOn = maxStayDate(stays, asOf, rule);
    const daysLeft = daysBetween(asOf, maxStayOn);
    const threshold = daysLeft < 0 ? 0 : thresholdCrossed(daysLeft, MAX_STAY_THRESHOLDS);
    if (threshold === null) continue;
    const name = nameOf(person);
    alerts.push({
      kind: 'max_stay',
      subjectType: e.dependentId ? 'dependent' : 'worker',
      subjectId: e.dependentId ?? e.workerId,
      workerId: e.workerId,
      caseId: null,
      dueOn: maxStayOn,
      thresholdDays: threshold,
      dedupeKey: `max_stay:${e.dependentId ?? e.workerId}:${code}:${threshold}`,
      severity: threshold <= 30 ? 'critical' : threshold <= 90 ? 'warning' : 'info',
      message: {
        en: `${name.en} reaches the ${rule.years}-year maximum stay in ${code} on about ${maxStayOn} (days in H or L status counted; ${rule.cite}). Plan the departure or a change of status.`,
        ko: `${name.ko}은(는) ${maxStayOn}경 ${code} 최대 체류 기간 ${rule.years}년에 도달합니다(H·L 자격 체류일 합산, ${rule.cite}). 출국이나 자격 변경을 준비하세요.`,
      },
      verify: true,
    });
  }

  // A child dependent turning 21 (no longer a "child", INA 101(b)(1)): within 90 days, or already 21 while
  // present in the US on a stay.
  for (const d of input.dependents) {
    if (d.relationship !== 'child') continue;
    const birthday21 = addYears(d.birthDate, 21); // a 29 February birthday gives 28 February in common years
    const daysLeft = daysBetween(asOf, birthday21);
    const present = input.entries.some((e) => e.dependentId === d.id && presentOn(e, asOf));
    if (daysLeft > CHILD_AGE_OUT_WINDOW_DAYS || (daysLeft < 0 && !present)) continue;
    const name = nameOf(d);
    const past = daysLeft < 0;
    alerts.push({
      kind: 'child_turning_21',
      subjectType: 'dependent',
      subjectId: d.id,
      workerId: d.workerId,
      caseId: null,
      dueOn: birthday21,
      thresholdDays: past ? 0 : CHILD_AGE_OUT_WINDOW_DAYS,
      dedupeKey: `child_turning_21:${d.id}:${birthday21}${past ? ':past' : ''}`,
      severity: past ? 'critical' : 'warning',
      message: past
        ? {
            en: `${name.en} turned 21 on ${birthday21} and is no longer a child for derivative status (INA 101(b)(1)) but is recorded as present: a status of their own is needed.`,
            ko: `${name.ko}은(는) ${birthday21}에 만 21세가 되어 동반 자녀 자격(INA 101(b)(1))을 잃었는데 체류 중으로 기록되어 있습니다. 본인 자격이 필요합니다.`,
          }
        : {
            en: `${name.en} turns 21 on ${birthday21} and will then no longer be a child for derivative status (INA 101(b)(1)): plan a status of their own.`,
            ko: `${name.ko}은(는) ${birthday21}에 만 21세가 되어 동반 자녀 자격(INA 101(b)(1))을 잃습니다. 본인 자격을 준비하세요.`,
          },
      verify: false,
    });
  }

  // Responses to USCIS notices, before their deadline (once it has passed, the stage is overdue below).
  for (const c of input.caseStages) {
    if (!c.notice) continue;
    const left = daysBetween(asOf, c.stageTargetDate);
    if (left <= 0) continue;
    const threshold = thresholdCrossed(left, RESPONSE_DUE_THRESHOLDS);
    if (threshold === null) continue;
    const person = personOf(c.workerId, c.dependentId);
    const name = person ? nameOf(person) : { en: '', ko: '' };
    const days = dayWord(left);
    const notice =
      c.notice === 'rfe'
        ? { en: 'request for evidence', ko: '추가 증거 요청(RFE)' }
        : { en: 'notice of intent to deny', ko: '거절 예정 통지(NOID)' };
    alerts.push({
      kind: 'response_due',
      subjectType: 'case',
      subjectId: c.caseId,
      workerId: c.workerId,
      caseId: c.caseId,
      dueOn: c.stageTargetDate,
      thresholdDays: threshold,
      dedupeKey: `response_due:${c.caseId}:${c.notice}:${c.stageTargetDate}:${threshold}`,
      severity: threshold <= 7 ? 'critical' : 'warning',
      message: {
        en: `The response to the USCIS ${notice.en} for ${name.en} must reach USCIS by ${c.stageTargetDate} (${days.en} left); without it the petition is decided on the record (8 CFR 103.2(b)(13)).`,
        ko: `${name.ko}의 USCIS ${notice.ko}에 대한 답변은 ${c.stageTargetDate}까지 USCIS에 도착해야 합니다(${days.ko} 남음). 기한을 넘기면 기존 기록만으로 결정됩니다(8 CFR 103.2(b)(13)).`,
      },
      verify: false,
    });
  }

  // Case stages past their target date.
  for (const c of input.caseStages) {
    const late = daysBetween(c.stageTargetDate, asOf);
    if (late <= 0) continue;
    const person = personOf(c.workerId, c.dependentId);
    const name = person ? nameOf(person) : { en: '', ko: '' };
    const late1 = dayWord(late);
    alerts.push({
      kind: 'case_stage_overdue',
      subjectType: 'case',
      subjectId: c.caseId,
      workerId: c.workerId,
      caseId: c.caseId,
      dueOn: c.stageTargetDate,
      thresholdDays: null,
      dedupeKey: `case_stage_overdue:${c.caseId}:${c.stage}:${c.stageTargetDate}`,
      // Late is never "soon": two weeks or more behind is urgent.
      severity: late >= 14 ? 'critical' : 'warning',
      message: {
        en: `The case of ${name.en} is ${late1.en} past the target date ${c.stageTargetDate} of the stage "${c.stageTitle.en}".`,
        ko: `${name.ko}의 사건이 "${c.stageTitle.ko}" 단계 목표일 ${c.stageTargetDate}보다 ${late1.ko} 지났습니다.`,
      },
      verify: false,
    });
  }

  // The settlement plan's filings (its first path): 90, 30 and 7 days before each is due.
  for (const plan of input.plans ?? []) {
    const worker = workers.get(plan.workerId);
    if (!worker) continue;
    const name = nameOf(worker);
    for (const f of plan.filings) {
      const daysLeft = daysBetween(asOf, f.dueBy);
      if (daysLeft < 0) continue;
      const threshold = thresholdCrossed(daysLeft, PLAN_FILING_THRESHOLDS);
      if (threshold === null) continue;
      alerts.push({
        kind: 'plan_filing',
        subjectType: 'worker',
        subjectId: plan.workerId,
        workerId: plan.workerId,
        caseId: null,
        dueOn: f.dueBy,
        thresholdDays: threshold,
        dedupeKey: `plan_filing:${plan.workerId}:${f.label.en}:${f.dueBy}:${threshold}`,
        severity: threshold <= 7 ? 'critical' : threshold <= 30 ? 'warning' : 'info',
        message: {
          en: `Settlement plan of ${name.en}: "${f.label.en}" is due by ${f.dueBy} (${f.citation}).`,
          ko: `${name.ko}의 정착 계획: "${f.label.ko}" 기한은 ${f.dueBy}입니다(${f.citation}).`,
        },
        verify: true,
      });
    }
    for (const c of plan.ageOuts) {
      const child = c.name ?? `child ${c.index + 1}`;
      alerts.push({
        kind: 'plan_age_out',
        subjectType: 'worker',
        subjectId: plan.workerId,
        workerId: plan.workerId,
        caseId: null,
        dueOn: c.ageOutOn,
        thresholdDays: null,
        dedupeKey: `plan_age_out:${plan.workerId}:${plan.route}:${c.index}:${c.ageOutOn}`,
        severity: 'critical',
        message: {
          en: `Settlement plan of ${name.en}: ${child} ages out on the first path (${c.ageOutOn}) and would not get a green card with the family; compare the other paths with counsel (INA 203(h)).`,
          ko: `${name.ko}의 정착 계획: ${c.name ?? `자녀 ${c.index + 1}`}은(는) 첫 번째 경로에서 연령 초과(${c.ageOutOn})로 가족과 함께 영주권을 받지 못합니다. 다른 경로를 변호사와 비교하세요(INA 203(h)).`,
        },
        verify: true,
      });
    }
  }

  const order = new Map(alertKinds.map((k, i) => [k, i]));
  return alerts.sort(
    (a, b) =>
      order.get(a.kind)! - order.get(b.kind)! ||
      (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0) ||
      (a.dedupeKey < b.dedupeKey ? -1 : a.dedupeKey > b.dedupeKey ? 1 : 0),
  );
}

/**
 * The last day of permitted stay under a cumulative cap, seen from `asOf` for a person present on it: the cap
 * (N years counted from the start of the current accrual, both ends included) minus the days already spent in
 * the US in H or L classification since the clock last restarted, projected forward from `asOf`.
 * `stays` are the person's H and L stays admitted on or before `asOf`, oldest first.
 */
export function maxStayDate(
  stays: readonly EntryRecord[],
  asOf: IsoDate,
  rule: { years: number; resetDaysAbroad: number },
): IsoDate {
  // The clock restarts after an absence of at least `resetDaysAbroad` days between two stays.
  let start = 0;
  for (let i = 1; i < stays.length; i++) {
    const previousEnd = stays[i - 1]!.departedOn ?? asOf;
    if (daysBetween(previousEnd, stays[i]!.admittedOn) - 1 >= rule.resetDaysAbroad) start = i;
  }
  const counted = stays.slice(start);
  if (counted.length === 0) return lastDayOfMonths(asOf, rule.years * 12);
  let used = 0;
  for (const s of counted) {
    const end = s.departedOn !== null && s.departedOn < asOf ? s.departedOn : asOf;
    used += inclusiveDays(s.admittedOn, end);
  }
  const first = counted[0]!.admittedOn;
  const capDays = inclusiveDays(first, lastDayOfMonths(first, rule.years * 12));
  // Present on asOf (counted in `used`): the last permitted day is asOf + (cap − used).
  return addDays(asOf, capDays - used);
}
