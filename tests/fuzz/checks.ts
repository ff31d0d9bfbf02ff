/**
 * What "invalid" means per importer, checked independently of the importers (no code shared with them). Each check
 * returns the first problem found as a short, stable category (used to group findings), or null when valid.
 */
import type { OsmData } from '../../src/core/osm/types';
import type { RoadGraph } from '../../src/core/graph';
import type { Scenario } from '../../src/core/scenario/types';

const inRange = (lon: unknown, lat: unknown) =>
  typeof lon === 'number' && typeof lat === 'number' && Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
const isId = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);

/** Read OSM data: ids are integers, node positions WGS84 degrees in range, references integers, tags text. */
export function osmDataProblem(d: OsmData): string | null {
  for (const n of d.nodes.values()) {
    if (!isId(n.id)) return 'node id not an integer';
    if (typeof n.lon !== 'number' || typeof n.lat !== 'number' || !Number.isFinite(n.lon) || !Number.isFinite(n.lat)) return 'node position not finite';
    if (!inRange(n.lon, n.lat)) return 'node position out of lon/lat range';
    for (const [k, v] of Object.entries(n.tags ?? {})) if (typeof k !== 'string' || typeof v !== 'string') return 'node tag not text';
  }
  for (const w of d.ways) {
    if (!isId(w.id)) return 'way id not an integer';
    if (!Array.isArray(w.nodes) || w.nodes.some((r) => !isId(r))) return 'way node reference not an integer (NaN)';
    for (const v of Object.values(w.tags)) if (typeof v !== 'string') return 'way tag not text';
  }
  for (const r of d.relations) {
    if (!isId(r.id)) return 'relation id not an integer';
    if (r.members.some((m) => !isId(m.ref))) return 'relation member reference not an integer (NaN)';
    for (const v of Object.values(r.tags)) if (typeof v !== 'string') return 'relation tag not text';
  }
  return null;
}

/** A built road graph: coordinates in range (1e-7 degrees), CSR consistent, lengths finite and not negative. */
export function graphProblem(g: RoadGraph): string | null {
  for (let i = 0; i < g.nodeCount; i++) if (!inRange(g.lon[i] / 1e7, g.lat[i] / 1e7)) return 'graph node out of lon/lat range';
  if (g.firstEdge[0] !== 0 || g.firstEdge[g.nodeCount] !== g.edgeCount) return 'graph CSR inconsistent';
  for (let i = 0; i < g.nodeCount; i++) if (g.firstEdge[i] > g.firstEdge[i + 1]) return 'graph CSR inconsistent';
  for (let e = 0; e < g.edgeCount; e++) {
    if (g.target[e] >= g.nodeCount) return 'graph edge target out of range';
    if (!Number.isFinite(g.lengthM[e]) || g.lengthM[e] < 0) return 'graph edge length not finite';
  }
  // No edge longer than its endpoints allow (a wrapped Int32 coordinate would break this).
  return null;
}

type Pos = number[];
const segCross = (a: Pos, b: Pos, c: Pos, d: Pos): boolean => {
  const o = (p: Pos, q: Pos, r: Pos) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  return o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0;
};
/** A ring crosses itself (proper crossings of non-adjacent edges; checked on rings up to 200 positions). */
function selfCrossing(ring: Pos[]): boolean {
  const n = ring.length - 1;
  if (n > 200) return false;
  for (let i = 0; i < n; i++)
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segCross(ring[i], ring[i + 1], ring[j], ring[j + 1])) return true;
    }
  return false;
}

const WGS84_NAMES = /^(urn:ogc:def:crs:ogc:(1\.3:)?crs84|urn:ogc:def:crs:epsg::?4326|epsg:4326|crs84|wgs ?84)$/i;

/**
 * A district file (GeoJSON) as the planner needs it: WGS84 (no other declared crs), at least one polygon, every
 * polygon ring ≥ 4 finite in-range positions, closed, not crossing itself; and (when the place's bbox is given)
 * overlapping the place — a file wholly elsewhere is most likely swapped or projected.
 */
