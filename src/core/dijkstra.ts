/**
 * Runs on the CSR road graph (the one search loop of search.ts over the graph with its turn copies, turns.ts).
 * Sources start mid-edge.
 * A run labels every reached node with its travel seconds, its predecessor edge and its fastest source
 * (multi-source = network Voronoi). Results stay valid until the next run on the same instance.
 */
import { edgeSources, type RoadGraph } from './graph';
import { FROM_SOURCE, Search } from './search';
import { expandTurns, graphRestrictions, hasPenalties, junctionMask, OBEY_RESTRICTIONS, restrictedNodes, reverseEdges, turnPenaltyFn, type SearchGraph, type SearchInput, type TurnRules } from './turns';

/** Where a source sits: on directed edge u→v (`edge`) at fraction t from u; `reverse` = v→u or -1. */
export interface SourcePoint {
  edge: number;
  reverse: number;
  u: number;
  v: number;
  t: number;
}

/** Seconds from a source to its edge's head v (a source exactly on a node starts there whatever the direction). */
export const toHead = (sec: Float32Array, p: SourcePoint): number => (p.t === 1 ? 0 : (1 - p.t) * sec[p.edge]);
/** Seconds from a source back to its edge's tail u, Infinity when the road is one-way. */
export const toTail = (sec: Float32Array, p: SourcePoint): number => (p.t === 0 ? 0 : p.reverse >= 0 ? p.t * sec[p.reverse] : Infinity);

export { FROM_SOURCE } from './search';

/** The search graph of the road graph under turn rules (restrictions, penalties at junctions). */
export function plainSearchGraph(graph: RoadGraph, seconds: Float32Array, rules: TurnRules): SearchGraph {
  const sequences = rules.restrictions ? graphRestrictions(graph) : [];
  const penalties = hasPenalties(rules);
  let split: Uint8Array | null = null;
  let penalty: SearchInput['penalty'] = null;
  if (penalties) {
    const tail = edgeSources(graph);
    const twin = reverseEdges(graph);
    split = junctionMask(graph, seconds, twin, restrictedNodes(graph, sequences, tail));
    penalty = turnPenaltyFn(graph, tail, rules, junctionMask(graph, seconds, twin, null));
  }
  return expandTurns({ nodeCount: graph.nodeCount, first: graph.firstEdge, target: graph.target, weight: seconds, sequences, split, penalty });
}

/**
 * Runs on the road graph (one search node per node, plus turn copies at restricted junctions, or at every junction
 * with turn penalties). Node arrays (dist, pred, origin, settled) are per real node: a node's time is the least
 * over its copies.
 */
export class ShortestPaths {
  /** Per real node (valid for settled nodes): seconds, predecessor edge (FROM_SOURCE at a seed), fastest source. */
  readonly dist: Float64Array;
  readonly pred: Int32Array;
  readonly origin: Int32Array;
  /** Settled real nodes of the last run in settling order (first `settledCount`). */
  readonly settled: Uint32Array;
  /** The search itself (search nodes and edges: routes walk its predecessors). */
  readonly search: Search;
  readonly sg: SearchGraph;
  private readonly tail: Uint32Array;
  /** Tail search node of every search edge (expanded graphs only). */
  readonly searchTail: Uint32Array;

  /** `tail`: the graph's edgeSources when the caller has them (the Router's spatial index does), else computed here. */
  constructor(readonly graph: RoadGraph, readonly seconds: Float32Array, readonly rules: TurnRules = OBEY_RESTRICTIONS, tail?: Uint32Array) {
    this.tail = tail ?? edgeSources(graph);
    this.sg = plainSearchGraph(graph, seconds, rules);
    this.search = new Search(this.sg);
    ({ rdist: this.dist, rpred: this.pred, rorigin: this.origin, rsettled: this.settled } = this.search);
    const N = this.sg.nodes, first = this.sg.first;
    this.searchTail = this.sg.expanded ? new Uint32Array(first[N]) : this.tail;
    if (this.sg.expanded) for (let u = 0; u < N; u++) this.searchTail.fill(u, first[u], first[u + 1]);
  }

  /** Number of settled real nodes of the last run. */
  get settledCount(): number {
    return this.search.rcount;
  }

  /** Travel seconds to a node in the last run (Infinity when not reached; may be tentative beyond the cutoff). */
  time(node: number): number {
    const s = this.search;
    return this.sg.expanded ? s.tentative(node) : s.seen[node] === s.gen ? s.dist[node] : Infinity;
  }

  /**
   * Seconds at which the last run can enter directed edge e at its tail (Infinity when not reached), honouring turn
   * restrictions and turn penalties at the tail; read edge points through this (edgeTime.ts).
   */
  entryTime(e: number): number {
    if (!this.sg.expanded || !(this.seconds[e] < Infinity)) return this.time(this.tail[e]);
    return this.search.entry(e, false);
  }

  /** Arrival at directed edge e's tail or head node (EdgeEntry). */
  arrivalAt(e: number, head: boolean): number {
    return this.time(head ? this.graph.target[e] : this.tail[e]);
  }

