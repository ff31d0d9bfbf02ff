/**
 * HiGHS (WebAssembly) in the worker: Vite serves the .wasm file (the package exports it as 'highs/runtime') and locateFile points the loader at it. Loaded once
 * per call of browserSolveLp (keep the returned function). Log lines reach onLog while the solve blocks the worker.
 */
import loadHighs from 'highs';
import wasmUrl from 'highs/runtime?url';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import type { SolveLp } from '../core/optimize/types';

export async function browserSolveLp(): Promise<SolveLp> {
  const sink: LogSink = { current: null };
  const highs = await loadHighs({ locateFile: () => wasmUrl, print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
  return highsSolveLp(highs as unknown as HighsLike, sink);
}
