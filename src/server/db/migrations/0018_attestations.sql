-- Issue 18 (part): signatures on the attestations a result or letter relies on. The signer types their name and
-- title; the row keeps the exact text signed (and its SHA-256), the facts it covered (and their hash), the signer's
-- account and a hash of the session or token used. A later change to those facts voids it (computed on read).
CREATE TABLE case_attestations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id          uuid NOT NULL REFERENCES cases (id),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  kind             text NOT NULL,
  text_en          text NOT NULL,
  text_ko          text NOT NULL,
  text_hash        text NOT NULL,
  facts            jsonb NOT NULL,
  facts_hash       text NOT NULL,
  signer_user_id   uuid NOT NULL REFERENCES users (id),
  signer_name      text NOT NULL,
  signer_title     text NOT NULL,
  signer_label     text NOT NULL,
  credential_hash  text NOT NULL,
  signed_at        timestamptz NOT NULL
);
CREATE INDEX case_attestations_case_idx ON case_attestations (case_id, kind, signed_at);
