/**
 * Road segment lengths as the graph stores them: the haversine of geo.ts from per-node degrees and latitude cosines
 * (nodeGeometry), and the same Float32 by a checked series (storedLength). Pure.
 */
import { EARTH_RADIUS_M } from './geo';

const RAD = Math.PI / 180;

/**
 * Haversine length in metres of the segment a → b, as geo.ts haversineM with the degrees and the cosines of the
 * latitudes per node (nodeGeometry; a sine of 0 not called for).
 */
export function segmentLength(a: number, b: number, geo: Float64Array): number {
  const dLat = (geo[3 * b] - geo[3 * a]) * RAD;
  const dLon = (geo[3 * b + 1] - geo[3 * a + 1]) * RAD;
  const sLat = dLat === 0 ? 0 : Math.sin(dLat / 2) ** 2, sLon = dLon === 0 ? 0 : Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(sLat + geo[3 * a + 2] * geo[3 * b + 2] * sLon)));
}

/** Half-angle (radians) up to which storedLength uses its series: segments up to ~12 km. */
const SERIES_MAX = 1e-3;
/** Relative margin around the series' length: its error and segmentLength's are each below 1e-14. */
const MARGIN = 1e-12;
const SIXTH = 1 / 6, ONE_120TH = 1 / 120, THREE_40THS = 3 / 40, TWO_R = 2 * EARTH_RADIUS_M;

/**
 * segmentLength as the graph stores it (Float32), the same value bit for bit, faster: sin and asin of the small
 * angles of a road segment by their series (sin h = h − h³/6 + h⁵/120, asin q = q + q³/6 + 3q⁵/40; the next terms
 * are below 1e-17 relative for |h| ≤ 1e-3, q ≤ 1.5e-3), which is the exact length within MARGIN; when the whole
 * interval length × (1 ± MARGIN) rounds to one Float32, so does segmentLength's (rounding is monotonic); otherwise
 * (a few segments in a million) segmentLength itself. The half-angles are computed exactly as segmentLength computes
 * them: a difference of two rounded quotients, whose rounding (large for a short segment) must be the same; the rest
 * is well conditioned. (Math.sin and Math.asin were most of the fill's time.)
 */
export function storedLength(a: number, b: number, geo: Float64Array): number {
  const hLat = (geo[3 * b] - geo[3 * a]) * RAD / 2;
  const hLon = (geo[3 * b + 1] - geo[3 * a + 1]) * RAD / 2;
  if (hLat < SERIES_MAX && hLat > -SERIES_MAX && hLon < SERIES_MAX && hLon > -SERIES_MAX) {
    // (products by constants, no division: the series' own rounding is far inside MARGIN; only the angles above
    // must be the ones segmentLength computes)
    const zLat = hLat * hLat, zLon = hLon * hLon;
    const sinLat = hLat - hLat * zLat * (SIXTH - zLat * ONE_120TH), sinLon = hLon - hLon * zLon * (SIXTH - zLon * ONE_120TH);
    const x = sinLat * sinLat + geo[3 * a + 2] * geo[3 * b + 2] * (sinLon * sinLon);
    const q = Math.sqrt(x); // asin q = q + q³/6 + 3q⁵/40, q² = x
    const len = TWO_R * (q + q * x * (SIXTH + x * THREE_40THS));
    const f = Math.fround(len);
    if (Math.fround(len * (1 - MARGIN)) === f && Math.fround(len * (1 + MARGIN)) === f) return f;
  }
  return Math.fround(segmentLength(a, b, geo));
}

/**
 * Each node's latitude and longitude in degrees (the quotients by 1e7 that segmentLength divides) and the cosine of
 * its latitude, side by side (geo[3v], geo[3v + 1], geo[3v + 2]: a segment's end is one cache line, not three, and
 * no division per segment); `valid` false when a latitude is outside ±90° (hand-built data: the readers refuse it),
 * where a segment between different coordinates might have no length (see countSegments); the nodes' bounds
 * [minLon, minLat, maxLon, maxLat] (for the graph's header, in the same pass).
 */
export function nodeGeometry(lon: Int32Array, lat: Int32Array): { geo: Float64Array; valid: boolean; bounds: [number, number, number, number] } {
  const geo = new Float64Array(3 * lat.length);
  let valid = true, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let v = 0; v < lat.length; v++) {
    const x = lon[v], y = lat[v];
    if (y > 900_000_000 || y < -900_000_000) valid = false;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    const latDeg = y / 1e7;
    geo[3 * v] = latDeg;
    geo[3 * v + 1] = x / 1e7;
    geo[3 * v + 2] = Math.cos(latDeg * RAD);
  }
  return { geo, valid, bounds: [x0, y0, x1, y1] };
}
