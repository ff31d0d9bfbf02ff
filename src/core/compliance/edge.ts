/**
 * District-edge test: the boundary is cut into equal stretches of about `stepM`; each stretch is tested at its
 * midpoint (on an automatic district's raster ring, network mode: the midpoint of the cell side it lies on), at the
 * ring vertices inside it (but such a ring's cell corners) and at every road crossing inside it; in network mode at the road points near
 * those points. A stretch passes when all its tested points are within the travel limit; stretches with no road
 * near and no crossing are "no road access" and count neither way. planEdge places the samples, judgeEdge gives the
 * verdict from their times, evaluateEdge does both with a time function (straight-line mode, no crossings).
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

export interface EdgeOptions {
  stepM: number;
  travelLimitS: number;
  /** Share of accessible edge length that must pass (1 = all of it, crossings included). */
  requiredShare: number;
  /** Ring vertices not to test (corners made by raster tracing: the stretch midpoints already cover them). */
  skipVertex?: (lon: number, lat: number) => boolean;
  /** Where to test a stretch whose midpoint p lies on ring segment a–b (raster rings: the cell side's midpoint). */
  samplePoint?: (a: Position, b: Position, p: LonLat) => LonLat;
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
  /** Tested points reached later than the travel limit. */
  overLimit: number;
  share: number | null;
  totalM: number;
  accessibleM: number;
  noAccessM: number;
  failing: Feature<LineString, { stationId: string; maxSeconds: number | null; lengthM: number }>[];
  noAccess: Feature<LineString, { stationId: string; lengthM: number }>[];
}

type State = 'pass' | 'fail' | 'none';

const r1 = (x: number) => Math.round(x * 10) / 10;

/** A ring of the district boundary cut into `n` equal stretches of `stretch` metres. */
export interface PlanRing {
  coords: Position[];
  /** Cumulative metres at each vertex. */
  cum: number[];
  length: number;
  n: number;
  stretch: number;
}

/**
 * Where the edge is tested, ring by ring: each stretch's midpoint, then the ring vertices (but skipVertex's), in
 * this order. Road crossings (network mode) come on top, per ring (see judgeEdge).
 */
export interface EdgePlan {
  rings: PlanRing[];
  lon: number[];
  lat: number[];
  /** Ring index and stretch index of each sample. */
  ring: number[];
  stretch: number[];
}

export function planEdge(geom: AreaGeometry, stepM: number, o: Pick<EdgeOptions, 'skipVertex' | 'samplePoint'> = {}): EdgePlan {
  const { skipVertex, samplePoint } = o;
  const plan: EdgePlan = { rings: [], lon: [], lat: [], ring: [], stretch: [] };
  for (const coords of ringsOf(geom)) {
    const cum = cumulativeM(coords);
    const L = cum[cum.length - 1];
    if (!(L > 0)) continue;
    const n = Math.max(1, Math.ceil(L / stepM - 1e-3));
    const stretch = L / n, r = plan.rings.length;
    plan.rings.push({ coords, cum, length: L, n, stretch });
    const add = (lon: number, lat: number, k: number) => { plan.lon.push(lon); plan.lat.push(lat); plan.ring.push(r); plan.stretch.push(k); };
    for (let k = 0, i = 1; k < n; k++) {
      // Stretch midpoints in order along the ring (a moving segment index keeps this linear).
      const m = (k + 0.5) * stretch;
      while (i < coords.length - 1 && cum[i] < m) i++;
      const seg = cum[i] - cum[i - 1], f = seg > 0 ? Math.min(1, Math.max(0, (m - cum[i - 1]) / seg)) : 0;
      let p: LonLat = [coords[i - 1][0] + f * (coords[i][0] - coords[i - 1][0]), coords[i - 1][1] + f * (coords[i][1] - coords[i - 1][1])];
      if (samplePoint) p = samplePoint(coords[i - 1], coords[i], p);
      add(p[0], p[1], k);
    }
    // Ring vertices (corners are often the farthest points).
    for (let i = 0; i < coords.length - 1; i++)
      if (!skipVertex?.(coords[i][0], coords[i][1])) add(coords[i][0], coords[i][1], Math.min(n - 1, Math.floor(cum[i] / stretch)));
  }
  return plan;
}

/** A road crossing of plan ring `ring` at `posM` metres along it, with its time. */
export interface EdgeCrossing {
  ring: number;
  posM: number;
  lon: number;
  lat: number;
  seconds: number;
}

