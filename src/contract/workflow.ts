import { z } from 'zod';
import { bilingualSchema, categoryIdSchema } from './assessment.js';

/**
 * Dispatch workflows as data (issue 5): the stages a visa case goes through, who acts at each, the business
 * target in days and the documents needed, plus the JSON-serialisable state of one case and the results of the
 * pure functions in src/core/workflows (transition checks, service-level plans and clocks, lead-time statistics,
 * document checklists). Browser-safe: zod only. Shared by the server, the CLI and the web app.
 *
 * Workflows live in `rules/workflows/*.yaml`; see docs/pipeline.md.
 */

const lowerSnake = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,59}$/, 'must be lowercase_snake (a-z, 0-9, _), at most 60');
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be an ISO date YYYY-MM-DD');

/** Who acts at a stage. */
export const workflowActors = [
  'employer_hr',
  'partner_hr',
  'counsel',
  'worker',
  'government',
  'consulate',
  'cbp',
  'uscis',
] as const;
export const workflowActorSchema = z.enum(workflowActors);
export type WorkflowActor = z.infer<typeof workflowActorSchema>;

/** Terminal exits allowed from any open stage; `admitted` is the last stage of every workflow. */
export const ADMITTED = 'admitted';
/** After `admitted`: the worker left the US (the stay's departure), and the dispatch is complete. */
export const DEPARTED = 'departed';
export const departedTitle = {
  en: 'Departed the US (dispatch complete)',
  ko: '미국 출국(파견 완료)',
} as const;
export const terminalExits = ['refused', 'withdrawn'] as const;
export type TerminalExit = (typeof terminalExits)[number];
export const terminalExitTitles: Record<TerminalExit, { en: string; ko: string }> = {
  refused: { en: 'Refused', ko: '거절' },
  withdrawn: { en: 'Withdrawn', ko: '철회' },
};

export const workflowReferenceSchema = z
  .object({
    title: z.string().trim().min(1, 'a reference needs a title'),
    href: z.string().regex(/^https:\/\/\S+$/, 'a reference needs an https URL'),
    status: z.literal('verify').optional(),
  })
  .strict();
export type WorkflowReference = z.infer<typeof workflowReferenceSchema>;

const bilingualText = z.object({ en: z.string().trim().min(1), ko: z.string().trim().min(1) }).strict();

export const workflowDocumentSchema = z
  .object({
    id: lowerSnake,
    label: bilingualText,
    required: z.boolean(),
    /** The document carries an expiry date that must be recorded (passport, visa, ESTA, I-94...). */
    expires: z.boolean().optional(),
  })
  .strict();
export type WorkflowDocument = z.infer<typeof workflowDocumentSchema>;

export const workflowStageSchema = z
  .object({
    id: lowerSnake,
    title: bilingualText,
    actor: workflowActorSchema,
    /** Business target for the stage, in calendar days from entering it to leaving it. */
    targetDays: z.number().int().min(0).max(730),
    /** `verify`: the target is our own estimate, not a published processing time. */
    status: z.literal('verify').optional(),
    note: bilingualText.optional(),
    references: z.array(workflowReferenceSchema).optional(),
    /** May be passed over without an override (e.g. the E-2 company registration, once per company). */
    optional: z.boolean().optional(),
    /**
     * Entered only when something happens (221(g) administrative processing after the interview): optional, left
     * out of the case's plan and of the projection of the stages ahead; once entered, its own clock runs from the
     * day it was entered for `targetDays` (issue 17).
     */
    contingent: z.boolean().optional(),
    /** The stage reserves a number through the quota ledger (E-4, capped petitions). */
    quota: z.boolean().optional(),
    documents: z.array(workflowDocumentSchema),
  })
  .strict();
export type WorkflowStage = z.infer<typeof workflowStageSchema>;

/** Conditions selecting between workflows of the same category (absent option = false). */
export const workflowConditionsSchema = z
  .object({
    embassyDesk: z.boolean().optional(),
    blanketL: z.boolean().optional(),
    e4Enacted: z.boolean().optional(),
  })
  .strict();
export type WorkflowConditions = z.infer<typeof workflowConditionsSchema>;

