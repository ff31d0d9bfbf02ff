/**
 * Edge-point road access: the road points a district-edge point is reached at (snapEdgePoint / snapEdgeRef), from
 * the per-network cell lists (roadCells.ts). A query's scratch lives in an EdgeQuery the caller owns (a SnapStore
 * carries one), so the functions here keep no state of their own and can be re-entered.
 */
import { FAR_SNAP_M, type Snap } from '../snap';
import { toLat, toLocalX, toLocalY, toLon } from '../spatial';
import type { Net } from './network';
import { CELL_M, CELL_REACH_M, CellTable, cellList } from './roadCells';

export interface SnapEdgeOptions {
  searchM: number;
  sideM: number;
  parallelM: number;
}

/** Scratch of one edge-point query: candidate arrays (grown on demand) and the query's parameters. */
export class EdgeQuery {
  d = new Float64Array(512);
  h = new Int32Array(512);
  t = new Float64Array(512);
  m = new Uint8Array(512);
  side = new Int8Array(512);
  order = new Int32Array(512);
  net: Net | null = null;
  px = 0;
  py = 0;
  n = 0;
  o: SnapEdgeOptions = { searchM: 0, sideM: 0, parallelM: 0 };
  inside: ((lon: number, lat: number) => boolean) | null = null;
  usedInside = false;
  got: number[] = [];
  /** Radius around the point within which the cell list holds every segment; radius the nearest roads need. */
  g = 0;
  need = 0;
  /** Scratch indices of the nearest candidate and the nearest main-network one (-1: none). */
  c0 = -1;
  m0 = -1;

