/**
 * A per-place evaluator: the compliance check as stages of pure functions — districts (autoGrid.ts, districts.ts)
 * → edge plan (edgePlan.ts: sample points, road access) → station times (stationTimes.ts) → verdicts (verdict.ts),
 * plus barriers and coverage. This module only wires them. What depends only on the place (network tables, the
 * automatic-district grid, town districts, barriers) is prepared once in PlaceTables; the evaluator object, owned
 * by its caller (the worker's EvaluatorCache), keeps the previous call so a dragged site re-traces and re-tests only
 * the districts that changed.
 */
import { ChainPaths, type KnownTimes } from '../chains';
import { haversineM } from '../geo';
import { OFF_NETWORK_M, SNAP_FLAG_M, swappedOnNetwork, type Snap } from '../snap';
import type { AreaGeometry, LonLat, Station } from '../types';
import { buildAutoGrid, partitionAuto, type AutoGrid, type MultiRun, type Partition } from './autoGrid';
import { roadOnlyAcrossM } from './barrierAccess';
import { DEFAULT_BARRIER_KINDS, barrierLines, barriersInDistrict, motorwayLines, type BarrierLine } from './barriers';
import { multiEntry, networkCoverage, straightCoverage } from './coverage';
import { assignTowns, autoDistricts, clipTowns, districtsFromPolygons, unionAll, type District, type DistrictResult, type Issue, type LabelledPoints } from './districts';
import { evaluateEdge, judgeEdge, type EdgeCrossing, type EdgeEval } from './edge';
import { netEdgePlan, refCount, type DistrictCells } from './edgePlan';
import { SnapStore, type SnapEdgeOptions } from './edgeSnap';
import { pointInArea } from './geom';
import { checkArea, checkStations, type DistrictsInput, type EvaluateInput, type EvaluateOptions } from './input';
import { labelledRoadPoints, prepareNetwork, reachableFromMain, snapTo, type Net } from './network';
import { ESTIMATE_LABEL, NETWORK_LABEL, type BarrierHit, type PlaceReport, type StationReport } from './report';
import type { Standard } from './standards';
import { nodesByOrigin, stationEdgeTimes } from './stationTimes';
import { stationVerdict, summaryText, travelLimitOf } from './verdict';

/** What an evaluator is built from: an evaluation input without the stations. */
export type EvaluatorInput = Omit<EvaluateInput, 'stations'>;

/** Per-call options: coverage (off unless true) and the near-suburb stations. */
export type EvaluateCallOptions = Pick<EvaluateOptions, 'coverage' | 'nearSuburb'>;

