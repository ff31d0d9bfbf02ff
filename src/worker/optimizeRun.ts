/**
 * The worker side of a siting run (issue #12, app glue over src/core/optimize): demand (points every 50 m along the
 * roads, or a grid inside the outline for the straight-line estimate), candidates (road nodes thinned to a spacing,
 * only inside drawn areas, or an imported list; existing stations fixed, planned ones fixed or freed), the coverage
 * matrix in batches (progress + cancel between batches), merged demand, greedy + swap, the coverage curve, the
 * plan's own sites against the best of their count, the exact MIP (HiGHS) with live bound / gap, the LP text.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { buildWaterIndex, pointInWater, type WaterIndex } from '../core/water';
import { metresPerDegree } from '../core/geo';
import { plannerError, toErrorInfo } from '../core/errors';
import type { Router } from '../core/router';
import type { AreaGeometry } from '../core/types';
import {
  areaCandidates, areaDemand, buildMip, checkMipSize, comparePlan, coverageCurve, importedCandidates, importedDemand, inRing, mergeDemand, modelObjectiveOf, networkMatrix, roadCandidates, roadDemand, scoreSites, sitedRoadCandidates, solveExactGuarded,
  sitingHook, solveHeuristic, stationCandidates, straightLineMatrix, writeLp, type Candidate, type CoverageMatrix, type Demand, type ModelOptions, type Ring, type Solution,
  type SolveLp,
} from '../core/optimize';
import type { ExactStatus, OptimizeProgress, OptimizeProgressFn, OptimizeRequest, OptimizeResult } from './optimizeProtocol';

/** Refuses a site (any place the caller rules out besides the request's water, see requestWater). */
export type SiteExclusion = (lon: number, lat: number) => boolean;

/** The last water index built (a run per place reuses it: same key, same polygons). */
const waterCache: { key: string | null; index: WaterIndex | null } = { key: null, index: null };

/** The request's water as a site test (null without water in the request). */
export function requestWater(req: OptimizeRequest): SiteExclusion | null {
  if (!req.water) return null;
  if (waterCache.key !== req.water.key || !waterCache.index) {
    waterCache.index = buildWaterIndex(req.water.areas);
    waterCache.key = req.water.key;
  }
  const idx = waterCache.index;
  return (lon, lat) => pointInWater(idx, [lon, lat]) !== null;
}

/** Road demand spacing (m) and the estimate's demand grid (m). */
export const DEMAND_SPACING_M = 50;
export const ESTIMATE_DEMAND_M = 200;
/** Smallest candidate spacing of the estimate (as the command line). */
export const ESTIMATE_CANDIDATE_M = 500;
/** Candidates per matrix batch: progress and a cancel check between batches. */
const BATCH = 25;

const cancelled = () => plannerError('optimize-cancelled', '选址优化已取消', 'the siting run was cancelled');

/** Reports progress; throws 'optimize-cancelled' when the callback asks to stop. */
async function step(onProgress: OptimizeProgressFn | undefined, p: OptimizeProgress): Promise<void> {
  if (onProgress && (await onProgress(p)) === true) throw cancelled();
}

/** Outer rings of polygons (what the core's area tests take). */
const ringsOf = (areas: (Polygon | MultiPolygon)[]): Ring[] =>
  areas.flatMap((a) => (a.type === 'Polygon' ? [a.coordinates[0]] : a.coordinates.map((p) => p[0]))).map((r) => r.map(([x, y]) => [x, y] as const));

/** Grid points every `stepM` metres inside the rings. */
export function gridInside(rings: Ring[], stepM: number): { lon: number; lat: number }[] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of rings) for (const [x, y] of r) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); }
  if (!(w < e && s < n)) return [];
  const { mx, my } = metresPerDegree((s + n) / 2);
  const out: { lon: number; lat: number }[] = [];
  for (let lat = s + stepM / my / 2; lat < n; lat += stepM / my)
    for (let lon = w + stepM / mx / 2; lon < e; lon += stepM / mx) if (rings.some((r) => inRing(lon, lat, r))) out.push({ lon, lat });
  return out;
}

