-- Bulk import (issue 7): each uploaded roster file and what became of it, saved column mappings, and the link
-- from every imported record to its import (the import's audit event covers the rows it created).

CREATE TABLE imports (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  created_by      uuid REFERENCES users (id),
  actor_label     text NOT NULL,
  file_name       text NOT NULL,
  file_digest     text NOT NULL,          -- SHA-256, hex
  file_size       bigint NOT NULL,
  format          text NOT NULL CHECK (format IN ('csv', 'xlsx')),
  encoding        text,
  status          text NOT NULL CHECK (status IN ('uploaded', 'checked', 'committed')),
  mapping         jsonb,                  -- per sheet: { header: field }
  rows            integer,
  valid           integer,
  imported        integer,
  errors          integer,
  counts          jsonb,                  -- { workers: { created, existing }, dependents: …, assignments: … }
  created_at      timestamptz NOT NULL DEFAULT now(),
  checked_at      timestamptz,
  committed_at    timestamptz
);
CREATE INDEX imports_org_idx ON imports (organization_id, created_at DESC);
CREATE INDEX imports_digest_idx ON imports (organization_id, file_digest);

CREATE TABLE import_mappings (
  organization_id uuid NOT NULL REFERENCES organizations (id),
  name            text NOT NULL,
  mapping         jsonb NOT NULL,          -- { header: field }
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, name)
);

ALTER TABLE workers ADD COLUMN import_id uuid REFERENCES imports (id);
ALTER TABLE dependents ADD COLUMN import_id uuid REFERENCES imports (id);
ALTER TABLE assignments ADD COLUMN import_id uuid REFERENCES imports (id);
