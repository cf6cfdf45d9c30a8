-- Foundation: organizations, users, sessions, API tokens, login throttling, audit log, assessments.
-- PostgreSQL 15 dialect; runs unchanged on PGlite.

CREATE TABLE instance_settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organizations (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name       text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
  kind       text NOT NULL CHECK (kind IN ('investor', 'partner', 'law_firm', 'government')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organizations_name_key ON organizations (lower(name));

-- A partner firm (supplier, subcontractor) works for an investor: an explicit, audited link.
CREATE TABLE partner_links (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  investor_id uuid NOT NULL REFERENCES organizations (id),
  partner_id  uuid NOT NULL REFERENCES organizations (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (investor_id, partner_id),
  CHECK (investor_id <> partner_id)
);
CREATE INDEX partner_links_partner_idx ON partner_links (partner_id);

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id     uuid REFERENCES organizations (id),
  email               text NOT NULL CHECK (position('@' IN email) > 1),
  display_name        text NOT NULL,
  role                text NOT NULL CHECK (role IN ('platform_admin', 'admin', 'staff', 'viewer', 'worker')),
  password_hash       text NOT NULL,
  locale              text CHECK (locale IN ('en', 'ko')),
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  -- Everyone but a platform administrator belongs to exactly one organization.
  CHECK ((role = 'platform_admin') OR organization_id IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_organization_idx ON users (organization_id);

-- Session cookies: only the SHA-256 of the random token is stored.
CREATE TABLE sessions (
  id         text PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  ip         text,
  user_agent text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- API tokens for machine clients: only the SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
  token_hash   text NOT NULL UNIQUE,
  prefix       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE login_attempts (
  id         bigserial PRIMARY KEY,
  account    text NOT NULL,
  ip         text NOT NULL,
  success    boolean NOT NULL,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_account_idx ON login_attempts (account, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

-- Append-only, hash-chained audit log: hash = SHA-256 over prev_hash and the event's canonical form.
-- No foreign keys: the history outlives what it speaks of.
CREATE TABLE audit_events (
  seq             bigserial PRIMARY KEY,
  id              uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  occurred_at     timestamptz NOT NULL,
  actor_user_id   uuid,
  actor_label     text NOT NULL,
  organization_id uuid,
  action          text NOT NULL,
  target_type     text NOT NULL,
  target_id       text,
  request_id      text,
  before_digest   text,
  after_digest    text,
  details         jsonb,
  prev_hash       text NOT NULL,
  hash            text NOT NULL UNIQUE
);
CREATE INDEX audit_events_org_idx ON audit_events (organization_id, seq);

-- What a user was told: the request, the engine's response and the rules version, kept as they were.
CREATE TABLE assessments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid REFERENCES organizations (id),
  user_id         uuid NOT NULL REFERENCES users (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  as_of           date NOT NULL,
  rules_version   text NOT NULL,
  recommended     text,
  request         jsonb NOT NULL,
  response        jsonb NOT NULL
);
CREATE INDEX assessments_org_idx ON assessments (organization_id, created_at DESC);

-- Work sites of an organization (a plant under construction, a shipyard). Later issues add projects,
-- consular jurisdiction and rosters on top of this.
CREATE TABLE sites (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  name            text NOT NULL,
  sector          text NOT NULL CHECK (sector IN ('battery', 'auto', 'semiconductor', 'shipbuilding', 'steel', 'energy', 'other')),
  address         text NOT NULL,
  city            text NOT NULL,
  state           char(2) NOT NULL,
  county          text,
  time_zone       text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sites_organization_idx ON sites (organization_id);
