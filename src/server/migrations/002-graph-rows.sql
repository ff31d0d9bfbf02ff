-- 002-graph-rows: every directed edge of a place's graph as a row with all that the engine reads (so the server
-- can load only the part of a region-scale network that a request needs: ST_Intersects with its area + margin).
-- Node coordinates (1e-7 degrees) and node facts ride on the edge rows; names, facts and turn restrictions are
-- per network.
CREATE TABLE graph_edges (
  place_id text NOT NULL REFERENCES places (id) ON DELETE CASCADE,
  idx integer NOT NULL,
  source integer NOT NULL,
  target integer NOT NULL,
  length_m real NOT NULL,
  name_id integer NOT NULL,
  road_class smallint NOT NULL,
  flags smallint NOT NULL,
  maxspeed smallint NOT NULL,
  edge_facts integer NOT NULL,
  source_lon integer NOT NULL,
  source_lat integer NOT NULL,
  target_lon integer NOT NULL,
  target_lat integer NOT NULL,
  source_facts integer NOT NULL,
  target_facts integer NOT NULL,
  geom geometry(LineString, 4326) NOT NULL,
  PRIMARY KEY (place_id, idx)
);
CREATE INDEX graph_edges_geom ON graph_edges USING gist (geom);

CREATE TABLE graph_meta (
  place_id text PRIMARY KEY REFERENCES places (id) ON DELETE CASCADE,
  names jsonb NOT NULL,
  facts jsonb NOT NULL,
  restr_first integer[] NOT NULL,
  restr_edges integer[] NOT NULL,
  -- Fastest usable edge of the network (m/s, default profile off-peak): bounds how far a time can reach.
  max_speed_ms float8 NOT NULL
);