export interface Evaluator {
  evaluate(stations: Station[], options?: EvaluateCallOptions): PlaceReport;
  /** Forgets the previous call and the cached snaps (the next evaluate recomputes everything but the place tables). */
  reset(): void;
  /** Ids of the stations whose reports the last evaluate computed afresh (the others were reused). */
  readonly recomputed: readonly string[];
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** Everything that depends on the place only: prepared once per evaluator. */
interface PlaceTables {
  input: EvaluatorInput;
  std: Standard;
  area: AreaGeometry;
  districts: DistrictsInput;
  stepM: number;
  roadSearchM: number;
  corridorM: number;
  cellM: number;
  autoCellM: number;
  /** Stations whose nearest road is further than this are off the network (metres). */
  offNetworkM: number;
  snapOpts: SnapEdgeOptions;
  referenceRuns: boolean;
  net: Net | null;
  /** Nodes reachable from the main network; station runs on the contracted graph. */
  reach: Uint8Array | null;
  runs: ChainPaths | null;
  /** The automatic-district grid (built on first use; null when the network has no road point for it). */
  auto: AutoGrid | null | undefined;
  towns: ReturnType<typeof clipTowns> | null;
  townUnions: Map<string, AreaGeometry | null>;
  given: { key: string; result: DistrictResult } | null;
  barriers: BarrierLine[];
}

function placeTables(input: EvaluatorInput): PlaceTables {
  checkArea(input.planningArea);
  const o = input.options ?? {}, area = input.planningArea, d = input.districts;
  const net = input.network ? prepareNetwork(input.network) : null;
  const cellM = o.cellM ?? 50, roadSearchM = o.roadSearchM ?? 300;
  const kinds = new Set(o.barrierKinds ?? DEFAULT_BARRIER_KINDS);
  return {
    input, std: input.standard, area, districts: d,
    stepM: o.sampleStepM ?? 50, roadSearchM, corridorM: o.corridorM ?? 100, cellM, offNetworkM: o.offNetworkM ?? OFF_NETWORK_M.start,
    autoCellM: d.mode === 'auto' ? d.cellM ?? cellM : cellM,
    snapOpts: { searchM: roadSearchM, sideM: o.edgeSideM ?? 150, parallelM: o.edgeParallelM ?? 30 },
    referenceRuns: o.referenceRuns === true,
    net, reach: net ? reachableFromMain(net) : null, runs: net ? new ChainPaths(net.graph, net.seconds, net.spatial, net.paths.rules) : null,
    auto: undefined,
    towns: d.mode === 'towns' ? clipTowns(d.towns, area) : null, townUnions: new Map(), given: null,
    barriers: [...barrierLines(input.barriers).filter((b) => kinds.has(b.kind)), ...(net && kinds.has('motorway') ? motorwayLines(net.graph) : [])],
  };
}

/**
 * The stations on the network: road points (main network first), issues, and the multi-source run over them. A
 * station off the network (nearest road over t.offNetworkM) gets no road point (null) and its distance in `off`.
 */
function stationsOnNetwork(t: PlaceTables, stations: readonly Station[], issues: Issue[]): { snaps: (Snap | null)[]; off: (number | null)[]; all: MultiRun | null; live: boolean } {
  const net = t.net;
  const off: (number | null)[] = stations.map(() => null);
  if (!net) return { snaps: stations.map(() => null), off, all: null, live: false };
  const name = (s: Station) => s.nameEn ?? s.name;
  let live = false;
  const snaps = stations.map((s, k) => {
    let sn = snapTo(net, s.lon, s.lat, t.roadSearchM);
    const nearest = sn ? sn.nearestM ?? sn.distanceM : Infinity;
    if (sn && nearest > t.offNetworkM) {
      off[k] = nearest;
      sn = null;
      const swapped = swappedOnNetwork(net.graph, net.spatial, net.seconds, s.lon, s.lat, t.offNetworkM);
      issues.push({
        code: swapped ? 'station-swapped-coordinate' : 'station-off-network',
        zh: `${s.name}：不在路网上（距最近道路 ${Math.round(nearest)} m，超过 ${t.offNetworkM} m），没有行车时间${swapped ? `；经纬度可能写反了：(${s.lat}, ${s.lon}) 在路网范围内` : ''}`,
        en: `${name(s)}: off the road network (${Math.round(nearest)} m from the nearest road, over ${t.offNetworkM} m); no travel time${swapped ? `; latitude and longitude look swapped: (${s.lat}, ${s.lon}) lies on the network` : ''}`,
      });
    } else if (!sn) issues.push({ code: 'station-no-road', zh: `${s.name}：附近没有可用道路`, en: `${name(s)}: no usable road nearby` });
    else if (sn.far) issues.push({ code: 'station-far', zh: `${s.name}：距最近道路 ${Math.round(sn.distanceM)} m（超过 ${SNAP_FLAG_M} m），按该道路计算`, en: `${name(s)}: ${Math.round(sn.distanceM)} m from the nearest road (over ${SNAP_FLAG_M} m); computed from that road` });
    else if (sn.isolated) issues.push({ code: 'station-isolated', zh: `${s.name}：${t.roadSearchM} m 内只有与主路网不连通（或单行无法驶出）的路段`, en: `${name(s)}: within ${t.roadSearchM} m only roads cut off from the main network (or one-way pockets) are found` });
    if (sn && !sn.isolated) {
      live = true;
      // Honest snapping moves a station only when it cannot drive out from its nearest road: say so, with the reason.
      if (sn.moved)
        issues.push({
          code: 'station-moved',
          zh: `${s.name}：按 ${r1(sn.distanceM)} m 外的道路计算（离最近道路 ${r1(sn.movedM)} m${sn.reason ? `；${sn.reason.zh}` : ''}）`,
          en: `${name(s)}: starts on a road ${r1(sn.distanceM)} m away, ${r1(sn.movedM)} m from the nearest one${sn.reason ? ` (${sn.reason.en})` : ''}`,
        });
    }
    return sn;
  });
  const idx = snaps.map((p, k) => (p ? k : -1)).filter((k) => k >= 0);
  const n = net.graph.nodeCount, all: MultiRun = { time: new Float64Array(n), origin: new Int32Array(n) };
  t.runs!.runAll(idx.map((k) => snaps[k]!), all.time, all.origin);
  for (let v = 0; v < n; v++) if (all.origin[v] >= 0) all.origin[v] = idx[all.origin[v]];
  return { snaps, off, all, live };
}

interface DistrictStage {
  result: DistrictResult;
  /** Automatic districts from the grid: the partition (for the next call) and the stations whose cells changed. */
  partition: Partition | null;
  dirty: ReadonlySet<number> | null;
}

/** Stage 1: the districts (towns, given polygons, or automatic by travel time). */
function districtStage(t: PlaceTables, stations: readonly Station[], keys: Int32Array, all: MultiRun | null, live: boolean, prev: Partition | null, spare: Int32Array | null): DistrictStage {
  const d = t.districts;
  if (d.mode === 'towns') {
    const union = (geoms: AreaGeometry[], ids: string[]) => {
      const k = ids.join('\u0000');
      if (!t.townUnions.has(k)) t.townUnions.set(k, unionAll(geoms));
      return t.townUnions.get(k)!;
    };
    const r = assignTowns([...stations], t.towns!.towns, union);
    return { result: { districts: r.districts, issues: [...t.towns!.issues, ...r.issues] }, partition: null, dirty: null };
  }
  if (d.mode === 'given') {
    const key = stations.map((s) => s.id).join('\u0000');
    if (!t.given || t.given.key !== key) t.given = { key, result: districtsFromPolygons([...stations], d.polygons, t.area) };
    return { result: t.given.result, partition: null, dirty: null };
  }
  if (t.net && all && live) {
    if (t.auto === undefined) t.auto = buildAutoGrid(t.net, t.area, t.autoCellM);
    if (t.auto) {
      const p = partitionAuto(stations, keys, all, t.auto, t.area, prev, spare);
      return { result: { districts: p.districts, issues: [] }, partition: { cellKey: p.cellKey, geoms: p.geoms }, dirty: p.dirty };
    }
  }
  // Straight-line estimate, or no station on the main network: label road points (or stations) directly.
  const pts: LabelledPoints = t.net && all
    ? labelledRoadPoints(t.net, all, Math.max(10, t.autoCellM / 2))
    : { lon: Float64Array.from(stations, (s) => s.lon), lat: Float64Array.from(stations, (s) => s.lat), label: Int32Array.from(stations, (_s, k) => k) };
  return { result: autoDistricts([...stations], t.area, pts, { cellM: t.autoCellM }), partition: null, dirty: null };
}

/** Stages 2 and 3 and the edge verdict on the network: edge plan, the station's run, judgeEdge. */
function networkEdge(t: PlaceTables, store: SnapStore, s: Station, geom: AreaGeometry, src: Snap | null, cells: DistrictCells | null, fromS: number, known: KnownTimes | undefined): EdgeEval {
  const net = t.net!, p = netEdgePlan(net, geom, t.stepM, t.snapOpts, store, cells);
  const limit = travelLimitOf(s, t.std);
  const times = src ? stationEdgeTimes(net, store, t.reach!, p, src, t.runs!, t.referenceRuns ? Infinity : fromS, t.referenceRuns ? undefined : known) : null;
  const sampleSec = times ? times.sampleSec : Float64Array.from(p.sampleRef, (ref) => (refCount(ref) ? Infinity : NaN));
  const crossings: EdgeCrossing[] = p.cross.map((c, j) => ({ ring: p.crossRing[j], posM: c.posM, lon: c.lon, lat: c.lat, seconds: times ? times.crossSec[j] : Infinity }));
  const target = (kind: 'sample' | 'crossing', i: number): LonLat => {
    const b = !times ? -1 : kind === 'sample' ? times.sampleBest[i] : times.crossBest[i];
    return b >= 0 ? [store.lon[b], store.lat[b]] : kind === 'sample' ? [p.plan.lon[i], p.plan.lat[i]] : [p.cross[i].lon, p.cross[i].lat];
  };
  return judgeEdge(s.id, p.plan, sampleSec, crossings, target, { stepM: t.stepM, travelLimitS: limit, requiredShare: t.std.complianceShare.value });
}

interface StationStep {
  stations: readonly Station[];
  k: number;
  district: District | undefined;
  snap: Snap | null;
  /** Off the road network: metres to the nearest road (null: on it, or no network). */
  offM: number | null;
  all: MultiRun | null;
  /** The multi-source run's nodes by fastest station (nodesByOrigin of `all`), made on first need. */
  byOrigin: () => ReturnType<typeof nodesByOrigin>;
  cells: DistrictCells | null;
  coverage: boolean;
  nearSuburb: boolean;
}

/** One station's report: edge test (network or straight line), coverage, barriers, verdict. */
function stationReport(t: PlaceTables, store: SnapStore, x: StationStep): StationReport {
  const s = x.stations[x.k], std = t.std, net = t.net;
  const geom = x.district?.geometry ?? null;
  const limit = travelLimitOf(s, std);
  const speedMps = std.straightLine.speedKmh.value / 3.6, lambda = std.straightLine.curvature.value;
  if (net && x.offM !== null)
    return stationVerdict({ station: s, std, mode: 'network', nearSuburb: x.nearSuburb, district: x.district, edge: null, snap: null, offNetwork: { distanceM: x.offM, limitM: t.offNetworkM }, barriers: [], coverage: null });
  let edge: EdgeEval | null = null;
  if (geom && net) {
    // The station's own nodes of the multi-source run (their times are its own): its run searches only the rest.
    // Without coverage only the edge's times are read from the run: it may skip what cannot lead to the edge.
    const known = x.snap && x.all ? (({ first, nodes }) => ({ nodes, from: first[x.k], to: first[x.k + 1], time: x.all!.time, targetsOnly: !x.coverage }))(x.byOrigin()) : undefined;
    edge = networkEdge(t, store, s, geom, x.snap, x.cells, limit, known);
  }
  else if (geom)
    edge = evaluateEdge(s.id, geom, (lon, lat) => ({ seconds: (haversineM(s.lon, s.lat, lon, lat) * lambda) / speedMps, target: [lon, lat] }), { stepM: t.stepM, travelLimitS: limit, requiredShare: std.complianceShare.value });
  // (Network coverage reads the station's run just made by networkEdge.)
  const coverage = !geom || !x.coverage ? null
    : net ? (x.snap && x.all ? networkCoverage({ net, geom, own: x.k, ownRun: t.runs!, all: x.all, allEntry: multiEntry(net, x.all), stationIds: x.stations.map((q) => q.id), limitS: limit, corridorM: t.corridorM, cellM: t.cellM }) : null)
      : straightCoverage(geom, x.stations, x.k, (limit * speedMps) / lambda, t.cellM);
  const barriers: BarrierHit[] = geom && std.barrierRule.value ? barriersInDistrict(geom, t.barriers, t.input.options?.minBarrierM ?? 200) : [];
  // How much of the district's road the station reaches only across each barrier (on the network).
  if (geom && net && x.snap)
    for (const b of barriers)
      b.roadOnlyAcrossM = r1(roadOnlyAcrossM(net, x.snap, geom, t.barriers.filter((l) => l.kind === b.kind && l.name === b.name), b.kind === 'motorway'));
  return stationVerdict({ station: s, std, mode: net ? 'network' : 'straight-line-estimate', nearSuburb: x.nearSuburb, district: x.district, edge, snap: net ? x.snap : null, barriers, coverage });
}

/** What one evaluate call leaves for the next. */
interface PrevState {
  partition: Partition | null;
  reports: Map<string, { sig: string; geom: AreaGeometry | null; report: StationReport }>;
}

class PlaceEvaluator implements Evaluator {
  private readonly t: PlaceTables;
  /** Edge-point road points (kept across calls where they do not depend on the district; see SnapStore). */
  private readonly store = new SnapStore();
  /** A stable key per station id (the automatic partition compares cells by it). */
  private readonly keys = new Map<string, number>();
  private prev: PrevState | null = null;
  /** A cell-key array no longer needed (the one before the previous call's). */
  private spare: Int32Array | null = null;
  recomputed: string[] = [];

