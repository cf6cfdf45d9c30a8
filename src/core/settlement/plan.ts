import type { BilingualText } from '../../contract/assessment.js';
import { planRoutes } from '../../contract/settlement.js';
import type {
  Plan,
  PlanFacts,
  PlanPath,
  PlanRoute,
  PlanStepKind,
  planChildSchema,
  planFilingSchema,
  planRiskSchema,
  planSegmentSchema,
  planSpousePeriodSchema,
  planStepSchema,
  planUnavailableSchema,
} from '../../contract/settlement.js';
import type { z } from 'zod';
import { addDays, addMonths, addYears, daysBetween } from '../dates/index.js';
import { parameterAt, type ParameterSet } from '../rules/parameters.js';
import { bulletinAt, estimateCurrent, gradeIn, schoolYearOf, type BulletinCategory, type SettlementData } from './data.js'; // prettier-ignore
import {
  ageOutDate,
  cspaAge,
  h1bPastSixYears,
  maximumStay,
  spouseWork,
  statusChange,
  type SpouseStatus,
} from './limits.js';

/**
 * The settlement planner (issue 19): for a worker and their family, given where they stand, the employer, the
 * role, education and experience and a goal (stay N years, or permanent residence), the candidate paths as
 * timelines, ranked: each status with its dates and limit, the green-card steps with their estimated durations,
 * the filings due, the spouse's right to work and each child's school years and CSPA age-out on the same axis,
 * and the risks in words. Pure: every figure comes from the dated parameters (`rules/parameters`) or the data
 * files (`rules/data`), every line carries its citation, estimates say so.
 */

type Segment = z.infer<typeof planSegmentSchema>;
type Step = z.infer<typeof planStepSchema>;
type Filing = z.infer<typeof planFilingSchema>;
type Risk = z.infer<typeof planRiskSchema>;
type SpousePeriod = z.infer<typeof planSpousePeriodSchema>;
type Child = z.infer<typeof planChildSchema>;
type Unavailable = z.infer<typeof planUnavailableSchema>;

interface Range {
  min: number;
  typical: number;
  max: number;
}
function range(parameters: ParameterSet, id: string, asOf: string): Range & Record<string, number> {
  const v = parameterAt(parameters, id, asOf)?.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new RangeError(`no value of ${id} on ${asOf}`);
  return v as unknown as Range & Record<string, number>;
}
function num(parameters: ParameterSet, id: string, asOf: string): number {
  const v = parameterAt(parameters, id, asOf)?.value;
  if (typeof v !== 'number') throw new RangeError(`no value of ${id} on ${asOf}`);
  return v;
}
const isVerify = (parameters: ParameterSet, id: string, asOf: string) =>
  parameterAt(parameters, id, asOf)?.status === 'verify';

const STATUS_LABEL: Record<string, BilingualText> = {
  L1A: { en: 'L-1A intracompany manager or executive', ko: 'L-1A 주재원(관리자·임원)' },
  L1B: { en: 'L-1B intracompany specialized knowledge', ko: 'L-1B 주재원(전문 지식)' },
  H1B: { en: 'H-1B specialty occupation', ko: 'H-1B 전문직' },
  E2: { en: 'E-2 treaty employee', ko: 'E-2 조약 직원' },
  E4: { en: 'E-4 (proposed, not law)', ko: 'E-4(법안, 미입법)' },
  LPR: { en: 'Permanent resident (green card)', ko: '영주권자(그린카드)' },
  abroad: { en: 'In Korea', ko: '한국 체류' },
  L2: { en: 'L-2 spouse', ko: 'L-2 배우자' },
  E2S: { en: 'E-2 spouse', ko: 'E-2 배우자' },
  E4S: { en: 'E-4 spouse (proposed)', ko: 'E-4 배우자(법안)' },
  H4: { en: 'H-4 spouse', ko: 'H-4 배우자' },
};

const ROUTE_TITLE: Record<PlanRoute, BilingualText> = {
  eb1c: { en: 'L-1A, then a green card as a multinational manager (EB-1C)', ko: 'L-1A 후 다국적 기업 관리자 영주권(EB-1C)' }, // prettier-ignore
  eb2_perm: { en: 'Work visa, then a green card with labor certification (EB-2, PERM)', ko: '취업 비자 후 노동허가를 거친 영주권(EB-2, PERM)' }, // prettier-ignore
  eb2_niw: { en: 'Work visa, then a green card in the national interest (EB-2, NIW)', ko: '취업 비자 후 국익 면제 영주권(EB-2 NIW)' }, // prettier-ignore
  eb3_perm: { en: 'Work visa, then a green card as a skilled worker (EB-3, PERM)', ko: '취업 비자 후 숙련공 영주권(EB-3, PERM)' }, // prettier-ignore
  eb5: { en: 'A green card as an investor (EB-5)', ko: '투자 이민 영주권(EB-5)' },
  e2_renewals: { en: 'E-2, renewed two years at a time', ko: 'E-2를 2년씩 갱신' },
  e4_scenario: { en: 'The proposed E-4 (scenario: not law)', ko: '발의된 E-4(시나리오: 미입법)' },
};

const ROLES_L1A = new Set(['manager', 'executive']);
const ROLES_SKILLED = new Set(['technician', 'engineer', 'specialist', 'supervisor', 'manager', 'executive']);
const DEGREE = new Set(['bachelor', 'master', 'doctorate']);
const ADVANCED = new Set(['master', 'doctorate']);

interface Base {
  status: 'L1A' | 'L1B' | 'H1B' | 'E2' | 'E4';
  start: string;
  /** Already in this status (since `start`). */
  current: boolean;
  citation: string;
}

interface Ctx {
  f: PlanFacts;
  p: ParameterSet;
  data: SettlementData;
  asOf: string;
  horizonTo: string;
  experienceYears: number;
  bulletin: ReturnType<typeof bulletinAt>;
}

const t = (en: string, ko: string): BilingualText => ({ en, ko });

