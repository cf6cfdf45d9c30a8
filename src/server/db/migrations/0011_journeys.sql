-- Journeys that join up (issue 13).

-- Admitted means present: reaching `admitted` records the entry (the stay); the stay names its case. A worker may
-- report their own entry from the I-94; the employer then confirms it.
ALTER TABLE entries
  ADD COLUMN case_id      uuid REFERENCES cases (id),
  ADD COLUMN reported_by  text NOT NULL DEFAULT 'employer' CHECK (reported_by IN ('employer', 'worker')),
  ADD COLUMN confirmed_at timestamptz,
  ADD COLUMN confirmed_by text;
CREATE INDEX entries_case_idx ON entries (case_id) WHERE case_id IS NOT NULL;

-- A departure closes the stay and moves its case on: `departed` (the dispatch is complete).
ALTER TABLE cases DROP CONSTRAINT cases_status_check;
ALTER TABLE cases ADD CONSTRAINT cases_status_check
  CHECK (status IN ('open', 'admitted', 'departed', 'refused', 'withdrawn'));

-- An organization names a law firm of the platform as its counsel: the firm works on all its cases (beside the
-- per-case grant, cases.counsel_organization_id).
CREATE TABLE counsel_engagements (
  client_id   uuid NOT NULL REFERENCES organizations (id),
  law_firm_id uuid NOT NULL REFERENCES organizations (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  PRIMARY KEY (client_id, law_firm_id)
);
CREATE INDEX counsel_engagements_firm_idx ON counsel_engagements (law_firm_id);

-- Comments on a case by HR, counsel and (later) the worker, apart from stage moves.
CREATE TABLE case_comments (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id    uuid NOT NULL REFERENCES cases (id),
  user_id    uuid REFERENCES users (id),
  author     text NOT NULL,
  organization_id uuid REFERENCES organizations (id),
  body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_comments_case_idx ON case_comments (case_id, created_at);

-- Rosters as companies keep them: identity first. What an assessment needs (education, role, hire date) may
-- come later; a worker without it shows "profile incomplete".
ALTER TABLE workers
  ALTER COLUMN education DROP NOT NULL,
  ALTER COLUMN role DROP NOT NULL,
  ALTER COLUMN employed_since DROP NOT NULL;
