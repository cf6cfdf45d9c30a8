-- Issue 19: the settlement planner. A worker's saved plan (the goal chosen by HR or the worker, the facts it was
-- computed from, the plan itself) and the overseas-Korean directory near each site.

-- One saved plan per worker: the goal, the facts it was computed from and what the computation found (the
-- first-ranked path's route, green card, filings and age-outs; each path's route and goal date). The timeline
-- itself is a pure function of the facts, the rules and the day (0.3 ms): it is computed again when read, not
-- stored (33 KB a plan; decision 061). `facts_hash` and `rules_hash` tell whether the facts (the worker's records)
-- or the rules (parameters and data files) changed since; the nightly pass recomputes what changed and every
-- plan whose day has passed. Summary columns feed the alerts and the working group's aggregates.
CREATE TABLE settlement_plans (
  worker_id          uuid PRIMARY KEY REFERENCES workers (id),
  organization_id    uuid NOT NULL REFERENCES organizations (id), -- the worker's employer
  goal               jsonb NOT NULL,
  overrides          jsonb NOT NULL DEFAULT '{}',
  facts              jsonb NOT NULL,
  summary            jsonb NOT NULL,
  facts_hash         text NOT NULL,
  rules_hash         text NOT NULL,
  reason             text NOT NULL CHECK (reason IN ('first', 'facts', 'rules', 'goal')),
  as_of              date NOT NULL,
  computed_at        timestamptz NOT NULL,
  -- The first-ranked path: its route, its estimated green card (null: none), the state and the family's size.
  top_route          text,
  green_card_on      date,
  state              char(2) NOT NULL,
  dependents         integer NOT NULL DEFAULT 0,
  school_age_children integer NOT NULL DEFAULT 0,
  updated_by         uuid REFERENCES users (id)
);
CREATE INDEX settlement_plans_org_idx ON settlement_plans (organization_id);

-- The overseas-Korean network near a site: entries kept by the investor or a government organization, bilingual,
-- dated, with who verified them; fictional entries (the demo) are marked.
CREATE TABLE site_directory_entries (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id           uuid NOT NULL REFERENCES sites (id),
  organization_id   uuid NOT NULL REFERENCES organizations (id), -- who keeps and verified the entry
  kind              text NOT NULL CHECK (kind IN ('consulate', 'association', 'weekend_school', 'doctor', 'counsel', 'interpreter', 'housing', 'mentor')),
  name_en           text NOT NULL,
  name_ko           text NOT NULL,
  description_en    text,
  description_ko    text,
  phone             text,
  email             text,
  website           text,
  address           text,
  languages         text[] NOT NULL DEFAULT '{ko,en}',
  fictional         boolean NOT NULL DEFAULT false,
  verified_on       date NOT NULL,
  created_by        uuid REFERENCES users (id),
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX site_directory_entries_site_idx ON site_directory_entries (site_id, kind);
