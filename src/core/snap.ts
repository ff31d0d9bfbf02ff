/**
 * Snapping a point to a road segment a fire engine can use — honestly: a point stays on the nearest usable road
 * whenever it can do its job there, and a point that is moved says so.
 *
 * Roles. A start (station, route origin) must be able to drive to the main network (NetworkReach.leaves); a
 * destination must be reachable from it (NetworkReach.reached). Being on the main (strongly connected) network is
 * not required: a start on a one-way carriageway that only the outside of the extract feeds still drives out, and is
 * never moved. Only when the nearest road cannot serve the role is the point put on the nearest road that can,
 * within `maxMoveM` of the nearest road point; `moved`, `movedM` and `reason` record it.
 *
 * Roads cut by the extract's edge: the roads beyond the edge are unknown, so an open end counts as a dead end. A start
 * whose only way on leads off the extract cannot reach the network inside it and is moved (`start-cannot-leave`); a
 * destination that can only be entered from beyond the edge is moved (`destination-unreachable`). Joining every open
 * end to one "outside" junction would keep such points in place but give them no time to anything inside (the drive
 * outside the data is unknown), so they are moved and the move is reported. Points on a carriageway that only the
 * outside feeds but that has an exit inside (北环大道 westbound on 南山) drive out and are never moved.
 */
import type { RoadGraph } from './graph';
import { isIsolatedNode, type Components, type NetworkReach } from './components';
import { toLat, toLocalX, toLocalY, toLon, type SpatialIndex } from './spatial';

/** The default longest move from the nearest road point to one that serves the role (metres). */
export const FAR_SNAP_M = 300;

/** Every snap further than this from its road is flagged (`far`, metres). */
export const SNAP_FLAG_M = 50;

/**
 * Points whose nearest usable road is further than this are off the road network (metres): stations and route
 * origins 500 m, destinations 300 m. Callers refuse such points (Router) or give them no time (compliance).
 */
export const OFF_NETWORK_M: Readonly<Record<'start' | 'destination', number>> = { start: 500, destination: 300 };

export interface SnapReason {
  code: 'start-cannot-leave' | 'destination-unreachable';
  zh: string;
  en: string;
}

export interface Snap {
  /** Directed edge u→v (u < v) of the snapped segment, and its opposite v→u (-1 if none). */
  edge: number;
  reverse: number;
  u: number;
  v: number;
  /** Position along the segment from u (0) to v (1). */
  t: number;
  lon: number;
  lat: number;
  /** Metres from the requested point to the snapped point. */
  distanceM: number;
  /** Metres from the requested point to the nearest usable road (= distanceM unless moved): what off-network limits test (snapPoint always sets it). */
  nearestM?: number;
  /** Further than SNAP_FLAG_M from the road point (a flag, not a refusal). */
  far: boolean;
  /** The snapped road cannot serve the role (a start that cannot leave, a destination that cannot be reached), or lies on a small cut-off piece. */
  isolated: boolean;
  nameId: number;
  /** Put on a road other than the nearest usable one (because that one could not serve the role). */
  moved: boolean;
  /** Metres between the nearest road point and the chosen one (0 when not moved). */
  movedM: number;
  /** Why the point was moved (only when moved). */
  reason?: SnapReason;
}

/** 'start': must drive out to the main network; 'destination': must be reachable from it; 'any': the nearest road. */
export type SnapRole = 'start' | 'destination' | 'any';

export interface SnapOptions {
  /** How nodes stand to the main network (networkReach); without it every road serves every role. */
  reach?: NetworkReach | null;
  role?: SnapRole;
  /** Longest move from the nearest road point to one that serves the role (metres, default FAR_SNAP_M). */
  maxMoveM?: number;
}

const REASONS: Record<SnapReason['code'], [string, string]> = {
  'start-cannot-leave': [
    '最近的道路无法驶入主路网（单行、封闭，或只通向路网数据范围之外），出发点已移到可驶出的道路',
    'the nearest road has no way to the main network (one-way, closed, or leading only off the edge of the road data), so the start was moved to a road that has',
  ],
  'destination-unreachable': [
    '最近的道路无法从主路网驶入（单行、封闭，或只能从路网数据范围之外驶入），目的地已移到可到达的道路',
    'the nearest road cannot be entered from the main network (one-way, closed, or entered only from beyond the edge of the road data), so the destination was moved to a road that can',
  ],
};

const reasonFor = (code: SnapReason['code']): SnapReason => ({ code, zh: REASONS[code][0], en: REASONS[code][1] });

/** Whether segment e (tail < head) with reverse `rev` lets a point on it serve the role. */
function serves(role: SnapRole, reach: NetworkReach | null, seconds: Float32Array, e: number, rev: number, a: number, b: number): boolean {
  if (!reach || role === 'any') return true;
  const fwd = seconds[e] < Infinity, back = rev >= 0 && seconds[rev] < Infinity;
  if (role === 'start') return (fwd && reach.leaves[b] === 1) || (back && reach.leaves[a] === 1);
  return (fwd && reach.reached[a] === 1) || (back && reach.reached[b] === 1);
}

interface Candidate { e: number; t: number; d: number; serves: boolean }

/** Projection of (px, py) on segment e: fraction t and distance. */
function project(sp: SpatialIndex, graph: RoadGraph, e: number, px: number, py: number, serves: boolean): Candidate {
  const { x, y, source } = sp, a = source[e], b = graph.target[e];
  const ex = x[b] - x[a], ey = y[b] - y[a];
  const len2 = ex * ex + ey * ey;
  let t = len2 > 0 ? ((px - x[a]) * ex + (py - y[a]) * ey) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return { e, t, d: Math.sqrt((x[a] + t * ex - px) ** 2 + (y[a] + t * ey - py) ** 2), serves };
}

