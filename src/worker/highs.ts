/**
 * HiGHS (WebAssembly) in the worker: Vite serves the .wasm file (the package exports it as 'highs/runtime') and locateFile
 * points the loader at it. Fetched and instantiated once per worker (later calls share it, so no solve pays for it
 * again). Log lines reach onLog while the solve blocks the worker.
 */
import loadHighs from 'highs';
import wasmUrl from 'highs/runtime?url';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import type { SolveLp } from '../core/optimize/types';

const loaded: { p: Promise<SolveLp> | null } = { p: null };

export function browserSolveLp(): Promise<SolveLp> {
  loaded.p ??= (async () => {
    const sink: LogSink = { current: null };
    const highs = await loadHighs({ locateFile: () => wasmUrl, print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
    return highsSolveLp(highs as unknown as HighsLike, sink);
  })();
  // A failed load (network, memory) is not kept: the next call tries again.
  loaded.p.catch(() => { loaded.p = null; });
  return loaded.p;
}
