/**
 * Adapter from the routing modules (spatial index, snapping, Dijkstra) to what the compliance checks need:
 * stations snapped to the main (strongly connected) network, the road points a district-edge point is reached at,
 * road crossings of a line, labelled road points.
 */
import type { Position } from 'geojson';
import { ShortestPaths, type SourcePoint } from '../dijkstra';
import { computeComponents, mainStrongComponent, networkReach, type Components, type NetworkReach } from '../components';
import { EdgeFlag, type RoadGraph } from '../graph';
import { FAR_SNAP_M, snapPoint, type Snap } from '../snap';
import { buildSpatialIndex, toLat, toLocalX, toLocalY, toLon, type SpatialIndex } from '../spatial';
import { segmentCross } from './geom';
import type { LabelledPoints } from './districts';

export interface NetworkInput {
  graph: RoadGraph;
  /** Travel seconds per directed edge (profile.edgeSeconds); Infinity = unusable. */
  seconds: Float32Array;
  profileName?: string;
  /** Optional prebuilt helpers (the worker keeps them per graph). */
  spatial?: SpatialIndex;
  paths?: ShortestPaths;
  components?: Components;
  /** Nodes of the largest strongly connected network under `seconds` (Router.mainNetwork); computed when absent. */
  main?: Uint8Array;
}

export interface Net {
  graph: RoadGraph;
  seconds: Float32Array;
  spatial: SpatialIndex;
  paths: ShortestPaths;
  comps: Components;
  /** Per node: 1 on the largest strongly connected network (a fire engine can both reach and leave it). */
  main: Uint8Array;
  /** Which nodes can drive to / be reached from `main` (networkReach); built on first use by snapTo. */
  reach?: NetworkReach;
  profileName: string;
  /** Per indexed segment: usable for edge points and crossings — on the surface (no tunnel) in some direction; built on first use. */
  edgeOk?: Uint8Array;
  /** Candidate segments per 100 m cell for edge points (see snapEdgePoint); filled on first use. */
  edgeCells?: CellTable;
  /** Wider candidate lists (the whole search distance) for cells where the near ones do not settle an edge point. */
  edgeFar?: { reachM: number; cells: CellTable };
}

export function prepareNetwork(n: NetworkInput): Net {
  const spatial = n.spatial ?? buildSpatialIndex(n.graph);
  return {
    graph: n.graph,
    seconds: n.seconds,
    spatial,
    paths: n.paths && n.paths.seconds === n.seconds ? n.paths : new ShortestPaths(n.graph, n.seconds),
    comps: n.components ?? computeComponents(n.graph),
    main: n.main && n.main.length === n.graph.nodeCount ? n.main : mainStrongComponent(n.graph, n.seconds, spatial.source),
    profileName: n.profileName ?? '',
  };
}

/** Segments an edge point may use: usable on the surface (no tunnel) in some direction (kept on the network). */
function edgeUsable(net: Net): Uint8Array {
  if (net.edgeOk) return net.edgeOk;
  const { segEdge, twin } = net.spatial, sec = net.seconds, flags = net.graph.flags;
  const usable = (e: number) => e >= 0 && sec[e] < Infinity && !(flags[e] & EdgeFlag.Tunnel);
  const ok = new Uint8Array(segEdge.length);
  for (let i = 0; i < segEdge.length; i++) ok[i] = usable(segEdge[i]) || usable(twin[segEdge[i]]) ? 1 : 0;
  return (net.edgeOk = ok);
}

/** Scratch arrays of snapEdgePoint (grown on demand; the module is single-threaded). */
const S = { d: new Float64Array(512), h: new Int32Array(512), t: new Float64Array(512), m: new Uint8Array(512), side: new Int8Array(512), order: new Int32Array(512) };
function growScratch(): void {
  const k = S.d.length * 2;
  const grow = <T extends Float64Array | Int32Array | Uint8Array | Int8Array>(a: T, b: T): T => { b.set(a); return b; };
  S.d = grow(S.d, new Float64Array(k)); S.h = grow(S.h, new Int32Array(k)); S.t = grow(S.t, new Float64Array(k));
  S.m = grow(S.m, new Uint8Array(k)); S.side = grow(S.side, new Int8Array(k));
}

