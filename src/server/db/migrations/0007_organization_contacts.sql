-- Organization contacts (issue 6, the site roster's contact sheet): each company's counsel and its emergency
-- contacts, entered by the company's administrators and printed on the roster PDF and shown on the roster
-- screen next to the Korean consulate general of jurisdiction. Business contact details, not personal
-- identifiers, so they are stored in clear (passport numbers and other identifiers stay encrypted).

CREATE TABLE organization_contacts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('counsel', 'emergency')),
  position        smallint NOT NULL CHECK (position >= 0),
  name            text NOT NULL,          -- the person (or the desk, e.g. "24-hour duty desk")
  firm            text,                   -- counsel: the law firm; emergency: the department
  title           text,                   -- e.g. "Immigration attorney (Georgia bar)"
  phone           text NOT NULL,
  email           text,
  hours           text,                   -- when the number answers, e.g. "24/7" or "Mon-Fri 9-18 ET"
  languages       text[] NOT NULL DEFAULT '{}' CHECK (languages <@ ARRAY['ko', 'en']::text[]),
  notes           text,
  updated_by      uuid REFERENCES users (id),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, position)
);
CREATE INDEX organization_contacts_org_idx ON organization_contacts (organization_id, kind, position);
