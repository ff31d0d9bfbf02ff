/**
 * A per-place evaluator: everything that depends only on the place (planning area, district mode, road network,
 * standard, barriers) is prepared once by createEvaluator; evaluate(stations) then runs the district-edge test,
 * area test, barrier check and (on request) coverage for every station. Automatic districts come from a
 * precomputed cell → nearest-road-point table, so re-partitioning after a multi-source run is an array lookup per
 * cell; only districts whose cells changed are traced again, and stations whose district and position did not change
 * keep their previous report (dragging one site recomputes a handful of districts).
 */
import Flatbush from 'flatbush';
import type { MultiPolygon, Position } from 'geojson';
import { ChainPaths } from '../chains';
import type { SourcePoint } from '../dijkstra';
import { haversineM } from '../geo';
import { FAR_SNAP_M, type Snap } from '../snap';
import type { AreaGeometry, LonLat, Station } from '../types';
import { DEFAULT_BARRIER_KINDS, barrierLines, barriersInDistrict, motorwayLines, type BarrierLine } from './barriers';
import { networkCoverage, rasterCoverage } from './coverage';
import { assignTowns, autoDistricts, clipTowns, distanceToAreaM, districtsFromPolygons, intersectAreas, unionAll, type District, type DistrictResult, type Issue, type LabelledPoints } from './districts';
import { evaluateEdge, judgeEdge, planEdge, type EdgeCrossing, type EdgeEval } from './edge';
import { areaIndex, areaKm2, bboxOf, pointInArea, pointInIndexed, polygonsOf, ringIndex, ringsOf, roundPt, type AreaIndex, type RingIndex } from './geom';
import { ComplianceInputError, type DistrictsInput, type EvaluateInput, type EvaluateOptions } from './input';
import { labelledRoadPoints, nearestRoad, prepareNetwork, reachableFromMain, REF, roadCrossings, snapEdgeRef, snapTo, SnapStore, type Crossing, type Net } from './network';
import { cellSideMidpoint, cellX, cellY, clipGrid, clipTrace, makeGrid, onCellCorner, traceLabel, type ClipGrid, type Grid } from './raster';
import { ESTIMATE_LABEL, NETWORK_LABEL, type BarrierHit, type CoverageReport, type EvalMode, type PlaceReport, type StationReport } from './report';
import { roadOnlyAcrossM } from './barrierAccess';
import { areaLimit, citation, type Bilingual, type Citation, type Standard } from './standards';

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
const r4 = (x: number) => Math.round(x * 10000) / 10000;

export function checkArea(a: AreaGeometry): void {
  if (!a || (a.type !== 'Polygon' && a.type !== 'MultiPolygon'))
    throw new ComplianceInputError('规划范围必须是面（Polygon/MultiPolygon）', 'planning area must be a Polygon or MultiPolygon');
}

export function checkStations(stations: Station[]): void {
  const ids = new Set<string>();
  for (const s of stations) {
    if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || Math.abs(s.lon) > 180 || Math.abs(s.lat) > 90)
      throw new ComplianceInputError(`消防站 ${s.name} 坐标无效（${s.lon}, ${s.lat}）`, `station ${s.nameEn ?? s.name} has invalid coordinates (${s.lon}, ${s.lat})`);
    if (ids.has(s.id)) throw new ComplianceInputError(`消防站编号重复：${s.id}`, `duplicate station id: ${s.id}`);
    ids.add(s.id);
  }
}

/**
 * Automatic-district grid: for every cell the nearest road point of the main (strongly connected) network — a node
 * or a point every few metres along a segment — and whether the cell lies wholly inside the planning area (cells
 * that do not are clipped with it after tracing).
 */
interface AutoGrid {
  grid: Grid;
  /** Per cell: road point index, -1 = none. */
  cellPt: Int32Array;
  /** Per road point: tail node, head node (-1 for a node point), fraction along, travel seconds u→v and v→u. */
  pu: Int32Array;
  pv: Int32Array;
  pf: Float64Array;
  fwd: Float64Array;
  back: Float64Array;
  /** Per cell: 1 when the whole cell is inside the planning area. */
  inner: Uint8Array;
  /** The planning area cut by the grid lines (exact clipped tracing); null in degenerate cases (polygon clipping then). */
  clip: ClipGrid | null;
}

function buildAutoGrid(net: Net, area: AreaGeometry, cellM: number): AutoGrid | null {
  // Grid lines moved a hair (0.05 mm) off the area's bounding box, so no boundary vertex lies on one (see clipGrid).
  const grid = makeGrid(bboxOf(area), cellM, undefined, 1e-6);
  const { frame } = grid;
  const g = net.graph, main = net.main, sp = net.spatial;
  const step = Math.max(10, grid.cellM / 2);
  const pu: number[] = [], pv: number[] = [], pf: number[] = [], fwd: number[] = [], back: number[] = [], xy: number[] = [];
  const lon = (v: number) => g.lon[v] / 1e7, lat = (v: number) => g.lat[v] / 1e7;
  for (let v = 0; v < g.nodeCount; v++)
    if (main[v]) {
      pu.push(v); pv.push(-1); pf.push(0); fwd.push(0); back.push(0);
      xy.push((lon(v) - frame.lon0) * frame.mx, (lat(v) - frame.lat0) * frame.my);
    }
  for (const e of sp.segEdge) {
    const u = sp.source[e], v = g.target[e];
    if (!main[u] || !main[v]) continue;
    const r = sp.twin[e];
    const f1 = net.seconds[e], b1 = r >= 0 ? net.seconds[r] : Infinity;
    if (!(f1 < Infinity) && !(b1 < Infinity)) continue;
    const k = Math.floor(g.lengthM[e] / step);
    for (let i = 1; i <= k; i++) {
      const f = i / (k + 1);
      pu.push(u); pv.push(v); pf.push(f); fwd.push(f1); back.push(b1);
      xy.push((lon(u) + f * (lon(v) - lon(u)) - frame.lon0) * frame.mx, (lat(u) + f * (lat(v) - lat(u)) - frame.lat0) * frame.my);
    }
  }
  const n = pu.length;
  if (n === 0) return null;
  const index = new Flatbush(n);
  for (let i = 0; i < n; i++) index.add(xy[2 * i], xy[2 * i + 1], xy[2 * i], xy[2 * i + 1]);
  index.finish();
  const cells = grid.nx * grid.ny;
  const cellPt = new Int32Array(cells);
  for (let r = 0; r < grid.ny; r++)
    for (let c = 0; c < grid.nx; c++) cellPt[c + r * grid.nx] = index.neighbors(cellX(grid, c), cellY(grid, r), 1)[0] ?? -1;
  return {
    grid, cellPt, pu: Int32Array.from(pu), pv: Int32Array.from(pv), pf: Float64Array.from(pf), fwd: Float64Array.from(fwd), back: Float64Array.from(back),
    inner: innerCells(grid, area),
    clip: clipGrid(grid, polygonsOf(area)),
  };
}

