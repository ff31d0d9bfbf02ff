/**
 * Adapter from the routing modules (spatial index, snapping, Dijkstra) to what the compliance checks need:
 * stations snapped to the main (strongly connected) network, road crossings of a line, labelled road points. The
 * road points a district-edge point is reached at are found in edgeSnap.ts.
 */
import type { Position } from 'geojson';
import { ShortestPaths, type SourcePoint } from '../dijkstra';
import type { TurnRules } from '../turns';
import { computeComponents, mainStrongComponent, networkReach, type Components, type NetworkReach } from '../components';
import type { RoadGraph } from '../graph';
import { edgePointTime } from '../edgeTime';
import { FAR_SNAP_M, snapPoint, type Snap } from '../snap';
import { buildSpatialIndex, toLocalX, toLocalY, type SpatialIndex } from '../spatial';
import { segmentCross } from './geom';
import type { LabelledPoints } from './districts';
import { CELL_M, CELL_REACH_M, cellList, edgeUsable, type CellTable } from './roadCells';

export interface NetworkInput {
  graph: RoadGraph;
  /** Travel seconds per directed edge (profile.edgeSeconds); Infinity = unusable. */
  seconds: Float32Array;
  profileName?: string;
  /** Optional prebuilt helpers (the worker keeps them per graph). */
  spatial?: SpatialIndex;
  paths?: ShortestPaths;
  /** The turn rules the searches obey when `paths` is not given (default: obey the graph's restrictions, no penalties). */
  turnRules?: TurnRules;
  components?: Components;
  /** Nodes of the largest strongly connected network under `seconds` (Router.mainNetwork); computed when absent. */
  main?: Uint8Array;
}

export interface Net {
  graph: RoadGraph;
  seconds: Float32Array;
  spatial: SpatialIndex;
  paths: ShortestPaths;
  comps: Components;
  /** Per node: 1 on the largest strongly connected network (a fire engine can both reach and leave it). */
  main: Uint8Array;
  /** Which nodes can drive to / be reached from `main` (networkReach); built on first use by snapTo. */
  reach?: NetworkReach;
  profileName: string;
  /** Per indexed segment: usable for edge points and crossings — on the surface (no tunnel) in some direction; built on first use. */
  edgeOk?: Uint8Array;
  /** Candidate segments per 100 m cell for edge points (edgeSnap.ts); filled on first use. */
  edgeCells?: CellTable;
  /** Wider candidate lists (the whole search distance) for cells where the near ones do not settle an edge point. */
  edgeFar?: { reachM: number; cells: CellTable };
  /** Per directed edge, its segment in the spatial index (barrierAccess); built on first use. */
  segOfEdge?: Int32Array;
}

export function prepareNetwork(n: NetworkInput): Net {
  const spatial = n.spatial ?? buildSpatialIndex(n.graph);
  return {
    graph: n.graph,
    seconds: n.seconds,
    spatial,
    paths: n.paths && n.paths.seconds === n.seconds ? n.paths : new ShortestPaths(n.graph, n.seconds, n.turnRules),
    comps: n.components ?? computeComponents(n.graph),
    main: n.main && n.main.length === n.graph.nodeCount ? n.main : mainStrongComponent(n.graph, n.seconds, spatial.source),
    profileName: n.profileName ?? '',
  };
}


/** Per node: 1 when reachable from the main network (a station on it can get there). */
export function reachableFromMain(net: Net): Uint8Array {
  const g = net.graph, n = g.nodeCount;
  const seen = Uint8Array.from(net.main);
  const stack: number[] = [];
  for (let v = 0; v < n; v++) if (seen[v]) stack.push(v);
  while (stack.length) {
    const u = stack.pop()!;
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) {
      const v = g.target[e];
      if (!seen[v] && net.seconds[e] < Infinity) { seen[v] = 1; stack.push(v); }
    }
  }
  return seen;
}


/** The nearest usable road point, whatever network piece it is on. */
export const nearestRoad = (net: Net, lon: number, lat: number): Snap | null => snapPoint(net.graph, net.spatial, net.seconds, net.comps, lon, lat);

/**
 * A station's road point (snapPoint's 'start' role): the nearest road whenever a fire engine can drive from it to the
 * main network; otherwise the nearest road within `searchM` of it that can (Snap.moved / movedM / reason say so).
 */
export const snapTo = (net: Net, lon: number, lat: number, searchM = FAR_SNAP_M): Snap | null =>
  snapPoint(net.graph, net.spatial, net.seconds, net.comps, lon, lat, { reach: (net.reach ??= networkReach(net.graph, net.seconds, net.spatial.source, net.main)), role: 'start', maxMoveM: searchM });


export interface Crossing extends SourcePoint {
  lon: number;
  lat: number;
  /** Metres along the line where the road crosses it. */
  posM: number;
}

/**
 * Points where usable surface road segments (not tunnels) cross a line (e.g. a district boundary ring), in order along the line.
 * `cum` are the line's cumulative lengths (metres).
 */
