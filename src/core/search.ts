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

/** Least weight (seconds) for which settleAll's result does not depend on the order among equal times. */
const MIN_ORDER_FREE_S = 1e-6;

/** Puts (d, v) at position i of a 4-ary heap of size i + 1 and sifts it up. */
function push4(hk: Float64Array, hn: Uint32Array, i: number, d: number, v: number): void {
  while (i > 0) {
    const p = (i - 1) >> 2;
    if (hk[p] <= d) break;
    hk[i] = hk[p];
    hn[i] = hn[p];
    i = p;
  }
  hk[i] = d;
  hn[i] = v;
}

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
    this.prune = null;
    if (this.g.expanded && this.gen === 1) this.rdone.fill(0);
  }

  /** Offers search node v at d seconds from source o by search edge e (FROM_SOURCE for a seed). */
  relax(v: number, d: number, o: number, e: number): void {
    const gen = this.gen;
    if (this.done[v] === gen) return; // (settled already: presettle)
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
   * Takes nodes[from..to) as settled at the times `time[node]` (source 0, no predecessor edge) and relaxes their
   * edges into the other nodes: settle then goes on as if it had settled them itself. For a single-source run whose
   * times at these nodes are known to be final (ChainPaths.runKnown); without turn copies only (search node = node).
   */
  presettle(nodes: Int32Array, from: number, to: number, time: Float64Array): void {
    const { first, target, weight } = this.g;
    const { dist, origin, pred, seen, done } = this;
    const gen = this.gen;
    for (let i = from; i < to; i++) {
      const w = nodes[i];
      seen[w] = gen;
      done[w] = gen;
      dist[w] = time[w];
      origin[w] = 0;
      pred[w] = FROM_SOURCE;
    }
    for (let i = from; i < to; i++) {
      const w = nodes[i], dw = dist[w];
      for (let e = first[w], end = first[w + 1]; e < end; e++) {
        const v = target[e];
        if (done[v] !== gen && weight[e] < Infinity) this.relax(v, dw + weight[e], 0, e);
      }
    }
  }

  /**
   * Makes the next settles of this run (until start) skip what cannot lie on a fastest path to a node whose excess is
   * at most `limit`. `base`: every node's time from a set of sources that includes this run's (a multi-source run); a
   * node's excess is its time here minus its base time. Along a fastest path the excess never grows (the base obeys
   * the triangle inequality), so a node offered with an excess over the limit is not queued: every node whose excess
   * is at most the limit keeps settle's exact time and order; the others may be missing or too large (the caller
   * checks, ChainPaths.runKnown). Single source, no wanted nodes, no turn copies.
   */
  pruneAbove(limit: number, base: Float64Array): void {
    this.prune = { base, limit };
  }

  private prune: { base: Float64Array; limit: number } | null = null;

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

  /**
   * Settles search nodes up to `cutoff` seconds (or until every wanted real node has a settled copy). The heap's
   * pop, push and lower (heap.ts) are written out here on its arrays, step for step the same, so the order of
   * settling is exactly theirs (this loop is most of a run's time: ~1 M settled nodes on a city-sized graph).
   */
  settle(cutoff: number): void {
    if (this.prune) { this.settlePruned(cutoff); return; }
    const { first, target, weight, real } = this.g;
    const { dist, origin, pred, seen, done, want, order, heap } = this;
    const hn = heap.node, hk = heap.key, hp = heap.pos;
    const gen = this.gen;
    let pending = this.pending, count = this.count, reached = this.reached, size = heap.size;
    while (size > 0) {
      const u = hn[0];
      const du = hk[0];
      if (du > cutoff) break;
      // pop: the last entry sifted down from the root
      if (--size > 0) {
        const lv = hn[size], lk = hk[size];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && hk[c + 1] < hk[c]) c++;
          if (hk[c] >= lk) break;
          const cn = hn[c];
          hn[i] = cn;
          hk[i] = hk[c];
          hp[cn] = i;
          i = c;
        }
        hn[i] = lv;
        hk[i] = lk;
        hp[lv] = i;
      }
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
        let i: number;
        if (seen[v] !== gen) {
          seen[v] = gen;
          dist[v] = nd;
          origin[v] = o;
          pred[v] = e;
          i = size++; // push
        } else if (nd < dist[v]) {
          dist[v] = nd;
          origin[v] = o;
          pred[v] = e;
          i = hp[v]; // lower
        } else {
          if (nd === dist[v] && o < origin[v]) {
            origin[v] = o;
            pred[v] = e;
          }
          continue;
        }
        // sift up from i
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (hk[p] <= nd) break;
          const pn = hn[p];
          hn[i] = pn;
          hk[i] = hk[p];
          hp[pn] = i;
          i = p;
        }
        hn[i] = v;
        hk[i] = nd;
        hp[v] = i;
      }
      // (Stopping after the node's edges are relaxed, so extend can go on from here.)
      if (pending > 0) {
        const r = real[u];
        if (want[r] === gen) {
          want[r] = 0;
          if (--pending === 0) break;
        }
      }
    }
    heap.size = size;
    if (pending !== 0 && size > 0 && cutoff > reached) reached = cutoff;
    this.pending = pending;
    this.count = count;
    this.reached = reached;
    if (this.g.expanded) this.fold();
    else this.rcount = count;
  }

  /**
   * settle with pruneAbove's rule (single source, no wanted nodes, no turn copies): a node is queued only while its
   * excess is at most the limit.
   */
  private settlePruned(cutoff: number): void {
    const { first, target, weight } = this.g;
    const { dist, pred, seen, done, order, heap } = this;
    const { base, limit } = this.prune!;
    const hn = heap.node, hk = heap.key, hp = heap.pos;
    const gen = this.gen;
    let count = this.count, reached = this.reached, size = heap.size;
    while (size > 0) {
      const u = hn[0];
      const du = hk[0];
      if (du > cutoff) break;
      if (--size > 0) {
        const lv = hn[size], lk = hk[size];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && hk[c + 1] < hk[c]) c++;
          if (hk[c] >= lk) break;
          const cn = hn[c];
          hn[i] = cn;
          hk[i] = hk[c];
          hp[cn] = i;
          i = c;
        }
        hn[i] = lv;
        hk[i] = lk;
        hp[lv] = i;
      }
      done[u] = gen;
      order[count++] = u;
      reached = du;
      for (let e = first[u], end = first[u + 1]; e < end; e++) {
        const w = weight[e];
        if (!(w < Infinity)) continue;
        const v = target[e];
        if (done[v] === gen) continue;
        const nd = du + w;
        if (nd - base[v] > limit) continue;
        let i: number;
        if (seen[v] !== gen) {
          seen[v] = gen;
          dist[v] = nd;
          pred[v] = e;
          i = size++;
        } else if (nd < dist[v]) {
          dist[v] = nd;
          pred[v] = e;
          i = hp[v];
        } else continue;
        while (i > 0) {
          const q = (i - 1) >> 1;
          if (hk[q] <= nd) break;
          const qn = hn[q];
          hn[i] = qn;
          hk[i] = hk[q];
          hp[qn] = i;
          i = q;
        }
        hn[i] = v;
        hk[i] = nd;
        hp[v] = i;
      }
    }
    heap.size = size;
    if (size > 0 && cutoff > reached) reached = cutoff;
    this.count = count;
    this.reached = reached;
    this.rcount = count;
  }

  /**
   * Whether settleAll may be used: no turn copies, and every usable weight at least MIN_ORDER_FREE_S, so that a
   * node's predecessors on its fastest paths all have strictly smaller times than it (at any time below ~10⁹ s).
   */
  get orderFree(): boolean {
    if (this.positive === null) {
      let ok = !this.g.expanded;
      const w = this.g.weight;
      for (let e = 0; ok && e < w.length; e++) if (w[e] < MIN_ORDER_FREE_S) ok = false;
      this.positive = ok;
    }
    return this.positive;
  }

  /**
   * Settles every node reachable from the seeds (cutoff Infinity) with a 4-ary heap without decrease-key (a
   * better time is pushed again, the stale entry skipped): faster than settle on a whole city-sized graph. Only
   * where `orderFree`: there the final times and fastest sources (least index among equal times) do not depend on
   * the order among equal times, so they are settle's exactly; a predecessor may be another one of equal time.
   */
  settleAll(): void {
    const { first, target, weight } = this.g;
    const { dist, origin, pred, seen, done, order, heap } = this;
    const gen = this.gen;
    // The seeds (relax put them on the indexed heap) move to the lazy heap: its entries are a heap as they are.
    let size = heap.size, hk = this.lazyKey, hn = this.lazyNode;
    if (hk.length < 2 * size) { hk = this.lazyKey = new Float64Array(2 * size); hn = this.lazyNode = new Uint32Array(2 * size); }
    for (let i = 0; i < size; i++) push4(hk, hn, i, heap.key[i], heap.node[i]);
    heap.clear();
    let count = this.count, reached = this.reached;
    while (size > 0) {
      const u = hn[0], du = hk[0];
      // pop
      if (--size > 0) {
        const lk = hk[size], lv = hn[size];
        let i = 0;
        for (;;) {
          const c0 = 4 * i + 1;
          if (c0 >= size) break;
          let c = c0, ck = hk[c0];
          const cEnd = c0 + 4 < size ? c0 + 4 : size;
          for (let j = c0 + 1; j < cEnd; j++) if (hk[j] < ck) { ck = hk[j]; c = j; }
          if (ck >= lk) break;
          hk[i] = ck;
          hn[i] = hn[c];
          i = c;
        }
        hk[i] = lk;
        hn[i] = lv;
      }
      if (done[u] === gen || du > dist[u]) continue; // stale
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
        } else if (nd < dist[v]) {
          dist[v] = nd;
          origin[v] = o;
          pred[v] = e;
        } else {
          if (nd === dist[v] && o < origin[v]) {
            origin[v] = o;
            pred[v] = e;
          }
          continue;
        }
        if (size === hk.length) {
          const k2 = new Float64Array(2 * size), n2 = new Uint32Array(2 * size);
          k2.set(hk); n2.set(hn);
          this.lazyKey = hk = k2; this.lazyNode = hn = n2;
        }
        push4(hk, hn, size++, nd, v);
      }
    }
    this.pending = -1;
    this.count = count;
    this.reached = reached;
    this.rcount = count;
  }

  private positive: boolean | null = null;
  private lazyKey = new Float64Array(1024);
  private lazyNode = new Uint32Array(1024);

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
