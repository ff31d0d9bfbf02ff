/**
 * Greedy + swap (vertex substitution, Teitz–Bart) on a coverage matrix, and the score of any set of sites.
 *
 * LSCP, MCLP and p-median are one "min-cost" form: every demand point pays the cost of its cheapest open site
 * (MCLP/LSCP: 0 within the limit, else 1 — so the sum is the uncovered weight; p-median: the seconds, penaltyS when
 * no open site is within the horizon). Greedy adds the site of largest saving; swap replaces an open site by a
 * closed one while that lowers the total (first improvement, candidates in index order: deterministic).
 * p-center: the smallest time threshold at which greedy set cover needs ≤ k sites. Backup: greedy on the weight
 * reached twice within the second limit (ties broken by the weight reached at all), then swap.
 * Fixed candidates are always open and never counted as new.
 */
import { plannerError } from '../errors';
import type { CoverageMatrix, CurvePoint, ModelOptions, SitePick, SiteScore, Solution } from './types';

const EPS = 1e-9;

export const penaltyOf = (m: CoverageMatrix, o: Pick<ModelOptions, 'penaltyS'>): number => o.penaltyS ?? 2 * m.horizonS;

/** Refuses what no model can answer: k not a whole number ≥ 0, no free candidate, backup without a second limit or with one shorter than the first. */
export function validateModel(m: CoverageMatrix, o: ModelOptions): void {
  if (o.model !== 'lscp' && (o.k === undefined || !Number.isInteger(o.k) || o.k < 0))
    throw plannerError('bad-k', `新站数量 k 必须是 ≥ 0 的整数（得到 ${o.k}）`, `the number of new stations k must be a whole number ≥ 0 (got ${o.k})`);
  if (!m.candidates.some((c) => !c.fixed))
    throw plannerError('no-candidates', '候选站点为空：没有可供选择的新站址', 'the candidate set is empty: there is no new site to choose from');
  if (o.model === 'backup' && !(m.backupLimitS! > 0))
    throw plannerError('no-backup-limit', '备份覆盖模型需要第二时间限值（例如 8 分钟）', 'the backup model needs a second travel limit (e.g. 8 min)');
  if (o.model === 'backup' && m.backupLimitS! < m.limitS)
    throw plannerError('bad-backup-limit', `备份覆盖的第二时间限值（${m.backupLimitS} 秒）不能短于第一时间限值（${m.limitS} 秒）`,
      `the backup model's second limit (${m.backupLimitS} s) cannot be shorter than the first (${m.limitS} s)`);
  if (o.penaltyS !== undefined && !(o.penaltyS >= 0))
    throw plannerError('bad-penalty', `未覆盖的罚时无效：${o.penaltyS} 秒`, `invalid penalty time for uncovered demand: ${o.penaltyS} s`);
}

/** Score of the fixed sites plus `open` on the matrix. */
export function scoreSites(m: CoverageMatrix, open: readonly number[], o: Pick<ModelOptions, 'penaltyS'> = {}): SiteScore {
  const n = m.demandCount, pen = penaltyOf(m, o), on = openMask(m, open);
  const best = new Float64Array(n).fill(Infinity), twice = new Uint8Array(n), any = new Uint8Array(n), reached = new Uint8Array(n);
  for (let c = 0; c < m.candidates.length; c++)
    for (let k = m.first[c]; k < m.first[c + 1]; k++) {
      const i = m.dem[k], t = m.time[k];
      reached[i] = 1;
      if (t <= m.limitS) any[i] = 1;
      if (!on[c]) continue;
      if (t < best[i]) best[i] = t;
      if (m.backupLimitS !== null && t <= m.backupLimitS && twice[i] < 2) twice[i]++;
    }
  let total = 0, covered = 0, unc = 0, uncN = 0, backup = 0, wt = 0, worst = 0;
  for (let i = 0; i < n; i++) {
    const w = m.weight[i], t = best[i] <= m.horizonS ? best[i] : pen;
    total += w;
    if (best[i] <= m.limitS) covered += w;
    if (!any[i]) { unc += w; uncN++; }
    if (twice[i] >= 2) backup += w;
    wt += w * t;
    if (w > 0 && reached[i] && t > worst) worst = t;
  }
  return {
    open: [...open], totalWeight: total, coveredWeight: covered, coveredShare: total > 0 ? covered / total : 0,
    uncoverableWeight: unc, uncoverableCount: uncN, backupWeight: m.backupLimitS === null ? null : backup, weightedTimeS: wt, worstTimeS: worst,
  };
}

