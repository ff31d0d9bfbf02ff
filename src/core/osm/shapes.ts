/**
 * Geometry of OSM elements shared by the extractors: way coordinates (rounded to 6 decimals, ~0.1 m), rings joined
 * from way pieces, closed-way and multipolygon-relation polygons.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { NodeStore } from './nodeStore';
import type { OsmData, OsmRelation, OsmWay } from './types';
export const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

export const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;

/**
 * Writes a node's lon and lat into `out` and returns true, or false when the node is missing. A NodeStore (PBF) is
 * read by position: no node object is made per way reference.
 */
function position(osm: OsmData, ref: number, out: Float64Array): boolean {
  const nodes = osm.nodes;
  if (nodes instanceof NodeStore) {
    const k = nodes.indexOf(ref);
    if (k < 0) return false;
    out[0] = nodes.lons[k]; out[1] = nodes.lats[k];
    return true;
  }
  const n = nodes.get(ref);
  if (!n) return false;
  out[0] = n.lon; out[1] = n.lat;
  return true;
}

/** Bbox [w, s, e, n] of an extract's nodes, [0, 0, 0, 0] when it has none. A NodeStore is read in its arrays (no node objects). */
export function nodesBbox(osm: OsmData): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const nodes = osm.nodes;
  if (nodes instanceof NodeStore) {
    const { lons, lats } = nodes;
    for (let k = 0; k < nodes.size; k++) {
      const lon = lons[k], lat = lats[k];
      if (lon < w) w = lon;
      if (lon > e) e = lon;
      if (lat < s) s = lat;
      if (lat > n) n = lat;
    }
  } else {
    for (const p of nodes.values()) {
      if (p.lon < w) w = p.lon;
      if (p.lon > e) e = p.lon;
      if (p.lat < s) s = p.lat;
      if (p.lat > n) n = p.lat;
    }
  }
  return w <= e ? [w, s, e, n] : [0, 0, 0, 0];
}

/** Coordinates of a way's nodes; missing nodes (clipped extract) are skipped. */
export function wayCoords(osm: OsmData, w: OsmWay): Position[] {
  const out: Position[] = [];
  const one = new Float64Array(2);
  for (const ref of w.nodes) {
    if (position(osm, ref, one)) out.push([round6(one[0]), round6(one[1])]);
  }
  return out;
}

/** Runs of consecutive present nodes (a way cut at the extract border becomes several lines). */
export function wayRuns(osm: OsmData, w: OsmWay): Position[][] {
  const runs: Position[][] = [];
  let cur: Position[] = [];
  const one = new Float64Array(2);
  for (const ref of w.nodes) {
    if (!position(osm, ref, one)) {
      if (cur.length > 1) runs.push(cur);
      cur = [];
      continue;
    }
    const x = round6(one[0]), y = round6(one[1]);
    const last = cur.length ? cur[cur.length - 1] : null;
    if (!last || last[0] !== x || last[1] !== y) cur.push([x, y]);
  }
  if (cur.length > 1) runs.push(cur);
  return runs;
}

/** The elements in id order: sorted (stably) only when they are not already, as a PBF's are; `list` is sorted in place. */
export function inIdOrder<T extends { id: number }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) if (list[i - 1].id > list[i].id) return list.sort(byId);
  return list;
}

/**
 * Positions of nodes shared between the lines of one layer: a node on several ways (a junction, the joint of two
 * pieces of one road) gets one [lon, lat] array, not one per way. Each extractor call owns its instance; the arrays
 * are read-only for everyone (GeoJSON consumers copy, never modify, coordinates).
 */
export class SharedPositions {
  /** NodeStore position → its position array (a hole: not made yet; one array of the store's length, no look-up table). */
  readonly made: (Position | undefined)[];
  private readonly byId = new Map<number, Position>();
  /** The NodeStore's arrays (PBF), read by position; null for a Map of nodes. */
  readonly store: NodeStore | null;
  readonly ids: Float64Array;
  readonly lons: Float64Array;
  readonly lats: Float64Array;
  readonly size: number;
  /** The last id found in the NodeStore and its position: the next id of a way is often the next one there too. */
  prevId = NaN;
  prevPos = -1;
  constructor(private readonly osm: OsmData) {
    const s = osm.nodes instanceof NodeStore ? osm.nodes : null;
    this.store = s;
    this.size = s ? s.size : 0;
    this.made = new Array<Position | undefined>(this.size);
    this.ids = s ? s.ids : new Float64Array(0);
    this.lons = s ? s.lons : this.ids;
    this.lats = s ? s.lats : this.ids;
  }