/** Where the worker starts a route's nonimmigrant status: the current status, or the first visa's lead time. */
function baseFor(ctx: Ctx, status: Base['status']): Base {
  const { f, asOf, p } = ctx;
  if (f.status.code === status && f.status.since)
    return { status, start: f.status.since, current: true, citation: '' };
  if (status === 'H1B') {
    // Registration in March, employment from 1 October (8 CFR 214.2(h)(8)(iii)).
    const year = Number(asOf.slice(0, 4)) + (asOf.slice(5) > '03-31' ? 1 : 0);
    return { status, start: `${year}-10-01`, current: false, citation: '8 CFR 214.2(h)(8)(iii)' };
  }
  const lead = {
    L1A: 'korus/lead-times/l1-individual',
    L1B: 'korus/lead-times/l1-individual',
    E2: 'korus/lead-times/e2',
    E4: 'korus/lead-times/e4',
  }[status];
  const days = range(p, lead, asOf).typical;
  return { status, start: addDays(asOf, days), current: false, citation: lead };
}

/** The nonimmigrant status a green-card route rides on: the current one if it can, else the best first visa. */
function rideOn(ctx: Ctx): Base | null {
  const { f } = ctx;
  const c = f.status.code;
  if ((c === 'L1A' || c === 'L1B' || c === 'H1B' || c === 'E2' || c === 'E4') && f.status.since)
    return baseFor(ctx, c);
  const yearsWithEmployer = daysBetween(f.worker.employedSince, ctx.asOf) / 365.25;
  if (f.employer.multinational && yearsWithEmployer >= 1) {
    if (ROLES_L1A.has(f.worker.role)) return baseFor(ctx, 'L1A');
    if (ROLES_SKILLED.has(f.worker.role)) return baseFor(ctx, 'L1B');
  }
  if (f.employer.koreanOwned && ROLES_SKILLED.has(f.worker.role)) return baseFor(ctx, 'E2');
  if (DEGREE.has(f.worker.education)) return baseFor(ctx, 'H1B');
  return null;
}

interface Built {
  segments: Segment[];
  steps: Step[];
  filings: Filing[];
  risks: Risk[];
  spouse: SpousePeriod[];
  children: Child[];
  goalOn: string | null;
  priorityDate: string | null;
  currentOn: string | null;
  penalty: number;
  scenario: boolean;
}

function step(
  ctx: Ctx,
  kind: PlanStepKind,
  label: BilingualText,
  from: string,
  to: string,
  citation: string,
  source: string | null,
  estimate = true,
): Step {
  const verify = source ? (source.startsWith('rules/data') ? ctx.bulletin.verify : isVerify(ctx.p, source, ctx.asOf)) : false; // prettier-ignore
  return { kind, label, from, to, estimate, citation, source, verify };
}

/** The green-card steps after a priority date, shared by the routes. */
function immigrantSteps(
  ctx: Ctx,
  out: Built,
  opts: { category: BulletinCategory; i140From: string; premiumDays: number | null; inUs: boolean; i140Label?: BilingualText; petition?: 'i140' | 'i526e' }, // prettier-ignore
): { i140Filed: string; i140Approved: string; availableOn: string | null; greenCard: string | null } {
  const { p, asOf } = ctx;
  const petition = opts.petition ?? 'i140';
  const petitionSource = petition === 'i140' ? 'uscis/processing-times/i140-months' : 'uscis/processing-times/i526e-months'; // prettier-ignore
  const months = range(p, petitionSource, asOf);
  const i140Filed = opts.i140From;
  const i140Approved = opts.premiumDays
    ? addDays(i140Filed, opts.premiumDays + 7)
    : addMonths(i140Filed, months.typical);
  out.steps.push(
    step(ctx, petition, opts.i140Label ?? (petition === 'i140'
        ? t(`Immigrant petition (I-140)${opts.premiumDays ? ', premium processing' : ''}`, `이민 청원(I-140)${opts.premiumDays ? ', 급행 심사' : ''}`)
        : t('Investor petition (I-526E)', '투자자 청원(I-526E)')),
      i140Filed, i140Approved, petition === 'i140' ? '8 CFR 204.5; 8 CFR 106.4 (premium processing)' : 'INA 203(b)(5); 8 CFR 204.6', petitionSource), // prettier-ignore
  );
  const pd = out.priorityDate ?? i140Filed;
  out.priorityDate = pd;
  const current = estimateCurrent(ctx.bulletin, opts.category, pd);
  out.currentOn = current.on;
  if (!current.on) {
    out.risks.push({
      severity: 'critical',
      text: current.explanation,
      citation: 'INA 203(b); Visa Bulletin',
    });
    return { i140Filed, i140Approved, availableOn: null, greenCard: null };
  }
  const availableOn = current.on > i140Approved ? current.on : i140Approved;
  if (current.on > i140Approved)
    out.steps.push(
      step(ctx, 'visa_wait', t(`Waiting for the priority date (${opts.category}, estimate)`, `우선일 대기(${opts.category}, 추정)`), i140Approved, current.on, 'INA 203(b), 202(a)(2); Visa Bulletin (final action dates)', 'rules/data/visa-bulletin-south-korea'), // prettier-ignore
    );
  if (current.queueDays > 0)
    out.risks.push({ severity: 'info', text: current.explanation, citation: 'Visa Bulletin' });
  let greenCard: string;
  if (opts.inUs) {
    const m = range(p, 'uscis/processing-times/i485-months', asOf).typical;
    greenCard = addMonths(availableOn, m);
    out.steps.push(step(ctx, 'i485', t('Adjustment of status in the United States (I-485), spouse and children with it', '미국 내 신분 조정(I-485), 배우자·자녀 동반'), availableOn, greenCard, 'INA 245(a), 245(k); 8 CFR 245', 'uscis/processing-times/i485-months')); // prettier-ignore
    out.risks.push({
      severity: 'info',
      text: t(
        'Adjustment inside the United States is discretionary; a USCIS memo of May 2026 (reported as PM-602-0199) is said to make it the exception. Immigrant visa processing at the embassy in Seoul is the alternative (verify).',
        '미국 내 신분 조정은 재량 사항이며, 2026년 5월 USCIS 지침(PM-602-0199로 보도됨)이 이를 예외로 삼는다고 합니다. 서울 대사관의 이민 비자 절차가 대안입니다(확인 필요).',
      ),
      citation: 'INA 245(a) (verify the memo)',
    });
  } else {
    const m = range(p, 'dos/nvc/consular-processing-months', asOf).typical;
    greenCard = addMonths(availableOn, m);
    out.steps.push(step(ctx, 'consular', t('Immigrant visa at the U.S. Embassy in Seoul, spouse and children with it', '주한 미국대사관 이민 비자, 배우자·자녀 동반'), availableOn, greenCard, 'INA 221, 222; 22 CFR 42', 'dos/nvc/consular-processing-months')); // prettier-ignore
  }
  out.steps.push(step(ctx, 'green_card', t('Permanent residence (green card)', '영주권 취득'), greenCard, greenCard, 'INA 203(b), 245', null)); // prettier-ignore
  const natYears = num(p, 'congress/ina/naturalization-years', asOf);
  const nat = addYears(greenCard, natYears);
  if (nat <= ctx.horizonTo)
    out.steps.push(step(ctx, 'naturalization_eligible', t(`May apply for U.S. citizenship (${natYears} years a permanent resident)`, `미국 시민권 신청 가능(영주 ${natYears}년)`), nat, nat, 'INA 316(a), 334(a)', 'congress/ina/naturalization-years', false)); // prettier-ignore
  out.goalOn = greenCard;
  return { i140Filed, i140Approved, availableOn, greenCard };
}

