/** Small planar helpers for districts: rings, point-in-polygon, distances along rings, clipping lines. */
import Flatbush from 'flatbush';
import { area as turfArea } from '@turf/turf';
import type { Position } from 'geojson';
import { haversineM, round7 } from '../geo';
import type { AreaGeometry, LonLat } from '../types';
import { crossesRay, inRing } from '../cellTrace';

/** Polygons of an area geometry as arrays of rings (first ring outer, the rest holes). */
export const polygonsOf = (g: AreaGeometry): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

export const ringsOf = (g: AreaGeometry): Position[][] => polygonsOf(g).flat();

/** Even–odd test of a point against one ring (any coordinates): the one point-in-ring test, core/cellTrace.ts. */
export { inRing };

/** Even–odd point-in-polygon (holes respected). */
export function pointInArea(g: AreaGeometry, lon: number, lat: number): boolean {
  for (const poly of polygonsOf(g)) {
    if (!inRing(poly[0], lon, lat)) continue;
    let hole = false;
    for (let k = 1; k < poly.length && !hole; k++) hole = inRing(poly[k], lon, lat);
    if (!hole) return true;
  }
  return false;
}

/** The edges of an area's rings in a spatial index, for many point-in-area tests (pointInIndexed). */
export interface AreaIndex {
  index: Flatbush;
  /** Per edge: xj, yj, xi, yi (inRing's previous and current vertex). */
  segs: Float64Array;
  /** Per edge: its ring (numbered over all polygons in order). */
  ring: Int32Array;
  /** Rings per polygon (outer first). */
  polyRings: number[];
  /** Scratch: crossing parity per ring. */
  odd: Uint8Array;
}

export function areaIndex(g: AreaGeometry): AreaIndex {
  const segs: number[] = [], ring: number[] = [], polyRings: number[] = [];
  let r = 0;
  for (const poly of polygonsOf(g)) {
    polyRings.push(poly.length);
    for (const rg of poly) {
      for (let i = 0, j = rg.length - 1; i < rg.length; j = i++)
        if (rg[i][0] !== rg[j][0] || rg[i][1] !== rg[j][1]) { segs.push(rg[j][0], rg[j][1], rg[i][0], rg[i][1]); ring.push(r); } // a zero-length edge never counts
      r++;
    }
  }
  const n = ring.length;
  const index = new Flatbush(Math.max(1, n));
  for (let k = 0; k < n; k++) index.add(Math.min(segs[4 * k], segs[4 * k + 2]), Math.min(segs[4 * k + 1], segs[4 * k + 3]), Math.max(segs[4 * k], segs[4 * k + 2]), Math.max(segs[4 * k + 1], segs[4 * k + 3]));
  if (n === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { index, segs: Float64Array.from(segs), ring: Int32Array.from(ring), polyRings, odd: new Uint8Array(r) };
}

/** pointInArea with an AreaIndex: the same even–odd test per ring, on the edges a ray to the east meets. */
export function pointInIndexed(a: AreaIndex, x: number, y: number): boolean {
  const { segs, ring, odd } = a;
  odd.fill(0);
  for (const k of a.index.search(x, y, Infinity, y)) {
    const xj = segs[4 * k], yj = segs[4 * k + 1], xi = segs[4 * k + 2], yi = segs[4 * k + 3];
    if (crossesRay(xi, yi, xj, yj, x, y)) odd[ring[k]] ^= 1;
  }
  for (let p = 0, r = 0; p < a.polyRings.length; r += a.polyRings[p++]) {
    if (!odd[r]) continue;
    let hole = false;
    for (let k = 1; k < a.polyRings[p] && !hole; k++) hole = odd[r + k] === 1;
    if (!hole) return true;
  }
  return false;
}

export const areaKm2 = (g: AreaGeometry): number => turfArea({ type: 'Feature', geometry: g, properties: {} }) / 1e6;

export function bboxOf(g: AreaGeometry): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const r of ringsOf(g)) for (const p of r) {
    if (p[0] < a) a = p[0];
    if (p[0] > c) c = p[0];
    if (p[1] < b) b = p[1];
    if (p[1] > d) d = p[1];
  }
  return [a, b, c, d];
}

