/**
 * The one Dijkstra loop of the planner, over a SearchGraph (turns.ts): the plain road graph (ShortestPaths,
 * dijkstra.ts) and the contracted graph over junctions (ChainPaths, chains.ts) both run it. Typed arrays only, an
 * indexed binary heap, buffers allocated once and invalidated by a generation counter.
 *
 * Labels live on search nodes (a real node and its turn copies). The real-node view — a real node's time is the
 * minimum over its copies, its fastest source and predecessor those of that copy — is what callers read: with no
 * copies it is the search's own arrays; with copies it is folded after every run from the nodes settled since.
 */
import { IndexedHeap, RunMarks } from './heap';
import type { SearchGraph } from './turns';

/** Predecessor value of a node reached directly from its source. */
export const FROM_SOURCE = -1;

export class Search {
  /** Per search node: tentative / final seconds, fastest source, predecessor search edge. */
  readonly dist: Float64Array;
  readonly origin: Int32Array;
  readonly pred: Int32Array;
  /** Search nodes settled by the last run, in settling order (first `count`). */
  readonly order: Uint32Array;
  count = 0;
  /** Real-node view: final seconds, source, predecessor input edge, settled marks and list (first `rcount`). */
  readonly rdist: Float64Array;
  readonly rorigin: Int32Array;
  readonly rpred: Int32Array;
  readonly rdone: Uint32Array;
  readonly rsettled: Uint32Array;
  rcount = 0;
  gen = 0;
  /** Every search node with a time at most this is settled (the cutoff passed, or the last settled time). */
  reached = -Infinity;
  readonly seen: Uint32Array;
  readonly done: Uint32Array;
  private readonly want: Uint32Array;
  private readonly marks: RunMarks;
  readonly heap: IndexedHeap;
  private pending = -1;
  private folded = 0;

  constructor(readonly g: SearchGraph) {
    const N = g.nodes, n = g.inputNodes;
    this.dist = new Float64Array(N);
    this.origin = new Int32Array(N);
    this.pred = new Int32Array(N);
    this.order = new Uint32Array(N);
    this.marks = new RunMarks(N);
    ({ seen: this.seen, done: this.done, want: this.want } = this.marks);
    this.heap = new IndexedHeap(N);
    if (g.expanded) {
      this.rdist = new Float64Array(n);
      this.rorigin = new Int32Array(n);
      this.rpred = new Int32Array(n);
      this.rdone = new Uint32Array(n);
      this.rsettled = new Uint32Array(n);
    } else {
      ({ dist: this.rdist, origin: this.rorigin, pred: this.rpred, done: this.rdone, order: this.rsettled } = this);
    }
  }

  /** A new run: empty queue, nothing seen. */
  start(): void {
    this.gen = this.marks.next();
    this.heap.clear();
    this.count = 0;
    this.rcount = 0;
    this.folded = 0;
    this.pending = -1;
    this.reached = -Infinity;
    if (this.g.expanded && this.gen === 1) this.rdone.fill(0);
  }

  /** Offers search node v at d seconds from source o by search edge e (FROM_SOURCE for a seed). */
  relax(v: number, d: number, o: number, e: number): void {
    const gen = this.gen;
    if (this.seen[v] === gen) {
      if (d > this.dist[v] || (d === this.dist[v] && o >= this.origin[v])) return;
      this.origin[v] = o;
      this.pred[v] = e;
      if (d < this.dist[v]) { this.dist[v] = d; this.heap.lower(v, d); }
      return;
    }
    this.seen[v] = gen;
    this.dist[v] = d;
    this.origin[v] = o;
    this.pred[v] = e;
    this.heap.push(v, d);
  }

  /**
   * Marks real nodes whose settling ends the run (point-to-point). Returns how many distinct ones (0 = none: the
   * caller runs nothing).
   */
  wantAll(nodes: readonly number[]): number {
    let pending = 0;
    const want = this.want, gen = this.gen;
    for (let i = 0; i < nodes.length; i++) if (want[nodes[i]] !== gen) { want[nodes[i]] = gen; pending++; }
    this.pending = pending;
    return pending;
  }

  /** Drops the wanted nodes: the next settle goes on to its cutoff. */
  wantNone(): void {
    this.pending = -1;
  }

