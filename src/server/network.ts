/**
 * A place's road network on the server: our graph.bin (pushed from the browser, or built here from an OSM extract
 * with the same importer as geodata/build.ts) stored with a version, and the same network as PostGIS rows (edges
 * with geometry and the engine's seconds, turn restrictions) for spatial queries and pgRouting. The engine (Router,
 * as the CLI builds it) is cached per place + network version + turn setting.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';
import { getHeapStatistics } from 'node:v8';
import { buildGraph } from '../core/buildGraph';
import { decodeGraph, type RoadGraph } from '../core/graph';
import { readOsm } from '../core/osm/read';
import { plannerError } from '../core/errors';
import { parseProfile, type SpeedProfile } from '../core/profile';
import { parseRoadRules, type RoadRules } from '../core/roadRules';
import { profileWithTurns, Router } from '../core/router';
import { subgraph, type EdgeRow, type GraphMeta } from './subgraph';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** The fire-engine profile and the road rules of geodata/profiles (what `planner times` uses by default). */
export function defaultProfiles(): { profile: SpeedProfile; rules: RoadRules } {
  const read = (p: string) => JSON.parse(readFileSync(resolve(repoRoot, p), 'utf8'));
  return { profile: parseProfile(read('geodata/profiles/fire-engine.json')), rules: parseRoadRules(read('geodata/profiles/road-rules.json'), 'geodata/profiles/road-rules.json') };
}

export function decodeUpload(bytes: Buffer): RoadGraph {
  try {
    return decodeGraph(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch (e) {
    throw plannerError('bad-graph', '路网文件无法读取（不是本软件的 graph.bin）', 'the road graph cannot be read (not a graph.bin of this planner)', { detail: (e as Error).message });
  }
}

/**
 * Our graph (graph.bin bytes) from an OSM extract, with the importer of `npm run geodata` (readOsm + buildGraph).
 * The node limit keeps a quarter of the free heap per request (1 KiB per node, as the pipeline measured).
 */
export function graphFromOsm(bytes: Buffer, fileName: string): ArrayBuffer {
  const h = getHeapStatistics();
  const maxNodes = Math.max(0, Math.floor((h.heap_size_limit - h.used_heap_size) / 4 / 1024));
  const osm = readOsm(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), fileName, undefined, { maxNodes });
  const { graph } = buildGraph(osm);
  if (!graph.edgeCount) throw plannerError('no-roads', `${fileName} 中没有可用的道路`, `${fileName} has no usable roads`);
  return graph.buffer;
}

const CHUNK = 5000;

/**
 * Replaces the place's network (one transaction): the graph bytes with version + 1, its usable directed edges with
 * geometry and seconds (fire-engine profile, road rules, off-peak), and its turn restrictions. Returns the new version.
 */
export async function storeNetwork(c: PoolClient, placeId: string, bytes: Buffer, source: string, userId: number | null): Promise<{ version: number; edges: number; restrictions: number }> {
  const graph = decodeUpload(bytes);
  const { profile, rules } = defaultProfiles();
  const router = new Router(graph, profileWithTurns(profile, true), false, { roadRules: rules });
  const [minLon, minLat, maxLon, maxLat] = graph.bbox;
  const v = await c.query<{ version: number }>(
    `INSERT INTO networks (place_id, version, graph, source, node_count, edge_count, bbox, updated_by)
     VALUES ($1, 1, $2, $3, $4, $5, ST_MakeEnvelope($6, $7, $8, $9, 4326), $10)
     ON CONFLICT (place_id) DO UPDATE SET version = networks.version + 1, graph = $2, source = $3, node_count = $4,
       edge_count = $5, bbox = EXCLUDED.bbox, updated_by = $10, updated_at = now()
     RETURNING version`,
    [placeId, bytes, source, graph.nodeCount, graph.edgeCount, minLon, minLat, maxLon, maxLat, userId]);
  await c.query('DELETE FROM edges WHERE place_id = $1', [placeId]);
  await c.query('DELETE FROM restrictions WHERE place_id = $1', [placeId]);
  const src = router.spatial.source, sec = router.seconds;
  let cols: number[][] = [[], [], [], [], [], [], [], [], []];
  let edges = 0;
  const flush = async () => {
    if (!cols[0].length) return;
    await c.query(
      `INSERT INTO edges (place_id, id, source, target, cost, length_m, geom)
       SELECT $1, id, s, t, cost, len, ST_SetSRID(ST_MakeLine(ST_MakePoint(x1, y1), ST_MakePoint(x2, y2)), 4326)
       FROM unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[])
         AS u(id, s, t, cost, len, x1, y1, x2, y2)`, [placeId, ...cols]);
    cols = [[], [], [], [], [], [], [], [], []];
  };
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!(sec[e] < Infinity)) continue;
    const a = src[e], b = graph.target[e];
    const row = [e + 1, a, b, sec[e], graph.lengthM[e], graph.lon[a] / 1e7, graph.lat[a] / 1e7, graph.lon[b] / 1e7, graph.lat[b] / 1e7];
    row.forEach((x, i) => cols[i].push(x));
    edges++;
    if (cols[0].length >= CHUNK) await flush();
  }
  await flush();
  // Restrictions as exported for pgr_trsp (sequences through unusable edges are left out there).
  const restr = router.exportRestrictionsCsv(true).trim().split('\n').slice(1).map((l) => {
    const m = /^(\d+),([^,]+),"\{([\d,]+)\}"$/.exec(l);
    if (!m) throw new Error(`restriction row ${l}`);
    return { id: Number(m[1]), cost: Number(m[2]), path: m[3] };
  });
  if (restr.length) {
    await c.query(`INSERT INTO restrictions (place_id, id, cost, path) SELECT $1, id, cost, path::bigint[] FROM unnest($2::bigint[], $3::float8[], $4::text[]) AS u(id, cost, path)`,
      [placeId, restr.map((r) => r.id), restr.map((r) => r.cost), restr.map((r) => `{${r.path}}`)]);
  }
  await storeGraphRows(c, placeId, graph, router);
  return { version: v.rows[0].version, edges, restrictions: restr.length };
}

