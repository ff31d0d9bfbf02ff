/**
 * Set-cover reductions of the LSCP model before it goes to the solver (issue #12: exact LSCP 500 × 20,000 ≤ 1 s).
 * All free sites cost 1, so, repeated until nothing changes:
 *  - essential sites: a demand row only one site covers forces that site open (its rows are then satisfied);
 *  - dominated rows: a row whose site set contains another row's set is implied by it and goes;
 *  - dominated sites: a site whose row set is contained in another remaining site's set is never needed (swap it
 *    for the other one at the same cost) and goes; of two equal sites the lower index stays.
 * The reduced model has the same optimum: optimum(original) = forced + optimum(reduced).
 */
import type { MipModel } from './types';

export interface ReduceStats {
  rows: number;
  sites: number;
  forced: number;
  rowsLeft: number;
  sitesLeft: number;
  passes: number;
}

/** Is sorted a ⊆ sorted b? */
function subsetOf(a: Int32Array, b: Int32Array): boolean {
  if (a.length > b.length) return false;
  let q = 0;
  for (let p = 0; p < a.length; p++) {
    const x = a[p];
    while (q < b.length && b[q] < x) q++;
    if (q === b.length || b[q] !== x) return false;
    q++;
  }
  return true;
}

/** Lists of the active members of each set, restricted to the active elements (sorted). */
function restrict(sets: Int32Array[], live: Uint8Array, elemLive: Uint8Array): Int32Array[] {
  const empty = new Int32Array(0);
  return sets.map((s, i) => {
    if (!live[i]) return empty;
    let n = 0;
    for (let q = 0; q < s.length; q++) if (elemLive[s[q]] === 1) n++;
    if (n === s.length) return s;
    const out = new Int32Array(n);
    n = 0;
    for (let q = 0; q < s.length; q++) if (elemLive[s[q]] === 1) out[n++] = s[q];
    return out;
  });
}

/** The other side of an incidence (element → sets containing it), active sets only. */
function transposeSets(sets: Int32Array[], live: Uint8Array, nElem: number): Int32Array[] {
  const count = new Int32Array(nElem);
  sets.forEach((s, i) => { if (live[i]) for (const x of s) count[x]++; });
  const out = Array.from(count, (n) => new Int32Array(n)), fill = new Int32Array(nElem);
  sets.forEach((s, i) => { if (live[i]) for (const x of s) out[x][fill[x]++] = i; });
  return out;
}

/**
 * Drops every live set that contains (⊇) another live set. Equal sets: the lower index stays. `dominatedIsSuperset`
 * false flips it: drops sets contained in another (⊆) — the site rule.
 */
function dropDominated(sets: Int32Array[], live: Uint8Array, byElem: Int32Array[], dropSuperset: boolean): number {
  let dropped = 0;
  const n = sets.length;
  for (let a = 0; a < n; a++) {
    if (!live[a]) continue;
    const A = sets[a];
    if (A.length === 0) continue;
    // Sets sharing A's rarest element are the only ones that can contain A.
    let rare = A[0];
    for (const x of A) if (byElem[x].length < byElem[rare].length) rare = x;
    for (const b of byElem[rare]) {
      if (b === a || !live[b]) continue;
      const B = sets[b];
      if (B.length < A.length || (B.length === A.length && b > a)) continue;
      if (!subsetOf(A, B)) continue;
      // A ⊆ B (and B ≠ A or b < a).
      if (dropSuperset) { live[b] = 0; dropped++; } else { live[a] = 0; dropped++; break; }
    }
  }
  return dropped;
}

/**
 * Reduces an LSCP model (Σ y min, rows Σ y ≥ 1 with coefficient 1). Returns the smaller model (offset raised by the
 * forced sites, `forcedOpen` listing them) and what went. Any other model is returned unchanged.
 */
