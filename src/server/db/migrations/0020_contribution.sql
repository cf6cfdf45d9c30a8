-- Issue 20: the contribution ledger. Per project (and per partner firm on it), dated entries of investment, US jobs,
-- training given by Korean workers and knowledge-transfer milestones. Every row belongs to the organization that
-- recorded it (an investor, or a partner firm on the investor's project); services scope every query to it and
-- audit every change. Trainees' names are encrypted and never leave the recording organization.

-- Investment: committed and disbursed amounts in USD, dated, with the source document named.
CREATE TABLE contribution_investments (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id   uuid NOT NULL REFERENCES organizations (id),
  project_id        uuid NOT NULL REFERENCES projects (id),
  kind              text NOT NULL CHECK (kind IN ('committed', 'disbursed')),
  amount_usd        numeric(16, 2) NOT NULL CHECK (amount_usd > 0),
  on_date           date NOT NULL,
  source            text NOT NULL,
  recorded_by_label text NOT NULL,
  created_at        timestamptz NOT NULL
);
CREATE INDEX contribution_investments_project_idx ON contribution_investments (project_id, on_date);

-- US jobs committed and created (headcount at the end of a quarter; the quarter named by its first day).
CREATE TABLE contribution_jobs (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id   uuid NOT NULL REFERENCES organizations (id),
  project_id        uuid NOT NULL REFERENCES projects (id),
  quarter           date NOT NULL CHECK (extract(day FROM quarter) = 1 AND extract(month FROM quarter) IN (1, 4, 7, 10)),
  committed         integer NOT NULL CHECK (committed >= 0),
  created           integer NOT NULL CHECK (created >= 0),
  source            text NOT NULL,
  recorded_by_label text NOT NULL,
  created_at        timestamptz NOT NULL,
  UNIQUE (organization_id, project_id, quarter)
);

-- Training plans: what the sessions of a project build towards.
CREATE TABLE training_plans (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id   uuid NOT NULL REFERENCES organizations (id),
  project_id        uuid NOT NULL REFERENCES projects (id),
  title             text NOT NULL,
  goal              text NOT NULL,
  created_at        timestamptz NOT NULL
);
CREATE INDEX training_plans_project_idx ON training_plans (project_id);

-- A session given by a Korean worker: to how many US trainees, for how long, and how many were certified.
CREATE TABLE training_sessions (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id   uuid NOT NULL REFERENCES organizations (id), -- the trainer's employer
  project_id        uuid NOT NULL REFERENCES projects (id),
  plan_id           uuid REFERENCES training_plans (id),
  trainer_worker_id uuid NOT NULL REFERENCES workers (id),
  held_on           date NOT NULL,
  hours             numeric(5, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
  topic             text NOT NULL,
  equipment         text,
  place             text NOT NULL,
  trainees          integer NOT NULL CHECK (trainees >= 1 AND trainees <= 500),
  certified         integer NOT NULL CHECK (certified >= 0 AND certified <= trainees),
  skill             text,
  recorded_by_label text NOT NULL,
  created_at        timestamptz NOT NULL
);
CREATE INDEX training_sessions_project_idx ON training_sessions (project_id, held_on);
CREATE INDEX training_sessions_trainer_idx ON training_sessions (trainer_worker_id, held_on);
CREATE INDEX training_sessions_org_idx ON training_sessions (organization_id, held_on);
CREATE INDEX training_sessions_held_idx ON training_sessions (held_on);

-- The indicators read sums per project, firm and month (bench:contribution: every project over 1,000,000
-- sessions), kept by statement-level triggers in the same transaction as the sessions; the current month is read
-- from the sessions themselves, so a figure "as of" any day is exact.
CREATE TABLE training_rollup (
  project_id      uuid NOT NULL,
  organization_id uuid NOT NULL,
  month           date NOT NULL,
  trainee_hours   numeric NOT NULL DEFAULT 0,
  trainees        bigint NOT NULL DEFAULT 0,
  certified       bigint NOT NULL DEFAULT 0,
  sessions        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (project_id, organization_id, month)
);

CREATE FUNCTION training_rollup_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO training_rollup AS r (project_id, organization_id, month, trainee_hours, trainees, certified, sessions)
    SELECT project_id, organization_id, date_trunc('month', held_on)::date, -sum(trainees * hours), -sum(trainees),
           -sum(certified), -count(*)
      FROM old_rows GROUP BY 1, 2, 3
    ON CONFLICT (project_id, organization_id, month) DO UPDATE
      SET trainee_hours = r.trainee_hours + EXCLUDED.trainee_hours, trainees = r.trainees + EXCLUDED.trainees,
          certified = r.certified + EXCLUDED.certified, sessions = r.sessions + EXCLUDED.sessions;
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    INSERT INTO training_rollup AS r (project_id, organization_id, month, trainee_hours, trainees, certified, sessions)
    SELECT project_id, organization_id, date_trunc('month', held_on)::date, sum(trainees * hours), sum(trainees),
           sum(certified), count(*)
      FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT (project_id, organization_id, month) DO UPDATE
      SET trainee_hours = r.trainee_hours + EXCLUDED.trainee_hours, trainees = r.trainees + EXCLUDED.trainees,
          certified = r.certified + EXCLUDED.certified, sessions = r.sessions + EXCLUDED.sessions;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER training_rollup_insert AFTER INSERT ON training_sessions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_rollup_add();
CREATE TRIGGER training_rollup_update AFTER UPDATE ON training_sessions
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION training_rollup_add();
CREATE TRIGGER training_rollup_delete AFTER DELETE ON training_sessions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION training_rollup_add();

-- Trainees by name, where the employer records them: encrypted (FieldCipher, context 'training.traineeName').
CREATE TABLE training_trainees (
  session_id  uuid NOT NULL REFERENCES training_sessions (id) ON DELETE CASCADE,
  seq         integer NOT NULL,
  name_enc    text NOT NULL,
  certified   boolean NOT NULL DEFAULT false,
  PRIMARY KEY (session_id, seq)
);

-- Knowledge-transfer milestones, with their evidence document (stored like case documents).
CREATE TABLE transfer_milestones (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id        uuid NOT NULL REFERENCES organizations (id),
  project_id             uuid NOT NULL REFERENCES projects (id),
  kind                   text NOT NULL CHECK (kind IN ('line_runs_alone', 'supervisor_certified', 'other')),
  title                  text NOT NULL,
  achieved_on            date NOT NULL,
  evidence_filename      text,
  evidence_content_type  text,
  evidence_size          integer,
  evidence_sha256        char(64),
  evidence_key           text UNIQUE,
  recorded_by_label      text NOT NULL,
  created_at             timestamptz NOT NULL
);
CREATE INDEX transfer_milestones_project_idx ON transfer_milestones (project_id, achieved_on);

-- Quota pool policies derived from the ledger (visas in proportion): versioned, with the formula's parameters, the
-- inputs as read and the shares; a published one becomes a dated value of the program's pool policy, applied by
-- the quota ledger's pool-change path (docs/decisions/032-mid-year-pool-changes.md).
CREATE TABLE contribution_pool_policies (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  program          text NOT NULL,
  version          integer NOT NULL,
  effective        date NOT NULL,
  parameters       jsonb NOT NULL,
  inputs           jsonb NOT NULL,
  pools            jsonb NOT NULL,
  status           text NOT NULL CHECK (status IN ('draft', 'published')),
  created_by_label text NOT NULL,
  created_at       timestamptz NOT NULL,
  published_at     timestamptz,
  published_by_label text,
  UNIQUE (program, version)
);
CREATE UNIQUE INDEX contribution_pool_policies_effective_key ON contribution_pool_policies (program, effective)
  WHERE status = 'published';