/** Checks what the panel can get wrong before any work: k, the limits, an empty imported list. */
export function checkRequest(req: OptimizeRequest): void {
  if (req.model !== 'lscp' && (!Number.isInteger(req.k) || req.k < 0 || req.k > 50))
    throw plannerError('bad-k', `新站数 k 必须是 0 到 50 的整数（收到 ${req.k}）`, `k (new stations) must be a whole number from 0 to 50 (got ${req.k})`);
  if (!(req.minutes > 0 && req.minutes <= 30))
    throw plannerError('bad-minutes', `行车时间限值必须在 0 到 30 分钟之间（收到 ${req.minutes}）`, `the travel limit must be between 0 and 30 minutes (got ${req.minutes})`);
  if (req.model === 'backup' && !((req.backupMinutes ?? 0) > req.minutes && (req.backupMinutes ?? 0) <= 60))
    throw plannerError('bad-minutes', `备援覆盖的第二时限必须大于第一时限且不超过 60 分钟（收到 ${req.backupMinutes}）`, `the backup model's second limit must exceed the first and be at most 60 minutes (got ${req.backupMinutes})`);
  if (req.candidates.kind === 'list' && req.candidates.points.length === 0)
    throw plannerError('no-candidates', '候选站点列表为空', 'the candidate list is empty');
  if (req.candidates.kind === 'areas' && req.candidates.areas.length === 0)
    throw plannerError('no-candidates', '请至少选择一个候选范围（责任区或镇）', 'choose at least one area (district or town) for the candidates');
}

/** The candidates: fixed stations first, then the plan's sites (fixed or free), then the new sites. */
function candidatesOf(req: OptimizeRequest, newSites: Candidate[]): { cands: Candidate[]; planned: number[] } {
  const fixed = stationCandidates(req.fixed.map((s) => ({ ...s, planned: false })));
  const planned = stationCandidates(req.planned.map((s) => ({ ...s, planned: true })), 'free');
  const cands = [...fixed, ...planned, ...newSites];
  return { cands, planned: planned.map((_, i) => fixed.length + i) };
}

/** Candidates' rows of several matrices (same demand) as one matrix. */
export function joinRows(parts: CoverageMatrix[]): CoverageMatrix {
  const first = [0], dem: number[] = [], time: number[] = [], candidates: Candidate[] = [];
  for (const p of parts)
    p.candidates.forEach((c, i) => {
      candidates.push(c);
      for (let k = p.first[i]; k < p.first[i + 1]; k++) { dem.push(p.dem[k]); time.push(p.time[k]); }
      first.push(dem.length);
    });
  return { ...parts[0], candidates, first: Uint32Array.from(first), dem: Uint32Array.from(dem), time: Float32Array.from(time) };
}

/** The matrix in batches of candidates, with progress and a cancel check between them. */
async function batchedMatrix(req: OptimizeRequest, cands: Candidate[], build: (c: Candidate[]) => CoverageMatrix, onProgress?: OptimizeProgressFn): Promise<CoverageMatrix> {
  const parts: CoverageMatrix[] = [];
  for (let i = 0; i < cands.length; i += BATCH) {
    await step(onProgress, { runId: req.runId, phase: 'matrix', done: i, total: cands.length });
    parts.push(build(cands.slice(i, i + BATCH)));
  }
  await step(onProgress, { runId: req.runId, phase: 'matrix', done: cands.length, total: cands.length });
  return joinRows(parts.length ? parts : [build([])]);
}

export interface RunInstance {
  matrix: CoverageMatrix;
  /** Road candidates left out by the siting checklist. */
  excludedBySiting: number;
  /** New candidate sites left out for standing in water. */
  excludedByWater: number;
  /** Indices of the plan's own sites in the matrix (freed ones; empty when fixed). */
  planned: number[];
  mode: OptimizeResult['mode'];
}

const limitsOf = (req: OptimizeRequest) => {
  const limitS = req.minutes * 60;
  const backupLimitS = req.model === 'backup' ? (req.backupMinutes ?? 0) * 60 : null;
  // p-median and p-center look beyond the limit (a time there is not "uncovered" but slower).
  const horizonS = req.model === 'pmedian' || req.model === 'pcenter' ? 2 * Math.max(limitS, backupLimitS ?? 0) : undefined;
  return { limitS, backupLimitS, horizonS };
};