export function reduceLscp(mip: MipModel): { mip: MipModel; stats: ReduceStats } {
  const names = [...mip.siteVars.keys()], idx = new Map(names.map((v, k) => [v, k]));
  const S = names.length, R = mip.constraints.length;
  const stats: ReduceStats = { rows: R, sites: S, forced: 0, rowsLeft: R, sitesLeft: S, passes: 0 };
  if (mip.sense !== 'min' || !mip.objective.every(([a]) => a === 1)) return { mip, stats };
  // Each row as its sorted, distinct site indices; any row not of the form Σ y ≥ 1 leaves the model alone.
  let rows: Int32Array[] = new Array<Int32Array>(R);
  for (let r = 0; r < R; r++) {
    const c = mip.constraints[r];
    if (c.op !== '>=' || c.rhs !== 1) return { mip, stats };
    const a = new Int32Array(c.terms.length);
    for (let q = 0; q < a.length; q++) {
      const [co, v] = c.terms[q], s = idx.get(v);
      if (co !== 1 || s === undefined) return { mip, stats };
      a[q] = s;
    }
    a.sort();
    let u = 0;
    for (let q = 0; q < a.length; q++) if (q === 0 || a[q] !== a[q - 1]) a[u++] = a[q];
    rows[r] = u === a.length ? a : a.slice(0, u);
  }
  const rowLive = new Uint8Array(R).fill(1), siteLive = new Uint8Array(S).fill(1);
  const forced: number[] = [];
  for (let changed = true; changed;) {
    changed = false;
    stats.passes++;
    rows = restrict(rows, rowLive, siteLive);
    // Essential sites.
    for (let r = 0; r < R; r++) {
      if (!rowLive[r] || rows[r].length !== 1) continue;
      const s = rows[r][0];
      if (!siteLive[s]) continue;
      siteLive[s] = 0; forced.push(s); changed = true;
    }
    if (changed) {
      const isForced = new Uint8Array(S);
      for (const s of forced) isForced[s] = 1;
      for (let r = 0; r < R; r++) {
        if (!rowLive[r]) continue;
        const row = rows[r];
        for (let q = 0; q < row.length; q++) if (isForced[row[q]] === 1) { rowLive[r] = 0; break; }
      }
      continue;
    }
    // Dominated rows (a superset of another row's sites is implied).
    const siteRows = transposeSets(rows, rowLive, S);
    if (dropDominated(rows, rowLive, siteRows, true) > 0) changed = true;
    // Dominated sites (rows a subset of another site's rows), on the rows still live.
    const cols = transposeSets(rows, rowLive, S);
    for (let s = 0; s < S; s++) if (!siteLive[s]) cols[s] = new Int32Array(0);
    for (let s = 0; s < S; s++) if (siteLive[s] && cols[s].length === 0) { siteLive[s] = 0; changed = true; }
    const rowSites = transposeSets(cols, siteLive, R);
    if (dropDominated(cols, siteLive, rowSites, false) > 0) changed = true;
  }
  const keep = names.filter((_, k) => siteLive[k] === 1);
  const siteVars = new Map(keep.map((v) => [v, mip.siteVars.get(v)!]));
  const constraints = mip.constraints.flatMap((c, r) =>
    rowLive[r] ? [{ ...c, terms: [...rows[r]].filter((s) => siteLive[s] === 1).map((s): [number, string] => [1, names[s]]) }] : []);
  const forcedOpen = [...(mip.forcedOpen ?? []), ...forced.map((s) => mip.siteVars.get(names[s])!)];
  stats.forced = forced.length; stats.rowsLeft = constraints.length; stats.sitesLeft = keep.length;
  return {
    stats,
    mip: {
      ...mip, siteVars, constraints, forcedOpen, binaries: keep, objective: keep.map((v): [number, string] => [1, v]), offset: mip.offset + forced.length,
      comment: [...mip.comment, `reduced: ${forced.length} sites forced, ${R - constraints.length} of ${R} rows and ${S - keep.length} of ${S} sites dropped as dominated`],
    },
  };
}

/** Greedy set cover on a reduced LSCP model: a feasible start (site variable names). */
export function greedyCover(mip: MipModel): string[] {
  const open: string[] = [], done = new Uint8Array(mip.constraints.length);
  const byVar = new Map<string, number[]>();
  mip.constraints.forEach((c, r) => { for (const [, v] of c.terms) (byVar.get(v) ?? (byVar.set(v, []).get(v) as number[])).push(r); });
  let left = mip.constraints.length;
  while (left > 0) {
    let best = '', gain = 0;
    for (const [v, rs] of byVar) {
      let g = 0;
      for (const r of rs) if (!done[r]) g++;
      if (g > gain) { gain = g; best = v; }
    }
    if (gain === 0) break;
    open.push(best);
    for (const r of byVar.get(best)!) if (!done[r]) { done[r] = 1; left--; }
    byVar.delete(best);
  }
  return open;
}

/** MCLP rows of a model: d<i>: z_i − Σ y ≤ 0 with z_i's weight; null when the model is not in that form. */
function mclpRows(mip: MipModel): { w: number[]; sites: string[][] } | null {
  if (mip.sense !== 'max') return null;
  const wOf = new Map(mip.objective.map(([a, v]) => [v, a]));
  const w: number[] = [], sites: string[][] = [];
  for (const c of mip.constraints) {
    if (c.name === 'k') continue;
    const z = c.terms[0];
    if (c.op !== '<=' || c.rhs !== 0 || !z || z[0] !== 1 || !wOf.has(z[1]) || c.terms.slice(1).some(([a, v]) => a !== -1 || !mip.siteVars.has(v))) return null;
    w.push(wOf.get(z[1])!);
    sites.push(c.terms.slice(1).map(([, v]) => v));
  }
  return { w, sites };
}