  /**
   * Makes the entry times of these edges final when the last run stopped early (`until`): with turn copies, a
   * settled node is not yet a settled turn into each of its edges. (Routes call this for the target's edge.)
   */
  finishEntries(edges: readonly number[]): void {
    this.search.finishEntries(edges.filter((e) => e >= 0 && this.seconds[e] < Infinity));
  }

  /** The search node from which the last run best enters edge e (-1 when none): where a route to e's points starts. */
  entryNode(e: number): number {
    const s = this.search;
    if (!this.sg.expanded) return s.seen[this.tail[e]] === s.gen ? this.tail[e] : -1;
    const { entryFirst, entryNode, entryPen } = this.sg;
    let best = -1, t = Infinity;
    for (let k = entryFirst[e]; k < entryFirst[e + 1]; k++) {
      const x = entryNode[k];
      if (s.seen[x] === s.gen && s.dist[x] + entryPen[k] < t) { t = s.dist[x] + entryPen[k]; best = x; }
    }
    return best;
  }

  /** The search node holding a real node's time (its fastest copy), -1 when unreached. */
  nodeState(x: number): number {
    const s = this.search;
    let best = s.seen[x] === s.gen ? x : -1, t = best >= 0 ? s.dist[x] : Infinity;
    if (this.sg.expanded)
      for (let k = this.sg.copyFirst[x]; k < this.sg.copyFirst[x + 1]; k++) {
        const c = this.sg.copyNode[k];
        if (s.seen[c] === s.gen && s.dist[c] < t) { t = s.dist[c]; best = c; }
      }
    return best;
  }

  /** Whether the node's time is final (settled, i.e. ≤ the cutoff) in the last run. */
  isSettled(node: number): boolean {
    return this.search.rdone[node] === this.search.gen;
  }

  /**
   * Runs from all sources at once. Nodes with time > cutoff are not settled (their time may be tentative).
   * `until`: stop as soon as all these nodes are settled (point-to-point queries; duplicates count once).
   */
  run(sources: readonly SourcePoint[], cutoff = Infinity, until?: readonly number[]): void {
    const s = this.search, enter = this.sg.enter, sec = this.seconds;
    s.start();
    for (let k = 0; k < sources.length; k++) {
      const p = sources[k];
      const fwd = toHead(sec, p), back = toTail(sec, p);
      // A source exactly on a node starts there with no history; part-way along an edge, it has driven it.
      if (fwd < Infinity) s.relax(p.t === 1 ? p.v : enter[p.edge], fwd, k, FROM_SOURCE);
      if (back < Infinity) s.relax(p.t === 0 ? p.u : enter[p.reverse], back, k, FROM_SOURCE);
    }
    if (until && s.wantAll(until) === 0) return;
    s.settle(cutoff);
  }

  /**
   * Goes on with the last run up to a larger cutoff (the same result as a fresh run to it; nothing else may have
   * run on this instance since). `until` targets of the last run no longer stop it.
   */
  extend(cutoff: number): void {
    this.search.wantNone();
    this.search.settle(cutoff);
  }

  /** Whether the last run settled every node it can reach (its queue is empty). */
  get exhausted(): boolean {
    return this.search.exhausted;
  }
}

/** Travel seconds from the last run's sources to a point on a segment (the target's own snap). */
export function timeToPoint(sp: ShortestPaths, sources: readonly SourcePoint[], to: SourcePoint): { seconds: number; via: 'u' | 'v' | 'direct'; source: number } {
  const sec = sp.seconds;
  let best = Infinity, via: 'u' | 'v' | 'direct' = 'u', src = -1;
  // Enter at u, drive u→v for t of the edge.
  const fwd = sec[to.edge], back = to.reverse >= 0 ? sec[to.reverse] : Infinity;
  // Arrive from u (drive t of u→v) or from v (drive 1 − t of v→u); a target on a node needs no edge at all.
  // (Entering the edge at its tail obeys the turn rules there.)
  const org = (x: number) => (x >= 0 ? sp.search.origin[x] : -1);
  const cu = to.t === 0 ? sp.time(to.u) : sp.entryTime(to.edge) + to.t * fwd;
  if (cu < Infinity) { best = cu; via = 'u'; src = org(to.t === 0 ? sp.nodeState(to.u) : sp.entryNode(to.edge)); }
  const cv = to.t === 1 ? sp.time(to.v) : to.reverse >= 0 ? sp.entryTime(to.reverse) + (1 - to.t) * back : Infinity;
  if (cv < best) { best = cv; via = 'v'; src = org(to.t === 1 ? sp.nodeState(to.v) : sp.entryNode(to.reverse)); }
  // A source on the same segment drives straight along it.
  for (let s = 0; s < sources.length; s++) {
    const p = sources[s];
    if (p.edge !== to.edge) continue;
    const c = to.t === p.t ? 0 : to.t > p.t ? (to.t - p.t) * fwd : (p.t - to.t) * back;
    if (c < best || (c === best && via !== 'direct' && s < src)) { best = c; via = 'direct'; src = s; }
  }
  return { seconds: best, via, source: src };
}
