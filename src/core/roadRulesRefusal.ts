/**
 * Why a route is refused (issue #17): when no route exists under the road rules but one would exist without them,
 * the first closure on that rule-free route is named — a blocking node (bollard, gate, height restrictor) or a
 * closed road (height / weight limit, access, construction …) — as PlannerError 'route-closed-by-rule', e.g.
 * "路线被 限高 2.2 米 < 车高 3.4 米 阻断（位于 人民路，113.9,22.5）" / "route blocked by height limit 2.2 m < vehicle
 * height 3.4 m at 人民路 (113.9, 22.5)". Pure helpers; the Router runs the rule-free search (relaxedClosures) and
 * asks firstRuleBlock / ruleBlockError.
 */
import { plannerError, type PlannerError } from './errors';
import { EdgeFlag, type RoadGraph } from './graph';
import { edgeLabel, type RoutePiece } from './route';
import type { RoadRules, Vehicle } from './roadRules';
import { nodePasses, type RuleReason } from './roadRulesAccess';
import { CLOSED_BASE, explainEdge, ferryCrossings, RULE_OPEN, type RuleClosures } from './roadRulesGraph';

/**
 * The closures with every closing rule lifted (one-way verdicts and emergency-only roads kept); ferries take their
 * crossing time (ferryCrossings) even when the rules keep them off.
 */
export function relaxedClosures(graph: RoadGraph, c: RuleClosures, rules: RoadRules): RuleClosures {
  const open = (a: Uint8Array) => a.map((x) => (x >= CLOSED_BASE ? RULE_OPEN : x));
  return { ...c, edge: open(c.edge), node: open(c.node), ferrySeconds: ferryCrossings(graph, rules) };
}

/** A closure met on a path: a blocked node passed through, or a closed directed edge driven. */
export interface RuleBlock {
  kind: 'node' | 'edge';
  /** Node index (kind 'node') or directed edge index (kind 'edge'). */
  index: number;
  /** The directed edge the path takes there (leaving the node, or the closed edge itself). */
  edge: number;
  reason: RuleReason;
  /** Where: the node, or the middle of the closed edge (WGS84, 1e-7°). */
  lon: number;
  lat: number;
}

const isForward = (graph: RoadGraph) => (e: number): boolean => !(graph.flags[e] & EdgeFlag.Reverse);
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/**
 * The first closure along path pieces: a piece that starts at its edge's tail passes through that node (blocked
 * nodes close the edges leaving them), and a piece on a closed edge is closed. Null when the pieces pass every rule.
 */
export function firstRuleBlock(graph: RoadGraph, tail: ArrayLike<number>, c: RuleClosures, pieces: readonly RoutePiece[], rules: RoadRules, vehicle: Vehicle): RuleBlock | null {
  const facts = graph.facts ?? [{}];
  for (const q of pieces) {
    const u = tail[q.edge], v = graph.target[q.edge];
    if (q.a === 0 && c.node[u] >= CLOSED_BASE) {
      const nf = graph.nodeFacts ? graph.nodeFacts[u] : 0;
      const a = nodePasses(facts[nf] ?? {}, rules, vehicle);
      const reason = a.reason ?? { code: 'barrier', zh: '节点禁止通行', en: 'node closed' };
      return { kind: 'node', index: u, edge: q.edge, reason, lon: graph.lon[u] / 1e7, lat: graph.lat[u] / 1e7 };
    }
    if (c.edge[q.edge] >= CLOSED_BASE) {
      const a = explainEdge(graph, q.edge, rules, vehicle, isForward(graph));
      const reason = a.reason ?? { code: 'access', zh: '道路禁止通行', en: 'road closed' };
      return { kind: 'edge', index: q.edge, edge: q.edge, reason, lon: round7((graph.lon[u] + graph.lon[v]) / 2e7), lat: round7((graph.lat[u] + graph.lat[v]) / 2e7) };
    }
  }
  return null;
}

/** The PlannerError of a closure met on the way. */
export function ruleBlockError(graph: RoadGraph, b: RuleBlock): PlannerError {
  const zhName = edgeLabel(graph, b.edge, 'zh-Hans'), enName = edgeLabel(graph, b.edge, 'en');
  const at = `${b.lon.toFixed(5)},${b.lat.toFixed(5)}`;
  return plannerError('route-closed-by-rule',
    `路线被 ${b.reason.zh} 阻断（位于 ${zhName ? `${zhName}，` : ''}${at}）`,
    `route blocked by ${b.reason.en} at ${enName ? `${enName} ` : ''}(${b.lon.toFixed(5)}, ${b.lat.toFixed(5)})`,
    { detail: `${b.kind} ${b.index} rule=${b.reason.code} at ${at}` });
}
