-- Strong sign-in (issue 14): TOTP two-factor with recovery codes, an organization's 2FA requirement for its
-- administrators, OIDC single sign-on per organization with just-in-time users.

-- TOTP (RFC 6238). The secret is encrypted with the field key ring (AES-256-GCM, like passport numbers).
-- `totp_enabled_at` is null while an enrolment waits for its first code. `totp_last_step` refuses a replayed code.
ALTER TABLE users
  ADD COLUMN totp_secret     text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN totp_last_step  bigint,
  -- Single sign-on: the provider's issuer and subject (`sub`) of a user made or linked by OIDC.
  ADD COLUMN oidc_issuer     text,
  ADD COLUMN oidc_subject    text,
  -- A user made by single sign-on has no password of their own (NULL hash: password sign-in refused).
  ALTER COLUMN password_hash DROP NOT NULL;
CREATE UNIQUE INDEX users_oidc_key ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- Ten single-use recovery codes per enrolment, stored as SHA-256.
CREATE TABLE user_recovery_codes (
  user_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at   timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- A password that was right, waiting for the second factor: five minutes, five tries.
CREATE TABLE sign_in_challenges (
  id         text PRIMARY KEY, -- SHA-256 of the challenge token given to the client
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  attempts   integer NOT NULL DEFAULT 0,
  ip         text
);

-- How a session signed in: a password (with its second factor when enrolled) or single sign-on.
ALTER TABLE sessions ADD COLUMN signed_in_with text NOT NULL DEFAULT 'password'
  CHECK (signed_in_with IN ('password', 'sso'));

-- The organization's sign-in policy.
ALTER TABLE organizations ADD COLUMN require_two_factor_for_admins boolean NOT NULL DEFAULT false;

-- OIDC single sign-on of an organization: its identity provider, the client registered there, and how the
-- provider's claims map to roles here (the organization's administrator decides).
CREATE TABLE oidc_providers (
  organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
  issuer          text NOT NULL CHECK (issuer ~ '^https?://'),
  client_id       text NOT NULL,
  client_secret   text NOT NULL, -- encrypted with the field key ring
  email_domains   text[] NOT NULL DEFAULT '{}', -- who is sent to this provider from the sign-in page
  role_claim      text NOT NULL DEFAULT 'groups',
  role_mappings   jsonb NOT NULL DEFAULT '[]', -- [{ "value": "hr-admins", "role": "admin" }, …], first match wins
  default_role    text CHECK (default_role IN ('admin', 'staff', 'viewer', 'worker')), -- NULL: no match, no entry
  enabled         boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX oidc_providers_domains_idx ON oidc_providers USING gin (email_domains);

-- One sign-in attempt through a provider: PKCE verifier, state and nonce, ten minutes.
CREATE TABLE oidc_sign_ins (
  state_hash      text PRIMARY KEY,
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  code_verifier   text NOT NULL,
  nonce           text NOT NULL,
  return_to       text NOT NULL DEFAULT '/',
  expires_at      timestamptz NOT NULL
);
