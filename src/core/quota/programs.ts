import { parameterAt, type ParameterSet, type ParameterReference } from '../rules/parameters.js';
import { fiscalHalfOf, fiscalYearEnd, fiscalYearStart, isIsoDate, type IsoDate } from '../dates/index.js';

/**
 * Capped visa programs as the ledger runs them. The numbers (caps, shares, spill dates) are dated, cited
 * parameters in `rules/parameters/`; this module only says which parameter is which program's cap and how
 * a program's cap splits into pools. A program's definition for a fiscal year is read as of the first day
 * of that fiscal year and stays fixed for the year (the ledger opens each pool with it).
 */
export const quotaProgramCodes = ['E4', 'E3', 'H1B1_CL', 'H1B1_SG', 'H1B', 'H2B', 'TN'] as const;
export type QuotaProgramCode = (typeof quotaProgramCodes)[number];

export interface Bilingual {
  en: string;
  ko: string;
}

export interface QuotaPool {
  name: string;
  label: Bilingual;
  /** Numbers of this pool when the fiscal year opens. */
  cap: number;
  /** Share of the program's cap (1 for a single pool). */
  share: number;
  /** From this date the pool's unused numbers (and its waitlist) move to `spillInto`. */
  spillOn: IsoDate | null;
  spillInto: string | null;
}

export interface QuotaProgram {
  code: QuotaProgramCode;
  label: Bilingual;
  /** `proposed`: not law (the E-4); usable for planning and for the policy scenario. */
  status: 'law' | 'proposed';
  /** `lottery`: numbers go to registrations selected by a draw (H-1B); otherwise first come, first served. */
  mode: 'first_come' | 'lottery';
  fiscalYear: number;
  /** null: no numerical limit (TN). */
  cap: number | null;
  pools: QuotaPool[];
  /** Pool used when a request names none: `general`, or the half-year of the date for the H-2B. */
  defaultPool: 'general' | 'regular' | 'by_fiscal_half' | null;
  /** Wage-weighted selection (4/3/2/1 entries by wage level IV/III/II/I) in the lottery. */
  weightedSelection: boolean;
  references: ParameterReference[];
  /** Some value behind this definition is marked `status: verify`. */
  verify: boolean;
  notes: string[];
}

export class QuotaDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuotaDefinitionError';
  }
}

interface ProgramSpec {
  code: QuotaProgramCode;
  label: Bilingual;
  status: 'law' | 'proposed';
  mode: 'first_come' | 'lottery';
  capParameter?: string;
  advancedDegreeParameter?: string;
  firstHalfParameter?: string;
  uncappedParameter?: string;
  poolsParameter?: string;
  weightedParameter?: string;
}

const specs: readonly ProgramSpec[] = [
  {
    code: 'E4',
    label: { en: 'E-4 (proposed, Partner with Korea Act)', ko: 'E-4 (법안, 한국 동반자법)' },
    status: 'proposed',
    mode: 'first_come',
    capParameter: 'congress/hr4687/e4-annual-cap',
    poolsParameter: 'policy/quota/e4-pools',
  },
  {
    code: 'E3',
    label: { en: 'E-3 (Australia)', ko: 'E-3 (호주)' },
    status: 'law',
    mode: 'first_come',
    capParameter: 'congress/ina/e3-annual-cap',
  },
  {
    code: 'H1B1_CL',
    label: { en: 'H-1B1 (Chile)', ko: 'H-1B1 (칠레)' },
    status: 'law',
    mode: 'first_come',
    capParameter: 'congress/ina/h1b1-chile-annual-cap',
  },
  {
    code: 'H1B1_SG',
    label: { en: 'H-1B1 (Singapore)', ko: 'H-1B1 (싱가포르)' },
    status: 'law',
    mode: 'first_come',
    capParameter: 'congress/ina/h1b1-singapore-annual-cap',
  },
  {
    code: 'H1B',
    label: { en: 'H-1B (regular cap and US advanced degree)', ko: 'H-1B (일반 한도 및 미국 석사 이상)' },
    status: 'law',
    mode: 'lottery',
    capParameter: 'congress/ina/h1b-annual-cap',
    advancedDegreeParameter: 'congress/ina/h1b-advanced-degree-exemption',
    weightedParameter: 'dhs/cfr/8-cfr-214-2-h/h1b-wage-weighted-selection',
  },
  {
    code: 'H2B',
    label: { en: 'H-2B (two half-years)', ko: 'H-2B (반기별)' },
    status: 'law',
    mode: 'first_come',
    capParameter: 'congress/ina/h2b-annual-cap',
    firstHalfParameter: 'congress/ina/h2b-half-year-cap',
  },
  {
    code: 'TN',
    label: { en: 'TN (Canada, Mexico; no cap)', ko: 'TN (캐나다·멕시코, 한도 없음)' },
    status: 'law',
    mode: 'first_come',
    uncappedParameter: 'congress/ina/tn-numerically-limited',
  },
];

