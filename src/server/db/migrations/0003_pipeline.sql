-- Dispatch pipeline (issue 5): projects, staffing plans, workers, dependents, assignments, visa cases with their
-- stage history, documents and embassy-desk batches. Every row belongs to an organization; services scope every
-- query by it (an investor sees a partner's workers only through assignments to the investor's projects).

-- Investment projects at a site of the investor.
CREATE TABLE projects (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  site_id         uuid NOT NULL REFERENCES sites (id),
  code            text NOT NULL,
  name            text NOT NULL,
  sector          text NOT NULL CHECK (sector IN ('battery', 'auto', 'semiconductor', 'shipbuilding', 'steel', 'energy', 'other')),
  investment_usd  numeric(16, 0) NOT NULL CHECK (investment_usd >= 0),
  start_date      date NOT NULL,
  end_date        date CHECK (end_date IS NULL OR end_date >= start_date),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, code)
);
CREATE INDEX projects_site_idx ON projects (site_id);

-- Which partner firms work on which projects (the firm must also be linked to the investor: partner_links).
CREATE TABLE project_partners (
  project_id  uuid NOT NULL REFERENCES projects (id),
  partner_id  uuid NOT NULL REFERENCES organizations (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, partner_id)
);
CREATE INDEX project_partners_partner_idx ON project_partners (partner_id);

CREATE TABLE staffing_plans (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id  uuid NOT NULL REFERENCES projects (id),
  role        text NOT NULL,
  skill       text,
  headcount   integer NOT NULL CHECK (headcount > 0),
  start_date  date NOT NULL,
  end_date    date NOT NULL CHECK (end_date >= start_date),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staffing_plans_project_idx ON staffing_plans (project_id);

-- Workers of the sending firm (investor or partner). The passport number is encrypted (FieldCipher, context
-- 'worker.passportNumber'); passport_hash is its keyed hash, for duplicates within the organization.
CREATE TABLE workers (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id    uuid NOT NULL REFERENCES organizations (id),
  user_id            uuid UNIQUE REFERENCES users (id),
  family_name        text NOT NULL,
  given_name         text NOT NULL,
  name_hangul        text NOT NULL,
  birth_date         date NOT NULL,
  sex                text NOT NULL CHECK (sex IN ('F', 'M', 'X')),
  nationality        char(2) NOT NULL,
  passport_enc       text NOT NULL,
  passport_hash      text NOT NULL,
  passport_last4     text NOT NULL,
  passport_expiry    date NOT NULL,
  education          text NOT NULL,
  role               text NOT NULL,
  qualifications     jsonb NOT NULL DEFAULT '[]',
  skills             jsonb NOT NULL DEFAULT '[]',
  employed_since     date NOT NULL,
  phone              text,
  email              text,
  emergency_contact  jsonb,
  search_text        text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, passport_hash)
);
CREATE INDEX workers_org_name_idx ON workers (organization_id, family_name, given_name, id);

