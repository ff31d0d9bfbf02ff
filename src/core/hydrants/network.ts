/**
 * The road network as a hose sees it (GB 50974-2014 §7.2: the 150 m protection radius is the hose lay from a
 * hydrant, measured here along the roads). Distances are metres along road centre lines, in BOTH directions of
 * every road whatever its one-way rule or road-rule closure: a hose is laid on foot along the road, not driven.
 * Whether a fire engine can get to a hydrant is a separate test (the engine's travel seconds and network reach
 * under the road rules, `RoadNetworkView`).
 *
 * The search is the planner's one Dijkstra (search.ts through ShortestPaths) on a weight array of metres with no
 * turn rules; sources start part-way along a segment with their distance off the road added.
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { NetworkReach } from '../components';
import { FROM_SOURCE, ShortestPaths } from '../dijkstra';
import type { RoadGraph } from '../graph';
import { snapPoint } from '../snap';
import type { SpatialIndex } from '../spatial';
import type { AreaGeometry } from '../types';

/** A road point this close to a node stands on the node (m: rounding of a snap). */
const ON_NODE_M = 0.01;

/** What the audit needs of a Router: the graph, its spatial index, the engine's seconds and network reach. */
export interface RoadNetworkView {
  graph: RoadGraph;
  spatial: SpatialIndex;
  /** A fire engine's travel seconds per directed edge under the road rules (Infinity = closed that way). */
  seconds: Float32Array;
  reach: NetworkReach;
}

/** A district or town for the per-area tables. */
export interface AuditArea {
  id: string;
  name: string;
  nameEn?: string;
  geometry: AreaGeometry;
}

/** A distance cone on one segment: distance c at position p (metres from the segment's tail), growing 1 m per m. */
export interface Cone {
  p: number;
  c: number;
  /** The hydrant (source index) it comes from. */
  k: number;
}

/** Where a point sits on the network: segment, metres from its tail, metres off the road, the road point. */
export interface RoadPoint {
  seg: number;
  posM: number;
  offM: number;
  lon: number;
  lat: number;
}

/** The graph prepared for hose distances (build once per graph and road rules; reused by audits and suggestions). */
export class HoseNetwork {
  readonly metres: Float32Array;
  readonly paths: ShortestPaths;
  /** Segment index of every directed edge (both directions of a road map to the same segment). */
  readonly segOf: Int32Array;
  /** Per segment: its directed edge with tail < head (SpatialIndex.segEdge), its length, tail and head node. */
  readonly segEdge: Uint32Array;
  readonly segLen: Float64Array;
  readonly segU: Uint32Array;
  readonly segV: Uint32Array;
  /** Per segment: index into `areas` of the area holding its midpoint, -1 when none. */
  readonly segArea: Int32Array;
  readonly totalM: number;
  /** Metres of the roads inside the place (segments whose midpoint lies in an area); every road when no areas. */
  readonly placeM: number;

  constructor(readonly view: RoadNetworkView, readonly areas: readonly AuditArea[] = []) {
    const { graph, spatial } = view;
    this.metres = Float32Array.from(graph.lengthM);
    this.paths = new ShortestPaths(graph, this.metres, { restrictions: false, uTurnSeconds: 0, leftTurnSeconds: 0, rightTurnSeconds: 0 });
    this.segEdge = spatial.segEdge;
    const S = this.segEdge.length;
    this.segOf = new Int32Array(graph.edgeCount).fill(-1);
    this.segLen = new Float64Array(S);
    this.segU = new Uint32Array(S);
    this.segV = new Uint32Array(S);
    let total = 0;
    for (let s = 0; s < S; s++) {
      const e = this.segEdge[s];
      this.segOf[e] = s;
      if (spatial.twin[e] >= 0) this.segOf[spatial.twin[e]] = s;
      this.segLen[s] = graph.lengthM[e];
      this.segU[s] = spatial.source[e];
      this.segV[s] = graph.target[e];
      total += graph.lengthM[e];
    }
    this.totalM = total;
    this.segArea = new Int32Array(S).fill(-1);
    if (areas.length) {
      for (let s = 0; s < S; s++) {
        const [lon, lat] = this.pointAt(s, this.segLen[s] / 2);
        this.segArea[s] = this.areaOf(lon, lat);
      }
    }
    let inside = 0;
    for (let s = 0; s < S; s++) if (this.inPlace(s)) inside += this.segLen[s];
    this.placeM = areas.length ? inside : total;
  }

  /** Whether segment s counts as the place's road (inside an area; every segment when no areas are given). */
  inPlace(s: number): boolean {
    return this.areas.length === 0 || this.segArea[s] >= 0;
  }

  /** Index of the area holding a point (-1 when none). */
  areaOf(lon: number, lat: number): number {
    for (let i = 0; i < this.areas.length; i++) if (booleanPointInPolygon([lon, lat], this.areas[i].geometry)) return i;
    return -1;
  }

  /** Lon/lat of the point `posM` metres from segment s's tail (segments are straight). */
  pointAt(s: number, posM: number): [number, number] {
    const { lon, lat } = this.view.graph, u = this.segU[s], v = this.segV[s];
    const t = this.segLen[s] > 0 ? Math.min(1, Math.max(0, posM / this.segLen[s])) : 0;
    return [(lon[u] + t * (lon[v] - lon[u])) / 1e7, (lat[u] + t * (lat[v] - lat[u])) / 1e7];
  }