  constructor(input: EvaluatorInput) {
    this.t = placeTables(input);
  }

  private keyOf(id: string): number {
    const k = this.keys.get(id);
    if (k !== undefined) return k;
    this.keys.set(id, this.keys.size);
    return this.keys.size - 1;
  }

  reset(): void {
    this.spare = this.prev?.partition?.cellKey ?? this.spare;
    this.prev = null;
    this.store.clear();
  }

  evaluate(stations: Station[], call: EvaluateCallOptions = {}): PlaceReport {
    const t = this.t, std = t.std;
    checkStations(stations, std.turnoutS.value + std.travelLimitS.value);
    const coverage = call.coverage === true;
    const issues: Issue[] = [];
    const { snaps, off, all, live } = stationsOnNetwork(t, stations, issues);
    for (const s of stations)
      if (!pointInArea(t.area, s.lon, s.lat))
        issues.push({ code: 'station-outside-area', zh: `${s.name}：位于规划范围之外`, en: `${s.nameEn ?? s.name}: outside the planning area` });

    const keys = Int32Array.from(stations, (s) => this.keyOf(s.id));
    const ds = districtStage(t, stations, keys, all, live, this.prev?.partition ?? null, this.spare);
    this.spare = null;
    issues.push(...ds.result.issues);
    const districtOf = new Map<string, District>(ds.result.districts.map((x) => [x.stationId, x]));

    // Edge-point snaps that do not depend on the district are kept across calls (a pure function of the point).
    if (this.store.memo.size > 200_000 || this.store.size > 400_000) this.store.clear();
    const reports = new Map<string, { sig: string; geom: AreaGeometry | null; report: StationReport }>();
    this.recomputed = [];
    let byOrigin: ReturnType<typeof nodesByOrigin> | null = null;
    const groups = () => (byOrigin ??= nodesByOrigin(all!.origin, stations.length));
    const list = stations.map((s, k) => {
      const district = districtOf.get(s.id), geom = district?.geometry ?? null;
      const nearSuburb = call.nearSuburb?.includes(s.id) === true;
      const sig = JSON.stringify([s, nearSuburb, snaps[k] ? r1(snaps[k]!.distanceM) : null, off[k]]);
      const old = this.prev?.reports.get(s.id);
      // A station keeps its report when it, its district and the options are unchanged (coverage depends on all stations).
      const keep = !coverage && old && old.sig === sig && old.geom === geom && !ds.dirty?.has(keys[k]);
      const cells: DistrictCells | null = ds.partition && t.auto ? { grid: t.auto.grid, label: k, inner: t.auto.inner } : null;
      const report = keep ? old.report : (this.recomputed.push(s.id), stationReport(t, this.store, { stations, k, district, snap: snaps[k], offM: off[k], all, byOrigin: groups, cells, coverage, nearSuburb }));
      reports.set(s.id, { sig: coverage ? '' : sig, geom, report });
      return report;
    });
    const old = this.prev?.partition?.cellKey;
    if (old && old !== ds.partition?.cellKey) this.spare = old;
    this.prev = { partition: ds.partition, reports };
    return placeReport(t, stations, ds.result.districts, list, issues);
  }
}

function placeReport(t: PlaceTables, stations: readonly Station[], districts: District[], list: StationReport[], issues: Issue[]): PlaceReport {
  const std = t.std, net = t.net;
  const mode = net ? 'network' : 'straight-line-estimate';
  const byId = new Map(list.map((r) => [r.id, r]));
  const features = districts.map((x) => {
    const s = stations.find((q) => q.id === x.stationId)!, rep = byId.get(x.stationId)!;
    return { type: 'Feature' as const, geometry: x.geometry, properties: { stationId: s.id, stationName: s.name, areaKm2: rep.districtAreaKm2 ?? 0, source: x.source, verdict: rep.verdict } };
  });
  const passing = list.filter((r) => r.verdict === 'pass').length;
  const noDistrict = list.filter((r) => r.verdict === 'no-district').length;
  const usedKeys = [...new Set(list.flatMap((r) => r.clauses.map((c) => c.key)))];
  return {
    placeId: t.input.placeId ?? '',
    mode, label: net ? NETWORK_LABEL : ESTIMATE_LABEL,
    standard: { id: std.id, name: std.name, short: std.short, citations: usedKeys.map((k) => list.flatMap((r) => r.clauses).find((c) => c.key === k)!) },
    settings: {
      turnoutS: std.turnoutS.value, travelLimitS: std.travelLimitS.value, requiredShare: std.complianceShare.value, sampleStepM: t.stepM,
      roadSearchM: t.roadSearchM, corridorM: t.corridorM,
      speedKmh: net ? null : std.straightLine.speedKmh.value, curvature: net ? null : std.straightLine.curvature.value,
      profileName: net ? net.profileName : null, districtsMode: t.districts.mode,
    },
    stations: list, districts: { type: 'FeatureCollection', features: features as PlaceReport['districts']['features'] }, issues,
    summary: { total: list.length, passing, failing: list.length - passing - noDistrict, noDistrict, ...summaryText(list.length, passing, noDistrict, std, mode) },
  };
}

export function createEvaluator(input: EvaluatorInput): Evaluator {
  return new PlaceEvaluator(input);
}
