/**
 * One graph + one speed profile (+ optionally the road rules and a vehicle) = one Router: travel seconds, spatial
 * index, components and search buffers are built once, then snaps, travel times, isochrones and routes reuse them.
 * At load only what the import reports needs is built (travel seconds, spatial index, components); the main network
 * with its reach is made on the first snap and the search buffers on the first search (a city's import is ready sooner).
 * Used by the worker, the CLI and the bench alike.
 *
 * Road rules (issue #17): the caller loads geodata/profiles/road-rules.json (core never imports geodata/) and
 * passes it in; the rule closures are computed once per (graph, rules, vehicle) and travel seconds come from
 * ruleEdgeSeconds. Without rules the Router behaves as before (edgeSeconds on the builder's flags).
 */
import type { Feature, LineString } from 'geojson';
import { EdgeFlag, type RoadGraph } from './graph';
import type { LonLat } from './types';
import { edgeSeconds, turnRules, type SpeedProfile } from './profile';
import { ruleClosures, ruleEdgeSeconds, ruleFlags, sameVehicle, vehicleById, type RoadRules, type RuleClosures, type Vehicle } from './roadRules';
import { firstRuleBlock, relaxedClosures, ruleBlockError } from './roadRulesRefusal';
import { hasFerryFacts } from './roadRulesGraph';
import { buildSpatialIndex, type SpatialIndex } from './spatial';
import { computeComponents, strongReach, type Components, type NetworkReach } from './components';
import { OFF_NETWORK_M, SNAP_FLAG_M, snapPoint, swappedOnNetwork, type Snap, type SnapRole } from './snap';
import { ShortestPaths } from './dijkstra';
import { IsochroneBuilder, type IsochroneOptions } from './isochrone';
import { type PathResult, buildOsrmRoute, edgeLabel, instructionTexts, pathTo, pointAt, type RouteLang } from './route';
import { round7 } from './geo';
import { FERRY_CLASS } from './roadClass';
import { plannerError, type PlannerError } from './errors';
import type { AppliedRules, GraphSummary, IsochroneOutput, OffNetworkLimits, RouteOutput, RouterOptions, SitePoint, SnapSummary, TimesResult } from './routerTypes';
import { unreachableError, unreachableReason } from './unreachable';

export type { SitePoint, SnapSummary, TimesResult, IsochroneOutput, RouteOutput, GraphSummary, RouterOptions, OffNetworkLimits, AppliedRules } from './routerTypes';

/** The profile with turn restrictions obeyed or ignored (the CLI's --turns on|off). */
export function profileWithTurns(profile: SpeedProfile, obey: boolean): SpeedProfile {
  return { ...profile, turnRestrictions: { value: obey ? 'obey' : 'ignore', source: `--turns ${obey ? 'on' : 'off'}` } };
}


/** Whether a directed edge runs in its OSM way's node order (the builder flags the others EdgeFlag.Reverse). */
export const isForwardEdge = (graph: RoadGraph) => (e: number): boolean => !(graph.flags[e] & EdgeFlag.Reverse);

export class Router {
  readonly spatial: SpatialIndex;
  /** Weak components (a road the rules close does not connect); recomputed when the road rules or the vehicle change. */
  components!: Components;
  seconds!: Float32Array;
  /** The search (its buffers) and the isochrone builder of the current profile: made on first use (the main network with `reach`). */
  private lazy: { paths: ShortestPaths | null; iso: IsochroneBuilder | null } = { paths: null, iso: null };
  /** The graph's flags rewritten by the applied rules (ruleFlags), kept with the closures they come from. */
  private flagsOf: { closures: RuleClosures; flags: Uint8Array } | null = null;
  /** The road rules in force (null: none), with their closures for the current vehicle. */
  applied: AppliedRules | null = null;
  /** Off-network limits in force (metres). */
  readonly offNetworkM: OffNetworkLimits;

