/**
 * Runs (single- and multi-source) on the road graph with its degree-2 nodes contracted away. Most graph nodes are
 * shape points of a road between two junctions (83 % in the 上海 sample): the search settles only junctions, over one
 * contracted edge per chain of shape points, and a shape point's time is read off its chain's two ends (or the
 * source, when it sits on the same chain). Times equal those of ShortestPaths up to floating-point summation order.
 *
 * A node is a chain interior when it has exactly two neighbours, both joined to it in both directions, no other
 * edge, and the same usability going through it each way (so a chain is usable forward everywhere or nowhere,
 * and the same backward). Every other node is a junction (plus one node of each closed loop without junctions), and so
 * is every node of a turn restriction, so a restricted edge is a contracted edge of its own.
 *
 * Turn rules (turns.ts) apply to the contracted graph as to the plain one: restrictions and turn penalties at
 * junctions through turn copies, a free turn-around at a chain's first shape point as an extra contracted edge (the
 * plain graph may turn at any shape point), and a shape point's time read from its chain's entry times at either end.
 * The search loop is the one of search.ts.
 */
import { toHead, toTail, type SourcePoint } from './dijkstra';
import type { RoadGraph } from './graph';
import { contractChains } from './chainGraph';
import { FROM_SOURCE, Search } from './search';
import type { SpatialIndex } from './spatial';
import { OBEY_RESTRICTIONS, type SearchGraph, type TurnRules } from './turns';

/** Final times of a single-source run known beforehand (ChainPaths.runKnown): nodes[from..to) with their times in `time`. */
export interface KnownTimes {
  nodes: Int32Array;
  from: number;
  to: number;
  time: Float64Array;
  /** Only the times of the nodes the caller names are read (runKnown's targets): the run may skip the rest. */
  targetsOnly?: boolean;
}

/** First excess limit of a pruned runKnown, seconds (raised when a target needs more). */
const PRUNE_FIRST_S = 60;

export class ChainPaths {
  /** Per node: position in its chain (interior nodes), -1 for junctions. */
  private readonly nodePos: Int32Array;
  /** Per chain position: chain index; node; seconds from the chain's start (forward) and from its end (backward). */
  private readonly posChain: Int32Array;
  private readonly posNode: Int32Array;
  private readonly posF: Float64Array;
  private readonly posB: Float64Array;
  /** Per chain: first and last position; its contracted edge forward and backward (-1 when not drivable). */
  private readonly chainFirst: Int32Array;
  private readonly chainLast: Int32Array;
  private readonly ceFwd: Int32Array;
  private readonly ceBwd: Int32Array;
  /** Per directed edge: chain position of its earlier end, and 1 when it runs in the chain's forward direction. */
  private readonly edgePos: Int32Array;
  private readonly edgeFwd: Uint8Array;
  /** Number of junctions. */
  readonly junctions: number;
  /** Junction nodes; interior nodes with their chain's start and end junctions and seconds from each (for times). */
  private readonly jNode: Int32Array;
  private readonly iNode: Int32Array;
  private readonly iA: Int32Array;
  private readonly iB: Int32Array;
  private readonly iF: Float64Array;
  private readonly iBk: Float64Array;
  /** Per interior node: its chain; per node: its index in the interior arrays (-1 for junctions). */
  private readonly iC: Int32Array;
  private readonly nodeK: Int32Array;
  /** The contracted graph over junctions with its turn copies, and the one search loop over it. */
  private readonly sg: SearchGraph;
  private readonly search: Search;
  /** Tail junction of every contracted edge. */
  private readonly cTail: Uint32Array;
  /** The last run's source: its chain position and its seconds to the positions on either side. */
  private srcPos = -1;
  private srcNext = Infinity;
  private srcPrev = Infinity;
  private srcChain = -1;

  private readonly tail: Uint32Array;