/**
 * The road points a district-edge point can be reached at: surface roads (no tunnels) within `searchM` on the
 * district's own side — within `sideM` of the edge point (a hose lay), or else inside the district (`inside`), so a
 * point on a river is not served from the far bank. Returned: the nearest such road, every other one within
 * `parallelM` of it (a dual carriageway's other half, the street beside a tunnel ramp), and the nearest one on the
 * main (strongly connected) network, so a one-way pocket never hides a main road within the search distance. The
 * engine uses whichever it reaches first. Empty when no road qualifies (no road access).
 * `shared` memoises answers that did not depend on `inside` (they are the same for every district).
 */
export function snapEdgePoint(net: Net, lon: number, lat: number, o: SnapEdgeOptions, inside: (lon: number, lat: number) => boolean, shared?: Map<number | string, Snap[]>): Snap[] {
  const key = memoKey(net, lon, lat);
  const memo = shared?.get(key);
  if (memo) return memo;
  if (!findEdgeRoads(net, lon, lat, o, inside)) return [];
  const { segEdge, source, twin } = net.spatial, g = net.graph;
  const out = Q.got.map((k): Snap => {
    const e = segEdge[S.h[k]];
    const [slon, slat] = lonLatOf(k);
    return { edge: e, reverse: twin[e], u: source[e], v: g.target[e], t: S.t[k], lon: slon, lat: slat, distanceM: S.d[k], far: S.d[k] > FAR_SNAP_M, isolated: S.m[k] === 0, nameId: g.nameId[e], moved: false, movedM: 0 };
  });
  const used = Q.usedInside;
  Q.net = null; Q.inside = null;
  if (shared && !used) shared.set(key, out);
  return out;
}

/** Memo key of an edge point: the point to the centimetre in the local frame (a number while within ±670 km of its centre). */
function memoKey(net: Net, lon: number, lat: number): number | string {
  const cx = Math.round(toLocalX(net.spatial.frame, lon) * 100), cy = Math.round(toLocalY(net.spatial.frame, lat) * 100);
  return Math.abs(cx) < 2 ** 26 && Math.abs(cy) < 2 ** 26 ? (cx + 2 ** 26) * 2 ** 27 + (cy + 2 ** 26) : `${lon},${lat}`;
}

/** The road points of snapEdgePoint into Q.got (scratch indices); false when the network has no index. */
function findEdgeRoads(net: Net, lon: number, lat: number, o: SnapEdgeOptions, inside: (lon: number, lat: number) => boolean): boolean {
  if (!net.spatial.index) return false;
  Q.net = net;
  Q.px = toLocalX(net.spatial.frame, lon); Q.py = toLocalY(net.spatial.frame, lat);
  Q.o = o; Q.inside = inside; Q.usedInside = false;
  // Common case from the point's cell list (nearest roads within sideM); else growing circles: a small one first,
  // then just as big as the nearest road and its parallels need.
  const fast = fromCell();
  if (fast >= 0 && pick(fast)) return true;
  // (Nothing in the cell list: no road within Q.g of the point, so the circles start there.)
  // (The answer is the same for any circle that holds it: start no smaller than the nearest roads found need.)
  for (let r = Math.min(o.searchM, Math.max(60, Q.n === 0 ? Q.g : 0, Q.need)); ; ) {
    Q.usedInside = false;
    gather(r);
    const complete = pick(r);
    if (complete || r >= o.searchM) return true;
    const got = Q.got;
    const need = got.length && got.some((k) => S.m[k]) ? S.d[got[0]] + o.parallelM : o.searchM;
    r = Math.min(o.searchM, Math.max(need, r * 1.5));
  }
}

/** SnapStore references: first index × REF + count (0 = no road point). */
export const REF = 4096;

/**
 * Edge-point road points kept in typed columns (no object per road point), filled by snapEdgeRef; `memo` holds
 * the references of answers that did not depend on the district (as snapEdgePoint's `shared`).
 */