  constructor(readonly graph: RoadGraph, public profile: SpeedProfile, public peak = false, opts: RouterOptions = {}) {
    this.spatial = buildSpatialIndex(graph);
    this.offNetworkM = { ...OFF_NETWORK_M, ...opts.offNetworkM };
    this.setRoadRules(opts.roadRules ?? null, opts.vehicleId, profile, peak);
  }

  private applyRules(rules: RoadRules, vehicleId?: string | Vehicle): AppliedRules {
    const vehicle = typeof vehicleId === 'object' ? vehicleId : vehicleById(rules, vehicleId);
    const a = this.applied;
    if (a && a.rules === rules && sameVehicle(a.vehicle, vehicle)) return a;
    return { rules, vehicle, closures: ruleClosures(this.graph, rules, vehicle, { isForward: isForwardEdge(this.graph) }) };
  }

  /**
   * Applies road rules for a vehicle (its id or the vehicle itself; default: the rules' default vehicle), or removes
   * them (null). Closures are recomputed only when the rules object, the vehicle or its figures change.
   * PlannerError 'unknown-vehicle' for an unknown id.
   */
  setRoadRules(rules: RoadRules | null, vehicleId?: string | Vehicle, profile = this.profile, peak = this.peak): void {
    const before = this.applied;
    this.applied = rules ? this.applyRules(rules, vehicleId) : null;
    if (!this.components || before?.closures !== this.applied?.closures)
      this.components = computeComponents(this.applied ? { ...this.graph, flags: this.ruleFlagsFor(this.applied.closures) } : this.graph);
    this.setProfile(profile, peak);
  }

  /** ruleFlags of these closures, computed once per closures object. */
  private ruleFlagsFor(closures: RuleClosures): Uint8Array {
    if (this.flagsOf?.closures !== closures) this.flagsOf = { closures, flags: ruleFlags(this.graph, closures) };
    return this.flagsOf.flags;
  }

  /** The vehicle the router routes (null without road rules). */
  get vehicle(): Vehicle | null {
    return this.applied?.vehicle ?? null;
  }

  /** Travel seconds under a profile with the current road rules (without: the builder's flags). */
  secondsFor(profile: SpeedProfile, peak: boolean): Float32Array {
    const a = this.applied;
    // = ruleEdgeSeconds(graph, profile, closures, { peak }), with the rule flags computed once; crossing times only
    // when the graph has a ferry (otherwise all 0: not read, 4 bytes an edge)
    const fixedSeconds = a && hasFerryFacts(this.graph) ? a.closures.ferrySeconds : undefined;
    return a ? edgeSeconds({ ...this.graph, flags: this.ruleFlagsFor(a.closures) }, profile, { peak, fixedSeconds }) : edgeSeconds(this.graph, profile, { peak });
  }

  /** Re-derives travel seconds (no graph rebuild); the search buffers and the main network follow on first use. */
  setProfile(profile: SpeedProfile, peak: boolean): void {
    this.profile = profile;
    this.peak = peak;
    this.seconds = this.secondsFor(profile, peak);
    this.lazy = { paths: null, iso: null };
  }

  /** Nodes of the largest strongly connected network under the current profile (computed on first use, with reach). */
  get mainNetwork(): Uint8Array {
    return this.reach.main;
  }

  /** The search over the graph under the current profile: its buffers are allocated on the first use, not at load. */
  get paths(): ShortestPaths {
    return (this.lazy.paths ??= new ShortestPaths(this.graph, this.seconds, turnRules(this.profile), this.spatial.source));
  }

  private get iso(): IsochroneBuilder {
    return (this.lazy.iso ??= new IsochroneBuilder(this.graph, this.spatial, this.paths));
  }

  get profileName(): string {
    return `${this.profile.name}（${this.peak ? '高峰' : '平峰'}） / ${this.profile.nameEn} (${this.peak ? 'peak' : 'off-peak'})`;
  }

  private reachOf: { seconds: Float32Array; reach: NetworkReach } | null = null;

  /** Which nodes can drive to / be reached from the main network under the current profile (built on first use). */
  get reach(): NetworkReach {
    if (this.reachOf?.seconds !== this.seconds)
      this.reachOf = { seconds: this.seconds, reach: strongReach(this.graph, this.seconds, this.spatial.source) };
    return this.reachOf.reach;
  }