  /** `pairs.twin`: each directed edge's reverse edge (as the graph's spatial index pairs them). */
  constructor(readonly graph: RoadGraph, readonly seconds: Float32Array, pairs: Pick<SpatialIndex, 'twin'>, readonly rules: TurnRules = OBEY_RESTRICTIONS) {
    const c = contractChains(graph, seconds, pairs.twin, rules);
    this.tail = c.tail; this.nodePos = c.nodePos; this.edgePos = c.edgePos; this.edgeFwd = c.edgeFwd; this.junctions = c.junctions;
    this.posChain = c.posChain; this.posNode = c.posNode; this.posF = c.posF; this.posB = c.posB;
    this.chainFirst = c.chainFirst; this.chainLast = c.chainLast; this.ceFwd = c.ceFwd; this.ceBwd = c.ceBwd;
    this.jNode = c.jNode; this.iNode = c.iNode; this.iA = c.iA; this.iB = c.iB; this.iF = c.iF; this.iBk = c.iBk; this.iC = c.iC; this.nodeK = c.nodeK;
    this.cTail = c.cTail; this.sg = c.sg;
    this.search = new Search(this.sg);
  }

  /** Search nodes settled by the last run (junctions and their turn copies). */
  get settledCount(): number {
    return this.search.count;
  }

  /** Seconds at which the last run can leave by contracted edge ce (final labels only), Infinity when not. */
  private ceEntry(ce: number): number {
    if (ce < 0) return Infinity;
    return this.sg.expanded ? this.search.entry(ce, true) : this.search.final(this.cTail[ce]);
  }

  /**
   * A run from one source up to `cutoff` seconds; with `until`, it stops as soon as the times of all these nodes
   * are final.
   */
  run(src: SourcePoint, cutoff = Infinity, until?: readonly number[]): void {
    this.pruned = null;
    this.search.start();
    this.seed(src, 0, true);
    if (until) {
      const ends: number[] = [];
      for (const w of until) {
        const p = this.nodePos[w];
        if (p < 0) { ends.push(w); continue; }
        const q = this.posChain[p];
        // The ends the node can be reached from.
        if (this.posF[p] < Infinity) ends.push(this.posNode[this.chainFirst[q]]);
        if (this.posB[p] < Infinity) ends.push(this.posNode[this.chainLast[q]]);
      }
      if (this.search.wantAll(ends) === 0) return; // (nothing wanted: nothing settled, nothing final)
      this.search.settle(cutoff);
      // An interior node also needs the turns into its chain final (turn copies: turns.ts).
      const ces: number[] = [];
      for (const w of until) {
        const p = this.nodePos[w];
        if (p < 0) continue;
        const q = this.posChain[p];
        if (this.ceFwd[q] >= 0) ces.push(this.ceFwd[q]);
        if (this.ceBwd[q] >= 0) ces.push(this.ceBwd[q]);
      }
      if (ces.length) this.search.finishEntries(ces, cutoff);
      return;
    }
    this.search.settle(cutoff);
  }

  /**
   * run(src, cutoff) knowing part of the answer: `known.nodes[from..to)` are the nodes whose fastest source in a
   * runAll on these seconds was `src`, `known.time` that run's times. A node's fastest path from all sources comes
   * from its fastest source alone, so those times are src's own (exactly: the same sums in the same order); the
   * junctions among them are taken as settled and only the rest of the network is searched. Every time read from the
   * run is the one run gives. With turn copies (labels per copy, not per node) it is run. `targets`: only these
   * nodes' times will be read (until the next run); the search then skips nodes more than a limit slower from this
   * source than from the fastest one (Search.pruneAbove), a limit raised, and the search made again, whenever a
   * target could be lost.
   */
  runKnown(src: SourcePoint, cutoff: number, known: KnownTimes, targets?: Int32Array): void {
    this.pruned = null;
    if (this.sg.expanded) { this.run(src, cutoff); return; }
    if (targets) {
      // Only these nodes' times are wanted (their junctions: a shape point's time is read off its chain's ends).
      const tj: number[] = [];
      for (const w of targets) {
        const p = this.nodePos[w];
        if (p < 0) tj.push(w);
        else { const c = this.posChain[p]; tj.push(this.posNode[this.chainFirst[c]], this.posNode[this.chainLast[c]]); }
      }
      this.pruned = { src, known, targets: Int32Array.from(tj), limit: PRUNE_FIRST_S };
    }
    this.startKnown(src, known, cutoff);
  }

