/**
 * The road rules applied to a whole graph at load: per directed edge a closure code and a one-way verdict, per node
 * a blocked code, ferry crossing seconds, and how many road-km each rule closes (data card, bench notes). Then, for
 * the search, the graph's own EdgeFlag vocabulary rewritten by those verdicts (ruleFlags) and travel seconds under
 * a speed profile (ruleEdgeSeconds). Pure: the graph is never modified.
 */
import { plannerError } from './errors';
import { EdgeFlag, type RoadGraph } from './graph';
import { edgeSeconds, type EdgeSecondsOptions, type SpeedProfile } from './profile';
import type { RoadRules, Vehicle } from './roadRules';
import { edgeAccess, nodePasses, onewayAgainst, RULE_CODES, RULE_LABELS, type Access, type Facts, type RuleCode } from './roadRulesAccess';
import { ferrySeconds as ferryDuration } from './roadRulesUnits';

/** Edge and node codes: open, emergency-only, or CLOSED_BASE + index of the closing rule in RULE_CODES. */
export const RULE_OPEN = 0;
export const RULE_EMERGENCY_ONLY = 1;
export const CLOSED_BASE = 2;
/** One-way verdicts per edge: no explicit tag (keep the graph's flag), allowed by a tag, against the flow. */
export const ONEWAY_KEEP = 0;
export const ONEWAY_ALLOWED = 1;
export const ONEWAY_AGAINST = 2;

export const closedCode = (rule: RuleCode): number => CLOSED_BASE + RULE_CODES.indexOf(rule);
/** The rule behind a code, undefined for open / emergency-only. */
export const ruleOfCode = (code: number): RuleCode | undefined => (code >= CLOSED_BASE ? RULE_CODES[code - CLOSED_BASE] : undefined);

export interface RuleClosures {
  /** Per directed edge: RULE_OPEN, RULE_EMERGENCY_ONLY or closedCode(rule). */
  edge: Uint8Array;
  /** Per directed edge: ONEWAY_KEEP, ONEWAY_ALLOWED or ONEWAY_AGAINST. */
  oneway: Uint8Array;
  /** Per node: RULE_OPEN, RULE_EMERGENCY_ONLY or closedCode(rule) (blocked: no passing through it). */
  node: Uint8Array;
  /** Per directed edge: crossing seconds of an allowed ferry edge (its share of the way's duration), 0 otherwise. */
  ferrySeconds: Float32Array;
  /** Road-km closed per rule (each road segment counted once even when both directions are closed). */
  closedKm: Record<RuleCode, number>;
  emergencyOnlyKm: number;
  /** Blocked nodes per rule, and blocked barrier nodes per barrier kind. */
  blockedNodes: Record<RuleCode, number>;
  blockedBarriers: Record<string, number>;
  /**
   * Directed edges with direction-dependent tags whose direction along the way could not be told (neither given
   * by `isForward` nor readable from the graph's one-way flags): judged conservatively (closed if either direction
   * is closed, against the flow if either direction is).
   */
  directionUnknown: number;
}

export interface RuleClosureOptions {
  /** Whether a directed edge runs in the order of its way's nodes. Without it the direction is inferred (see above). */
  isForward?: (edge: number) => boolean;
}

const zeros = (): Record<RuleCode, number> => Object.fromEntries(RULE_CODES.map((c) => [c, 0])) as Record<RuleCode, number>;
const codeOf = (a: Access): number => (!a.ok ? closedCode(a.reason?.code ?? 'access') : a.emergencyOnly ? RULE_EMERGENCY_ONLY : RULE_OPEN);

/** Tail node of every directed edge. */
function tails(g: RoadGraph): Uint32Array {
  const out = new Uint32Array(g.edgeCount);
  for (let v = 0; v < g.nodeCount; v++) out.fill(v, g.firstEdge[v], g.firstEdge[v + 1]);
  return out;
}

/** Whether an array has an entry other than 0. */
function anyNonZero(a: ArrayLike<number> | undefined): boolean {
  if (a) for (let i = 0; i < a.length; i++) if (a[i] !== 0) return true;
  return false;
}

/** Whether some byte of `a` has a bit of `mask` set (read as 32-bit words where the array is 4-byte aligned). */
function anyByte(a: Uint8Array, mask = 0xff): boolean {
  if (mask === 0) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0) {
    const w = new Uint32Array(a.buffer, a.byteOffset, a.length >> 2), m4 = mask * 0x01010101;
    for (let k = 0; k < w.length; k++) if (w[k] & m4) return true;
    i = w.length * 4;
  }
  for (; i < a.length; i++) if (a[i] & mask) return true;
  return false;
}

