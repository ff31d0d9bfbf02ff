/**
 * Adapter from the routing modules (spatial index, snapping, Dijkstra) to what the compliance checks need:
 * snapped stations, travel time to any point on a segment, road crossings of a line, labelled road points.
 */
import type { Position } from 'geojson';
import { ShortestPaths, timeToPoint, type SourcePoint } from '../dijkstra';
import { computeComponents, type Components } from '../components';
import { EdgeFlag, reverseEdge, type RoadGraph } from '../graph';
import { snapPoint, type Snap } from '../snap';
import { buildSpatialIndex, toLocalX, toLocalY, type SpatialIndex } from '../spatial';
import { segmentCross } from './geom';
import type { LabelledPoints } from './districts';

export interface NetworkInput {
  graph: RoadGraph;
  /** Travel seconds per directed edge (profile.edgeSeconds); Infinity = unusable. */
  seconds: Float32Array;
  profileName?: string;
  /** Optional prebuilt helpers (the worker keeps them per graph). */
  spatial?: SpatialIndex;
  paths?: ShortestPaths;
  components?: Components;
}

export interface Net {
  graph: RoadGraph;
  seconds: Float32Array;
  spatial: SpatialIndex;
  paths: ShortestPaths;
  comps: Components;
  profileName: string;
  /** `seconds` with tunnel edges closed: edge points and crossings are taken on surface roads only. */
  surfaceSeconds: Float32Array;
}

export function prepareNetwork(n: NetworkInput): Net {
  return {
    graph: n.graph,
    seconds: n.seconds,
    spatial: n.spatial ?? buildSpatialIndex(n.graph),
    paths: n.paths && n.paths.seconds === n.seconds ? n.paths : new ShortestPaths(n.graph, n.seconds),
    comps: n.components ?? computeComponents(n.graph),
    profileName: n.profileName ?? '',
    surfaceSeconds: surface(n.graph, n.seconds),
  };
}

function surface(g: RoadGraph, seconds: Float32Array): Float32Array {
  let any = false;
  for (let e = 0; e < g.edgeCount && !any; e++) any = (g.flags[e] & EdgeFlag.Tunnel) !== 0;
  if (!any) return seconds;
  const out = Float32Array.from(seconds);
  for (let e = 0; e < g.edgeCount; e++) if (g.flags[e] & EdgeFlag.Tunnel) out[e] = Infinity;
  return out;
}

/** Nearest surface road point (tunnels excluded) — for district-edge points. */
export const snapSurface = (net: Net, lon: number, lat: number): Snap | null => snapPoint(net.graph, net.spatial, net.surfaceSeconds, net.comps, lon, lat);

/** Whether any road segment's box lies within `m` metres (a cheap test before snapping far-away points). */
export function roadWithin(net: Net, lon: number, lat: number, m: number): boolean {
  const { index, frame } = net.spatial;
  return !!index && index.neighbors(toLocalX(frame, lon), toLocalY(frame, lat), 1, m).length > 0;
}

export const snapTo = (net: Net, lon: number, lat: number): Snap | null => snapPoint(net.graph, net.spatial, net.seconds, net.comps, lon, lat);

/** Travel seconds to a point on a segment from the sources of the last run on net.paths (Infinity if unreached). */
export const timeAfterRun = (net: Net, sources: readonly SourcePoint[], to: SourcePoint): number => timeToPoint(net.paths, sources, to).seconds;

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
  const out: Crossing[] = [];
  for (let i = 1; i < line.length; i++) {
    const ax = toLocalX(frame, line[i - 1][0]), ay = toLocalY(frame, line[i - 1][1]);
    const bx = toLocalX(frame, line[i][0]), by = toLocalY(frame, line[i][1]);
    const hits = index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)).sort((p, q) => p - q);
    const local: Crossing[] = [];
    for (const h of hits) {
      const e = segEdge[h], u = source[e], v = g.target[e];
      const hit = segmentCross(ax, ay, bx, by, x[u], y[u], x[v], y[v]);
      if (!hit) continue;
      const rev = reverseEdge(g, e, u);
      if (!(net.surfaceSeconds[e] < Infinity) && !(rev >= 0 && net.surfaceSeconds[rev] < Infinity)) continue;
      const [s, t] = hit;
      local.push({
        edge: e, reverse: rev, u, v, t,
        lon: line[i - 1][0] + s * (line[i][0] - line[i - 1][0]),
        lat: line[i - 1][1] + s * (line[i][1] - line[i - 1][1]),
        posM: cum[i - 1] + s * (cum[i] - cum[i - 1]),
      });
    }
    local.sort((p, q) => p.posM - q.posM);
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
    const rev = reverseEdge(g, e, u);
    const fwd = net.seconds[e], back = rev >= 0 ? net.seconds[rev] : Infinity;
    for (let i = 1; i <= k; i++) {
      const f = i / (k + 1);
      const viaU = tu + f * fwd, viaV = tv + (1 - f) * back;
      const best = viaU <= viaV ? run.origin[u] : run.origin[v];
      if (!(Math.min(viaU, viaV) < Infinity) || best < 0) continue;
      lon.push((g.lon[u] + f * (g.lon[v] - g.lon[u])) / 1e7);
      lat.push((g.lat[u] + f * (g.lat[v] - g.lat[u])) / 1e7);
      label.push(best);
    }
  }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), label: Int32Array.from(label) };
}

/**
 * Share (0–1) of a segment u→v reached within `limit` seconds given node times, entering at either end:
 * from u the first (limit − tu)/fwd of it, from v the last (limit − tv)/back.
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
  profileName: string;
}

/** Network input from a Router (shares its index and search buffers; its last run is overwritten). */
export const fromRouter = (r: RouterLike): NetworkInput => ({ graph: r.graph, seconds: r.seconds, spatial: r.spatial, paths: r.paths, components: r.components, profileName: r.profileName });