  /** runKnown's search from scratch up to `cutoff` (pruned as this.pruned says, checked and widened until sound). */
  private startKnown(src: SourcePoint, known: KnownTimes, cutoff: number): void {
    for (;;) {
      this.searchKnown(src, known);
      if (this.pruned) this.search.pruneAbove(this.pruned.limit, known.time);
      this.search.settle(cutoff);
      if (this.prunedSound(cutoff)) return;
    }
  }

  /**
   * Whether the pruned search (if any) can stand: a target not settled must be later than the cutoff reached, which
   * holds for sure only when its base time plus the limit is past it (a target within the limit is never lost).
   * Otherwise the limit is raised to what that needs (Infinity: no pruning) for the search to be made again.
   */
  private prunedSound(cutoff: number): boolean {
    const p = this.pruned;
    if (!p || p.limit === Infinity) return true;
    const s = this.search, cut = this.cutoff, base = p.known.time;
    let need = 0;
    for (const x of p.targets)
      if (s.done[x] !== s.gen && base[x] < Infinity) need = Math.max(need, cut - base[x]);
    // (A margin for rounding: times and their differences are sums of many edge times.)
    if (need + 1e-3 + 1e-9 * cutoff <= p.limit) return true;
    p.limit = need < Infinity ? Math.max(2 * p.limit, need + 1 + 1e-6 * cutoff) : Infinity;
    return false;
  }

  /** The start of runKnown's search: the source's own nodes settled, the source seeded. */
  private searchKnown(src: SourcePoint, known: KnownTimes): void {
    const s = this.search;
    s.start();
    const { nodes, time } = known, nodeK = this.nodeK;
    // Junctions only (shape points are read off their chain's ends).
    const junctions = new Int32Array(known.to - known.from);
    let j = 0;
    for (let i = known.from; i < known.to; i++) if (nodeK[nodes[i]] < 0) junctions[j++] = nodes[i];
    s.presettle(junctions, 0, j, time);
    this.seed(src, 0, true);
  }

  /** The pruned runKnown in progress: its source, known times, target junctions and excess limit. */
  private pruned: { src: SourcePoint; known: KnownTimes; targets: Int32Array; limit: number } | null = null;

  /**
   * A run from all sources over the whole network: every node's travel seconds and fastest source (index into
   * `sources`; ties go to the lower index, as in ShortestPaths) into `time` / `origin` (Infinity / -1 where unreached).
   * (timeOf and times describe single-source runs.)
   */
  runAll(sources: readonly SourcePoint[], time: Float64Array, origin: Int32Array): void {
    const s = this.search;
    this.pruned = null;
    s.start();
    sources.forEach((p, k) => this.seed(p, k, k === 0));
    if (s.orderFree) s.settleAll();
    else s.settle(Infinity);
    const { jNode, iNode, iA, iB, iF, iBk, iC } = this;
    const { rdone, rdist, rorigin, gen } = s;
    for (let k = 0; k < jNode.length; k++) {
      const w = jNode[k];
      const fin = rdone[w] === gen;
      time[w] = fin ? rdist[w] : Infinity;
      origin[w] = fin ? rorigin[w] : -1;
    }
    const expanded = this.sg.expanded;
    let c = -1, ta0 = Infinity, tb0 = Infinity, oa = -1, ob = -1;
    for (let k = 0; k < iNode.length; k++) {
      if (!expanded) { ta0 = time[iA[k]]; tb0 = time[iB[k]]; oa = origin[iA[k]]; ob = origin[iB[k]]; }
      else if (iC[k] !== c) {
        // Entering the chain at either end obeys the turn rules there.
        c = iC[k];
        ta0 = this.ceFwd[c] >= 0 ? s.entryWithOrigin(this.ceFwd[c]) : Infinity;
        oa = s.entryOrigin;
        tb0 = this.ceBwd[c] >= 0 ? s.entryWithOrigin(this.ceBwd[c]) : Infinity;
        ob = s.entryOrigin;
      }
      const ta = ta0 + iF[k], tb = tb0 + iBk[k];
      const w = iNode[k];
      if (ta < tb || (ta === tb && ta < Infinity && oa <= ob)) { time[w] = ta; origin[w] = oa; }
      else if (tb < Infinity) { time[w] = tb; origin[w] = ob; }
      else { time[w] = Infinity; origin[w] = -1; }
    }
    // Straight along a source's own chain.
    sources.forEach((p, k) => {
      const i = this.edgePos[p.edge], fwd = this.edgeFwd[p.edge] === 1;
      const toV = toHead(this.seconds, p), toU = toTail(this.seconds, p);
      const ch = this.posChain[i];
      for (let q = this.chainFirst[ch] + 1; q < this.chainLast[ch]; q++) {
        const t = this.along(q, i, fwd ? toV : toU, fwd ? toU : toV);
        const w = this.posNode[q];
        if (t < time[w] || (t === time[w] && k < origin[w])) { time[w] = t; origin[w] = k; }
      }
    });
  }