export function roadCrossings(net: Net, line: Position[], cum: number[]): Crossing[] {
  const { index, frame, x, y, source, segEdge } = net.spatial;
  if (!index) return [];
  const g = net.graph;
  const ok = edgeUsable(net);
  const out: Crossing[] = [];
  for (let i = 1; i < line.length; i++) {
    const ax = toLocalX(frame, line[i - 1][0]), ay = toLocalY(frame, line[i - 1][1]);
    const bx = toLocalX(frame, line[i][0]), by = toLocalY(frame, line[i][1]);
    // Candidates: a road crossing the line segment passes within half its length of its midpoint, so the midpoint
    // cell's list holds it when that reach fits in the list (a short segment, the common case); else the index.
    const mx = (ax + bx) / 2, my = (ay + by) / 2, ci = Math.floor(mx / CELL_M), cj = Math.floor(my / CELL_M);
    const reach = Math.sqrt((bx - ax) ** 2 + (by - ay) ** 2) / 2 + Math.sqrt((mx - (ci + 0.5) * CELL_M) ** 2 + (my - (cj + 0.5) * CELL_M) ** 2) + 0.01;
    let hits: ArrayLike<number>, count: number;
    if (reach <= CELL_M * Math.SQRT1_2 + CELL_REACH_M) {
      const l = cellList(net, ci, cj);
      hits = l.h;
      count = 0;
      while (count < l.d.length && l.d[count] <= reach) count++;
    } else count = (hits = index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))).length;
    const local: Crossing[] = [];
    for (let q = 0; q < count; q++) {
      const h = hits[q];
      const e = segEdge[h], u = source[e], v = g.target[e];
      const hit = segmentCross(ax, ay, bx, by, x[u], y[u], x[v], y[v]);
      if (!hit) continue;
      if (!ok[h]) continue;
      const rev = net.spatial.twin[e];
      const [s, t] = hit;
      local.push({
        edge: e, reverse: rev, u, v, t,
        lon: line[i - 1][0] + s * (line[i][0] - line[i - 1][0]),
        lat: line[i - 1][1] + s * (line[i][1] - line[i - 1][1]),
        posM: cum[i - 1] + s * (cum[i] - cum[i - 1]),
      });
    }
    local.sort((p, q) => p.posM - q.posM || p.edge - q.edge);
    out.push(...local);
  }
  // A road through a ring vertex is found on both segments: keep one.
  return out.filter((c, k) => k === 0 || !(c.edge === out[k - 1].edge && Math.abs(c.posM - out[k - 1].posM) < 0.01));
}

/** Node times and fastest-source labels of the last run, copied out (Infinity / -1 where unreached). */
export function copyRun(net: Net): { time: Float64Array; origin: Int32Array } {
  const n = net.graph.nodeCount;
  const time = new Float64Array(n).fill(Infinity);
  const origin = new Int32Array(n).fill(-1);
  const p = net.paths;
  for (let k = 0; k < p.settledCount; k++) {
    const v = p.settled[k];
    time[v] = p.dist[v];
    origin[v] = p.origin[v];
  }
  return { time, origin };
}

/**
 * Road points labelled with their fastest source, from a multi-source run copied by copyRun: every node, and
 * points every `stepM` along each segment, labelled by whichever end reaches them sooner.
 */
export function labelledRoadPoints(net: Net, run: { time: Float64Array; origin: Int32Array }, stepM: number): LabelledPoints {
  const g = net.graph;
  const lon: number[] = [], lat: number[] = [], label: number[] = [];
  for (let v = 0; v < g.nodeCount; v++)
    if (run.origin[v] >= 0) {
      lon.push(g.lon[v] / 1e7);
      lat.push(g.lat[v] / 1e7);
      label.push(run.origin[v]);
    }
  const { source, segEdge } = net.spatial;
  for (const e of segEdge) {
    const u = source[e], v = g.target[e];
    const tu = run.time[u], tv = run.time[v];
    if (!(tu < Infinity) && !(tv < Infinity)) continue;
    const k = Math.floor(g.lengthM[e] / stepM);
    if (k < 1) continue;
    const rev = net.spatial.twin[e];
    const fwd = net.seconds[e], back = rev >= 0 ? net.seconds[rev] : Infinity;
    for (let i = 1; i <= k; i++) {
      const f = i / (k + 1);
      // (Labelling by node times: which station is nearest, not when an edge can be entered.)
      const best = edgePointTime(tu, Infinity, f, fwd, back) <= edgePointTime(Infinity, tv, f, fwd, back) ? run.origin[u] : run.origin[v];
      if (!(edgePointTime(tu, tv, f, fwd, back) < Infinity) || best < 0) continue;
      lon.push((g.lon[u] + f * (g.lon[v] - g.lon[u])) / 1e7);
      lat.push((g.lat[u] + f * (g.lat[v] - g.lat[u])) / 1e7);
      label.push(best);
    }
  }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), label: Int32Array.from(label) };
}

/**
 * Share (0–1) of a segment u→v reached within `limit` seconds given the times it is entered at either end (a run's
 * entryTime of u→v and of v→u): from u the first (limit − tu)/fwd of it, from v the last (limit − tv)/back.
 */
export function reachedFraction(tu: number, tv: number, fwd: number, back: number, limit: number): number {
  const a = tu <= limit && fwd < Infinity ? (fwd > 0 ? Math.min(1, (limit - tu) / fwd) : 1) : 0;
  const b = tv <= limit && back < Infinity ? (back > 0 ? Math.min(1, (limit - tv) / back) : 1) : 0;
  return Math.min(1, a + b);
}

/** The parts of a routing Router (src/core/router.ts) the compliance checks reuse. */
export interface RouterLike {
  graph: RoadGraph;
  seconds: Float32Array;
  spatial: SpatialIndex;
  paths: ShortestPaths;
  components: Components;
  mainNetwork?: Uint8Array;
  profileName: string;
}

/** Network input from a Router (shares its index and search buffers; its last run is overwritten). */
export const fromRouter = (r: RouterLike): NetworkInput => ({ graph: r.graph, seconds: r.seconds, spatial: r.spatial, paths: r.paths, components: r.components, main: r.mainNetwork, profileName: r.profileName });