/**
 * The verdict from the times at the plan's samples (`seconds`: NaN = no road near, Infinity = a road the station
 * cannot reach) and at the crossings (grouped by ring, in ring order). `target(kind, i)` gives the point a time
 * is measured to (asked for the worst one only).
 */
export function judgeEdge(stationId: string, plan: EdgePlan, seconds: ArrayLike<number>, crossings: readonly EdgeCrossing[], target: (kind: 'sample' | 'crossing', i: number) => LonLat, o: EdgeOptions): EdgeEval {
  const res: EdgeEval = { pass: false, worst: null, unreachable: 0, overLimit: 0, share: null, totalM: 0, accessibleM: 0, noAccessM: 0, failing: [], noAccess: [] };
  let passM = 0;
  let allCrossingsPass = true;
  let worst = -1, worstKind: 'sample' | 'crossing' = 'sample', worstS = -Infinity;
  const consider = (t: number, kind: 'sample' | 'crossing', i: number) => {
    if (!(t < Infinity)) { res.unreachable++; return; }
    if (t > o.travelLimitS) res.overLimit++;
    if (worst < 0 || t > worstS) { worst = i; worstKind = kind; worstS = t; }
  };
  let i = 0, c = 0;
  plan.rings.forEach((pr, r) => {
    const { coords: ring, cum, length: L, n, stretch } = pr;
    const worstIn = new Float64Array(n).fill(-1); // -1 = nothing tested
    for (; i < plan.ring.length && plan.ring[i] === r; i++) {
      const t = seconds[i];
      if (Number.isNaN(t)) continue;
      consider(t, 'sample', i);
      const k = plan.stretch[i];
      worstIn[k] = Math.max(worstIn[k], t);
    }
    for (; c < crossings.length && crossings[c].ring === r; c++) {
      const x = crossings[c];
      const k = Math.min(n - 1, Math.floor(x.posM / stretch));
      consider(x.seconds, 'crossing', c);
      worstIn[k] = Math.max(worstIn[k], x.seconds);
      if (!(x.seconds <= o.travelLimitS)) allCrossingsPass = false;
    }
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
      const st = state[(start + k) % n];
      let len = 1;
      while (k + len < n && state[(start + k + len) % n] === st) len++;
      if (st !== 'pass') {
        const from = ((start + k) % n) * stretch;
        const to = from + len * stretch;
        const coords: LonLat[] = to <= L + 1e-6 ? sliceLine(ring, cum, from, Math.min(to, L)) : [...sliceLine(ring, cum, from, L), ...sliceLine(ring, cum, 0, to - L).slice(1)];
        const geometry: LineString = { type: 'LineString', coordinates: coords.map(roundPt) };
        const lengthM = r1(len * stretch);
        if (st === 'fail') {
          let max = -Infinity;
          for (let j = 0; j < len; j++) max = Math.max(max, worstIn[(start + k + j) % n]);
          res.failing.push({ type: 'Feature', geometry, properties: { stationId, maxSeconds: max < Infinity ? r1(max) : null, lengthM } });
        } else res.noAccess.push({ type: 'Feature', geometry, properties: { stationId, lengthM } });
      }
      k += len;
    }
  });
  if (worst >= 0) {
    const edgePoint: LonLat = worstKind === 'sample' ? [plan.lon[worst], plan.lat[worst]] : [crossings[worst].lon, crossings[worst].lat];
    res.worst = { seconds: worstS, target: target(worstKind, worst), edgePoint };
  }
  res.share = res.accessibleM > 0 ? passM / res.accessibleM : null;
  res.pass = res.share !== null && res.share >= o.requiredShare - 1e-9 && (o.requiredShare < 1 || (allCrossingsPass && res.unreachable === 0));
  return res;
}

/** The edge test with a time function per point, no crossings (straight-line mode): planEdge, the times, judgeEdge. */
export function evaluateEdge(stationId: string, geom: AreaGeometry, timeAt: TimeAt, o: EdgeOptions): EdgeEval {
  const plan = planEdge(geom, o.stepM, o);
  const times = plan.lon.map((lon, i) => timeAt(lon, plan.lat[i]));
  return judgeEdge(stationId, plan, times.map((t) => (t ? t.seconds : NaN)), [], (_kind, i) => times[i]!.target, o);
}