/** Every directed edge with all the engine reads (graph_edges) and the graph's names, facts, restrictions (graph_meta). */
async function storeGraphRows(c: PoolClient, placeId: string, g: RoadGraph, router: Router): Promise<void> {
  await c.query('DELETE FROM graph_edges WHERE place_id = $1', [placeId]);
  await c.query('DELETE FROM graph_meta WHERE place_id = $1', [placeId]);
  const src = router.spatial.source;
  let vmax = 0;
  for (let e = 0; e < g.edgeCount; e++) if (router.seconds[e] > 0 && router.seconds[e] < Infinity) vmax = Math.max(vmax, g.lengthM[e] / router.seconds[e]);
  await c.query('INSERT INTO graph_meta (place_id, names, facts, restr_first, restr_edges, max_speed_ms) VALUES ($1, $2, $3, $4, $5, $6)',
    [placeId, JSON.stringify(g.names), JSON.stringify(g.facts ?? [{}]), Array.from(g.restrFirst ?? [0]), Array.from(g.restrEdges ?? []), vmax]);
  const nf = g.nodeFacts, ef = g.edgeFacts;
  for (let start = 0; start < g.edgeCount; start += CHUNK) {
    const cols: number[][] = Array.from({ length: 15 }, () => []);
    for (let e = start; e < Math.min(g.edgeCount, start + CHUNK); e++) {
      const a = src[e], b = g.target[e];
      [e, a, b, g.lengthM[e], g.nameId[e], g.roadClass[e], g.flags[e], g.maxspeed[e], ef ? ef[e] : 0, g.lon[a], g.lat[a], g.lon[b], g.lat[b], nf ? nf[a] : 0, nf ? nf[b] : 0].forEach((x, i) => cols[i].push(x));
    }
    await c.query(
      `INSERT INTO graph_edges (place_id, idx, source, target, length_m, name_id, road_class, flags, maxspeed, edge_facts, source_lon, source_lat, target_lon, target_lat, source_facts, target_facts, geom)
       SELECT $1, i, s, t, len, nm, rc, fl, ms, ef, x1, y1, x2, y2, f1, f2, ST_SetSRID(ST_MakeLine(ST_MakePoint(x1 / 1e7, y1 / 1e7), ST_MakePoint(x2 / 1e7, y2 / 1e7)), 4326)
       FROM unnest($2::int[], $3::int[], $4::int[], $5::real[], $6::int[], $7::smallint[], $8::smallint[], $9::smallint[], $10::int[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[], $16::int[])
         AS u(i, s, t, len, nm, rc, fl, ms, ef, x1, y1, x2, y2, f1, f2)`, [placeId, ...cols]);
  }
}

/** An engine for a request: the router, the network version, and how much of the network it holds. */
export interface Engine { router: Router; version: number; loadedEdges: number; networkEdges: number }

/** A graph loaded for requests: the whole network or a part (bbox) of it. */
export interface LoadedGraph {
  graph: RoadGraph; version: number; loadedEdges: number; networkEdges: number;
  /** False when it came from the cache (no PostGIS read for this request). */
  loaded: boolean;
}

const M_PER_DEG = 111_320;
/** A part covering this share of the network's box or more: the whole network is used instead. */
const PART_SHARE = 0.5;