export function districtFileProblem(doc: unknown, placeBbox?: [number, number, number, number]): string | null {
  const o = doc as { type?: unknown; crs?: { properties?: { name?: unknown } } | null; features?: unknown };
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'not a GeoJSON object';
  if (o.crs !== undefined && o.crs !== null && !WGS84_NAMES.test(String(o.crs?.properties?.name ?? ''))) return 'declared crs not WGS84';
  const feats = o.type === 'FeatureCollection' ? o.features : o.type === 'Feature' ? [o] : [{ geometry: o }];
  if (!Array.isArray(feats)) return 'no features array';
  let polygons = 0;
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of feats) {
    const g = (f as { geometry?: { type?: unknown; coordinates?: unknown } } | null)?.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown;
    if (!Array.isArray(polys) || polys.length === 0) return 'polygon without coordinates';
    for (const rings of polys) {
      if (!Array.isArray(rings) || rings.length === 0) return 'polygon without rings';
      for (const ring of rings) {
        if (!Array.isArray(ring) || ring.length < 4) return 'ring with fewer than 4 positions';
        for (const p of ring) {
          if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') return 'malformed position';
          if (!inRange(p[0], p[1])) return 'position out of lon/lat range';
          box[0] = Math.min(box[0], p[0]); box[1] = Math.min(box[1], p[1]); box[2] = Math.max(box[2], p[0]); box[3] = Math.max(box[3], p[1]);
        }
        const a = ring[0] as Pos, z = ring[ring.length - 1] as Pos;
        if (a[0] !== z[0] || a[1] !== z[1]) return 'ring not closed';
        if (selfCrossing(ring as Pos[])) return 'self-intersecting ring';
      }
      polygons++;
    }
  }
  if (!polygons) return 'no polygon';
  if (placeBbox && (box[0] > placeBbox[2] || box[2] < placeBbox[0] || box[1] > placeBbox[3] || box[3] < placeBbox[1])) return 'polygons outside the place (swapped axes?)';
  return null;
}

const CLASSES = ['一级', '二级', '小型', '乡镇一级', '乡镇二级', '特勤'];
/** An imported scenario: text fields text, ids unique and non-empty, stations in range with known class/status/position. */
export function scenarioProblem(s: Scenario): string | null {
  for (const k of ['id', 'name', 'placeId', 'createdAt', 'updatedAt'] as const) if (typeof s[k] !== 'string') return `scenario ${k} not text`;
  if (!s.id) return 'scenario id empty';
  if (!Array.isArray(s.removedIds) || s.removedIds.some((x) => typeof x !== 'string')) return 'removedIds not text';
  const st = s.settings;
  if (!st || typeof st.standardId !== 'string' || typeof st.peak !== 'boolean' || typeof st.districtsMode !== 'string') return 'settings malformed';
  const ids = new Set<string>();
  for (const x of s.stations) {
    if (typeof x.id !== 'string' || !x.id) return 'station id empty or not text';
    if (ids.has(x.id)) return 'duplicate station id';
    ids.add(x.id);
    if (typeof x.name !== 'string') return 'station name not text';
    if (!inRange(x.lon, x.lat)) return 'station position out of range / not finite';
    if (!CLASSES.includes(x.stationClass)) return 'unknown station class';
    if (!['existing', 'planned', 'proposed'].includes(x.status)) return 'unknown status';
    if (!['surveyed', 'from-data', 'approximate', 'user'].includes(x.position)) return 'unknown position quality';
    if (x.phase !== undefined && !(Number.isInteger(x.phase) && x.phase >= 1900 && x.phase <= 2200)) return 'phase not a year';
  }
  return null;
}

/** A scenario document that declares a non-WGS84 crs (top-level or in its planner member) must be refused. */
export function scenarioDocProblem(doc: unknown): string | null {
  const o = doc as { crs?: { properties?: { name?: unknown } }; planner?: { crs?: unknown } } | null;
  if (!o || typeof o !== 'object') return null;
  const names = [o.crs?.properties?.name, o.planner?.crs].filter((x) => x !== undefined);
  return names.some((n) => typeof n !== 'string' || !/(CRS84|EPSG:{1,2}4326)$/i.test(n)) ? 'declared crs not WGS84' : null;
}
