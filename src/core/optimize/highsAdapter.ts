/**
 * SolveLp over a loaded highs-js module (the loader — Node in src/cli/highsNode.ts, browser in src/worker/highs.ts —
 * does the I/O).
 *
 * highs-js (1.15) has a persistent Model API: the LP text is read into a model, the greedy answer is passed as a
 * starting solution (setSolution), and run() takes callbacks — mipLogging (5) gives runtime, incumbent, bound and gap
 * during branch and bound, mipInterrupt (6) lets a cancel interrupt the solve, which then returns its best solution.
 * The call still blocks the thread: progress callbacks run inside it (in a worker, postMessage from them is delivered
 * at once). The log lines (Module `print` hook, set at load time) go to the loader's sink, pointed at onLog for one
 * solve. Older builds without createModel fall back to the one-shot solve() (no start, no cancel, bound from the log).
 */
import type { LpResult, SolveLp, SolveLpOptions } from './types';

interface OneShot {
  solve(lp: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

interface CallbackEvent {
  readonly data: Readonly<Record<string, unknown>>;
  interrupt?: () => void;
}

interface PersistentModel {
  readModel(source: { format: 'lp'; data: string }): unknown;
  readonly options: { set(values: Record<string, string | number | boolean>): unknown };
  readonly info: { get(name: string): number | bigint };
  setSolution(s: { indices: number[]; values: number[] }): unknown;
  run(callbacks: Record<number, (e: CallbackEvent) => undefined>): { modelStatus: number };
  getObjectiveValue(): number;
  getSolution(): { colValue: Float64Array };
  getDimensions(): { numCols: number };
  getColName(j: number): string;
  getColByName(name: string): number;
  [Symbol.dispose]?: () => void;
}

/** The part of highs-js used here. */
export interface HighsLike extends OneShot {
  createModel?: () => PersistentModel;
}

/** Where the loader's print hook sends each line (null: nowhere). */
export interface LogSink {
  current: ((line: string) => void) | null;
}

/** HiGHS model status codes (highs.constants.modelStatus) → the legacy API's status text. */
const STATUS: Record<number, string> = {
  0: 'Not Set', 1: 'Load error', 2: 'Model error', 3: 'Presolve error', 4: 'Solve error', 5: 'Postsolve error', 6: 'Empty',
  7: 'Optimal', 8: 'Infeasible', 9: 'Primal infeasible or unbounded', 10: 'Unbounded', 11: 'Bound on objective reached',
  12: 'Target for objective reached', 13: 'Time limit reached', 14: 'Iteration limit reached', 15: 'Unknown', 16: 'Solution limit reached', 17: 'Interrupted by user',
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null);

function persistent(make: () => PersistentModel, lp: string, opts: SolveLpOptions, log: string[]): LpResult {
  const model = make();
  try {
    model.readModel({ format: 'lp', data: lp });
    model.options.set({ time_limit: opts.timeLimitS, mip_rel_gap: opts.mipRelGap ?? 1e-4, presolve: opts.presolve ?? 'choose', output_flag: true, log_to_console: true });
    if (opts.start) {
      const indices: number[] = [], values: number[] = [];
      for (const [name, v] of Object.entries(opts.start)) {
        const j = model.getColByName(name);
        if (j >= 0) { indices.push(j); values.push(v); }
      }
      if (indices.length) model.setSolution({ indices, values });
    }
    const run = model.run({
      5: (e) => {
        const d = e.data, gap = num(d.mip_gap);
        opts.onProgress?.({ seconds: num(d.running_time), bestBound: num(d.mip_dual_bound), bestSolution: num(d.mip_primal_bound), gap: gap !== null && gap < 1e20 ? gap : null, line: '' });
        return undefined;
      },
      6: (e) => { if (opts.signal?.aborted) e.interrupt?.(); return undefined; },
    });
    const status = STATUS[run.modelStatus] ?? `status ${run.modelStatus}`;
    const cols = model.getSolution().colValue, n = model.getDimensions().numCols, columns: Record<string, number> = {};
    for (let j = 0; j < n && j < cols.length; j++) columns[model.getColName(j)] = cols[j];
    const info = (name: string): number | null => { try { return num(model.info.get(name)); } catch { return null; } };
    const bound = info('mip_dual_bound'), gap = info('mip_gap');
    // primal_solution_status 2 = a feasible solution is held.
    const feasible = /optimal|limit|interrupt/i.test(status) && info('primal_solution_status') === 2;
    return { status, objective: feasible ? model.getObjectiveValue() : null, columns, log, bound: bound !== null && Math.abs(bound) < 1e20 ? bound : null, gap: gap !== null && gap < 1e20 ? gap : null };
  } finally {
    model[Symbol.dispose]?.();
  }
}

export function highsSolveLp(highs: HighsLike, sink: LogSink): SolveLp {
  return async (lp, opts) => {
    const log: string[] = [];
    sink.current = (line) => { log.push(line); opts.onLog?.(line); };
    try {
      if (highs.createModel) return persistent(highs.createModel.bind(highs), lp, opts, log);
      const r = highs.solve(lp, { time_limit: opts.timeLimitS, mip_rel_gap: opts.mipRelGap ?? 1e-4, presolve: opts.presolve ?? 'choose', output_flag: true, log_to_console: true });
      const columns: Record<string, number> = {};
      for (const [k, v] of Object.entries(r.Columns ?? {})) if (typeof v?.Primal === 'number') columns[k] = v.Primal;
      const has = /optimal|limit|interrupt/i.test(r.Status) && Number.isFinite(r.ObjectiveValue) && Object.keys(columns).length > 0;
      return { status: r.Status, objective: has ? r.ObjectiveValue : null, columns, log };
    } finally {
      sink.current = null;
    }
  };
}