/** The box of points grown by `reachM` metres on every side. */
export function boxAround(points: readonly (readonly [number, number])[], reachM: number): [number, number, number, number] {
  const lat = points.reduce((a, p) => Math.max(a, Math.abs(p[1])), 0);
  const dLat = reachM / M_PER_DEG, dLon = reachM / (M_PER_DEG * Math.max(0.05, Math.cos((Math.min(lat + dLat, 89) * Math.PI) / 180)));
  return [Math.min(...points.map((p) => p[0])) - dLon, Math.min(...points.map((p) => p[1])) - dLat, Math.max(...points.map((p) => p[0])) + dLon, Math.max(...points.map((p) => p[1])) + dLat];
}

/** A small least-recently-used map bounded by entries and by a size measure; onDrop hears every key that leaves. */
class Lru<T> {
  private readonly map = new Map<string, { value: T; size: number }>();
  private total = 0;
  constructor(private readonly maxEntries: number, private readonly maxSize: number, private readonly onDrop?: (key: string) => void) {}
  has(key: string): boolean { return this.map.has(key); }
  get(key: string): T | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }
  set(key: string, value: T, size = 0): T {
    this.delete(key);
    this.map.set(key, { value, size });
    this.total += size;
    while (this.map.size > 1 && (this.map.size > this.maxEntries || this.total > this.maxSize)) this.delete(this.map.keys().next().value!);
    return value;
  }
  delete(key: string): void {
    const hit = this.map.get(key);
    if (!hit) return;
    this.total -= hit.size;
    this.map.delete(key);
    this.onDrop?.(key);
  }
  /** The keys, least recently used first. */
  keys(): string[] { return [...this.map.keys()]; }
  /** Drops every key starting with `prefix` except those starting with `keep`. */
  dropPlace(prefix: string, keep: string): void {
    for (const k of [...this.map.keys()]) if (k.startsWith(prefix) && !k.startsWith(keep)) this.delete(k);
  }
  get size(): number { return this.map.size; }
  get bytes(): number { return this.total; }
}

/**
 * Graphs and routers per place + network version: the whole network (from graph.bin) or, for a request whose reach
 * stays inside a part of it, that part loaded from graph_edges (ST_Intersects with the request's area + margin).
 * A cached graph whose box holds the request's (or the whole network, which holds every box) answers without a
 * read. Bounded (config.json networkCache: entries and megabytes; least recently used dropped first); a new network
 * version of a place drops that place's older entries. `loads` counts reads of a network from PostGIS.
 */
export class EngineCache {
  private readonly graphs: Lru<LoadedGraph>;
  private readonly routers: Lru<Router>;
  private readonly versions = new Map<string, number>();
  private readonly pending = new Map<string, Promise<LoadedGraph>>();
  private readonly profiles = defaultProfiles();
  /** Networks (whole or part) read from PostGIS since the start. */
  loads = 0;
  constructor(private readonly pool: Pool, bounds: { entries: number; megabytes: number } = { entries: 16, megabytes: 512 }) {
    // A router holds its graph: routers live only as long as their graph's entry (dropped with it, so evicted
    // graphs are not kept alive by routers and the byte bound holds).
    this.routers = new Lru(2 * bounds.entries, Infinity);
    this.graphs = new Lru(bounds.entries, bounds.megabytes * 2 ** 20, (key) => { this.routers.delete(`${key}|true`); this.routers.delete(`${key}|false`); });
  }

  /** Entries held (graphs, routers) and the graphs' bytes. */
  get held(): { graphs: number; routers: number; bytes: number } {
    return { graphs: this.graphs.size, routers: this.routers.size, bytes: this.graphs.bytes };
  }

  private makeRouter(graph: RoadGraph, turns: boolean): Router {
    return new Router(graph, profileWithTurns(this.profiles.profile, turns), false, { roadRules: this.profiles.rules });
  }

