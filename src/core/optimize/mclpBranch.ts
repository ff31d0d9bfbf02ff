/**
 * Exact MCLP by Lagrangian branch and bound (issue #12: 1,000 candidates × 50,000 demand, gap ≤ 0.5 % in 30 s).
 *
 * On a large coverage matrix WebAssembly HiGHS cannot even finish the root LP in 30 s (26,000 rows × 970 sites, 2.8 M
 * coefficients after merging), so the MCLP bound comes from the Lagrangian relaxation instead: with the coverage rows
 * z_i ≤ Σ_{j covers i} y_j relaxed by multipliers 0 ≤ λ_i ≤ w_i,
 *
 *   L(λ) = value(F) + Σ_{i open} (w_i − λ_i) + the k' largest val_j,   val_j = Σ_{open i covered by j} λ_i
 *
 * (F: sites forced open at the node, k' = k − |F|, "open" rows: not covered by F) bounds every answer of the node;
 * its minimum over λ equals the LP bound. Subgradient steps (Polyak, towards the incumbent) minimise it, warm-started
 * from the parent node. At each node:
 *  - prune when L ≤ incumbent · (1 + relGap);
 *  - fix by Lagrangian cost: a site outside the k' largest whose forced opening gives L − val_(k') + val_j ≤ the
 *    target is closed in the subtree; one inside whose closing gives L − val_j + val_(k'+1) ≤ target is opened;
 *  - k' = 1 is solved exactly (best single marginal gain), k' = 0 is a leaf;
 *  - else branch on the site with the largest val: open it (depth first), then close it and re-bound the same node.
 * The k' largest sites of every Lagrangian solution, completed with F, are a feasible answer: incumbents.
 * Stopped by time or cancel, the bound is the largest of the bounds still open (each frame's latest L) and of those
 * pruned within the tolerance, so the gap is always a proven one.
 */
import type { CoverageMatrix, MipProgress } from './types';

export interface BranchOptions {
  /** Sites (candidate indices) of a known answer, e.g. greedy + swap. */
  start?: readonly number[];
  timeLimitS?: number;
  /** Relative gap at which a node is pruned (default 1e-4). */
  mipRelGap?: number;
  signal?: { readonly aborted: boolean };
  /** Incumbent and bound in the model's terms (offset included), at most every half second and at the end. */
  onProgress?: (p: MipProgress) => void;
  /** Clock in ms (tests). */
  now?: () => number;
}

export interface BranchResult {
  /** Free candidate indices opened (ascending). */
  open: number[];
  /** Covered weight of the answer, fixed sites included (the model's objective). */
  objective: number;
  /** Proven upper bound on the optimum (model terms). */
  bound: number;
  /** The search finished: bound ≤ objective · (1 + relGap). */
  complete: boolean;
  status: 'Optimal' | 'Time limit reached' | 'Interrupted by user';
  nodes: number;
  /** Sites left free after the root's fixing (of all free sites). */
  rootFree: number;
  freeSites: number;
  /** The root's Lagrangian bound (model terms). */
  rootBound: number;
}

/** The MCLP as columns over the demand that only free sites can still cover. */
interface Problem {
  S: number;
  R: number;
  site: Int32Array;
  cFirst: Int32Array;
  cRow: Int32Array;
  w: Float64Array;
  /** Weight already covered by fixed sites. */
  offset: number;
}

function problemOf(m: CoverageMatrix): Problem {
  const C = m.candidates.length, n = m.demandCount, lim = m.limitS;
  const byFixed = new Uint8Array(n), byFree = new Uint8Array(n);
  for (let c = 0; c < C; c++) {
    const mark = m.candidates[c].fixed ? byFixed : byFree;
    for (let p = m.first[c]; p < m.first[c + 1]; p++) if (m.time[p] <= lim) mark[m.dem[p]] = 1;
  }
  const rowOf = new Int32Array(n).fill(-1), wl: number[] = [];
  let offset = 0;
  for (let i = 0; i < n; i++) {
    const w = m.weight[i];
    if (!(w > 0)) continue;
    if (byFixed[i]) offset += w;
    else if (byFree[i]) { rowOf[i] = wl.length; wl.push(w); }
  }
  const sites: number[] = [];
  for (let c = 0; c < C; c++) if (!m.candidates[c].fixed) sites.push(c);
  const cFirst = new Int32Array(sites.length + 1), rows: number[] = [];
  sites.forEach((c, s) => {
    for (let p = m.first[c]; p < m.first[c + 1]; p++) if (m.time[p] <= lim && rowOf[m.dem[p]] >= 0) rows.push(rowOf[m.dem[p]]);
    cFirst[s + 1] = rows.length;
  });
  return { S: sites.length, R: wl.length, site: Int32Array.from(sites), cFirst, cRow: Int32Array.from(rows), w: Float64Array.from(wl), offset };
}