/** Cells whose four corners are inside the area and that no boundary line passes through. */
function innerCells(grid: Grid, area: AreaGeometry): Uint8Array {
  const { nx, ny, frame, cellM } = grid;
  const vin = new Uint8Array((nx + 1) * (ny + 1));
  for (let j = 0; j <= ny; j++)
    for (let i = 0; i <= nx; i++)
      vin[i + j * (nx + 1)] = pointInArea(area, frame.lon0 + (grid.x0 + i * cellM) / frame.mx, frame.lat0 + (grid.y0 + j * cellM) / frame.my) ? 1 : 0;
  const inner = new Uint8Array(nx * ny);
  for (let r = 0; r < ny; r++)
    for (let c = 0; c < nx; c++) {
      const k = c + r * (nx + 1);
      inner[c + r * nx] = vin[k] & vin[k + 1] & vin[k + nx + 1] & vin[k + nx + 2];
    }
  // Boundary lines, walked in quarter-cell steps: every cell they touch (and its neighbours) is not inner.
  for (const ring of ringsOf(area))
    for (let i = 1; i < ring.length; i++) {
      const ax = (ring[i - 1][0] - frame.lon0) * frame.mx, ay = (ring[i - 1][1] - frame.lat0) * frame.my;
      const bx = (ring[i][0] - frame.lon0) * frame.mx, by = (ring[i][1] - frame.lat0) * frame.my;
      const k = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / (cellM / 4)));
      for (let s = 0; s <= k; s++) {
        const c = Math.floor((ax + (s / k) * (bx - ax) - grid.x0) / cellM), r = Math.floor((ay + (s / k) * (by - ay) - grid.y0) / cellM);
        for (let dr = -1; dr <= 1; dr++)
          for (let dc = -1; dc <= 1; dc++) {
            const cc = c + dc, rr = r + dr;
            if (cc >= 0 && rr >= 0 && cc < nx && rr < ny) inner[cc + rr * nx] = 0;
          }
      }
    }
  return inner;
}

const asArea = (m: MultiPolygon): AreaGeometry => (m.coordinates.length === 1 ? { type: 'Polygon', coordinates: m.coordinates[0] } : m);

interface PrevState {
  /** Station key per cell (auto mode). */
  cellKey: Int32Array | null;
  geoms: Map<string, AreaGeometry | null>;
  reports: Map<string, { sig: string; geom: AreaGeometry | null; report: StationReport }>;
}

