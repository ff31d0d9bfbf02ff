/**
 * Exact answer: the model as LP text, solved by an injected solveLp (HiGHS in WebAssembly in the worker and on Node;
 * core does no I/O), read back into a Solution with objective, bound and gap.
 *
 * Live progress: highs-js solves synchronously and reports nothing but its log, which it prints line by line while
 * the call blocks. parseHighsLog reads the branch-and-bound table rows (BestBound, BestSol, Gap, Time) and the final
 * "Solving report" (Primal bound, Dual bound, Gap); the caller forwards them (in the worker: as progress messages,
 * which the main thread receives only after the blocking call returns unless the worker posts them as they come —
 * postMessage from inside print does send them at once).
 */
import { plannerError } from '../errors';
import { buildMip, writeLp } from './lp';
import { startOnReduced } from './warmStart';
import { greedyCover, lagrangianMclpBound, reduceLscp, reduceMclp } from './reduce';
import { modelObjective, picksInOrder, scoreSites, solveHeuristic, submodularBound, validateModel } from './heuristic';
import type { CoverageMatrix, ExactInfo, LpResult, MipModel, MipProgress, ModelOptions, Solution, SolveLp } from './types';
import { solveMclpBranch } from './mclpBranch';
import { checkMipSize, type MipLimits } from './size';

const numOrNull = (s: string): number | null => {
  if (/^-?inf/i.test(s) || s === 'Large') return null;
  const x = Number(s.replace('%', ''));
  return Number.isFinite(x) ? x : null;
};

const ROW = /^\s*[A-Za-z]?\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+(\S+)\s+(\S+)\s+(\S+)\s+\d+\s+\d+\s+\d+\s+\d+\s+([\d.]+)s\s*$/;

/** One B&B table row or final-report line of HiGHS's log → progress (null for any other line). Bounds in the LP's terms. */
export function parseHighsLog(line: string): MipProgress | null {
  const r = ROW.exec(line);
  if (r) {
    const gap = numOrNull(r[3]);
    return { seconds: Number(r[4]), bestBound: numOrNull(r[1]), bestSolution: numOrNull(r[2]), gap: gap === null ? null : gap / 100, line };
  }
  const f = /^\s*(Primal bound|Dual bound|Gap)\s+(\S+)/.exec(line);
  if (!f) return null;
  const v = numOrNull(f[2]);
  return {
    seconds: null, line,
    bestSolution: f[1] === 'Primal bound' ? v : null,
    bestBound: f[1] === 'Dual bound' ? v : null,
    gap: f[1] === 'Gap' && v !== null ? v / 100 : null,
  };
}

export interface ExactOptions {
  timeLimitS?: number;
  mipRelGap?: number;
  /** Progress in the model's terms (offset added), as the solver logs it. */
  onProgress?: (p: MipProgress) => void;
  /** HiGHS presolve; default 'off' for MCLP (much faster in WebAssembly there), 'choose' otherwise. */
  presolve?: 'on' | 'off' | 'choose';
  /** The model already built (e.g. to write it to a file too; HiGHS engine only: the Lagrangian one reads the matrix). */
  mip?: MipModel;
  /** Sites to start from (default: the greedy + swap answer; false: none). */
  start?: readonly number[] | false;
  /** LSCP: reduce the model first (forced, dominated rows and sites; default true). */
  reduce?: boolean;
  /** Cancel: HiGHS stops at its next checkpoint and the best solution so far is returned (status 'Interrupted by user'). */
  signal?: { readonly aborted: boolean };
  /**
   * MCLP: 'highs' (the MIP in HiGHS), 'lagrangian' (our Lagrangian branch and bound, mclpBranch.ts) or 'auto' (default:
   * Lagrangian above LAGRANGIAN_MIN_TERMS coverage coefficients, where WebAssembly HiGHS does not finish its root LP
   * in 30 s). Other models always use HiGHS.
   */
  engine?: 'auto' | 'highs' | 'lagrangian';
}

/** MCLP models with more coverage coefficients than this go to the Lagrangian branch and bound under engine 'auto'. */
export const LAGRANGIAN_MIN_TERMS = 150_000;

/** Coverage coefficients of an MCLP: (free candidate, demand within the limit) pairs. */
function coverageTerms(m: CoverageMatrix): number {
  let n = 0;
  m.candidates.forEach((c, j) => { if (!c.fixed) for (let p = m.first[j]; p < m.first[j + 1]; p++) if (m.time[p] <= m.limitS) n++; });
  return n;
}

