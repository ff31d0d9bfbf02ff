/**
 * A labelled grid over an area and the tracing of label regions into polygons. Traced regions of different
 * labels share their edges exactly (same integer grid vertices), so together they tile the grid with no gaps
 * or overlaps; clipping every region with the same planning area keeps that property.
 */
import type { MultiPolygon, Position } from 'geojson';
import { localFrame, type LocalFrame } from '../spatial';
import { crossesRay, inRingBy, traceCells } from '../cellTrace';
import type { LonLat } from '../types';

export interface Grid {
  frame: LocalFrame;
  /** Local metres of the grid's lower-left corner. */
  x0: number;
  y0: number;
  cellM: number;
  nx: number;
  ny: number;
  /** Label per cell (index c + r·nx), -1 = none. */
  labels: Int32Array;
}

/**
 * Grid covering bbox (plus one cell of margin) with square cells of at least `cellM`, at most `maxCells` cells.
 * `shift` (0–1 of a cell) moves the grid lines off the bbox edges (clipGrid needs the area's vertices off the lines).
 */
export function makeGrid(bbox: [number, number, number, number], cellM: number, maxCells = 250_000, shift = 0): Grid {
  const frame = localFrame(bbox);
  const w = (bbox[2] - bbox[0]) * frame.mx, h = (bbox[3] - bbox[1]) * frame.my;
  let cell = cellM;
  while (((w / cell) + 2) * ((h / cell) + 2) > maxCells) cell *= 1.25;
  const nx = Math.ceil(w / cell) + 2, ny = Math.ceil(h / cell) + 2;
  const x0 = -w / 2 - cell * (1 - shift), y0 = -h / 2 - cell * (1 - shift);
  return { frame, x0, y0, cellM: cell, nx, ny, labels: new Int32Array(nx * ny).fill(-1) };
}

export const cellX = (g: Grid, c: number) => g.x0 + (c + 0.5) * g.cellM;
export const cellY = (g: Grid, r: number) => g.y0 + (r + 0.5) * g.cellM;
export const cellLonLat = (g: Grid, c: number, r: number): LonLat => [g.frame.lon0 + cellX(g, c) / g.frame.mx, g.frame.lat0 + cellY(g, r) / g.frame.my];
/** Whether (lon, lat) is a corner of the grid's cells (to a micrometre-scale tolerance): a vertex made by tracing. */
export function onCellCorner(g: Grid, lon: number, lat: number): boolean {
  const i = ((lon - g.frame.lon0) * g.frame.mx - g.x0) / g.cellM, j = ((lat - g.frame.lat0) * g.frame.my - g.y0) / g.cellM;
  return Math.abs(i - Math.round(i)) < 1e-6 && Math.abs(j - Math.round(j)) < 1e-6;
}
/**
 * Where to test a point p of a traced ring's segment a–b: on a grid-aligned segment, the midpoint of the cell side
 * p lies on (the same point for both districts that share the side); elsewhere p itself.
 */
export function cellSideMidpoint(g: Grid, a: Position, b: Position, p: LonLat): LonLat {
  if (!onCellCorner(g, a[0], a[1]) || !onCellCorner(g, b[0], b[1])) return p;
  const { frame, cellM } = g;
  if (a[1] === b[1]) return [frame.lon0 + (g.x0 + sideMid((p[0] - frame.lon0) * frame.mx - g.x0, cellM)) / frame.mx, a[1]];
  if (a[0] === b[0]) return [a[0], frame.lat0 + (g.y0 + sideMid((p[1] - frame.lat0) * frame.my - g.y0, cellM)) / frame.my];
  return p;
}

/** The middle of the cell side (of size cellM, from 0) that local coordinate v lies on. */
const sideMid = (v: number, cellM: number) => (Math.floor(v / cellM) + 0.5) * cellM;

const vertexLonLat = (g: Grid, i: number, j: number): Position => [g.frame.lon0 + (g.x0 + i * g.cellM) / g.frame.mx, g.frame.lat0 + (g.y0 + j * g.cellM) / g.frame.my];


/** Inclusive range of cell columns and rows. */
export interface CellBox {
  c0: number;
  r0: number;
  c1: number;
  r1: number;
}

/**
 * Region of cells with `label` (only cells inside `box` are looked at, when given) as a MultiPolygon in lon/lat
 * (outer rings counter-clockwise, holes clockwise), or null when no cell has the label. Traced by the one raster
 * tracer (core/cellTrace.ts): cells touching only at a corner are separate rings (4-connectivity).
 */