/** The nonimmigrant status's segment, its limit and its filings, up to `until` (the green card or the horizon). */
function baseSegment(
  ctx: Ctx,
  out: Built,
  base: Base,
  until: string,
  i140: { filed?: string; approved?: string; permFiled?: string; current?: boolean },
) {
  const { p, asOf } = ctx;
  const to = until < ctx.horizonTo ? until : ctx.horizonTo;
  if (base.status === 'L1A' || base.status === 'L1B' || base.status === 'H1B') {
    const max = maximumStay(p, { status: base.status, startedOn: base.start, daysOutside: base.current ? ctx.f.status.daysOutside : 0, usedDaysBefore: base.current ? ctx.f.status.usedDays : 0 }); // prettier-ignore
    let end = max.endsOn;
    let limit = t(`Maximum ${max.years} years (to ${max.endsOn}); days outside the United States are added back`, `최대 ${max.years}년(${max.endsOn}까지), 미국 밖에서 보낸 날은 다시 더해집니다`); // prettier-ignore
    let citation = max.citation;
    if (base.status === 'H1B' && to > end) {
      // AC21: past six years while the green card is pending.
      const from = addDays(end, 1);
      const ext = h1bPastSixYears(p, { from, permFiledOn: i140.permFiled, i140FiledOn: i140.filed, i140ApprovedOn: i140.approved, priorityDateCurrent: i140.current ?? false }); // prettier-ignore
      if (ext.kind !== 'none') {
        end = to;
        limit = t(`Six years (to ${max.endsOn}), then extended under AC21 ${ext.kind === '104c' ? '§104(c), three years at a time' : '§106(a), one year at a time'} until the green card`, `6년(${max.endsOn}까지) 후 영주권까지 AC21 ${ext.kind === '104c' ? '§104(c)에 따라 3년씩' : '§106(a)에 따라 1년씩'} 연장`); // prettier-ignore
        citation = `${max.citation}; ${ext.citation}`;
      } else out.risks.push({ severity: 'critical', text: ext.reason, citation: ext.citation });
      const lead = num(p, 'congress/ac21/h1b-106a-filing-lead-days', asOf);
      out.filings.push({
        label: t('File the PERM labor certification (or the I-140)', 'PERM 노동허가(또는 I-140) 제출'),
        from: null,
        dueBy: addDays(from, -lead),
        reason: t(`Filed ${lead} days before the six years end, it allows H-1B extensions past six years (AC21 §106(a)).`, `6년이 끝나기 ${lead}일 전까지 제출해야 6년 이후 H-1B 연장이 가능합니다(AC21 §106(a)).`), // prettier-ignore
        citation: 'AC21 §106(a); 8 CFR 214.2(h)(13)(iii)(D)',
      });
    }
    const segTo = to < end ? to : end;
    out.segments.push({ status: base.status, label: STATUS_LABEL[base.status]!, from: base.start, to: segTo, limit, citation, verify: base.status !== 'H1B' }); // prettier-ignore
    if (until > end && until !== ctx.horizonTo) {
      out.penalty += 1500;
      out.risks.push({
        severity: 'critical',
        text: t(
          `The ${STATUS_LABEL[base.status]!.en} reaches its maximum on ${end}, before the estimated green card (${until}): the worker must leave or change status (an H-1B needs the lottery), and the green card is then finished from Korea.`,
          `${STATUS_LABEL[base.status]!.ko} 최대 기간이 ${end}에 끝나 예상 영주권 시점(${until})보다 이릅니다. 출국하거나 신분을 바꿔야 하며(H-1B는 추첨), 영주권은 한국에서 마무리합니다.`,
        ),
        citation: max.citation,
      });
    } else if (until !== ctx.horizonTo)
      out.filings.push({
        label: t('Finish the green card before the maximum stay', '최대 체류 기간 전에 영주권 절차 완료'),
        from: null,
        dueBy: end,
        reason: t(`The ${STATUS_LABEL[base.status]!.en} ends on ${end} at the latest.`, `${STATUS_LABEL[base.status]!.ko}은(는) 늦어도 ${end}에 끝납니다.`), // prettier-ignore
        citation: max.citation,
      });
    if (base.status === 'H1B' && !base.current) {
      out.penalty += 730;
      out.risks.push({
        severity: 'warning',
        text: t('The H-1B needs the cap lottery: about 35 in 100 registrations were selected for FY2026 (verify; FY2027 is weighted by wage).', 'H-1B는 추첨이 필요합니다. FY2026에는 등록 100건 중 약 35건이 선정되었습니다(확인 필요, FY2027부터 임금 가중 추첨).'), // prettier-ignore
        citation: 'INA 214(g)(1); 8 CFR 214.2(h)(8)(iii) (verify)',
      });
    }
    return segTo;
  }
  // E-2 and the proposed E-4: periods of two years, renewable without a total limit.
  const param =
    base.status === 'E2' ? 'dhs/cfr/8-cfr-214-2-e/e2-admission-years' : 'congress/hr4687/e4-admission-years';
  const years = num(p, param, asOf);
  const citation = base.status === 'E2' ? '8 CFR 214.2(e)(19)-(20); INA 101(a)(15)(E)(ii)' : 'H.R. 4687 (119th Congress), not law; modelled on INA 101(a)(15)(E)(iii)'; // prettier-ignore
  out.segments.push({ status: base.status, label: STATUS_LABEL[base.status]!, from: base.start, to, limit: t(`Admitted ${years} years at a time, renewable without a total limit while the employer qualifies`, `${years}년씩 허가되며 고용주가 요건을 갖추는 한 총 기간 제한 없이 갱신`), citation, verify: base.status === 'E4' || isVerify(p, param, asOf) }); // prettier-ignore
  let next = addYears(base.start, years);
  while (next <= asOf) next = addYears(next, years);
  let n = 0;
  while (next < to && n < 6) {
    out.filings.push({
      label: t(`Extend the ${base.status === 'E2' ? 'E-2' : 'E-4'} (Form I-129, or travel and be admitted again)`, `${base.status === 'E2' ? 'E-2' : 'E-4'} 연장(I-129 또는 재입국)`), // prettier-ignore
      from: addMonths(next, -6),
      dueBy: addDays(next, -1),
      reason: t(
        `The admission ends on ${addDays(next, -1)}; file before it ends.`,
        `체류 허가가 ${addDays(next, -1)}에 끝나므로 그 전에 신청하세요.`,
      ),
      citation,
    });
    next = addYears(next, years);
    n++;
  }
  return to;
}

