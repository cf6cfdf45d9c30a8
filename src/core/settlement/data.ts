import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { addDays, daysBetween, isIsoDate } from '../dates/index.js';
import { packageRoot } from '../rules/package-root.js';

/**
 * The settlement planner's monthly and per-state data (issue 19), validated once at start-up:
 * - `rules/data/visa-bulletin-south-korea.yaml`: the Visa Bulletin's employment-based final action dates for
 *   South Korea (All Chargeability), one entry per bulletin month, each cited and `verify` until checked;
 * - `rules/data/school-entry.yaml`: the kindergarten entry cut-off per state.
 */

export const bulletinCategories = ['EB1', 'EB2', 'EB3', 'EW', 'EB5'] as const;
export type BulletinCategory = (typeof bulletinCategories)[number];
const cutoff = z.union([
  z.literal('C'),
  z.literal('U'),
  z.string().refine(isIsoDate, 'a date (YYYY-MM-DD), C or U'),
]);
const reference = z.object({ title: z.string().min(1), href: z.string().regex(/^https:\/\/\S+$/) }).strict();
const bulletinFile = z
  .object({
    chargeability: z.string(),
    bulletins: z
      .array(
        z
          .object({
            month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
            finalAction: z.partialRecord(z.enum(bulletinCategories), cutoff).optional(),
            datesForFiling: z.partialRecord(z.enum(bulletinCategories), cutoff).optional(),
            status: z.literal('verify').optional(),
            note: z.string().optional(),
            references: z.array(reference).min(1, 'every bulletin needs its source'),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);
const schoolFile = z
  .object({
    asOf: z.string(),
    default: z.object({ cutoff: monthDay, status: z.literal('verify').optional() }).strict(),
    references: z.array(reference).min(1),
    states: z.record(
      z.string().regex(/^[A-Z]{2}$/),
      z
        .object({
          cutoff: monthDay,
          local: z.boolean().optional(),
          status: z.literal('verify').optional(),
          source: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();

export interface Bulletin {
  month: string;
  /** Every category resolved: a month that names only some carries the others from the month before. */
  finalAction: Record<BulletinCategory, string>;
  /** The dates for filing (chart B) as last published on or before this month, with that month; null when none yet. */
  datesForFiling: { month: string; dates: Partial<Record<BulletinCategory, string>> } | null;
  verify: boolean;
  references: { title: string; href: string }[];
}
export interface SchoolEntry {
  cutoffs: ReadonlyMap<string, { cutoff: string; local: boolean; verify: boolean }>;
  fallback: { cutoff: string; verify: boolean };
  references: { title: string; href: string }[];
}
export interface SettlementData {
  bulletins: readonly Bulletin[];
  school: SchoolEntry;
  /** A short hash of both files' text: plans computed on other data are recomputed. */
  hash: string;
}

export class SettlementDataError extends Error {
  constructor(file: string, issues: string[]) {
    super(`invalid ${file}:\n  ${issues.join('\n  ')}`);
    this.name = 'SettlementDataError';
  }
}

function parse<T>(file: string, text: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parseYaml(text, { schema: 'core', version: '1.2', uniqueKeys: true, merge: false });
  } catch (error) {
    throw new SettlementDataError(file, [`not valid YAML: ${(error as Error).message}`]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new SettlementDataError(
      file,
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  return parsed.data;
}

export function parseSettlementData(bulletinText: string, schoolText: string): SettlementData {
  const b = parse('rules/data/visa-bulletin-south-korea.yaml', bulletinText, bulletinFile);
  const months = b.bulletins.map((x) => x.month);
  const sorted = [...months].sort();
  if (months.join() !== sorted.join() || new Set(months).size !== months.length)
    throw new SettlementDataError('rules/data/visa-bulletin-south-korea.yaml', ['bulletins must be in month order, one per month']); // prettier-ignore
  const first = b.bulletins[0]!.finalAction ?? {};
  const missing = bulletinCategories.filter((c) => first[c] === undefined);
  if (missing.length > 0)
    throw new SettlementDataError('rules/data/visa-bulletin-south-korea.yaml', [`the first bulletin must give every category (missing ${missing.join(', ')})`]); // prettier-ignore
  let carried = first as Record<BulletinCategory, string>;
  let filing: Bulletin['datesForFiling'] = null;
  const bulletins = b.bulletins.map((x) => {
    carried = { ...carried, ...(x.finalAction ?? {}) } as Record<BulletinCategory, string>;
    if (x.datesForFiling) filing = { month: x.month, dates: x.datesForFiling };
    return { month: x.month, finalAction: carried, datesForFiling: filing, verify: x.status === 'verify', references: x.references }; // prettier-ignore
  });
  const s = parse('rules/data/school-entry.yaml', schoolText, schoolFile);
  return {
    hash: createHash('sha256')
      .update(bulletinText)
      .update('\0')
      .update(schoolText)
      .digest('hex')
      .slice(0, 12),
    bulletins,
    school: {
      cutoffs: new Map(
        Object.entries(s.states).map(([k, v]) => [k, { cutoff: v.cutoff, local: v.local ?? false, verify: v.status === 'verify' }]), // prettier-ignore
      ),
      fallback: { cutoff: s.default.cutoff, verify: true },
      references: s.references,
    },
  };
}

let cached: SettlementData | undefined;
/** The data files, read once. */
export function settlementData(root = packageRoot()): SettlementData {
  if (!cached)
    cached = parseSettlementData(
      readFileSync(join(root, 'rules/data/visa-bulletin-south-korea.yaml'), 'utf8'),
      readFileSync(join(root, 'rules/data/school-entry.yaml'), 'utf8'),
    );
  return cached;
}

/** The latest bulletin whose month has begun on `asOf` (the first one if none has). */
export function bulletinAt(data: SettlementData, asOf: string): Bulletin {
  const month = asOf.slice(0, 7);
  let found = data.bulletins[0]!;
  for (const b of data.bulletins) if (b.month <= month) found = b;
  return found;
}

export interface CurrentEstimate {
  /** The estimated first day the priority date is current; null when the category is unavailable. */
  on: string | null;
  /** The queue in days in the bulletin used (its first day minus its cut-off); 0 when current. */
  queueDays: number;
  explanation: { en: string; ko: string };
}

/**
 * When a priority date becomes current, estimated: a category marked current is current at once; with a cut-off,
 * the queue seen in the bulletin (its month's first day minus the cut-off) is assumed to keep its length, so the
 * date is current that many days after it. Stated as an estimate with the bulletin's month.
 */
export function estimateCurrent(
  bulletin: Bulletin,
  category: BulletinCategory,
  priorityDate: string,
): CurrentEstimate {
  const cut = bulletin.finalAction[category];
  const first = `${bulletin.month}-01`;
  if (cut === 'C')
    return {
      on: priorityDate,
      queueDays: 0,
      explanation: {
        en: `${category} is current for South Korea in the Visa Bulletin of ${bulletin.month} (final action dates): no wait, if it stays so.`, // prettier-ignore
        ko: `${bulletin.month} 비자 공보(최종 처리일)에서 한국의 ${category}는 대기 없음(Current)입니다. 이 상태가 유지되면 기다리지 않습니다.`, // prettier-ignore
      },
    };
  if (cut === 'U')
    return {
      on: null,
      queueDays: 0,
      explanation: {
        en: `${category} is unavailable in the Visa Bulletin of ${bulletin.month}: no estimate.`,
        ko: `${bulletin.month} 비자 공보에서 ${category}는 배정 불가(U)로 예상 시점을 낼 수 없습니다.`,
      },
    };
  const queueDays = Math.max(0, daysBetween(cut, first));
  const filing = bulletin.datesForFiling?.dates[category];
  const chartB =
    filing && filing !== 'U' && bulletin.datesForFiling
      ? { en: ` The dates for filing of ${bulletin.datesForFiling.month} were ${filing === 'C' ? 'current' : filing}: when USCIS accepts that chart, the I-485 (with work and travel permits) can be filed before the final action date.`, ko: ` ${bulletin.datesForFiling.month} 접수 가능일은 ${filing === 'C' ? '대기 없음' : filing}였습니다. USCIS가 이 표를 적용하는 달에는 최종 처리일 전에 I-485(취업·여행 허가 포함)를 낼 수 있습니다.` } // prettier-ignore
      : { en: '', ko: '' };
  return {
    on: addDays(priorityDate, queueDays),
    queueDays,
    explanation: {
      en: `In the Visa Bulletin of ${bulletin.month} the ${category} cut-off for South Korea is ${cut}, a queue of about ${Math.round(queueDays / 30.4375)} months; if it keeps that length, a priority date becomes current that long after it (an estimate).${chartB.en}`, // prettier-ignore
      ko: `${bulletin.month} 비자 공보에서 한국의 ${category} 기준일은 ${cut}로 약 ${Math.round(queueDays / 30.4375)}개월의 대기열입니다. 대기열 길이가 유지되면 우선일로부터 그만큼 뒤에 차례가 옵니다(추정).${chartB.ko}`, // prettier-ignore
    },
  };
}

/** The school year (1 August to 31 July) that `date` falls in, as its starting calendar year. */
export const schoolYearOf = (date: string) => Number(date.slice(0, 4)) - (date.slice(5, 7) < '08' ? 1 : 0);

/**
 * A child's grade in the school year starting in August of `year`, in a state: kindergarten in the school year
 * whose cut-off (in that calendar year) finds the child five; `pre` before, `done` after grade 12.
 */
export function gradeIn(school: SchoolEntry, state: string, birthDate: string, year: number): string {
  const rule = school.cutoffs.get(state) ?? school.fallback;
  // Age in whole years on the cut-off date of that calendar year.
  const by = Number(birthDate.slice(0, 4));
  const age = year - by - (birthDate.slice(5) > rule.cutoff ? 1 : 0);
  const grade = age - 5;
  if (grade < 0) return 'pre';
  if (grade > 12) return 'done';
  return grade === 0 ? 'K' : String(grade);
}
