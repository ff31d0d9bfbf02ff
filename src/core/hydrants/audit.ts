/**
 * Hydrant audit along the roads (GB 50974-2014 §7.2, issue #13 part 2). Pure: a HoseNetwork, the hydrants and the
 * standard in, figures out.
 *
 * - Every hydrant and water intake is put on its nearest road of any kind; its distance off the road is kept and
 *   added to its hose distance; farther than the standard's `farM` setting (5 m) it is flagged.
 * - A hydrant a fire engine cannot get to (its road closed both ways by the road rules, or not reached from the main
 *   network) is flagged and protects nothing; so does one the data marks out of service or one off the network.
 * - One multi-source search in metres from all usable hydrants, both directions of every road (a hose is laid on
 *   foot: one-way rules do not apply to it), capped at the protection radius R; every segment's distance to the
 *   nearest hydrant is the lower envelope of the distance cones on it (network.ts coverSegment), so a gap starts at
 *   the exact point where R is passed.
 * - Spacing: a hydrant's nearest neighbour along the roads (network Voronoi: the least d(u) + |pu − pv| + d(v)
 *   over segment pieces whose ends belong to different hydrants), offsets off the road not counted; > spacingM (or
 *   no neighbour within it) is a violation.
 * - Water intakes: engine access (as above) and, when the caller gives station travel times, seconds from the
 *   nearest station.
 * - Road length counted = every road of the place (segments whose midpoint lies in one of its areas; every road of
 *   the graph when no areas are given), closed roads too: a fire can break out there. Roads of the graph beyond the
 *   boundary still carry hose distances but are not counted.
 */
import type { Hydrant } from '../types';
import { coverEnds, coverSegment, endGapM, type Cone, type HoseNetwork, type RoadPoint } from './network';
import type { ClauseText, HydrantStandard } from './standard';

export type AuditHydrant = Pick<Hydrant, 'id' | 'kind' | 'lon' | 'lat'> & Partial<Pick<Hydrant, 'name' | 'inService' | 'status' | 'example'>>;

export type HydrantProblem = 'out-of-service' | 'off-network' | 'closed-road' | 'cut-off';

export interface AuditOptions {
  /** Override of the standard's far-from-road setting (m). */
  farM?: number;
  /** Beyond this from any road a point is off the network (m, default 300, like a destination's snap). */
  offNetworkM?: number;
  /** Travel seconds from the nearest station to a road point (intakes), null when no station reaches it. */
  stationSeconds?: (p: RoadPoint) => number | null;
  /** Longest acceptable travel from a station to an intake (s, default 240: the 4 travel minutes of 建标152-2017 — an assumption). */
  intakeMaxS?: number;
}

export interface HydrantRow {
  id: string;
  kind: Hydrant['kind'];
  name?: string;
  lon: number;
  lat: number;
  /** The road point it is measured from. */
  roadLon: number;
  roadLat: number;
  offRoadM: number;
  far: boolean;
  problem: HydrantProblem | null;
  /** Hydrants only: metres along the roads to the nearest usable hydrant (null: none within the spacing). */
  nearestM: number | null;
  spacingOk: boolean | null;
  /** Intakes only: travel seconds from the nearest station (null: none given or unreachable). */
  stationS?: number | null;
  /** Index of the audit area holding the point (-1 none). */
  area: number;
  example?: boolean;
}

export interface AuditFigures {
  roadKm: number;
  protectedKm: number;
  gapKm: number;
  /** Protected share of the road length, 0..1. */
  protectedShare: number;
  hydrantsInData: number;
  hydrantsUsed: number;
  intakesInData: number;
  intakesAccessible: number;
  farFromRoad: number;
  unreachable: number;
  outOfService: number;
  spacingViolations: number;
}

export interface AreaRow {
  id: string;
  name: string;
  nameEn?: string;
  roadKm: number;
  protectedKm: number;
  gapKm: number;
  protectedShare: number | null;
  hydrants: number;
  intakes: number;
}

export interface HydrantAudit {
  settings: { radiusM: number; spacingM: number; farM: number; intakeMaxS: number };
  figures: AuditFigures;
  /** The clause behind each figure. */
  clauses: Record<'protection' | 'spacing' | 'far' | 'access', ClauseText>;
  standard: ClauseText;
  /** No building data in any place: the share of buildings protected cannot be given. */
  buildings: null;
  buildingsNote: ClauseText;
  hydrants: HydrantRow[];
  areas: AreaRow[];
  /** Per segment (HoseNetwork order): protected metres and the largest distance to a hydrant (Infinity: has a gap). */
  segProtectedM: Float32Array;
  segMaxM: Float32Array;
  /** Gap pieces on the place's roads (as counted in gapKm): segment, from / to in metres from the segment's tail. */
  gapSeg: Uint32Array;
  gapFrom: Float32Array;
  gapTo: Float32Array;
}

/** The audit without its per-segment arrays (what crosses to the UI and the CLI's JSON). */
export type HydrantAuditView = Omit<HydrantAudit, 'segProtectedM' | 'segMaxM' | 'gapSeg' | 'gapFrom' | 'gapTo'>;