  /** Snap for a destination: the nearest road, moved only when the main network cannot reach it (see snap.ts). */
  snap(lon: number, lat: number): Snap {
    return this.snapAs(lon, lat, 'destination');
  }

  /** Snap for a station or route origin: the nearest road, moved only when no way leads from it to the main network. */
  snapStation(lon: number, lat: number): Snap {
    return this.snapAs(lon, lat, 'start');
  }

  private snapAs(lon: number, lat: number, role: SnapRole): Snap {
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw plannerError('bad-coordinate', `坐标无效：${lon}, ${lat}`, `invalid coordinate: ${lon}, ${lat}`);
    const s = snapPoint(this.graph, this.spatial, this.seconds, this.components, lon, lat, { reach: this.reach, role });
    if (!s) throw plannerError('no-network', '路网为空，无法吸附到道路', 'the road network is empty; cannot snap to a road');
    return s;
  }

  summary(s: Snap, lang: RouteLang = 'zh-Hans'): SnapSummary {
    const out: SnapSummary = {
      lon: round7(s.lon), lat: round7(s.lat), distanceM: round1(s.distanceM), far: s.far, isolated: s.isolated,
      roadName: edgeLabel(this.graph, s.edge, lang), moved: s.moved, movedM: round1(s.movedM),
    };
    if (s.far) out.note = farNote(s.distanceM);
    if (s.reason) out.reason = { ...s.reason };
    return out;
  }

  /**
   * Null when the snap's nearest road is within the role's limit; otherwise the PlannerError refusing the point
   * ('off-network', or 'swapped-coordinate' when LAT,LON read the other way round lies on or beside the network),
   * naming the point (`at.label`, default 出发点 / 目的地), its coordinates and its distance.
   */
  offNetworkError(s: Snap, role: 'start' | 'destination', at: { lon: number; lat: number; label?: { zh: string; en: string } }): PlannerError | null {
    const limit = this.offNetworkM[role], d = s.nearestM ?? s.distanceM;
    if (!(d > limit)) return null;
    const label = at.label ?? (role === 'start' ? { zh: '出发点', en: 'the start' } : { zh: '目的地', en: 'the destination' });
    const pt = `(${at.lon}, ${at.lat})`, back = `(${at.lat}, ${at.lon})`, far = fmtM(d);
    if (swappedOnNetwork(this.graph, this.spatial, this.seconds, at.lon, at.lat, limit))
      return plannerError('swapped-coordinate',
        `${label.zh} ${pt} 不在路网上（距最近道路 ${far}），但把经纬度对调后 ${back} 在路网范围内：经纬度可能写反了（应为 经度,纬度）`,
        `${label.en} ${pt} is off the road network (${far} from the nearest road), but read the other way round ${back} it lies on the network: latitude and longitude look swapped (expected LON,LAT)`);
    return plannerError('off-network',
      `${label.zh} ${pt} 不在路网上：距最近道路 ${far}，超过 ${limit} m 的限值`,
      `${label.en} ${pt} is off the road network: the nearest road is ${far} away (limit ${limit} m)`);
  }

  /** The snap of a point in a role, refused (PlannerError, see offNetworkError) when it is off the road network. */
  placed(lon: number, lat: number, role: 'start' | 'destination', label?: { zh: string; en: string }): Snap {
    const s = this.snapAs(lon, lat, role);
    const err = this.offNetworkError(s, role, { lon, lat, label });
    if (err) throw err;
    return s;
  }

  /** Station snaps and which are off the road network (left out of runs); throws for the first when all are off. */
  private stationSnaps(stations: SitePoint[]): { snaps: Snap[]; off: boolean[] } {
    const snaps = stations.map((s) => this.snapStation(s.lon, s.lat));
    const label = (s: SitePoint) => ({ zh: `消防站「${s.name ?? s.id}」`, en: `station "${s.name ?? s.id}"` });
    const errs = snaps.map((sn, i) => this.offNetworkError(sn, 'start', { ...stations[i], label: label(stations[i]) }));
    if (errs.every((e) => e)) throw errs[0]!;
    return { snaps, off: errs.map((e) => e !== null) };
  }