  /** Goes on with the last run up to a larger cutoff (nothing else may have run on this instance since). */
  extend(cutoff: number): void {
    this.search.wantNone();
    this.search.settle(cutoff);
    const p = this.pruned;
    if (p && !this.prunedSound(cutoff)) this.startKnown(p.src, p.known, cutoff);
  }

  /** Whether the last run settled every junction it can reach. */
  get exhausted(): boolean {
    return this.search.exhausted;
  }

  /** Every node whose time is at most this is final in the last run (Infinity once exhausted). */
  get cutoff(): number {
    return this.search.exhausted ? Infinity : this.search.reached;
  }

  /**
   * A node's time in the last run when it is final (at most the cutoff reached, or from ends that are all
   * settled), else Infinity.
   */
  timeOf(w: number): number {
    const k = this.nodeK[w];
    if (k < 0) return this.search.final(w);
    const c = this.iC[k], f = this.iF[k], bk = this.iBk[k];
    const ja = this.ceEntry(this.ceFwd[c]), jb = this.ceEntry(this.ceBwd[c]);
    let t = ja + f;
    if (jb + bk < t) t = jb + bk;
    if (c === this.srcChain) t = Math.min(t, this.direct(this.nodePos[w]));
    // An end's entry is final once it is at most the cutoff reached (with turn penalties, a settled copy's entry
    // can still be beaten by a copy not settled yet).
    const cut = this.cutoff;
    return t <= cut || ((ja <= cut || !(f < Infinity)) && (jb <= cut || !(bk < Infinity))) ? t : Infinity;
  }

  /** Arrival at directed edge e's tail or head node when final, else Infinity (EdgeEntry). */
  arrivalAt(e: number, head: boolean): number {
    return this.timeOf(head ? this.graph.target[e] : this.tail[e]);
  }

  /**
   * Seconds at which the last run can enter directed edge e at its tail when final, else Infinity (see
   * ShortestPaths.entryTime): at a junction, the earliest arrival allowed to turn into e (turn penalty included);
   * at a shape point, the point's time (a U-turn mid-block is allowed).
   */
  entryTime(e: number): number {
    const x = this.tail[e];
    if (this.nodeK[x] >= 0 || !this.sg.expanded || !(this.seconds[e] < Infinity)) return this.timeOf(x);
    const c = this.posChain[this.edgePos[e]];
    const ce = this.edgeFwd[e] === 1 ? this.ceFwd[c] : this.ceBwd[c];
    if (ce < 0) return this.timeOf(x);
    const t = this.search.entry(ce, true);
    return t <= this.cutoff ? t : Infinity;
  }