function openMask(m: CoverageMatrix, open: readonly number[]): Uint8Array {
  const on = new Uint8Array(m.candidates.length);
  m.candidates.forEach((c, j) => { if (c.fixed) on[j] = 1; });
  for (const j of open) {
    if (!(j >= 0 && j < m.candidates.length)) throw plannerError('bad-site', `站址编号无效：${j}`, `invalid site index: ${j}`);
    on[j] = 1;
  }
  return on;
}

/** The min-cost form: per-entry cost and the cost of demand no open site reaches. */
interface CostForm {
  cost: (t: number) => number;
  none: number;
}
const costForm = (m: CoverageMatrix, o: ModelOptions): CostForm =>
  o.model === 'pmedian' ? { cost: (t) => t, none: penaltyOf(m, o) } : { cost: (t) => (t <= m.limitS ? 0 : 1), none: 1 };

/** Best and second-best cost per demand over the open sites, and the owner of the best. */
class MinCost {
  readonly best1: Float64Array;
  readonly best2: Float64Array;
  readonly owner: Int32Array;
  constructor(readonly m: CoverageMatrix, readonly f: CostForm) {
    const n = m.demandCount;
    this.best1 = new Float64Array(n);
    this.best2 = new Float64Array(n);
    this.owner = new Int32Array(n);
  }
  reset(on: Uint8Array): void {
    const { m, f, best1, best2, owner } = this;
    best1.fill(f.none); best2.fill(f.none); owner.fill(-1);
    for (let c = 0; c < m.candidates.length; c++) {
      if (!on[c]) continue;
      for (let k = m.first[c]; k < m.first[c + 1]; k++) {
        const i = m.dem[k], v = f.cost(m.time[k]);
        if (v < best1[i]) { best2[i] = best1[i]; best1[i] = v; owner[i] = c; }
        else if (v < best2[i]) best2[i] = v;
      }
    }
  }
  total(): number {
    let s = 0;
    for (let i = 0; i < this.m.demandCount; i++) s += this.m.weight[i] * this.best1[i];
    return s;
  }
  /** Saving from opening c now (≥ 0). */
  gain(c: number): number {
    const { m, f, best1 } = this;
    let g = 0;
    for (let k = m.first[c]; k < m.first[c + 1]; k++) {
      const i = m.dem[k], d = best1[m.dem[k]] - f.cost(m.time[k]);
      if (d > 0) g += m.weight[i] * d;
    }
    return g;
  }
  /** Change of the total when open site s is replaced by c (negative = better). */
  swapDelta(s: number, c: number, loss: number): number {
    const { m, f, best1, best2, owner } = this;
    let d = loss;
    for (let k = m.first[c]; k < m.first[c + 1]; k++) {
      const i = m.dem[k], base = owner[i] === s ? best2[i] : best1[i], v = f.cost(m.time[k]);
      if (v < base) d += m.weight[i] * (v - base);
    }
    return d;
  }
  /** What closing s costs (all demand it serves falls back to its second best). */
  loss(s: number): number {
    const { m, best1, best2, owner } = this;
    let d = 0;
    for (let k = m.first[s]; k < m.first[s + 1]; k++) { const i = m.dem[k]; if (owner[i] === s) d += m.weight[i] * (best2[i] - best1[i]); }
    return d;
  }
}

