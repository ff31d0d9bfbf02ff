/**
 * Why no station reaches a destination (issue #14): the router found no path, and the user is told which of three
 * things is the case, with the road point the click was put on.
 *
 * - 'disconnected': the destination's road lies in a weakly connected piece (usable roads, direction ignored) that
 *   holds no station — a cut-off piece of road network ("所在路段与消防站所在路网不连通").
 * - 'one-way': the piece holds a station, but following the one-way directions no station gets there — a one-way
 *   pocket that can be left but not entered ("单行道死角").
 * - 'turns': the one-way directions allow a way there, but every such way takes a forbidden turn.
 *
 * Pure: the graph, its travel seconds (Infinity = not usable), the edge tails and the snaps in; two linear sweeps
 * over the edges, run only when a route has been refused.
 */
import type { RoadGraph } from './graph';
import type { Snap } from './snap';
import { edgeLabel } from './route';
import { plannerError, type PlannerError } from './errors';

export type UnreachableReason = 'disconnected' | 'one-way' | 'turns';

/** The error codes of a refused route, one per reason ('unreachable' alone is the older, undivided code). */
export const UNREACHABLE_CODES: Readonly<Record<UnreachableReason, string>> = {
  disconnected: 'unreachable-disconnected',
  'one-way': 'unreachable-one-way',
  turns: 'unreachable-turns',
};

/** Whether an error code is a refused route of any reason (including the undivided 'unreachable'). */
export const isUnreachableCode = (code: string | undefined): boolean =>
  code === 'unreachable' || Object.values(UNREACHABLE_CODES).includes(code ?? '');

const usable = (seconds: Float32Array, e: number) => e >= 0 && seconds[e] < Infinity;

/** Root of x in a union–find forest (path halving). */
function find(parent: Uint32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}

/** Whether the target's road and some start's road share a weakly connected piece of usable roads. */
function weaklyJoined(graph: RoadGraph, seconds: Float32Array, source: ArrayLike<number>, starts: readonly Snap[], target: Snap): boolean {
  const parent = new Uint32Array(graph.nodeCount);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!usable(seconds, e)) continue;
    const a = find(parent, source[e]), b = find(parent, graph.target[e]);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const t = find(parent, target.u);
  return starts.some((s) => find(parent, s.u) === t || find(parent, s.v) === t);
}

/** Whether some start reaches the target along usable directed edges (turn restrictions ignored). */
function directedReach(graph: RoadGraph, seconds: Float32Array, starts: readonly Snap[], target: Snap): boolean {
  const fwd = usable(seconds, target.edge), back = usable(seconds, target.reverse);
  // Start and destination on one segment: driven straight along it when its direction allows.
  for (const s of starts) {
    if (s.edge !== target.edge) continue;
    if ((fwd && s.t <= target.t) || (back && s.t >= target.t)) return true;
  }
  const seen = new Uint8Array(graph.nodeCount), stack = new Uint32Array(graph.nodeCount);
  let sp = 0;
  const push = (n: number) => { if (!seen[n]) { seen[n] = 1; stack[sp++] = n; } };
  for (const s of starts) {
    if (usable(seconds, s.edge)) push(s.v);
    if (usable(seconds, s.reverse)) push(s.u);
  }
  while (sp > 0) {
    const u = stack[--sp];
    for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) if (seconds[e] < Infinity) push(graph.target[e]);
  }
  return (fwd && seen[target.u] === 1) || (back && seen[target.v] === 1);
}

/**
 * The reason no start reaches the target (call it only after a shortest-path search found none): see the module
 * comment. `source` is the tail node of every directed edge (SpatialIndex.source).
 */
export function unreachableReason(graph: RoadGraph, seconds: Float32Array, source: ArrayLike<number>, starts: readonly Snap[], target: Snap): UnreachableReason {
  if (!weaklyJoined(graph, seconds, source, starts, target)) return 'disconnected';
  return directedReach(graph, seconds, starts, target) ? 'turns' : 'one-way';
}

/** The refusal for a reason, naming the road and the point the destination was put on (both languages). */
export function unreachableError(graph: RoadGraph, reason: UnreachableReason, target: Snap): PlannerError {
  const zhRoad = edgeLabel(graph, target.edge, 'zh-Hans'), enRoad = edgeLabel(graph, target.edge, 'en');
  const lon = target.lon.toFixed(5), lat = target.lat.toFixed(5);
  const zhAt = `吸附点：${zhRoad ? `${zhRoad}，` : ''}${lon},${lat}`;
  const enAt = `snapped to ${enRoad ? `${enRoad} ` : ''}(${lon}, ${lat})`;
  const head = { zh: '目的地无法从任何消防站到达', en: 'the destination cannot be reached from any station' };
  const text: Record<UnreachableReason, [string, string]> = {
    disconnected: [
      `${head.zh}：所在路段与消防站所在路网不连通（${zhAt}）`,
      `${head.en}: its road is not connected to the network the stations are on (${enAt})`,
    ],
    'one-way': [
      `${head.zh}：单行道死角——所在路段与消防站同在一片路网，但按单行方向只能驶出、无法驶入（${zhAt}）`,
      `${head.en}: a one-way pocket — its road joins the stations' network, but the one-way streets only lead out of it, never in (${enAt})`,
    ],
    turns: [
      `${head.zh}：按单行方向有路可达，但每条路线都被转向限制挡住（${zhAt}）`,
      `${head.en}: the one-way directions allow a way there, but every way is blocked by turn restrictions (${enAt})`,
    ],
  };
  return plannerError(UNREACHABLE_CODES[reason], text[reason][0], text[reason][1]);
}
