/**
 * The road graph with its degree-2 nodes contracted away, for ChainPaths (see chains.ts): chains of shape points
 * between junctions with their positions and seconds from either end, the interior nodes' junctions, and the
 * contracted graph over junctions with its turn copies. `twin`: each directed edge's reverse edge (the spatial index's
 * pairs). Pure.
 */
import { edgeSources, type RoadGraph } from './graph';
import { expandTurns, graphRestrictions, hasPenalties, junctionMask, restrictedNodes, turnPenaltyFn, type SearchGraph, type SearchInput, type TurnRules } from './turns';

/** The arrays ChainPaths keeps (each field is described where ChainPaths declares it). */
export interface ChainGraph {
  tail: Uint32Array;
  nodePos: Int32Array;
  edgePos: Int32Array;
  edgeFwd: Uint8Array;
  junctions: number;
  posChain: Int32Array;
  posNode: Int32Array;
  posF: Float64Array;
  posB: Float64Array;
  chainFirst: Int32Array;
  chainLast: Int32Array;
  jNode: Int32Array;
  iNode: Int32Array;
  iA: Int32Array;
  iB: Int32Array;
  iF: Float64Array;
  iBk: Float64Array;
  iC: Int32Array;
  nodeK: Int32Array;
  ceFwd: Int32Array;
  ceBwd: Int32Array;
  cTail: Uint32Array;
  sg: SearchGraph;
}