/** Cumulative length in metres at each vertex of a line. */
export function cumulativeM(line: Position[]): number[] {
  const out = [0];
  for (let i = 1; i < line.length; i++) out.push(out[i - 1] + haversineM(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]));
  return out;
}

/** Point at distance `m` along a line whose cumulative lengths are `cum`. */
export function pointAt(line: Position[], cum: number[], m: number): LonLat {
  let i = 1;
  while (i < line.length - 1 && cum[i] < m) i++;
  const seg = cum[i] - cum[i - 1];
  const t = seg > 0 ? Math.min(1, Math.max(0, (m - cum[i - 1]) / seg)) : 0;
  return [line[i - 1][0] + t * (line[i][0] - line[i - 1][0]), line[i - 1][1] + t * (line[i][1] - line[i - 1][1])];
}

/** The part of a line between distances `from` and `to` (metres), vertices included. */
export function sliceLine(line: Position[], cum: number[], from: number, to: number): LonLat[] {
  const out: LonLat[] = [pointAt(line, cum, from)];
  for (let i = 1; i < line.length - 1; i++) if (cum[i] > from && cum[i] < to) out.push([line[i][0], line[i][1]]);
  out.push(pointAt(line, cum, to));
  return out;
}

/** Parameters (s on a–b, t on c–d) where two segments cross, or null. */
export function segmentCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): [number, number] | null {
  const rx = bx - ax, ry = by - ay, sx = dx - cx, sy = dy - cy;
  const den = rx * sy - ry * sx;
  if (den === 0) return null;
  const qx = cx - ax, qy = cy - ay;
  const s = (qx * sy - qy * sx) / den;
  const t = (qx * ry - qy * rx) / den;
  return s >= 0 && s <= 1 && t >= 0 && t <= 1 ? [s, t] : null;
}

/** Segment index over the rings of an area, for clipping lines against it. */
export interface RingIndex {
  index: Flatbush;
  segs: Float64Array; // ax, ay, bx, by per segment
}

export function ringIndex(g: AreaGeometry): RingIndex {
  const list: number[] = [];
  for (const r of ringsOf(g)) for (let i = 1; i < r.length; i++) list.push(r[i - 1][0], r[i - 1][1], r[i][0], r[i][1]);
  const n = list.length / 4;
  const index = new Flatbush(Math.max(1, n));
  for (let i = 0; i < n; i++) {
    const [ax, ay, bx, by] = list.slice(i * 4, i * 4 + 4);
    index.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
  }
  if (n === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { index, segs: Float64Array.from(list) };
}

/** Pieces of a line inside the area (each a LonLat[] of ≥ 2 points). */
export function clipLineToArea(line: Position[], g: AreaGeometry, ri: RingIndex): LonLat[][] {
  const pieces: LonLat[][] = [];
  let cur: LonLat[] | null = null;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1], [bx, by] = line[i];
    const ts = [0, 1];
    for (const k of ri.index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      const s = ri.segs;
      const hit = segmentCross(ax, ay, bx, by, s[k * 4], s[k * 4 + 1], s[k * 4 + 2], s[k * 4 + 3]);
      if (hit) ts.push(hit[0]);
    }
    ts.sort((p, q) => p - q);
    for (let j = 1; j < ts.length; j++) {
      const t0 = ts[j - 1], t1 = ts[j];
      if (t1 - t0 < 1e-12) continue;
      const tm = (t0 + t1) / 2;
      const inside = pointInArea(g, ax + tm * (bx - ax), ay + tm * (by - ay));
      const p0: LonLat = [ax + t0 * (bx - ax), ay + t0 * (by - ay)], p1: LonLat = [ax + t1 * (bx - ax), ay + t1 * (by - ay)];
      if (inside) {
        if (!cur) cur = [p0];
        cur.push(p1);
      } else if (cur) {
        pieces.push(cur);
        cur = null;
      }
    }
  }
  if (cur) pieces.push(cur);
  return pieces;
}

export const lineLengthM = (line: Position[]): number => {
  let s = 0;
  for (let i = 1; i < line.length; i++) s += haversineM(line[i - 1][0], line[i - 1][1], line[i][0], line[i][1]);
  return s;
};

/** Rounds coordinates to 1e-7° (about 1 cm) so reports are stable. */
export const roundPt = (p: LonLat): LonLat => [round7(p[0]), round7(p[1])];