  /** The place's current network: version, edge count, box, fastest speed (m/s). A new version drops the old entries. */
  async current(placeId: string): Promise<{ version: number; edges: number; bbox: number[]; vmax: number }> {
    const r = await this.pool.query<{ version: number; edge_count: number; bbox: number[]; vmax: number }>(
      `SELECT n.version, n.edge_count, ARRAY[ST_XMin(n.bbox), ST_YMin(n.bbox), ST_XMax(n.bbox), ST_YMax(n.bbox)] AS bbox, m.max_speed_ms AS vmax
       FROM networks n JOIN graph_meta m ON m.place_id = n.place_id WHERE n.place_id = $1`, [placeId]);
    if (!r.rows[0]) throw plannerError('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    const version = r.rows[0].version;
    if (this.versions.get(placeId) !== version) {
      this.versions.set(placeId, version);
      this.graphs.dropPlace(`${placeId}|`, `${placeId}|${version}|`);
      this.routers.dropPlace(`${placeId}|`, `${placeId}|${version}|`);
    }
    return { version, edges: r.rows[0].edge_count, bbox: r.rows[0].bbox, vmax: r.rows[0].vmax };
  }

  /**
   * The roads within `reachM` metres of the points' box (the whole network when that box covers much of it, or
   * `reachM` = Infinity), with the current version's box and fastest speed.
   */
  async graphNear(placeId: string, points: readonly (readonly [number, number])[], reachM: number): Promise<LoadedGraph & { key: string; vmax: number }> {
    const cur = await this.current(placeId);
    const box = boxAround(points, Number.isFinite(reachM) ? reachM : 0);
    const [a, b, c, d] = cur.bbox;
    // A part worth loading is much smaller than the network; otherwise the whole (cached) network answers.
    const overlap = Math.max(0, Math.min(box[2], c) - Math.max(box[0], a)) * Math.max(0, Math.min(box[3], d) - Math.max(box[1], b));
    const whole = !Number.isFinite(reachM) || overlap >= PART_SHARE * (c - a) * (d - b);
    const q = box.map((x, i) => (i < 2 ? Math.floor(x * 1e4) : Math.ceil(x * 1e4)) / 1e4);
    const key = `${placeId}|${cur.version}|${whole ? 'all' : q.join(',')}`;
    // Any cached graph of this version holding the box answers the same (the whole network holds every box).
    const prefix = `${placeId}|${cur.version}|`;
    const holds = (k: string) => {
      if (!k.startsWith(prefix)) return false;
      const rest = k.slice(prefix.length);
      if (rest === 'all') return true;
      const p = rest.split(',').map(Number);
      return !whole && p[0] <= q[0] && p[1] <= q[1] && p[2] >= q[2] && p[3] >= q[3];
    };
    const found = this.graphs.get(key) ? key : this.graphs.keys().reverse().find(holds);
    const hit = found && this.graphs.get(found);
    if (found && hit) return { ...hit, loaded: false, key: found, vmax: cur.vmax };
    // A read under way that will hold the box (requests arriving together read once).
    const under = this.pending.has(key) ? key : [...this.pending.keys()].find(holds);
    if (under) return { ...(await this.pending.get(under)!), loaded: false, key: under, vmax: cur.vmax };
    const read = this.read(placeId, cur, whole, q);
    this.pending.set(key, read);
    try {
      const g = await read;
      // A read begun before the place's network changed answers this request but is not kept under the old key.
      if (this.versions.get(placeId) === cur.version) this.graphs.set(key, g, g.graph.buffer.byteLength);
      return { ...g, key, vmax: cur.vmax };
    } finally {
      this.pending.delete(key);
    }
  }

  /** Reads the whole network (graph.bin) or the roads crossing box q from PostGIS. */
  private async read(placeId: string, cur: { version: number; edges: number }, whole: boolean, q: number[]): Promise<LoadedGraph> {
    this.loads++;
    if (whole) {
      const r = await this.pool.query<{ graph: Buffer; version: number }>('SELECT graph, version FROM networks WHERE place_id = $1', [placeId]);
      return { graph: decodeUpload(r.rows[0].graph), version: r.rows[0].version, loadedEdges: cur.edges, networkEdges: cur.edges, loaded: true };
    }
    const [rows, meta] = await Promise.all([
      this.pool.query<EdgeRow>(`SELECT idx, source, target, length_m, name_id, road_class, flags, maxspeed, edge_facts, source_lon, source_lat, target_lon, target_lat, source_facts, target_facts
        FROM graph_edges WHERE place_id = $1 AND ST_Intersects(geom, ST_MakeEnvelope($2, $3, $4, $5, 4326))`, [placeId, ...q]),
      this.pool.query<GraphMeta>('SELECT names, facts, restr_first, restr_edges FROM graph_meta WHERE place_id = $1', [placeId]),
    ]);
    return { graph: subgraph(rows.rows, meta.rows[0]), version: cur.version, loadedEdges: rows.rows.length, networkEdges: cur.edges, loaded: true };
  }

  /** A router (turns on or off) over graphNear's graph. */
  async near(placeId: string, turns: boolean, points: readonly (readonly [number, number])[], reachM: number): Promise<Engine & { vmax: number; loaded: boolean }> {
    const g = await this.graphNear(placeId, points, reachM);
    const rkey = `${g.key}|${turns}`;
    // Cached only beside its graph (a graph not kept, e.g. of a replaced version, gets a router for this request).
    const router = this.routers.get(rkey) ?? (this.graphs.has(g.key) ? this.routers.set(rkey, this.makeRouter(g.graph, turns)) : this.makeRouter(g.graph, turns));
    return { router, version: g.version, loadedEdges: g.loadedEdges, networkEdges: g.networkEdges, vmax: g.vmax, loaded: g.loaded };
  }
}