export class SnapStore {
  size = 0;
  edge = new Int32Array(1024);
  reverse = new Int32Array(1024);
  u = new Int32Array(1024);
  v = new Int32Array(1024);
  t = new Float64Array(1024);
  lon = new Float64Array(1024);
  lat = new Float64Array(1024);
  /** Seconds from the tail u along the edge to the point, and from the head v back along the reverse (Infinity: no way). */
  fw = new Float64Array(1024);
  bw = new Float64Array(1024);
  readonly memo = new PointMemo();

  clear(): void {
    this.size = 0;
    this.memo.clear();
  }

  push(e: number, rev: number, u: number, v: number, t: number, lon: number, lat: number, fw: number, bw: number): void {
    if (this.size === this.edge.length) {
      const k = this.size * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => { b.set(a); return b; };
      this.edge = grow(this.edge, new Int32Array(k)); this.reverse = grow(this.reverse, new Int32Array(k));
      this.u = grow(this.u, new Int32Array(k)); this.v = grow(this.v, new Int32Array(k)); this.t = grow(this.t, new Float64Array(k));
      this.lon = grow(this.lon, new Float64Array(k)); this.lat = grow(this.lat, new Float64Array(k));
      this.fw = grow(this.fw, new Float64Array(k)); this.bw = grow(this.bw, new Float64Array(k));
    }
    const i = this.size++;
    this.edge[i] = e; this.reverse[i] = rev; this.u[i] = u; this.v[i] = v; this.t[i] = t; this.lon[i] = lon; this.lat[i] = lat;
    this.fw[i] = fw; this.bw[i] = bw;
  }
}

/** Store references by edge point (its centimetre in the network's local frame): an open-addressing hash table. */
class PointMemo {
  size = 0;
  private kx = new Int32Array(1024);
  private ky = new Int32Array(1024);
  private val = new Float64Array(1024).fill(-1);

  /** The reference kept for the point, or -1. */
  get(x: number, y: number): number {
    const mask = this.val.length - 1;
    for (let i = this.slot(x, y); ; i = (i + 1) & mask) {
      if (this.val[i] < 0) return -1;
      if (this.kx[i] === x && this.ky[i] === y) return this.val[i];
    }
  }

  set(x: number, y: number, ref: number): void {
    if (2 * (this.size + 1) > this.val.length) this.grow();
    const mask = this.val.length - 1;
    let i = this.slot(x, y);
    while (this.val[i] >= 0 && !(this.kx[i] === x && this.ky[i] === y)) i = (i + 1) & mask;
    if (this.val[i] < 0) this.size++;
    this.kx[i] = x; this.ky[i] = y; this.val[i] = ref;
  }

  clear(): void {
    this.val.fill(-1);
    this.size = 0;
  }

  private slot(x: number, y: number): number {
    return (Math.imul(x, 0x9e3779b1) ^ Math.imul(y, 0x85ebca77)) & (this.val.length - 1);
  }

  private grow(): void {
    const { kx, ky, val } = this;
    this.kx = new Int32Array(kx.length * 2); this.ky = new Int32Array(kx.length * 2); this.val = new Float64Array(kx.length * 2).fill(-1);
    this.size = 0;
    for (let i = 0; i < val.length; i++) if (val[i] >= 0) this.set(kx[i], ky[i], val[i]);
  }
}

/** snapEdgePoint into a SnapStore: the same road points (in the same order), as a store reference (see SnapStore). */
export function snapEdgeRef(net: Net, lon: number, lat: number, o: SnapEdgeOptions, inside: (lon: number, lat: number) => boolean, store: SnapStore): number {
  const kx = Math.round(toLocalX(net.spatial.frame, lon) * 100), ky = Math.round(toLocalY(net.spatial.frame, lat) * 100);
  const memo = store.memo.get(kx, ky);
  if (memo >= 0) return memo;
  if (!findEdgeRoads(net, lon, lat, o, inside)) return 0;
  const { segEdge, source, twin, x, y, frame } = net.spatial, g = net.graph;
  const got = Q.got, first = store.size;
  const count = got.length;
  if (count >= REF) throw new Error(`${count} road points for one edge point (at most ${REF - 1})`); // cannot happen: they lie within parallelM of the nearest
  for (let i = 0; i < count; i++) {
    const k = got[i], e = segEdge[S.h[k]], a = source[e], b = g.target[e], t = S.t[k];
    const r = twin[e], sec = net.seconds;
    store.push(e, r, a, b, t, toLon(frame, x[a] + t * (x[b] - x[a])), toLat(frame, y[a] + t * (y[b] - y[a])), t === 0 ? 0 : t * sec[e], t === 1 ? 0 : r >= 0 ? (1 - t) * sec[r] : Infinity);
  }
  const ref = first * REF + count;
  const used = Q.usedInside;
  Q.net = null; Q.inside = null;
  if (!used) store.memo.set(kx, ky, ref);
  return ref;
}

