/**
 * Self-intersecting district polygons: finding where the rings of a polygon cross (a segment index, not the
 * all-pairs test, so large files stay fast) and repairing them. A repaired polygon is the union of each outer ring
 * split at its crossings, minus the union of its holes split the same way — a bowtie becomes its two triangles,
 * not the zero (or one-lobe) area its signed shoelace sum gives.
 */
import Flatbush from 'flatbush';
import { difference, featureCollection, polygon, union, unkinkPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** A point where two segments of a polygon's rings cross or touch (not counting the vertex two neighbours share). */
export interface Crossing {
  lon: number;
  lat: number;
}

interface Seg {
  ring: number;
  i: number;
  a: Position;
  b: Position;
}

const cross = (ox: number, oy: number, ax: number, ay: number, bx: number, by: number) => (ax - ox) * (by - oy) - (ay - oy) * (bx - ox);

/**
 * Intersection point of segments pq and rs (null when they do not meet; the first point of an overlap). With
 * `properOnly`, only a crossing through both interiors counts (a hole may touch its shell at a point).
 */
function meet(p: Position, q: Position, r: Position, s: Position, properOnly = false): Position | null {
  const d1 = cross(r[0], r[1], s[0], s[1], p[0], p[1]), d2 = cross(r[0], r[1], s[0], s[1], q[0], q[1]);
  const d3 = cross(p[0], p[1], q[0], q[1], r[0], r[1]), d4 = cross(p[0], p[1], q[0], q[1], s[0], s[1]);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
  }
  if (properOnly) return null;
  const on = (a: Position, b: Position, c: Position) => Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  if (d1 === 0 && on(r, s, p)) return p;
  if (d2 === 0 && on(r, s, q)) return q;
  if (d3 === 0 && on(p, q, r)) return r;
  if (d4 === 0 && on(p, q, s)) return s;
  return null;
}

/**
 * Up to `max` crossings of a polygon's rings: within one ring any meeting of non-neighbouring segments (a touch too),
 * between rings only proper crossings. Rings must be closed.
 */
export function ringCrossings(rings: Position[][], max = 3): Crossing[] {
  const segs: Seg[] = [];
  rings.forEach((r, ring) => {
    for (let i = 1; i < r.length; i++) if (r[i - 1][0] !== r[i][0] || r[i - 1][1] !== r[i][1]) segs.push({ ring, i, a: r[i - 1], b: r[i] });
  });
  if (segs.length < 2) return [];
  const index = new Flatbush(segs.length);
  for (const s of segs) index.add(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]));
  index.finish();
  const out: Crossing[] = [];
  const eq = (p: Position, q: Position) => p[0] === q[0] && p[1] === q[1];
  for (let k = 0; k < segs.length && out.length < max; k++) {
    const s = segs[k];
    for (const j of index.search(Math.min(s.a[0], s.b[0]), Math.min(s.a[1], s.b[1]), Math.max(s.a[0], s.b[0]), Math.max(s.a[1], s.b[1]))) {
      if (j <= k) continue;
      const t = segs[j];
      const p = meet(s.a, s.b, t.a, t.b, s.ring !== t.ring);
      if (!p) continue;
      // Neighbours in a ring share a vertex (the closing pair shares the first one): that is not a crossing.
      if (s.ring === t.ring && ((eq(s.b, t.a) && eq(p, s.b)) || (eq(t.b, s.a) && eq(p, s.a)))) continue;
      out.push({ lon: p[0], lat: p[1] });
      if (out.length >= max) break;
    }
  }
  return out;
}

/** A ring's area pieces (split at its own crossings when it has any). */
function ringPieces(r: Position[]): Polygon[] {
  const pg = polygon([r]);
  if (!ringCrossings([r], 1).length) return [pg.geometry];
  return unkinkPolygon(pg).features.map((f) => f.geometry);
}

const unionOf = (ps: Polygon[]): Polygon | MultiPolygon | null => {
  if (!ps.length) return null;
  if (ps.length === 1) return ps[0];
  return union(featureCollection(ps.map((g) => polygon(g.coordinates))))?.geometry ?? null;
};

/** The repaired area of a polygon whose rings cross (null when nothing is left). Throws on degenerate rings. */
export function repairPolygon(rings: Position[][]): Polygon | MultiPolygon | null {
  const outer = unionOf(ringPieces(rings[0]));
  if (!outer || rings.length === 1) return outer;
  const holes = unionOf(rings.slice(1).flatMap(ringPieces));
  if (!holes) return outer;
  return difference(featureCollection([{ type: 'Feature', properties: {}, geometry: outer }, { type: 'Feature', properties: {}, geometry: holes }]))?.geometry ?? null;
}