export function isQuotaProgramCode(value: string): value is QuotaProgramCode {
  return (quotaProgramCodes as readonly string[]).includes(value);
}

/** A pool as written in policy data (`rules/parameters/policy/quota/*-pools.yaml`). */
export interface PoolPolicy {
  name: string;
  share: number;
  /** Month and day within the fiscal year, `MM-DD`. */
  spillOn?: string;
  spillInto?: string;
  label?: Bilingual;
}

const poolNamePattern = /^[a-z][a-z0-9_]{0,39}$/;

/** The date in fiscal year `fiscalYear` with month-day `MM-DD` (October to December fall in the year before). */
export function fiscalYearDate(fiscalYear: number, monthDay: string): IsoDate {
  const month = Number(monthDay.slice(0, 2));
  const iso = `${String(month >= 10 ? fiscalYear - 1 : fiscalYear).padStart(4, '0')}-${monthDay}`;
  if (!/^\d\d-\d\d$/.test(monthDay) || !isIsoDate(iso)) {
    throw new QuotaDefinitionError(`spill date must be a month-day MM-DD, got "${monthDay}"`);
  }
  return iso;
}

/**
 * Splits a cap into pools by share: each pool but `general` gets floor(cap × share); `general` gets the rest,
 * so the pools always add up to the cap exactly.
 */
export function splitIntoPools(
  cap: number,
  fiscalYear: number,
  policies: readonly PoolPolicy[],
): QuotaPool[] {
  if (!policies.some((p) => p.name === 'general'))
    throw new QuotaDefinitionError('pools need a general pool');
  const names = new Set<string>();
  let shareSum = 0;
  for (const p of policies) {
    if (!poolNamePattern.test(p.name)) throw new QuotaDefinitionError(`invalid pool name "${p.name}"`);
    if (names.has(p.name)) throw new QuotaDefinitionError(`duplicate pool "${p.name}"`);
    names.add(p.name);
    if (!(p.share >= 0 && p.share <= 1)) throw new QuotaDefinitionError(`share of ${p.name} must be in 0..1`);
    shareSum += p.share;
  }
  if (Math.abs(shareSum - 1) > 1e-9)
    throw new QuotaDefinitionError(`pool shares add up to ${shareSum}, not 1`);
  for (const p of policies) {
    if ((p.spillOn === undefined) !== (p.spillInto === undefined))
      throw new QuotaDefinitionError(`pool ${p.name}: spillOn and spillInto go together`);
    if (p.spillInto !== undefined && (!names.has(p.spillInto) || p.spillInto === p.name))
      throw new QuotaDefinitionError(`pool ${p.name} spills into unknown pool "${p.spillInto}"`);
  }
  const pools = policies.map<QuotaPool>((p) => ({
    name: p.name,
    label: p.label ?? { en: p.name, ko: p.name },
    cap: p.name === 'general' ? 0 : Math.floor(cap * p.share + 1e-9),
    share: p.share,
    spillOn: p.spillOn === undefined ? null : fiscalYearDate(fiscalYear, p.spillOn),
    spillInto: p.spillInto ?? null,
  }));
  const general = pools.find((p) => p.name === 'general')!;
  general.cap = cap - pools.reduce((sum, p) => sum + p.cap, 0);
  return pools;
}

function parsePoolPolicies(value: unknown, id: string): PoolPolicy[] {
  const pools = (value as { pools?: unknown } | null)?.pools;
  if (!Array.isArray(pools)) throw new QuotaDefinitionError(`${id}: value needs a list "pools"`);
  return pools.map((raw, i) => {
    const p = raw as Record<string, unknown>;
    const label = p.label as Bilingual | undefined;
    if (typeof p.name !== 'string' || typeof p.share !== 'number')
      throw new QuotaDefinitionError(`${id}: pools[${i}] needs a name and a numeric share`);
    if (label !== undefined && (typeof label.en !== 'string' || typeof label.ko !== 'string'))
      throw new QuotaDefinitionError(`${id}: pools[${i}].label needs en and ko`);
    return {
      name: p.name,
      share: p.share,
      ...(typeof p.spillOn === 'string' ? { spillOn: p.spillOn } : {}),
      ...(typeof p.spillInto === 'string' ? { spillInto: p.spillInto } : {}),
      ...(label ? { label } : {}),
    };
  });
}

/**
 * The definition of a program for a fiscal year, read from the parameters as of the fiscal year's first day;
 * undefined when the program has no cap in force then (e.g. the E-4 before its bill existed).
 */