export interface SnapEdgeOptions {
  searchM: number;
  sideM: number;
  parallelM: number;
}

/** State of the current snapEdgePoint query (module level, so the hot loop creates no closures). */
const Q = {
  net: null as Net | null, px: 0, py: 0, n: 0, o: { searchM: 0, sideM: 0, parallelM: 0 } as SnapEdgeOptions,
  inside: null as ((lon: number, lat: number) => boolean) | null, usedInside: false, got: [] as number[], g: 0, need: 0,
  /** Scratch indices of the nearest candidate and the nearest main-network one (-1: none). */
  c0: -1, m0: -1,
};

/** Cell size (m) of the per-network candidate lists, and their radius beyond the cell's half-diagonal. */
const CELL_M = 100, CELL_REACH_M = 100;

/**
 * Usable segments near a cell of the local frame, by increasing distance from the cell centre (built on first use,
 * kept on the network: a static table like the spatial index).
 */
function cellList(net: Net, i: number, j: number, cells = net.edgeCells ?? (net.edgeCells = new CellTable(net)), reachM = CELL_REACH_M): CellList {
  let l = cells.get(i, j);
  if (l) return l;
  const { index, x, y, source, segEdge } = net.spatial, g = net.graph, ok = edgeUsable(net);
  const cx = (i + 0.5) * CELL_M, cy = (j + 0.5) * CELL_M, R = CELL_M * Math.SQRT1_2 + reachM;
  const hs: number[] = [], ds: number[] = [];
  for (const h of index!.search(cx - R, cy - R, cx + R, cy + R)) {
    if (!ok[h]) continue;
    const e = segEdge[h], a = source[e], b = g.target[e];
    const ex = x[b] - x[a], ey = y[b] - y[a], l2 = ex * ex + ey * ey;
    let t = l2 > 0 ? ((cx - x[a]) * ex + (cy - y[a]) * ey) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const d = Math.sqrt((x[a] + t * ex - cx) ** 2 + (y[a] + t * ey - cy) ** 2);
    if (d <= R) { hs.push(h); ds.push(d); }
  }
  const order = hs.map((_, k) => k).sort((p, q) => ds[p] - ds[q]);
  l = { h: Int32Array.from(order, (k) => hs[k]), d: Float32Array.from(order, (k) => ds[k]) };
  cells.set(i, j, l);
  return l;
}

interface CellList { h: Int32Array; d: Float32Array }

/** Candidate lists by cell: a dense table over the network's extent (plus 1 km), a map beyond it. */
class CellTable {
  private readonly i0: number;
  private readonly j0: number;
  private readonly ni: number;
  private readonly nj: number;
  private readonly dense: (CellList | undefined)[];
  private readonly far = new Map<number, CellList>();

  constructor(net: Net) {
    const ix = net.spatial.index, m = 1000;
    this.i0 = ix ? Math.floor((ix.minX - m) / CELL_M) : 0;
    this.j0 = ix ? Math.floor((ix.minY - m) / CELL_M) : 0;
    const ni = ix ? Math.floor((ix.maxX + m) / CELL_M) - this.i0 + 1 : 0, nj = ix ? Math.floor((ix.maxY + m) / CELL_M) - this.j0 + 1 : 0;
    // (A very large extract keeps its lists in the map only: at most 4 M slots.)
    [this.ni, this.nj] = ni * nj <= 4_000_000 ? [ni, nj] : [0, 0];
    this.dense = new Array(this.ni * this.nj);
  }

