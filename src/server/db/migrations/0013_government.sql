-- Issue 17: the government side. A government organization has a mandate: an embassy desk receives batches, a
-- working group sees aggregates (or both). Batches go to a desk chosen on submission and come back with an
-- outcome per applicant; every consular case carries its application's status as the State Department's CEAC
-- shows it, with the DS-160 confirmation number (encrypted: FieldCipher, context 'consular.ds160').

ALTER TABLE organizations ADD COLUMN mandates text[] NOT NULL DEFAULT '{}'
  CHECK (mandates <@ ARRAY['embassy_desk', 'working_group']::text[]);
ALTER TABLE organizations ADD CONSTRAINT organizations_mandates_government
  CHECK (cardinality(mandates) = 0 OR kind = 'government');
-- How long after a batch closes (or is returned) the desk still sees the people on it, in days.
ALTER TABLE organizations ADD COLUMN desk_retention_days integer NOT NULL DEFAULT 90
  CHECK (desk_retention_days BETWEEN 0 AND 3650);
-- Government organizations that existed before saw aggregates: they keep doing so.
UPDATE organizations SET mandates = ARRAY['working_group'] WHERE kind = 'government';

-- The desk's side of a batch. `desk_status`: draft (the investor's), submitted (in the desk's inbox, still
-- amendable), acknowledged (the desk took it), returned (sent back with reasons; the investor amends and
-- resubmits), closed (every applicant has a final outcome). `status_changed_at` starts the retention clock.
ALTER TABLE batches ADD COLUMN desk_organization_id uuid REFERENCES organizations (id);
ALTER TABLE batches ADD COLUMN desk_status text NOT NULL DEFAULT 'draft'
  CHECK (desk_status IN ('draft', 'submitted', 'acknowledged', 'returned', 'closed'));
ALTER TABLE batches ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE batches ADD COLUMN closed_at timestamptz;
ALTER TABLE batches ADD COLUMN status_changed_at timestamptz;
ALTER TABLE batches ADD CONSTRAINT batches_desk_when_submitted
  CHECK (desk_status = 'draft' OR desk_organization_id IS NOT NULL OR submitted_at IS NOT NULL);
UPDATE batches SET desk_status = 'submitted', status_changed_at = submitted_at WHERE submitted_at IS NOT NULL;
CREATE INDEX batches_desk_idx ON batches (desk_organization_id, desk_status, submitted_at)
  WHERE desk_organization_id IS NOT NULL;

-- The status history both sides see: one row per change, in order.
CREATE TABLE batch_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  batch_id    uuid NOT NULL REFERENCES batches (id),
  seq         integer NOT NULL,
  at          timestamptz NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('created', 'amended', 'submitted', 'acknowledged', 'returned',
                                             'interview_scheduled', 'outcome', 'closed')),
  case_id     uuid REFERENCES cases (id),
  by_user_id  uuid REFERENCES users (id),
  by_label    text NOT NULL,
  side        text NOT NULL CHECK (side IN ('employer', 'desk', 'system')),
  details     jsonb NOT NULL DEFAULT '{}',
  UNIQUE (batch_id, seq)
);

-- The desk's calendar of interview capacity: how many applicants it can interview on a day.
CREATE TABLE desk_interview_days (
  desk_organization_id uuid NOT NULL REFERENCES organizations (id),
  day                  date NOT NULL,
  capacity             integer NOT NULL CHECK (capacity BETWEEN 0 AND 1000),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (desk_organization_id, day)
);

-- A consular case's application as CEAC shows it (one per case, batch or not), and the desk's record of it.
CREATE TABLE consular_applications (
  case_id          uuid PRIMARY KEY REFERENCES cases (id),
  organization_id  uuid NOT NULL REFERENCES organizations (id),  -- the case's (the worker's employer)
  ds160_enc        text,
  ds160_last4      text,
  post             text NOT NULL DEFAULT 'seoul' CHECK (post IN ('seoul', 'other')),
  ceac_status      text CHECK (ceac_status IN ('application_received', 'administrative_processing', 'issued', 'refused')),
  ceac_status_on   date,
  -- The desk's record: the interview day, a reason when returned, the outcome and its particulars.
  interview_on     date,
  desk_organization_id uuid REFERENCES organizations (id),
  return_reason    text,
  outcome          text CHECK (outcome IN ('issued', 'refused_214b', 'administrative_processing', 'withdrawn')),
  outcome_on       date,
  refusal_reason   text,
  annotation       jsonb,          -- { company, facility, project } printed on an issued visa
  valid_until      date,           -- the issued visa's expiry
  follow_up_on     date,           -- 221(g): when the desk or the applicant follows up
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consular_applications_interview_idx ON consular_applications (desk_organization_id, interview_on)
  WHERE interview_on IS NOT NULL;

