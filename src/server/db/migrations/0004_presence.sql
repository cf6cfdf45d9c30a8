-- Presence and status (issue 6): admissions to the US and departures, per worker or dependent, and the signed
-- status cards issued to workers.

CREATE TABLE entries (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id    uuid NOT NULL REFERENCES organizations (id), -- the worker's employer
  worker_id          uuid NOT NULL REFERENCES workers (id),
  dependent_id       uuid REFERENCES dependents (id),
  admitted_on        date NOT NULL,
  port               text,
  class_of_admission text NOT NULL,
  i94_enc            text,          -- FieldCipher, context 'entry.i94Number'
  i94_last4          text,
  admit_until        date,
  duration_of_status boolean NOT NULL DEFAULT false,
  departed_on        date,
  source             text NOT NULL CHECK (source IN ('manual', 'i94_paste')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  CHECK (departed_on IS NULL OR departed_on >= admitted_on),
  CHECK (admit_until IS NULL OR admit_until >= admitted_on),
  CHECK (duration_of_status OR admit_until IS NOT NULL)
);
CREATE INDEX entries_worker_idx ON entries (worker_id, admitted_on);
CREATE INDEX entries_present_idx ON entries (organization_id, admitted_on) WHERE departed_on IS NULL;

CREATE TABLE status_cards (
  id              uuid PRIMARY KEY,                -- the token's jti
  organization_id uuid NOT NULL REFERENCES organizations (id),
  worker_id       uuid NOT NULL REFERENCES workers (id),
  key_id          text NOT NULL,
  issued_at       timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoked_reason  text,
  superseded_by   uuid REFERENCES status_cards (id),
  claims          jsonb NOT NULL
);
CREATE INDEX status_cards_worker_idx ON status_cards (worker_id, issued_at DESC);