/** Greedy additions (largest saving first, lowest index on ties) until `stop` says so. */
function greedyAdd(mc: MinCost, on: Uint8Array, picks: SitePick[], stop: (gain: number) => boolean): void {
  const C = mc.m.candidates.length;
  for (;;) {
    let bestC = -1, bestG = -1;
    for (let c = 0; c < C; c++) {
      if (on[c]) continue;
      const g = mc.gain(c);
      if (g > bestG + EPS) { bestG = g; bestC = c; }
    }
    if (bestC < 0 || stop(bestG)) return;
    on[bestC] = 1;
    picks.push({ candidate: bestC, gain: bestG });
    mc.reset(on);
  }
}

/** Vertex substitution: first improving swap, repeated until none improves. Returns the new open list. */
function swapLoop(mc: MinCost, on: Uint8Array, open: number[], signal?: { readonly aborted: boolean }): number[] {
  const C = mc.m.candidates.length;
  let improved = true;
  while (improved && !signal?.aborted) {
    improved = false;
    for (let a = 0; a < open.length && !improved; a++) {
      const s = open[a], loss = mc.loss(s), tol = -EPS * (1 + Math.abs(mc.total()));
      for (let c = 0; c < C; c++) {
        if (on[c]) continue;
        if (mc.swapDelta(s, c, loss) < tol) {
          on[s] = 0; on[c] = 1; open[a] = c;
          mc.reset(on);
          improved = true;
          break;
        }
      }
    }
  }
  return open;
}

const fixedMask = (m: CoverageMatrix): Uint8Array => Uint8Array.from(m.candidates, (c) => (c.fixed ? 1 : 0));
const freeCount = (m: CoverageMatrix): number => m.candidates.filter((c) => !c.fixed).length;

/** The marginal gain of each site in the given order (in the model's objective; what the UI lists per pick). */
export function picksInOrder(m: CoverageMatrix, o: ModelOptions, open: readonly number[]): SitePick[] {
  const on = fixedMask(m), out: SitePick[] = [];
  if (o.model === 'backup' || o.model === 'pcenter') {
    // Largest gain first among the sites left (k is small: one objective per site and step).
    const rest = [...open], sel: number[] = [];
    let before = modelObjective(m, o, []);
    while (rest.length) {
      let bi = 0, bg = -Infinity, bv = before;
      rest.forEach((c, j) => {
        const now = modelObjective(m, o, [...sel, c]), g = o.model === 'pcenter' ? before - now : now - before;
        if (g > bg + EPS) { bg = g; bi = j; bv = now; }
      });
      const c = rest.splice(bi, 1)[0];
      sel.push(c); on[c] = 1;
      out.push({ candidate: c, gain: bg });
      before = bv;
    }
    return out;
  }
  const mc = new MinCost(m, costForm(m, o));
  mc.reset(on);
  // Largest remaining gain first, so the list reads like greedy even for an exact answer.
  const rest = [...open];
  while (rest.length) {
    let bi = 0, bg = -1;
    rest.forEach((c, j) => { const g = mc.gain(c); if (g > bg + EPS) { bg = g; bi = j; } });
    const c = rest.splice(bi, 1)[0];
    out.push({ candidate: c, gain: bg });
    on[c] = 1;
    mc.reset(on);
  }
  return out;
}

/**
 * The greedy next station: the free candidate whose opening gains most now (lowest index on ties), with its gain in
 * the model's objective (LSCP/MCLP: weight newly covered; p-median: weighted seconds saved; p-center: worst seconds
 * saved; backup: weight newly reached twice). Null when every candidate is open.
 */
export function nextStation(m: CoverageMatrix, o: ModelOptions, open: readonly number[]): SitePick | null {
  const on = openMask(m, open);
  if (o.model === 'backup' || o.model === 'pcenter') {
    const before = modelObjective(m, o, open);
    let best: SitePick | null = null;
    for (let c = 0; c < m.candidates.length; c++) {
      if (on[c]) continue;
      const now = modelObjective(m, o, [...open, c]), gain = o.model === 'pcenter' ? before - now : now - before;
      if (!best || gain > best.gain + EPS) best = { candidate: c, gain };
    }
    return best;
  }
  const mc = new MinCost(m, costForm(m, o));
  mc.reset(on);
  let best: SitePick | null = null;
  for (let c = 0; c < m.candidates.length; c++) {
    if (on[c]) continue;
    const g = mc.gain(c);
    if (!best || g > best.gain + EPS) best = { candidate: c, gain: g };
  }
  return best;
}