/** Tail node of one edge (binary search in firstEdge). */
function tailOf(g: RoadGraph, e: number): number {
  let lo = 0, hi = g.nodeCount - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.firstEdge[mid] <= e) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The opposite directed edge of the same road segment (same facts, same length), -1 when there is none. */
function reverseEdge(g: RoadGraph, u: number, e: number): number {
  const v = g.target[e];
  const fe = g.edgeFacts ? g.edgeFacts[e] : 0;
  for (let r = g.firstEdge[v]; r < g.firstEdge[v + 1]; r++)
    if (g.target[r] === u && (g.edgeFacts ? g.edgeFacts[r] : 0) === fe && Math.abs(g.lengthM[r] - g.lengthM[e]) < 1e-3) return r;
  return -1;
}

/**
 * Direction of an edge from the graph builder's one-way flag: the builder flags the edge against `oneway`
 * (yes/1/true, -1/reverse, roundabouts, motorways), so on such ways the flagged edge and its reverse tell forward
 * from backward. Undefined on two-way ways.
 */
function inferForward(g: RoadGraph, u: number, e: number, f: Facts): boolean | undefined {
  const minus = f.oneway === '-1' || f.oneway === 'reverse';
  if (g.flags[e] & EdgeFlag.AgainstOneway) return minus;
  const r = reverseEdge(g, u, e);
  if (r >= 0 && g.flags[r] & EdgeFlag.AgainstOneway) return !minus;
  return undefined;
}

/** Facts whose verdict depends on the direction of travel. */
const directional = (f: Facts, rules: RoadRules): boolean =>
  Object.keys(f).some((k) => k.endsWith(':forward') || k.endsWith(':backward')) || onewayAgainst(f, true, rules) !== onewayAgainst(f, false, rules);

/** Both directions' verdicts merged conservatively (direction unknown). */
function either(a: Access, b: Access): Access {
  if (!a.ok) return a;
  if (!b.ok) return b;
  const out: Access = { ok: true };
  if (a.emergencyOnly || b.emergencyOnly) out.emergencyOnly = true;
  const reason = a.reason ?? b.reason;
  if (reason) out.reason = reason;
  if (a.againstOneway !== undefined || b.againstOneway !== undefined) out.againstOneway = !!(a.againstOneway || b.againstOneway);
  if (a.ferry) out.ferry = true;
  return out;
}

const badFacts = (i: number, fi: number, node = false) => plannerError('bad-graph', '路网文件损坏：通行规则标签索引超出范围',
  'damaged graph: a road-rule facts index is out of range', { detail: `${node ? 'node' : 'edge'} ${i} → facts[${fi}]` });

/** The graph with fact arrays that do not cover every edge / node (older files decode them empty) left out. */
function withFacts(g: RoadGraph): RoadGraph {
  const ef = g.edgeFacts?.length === g.edgeCount ? g.edgeFacts : undefined;
  const nf = g.nodeFacts?.length === g.nodeCount ? g.nodeFacts : undefined;
  return ef === g.edgeFacts && nf === g.nodeFacts ? g : { ...g, edgeFacts: ef, nodeFacts: nf };
}

