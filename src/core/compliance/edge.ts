/**
 * District-edge test: the boundary is cut into equal stretches of about `stepM`; each stretch is tested at its
 * midpoint, at the ring vertices inside it (but those made by raster tracing, see skipVertex) (network: at the nearest road point within `roadSearchM`) and at
 * every road crossing inside it. A stretch passes when all its tested points are within the travel limit;
 * stretches with no road near and no crossing are "no road access" and count neither way.
 */
import type { Feature, LineString, Position } from 'geojson';
import type { AreaGeometry, LonLat } from '../types';
import { cumulativeM, ringsOf, roundPt, sliceLine } from './geom';

export interface PointTime {
  /** Travel seconds; Infinity when a road is near but the station cannot reach it. */
  seconds: number;
  /** The point the time is measured to (road point in network mode). */
  target: LonLat;
}

/** Time to the edge point (lon, lat), or null when no road is near (no road access). */
export type TimeAt = (lon: number, lat: number) => PointTime | null;
/** Road crossings of a ring with their times (network mode). */
export type CrossingsAt = (ring: Position[], cum: number[]) => { posM: number; lon: number; lat: number; time: PointTime }[];

export interface EdgeOptions {
  stepM: number;
  travelLimitS: number;
  /** Share of accessible edge length that must pass (1 = all of it, crossings included). */
  requiredShare: number;
  /** false: only ask for the times (no result; a first pass that just probes the points). */
  collect?: boolean;
  /** Ring vertices not to test (corners made by raster tracing: the stretch midpoints already cover them). */
  skipVertex?: (lon: number, lat: number) => boolean;
}

export interface EdgeWorst {
  seconds: number;
  target: LonLat;
  edgePoint: LonLat;
}

export interface EdgeEval {
  pass: boolean;
  worst: EdgeWorst | null;
  unreachable: number;
  share: number | null;
  totalM: number;
  accessibleM: number;
  noAccessM: number;
  failing: Feature<LineString, { stationId: string; maxSeconds: number | null; lengthM: number }>[];
  noAccess: Feature<LineString, { stationId: string; lengthM: number }>[];
}

type State = 'pass' | 'fail' | 'none';

const r1 = (x: number) => Math.round(x * 10) / 10;

export function evaluateEdge(stationId: string, geom: AreaGeometry, timeAt: TimeAt, crossingsAt: CrossingsAt | null, o: EdgeOptions): EdgeEval {
  const res: EdgeEval = { pass: false, worst: null, unreachable: 0, share: null, totalM: 0, accessibleM: 0, noAccessM: 0, failing: [], noAccess: [] };
  let passM = 0;
  let allCrossingsPass = true;
  const consider = (t: PointTime, edgePoint: LonLat) => {
    if (!(t.seconds < Infinity)) { res.unreachable++; return; }
    if (!res.worst || t.seconds > res.worst.seconds) res.worst = { seconds: t.seconds, target: t.target, edgePoint };
  };
  for (const ring of ringsOf(geom)) {
    const cum = cumulativeM(ring);
    const L = cum[cum.length - 1];
    if (!(L > 0)) continue;
    const n = Math.max(1, Math.ceil(L / o.stepM - 1e-3));
    const stretch = L / n;
    const worstIn = new Float64Array(n).fill(-1); // -1 = nothing tested
    for (let k = 0, i = 1; k < n; k++) {
      // Stretch midpoints in order along the ring (a moving segment index keeps this linear).
      const m = (k + 0.5) * stretch;
      while (i < ring.length - 1 && cum[i] < m) i++;
      const seg = cum[i] - cum[i - 1], f = seg > 0 ? Math.min(1, Math.max(0, (m - cum[i - 1]) / seg)) : 0;
      const p: LonLat = [ring[i - 1][0] + f * (ring[i][0] - ring[i - 1][0]), ring[i - 1][1] + f * (ring[i][1] - ring[i - 1][1])];
      const t = timeAt(p[0], p[1]);
      if (!t) continue;
      consider(t, p);
      worstIn[k] = Math.max(worstIn[k], t.seconds);
    }
    // Ring vertices (corners are often the farthest points) and road crossings are tested too.
    for (let i = 0; i < ring.length - 1; i++) {
      if (o.skipVertex?.(ring[i][0], ring[i][1])) continue;
      const t = timeAt(ring[i][0], ring[i][1]);
      if (!t) continue;
      const k = Math.min(n - 1, Math.floor(cum[i] / stretch));
      consider(t, [ring[i][0], ring[i][1]]);
      worstIn[k] = Math.max(worstIn[k], t.seconds);
    }
    for (const c of crossingsAt ? crossingsAt(ring, cum) : []) {
      const k = Math.min(n - 1, Math.floor(c.posM / stretch));
      consider(c.time, [c.lon, c.lat]);
      worstIn[k] = Math.max(worstIn[k], c.time.seconds);
      if (!(c.time.seconds <= o.travelLimitS)) allCrossingsPass = false;
    }
    if (o.collect === false) continue;
    const state: State[] = Array.from(worstIn, (w) => (w < 0 ? 'none' : w <= o.travelLimitS ? 'pass' : 'fail'));
    res.totalM += L;
    for (let k = 0; k < n; k++) {
      if (state[k] === 'none') res.noAccessM += stretch;
      else {
        res.accessibleM += stretch;
        if (state[k] === 'pass') passM += stretch;
      }
    }
    // Group consecutive stretches of the same state into lines (a group may wrap past the ring's start).
    let start = 0;
    while (start < n && state[start] === state[(start + n - 1) % n]) start++;
    if (start === n) start = 0;
    for (let k = 0; k < n; ) {
      const s = state[(start + k) % n];
      let len = 1;
      while (k + len < n && state[(start + k + len) % n] === s) len++;
      if (s !== 'pass') {
        const from = ((start + k) % n) * stretch;
        const to = from + len * stretch;
        const coords: LonLat[] = to <= L + 1e-6 ? sliceLine(ring, cum, from, Math.min(to, L)) : [...sliceLine(ring, cum, from, L), ...sliceLine(ring, cum, 0, to - L).slice(1)];
        const geometry: LineString = { type: 'LineString', coordinates: coords.map(roundPt) };
        const lengthM = r1(len * stretch);
        if (s === 'fail') {
          let max = -Infinity;
          for (let j = 0; j < len; j++) max = Math.max(max, worstIn[(start + k + j) % n]);
          res.failing.push({ type: 'Feature', geometry, properties: { stationId, maxSeconds: max < Infinity ? r1(max) : null, lengthM } });
        } else res.noAccess.push({ type: 'Feature', geometry, properties: { stationId, lengthM } });
      }
      k += len;
    }
  }
  res.share = res.accessibleM > 0 ? passM / res.accessibleM : null;
  res.pass = res.share !== null && res.share >= o.requiredShare - 1e-9 && (o.requiredShare < 1 || (allCrossingsPass && res.unreachable === 0));
  return res;
}