/**
 * The instance on the road network (router) or, without one, the straight-line estimate on the outline. No new
 * candidate stands in the request's water or where `extra` says; `excludedByWater` counts the sites the same
 * candidate set would have had in water (for the road sites: thinned without the water test, then tested).
 */
export async function buildInstance(req: OptimizeRequest, router: Router | null, onProgress?: OptimizeProgressFn, extra?: SiteExclusion): Promise<RunInstance> {
  await step(onProgress, { runId: req.runId, phase: 'demand', done: 0, total: 1 });
  const water = requestWater(req);
  const exclude: SiteExclusion | undefined = water || extra ? (lon, lat) => !!extra?.(lon, lat) || !!water?.(lon, lat) : undefined;
  const isExcluded = exclude ? (p: { lon: number; lat: number }) => exclude(p.lon, p.lat) : undefined;
  const extraOnly = extra ? (p: { lon: number; lat: number }) => extra(p.lon, p.lat) : undefined;
  const wet = (ps: readonly { lon: number; lat: number }[]): number => (water ? ps.filter((p) => !extra?.(p.lon, p.lat) && water(p.lon, p.lat)).length : 0);
  const spec = req.candidates;
  const listed = spec.kind === 'list' ? importedCandidates(spec.points).filter((c) => !exclude?.(c.lon, c.lat)) : null;
  const lim = limitsOf(req);
  if (router) {
    const g = router.graph;
    const demand: Demand = req.demandPoints ? importedDemand(req.demandPoints) : roadDemand(g, { spacingM: DEMAND_SPACING_M, seconds: router.seconds });
    const roadOpts = { spacingM: spec.kind === 'list' ? 0 : spec.spacingM, seconds: router.seconds, usable: router.mainNetwork, areas: spec.kind === 'areas' ? ringsOf(spec.areas) : undefined };
    // The checklist as the command line applies it (one core function): failing nodes dropped, then thinned.
    const sited = listed ? { candidates: listed, excluded: 0 } : sitedRoadCandidates(g, {
      ...roadOpts, isExcluded,
      ...(req.siting ? { siting: sitingHook(req.siting.pois, { rules: req.siting.rules, coverage: req.siting.coverage }), sitingMode: req.siting.mode } : {}),
    });
    const excludedByWater = spec.kind === 'list' ? wet(spec.points) : water ? wet(roadCandidates(g, { ...roadOpts, isExcluded: extraOnly })) : 0;
    const { cands, planned } = candidatesOf(req, sited.candidates);
    const matrix = await batchedMatrix(req, cands, (c) => networkMatrix(router, demand, c, lim), onProgress);
    return { matrix, planned, mode: 'network', excludedBySiting: sited.excluded, excludedByWater };
  }
  const parts = req.boundary ?? [];
  const sl = req.straightLine;
  if (!parts.length || !sl) throw plannerError('optimize-no-outline', '该地点没有路网也没有边界，无法估算', 'this place has neither a road network nor an outline to estimate on');
  const area: AreaGeometry = parts.length === 1 ? parts[0] : { type: 'MultiPolygon', coordinates: parts.flatMap((a) => (a.type === 'Polygon' ? [a.coordinates] : a.coordinates)) };
  // The same grids as `planner optimize` on a place without roads (core/optimize/estimate.ts).
  const demand = req.demandPoints ? importedDemand(req.demandPoints) : areaDemand(area, ESTIMATE_DEMAND_M);
  const spacing = Math.max(spec.kind === 'list' ? 0 : spec.spacingM, ESTIMATE_CANDIDATE_M);
  const grid = spec.kind === 'areas' ? gridInside(ringsOf(spec.areas), spacing) : [];
  const news = listed ?? (spec.kind === 'areas'
    ? importedCandidates(grid.filter((p) => !exclude?.(p.lon, p.lat)).map((p, i) => ({ id: `grid-${i}`, ...p })))
    : areaCandidates(area, spacing, isExcluded));
  const excludedByWater = !water ? 0 : spec.kind === 'list' ? wet(spec.points) : spec.kind === 'areas' ? wet(grid) : wet(areaCandidates(area, spacing, extraOnly));
  const { cands, planned } = candidatesOf(req, news);
  const matrix = await batchedMatrix(req, cands, (c) => straightLineMatrix(demand, c, { ...lim, speedKmh: sl.speedKmh, curvature: sl.curvature }), onProgress);
  return { matrix, planned, mode: 'straight-line-estimate', excludedBySiting: 0, excludedByWater };
}

