/**
 * Turn rules built into the search graph at load time (node splitting, only where needed).
 *
 * A search runs over a CSR (first / target / weight). Forbidden sequences of its edges (OSM turn restrictions:
 * from-edge, via-way edges, to-edge) are obeyed by giving a node one copy per "history that matters": a copy is a
 * proper prefix of some forbidden sequence that ends at the node (an Aho–Corasick state over edge sequences). The
 * original node stands for every other history and keeps all its edges; a copy keeps only the continuations that
 * complete no forbidden sequence, and an edge whose traversal starts or extends a prefix leads to that prefix's copy.
 * Places without restrictions keep their node and edges exactly as they are.
 *
 * Turn penalties (left / right / U-turn seconds) need the incoming edge at a junction: with any penalty on, every
 * edge into a junction ("split" node) starts a prefix of its own, so every arrival at a junction is a copy that knows
 * its last edge, and the penalty of a turn is added to the weight of the edge that leaves the copy.
 *
 * The model (documented assumption, the same in the plain and the contracted search):
 * - a U-turn at a junction or a dead end is a turn like any other: allowed unless a restriction forbids it
 *   (no_u_turn), costs uTurnSeconds;
 * - a U-turn mid-block (at a shape point between junctions) is allowed and costs only its driving time (a turn-around
 *   in a driveway or on the road): the contracted search models it with a turn-around edge per chain end;
 * - a source (station) exactly on a node starts there with no history: every turn is open to it.
 */
import { edgeSources, type RoadGraph } from './graph';

/** The turn rules a search obeys (derived from the speed profile: profile.ts turnRules). */
export interface TurnRules {
  /** Obey the graph's turn restrictions (false = emergency: ignore them). */
  restrictions: boolean;
  uTurnSeconds: number;
  leftTurnSeconds: number;
  rightTurnSeconds: number;
}

/** Obey turn restrictions, no turn penalties (what a search does when no rules are given). */
export const OBEY_RESTRICTIONS: Readonly<TurnRules> = Object.freeze({ restrictions: true, uTurnSeconds: 0, leftTurnSeconds: 0, rightTurnSeconds: 0 });

export const hasPenalties = (r: TurnRules): boolean => r.uTurnSeconds > 0 || r.leftTurnSeconds > 0 || r.rightTurnSeconds > 0;

/** A CSR the search runs on: the plain road graph or the contracted graph over junctions. */
export interface SearchInput {
  nodeCount: number;
  first: Uint32Array;
  target: Uint32Array;
  weight: ArrayLike<number>;
  /** Forbidden sequences of this CSR's edges (at least two edges each, consecutive). */
  sequences: readonly (readonly number[])[];
  /** Nodes where every arrival keeps its incoming edge (turn penalties), or null. */
  split: Uint8Array | null;
  /** Seconds added when leaving a node by edge f after arriving by edge a (this CSR's edge ids), or null. */
  penalty: ((a: number, f: number) => number) | null;
}

/** The graph a search runs on: input nodes first (ids unchanged), then the copies. */
export interface SearchGraph {
  /** Number of input nodes (real nodes) and of search nodes. */
  inputNodes: number;
  nodes: number;
  first: Uint32Array;
  target: Uint32Array;
  weight: Float64Array;
  /** Input node of every search node. */
  real: Int32Array;
  /** Input edge of every search edge. */
  edgeOf: Int32Array;
  /** Whether copies exist (false: the search graph is the input graph itself). */
  expanded: boolean;
  /** Per input node, its copies: copyNode[copyFirst[x] .. copyFirst[x+1]-1] (expanded only). */
  copyFirst: Uint32Array;
  copyNode: Uint32Array;
  /** Search node reached by traversing input edge e with no prior history (a copy or head(e)). */
  enter: Int32Array;
  /**
   * Per input edge e, the search nodes at its tail that may leave by it, with the seconds added on leaving
   * (turn penalty): entryNode / entryPen[entryFirst[e] .. entryFirst[e+1]-1] (expanded only).
   */
  entryFirst: Uint32Array;
  entryNode: Uint32Array;
  entryPen: Float64Array;
}

const EMPTY_U32 = Object.freeze(new Uint32Array(0)) as Uint32Array;
const EMPTY_F64 = Object.freeze(new Float64Array(0)) as Float64Array;