  /** Travel seconds (turnout excluded) and metres from one point to many, to 0.001. Unreachable → null. */
  times(from: LonLat, to: LonLat[]): TimesResult {
    const src = this.placed(from[0], from[1], 'start');
    const targets = to.map((p, i) => this.placed(p[0], p[1], 'destination', to.length > 1 ? { zh: `第 ${i + 1} 个目的地`, en: `destination ${i + 1}` } : undefined));
    this.paths.run([src]);
    return {
      from: this.summary(src),
      results: to.map((p, i) => {
        const t = targets[i];
        const path = pathTo(this.graph, this.spatial, this.paths, [src], t);
        return { to: p, seconds: path ? round3(path.seconds) : null, meters: path ? round3(path.meters) : null, snap: this.summary(t) };
      }),
    };
  }

  /** Isochrone bands (minutes of travel, turnout excluded) from all stations at once (dissolved). */
  isochrone(stations: SitePoint[], bandsMin: number[], opts: IsochroneOptions & { lines?: boolean } = {}): IsochroneOutput {
    if (!stations.length) throw plannerError('no-stations', '没有消防站，无法计算等时圈', 'no stations given; cannot compute isochrones');
    const bands = [...new Set(bandsMin)].sort((a, b) => a - b);
    if (!bands.length || bands.some((b) => !Number.isFinite(b) || b <= 0 || b > 120))
      throw plannerError('bad-bands', `时间分段无效：${bandsMin.join(',')}（应为 0–120 分钟）`, `invalid time bands: ${bandsMin.join(',')} (expected 0–120 minutes)`);
    // Stations off the road network are left out (their snap says offNetwork); all off: refused.
    const placed = this.stationSnaps(stations);
    const on = stations.flatMap((_s, i) => (placed.off[i] ? [] : [i]));
    const snaps = on.map((i) => placed.snaps[i]);
    const cutoffs = bands.map((b) => b * 60);
    this.paths.run(snaps, cutoffs[cutoffs.length - 1]);
    const pieces = this.iso.pieces(snaps, cutoffs);
    const polys = this.iso.polygons(pieces, cutoffs.length, opts);
    const at = (e: number, f: number) => pointAt(this.graph, this.spatial, e, f);
    const lines: Feature<LineString>[] = opts.lines === false ? [] : pieces.map((p) => ({
      type: 'Feature',
      properties: { band: bands[p.band], stationId: stations[on[p.source]]?.id ?? null, seconds: round1(p.seconds) },
      geometry: { type: 'LineString', coordinates: [at(p.edge, p.s0), at(p.edge, p.s1)] },
    }));
    const polygons: Feature[] = [];
    polys.forEach((p, k) => {
      if (p.polygon) polygons.push({ type: 'Feature', properties: { band: bands[k], minutes: bands[k], areaKm2: round3(p.areaKm2), roadKm: round3(p.roadKm) }, geometry: p.polygon });
    });
    const snapOut: Record<string, SnapSummary> = {};
    stations.forEach((s, i) => {
      snapOut[s.id] = placed.off[i] ? { ...this.summary(placed.snaps[i]), offNetwork: true } : this.summary(placed.snaps[i]);
    });
    return { lines: { type: 'FeatureCollection', features: lines }, polygons: { type: 'FeatureCollection', features: polygons }, snaps: snapOut, profileName: this.profileName };
  }

