/**
 * SolveLp over a loaded highs-js module (the loader — Node in src/cli/highsNode.ts, browser in src/worker/highs.ts —
 * does the I/O). highs-js prints its log through the Module's `print` hook, set once at load time: the loader passes
 * a sink object it owns, and this adapter points it at the caller's onLog for the duration of one solve.
 */
import type { LpResult, SolveLp } from './types';

/** The part of highs-js's one-shot API used here. */
export interface HighsLike {
  solve(lp: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal?: number }> };
}

/** Where the loader's print hook sends each line (null: nowhere). */
export interface LogSink {
  current: ((line: string) => void) | null;
}

export function highsSolveLp(highs: HighsLike, sink: LogSink): SolveLp {
  return async (lp, opts) => {
    const log: string[] = [];
    sink.current = (line) => { log.push(line); opts.onLog?.(line); };
    try {
      const r = highs.solve(lp, { time_limit: opts.timeLimitS, mip_rel_gap: opts.mipRelGap ?? 1e-4, presolve: opts.presolve ?? 'choose', output_flag: true, log_to_console: true });
      const columns: Record<string, number> = {};
      for (const [k, v] of Object.entries(r.Columns ?? {})) if (typeof v?.Primal === 'number') columns[k] = v.Primal;
      const has = /optimal|limit|interrupt/i.test(r.Status) && Number.isFinite(r.ObjectiveValue) && Object.keys(columns).length > 0;
      const out: LpResult = { status: r.Status, objective: has ? r.ObjectiveValue : null, columns, log };
      return out;
    } finally {
      sink.current = null;
    }
  };
}
