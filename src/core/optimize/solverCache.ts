/**
 * A loaded solver module cached by its caller (once per process / worker), dropped whenever it fails: a failed load,
 * and also any error thrown during a solve (a WebAssembly abort, out of memory, "Aborted(...)"), since after that the
 * module's memory is in an unknown state. The next call then loads a fresh module. Pure: the cache lives in the
 * returned closure, not at module level.
 */
import type { SolveLp } from './types';

export function cachedSolveLp(load: () => Promise<SolveLp>): () => Promise<SolveLp> {
  let current: Promise<SolveLp> | null = null;
  return () => {
    if (current) return current;
    const p: Promise<SolveLp> = load().then((solve): SolveLp => async (lp, opts) => {
      try {
        return await solve(lp, opts);
      } catch (e) {
        // Only the module that failed is dropped: a newer one loaded meanwhile stays.
        if (current === p) current = null;
        throw e;
      }
    });
    current = p;
    p.catch(() => { if (current === p) current = null; });
    return p;
  };
}