export const workflowSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lowercase with dashes (the file name)'),
    title: bilingualText,
    description: bilingualText,
    /** `proposed`: not law (E-4); only offered under its scenario. */
    legalStatus: z.enum(['in_force', 'proposed']),
    serves: z
      .array(
        z
          .object({ category: categoryIdSchema, provisions: z.array(z.string().min(1)).min(1).optional() })
          .strict(),
      )
      .min(1),
    when: workflowConditionsSchema.optional(),
    references: z
      .array(workflowReferenceSchema)
      .min(1, 'every workflow needs at least one primary-source reference'),
    stages: z.array(workflowStageSchema).min(2),
  })
  .strict();
export type Workflow = z.infer<typeof workflowSchema>;

// ---------------------------------------------------------------- case state

export const caseStatuses = ['open', 'admitted', 'departed', 'refused', 'withdrawn'] as const;
export const caseStatusSchema = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const transitionKinds = ['open', 'forward', 'skip', 'back', 'exit'] as const;
export type TransitionKind = (typeof transitionKinds)[number];

export const stageCommentSchema = z.object({ at: isoDateTime, by: z.string(), text: z.string() });
export const stageVisitSchema = z.object({
  enteredAt: isoDateTime,
  leftAt: isoDateTime.nullable(),
  enteredBy: z.string(),
  assignee: z.string().nullable(),
  comments: z.array(stageCommentSchema),
});
export type StageVisit = z.infer<typeof stageVisitSchema>;

export const caseHistoryEntrySchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: isoDateTime,
  by: z.string(),
  kind: z.enum(transitionKinds),
  comment: z.string().nullable(),
  overrideReason: z.string().nullable(),
  /** Stages passed over by a skip. */
  skipped: z.array(z.string()),
});
export type CaseHistoryEntry = z.infer<typeof caseHistoryEntrySchema>;

/** The state of one case: JSON-serialisable (jsonb or rows). Stage ids include `refused`/`withdrawn` exits. */
export const caseStateSchema = z.object({
  workflowId: z.string(),
  stage: z.string(),
  status: caseStatusSchema,
  openedAt: isoDateTime,
  closedAt: isoDateTime.nullable(),
  /** Visits per stage id, oldest first (a stage reworked after a step back has several). */
  stages: z.record(z.string(), z.array(stageVisitSchema)),
  history: z.array(caseHistoryEntrySchema),
});
export type CaseState = z.infer<typeof caseStateSchema>;

export const transitionErrorCodes = [
  'unknown_stage',
  'closed_case',
  'same_stage',
  'illegal_transition',
  'skip_requires_override',
] as const;
export type TransitionErrorCode = (typeof transitionErrorCodes)[number];
export const transitionErrorSchema = z.object({
  code: z.enum(transitionErrorCodes),
  from: z.string(),
  to: z.string(),
  message: bilingualSchema,
});
export type TransitionError = z.infer<typeof transitionErrorSchema>;

export const transitionCheckSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    kind: z.enum(['forward', 'skip', 'back', 'exit']),
    /** An override (with its reason) was needed and given. */
    override: z.boolean(),
    /** The case status after the move. */
    status: caseStatusSchema,
    skipped: z.array(z.string()),
  }),
  z.object({ ok: z.literal(false), error: transitionErrorSchema }),
]);
export type TransitionCheck = z.infer<typeof transitionCheckSchema>;

export const allowedTransitionSchema = z.object({
  to: z.string(),
  title: bilingualSchema,
  kind: z.enum(['forward', 'skip', 'back', 'exit']),
  needsOverride: z.boolean(),
});
export type AllowedTransition = z.infer<typeof allowedTransitionSchema>;

// ---------------------------------------------------------------- service-level plan and clocks