CREATE TABLE consular_status_events (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id     uuid NOT NULL REFERENCES cases (id),
  seq         integer NOT NULL,
  status      text NOT NULL CHECK (status IN ('application_received', 'administrative_processing', 'issued', 'refused')),
  status_on   date NOT NULL,
  entered_at  timestamptz NOT NULL,
  by_user_id  uuid REFERENCES users (id),
  by_label    text NOT NULL,
  side        text NOT NULL CHECK (side IN ('employer', 'desk')),
  note        text,
  UNIQUE (case_id, seq)
);

-- Firm size for the console's "SME or not" filter (partner firms are mostly small and medium enterprises).
ALTER TABLE organizations ADD COLUMN sme boolean NOT NULL DEFAULT false;

-- The working-group console's aggregate layer: rebuilt on a schedule (and on demand) from the cases, batches
-- and entries, in one transaction, so readers always see a whole snapshot. It holds no identity: no case,
-- worker or person id, no name, no date of birth, no document number; only what the figures group by.
CREATE TABLE console_case_facts (
  -- Fixed-width columns first (dates, flags, ids), the short codes after: every figure scans this table, and
  -- a narrow row read without walking variable-length columns is what keeps a scan of 100,000 cheap.
  opened_on       date NOT NULL,
  admitted_on     date,
  submitted_on    date,                  -- the desk batch's submission
  interview_on    date,
  outcome_on      date,
  lead_days       real,                  -- admitted - opened, in days (to 0.1)
  sme             boolean NOT NULL,
  had_221g        boolean NOT NULL,      -- was in administrative processing at some point
  reentry         boolean NOT NULL,      -- the worker was detained (issue 16): the re-entry cohort
  via_desk        boolean NOT NULL,
  investor_id     uuid NOT NULL,         -- the project's investor (an organization, not a person)
  employer_id     uuid NOT NULL,
  site_id         uuid NOT NULL,
  project_id      uuid NOT NULL,
  category        text NOT NULL,
  post            text,                  -- where the visa was applied for (consular cases)
  firm_kind       text NOT NULL,         -- investor or partner (the worker's employer)
  state           text NOT NULL,
  sector          text NOT NULL,
  status          text NOT NULL,
  stage           text NOT NULL,
  ceac_status     text,
  outcome         text
);
CREATE INDEX console_case_facts_admitted_idx ON console_case_facts (admitted_on) WHERE admitted_on IS NOT NULL;
CREATE INDEX console_case_facts_reentry_idx ON console_case_facts (opened_on) WHERE reentry;
CREATE INDEX console_case_facts_decided_idx ON console_case_facts (outcome_on) WHERE via_desk AND outcome_on IS NOT NULL;
CREATE INDEX console_case_facts_interviewed_idx ON console_case_facts (category, post)
  WHERE via_desk AND interview_on IS NOT NULL AND submitted_on IS NOT NULL;
CREATE INDEX console_case_facts_opened_idx ON console_case_facts (opened_on);

CREATE TABLE console_presence_facts (
  category           text NOT NULL,      -- the class of admission
  firm_kind          text NOT NULL,
  sme                boolean NOT NULL,
  investor_id        uuid NOT NULL,
  employer_id        uuid NOT NULL,
  site_id            uuid NOT NULL,
  site_name          text NOT NULL,
  state              text NOT NULL,
  project_id         uuid NOT NULL,
  sector             text NOT NULL,
  admitted_on        date NOT NULL,
  admit_until        date,
  duration_of_status boolean NOT NULL
);

CREATE TABLE console_batch_facts (
  desk_status     text NOT NULL,
  submitted_on    date,
  applicants      integer NOT NULL,
  investor_id     uuid NOT NULL,
  site_id         uuid NOT NULL,
  state           text NOT NULL,
  sector          text NOT NULL
);

-- Per project: the staffing need (headcount of its plans) and the people admitted and present.
CREATE TABLE console_project_facts (
  project_id      uuid NOT NULL,
  project_name    text NOT NULL,
  investor_id     uuid NOT NULL,
  investor_name   text NOT NULL,
  site_id         uuid NOT NULL,
  state           text NOT NULL,
  sector          text NOT NULL,
  need            integer NOT NULL,
  admitted        integer NOT NULL,
  present         integer NOT NULL
);

CREATE TABLE console_refreshes (
  id            integer PRIMARY KEY CHECK (id = 1),
  refreshed_at  timestamptz NOT NULL,
  cases         integer NOT NULL,
  presence      integer NOT NULL,
  took_ms       integer NOT NULL,
  options       jsonb NOT NULL DEFAULT '{}'  -- the filter choices (categories, sites, states, sectors)
);