function spouseFor(
  ctx: Ctx,
  out: Built,
  base: Base,
  segTo: string,
  i140Approved: string | null,
  greenCard: string | null,
) {
  const spouse = ctx.f.family.spouse;
  if (!spouse) return;
  const code: SpouseStatus | 'E4S' = base.status === 'L1A' || base.status === 'L1B' ? 'L2' : base.status === 'H1B' ? 'H4' : base.status === 'E4' ? 'E4S' : 'E2S'; // prettier-ignore
  const push = (status: string, from: string, to: string, w: ReturnType<typeof spouseWork>) =>
    out.spouse.push({ status, label: STATUS_LABEL[status]!, from, to, work: w.may, explanation: w.explanation, citation: w.citation }); // prettier-ignore
  if (code === 'H4') {
    if (i140Approved && i140Approved < segTo) {
      push('H4', base.start, i140Approved, spouseWork('H4'));
      push('H4', i140Approved, segTo, spouseWork('H4', { i140Approved: true }));
    } else push('H4', base.start, segTo, spouseWork('H4'));
  } else if (code === 'E4S') {
    const w = spouseWork('E2S');
    push('E4S', base.start, segTo, { ...w, explanation: t('May work if the E-4 follows the E-3 model as introduced (spouses authorized incident to status): not law.', '법안대로 E-3 방식을 따르면 일할 수 있습니다(배우자 취업 허가): 미입법.'), citation: 'H.R. 4687 (not law); INA 214(e)(6) by analogy' }); // prettier-ignore
  } else push(code, base.start, segTo, spouseWork(code));
  if (greenCard && greenCard <= ctx.horizonTo)
    out.spouse.push({ status: 'LPR', label: STATUS_LABEL.LPR!, from: greenCard, to: ctx.horizonTo, work: 'permanent_resident', explanation: t('A permanent resident may work for any employer.', '영주권자는 어느 고용주에게서나 일할 수 있습니다.'), citation: 'INA 101(a)(20); 8 CFR 274a.12(a)(1)' }); // prettier-ignore
}

function childrenFor(
  ctx: Ctx,
  out: Built,
  from: string,
  gc: {
    i140Filed: string;
    i140Approved: string;
    availableOn: string | null;
    greenCard: string | null;
  } | null,
  derivative: string,
) {
  const { p, f } = ctx;
  const firstYear = schoolYearOf(from > ctx.asOf ? from : ctx.asOf);
  const lastYear = schoolYearOf(ctx.horizonTo);
  f.family.children.forEach((c, index) => {
    const turns21On = addYears(c.birthDate, 21);
    const school = [] as { schoolYear: string; grade: string }[];
    for (let y = firstYear; y <= lastYear; y++) {
      const grade = gradeIn(ctx.data.school, f.state, c.birthDate, y);
      if (grade === 'done') break;
      school.push({ schoolYear: `${y}-${String((y + 1) % 100).padStart(2, '0')}`, grade });
    }
    const name = c.name ?? null;
    const who = name ?? `child ${index + 1}`;
    const whoKo = name ?? `자녀 ${index + 1}`;
    if (gc && gc.availableOn) {
      const pending = Math.max(0, daysBetween(gc.i140Filed, gc.i140Approved));
      const r = cspaAge(p, { birthDate: c.birthDate, petitionFiledOn: gc.i140Filed, petitionApprovedOn: gc.i140Approved, visaAvailableOn: gc.availableOn }); // prettier-ignore
      const ageOutOn = ageOutDate(p, c.birthDate, pending);
      const explanation = r.protectedAsChild
        ? t(`Counts as a child for the green card: CSPA age ${r.ageYears.toFixed(1)} on ${gc.availableOn} (age then, less ${pending} days pending); must apply by ${r.seekBy}.`, `영주권에서 자녀로 인정됩니다. ${gc.availableOn} 기준 CSPA 나이 ${r.ageYears.toFixed(1)}세(그때의 나이에서 심사 대기 ${pending}일을 뺀 값), ${r.seekBy}까지 신청해야 합니다.`) // prettier-ignore
        : t(`Ages out on this path: CSPA age ${r.ageYears.toFixed(1)} on ${gc.availableOn}, over 21 (the last protected day was ${ageOutOn}).`, `이 경로에서는 연령 초과입니다. ${gc.availableOn} 기준 CSPA 나이 ${r.ageYears.toFixed(1)}세로 21세를 넘습니다(보호되는 마지막 날 ${ageOutOn}).`); // prettier-ignore
      out.children.push({ index, name, birthDate: c.birthDate, turns21On, protectedAsChild: r.protectedAsChild, ageOutOn, cspaAgeYears: r.ageYears, explanation, school }); // prettier-ignore
      if (!r.protectedAsChild) {
        out.penalty += 1000;
        out.risks.push({ severity: 'critical', text: t(`${who} ages out on this path (${ageOutOn}): no green card with the parents; their own status (F-1 student, their own petition) is needed.`, `${whoKo}은(는) 이 경로에서 연령 초과(${ageOutOn})로 부모와 함께 영주권을 받을 수 없어 별도 신분(F-1 학생, 본인 청원)이 필요합니다.`), citation: r.citation }); // prettier-ignore
      } else {
        out.filings.push({ label: t(`${who}: apply for permanent residence with the family`, `${whoKo}: 가족과 함께 영주권 신청`), from: gc.availableOn, dueBy: r.seekBy, reason: t('The CSPA age counts only if the child seeks to acquire permanent residence within a year of the visa becoming available.', 'CSPA 나이는 비자 배정 후 1년 안에 영주권을 신청해야 인정됩니다.'), citation: 'INA 203(h)(1)(A)' }); // prettier-ignore
        if (gc.greenCard && turns21On < gc.greenCard)
          out.risks.push({ severity: 'warning', text: t(`${who} turns 21 on ${turns21On}, before the green card: the ${derivative} status ends then (CSPA protects only the green card); keep them in status, e.g. as an F-1 student.`, `${whoKo}은(는) 영주권 전인 ${turns21On}에 21세가 되어 ${derivative} 신분이 끝납니다(CSPA는 영주권만 보호). F-1 학생 등으로 신분을 유지해야 합니다.`), citation: 'INA 101(b)(1); 8 CFR 214.2(l)(7), (h)(9)(iv)' }); // prettier-ignore
      }
    } else {
      const explanation = t(`Turns 21 on ${turns21On}: the ${derivative} status ends then; no green card on this path.`, `${turns21On}에 21세가 되어 ${derivative} 신분이 끝납니다. 이 경로에는 영주권이 없습니다.`); // prettier-ignore
      out.children.push({ index, name, birthDate: c.birthDate, turns21On, protectedAsChild: null, ageOutOn: null, cspaAgeYears: null, explanation, school }); // prettier-ignore
      if (turns21On <= ctx.horizonTo)
        out.risks.push({ severity: 'warning', text: t(`${who} turns 21 on ${turns21On} and then needs a status of their own (e.g. F-1).`, `${whoKo}은(는) ${turns21On}에 21세가 되어 별도 신분(예: F-1)이 필요합니다.`), citation: 'INA 101(b)(1)' }); // prettier-ignore
    }
  });
}