export const planModes = ['backward', 'forward'] as const;
export const casePlanSchema = z.object({
  workflowId: z.string(),
  mode: z.enum(planModes),
  openedOn: isoDate,
  assignmentStart: isoDate,
  /** Sum of the stages' target days. */
  totalDays: z.number(),
  /** Calendar days from opening to the assignment start (negative when the start is already past). */
  availableDays: z.number(),
  /** Whether the plan meets the assignment start; when not, `targetDate` is after it by `shortfallDays`. */
  fits: z.boolean(),
  shortfallDays: z.number(),
  /** The date the worker should be admitted. */
  targetDate: isoDate,
  /** Per stage: the date by which it should be finished (for `admitted`: reached). */
  stages: z.array(
    z.object({
      id: z.string(),
      targetDays: z.number(),
      startDate: isoDate,
      targetDate: isoDate,
      /** A contingent stage (221(g)): no width in the plan; when entered, its target is entered + targetDays. */
      contingent: z.boolean().optional(),
    }),
  ),
});
export type CasePlan = z.infer<typeof casePlanSchema>;

export const slaStates = ['on_track', 'at_risk', 'late', 'done'] as const;
export const slaStateSchema = z.enum(slaStates);
export type SlaState = z.infer<typeof slaStateSchema>;
export const stagePositions = ['done', 'skipped', 'current', 'future', 'closed'] as const;

export const stageSlaSchema = z.object({
  id: z.string(),
  position: z.enum(stagePositions),
  targetDate: isoDate,
  /** Expected finish: the actual one for a finished stage, else a projection from today and the targets. */
  expectedDate: isoDate.nullable(),
  sla: slaStateSchema,
  daysLate: z.number(),
});
export type StageSla = z.infer<typeof stageSlaSchema>;
export const caseSlaSchema = z.object({
  sla: slaStateSchema,
  daysLate: z.number(),
  targetDate: isoDate,
  stages: z.array(stageSlaSchema),
});
export type CaseSla = z.infer<typeof caseSlaSchema>;

// ---------------------------------------------------------------- lead times

export const leadTimeGroupBys = ['category', 'stage', 'organization', 'project'] as const;
export type LeadTimeGroupBy = (typeof leadTimeGroupBys)[number];
export const leadTimeRecordSchema = z.object({
  category: z.string(),
  organizationId: z.string(),
  organizationName: z.string().optional(),
  projectId: z.string(),
  projectName: z.string().optional(),
  status: caseStatusSchema,
  openedAt: isoDateTime,
  admittedAt: isoDateTime.nullable(),
  targetDate: isoDate,
  /** Stage changes in order, the opening first (`to` = the stage entered). Needed for `groupBy: 'stage'`. */
  events: z.array(z.object({ to: z.string(), at: isoDateTime })).optional(),
});
export type LeadTimeRecord = z.infer<typeof leadTimeRecordSchema>;
export const leadTimeGroupSchema = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number(),
  medianDays: z.number().nullable(),
  p90Days: z.number().nullable(),
  open: z.number(),
  late: z.number(),
});
export type LeadTimeGroup = z.infer<typeof leadTimeGroupSchema>;

// ---------------------------------------------------------------- checklists

export const checklistItemSchema = z.object({
  id: z.string(),
  label: bilingualSchema,
  required: z.boolean(),
  stageId: z.string().nullable(),
  expires: z.boolean(),
  /** Where the item comes from: the workflow data, the assessment result, or both. */
  sources: z.array(z.enum(['workflow', 'assessment'])),
});
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

// ---------------------------------------------------------------- Korean consulates

export const consularPostKinds = [
  'embassy',
  'consulate_general',
  'branch_office',
  'consular_agency',
] as const;
export const consularPostSchema = z.object({
  id: z.string(),
  kind: z.enum(consularPostKinds),
  name: bilingualSchema,
  city: z.string(),
  address: z.string(),
  phone: z.string(),
  website: z.string(),
  /** The post a branch office or agency belongs to. */
  parent: z.string().nullable(),
  /** States and territories wholly under this post (USPS codes); a branch office lists those it serves. */
  states: z.array(z.string()),
  /** Parts of a state under this post (e.g. Southern California's counties), the rest being another post's. */
  partial: z.array(z.object({ state: z.string(), counties: z.array(z.string()) })),
  status: z.literal('verify').optional(),
  references: z.array(workflowReferenceSchema),
  note: bilingualSchema.optional(),
});
export type ConsularPost = z.infer<typeof consularPostSchema>;