CREATE TABLE dependents (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  worker_id           uuid NOT NULL REFERENCES workers (id),
  relationship        text NOT NULL CHECK (relationship IN ('spouse', 'child')),
  family_name         text NOT NULL,
  given_name          text NOT NULL,
  name_hangul         text,
  birth_date          date NOT NULL,
  nationality         char(2) NOT NULL,
  derivative_category text,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dependents_worker_idx ON dependents (worker_id);

CREATE TABLE assignments (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id), -- the worker's employer
  worker_id       uuid NOT NULL REFERENCES workers (id),
  project_id      uuid NOT NULL REFERENCES projects (id),
  activities      text[] NOT NULL CHECK (cardinality(activities) > 0),
  start_date      date NOT NULL,
  end_date        date NOT NULL CHECK (end_date >= start_date),
  payer           text NOT NULL CHECK (payer IN ('foreign', 'us')),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX assignments_project_idx ON assignments (project_id);
CREATE INDEX assignments_worker_idx ON assignments (worker_id);

CREATE TABLE batches (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id     uuid NOT NULL REFERENCES organizations (id), -- the investor
  project_id          uuid NOT NULL REFERENCES projects (id),
  annotation_company  text NOT NULL,
  annotation_facility text NOT NULL,
  annotation_project  text NOT NULL,
  submitted_at        timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX batches_project_idx ON batches (project_id);

-- One visa case per assignment (and per dependent where needed), opened from an assessment.
CREATE TABLE cases (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id         uuid NOT NULL REFERENCES organizations (id), -- the worker's employer
  assignment_id           uuid NOT NULL REFERENCES assignments (id),
  worker_id               uuid NOT NULL REFERENCES workers (id),
  dependent_id            uuid REFERENCES dependents (id),
  project_id              uuid NOT NULL REFERENCES projects (id),
  assessment_id           uuid NOT NULL REFERENCES assessments (id),
  category                text NOT NULL,
  provision               text,
  verdict                 text NOT NULL,
  rules_version           text NOT NULL,
  workflow_id             text NOT NULL,
  stage                   text NOT NULL,
  status                  text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'admitted', 'refused', 'withdrawn')),
  opened_at               timestamptz NOT NULL,
  stage_entered_at        timestamptz NOT NULL,
  assignment_start        date NOT NULL,
  target_date             date NOT NULL,
  plan                    jsonb NOT NULL,   -- per-stage target dates at opening (core/workflows planCase)
  admitted_at             timestamptz,
  closed_at               timestamptz,
  override_reason         text,
  override_by             uuid REFERENCES users (id),
  override_at             timestamptz,
  counsel_organization_id uuid REFERENCES organizations (id),
  batch_id                uuid REFERENCES batches (id),
  CHECK ((override_reason IS NULL) = (override_by IS NULL))
);
-- One open or finished case per assignment and person (a refused or withdrawn case may be reopened).
CREATE UNIQUE INDEX cases_assignment_person_key ON cases (assignment_id, coalesce(dependent_id, '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE status IN ('open', 'admitted');
CREATE INDEX cases_project_stage_idx ON cases (project_id, status, stage);
CREATE INDEX cases_org_idx ON cases (organization_id, opened_at);
CREATE INDEX cases_worker_idx ON cases (worker_id);
CREATE INDEX cases_counsel_idx ON cases (counsel_organization_id) WHERE counsel_organization_id IS NOT NULL;
CREATE INDEX cases_batch_idx ON cases (batch_id) WHERE batch_id IS NOT NULL;

-- Every stage change (and the opening) of a case: the stage history with timestamps, who, comments.
CREATE TABLE case_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id          uuid NOT NULL REFERENCES cases (id),
  seq              integer NOT NULL,
  from_stage       text,
  to_stage         text NOT NULL,
  at               timestamptz NOT NULL,
  by_user_id       uuid REFERENCES users (id),
  by_label         text NOT NULL,
  comment          text,
  override_reason  text,
  assignee_user_id uuid REFERENCES users (id),
  UNIQUE (case_id, seq)
);

CREATE TABLE case_documents (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id       uuid NOT NULL REFERENCES cases (id),
  stage_id      text,
  doc_type      text NOT NULL,
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size          integer NOT NULL CHECK (size > 0),
  sha256        char(64) NOT NULL,
  storage_key   text NOT NULL UNIQUE,
  expires_on    date,
  uploaded_by   uuid REFERENCES users (id),
  uploaded_by_label text NOT NULL,
  uploaded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_documents_case_idx ON case_documents (case_id);

-- The case board of a project is ordered by target date (bench:pipeline).
CREATE INDEX cases_project_target_idx ON cases (project_id, target_date, id);

-- A case whose workflow reserves a number (the E-4's quota stage) keeps the quota ledger's reservation.
ALTER TABLE cases ADD COLUMN quota_reservation_id uuid REFERENCES quota_reservations (id);
-- The board: per stage, the cards due first.
CREATE INDEX cases_board_idx ON cases (project_id, stage, target_date, id);