  grow(): void {
    const k = this.d.length * 2;
    const grow = <T extends Float64Array | Int32Array | Uint8Array | Int8Array>(a: T, b: T): T => { b.set(a); return b; };
    this.d = grow(this.d, new Float64Array(k)); this.h = grow(this.h, new Int32Array(k)); this.t = grow(this.t, new Float64Array(k));
    this.m = grow(this.m, new Uint8Array(k)); this.side = grow(this.side, new Int8Array(k));
  }
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
export function snapEdgePoint(net: Net, lon: number, lat: number, o: SnapEdgeOptions, inside: (lon: number, lat: number) => boolean, shared?: Map<number | string, Snap[]>, q = new EdgeQuery()): Snap[] {
  const key = memoKey(net, lon, lat);
  const memo = shared?.get(key);
  if (memo) return memo;
  if (!findEdgeRoads(q, net, lon, lat, o, inside)) return [];
  const { segEdge, source, twin } = net.spatial, g = net.graph;
  const out = q.got.map((k): Snap => {
    const e = segEdge[q.h[k]];
    const [slon, slat] = lonLatOf(q, k);
    return { edge: e, reverse: twin[e], u: source[e], v: g.target[e], t: q.t[k], lon: slon, lat: slat, distanceM: q.d[k], far: q.d[k] > FAR_SNAP_M, isolated: q.m[k] === 0, nameId: g.nameId[e], moved: false, movedM: 0 };
  });
  const used = q.usedInside;
  q.net = null; q.inside = null;
  if (shared && !used) shared.set(key, out);
  return out;
}

/** Memo key of an edge point: the point to the centimetre in the local frame (a number while within ±670 km of its centre). */
function memoKey(net: Net, lon: number, lat: number): number | string {
  const cx = Math.round(toLocalX(net.spatial.frame, lon) * 100), cy = Math.round(toLocalY(net.spatial.frame, lat) * 100);
  return Math.abs(cx) < 2 ** 26 && Math.abs(cy) < 2 ** 26 ? (cx + 2 ** 26) * 2 ** 27 + (cy + 2 ** 26) : `${lon},${lat}`;
}

/** The road points of snapEdgePoint into q.got (scratch indices); false when the network has no index. */
function findEdgeRoads(q: EdgeQuery, net: Net, lon: number, lat: number, o: SnapEdgeOptions, inside: (lon: number, lat: number) => boolean): boolean {
  if (!net.spatial.index) return false;
  q.net = net;
  q.px = toLocalX(net.spatial.frame, lon); q.py = toLocalY(net.spatial.frame, lat);
  q.o = o; q.inside = inside; q.usedInside = false;
  // Common case from the point's cell list (nearest roads within sideM); else growing circles: a small one first,
  // then just as big as the nearest road and its parallels need.
  const fast = fromCell(q);
  if (fast >= 0 && pick(q, fast)) return true;
  // (Nothing in the cell list: no road within q.g of the point, so the circles start there.)
  // (The answer is the same for any circle that holds it: start no smaller than the nearest roads found need.)
  for (let r = Math.min(o.searchM, Math.max(60, q.n === 0 ? q.g : 0, q.need)); ; ) {
    q.usedInside = false;
    gather(q, r);
    const complete = pick(q, r);
    if (complete || r >= o.searchM) return true;
    const got = q.got;
    const need = got.length && got.some((k) => q.m[k]) ? q.d[got[0]] + o.parallelM : o.searchM;
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
  readonly memo = new PointMemo();
  /** Scratch of the edge-point queries. */
  readonly query = new EdgeQuery();

  clear(): void {
    this.size = 0;
    this.memo.clear();
  }

  push(e: number, rev: number, u: number, v: number, t: number, lon: number, lat: number): void {
    if (this.size === this.edge.length) {
      const k = this.size * 2;
      const grow = <T extends Int32Array | Float64Array>(a: T, b: T): T => { b.set(a); return b; };
      this.edge = grow(this.edge, new Int32Array(k)); this.reverse = grow(this.reverse, new Int32Array(k));
      this.u = grow(this.u, new Int32Array(k)); this.v = grow(this.v, new Int32Array(k)); this.t = grow(this.t, new Float64Array(k));
      this.lon = grow(this.lon, new Float64Array(k)); this.lat = grow(this.lat, new Float64Array(k));
    }
    const i = this.size++;
    this.edge[i] = e; this.reverse[i] = rev; this.u[i] = u; this.v[i] = v; this.t[i] = t; this.lon[i] = lon; this.lat[i] = lat;
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
  const q = store.query;
  if (!findEdgeRoads(q, net, lon, lat, o, inside)) return 0;
  const { segEdge, source, twin, x, y, frame } = net.spatial, g = net.graph;
  const got = q.got, first = store.size;
  const count = got.length;
  if (count >= REF) throw new Error(`${count} road points for one edge point (at most ${REF - 1})`); // cannot happen: they lie within parallelM of the nearest
  for (let i = 0; i < count; i++) {
    const k = got[i], e = segEdge[q.h[k]], a = source[e], b = g.target[e], t = q.t[k];
    const r = twin[e];
    store.push(e, r, a, b, t, toLon(frame, x[a] + t * (x[b] - x[a])), toLat(frame, y[a] + t * (y[b] - y[a])));
  }
  const ref = first * REF + count;
  const used = q.usedInside;
  q.net = null; q.inside = null;
  if (!used) store.memo.set(kx, ky, ref);
  return ref;
}



/**
 * Candidates from the point's cell list, visited nearest-first with an early stop. Returns the radius within which
 * the scratch arrays surely hold every candidate when the nearest road and the nearest main road both lie within
 * sideM (the common case), else -1 (the caller searches boxes).
 */
function fromCell(q: EdgeQuery): number {
  const net = q.net!, { x, y, source, segEdge } = net.spatial, target = net.graph.target, main = net.main, o = q.o;
  const px = q.px, py = q.py, par = o.parallelM;
  const i = Math.floor(px / CELL_M), j = Math.floor(py / CELL_M);
  const l = cellList(net, i, j), lh = l.h, ld = l.d;
  const hp = Math.sqrt((px - (i + 0.5) * CELL_M) ** 2 + (py - (j + 0.5) * CELL_M) ** 2);
  const G = CELL_M * Math.SQRT1_2 + CELL_REACH_M - hp; // every segment within G of the point is in the list
  q.g = G;
  while (q.d.length < lh.length) q.grow();
  const Sd = q.d, Sh = q.h, St = q.t, Sm = q.m, Sside = q.side;
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
  q.n = n; q.c0 = c0; q.m0 = m0;
  const need = Math.max(d0 + par, dm);
  q.need = need < Infinity ? need : 0;
  return d0 <= o.sideM && dm <= o.sideM && need <= G && need <= o.searchM ? need : -1;
}

/**
 * Candidates within r of the point into the scratch arrays, read from the point's wide cell list (every usable
 * segment within the search distance of the cell, nearest first: no index query, and a stop past r).
 */
function gather(q: EdgeQuery, r: number): void {
  const net = q.net!, { x, y, source, segEdge } = net.spatial, g = net.graph, main = net.main;
  const px = q.px, py = q.py;
  const reachM = q.o.searchM + 1;
  if (!net.edgeFar || net.edgeFar.reachM !== reachM) net.edgeFar = { reachM, cells: new CellTable(net) };
  const i = Math.floor(px / CELL_M), j = Math.floor(py / CELL_M);
  const l = cellList(net, i, j, net.edgeFar.cells, reachM);
  // Every segment within r ≤ searchM of the point lies within r + hp of the cell centre, so it is in the list
  // (sorted by that distance; +0.01 m for the list's single-precision distances).
  const stop = r + Math.sqrt((px - (i + 0.5) * CELL_M) ** 2 + (py - (j + 0.5) * CELL_M) ** 2) + 0.01;
  const lh = l.h, ld = l.d;
  while (q.d.length < lh.length) q.grow();
  const Sd = q.d, Sh = q.h, St = q.t, Sm = q.m, Sside = q.side;
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
  q.n = n; q.c0 = c0; q.m0 = m0;
}

function lonLatOf(q: EdgeQuery, k: number): [number, number] {
  const { x, y, source, segEdge, frame } = q.net!.spatial;
  const e = segEdge[q.h[k]], u = source[e], v = q.net!.graph.target[e], t = q.t[k];
  return [toLon(frame, x[u] + t * (x[v] - x[u])), toLat(frame, y[u] + t * (y[v] - y[u]))];
}

function sideOk(q: EdgeQuery, k: number): boolean {
  if (q.d[k] <= q.o.sideM) return true;
  if (q.side[k] < 0) {
    q.usedInside = true;
    const [lon, lat] = lonLatOf(q, k);
    q.side[k] = q.inside!(lon, lat) ? 1 : 0;
  }
  return q.side[k] === 1;
}

function before(q: EdgeQuery, a: number, b: number): boolean {
  return q.d[a] < q.d[b] || (q.d[a] === q.d[b] && q.h[a] < q.h[b]);
}

/**
 * Nearest qualifying road, its parallels and the nearest qualifying main road into q.got; true when the box of
 * radius r surely held them all.
 */
function pick(q: EdgeQuery, r: number): boolean {
  const n = q.n, o = q.o, c0 = q.c0, m0 = q.m0;
  const got = q.got;
  got.length = 0;
  let main = false;
  if (c0 >= 0 && q.d[c0] <= o.sideM && (m0 < 0 || q.d[m0] <= o.sideM)) {
    // Common case: the nearest roads lie on the edge itself — no side test, no full sort.
    const lim = q.d[c0] + o.parallelM;
    for (let k = 0; k < n; k++)
      if (q.d[k] <= lim && sideOk(q, k)) {
        let j = got.length;
        got.push(k);
        while (j > 0 && before(q, k, got[j - 1])) { got[j] = got[j - 1]; j--; }
        got[j] = k;
        if (q.m[k]) main = true;
      }
    if (m0 >= 0 && !main) { got.push(m0); main = true; }
  } else {
    // Insertion sort: the candidates come nearly in order already (the cell lists are sorted by distance from the cell).
    if (q.order.length < n) q.order = new Int32Array(q.d.length);
    const order = q.order;
    for (let k = 0; k < n; k++) {
      let j = k;
      while (j > 0 && before(q, k, order[j - 1])) { order[j] = order[j - 1]; j--; }
      order[j] = k;
    }
    let first = 0;
    while (first < n && !sideOk(q, order[first])) first++;
    if (first === n) return r >= o.searchM;
    const d0 = q.d[order[first]];
    got.push(order[first]);
    main = q.m[order[first]] === 1;
    let j = first + 1;
    for (; j < n && q.d[order[j]] <= d0 + o.parallelM; j++)
      if (sideOk(q, order[j])) {
        got.push(order[j]);
        if (q.m[order[j]]) main = true;
      }
    if (!main) for (; j < n; j++) if (q.m[order[j]] && sideOk(q, order[j])) { got.push(order[j]); main = true; break; }
  }
  return r >= o.searchM || (got.length > 0 && q.d[got[0]] + o.parallelM <= r && main);
}