  private slot(i: number, j: number): number {
    const a = i - this.i0, b = j - this.j0;
    return a >= 0 && b >= 0 && a < this.ni && b < this.nj ? a + b * this.ni : -1;
  }

  get(i: number, j: number): CellList | undefined {
    const k = this.slot(i, j);
    return k >= 0 ? this.dense[k] : this.far.get((i + 2 ** 20) * 2 ** 21 + (j + 2 ** 20));
  }

  set(i: number, j: number, l: CellList): void {
    const k = this.slot(i, j);
    if (k >= 0) this.dense[k] = l;
    else this.far.set((i + 2 ** 20) * 2 ** 21 + (j + 2 ** 20), l);
  }
}

/**
 * Candidates from the point's cell list, visited nearest-first with an early stop. Returns the radius within which
 * the scratch arrays surely hold every candidate when the nearest road and the nearest main road both lie within
 * sideM (the common case), else -1 (the caller searches boxes).
 */
function fromCell(): number {
  const net = Q.net!, { x, y, source, segEdge } = net.spatial, target = net.graph.target, main = net.main, o = Q.o;
  const px = Q.px, py = Q.py, par = o.parallelM;
  const i = Math.floor(px / CELL_M), j = Math.floor(py / CELL_M);
  const l = cellList(net, i, j), lh = l.h, ld = l.d;
  const hp = Math.sqrt((px - (i + 0.5) * CELL_M) ** 2 + (py - (j + 0.5) * CELL_M) ** 2);
  const G = CELL_M * Math.SQRT1_2 + CELL_REACH_M - hp; // every segment within G of the point is in the list
  Q.g = G;
  while (S.d.length < lh.length) growScratch();
  const Sd = S.d, Sh = S.h, St = S.t, Sm = S.m, Sside = S.side;
  let n = 0, d0 = Infinity, dm = Infinity, stop = Infinity, c0 = -1, m0 = -1;
  for (let k = 0; k < lh.length; k++) {
    if (ld[k] - hp > stop) break;
    const h = lh[k], e = segEdge[h], a = source[e], b = target[e];
    const xa = x[a], ya = y[a], ex = x[b] - xa, ey = y[b] - ya, l2 = ex * ex + ey * ey;
    let t = l2 > 0 ? ((px - xa) * ex + (py - ya) * ey) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const dx = xa + t * ex - px, dy = ya + t * ey - py, d = Math.sqrt(dx * dx + dy * dy);
    const m = main[a] === 1 && main[b] === 1;
    Sd[n] = d; Sh[n] = h; St[n] = t; Sm[n] = m ? 1 : 0; Sside[n] = -1;
    if (d < d0 || (d === d0 && h < Sh[c0])) { d0 = d; c0 = n; }
    if (m && (d < dm || (d === dm && h < Sh[m0]))) { dm = d; m0 = n; }
    n++;
    stop = Math.max(d0 + par, dm);
  }
  Q.n = n; Q.c0 = c0; Q.m0 = m0;
  const need = Math.max(d0 + par, dm);
  Q.need = need < Infinity ? need : 0;
  return d0 <= o.sideM && dm <= o.sideM && need <= G && need <= o.searchM ? need : -1;
}

/**
 * Candidates within r of the point into the scratch arrays, read from the point's wide cell list (every usable
 * segment within the search distance of the cell, nearest first: no index query, and a stop past r).
 */
