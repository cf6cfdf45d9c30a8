-- Alerts (issue 6, item 2): the in-app notification centre and the e-mail log of the daily digests.
-- Alerts are computed by src/core/alerts (pure) and stored per recipient: one row per user who should see it
-- (the organization's administrators and staff, and the worker concerned when they have a login). The
-- (organization, user, dedupe key) is unique, so a scan that runs twice, or on two servers, stores it once.

CREATE TABLE notifications (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid NOT NULL REFERENCES organizations (id),
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind            text NOT NULL,
  severity        text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  subject_type    text NOT NULL,
  subject_id      uuid NOT NULL,
  worker_id       uuid REFERENCES workers (id),
  case_id         uuid REFERENCES cases (id),
  due_on          date NOT NULL,
  threshold_days  integer,
  dedupe_key      text NOT NULL,
  message         jsonb NOT NULL,           -- { en, ko }
  verify          boolean NOT NULL DEFAULT false,
  as_of           date NOT NULL,            -- the scan date that raised it
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz,
  UNIQUE (organization_id, user_id, dedupe_key)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- Every e-mail the application sends (the daily digest): one row per user, kind and day, so a re-run of the
-- digest never sends twice. `status` moves pending -> sent, or failed (a later run retries a failed one).
CREATE TABLE email_log (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid REFERENCES organizations (id),
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('digest')),
  digest_date     date NOT NULL,
  to_address      text NOT NULL,
  locale          text NOT NULL CHECK (locale IN ('en', 'ko')),
  subject         text NOT NULL,
  notifications   integer NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  transport       text,                     -- 'outbox' or 'smtp'
  message_id      text,
  error           text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  sent_at         timestamptz,
  UNIQUE (user_id, kind, digest_date)
);
ALTER TABLE dependents ADD COLUMN passport_expiry date; -- optional: alerts warn on a dependent's passport when it is known
