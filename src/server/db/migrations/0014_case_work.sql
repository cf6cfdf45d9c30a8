-- Issue 18 (part): messages on a case among HR (the worker's employer and the project's investor), counsel and
-- the worker. An internal note is never shown to the worker (nor written by one). Read state per user and case.
CREATE TABLE case_messages (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id                uuid NOT NULL REFERENCES cases (id),
  author_user_id         uuid REFERENCES users (id),
  author_label           text NOT NULL,
  author_organization_id uuid REFERENCES organizations (id),
  author_side            text NOT NULL CHECK (author_side IN ('employer', 'counsel', 'worker')),
  internal               boolean NOT NULL DEFAULT false,
  body                   text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
  document_id            uuid REFERENCES case_documents (id),
  created_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT internal OR author_side <> 'worker')
);
CREATE INDEX case_messages_case_idx ON case_messages (case_id, created_at, id);

CREATE TABLE case_message_reads (
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  case_id  uuid NOT NULL REFERENCES cases (id),
  read_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, case_id)
);

-- Issue 18 (part): a calendar feed per user (iCalendar) behind a secret URL; only the token's hash is kept; a
-- new token revokes the previous one.
CREATE TABLE calendar_feeds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);
CREATE UNIQUE INDEX calendar_feeds_active_key ON calendar_feeds (user_id) WHERE revoked_at IS NULL;
