import type { Actor } from '../../policies/capabilities.js';
import { isPlatformAdmin } from '../../policies/capabilities.js';

/**
 * Who sees what in the dispatch pipeline (issue 5, item 7), as SQL conditions, in one place:
 * - a firm (investor or partner) sees its own workers, assignments and cases;
 * - an investor also sees partner workers and cases, but only through assignments to its own projects;
 * - a law firm sees the cases it is granted (`cases.counsel_organization_id`), and every case of the
 *   organizations that name it their counsel (`counsel_engagements`: the client's own cases and, for an
 *   investor, those on its projects), and what they concern;
 * - a worker sees their own record and cases (through `workers.user_id`);
 * - officers see none of it (aggregated statistics only); platform administrators see everything.
 *
 * Each function returns a condition on a table alias with positional parameters starting at `$from`, and the
 * parameters, so a service can AND it into any query. Tested by the authorization matrix and pipeline tests.
 * `x = ANY (ARRAY(subquery))` rather than `x IN (subquery)` keeps both arms of an OR indexable (a bitmap OR of
 * two index scans instead of a scan of every case; bench:pipeline).
 */
export interface Scope {
  sql: string;
  params: unknown[];
}

const all: Scope = { sql: 'true', params: [] };
const none: Scope = { sql: 'false', params: [] };

function orgOf(actor: Actor): string | null {
  return actor.organizationId;
}

/** The cases a law firm ($from) works on: granted one by one, or all of a client that names it counsel. */
function lawFirmCases(c: string, from: number): string {
  return `(${c}.counsel_organization_id = $${from}
     OR ${c}.organization_id = ANY (ARRAY(SELECT client_id FROM counsel_engagements WHERE law_firm_id = $${from}))
     OR ${c}.project_id = ANY (ARRAY(SELECT p.id FROM projects p JOIN counsel_engagements e ON e.client_id = p.organization_id
                                     WHERE e.law_firm_id = $${from})))`;
}

/** Cases visible to the actor; `c` is the cases alias. */
export function caseScope(actor: Actor, c: string, from: number): Scope {
  if (isPlatformAdmin(actor)) return all;
  const org = orgOf(actor);
  if (actor.role === 'worker') {
    return {
      sql: `${c}.worker_id IN (SELECT id FROM workers WHERE user_id = $${from})`,
      params: [actor.userId],
    };
  }
  if (!org) return none;
  switch (actor.organizationKind) {
    case 'investor':
    case 'partner':
      return {
        sql: `(${c}.organization_id = $${from} OR ${c}.project_id = ANY (ARRAY(SELECT id FROM projects WHERE organization_id = $${from})))`,
        params: [org],
      };
    case 'law_firm':
      return { sql: lawFirmCases(c, from), params: [org] };
    default:
      return none;
  }
}

/** Workers visible to the actor; `w` is the workers alias. */
export function workerScope(actor: Actor, w: string, from: number, { one = false } = {}): Scope {
  if (isPlatformAdmin(actor)) return all;
  const org = orgOf(actor);
  if (actor.role === 'worker') return { sql: `${w}.user_id = $${from}`, params: [actor.userId] };
  if (!org) return none;
  switch (actor.organizationKind) {
    case 'investor':
    case 'partner':
      // For one worker (`one`), a probe of that worker's assignments (index on assignments.worker_id); for a
      // list, the organization's assigned workers hashed once. The hashed form costs a scan of every assignment
      // of the organization's projects on each request, which for one worker of a large investor dominated
      // `GET /api/workers/:id` (issue 15, bench:foundation).
      return {
        sql: one
          ? `(${w}.organization_id = $${from} OR EXISTS (
                SELECT 1 FROM assignments a JOIN projects p ON p.id = a.project_id
                 WHERE a.worker_id = ${w}.id AND p.organization_id = $${from}))`
          : `(${w}.organization_id = $${from} OR ${w}.id IN (
                SELECT a.worker_id FROM assignments a JOIN projects p ON p.id = a.project_id
                 WHERE p.organization_id = $${from}))`,
        params: [org],
      };
    case 'law_firm':
      return {
        sql: `${w}.id IN (SELECT lc.worker_id FROM cases lc WHERE ${lawFirmCases('lc', from)})`,
        params: [org],
      };
    default:
      return none;
  }
}

/** Projects visible to the actor: its own, those it works on as a partner, those of its granted cases. */
export function projectScope(actor: Actor, p: string, from: number): Scope {
  if (isPlatformAdmin(actor)) return all;
  const org = orgOf(actor);
  if (!org || actor.role === 'worker') return none;
  switch (actor.organizationKind) {
    case 'investor':
    case 'partner':
      return {
        sql: `(${p}.organization_id = $${from} OR ${p}.id IN (SELECT project_id FROM project_partners WHERE partner_id = $${from}))`,
        params: [org],
      };
    case 'law_firm':
      return {
        sql: `(${p}.id IN (SELECT lc.project_id FROM cases lc WHERE ${lawFirmCases('lc', from)})
               OR ${p}.organization_id IN (SELECT client_id FROM counsel_engagements WHERE law_firm_id = $${from}))`,
        params: [org],
      };
    default:
      return none;
  }
}

/** Assignments visible to the actor: its own workers', and those on its own projects. */
export function assignmentScope(actor: Actor, a: string, from: number): Scope {
  if (isPlatformAdmin(actor)) return all;
  const org = orgOf(actor);
  if (!org || actor.role === 'worker') return none;
  switch (actor.organizationKind) {
    case 'investor':
    case 'partner':
      return {
        sql: `(${a}.organization_id = $${from} OR ${a}.project_id = ANY (ARRAY(SELECT id FROM projects WHERE organization_id = $${from})))`,
        params: [org],
      };
    case 'law_firm':
      return {
        sql: `${a}.id IN (SELECT lc.assignment_id FROM cases lc WHERE ${lawFirmCases('lc', from)})`,
        params: [org],
      };
    default:
      return none;
  }
}

/** Batches: the investor that made them, and the partner firms whose cases are in them (read only). */
export function batchScope(actor: Actor, b: string, from: number): Scope {
  if (isPlatformAdmin(actor)) return all;
  const org = orgOf(actor);
  if (!org || actor.role === 'worker') return none;
  if (actor.organizationKind === 'investor' || actor.organizationKind === 'partner') {
    return {
      sql: `(${b}.organization_id = $${from} OR ${b}.id IN (SELECT batch_id FROM cases WHERE organization_id = $${from} AND batch_id IS NOT NULL))`,
      params: [org],
    };
  }
  return none;
}
