/**
 * Runs (single- and multi-source) on the road graph with its degree-2 nodes contracted away. Most graph nodes are
 * shape points of a road between two junctions (83 % in the 上海 sample): the search settles only junctions, over one
 * contracted edge per chain of shape points, and a shape point's time is read off its chain's two ends (or the
 * source, when it sits on the same chain). Times equal those of ShortestPaths up to floating-point summation order.
 *
 * A node is a chain interior when it has exactly two neighbours, both joined to it in both directions, no other
 * edge, and the same usability going through it each way (so a chain is usable forward everywhere or nowhere,
 * and the same backward). Every other node is a junction (plus one node of each closed loop without junctions).
 */
import { toHead, toTail, type SourcePoint } from './dijkstra';
import { edgeSources, type RoadGraph } from './graph';
import { IndexedHeap, RunMarks } from './heap';
import type { SpatialIndex } from './spatial';

export class ChainPaths {
  /** Per node: position in its chain (interior nodes), -1 for junctions. */
  private readonly nodePos: Int32Array;
  /** Per chain position: chain index; node; seconds from the chain's start (forward) and from its end (backward). */
  private readonly posChain: Int32Array;
  private readonly posNode: Int32Array;
  private readonly posF: Float64Array;
  private readonly posB: Float64Array;
  /** Per chain: first and last position. */
  private readonly chainFirst: Int32Array;
  private readonly chainLast: Int32Array;
  /** Per directed edge: chain position of its earlier end, and 1 when it runs in the chain's forward direction. */
  private readonly edgePos: Int32Array;
  private readonly edgeFwd: Uint8Array;
  /** Contracted graph over junctions (CSR by node id; interior nodes have no edges). */
  private readonly cFirst: Uint32Array;
  private readonly cTarget: Uint32Array;
  private readonly cSec: Float64Array;
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

  private readonly dist: Float64Array;
  /** Fastest source of each junction (runAll). */
  private readonly origin: Int32Array;
  private readonly marks: RunMarks;
  private readonly seen: Uint32Array;
  private readonly done: Uint32Array;
  private readonly want: Uint32Array;
  private readonly heap: IndexedHeap;
  private gen = 0;
  private pending = -1;
  /** Every node with a time at most this is final (the cutoff passed, or the last settled time). */
  private reached = 0;
  /** The last run's source: its chain position and its seconds to the positions on either side. */
  private srcPos = -1;
  private srcNext = Infinity;
  private srcPrev = Infinity;
  private srcChain = -1;
  /** Junctions settled by the last run. */
  settledCount = 0;

  /** `pairs.twin`: each directed edge's reverse edge (as the graph's spatial index pairs them). */
  private readonly tail: Uint32Array;