/** Exact MCLP by the Lagrangian branch and bound, as a Solution (bound source 'lagrangian'). */
function solveMclpLagrangian(m: CoverageMatrix, o: ModelOptions, opts: ExactOptions): Solution {
  const t0 = Date.now();
  const start = opts.start === false ? undefined : opts.start ?? solveHeuristic(m, o, { signal: opts.signal }).open;
  const r = solveMclpBranch(m, o.k ?? 0, { start, timeLimitS: opts.timeLimitS ?? 60, mipRelGap: opts.mipRelGap, signal: opts.signal, onProgress: opts.onProgress });
  const picks = picksInOrder(m, o, r.open), order = picks.map((p) => p.candidate);
  let bound = r.bound, boundSource: ExactInfo['boundSource'] = 'lagrangian';
  if (!r.complete)
    for (let j = 0; j <= picks.length; j++) {
      const b = submodularBound(m, o, order.slice(0, j));
      if (b !== null && b < bound) { bound = b; boundSource = 'submodular'; }
    }
  const gap = Math.abs(bound - r.objective) / Math.max(Math.abs(r.objective), 1e-9);
  const exact: ExactInfo = { status: r.status, objective: r.objective, bound, gap, optimal: r.complete, seconds: (Date.now() - t0) / 1000, boundSource, engine: 'lagrangian' };
  return { model: o.model, method: 'exact', open: order, objective: modelObjective(m, o, order), picks, score: scoreSites(m, order, o), exact, estimate: m.estimate };
}

/** The engine solveExact runs for this model: the Lagrangian branch and bound (MCLP only, reads the matrix, never a MIP) or HiGHS. */
export function exactEngineFor(m: CoverageMatrix, o: ModelOptions, engine: ExactOptions['engine'] = 'auto'): 'highs' | 'lagrangian' {
  if (o.model !== 'mclp' || engine === 'highs') return 'highs';
  return engine === 'lagrangian' || coverageTerms(m) > LAGRANGIAN_MIN_TERMS ? 'lagrangian' : 'highs';
}

/**
 * solveExact as the CLI, the worker and the server call it: the engine is chosen first, and only the HiGHS path
 * applies the MIP size guard (checkMipSize: PlannerError 'model-too-large' before anything is built) and loads HiGHS
 * (loadLp). A big MCLP for the Lagrangian engine is therefore solved, not refused, and never loads the solver.
 */
export async function solveExactGuarded(m: CoverageMatrix, o: ModelOptions, loadLp: () => Promise<SolveLp>, opts: ExactOptions = {}, limits?: MipLimits): Promise<Solution> {
  validateModel(m, o);
  if (exactEngineFor(m, o, opts.engine) === 'lagrangian') return solveMclpLagrangian(m, o, opts);
  checkMipSize(m, o, limits);
  return solveExact(m, o, await loadLp(), { ...opts, engine: 'highs' });
}

const OK_STATUS = /optimal|time limit|iteration limit|node limit|solution limit|interrupt/i;

