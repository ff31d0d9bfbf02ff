/** Weakly connected pieces of the road graph, computed once per graph (union–find over edges). */
import { EdgeFlag, type RoadGraph } from './graph';

export interface Components {
  /** Component id per node (0 = largest, then by decreasing size). */
  id: Uint32Array;
  /** Node count per component id. */
  size: Uint32Array;
  count: number;
  /** Components smaller than this many nodes (and not the largest) are "isolated". */
  isolatedBelow: number;
}

/**
 * Edges with EdgeFlag.NoAccess do not connect (a gated estate is not reachable through its gate). Direction is
 * ignored (weak connectivity). `minNodes` defaults to max(20, 2 % of all nodes).
 */
export function computeComponents(graph: RoadGraph, minNodes?: number): Components {
  const n = graph.nodeCount;
  const parent = new Uint32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  // the root of a set is always its least node (the larger root goes under the smaller), so u's root is kept
  // across its edges instead of found again for each
  const { firstEdge, target, flags } = graph;
  for (let u = 0; u < n; u++) {
    let a = find(u);
    for (let e = firstEdge[u], end = firstEdge[u + 1]; e < end; e++) {
      if (flags[e] & EdgeFlag.NoAccess) continue;
      const b = find(target[e]);
      if (a < b) parent[b] = a;
      else if (b < a) { parent[a] = b; a = b; }
    }
  }
  // parent[x] ≤ x throughout, so in one rising pass parent[parent[i]] is already i's root: point every node at it
  const rootSize = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = parent[parent[i]];
    parent[i] = r;
    rootSize[r]++;
  }
  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (rootSize[i] > 0) roots.push(i);
  roots.sort((a, b) => rootSize[b] - rootSize[a] || a - b);
  const size = Uint32Array.from(roots.map((r) => rootSize[r]));
  // no new arrays: rootSize now maps a root to its component id, and parent becomes the id of every node
  const rootId = rootSize, id = parent;
  roots.forEach((r, k) => { rootId[r] = k; });
  for (let i = 0; i < n; i++) id[i] = rootId[parent[i]];
  return { id, size, count: roots.length, isolatedBelow: minNodes ?? Math.max(20, Math.ceil(n * 0.02)) };
}

/** Whether a node lies on a small piece of network cut off from the main one. */
export function isIsolatedNode(c: Components, node: number): boolean {
  const k = c.id[node];
  return k !== 0 && c.size[k] < c.isolatedBelow;
}

/**
 * Strongly connected components over the edges usable under a profile (finite seconds), Kosaraju with explicit
 * stacks. Returns a per-node mask of the largest one: the network a fire engine can both leave and reach
 * (clipped extracts have one-way roads that only lead out of, or only into, the area).
 */
export function mainStrongComponent(graph: RoadGraph, seconds: Float32Array, source: Uint32Array): Uint8Array {
  const n = graph.nodeCount;
  const { firstEdge, target } = graph;
  const { rFirst, rSrc } = reverseUsable(graph, seconds, source);
  // Pass 1: finish order on the forward graph.
  const order = new Uint32Array(n);
  let ord = 0;
  const seen = new Uint8Array(n);
  const stack = new Uint32Array(n), iter = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    if (seen[r]) continue;
    let sp = 0;
    stack[sp] = r; iter[sp] = firstEdge[r]; sp++; seen[r] = 1;
    while (sp > 0) {
      const u = stack[sp - 1];
      let e = iter[sp - 1];
      while (e < firstEdge[u + 1] && (!(seconds[e] < Infinity) || seen[target[e]])) e++;
      if (e < firstEdge[u + 1]) {
        iter[sp - 1] = e + 1;
        const v = target[e];
        seen[v] = 1;
        stack[sp] = v; iter[sp] = firstEdge[v]; sp++;
      } else {
        order[ord++] = u;
        sp--;
      }
    }
  }
  // Pass 2: components on the reverse graph in reverse finish order.
  const comp = new Int32Array(n).fill(-1);
  const sizes: number[] = [];
  for (let k = n - 1; k >= 0; k--) {
    const r = order[k];
    if (comp[r] >= 0) continue;
    const id = sizes.length;
    let size = 0, sp = 0;
    stack[sp++] = r; comp[r] = id;
    while (sp > 0) {
      const u = stack[--sp];
      size++;
      for (let i = rFirst[u]; i < rFirst[u + 1]; i++) {
        const v = rSrc[i];
        if (comp[v] < 0) { comp[v] = id; stack[sp++] = v; }
      }
    }
    sizes.push(size);
  }
  let best = 0;
  for (let i = 1; i < sizes.length; i++) if (sizes[i] > sizes[best]) best = i;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = comp[i] === best ? 1 : 0;
  return mask;
}

