/**
 * Size of the exact model before it is built (review of #12): the variables, rows and nonzeros buildMip would make,
 * counted per model from the matrix alone (no LP text, no term arrays), and the limits above which HiGHS in
 * WebAssembly runs out of memory or time. p-median and p-center have an assignment variable x_ic per useful
 * (demand, site) pair, so their models grow with the matrix, not with the demand count; coverage models do not.
 */
import { plannerError } from '../errors';
import { byDemand } from './merge';
import { penaltyOf, validateModel } from './heuristic';
import type { CoverageMatrix, ModelKind, ModelOptions } from './types';

export interface MipSize {
  /** Columns: site variables y plus the model's own (z, v, x, W). */
  variables: number;
  /** Rows (the cardinality row Σ y ≤ k included). */
  rows: number;
  /** Nonzero coefficients of the rows (objective not counted). */
  nonzeros: number;
}

/** The largest model the exact run takes, per model. Limits chosen so that HiGHS (WebAssembly) still solves it. */
export interface MipLimits {
  variables: number;
  nonzeros: number;
}

/**
 * Default limits, measured with highs-js on Node (k = 3, 4 min, 20 s limit). The assignment models grow with the
 * matrix. 摩纳哥 (Monaco) p-median, candidates every 200 m: with its 3 stations fixed (`planner optimize`) 686,391
 * variables and 2,058,367 nonzeros, HiGHS aborted ("Aborted()"); with none fixed 1,287,026 / 3,860,272, aborted too.
 * Every 300 m (none fixed) 638,211 / 1,914,211 ran but only to a 23 % gap; every 400 m 396,379 / 1,188,865 ran.
 * The limit sits between what ran and what aborted, with room. Coverage models are one variable per merged point
 * (Monaco MCLP: 4,130 variables, 89,338 nonzeros) and keep buildMip's own 4 M term cap.
 */
export const DEFAULT_MIP_LIMITS: Readonly<Record<ModelKind, MipLimits>> = {
  lscp: { variables: 1_000_000, nonzeros: 4_000_000 },
  mclp: { variables: 1_000_000, nonzeros: 4_000_000 },
  backup: { variables: 1_000_000, nonzeros: 4_000_000 },
  pmedian: { variables: 500_000, nonzeros: 1_500_000 },
  pcenter: { variables: 500_000, nonzeros: 1_500_000 },
};

/** Counts what buildMip(m, o) would make, without making it (same rules, see lp.ts). */
export function mipSize(m: CoverageMatrix, o: ModelOptions): MipSize {
  validateModel(m, o);
  const T = byDemand(m), C = m.candidates, n = m.demandCount, pen = penaltyOf(m, o);
  const free = C.filter((c) => !c.fixed).length;
  const s: MipSize = { variables: free, rows: 0, nonzeros: 0 };
  const row = (nz: number) => { s.rows++; s.nonzeros += nz; };
  // Free entries within `limit` of demand i, and the best fixed time (Infinity: none) / number of fixed ones.
  const scan = (i: number, limit: number) => {
    let nFree = 0, nFixed = 0, bestFixed = Infinity;
    for (let p = T.first[i]; p < T.first[i + 1]; p++) {
      const t = T.time[p];
      if (t > limit) continue;
      if (C[T.cand[p]].fixed) { nFixed++; if (t < bestFixed) bestFixed = t; } else nFree++;
    }
    return { nFree, nFixed, bestFixed };
  };
  switch (o.model) {
    case 'lscp':
      for (let i = 0; i < n; i++) {
        const e = scan(i, m.limitS);
        if (m.weight[i] > 0 && e.nFixed === 0 && e.nFree > 0) row(e.nFree);
      }
      return s;
    case 'mclp':
      for (let i = 0; i < n; i++) {
        const e = scan(i, m.limitS);
        if (e.nFixed > 0 || e.nFree === 0 || !(m.weight[i] > 0)) continue;
        s.variables++;
        row(1 + e.nFree);
      }
      row(free);
      return s;
    case 'backup':
      for (let i = 0; i < n; i++) {
        const e = scan(i, m.backupLimitS!);
        if (!(m.weight[i] > 0) || e.nFixed >= 2 || e.nFixed + e.nFree < 2) continue;
        s.variables++;
        row(1 + e.nFree);
      }
      row(free);
      return s;
    case 'pmedian':
    case 'pcenter': {
      const center = o.model === 'pcenter';
      if (center) s.variables++;
      for (let i = 0; i < n; i++) {
        if (!(m.weight[i] > 0)) continue;
        const e = scan(i, m.horizonS);
        if (center && e.nFixed === 0 && e.nFree === 0) continue;
        const b = Math.min(pen, e.bestFixed);
        let useful = 0;
        for (let p = T.first[i]; p < T.first[i + 1]; p++) if (!C[T.cand[p]].fixed && T.time[p] <= m.horizonS && T.time[p] < b) useful++;
        if (useful === 0) { if (center) row(1); continue; }
        s.variables += useful;
        if (center) row(1 + useful);
        row(useful); // Σ_c x_ic ≤ 1
        s.rows += useful; s.nonzeros += 2 * useful; // x_ic ≤ y_c
      }
      row(free);
      return s;
    }
  }
}

const fmtInt = (x: number) => x.toLocaleString('en-US');

/**
 * Refuses, before anything is built, a model over the limits of its kind: PlannerError 'model-too-large' naming the
 * sizes and the limits in both languages (the caller keeps the greedy answer). Returns the size when it fits.
 */
export function checkMipSize(m: CoverageMatrix, o: ModelOptions, limits: MipLimits = DEFAULT_MIP_LIMITS[o.model]): MipSize {
  const s = mipSize(m, o);
  if (s.variables <= limits.variables && s.nonzeros <= limits.nonzeros) return s;
  const v = fmtInt(s.variables), nz = fmtInt(s.nonzeros), lv = fmtInt(limits.variables), lnz = fmtInt(limits.nonzeros);
  throw plannerError('model-too-large',
    `${o.model} 精确模型过大：${v} 个变量、${nz} 个非零系数（上限 ${lv} 个变量、${lnz} 个非零系数），未建立该模型，答案为启发式结果；可加大候选点间距、缩短时间限值，或换用 LSCP / MCLP`,
    `the exact ${o.model} model is too large: ${v} variables, ${nz} nonzeros (limit ${lv} variables, ${lnz} nonzeros); it was not built and the answer is the heuristic one. Use a larger candidate spacing, a shorter limit, or LSCP / MCLP`,
    { detail: `variables=${s.variables} rows=${s.rows} nonzeros=${s.nonzeros}` });
}