  /** Fastest route to `to` from whichever station reaches it first, with instruction text. */
  route(stations: SitePoint[], to: LonLat, lang: RouteLang = 'zh-Hans', waypointName = ''): RouteOutput {
    if (!stations.length) throw plannerError('no-stations', '没有消防站，无法规划路线', 'no stations given; cannot plan a route');
    // Stations off the road network are left out; the destination off it is refused.
    const placed = this.stationSnaps(stations);
    const on = stations.flatMap((_s, i) => (placed.off[i] ? [] : [i]));
    const snaps = on.map((i) => placed.snaps[i]);
    const target = this.placed(to[0], to[1], 'destination');
    const turnout = on.map((i) => stations[i].turnoutS ?? this.profile.turnoutSeconds.value);
    const found = this.fastestResponse(snaps, target, turnout);
    const path = found && { ...found, source: on[found.source] };
    this.refuseByRule(snaps, to, target, !path);
    // No path: say whether the destination's road is cut off, a one-way pocket, or reached only through forbidden turns.
    if (!path) throw unreachableError(this.graph, unreachableReason(this.graph, this.seconds, this.spatial.source, snaps, target), target);
    const route = buildOsrmRoute(this.graph, this.spatial, this.seconds, path, lang);
    const texts = instructionTexts(route, lang, waypointName || (lang === 'en' ? 'the destination' : '目的地'));
    const steps = route.legs[0].steps.map((s, i) => ({ text: texts[i], distanceM: s.distance, durationS: s.duration }));
    return {
      stationId: stations[path.source].id, route, steps,
      travelSeconds: round1(path.seconds), responseSeconds: round1(path.seconds + turnout[found!.source]),
      snapFrom: this.summary(placed.snaps[path.source], lang), snapTo: this.summary(target, lang), profileName: this.profileName,
    };
  }

  /**
   * The path of the station whose response (its turnout + travel) is the shortest: one multi-source run when every
   * station has the same turnout, else one run per station (a handful at most).
   */
  private fastestResponse(snaps: Snap[], target: Snap, turnout: number[]): PathResult | null {
    if (turnout.every((t) => t === turnout[0])) {
      this.paths.run(snaps, Infinity, [target.u, target.v]);
      return pathTo(this.graph, this.spatial, this.paths, snaps, target);
    }
    let best: PathResult | null = null, bestS = Infinity;
    snaps.forEach((sn, i) => {
      this.paths.run([sn], Infinity, [target.u, target.v]);
      const p = pathTo(this.graph, this.spatial, this.paths, [sn], target);
      if (p && p.seconds + turnout[i] < bestS) { bestS = p.seconds + turnout[i]; best = { ...p, source: i }; }
    });
    return best;
  }

  private relaxed: { profile: SpeedProfile; peak: boolean; closures: RuleClosures; seconds: Float32Array } | null = null;

  /**
   * With road rules: throws 'route-closed-by-rule' naming the first closure on the rule-free route when the route is
   * refused (none found), the destination had to be moved to a road the stations reach, or its nearest road is one
   * the rules close (over CLOSED_NEARER_M nearer than the road it was put on) — and a route to that nearest road
   * exists without the rules. Otherwise returns (a point beside a closed road but near an open one is routed).
   */
  private refuseByRule(snaps: Snap[], to: LonLat, target: Snap, refused: boolean): void {
    const a = this.applied;
    if (!a) return;
    const r = this.relaxed;
    const relaxed = r && r.profile === this.profile && r.peak === this.peak && r.closures === a.closures ? r.seconds
      : ruleEdgeSeconds(this.graph, this.profile, relaxedClosures(this.graph, a.closures, a.rules), { peak: this.peak });
    this.relaxed = { profile: this.profile, peak: this.peak, closures: a.closures, seconds: relaxed };
    const nearest = snapPoint(this.graph, this.spatial, relaxed, null, to[0], to[1], { role: 'any' });
    if (!nearest || !(refused || target.moved || nearest.distanceM + CLOSED_NEARER_M < target.distanceM)) return;
    const paths = new ShortestPaths(this.graph, relaxed, turnRules(this.profile));
    paths.run(snaps, Infinity, [nearest.u, nearest.v]);
    const free = pathTo(this.graph, this.spatial, paths, snaps, nearest);
    const block = free && firstRuleBlock(this.graph, this.spatial.source, a.closures, free.pieces, a.rules, a.vehicle);
    if (block) throw ruleBlockError(this.graph, block);
  }