export function traceLabel(g: Grid, label: number, box?: CellBox): MultiPolygon | null {
  const { nx, ny, labels } = g;
  const c0 = box ? Math.max(0, box.c0) : 0, r0 = box ? Math.max(0, box.r0) : 0;
  const c1 = box ? Math.min(nx - 1, box.c1) : nx - 1, r1 = box ? Math.min(ny - 1, box.r1) : ny - 1;
  if (c1 < c0 || r1 < r0) return null;
  const W = c1 - c0 + 1, H = r1 - r0 + 1;
  const mask = new Uint8Array(W * H);
  for (let r = r0; r <= r1; r++)
    for (let c = c0, i = (r - r0) * W, k = c0 + r * nx; c <= c1; c++, i++, k++) mask[i] = labels[k] === label ? 1 : 0;
  const traced = traceCells(mask, W, H);
  if (traced.cells === 0) return null;
  const V = W + 1;
  const close = (ring: number[]) => {
    const out = ring.map((v) => vertexLonLat(g, c0 + (v % V), r0 + (v - (v % V)) / V));
    out.push(out[0]);
    return out;
  };
  return { type: 'MultiPolygon', coordinates: traced.polygons.map((rings) => rings.map(close)) };
}

/**
 * The planning area cut by the grid lines, for tracing label regions already clipped to it (clipTrace): grid
 * vertices inside the area, the points where the area's boundary crosses grid lines, and the pieces of the
 * boundary inside each cell. Points are numbered: grid vertex (i, j) = i + j·(nx+1), then the area's own vertices
 * and crossings (coordinates in grid units). Null when the boundary runs exactly along a grid line or through a
 * grid vertex (the caller clips with polygon operations instead).
 */
export interface ClipGrid {
  vin: Uint8Array;
  pu: number[];
  pv: number[];
  /** Crossing point ids per vertical side i + j·(nx+1) (between vertices (i, j) and (i, j+1)), by increasing v. */
  vSide: Map<number, number[]>;
  /** Crossing point ids per horizontal side i + j·(nx+1) (between (i, j) and (i+1, j)), by increasing u. */
  hSide: Map<number, number[]>;
  /** Per cell: boundary pieces inside it as [from, to, from, to, …] (area on the left). */
  cellSegs: Map<number, number[]>;
  /** Per cell: 1 when the area's boundary touches it (it has pieces or a crossing on a side), else the maps hold nothing for it. */
  cut: Uint8Array;
}

const EPS = 1e-9;