  constructor(readonly graph: RoadGraph, readonly seconds: Float32Array, pairs: Pick<SpatialIndex, 'twin'>) {
    const g = graph, n = g.nodeCount, m = g.edgeCount, sec = seconds;
    this.tail = edgeSources(g);
    const { firstEdge, target } = g;
    const { twin } = pairs;
    const indeg = new Uint32Array(n);
    for (let e = 0; e < m; e++) indeg[target[e]]++;
    const fin = (e: number) => e >= 0 && sec[e] < Infinity;
    const interior = new Uint8Array(n);
    for (let w = 0; w < n; w++) {
      const e1 = firstEdge[w], e2 = e1 + 1;
      if (firstEdge[w + 1] - e1 !== 2 || indeg[w] !== 2) continue;
      const p = target[e1], q = target[e2];
      if (p === q || p === w || q === w || twin[e1] < 0 || twin[e2] < 0) continue;
      if (fin(twin[e1]) !== fin(e2) || fin(twin[e2]) !== fin(e1)) continue;
      interior[w] = 1;
    }

    this.nodePos = new Int32Array(n).fill(-1);
    this.edgePos = new Int32Array(m).fill(-1);
    this.edgeFwd = new Uint8Array(m);
    const posChain: number[] = [], posNode: number[] = [], posF: number[] = [], posB: number[] = [], posEdge: number[] = [];
    const chainFirst: number[] = [], chainLast: number[] = [];
    const cs: number[] = [], ct: number[] = [], cw: number[] = [];
    /** The chain leaving junction x by edge e, up to the next junction. */
    const walk = (x: number, e: number) => {
      const c = chainFirst.length, first = posNode.length;
      chainFirst.push(first);
      posChain.push(c); posNode.push(x); posF.push(0);
      let f = e, cur: number;
      for (;;) {
        const i = posNode.length - 1;
        cur = target[f];
        posEdge[i] = f;
        this.edgePos[f] = i; this.edgeFwd[f] = 1;
        if (twin[f] >= 0) { this.edgePos[twin[f]] = i; this.edgeFwd[twin[f]] = 0; }
        posChain.push(c); posNode.push(cur); posF.push(posF[i] + sec[f]);
        if (!interior[cur]) break;
        this.nodePos[cur] = i + 1;
        // On along the edge that does not lead back.
        const a = firstEdge[cur];
        f = target[a] === posNode[i] ? a + 1 : a;
      }
      const last = posNode.length - 1;
      chainLast.push(last);
      posEdge[last] = -1;
      for (let i = first; i <= last; i++) posB.push(0);
      for (let i = last - 1; i >= first; i--) {
        const back = twin[posEdge[i]];
        posB[i] = posB[i + 1] + (back >= 0 ? sec[back] : Infinity);
      }
      if (cur !== x) {
        if (posF[last] < Infinity) { cs.push(x); ct.push(cur); cw.push(posF[last]); }
        if (posB[first] < Infinity) { cs.push(cur); ct.push(x); cw.push(posB[first]); }
      }
    };
    const junction = (x: number) => {
      for (let e = firstEdge[x]; e < firstEdge[x + 1]; e++) if (this.edgePos[e] < 0) walk(x, e);
    };
    for (let x = 0; x < n; x++) if (!interior[x]) junction(x);
    // Closed loops of interior nodes: one node of each becomes a junction.
    for (let x = 0; x < n; x++)
      if (interior[x] && this.nodePos[x] < 0) {
        interior[x] = 0;
        junction(x);
      }
    let interiors = 0;
    for (let x = 0; x < n; x++) interiors += interior[x];
    this.junctions = n - interiors;
    this.posChain = Int32Array.from(posChain);
    this.posNode = Int32Array.from(posNode);
    this.posF = Float64Array.from(posF);
    this.posB = Float64Array.from(posB);
    this.chainFirst = Int32Array.from(chainFirst);
    this.chainLast = Int32Array.from(chainLast);
    this.jNode = new Int32Array(this.junctions);
    for (let x = 0, k = 0; x < n; x++) if (!interior[x]) this.jNode[k++] = x;
    const inner = posNode.length - 2 * chainFirst.length;
    this.iNode = new Int32Array(inner); this.iA = new Int32Array(inner); this.iB = new Int32Array(inner);
    this.iF = new Float64Array(inner); this.iBk = new Float64Array(inner);
    this.iC = new Int32Array(inner); this.nodeK = new Int32Array(n).fill(-1);
    for (let c = 0, k = 0; c < chainFirst.length; c++)
      for (let p = chainFirst[c] + 1; p < chainLast[c]; p++, k++) {
        this.iNode[k] = posNode[p]; this.iA[k] = posNode[chainFirst[c]]; this.iB[k] = posNode[chainLast[c]];
        this.iF[k] = posF[p]; this.iBk[k] = posB[p];
        this.iC[k] = c; this.nodeK[posNode[p]] = k;
      }
    // Contracted edges grouped by their tail (counting sort).
    this.cFirst = new Uint32Array(n + 1);
    for (const x of cs) this.cFirst[x + 1]++;
    for (let u = 0; u < n; u++) this.cFirst[u + 1] += this.cFirst[u];
    const fill = this.cFirst.slice(0, n);
    this.cTarget = new Uint32Array(cs.length);
    this.cSec = new Float64Array(cs.length);
    for (let k = 0; k < cs.length; k++) {
      const at = fill[cs[k]]++;
      this.cTarget[at] = ct[k];
      this.cSec[at] = cw[k];
    }
    this.dist = new Float64Array(n);
    this.origin = new Int32Array(n);
    this.marks = new RunMarks(n);
    ({ seen: this.seen, done: this.done, want: this.want } = this.marks);
    this.heap = new IndexedHeap(n);
  }