  /** Settles search nodes up to `cutoff` seconds (or until every wanted real node has a settled copy). */
  settle(cutoff: number): void {
    const { first, target, weight, real } = this.g;
    const { dist, origin, pred, seen, done, want, order, heap } = this;
    const gen = this.gen;
    let pending = this.pending, count = this.count, reached = this.reached;
    while (heap.size > 0) {
      const u = heap.node[0];
      const du = heap.key[0];
      if (du > cutoff) break;
      heap.pop();
      done[u] = gen;
      order[count++] = u;
      reached = du;
      const o = origin[u];
      for (let e = first[u], end = first[u + 1]; e < end; e++) {
        const w = weight[e];
        if (!(w < Infinity)) continue;
        const v = target[e];
        if (done[v] === gen) continue;
        const nd = du + w;
        if (seen[v] !== gen) {
          seen[v] = gen;
          dist[v] = nd;
          origin[v] = o;
          pred[v] = e;
          heap.push(v, nd);
        } else if (nd < dist[v]) {
          dist[v] = nd;
          origin[v] = o;
          pred[v] = e;
          heap.lower(v, nd);
        } else if (nd === dist[v] && o < origin[v]) {
          origin[v] = o;
          pred[v] = e;
        }
      }
      // (Stopping after the node's edges are relaxed, so extend can go on from here.)
      const r = real[u];
      if (want[r] === gen) {
        want[r] = 0;
        if (--pending === 0) break;
      }
    }
    if (pending !== 0 && heap.size > 0 && cutoff > reached) reached = cutoff;
    this.pending = pending;
    this.count = count;
    this.reached = reached;
    if (this.g.expanded) this.fold();
    else this.rcount = count;
  }

  /** Real-node view of the nodes settled since the last fold (settling order = ascending time). */
  private fold(): void {
    const { real, edgeOf } = this.g;
    const { dist, origin, pred, order, rdist, rorigin, rpred, rdone, rsettled } = this;
    const gen = this.gen;
    for (let i = this.folded; i < this.count; i++) {
      const u = order[i], r = real[u];
      if (rdone[r] !== gen) {
        rdone[r] = gen;
        rdist[r] = dist[u];
        rorigin[r] = origin[u];
        rpred[r] = pred[u] >= 0 ? edgeOf[pred[u]] : FROM_SOURCE;
        rsettled[this.rcount++] = r;
      } else if (dist[u] === rdist[r] && origin[u] < rorigin[r]) {
        rorigin[r] = origin[u];
        rpred[r] = pred[u] >= 0 ? edgeOf[pred[u]] : FROM_SOURCE;
      }
    }
    this.folded = this.count;
  }

  /** Whether the queue is empty (every reachable search node settled). */
  get exhausted(): boolean {
    return this.heap.size === 0;
  }

  /** A real node's time: the least over its copies of their (possibly tentative) labels; Infinity when unseen. */
  tentative(x: number): number {
    const gen = this.gen, seen = this.seen, dist = this.dist;
    let t = seen[x] === gen ? dist[x] : Infinity;
    if (this.g.expanded) {
      const { copyFirst, copyNode } = this.g;
      for (let k = copyFirst[x]; k < copyFirst[x + 1]; k++) {
        const c = copyNode[k];
        if (seen[c] === gen && dist[c] < t) t = dist[c];
      }
    }
    return t;
  }

  /** A real node's final time (its first settled copy), Infinity when none is settled. */
  final(x: number): number {
    return this.rdone[x] === this.gen ? this.rdist[x] : Infinity;
  }

  /**
   * Earliest time at which input edge e can be left by from its tail, over the search nodes allowed to take it
   * (turn penalty included); `settledOnly`: final labels only. NaN when the tail is no junction of the expansion
   * (the caller reads the tail's time).
   */
  entry(e: number, settledOnly: boolean): number {
    const { entryFirst, entryNode, entryPen } = this.g;
    const gen = this.gen, mark = settledOnly ? this.done : this.seen, dist = this.dist;
    let t = Infinity;
    for (let k = entryFirst[e]; k < entryFirst[e + 1]; k++) {
      const s = entryNode[k];
      if (mark[s] === gen && dist[s] + entryPen[k] < t) t = dist[s] + entryPen[k];
    }
    return t;
  }

  /**
   * Goes on with the run until the entry times of these input edges are final (an entry is final once it is at most
   * the time reached: every copy not settled yet arrives later). With turn copies, the first settled copy of a node
   * fixes its time but not yet which turns are open at that time. Unenterable edges make it run to exhaustion.
   */
  finishEntries(edges: readonly number[], limit = Infinity): void {
    if (!this.g.expanded) return;
    for (;;) {
      if (this.heap.size === 0 || this.reached >= limit) return;
      let bound = -Infinity, unknown = false;
      for (const e of edges) {
        const t = this.entry(e, false);
        if (t === Infinity) unknown = true;
        else if (t > this.reached && t > bound) bound = t;
      }
      this.pending = -1;
      if (bound > this.reached) this.settle(Math.min(bound, limit));
      else if (unknown) this.settle(Math.min(limit, Math.max(2 * this.reached, this.reached + 60)));
      else return;
    }
  }

  /** Like entry, also giving the fastest source of that time in `this.entryOrigin`. */
  entryWithOrigin(e: number): number {
    const { entryFirst, entryNode, entryPen } = this.g;
    const gen = this.gen, done = this.done, dist = this.dist;
    let t = Infinity, o = -1;
    for (let k = entryFirst[e]; k < entryFirst[e + 1]; k++) {
      const s = entryNode[k];
      if (done[s] !== gen) continue;
      const d = dist[s] + entryPen[k];
      if (d < t || (d === t && this.origin[s] < o)) { t = d; o = this.origin[s]; }
    }
    this.entryOrigin = o;
    return t;
  }

  entryOrigin = -1;
}