  /** The node's rounded position, or null when the node is missing. */
  get(ref: number): Position | null {
    if (this.store) {
      // a PBF stores nodes in id order and a way's ids often follow each other: the position is then found by
      // difference from the last one, without a look-up (as buildGraph's numberNodes)
      let k = this.prevPos + (ref - this.prevId);
      if (!(k >= 0 && k < this.size && this.ids[k] === ref)) {
        k = this.store.indexOf(ref);
        if (k < 0) return null;
      }
      this.prevId = ref; this.prevPos = k;
      return (this.made[k] ??= [round6(this.lons[k]), round6(this.lats[k])]);
    }
    let p = this.byId.get(ref);
    if (!p) {
      const n = this.osm.nodes.get(ref);
      if (!n) return null;
      p = [round6(n.lon), round6(n.lat)];
      this.byId.set(ref, p);
    }
    return p;
  }
}

/**
 * wayRuns with positions from a SharedPositions (same coordinates, the same runs), appended to `out`; returns how
 * many were added. Each run is written straight into its own array, made for the rest of the way and cut to length
 * at its end (no scratch list copied per run, no array grown by push). On a NodeStore the loop reads its arrays
 * directly (SharedPositions.get written out: this is the road layer's hot loop).
 */
export function sharedWayRuns(at: SharedPositions, w: OsmWay, out: Position[][]): number {
  const refs = w.nodes, store = at.store;
  const before = out.length;
  let run = new Array<Position>(refs.length), m = 0;
  if (store) {
    const { ids, lons, lats, size, made } = at;
    let prevId = at.prevId, prevPos = at.prevPos, lastK = -1, lastX = 0, lastY = 0;
    for (let r = 0; r < refs.length; r++) {
      const ref = refs[r];
      let k = prevPos + (ref - prevId);
      if (!(k >= 0 && k < size && ids[k] === ref)) k = store.indexOf(ref);
      if (k < 0) {
        if (m > 1) { run.length = m; out.push(run); run = new Array<Position>(refs.length - r - 1); }
        m = 0;
        continue;
      }
      prevId = ref; prevPos = k;
      if (m > 0 && k === lastK) continue;
      // round6's integers, compared (equal integers ⇔ equal round6 values): divided only for a node's first array
      const x = Math.round(lons[k] * 1e6), y = Math.round(lats[k] * 1e6);
      if (m > 0 && x === lastX && y === lastY) continue; // the same rounded position as the run's last: left out
      lastK = k; lastX = x; lastY = y;
      run[m++] = made[k] ??= [x / 1e6, y / 1e6];
    }
    at.prevId = prevId; at.prevPos = prevPos;
  } else {
    for (let r = 0; r < refs.length; r++) {
      const p = at.get(refs[r]);
      if (!p) {
        if (m > 1) { run.length = m; out.push(run); run = new Array<Position>(refs.length - r - 1); }
        m = 0;
        continue;
      }
      const l = m > 0 ? run[m - 1] : null;
      if (l && (l === p || (l[0] === p[0] && l[1] === p[1]))) continue;
      run[m++] = p;
    }
  }
  if (m > 1) { run.length = m; out.push(run); }
  return out.length - before;
}

const ringArea = (r: Position[]) => {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return a / 2; // > 0 counter-clockwise
};

