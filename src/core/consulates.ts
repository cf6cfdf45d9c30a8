import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { consularPostKinds, workflowReferenceSchema, type ConsularPost } from '../contract/workflow.js';
import { packageRoot } from './rules/package-root.js';

/**
 * Korean embassy, consulates general and branch offices in the US, and the states and territories under each
 * (`rules/data/korean-consulates.yaml`, cited, jurisdictions marked `status: verify`). A site's state gives the
 * post whose jurisdiction covers it: every one of the 50 states and DC belongs to exactly one embassy or
 * consulate general (California is split by county between Los Angeles and San Francisco).
 */

export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const; // prettier-ignore
export const US_TERRITORIES = ['PR', 'GU', 'VI', 'AS', 'MP'] as const;
const allCodes = new Set<string>([...US_STATES, ...US_TERRITORIES]);

const text = z.string().trim().min(1);
const postSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z-]{1,39}$/),
    kind: z.enum(consularPostKinds),
    parent: z.string().optional(),
    name: z.object({ en: text, ko: text }).strict(),
    city: text,
    address: text,
    phone: z.string().regex(/^\+1-\d{3}-\d{3}-\d{4}$/, 'phone as +1-NNN-NNN-NNNN'),
    website: z.string().regex(/^https:\/\/\S+$/),
    states: z.array(z.string()),
    partial: z.array(z.object({ state: z.string(), counties: z.array(text).min(1) }).strict()).optional(),
    status: z.literal('verify').optional(),
    note: z.object({ en: text, ko: text }).strict().optional(),
    references: z.array(workflowReferenceSchema).min(1, 'every post needs a source'),
  })
  .strict();
const fileSchema = z
  .object({
    verified: z.boolean(),
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    posts: z.array(postSchema).min(1),
  })
  .strict();

export interface ConsulateSet {
  asOf: string;
  verified: boolean;
  posts: readonly ConsularPost[];
}

export class ConsulateDataError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid rules/data/korean-consulates.yaml:\n  ${issues.join('\n  ')}`);
    this.name = 'ConsulateDataError';
  }
}

const isJurisdiction = (post: Pick<ConsularPost, 'kind'>) =>
  post.kind === 'embassy' || post.kind === 'consulate_general';

/** Parses and validates the data file's text; throws `ConsulateDataError` listing every problem. */
export function parseConsulates(source: string): ConsulateSet {
  let raw: unknown;
  try {
    raw = parseYaml(source, { schema: 'core', version: '1.2', uniqueKeys: true, merge: false });
  } catch (error) {
    throw new ConsulateDataError([`not valid YAML: ${(error as Error).message}`]);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConsulateDataError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const issues: string[] = [];
  const posts: ConsularPost[] = parsed.data.posts.map((p) => ({
    ...p,
    parent: p.parent ?? null,
    partial: p.partial ?? [],
  }));
  const byId = new Map<string, ConsularPost>();
  for (const post of posts) {
    if (byId.has(post.id)) issues.push(`${post.id}: duplicate id`);
    byId.set(post.id, post);
  }
  const owner = new Map<string, string>();
  const countyOwner = new Map<string, string>();
  for (const post of posts) {
    for (const code of [...post.states, ...post.partial.map((p) => p.state)]) {
      if (!allCodes.has(code)) issues.push(`${post.id}: unknown state or territory ${code}`);
    }
    if (new Set(post.states).size !== post.states.length) issues.push(`${post.id}: a state is listed twice`);
    if (isJurisdiction(post)) {
      if (post.parent) issues.push(`${post.id}: an embassy or consulate general has no parent`);
      for (const code of post.states) {
        const other = owner.get(code);
        if (other) issues.push(`${code} is under both ${other} and ${post.id}`);
        else owner.set(code, post.id);
      }
    } else {
      const parent = post.parent ? byId.get(post.parent) : undefined;
      if (!parent || !isJurisdiction(parent))
        issues.push(`${post.id}: a ${post.kind} needs a parent embassy or consulate general`);
      else {
        for (const code of post.states) {
          if (!parent.states.includes(code))
            issues.push(`${post.id}: serves ${code}, which is not in ${parent.id}'s jurisdiction`);
        }
      }
      if (post.partial.length > 0)
        issues.push(`${post.id}: only an embassy or consulate general has partial states`);
    }
  }
  for (const post of posts.filter(isJurisdiction)) {
    for (const part of post.partial) {
      const whole = owner.get(part.state);
      if (!whole)
        issues.push(`${post.id}: ${part.state} is split by county but no post holds the rest of it`);
      else if (whole === post.id) issues.push(`${post.id}: ${part.state} is both whole and partial`);
      for (const county of part.counties) {
        const key = `${part.state}/${county.toLowerCase()}`;
        const other = countyOwner.get(key);
        if (other) issues.push(`${part.state} county ${county} is under both ${other} and ${post.id}`);
        else countyOwner.set(key, post.id);
      }
    }
  }
  for (const code of US_STATES)
    if (!owner.has(code)) issues.push(`${code} is under no embassy or consulate general`);
  if (issues.length > 0) throw new ConsulateDataError(issues);
  return { asOf: parsed.data.asOf, verified: parsed.data.verified, posts };
}

const cache = new Map<string, ConsulateSet>();

export function defaultConsulatesFile(): string {
  return join(packageRoot(), 'rules', 'data', 'korean-consulates.yaml');
}

/** Loads `rules/data/korean-consulates.yaml` once. */
export function loadConsulates(file: string = defaultConsulatesFile()): ConsulateSet {
  const cached = cache.get(file);
  if (cached) return cached;
  const set = parseConsulates(readFileSync(file, 'utf8'));
  cache.set(file, set);
  return set;
}

export interface ConsulateMatch {
  /** The embassy or consulate general whose jurisdiction covers the place. */
  post: ConsularPost;
  /** A branch office of that post serving the state, when there is one. */
  office: ConsularPost | null;
  /** True when the data behind this answer is marked `status: verify`. */
  verify: boolean;
}

/**
 * The post whose jurisdiction covers a state or territory (USPS code, case-insensitive); for a state split by
 * county (California), the county picks the post (without a county: the post holding the rest of the state).
 * Undefined for an unknown code.
 */
export function consulateForState(
  code: string,
  county?: string,
  set: ConsulateSet = loadConsulates(),
): ConsulateMatch | undefined {
  const state = code.trim().toUpperCase();
  const jurisdictions = set.posts.filter(isJurisdiction);
  const wanted = county
    ?.trim()
    .replace(/\s+county$/i, '')
    .toLowerCase();
  const byCounty = wanted
    ? jurisdictions.find((p) =>
        p.partial.some(
          (part) => part.state === state && part.counties.some((c) => c.toLowerCase() === wanted),
        ),
      )
    : undefined;
  const post = byCounty ?? jurisdictions.find((p) => p.states.includes(state));
  if (!post) return undefined;
  const office = set.posts.find((p) => p.parent === post.id && p.states.includes(state)) ?? null;
  return { post, office, verify: !set.verified || post.status === 'verify' || office?.status === 'verify' };
}

/** The short form the pipeline API returns with a site (src/contract/pipeline.ts `consulateRefSchema`). */
export function consulateRef(match: ConsulateMatch): {
  id: string;
  name: { en: string; ko: string };
  city: string;
  phone: string | null;
  website: string | null;
  verify: boolean;
} {
  const { post } = match;
  return {
    id: post.id,
    name: post.name,
    city: post.city,
    phone: post.phone,
    website: post.website,
    verify: match.verify,
  };
}