  graphSummary(): GraphSummary {
    const g = this.graph, m = this.spatial.roadM ?? roadMetres(g, this.spatial.segEdge); // (summed by buildSpatialIndex)
    return {
      nodeCount: g.nodeCount, edgeCount: g.edgeCount, bbox: g.bbox, roadKm: round3(m / 1000),
      components: this.components.count, largestComponentShare: g.nodeCount ? round3(this.components.size[0] / g.nodeCount) : 0,
    };
  }

  /**
   * Every usable directed edge as CSV at full precision (the exact float32 seconds and metres the engine sums, in
   * shortest round-trip decimal form): id,source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat.
   * `id` is the directed edge index + 1 (pgRouting's restriction paths treat edge id 0 as no edge); source/target are
   * node indices. Load as pgRouting edges with cost = seconds and reverse_cost = -1 (each direction is its own row).
   */
  exportCsv(): string {
    const g = this.graph, src = this.spatial.source;
    const rows = ['id,source,target,seconds,meters,source_lon,source_lat,target_lon,target_lat'];
    for (let e = 0; e < g.edgeCount; e++) {
      if (!(this.seconds[e] < Infinity)) continue;
      const a = src[e], b = g.target[e];
      rows.push(`${e + 1},${a},${b},${this.seconds[e]},${g.lengthM[e]},${g.lon[a] / 1e7},${g.lat[a] / 1e7},${g.lon[b] / 1e7},${g.lat[b] / 1e7}`);
    }
    return rows.join('\n') + '\n';
  }

  /**
   * The graph's turn restrictions as CSV for pgRouting's pgr_trsp (3.4 signature, restrictions SQL `id, cost, path`):
   * id,cost,path with path a PostgreSQL array literal of exported edge ids (exportCsv's id = directed edge + 1) —
   * from-edge, via-way edges, to-edge. cost is FORBIDDEN_TURN_COST: pgr_trsp takes a restricted sequence only when
   * nothing else leads there, adding this cost, so a total at or above it means "not reachable legally". Sequences
   * through an edge the profile cannot use are left out (no path can contain them). Empty when the profile ignores turns.
   */
  exportRestrictionsCsv(obey = true): string {
    const rows = ['id,cost,path'];
    const first = this.graph.restrFirst, edges = this.graph.restrEdges;
    if (obey && first && edges) {
      for (let k = 0; k + 1 < first.length; k++) {
        const seq = Array.from(edges.subarray(first[k], first[k + 1]));
        if (seq.length < 2 || seq.some((e) => !(this.seconds[e] < Infinity))) continue;
        rows.push(`${k + 1},${FORBIDDEN_TURN_COST},"{${seq.map((e) => e + 1).join(',')}}"`);
      }
    }
    return rows.join('\n') + '\n';
  }
}

/** A destination whose nearest road is closed by the rules and this many metres nearer than the open road it would be put on is refused. */
export const CLOSED_NEARER_M = 25;

/** Cost pgr_trsp adds for taking a restricted sequence (exportRestrictionsCsv): far above any real travel time. */
export const FORBIDDEN_TURN_COST = 1e9;

const round1 = (v: number) => Math.round(v * 10) / 10;

/** A distance for a message: metres, or km from 10 km on. */
const fmtM = (d: number): string => (d >= 10_000 ? `${Math.round(d / 1000)} km` : `${Math.round(d)} m`);

/** The flag text of a snap over SNAP_FLAG_M from its road. */
const farNote = (d: number): { zh: string; en: string } => ({
  zh: `距道路 ${Math.round(d)} m（超过 ${SNAP_FLAG_M} m），按该道路计算`,
  en: `${Math.round(d)} m from the road (over ${SNAP_FLAG_M} m); computed from that road`,
});
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Metres of the segments that are no ferry (ferries are no road), summed in segment order: SpatialIndex.roadM. */
function roadMetres(g: RoadGraph, seg: Uint32Array): number {
  let m = 0;
  for (let i = 0; i < seg.length; i++) if (g.roadClass[seg[i]] !== FERRY_CLASS) m += g.lengthM[seg[i]];
  return m;
}

