import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { BilingualText } from '../../contract/assessment.js';
import { isIsoDate } from '../dates/index.js';
import { categoryModules } from '../visas/index.js';
import { packageRoot } from './package-root.js';
import { defaultReviewBy, ParameterValidationError, type ParameterSet } from './parameters.js';

/**
 * The review cycle (issue 16). Parameters carry `reviewed` and `reviewBy` in their own files; the rules written
 * in code (the requirements of `src/core/visas`) have theirs in `rules/reviews.yaml`, one entry per requirement
 * id. Both are checked at load: a rule without a review date, or a review entry for a rule that does not exist,
 * is an error (so CI fails). `dueForReview` lists what is due or overdue, with its source.
 */
export interface Review {
  reviewed: string;
  reviewBy: string;
}

const dateSchema = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');
const reviewsSchema = z
  .object({
    requirements: z.record(
      z.string(),
      z.object({ reviewed: dateSchema, reviewBy: dateSchema.optional(), note: z.string().optional() }).strict(),
    ),
  })
  .strict();

export function reviewsFile(root: string = packageRoot()): string {
  return join(root, 'rules', 'reviews.yaml');
}

/** The review dates of every requirement; throws when one is missing, unknown or malformed. */
export function loadRequirementReviews(file: string = reviewsFile()): ReadonlyMap<string, Review> {
  const where = 'rules/reviews.yaml';
  if (!existsSync(file)) throw new ParameterValidationError([{ file: where, field: '', message: 'missing' }]);
  const parsed = reviewsSchema.safeParse(parseYaml(readFileSync(file, 'utf8'), { schema: 'core', version: '1.2' }));
  if (!parsed.success)
    throw new ParameterValidationError(
      parsed.error.issues.map((i) => ({ file: where, field: i.path.join('.'), message: i.message })),
    );
  const uncertain = new Set<string>();
  const known = new Set<string>();
  for (const category of categoryModules)
    for (const requirement of category.requirements) {
      known.add(requirement.id);
      if (requirement.verify) uncertain.add(requirement.id);
    }
  const issues = [];
  const reviews = new Map<string, Review>();
  for (const [id, entry] of Object.entries(parsed.data.requirements)) {
    if (!known.has(id)) issues.push({ file: where, field: `requirements.${id}`, message: 'no rule has this id' });
    reviews.set(id, {
      reviewed: entry.reviewed,
      reviewBy: entry.reviewBy ?? defaultReviewBy(entry.reviewed, uncertain.has(id)),
    });
  }
  for (const id of known)
    if (!reviews.has(id))
      issues.push({ file: where, field: `requirements.${id}`, message: 'this rule needs `reviewed: YYYY-MM-DD`' });
  if (issues.length) throw new ParameterValidationError(issues);
  return reviews;
}

export interface DueItem {
  kind: 'parameter' | 'requirement';
  id: string;
  label: BilingualText;
  reviewed: string;
  reviewBy: string;
  state: 'overdue' | 'due';
  /** Whether something in it is uncertain (`verify`). */
  verify: boolean;
  source: { title: string; href: string } | null;
}

/** What is overdue on `asOf`, or due within `withinDays` after it; overdue first, then by date. */
export function dueForReview(
  parameters: ParameterSet,
  requirements: ReadonlyMap<string, Review>,
  asOf: string,
  withinDays = 30,
): DueItem[] {
  const horizon = new Date(Date.parse(`${asOf}T00:00:00Z`) + withinDays * 86_400_000).toISOString().slice(0, 10);
  const items: DueItem[] = [];
  for (const p of parameters.parameters.values()) {
    if (p.reviewBy > horizon) continue;
    const latest = p.values.at(-1);
    items.push({
      kind: 'parameter',
      id: p.id,
      label: p.label,
      reviewed: p.reviewed,
      reviewBy: p.reviewBy,
      state: p.reviewBy < asOf ? 'overdue' : 'due',
      verify: p.values.some((v) => v.status === 'verify'),
      source: latest?.reference[0] ?? null,
    });
  }
  for (const category of categoryModules)
    for (const r of category.requirements) {
      const review = requirements.get(r.id);
      if (!review || review.reviewBy > horizon || items.some((i) => i.id === r.id)) continue;
      items.push({
        kind: 'requirement',
        id: r.id,
        label: r.summary,
        reviewed: review.reviewed,
        reviewBy: review.reviewBy,
        state: review.reviewBy < asOf ? 'overdue' : 'due',
        verify: r.verify === true,
        source: { title: r.citation, href: r.sourceUrl },
      });
    }
  return items.sort((a, b) =>
    a.state !== b.state ? (a.state === 'overdue' ? -1 : 1) : a.reviewBy < b.reviewBy ? -1 : a.reviewBy > b.reviewBy ? 1 : 0,
  );
}