export function clipGrid(g: Grid, rings: Position[][][]): ClipGrid | null {
  const { nx, ny, frame, cellM } = g;
  const V = (nx + 1) * (ny + 1);
  const pu: number[] = [], pv: number[] = [];
  const vSide = new Map<number, number[]>(), hSide = new Map<number, number[]>(), cellSegs = new Map<number, number[]>();
  const add = (u: number, v: number) => (pu.push(u), pv.push(v), V + pu.length - 1);
  const near = (a: number) => Math.abs(a - Math.round(a)) < EPS;
  const polys: [number, number][][][] = [];
  for (const poly of rings) {
    const out: [number, number][][] = [];
    poly.forEach((ring, k) => {
      const r = ring.slice(0, -1).map((p): [number, number] => [((p[0] - frame.lon0) * frame.mx - g.x0) / cellM, ((p[1] - frame.lat0) * frame.my - g.y0) / cellM]);
      let a = 0;
      for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += r[j][0] * r[i][1] - r[i][0] * r[j][1];
      if ((k === 0) !== (a > 0)) r.reverse(); // outer counter-clockwise, holes clockwise: the area is on the left
      out.push(r);
    });
    polys.push(out);
  }
  for (const poly of polys)
    for (const r of poly) {
      if (r.some(([u, v]) => near(u) || near(v))) return null;
      const ids = r.map(([u, v]) => add(u, v));
      for (let i = 0; i < r.length; i++) {
        const [au, av] = r[i], [bu, bv] = r[(i + 1) % r.length];
        const cuts: { t: number; id: number }[] = [];
        for (let c = Math.ceil(Math.min(au, bu)); c <= Math.floor(Math.max(au, bu)); c++) {
          const t = (c - au) / (bu - au), v = av + t * (bv - av);
          if (near(v)) return null;
          const id = add(c, v);
          cuts.push({ t, id });
          const key = c + Math.floor(v) * (nx + 1);
          (vSide.get(key) ?? vSide.set(key, []).get(key)!).push(id);
        }
        for (let rr = Math.ceil(Math.min(av, bv)); rr <= Math.floor(Math.max(av, bv)); rr++) {
          const t = (rr - av) / (bv - av), u = au + t * (bu - au);
          if (near(u)) return null;
          const id = add(u, rr);
          cuts.push({ t, id });
          const key = Math.floor(u) + rr * (nx + 1);
          (hSide.get(key) ?? hSide.set(key, []).get(key)!).push(id);
        }
        cuts.sort((p, q) => p.t - q.t);
        const chain = [ids[i], ...cuts.map((c) => c.id), ids[(i + 1) % r.length]];
        for (let k = 1; k < chain.length; k++) {
          const a = chain[k - 1] - V, b = chain[k] - V;
          const cell = Math.floor((pu[a] + pu[b]) / 2) + Math.floor((pv[a] + pv[b]) / 2) * nx;
          (cellSegs.get(cell) ?? cellSegs.set(cell, []).get(cell)!).push(chain[k - 1], chain[k]);
        }
      }
    }
  for (const l of vSide.values()) l.sort((p, q) => pv[p - V] - pv[q - V]);
  for (const l of hSide.values()) l.sort((p, q) => pu[p - V] - pu[q - V]);
  const vin = new Uint8Array(V);
  for (let j = 0; j <= ny; j++)
    for (let i = 0; i <= nx; i++) {
      let inside = false;
      for (const poly of polys)
        for (const r of poly)
          for (let a = 0, b = r.length - 1; a < r.length; b = a++)
            if (crossesRay(r[a][0], r[a][1], r[b][0], r[b][1], i, j)) inside = !inside;
      vin[i + j * (nx + 1)] = inside ? 1 : 0;
    }
  const cut = new Uint8Array(nx * ny), W = nx + 1;
  const mark = (c: number, r: number) => { if (c >= 0 && r >= 0 && c < nx && r < ny) cut[c + r * nx] = 1; };
  for (const k of cellSegs.keys()) cut[k] = 1;
  for (const k of hSide.keys()) { mark(k % W, Math.floor(k / W) - 1); mark(k % W, Math.floor(k / W)); }
  for (const k of vSide.keys()) { mark((k % W) - 1, Math.floor(k / W)); mark(k % W, Math.floor(k / W)); }
  return { vin, pu, pv, vSide, hSide, cellSegs, cut };
}

/**
 * Region of cells with `label` clipped to the area of `cg` (see clipGrid), as a MultiPolygon (outer rings
 * counter-clockwise, holes clockwise), or null when empty. Exact: the area's boundary keeps its own vertices and
 * the grid lines their crossings with it, so neighbouring regions share their edges point for point.
 */