/** CSR of the usable edges (finite seconds) by head node: the tails of the edges into node i are rSrc[rFirst[i] .. rFirst[i+1]-1]. */
function reverseUsable(graph: RoadGraph, seconds: Float32Array, source: Uint32Array): { rFirst: Uint32Array; rSrc: Uint32Array } {
  const n = graph.nodeCount, m = graph.edgeCount, target = graph.target;
  const rFirst = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) if (seconds[e] < Infinity) rFirst[target[e] + 1]++;
  for (let i = 0; i < n; i++) rFirst[i + 1] += rFirst[i];
  const rFill = rFirst.slice(0, n), rSrc = new Uint32Array(rFirst[n]);
  for (let e = 0; e < m; e++) if (seconds[e] < Infinity) rSrc[rFill[target[e]]++] = source[e];
  return { rFirst, rSrc };
}

/**
 * How each node stands to the main network (mainStrongComponent) under a profile. A start may be anywhere the main
 * network can be driven to from (`leaves`), a destination anywhere it can be driven to (`reached`); both hold on
 * the main network itself. A node with neither is on a piece a fire engine can neither leave nor enter.
 */
export interface NetworkReach {
  /** Per node: 1 on the largest strongly connected network. */
  main: Uint8Array;
  /** Per node: 1 when some path of usable edges leads from it to the main network. */
  leaves: Uint8Array;
  /** Per node: 1 when some path of usable edges leads from the main network to it. */
  reached: Uint8Array;
}

/** Per node: 1 when some path of usable edges leads from a node of `main` to it (a linear sweep, explicit stack). */
function reachedFrom(graph: RoadGraph, seconds: Float32Array, main: Uint8Array, stack = new Uint32Array(graph.nodeCount)): Uint8Array {
  const n = graph.nodeCount, { firstEdge, target } = graph;
  const reached = Uint8Array.from(main);
  let sp = 0;
  for (let i = 0; i < n; i++) if (main[i]) stack[sp++] = i;
  while (sp > 0) {
    const u = stack[--sp];
    for (let e = firstEdge[u]; e < firstEdge[u + 1]; e++) {
      const v = target[e];
      if (!reached[v] && seconds[e] < Infinity) { reached[v] = 1; stack[sp++] = v; }
    }
  }
  return reached;
}

/** Forward and backward closure of the main network over usable edges (two linear sweeps with explicit stacks). */
export function networkReach(graph: RoadGraph, seconds: Float32Array, source: Uint32Array, main: Uint8Array = mainStrongComponent(graph, seconds, source)): NetworkReach {
  const n = graph.nodeCount;
  const reached = reachedFrom(graph, seconds, main), leaves = Uint8Array.from(main);
  const stack = new Uint32Array(n);
  let sp = 0;
  const { rFirst, rSrc } = reverseUsable(graph, seconds, source);
  for (let i = 0; i < n; i++) if (main[i]) stack[sp++] = i;
  while (sp > 0) {
    const v = stack[--sp];
    for (let k = rFirst[v]; k < rFirst[v + 1]; k++) {
      const u = rSrc[k];
      if (!leaves[u]) { leaves[u] = 1; stack[sp++] = u; }
    }
  }
  return { main, leaves, reached };
}

