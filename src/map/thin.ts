/**
 * Thinner isochrone polygons for the map while a station is dragged (issue #14): coordinates rounded to 1e-6°
 * (~0.1 m, ten times finer than the live source's tile grid, LIVE_MAXZOOM) and vertices dropped where the ring goes
 * straight on through them (exactly collinear after rounding), so fewer bytes reach MapLibre and its worker tiles
 * fewer vertices. What is drawn does not change at any zoom the map shows; the drop hands over the full result.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';

const Q = 1e6;

/** A closed ring rounded to 1e-6° without repeated or collinear vertices (kept as given if that leaves < 4). */
export function thinRing(ring: Position[]): Position[] {
  const q: [number, number][] = [];
  for (const p of ring) {
    const x = Math.round(p[0] * Q);
    const y = Math.round(p[1] * Q);
    const last = q[q.length - 1];
    if (!last || last[0] !== x || last[1] !== y) q.push([x, y]);
  }
  if (q.length > 1 && q[0][0] === q[q.length - 1][0] && q[0][1] === q[q.length - 1][1]) q.pop();
  // drop a vertex where the ring goes straight on (integer arithmetic), starting from a corner so that every
  // dropped vertex lies on the segment between two kept ones
  const n = q.length;
  const straight = (a: [number, number], b: [number, number], c: [number, number]) =>
    (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) === 0 && (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1]) > 0;
  let start = -1;
  for (let i = 0; i < n && start < 0; i++) if (!straight(q[(i + n - 1) % n], q[i], q[(i + 1) % n])) start = i;
  if (start < 0) return ring;
  const out: [number, number][] = [q[start]];
  for (let k = 1; k < n; k++) {
    const b = q[(start + k) % n];
    if (!straight(out[out.length - 1], b, q[(start + k + 1) % n])) out.push(b);
  }
  if (out.length < 3) return ring;
  out.push(out[0]);
  return out.map(([x, y]) => [x / Q, y / Q]);
}

const thinPolygon = (rings: Position[][]): Position[][] => rings.map(thinRing);

/** The collection with its Polygon / MultiPolygon features thinned (other features as they are). */
export function thinPolygons(fc: FeatureCollection): FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f): Feature => {
      const g = f.geometry;
      if (g?.type === 'Polygon') return { ...f, geometry: { type: 'Polygon', coordinates: thinPolygon(g.coordinates) } satisfies Polygon };
      if (g?.type === 'MultiPolygon') return { ...f, geometry: { type: 'MultiPolygon', coordinates: g.coordinates.map(thinPolygon) } satisfies MultiPolygon };
      return f;
    }),
  };
}
