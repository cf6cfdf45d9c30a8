import { z } from 'zod';
import { oneLine } from './text.js';
import { organizationContactSchema, siteSectors } from './api.js';
import {
  activityIdSchema,
  activityIds,
  categoryIdSchema,
  educationLevels,
  isoDateSchema,
  payers,
  workerRoles,
  type Verdict,
} from './assessment.js';
import { uscisPetitionSchema } from './uscis.js';
import { batchEventSchema, consularApplicationSchema, deskSchema, deskStatusSchema } from './consular.js';
import { caseStatuses, leadTimeGroupBys, leadTimeGroupSchema, slaStates } from './workflow.js';

export { caseStatuses, slaStates };

/**
 * Request and response schemas of the dispatch pipeline (issue 5): sites, projects, staffing plans, workers,
 * dependents, assignments, visa cases and their transitions, documents, embassy-desk batches and lead-time
 * statistics. Shared by the server (validation, OpenAPI), the CLI and the web app.
 *
 * Routes (docs/pipeline.md):
 * - `GET/POST /api/sites` (POST: createSiteSchema), `GET /api/projects`, `POST /api/projects`,
 *   `GET /api/projects/{id}` -> projectDetailSchema (staffing plans with needed/assigned/admitted),
 *   `POST /api/projects/{id}/staffing-plans`.
 * - `GET /api/workers?q&organizationId&projectId&role&limit&offset` -> `{ total, items: Worker[] }` (server-side
 *   search and paging; 10,000+ rows), `POST /api/workers`, `GET /api/workers/{id}`, `PATCH /api/workers/{id}`,
 *   `GET/POST /api/workers/{id}/dependents`, `GET /api/workers/{id}/cases` -> caseListSchema.
 * - `GET /api/assignments?projectId&workerId`, `POST /api/assignments`.
 * - `GET /api/cases?projectId&workerId&category&stage&status&sla&limit&offset` -> `{ total, items: CaseSummary[] }`,
 *   `POST /api/cases` (openCaseSchema), `GET /api/cases/{id}` -> caseDetailSchema (stages with target dates and SLA,
 *   allowedTransitions, history, documents, checklist, letters available),
 *   `POST /api/cases/{id}/transitions` (transitionRequestSchema: `to`, comment, overrideReason) -> caseDetail,
 *   `POST /api/cases/{id}/documents?docType&stageId&expiresOn` (multipart/form-data, one file field `file`; max
 *   10 MB; PDF, JPEG, PNG only) -> caseDocument, `GET /api/documents/{id}` (download, always as attachment),
 *   `GET /api/cases/{id}/letters/{support|invitation}?lang=en|ko` -> application/pdf.
 * - `GET /api/batches`, `POST /api/batches` (createBatchSchema), `GET /api/batches/{id}`,
 *   `PATCH /api/batches/{id}` (updateBatchSchema; drafts only, 409 once submitted),
 *   `GET /api/batches/{id}/manifest.csv`, `GET /api/batches/{id}/manifest.pdf`, `POST /api/batches/{id}/submit`.
 * - `GET /api/stats/lead-times?groupBy=category|stage|organization|project&from&to&projectId` -> leadTimeStatsSchema.
 * - Capabilities (see GET /api/me `capabilities`): `pipeline.read`, `pipeline.write`, `cases.override` (admins),
 *   `profile.own` (a worker sees their own record at `GET /api/workers/me`).
 * - Workflow stage titles come in the API responses ({en, ko}); workflows are data in rules/workflows/*.yaml.
 * Errors are problem+json (see src/web/api.ts for how the app shows them, with field paths). Writes need the
 * CSRF header, which src/web/api.ts adds.
 */
const id = z.uuid();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
/** Free text that may span lines (reasons, clauses, purposes). Every string also passes the text screen. */
const text = (max: number) => z.string().trim().min(1).max(max);
/** A name, title or short value: one line. */
const line = (max: number) => oneLine(z.string().trim().min(1).max(max));
const bilingual = z.object({ en: z.string(), ko: z.string() });

export const usStateCodes = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH',
  'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
  'PR', 'GU', 'VI', 'AS', 'MP',
] as const; // prettier-ignore
export const usStateSchema = z.enum(usStateCodes);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/');
  } catch {
    return false;
  }
}
export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'must be an IANA time zone such as America/New_York' });

// ---------------------------------------------------------------- sites

export const createSiteSchema = z.object({
  name: line(200),
  sector: z.enum(siteSectors),
  address: line(300),
  city: line(100),
  state: usStateSchema,
  county: line(100).optional(),
  timeZone: timeZoneSchema,
  organizationId: id.optional().describe('Platform administrators only: the owning organization'),
});
export type CreateSite = z.infer<typeof createSiteSchema>;