export function auditView(a: HydrantAudit): HydrantAuditView {
  const { segProtectedM: _p, segMaxM: _m, gapSeg: _s, gapFrom: _f, gapTo: _t, ...view } = a;
  return view;
}

/** Node distances and on-segment cones of a set of hydrants (capped at R); extended one hydrant at a time. */
export class Coverage {
  readonly dist: Float64Array;
  readonly origin: Int32Array;
  readonly onSeg = new Map<number, Cone[]>();

  constructor(readonly net: HoseNetwork, readonly R: number, points: readonly RoadPoint[], ids: readonly number[] = points.map((_, i) => i)) {
    const n = net.view.graph.nodeCount;
    this.dist = new Float64Array(n).fill(Infinity);
    this.origin = new Int32Array(n).fill(-1);
    net.run(points, R);
    const s = net.paths.search;
    for (let i = 0; i < s.count; i++) {
      const x = s.order[i];
      this.dist[x] = s.dist[x];
      this.origin[x] = ids[s.origin[x]];
    }
    points.forEach((p, i) => this.addCone(p, ids[i]));
  }

  private addCone(p: RoadPoint, k: number): void {
    const list = this.onSeg.get(p.seg);
    const c = { p: p.posM, c: p.offM, k };
    if (list) list.push(c);
    else this.onSeg.set(p.seg, [c]);
  }

  /** The cones on segment s (its two ends when reached, and the hydrants on it). */
  cones(s: number): Cone[] {
    const { segU, segV, segLen } = this.net, u = segU[s], v = segV[s];
    const out: Cone[] = [];
    if (this.dist[u] < Infinity) out.push({ p: 0, c: this.dist[u], k: this.origin[u] });
    if (this.dist[v] < Infinity) out.push({ p: segLen[s], c: this.dist[v], k: this.origin[v] });
    const own = this.onSeg.get(s);
    if (own) out.push(...own);
    return out;
  }

  /** Unprotected metres of segment s. */
  gapM(s: number): number {
    const { segU, segV, segLen } = this.net;
    if (!this.onSeg.has(s)) return endGapM(segLen[s], this.dist[segU[s]], this.dist[segV[s]], this.R);
    return segLen[s] - coverSegment(segLen[s], this.cones(s), this.R).protectedM;
  }

  /** Adds hydrant k at p: one capped search from it, node distances lowered. Returns the segments that may change. */
  add(p: RoadPoint, k: number): number[] {
    const net = this.net;
    net.run([p], this.R);
    const s = net.paths.search, g = net.view.graph;
    const touched = new Set<number>([p.seg]);
    for (let i = 0; i < s.count; i++) {
      const x = s.order[i];
      if (s.dist[x] < this.dist[x]) { this.dist[x] = s.dist[x]; this.origin[x] = k; }
      for (let e = g.firstEdge[x]; e < g.firstEdge[x + 1]; e++) touched.add(net.segOf[e]);
    }
    this.addCone(p, k);
    return [...touched];
  }
}

const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

/** Hydrants placed on the network with their problems (shared by the audit and the suggestions). */
export function placeHydrants(net: HoseNetwork, hydrants: readonly AuditHydrant[], offNetworkM = 300): { point: RoadPoint | null; problem: HydrantProblem | null }[] {
  return hydrants.map((h) => {
    const point = net.place(h.lon, h.lat);
    let problem: HydrantProblem | null = null;
    if (h.inService === false) problem = 'out-of-service';
    else if (!point || point.offM > offNetworkM) problem = 'off-network';
    else {
      const a = net.engineAccess(point.seg, point.posM);
      if (a !== 'ok') problem = a;
    }
    return { point, problem };
  });
}