const DERIVATIVE: Record<Base['status'], string> = {
  L1A: 'L-2',
  L1B: 'L-2',
  H1B: 'H-4',
  E2: 'E-2',
  E4: 'E-4',
};

function empty(): Built {
  return { segments: [], steps: [], filings: [], risks: [], spouse: [], children: [], goalOn: null, priorityDate: null, currentOn: null, penalty: 0, scenario: false }; // prettier-ignore
}

function firstVisaStep(ctx: Ctx, out: Built, base: Base) {
  if (base.current) return;
  // Inside the United States (a change of status) or with a visa abroad (an ESTA entrant, or from Korea).
  const change = statusChange(ctx.f.status.code, base.status);
  out.risks.push({ severity: 'info', text: change.explanation, citation: change.citation });
  out.steps.push(step(ctx, 'first_visa', t(`${STATUS_LABEL[base.status]!.en}: petition or visa, then travel`, `${STATUS_LABEL[base.status]!.ko}: 청원 또는 비자 후 입국`), ctx.asOf, base.start, base.status === 'H1B' ? '8 CFR 214.2(h)(8)(iii)' : 'korus lead times (verify)', base.status === 'H1B' ? null : base.citation)); // prettier-ignore
}

/** A PERM route (EB-2 or EB-3): prevailing wage, recruitment, PERM (the priority date), I-140, the wait, I-485. */
function permRoute(ctx: Ctx, base: Base | null, category: BulletinCategory): Built {
  const out = empty();
  const { p, asOf } = ctx;
  // The employer can start the labour certification at once, wherever the worker is.
  const start = asOf;
  const pwd = range(p, 'dol/flag/prevailing-wage-months', asOf).typical;
  const rec = range(p, 'dol/flag/recruitment-months', asOf).typical;
  const perm = range(p, 'dol/flag/perm-months', asOf).typical;
  const pwdTo = addMonths(start, pwd);
  const recTo = addMonths(pwdTo, rec);
  const permTo = addMonths(recTo, perm);
  if (base) firstVisaStep(ctx, out, base);
  out.steps.push(step(ctx, 'prevailing_wage', t('Prevailing wage determination (Department of Labor)', '적정 임금 결정(노동부)'), start, pwdTo, '20 CFR 656.40', 'dol/flag/prevailing-wage-months')); // prettier-ignore
  out.steps.push(step(ctx, 'recruitment', t('Recruitment in the U.S. labor market (job order, advertisements)', '미국 노동시장 구인(구인 등록, 광고)'), pwdTo, recTo, '20 CFR 656.17(e), 656.10(d)', 'dol/flag/recruitment-months')); // prettier-ignore
  out.steps.push(step(ctx, 'perm', t('PERM labor certification (its filing date is the priority date)', 'PERM 노동허가(제출일이 우선일)'), recTo, permTo, '20 CFR 656.17; 8 CFR 204.5(d)', 'dol/flag/perm-months')); // prettier-ignore
  out.priorityDate = recTo;
  const premium = range(p, 'uscis/processing-times/i140-months', asOf).premiumDays ?? 15;
  const inUs = base !== null;
  const gc = immigrantSteps(ctx, out, { category, i140From: permTo, premiumDays: premium, inUs });
  if (base) {
    const segTo = baseSegment(ctx, out, base, gc.greenCard ?? ctx.horizonTo, { permFiled: recTo, filed: permTo, approved: gc.i140Approved, current: gc.availableOn !== null && gc.availableOn <= permTo }); // prettier-ignore
    spouseFor(ctx, out, base, segTo, gc.i140Approved, gc.greenCard);
  }
  childrenFor(ctx, out, base?.start ?? ctx.asOf, gc, base ? DERIVATIVE[base.status] : 'dependent');
  return out;
}

