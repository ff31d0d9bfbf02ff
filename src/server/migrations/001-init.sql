-- 001-init: the team server's first schema. Shipped migrations are never edited; change the schema with a new file.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS pgrouting;

CREATE TABLE users (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
  password_hash text NOT NULL,
  is_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a session token is stored: a leaked table opens no session.
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);

CREATE TABLE places (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9_-]{1,64}$'),
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE place_roles (
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('planner', 'commander', 'admin')),
  PRIMARY KEY (place_id, user_id)
);

-- A place's road network: our graph.bin (the engine loads it) and its version; edges/restrictions below are the
-- same network as rows for spatial queries and pgRouting.
CREATE TABLE networks (
  place_id text PRIMARY KEY REFERENCES places (id) ON DELETE CASCADE,
  version integer NOT NULL,
  graph bytea NOT NULL,
  source text NOT NULL,
  node_count integer NOT NULL,
  edge_count integer NOT NULL,
  bbox geometry(Polygon, 4326) NOT NULL,
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per usable directed edge (id = directed edge + 1 as `planner export-graph`); cost = the engine's seconds
-- (fire-engine profile, road rules, off-peak), reverse_cost = -1 (the other direction is its own row).
CREATE TABLE edges (
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  id bigint NOT NULL,
  source bigint NOT NULL,
  target bigint NOT NULL,
  cost float8 NOT NULL,
  reverse_cost float8 NOT NULL DEFAULT -1,
  length_m float8 NOT NULL,
  geom geometry(LineString, 4326) NOT NULL,
  PRIMARY KEY (place_id, id)
);
CREATE INDEX edges_geom ON edges USING gist (geom);

-- Turn restrictions for pgr_trsp (id, cost, path of edge ids).
CREATE TABLE restrictions (
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  id bigint NOT NULL,
  cost float8 NOT NULL,
  path bigint[] NOT NULL,
  PRIMARY KEY (place_id, id)
);

-- Districts, stations and hydrants of a place: one table, a kind, GeoJSON properties kept as they came.
CREATE TABLE features (
  id bigserial PRIMARY KEY,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('districts', 'stations', 'hydrants')),
  props jsonb NOT NULL DEFAULT '{}',
  geom geometry(Geometry, 4326) NOT NULL
);
CREATE INDEX features_geom ON features USING gist (geom);
CREATE INDEX features_place ON features (place_id, kind);

CREATE TABLE scenarios (
  id bigserial PRIMARY KEY,
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  version integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scenario_versions (
  scenario_id bigint NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
  version integer NOT NULL,
  body jsonb NOT NULL,
  author_id integer NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  note text NOT NULL DEFAULT '',
  PRIMARY KEY (scenario_id, version)
);

CREATE TABLE comments (
  id bigserial PRIMARY KEY,
  scenario_id bigint NOT NULL REFERENCES scenarios (id) ON DELETE CASCADE,
  author_id integer NOT NULL REFERENCES users (id),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  user_id integer REFERENCES users (id),
  action text NOT NULL,
  place_id text,
  scenario_id bigint,
  detail jsonb NOT NULL DEFAULT '{}'
);