function gather(r: number): void {
  const net = Q.net!, { x, y, source, segEdge } = net.spatial, g = net.graph, main = net.main;
  const px = Q.px, py = Q.py;
  const reachM = Q.o.searchM + 1;
  if (!net.edgeFar || net.edgeFar.reachM !== reachM) net.edgeFar = { reachM, cells: new CellTable(net) };
  const i = Math.floor(px / CELL_M), j = Math.floor(py / CELL_M);
  const l = cellList(net, i, j, net.edgeFar.cells, reachM);
  // Every segment within r ≤ searchM of the point lies within r + hp of the cell centre, so it is in the list
  // (sorted by that distance; +0.01 m for the list's single-precision distances).
  const stop = r + Math.sqrt((px - (i + 0.5) * CELL_M) ** 2 + (py - (j + 0.5) * CELL_M) ** 2) + 0.01;
  const lh = l.h, ld = l.d;
  while (S.d.length < lh.length) growScratch();
  const Sd = S.d, Sh = S.h, St = S.t, Sm = S.m, Sside = S.side;
  let n = 0, c0 = -1, m0 = -1;
  for (let k = 0; k < lh.length && ld[k] <= stop; k++) {
    const h = lh[k];
    const e = segEdge[h], a = source[e], b = g.target[e];
    const xa = x[a], ya = y[a], ex = x[b] - xa, ey = y[b] - ya, l2 = ex * ex + ey * ey;
    let t = l2 > 0 ? ((px - xa) * ex + (py - ya) * ey) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const dx = xa + t * ex - px, dy = ya + t * ey - py, d = Math.sqrt(dx * dx + dy * dy);
    if (d > r) continue;
    const m = main[a] === 1 && main[b] === 1;
    Sd[n] = d; Sh[n] = h; St[n] = t; Sm[n] = m ? 1 : 0; Sside[n] = -1;
    if (c0 < 0 || d < Sd[c0] || (d === Sd[c0] && h < Sh[c0])) c0 = n;
    if (m && (m0 < 0 || d < Sd[m0] || (d === Sd[m0] && h < Sh[m0]))) m0 = n;
    n++;
  }
  Q.n = n; Q.c0 = c0; Q.m0 = m0;
}

function lonLatOf(k: number): [number, number] {
  const { x, y, source, segEdge, frame } = Q.net!.spatial;
  const e = segEdge[S.h[k]], u = source[e], v = Q.net!.graph.target[e], t = S.t[k];
  return [toLon(frame, x[u] + t * (x[v] - x[u])), toLat(frame, y[u] + t * (y[v] - y[u]))];
}

function sideOk(k: number): boolean {
  if (S.d[k] <= Q.o.sideM) return true;
  if (S.side[k] < 0) {
    Q.usedInside = true;
    const [lon, lat] = lonLatOf(k);
    S.side[k] = Q.inside!(lon, lat) ? 1 : 0;
  }
  return S.side[k] === 1;
}

function before(a: number, b: number): boolean {
  return S.d[a] < S.d[b] || (S.d[a] === S.d[b] && S.h[a] < S.h[b]);
}

/**
 * Nearest qualifying road, its parallels and the nearest qualifying main road into Q.got; true when the box of
 * radius r surely held them all.
 */
function pick(r: number): boolean {
  const n = Q.n, o = Q.o, c0 = Q.c0, m0 = Q.m0;
  const got = Q.got;
  got.length = 0;
  let main = false;
  if (c0 >= 0 && S.d[c0] <= o.sideM && (m0 < 0 || S.d[m0] <= o.sideM)) {
    // Common case: the nearest roads lie on the edge itself — no side test, no full sort.
    const lim = S.d[c0] + o.parallelM;
    for (let k = 0; k < n; k++)
      if (S.d[k] <= lim && sideOk(k)) {
        let j = got.length;
        got.push(k);
        while (j > 0 && before(k, got[j - 1])) { got[j] = got[j - 1]; j--; }
        got[j] = k;
        if (S.m[k]) main = true;
      }
    if (m0 >= 0 && !main) { got.push(m0); main = true; }
  } else {
    // Insertion sort: the candidates come nearly in order already (the cell lists are sorted by distance from the cell).
    if (S.order.length < n) S.order = new Int32Array(S.d.length);
    const order = S.order;
    for (let k = 0; k < n; k++) {
      let j = k;
      while (j > 0 && before(k, order[j - 1])) { order[j] = order[j - 1]; j--; }
      order[j] = k;
    }
    let first = 0;
    while (first < n && !sideOk(order[first])) first++;
    if (first === n) return r >= o.searchM;
    const d0 = S.d[order[first]];
    got.push(order[first]);
    main = S.m[order[first]] === 1;
    let j = first + 1;
    for (; j < n && S.d[order[j]] <= d0 + o.parallelM; j++)
      if (sideOk(order[j])) {
        got.push(order[j]);
        if (S.m[order[j]]) main = true;
      }
    if (!main) for (; j < n; j++) if (S.m[order[j]] && sideOk(order[j])) { got.push(order[j]); main = true; break; }
  }
  return r >= o.searchM || (got.length > 0 && S.d[got[0]] + o.parallelM <= r && main);
}