export function quotaProgramFor(
  parameters: ParameterSet,
  code: QuotaProgramCode,
  fiscalYear: number,
): QuotaProgram | undefined {
  const spec = specs.find((s) => s.code === code)!;
  const asOf = fiscalYearStart(fiscalYear);
  const references: ParameterReference[] = [];
  const notes: string[] = [];
  let verify = false;
  const read = (id: string) => {
    const found = parameterAt(parameters, id, asOf);
    if (!found) return undefined;
    for (const r of found.reference)
      if (!references.some((x) => x.href === r.href && x.title === r.title)) references.push(r);
    if (found.status === 'verify') verify = true;
    if (found.note) notes.push(found.note);
    return found.value;
  };
  const base = {
    code,
    label: spec.label,
    status: spec.status,
    mode: spec.mode,
    fiscalYear,
    references,
    notes,
  };
  if (spec.uncappedParameter) {
    const limited = read(spec.uncappedParameter);
    if (limited === undefined) return undefined;
    return { ...base, cap: null, pools: [], defaultPool: null, weightedSelection: false, verify };
  }
  const cap = read(spec.capParameter!);
  if (typeof cap !== 'number') return undefined;
  let pools: QuotaPool[];
  let defaultPool: QuotaProgram['defaultPool'] = 'general';
  let total = cap;
  if (spec.advancedDegreeParameter) {
    const advanced = read(spec.advancedDegreeParameter);
    if (typeof advanced !== 'number') return undefined;
    total = cap + advanced;
    pools = [
      {
        name: 'regular',
        label: { en: 'Regular cap', ko: '일반 한도' },
        cap,
        share: cap / total,
        spillOn: null,
        spillInto: null,
      },
      {
        name: 'advanced_degree',
        label: { en: 'US advanced degree', ko: '미국 석사 이상' },
        cap: advanced,
        share: advanced / total,
        spillOn: null,
        spillInto: null,
      },
    ];
    defaultPool = 'regular';
  } else if (spec.firstHalfParameter) {
    const firstHalf = read(spec.firstHalfParameter);
    if (typeof firstHalf !== 'number') return undefined;
    // INA 214(g)(10): unused first-half numbers are available in the second half; nothing carries over.
    pools = [
      {
        name: 'first_half',
        label: { en: 'Work starting Oct 1 – Mar 31', ko: '10월 1일 ~ 3월 31일 시작 근무' },
        cap: firstHalf,
        share: firstHalf / cap,
        spillOn: fiscalYearDate(fiscalYear, '04-01'),
        spillInto: 'second_half',
      },
      {
        name: 'second_half',
        label: { en: 'Work starting Apr 1 – Sep 30', ko: '4월 1일 ~ 9월 30일 시작 근무' },
        cap: cap - firstHalf,
        share: (cap - firstHalf) / cap,
        spillOn: null,
        spillInto: null,
      },
    ];
    defaultPool = 'by_fiscal_half';
  } else if (spec.poolsParameter && parameters.parameters.has(spec.poolsParameter)) {
    const policy = read(spec.poolsParameter);
    pools =
      policy === undefined
        ? splitIntoPools(cap, fiscalYear, [{ name: 'general', share: 1 }])
        : splitIntoPools(cap, fiscalYear, parsePoolPolicies(policy, spec.poolsParameter));
  } else {
    pools = splitIntoPools(cap, fiscalYear, [
      { name: 'general', share: 1, label: { en: 'General', ko: '일반' } },
    ]);
  }
  for (const pool of pools) if (pool.name === 'general') pool.label = { en: 'General', ko: '일반' };
  const weighted = spec.weightedParameter ? read(spec.weightedParameter) === true : false;
  return { ...base, cap: total, pools, defaultPool, weightedSelection: weighted, verify };
}

/** Every program of the catalogue for a fiscal year (those without a cap in force are left out). */
export function quotaProgramsFor(parameters: ParameterSet, fiscalYear: number): QuotaProgram[] {
  return quotaProgramCodes
    .map((code) => quotaProgramFor(parameters, code, fiscalYear))
    .filter((p): p is QuotaProgram => p !== undefined);
}

/** The pool a request without one goes to. */
export function defaultPoolOf(program: QuotaProgram, date: IsoDate): string | undefined {
  switch (program.defaultPool) {
    case 'general':
      return 'general';
    case 'regular':
      return 'regular';
    case 'by_fiscal_half':
      return fiscalHalfOf(date);
    default:
      return undefined;
  }
}

/** Whether a fiscal year accepts reservations on `today`: not ended, and at most the next fiscal year. */
export function fiscalYearWindow(fiscalYear: number, today: IsoDate): 'ended' | 'open' | 'not_yet_open' {
  if (today > fiscalYearEnd(fiscalYear)) return 'ended';
  // Planning one year ahead is allowed (H-1B registrations in March are for the fiscal year starting Oct 1).
  if (today < fiscalYearStart(fiscalYear - 1)) return 'not_yet_open';
  return 'open';
}