function lprSegment(ctx: Ctx, out: Built) {
  if (out.goalOn && out.goalOn < ctx.horizonTo)
    out.segments.push({ status: 'LPR', label: STATUS_LABEL.LPR!, from: out.goalOn, to: ctx.horizonTo, limit: t('No limit; citizenship may be sought after five years', '기간 제한 없음, 5년 후 시민권 신청 가능'), citation: 'INA 101(a)(20), 316(a)', verify: false }); // prettier-ignore
}

function build(ctx: Ctx, route: PlanRoute): Built | Unavailable {
  const { f, p, asOf } = ctx;
  const no = (en: string, ko: string): Unavailable => ({ route, reason: t(en, ko) });
  const base = rideOn(ctx);
  switch (route) {
    case 'eb1c': {
      if (!ROLES_L1A.has(f.worker.role)) return no('EB-1C is for managers and executives (8 CFR 204.5(j)(3)(i)(A)).', 'EB-1C는 관리자·임원 대상입니다(8 CFR 204.5(j)(3)(i)(A)).'); // prettier-ignore
      if (!f.employer.multinational) return no('EB-1C needs a qualifying relationship with an employer abroad (8 CFR 204.5(j)(3)(i)(C)).', 'EB-1C는 해외 관계 회사가 필요합니다(8 CFR 204.5(j)(3)(i)(C)).'); // prettier-ignore
      const l1 = baseFor(ctx, 'L1A');
      const abroadYears = num(p, 'dhs/cfr/8-cfr-204-5/eb1c-abroad-years', asOf);
      const lookback = num(p, 'dhs/cfr/8-cfr-204-5/eb1c-lookback-years', asOf);
      const workedAbroad = daysBetween(f.worker.employedSince, l1.start) / 365.25;
      if (workedAbroad < abroadYears)
        return no(`EB-1C needs ${abroadYears} year of the ${lookback} before coming with the employer abroad; ${workedAbroad.toFixed(1)} on ${l1.start} (8 CFR 204.5(j)(3)(i)(B)).`, `EB-1C는 입국 전 ${lookback}년 중 ${abroadYears}년의 해외 근무가 필요합니다. ${l1.start} 기준 ${workedAbroad.toFixed(1)}년(8 CFR 204.5(j)(3)(i)(B)).`); // prettier-ignore
      const out = empty();
      firstVisaStep(ctx, out, l1);
      // The U.S. employer must have done business for a year (204.5(j)(3)(i)(D)): file a year after arrival at the earliest.
      const yearIn = addYears(l1.start, 1);
      const file = yearIn > asOf ? yearIn : addMonths(asOf, 2);
      const premium = range(p, 'uscis/processing-times/i140-months', asOf).premiumDaysEb1cNiw ?? 45;
      const gc = immigrantSteps(ctx, out, { category: 'EB1', i140From: file, premiumDays: premium, inUs: true, i140Label: t('Immigrant petition, multinational manager (I-140, EB-1C), premium processing; no labor certification', '다국적 기업 관리자 이민 청원(I-140, EB-1C), 급행 심사, 노동허가 불필요') }); // prettier-ignore
      const l1Max = maximumStay(p, { status: 'L1A', startedOn: l1.start, daysOutside: l1.current ? f.status.daysOutside : 0, usedDaysBefore: l1.current ? f.status.usedDays : 0 }); // prettier-ignore
      const adjustMonths = range(p, 'uscis/processing-times/i485-months', asOf).typical;
      out.filings.push({ label: t('File the EB-1C petition (I-140)', 'EB-1C 청원(I-140) 제출'), from: yearIn > asOf ? yearIn : null, dueBy: addMonths(l1Max.endsOn, -(adjustMonths + 3)), reason: t('After a year of the U.S. company doing business, while the worker manages there (8 CFR 204.5(j)(3)(i)(D)), early enough for the green card to come before the L-1A maximum.', '미국 법인이 1년 이상 영업한 뒤 근로자가 그곳에서 관리 업무를 하는 동안(8 CFR 204.5(j)(3)(i)(D)), L-1A 최대 기간 전에 영주권이 나오도록 일찍 제출합니다.'), citation: '8 CFR 204.5(j)(3), (j)(5)' }); // prettier-ignore
      const segTo = baseSegment(ctx, out, l1, gc.greenCard ?? ctx.horizonTo, {});
      spouseFor(ctx, out, l1, segTo, gc.i140Approved, gc.greenCard);
      childrenFor(ctx, out, l1.start, gc, 'L-2');
      lprSegment(ctx, out);
      return out;
    }
    case 'eb2_perm': {
      const exp = ctx.experienceYears;
      const progressive = num(p, 'dhs/cfr/8-cfr-204-5/eb2-progressive-experience-years', asOf);
      if (!(ADVANCED.has(f.worker.education) || (f.worker.education === 'bachelor' && exp >= progressive)))
        return no(`EB-2 needs an advanced degree, or a bachelor's and ${progressive} years of progressive experience (8 CFR 204.5(k)(2)).`, `EB-2는 석사 이상, 또는 학사와 ${progressive}년의 경력이 필요합니다(8 CFR 204.5(k)(2)).`); // prettier-ignore
      const out = permRoute(ctx, base, 'EB2');
      lprSegment(ctx, out);
      return out;
    }
    case 'eb2_niw': {
      if (!ADVANCED.has(f.worker.education) || !ROLES_SKILLED.has(f.worker.role))
        return no('A national-interest waiver needs an advanced degree (or exceptional ability) and work of national importance (Matter of Dhanasar, 26 I&N Dec. 884 (AAO 2016)).', '국익 면제는 석사 이상(또는 특출한 능력)과 국가적으로 중요한 업무가 필요합니다(Matter of Dhanasar, 2016).'); // prettier-ignore
      const out = empty();
      if (base) firstVisaStep(ctx, out, base);
      const premium = range(p, 'uscis/processing-times/i140-months', asOf).premiumDaysEb1cNiw ?? 45;
      const gc = immigrantSteps(ctx, out, { category: 'EB2', i140From: addMonths(asOf, 3), premiumDays: premium, inUs: base !== null, i140Label: t('Immigrant petition with a national-interest waiver (I-140, EB-2 NIW), no labor certification', '국익 면제 이민 청원(I-140, EB-2 NIW), 노동허가 불필요') }); // prettier-ignore
      out.penalty += 900;
      out.risks.push({ severity: 'warning', text: t('A national-interest waiver is discretionary: the work must have substantial merit and national importance, the worker be well placed to advance it, and waiving the labor certification be beneficial (Dhanasar).', '국익 면제는 재량 사항입니다. 업무의 상당한 가치와 국가적 중요성, 근로자의 적합성, 노동허가 면제의 이익이 인정되어야 합니다(Dhanasar).'), citation: 'INA 203(b)(2)(B)(i); Matter of Dhanasar, 26 I&N Dec. 884 (AAO 2016)' }); // prettier-ignore
      if (base) {
        const segTo = baseSegment(ctx, out, base, gc.greenCard ?? ctx.horizonTo, { filed: gc.i140Filed, approved: gc.i140Approved, current: true }); // prettier-ignore
        spouseFor(ctx, out, base, segTo, gc.i140Approved, gc.greenCard);
      }
      childrenFor(ctx, out, base?.start ?? asOf, gc, base ? DERIVATIVE[base.status] : 'dependent');
      lprSegment(ctx, out);
      return out;
    }
    case 'eb3_perm': {
      const skilled = num(p, 'dhs/cfr/8-cfr-204-5/eb3-skilled-training-years', asOf);
      const category: BulletinCategory =
        DEGREE.has(f.worker.education) || ctx.experienceYears >= skilled ? 'EB3' : 'EW';
      const out = permRoute(ctx, base, category);
      if (category === 'EW')
        out.risks.push({ severity: 'warning', text: t(`Less than ${skilled} years of training or experience: the "other workers" line of EB-3, with a longer queue (8 CFR 204.5(l)(3)(ii)(D)).`, `경력 ${skilled}년 미만: 대기열이 더 긴 EB-3 "기타 근로자"에 해당합니다(8 CFR 204.5(l)(3)(ii)(D)).`), citation: '8 CFR 204.5(l)(3)(ii)(D)' }); // prettier-ignore
      lprSegment(ctx, out);
      return out;
    }
    case 'eb5': {
      const amounts = range(p, 'congress/eb5-rie/investment-usd', asOf) as unknown as { targeted: number; standard: number }; // prettier-ignore
      const out = empty();
      if (base) firstVisaStep(ctx, out, base);
      const gc = immigrantSteps(ctx, out, { category: 'EB5', i140From: addMonths(asOf, 3), premiumDays: null, inUs: base !== null, petition: 'i526e' }); // prettier-ignore
      out.penalty += 1500;
      out.risks.push({ severity: 'warning', text: t(`Needs the family's own investment of USD ${amounts.targeted.toLocaleString('en-US')} in a targeted area (USD ${amounts.standard.toLocaleString('en-US')} elsewhere), at risk, creating 10 U.S. jobs; residence is conditional for two years (Form I-829).`, `가족 자금 ${amounts.targeted.toLocaleString('en-US')}달러(지정 지역, 그 외 ${amounts.standard.toLocaleString('en-US')}달러)를 위험 부담으로 투자해 미국 일자리 10개를 만들어야 하며, 2년간 조건부 영주권입니다(I-829).`), citation: 'INA 203(b)(5); INA 216A; EB-5 Reform and Integrity Act of 2022' }); // prettier-ignore
      if (base) {
        const segTo = baseSegment(ctx, out, base, gc.greenCard ?? ctx.horizonTo, { filed: gc.i140Filed });
        spouseFor(ctx, out, base, segTo, null, gc.greenCard);
      }
      childrenFor(ctx, out, base?.start ?? asOf, gc, base ? DERIVATIVE[base.status] : 'dependent');
      lprSegment(ctx, out);
      return out;
    }
    case 'e2_renewals': {
      if (!f.employer.koreanOwned) return no('E-2 needs an employer at least half owned by Korean nationals (INA 101(a)(15)(E)(ii); 8 CFR 214.2(e)(3)).', 'E-2는 한국인이 50% 이상 소유한 고용주가 필요합니다(8 CFR 214.2(e)(3)).'); // prettier-ignore
      if (!ROLES_SKILLED.has(f.worker.role)) return no('An E-2 employee must be an executive, a supervisor or have essential skills (8 CFR 214.2(e)(18)).', 'E-2 직원은 임원·감독자이거나 필수 기술을 가져야 합니다(8 CFR 214.2(e)(18)).'); // prettier-ignore
      if (ctx.f.goal.kind === 'permanent') return no('E-2 does not lead to permanent residence by itself; it can carry the family while another route runs.', 'E-2만으로는 영주권으로 이어지지 않으며, 다른 경로를 진행하는 동안의 체류 신분이 될 수 있습니다.'); // prettier-ignore
      const e2 = baseFor(ctx, 'E2');
      const out = empty();
      firstVisaStep(ctx, out, e2);
      const segTo = baseSegment(ctx, out, e2, ctx.horizonTo, {});
      out.goalOn = segTo;
      spouseFor(ctx, out, e2, segTo, null, null);
      childrenFor(ctx, out, e2.start, null, 'E-2');
      out.risks.push({ severity: 'info', text: t('An E-2 worker must intend to leave when the status ends: it carries no green card (8 CFR 214.2(e)(5)).', 'E-2 근로자는 신분이 끝나면 출국할 의사가 있어야 하며 영주권으로 이어지지 않습니다(8 CFR 214.2(e)(5)).'), citation: '8 CFR 214.2(e)(5)' }); // prettier-ignore
      return out;
    }
    case 'e4_scenario': {
      if (!DEGREE.has(f.worker.education)) return no("The proposed E-4 is for specialty occupations (a bachelor's degree or its equivalent).", "발의된 E-4는 전문직(학사 이상 또는 동등)을 대상으로 합니다."); // prettier-ignore
      const e4 = baseFor(ctx, 'E4');
      const out = empty();
      out.scenario = true;
      firstVisaStep(ctx, out, e4);
      const segTo = baseSegment(ctx, out, e4, ctx.horizonTo, {});
      out.goalOn = segTo;
      spouseFor(ctx, out, e4, segTo, null, null);
      childrenFor(ctx, out, e4.start, null, 'E-4');
      const cap = num(p, 'congress/hr4687/e4-annual-cap', asOf);
      out.risks.push({ severity: 'critical', text: t(`The E-4 is not law: the Partner with Korea Act (H.R. 4687, ${cap.toLocaleString('en-US')} a year) is in committee. A scenario only.`, `E-4는 아직 법이 아닙니다. 한국 동반자법(H.R. 4687, 연 ${cap.toLocaleString('en-US')}명)은 위원회 계류 중이며 시나리오일 뿐입니다.`), citation: 'H.R. 4687 (119th Congress)' }); // prettier-ignore
      return out;
    }
  }
}

