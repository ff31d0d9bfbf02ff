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
  return sets.map((s, i) => (live[i] ? s.filter((x) => elemLive[x] === 1) : new Int32Array(0)));
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
  const plain = mip.sense === 'min' && mip.objective.every(([a]) => a === 1) &&
    mip.constraints.every((c) => c.op === '>=' && c.rhs === 1 && c.terms.every(([a, v]) => a === 1 && idx.has(v)));
  const stats: ReduceStats = { rows: R, sites: S, forced: 0, rowsLeft: R, sitesLeft: S, passes: 0 };
  if (!plain) return { mip, stats };
  let rows: Int32Array[] = mip.constraints.map((c) => Int32Array.from(new Set(c.terms.map(([, v]) => idx.get(v)!))).sort());
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
      for (let r = 0; r < R; r++) if (rowLive[r] && rows[r].some((s) => isForced[s] === 1)) rowLive[r] = 0;
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
