/**
 * Small matrices for the optimizer's tests and bench: by hand (rows of [demand, seconds]) or seeded random
 * (generated, labelled synthetic wherever shown). Not used by the app.
 */
import type { Candidate, CoverageMatrix } from './types';

/** A matrix from rows: rows[c] = [[demand, seconds], …]; `fixed` lists candidates that are always open. */
export function handMatrix(weights: number[], rows: [number, number][][], o: { limitS?: number; backupLimitS?: number | null; horizonS?: number; fixed?: number[] } = {}): CoverageMatrix {
  const candidates: Candidate[] = rows.map((_, j) => ({ id: `c${j}`, lon: 0, lat: 0, kind: o.fixed?.includes(j) ? 'existing' : 'new', fixed: !!o.fixed?.includes(j), node: -1 }));
  const first = new Uint32Array(rows.length + 1);
  rows.forEach((r, j) => { first[j + 1] = first[j] + r.length; });
  const sorted = rows.map((r) => [...r].sort((a, b) => a[0] - b[0]));
  const limitS = o.limitS ?? 240, backupLimitS = o.backupLimitS ?? null;
  return {
    candidates, demandCount: weights.length, weight: Float64Array.from(weights), first,
    dem: Uint32Array.from(sorted.flat().map((e) => e[0])), time: Float32Array.from(sorted.flat().map((e) => e[1])),
    limitS, backupLimitS, horizonS: o.horizonS ?? Math.max(limitS, backupLimitS ?? 0), direction: 'station-to-demand', estimate: false,
    demandOf: Uint32Array.from(weights, (_, i) => i), originalCount: weights.length,
  };
}

/** Mulberry32: a small seeded generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Synthetic instance: candidates and demand uniform in a square of `sizeM`, travel seconds = distance / speed,
 * kept up to the horizon. Whole seconds, so ties are common and exact comparisons are stable.
 */
export function randomMatrix(seed: number, nCand: number, nDemand: number, o: { sizeM?: number; speedMps?: number; limitS?: number; backupLimitS?: number | null; horizonS?: number; fixed?: number } = {}): CoverageMatrix {
  const r = rng(seed), size = o.sizeM ?? 3000, v = o.speedMps ?? 8;
  const limitS = o.limitS ?? 240, backupLimitS = o.backupLimitS ?? null, horizonS = o.horizonS ?? Math.max(limitS, backupLimitS ?? 0);
  const cx = Array.from({ length: nCand }, () => [r() * size, r() * size]);
  const weights = Array.from({ length: nDemand }, () => 1 + Math.floor(r() * 9));
  const dx = Array.from({ length: nDemand }, () => [r() * size, r() * size]);
  const rows = cx.map(([x, y]) => {
    const row: [number, number][] = [];
    dx.forEach(([a, b], i) => { const t = Math.round(Math.hypot(a - x, b - y) / v); if (t <= horizonS) row.push([i, t]); });
    return row;
  });
  return handMatrix(weights, rows, { limitS, backupLimitS, horizonS, fixed: Array.from({ length: o.fixed ?? 0 }, (_, j) => j) });
}

/** Every subset of the free candidates with at most k members (brute force for small instances). */
export function* subsets(m: CoverageMatrix, k: number): Generator<number[]> {
  const free = m.candidates.map((c, j) => (c.fixed ? -1 : j)).filter((j) => j >= 0);
  const pick: number[] = [];
  function* go(from: number): Generator<number[]> {
    yield [...pick];
    if (pick.length === k) return;
    for (let a = from; a < free.length; a++) { pick.push(free[a]); yield* go(a + 1); pick.pop(); }
  }
  yield* go(0);
}
