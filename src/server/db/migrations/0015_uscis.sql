-- Issue 18 (part): USCIS tracking of petition cases. The receipt number (three letters and ten digits) is an
-- identifier: encrypted at rest (context uscis.receipt), its last four kept for lists and the audit. The status
-- history is the one USCIS states (received, biometrics, RFE, NOID, response submitted, approved, denied,
-- transferred), entered by hand or confirmed from the text of a notice (I-797).
CREATE TABLE uscis_petitions (
  case_id          uuid PRIMARY KEY REFERENCES cases (id),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  receipt_enc      text,
  receipt_last4    text,
  service_center   text,
  form_type        text,
  status           text,
  status_on        date,
  valid_from       date,
  valid_to         date,
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE uscis_status_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id          uuid NOT NULL REFERENCES cases (id),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  status           text NOT NULL CHECK (status IN ('received', 'biometrics', 'rfe', 'noid', 'response_submitted',
                                                    'approved', 'denied', 'transferred')),
  on_date          date NOT NULL,
  response_due     date,
  source           text NOT NULL CHECK (source IN ('manual', 'notice')),
  note             text,
  by_user_id       uuid REFERENCES users (id),
  by_label         text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (response_due IS NULL OR status IN ('rfe', 'noid'))
);
CREATE INDEX uscis_status_events_case_idx ON uscis_status_events (case_id, on_date, created_at);

-- A deadline an official notice set on a case's current stage (an RFE's or a NOID's response date): it is the
-- stage's clock while the case stays at that stage (stage_due_for = stage); moving on makes it moot.
ALTER TABLE cases ADD COLUMN stage_due_on date, ADD COLUMN stage_due_for text;