export const consulateRefSchema = z.object({
  id: z.string(),
  name: bilingual,
  city: z.string(),
  phone: z.string().nullable(),
  website: z.string().nullable(),
  verify: z.boolean(),
});

// ---------------------------------------------------------------- projects and staffing plans

export const createProjectSchema = z
  .object({
    siteId: id,
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'letters, digits, dot, dash or underscore (at most 40)'),
    name: line(200),
    sector: z.enum(siteSectors),
    investmentUsd: z.number().int().min(0).max(1e13),
    startDate: isoDateSchema,
    endDate: isoDateSchema.optional(),
    partnerIds: z.array(id).max(200).optional(),
  })
  .refine((p) => !p.endDate || p.endDate >= p.startDate, {
    path: ['endDate'],
    message: 'must not be before startDate',
  });
export type CreateProject = z.infer<typeof createProjectSchema>;

export const projectSchema = z.object({
  id,
  organizationId: id,
  organizationName: z.string(),
  siteId: id,
  siteName: z.string(),
  state: z.string(),
  code: z.string(),
  name: z.string(),
  sector: z.enum(siteSectors),
  investmentUsd: z.number(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  partners: z.array(z.object({ id, name: z.string() })),
  createdAt: isoDateTime,
});
export type Project = z.infer<typeof projectSchema>;
export const projectListSchema = z.object({ items: z.array(projectSchema) });

export const createStaffingPlanSchema = z
  .object({
    role: z.enum(workerRoles),
    skill: line(200).optional(),
    headcount: z.number().int().min(1).max(10_000),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
  })
  .refine((p) => p.endDate >= p.startDate, { path: ['endDate'], message: 'must not be before startDate' });
export type CreateStaffingPlan = z.infer<typeof createStaffingPlanSchema>;

export const staffingPlanSchema = z.object({
  id,
  projectId: id,
  role: z.enum(workerRoles),
  skill: z.string().nullable(),
  headcount: z.number(),
  startDate: z.string(),
  endDate: z.string(),
  /** Workers assigned to the project in this role whose assignment overlaps the plan's dates. */
  assigned: z.number(),
  /** Of those, the ones whose case reached `admitted`. */
  admitted: z.number(),
});
export type StaffingPlan = z.infer<typeof staffingPlanSchema>;

export const projectDetailSchema = projectSchema.extend({
  staffing: z.array(staffingPlanSchema),
  totals: z.object({ needed: z.number(), assigned: z.number(), admitted: z.number() }),
});
export type ProjectDetail = z.infer<typeof projectDetailSchema>;

// ---------------------------------------------------------------- workers and dependents

export const sexes = ['F', 'M', 'X'] as const;
/** The worker facts an assessment needs beyond identity; a worker without them is "profile incomplete". */
export const profileFields = ['education', 'role', 'employedSince'] as const;
export type ProfileField = (typeof profileFields)[number];
const passportNumber = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{6,12}$/, 'must be 6 to 12 letters or digits'));
const romanized = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(/^[A-Z][A-Z '-]{0,59}$/, 'Latin capital letters as in the passport'));
const hangulName = z
  .string()
  .trim()
  .regex(/^[\u3131-\u318E\uAC00-\uD7A3 ]{1,30}$/, 'Hangul as in the Korean registration');

export const qualificationSchema = z.object({
  name: line(120),
  grade: line(60).optional(),
  issuer: line(120).optional(),
  number: line(60).optional(),
});
export const emergencyContactSchema = z.object({
  name: line(120),
  relationship: line(60),
  phone: line(40),
});

const workerFields = {
  familyName: romanized,
  givenName: romanized,
  nameHangul: hangulName,
  birthDate: isoDateSchema,
  sex: z.enum(sexes),
  nationality: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code'),
  passportNumber,
  passportExpiry: isoDateSchema,
  education: z.enum(educationLevels),
  role: z.enum(workerRoles),
  qualifications: z.array(qualificationSchema).max(30),
  skills: z.array(line(80)).max(50),
  employedSince: isoDateSchema,
  phone: line(40).nullable(),
  email: z.email().max(254).nullable(),
  emergencyContact: emergencyContactSchema.nullable(),
  /** The re-entry track (issue 16): detained by US immigration authorities on this date (e.g. 2025-09-04). */
  detainedOn: isoDateSchema.nullable(),
};
export const createWorkerSchema = z
  .object({
    ...workerFields,
    qualifications: workerFields.qualifications.optional(),
    skills: workerFields.skills.optional(),
    phone: workerFields.phone.optional(),
    email: workerFields.email.optional(),
    emergencyContact: workerFields.emergencyContact.optional(),
    detainedOn: workerFields.detainedOn.optional(),
    // What an assessment needs may come later (rosters rarely carry it): the worker is then "profile incomplete".
    education: workerFields.education.optional(),
    role: workerFields.role.optional(),
    employedSince: workerFields.employedSince.optional(),
    organizationId: id.optional().describe('Platform administrators only: the employing organization'),
  })
  .refine((w) => !w.employedSince || w.employedSince >= w.birthDate, {
    path: ['employedSince'],
    message: 'must be after birthDate',
  });
export type CreateWorker = z.infer<typeof createWorkerSchema>;
export const updateWorkerSchema = z.object(workerFields).partial();
export type UpdateWorker = z.infer<typeof updateWorkerSchema>;
/** What a worker may correct in their own profile (identity fields stay with their employer). */
export const ownProfileFields = ['phone', 'email', 'emergencyContact', 'skills', 'qualifications'] as const;

export const workerSchema = z.object({
  id,
  organizationId: id,
  organizationName: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  nameHangul: z.string(),
  birthDate: z.string(),
  sex: z.enum(sexes),
  nationality: z.string(),
  /** Never the whole number: the last four characters, e.g. `•••••1234`. */
  passportMasked: z.string(),
  passportExpiry: z.string(),
  education: z.enum(educationLevels).nullable(),
  role: z.enum(workerRoles).nullable(),
  qualifications: z.array(qualificationSchema),
  skills: z.array(z.string()),
  employedSince: z.string().nullable(),
  /** What an assessment needs and the record lacks ("profile incomplete"): fill it on the worker page. */
  profileMissing: z.array(z.enum(profileFields)),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  emergencyContact: emergencyContactSchema.nullable(),
  /** Detained by US immigration authorities on this date: the re-entry track applies to their assessments. */
  detainedOn: z.string().nullable(),
  userId: id.nullable(),
  openCases: z.number(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export type Worker = z.infer<typeof workerSchema>;

export const workerListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().describe('Search in names (Hangul or romanized)'),
  organizationId: id.optional(),
  projectId: id.optional(),
  role: z.enum(workerRoles).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const workerListSchema = z.object({ total: z.number(), items: z.array(workerSchema) });

export const dependentRelationships = ['spouse', 'child'] as const;
export const createDependentSchema = z.object({
  relationship: z.enum(dependentRelationships),
  familyName: romanized,
  givenName: romanized,
  nameHangul: hangulName.optional(),
  birthDate: isoDateSchema,
  nationality: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code'),
  derivativeCategory: z
    .string()
    .regex(/^[A-Z0-9-]{1,8}$/)
    .optional()
    .describe('e.g. L-2, E-2, H-4, B-2'),
  passportExpiry: isoDateSchema
    .optional()
    .describe("The dependent's passport expiry (alerts warn six months ahead)"),
});
export const dependentSchema = z.object({
  id,
  workerId: id,
  relationship: z.enum(dependentRelationships),
  familyName: z.string(),
  givenName: z.string(),
  nameHangul: z.string().nullable(),
  birthDate: z.string(),
  nationality: z.string(),
  derivativeCategory: z.string().nullable(),
  passportExpiry: z.string().nullable(),
});
export type Dependent = z.infer<typeof dependentSchema>;

// ---------------------------------------------------------------- assignments

export const createAssignmentSchema = z
  .object({
    workerId: id,
    projectId: id,
    activities: z.array(activityIdSchema).min(1).max(activityIds.length),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
    payer: z.enum(payers),
  })
  .refine((a) => a.endDate >= a.startDate, { path: ['endDate'], message: 'must not be before startDate' })
  .refine((a) => new Set(a.activities).size === a.activities.length, {
    path: ['activities'],
    message: 'lists an activity twice',
  });
export type CreateAssignment = z.infer<typeof createAssignmentSchema>;
export const assignmentSchema = z.object({
  id,
  organizationId: id,
  workerId: id,
  workerName: z.string(),
  workerNameHangul: z.string(),
  projectId: id,
  projectName: z.string(),
  siteId: id,
  siteName: z.string(),
  activities: z.array(activityIdSchema),
  startDate: z.string(),
  endDate: z.string(),
  payer: z.enum(payers),
  caseId: id.nullable(),
  createdAt: isoDateTime,
});
export type Assignment = z.infer<typeof assignmentSchema>;
export const assignmentListQuerySchema = z.object({
  projectId: id.optional(),
  workerId: id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export const assignmentListSchema = z.object({ total: z.number(), items: z.array(assignmentSchema) });

// ---------------------------------------------------------------- cases

export const openCaseSchema = z
  .object({
    /** The assignment the case is for; or, from an assessment, `workerId` and `projectId` (the assignment is made). */
    assignmentId: id.optional(),
    workerId: id.optional().describe('With assessmentId and projectId: the worker the case is for'),
    projectId: id
      .optional()
      .describe(
        "With assessmentId and workerId: the project; the assessment's activities and dates become the assignment",
      ),
    category: categoryIdSchema,
    /** A stored assessment to open from (its verdict decides); or `assessment` facts the server completes from the records. */
    assessmentId: id.optional(),
    assessment: z
      .object({
        scenario: z.object({ e4Enacted: z.boolean() }).optional(),
        worker: z.record(z.string(), z.unknown()).optional(),
        employer: z.record(z.string(), z.unknown()).optional(),
        assignment: z.record(z.string(), z.unknown()).optional(),
      })
      .optional()
      .describe(
        'Facts the records do not hold (employer relationship, ESTA answers, contract clause...). Worker and assignment facts come from the records.',
      ),
    dependentId: id.optional(),
    embassyDesk: z.boolean().optional().describe('B-1 through the embassy-desk batch workflow'),
    overrideReason: text(2000)
      .optional()
      .describe('Required (admins only) to open a category the engine found ineligible'),
    counselOrganizationId: id.optional().describe('A law firm granted access to this case'),
  })
  .superRefine((c, ctx) => {
    if (c.assignmentId) return;
    if (!c.assessmentId)
      ctx.addIssue({
        code: 'custom',
        path: ['assignmentId'],
        message: 'give the assignment, or an assessment with the worker and the project',
      });
    else
      for (const key of ['workerId', 'projectId'] as const)
        if (!c[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required to open a case from an assessment',
          });
  });
export type OpenCase = z.infer<typeof openCaseSchema>;

export const transitionRequestSchema = z.object({
  to: z.string().trim().min(1).max(60),
  /**
   * Moving to `admitted`: the entry (the I-94 text, or its fields), which becomes the worker's stay. Without it,
   * the worker's current stay that is not yet any case's (e.g. reported by the worker) is taken.
   */
  entry: z
    .object({
      i94Text: z.string().min(1).max(20_000).optional(),
      admittedOn: isoDateSchema.optional(),
      port: z
        .string()
        .trim()
        .regex(/^[A-Za-z]{3}$/, 'a three-letter port code such as ATL')
        .optional(),
      classOfAdmission: z.string().trim().min(1).max(10).optional(),
      i94Number: z
        .string()
        .trim()
        .regex(/^[0-9A-Za-z]{11}$/, 'an 11-character I-94 number')
        .optional(),
      admitUntil: isoDateSchema.optional(),
      durationOfStatus: z.boolean().optional(),
    })
    .optional(),
  comment: z.string().trim().max(4000).optional(),
  overrideReason: text(2000).optional(),
  assigneeUserId: id.optional(),
  at: isoDateTime.optional().describe('When it happened (default now; not in the future)'),
});
export type TransitionRequest = z.infer<typeof transitionRequestSchema>;

export const caseSummarySchema = z.object({
  id,
  organizationId: id,
  organizationName: z.string(),
  workerId: id,
  workerName: z.string(),
  workerNameHangul: z.string(),
  dependentId: id.nullable(),
  assignmentId: id,
  projectId: id,
  projectName: z.string(),
  category: categoryIdSchema,
  provision: z.string().nullable(),
  workflowId: z.string(),
  stage: z.string(),
  stageTitle: bilingual,
  status: z.enum(caseStatuses),
  verdict: z.string() as z.ZodType<Verdict>,
  openedAt: isoDateTime,
  stageEnteredAt: isoDateTime,
  assignmentStart: z.string(),
  targetDate: z.string(),
  sla: z.enum(slaStates),
  daysLate: z.number(),
  admittedAt: isoDateTime.nullable(),
  leadTimeDays: z.number().nullable(),
  batchId: id.nullable(),
});
export type CaseSummary = z.infer<typeof caseSummarySchema>;

export const caseListQuerySchema = z.object({
  projectId: id.optional(),
  workerId: id.optional(),
  category: categoryIdSchema.optional(),
  stage: z.string().max(60).optional(),
  status: z.enum(caseStatuses).optional(),
  sla: z.enum(slaStates).optional(),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});
export const caseListSchema = z.object({ total: z.number(), items: z.array(caseSummarySchema) });

/** `GET /api/cases/board?projectId`: one column per stage, with counts and the cards due first. */
export const caseBoardQuerySchema = z.object({
  projectId: id,
  perStage: z.coerce.number().int().min(1).max(200).default(10),
  category: categoryIdSchema.optional(),
});
export const caseBoardSchema = z.object({
  projectId: id,
  columns: z.array(
    z.object({
      stage: z.string(),
      title: bilingual,
      /** Open cases at this stage (for `admitted`, `refused`, `withdrawn`: closed cases). */
      count: z.number(),
      cards: z.array(caseSummarySchema),
    }),
  ),
  totals: z.object({ open: z.number(), admitted: z.number(), closed: z.number() }),
});
export type CaseBoard = z.infer<typeof caseBoardSchema>;

export const caseStageSchema = z.object({
  id: z.string(),
  title: bilingual,
  actor: z.string(),
  targetDays: z.number(),
  targetDate: z.string(),
  enteredAt: isoDateTime.nullable(),
  leftAt: isoDateTime.nullable(),
  sla: z.enum(slaStates),
  daysLate: z.number(),
  documents: z.array(z.object({ id: z.string(), label: bilingual, required: z.boolean() })),
});
export const caseEventSchema = z.object({
  id,
  from: z.string().nullable(),
  to: z.string(),
  at: isoDateTime,
  by: z.string(),
  comment: z.string().nullable(),
  overrideReason: z.string().nullable(),
  assigneeUserId: id.nullable(),
});
export const caseCommentSchema = z.object({
  id,
  author: z.string(),
  organizationName: z.string().nullable(),
  body: z.string(),
  createdAt: isoDateTime,
});
export const caseDocumentSchema = z.object({
  id,
  caseId: id,
  stageId: z.string().nullable(),
  docType: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  expiresOn: z.string().nullable(),
  uploadedAt: isoDateTime,
  uploadedBy: z.string(),
});
export type CaseDocument = z.infer<typeof caseDocumentSchema>;
export const caseDetailSchema = caseSummarySchema.extend({
  rulesVersion: z.string(),
  assessmentId: id,
  reasons: z.array(
    z.object({ rule: z.string(), passed: z.boolean(), citation: z.string(), message: bilingual }),
  ),
  override: z.object({ reason: z.string(), by: z.string(), at: isoDateTime }).nullable(),
  counselOrganizationId: id.nullable(),
  /** The number reserved in the quota ledger when the workflow has a quota stage (E-4), or null. */
  quota: z
    .object({
      reservationId: id,
      program: z.string(),
      fiscalYear: z.number(),
      status: z.string(),
      sequence: z.number().nullable(),
      position: z.number().nullable(),
    })
    .nullable(),
  stages: z.array(caseStageSchema),
  allowedTransitions: z.array(
    z.object({
      to: z.string(),
      title: bilingual,
      kind: z.enum(['forward', 'skip', 'back', 'exit']),
      needsOverride: z.boolean(),
    }),
  ),
  history: z.array(caseEventSchema),
  documents: z.array(caseDocumentSchema),
  checklist: z.array(
    z.object({
      id: z.string(),
      label: bilingual,
      required: z.boolean(),
      stageId: z.string().nullable(),
      uploaded: z.boolean(),
      /**
       * A document to upload, the worker's questionnaire (done when HR accepts it; nothing to upload), or the
       * training evidence pack generated from the contribution ledger.
       */
      source: z.enum(['document', 'questionnaire', 'evidence_pack']).optional(),
    }),
  ),
  letters: z.array(z.enum(['support', 'invitation'])),
  /** Consular cases (a workflow with a consular interview): the CEAC status, the DS-160, the desk's record. */
  consular: consularApplicationSchema.nullable(),
  /** Petition cases (a workflow with a USCIS petition stage): receipt number, status history, RFE/NOID (issue 18). */
  uscis: uscisPetitionSchema.nullable(),
  /** The stay that is this case's admission (admitted means present), or null before. */
  stay: z
    .object({
      entryId: id,
      admittedOn: z.string(),
      classOfAdmission: z.string(),
      classLabel: bilingual,
      admitUntil: z.string().nullable(),
      departedOn: z.string().nullable(),
      reportedBy: z.enum(['employer', 'worker']),
      confirmedAt: isoDateTime.nullable(),
    })
    .nullable(),
  comments: z.array(caseCommentSchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const caseCommentRequestSchema = z.object({ body: z.string().trim().min(1).max(4000) });

/** `POST /api/cases/{id}/reassess`: the same facts under today's rules and records, compared with the case's. */
export const reassessmentSchema = z.object({
  assessmentId: id,
  rulesVersion: z.object({ before: z.string(), after: z.string() }),
  category: z.string(),
  verdict: z.object({ before: z.string(), after: z.string() }),
  provision: z.object({ before: z.string().nullable(), after: z.string().nullable() }),
  /** Reasons that changed (passed before and not now, or the reverse, or new), in both languages. */
  changes: z.array(
    z.object({
      rule: z.string(),
      before: z.boolean().nullable(),
      after: z.boolean().nullable(),
      message: bilingual,
      citation: z.string(),
    }),
  ),
  /** Other categories whose verdict changed. */
  otherCategories: z.array(z.object({ category: z.string(), before: z.string(), after: z.string() })),
});
export type Reassessment = z.infer<typeof reassessmentSchema>;

export const documentUploadQuerySchema = z.object({
  docType: z.string().regex(/^[a-z0-9_]{1,60}$/),
  stageId: z.string().max(60).optional(),
  expiresOn: isoDateSchema.optional(),
});

// ---------------------------------------------------------------- embassy-desk batches

export const batchStatuses = ['draft', 'submitted', 'in_progress', 'completed'] as const;
/** The most cases one batch (and its manifest) holds. */
export const MAX_BATCH_CASES = 500;
/** What the visas of a batch will bear: the annotation the embassy desk prints. */
const batchAnnotationSchema = z.object({ company: line(200), facility: line(200), project: line(200) });
export const createBatchSchema = z.object({
  projectId: id,
  annotation: batchAnnotationSchema,
  caseIds: z.array(id).min(1).max(MAX_BATCH_CASES),
});
export type CreateBatch = z.infer<typeof createBatchSchema>;
/**
 * `PATCH /api/batches/{id}` while the batch is a draft (not submitted): any of the three annotation lines, cases
 * to add (checked as at creation) and cases to take out. The batch keeps at least one case.
 */
export const updateBatchSchema = z.object({
  annotation: batchAnnotationSchema.partial().optional(),
  addCaseIds: z.array(id).max(MAX_BATCH_CASES).optional(),
  removeCaseIds: z.array(id).max(MAX_BATCH_CASES).optional(),
});
export type UpdateBatch = z.infer<typeof updateBatchSchema>;
export const batchSchema = z.object({
  id,
  organizationId: id,
  projectId: id,
  projectName: z.string(),
  annotation: z.object({ company: z.string(), facility: z.string(), project: z.string() }),
  status: z.enum(batchStatuses),
  /** Where the batch is at the embassy desk (issue 17): amendable while draft, submitted or returned. */
  deskStatus: deskStatusSchema,
  desk: deskSchema.nullable(),
  submittedAt: isoDateTime.nullable(),
  acknowledgedAt: isoDateTime.nullable(),
  closedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  cases: z.array(caseSummarySchema),
  counts: z.object({ total: z.number(), open: z.number(), admitted: z.number(), closed: z.number() }),
  /** The status history both sides see (detail only). */
  events: z.array(batchEventSchema).optional(),
  /** What the desk recorded per applicant (detail only), by case id. */
  applications: z.record(z.string(), consularApplicationSchema).optional(),
});
export type Batch = z.infer<typeof batchSchema>;
export const batchListSchema = z.object({ items: z.array(batchSchema.omit({ cases: true })) });

// ---------------------------------------------------------------- statistics

export const leadTimeGroupings = leadTimeGroupBys;
export const leadTimeQuerySchema = z.object({
  groupBy: z.enum(leadTimeGroupings).default('category'),
  from: isoDateSchema.optional().describe('Cases opened on or after (UTC)'),
  to: isoDateSchema.optional().describe('Cases opened on or before (UTC)'),
  projectId: id.optional(),
});
export const leadTimeStatsSchema = z.object({
  groupBy: z.enum(leadTimeGroupings),
  method: z.string(),
  /** When the figures were computed: they are kept up to 30 seconds (aggregates, not records). */
  computedAt: isoDateTime,
  groups: z.array(leadTimeGroupSchema),
});
export type LeadTimeStats = z.infer<typeof leadTimeStatsSchema>;

// ---------------------------------------------------------------- letters

/**
 * `POST /api/cases/{id}/letters`: the letter is generated from the case (worker, project, site, activities,
 * dates, payer, batch annotation); the body brings what the records do not hold: who signs, the sending
 * employer's contact details, and for the installer provision the equipment and the contract clause.
 */
export const letterRequestSchema = z.object({
  kind: z.enum(['support', 'invitation']),
  language: z.enum(['en', 'ko']).default('en'),
  signatory: z.object({ name: line(200), title: line(200) }),
  contact: z.object({ address: text(400), phone: line(40), email: z.email().max(254) }),
  employerNameKo: line(200)
    .optional()
    .describe('The employer name in Korean (default: the organization name)'),
  equipment: z
    .object({
      description: text(400),
      seller: line(200),
      buyer: line(200),
      contractReference: line(200).optional(),
      contractDate: isoDateSchema.optional(),
      clause: text(3000).optional(),
    })
    .optional(),
  purpose: text(1500).optional().describe('Invitation letters: the purpose of the visit'),
  expensesPaidBy: z.enum(['visitor_employer', 'host', 'shared']).default('visitor_employer'),
  post: line(200).default('Consular Section, U.S. Embassy Seoul'),
  showPassportNumber: z.boolean().default(false),
});
export type LetterRequest = z.infer<typeof letterRequestSchema>;

// ---------------------------------------------------------------- presence (issue 6)

export const createEntrySchema = z
  .object({
    /** The text copied from the CBP I-94 website; when given, the fields below are read from it. */
    i94Text: z.string().min(1).max(20_000).optional(),
    dependentId: id.optional(),
    admittedOn: isoDateSchema.optional(),
    port: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{3}$/, 'a three-letter port code such as ATL')
      .optional(),
    classOfAdmission: z.string().trim().min(1).max(10).optional(),
    i94Number: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z]{11}$/, 'an 11-character I-94 number')
      .optional(),
    admitUntil: isoDateSchema.optional(),
    durationOfStatus: z.boolean().optional(),
    departedOn: isoDateSchema.optional(),
  })
  .refine(
    (e) => e.i94Text !== undefined || (e.admittedOn !== undefined && e.classOfAdmission !== undefined),
    {
      path: ['admittedOn'],
      message: 'give the admission date and class, or paste the I-94 text',
    },
  )
  .refine((e) => !e.departedOn || !e.admittedOn || e.departedOn >= e.admittedOn, {
    path: ['departedOn'],
    message: 'must not be before the admission date',
  });
export type CreateEntry = z.infer<typeof createEntrySchema>;

export const entrySchema = z.object({
  id,
  workerId: id,
  dependentId: id.nullable(),
  admittedOn: z.string(),
  port: z.string().nullable(),
  classOfAdmission: z.string(),
  classLabel: bilingual,
  i94Masked: z.string().nullable(),
  admitUntil: z.string().nullable(),
  durationOfStatus: z.boolean(),
  departedOn: z.string().nullable(),
  source: z.enum(['manual', 'i94_paste']),
  /** Who recorded it: the employer, or the worker themselves (then `confirmedAt` once HR has checked it). */
  reportedBy: z.enum(['employer', 'worker']),
  confirmedAt: isoDateTime.nullable(),
  /** The case this stay is the admission of. */
  caseId: id.nullable(),
  status: z.object({
    on: z.string(),
    daysUsed: z.number(),
    daysRemaining: z.number().nullable(),
    present: z.boolean(),
    expectedAdmitUntil: z.string().nullable(),
    warnings: z.array(z.object({ code: z.string(), message: bilingual, verify: z.boolean() })),
  }),
});
export type Entry = z.infer<typeof entrySchema>;
export const entryListSchema = z.object({ items: z.array(entrySchema) });
export const departureSchema = z.object({ departedOn: isoDateSchema });

export const cardIssuedSchema = z.object({
  token: z.string(),
  id,
  expiresAt: isoDateTime,
  verifyUrl: z.string(),
  claims: z.record(z.string(), z.unknown()),
});
export const cardVerifyRequestSchema = z.object({ token: z.string().max(10_000) });
export const cardVerifyResponseSchema = z.object({
  valid: z.boolean(),
  reason: z.string().nullable(),
  message: bilingual,
  claims: z.record(z.string(), z.unknown()).nullable(),
});
export const cardRevokeSchema = z.object({ reason: text(500) });

export const rosterQuerySchema = z.object({
  date: isoDateSchema.optional().describe('Default: today at the site (its time zone)'),
});
export const rosterFlags = ['green', 'amber', 'red', 'grey'] as const;
export const rosterSchema = z.object({
  siteId: id,
  siteName: z.string(),
  date: z.string(),
  timeZone: z.string(),
  consulate: z.record(z.string(), z.unknown()).nullable(),
  contacts: z
    .array(
      z.object({
        organizationId: id,
        organizationName: z.string(),
        role: z.enum(['site_owner', 'employer']),
        updatedAt: z.string().nullable(),
        items: z.array(organizationContactSchema),
      }),
    )
    .describe("The contact sheet: the site owner's counsel and emergency contacts, then other employers'"),
  counts: z.object({
    expected: z.number(),
    present: z.number(),
    red: z.number(),
    amber: z.number(),
    green: z.number(),
    /** Present after their admit-until date. */
    outOfStatus: z.number(),
    /** Present, with 30 days or fewer left before the admit-until date. */
    nearAdmitUntil: z.number(),
    /** Not present yet: their visa case is still open. */
    awaitingVisa: z.number(),
  }),
  people: z.array(
    z.object({
      workerId: id,
      nameHangul: z.string(),
      name: z.string(),
      employer: z.string(),
      project: z.string(),
      assignmentStart: z.string(),
      assignmentEnd: z.string(),
      present: z.boolean(),
      classOfAdmission: z.string().nullable(),
      admitUntil: z.string().nullable(),
      daysRemaining: z.number().nullable(),
      flag: z.enum(rosterFlags),
      activities: z.array(
        z.object({
          activity: z.string(),
          status: z.enum(['permitted', 'conditional', 'not_permitted', 'not_present']),
          flag: z.enum(rosterFlags),
        }),
      ),
      warnings: z.array(z.object({ code: z.string(), message: bilingual })),
      /** For someone not present: where their visa case is (the stage, in words), or null without a case. */
      caseStage: z.object({ caseId: id, title: bilingual, status: z.string() }).nullable(),
    }),
  ),
});
export type Roster = z.infer<typeof rosterSchema>;

// ---------------------------------------------------------------- the home page's figures (issue 13)

/**
 * `GET /api/stats/overview`: what each role acts on today. Companies get their scope's counts and the people
 * behind them (late stages, arrivals this week, stays ending soon); government users get counts only.
 */
export const overviewSchema = z.object({
  asOf: z.string(),
  cases: z.object({
    open: z.number(),
    late: z.number(),
    byCategory: z.array(
      z.object({
        category: z.string(),
        open: z.number(),
        admitted: z.number(),
        departed: z.number(),
        refused: z.number(),
        withdrawn: z.number(),
      }),
    ),
    byStage: z.array(z.object({ stage: z.string(), title: bilingual, open: z.number(), late: z.number() })),
  }),
  batches: z.array(z.object({ status: z.string(), count: z.number() })),
  presence: z.object({ present: z.number(), nearAdmitUntil: z.number(), outOfStatus: z.number() }),
  sites: z.array(
    z.object({
      /** Null for government users, who see one row per state (every company's sites together). */
      siteId: id.nullable(),
      siteName: z.string().nullable(),
      state: z.string(),
      expected: z.number(),
      present: z.number(),
      nearAdmitUntil: z.number(),
      outOfStatus: z.number(),
    }),
  ),
  /** Companies only: the people behind the figures (never for government users). */
  people: z
    .object({
      lateCases: z.array(
        z.object({
          caseId: id,
          workerName: z.string(),
          stage: bilingual,
          daysLate: z.number(),
          projectName: z.string(),
        }),
      ),
      arrivals: z.array(
        z.object({ workerId: id, workerName: z.string(), projectName: z.string(), startDate: z.string() }),
      ),
      endingSoon: z.array(
        z.object({ workerId: id, workerName: z.string(), admitUntil: z.string(), daysLeft: z.number() }),
      ),
    })
    .nullable(),
});
export type Overview = z.infer<typeof overviewSchema>;

// ---------------------------------------------------------------- the worker's own documents (issue 18)

/**
 * `GET /api/workers/me/cases/{id}/checklist`: what the worker's own case asks for, and what is already there
 * (the worker uploads with `POST /api/workers/me/cases/{id}/documents?docType=…`, multipart field "file").
 */
export const workerChecklistSchema = z.object({
  caseId: id,
  items: z.array(
    z.object({
      id: z.string(),
      label: bilingual,
      required: z.boolean(),
      stageId: z.string().nullable(),
      uploaded: z.boolean(),
      source: z.enum(['document', 'questionnaire', 'evidence_pack']).optional(),
    }),
  ),
  documents: z.array(
    z.object({
      id,
      docType: z.string(),
      filename: z.string(),
      uploadedAt: isoDateTime,
      uploadedBy: z.string(),
    }),
  ),
});
export type WorkerChecklist = z.infer<typeof workerChecklistSchema>;
export const workerUploadQuerySchema = z.object({
  docType: z.string().regex(/^[a-z][a-z0-9_]{1,60}$/, 'a checklist item of the case'),
});
