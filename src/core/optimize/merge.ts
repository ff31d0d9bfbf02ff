/**
 * Merges demand points that the model cannot tell apart: the same candidates reach them in the same time class.
 * Coverage models (LSCP, MCLP, backup) keep only whether a candidate is within the limit (and within the second
 * limit); p-median and p-center keep every time, rounded to `resolutionS` (default 1 s: their merged times are
 * whole seconds). Weights add up; demandOf maps each original point to its merged one.
 */
import type { CoverageMatrix, ModelKind } from './types';

/** Demand → its (candidate, time) entries: the matrix transposed (CSR by demand). */
export function byDemand(m: CoverageMatrix): { first: Uint32Array; cand: Uint32Array; time: Float32Array } {
  const n = m.demandCount, C = m.candidates.length, first = new Uint32Array(n + 1);
  for (let k = 0; k < m.dem.length; k++) first[m.dem[k] + 1]++;
  for (let i = 0; i < n; i++) first[i + 1] += first[i];
  const fill = first.slice(0, n), cand = new Uint32Array(m.dem.length), time = new Float32Array(m.dem.length);
  for (let c = 0; c < C; c++)
    for (let k = m.first[c]; k < m.first[c + 1]; k++) { const p = fill[m.dem[k]]++; cand[p] = c; time[p] = m.time[k]; }
  return { first, cand, time };
}

export function mergeDemand(m: CoverageMatrix, model: ModelKind, resolutionS = 1): CoverageMatrix {
  const T = byDemand(m), n = m.demandCount;
  const coverage = model === 'lscp' || model === 'mclp' || model === 'backup';
  const keep = coverage ? (model === 'backup' ? Math.max(m.limitS, m.backupLimitS ?? 0) : m.limitS) : m.horizonS;
  // Time class of an entry (−1: dropped from the merged matrix).
  const cls = (t: number): number =>
    t > keep ? -1 : coverage ? (t <= m.limitS ? 0 : 1) : Math.round(t / resolutionS);
  const keyOf: number[][] = [];
  const groups = new Map<number, number[]>();
  const demandOf = new Uint32Array(m.originalCount);
  const mergedOf = new Uint32Array(n);
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    const key: number[] = [];
    for (let k = T.first[i]; k < T.first[i + 1]; k++) { const c = cls(T.time[k]); if (c >= 0) key.push(T.cand[k], c); }
    let h = 2166136261;
    for (const x of key) h = Math.imul(h ^ x, 16777619) >>> 0;
    const bucket = groups.get(h) ?? (groups.set(h, []).get(h) as number[]);
    let g = bucket.find((j) => sameKey(keyOf[j], key)) ?? -1;
    if (g < 0) { g = keyOf.length; keyOf.push(key); weight.push(0); bucket.push(g); }
    weight[g] += m.weight[i];
    mergedOf[i] = g;
  }
  for (let o = 0; o < m.originalCount; o++) demandOf[o] = mergedOf[m.demandOf[o]];
  // Rows of the merged matrix (demand ids ascending as groups are numbered in order of first appearance).
  const C = m.candidates.length, first = new Uint32Array(C + 1);
  for (const key of keyOf) for (let k = 0; k < key.length; k += 2) first[key[k] + 1]++;
  for (let c = 0; c < C; c++) first[c + 1] += first[c];
  const fill = first.slice(0, C), dem = new Uint32Array(first[C]), time = new Float32Array(first[C]);
  keyOf.forEach((key, g) => {
    for (let k = 0; k < key.length; k += 2) {
      const p = fill[key[k]]++;
      dem[p] = g;
      time[p] = coverage ? (key[k + 1] === 0 ? m.limitS : keep) : key[k + 1] * resolutionS;
    }
  });
  return { ...m, demandCount: keyOf.length, weight: Float64Array.from(weight), first, dem, time, demandOf, horizonS: coverage ? keep : m.horizonS };
}

function sameKey(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