/**
 * A bound on the best k new sites from any set S (Nemhauser–Wolsey): covered weight (MCLP) and time saved (p-median)
 * are submodular, so OPT ≤ f(S) + the sum of the k largest gains of single sites added to S. Returned in the model's
 * terms: an upper bound on MCLP's covered weight, a lower bound on p-median's weighted seconds. Null for other models.
 */
export function submodularBound(m: CoverageMatrix, o: ModelOptions, open: readonly number[]): number | null {
  if (o.model !== 'mclp' && o.model !== 'pmedian') return null;
  const mc = new MinCost(m, costForm(m, o)), on = openMask(m, open);
  mc.reset(on);
  const gains: number[] = [];
  for (let c = 0; c < m.candidates.length; c++) if (!on[c]) gains.push(mc.gain(c));
  gains.sort((a, b) => b - a);
  const top = gains.slice(0, o.k ?? 0).reduce((a, b) => a + b, 0), f = modelObjective(m, o, open);
  return o.model === 'mclp' ? f + top : f - top;
}

/** The objective of a set of new sites in the model's terms (see Solution.objective). */
export function modelObjective(m: CoverageMatrix, o: ModelOptions, open: readonly number[]): number {
  const s = scoreSites(m, open, o);
  switch (o.model) {
    case 'lscp': return open.length;
    case 'mclp': return s.coveredWeight;
    case 'pmedian': return s.weightedTimeS;
    case 'pcenter': return s.worstTimeS;
    case 'backup': return s.backupWeight ?? 0;
  }
}

/** Greedy + swap answer for any model. */
export function solveHeuristic(m: CoverageMatrix, o: ModelOptions, ctl: { signal?: { readonly aborted: boolean } } = {}): Solution {
  validateModel(m, o);
  const k = Math.min(o.k ?? 0, freeCount(m));
  let open: number[];
  let picks: SitePick[];
  if (o.model === 'pcenter') open = pCenterGreedy(m, o, k);
  else if (o.model === 'backup') open = backupGreedy(m, k, ctl.signal);
  else {
    const mc = new MinCost(m, costForm(m, o)), on = fixedMask(m);
    mc.reset(on);
    const p: SitePick[] = [];
    if (o.model === 'lscp') {
      // Set cover (Chvátal): count the (merged) points a site newly covers, not their weight — every point must be
      // covered whatever it weighs. Then drop sites the others make redundant.
      const unit = { ...m, weight: m.weight.map((w) => (w > 0 ? 1 : 0)) };
      const cover = new MinCost(unit, costForm(unit, o));
      cover.reset(on);
      greedyAdd(cover, on, p, (g) => g <= EPS);
      open = dropRedundant(m, p.map((x) => x.candidate));
    } else {
      greedyAdd(mc, on, p, () => p.length >= k);
      open = swapLoop(mc, on, p.map((x) => x.candidate), ctl.signal);
    }
  }
  // eslint-disable-next-line prefer-const
  picks = picksInOrder(m, o, open);
  open = picks.map((x) => x.candidate);
  return { model: o.model, method: o.model === 'lscp' ? 'greedy' : 'greedy+swap', open, objective: modelObjective(m, o, open), picks, score: scoreSites(m, open, o), estimate: m.estimate };
}