/** The MIP solved by solveLp: open sites, objective, bound and gap in the model's terms. */
export async function solveExact(m: CoverageMatrix, o: ModelOptions, solveLp: SolveLp, opts: ExactOptions = {}): Promise<Solution> {
  validateModel(m, o);
  if (exactEngineFor(m, o, opts.engine) === 'lagrangian') return solveMclpLagrangian(m, o, opts);
  // LSCP: essential sites forced, dominated rows and sites dropped first (same optimum, a much smaller model).
  const full = opts.mip ?? buildMip(m, o), reduced = o.model === 'lscp' && opts.reduce !== false;
  const mclp = o.model === 'mclp' && opts.reduce !== false;
  // MCLP: dominated sites dropped (same optimum).
  const mip = reduced ? reduceLscp(full).mip : mclp ? reduceMclp(full).mip : full, lp = writeLp(mip), off = mip.offset;
  // The persistent highs-js API reports progress through callbacks; the one-shot one only through its log.
  const via = { callback: false };
  const final = { primal: null as number | null, dual: null as number | null, gap: null as number | null };
  const t0 = Date.now();
  // Start: the greedy + swap answer; on a reduced LSCP a greedy cover of what is left (the full answer may use dropped sites).
  const startSites = opts.start === false ? null : reduced ? null : opts.start ?? solveHeuristic(m, o).open;
  const start: Record<string, number> | undefined = startSites || (reduced && opts.start !== false) ? Object.fromEntries([...mip.siteVars.keys()].map((v) => [v, 0])) : undefined;
  if (start && startSites) Object.assign(start, startOnReduced(full, mip, startSites));
  if (start && reduced) for (const v of greedyCover(mip)) start[v] = 1;
  // MCLP: the Lagrangian bound (coverage rows relaxed), steered towards the starting answer's value.
  const startValue = startSites ? modelObjective(m, o, startSites) - off : 0;
  const lag = mclp ? lagrangianMclpBound(mip, o.k ?? 0, startValue) : null;
  // The bound already proves the start within the gap asked (as the solver's own 'Optimal' does): no solver run.
  const proven = lag !== null && startSites !== null && !opts.signal?.aborted && lag - startValue <= (opts.mipRelGap ?? 1e-4) * Math.max(Math.abs(startValue), 1e-9);
  const shift = (p: MipProgress): MipProgress => ({ ...p, bestBound: p.bestBound === null ? null : p.bestBound + off, bestSolution: p.bestSolution === null ? null : p.bestSolution + off });
  // Nothing left after the reduction: the forced sites are the answer.
  const res: LpResult = mip.constraints.length === 0 && reduced ? { status: 'Optimal', objective: 0, columns: {}, log: [] }
    : proven ? { status: 'Optimal', objective: startValue, columns: start ?? {}, log: ['optimal by the Lagrangian bound'] } : await solveLp(lp, {
    start,
    signal: opts.signal,
    onProgress: opts.onProgress ? (p) => { via.callback = true; opts.onProgress!(shift(p)); } : undefined,
    timeLimitS: opts.timeLimitS ?? 60,
    mipRelGap: opts.mipRelGap,
    presolve: opts.presolve ?? (o.model === 'mclp' ? 'off' : 'choose'),
    onLog: (line) => {
      const p = parseHighsLog(line);
      if (!p) return;
      if (p.seconds === null) {
        if (p.bestSolution !== null) final.primal = p.bestSolution;
        if (p.bestBound !== null) final.dual = p.bestBound;
        if (p.gap !== null) final.gap = p.gap;
        return;
      }
      // Table rows of the log are progress too when the solver has no callbacks (one-shot API).
      if (!via.callback) opts.onProgress?.(shift(p));
    },
  });
  if (proven) opts.onProgress?.({ seconds: (Date.now() - t0) / 1000, bestBound: lag + off, bestSolution: startValue + off, gap: (lag - startValue) / Math.max(Math.abs(startValue), 1e-9), line: res.log[0] });
  const seconds = (Date.now() - t0) / 1000;
  if (!OK_STATUS.test(res.status) || res.objective === null)
    throw plannerError('solver-failed', `求解器未给出可行解（状态：${res.status}）`, `the solver found no feasible solution (status: ${res.status})`, { detail: res.log.slice(-20).join('\n') });
  const open: number[] = [];
  if (proven) open.push(...startSites!);
  else for (const [name, j] of mip.siteVars) if ((res.columns[name] ?? 0) > 0.5) open.push(j);
  open.push(...(mip.forcedOpen ?? []));
  open.sort((a, b) => a - b);
  const optimal = /^optimal$/i.test(res.status);
  const objective = res.objective + off;
  // HiGHS's own final bound (its 'Optimal' means within mip_rel_gap, not gap 0): the real gap is reported.
  const dual = res.bound ?? final.dual;
  let bound = proven ? lag! + off : dual !== null ? dual + off : optimal ? objective : null;
  let boundSource: ExactInfo['boundSource'] = proven ? 'lagrangian' : 'solver';
  const picks = picksInOrder(m, o, open);
  const maxim = o.model === 'mclp' || o.model === 'backup';
  // A bound on the wrong side of the answer (rounding in the solver's last digits) is the answer itself.
  if (bound !== null && (maxim ? bound < objective : bound > objective)) bound = objective;
  if (lag !== null && (bound === null || lag + off < bound)) { bound = Math.max(lag + off, objective); boundSource = 'lagrangian'; }
  if (!optimal) {
    // Stopped early: the submodularity bound from each prefix of the answer's picks may be tighter than the LP's.
    for (let j = 0; j <= picks.length; j++) {
      const b = submodularBound(m, o, picks.slice(0, j).map((p) => p.candidate));
      if (b !== null && (bound === null || (maxim ? b < bound : b > bound))) { bound = b; boundSource = 'submodular'; }
    }
  }
  // Gap in the model's terms (offset included), so a large constant part does not hide or inflate it.
  const gap = bound === null ? null : Math.abs(objective - bound) / Math.max(Math.abs(objective), 1e-9);
  const exact: ExactInfo = { status: res.status, objective, bound, gap, optimal, seconds, boundSource, engine: 'highs' };
  const order = picks.map((p) => p.candidate);
  return { model: o.model, method: 'exact', open: order, objective: modelObjective(m, o, order), picks, score: scoreSites(m, order, o), exact, estimate: m.estimate };
}