/** Applies the rules to every edge and node of a graph for one vehicle. A graph without facts is all open. */
export function ruleClosures(input: RoadGraph, rules: RoadRules, vehicle: Vehicle, opts: RuleClosureOptions = {}): RuleClosures {
  const graph = withFacts(input);
  const m = graph.edgeCount, n = graph.nodeCount;
  const facts = graph.facts ?? [{}];
  const edge = new Uint8Array(m), oneway = new Uint8Array(m), node = new Uint8Array(n), ferry = new Float32Array(m);
  const out: RuleClosures = {
    edge, oneway, node, ferrySeconds: ferry, closedKm: zeros(), emergencyOnlyKm: 0, blockedNodes: zeros(), blockedBarriers: {}, directionUnknown: 0,
  };
  // tail nodes only when some edge has facts (most graphs of a city have few; a bare grid has none: then every edge
  // is open, no edge closes road-km and no ferry has a crossing time, so their loops are skipped)
  const edgeFacts = anyNonZero(graph.edgeFacts);
  const tail = edgeFacts ? tails(graph) : new Uint32Array(0);
  // Verdicts depend only on (facts, direction): memoised per call (facts index × 3 directions: fwd, bwd, unknown).
  const memo = new Map<number, Access>();
  const isDirectional = new Map<number, boolean>();
  for (let e = 0; edgeFacts && e < m; e++) {
    const fi = graph.edgeFacts ? graph.edgeFacts[e] : 0;
    if (fi === 0) continue;
    const f = facts[fi];
    if (!f) throw badFacts(e, fi);
    let dirCase = 0; // 0 forward, 1 backward, 2 unknown
    if (!isDirectional.has(fi)) isDirectional.set(fi, directional(f, rules));
    if (isDirectional.get(fi)) {
      const fwd = opts.isForward ? opts.isForward(e) : inferForward(graph, tail[e], e, f);
      dirCase = fwd === undefined ? 2 : fwd ? 0 : 1;
      if (dirCase === 2) out.directionUnknown++;
    }
    const key = fi * 3 + dirCase;
    let a = memo.get(key);
    if (!a) {
      a = dirCase === 2 ? either(edgeAccess(f, true, rules, vehicle), edgeAccess(f, false, rules, vehicle)) : edgeAccess(f, dirCase === 0, rules, vehicle);
      memo.set(key, a);
    }
    edge[e] = codeOf(a);
    if (a.againstOneway !== undefined) oneway[e] = a.againstOneway ? ONEWAY_AGAINST : ONEWAY_ALLOWED;
  }
  for (let v = 0, nodeFacts = anyNonZero(graph.nodeFacts); nodeFacts && v < n; v++) {
    const fi = graph.nodeFacts ? graph.nodeFacts[v] : 0;
    if (fi === 0) continue;
    if (!facts[fi]) throw badFacts(v, fi, true);
    const a = nodePasses(facts[fi], rules, vehicle);
    node[v] = codeOf(a);
    if (a.ok) continue;
    out.blockedNodes[a.reason?.code ?? 'access']++;
    const kind = facts[fi].barrier;
    if (kind !== undefined) out.blockedBarriers[kind] = (out.blockedBarriers[kind] ?? 0) + 1;
  }
  // Road-km per rule: a segment closed the same way in both directions counts once.
  for (let e = 0; edgeFacts && e < m; e++) {
    if (edge[e] === RULE_OPEN) continue;
    const r = reverseEdge(graph, tail[e], e);
    if (r >= 0 && r < e && edge[r] === edge[e]) continue;
    const km = graph.lengthM[e] / 1000;
    const rule = ruleOfCode(edge[e]);
    if (rule) out.closedKm[rule] += km;
    else out.emergencyOnlyKm += km;
  }
  if (edgeFacts) fillFerrySeconds(graph, rules, out);
  return out;
}

/**
 * Crossing seconds of every ferry edge (allowed or not): each connected stretch of edges with the same ferry facts
 * shares the `duration` in proportion to length; without a duration, length ÷ the rules' default ferry speed.
 */
export function ferryCrossings(input: RoadGraph, rules: RoadRules): Float32Array {
  const g = withFacts(input);
  const out = new Float32Array(g.edgeCount);
  if (!g.edgeFacts || !hasFerryFacts(g)) return out;
  const ef = g.edgeFacts, facts = g.facts ?? [{}];
  const tail = tails(g);
  const seen = new Uint8Array(g.edgeCount);
  const mps = rules.ferry.defaultSpeedKmh.value / 3.6;
  for (let s = 0; s < g.edgeCount; s++) {
    const fi = ef[s];
    if (seen[s] || fi === 0 || facts[fi]?.route !== 'ferry') continue;
    // Collect the stretch: edges with the same facts reachable through shared nodes.
    const stretch: number[] = [];
    const stack = [s];
    seen[s] = 1;
    while (stack.length) {
      const e = stack.pop() as number;
      stretch.push(e);
      for (const v of [tail[e], g.target[e]])
        for (let x = g.firstEdge[v]; x < g.firstEdge[v + 1]; x++)
          if (!seen[x] && ef[x] === fi) { seen[x] = 1; stack.push(x); }
    }
    let totalM = 0;
    for (const e of stretch) {
      const r = reverseEdge(g, tail[e], e);
      if (r < 0 || r > e) totalM += g.lengthM[e];
    }
    const dur = ferryDuration(facts[fi]);
    for (const e of stretch) out[e] = Number.isFinite(dur) && totalM > 0 ? (dur * g.lengthM[e]) / totalM : g.lengthM[e] / mps;
  }
  return out;
}

/**
 * Whether the graph's facts table holds a ferry (route=ferry): without one every crossing time (ferryCrossings,
 * RuleClosures.ferrySeconds) is 0.
 */
export const hasFerryFacts = (g: RoadGraph): boolean => !!g.facts?.some((f) => f?.route === 'ferry');

/** Crossing seconds of allowed ferry edges (ferries on in the rules, edge not closed by another rule). */
function fillFerrySeconds(g: RoadGraph, rules: RoadRules, out: RuleClosures): void {
  if (!rules.ferry.allow.value || !hasFerryFacts(g)) return;
  const all = ferryCrossings(g, rules);
  for (let e = 0; e < g.edgeCount; e++) if (out.edge[e] < CLOSED_BASE) out.ferrySeconds[e] = all[e];
}