export function contractChains(graph: RoadGraph, seconds: Float32Array, twin: Int32Array, rules: TurnRules): ChainGraph {
  const g = graph, n = g.nodeCount, m = g.edgeCount, sec = seconds;
  const tail = edgeSources(g);
  const { firstEdge, target } = g;
  const sequences = rules.restrictions ? graphRestrictions(g) : [];
  const penalties = hasPenalties(rules);
  const turns = sequences.length > 0 || penalties;
  const junction = junctionMask(g, sec, twin, restrictedNodes(g, sequences, tail));
  const interior = new Uint8Array(n);
  for (let x = 0; x < n; x++) interior[x] = junction[x] ? 0 : 1;

  const nodePos = new Int32Array(n).fill(-1);
  const edgePos = new Int32Array(m).fill(-1);
  const edgeFwd = new Uint8Array(m);
  const posChain: number[] = [], posNode: number[] = [], posF: number[] = [], posB: number[] = [], posEdge: number[] = [];
  const chainFirst: number[] = [], chainLast: number[] = [];
  /** Contracted edges: tail, head, seconds, first and last real edge, chain (-1: a turn-around) and direction. */
  const cs: number[] = [], ct: number[] = [], cw: number[] = [], cFirstReal: number[] = [], cLastReal: number[] = [], cChain: number[] = [];
  const addEdge = (x: number, y: number, w: number, fr: number, lr: number, chain: number) => {
    cs.push(x); ct.push(y); cw.push(w); cFirstReal.push(fr); cLastReal.push(lr); cChain.push(chain);
  };
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
      edgePos[f] = i; edgeFwd[f] = 1;
      if (twin[f] >= 0) { edgePos[twin[f]] = i; edgeFwd[twin[f]] = 0; }
      posChain.push(c); posNode.push(cur); posF.push(posF[i] + sec[f]);
      if (!interior[cur]) break;
      nodePos[cur] = i + 1;
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
    // (A chain back to its own junction is kept: with turn rules, driving round it changes the arrival.)
    if (posF[last] < Infinity) addEdge(x, cur, posF[last], posEdge[first], posEdge[last - 1], c);
    if (posB[first] < Infinity) addEdge(cur, x, posB[first], twin[posEdge[last - 1]], twin[posEdge[first]], -1 - c);
    if (turns && last - first >= 2) {
      // Turn-arounds at the chain's first shape point from either end (a U-turn mid-block is free, turns.ts).
      const e1 = posEdge[first], r1 = twin[e1], el = posEdge[last - 1], rl = twin[el];
      if (sec[e1] < Infinity && r1 >= 0 && sec[r1] < Infinity) addEdge(x, x, sec[e1] + sec[r1], e1, r1, -(1 << 30));
      if (rl >= 0 && sec[rl] < Infinity && sec[el] < Infinity) addEdge(cur, cur, sec[rl] + sec[el], rl, el, -(1 << 30));
    }
  };
  for (let x = 0; x < n; x++) if (!interior[x]) for (let e = firstEdge[x]; e < firstEdge[x + 1]; e++) if (edgePos[e] < 0) walk(x, e);
  const junctions = n - interior.reduce((s, v) => s + v, 0);
  const posChainA = Int32Array.from(posChain);
  const posNodeA = Int32Array.from(posNode);
  const posFA = Float64Array.from(posF);
  const posBA = Float64Array.from(posB);
  const chainFirstA = Int32Array.from(chainFirst);
  const chainLastA = Int32Array.from(chainLast);
  const jNode = new Int32Array(junctions);
  for (let x = 0, k = 0; x < n; x++) if (!interior[x]) jNode[k++] = x;
  const inner = posNode.length - 2 * chainFirst.length;
  const iNode = new Int32Array(inner); const iA = new Int32Array(inner); const iB = new Int32Array(inner);
  const iF = new Float64Array(inner); const iBk = new Float64Array(inner);
  const iC = new Int32Array(inner); const nodeK = new Int32Array(n).fill(-1);
  for (let c = 0, k = 0; c < chainFirst.length; c++)
    for (let p = chainFirst[c] + 1; p < chainLast[c]; p++, k++) {
      iNode[k] = posNode[p]; iA[k] = posNode[chainFirst[c]]; iB[k] = posNode[chainLast[c]];
      iF[k] = posF[p]; iBk[k] = posB[p];
      iC[k] = c; nodeK[posNode[p]] = k;
    }
  // Contracted edges grouped by their tail (counting sort); `at[k]`: the CSR id of contracted edge k.
  const cFirst = new Uint32Array(n + 1);
  for (const x of cs) cFirst[x + 1]++;
  for (let u = 0; u < n; u++) cFirst[u + 1] += cFirst[u];
  const fill = cFirst.slice(0, n);
  const M = cs.length, cTarget = new Uint32Array(M), cSec = new Float64Array(M), at = new Int32Array(M);
  const firstReal = new Int32Array(M), lastReal = new Int32Array(M);
  const ceFwd = new Int32Array(chainFirst.length).fill(-1);
  const ceBwd = new Int32Array(chainFirst.length).fill(-1);
  const ceOfReal = new Map<number, number>();
  for (let k = 0; k < M; k++) {
    const id = (at[k] = fill[cs[k]]++);
    cTarget[id] = ct[k]; cSec[id] = cw[k]; firstReal[id] = cFirstReal[k]; lastReal[id] = cLastReal[k];
    const c = cChain[k];
    if (c === -(1 << 30)) continue;
    if (c >= 0) ceFwd[c] = id;
    else ceBwd[-1 - c] = id;
    if (cFirstReal[k] === cLastReal[k]) ceOfReal.set(cFirstReal[k], id);
  }
  const cTail = new Uint32Array(M);
  for (let u = 0; u < n; u++) cTail.fill(u, cFirst[u], cFirst[u + 1]);
  // Restrictions on contracted edges: their edges are single-edge chains (their nodes are junctions); a sequence
  // with an undrivable edge can never be driven and is dropped.
  const cSeqs: number[][] = [];
  for (const seq of sequences) {
    const q = seq.map((e) => ceOfReal.get(e) ?? -1);
    if (q.every((x) => x >= 0)) cSeqs.push(q);
  }
  let penalty: SearchInput['penalty'] = null;
  if (penalties) {
    const real = turnPenaltyFn(g, tail, rules, junctionMask(g, sec, twin, null));
    penalty = (a, f) => real(lastReal[a], firstReal[f]);
  }
  const sg = expandTurns({ nodeCount: n, first: cFirst, target: cTarget, weight: cSec, sequences: cSeqs, split: penalties ? junction : null, penalty });
  return {
    tail, nodePos, edgePos, edgeFwd, junctions, posChain: posChainA, posNode: posNodeA, posF: posFA, posB: posBA,
    chainFirst: chainFirstA, chainLast: chainLastA, jNode, iNode, iA, iB, iF, iBk, iC, nodeK, ceFwd, ceBwd, cTail, sg,
  };
}
