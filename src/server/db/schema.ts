// Drizzle table definitions mirroring the committed SQL migrations (src/server/db/migrations/*.sql).
// The SQL files are the source of truth for the database; these give typed queries and row types.
import {
  bigint,
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: text('kind', { enum: ['investor', 'partner', 'law_firm', 'government'] }).notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const partnerLinks = pgTable('partner_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  investorId: uuid('investor_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: uuid('organization_id'),
  email: text('email').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role', { enum: ['platform_admin', 'admin', 'staff', 'viewer', 'worker'] }).notNull(),
  passwordHash: text('password_hash').notNull(),
  locale: text('locale', { enum: ['en', 'ko'] }),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ts('created_at').notNull().defaultNow(),
  passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
});

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
});

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  prefix: text('prefix').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  lastUsedAt: ts('last_used_at'),
  revokedAt: ts('revoked_at'),
});

export const auditEvents = pgTable('audit_events', {
  seq: bigserial('seq', { mode: 'number' }).primaryKey(),
  id: uuid('id').notNull(),
  occurredAt: ts('occurred_at').notNull(),
  actorUserId: uuid('actor_user_id'),
  actorLabel: text('actor_label').notNull(),
  organizationId: uuid('organization_id'),
  action: text('action').notNull(),
  targetType: text('target_type').notNull(),
  targetId: text('target_id'),
  requestId: text('request_id'),
  beforeDigest: text('before_digest'),
  afterDigest: text('after_digest'),
  details: jsonb('details'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

export const assessments = pgTable('assessments', {
  id: uuid('id').primaryKey().defaultRandom(),
  organizationId: uuid('organization_id'),
  userId: uuid('user_id').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  asOf: date('as_of', { mode: 'string' }).notNull(),
  rulesVersion: text('rules_version').notNull(),
  recommended: text('recommended'),
  request: jsonb('request').notNull(),
  response: jsonb('response').notNull(),
});

// The quota ledger (0002_quota_ledger.sql). The hot path writes these with reviewable SQL (services/quota.ts).
export const quotaYears = pgTable(
  'quota_years',
  {
    program: text('program').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    definition: jsonb('definition').notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    closedAt: ts('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [primaryKey({ columns: [t.program, t.fiscalYear] })],
);

export const quotaCounters = pgTable(
  'quota_counters',
  {
    program: text('program').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    pool: text('pool').notNull(),
    cap: integer('cap').notNull(),
    reserved: integer('reserved').notNull().default(0),
    issued: integer('issued').notNull().default(0),
    released: integer('released').notNull().default(0),
    waitlisted: integer('waitlisted').notNull().default(0),
    nextSequence: integer('next_sequence').notNull().default(1),
    nextWait: bigint('next_wait', { mode: 'number' }).notNull().default(1),
    headSeq: bigint('head_seq', { mode: 'number' }).notNull().default(0),
    headHash: text('head_hash').notNull(),
    spillOn: date('spill_on', { mode: 'string' }),
    spillInto: text('spill_into'),
    spilledAt: ts('spilled_at'),
  },
  (t) => [primaryKey({ columns: [t.program, t.fiscalYear, t.pool] })],
);

export const quotaReservations = pgTable('quota_reservations', {
  id: uuid('id').primaryKey(),
  program: text('program').notNull(),
  fiscalYear: integer('fiscal_year').notNull(),
  pool: text('pool').notNull(),
  caseRef: text('case_ref').notNull(),
  organizationId: uuid('organization_id'),
  priorityDate: date('priority_date', { mode: 'string' }).notNull(),
  status: text('status', { enum: ['reserved', 'waitlisted', 'issued', 'released', 'withdrawn'] }).notNull(),
  sequence: integer('sequence'),
  waitOrder: bigint('wait_order', { mode: 'number' }),
  createdAt: ts('created_at').notNull(),
  reservedAt: ts('reserved_at'),
  issuedAt: ts('issued_at'),
  releasedAt: ts('released_at'),
  releaseReason: text('release_reason'),
  createdBy: text('created_by').notNull(),
});

export const quotaLedger = pgTable(
  'quota_ledger',
  {
    program: text('program').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    pool: text('pool').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    reservationId: uuid('reservation_id'),
    sequence: integer('sequence'),
    dCap: integer('d_cap').notNull(),
    dReserved: integer('d_reserved').notNull(),
    dIssued: integer('d_issued').notNull(),
    dReleased: integer('d_released').notNull(),
    dWaitlisted: integer('d_waitlisted').notNull(),
    occurredAt: ts('occurred_at').notNull(),
    actor: text('actor').notNull(),
    requestId: text('request_id'),
    details: jsonb('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.program, t.fiscalYear, t.pool, t.seq] })],
);

export const quotaIdempotency = pgTable(
  'quota_idempotency',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    operation: text('operation').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    response: jsonb('response').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

export const quotaLotteryRounds = pgTable(
  'quota_lottery_rounds',
  {
    program: text('program').notNull(),
    fiscalYear: integer('fiscal_year').notNull(),
    status: text('status', { enum: ['open', 'committed', 'drawn'] }).notNull(),
    weighted: boolean('weighted').notNull(),
    regularCap: integer('regular_cap').notNull(),
    advancedCap: integer('advanced_cap').notNull(),
    openedAt: ts('opened_at').notNull().defaultNow(),
    committedAt: ts('committed_at'),
    seedCommitment: text('seed_commitment'),
    entriesDigest: text('entries_digest'),
    entryCount: integer('entry_count'),
    drawnAt: ts('drawn_at'),
    seed: text('seed'),
  },
  (t) => [primaryKey({ columns: [t.program, t.fiscalYear] })],
);

export const quotaLotteryRegistrations = pgTable('quota_lottery_registrations', {
  id: uuid('id').primaryKey().defaultRandom(),
  program: text('program').notNull(),
  fiscalYear: integer('fiscal_year').notNull(),
  organizationId: uuid('organization_id'),
  caseRef: text('case_ref').notNull(),
  beneficiaryHash: text('beneficiary_hash').notNull(),
  passportEnc: text('passport_enc').notNull(),
  wageLevel: smallint('wage_level'),
  advancedDegree: boolean('advanced_degree').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  selected: text('selected', { enum: ['regular', 'advanced'] }),
});