/** Indices of the `k` largest values among `ids` (ties: the earlier id), largest first. */
function topK(ids: Int32Array, nIds: number, val: Float64Array, k: number, out: Int32Array): number {
  let n = 0;
  for (let q = 0; q < nIds; q++) {
    const s = ids[q], v = val[s];
    if (n === k && v <= val[out[n - 1]]) continue;
    let p = n < k ? n++ : n - 1;
    while (p > 0 && val[out[p - 1]] < v) { out[p] = out[p - 1]; p--; }
    out[p] = s;
  }
  return n;
}

export function solveMclpBranch(m: CoverageMatrix, k: number, o: BranchOptions = {}): BranchResult {
  const P = problemOf(m), { S, R, cFirst, cRow, w } = P;
  const now = o.now ?? Date.now, t0 = now(), limitMs = (o.timeLimitS ?? 60) * 1000, eps = o.mipRelGap ?? 1e-4;
  const kk = Math.min(k, S);
  // Search state: sites' state (0 free, 1 closed, 2 forced open), how many forced sites cover each row.
  const state = new Uint8Array(S), covered = new Int32Array(R);
  const siteIdx = new Int32Array(m.candidates.length).fill(-1);
  P.site.forEach((c, s) => { siteIdx[c] = s; });
  const best = { value: -1, sites: [] as number[] };
  const run = { nodes: 0, stopped: '' as '' | 'time' | 'cancel', lastReport: t0, prunedMax: -Infinity, rootBound: Infinity, rootFree: S };
  const frameBound: number[] = [];
  const forced: number[] = [];
  const cover = (s: number, d: number) => { for (let p = cFirst[s]; p < cFirst[s + 1]; p++) covered[cRow[p]] += d; };
  const valueOf = (extra: ArrayLike<number>, nExtra: number): number => {
    // Weight covered by the forced sites plus `extra` (marks rows through covered[], then undoes).
    let v = 0;
    for (let q = 0; q < nExtra; q++) cover(extra[q], 1);
    for (let i = 0; i < R; i++) if (covered[i] > 0) v += w[i];
    for (let q = 0; q < nExtra; q++) cover(extra[q], -1);
    return v;
  };
  const offer = (extra: ArrayLike<number>, nExtra: number, v = valueOf(extra, nExtra)) => {
    if (v > best.value) { best.value = v; best.sites = [...forced, ...Array.from({ length: nExtra }, (_, q) => extra[q])]; }
  };
  const target = () => best.value + eps * Math.max(Math.abs(best.value), 1e-9);
  // Covering every row is the trivial bound (a search stopped before its first bound still has one).
  const total = w.reduce((a, b) => a + b, 0);
  const globalBound = () => Math.min(total, Math.max(best.value, run.prunedMax, ...frameBound));
  const report = (force: boolean) => {
    const t = now();
    if (!o.onProgress || (!force && t - run.lastReport < 500)) return;
    run.lastReport = t;
    const b = globalBound() + P.offset, v = best.value + P.offset;
    o.onProgress({ seconds: (t - t0) / 1000, bestBound: b, bestSolution: v, gap: (b - v) / Math.max(Math.abs(v), 1e-9), line: `Lagrangian B&B: node ${run.nodes}` });
  };
  const timeUp = () => {
    if (run.stopped) return true;
    if (o.signal?.aborted) run.stopped = 'cancel';
    else if (now() - t0 > limitMs) run.stopped = 'time';
    return run.stopped !== '';
  };

  if (o.start) {
    const st = o.start.map((c) => siteIdx[c]).filter((s) => s >= 0).slice(0, kk);
    offer(st, st.length);
  }
  if (best.value < 0) offer([], 0);

  // Scratch shared by the frames (each frame copies λ; val and the subgradient are recomputed per iteration).
  const val = new Float64Array(S), g = new Float64Array(R), top = new Int32Array(kk + 1), hit = new Int32Array(R);
  const freeIds = new Int32Array(S);

  /** One node and its "closed" siblings; returns when the subtree is done or the search stops. */
  const node = (lamIn: Float64Array, depth: number): void => {
    const lam = Float64Array.from(lamIn);
    const undo: number[] = [];
    const opened: number[] = [];
    // Until this node is bounded, its parent's bound holds for it.
    frameBound[depth] = depth > 0 ? frameBound[depth - 1] : Infinity;
    const restore = () => {
      for (const s of undo) state[s] = 0;
      for (let q = opened.length - 1; q >= 0; q--) { cover(opened[q], -1); state[opened[q]] = 0; forced.pop(); }
      // A stopped search keeps every frame's bound: the work left is bounded by them.
      if (!run.stopped) frameBound.length = depth;
    };
    let first = true;
    for (;;) {
      run.nodes++;
      report(false);
      if (timeUp()) { restore(); return; }
      const kq = kk - forced.length;
      let nFree = 0;
      for (let s = 0; s < S; s++) if (state[s] === 0) freeIds[nFree++] = s;
      const vF = valueOf([], 0);
      if (kq <= 0 || nFree <= kq) {
        // Leaf: open every free site left (at most k'), nothing to bound.
        offer(freeIds, Math.min(nFree, Math.max(kq, 0)));
        break;
      }
      if (kq === 1) {
        // Exact: the best single marginal gain.
        let bv = -1, bs = -1;
        for (let q = 0; q < nFree; q++) {
          const s = freeIds[q];
          let v = 0;
          for (let p = cFirst[s]; p < cFirst[s + 1]; p++) if (covered[cRow[p]] === 0) v += w[cRow[p]];
          if (v > bv) { bv = v; bs = s; }
        }
        offer([bs], 1, vF + bv);
        break;
      }
      // Rows still open that some free site covers; the others have no term here (λ_i = 0 keeps them out of val).
      hit.fill(0);
      for (let q = 0; q < nFree; q++) { const s = freeIds[q]; for (let p = cFirst[s]; p < cFirst[s + 1]; p++) hit[cRow[p]] = 1; }
      for (let i = 0; i < R; i++) if (covered[i] > 0 || !hit[i]) { hit[i] = 0; lam[i] = 0; }
      // Subgradient steps.
      const root = depth === 0 && first;
      const maxIt = root ? 1500 : 200, patience = root ? 25 : 8;
      let step = root ? 2 : 0.5, still = 0, bestL = Infinity, nTop = 0;
      const bestLam = new Float64Array(lam);
      for (let it = 0; it < maxIt && step > 1e-4; it++) {
        let L = vF;
        for (let i = 0; i < R; i++) if (hit[i]) L += w[i] - lam[i];
        for (let q = 0; q < nFree; q++) {
          const s = freeIds[q];
          let v = 0;
          for (let p = cFirst[s]; p < cFirst[s + 1]; p++) v += lam[cRow[p]];
          val[s] = v;
        }
        nTop = topK(freeIds, nFree, val, kq, top);
        for (let q = 0; q < nTop; q++) L += val[top[q]];
        if (L < bestL) {
          if (L < bestL - 1e-9 * Math.abs(L)) still = 0;
          bestL = L; bestLam.set(lam);
          // Any λ bounds this node's subtree: the live bound tightens while the steps run.
          if (bestL < frameBound[depth]) frameBound[depth] = bestL;
        } else if (++still >= patience) { step /= 2; still = 0; }
        if ((it & 7) === 0) offer(top, nTop);
        const T = target();
        if (bestL <= T) break;
        g.fill(0);
        for (let i = 0; i < R; i++) if (hit[i]) g[i] = -1;
        for (let q = 0; q < nTop; q++) { const s = top[q]; for (let p = cFirst[s]; p < cFirst[s + 1]; p++) if (hit[cRow[p]]) g[cRow[p]]++; }
        let norm = 0;
        for (let i = 0; i < R; i++) {
          if (!hit[i] || (lam[i] <= 0 && g[i] > 0) || (lam[i] >= w[i] && g[i] < 0)) g[i] = 0;
          norm += g[i] * g[i];
        }
        if (norm === 0) break;
        const t = (step * (L - best.value)) / norm;
        for (let i = 0; i < R; i++) if (g[i] !== 0) lam[i] = Math.min(w[i], Math.max(0, lam[i] - t * g[i]));
        if ((it & 15) === 15) { report(false); if (timeUp()) break; }
      }
      // The bound and the Lagrangian solution at the best λ.
      lam.set(bestLam);
      let L = vF;
      for (let i = 0; i < R; i++) if (hit[i]) L += w[i] - lam[i];
      for (let q = 0; q < nFree; q++) {
        const s = freeIds[q];
        let v = 0;
        for (let p = cFirst[s]; p < cFirst[s + 1]; p++) v += lam[cRow[p]];
        val[s] = v;
      }
      nTop = topK(freeIds, nFree, val, kq + 1, top);
      const nIn = Math.min(nTop, kq);
      for (let q = 0; q < nIn; q++) L += val[top[q]];
      offer(top, nIn);
      frameBound[depth] = Math.min(frameBound[depth], L);
      if (root) run.rootBound = L;
      const T = target();
      if (L <= T) { if (L > best.value) run.prunedMax = Math.max(run.prunedMax, L); break; }
      if (timeUp()) { restore(); return; }
      // Fixing by Lagrangian cost.
      const vk = val[top[nIn - 1]], vk1 = nTop > kq ? val[top[kq]] : 0;
      const inTop = new Set<number>(Array.from(top.subarray(0, nIn)));
      let toOpen = -1;
      for (let q = 0; q < nFree; q++) {
        const s = freeIds[q];
        if (!inTop.has(s)) {
          const Lj = L - vk + val[s];
          if (Lj <= T) { state[s] = 1; undo.push(s); if (Lj > best.value) run.prunedMax = Math.max(run.prunedMax, Lj); }
        } else if (toOpen < 0 && L - val[s] + vk1 <= T) {
          toOpen = s;
          if (L - val[s] + vk1 > best.value) run.prunedMax = Math.max(run.prunedMax, L - val[s] + vk1);
        }
      }
      if (root) { let f = 0; for (let s = 0; s < S; s++) if (state[s] === 0) f++; run.rootFree = f; }
      first = false;
      if (toOpen >= 0) {
        // Every better answer of this node opens it: open it here (undone when the frame ends).
        state[toOpen] = 2; cover(toOpen, 1); forced.push(toOpen); opened.push(toOpen);
        continue;
      }
      // Branch on the largest val: open it (child frame), then close it and bound this node again.
      const s = top[0];
      state[s] = 2; cover(s, 1); forced.push(s);
      node(lam, depth + 1);
      forced.pop(); cover(s, -1);
      if (run.stopped) { state[s] = 0; restore(); return; }
      state[s] = 1; undo.push(s);
    }
    restore();
  };
  const lam0 = Float64Array.from(w, (x) => x / 2);
  if (kk > 0 && R > 0) node(lam0, 0);
  else run.rootBound = best.value;
  const bound = run.stopped ? globalBound() : Math.max(best.value, run.prunedMax);
  report(true);
  const open = best.sites.map((s) => P.site[s]).sort((a, b) => a - b);
  return {
    open, objective: best.value + P.offset, bound: bound + P.offset, complete: !run.stopped,
    status: run.stopped === 'time' ? 'Time limit reached' : run.stopped === 'cancel' ? 'Interrupted by user' : 'Optimal',
    nodes: run.nodes, rootFree: run.rootFree, freeSites: S, rootBound: run.rootBound + P.offset,
  };
}