/**
 * The main network and how every node stands to it (mainStrongComponent + networkReach) in one forward pass of
 * Tarjan's algorithm (explicit stacks, typed arrays, no reverse graph) and one forward sweep: Tarjan completes the
 * strongly connected components in reverse topological order, so a component leads to the main network when it is
 * the main one or has a usable edge into a component, completed before it, that does. The same answer as
 * networkReach(graph, seconds, source) in every case: when two components tie for the largest, the choice between
 * them is left to mainStrongComponent (its order of discovery decides), and its answer is returned.
 */
export function strongReach(graph: RoadGraph, seconds: Float32Array, source: Uint32Array): NetworkReach {
  const n = graph.nodeCount, { firstEdge, target } = graph;
  const index = new Int32Array(n).fill(-1), low = new Int32Array(n), comp = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n), stack = new Uint32Array(n), callNode = new Uint32Array(n), callEdge = new Uint32Array(n);
  /** Nodes by component, components in completion order: byComp[compFirst[c] .. compFirst[c + 1] - 1]. */
  const byComp = new Uint32Array(n), compFirst: number[] = [0];
  let next = 0, top = 0, filled = 0;
  for (let r = 0; r < n; r++) {
    if (index[r] >= 0) continue;
    let sp = 0;
    index[r] = low[r] = next++; stack[top++] = r; onStack[r] = 1;
    callNode[sp] = r; callEdge[sp] = firstEdge[r]; sp++;
    while (sp > 0) {
      const u = callNode[sp - 1], end = firstEdge[u + 1];
      let e = callEdge[sp - 1], child = -1;
      for (; e < end; e++) {
        if (!(seconds[e] < Infinity)) continue;
        const v = target[e];
        if (index[v] < 0) { child = v; break; }
        if (onStack[v] && index[v] < low[u]) low[u] = index[v];
      }
      if (child >= 0) {
        callEdge[sp - 1] = e + 1;
        index[child] = low[child] = next++; stack[top++] = child; onStack[child] = 1;
        callNode[sp] = child; callEdge[sp] = firstEdge[child]; sp++;
        continue;
      }
      if (low[u] === index[u]) {
        const c = compFirst.length - 1;
        let w: number;
        do { w = stack[--top]; onStack[w] = 0; comp[w] = c; byComp[filled++] = w; } while (w !== u);
        compFirst.push(filled);
      }
      sp--;
      if (sp > 0) { const p = callNode[sp - 1]; if (low[u] < low[p]) low[p] = low[u]; }
    }
  }
  const count = compFirst.length - 1;
  let best = -1, bestSize = 0, ties = 0;
  for (let c = 0; c < count; c++) {
    const size = compFirst[c + 1] - compFirst[c];
    if (size > bestSize) { best = c; bestSize = size; ties = 0; } else if (size === bestSize) ties++;
  }
  if (ties > 0) return networkReach(graph, seconds, source);
  const main = new Uint8Array(n), leaves = new Uint8Array(n), compLeaves = new Uint8Array(count);
  for (let c = 0; c < count; c++) {
    let ok = c === best;
    for (let k = compFirst[c]; k < compFirst[c + 1] && !ok; k++) {
      const u = byComp[k];
      for (let e = firstEdge[u]; e < firstEdge[u + 1]; e++)
        if (seconds[e] < Infinity && comp[target[e]] !== c && compLeaves[comp[target[e]]]) { ok = true; break; }
    }
    if (ok) compLeaves[c] = 1;
  }
  for (let u = 0; u < n; u++) {
    main[u] = comp[u] === best ? 1 : 0;
    leaves[u] = compLeaves[comp[u]];
  }
  return { main, leaves, reached: reachedFrom(graph, seconds, main, stack) };
}
