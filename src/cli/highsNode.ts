/**
 * HiGHS (WebAssembly) on Node for the CLI, the tests and the bench: loaded and instantiated once per process (the
 * first call starts it, later calls share it; ~30 ms of CPU, more wall time on a loaded machine), log lines through a
 * sink. highs-js solves synchronously, so two solves never interleave on the shared sink. A failed load or any error
 * thrown by a solve (wasm abort, out of memory) drops the module: the next call loads a fresh one (cachedSolveLp).
 */
import loadHighs from 'highs';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import { cachedSolveLp } from '../core/optimize/solverCache';

export const nodeSolveLp = cachedSolveLp(async () => {
  const sink: LogSink = { current: null };
  const highs = await loadHighs({ print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
  return highsSolveLp(highs as unknown as HighsLike, sink);
});
