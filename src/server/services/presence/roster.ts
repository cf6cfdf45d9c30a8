import type { ActivityStatus, AssessmentRequest, CategoryId } from '../../../contract/assessment.js';
import type { Roster } from '../../../contract/pipeline.js';
import { admissionClass, stayStatus } from '../../../core/presence/stay.js';
import { assessCategory, parseAssessmentRequest } from '../../../core/rules/index.js';
import { ApiError } from '../../http/problem.js';
import type { ServiceContext } from '../context.js';
import { caseAssessmentRequest } from '../pipeline/cases.js';
import { workflowById } from '../pipeline/workflow-bridge.js';
import { stageTitle } from '../../../core/workflows/index.js';
import { nowOf, type PipelineDeps } from '../pipeline/common.js';
import { assignmentScope } from '../pipeline/scope.js';
import { contactsOf } from '../organizations.js';
import { listSites } from '../sites.js';

type Flag = Roster['people'][number]['flag'];
const flagOf: Record<ActivityStatus, Flag> = {
  permitted: 'green',
  conditional: 'amber',
  not_permitted: 'red',
};
const rank: Record<Flag, number> = { grey: 0, green: 1, amber: 2, red: 3 };

/** Today's date where the site is (its IANA time zone). */
export function siteToday(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

interface RosterRow {
  worker_id: string;
  name_hangul: string;
  family_name: string;
  given_name: string;
  nationality: string;
  birth_date: string;
  education: string | null;
  role: string | null;
  employed_since: string | null;
  passport_expiry: string;
  employer: string;
  project: string;
  activities: string[];
  start_date: string;
  end_date: string;
  payer: string;
  class_of_admission: string | null;
  admitted_on: string | null;
  admit_until: string | null;
  duration_of_status: boolean | null;
  departed_on: string | null;
  request: Partial<AssessmentRequest> | null;
  case_id: string | null;
  case_stage: string | null;
  case_status: string | null;
  workflow_id: string | null;
  [key: string]: unknown;
}

/**
 * The roster of a site on a date (issue 6, item 3): everyone assigned there that day, whether they are admitted
 * and present (an entry covering the date), their class and admit-until, and for each assigned activity whether
 * their ACTUAL class of admission permits it, through the guidelines engine with the facts of their case:
 * green (permitted), amber (conditional: attestations or conditions), red (not permitted), grey (not present).
 * One query, one assessment per distinct class, activities and facts.
 */
export async function siteRoster(
  ctx: ServiceContext,
  deps: PipelineDeps,
  siteId: string,
  date?: string,
): Promise<Roster> {
  const site = (await listSites(ctx)).find((s) => s.id === siteId);
  if (!site) throw new ApiError('resource.not_found');
  const on = date ?? siteToday(site.timeZone, nowOf(deps));
  const scope = assignmentScope(ctx.actor, 'a', 3);
  const rows = await ctx.db.query<RosterRow>(
    `SELECT a.worker_id, w.name_hangul, w.family_name, w.given_name, w.nationality, w.birth_date::text, w.education,
            w.role, w.employed_since::text, w.passport_expiry::text, o.name AS employer, p.name AS project,
            a.activities, a.start_date::text, a.end_date::text, a.payer,
            e.class_of_admission, e.admitted_on::text, e.admit_until::text, e.duration_of_status, e.departed_on::text,
            asm.request, c.id AS case_id, c.stage AS case_stage, c.status AS case_status, c.workflow_id
       FROM assignments a
       JOIN projects p ON p.id = a.project_id
       JOIN workers w ON w.id = a.worker_id
       JOIN organizations o ON o.id = w.organization_id
       LEFT JOIN LATERAL (
         SELECT * FROM entries e WHERE e.worker_id = a.worker_id AND e.dependent_id IS NULL AND e.admitted_on <= $2
            AND (e.departed_on IS NULL OR e.departed_on >= $2) ORDER BY e.admitted_on DESC LIMIT 1) e ON true
       LEFT JOIN LATERAL (
         SELECT c.id, c.assessment_id, c.stage, c.status, c.workflow_id FROM cases c
          WHERE c.assignment_id = a.id AND c.dependent_id IS NULL
          ORDER BY (c.status IN ('open', 'admitted')) DESC, c.opened_at DESC LIMIT 1) c ON true
       LEFT JOIN assessments asm ON asm.id = c.assessment_id
      WHERE p.site_id = $1 AND a.start_date <= $2 AND a.end_date >= $2 AND ${scope.sql}
      ORDER BY w.family_name, w.given_name, a.worker_id`,
    [siteId, on, ...scope.params],
  );
  const memo = new Map<string, Record<string, ActivityStatus> | null>();
  const counts = {
    expected: rows.length,
    present: 0,
    red: 0,
    amber: 0,
    green: 0,
    outOfStatus: 0,
    nearAdmitUntil: 0,
    awaitingVisa: 0,
  };
  const people = rows.map((r) => {
    const cls = r.class_of_admission ? admissionClass(r.class_of_admission) : undefined;
    const present = cls !== undefined;
    let activities: Roster['people'][number]['activities'];
    let warnings: Roster['people'][number]['warnings'] = [];
    let daysRemaining: number | null = null;
    if (!present) {
      activities = r.activities.map((activity) => ({ activity, status: 'not_present', flag: 'grey' }));
      if (r.case_status === 'open') counts.awaitingVisa++;
    } else {
      counts.present++;
      const status = stayStatus(
        {
          admittedOn: r.admitted_on!,
          classOfAdmission: cls.code,
          admitUntil: r.admit_until,
          durationOfStatus: r.duration_of_status ?? false,
          departedOn: r.departed_on,
        },
        on,
        { passportExpiry: r.passport_expiry },
      );
      daysRemaining = status.daysRemaining;
      warnings = status.warnings.map((w) => ({ code: w.code, message: w.message }));
      if (status.warnings.some((w) => w.code === 'overstay')) counts.outOfStatus++;
      else if (daysRemaining !== null && daysRemaining <= 30) counts.nearAdmitUntil++;
      const facts = {
        scenario: r.request?.scenario,
        worker: r.request?.worker,
        employer: r.request?.employer,
        assignment: r.request?.assignment,
      } as Parameters<typeof caseAssessmentRequest>[2];
      const key = JSON.stringify([
        cls.category,
        r.activities,
        facts,
        r.payer,
        r.nationality,
        r.education,
        r.role,
        (r.employed_since ?? '').slice(0, 4),
        r.start_date,
        r.end_date,
      ]);
      let statuses = memo.get(key);
      if (statuses === undefined) {
        statuses = null;
        if (cls.category) {
          const request = caseAssessmentRequest(
            {
              nationality: r.nationality.trim(),
              birthDate: r.birth_date,
              education: r.education,
              role: r.role,
              employedSince: r.employed_since,
            },
            { activities: r.activities, startDate: r.start_date, endDate: r.end_date, payer: r.payer },
            facts,
            on,
          );
          // One category is all the roster needs (issue 15: the roster of 5,000 people).
          const result = assessCategory(
            parseAssessmentRequest(request),
            deps.rules,
            cls.category as CategoryId,
          );
          statuses = (result?.activities ?? null) as Record<string, ActivityStatus> | null;
        }
        memo.set(key, statuses);
      }
      activities = r.activities.map((activity) => {
        const s = statuses?.[activity];
        return s
          ? { activity, status: s, flag: flagOf[s] }
          : { activity, status: 'conditional', flag: 'amber' };
      });
    }
    const flag = activities.reduce<Flag>(
      (worst, a) => (rank[a.flag] > rank[worst] ? a.flag : worst),
      present ? 'green' : 'grey',
    );
    if (flag === 'red') counts.red++;
    else if (flag === 'amber') counts.amber++;
    else if (flag === 'green') counts.green++;
    return {
      workerId: r.worker_id,
      nameHangul: r.name_hangul,
      name: `${r.family_name} ${r.given_name}`,
      employer: r.employer,
      project: r.project,
      assignmentStart: r.start_date,
      assignmentEnd: r.end_date,
      present,
      classOfAdmission: cls?.code ?? null,
      admitUntil: r.duration_of_status ? 'D/S' : r.admit_until,
      daysRemaining,
      flag,
      activities,
      warnings,
      caseStage:
        !present && r.case_id && r.workflow_id
          ? {
              caseId: r.case_id,
              title: stageTitle(workflowById(r.workflow_id), r.case_stage!),
              status: r.case_status!,
            }
          : null,
    };
  });
  // The contact sheet: the site owner's counsel and emergency contacts, then those of every other employer
  // with someone on the roster (partner firms), as entered by each organization's administrators.
  // (The employers are found by their unique names: selecting their ids in the big query above cost 18 ms in
  // bench:presence, measured; its sort stays in memory, so the cause is not a spill and was not found.)
  const employers = new Map<string, string>([[site.organizationId, site.organizationName]]);
  const names = [...new Set(rows.map((r) => r.employer))].filter((n) => n !== site.organizationName);
  if (names.length > 0) {
    const found = await ctx.db.query<{ id: string; name: string }>(
      'SELECT id, name FROM organizations WHERE name = ANY($1::text[]) ORDER BY name',
      [names],
    );
    for (const o of found) employers.set(o.id, o.name);
  }
  const onFile = await contactsOf(ctx.db, [...employers.keys()]);
  const contacts = [...employers].map(([organizationId, organizationName]) => ({
    organizationId,
    organizationName,
    role: organizationId === site.organizationId ? ('site_owner' as const) : ('employer' as const),
    updatedAt: onFile.get(organizationId)!.updatedAt,
    items: onFile.get(organizationId)!.items,
  }));
  return {
    siteId,
    siteName: site.name,
    date: on,
    timeZone: site.timeZone,
    consulate: (site.consulate as Record<string, unknown> | null | undefined) ?? null,
    contacts,
    counts,
    people,
  };
}
