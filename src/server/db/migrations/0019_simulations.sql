-- Issue 21 (part): policy simulations, run in the background and kept with their result, shared within the
-- organization. No person's data: a scenario is figures and dates.
CREATE TABLE simulations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  created_by_label text NOT NULL,
  scenario         jsonb NOT NULL,
  compare_with     jsonb,
  replications     integer NOT NULL,
  seed             bigint NOT NULL,
  status           text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  done_replications integer NOT NULL DEFAULT 0,
  result           jsonb,
  error            text,
  created_at       timestamptz NOT NULL,
  finished_at      timestamptz
);
CREATE INDEX simulations_org_idx ON simulations (organization_id, created_at DESC);
