import { z } from 'zod';

/**
 * The quota ledger's API and CLI contract (browser-safe). Program codes mirror `core/quota/programs.ts`
 * (a test keeps the two lists equal).
 */
export const quotaProgramCodes = ['E4', 'E3', 'H1B1_CL', 'H1B1_SG', 'H1B', 'H2B', 'TN'] as const;
export const quotaProgramCodeSchema = z.enum(quotaProgramCodes);
export type QuotaProgramCodeContract = z.infer<typeof quotaProgramCodeSchema>;

const bilingual = z.object({ en: z.string(), ko: z.string() });
const reference = z.object({ title: z.string(), href: z.string() });
const isoDate = z.iso.date();
const isoDateTime = z.string().describe('ISO 8601 date-time with time zone (UTC)');
const poolName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);

/** The header every quota write carries; a repetition with the same key returns the first answer. */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const idempotencyKeySchema = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/);

export const quotaYearParamsSchema = z.object({
  program: z.string().min(1).max(20),
  fiscalYear: z.coerce.number().int().min(1990).max(2200),
});

export const reserveRequestSchema = z
  .object({
    caseRef: z.string().trim().min(1).max(100),
    pool: poolName.optional(),
    priorityDate: isoDate.optional(),
    /** The company the case belongs to (it then sees the reservation). */
    organizationId: z.uuid().optional(),
  })
  .strict();
export type ReserveRequest = z.infer<typeof reserveRequestSchema>;

export const releaseRequestSchema = z.object({ reason: z.string().trim().min(1).max(200) }).strict();

export const reservationStatuses = ['reserved', 'waitlisted', 'issued', 'released', 'withdrawn'] as const;
export const reservationSchema = z.object({
  id: z.uuid(),
  status: z.enum(reservationStatuses),
  sequence: z.number().int().nullable(),
  position: z.number().int().nullable(),
  program: z.string(),
  fiscalYear: z.number().int(),
  pool: z.string(),
  caseRef: z.string(),
  organizationId: z.uuid().nullable(),
  priorityDate: isoDate,
  createdAt: isoDateTime,
  releaseReason: z.string().nullable(),
});
export type Reservation = z.infer<typeof reservationSchema>;

export const reservationChangeSchema = reservationSchema.extend({
  /** The waitlisted request that received the returned number, if any. */
  promoted: z.object({ id: z.uuid(), sequence: z.number().int() }).nullable(),
});
export type ReservationChange = z.infer<typeof reservationChangeSchema>;

export const reservationListQuerySchema = z.object({
  status: z.enum(reservationStatuses).optional(),
  pool: poolName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const reservationListSchema = z.object({
  total: z.number().int(),
  items: z.array(reservationSchema),
});

export const poolStatusSchema = z.object({
  name: z.string(),
  label: bilingual,
  share: z.number(),
  /** Numbers of the pool when the year opened. */
  initialCap: z.number().int(),
  /** Numbers of the pool now (after spills in and out). */
  cap: z.number().int(),
  reserved: z.number().int(),
  issued: z.number().int(),
  released: z.number().int(),
  available: z.number().int(),
  waitlisted: z.number().int(),
  spillOn: isoDate.nullable(),
  spillInto: z.string().nullable(),
  spilledAt: isoDateTime.nullable(),
});

export const projectionSchema = z.object({
  ratePerDay: z.number(),
  windowDays: z.number().int(),
  date: isoDate.nullable(),
  exhausted: z.boolean(),
});

export const quotaStatusSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  label: bilingual,
  legalStatus: z.enum(['law', 'proposed']),
  mode: z.enum(['first_come', 'lottery']),
  fiscalYearStart: isoDate,
  fiscalYearEnd: isoDate,
  /** `open`: reservations accepted; `closed`: closed by an officer; `ended`/`not_yet_open`: by the calendar. */
  state: z.enum(['open', 'closed', 'ended', 'not_yet_open']),
  opened: z.boolean(),
  cap: z.number().int().nullable(),
  reserved: z.number().int(),
  issued: z.number().int(),
  released: z.number().int(),
  available: z.number().int().nullable(),
  waitlisted: z.number().int(),
  pools: z.array(poolStatusSchema),
  projection: projectionSchema.nullable(),
  verify: z.boolean(),
  references: z.array(reference),
  asOf: isoDate,
});
export type QuotaStatus = z.infer<typeof quotaStatusSchema>;

export const utilizationPointSchema = z.object({
  date: isoDate,
  cap: z.number().int(),
  used: z.number().int(),
  reserved: z.number().int(),
  issued: z.number().int(),
  waitlisted: z.number().int(),
});
export const utilizationSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  /** Days are UTC calendar days of the movements. */
  timeZone: z.literal('UTC'),
  series: z.array(utilizationPointSchema),
  pools: z.array(z.object({ pool: z.string(), series: z.array(utilizationPointSchema) })),
  projection: projectionSchema.nullable(),
});