/**
 * MCLP: drops every free site whose covered rows are a subset of another free site's (opening the other instead is
 * never worse under Σ y ≤ k; of equal sites the lower index stays). Same optimum; other models unchanged.
 */
export function reduceMclp(mip: MipModel): { mip: MipModel; dropped: number } {
  const rows = mclpRows(mip);
  if (!rows) return { mip, dropped: 0 };
  const names = [...mip.siteVars.keys()], idx = new Map(names.map((v, k) => [v, k])), S = names.length;
  const rowSets = rows.sites.map((ss) => Int32Array.from(new Set(ss.map((v) => idx.get(v)!))).sort());
  const all = new Uint8Array(rowSets.length).fill(1), siteLive = new Uint8Array(S).fill(1);
  const cols = transposeSets(rowSets, all, S);
  const byRow = transposeSets(cols, siteLive, rowSets.length);
  const dropped = dropDominated(cols, siteLive, byRow, false);
  if (dropped === 0) return { mip, dropped };
  const gone = new Set(names.filter((_, k) => !siteLive[k]));
  const keepTerm = ([, v]: [number, string]) => !gone.has(v);
  const siteVars = new Map([...mip.siteVars].filter(([v]) => !gone.has(v)));
  return {
    dropped,
    mip: {
      ...mip, siteVars, binaries: mip.binaries.filter((v) => !gone.has(v)),
      constraints: mip.constraints.map((c) => ({ ...c, terms: c.terms.filter(keepTerm) })),
      comment: [...mip.comment, `reduced: ${dropped} of ${S} sites dropped as dominated (their covered demand is a subset of another site's)`],
    },
  };
}

/**
 * Lagrangian bound of an MCLP model (the coverage rows z_i ≤ Σ y relaxed with multipliers 0 ≤ λ_i ≤ w_i):
 * L(λ) = Σ (w_i − λ_i) + the k largest Σ_{i covered by c} λ_i, minimised by subgradient steps towards `target`
 * (the best known answer, LP terms). Every L(λ) is an upper bound on the optimum; the smallest one is returned
 * (LP terms, without the offset), or null when the model is not an MCLP.
 */
export function lagrangianMclpBound(mip: MipModel, k: number, target: number, iterations = 600): number | null {
  const rows = mclpRows(mip);
  if (!rows) return null;
  const names = [...mip.siteVars.keys()], idx = new Map(names.map((v, j) => [v, j])), S = names.length, R = rows.w.length;
  const first = new Uint32Array(S + 1);
  const sets = rows.sites.map((ss) => [...new Set(ss.map((v) => idx.get(v)!))]);
  for (const s of sets) for (const j of s) first[j + 1]++;
  for (let j = 0; j < S; j++) first[j + 1] += first[j];
  const fill = first.slice(0, S), rowOf = new Uint32Array(first[S]);
  sets.forEach((s, i) => { for (const j of s) rowOf[fill[j]++] = i; });
  const w = Float64Array.from(rows.w), lam = Float64Array.from(w, (x) => x / 2), val = new Float64Array(S), g = new Float64Array(R);
  const open = new Uint8Array(S);
  const kk = Math.min(k, S);
  // Held–Karp step rule: factor 2, halved after `patience` steps without a better bound.
  let best = Infinity, step = 2, still = 0;
  const patience = 25;
  for (let it = 0; it < iterations && step > 1e-4; it++) {
    let L = 0;
    for (let i = 0; i < R; i++) L += w[i] - lam[i];
    for (let j = 0; j < S; j++) { let v = 0; for (let p = first[j]; p < first[j + 1]; p++) v += lam[rowOf[p]]; val[j] = v; }
    const order = Array.from({ length: S }, (_, j) => j).sort((a, b) => val[b] - val[a]);
    open.fill(0);
    for (let q = 0; q < kk; q++) { open[order[q]] = 1; L += Math.max(0, val[order[q]]); }
    if (L < best - 1e-9 * Math.abs(L)) { best = L; still = 0; } else if (++still >= patience) { step /= 2; still = 0; }
    // Subgradient of L at λ: (times row i is covered by the chosen sites) − 1 (z_i = 1 while λ_i < w_i).
    g.fill(-1);
    for (let j = 0; j < S; j++) if (open[j]) for (let p = first[j]; p < first[j + 1]; p++) g[rowOf[p]]++;
    let norm = 0;
    for (let i = 0; i < R; i++) {
      if ((lam[i] <= 0 && g[i] > 0) || (lam[i] >= w[i] && g[i] < 0)) g[i] = 0; // projected: no move out of [0, w_i]
      norm += g[i] * g[i];
    }
    if (norm === 0 || L - target <= 1e-9 * Math.max(1, Math.abs(target))) break;
    const t = (step * (L - target)) / norm;
    for (let i = 0; i < R; i++) lam[i] = Math.min(w[i], Math.max(0, lam[i] - t * g[i]));
  }
  return best === Infinity ? null : best;
}