export function clipTrace(g: Grid, label: number, cg: ClipGrid, box?: CellBox): MultiPolygon | null {
  const { nx, ny, labels } = g;
  const W = nx + 1, V = W * (ny + 1);
  const c0 = box ? Math.max(0, box.c0) : 0, r0 = box ? Math.max(0, box.r0) : 0;
  const c1 = box ? Math.min(nx - 1, box.c1) : nx - 1, r1 = box ? Math.min(ny - 1, box.r1) : ny - 1;
  const out = new Map<number, number[]>();
  let edges = 0;
  const emit = (a: number, b: number) => {
    const l = out.get(a);
    if (l) l.push(b);
    else out.set(a, [b]);
    edges++;
  };
  // The parts of a grid side from vertex a to vertex b that lie inside the area (`cuts` ordered from a to b).
  const side = (a: number, b: number, cuts: number[] | undefined) => {
    if (!cuts || cuts.length === 0) { if (cg.vin[a]) emit(a, b); return; }
    let inside = cg.vin[a] === 1, from = a;
    for (const x of cuts) {
      if (inside) emit(from, x);
      inside = !inside;
      from = x;
    }
    if (inside) emit(from, b);
  };
  const rev = (l: number[] | undefined) => (l ? [...l].reverse() : undefined);
  for (let r = r0; r <= r1; r++)
    for (let c = c0; c <= c1; c++) {
      if (labels[c + r * nx] !== label) continue;
      const v00 = c + r * W, v10 = v00 + 1, v01 = v00 + W, v11 = v01 + 1;
      const i = c + r * nx, cut = cg.cut[i] === 1;
      if ((r > 0 ? labels[i - nx] : -2) !== label) side(v00, v10, cut ? cg.hSide.get(v00) : undefined);
      if ((c < nx - 1 ? labels[i + 1] : -2) !== label) side(v10, v11, cut ? cg.vSide.get(v10) : undefined);
      if ((r < ny - 1 ? labels[i + nx] : -2) !== label) side(v11, v01, cut ? rev(cg.hSide.get(v01)) : undefined);
      if ((c > 0 ? labels[i - 1] : -2) !== label) side(v01, v00, cut ? rev(cg.vSide.get(v00)) : undefined);
      const segs = cut ? cg.cellSegs.get(c + r * nx) : undefined;
      if (segs) for (let k = 0; k < segs.length; k += 2) emit(segs[k], segs[k + 1]);
    }
  if (edges === 0) return null;
  const U = (p: number) => (p < V ? p % W : cg.pu[p - V]);
  const Vv = (p: number) => (p < V ? Math.floor(p / W) : cg.pv[p - V]);
  const rings: { pts: number[]; area: number; probe: [number, number] }[] = [];
  const keys = Float64Array.from(out.keys()).sort();
  for (const start of keys) {
    for (;;) {
      const list = out.get(start);
      if (!list || list.length === 0) break;
      const pts: number[] = [];
      let a = start, b = list.shift()!;
      const probe: [number, number] = [(U(a) + U(b)) / 2 - (Vv(b) - Vv(a)) * 1e-4, (Vv(a) + Vv(b)) / 2 + (U(b) - U(a)) * 1e-4];
      for (let guard = 0; guard <= edges; guard++) {
        pts.push(a);
        const opts = out.get(b) ?? [];
        if (b === start) break; // closed (any other edge out of the start begins another ring)
        let k = 0;
        if (opts.length > 1) {
          // At a grid vertex touched diagonally: left turn first, then straight, then right (as traceLabel).
          const dx = U(b) - U(a), dy = Vv(b) - Vv(a);
          let best = Infinity;
          opts.forEach((n, i) => {
            const ex = U(n) - U(b), ey = Vv(n) - Vv(b);
            const turn = Math.atan2(dx * ey - dy * ex, dx * ex + dy * ey); // + = left
            const rank = Math.abs(turn) > 3.1 ? Infinity : -turn;
            if (rank < best) { best = rank; k = i; }
          });
        }
        if (opts.length === 0) break;
        const n = opts.splice(k, 1)[0];
        a = b;
        b = n;
      }
      // Drop grid vertices where the boundary goes straight on.
      const kept = pts.filter((p, i) => {
        if (p >= V) return true;
        const q = pts[(i + pts.length - 1) % pts.length], s = pts[(i + 1) % pts.length];
        const ax = U(p) - U(q), ay = Vv(p) - Vv(q), bx = U(s) - U(p), by = Vv(s) - Vv(p);
        return Math.abs(ax * by - ay * bx) > 1e-12;
      });
      if (kept.length >= 3) {
        let ar = 0;
        for (let i = 0, j = kept.length - 1; i < kept.length; j = i++) ar += U(kept[j]) * Vv(kept[i]) - U(kept[i]) * Vv(kept[j]);
        rings.push({ pts: kept, area: ar / 2, probe });
      }
    }
  }
  const toLL = (p: number): Position => [g.frame.lon0 + (g.x0 + U(p) * g.cellM) / g.frame.mx, g.frame.lat0 + (g.y0 + Vv(p) * g.cellM) / g.frame.my];
  const close = (pts: number[]) => { const r = pts.map(toLL); r.push(r[0]); return r; };
  const inIdRing = (pts: number[], x: number, y: number) => inRingBy(pts.length, (i) => U(pts[i]), (i) => Vv(pts[i]), x, y);
  const outers = rings.filter((r) => r.area > 0);
  if (!outers.length) return null;
  const polys: Position[][][] = outers.map((o) => [close(o.pts)]);
  for (const h of rings.filter((r) => r.area < 0)) {
    let best = -1;
    for (let k = 0; k < outers.length; k++)
      if (inIdRing(outers[k].pts, h.probe[0], h.probe[1]) && (best < 0 || outers[k].area < outers[best].area)) best = k;
    if (best >= 0) polys[best].push(close(h.pts));
  }
  return { type: 'MultiPolygon', coordinates: polys };
}