/**
 * The graph's EdgeFlag bits rewritten by the rules, for the speed profile's edgeSeconds: access bits (NoAccess,
 * EmergencyOnly) come from the rules instead of the builder; AgainstOneway follows an explicit one-way verdict and
 * keeps the builder's flag otherwise (implied one-ways such as motorways); every edge leaving a blocked node is
 * NoAccess (the node can be reached, not passed), leaving an emergency-only node EmergencyOnly. A graph that stores
 * no facts (an older file) keeps the builder's access bits.
 */
export function ruleFlags(graph: RoadGraph, c: RuleClosures): Uint8Array {
  const flags = graph.flags.slice();
  const hasFacts = !!graph.edgeFacts && graph.edgeFacts.length === graph.edgeCount;
  const ACCESS = hasFacts ? EdgeFlag.NoAccess | EdgeFlag.EmergencyOnly : 0;
  const { firstEdge } = graph, { edge, node, oneway } = c;
  // nothing to rewrite (e.g. a graph without facts): a check four bytes at a time, not a walk over every edge
  if (!anyByte(edge) && !anyByte(node) && !anyByte(oneway) && !anyByte(flags, ACCESS)) return flags;
  for (let v = 0, e = firstEdge[0]; v < graph.nodeCount; v++) {
    const nodeCode = node[v];
    for (const end = firstEdge[v + 1]; e < end; e++) {
      // most edges: open, no one-way verdict, no access bit to clear — the copy stands
      if ((edge[e] | nodeCode | oneway[e] | (flags[e] & ACCESS)) === 0) continue;
      let f = flags[e] & ~ACCESS;
      const code = Math.max(edge[e], nodeCode);
      if (code >= CLOSED_BASE) f |= EdgeFlag.NoAccess;
      else if (code === RULE_EMERGENCY_ONLY) f |= EdgeFlag.EmergencyOnly;
      if (oneway[e] === ONEWAY_AGAINST) f |= EdgeFlag.AgainstOneway;
      else if (oneway[e] === ONEWAY_ALLOWED) f &= ~EdgeFlag.AgainstOneway;
      flags[e] = f;
    }
  }
  return flags;
}

/** Travel seconds of every directed edge under the profile with the rules applied (ferries take their crossing time). */
export function ruleEdgeSeconds(graph: RoadGraph, profile: SpeedProfile, c: RuleClosures, opts: EdgeSecondsOptions = {}): Float32Array {
  return edgeSeconds({ ...graph, flags: ruleFlags(graph, c) }, profile, { ...opts, fixedSeconds: c.ferrySeconds });
}

/** Why an edge is closed or emergency-only for the vehicle (its own rules, then its tail node's), for messages. */
export function explainEdge(input: RoadGraph, e: number, rules: RoadRules, vehicle: Vehicle, isForward?: (edge: number) => boolean): Access {
  const graph = withFacts(input);
  const facts = graph.facts ?? [{}];
  const tail = tailOf(graph, e);
  const f = facts[graph.edgeFacts ? graph.edgeFacts[e] : 0] ?? {};
  const fwd = isForward ? isForward(e) : inferForward(graph, tail, e, f);
  const a = fwd === undefined ? either(edgeAccess(f, true, rules, vehicle), edgeAccess(f, false, rules, vehicle)) : edgeAccess(f, fwd, rules, vehicle);
  if (!a.ok) return a;
  const nf = graph.nodeFacts ? graph.nodeFacts[tail] : 0;
  const n = nf ? nodePasses(facts[nf], rules, vehicle) : { ok: true };
  return !n.ok || (n.emergencyOnly && !a.emergencyOnly) ? n : a;
}

export interface ClosureRow {
  rule: RuleCode | 'emergency-only';
  zh: string;
  en: string;
  /** Road-km closed (or emergency-only). */
  km: number;
  /** Blocked nodes (barriers, node access, height restrictors). */
  nodes: number;
}

/** The data-card table: one row per rule that closes anything (rule order), then emergency-only roads. */
export function closureRows(c: RuleClosures): ClosureRow[] {
  const rows: ClosureRow[] = RULE_CODES.filter((r) => c.closedKm[r] > 0 || c.blockedNodes[r] > 0)
    .map((r) => ({ rule: r, ...RULE_LABELS[r], km: c.closedKm[r], nodes: c.blockedNodes[r] }));
  if (c.emergencyOnlyKm > 0) rows.push({ rule: 'emergency-only', zh: '仅限应急通行', en: 'emergency vehicles only', km: c.emergencyOnlyKm, nodes: 0 });
  return rows;
}
