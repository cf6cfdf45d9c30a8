-- Issue 18 (part): webhooks per organization. Events are written in the transaction of the change they describe
-- (an outbox), with one delivery per subscribed endpoint; a dispatcher posts them signed with HMAC-SHA-256 and
-- retries with backoff; every attempt is logged. The signing secret is encrypted at rest (it must be read to
-- sign); it is shown once, when the endpoint is made or its secret rotated.
CREATE TABLE webhook_endpoints (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  url              text NOT NULL CHECK (length(url) <= 2000),
  description      text,
  event_types      text[] NOT NULL DEFAULT '{}',  -- empty: every event
  secret_enc       text NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by_label text NOT NULL,
  deleted_at       timestamptz
);
CREATE INDEX webhook_endpoints_org_idx ON webhook_endpoints (organization_id) WHERE deleted_at IS NULL;

CREATE TABLE webhook_events (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations (id),
  type             text NOT NULL,
  data             jsonb NOT NULL,
  occurred_at      timestamptz NOT NULL
);
CREATE INDEX webhook_events_org_idx ON webhook_events (organization_id, occurred_at);

CREATE TABLE webhook_deliveries (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  endpoint_id      uuid NOT NULL REFERENCES webhook_endpoints (id),
  event_id         uuid NOT NULL REFERENCES webhook_events (id),
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  last_status_code integer,
  last_error       text,
  delivered_at     timestamptz,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, event_id);

CREATE TABLE webhook_attempts (
  id               bigserial PRIMARY KEY,
  delivery_id      uuid NOT NULL REFERENCES webhook_deliveries (id),
  attempt          integer NOT NULL,
  at               timestamptz NOT NULL,
  status_code      integer,
  error            text,
  duration_ms      integer NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, attempt);