const usableSeg = (seconds: Float32Array, e: number, rev: number) => seconds[e] < Infinity || (rev >= 0 && seconds[rev] < Infinity);
/** Distances closer than this are equal (metres): a point on a junction projects to its segments with rounding noise. */
const TIE_M = 1e-6;
/** Nearer wins; at equal distance (a point on a junction) a segment that serves the role, then the lower edge id. */
const better = (c: Candidate, best: Candidate | null) =>
  !best || (Math.abs(c.d - best.d) <= TIE_M ? (c.serves !== best.serves ? c.serves : c.d < best.d || (c.d === best.d && c.e < best.e)) : c.d < best.d);

/**
 * The road point for (lon, lat) in a role (see the module comment). Returns null for an empty graph. The search box
 * grows until the best exact distance is inside it, so the nearest road is the true nearest segment; a move goes to
 * the segment nearest the requested point among those that serve the role and lie within `maxMoveM` of the nearest
 * road point. A point no road within reach can serve stays on the nearest road, flagged `isolated`.
 */
export function snapPoint(graph: RoadGraph, sp: SpatialIndex, seconds: Float32Array, comps: Components | null, lon: number, lat: number, opts: SnapOptions = {}): Snap | null {
  const { index, segEdge, frame, twin, source } = sp;
  if (!index || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const reach = opts.reach ?? null, role = opts.role ?? 'any', maxMoveM = opts.maxMoveM ?? FAR_SNAP_M;
  const px = toLocalX(frame, lon), py = toLocalY(frame, lat);
  const dx0 = Math.max(index.minX - px, 0, px - index.maxX), dy0 = Math.max(index.minY - py, 0, py - index.maxY);
  const limit = Math.hypot(dx0, dy0) + Math.hypot(index.maxX - index.minX, index.maxY - index.minY) + 1;
  let near: Candidate | null = null;
  for (let r = Math.max(50, Math.hypot(dx0, dy0) + 50); ; r *= 4) {
    for (const h of index.search(px - r, py - r, px + r, py + r)) {
      const e = segEdge[h];
      if (!usableSeg(seconds, e, twin[e])) continue;
      const c = project(sp, graph, e, px, py, serves(role, reach, seconds, e, twin[e], source[e], graph.target[e]));
      if (better(c, near)) near = c;
    }
    if ((near && near.d <= r) || r > limit) break;
  }
  if (!near) return null;
  let chosen = near;
  if (!near.serves && maxMoveM > 0) {
    // Every segment with a point within maxMoveM of the nearest road point lies within near.d + maxMoveM of (px, py).
    const nx = pointX(sp, graph, near), ny = pointY(sp, graph, near), r = near.d + maxMoveM;
    let alt: Candidate | null = null;
    for (const h of index.search(px - r, py - r, px + r, py + r)) {
      const e = segEdge[h];
      if (!usableSeg(seconds, e, twin[e]) || !serves(role, reach, seconds, e, twin[e], source[e], graph.target[e])) continue;
      const c = project(sp, graph, e, px, py, true);
      if (Math.hypot(pointX(sp, graph, c) - nx, pointY(sp, graph, c) - ny) <= maxMoveM && better(c, alt)) alt = c;
    }
    if (alt) chosen = alt;
  }
  const e = chosen.e, u = source[e], v = graph.target[e], t = chosen.t;
  const sx = pointX(sp, graph, chosen), sy = pointY(sp, graph, chosen);
  const moved = chosen !== near;
  const ok = moved || near.serves;
  const onMain = reach ? reach.main[u] === 1 && reach.main[v] === 1 : true;
  const snap: Snap = {
    edge: e, reverse: twin[e], u, v, t,
    lon: toLon(frame, sx), lat: toLat(frame, sy),
    distanceM: chosen.d, nearestM: near.d, far: chosen.d > SNAP_FLAG_M,
    isolated: (role === 'any' ? !onMain : !ok) || (comps ? isIsolatedNode(comps, u) : false),
    nameId: graph.nameId[e],
    moved,
    movedM: moved ? Math.hypot(sx - pointX(sp, graph, near), sy - pointY(sp, graph, near)) : 0,
  };
  if (moved) snap.reason = reasonFor(role === 'start' ? 'start-cannot-leave' : 'destination-unreachable');
  return snap;
}

/**
 * Whether (lon, lat) read the other way round — (lat, lon) — lies on the network: inside the graph's bbox or within
 * `limitM` of a usable road. For naming swapped axes when (lon, lat) itself is off the network.
 */
export function swappedOnNetwork(graph: RoadGraph, sp: SpatialIndex, seconds: Float32Array, lon: number, lat: number, limitM: number): boolean {
  if (!(Math.abs(lon) <= 90) || !(Math.abs(lat) <= 180) || lon === lat) return false;
  const [x0, y0, x1, y1] = graph.bbox;
  if (lat >= x0 && lat <= x1 && lon >= y0 && lon <= y1) return true;
  const s = snapPoint(graph, sp, seconds, null, lat, lon);
  return !!s && s.distanceM <= limitM;
}

const pointX = (sp: SpatialIndex, g: RoadGraph, c: Candidate) => sp.x[sp.source[c.e]] + c.t * (sp.x[g.target[c.e]] - sp.x[sp.source[c.e]]);
const pointY = (sp: SpatialIndex, g: RoadGraph, c: Candidate) => sp.y[sp.source[c.e]] + c.t * (sp.y[g.target[c.e]] - sp.y[sp.source[c.e]]);