export function createEvaluator(input: EvaluatorInput): Evaluator {
  checkArea(input.planningArea);
  const std = input.standard;
  const o = input.options ?? {};
  const area = input.planningArea;
  const stepM = o.sampleStepM ?? 50, roadSearchM = o.roadSearchM ?? 300, corridorM = o.corridorM ?? 100, cellM = o.cellM ?? 50;
  const snapOpts = { searchM: roadSearchM, sideM: o.edgeSideM ?? 150, parallelM: o.edgeParallelM ?? 30 };
  const turnout = std.turnoutS.value, limit = std.travelLimitS.value, required = std.complianceShare.value;
  const speedMps = std.straightLine.speedKmh.value / 3.6, lambda = std.straightLine.curvature.value;
  const net: Net | null = input.network ? prepareNetwork(input.network) : null;
  const mode: EvalMode = net ? 'network' : 'straight-line-estimate';
  const label = net ? NETWORK_LABEL : ESTIMATE_LABEL;
  const reach = net ? reachableFromMain(net) : null;
  /** Station and multi-source runs on the contracted graph. */
  const paths = net ? new ChainPaths(net.graph, net.seconds, net.spatial) : null;
  const d: DistrictsInput = input.districts;
  const autoCell = d.mode === 'auto' ? d.cellM ?? cellM : cellM;
  let auto: AutoGrid | null | undefined; // built on first use
  const towns = d.mode === 'towns' ? clipTowns(d.towns, area) : null;
  const unions = new Map<string, AreaGeometry | null>();
  let given: { key: string; result: DistrictResult } | null = null;
  const kinds = new Set(o.barrierKinds ?? DEFAULT_BARRIER_KINDS);
  const barriers: BarrierLine[] = [...barrierLines(input.barriers).filter((b) => kinds.has(b.kind)), ...(net && kinds.has('motorway') ? motorwayLines(net.graph) : [])];
  const cite = (key: string, assumption = false) => citation(std, key, assumption);
  const responseCite = cite(std.travelLimitS.cite, !!std.travelLimitS.assumption);
  const keys = new Map<string, number>();
  const keyOf = (id: string) => {
    let k = keys.get(id);
    if (k === undefined) keys.set(id, (k = keys.size));
    return k;
  };
  let prev: PrevState | null = null;
  /** Station id → its label in the auto grid's current labels (set by autoFast for this call), else null. */
  let labelled: Map<string, number> | null = null;
  /** Edge-point road points (kept across calls where they do not depend on the district; see SnapStore). */
  const store = new SnapStore();
  /** Node times while a station's run grows (see networkEdge). */
  let scratch: Float64Array = new Float64Array(0);
  let recomputed: string[] = [];
  /** A cell-key array no longer needed (the one before the previous call's). */
  let spareKey: Int32Array | null = null;

  /** Automatic districts from the multi-source run; `dirty` gets the stations whose cells changed since the last call. */
  function autoFast(stations: Station[], all: { time: Float64Array; origin: Int32Array }, a: AutoGrid, dirty: Set<number>): { districts: District[]; cellKey: Int32Array; geoms: Map<string, AreaGeometry | null> } {
    const { grid, cellPt, pu, pv, pf, fwd, back, inner } = a;
    const { time, origin } = all;
    const n = stations.length, cells = grid.nx * grid.ny;
    const stKey = Int32Array.from(stations, (s) => keyOf(s.id));
    // (Every cell is written below: the array of the call before last is reused.)
    const cellKey = spareKey && spareKey.length === cells ? spareKey : new Int32Array(cells);
    spareKey = null;
    // Per station: its cells' column and row range (c0, r0, c1, r1), and whether any is not wholly inside.
    const bx = new Int32Array(4 * n);
    for (let k = 0; k < n; k++) { bx[4 * k] = bx[4 * k + 1] = 2 ** 30; bx[4 * k + 2] = bx[4 * k + 3] = -1; }
    const edge = new Uint8Array(n);
    const old = prev?.cellKey && prev.cellKey.length === cells ? prev.cellKey : null;
    const labels = grid.labels, nx = grid.nx;
    for (let r = 0, c = 0, i = 0; i < cells; i++) {
      const p = cellPt[i];
      let lab = -1;
      if (p >= 0) {
        const u = pu[p], v = pv[p];
        if (v < 0) lab = origin[u];
        else {
          const f = pf[p];
          lab = time[u] + f * fwd[p] <= time[v] + (1 - f) * back[p] ? origin[u] : origin[v];
        }
      }
      labels[i] = lab;
      const key = lab >= 0 ? stKey[lab] : -1;
      cellKey[i] = key;
      if (lab >= 0) {
        const b = 4 * lab;
        if (c < bx[b]) bx[b] = c;
        if (r < bx[b + 1]) bx[b + 1] = r;
        if (c > bx[b + 2]) bx[b + 2] = c;
        if (r > bx[b + 3]) bx[b + 3] = r;
        if (!inner[i]) edge[lab] = 1;
      }
      if (old && old[i] !== key) { dirty.add(key); dirty.add(old[i]); }
      if (++c === nx) { c = 0; r++; }
    }
    // (No previous call: every district is new.)
    if (!old) for (const key of stKey) dirty.add(key);
    const box = (k: number) => ({ c0: bx[4 * k], r0: bx[4 * k + 1], c1: bx[4 * k + 2], r1: bx[4 * k + 3] });
    const geoms = new Map<string, AreaGeometry | null>();
    const districts: District[] = [];
    labelled = new Map(stations.map((s, k) => [s.id, k]));
    stations.forEach((s, k) => {
      let g: AreaGeometry | null;
      if (!dirty.has(stKey[k]) && prev?.geoms.has(s.id)) g = prev.geoms.get(s.id)!;
      else {
        dirty.add(stKey[k]);
        if (bx[4 * k + 2] < 0) g = null;
        else if (a.clip) {
          const region = clipTrace(grid, k, a.clip, box(k));
          g = region && asArea(region);
        } else {
          const region = traceLabel(grid, k, box(k));
          g = region && (edge[k] ? intersectAreas(region, area) : asArea(region));
        }
      }
      geoms.set(s.id, g);
      if (g) districts.push({ stationId: s.id, geometry: g, source: 'auto' });
    });
    return { districts, cellKey, geoms };
  }

  function districtsFor(stations: Station[], all: { time: Float64Array; origin: Int32Array } | null, live: boolean, dirty: Set<number>): { dr: DistrictResult; cellKey: Int32Array | null } {
    if (d.mode === 'towns') {
      const memoUnion = (geoms: AreaGeometry[], ids: string[]) => {
        const k = ids.join('\u0000');
        if (!unions.has(k)) unions.set(k, unionAll(geoms));
        return unions.get(k)!;
      };
      const r = assignTowns(stations, towns!.towns, memoUnion);
      return { dr: { districts: r.districts, issues: [...towns!.issues, ...r.issues] }, cellKey: null };
    }
    if (d.mode === 'given') {
      const key = stations.map((s) => s.id).join('\u0000');
      if (!given || given.key !== key) given = { key, result: districtsFromPolygons(stations, d.polygons, area) };
      return { dr: given.result, cellKey: null };
    }
    if (net && all && live) {
      if (auto === undefined) auto = buildAutoGrid(net, area, autoCell);
      if (auto) {
        const r = autoFast(stations, all, auto, dirty);
        return { dr: { districts: r.districts, issues: [] }, cellKey: r.cellKey };
      }
    }
    // Straight-line estimate, or no station on the main network: label road points (or stations) directly.
    const pts: LabelledPoints = net && all
      ? labelledRoadPoints(net, all, Math.max(10, autoCell / 2))
      : { lon: Float64Array.from(stations, (s) => s.lon), lat: Float64Array.from(stations, (s) => s.lat), label: Int32Array.from(stations, (_s, k) => k) };
    return { dr: autoDistricts(stations, area, pts, { cellM: autoCell }), cellKey: null };
  }

  /** Edge test on the network: the station's own run, grown in steps until every tested time is final. */
  function networkEdge(s: Station, k: number, geom: AreaGeometry, src: Snap | null, all: { time: Float64Array; origin: Int32Array } | null, coverage: boolean): { ev: EdgeEval; ownTime: Float64Array | null } {
    const n = net!;
    const chains = paths!;
    const [bx0, by0, bx1, by1] = bboxOf(geom);
    const pad = 1e-4; // about 10 m
    let rings: RingIndex | null = null, areaIx: AreaIndex | null = null;
    const lab = labelled?.get(s.id);
    // Inside the district or on its boundary (within about 1 m).
    const inside = (lon: number, lat: number) => {
      if (lon < bx0 - pad || lon > bx1 + pad || lat < by0 - pad || lat > by1 + pad) return false;
      // Automatic districts are the cells labelled with the station (cut by the planning area): a point more than
      // 1 m inside a cell is decided by its label, when the cell is another's or wholly in the planning area.
      if (lab !== undefined && auto) {
        const { grid } = auto, { frame, cellM } = grid;
        const x = (lon - frame.lon0) * frame.mx - grid.x0, y = (lat - frame.lat0) * frame.my - grid.y0;
        const c = Math.floor(x / cellM), r = Math.floor(y / cellM), fx = x - c * cellM, fy = y - r * cellM;
        if (c >= 0 && r >= 0 && c < grid.nx && r < grid.ny && fx > 1 && fy > 1 && fx < cellM - 1 && fy < cellM - 1) {
          if (grid.labels[c + r * grid.nx] !== lab) return false;
          if (auto.inner[c + r * grid.nx]) return true;
        }
      }
      if (pointInIndexed((areaIx ??= areaIndex(geom)), lon, lat)) return true;
      rings ??= ringIndex(geom);
      const e = 1e-5;
      return rings.index.search(lon - e, lat - e, lon + e, lat + e).length > 0 && distanceToAreaM(geom, lon, lat) < 1;
    };
    // An automatic district's ring vertices are cell corners of the grid it was traced on.
    const grid = auto && labelled?.has(s.id) ? auto.grid : null;
    const skipVertex = grid ? (lon: number, lat: number) => onCellCorner(grid, lon, lat) : undefined;
    const samplePoint = grid ? (a: Position, b: Position, p: LonLat) => cellSideMidpoint(grid, a, b, p) : undefined;
    const sec = n.seconds;
    /** Seconds to a road point (u, v, t, edge, reverse) from node times T (Infinity where not final), or from the source on the same segment. */
    const roadTime = (T: Float64Array, u: number, v: number, t: number, e: number, rev: number) => {
      const viaU = t === 0 ? T[u] : T[u] + t * sec[e];
      const viaV = t === 1 ? T[v] : rev >= 0 ? T[v] + (1 - t) * sec[rev] : Infinity;
      let best = viaU < viaV ? viaU : viaV;
      if (src && src.edge === e) best = Math.min(best, t === src.t ? 0 : t > src.t ? (t - src.t) * sec[e] : rev >= 0 ? (src.t - t) * sec[rev] : Infinity);
      return best;
    };
    /** roadTime for road point i of the store (its seconds along the edge kept with it). */
    const storeTime = (T: Float64Array, i: number) => {
      const viaU = T[store.u[i]] + store.fw[i], viaV = T[store.v[i]] + store.bw[i];
      const best = viaU < viaV ? viaU : viaV;
      return src && src.edge === store.edge[i] ? roadTime(T, store.u[i], store.v[i], store.t[i], store.edge[i], store.reverse[i]) : best;
    };
    // Whether a road point's time can still drop: an end the station can reach and drive on from is not final yet.
    const open = (T: Float64Array, u: number, v: number, t: number, e: number, rev: number) =>
      (reach![u] === 1 && (t === 0 || sec[e] < Infinity) && !(T[u] < Infinity)) || (reach![v] === 1 && (t === 1 || (rev >= 0 && sec[rev] < Infinity)) && !(T[v] < Infinity));
    // The last refTime / crossTime answer: best time and its road point (no object per call on this hot path).
    let rBt = Infinity, rBest = 0, xSec = Infinity;
    /**
     * Best time to an edge point's road points (store reference) into rBt / rBest. Returns whether it is final
     * once the run has passed cutoff D: at most D, or none of the road points can still drop.
     */
    const refTime = (T: Float64Array, ref: number, D: number): boolean => {
      const count = ref % REF, first = (ref - count) / REF;
      let bt = Infinity, best = first;
      for (let i = first; i < first + count; i++) {
        const t = storeTime(T, i);
        if (t < bt) { bt = t; best = i; }
      }
      rBt = bt;
      rBest = best;
      if (bt <= D) return true;
      for (let i = first; i < first + count; i++)
        if ((reach![store.u[i]] === 1 && store.fw[i] < Infinity && !(T[store.u[i]] < Infinity)) || (reach![store.v[i]] === 1 && store.bw[i] < Infinity && !(T[store.v[i]] < Infinity))) return false;
      return true;
    };
    /** A crossing's time (its own road, or the road points beside it: `ref`, 0 = none) into xSec; whether it is final (see refTime). */
    const crossTime = (T: Float64Array, c: SourcePoint, ref: number, D: number): boolean => {
      const fin = ref > 0 ? refTime(T, ref, D) : true;
      xSec = Math.min(roadTime(T, c.u, c.v, c.t, c.edge, c.reverse), ref > 0 ? rBt : Infinity);
      return xSec <= D || (fin && !open(T, c.u, c.v, c.t, c.edge, c.reverse));
    };

    // Where the edge is tested: the samples' road points (store references; count 0 = no road near) and the road
    // crossings with the road points beside them. The multi-source times (a lower bound of this station's own)
    // tell how far the station's run must go at least.
    const plan = planEdge(geom, stepM, { skipVertex, samplePoint });
    const m = plan.lon.length;
    const plainRef = new Array<number>(m);
    const cross: Crossing[] = [], crossRef: number[] = [], crossRing: number[] = [];
    let lower = 0;
    const snap = (lon: number, lat: number) => snapEdgeRef(n, lon, lat, snapOpts, inside, store);
    // A point's fastest multi-source time (at each end at most this station's own) is the station's own when that
    // fastest way goes through an end the station itself reaches first (its multi-source label), or straight from
    // the station along the same edge. Such points need no run of their own.
    const origin = all?.origin;
    const direct = (t: number, e: number, rev: number) =>
      src && src.edge === e ? (t === src.t ? 0 : t > src.t ? (t - src.t) * sec[e] : rev >= 0 ? (src.t - t) * sec[rev] : Infinity) : Infinity;
    /** Whether a road point reaches time b through an end or way that is this station's own. */
    const ownWay = (at: Float64Array, b: number, u: number, v: number, fw: number, bw: number, t: number, e: number, rev: number) =>
      (origin![u] === k && at[u] + fw === b) || (origin![v] === k && at[v] + bw === b) || direct(t, e, rev) === b;
    /** The multi-source time of an edge point's road points into rBt / rBest; whether it is this station's own. */
    const exactRef = (ref: number): boolean => {
      const at = all!.time, count = ref % REF, first = (ref - count) / REF;
      let b = Infinity, best = first, own = -1;
      for (let i = first; i < first + count; i++) {
        const u = store.u[i], v = store.v[i], tu = at[u] + store.fw[i], tv = at[v] + store.bw[i];
        const td = src && src.edge === store.edge[i] ? direct(store.t[i], store.edge[i], store.reverse[i]) : Infinity;
        const t = Math.min(tu, tv, td);
        if (t > b) continue;
        if (t < b) { b = t; best = i; own = -1; }
        // (The first road point whose fastest way is the station's own: the one its own times would pick.)
        if (own < 0 && ((tu === t && origin![u] === k) || (tv === t && origin![v] === k) || td === t)) own = i;
      }
      rBt = b;
      rBest = own >= 0 ? own : best;
      return !!src && own >= 0 && b < Infinity;
    };
    const plainSec = new Float64Array(m).fill(Infinity), plainBest = new Int32Array(m).fill(-1);
    const todo: number[] = [];
    for (let i = 0; i < m; i++) {
      const ref = (plainRef[i] = snap(plan.lon[i], plan.lat[i]));
      if (ref % REF === 0) { plainSec[i] = NaN; continue; }
      if (all && !o.referenceRuns && exactRef(ref)) { plainSec[i] = rBt; plainBest[i] = rBest; continue; }
      todo.push(i);
      if (rBt < Infinity && rBt > lower) lower = rBt;
    }
    const crossSec: number[] = [], crossBest: number[] = [], todoX: number[] = [];
    plan.rings.forEach((pr, r) => {
      for (const c of roadCrossings(n, pr.coords, pr.cum)) {
        const j = cross.length, ref = snap(c.lon, c.lat), near = ref % REF ? ref : 0;
        cross.push(c);
        crossRef.push(near);
        crossRing.push(r);
        crossSec.push(Infinity);
        crossBest.push(-1);
        if (all && src && !o.referenceRuns) {
          // The crossing's own road, or the road points beside it when strictly faster (as crossTime).
          const at = all.time, fw = c.t === 0 ? 0 : c.t * sec[c.edge], bw = c.t === 1 ? 0 : c.reverse >= 0 ? (1 - c.t) * sec[c.reverse] : Infinity;
          const own = roadTime(at, c.u, c.v, c.t, c.edge, c.reverse);
          const nearOwn = near ? exactRef(near) : false, nearT = near ? rBt : Infinity;
          if (own <= nearT && ownWay(at, own, c.u, c.v, fw, bw, c.t, c.edge, c.reverse) && own < Infinity) { crossSec[j] = own; continue; }
          if (nearT < own && nearOwn) { crossSec[j] = nearT; crossBest[j] = rBest; continue; }
          const x = Math.min(own, nearT);
          if (x < Infinity && x > lower) lower = x;
        }
        todoX.push(j);
      }
    });

    // The station's run, from `lower` on in steps, until every tested time is final; each is kept as it becomes
    // final (seconds, and its road point: -1 = the crossing's own road). A station off the main network runs to
    // the end at once (what it can reach is not what the main network can).
    let ownTime: Float64Array | null = null;
    if (src) {
      let D = src.isolated || o.referenceRuns ? Infinity : Math.max(lower, coverage ? limit : 0);
      chains.run(src, D);
      if (scratch.length !== n.graph.nodeCount) scratch = new Float64Array(n.graph.nodeCount);
      const T = scratch;
      // Only the ends of the points not final yet are read: their times are loaded into T at each step.
      const load = (ref: number) => {
        const count = ref % REF, first = (ref - count) / REF;
        for (let i = first; i < first + count; i++) { T[store.u[i]] = chains.timeOf(store.u[i]); T[store.v[i]] = chains.timeOf(store.v[i]); }
      };
      let left = todo, leftX = todoX;
      for (;;) {
        const cutoff = chains.cutoff;
        left = left.filter((i) => {
          load(plainRef[i]);
          if (!refTime(T, plainRef[i], cutoff)) return true;
          plainSec[i] = rBt;
          plainBest[i] = rBest;
          return false;
        });
        leftX = leftX.filter((j) => {
          const c = cross[j], ref = crossRef[j];
          T[c.u] = chains.timeOf(c.u);
          T[c.v] = chains.timeOf(c.v);
          if (ref) load(ref);
          if (!crossTime(T, c, ref, cutoff)) return true;
          crossSec[j] = xSec;
          crossBest[j] = ref && rBt < roadTime(T, c.u, c.v, c.t, c.edge, c.reverse) ? rBest : -1;
          return false;
        });
        if (left.length === 0 && leftX.length === 0) break;
        D = Math.max(D + 20, D * 1.1);
        chains.extend(D);
      }
      if (coverage) ownTime = chains.times();
    }

    const crossings: EdgeCrossing[] = cross.map((c, j) => ({ ring: crossRing[j], posM: c.posM, lon: c.lon, lat: c.lat, seconds: crossSec[j] }));
    const ev = judgeEdge(s.id, plan, plainSec, crossings, (kind, i) => {
      const b = kind === 'sample' ? plainBest[i] : crossBest[i];
      return b >= 0 ? [store.lon[b], store.lat[b]] : kind === 'sample' ? [plan.lon[i], plan.lat[i]] : [cross[i].lon, cross[i].lat];
    }, { stepM, travelLimitS: limit, requiredShare: required });
    return { ev, ownTime };
  }

  function stationReport(stations: Station[], k: number, dist: District | undefined, src: Snap | null, snapM: number | null, all: { time: Float64Array; origin: Int32Array } | null, coverage: boolean, nearSuburb: boolean): StationReport {
    const s = stations[k];
    const lim = areaLimit(std, s.stationClass, nearSuburb);
    const clauses: Citation[] = [responseCite];
    if (std.turnoutS.cite !== std.travelLimitS.cite) clauses.push(cite(std.turnoutS.cite, !!std.turnoutS.assumption));
    if (std.complianceShare.cite !== std.travelLimitS.cite) clauses.push(cite(std.complianceShare.cite));
    if (lim) clauses.push(cite(lim.cite, !!lim.assumption));
    if (!net) clauses.push(cite(std.straightLine.speedKmh.cite, true));
    const base: StationReport = {
      id: s.id, name: s.name, ...(s.nameEn ? { nameEn: s.nameEn } : {}), stationClass: s.stationClass, status: s.status,
      position: s.position, example: s.example === true,
      mode, label, verdict: 'no-district', reasons: [], districtSource: null,
      districtAreaKm2: null, areaLimitKm2: lim ? lim.value : null, areaExcessKm2: null, areaOk: null,
      turnoutSeconds: turnout, travelLimitSeconds: limit,
      worstEdgeSeconds: null, worstResponseSeconds: null, worstPoint: null, worstEdgePoint: null, unreachableEdgePoints: 0,
      shareWithinLimit: null, requiredShare: required, edgeLengthM: 0, noRoadAccessM: 0,
      stationSnapM: net ? snapM : null, clauses,
      failingEdges: { type: 'FeatureCollection', features: [] }, noAccessEdges: { type: 'FeatureCollection', features: [] },
      coverage: null, barriers: [],
    };
    if (!dist) {
      base.reasons.push({ zh: '该站没有辖区', en: 'this station has no district' });
      return base;
    }
    const geom = dist.geometry;
    base.districtSource = dist.source;
    const a = areaKm2(geom);
    base.districtAreaKm2 = r4(a);
    if (lim) {
      base.areaExcessKm2 = r4(Math.max(0, a - lim.value));
      base.areaOk = a <= lim.value + 1e-9;
    }

    // Edge test.
    let ev: EdgeEval, ownTime: Float64Array | null = null;
    if (net) ({ ev, ownTime } = networkEdge(s, k, geom, src, all, coverage));
    else ev = evaluateEdge(s.id, geom, (lon, lat) => ({ seconds: (haversineM(s.lon, s.lat, lon, lat) * lambda) / speedMps, target: [lon, lat] }), { stepM, travelLimitS: limit, requiredShare: required });
    base.edgeLengthM = r1(ev.totalM);
    base.noRoadAccessM = r1(ev.noAccessM);
    base.shareWithinLimit = ev.share === null ? null : r4(ev.share);
    base.unreachableEdgePoints = ev.unreachable;
    base.failingEdges.features = ev.failing;
    base.noAccessEdges.features = ev.noAccess;
    if (ev.worst) {
      base.worstEdgeSeconds = r1(ev.worst.seconds);
      base.worstResponseSeconds = r1(ev.worst.seconds + turnout);
      base.worstPoint = roundPt(ev.worst.target);
      base.worstEdgePoint = roundPt(ev.worst.edgePoint);
    }
    base.verdict = ev.pass ? 'pass' : 'fail';
    base.reasons.push(...edgeReasons(ev.pass, base, std, net ? src : true));
    // A station far off the network cannot be said to reach anything on it: the edge times would start from a
    // road the engine does not stand on.
    if (net && src && src.far) {
      base.verdict = 'fail';
      base.reasons.push({ zh: `消防站距最近可用道路 ${Math.round(src.distanceM)} m（> ${FAR_SNAP_M} m），无法按路网到达辖区边缘`, en: `the station is ${Math.round(src.distanceM)} m from the nearest usable road (> ${FAR_SNAP_M} m): it cannot reach its district edge on the network` });
    }
    if (base.edgeLengthM > 0 && base.noRoadAccessM > 0.5 * base.edgeLengthM)
      base.reasons.push({ zh: `辖区边缘 ${Math.round((100 * base.noRoadAccessM) / base.edgeLengthM)}% 附近没有道路，结论只针对其余部分`, en: `${Math.round((100 * base.noRoadAccessM) / base.edgeLengthM)}% of the district edge has no road nearby; the verdict rests on the rest` });

    // Area test (reported; it does not change the response verdict).
    if (base.areaOk === false)
      base.reasons.push({
        zh: `辖区面积 ${a.toFixed(2)} km² 超过 ${s.stationClass} 限值 ${lim!.value} km²（超出 ${base.areaExcessKm2} km²）`,
        en: `district area ${a.toFixed(2)} km² exceeds the ${s.stationClass} limit of ${lim!.value} km² by ${base.areaExcessKm2} km²`,
      });

    if (coverage)
      base.coverage = net && all && ownTime
        ? networkCoverage({ net, geom, own: k, ownTime, all, stationIds: stations.map((x) => x.id), limitS: limit, corridorM, cellM })
        : net ? null : straightCoverage(geom, stations, k, limit * speedMps / lambda, cellM);

    if (std.barrierRule.value) {
      base.barriers = barriersInDistrict(geom, barriers, o.minBarrierM ?? 200);
      // How much of the district's road the station reaches only across each barrier (on the network).
      if (net && src)
        for (const b of base.barriers)
          b.roadOnlyAcrossM = r1(roadOnlyAcrossM(net, src, geom, barriers.filter((l) => l.kind === b.kind && l.name === b.name), b.kind === 'motorway'));
      if (base.barriers.length > 0) {
        const km = (b: BarrierHit) => ((b.roadOnlyAcrossM ?? 0) / 1000).toFixed(1);
        base.clauses.push(cite(std.barrierRule.cite));
        base.reasons.push({
          zh: `辖区跨越障碍：${base.barriers.map((b) => `${b.name || b.kind}（${Math.round(b.lengthInsideM)} m${b.roadOnlyAcrossM ? `，辖区内 ${km(b)} km 道路只能跨越它到达` : ''}）`).join('、')}`,
          en: `district straddles barriers: ${base.barriers.map((b) => `${b.name || b.kind} (${Math.round(b.lengthInsideM)} m${b.roadOnlyAcrossM ? `; ${km(b)} km of the district's roads are reached only across it` : ''})`).join(', ')}`,
        });
      }
    }
    return base;
  }

  function evaluate(stations: Station[], call: EvaluateCallOptions = {}): PlaceReport {
    checkStations(stations);
    const coverage = call.coverage === true;
    const issues: Issue[] = [];

    // Stations on the network (main network first), and the multi-source run (fastest station per road point).
    const sources: (Snap | null)[] = [];
    const snapM: (number | null)[] = [];
    let all: { time: Float64Array; origin: Int32Array } | null = null;
    let live = false;
    if (net) {
      for (const s of stations) {
        const sn = snapTo(net, s.lon, s.lat, roadSearchM);
        sources.push(sn);
        snapM.push(sn ? r1(sn.distanceM) : null);
        if (!sn) issues.push({ code: 'station-no-road', zh: `${s.name}：附近没有可用道路`, en: `${s.nameEn ?? s.name}: no usable road nearby` });
        else if (sn.far) issues.push({ code: 'station-far', zh: `${s.name}：距最近道路 ${Math.round(sn.distanceM)} m`, en: `${s.nameEn ?? s.name}: ${Math.round(sn.distanceM)} m from the nearest road` });
        else if (sn.isolated) issues.push({ code: 'station-isolated', zh: `${s.name}：${roadSearchM} m 内只有与主路网不连通（或单行无法驶出）的路段`, en: `${s.nameEn ?? s.name}: within ${roadSearchM} m only roads cut off from the main network (or one-way pockets) are found` });
        if (sn && !sn.isolated) {
          live = true;
          const near = nearestRoad(net, s.lon, s.lat);
          if (near && near.distanceM < sn.distanceM - 0.5 && !(net.main[near.u] && net.main[near.v]))
            issues.push({
              code: 'station-main-road',
              zh: `${s.name}：按 ${r1(sn.distanceM)} m 外的主路网道路计算（${r1(near.distanceM)} m 处最近的路段是单行死角或断开的小路段）`,
              en: `${s.nameEn ?? s.name}: starts on the main network ${r1(sn.distanceM)} m away (the nearest road, ${r1(near.distanceM)} m, is a one-way pocket or a cut-off piece)`,
            });
        }
      }
      const liveIdx = sources.map((p, k) => (p ? k : -1)).filter((k) => k >= 0);
      const nodes = net.graph.nodeCount, run = { time: new Float64Array(nodes), origin: new Int32Array(nodes) };
      paths!.runAll(liveIdx.map((k) => sources[k]!), run.time, run.origin);
      for (let v = 0; v < nodes; v++) if (run.origin[v] >= 0) run.origin[v] = liveIdx[run.origin[v]];
      all = run;
    }
    for (const s of stations)
      if (!pointInArea(area, s.lon, s.lat))
        issues.push({ code: 'station-outside-area', zh: `${s.name}：位于规划范围之外`, en: `${s.nameEn ?? s.name}: outside the planning area` });

    const dirty = new Set<number>();
    labelled = null;
    const { dr, cellKey } = districtsFor(stations, all, live, dirty);
    issues.push(...dr.issues);
    const districtOf = new Map<string, District>(dr.districts.map((x) => [x.stationId, x]));

    // Edge-point snaps that do not depend on the district are kept across calls (a pure function of the point).
    if (store.memo.size > 200_000 || store.size > 400_000) store.clear();
    const geoms = new Map<string, AreaGeometry | null>();
    const reports = new Map<string, { sig: string; geom: AreaGeometry | null; report: StationReport }>();
    recomputed = [];
    const list = stations.map((s, k) => {
      const dist = districtOf.get(s.id);
      const geom = dist?.geometry ?? null;
      geoms.set(s.id, geom);
      const ns = call.nearSuburb?.includes(s.id) === true;
      const sig = JSON.stringify([s, ns, snapM[k] ?? null]);
      const old = prev?.reports.get(s.id);
      // A station keeps its report when it, its district and the options are unchanged (coverage depends on all stations).
      const report = !coverage && old && old.sig === sig && old.geom === geom && !(d.mode === 'auto' && dirty.has(keyOf(s.id)))
        ? old.report
        : (recomputed.push(s.id), stationReport(stations, k, dist, sources[k] ?? null, snapM[k] ?? null, all, coverage, ns));
      reports.set(s.id, { sig: coverage ? '' : sig, geom, report });
      return report;
    });
    if (prev?.cellKey && prev.cellKey !== cellKey) spareKey = prev.cellKey;
    prev = { cellKey, geoms, reports };

    const features = dr.districts.map((x) => {
      const s = stations.find((t) => t.id === x.stationId)!;
      const rep = reports.get(x.stationId)!.report;
      return { type: 'Feature' as const, geometry: x.geometry, properties: { stationId: s.id, stationName: s.name, areaKm2: rep.districtAreaKm2 ?? 0, source: x.source, verdict: rep.verdict } };
    });
    const passing = list.filter((r) => r.verdict === 'pass').length;
    const noDistrict = list.filter((r) => r.verdict === 'no-district').length;
    const summary = {
      total: list.length, passing, failing: list.length - passing - noDistrict, noDistrict,
      ...summaryText(list.length, passing, noDistrict, std, mode),
    };
    const usedKeys = [...new Set(list.flatMap((r) => r.clauses.map((c) => c.key)))];
    return {
      placeId: input.placeId ?? '',
      mode, label,
      standard: { id: std.id, name: std.name, short: std.short, citations: usedKeys.map((k) => list.flatMap((r) => r.clauses).find((c) => c.key === k)!) },
      settings: {
        turnoutS: turnout, travelLimitS: limit, requiredShare: required, sampleStepM: stepM, roadSearchM, corridorM,
        speedKmh: net ? null : std.straightLine.speedKmh.value, curvature: net ? null : lambda,
        profileName: net ? net.profileName : null, districtsMode: d.mode,
      },
      stations: list, districts: { type: 'FeatureCollection', features: features as PlaceReport['districts']['features'] }, issues, summary,
    };
  }

  return {
    evaluate,
    reset: () => {
      spareKey = prev?.cellKey ?? spareKey;
      prev = null;
      store.clear();
    },
    get recomputed() { return recomputed; },
  };
}