/** Per node: 1 when reachable from the main network (a station on it can get there). */
export function reachableFromMain(net: Net): Uint8Array {
  const g = net.graph, n = g.nodeCount;
  const seen = Uint8Array.from(net.main);
  const stack: number[] = [];
  for (let v = 0; v < n; v++) if (seen[v]) stack.push(v);
  while (stack.length) {
    const u = stack.pop()!;
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) {
      const v = g.target[e];
      if (!seen[v] && net.seconds[e] < Infinity) { seen[v] = 1; stack.push(v); }
    }
  }
  return seen;
}


/** The nearest usable road point, whatever network piece it is on. */
export const nearestRoad = (net: Net, lon: number, lat: number): Snap | null => snapPoint(net.graph, net.spatial, net.seconds, net.comps, lon, lat);

/**
 * A station's road point (snapPoint's 'start' role): the nearest road whenever a fire engine can drive from it to the
 * main network; otherwise the nearest road within `searchM` of it that can (Snap.moved / movedM / reason say so).
 */
export const snapTo = (net: Net, lon: number, lat: number, searchM = FAR_SNAP_M): Snap | null =>
  snapPoint(net.graph, net.spatial, net.seconds, net.comps, lon, lat, { reach: (net.reach ??= networkReach(net.graph, net.seconds, net.spatial.source, net.main)), role: 'start', maxMoveM: searchM });


export interface Crossing extends SourcePoint {
  lon: number;
  lat: number;
  /** Metres along the line where the road crosses it. */
  posM: number;
}

/**
 * Points where usable surface road segments (not tunnels) cross a line (e.g. a district boundary ring), in order along the line.
 * `cum` are the line's cumulative lengths (metres).
 */
export function roadCrossings(net: Net, line: Position[], cum: number[]): Crossing[] {
  const { index, frame, x, y, source, segEdge } = net.spatial;
  if (!index) return [];
  const g = net.graph;
  const ok = edgeUsable(net);
  const out: Crossing[] = [];
  for (let i = 1; i < line.length; i++) {
    const ax = toLocalX(frame, line[i - 1][0]), ay = toLocalY(frame, line[i - 1][1]);
    const bx = toLocalX(frame, line[i][0]), by = toLocalY(frame, line[i][1]);
    // Candidates: a road crossing the line segment passes within half its length of its midpoint, so the midpoint
    // cell's list holds it when that reach fits in the list (a short segment, the common case); else the index.
    const mx = (ax + bx) / 2, my = (ay + by) / 2, ci = Math.floor(mx / CELL_M), cj = Math.floor(my / CELL_M);
    const reach = Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2) / 2 + Math.sqrt((mx - (ci + 0.5) * CELL_M) ** 2 + (my - (cj + 0.5) * CELL_M) ** 2) + 0.01;
    let hits: ArrayLike<number>, count: number;
    if (reach <= CELL_M * Math.SQRT1_2 + CELL_REACH_M) {
      const l = cellList(net, ci, cj);
      hits = l.h;
      count = 0;
      while (count < l.d.length && l.d[count] <= reach) count++;
    } else count = (hits = index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))).length;
    const local: Crossing[] = [];
    for (let q = 0; q < count; q++) {
      const h = hits[q];
      const e = segEdge[h], u = source[e], v = g.target[e];
      const hit = segmentCross(ax, ay, bx, by, x[u], y[u], x[v], y[v]);
      if (!hit) continue;
      if (!ok[h]) continue;
      const rev = net.spatial.twin[e];
      const [s, t] = hit;
      local.push({
        edge: e, reverse: rev, u, v, t,
        lon: line[i - 1][0] + s * (line[i][0] - line[i - 1][0]),
        lat: line[i - 1][1] + s * (line[i][1] - line[i - 1][1]),
        posM: cum[i - 1] + s * (cum[i] - cum[i - 1]),
      });
    }
    local.sort((p, q) => p.posM - q.posM || p.edge - q.edge);
    out.push(...local);
  }
  // A road through a ring vertex is found on both segments: keep one.
  return out.filter((c, k) => k === 0 || !(c.edge === out[k - 1].edge && Math.abs(c.posM - out[k - 1].posM) < 0.01));
}