/** For permanent residence every route is weighed (E-2 is listed as not leading to one, with the reason). */
const ROUTES_PERMANENT: readonly PlanRoute[] = planRoutes;
const ROUTES_STAY: readonly PlanRoute[] = [
  'e2_renewals',
  'eb1c',
  'eb2_perm',
  'eb2_niw',
  'eb3_perm',
  'e4_scenario',
  'eb5',
];

/** Plans a worker's and family's paths. */
export function planFamily(parameters: ParameterSet, data: SettlementData, facts: PlanFacts): Plan {
  const asOf = facts.asOf;
  const goalYears = facts.goal.kind === 'stay' ? facts.goal.years : 10;
  const horizonTo = addYears(asOf, Math.max(10, goalYears));
  const experienceYears = Math.max(0, daysBetween(facts.worker.employedSince, asOf) / 365.25) + facts.worker.priorExperienceYears; // prettier-ignore
  const ctx: Ctx = {
    f: facts,
    p: parameters,
    data,
    asOf,
    horizonTo,
    experienceYears,
    bulletin: bulletinAt(data, asOf),
  };
  const goalEnd = facts.goal.kind === 'stay' ? addYears(asOf, facts.goal.years) : null;
  const routes = facts.goal.kind === 'permanent' ? ROUTES_PERMANENT : ROUTES_STAY;
  const built: { route: PlanRoute; b: Built; score: number; reaches: boolean }[] = [];
  const unavailable: Unavailable[] = [];
  for (const route of routes) {
    const r = build(ctx, route);
    if ('reason' in r) {
      unavailable.push(r);
      continue;
    }
    // Does the path reach the goal? A green card within the horizon, or statuses covering the years asked.
    const greenCard = r.steps.find((s) => s.kind === 'green_card')?.from ?? null;
    const covered = r.segments.reduce((end, s) => (s.to > end ? s.to : end), asOf);
    const reaches = facts.goal.kind === 'permanent' ? greenCard !== null && greenCard <= horizonTo : covered >= goalEnd! && !r.risks.some((x) => x.severity === 'critical' && !r.scenario); // prettier-ignore
    const days = r.goalOn ? daysBetween(asOf, r.goalOn) : 99_999;
    const score = (r.scenario ? 1_000_000 : 0) + (reaches ? 0 : 100_000) + (facts.goal.kind === 'permanent' ? days : greenCard ? days / 4 : 0) + r.penalty; // prettier-ignore
    built.push({ route, b: r, score, reaches });
  }
  built.sort((a, b) => a.score - b.score);
  const paths: PlanPath[] = built.map(({ route, b, reaches }, i) => {
    const citations = [...new Set([...b.segments, ...b.steps, ...b.filings, ...b.spouse].map((x) => x.citation).filter((c) => c && !c.startsWith('korus')))]; // prettier-ignore
    b.filings.sort((x, y) => (x.dueBy < y.dueBy ? -1 : x.dueBy > y.dueBy ? 1 : 0));
    return {
      route,
      rank: i + 1,
      title: ROUTE_TITLE[route],
      summary: summary(route, b, reaches, facts),
      scenario: b.scenario,
      reachesGoal: reaches,
      goalOn: b.goalOn,
      priorityDate: b.priorityDate,
      currentOn: b.currentOn,
      segments: b.segments,
      steps: b.steps,
      filings: b.filings,
      spouse: b.spouse,
      children: b.children,
      risks: b.risks,
      citations,
    };
  });
  return {
    asOf,
    horizonTo,
    goal: facts.goal,
    state: facts.state,
    bulletin: { month: ctx.bulletin.month, chart: 'final_action', verify: ctx.bulletin.verify },
    paths,
    unavailable,
    notice: t(
      'A plan of estimates from dated, cited rules: processing times and the Visa Bulletin move every month, and facts marked "verify" are still to be checked. Not legal advice: confirm each filing with counsel.',
      '날짜와 출처가 있는 규칙으로 계산한 추정 계획입니다. 처리 기간과 비자 공보는 매달 바뀌며 "확인 필요" 표시는 아직 검증되지 않은 사실입니다. 법률 자문이 아니므로 각 신청은 변호사와 확인하세요.',
    ),
  };
}