function edgeReasons(pass: boolean, r: StationReport, std: Standard, reachable: unknown): Bilingual[] {
  const out: Bilingual[] = [];
  const lim = r.travelLimitSeconds, t = r.turnoutSeconds;
  if (!reachable) out.push({ zh: '消防站无法接入路网', en: 'the station cannot be placed on the road network' });
  if (r.shareWithinLimit === null) {
    out.push({ zh: '辖区边缘附近没有道路，无法检验', en: 'no road near the district edge: cannot be tested' });
    return out;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const w = r.worstEdgeSeconds;
  if (pass)
    out.push({
      zh: `到达辖区边缘最长行车 ${w} 秒 ≤ ${lim} 秒（响应 ${r.worstResponseSeconds} 秒 ≤ ${t + lim} 秒），${pct(r.shareWithinLimit)} 边缘达标（${std.short.zh}）`,
      en: `longest travel to the district edge ${w} s ≤ ${lim} s (response ${r.worstResponseSeconds} s ≤ ${t + lim} s); ${pct(r.shareWithinLimit)} of the edge within the limit (${std.short.en})`,
    });
  else
    out.push({
      zh: `辖区边缘仅 ${pct(r.shareWithinLimit)} 在 ${lim} 秒内可达（要求 ${pct(r.requiredShare)}），最长 ${w} 秒（响应 ${r.worstResponseSeconds} 秒 > ${t + lim} 秒）`,
      en: `only ${pct(r.shareWithinLimit)} of the district edge is reached within ${lim} s (required ${pct(r.requiredShare)}); worst ${w} s (response ${r.worstResponseSeconds} s > ${t + lim} s)`,
    });
  if (r.unreachableEdgePoints > 0)
    out.push({ zh: `${r.unreachableEdgePoints} 个边缘点有道路但本站无法到达`, en: `${r.unreachableEdgePoints} edge points have a road the station cannot reach` });
  return out;
}

function summaryText(total: number, passing: number, noDistrict: number, std: Standard, mode: EvalMode): { text_zh: string; text_en: string } {
  const est = mode === 'straight-line-estimate';
  const t = std.turnoutS.value, l = std.travelLimitS.value;
  const minutes = (x: number) => (x / 60).toFixed(x % 60 === 0 ? 0 : 1);
  let zh = `${passing} / ${total} 站满足 ${std.short.zh}（出动 ${minutes(t)} 分钟 + 行车 ${minutes(l)} 分钟到达辖区边缘）`;
  let en = `${passing} / ${total} stations meet ${std.short.en} (${minutes(t)} min turnout + ${minutes(l)} min travel to the district edge)`;
  if (noDistrict > 0) {
    zh += `；${noDistrict} 站无辖区`;
    en += `; ${noDistrict} without a district`;
  }
  if (est) {
    zh += `【${ESTIMATE_LABEL.zh}】`;
    en += ` [${ESTIMATE_LABEL.en}]`;
  }
  return { text_zh: zh, text_en: en };
}

/** Straight-line coverage: a point is covered by a station when distance × λ ÷ speed ≤ the travel limit. */
function straightCoverage(geom: AreaGeometry, stations: Station[], own: number, radiusM: number, cellM: number): CoverageReport {
  const ids = stations.map((s) => s.id);
  const r = rasterCoverage(geom, cellM, (lon, lat) => {
    if (haversineM(stations[own].lon, stations[own].lat, lon, lat) <= radiusM) return 'own';
    let best = -1, bd = Infinity;
    stations.forEach((s, k) => {
      const dd = haversineM(s.lon, s.lat, lon, lat);
      if (k !== own && dd <= radiusM && dd < bd) { bd = dd; best = k; }
    });
    return best;
  }, ids);
  return {
    roadShare: null, roadKm: 0, areaShare: r.areaShare, pockets: r.pockets, pocketsKm2: r.pocketsKm2,
    secondDue: [...r.secondDueKm2.entries()].sort((p, q) => (p[0] < q[0] ? -1 : 1)).map(([stationId, areaKm2]) => ({ stationId, roadKm: 0, areaKm2 })),
  };
}

