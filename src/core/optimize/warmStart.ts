/**
 * The starting solution handed to the exact solver after a reduction dropped sites (review of #12): every site of the
 * heuristic answer still in the reduced model stays open; a chosen site the reduction removed is replaced by its
 * dominator (a kept site whose covered rows contain all of its rows — reduceMclp keeps one for every site it drops),
 * so the start is worth at least what the heuristic answer is worth. When every dominator is already open, the
 * removed site added nothing and is simply left out. Never more sites open than chosen.
 */
import type { MipModel } from './types';

/** Row indices (of `mip.constraints`, the cardinality row 'k' left out) in which each site variable appears. */
function siteRows(mip: MipModel): Map<string, Set<number>> {
  const rows = new Map<string, Set<number>>();
  mip.constraints.forEach((c, r) => {
    if (c.name === 'k') return;
    for (const [, v] of c.terms) if (mip.siteVars.has(v)) (rows.get(v) ?? rows.set(v, new Set()).get(v)!).add(r);
  });
  return rows;
}

/** Site variable values (0/1) for the reduced model from candidate indices chosen on the full one. */
export function startOnReduced(full: MipModel, reduced: MipModel, sites: readonly number[]): Record<string, number> {
  const start: Record<string, number> = {};
  for (const v of reduced.siteVars.keys()) start[v] = 0;
  const removed: string[] = [];
  for (const j of sites) {
    const v = `y${j}`;
    if (v in start) start[v] = 1;
    else if (full.siteVars.has(v)) removed.push(v);
  }
  if (removed.length === 0) return start;
  const rows = siteRows(full);
  for (const s of removed) {
    const own = [...(rows.get(s) ?? [])];
    let dominator: string | null = null;
    for (const v of reduced.siteVars.keys()) {
      if (start[v] === 1) continue;
      const theirs = rows.get(v);
      if (theirs && own.every((r) => theirs.has(r))) { dominator = v; break; }
    }
    if (dominator !== null) start[dominator] = 1;
  }
  return start;
}

/**
 * Objective of a start on an MCLP-form model (rows z_i − Σ y ≤ 0, objective Σ w_i z_i): offset plus the weight of
 * every row some open site covers (z_i = 1 there). Null for a model of another form.
 */
export function mclpStartObjective(mip: MipModel, start: Readonly<Record<string, number>>): number | null {
  if (mip.sense !== 'max') return null;
  const w = new Map(mip.objective.map(([a, v]) => [v, a]));
  let total = mip.offset;
  for (const c of mip.constraints) {
    if (c.name === 'k') continue;
    const z = c.terms[0];
    if (!z || !w.has(z[1]) || c.op !== '<=' || c.rhs !== 0) return null;
    if (c.terms.slice(1).some(([a, v]) => a === -1 && (start[v] ?? 0) > 0.5)) total += w.get(z[1])!;
  }
  return total;
}