/** Tail node of every edge of a CSR. */
function tails(n: number, first: Uint32Array): Uint32Array {
  const t = new Uint32Array(first[n]);
  for (let u = 0; u < n; u++) t.fill(u, first[u], first[u + 1]);
  return t;
}

/** A trie over edge sequences: node 0 is the root; `bad` marks complete forbidden sequences. */
interface Trie {
  child: Map<number, number>[];
  bad: boolean[];
  last: number[];
}

function trieAdd(t: Trie, seq: readonly number[], len: number, bad: boolean): void {
  let at = 0;
  for (let i = 0; i < len; i++) {
    let c = t.child[at].get(seq[i]);
    if (c === undefined) {
      c = t.child.length;
      t.child.push(new Map());
      t.bad.push(false);
      t.last.push(seq[i]);
      t.child[at].set(seq[i], c);
    }
    at = c;
  }
  if (bad) t.bad[at] = true;
}

/** The trie node of seq[from ..], or -1. */
function trieFind(t: Trie, seq: readonly number[], from: number): number {
  let at = 0;
  for (let i = from; i < seq.length && at >= 0; i++) at = t.child[at].get(seq[i]) ?? -1;
  return at;
}

/** Builds the search graph (see the module comment). Without sequences and split nodes: the input itself. */
export function expandTurns(inp: SearchInput): SearchGraph {
  const n = inp.nodeCount, m = inp.first[n];
  const { first, target } = inp;
  const tail = inp.sequences.length ? tails(n, first) : EMPTY_U32; // only sequences need the tails
  const trie: Trie = { child: [new Map()], bad: [false], last: [-1] };
  for (const seq of inp.sequences) {
    if (seq.length < 2 || seq.some((e) => !(e >= 0 && e < m))) continue;
    let ok = true;
    for (let i = 1; i < seq.length; i++) if (target[seq[i - 1]] !== tail[seq[i]]) ok = false;
    if (!ok) continue;
    trieAdd(trie, seq, seq.length, true);
  }
  // Proper prefixes of forbidden sequences are the states (a prefix that is itself forbidden is never reached).
  if (inp.split) for (let e = 0; e < m; e++) if (inp.split[target[e]]) trieAdd(trie, [e], 1, false);
  const T = trie.child.length;
  if (T === 1) return identity(inp);
  // State ids: trie node k (k ≥ 1, not bad) → search node n + stateIdx[k]; its sequence, rebuilt on the way down.
  const stateOf = new Int32Array(T).fill(-1);
  const seqOf: number[][] = new Array<number[]>(T);
  seqOf[0] = [];
  const order: number[] = [0];
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    for (const [e, c] of trie.child[k]) { seqOf[c] = [...seqOf[k], e]; order.push(c); }
  }
  let copies = 0;
  for (const k of order) if (k > 0 && !trie.bad[k]) stateOf[k] = n + copies++;
  const N = n + copies;
  const real = new Int32Array(N);
  for (let x = 0; x < n; x++) real[x] = x;
  const stateSeq: number[][] = [];
  for (const k of order) if (stateOf[k] >= 0) { real[stateOf[k]] = target[trie.last[k]]; stateSeq[stateOf[k] - n] = seqOf[k]; }
  /** Search node after history `h` (longest suffix that is a state), or -2 when a suffix is forbidden. */
  const next = (h: number[]): number => {
    for (let i = 0; i < h.length; i++) {
      const k = trieFind(trie, h, i);
      if (k < 0) continue;
      if (trie.bad[k]) return -2;
      if (stateOf[k] >= 0) {
        // A shorter forbidden suffix still forbids.
        for (let j = i + 1; j < h.length - 1; j++) { const q = trieFind(trie, h, j); if (q >= 0 && trie.bad[q]) return -2; }
        return stateOf[k];
      }
    }
    return target[h[h.length - 1]];
  };
  const enter = new Int32Array(m);
  for (let e = 0; e < m; e++) { const k = trie.child[0].get(e); enter[e] = k !== undefined && stateOf[k] >= 0 ? stateOf[k] : target[e]; }
  const sFirst = new Uint32Array(N + 1);
  const sTarget: number[] = [], sWeight: number[] = [], sEdge: number[] = [], sPen: number[] = [];
  const w = inp.weight, pen = inp.penalty;
  for (let s = 0; s < N; s++) {
    const x = real[s];
    const h = s < n ? null : stateSeq[s - n];
    for (let f = first[x]; f < first[x + 1]; f++) {
      if (!(w[f] < Infinity)) continue;
      const v = h ? next([...h, f]) : enter[f];
      if (v === -2) continue;
      const p = h && pen ? pen(h[h.length - 1], f) : 0;
      sTarget.push(v); sWeight.push(w[f] + p); sEdge.push(f); sPen.push(p);
    }
    sFirst[s + 1] = sTarget.length;
  }
  // Per input edge: the search nodes that may leave by it.
  const M = sTarget.length;
  const entryFirst = new Uint32Array(m + 1);
  for (let k = 0; k < M; k++) entryFirst[sEdge[k] + 1]++;
  for (let e = 0; e < m; e++) entryFirst[e + 1] += entryFirst[e];
  const fill = entryFirst.slice(0, m), entryNode = new Uint32Array(M), entryPen = new Float64Array(M);
  for (let s = 0; s < N; s++)
    for (let k = sFirst[s]; k < sFirst[s + 1]; k++) { const at = fill[sEdge[k]]++; entryNode[at] = s; entryPen[at] = sPen[k]; }
  const copyFirst = new Uint32Array(n + 1);
  for (let s = n; s < N; s++) copyFirst[real[s] + 1]++;
  for (let x = 0; x < n; x++) copyFirst[x + 1] += copyFirst[x];
  const cf = copyFirst.slice(0, n), copyNode = new Uint32Array(N - n);
  for (let s = n; s < N; s++) copyNode[cf[real[s]]++] = s;
  return {
    inputNodes: n, nodes: N, first: sFirst, target: Uint32Array.from(sTarget), weight: Float64Array.from(sWeight),
    real, edgeOf: Int32Array.from(sEdge), expanded: true, copyFirst, copyNode, enter, entryFirst, entryNode, entryPen,
  };
}