  /** timeOf for every node into `out` (a new array when it does not fit). */
  times(out?: Float64Array): Float64Array {
    const n = this.graph.nodeCount;
    const o = out && out.length === n ? out : new Float64Array(n);
    const { rdone, rdist, gen } = this.search;
    const { jNode, iNode, iA, iB, iF, iBk, iC } = this;
    const cut = this.cutoff;
    for (let k = 0; k < jNode.length; k++) {
      const w = jNode[k];
      o[w] = rdone[w] === gen ? rdist[w] : Infinity;
    }
    // Interior nodes from their chain's ends (junction times are in `o` now); without both ends settled, a time past
    // the cutoff may still drop.
    if (!this.sg.expanded)
      for (let k = 0; k < iNode.length; k++) {
        const ja = o[iA[k]], jb = o[iB[k]], f = iF[k], b = iBk[k];
        const t = Math.min(ja + f, jb + b);
        o[iNode[k]] = t <= cut || ((ja < Infinity || !(f < Infinity)) && (jb < Infinity || !(b < Infinity))) ? t : Infinity;
      }
    else
      // With turn copies an end's time is its entry into this chain (final once at most the cutoff reached).
      for (let k = 0, c = -1, ja = Infinity, jb = Infinity; k < iNode.length; k++) {
        if (iC[k] !== c) { c = iC[k]; ja = this.ceEntry(this.ceFwd[c]); jb = this.ceEntry(this.ceBwd[c]); }
        const f = iF[k], b = iBk[k];
        const t = Math.min(ja + f, jb + b);
        o[iNode[k]] = t <= cut || ((ja <= cut || !(f < Infinity)) && (jb <= cut || !(b < Infinity))) ? t : Infinity;
      }
    // The source's own chain: straight along it too.
    const sc = this.posChain[this.srcPos];
    for (let p = this.chainFirst[sc] + 1; p < this.chainLast[sc]; p++) o[this.posNode[p]] = this.timeOf(this.posNode[p]);
    return o;
  }

  /** Seconds from the last run's source straight along its chain to position p of that chain. */
  private direct(p: number): number {
    return this.along(p, this.srcPos, this.srcNext, this.srcPrev);
  }

  /** Seconds from a source between chain positions s and s + 1 (next / prev: to those two) straight to position p. */
  private along(p: number, s: number, next: number, prev: number): number {
    if (p > s) return p === s + 1 ? next : this.posF[p] < Infinity ? next + (this.posF[p] - this.posF[s + 1]) : Infinity;
    if (p === s) return prev;
    return this.posB[p] < Infinity ? prev + (this.posB[p] - this.posB[s]) : Infinity;
  }

  /**
   * Puts source number k on the queue: along its chain to the chain's two junctions, arriving there by the chain's
   * last edge (a source exactly on a junction starts there with no history). `single`: remembered for timeOf.
   */
  private seed(src: SourcePoint, k: number, single: boolean): void {
    const toV = toHead(this.seconds, src), toU = toTail(this.seconds, src);
    const i = this.edgePos[src.edge], fwd = this.edgeFwd[src.edge] === 1;
    const next = fwd ? toV : toU, prev = fwd ? toU : toV; // to positions i + 1 and i
    const c = this.posChain[i], a = this.chainFirst[c], b = this.chainLast[c];
    if (single) {
      this.srcPos = i;
      this.srcNext = next;
      this.srcPrev = prev;
      this.srcChain = c;
    }
    const on = src.t === 0 ? src.u : src.t === 1 ? src.v : -1;
    const toB = this.along(b, i, next, prev), toA = this.along(a, i, next, prev);
    const nb = this.posNode[b], na = this.posNode[a], enter = this.sg.enter;
    if (toB < Infinity) this.search.relax(nb === on || this.ceFwd[c] < 0 ? nb : enter[this.ceFwd[c]], toB, k, FROM_SOURCE);
    if (toA < Infinity) this.search.relax(na === on || this.ceBwd[c] < 0 ? na : enter[this.ceBwd[c]], toA, k, FROM_SOURCE);
  }
}
