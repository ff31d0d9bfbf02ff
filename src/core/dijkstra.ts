/**
 * Dijkstra on the CSR road graph: typed arrays only, an indexed binary heap on typed arrays, buffers allocated
 * once per instance and invalidated by a generation counter (no refill between runs). Sources start mid-edge.
 * A run labels every reached node with its travel seconds, its predecessor edge and its fastest source
 * (multi-source = network Voronoi). Results stay valid until the next run on the same instance.
 */
import { edgeSources, type RoadGraph } from './graph';
import { IndexedHeap, RunMarks } from './heap';

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

/** Predecessor value of a node reached directly from its source's snapped edge. */
export const FROM_SOURCE = -1;

export class ShortestPaths {
  readonly dist: Float64Array;
  readonly pred: Int32Array;
  readonly origin: Int32Array;
  /** Settled nodes of the last run in settling order (first `settledCount`). */
  readonly settled: Uint32Array;
  settledCount = 0;
  private readonly marks: RunMarks;
  private readonly seen: Uint32Array;
  private readonly done: Uint32Array;
  /** Targets of the current run (`until`), stamped with the run's generation. */
  private readonly want: Uint32Array;
  private readonly heap: IndexedHeap;
  private gen = 0;
  private readonly tail: Uint32Array;

  constructor(readonly graph: RoadGraph, readonly seconds: Float32Array) {
    const n = graph.nodeCount;
    this.tail = edgeSources(graph);
    this.dist = new Float64Array(n);
    this.pred = new Int32Array(n);
    this.origin = new Int32Array(n);
    this.settled = new Uint32Array(n);
    this.marks = new RunMarks(n);
    ({ seen: this.seen, done: this.done, want: this.want } = this.marks);
    this.heap = new IndexedHeap(n);
  }

  /** Travel seconds to a node in the last run (Infinity when not reached). */
  time(node: number): number {
    return this.seen[node] === this.gen ? this.dist[node] : Infinity;
  }

  /**
   * Seconds at which the last run can enter directed edge e at its tail (Infinity when not reached). Equals
   * time(tail) where no turn restriction applies at the tail; read edge points through this (edgeTime.ts).
   */
  entryTime(e: number): number {
    return this.time(this.tail[e]);
  }

  /** Whether the node's time is final (settled, i.e. ≤ the cutoff) in the last run. */
  isSettled(node: number): boolean {
    return this.done[node] === this.gen;
  }

  /**
   * Runs from all sources at once. Nodes with time > cutoff are not settled (their time may be tentative).
   * `until`: stop as soon as all these nodes are settled (point-to-point queries; duplicates count once).
   */
  run(sources: readonly SourcePoint[], cutoff = Infinity, until?: readonly number[]): void {
    this.gen = this.marks.next();
    this.heap.clear();
    this.settledCount = 0;
    const sec = this.seconds;
    for (let s = 0; s < sources.length; s++) {
      const p = sources[s];
      const fwd = toHead(sec, p), back = toTail(sec, p);
      if (fwd < Infinity) this.relax(p.v, fwd, s, FROM_SOURCE);
      if (back < Infinity) this.relax(p.u, back, s, FROM_SOURCE);
    }
    this.pending = -1;
    if (until) {
      let pending = 0;
      for (let i = 0; i < until.length; i++) if (this.want[until[i]] !== this.gen) { this.want[until[i]] = this.gen; pending++; }
      if (pending === 0) return;
      this.pending = pending;
    }
    this.settle(cutoff);
  }

  /**
   * Goes on with the last run up to a larger cutoff (the same result as a fresh run to it; nothing else may have
   * run on this instance since). `until` targets of the last run no longer stop it.
   */
  extend(cutoff: number): void {
    this.pending = -1;
    this.settle(cutoff);
  }

  /** Whether the last run settled every node it can reach (its queue is empty). */
  get exhausted(): boolean {
    return this.heap.size === 0;
  }

  private pending = -1;

  private settle(cutoff: number): void {
    const sec = this.seconds;
    const { firstEdge, target } = this.graph;
    const dist = this.dist, done = this.done, origin = this.origin, want = this.want, gen = this.gen;
    let pending = this.pending;
    const heap = this.heap;
    while (heap.size > 0) {
      const u = heap.node[0];
      const du = heap.key[0];
      if (du > cutoff) break;
      heap.pop();
      done[u] = gen;
      this.settled[this.settledCount++] = u;
      const o = origin[u];
      for (let e = firstEdge[u], end = firstEdge[u + 1]; e < end; e++) {
        const w = sec[e];
        if (!(w < Infinity)) continue;
        const v = target[e];
        if (done[v] === gen) continue;
        const nd = du + w;
        if (this.seen[v] !== gen || nd < dist[v]) this.relax(v, nd, o, e);
        else if (nd === dist[v] && o < origin[v]) { origin[v] = o; this.pred[v] = e; }
      }
      // (Stopping after the node's edges are relaxed, so extend can go on from here.)
      if (want[u] === gen && --pending === 0) break;
    }
    this.pending = pending;
  }

  private relax(v: number, d: number, o: number, e: number): void {
    if (this.seen[v] === this.gen) {
      if (d > this.dist[v] || (d === this.dist[v] && o >= this.origin[v])) return;
      this.dist[v] = d;
      this.origin[v] = o;
      this.pred[v] = e;
      this.heap.lower(v, d);
      return;
    }
    this.seen[v] = this.gen;
    this.dist[v] = d;
    this.origin[v] = o;
    this.pred[v] = e;
    this.heap.push(v, d);
  }
}

/** Travel seconds from the last run's sources to a point on a segment (the target's own snap). */
export function timeToPoint(sp: ShortestPaths, sources: readonly SourcePoint[], to: SourcePoint): { seconds: number; via: 'u' | 'v' | 'direct'; source: number } {
  const sec = sp.seconds;
  let best = Infinity, via: 'u' | 'v' | 'direct' = 'u', src = -1;
  // Enter at u, drive u→v for t of the edge.
  const fwd = sec[to.edge], back = to.reverse >= 0 ? sec[to.reverse] : Infinity;
  // Arrive from u (drive t of u→v) or from v (drive 1 − t of v→u); a target on a node needs no edge at all.
  const cu = to.t === 0 ? sp.time(to.u) : sp.time(to.u) + to.t * fwd;
  if (cu < Infinity) { best = cu; via = 'u'; src = sp.origin[to.u]; }
  const cv = to.t === 1 ? sp.time(to.v) : sp.time(to.v) + (1 - to.t) * back;
  if (cv < best) { best = cv; via = 'v'; src = sp.origin[to.v]; }
  // A source on the same segment drives straight along it.
  for (let s = 0; s < sources.length; s++) {
    const p = sources[s];
    if (p.edge !== to.edge) continue;
    const c = to.t === p.t ? 0 : to.t > p.t ? (to.t - p.t) * fwd : (p.t - to.t) * back;
    if (c < best || (c === best && via !== 'direct' && s < src)) { best = c; via = 'direct'; src = s; }
  }
  return { seconds: best, via, source: src };
}