/** LSCP clean-up: drop a site (latest first) when the others still cover everything it covered. */
function dropRedundant(m: CoverageMatrix, open: number[]): number[] {
  const cnt = new Int32Array(m.demandCount), on = fixedMask(m);
  for (const c of open) on[c] = 1;
  for (let c = 0; c < m.candidates.length; c++)
    if (on[c]) for (let k = m.first[c]; k < m.first[c + 1]; k++) if (m.time[k] <= m.limitS) cnt[m.dem[k]]++;
  const keep = [...open];
  for (let a = keep.length - 1; a >= 0; a--) {
    const s = keep[a];
    let needed = false;
    for (let k = m.first[s]; k < m.first[s + 1] && !needed; k++) if (m.time[k] <= m.limitS && cnt[m.dem[k]] === 1 && m.weight[m.dem[k]] > 0) needed = true;
    if (needed) continue;
    for (let k = m.first[s]; k < m.first[s + 1]; k++) if (m.time[k] <= m.limitS) cnt[m.dem[k]]--;
    keep.splice(a, 1);
  }
  return keep;
}

/** Greedy set cover at threshold T: sites needed so that every demand some candidate reaches within T is reached; null when > k. */
function coverAt(m: CoverageMatrix, T: number, k: number, need: Uint8Array, cover: Uint8Array): number[] | null {
  cover.set(need);
  for (let c = 0; c < m.candidates.length; c++)
    if (m.candidates[c].fixed) for (let p = m.first[c]; p < m.first[c + 1]; p++) if (m.time[p] <= T) cover[m.dem[p]] = 0;
  const open: number[] = [];
  for (;;) {
    let bc = -1, bg = 0;
    for (let c = 0; c < m.candidates.length; c++) {
      if (m.candidates[c].fixed) continue;
      let g = 0;
      for (let p = m.first[c]; p < m.first[c + 1]; p++) if (cover[m.dem[p]] && m.time[p] <= T) g += m.weight[m.dem[p]] + EPS;
      if (g > bg) { bg = g; bc = c; }
    }
    if (bc < 0) return open;
    if (open.length >= k) return null;
    open.push(bc);
    for (let p = m.first[bc]; p < m.first[bc + 1]; p++) if (m.time[p] <= T) cover[m.dem[p]] = 0;
  }
}

function pCenterGreedy(m: CoverageMatrix, o: ModelOptions, k: number): number[] {
  const times = Array.from(new Set(m.time)).sort((a, b) => a - b);
  // Demand no candidate reaches within the horizon pays the penalty whatever is chosen; the rest is required.
  const need = new Uint8Array(m.demandCount), cover = new Uint8Array(m.demandCount);
  for (let p = 0; p < m.dem.length; p++) if (m.weight[m.dem[p]] > 0) need[m.dem[p]] = 1;
  const within = new Uint8Array(m.demandCount);
  const feasible = (T: number): number[] | null => {
    within.fill(0);
    for (let p = 0; p < m.dem.length; p++) if (m.time[p] <= T) within[m.dem[p]] = 1;
    for (let i = 0; i < m.demandCount; i++) if (need[i] && !within[i]) return null;
    return coverAt(m, T, k, need, cover);
  };
  let lo = 0, hi = times.length - 1, best: number[] = [];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, sel = feasible(times[mid]);
    if (sel) { best = sel; hi = mid - 1; } else lo = mid + 1;
  }
  // Fill free slots with the largest p-median saving (lower total time, same worst).
  return fillUp(m, o, best, k);
}

function fillUp(m: CoverageMatrix, o: ModelOptions, open: number[], k: number): number[] {
  if (open.length >= k) return open;
  const mc = new MinCost(m, costForm(m, { ...o, model: 'pmedian' })), on = fixedMask(m);
  for (const c of open) on[c] = 1;
  mc.reset(on);
  const p: SitePick[] = open.map((c) => ({ candidate: c, gain: 0 }));
  greedyAdd(mc, on, p, (g) => p.length >= k || g <= EPS);
  return p.map((x) => x.candidate);
}