  /** The nearest road point of any road (closed or not), or null for an empty graph. */
  place(lon: number, lat: number): RoadPoint | null {
    const s = snapPoint(this.view.graph, this.view.spatial, this.metres, null, lon, lat);
    if (!s) return null;
    const seg = this.segOf[s.edge];
    const flip = this.segEdge[seg] !== s.edge;
    const t = flip ? 1 - s.t : s.t;
    return { seg, posM: t * this.segLen[seg], offM: s.distanceM, lon: s.lon, lat: s.lat };
  }

  /**
   * Whether a fire engine can drive to a road point (metres `posM` from segment `seg`'s tail): one direction of its
   * segment is open under the road rules and its entry node is reached from the main network; a point on a node
   * needs only the node to be reached. Returns the reason when not.
   */
  engineAccess(seg: number, posM = -1): 'ok' | 'closed-road' | 'cut-off' {
    const { seconds, reach } = this.view, e = this.segEdge[seg], r = this.view.spatial.twin[e];
    const u = this.segU[seg], v = this.segV[seg];
    if ((posM >= 0 && posM <= ON_NODE_M && reach.reached[u] === 1) || (posM >= this.segLen[seg] - ON_NODE_M && reach.reached[v] === 1)) return 'ok';
    const fwd = seconds[e] < Infinity, back = r >= 0 && seconds[r] < Infinity;
    if (!fwd && !back) return 'closed-road';
    return (fwd && reach.reached[u] === 1) || (back && reach.reached[v] === 1) ? 'ok' : 'cut-off';
  }

  /**
   * One capped multi-source search in metres from road points (each with its distance off the road added).
   * Afterwards `paths.search` holds the settled nodes (order[0 .. count-1]) with their distance and source index.
   */
  run(points: readonly RoadPoint[], capM: number): void {
    const s = this.paths.search, enter = this.paths.sg.enter;
    s.start();
    for (let k = 0; k < points.length; k++) {
      const p = points[k], e = this.segEdge[p.seg], r = this.view.spatial.twin[e], L = this.segLen[p.seg];
      const toHead = L - p.posM, toTail = p.posM;
      s.relax(toHead <= 0 ? this.segV[p.seg] : enter[e], p.offM + Math.max(0, toHead), k, FROM_SOURCE);
      if (toTail <= 0) s.relax(this.segU[p.seg], p.offM, k, FROM_SOURCE);
      else if (r >= 0) s.relax(enter[r], p.offM + toTail, k, FROM_SOURCE);
    }
    s.settle(capM);
  }
}

/** Gaps of one segment: intervals (metres from the tail) farther than R from every cone, merged and sorted. */
export interface SegmentCover {
  /** Flat [from0, to0, from1, to1, …]. */
  gaps: number[];
  protectedM: number;
  /** Largest distance to the nearest hydrant on the segment; Infinity when part of it is a gap (beyond R). */
  maxM: number;
}

/**
 * The distance along the segment is the lower envelope of the cones (each c + |x − p|). With every cone's value
 * replaced by the envelope at its apex, the envelope between two neighbouring apexes is the smaller of their two
 * cones only (any farther cone is dominated there), so gaps and the maximum follow exactly piece by piece.
 * `cones` is sorted in place.
 */
export function coverSegment(L: number, cones: Cone[], R: number): SegmentCover {
  const live = cones.filter((c) => c.c < Infinity).sort((a, b) => a.p - b.p);
  if (!live.length) return { gaps: L > 0 ? [0, L] : [], protectedM: 0, maxM: Infinity };
  const f = live.map((a) => live.reduce((m, b) => Math.min(m, b.c + Math.abs(a.p - b.p)), Infinity));
  const gaps: number[] = [];
  const add = (a: number, b: number) => {
    if (!(b > a)) return;
    if (gaps.length && gaps[gaps.length - 1] >= a) gaps[gaps.length - 1] = Math.max(gaps[gaps.length - 1], b);
    else gaps.push(a, b);
  };
  const n = live.length, p0 = live[0].p, pl = live[n - 1].p;
  let maxM = Math.max(f[0] + p0, f[n - 1] + L - pl);
  add(0, Math.min(p0, p0 - (R - f[0])));
  for (let i = 0; i + 1 < n; i++) {
    const a = live[i].p, b = live[i + 1].p;
    const left = f[i] <= R ? a + (R - f[i]) : a, right = f[i + 1] <= R ? b - (R - f[i + 1]) : b;
    add(Math.max(a, left), Math.min(b, right));
    maxM = Math.max(maxM, (f[i] + f[i + 1] + b - a) / 2);
  }
  add(Math.max(pl, pl + (R - f[n - 1])), L);
  let gapM = 0;
  for (let i = 0; i < gaps.length; i += 2) gapM += gaps[i + 1] - gaps[i];
  return { gaps, protectedM: Math.max(0, L - gapM), maxM: gaps.length ? Infinity : maxM };
}

/** coverSegment for a segment covered only from its two ends (du at the tail, dv at the head; Infinity = not within R). */
export function coverEnds(L: number, du: number, dv: number, R: number): SegmentCover {
  const f0 = Math.min(du, dv + L), fL = Math.min(dv, du + L);
  const a = f0 <= R ? Math.min(L, R - f0) : 0, b = fL <= R ? Math.max(0, L - (R - fL)) : L;
  if (a >= b) return { gaps: [], protectedM: L, maxM: (f0 + fL + L) / 2 };
  return { gaps: [a, b], protectedM: L - (b - a), maxM: Infinity };
}

/** Gap length of a segment covered only from its two ends (distances du at the tail, dv at the head): no allocation. */
export function endGapM(L: number, du: number, dv: number, R: number): number {
  const a = du <= R ? R - du : 0, b = dv <= R ? R - dv : 0;
  return Math.max(0, L - a - b);
}
