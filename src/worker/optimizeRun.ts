/**
 * The worker side of a siting run (issue #12, app glue): demand and candidates of a place, the coverage matrix from
 * one capped search per candidate on the engine (Router.paths), a greedy + swap (vertex substitution) answer, the
 * coverage curve k = 0…10, the plan's own sites against the best of their count, and the exact MIP with HiGHS after
 * the heuristic. Without a road network the same runs on the straight-line estimate (grid inside the outline,
 * distance × λ at the standard's speed).
 *
 * Demand on a network: every road segment once, weight = its length (or 1 each); a segment counts as covered when
 * both its ends are reached within the limit (a conservative reading of "the road within 4 minutes").
 */
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { haversineM, metresPerDegree } from '../core/geo';
import { plannerError } from '../core/errors';
import { roadClassName } from '../core/roadClass';
import { reverseEdges } from '../core/turns';
import type { Router } from '../core/router';
import type { Snap } from '../core/snap';
import type { LegacyHighs } from 'highs';
import type { CandidatePoint, CandidateSpec, ExactStatus, OptimizeProgressFn, OptimizeRequest, OptimizeResult } from './optimizeProtocol';

/**
 * A coverage instance: demand weights, candidates, and per candidate the demand it reaches within the limit (CSR:
 * items[first[c] … first[c+1]) ); `fixedCount[d]` = fixed stations reaching demand d.
 */
export interface CoverageInstance {
  weights: Float64Array;
  candidates: CandidatePoint[];
  first: Uint32Array;
  items: Uint32Array;
  fixedCount: Uint32Array;
  /** Demand the plan's own (freed) new sites reach together, and how many sites they are (for the comparison). */
  planned?: { items: Uint32Array; count: number };
}

/** Refuses a site in water (or any other place the caller rules out); wired by the app to the water index. */
export type SiteExclusion = (lon: number, lat: number) => boolean;

const cancelled = () => plannerError('optimize-cancelled', '选址优化已取消', 'the siting run was cancelled');

/** Reports progress; throws 'optimize-cancelled' when the callback asks to stop. */
async function step(onProgress: OptimizeProgressFn | undefined, p: Parameters<OptimizeProgressFn>[0]): Promise<void> {
  if (onProgress && (await onProgress(p)) === true) throw cancelled();
}

const UNSUITABLE = new Set(['motorway', 'motorway_link', 'service', 'track', 'ferry']);

const inAreas = (areas: (Polygon | MultiPolygon)[], lon: number, lat: number) => areas.some((a) => booleanPointInPolygon([lon, lat], a));