export const waitlistQuerySchema = z.object({
  pool: poolName.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const waitlistSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  /** Everyone waiting (all organizations). */
  total: z.number().int(),
  /** Entries visible to the caller (officers: all; companies: their own), with their place in the queue. */
  items: z.array(
    z.object({
      position: z.number().int(),
      pool: z.string(),
      priorityDate: isoDate,
      id: z.uuid(),
      caseRef: z.string(),
      organizationId: z.uuid().nullable(),
      createdAt: isoDateTime,
    }),
  ),
});

export const programsQuerySchema = z.object({
  fiscalYear: z.coerce.number().int().min(1990).max(2200).optional(),
});
export const programComparisonSchema = z.object({
  fiscalYear: z.number().int(),
  items: z.array(
    z.object({
      program: z.string(),
      label: bilingual,
      legalStatus: z.enum(['law', 'proposed']),
      mode: z.enum(['first_come', 'lottery']),
      cap: z.number().int().nullable(),
      pools: z.array(z.object({ name: z.string(), label: bilingual, cap: z.number().int() })),
      verify: z.boolean(),
      references: z.array(reference),
      notes: z.array(z.string()),
    }),
  ),
});

export const closeYearResponseSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  closedAt: isoDateTime,
});

export const segmentVerificationSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  pool: z.string(),
  entries: z.number().int(),
  ok: z.boolean(),
  problems: z.array(z.string()),
});
export const verificationSchema = z.object({
  ok: z.boolean(),
  segments: z.array(segmentVerificationSchema),
});
export type QuotaVerification = z.infer<typeof verificationSchema>;

// The lottery.
export const wageLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);
export const lotteryRegistrationRequestSchema = z
  .object({
    caseRef: z.string().trim().min(1).max(100),
    passportNumber: z.string().trim().min(5).max(20),
    /** OES wage level I–IV as 1–4 (weights 1–4 in a weighted draw). */
    wageLevel: wageLevelSchema.nullable().default(null),
    advancedDegree: z.boolean().default(false),
  })
  .strict();
export const lotteryRegistrationRequestBodySchema = lotteryRegistrationRequestSchema
  .extend({
    /** Officers register on behalf of a company; a company registers for itself (omit, or its own id). */
    organizationId: z.uuid().optional(),
  })
  .strict();
export type LotteryRegistrationRequest = z.infer<typeof lotteryRegistrationRequestBodySchema>;
export const lotteryRegistrationSchema = z.object({
  id: z.uuid(),
  program: z.string(),
  fiscalYear: z.number().int(),
  caseRef: z.string(),
  organizationId: z.uuid().nullable(),
  /** The passport number's last two characters; the number itself never leaves the server. */
  passportLast2: z.string().max(2),
  wageLevel: z.number().int().nullable(),
  advancedDegree: z.boolean(),
  selected: z.enum(['regular', 'advanced']).nullable(),
  createdAt: isoDateTime,
});
export const lotteryRegistrationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const lotteryRegistrationListSchema = z.object({
  total: z.number().int(),
  items: z.array(lotteryRegistrationSchema),
});
export const lotteryCommitRequestSchema = z
  .object({ commitment: z.string().regex(/^[0-9a-f]{64}$/) })
  .strict();
export const lotteryDrawRequestSchema = z.object({ seed: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export const lotteryStatusSchema = z.object({
  program: z.string(),
  fiscalYear: z.number().int(),
  /** `open`: registration window open; `committed`: closed, seed hash published; `drawn`: seed revealed. */
  status: z.enum(['open', 'committed', 'drawn']),
  weighted: z.boolean(),
  regularCap: z.number().int(),
  advancedCap: z.number().int(),
  openedAt: isoDateTime,
  committedAt: isoDateTime.nullable(),
  drawnAt: isoDateTime.nullable(),
  registrations: z.number().int(),
  beneficiaries: z.number().int(),
  seedCommitment: z.string().nullable(),
  entriesDigest: z.string().nullable(),
  entryCount: z.number().int().nullable(),
  /** Revealed after the draw only. */
  seed: z.string().nullable(),
  selectedRegular: z.number().int(),
  selectedAdvanced: z.number().int(),
});
export type LotteryStatusContract = z.infer<typeof lotteryStatusSchema>;
export const lotteryVerificationSchema = z.object({
  ok: z.boolean(),
  commitmentMatches: z.boolean(),
  entriesDigestMatches: z.boolean(),
  differences: z.array(z.object({ beneficiary: z.string(), expected: z.string(), recorded: z.string() })),
  entries: z.number().int(),
  selected: z.object({ regular: z.number().int(), advanced: z.number().int() }),
});

// Expiry of old reservations.
export const expireRequestSchema = z
  .object({ /** Default: today (UTC). */ asOf: isoDate.optional() })
  .strict();
export const expiryResultSchema = z.object({
  asOf: isoDate,
  days: z.number().int(),
  released: z.number().int(),
  items: z.array(
    z.object({
      id: z.uuid(),
      program: z.string(),
      fiscalYear: z.number().int(),
      pool: z.string(),
      caseRef: z.string(),
      organizationId: z.uuid().nullable(),
      promoted: z.object({ id: z.uuid(), sequence: z.number().int() }).nullable(),
    }),
  ),
});