export function auditHydrants(net: HoseNetwork, hydrants: readonly AuditHydrant[], std: HydrantStandard, opts: AuditOptions = {}): HydrantAudit {
  const R = std.radiusM, farM = opts.farM ?? std.farM, intakeMaxS = opts.intakeMaxS ?? 240;
  const placed = placeHydrants(net, hydrants, opts.offNetworkM);
  const used: number[] = [];
  hydrants.forEach((h, i) => { if (h.kind === 'hydrant' && !placed[i].problem) used.push(i); });
  const cov = new Coverage(net, R, used.map((i) => placed[i].point!), used);
  const S = net.segLen.length;
  const segProtectedM = new Float32Array(S), segMaxM = new Float32Array(S);
  const gapSeg: number[] = [], gapFrom: number[] = [], gapTo: number[] = [];
  const nearest = new Float64Array(hydrants.length).fill(Infinity);
  const off = (k: number) => placed[k].point!.offM;
  /** Two hydrants meeting on a segment at d metres along the roads (cones c1 + c2 + |p1 − p2|), offsets taken off. */
  const pair = (k1: number, k2: number, along: number) => {
    if (k1 === k2) return;
    const d = along - off(k1) - off(k2);
    if (d < nearest[k1]) nearest[k1] = d;
    if (d < nearest[k2]) nearest[k2] = d;
  };
  const areaRoad = net.areas.map(() => ({ road: 0, prot: 0 }));
  let protectedM = 0;
  for (let s = 0; s < S; s++) {
    const L = net.segLen[s];
    const own = cov.onSeg.has(s), du = cov.dist[net.segU[s]], dv = cov.dist[net.segV[s]];
    const c = own ? coverSegment(L, cov.cones(s), R) : coverEnds(L, du, dv, R);
    segProtectedM[s] = c.protectedM;
    segMaxM[s] = c.maxM;
    if (net.inPlace(s)) {
      protectedM += c.protectedM;
      for (let i = 0; i < c.gaps.length; i += 2) { gapSeg.push(s); gapFrom.push(c.gaps[i]); gapTo.push(c.gaps[i + 1]); }
    }
    const a = net.segArea[s];
    if (a >= 0) { areaRoad[a].road += L; areaRoad[a].prot += c.protectedM; }
    if (own) {
      const cones = cov.cones(s);
      for (let i = 0; i < cones.length; i++)
        for (let j = i + 1; j < cones.length; j++) pair(cones[i].k, cones[j].k, cones[i].c + cones[j].c + Math.abs(cones[i].p - cones[j].p));
    } else if (du < Infinity && dv < Infinity) pair(cov.origin[net.segU[s]], cov.origin[net.segV[s]], du + dv + L);
  }
  const rows: HydrantRow[] = hydrants.map((h, i) => {
    const { point, problem } = placed[i];
    const row: HydrantRow = {
      id: h.id, kind: h.kind, lon: h.lon, lat: h.lat,
      roadLon: point ? round(point.lon, 7) : h.lon, roadLat: point ? round(point.lat, 7) : h.lat,
      offRoadM: point ? round(point.offM, 1) : Infinity, far: !point || point.offM > farM, problem,
      nearestM: null, spacingOk: null, area: net.areas.length ? net.areaOf(h.lon, h.lat) : -1,
    };
    if (h.name) row.name = h.name;
    if (h.example) row.example = true;
    if (h.kind === 'hydrant' && !problem) {
      // A neighbour farther than R from both is not seen by the capped search: beyond the spacing anyway.
      row.nearestM = nearest[i] <= std.spacingM ? round(nearest[i], 1) : null;
      row.spacingOk = nearest[i] <= std.spacingM;
    }
    if (h.kind === 'water-intake') row.stationS = !problem && point && opts.stationSeconds ? opts.stationSeconds(point) : null;
    return row;
  });
  const hyd = rows.filter((r) => r.kind === 'hydrant'), intakes = rows.filter((r) => r.kind === 'water-intake');
  const intakeOk = (r: HydrantRow) => !r.problem && (r.stationS === undefined || r.stationS === null ? !opts.stationSeconds : r.stationS <= intakeMaxS);
  const km = (m: number) => round(m / 1000, 3);
  const figures: AuditFigures = {
    roadKm: km(net.placeM), protectedKm: km(protectedM), gapKm: km(net.placeM - protectedM),
    protectedShare: net.placeM > 0 ? protectedM / net.placeM : 0,
    hydrantsInData: hyd.length, hydrantsUsed: used.length,
    intakesInData: intakes.length, intakesAccessible: intakes.filter(intakeOk).length,
    farFromRoad: rows.filter((r) => r.far).length,
    unreachable: rows.filter((r) => r.problem === 'closed-road' || r.problem === 'cut-off' || r.problem === 'off-network').length,
    outOfService: rows.filter((r) => r.problem === 'out-of-service').length,
    spacingViolations: hyd.filter((r) => r.spacingOk === false).length,
  };
  const areas: AreaRow[] = net.areas.map((a, i) => {
    const row: AreaRow = {
      id: a.id, name: a.name, roadKm: km(areaRoad[i].road), protectedKm: km(areaRoad[i].prot), gapKm: km(areaRoad[i].road - areaRoad[i].prot),
      protectedShare: areaRoad[i].road > 0 ? areaRoad[i].prot / areaRoad[i].road : null,
      hydrants: hyd.filter((r) => r.area === i).length, intakes: intakes.filter((r) => r.area === i).length,
    };
    if (a.nameEn) row.nameEn = a.nameEn;
    return row;
  });
  return {
    settings: { radiusM: R, spacingM: std.spacingM, farM, intakeMaxS },
    figures, standard: std.name,
    clauses: { protection: std.clauses.radius, spacing: std.clauses.spacing, far: std.clauses.far, access: std.clauses.access },
    buildings: null,
    buildingsNote: { zh: '无建筑数据：无法给出受保护建筑的比例', en: 'no building data: the share of buildings protected cannot be given' },
    hydrants: rows, areas, segProtectedM, segMaxM,
    gapSeg: Uint32Array.from(gapSeg), gapFrom: Float32Array.from(gapFrom), gapTo: Float32Array.from(gapTo),
  };
}