/** Keeps the first point per grid cell of `spacingM` (cells in metres around the first point's latitude). */
export function thinToSpacing<T extends { lon: number; lat: number }>(points: T[], spacingM: number): T[] {
  if (!(spacingM > 0) || points.length === 0) return points;
  const { mx, my } = metresPerDegree(points[0].lat);
  const seen = new Set<string>();
  return points.filter((p) => {
    const key = `${Math.floor((p.lon * mx) / spacingM)},${Math.floor((p.lat * my) / spacingM)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Candidate road nodes on the main network, on suitable roads (no motorway, service, track), thinned / in areas. */
function networkCandidates(router: Router, spec: CandidateSpec, exclude?: SiteExclusion): CandidatePoint[] {
  const g = router.graph;
  if (spec.kind === 'list') return spec.points.filter((p) => !exclude?.(p.lon, p.lat));
  const out: CandidatePoint[] = [];
  for (let u = 0; u < g.nodeCount; u++) {
    if (!router.mainNetwork[u]) continue;
    let ok = false;
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) if (!UNSUITABLE.has(roadClassName(g.roadClass[e])) && router.seconds[e] < Infinity) ok = true;
    if (!ok) continue;
    const lon = g.lon[u] / 1e7, lat = g.lat[u] / 1e7;
    if (spec.kind === 'areas' && !inAreas(spec.areas, lon, lat)) continue;
    if (exclude?.(lon, lat)) continue;
    out.push({ id: `node-${u}`, lon, lat });
  }
  return thinToSpacing(out, spec.spacingM);
}

/** The coverage instance on the road network: one capped search per candidate, progress every few searches. */
export async function networkInstance(router: Router, req: OptimizeRequest, onProgress?: OptimizeProgressFn, exclude?: SiteExclusion): Promise<CoverageInstance> {
  const g = router.graph, sec = router.seconds, limit = req.minutes * 60;
  await step(onProgress, { runId: req.runId, phase: 'demand', done: 0, total: 1 });
  const twin = reverseEdges(g);
  const demandOf = new Int32Array(g.edgeCount).fill(-1);
  const w: number[] = [];
  const tail = new Uint32Array(g.edgeCount);
  for (let u = 0; u < g.nodeCount; u++) tail.fill(u, g.firstEdge[u], g.firstEdge[u + 1]);
  for (let e = 0; e < g.edgeCount; e++) {
    if (demandOf[e] >= 0) continue;
    const r = twin[e];
    if (!(sec[e] < Infinity) && !(r >= 0 && sec[r] < Infinity)) continue;
    demandOf[e] = w.length;
    if (r >= 0) demandOf[r] = w.length;
    w.push(req.weight === 'uniform' ? 1 : g.lengthM[e] / 1000);
  }
  const weights = Float64Array.from(w);
  const candidates = networkCandidates(router, req.candidates, exclude);
  const paths = router.paths;
  /** Demand reached from these sources within the limit (both ends settled), each once. */
  const reached = (sources: Snap[]): number[] => {
    paths.run(sources, limit);
    const out: number[] = [];
    const seenAt = new Set<number>();
    for (let i = 0; i < paths.settledCount; i++) {
      const u = paths.settled[i];
      for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) {
        const d = demandOf[e];
        if (d < 0 || seenAt.has(d) || !paths.isSettled(g.target[e])) continue;
        seenAt.add(d);
        out.push(d);
      }
    }
    return out;
  };
  const snapOf = (p: { lon: number; lat: number }): Snap | null => {
    const s = router.snapStation(p.lon, p.lat);
    return router.offNetworkError(s, 'start', p) ? null : s;
  };
  const fixedCount = new Uint32Array(weights.length);
  const fixedSnaps = req.fixed.map(snapOf).filter((s): s is Snap => s !== null);
  for (const s of fixedSnaps) for (const d of reached([s])) fixedCount[d]++;
  const plannedSnaps = req.planned.map(snapOf).filter((s): s is Snap => s !== null);
  const planned = { items: Uint32Array.from(plannedSnaps.length ? reached(plannedSnaps) : []), count: req.planned.length };
  const first = new Uint32Array(candidates.length + 1);
  const items: number[] = [];
  const kept: CandidatePoint[] = [];
  for (let c = 0; c < candidates.length; c++) {
    if (c % 25 === 0) await step(onProgress, { runId: req.runId, phase: 'matrix', done: c, total: candidates.length });
    const s = snapOf(candidates[c]);
    if (!s) continue;
    for (const d of reached([s])) items.push(d);
    kept.push(candidates[c]);
    first[kept.length] = items.length;
  }
  await step(onProgress, { runId: req.runId, phase: 'matrix', done: candidates.length, total: candidates.length });
  return { weights, candidates: kept, first: first.slice(0, kept.length + 1), items: Uint32Array.from(items), fixedCount, planned };
}

/** Grid points every `stepM` metres inside the outline. */
function gridInside(areas: (Polygon | MultiPolygon)[], stepM: number): { lon: number; lat: number }[] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (ring: number[][]) => { for (const [x, y] of ring) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y); } };
  for (const a of areas) for (const poly of a.type === 'Polygon' ? [a.coordinates] : a.coordinates) visit(poly[0]);
  if (!(w < e && s < n)) return [];
  const { mx, my } = metresPerDegree((s + n) / 2);
  const out: { lon: number; lat: number }[] = [];
  for (let lat = s + stepM / my / 2; lat < n; lat += stepM / my)
    for (let lon = w + stepM / mx / 2; lon < e; lon += stepM / mx) if (inAreas(areas, lon, lat)) out.push({ lon, lat });
  return out;
}

/** Demand grid spacing of the straight-line estimate, metres. */
export const ESTIMATE_DEMAND_M = 250;

/** The straight-line estimate instance: demand and candidates on grids inside the outline; reach = distance × λ / speed. */
export async function estimateInstance(req: OptimizeRequest, onProgress?: OptimizeProgressFn, exclude?: SiteExclusion): Promise<CoverageInstance> {
  const areas = req.boundary ?? [];
  const sl = req.straightLine;
  if (!areas.length || !sl) throw plannerError('optimize-no-outline', '该地点没有路网也没有边界，无法估算', 'this place has neither a road network nor an outline to estimate on');
  await step(onProgress, { runId: req.runId, phase: 'demand', done: 0, total: 1 });
  const demand = gridInside(areas, ESTIMATE_DEMAND_M);
  const spacing = req.candidates.kind === 'list' ? 0 : Math.max(req.candidates.spacingM, ESTIMATE_DEMAND_M);
  const spec = req.candidates;
  const candidates: CandidatePoint[] = spec.kind === 'list'
    ? spec.points.filter((p) => !exclude?.(p.lon, p.lat))
    : gridInside(spec.kind === 'areas' ? spec.areas : areas, spacing).filter((p) => !exclude?.(p.lon, p.lat)).map((p, i) => ({ id: `grid-${i}`, ...p }));
  const radiusM = (req.minutes * 60 * sl.speedKmh) / 3.6 / sl.curvature;
  const within = (p: { lon: number; lat: number }) => demand.flatMap((d, i) => (haversineM(p.lon, p.lat, d.lon, d.lat) <= radiusM ? [i] : []));
  const fixedCount = new Uint32Array(demand.length);
  for (const f of req.fixed) for (const d of within(f)) fixedCount[d]++;
  const planned = { items: Uint32Array.from(new Set(req.planned.flatMap(within))), count: req.planned.length };
  const first = new Uint32Array(candidates.length + 1);
  const items: number[] = [];
  for (let c = 0; c < candidates.length; c++) {
    if (c % 50 === 0) await step(onProgress, { runId: req.runId, phase: 'matrix', done: c, total: candidates.length });
    items.push(...within(candidates[c]));
    first[c + 1] = items.length;
  }
  return { weights: new Float64Array(demand.length).fill(1), candidates, first, items: Uint32Array.from(items), fixedCount, planned };
}

/** Covered weight with the fixed stations and these candidates. */
export function coveredWeight(inst: CoverageInstance, chosen: readonly number[]): number {
  const hit = Uint8Array.from(inst.fixedCount, (c) => (c > 0 ? 1 : 0));
  for (const c of chosen) for (let i = inst.first[c]; i < inst.first[c + 1]; i++) hit[inst.items[i]] = 1;
  let s = 0;
  for (let d = 0; d < hit.length; d++) if (hit[d]) s += inst.weights[d];
  return s;
}

/**
 * Greedy: adds, up to `maxK` times, the candidate that adds most covered weight (stops early when nothing adds).
 * Returns the picks in order with their gains.
 */
export function greedy(inst: CoverageInstance, maxK: number, start: readonly number[] = []): { order: number[]; gains: number[] } {
  const hit = Uint8Array.from(inst.fixedCount, (c) => (c > 0 ? 1 : 0));
  for (const c of start) for (let i = inst.first[c]; i < inst.first[c + 1]; i++) hit[inst.items[i]] = 1;
  const order: number[] = [], gains: number[] = [];
  const taken = new Uint8Array(inst.candidates.length);
  for (const c of start) taken[c] = 1;
  while (order.length < maxK) {
    let best = -1, bestGain = 1e-12;
    for (let c = 0; c < inst.candidates.length; c++) {
      if (taken[c]) continue;
      let gain = 0;
      for (let i = inst.first[c]; i < inst.first[c + 1]; i++) if (!hit[inst.items[i]]) gain += inst.weights[inst.items[i]];
      if (gain > bestGain) { best = c; bestGain = gain; }
    }
    if (best < 0) break;
    taken[best] = 1;
    for (let i = inst.first[best]; i < inst.first[best + 1]; i++) hit[inst.items[i]] = 1;
    order.push(best);
    gains.push(bestGain);
  }
  return { order, gains };
}

/** Vertex substitution: swaps a chosen site for an unchosen one while that covers more; returns the improved set. */
export function swapImprove(inst: CoverageInstance, chosen: readonly number[]): number[] {
  const set = chosen.slice();
  const cnt = Uint32Array.from(inst.fixedCount);
  const add = (c: number, by: number) => { for (let i = inst.first[c]; i < inst.first[c + 1]; i++) cnt[inst.items[i]] += by; };
  for (const c of set) add(c, 1);
  for (let improved = true, rounds = 0; improved && rounds < 20; rounds++) {
    improved = false;
    for (let a = 0; a < set.length; a++) {
      const out = set[a];
      add(out, -1);
      let loss = 0;
      for (let i = inst.first[out]; i < inst.first[out + 1]; i++) if (cnt[inst.items[i]] === 0) loss += inst.weights[inst.items[i]];
      let best = -1, bestGain = loss + 1e-9;
      for (let c = 0; c < inst.candidates.length; c++) {
        if (set.includes(c)) continue;
        let gain = 0;
        for (let i = inst.first[c]; i < inst.first[c + 1]; i++) if (cnt[inst.items[i]] === 0) gain += inst.weights[inst.items[i]];
        if (gain > bestGain) { best = c; bestGain = gain; }
      }
      const keep = best >= 0 ? best : out;
      add(keep, 1);
      if (best >= 0) { set[a] = best; improved = true; }
    }
  }
  return set;
}

/** Orders a set by marginal gain (greedy within the set): rank 1 adds most over the fixed stations. */
export function rankSet(inst: CoverageInstance, set: readonly number[]): { order: number[]; gains: number[] } {
  const hit = Uint8Array.from(inst.fixedCount, (c) => (c > 0 ? 1 : 0));
  const left = set.slice(), order: number[] = [], gains: number[] = [];
  while (left.length) {
    let bi = 0, bg = -1;
    left.forEach((c, i) => {
      let g = 0;
      for (let k = inst.first[c]; k < inst.first[c + 1]; k++) if (!hit[inst.items[k]]) g += inst.weights[inst.items[k]];
      if (g > bg) { bg = g; bi = i; }
    });
    const c = left.splice(bi, 1)[0];
    for (let k = inst.first[c]; k < inst.first[c + 1]; k++) hit[inst.items[k]] = 1;
    order.push(c);
    gains.push(bg);
  }
  return { order, gains };
}

/** Demand no fixed station and no candidate reaches. */
export function uncoverable(inst: CoverageInstance): number {
  const hit = Uint8Array.from(inst.fixedCount, (c) => (c > 0 ? 1 : 0));
  for (let i = 0; i < inst.items.length; i++) hit[inst.items[i]] = 1;
  let s = 0;
  for (let d = 0; d < hit.length; d++) if (!hit[d]) s += inst.weights[d];
  return s;
}

/** Demand not covered by the fixed stations but by some candidate, merged when the same candidates cover it. */
export function openDemand(inst: CoverageInstance): { weight: number; cands: number[] }[] {
  const by: number[][] = Array.from({ length: inst.weights.length }, () => []);
  for (let c = 0; c < inst.candidates.length; c++) for (let i = inst.first[c]; i < inst.first[c + 1]; i++) by[inst.items[i]].push(c);
  const merged = new Map<string, { weight: number; cands: number[] }>();
  by.forEach((cands, d) => {
    if (inst.fixedCount[d] > 0 || !cands.length) return;
    const key = cands.join(',');
    const m = merged.get(key);
    if (m) m.weight += inst.weights[d];
    else merged.set(key, { weight: inst.weights[d], cands });
  });
  return [...merged.values()];
}

const lines = (head: string, terms: string[]): string => {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 8) out.push((i === 0 ? head : '   ') + terms.slice(i, i + 8).join(' '));
  return out.join('\n');
};
const num = (v: number) => String(Math.round(v * 1e6) / 1e6);

/**
 * The model in CPLEX LP format: MCLP (maximise open covered weight with k new sites; the fixed stations' weight is a
 * constant left out) or LSCP (fewest sites covering every coverable open demand). x<c> = site c chosen, y<d> = merged
 * demand d covered.
 */
export function writeLp(inst: CoverageInstance, model: 'mclp' | 'lscp', k: number): string {
  const open = openDemand(inst);
  const xs = inst.candidates.map((_, c) => `x${c}`);
  const body: string[] = [];
  if (model === 'mclp') {
    body.push('\\ MCLP: maximise covered demand weight with k new stations', 'Maximize');
    body.push(lines(' obj: ', open.map((d, i) => `${i ? '+ ' : ''}${num(d.weight)} y${i}`)) || ' obj: 0 x0');
    body.push('Subject To');
    open.forEach((d, i) => body.push(lines(` c${i}: `, [`y${i}`, ...d.cands.map((c) => `- x${c}`), '<= 0'])));
    body.push(lines(' k: ', [...xs.map((x, i) => `${i ? '+ ' : ''}${x}`), `<= ${k}`]));
    body.push('Bounds');
    open.forEach((_, i) => body.push(` 0 <= y${i} <= 1`));
  } else {
    body.push('\\ LSCP: fewest new stations covering every coverable demand', 'Minimize');
    body.push(lines(' obj: ', xs.map((x, i) => `${i ? '+ ' : ''}${x}`)));
    body.push('Subject To');
    open.forEach((d, i) => body.push(lines(` c${i}: `, [...d.cands.map((c, j) => `${j ? '+ ' : ''}x${c}`), '>= 1'])));
  }
  body.push('Binary', lines(' ', xs), 'End', '');
  return body.join('\n');
}

/** HiGHS' one-shot API (parse an LP text, solve, return columns). */
export type HighsLike = Pick<LegacyHighs, 'solve'>;

/** Solves the LP with HiGHS within the time limit: the chosen candidates and the status. */
export async function solveExact(inst: CoverageInstance, model: 'mclp' | 'lscp', k: number, limitS: number, load: () => Promise<HighsLike>): Promise<{ exact: ExactStatus; chosen: number[] }> {
  const t0 = Date.now();
  try {
    const highs = await load();
    const sol = highs.solve(writeLp(inst, model, k), { time_limit: limitS });
    const seconds = (Date.now() - t0) / 1000;
    const primal = (name: string): number => { const col = sol.Columns[name]; return col && 'Primal' in col ? col.Primal : 0; };
    const chosen = inst.candidates.map((_, c) => c).filter((c) => primal(`x${c}`) > 0.5);
    if (sol.Status === 'Infeasible') return { exact: { status: 'infeasible', seconds }, chosen: [] };
    const status = sol.Status === 'Optimal' ? 'optimal' : 'time-limit';
    const objective = model === 'mclp' ? coveredWeight(inst, chosen) : chosen.length;
    return { exact: { status, objective, ...(status === 'optimal' ? { bound: objective, gapPct: 0 } : {}), seconds }, chosen };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { exact: { status: 'failed', seconds: (Date.now() - t0) / 1000, error: { code: 'exact-failed', zh: `精确求解失败：${msg}`, en: `the exact solver failed: ${msg}` } }, chosen: [] };
  }
}

/** Models this glue answers until the optimizer core (src/core/optimize) is merged. */
const SUPPORTED = new Set(['mclp', 'lscp']);

/** Checks the request: k ≥ 0 and whole, limit > 0, a supported model, a non-empty candidate list. */
export function checkRequest(req: OptimizeRequest): void {
  if (!SUPPORTED.has(req.model))
    throw plannerError('model-not-available', `模型「${req.model}」尚未接入本面板（目前支持 LSCP、MCLP）`, `the model "${req.model}" is not wired into this panel yet (LSCP and MCLP are)`);
  if (!Number.isInteger(req.k) || req.k < 0 || req.k > 50)
    throw plannerError('bad-k', `新站数 k 必须是 0 到 50 的整数（收到 ${req.k}）`, `k (new stations) must be a whole number from 0 to 50 (got ${req.k})`);
  if (!(req.minutes > 0 && req.minutes <= 30))
    throw plannerError('bad-minutes', `行车时间限值必须在 0 到 30 分钟之间（收到 ${req.minutes}）`, `the travel limit must be between 0 and 30 minutes (got ${req.minutes})`);
  if (req.candidates.kind === 'list' && req.candidates.points.length === 0)
    throw plannerError('no-candidates', '候选站点列表为空', 'the candidate list is empty');
}

/** Runs the whole request on an instance: heuristic, curve, plan comparison, exact, LP. */
export async function solveRequest(req: OptimizeRequest, inst: CoverageInstance, mode: OptimizeResult['mode'], load: () => Promise<HighsLike>, onProgress?: OptimizeProgressFn, t0 = Date.now()): Promise<OptimizeResult> {
  if (inst.candidates.length === 0) throw plannerError('no-candidates', '没有可用的候选站点（范围内无合适道路节点）', 'no usable candidate sites (no suitable road node in range)');
  await step(onProgress, { runId: req.runId, phase: 'heuristic', done: 0, total: 1 });
  const total = inst.weights.reduce((a, b) => a + b, 0);
  const maxK = req.curveMaxK ?? 10;
  const curveRun = greedy(inst, Math.max(maxK, req.model === 'lscp' ? inst.candidates.length : req.k));
  const base = coveredWeight(inst, []);
  const curve = [{ k: 0, covered: base, share: total ? base / total : 0 }];
  let acc = base;
  for (let i = 0; i < maxK; i++) {
    acc += curveRun.gains[i] ?? 0;
    curve.push({ k: i + 1, covered: acc, share: total ? acc / total : 0 });
  }
  const heuristic = req.model === 'lscp' ? curveRun.order.slice() : swapImprove(inst, curveRun.order.slice(0, req.k));
  let chosen = heuristic;
  let exact: ExactStatus = { status: 'not-run' };
  if (req.exactLimitS > 0) {
    await step(onProgress, { runId: req.runId, phase: 'exact', done: 0, total: 1 });
    const model = req.model === 'lscp' ? 'lscp' : 'mclp';
    const ex = await solveExact(inst, model, req.k, req.exactLimitS, load);
    exact = ex.exact;
    if (exact.objective !== undefined) {
      const h = model === 'mclp' ? coveredWeight(inst, heuristic) : heuristic.length;
      exact.heuristicGapPct = exact.objective ? (Math.abs(exact.objective - h) / exact.objective) * 100 : 0;
      const better = model === 'mclp' ? exact.objective > h + 1e-9 : exact.objective < h;
      if (better) chosen = ex.chosen;
    }
  }
  const ranked = rankSet(inst, chosen);
  const sites = [] as OptimizeResult['sites'];
  let cum = base;
  ranked.order.forEach((c, i) => {
    cum += ranked.gains[i];
    sites.push({ rank: i + 1, candidateId: inst.candidates[c].id, lon: inst.candidates[c].lon, lat: inst.candidates[c].lat, gain: ranked.gains[i], shareAfter: total ? cum / total : 0 });
  });
  let plan: OptimizeResult['plan'];
  if (inst.planned && inst.planned.count > 0) {
    const hit = Uint8Array.from(inst.fixedCount, (c) => (c > 0 ? 1 : 0));
    for (const d of inst.planned.items) hit[d] = 1;
    const withPlan = inst.weights.reduce((a, w, d) => a + (hit[d] ? w : 0), 0);
    const best = coveredWeight(inst, swapImprove(inst, greedy(inst, inst.planned.count).order));
    plan = { count: inst.planned.count, share: total ? withPlan / total : 0, bestShare: total ? best / total : 0 };
  }
  const open = uncoverable(inst);
  return {
    runId: req.runId, placeId: req.placeId, model: req.model, minutes: req.minutes, mode,
    demand: { points: inst.weights.length, total, unit: req.weight === 'uniform' || mode === 'straight-line-estimate' ? 'points' : 'km', uncoverable: open, coveredByFixed: base },
    candidates: inst.candidates.length, sites, curve, ...(plan ? { plan } : {}), exact,
    ...(req.writeLp ? { lp: writeLp(inst, req.model === 'lscp' ? 'lscp' : 'mclp', req.k) } : {}),
    seconds: (Date.now() - t0) / 1000, warnings: [],
  };
}
