/**
 * HiGHS (WebAssembly) on Node for the CLI, the tests and the bench: loaded and instantiated once per process (the
 * first call starts it, later calls share it; ~30 ms of CPU, more wall time on a loaded machine), log lines through a
 * sink. highs-js solves synchronously, so two solves never interleave on the shared sink.
 */
import loadHighs from 'highs';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import type { SolveLp } from '../core/optimize/types';

const loaded: { p: Promise<SolveLp> | null } = { p: null };

export function nodeSolveLp(): Promise<SolveLp> {
  loaded.p ??= (async () => {
    const sink: LogSink = { current: null };
    const highs = await loadHighs({ print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
    return highsSolveLp(highs as unknown as HighsLike, sink);
  })();
  // A failed load is not kept: the next call tries again.
  loaded.p.catch(() => { loaded.p = null; });
  return loaded.p;
}