  /**
   * A run from one source up to `cutoff` seconds; with `until`, it stops as soon as the times of all these nodes
   * are final.
   */
  run(src: SourcePoint, cutoff = Infinity, until?: readonly number[]): void {
    this.start();
    this.seed(src, 0, true);
    this.pending = -1;
    if (until) {
      let pending = 0;
      const mark = (x: number) => { if (this.want[x] !== this.gen) { this.want[x] = this.gen; pending++; } };
      for (const w of until) {
        const p = this.nodePos[w];
        if (p < 0) { mark(w); continue; }
        const q = this.posChain[p], first = this.chainFirst[q], last = this.chainLast[q];
        // The ends the node can be reached from.
        if (this.posF[p] < Infinity) mark(this.posNode[first]);
        if (this.posB[p] < Infinity) mark(this.posNode[last]);
      }
      this.pending = pending;
      if (pending === 0) return; // (nothing wanted: nothing settled, nothing final)
    }
    this.settle(cutoff);
  }

  /**
   * A run from all sources over the whole network: every node's travel seconds and fastest source (index into
   * `sources`; ties go to the lower index, as in ShortestPaths) into `time` / `origin` (Infinity / -1 where unreached).
   * (timeOf and times describe single-source runs.)
   */
  runAll(sources: readonly SourcePoint[], time: Float64Array, origin: Int32Array): void {
    this.start();
    sources.forEach((p, k) => this.seed(p, k, k === 0));
    this.pending = -1;
    this.settle(Infinity);
    const { done, dist, gen, jNode, iNode, iA, iB, iF, iBk } = this;
    for (let k = 0; k < jNode.length; k++) {
      const w = jNode[k];
      time[w] = done[w] === gen ? dist[w] : Infinity;
      origin[w] = done[w] === gen ? this.origin[w] : -1;
    }
    for (let k = 0; k < iNode.length; k++) {
      const a = iA[k], b = iB[k], ta = time[a] + iF[k], tb = time[b] + iBk[k];
      const w = iNode[k];
      if (ta < tb || (ta === tb && ta < Infinity && origin[a] <= origin[b])) { time[w] = ta; origin[w] = origin[a]; }
      else if (tb < Infinity) { time[w] = tb; origin[w] = origin[b]; }
      else { time[w] = Infinity; origin[w] = -1; }
    }
    // Straight along a source's own chain.
    sources.forEach((p, k) => {
      const i = this.edgePos[p.edge], fwd = this.edgeFwd[p.edge] === 1;
      const toV = toHead(this.seconds, p), toU = toTail(this.seconds, p);
      const c = this.posChain[i];
      for (let q = this.chainFirst[c] + 1; q < this.chainLast[c]; q++) {
        const t = this.along(q, i, fwd ? toV : toU, fwd ? toU : toV);
        const w = this.posNode[q];
        if (t < time[w] || (t === time[w] && k < origin[w])) { time[w] = t; origin[w] = k; }
      }
    });
  }

  /** Goes on with the last run up to a larger cutoff (nothing else may have run on this instance since). */
  extend(cutoff: number): void {
    this.pending = -1;
    this.settle(cutoff);
  }

  /** Whether the last run settled every junction it can reach. */
  get exhausted(): boolean {
    return this.heap.size === 0;
  }

  /** Every node whose time is at most this is final in the last run (Infinity once exhausted). */
  get cutoff(): number {
    return this.heap.size === 0 ? Infinity : this.reached;
  }