/** An objective in display terms: stations, km (road metres / 1000), weight (points), or seconds (p-median: mean). */
function displayObjective(req: OptimizeRequest, m: CoverageMatrix, v: number | null, roads: boolean): number | undefined {
  const scale = req.demandPoints || req.weight === 'uniform' ? 1 : roads ? 1000 : 1e6;
  if (v === null) return undefined;
  const total = m.weight.reduce((a, b) => a + b, 0);
  switch (req.model) {
    case 'lscp': case 'pcenter': return v;
    case 'pmedian': return total > 0 ? v / total : 0;
    default: return v / scale;
  }
}

/** Runs the whole request on an instance: heuristic, curve, plan comparison, exact, LP. */
export async function solveRequest(req: OptimizeRequest, inst: RunInstance, solveLp: () => Promise<SolveLp>, onProgress?: OptimizeProgressFn, t0 = Date.now()): Promise<OptimizeResult> {
  const full = req.weight === 'uniform' && !req.demandPoints ? { ...inst.matrix, weight: new Float64Array(inst.matrix.weight.length).fill(1) } : inst.matrix;
  const roads = inst.mode === 'network';
  // Road demand in km, the estimate's area grid in km², uniform weights as points.
  const unit: OptimizeResult['demand']['unit'] = req.demandPoints ? 'weight' : req.weight === 'uniform' ? 'points' : roads ? 'km' : 'km2';
  const toUnit = (w: number) => (unit === 'km' ? w / 1000 : unit === 'km2' ? w / 1e6 : w);
  const o: ModelOptions = { model: req.model, k: req.k };
  await step(onProgress, { runId: req.runId, phase: 'heuristic', done: 0, total: 1 });
  const merged = mergeDemand(full, req.model);
  const heur = solveHeuristic(merged, o);
  // p-median / p-center merge on whole seconds (240.4 s would count as within 240 s): the curve and the plan
  // comparison are coverage questions, asked on demand merged by exact coverage instead.
  const byCoverage = req.model === 'pmedian' || req.model === 'pcenter' ? mergeDemand(full, 'mclp') : merged;
  const curveRaw = coverageCurve(byCoverage, req.curveMaxK ?? 10);
  let best: Solution = heur;
  let exact: ExactStatus = { status: 'not-run' };
  if (req.exactLimitS > 0) {
    await step(onProgress, { runId: req.runId, phase: 'exact', done: 0, total: req.exactLimitS });
    try {
      // The engine first: HiGHS models over what HiGHS (WebAssembly) holds are refused before they are built (and
      // HiGHS is loaded only for them); a big MCLP goes to the Lagrangian branch and bound.
      const ex = await solveExactGuarded(merged, o, solveLp, {
        timeLimitS: req.exactLimitS,
        // highs-js blocks while it solves; these messages leave at once (comlink posts them), cancel waits for the end.
        onProgress: (p) => { void onProgress?.({ runId: req.runId, phase: 'exact', done: p.seconds ?? 0, total: req.exactLimitS, bound: displayObjective(req, merged, p.bestBound, roads), incumbent: displayObjective(req, merged, p.bestSolution, roads), gapPct: p.gap === null ? undefined : p.gap * 100 }); },
      });
      const info = ex.exact!;
      const maximise = req.model === 'mclp' || req.model === 'backup';
      if (maximise ? ex.objective > heur.objective + 1e-9 : ex.objective < heur.objective - 1e-9) best = ex;
      // The gap of the answer shown (the better of heuristic and exact) to the solver's bound, in the model's terms.
      const gap = info.optimal ? (best === ex ? 0 : Math.abs(best.objective - ex.objective) / Math.max(Math.abs(best.objective), 1e-9))
        : info.bound === null ? null : Math.max(0, maximise ? info.bound - best.objective : best.objective - info.bound) / Math.max(Math.abs(best.objective), 1e-9);
      exact = {
        status: info.optimal ? 'optimal' : /time limit/i.test(info.status) ? 'time-limit' : 'failed',
        // The objective on the unmerged matrix (exact times, not the merged whole seconds); the bound is the model's.
        objective: displayObjective(req, merged, modelObjectiveOf(full, o, ex.open), roads), bound: displayObjective(req, merged, info.bound, roads),
        gapPct: gap === null ? undefined : gap * 100, seconds: info.seconds,
        ...(info.optimal ? { heuristicGapPct: ex.objective !== 0 ? (Math.abs(ex.objective - heur.objective) / Math.abs(ex.objective)) * 100 : 0 } : {}),
      };
    } catch (e) {
      const err = e as { code?: string; zh?: string; en?: string };
      if (err.code === 'optimize-cancelled') throw e;
      exact = { status: /infeasible/i.test(String(err.en)) ? 'infeasible' : 'failed', error: { code: err.code ?? 'exact-failed', zh: err.zh ?? '精确求解失败', en: err.en ?? 'the exact solver failed' } };
    }
  }
  // Sites ranked by what each adds to coverage (whatever the model), on the unmerged matrix.
  const base = scoreSites(full, []);
  const order: number[] = [];
  const rest = [...best.open];
  const sites: OptimizeResult['sites'] = [];
  let covered = base.coveredWeight;
  while (rest.length) {
    let bi = 0, bw = -1;
    rest.forEach((c, i) => { const w = scoreSites(full, [...order, c]).coveredWeight; if (w > bw) { bw = w; bi = i; } });
    const c = rest.splice(bi, 1)[0];
    order.push(c);
    const cand = full.candidates[c];
    sites.push({ rank: order.length, candidateId: cand.id, lon: cand.lon, lat: cand.lat, gain: toUnit(bw - covered), shareAfter: base.totalWeight ? bw / base.totalWeight : 0, ...(cand.kind === 'planned' ? { planned: true } : {}), ...(cand.siting ? { siting: cand.siting } : {}) });
    covered = bw;
  }
  const curve = curveRaw.map((p) => ({ k: p.k, covered: toUnit(p.coveredWeight), share: p.coveredShare }));
  let plan: OptimizeResult['plan'];
  if (inst.planned.length) {
    // The plan's own sites against the best of their count (MCLP greedy + swap), on the same merged matrix.
    const cmp = comparePlan(byCoverage, inst.planned);
    plan = { count: inst.planned.length, share: cmp.plan.coveredShare, bestShare: Math.max(cmp.best.score.coveredShare, cmp.plan.coveredShare) };
  }
  // The LP text under the same size guard as the exact run: a refused model is told, the answer is kept.
  const warnings: OptimizeResult['warnings'] = [];
  let lp: string | undefined;
  if (req.writeLp) {
    try {
      checkMipSize(merged, o);
      lp = writeLp(buildMip(merged, o));
    } catch (e) {
      warnings.push(toErrorInfo(e));
    }
  }
  return {
    runId: req.runId, placeId: req.placeId, model: req.model, minutes: req.minutes, mode: inst.mode,
    demand: { points: full.demandCount, total: toUnit(base.totalWeight), unit, uncoverable: toUnit(base.uncoverableWeight), coveredByFixed: toUnit(base.coveredWeight) },
    candidates: full.candidates.filter((c) => !c.fixed).length, ...(inst.excludedBySiting ? { excludedBySiting: inst.excludedBySiting } : {}), ...(inst.excludedByWater ? { excludedByWater: inst.excludedByWater } : {}), sites, curve, ...(plan ? { plan } : {}), exact,
    ...(lp !== undefined ? { lp } : {}),
    seconds: (Date.now() - t0) / 1000, warnings,
  };
}