function pointInRing(p: Position, r: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area-weighted centroid of a ring (vertex mean for degenerate rings). */
export function ringCentroid(r: Position[]): Position {
  let a = 0, cx = 0, cy = 0;
  const [ox, oy] = r[0];
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const x0 = r[j][0] - ox, y0 = r[j][1] - oy, x1 = r[i][0] - ox, y1 = r[i][1] - oy;
    const f = x0 * y1 - x1 * y0;
    a += f; cx += (x0 + x1) * f; cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-14) {
    const n = r.length;
    return [round6(r.reduce((s, p) => s + p[0], 0) / n), round6(r.reduce((s, p) => s + p[1], 0) / n)];
  }
  return [round6(ox + cx / (3 * a)), round6(oy + cy / (3 * a))];
}

/**
 * Joins way node lists end to end into closed rings. Returns the rings (as node-id lists, first = last)
 * and how many pieces could not be closed.
 */
export function assembleRings(pieces: number[][]): { rings: number[][]; open: number } {
  const left = pieces.filter((p) => p.length > 1).map((p) => p.slice());
  const rings: number[][] = [];
  let open = 0;
  while (left.length) {
    let ring = left.shift() as number[];
    let grown = true;
    while (ring[0] !== ring[ring.length - 1] && grown) {
      grown = false;
      const end = ring[ring.length - 1];
      for (let i = 0; i < left.length; i++) {
        const p = left[i];
        if (p[0] === end) ring = ring.concat(p.slice(1));
        else if (p[p.length - 1] === end) ring = ring.concat(p.slice(0, -1).reverse());
        else if (p[p.length - 1] === ring[0]) ring = p.slice(0, -1).concat(ring);
        else if (p[0] === ring[0]) ring = p.slice(1).reverse().concat(ring);
        else continue;
        left.splice(i, 1);
        grown = true;
        break;
      }
    }
    if (ring.length >= 4 && ring[0] === ring[ring.length - 1]) rings.push(ring);
    else open++;
  }
  return { rings, open };
}

function ringCoords(osm: OsmData, ids: number[]): Position[] | null {
  const out: Position[] = [];
  for (const id of ids) {
    const n = osm.nodes.get(id);
    if (!n) return null;
    out.push([round6(n.lon), round6(n.lat)]);
  }
  return out;
}

/** Outer rings counter-clockwise, holes clockwise (RFC 7946); each hole goes to the outer ring containing it. */
function buildPolygons(outers: Position[][], inners: Position[][]): Position[][][] {
  const polys = outers.map((r) => [ringArea(r) < 0 ? r.slice().reverse() : r]);
  for (const h of inners) {
    const hole = ringArea(h) > 0 ? h.slice().reverse() : h;
    const owner = polys.find((p) => pointInRing(hole[0], p[0]));
    if (owner) owner.push(hole);
  }
  return polys;
}

/**
 * Polygon geometry of a multipolygon/boundary relation from its member ways.
 * Returns null when a ring cannot be closed or a node is missing (incomplete extract).
 */
export function relationPolygon(osm: OsmData, rel: OsmRelation, waysById: Map<number, OsmWay>): Polygon | MultiPolygon | null {
  const outer: number[][] = [], inner: number[][] = [];
  for (const m of rel.members) {
    if (m.type !== 'way') continue;
    const w = waysById.get(m.ref);
    if (!w) return null;
    if (m.role === 'inner') inner.push(w.nodes);
    else if (m.role === 'outer' || m.role === '') outer.push(w.nodes);
  }
  const o = assembleRings(outer), i = assembleRings(inner);
  if (o.open > 0 || o.rings.length === 0) return null;
  const oc = o.rings.map((r) => ringCoords(osm, r));
  const ic = i.rings.map((r) => ringCoords(osm, r));
  if (oc.some((r) => !r)) return null;
  const polys = buildPolygons(oc as Position[][], ic.filter((r): r is Position[] => !!r));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

export const closedWayPolygon = (osm: OsmData, w: OsmWay): Polygon | null => {
  if (w.nodes.length < 4 || w.nodes[0] !== w.nodes[w.nodes.length - 1]) return null;
  const r = ringCoords(osm, w.nodes);
  return r ? { type: 'Polygon', coordinates: buildPolygons([r], [])[0] } : null;
};

export const waysIndex = (osm: OsmData) => new Map(osm.ways.map((w) => [w.id, w]));
