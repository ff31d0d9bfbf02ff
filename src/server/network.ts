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
  return { version: v.rows[0].version, edges, restrictions: restr.length };
}

/** Routers per place + network version + turns (the newest version only; older ones are dropped). */
export class EngineCache {
  private readonly routers = new Map<string, { version: number; router: Router }>();
  private readonly profiles = defaultProfiles();
  constructor(private readonly pool: Pool) {}

  /** The engine of the place's current network; throws no-network when the place has none. */
  async router(placeId: string, turns: boolean): Promise<{ router: Router; version: number }> {
    const cur = await this.pool.query<{ version: number }>('SELECT version FROM networks WHERE place_id = $1', [placeId]);
    const version = cur.rows[0]?.version;
    if (version === undefined) throw plannerError('no-network', '该地点在服务器上还没有路网', 'this place has no road network on the server yet');
    const key = `${placeId}\u0000${turns}`;
    const hit = this.routers.get(key);
    if (hit && hit.version === version) return hit;
    const r = await this.pool.query<{ graph: Buffer; version: number }>('SELECT graph, version FROM networks WHERE place_id = $1', [placeId]);
    const router = new Router(decodeUpload(r.rows[0].graph), profileWithTurns(this.profiles.profile, turns), false, { roadRules: this.profiles.rules });
    const entry = { version: r.rows[0].version, router };
    this.routers.set(key, entry);
    return entry;
  }
}
