-- Issue 18 (part): the worker's questionnaire per case and form (DS-160 data, petition data). The answers hold
-- identifiers (passport number, addresses, family): encrypted at rest as one value (context
-- questionnaire.answers). Items HR returns to the worker, with comments, are kept until the worker submits again.
CREATE TABLE questionnaires (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id          uuid NOT NULL REFERENCES cases (id),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  form             text NOT NULL CHECK (form IN ('ds160', 'petition')),
  status           text NOT NULL CHECK (status IN ('sent', 'in_progress', 'submitted', 'returned', 'accepted')),
  answers_enc      text NOT NULL,
  returned         jsonb NOT NULL DEFAULT '[]',
  sent_at          timestamptz NOT NULL,
  sent_by_label    text NOT NULL,
  submitted_at     timestamptz,
  accepted_at      timestamptz,
  accepted_by_label text,
  updated_at       timestamptz NOT NULL,
  UNIQUE (case_id, form)
);