function identity(inp: SearchInput): SearchGraph {
  const n = inp.nodeCount, m = inp.first[n];
  const real = new Int32Array(n), edgeOf = new Int32Array(m);
  for (let x = 0; x < n; x++) real[x] = x;
  for (let e = 0; e < m; e++) edgeOf[e] = e;
  // entering an edge leads to its head: the targets themselves, read as Int32 (node ids are below 2^31), not a copy
  const enter = new Int32Array(inp.target.buffer, inp.target.byteOffset, m);
  return {
    inputNodes: n, nodes: n, first: inp.first, target: inp.target, weight: Float64Array.from(inp.weight), real, edgeOf,
    expanded: false, copyFirst: EMPTY_U32, copyNode: EMPTY_U32, enter, entryFirst: EMPTY_U32, entryNode: EMPTY_U32, entryPen: EMPTY_F64,
  };
}

/** The graph's turn restrictions as sequences of edge ids (empty when it has none). */
export function graphRestrictions(g: RoadGraph): number[][] {
  const out: number[][] = [];
  const f = g.restrFirst, r = g.restrEdges;
  if (!f || !r) return out;
  for (let k = 0; k + 1 < f.length; k++) out.push(Array.from(r.subarray(f[k], f[k + 1])));
  return out;
}

/** The reverse of every directed edge (same rule as the spatial index: opposite direction, same length), or -1. */
export function reverseEdges(g: RoadGraph): Int32Array {
  const src = edgeSources(g), twin = new Int32Array(g.edgeCount).fill(-1);
  for (let e = 0; e < g.edgeCount; e++) {
    if (twin[e] >= 0) continue;
    const u = src[e], v = g.target[e];
    for (let f = g.firstEdge[v]; f < g.firstEdge[v + 1]; f++)
      if (g.target[f] === u && twin[f] < 0 && f !== e && g.lengthM[f] === g.lengthM[e]) { twin[e] = f; twin[f] = e; break; }
  }
  return twin;
}

/**
 * Chain interiors (shape points): exactly two neighbours, joined both ways, no other edge, the same usability each
 * way through. Every other node is a junction; so is every node named in `forced` (ends of restricted edges).
 * (Closed loops of interiors are left to the caller.)
 */