/** Backup coverage: greedy on (weight newly reached twice, weight newly reached at all), then swap. */
function backupGreedy(m: CoverageMatrix, k: number, signal?: { readonly aborted: boolean }): number[] {
  const L = m.backupLimitS!, C = m.candidates.length, cnt = new Int32Array(m.demandCount), on = fixedMask(m);
  const add = (c: number, d: number) => { for (let p = m.first[c]; p < m.first[c + 1]; p++) if (m.time[p] <= L) cnt[m.dem[p]] += d; };
  for (let c = 0; c < C; c++) if (on[c]) add(c, 1);
  const value = (c: number) => {
    let two = 0, one = 0;
    for (let p = m.first[c]; p < m.first[c + 1]; p++) {
      if (m.time[p] > L) continue;
      const i = m.dem[p], n = cnt[i];
      if (n === 1) two += m.weight[i]; else if (n === 0) one += m.weight[i];
    }
    return { two, one };
  };
  const open: number[] = [];
  while (open.length < k) {
    let bc = -1, b2 = -1, b1 = -1;
    for (let c = 0; c < C; c++) {
      if (on[c]) continue;
      const v = value(c);
      if (v.two > b2 + EPS || (Math.abs(v.two - b2) <= EPS && v.one > b1 + EPS)) { bc = c; b2 = v.two; b1 = v.one; }
    }
    if (bc < 0) break;
    on[bc] = 1; open.push(bc); add(bc, 1);
  }
  // Swap: replace s by c while the weight reached twice grows.
  const obj = () => { let s = 0; for (let i = 0; i < m.demandCount; i++) if (cnt[i] >= 2) s += m.weight[i]; return s; };
  let improved = true;
  while (improved && !signal?.aborted) {
    improved = false;
    for (let a = 0; a < open.length && !improved; a++) {
      const s = open[a], before = obj();
      for (let c = 0; c < C && !improved; c++) {
        if (on[c]) continue;
        add(s, -1); add(c, 1);
        if (obj() > before + EPS * (1 + before)) { on[s] = 0; on[c] = 1; open[a] = c; improved = true; }
        else { add(c, -1); add(s, 1); }
      }
    }
  }
  return open;
}

/**
 * The curve "covered share vs number of new stations", k = 0 … kMax: greedy + swap for MCLP, each k starting from
 * the answer for k − 1 plus its best addition, so the curve never goes down.
 */
export function coverageCurve(m: CoverageMatrix, kMax = 10, ctl: { signal?: { readonly aborted: boolean } } = {}): CurvePoint[] {
  const o: ModelOptions = { model: 'mclp' };
  const mc = new MinCost(m, costForm(m, o)), on = fixedMask(m), out: CurvePoint[] = [];
  mc.reset(on);
  let open: number[] = [];
  const total = m.weight.reduce((a, b) => a + b, 0);
  const point = (k: number) => { const cov = total - mc.total(); out.push({ k, coveredWeight: cov, coveredShare: total > 0 ? cov / total : 0, open: [...open] }); };
  point(0);
  const kTop = Math.min(kMax, freeCount(m));
  for (let k = 1; k <= kTop; k++) {
    if (ctl.signal?.aborted) break;
    const p: SitePick[] = open.map((c) => ({ candidate: c, gain: 0 }));
    greedyAdd(mc, on, p, () => p.length >= k);
    open = swapLoop(mc, on, p.map((x) => x.candidate), ctl.signal);
    point(k);
  }
  return out;
}

/**
 * The plan's own new sites against the best as many (greedy + swap MCLP on the same matrix): "the plan's 3 sites
 * cover 81 %; the best 3 cover 93 %". `sites` are candidate indices (e.g. the planned stations, freed).
 */
export function comparePlan(m: CoverageMatrix, sites: readonly number[]): { plan: SiteScore; best: Solution } {
  const free = new Set(m.candidates.map((c, j) => (c.fixed ? -1 : j)));
  if (sites.some((j) => !free.has(j)))
    throw plannerError('plan-site-fixed', '比较的规划站点必须是可选站点（规划站请设为“可选”）', 'the plan sites compared must be free candidates (free the planned stations)');
  return { plan: scoreSites(m, sites), best: solveHeuristic(m, { model: 'mclp', k: sites.length }) };
}
