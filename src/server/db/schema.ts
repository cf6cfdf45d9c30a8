// Drizzle table definitions mirroring the committed SQL migrations (src/server/db/migrations/*.sql).
// The SQL files are the source of truth for the database; these give typed queries and row types.
import { bigserial, boolean, date, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
