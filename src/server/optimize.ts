/**
 * The siting optimizer on the server: the run of `planner optimize` (network mode: road demand, road-node
 * candidates, the coverage matrix from the road network, greedy + swap, and with `exact` the MIP solved by HiGHS
 * on Node) over a stored network, with the same defaults and the same JSON answer as `planner optimize --json`.
 * Demand and candidate files and the 建标152 siting filter are CLI-only for now.
 */
import type { Station } from '../core/types';
import type { RoadGraph } from '../core/graph';
import type { SpeedProfile } from '../core/profile';
import type { RoadRules } from '../core/roadRules';
import { Router } from '../core/router';
import { plannerError, type PlannerErrorInfo } from '../core/errors';
import {
  coverageCurve, mergeDemand, networkMatrix, roadCandidates, roadDemand, solveExactGuarded, solveHeuristic, stationCandidates,
  type CoverageMatrix, type ModelKind, type Solution, type SolveLp,
} from '../core/optimize/index';
import { exactFailureOf, optimizeResult } from '../cli/cmd-optimize';

export interface OptimizeRequest {
  model: ModelKind;
  k?: number;
  minutes?: number;
  backupMinutes?: number;
  fixed?: 'existing' | 'all';
  spacing?: number;
  reverse?: boolean;
  exact?: boolean;
  /** Seconds the exact solver may run. */
  timeLimit: number;
}

/** A run past the server's limit for one optimization (matrix, heuristic and exact together). */
const timeout = (s: number) => plannerError('optimize-timeout', `优化超过服务器的运行时限（${s} 秒），已停止；请减小范围或候选点数量`, `the optimization passed the server's run limit (${s} s) and was stopped; reduce the area or the candidates`);

/**
 * One optimizer run on a network: `stations` are the place's (or a scenario's) stations, existing ones fixed, planned
 * ones fixed (`fixed: 'all'`) or free. `solveLp` is needed only with `exact`. The whole run stops with an
 * optimize-timeout error after `maxRunSeconds` (checked inside the matrix and the heuristic: the work is synchronous).
 */
export async function optimizeOnNetwork(place: string, graph: RoadGraph, profiles: { profile: SpeedProfile; rules: RoadRules }, stations: readonly Station[], r: OptimizeRequest, solveLp: () => Promise<SolveLp>, maxRunSeconds = Infinity) {
  const deadline = Date.now() + maxRunSeconds * 1000;
  const signal = { get aborted() { return Date.now() > deadline; } };
  const model = r.model, k = r.k ?? 3, minutes = r.minutes ?? 4, fixedMode = r.fixed ?? 'all';
  const backupMin = model === 'backup' ? (r.backupMinutes ?? 8) : null;
  const limitS = minutes * 60, backupS = backupMin === null ? null : backupMin * 60;
  const horizonS = model === 'pmedian' || model === 'pcenter' ? 2 * limitS : Math.max(limitS, backupS ?? 0);
  const router = new Router(graph, profiles.profile, false, { roadRules: profiles.rules });
  const fixedCands = stationCandidates(stations.map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat, planned: s.status !== 'existing' })), fixedMode === 'all' ? 'fixed' : 'free');
  const demand = roadDemand(graph, { seconds: router.seconds });
  const cands = roadCandidates(graph, { spacingM: r.spacing ?? 200, seconds: router.seconds, usable: router.mainNetwork });
  if (cands.length === 0) throw plannerError('no-candidates', '候选站点为空：没有可供选择的新站址', 'the candidate set is empty: there is no new site to choose from');
  let matrix: CoverageMatrix;
  try {
    matrix = networkMatrix(router, demand, [...fixedCands, ...cands], { limitS, backupLimitS: backupS, horizonS, direction: r.reverse ? 'demand-to-station' : 'station-to-demand', signal });
  } catch (e) {
    throw signal.aborted ? timeout(maxRunSeconds) : e;
  }
  const merged = mergeDemand(matrix, model);
  const opts = { model, k };
  const heuristic = solveHeuristic(merged, opts, { signal });
  if (signal.aborted) throw timeout(maxRunSeconds); // a swap cut short is not the CLI's answer: no answer then
  let exact: Solution | null = null, exactFailure: PlannerErrorInfo | null = null;
  if (r.exact) {
    try {
      const left = Math.max(1, Math.floor((deadline - Date.now()) / 1000));
      // The engine first: the size guard, the MIP and HiGHS only for the HiGHS path (a big MCLP goes to the Lagrangian B&B).
      exact = await solveExactGuarded(merged, opts, solveLp, { timeLimitS: Math.min(r.timeLimit, left), signal });
    } catch (e) {
      exactFailure = exactFailureOf(e);
    }
  }
  const curve = model === 'mclp' || model === 'lscp' ? coverageCurve(merged, 10, { signal }) : null;
  const result = optimizeResult({
    place, model, k, minutes, backupMinutes: backupMin, fixed: fixedMode, mode: 'network',
    demand, matrix, merged, newCandidates: cands.length, heuristic, exact, exactFailure, curve,
  }, (f) => ({ message: f.en, messageZh: f.zh }));
  if (signal.aborted) throw timeout(maxRunSeconds); // the final scoring inside the builder counts against the limit too
  return result;
}
