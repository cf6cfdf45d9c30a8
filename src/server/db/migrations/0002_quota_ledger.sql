-- The quota ledger: annual caps per program and fiscal year, split into pools; reservations with a waitlist;
-- an append-only, hash-chained ledger per pool; idempotent writes; the registration lottery.

-- A program's fiscal year, opened on first use with the program's definition as of the year's first day.
CREATE TABLE quota_years (
  program      text NOT NULL,
  fiscal_year  integer NOT NULL CHECK (fiscal_year BETWEEN 1990 AND 2200),
  definition   jsonb NOT NULL,
  opened_at    timestamptz NOT NULL DEFAULT now(),
  closed_at    timestamptz,
  closed_by    text,
  PRIMARY KEY (program, fiscal_year)
);

-- One row per pool: the counters (always the sum of the pool's ledger entries) and the head of its chain.
-- The CHECKs are the last line of defence: the database itself refuses a state with more numbers out than the cap.
CREATE TABLE quota_counters (
  program        text NOT NULL,
  fiscal_year    integer NOT NULL,
  pool           text NOT NULL,
  cap            integer NOT NULL CHECK (cap >= 0),
  reserved       integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  issued         integer NOT NULL DEFAULT 0 CHECK (issued >= 0),
  released       integer NOT NULL DEFAULT 0 CHECK (released >= 0),
  waitlisted     integer NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
  next_sequence  integer NOT NULL DEFAULT 1,
  next_wait      bigint NOT NULL DEFAULT 1,
  head_seq       bigint NOT NULL DEFAULT 0,
  head_hash      text NOT NULL,
  spill_on       date,
  spill_into     text,
  spilled_at     timestamptz,
  PRIMARY KEY (program, fiscal_year, pool),
  FOREIGN KEY (program, fiscal_year) REFERENCES quota_years (program, fiscal_year),
  CHECK (reserved + issued <= cap)
);

-- A request for a number: reserved (with a sequence number), waitlisted, issued or released.
CREATE TABLE quota_reservations (
  id              uuid PRIMARY KEY,
  program         text NOT NULL,
  fiscal_year     integer NOT NULL,
  pool            text NOT NULL,
  case_ref        text NOT NULL,
  organization_id uuid REFERENCES organizations (id),
  priority_date   date NOT NULL,
  status          text NOT NULL CHECK (status IN ('reserved', 'waitlisted', 'issued', 'released', 'withdrawn')),
  sequence        integer,
  wait_order      bigint,
  created_at      timestamptz NOT NULL,
  reserved_at     timestamptz,
  issued_at       timestamptz,
  released_at     timestamptz,
  release_reason  text,
  created_by      text NOT NULL,
  FOREIGN KEY (program, fiscal_year, pool) REFERENCES quota_counters (program, fiscal_year, pool),
  CHECK (status NOT IN ('reserved', 'issued') OR sequence IS NOT NULL),
  CHECK (status <> 'waitlisted' OR (sequence IS NULL AND wait_order IS NOT NULL))
);
-- No number is ever given twice in a pool.
CREATE UNIQUE INDEX quota_reservations_sequence_key ON quota_reservations (program, fiscal_year, pool, sequence);
CREATE INDEX quota_reservations_waitlist_idx ON quota_reservations (program, fiscal_year, pool, priority_date, wait_order)
  WHERE status = 'waitlisted';
CREATE INDEX quota_reservations_org_idx ON quota_reservations (organization_id, program, fiscal_year);
CREATE INDEX quota_reservations_expiry_idx ON quota_reservations (reserved_at) WHERE status = 'reserved';

-- The ledger: append-only; hash = SHA-256 over prev_hash and the entry's canonical JSON (core/quota/ledger.ts).
-- No foreign keys: the history outlives what it speaks of.
CREATE TABLE quota_ledger (
  program        text NOT NULL,
  fiscal_year    integer NOT NULL,
  pool           text NOT NULL,
  seq            bigint NOT NULL,
  kind           text NOT NULL,
  reservation_id uuid,
  sequence       integer,
  d_cap          integer NOT NULL,
  d_reserved     integer NOT NULL,
  d_issued       integer NOT NULL,
  d_released     integer NOT NULL,
  d_waitlisted   integer NOT NULL,
  occurred_at    timestamptz NOT NULL,
  actor          text NOT NULL,
  request_id     text,
  details        jsonb,
  prev_hash      text NOT NULL,
  hash           text NOT NULL,
  PRIMARY KEY (program, fiscal_year, pool, seq)
);
CREATE INDEX quota_ledger_reservation_idx ON quota_ledger (reservation_id) WHERE reservation_id IS NOT NULL;

-- Append-only: updates and deletes are refused by the database (a restore loads with INSERT only).
CREATE FUNCTION quota_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'quota_ledger is append-only';
END;
$$;
CREATE TRIGGER quota_ledger_no_update BEFORE UPDATE OR DELETE ON quota_ledger
  FOR EACH ROW EXECUTE FUNCTION quota_ledger_append_only();

-- Idempotent writes: the first answer to (scope, key) is kept and returned to every repetition.
CREATE TABLE quota_idempotency (
  scope         text NOT NULL,
  key           text NOT NULL,
  operation     text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer NOT NULL,
  response      jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key)
);

-- The registration lottery of a program and fiscal year.
CREATE TABLE quota_lottery_rounds (
  program          text NOT NULL,
  fiscal_year      integer NOT NULL,
  status           text NOT NULL CHECK (status IN ('open', 'committed', 'drawn')),
  weighted         boolean NOT NULL,
  regular_cap      integer NOT NULL CHECK (regular_cap >= 0),
  advanced_cap     integer NOT NULL CHECK (advanced_cap >= 0),
  opened_at        timestamptz NOT NULL DEFAULT now(),
  committed_at     timestamptz,
  seed_commitment  text,
  entries_digest   text,
  entry_count      integer,
  drawn_at         timestamptz,
  seed             text,
  PRIMARY KEY (program, fiscal_year),
  CHECK (status = 'open' OR seed_commitment IS NOT NULL),
  CHECK (status <> 'drawn' OR seed IS NOT NULL)
);

CREATE TABLE quota_lottery_registrations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  program          text NOT NULL,
  fiscal_year      integer NOT NULL,
  organization_id  uuid REFERENCES organizations (id),
  case_ref         text NOT NULL,
  -- Keyed hash (HMAC-SHA-256) of the normalized passport number; the number itself only encrypted.
  beneficiary_hash text NOT NULL,
  passport_enc     text NOT NULL,
  wage_level       smallint CHECK (wage_level BETWEEN 1 AND 4),
  advanced_degree  boolean NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  selected         text CHECK (selected IN ('regular', 'advanced')),
  FOREIGN KEY (program, fiscal_year) REFERENCES quota_lottery_rounds (program, fiscal_year),
  -- One registration per employer and beneficiary; two employers may register the same person.
  UNIQUE (program, fiscal_year, organization_id, beneficiary_hash)
);
CREATE INDEX quota_lottery_registrations_beneficiary_idx
  ON quota_lottery_registrations (program, fiscal_year, beneficiary_hash);