function summary(route: PlanRoute, b: Built, reaches: boolean, f: PlanFacts): BilingualText {
  const first = b.segments[0];
  const via = first ? `${first.label.en} from ${first.from}` : 'from Korea';
  const viaKo = first ? `${first.from}부터 ${first.label.ko}` : '한국에서';
  if (route === 'e2_renewals' || route === 'e4_scenario')
    return t(`${via}, renewed every two years to ${b.goalOn}${route === 'e4_scenario' ? ' (if the bill becomes law)' : ''}; no green card.`, `${viaKo}, 2년마다 갱신해 ${b.goalOn}까지${route === 'e4_scenario' ? '(법안 통과 시)' : ''}, 영주권 없음.`); // prettier-ignore
  if (!b.goalOn) return t(`${via}; no estimate of the green card.`, `${viaKo}; 영주권 시점 추정 불가.`);
  const kids = b.children.filter((c) => c.protectedAsChild === false).length;
  const kidsEn = f.family.children.length === 0 ? '' : kids === 0 ? ', every child included' : `, ${kids} child${kids > 1 ? 'ren' : ''} ageing out`; // prettier-ignore
  const kidsKo =
    f.family.children.length === 0 ? '' : kids === 0 ? ', 자녀 모두 포함' : `, 자녀 ${kids}명 연령 초과`;
  return t(`${via}; green card about ${b.goalOn.slice(0, 7)} (estimate)${kidsEn}${reaches ? '' : ', beyond the plan'}.`, `${viaKo}; 영주권 약 ${b.goalOn.slice(0, 7)}(추정)${kidsKo}${reaches ? '' : ', 계획 기간 밖'}.`); // prettier-ignore
}