  /**
   * A node's time in the last run when it is final (at most the cutoff reached, or from ends that are all
   * settled), else Infinity.
   */
  timeOf(w: number): number {
    const k = this.nodeK[w], done = this.done, dist = this.dist, gen = this.gen;
    if (k < 0) return done[w] === gen ? dist[w] : Infinity;
    const a = this.iA[k], b = this.iB[k], f = this.iF[k], bk = this.iBk[k];
    const ja = done[a] === gen ? dist[a] : Infinity, jb = done[b] === gen ? dist[b] : Infinity;
    let t = ja + f;
    if (jb + bk < t) t = jb + bk;
    if (this.iC[k] === this.srcChain) t = Math.min(t, this.direct(this.nodePos[w]));
    return t <= (this.heap.size === 0 ? Infinity : this.reached) || ((ja < Infinity || !(f < Infinity)) && (jb < Infinity || !(bk < Infinity))) ? t : Infinity;
  }

  /**
   * Seconds at which the last run can enter directed edge e at its tail when final, else Infinity (see
   * ShortestPaths.entryTime): equals timeOf(tail) where no turn restriction applies at the tail.
   */
  entryTime(e: number): number {
    return this.timeOf(this.tail[e]);
  }

  /** timeOf for every node into `out` (a new array when it does not fit). */
  times(out?: Float64Array): Float64Array {
    const n = this.graph.nodeCount;
    const o = out && out.length === n ? out : new Float64Array(n);
    const { done, dist, gen, jNode, iNode, iA, iB, iF, iBk } = this;
    const cut = this.cutoff;
    for (let k = 0; k < jNode.length; k++) {
      const w = jNode[k];
      o[w] = done[w] === gen ? dist[w] : Infinity;
    }
    // Interior nodes from their chain's ends (junction times are in `o` now); without both ends settled, a time past
    // the cutoff may still drop.
    for (let k = 0; k < iNode.length; k++) {
      const ja = o[iA[k]], jb = o[iB[k]], f = iF[k], b = iBk[k];
      const t = Math.min(ja + f, jb + b);
      o[iNode[k]] = t <= cut || ((ja < Infinity || !(f < Infinity)) && (jb < Infinity || !(b < Infinity))) ? t : Infinity;
    }
    // The source's own chain: straight along it too.
    const c = this.posChain[this.srcPos];
    for (let p = this.chainFirst[c] + 1; p < this.chainLast[c]; p++) o[this.posNode[p]] = this.timeOf(this.posNode[p]);
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

  private start(): void {
    this.gen = this.marks.next();
    this.heap.clear();
    this.settledCount = 0;
    this.reached = -Infinity;
  }

  /** Puts source number k on the queue: along its chain to the chain's two junctions (`single`: remembered for timeOf). */
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
    const toB = this.along(b, i, next, prev), toA = this.along(a, i, next, prev);
    if (toB < Infinity) this.relax(this.posNode[b], toB, k);
    if (toA < Infinity) this.relax(this.posNode[a], toA, k);
  }

  private settle(cutoff: number): void {
    const { cFirst, cTarget, cSec, dist, done, want, origin } = this;
    const gen = this.gen;
    let pending = this.pending;
    const heap = this.heap;
    while (heap.size > 0) {
      const u = heap.node[0];
      const du = heap.key[0];
      if (du > cutoff) break;
      heap.pop();
      done[u] = gen;
      this.settledCount++;
      for (let e = cFirst[u], end = cFirst[u + 1]; e < end; e++) {
        const v = cTarget[e];
        if (done[v] === gen) continue;
        const nd = du + cSec[e];
        if (this.seen[v] !== gen || nd <= dist[v]) this.relax(v, nd, origin[u]);
      }
      this.reached = du;
      if (want[u] === gen && --pending === 0) break;
    }
    this.pending = pending;
    if (pending !== 0 && this.heap.size > 0) this.reached = Math.max(this.reached, cutoff);
  }

  private relax(v: number, d: number, o: number): void {
    if (this.seen[v] === this.gen) {
      if (d > this.dist[v] || (d === this.dist[v] && o >= this.origin[v])) return;
      this.origin[v] = o;
      if (d === this.dist[v]) return;
      this.dist[v] = d;
      this.heap.lower(v, d);
      return;
    }
    this.seen[v] = this.gen;
    this.dist[v] = d;
    this.origin[v] = o;
    this.heap.push(v, d);
  }
}
