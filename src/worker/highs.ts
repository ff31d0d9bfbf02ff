/**
 * HiGHS (WebAssembly) in the worker: Vite serves the .wasm file (the package exports it as 'highs/runtime') and locateFile
 * points the loader at it. Fetched and instantiated once per worker (later calls share it, so no solve pays for it
 * again). Log lines reach onLog while the solve blocks the worker. A failed load (network, memory) or any error thrown
 * by a solve (wasm abort, out of memory) drops the module: the next call loads a fresh one (cachedSolveLp).
 */
import loadHighs from 'highs';
import wasmUrl from 'highs/runtime?url';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import { cachedSolveLp } from '../core/optimize/solverCache';

export const browserSolveLp = cachedSolveLp(async () => {
  const sink: LogSink = { current: null };
  const highs = await loadHighs({ locateFile: () => wasmUrl, print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
  return highsSolveLp(highs as unknown as HighsLike, sink);
});