export function chainInteriors(g: RoadGraph, sec: ArrayLike<number>, twin: Int32Array, forced: Uint8Array | null): Uint8Array {
  const n = g.nodeCount, { firstEdge, target } = g;
  const indeg = new Uint32Array(n);
  for (let e = 0; e < g.edgeCount; e++) indeg[target[e]]++;
  const fin = (e: number) => e >= 0 && sec[e] < Infinity;
  const interior = new Uint8Array(n);
  for (let w = 0; w < n; w++) {
    const e1 = firstEdge[w], e2 = e1 + 1;
    if (firstEdge[w + 1] - e1 !== 2 || indeg[w] !== 2 || (forced && forced[w])) continue;
    const p = target[e1], q = target[e2];
    if (p === q || p === w || q === w || twin[e1] < 0 || twin[e2] < 0) continue;
    if (fin(twin[e1]) !== fin(e2) || fin(twin[e2]) !== fin(e1)) continue;
    interior[w] = 1;
  }
  return interior;
}

/**
 * Junctions of the contracted graph: not a chain interior (chainInteriors), plus the smallest node of every closed
 * loop of interiors. 1 = junction.
 */
export function junctionMask(g: RoadGraph, sec: ArrayLike<number>, twin: Int32Array, forced: Uint8Array | null): Uint8Array {
  const interior = chainInteriors(g, sec, twin, forced);
  const n = g.nodeCount, { firstEdge, target } = g;
  const seen = new Uint8Array(n);
  const stack: number[] = [];
  for (let x = 0; x < n; x++) {
    if (!interior[x] || seen[x]) continue;
    // The interiors joined to x: a closed loop when none of them touches a junction.
    let loop = true, least = x;
    seen[x] = 1;
    stack.push(x);
    while (stack.length) {
      const w = stack.pop()!;
      if (w < least) least = w;
      for (let e = firstEdge[w]; e < firstEdge[w + 1]; e++) {
        const v = target[e];
        if (!interior[v]) loop = false;
        else if (!seen[v]) { seen[v] = 1; stack.push(v); }
      }
    }
    if (loop) interior[least] = 0;
  }
  for (let x = 0; x < n; x++) interior[x] = interior[x] ? 0 : 1;
  return interior;
}

/** Nodes at either end of an edge of a restriction (they stay junctions in the contracted graph). */
export function restrictedNodes(g: RoadGraph, sequences: readonly (readonly number[])[], tail: Uint32Array): Uint8Array | null {
  if (!sequences.length) return null;
  const mark = new Uint8Array(g.nodeCount);
  for (const s of sequences) for (const e of s) if (e >= 0 && e < g.edgeCount) { mark[tail[e]] = 1; mark[g.target[e]] = 1; }
  return mark;
}

/**
 * Turn penalty between real edges a (into node x) and f (out of x): uTurnSeconds when f leads back to a's tail,
 * else left / right by the change of heading (more than 45° counter-clockwise = left, clockwise = right; China
 * drives on the right, so a left turn crosses the oncoming traffic). Only at real junctions (`junctions`: junctionMask
 * without the nodes that restrictions force): a bend or turn-around at a shape point is free, whether or not a
 * restriction nearby makes the search split it.
 */
export function turnPenaltyFn(g: RoadGraph, tail: Uint32Array, r: TurnRules, junctions: Uint8Array): (a: number, f: number) => number {
  const { lon, lat, target } = g;
  const heading = (e: number) => {
    const u = tail[e], v = target[e];
    const k = Math.cos(((lat[u] + lat[v]) / 2e7) * (Math.PI / 180));
    return Math.atan2((lon[v] - lon[u]) * k, lat[v] - lat[u]) * (180 / Math.PI); // clockwise from north
  };
  return (a, f) => {
    // Mid-block (a shape point of the road itself, even where a restriction keeps it a search junction): no penalty.
    if (!junctions[target[a]]) return 0;
    if (target[f] === tail[a]) return r.uTurnSeconds;
    const turn = ((heading(f) - heading(a) + 540) % 360) - 180;
    return turn > 45 ? r.rightTurnSeconds : turn < -45 ? r.leftTurnSeconds : 0;
  };
}