/** Node times and fastest-source labels of the last run, copied out (Infinity / -1 where unreached). */
export function copyRun(net: Net): { time: Float64Array; origin: Int32Array } {
  const n = net.graph.nodeCount;
  const time = new Float64Array(n).fill(Infinity);
  const origin = new Int32Array(n).fill(-1);
  const p = net.paths;
  for (let k = 0; k < p.settledCount; k++) {
    const v = p.settled[k];
    time[v] = p.dist[v];
    origin[v] = p.origin[v];
  }
  return { time, origin };
}

/**
 * Road points labelled with their fastest source, from a multi-source run copied by copyRun: every node, and
 * points every `stepM` along each segment, labelled by whichever end reaches them sooner.
 */
export function labelledRoadPoints(net: Net, run: { time: Float64Array; origin: Int32Array }, stepM: number): LabelledPoints {
  const g = net.graph;
  const lon: number[] = [], lat: number[] = [], label: number[] = [];
  for (let v = 0; v < g.nodeCount; v++)
    if (run.origin[v] >= 0) {
      lon.push(g.lon[v] / 1e7);
      lat.push(g.lat[v] / 1e7);
      label.push(run.origin[v]);
    }
  const { source, segEdge } = net.spatial;
  for (const e of segEdge) {
    const u = source[e], v = g.target[e];
    const tu = run.time[u], tv = run.time[v];
    if (!(tu < Infinity) && !(tv < Infinity)) continue;
    const k = Math.floor(g.lengthM[e] / stepM);
    if (k < 1) continue;
    const rev = net.spatial.twin[e];
    const fwd = net.seconds[e], back = rev >= 0 ? net.seconds[rev] : Infinity;
    for (let i = 1; i <= k; i++) {
      const f = i / (k + 1);
      const viaU = tu + f * fwd, viaV = tv + (1 - f) * back;
      const best = viaU <= viaV ? run.origin[u] : run.origin[v];
      if (!(Math.min(viaU, viaV) < Infinity) || best < 0) continue;
      lon.push((g.lon[u] + f * (g.lon[v] - g.lon[u])) / 1e7);
      lat.push((g.lat[u] + f * (g.lat[v] - g.lat[u])) / 1e7);
      label.push(best);
    }
  }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), label: Int32Array.from(label) };
}

/**
 * Share (0–1) of a segment u→v reached within `limit` seconds given node times, entering at either end:
 * from u the first (limit − tu)/fwd of it, from v the last (limit − tv)/back.
 */
export function reachedFraction(tu: number, tv: number, fwd: number, back: number, limit: number): number {
  const a = tu <= limit && fwd < Infinity ? (fwd > 0 ? Math.min(1, (limit - tu) / fwd) : 1) : 0;
  const b = tv <= limit && back < Infinity ? (back > 0 ? Math.min(1, (limit - tv) / back) : 1) : 0;
  return Math.min(1, a + b);
}

/** The parts of a routing Router (src/core/router.ts) the compliance checks reuse. */
export interface RouterLike {
  graph: RoadGraph;
  seconds: Float32Array;
  spatial: SpatialIndex;
  paths: ShortestPaths;
  components: Components;
  mainNetwork?: Uint8Array;
  profileName: string;
}

/** Network input from a Router (shares its index and search buffers; its last run is overwritten). */
export const fromRouter = (r: RouterLike): NetworkInput => ({ graph: r.graph, seconds: r.seconds, spatial: r.spatial, paths: r.paths, components: r.components, main: r.mainNetwork, profileName: r.profileName });
