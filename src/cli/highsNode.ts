/** HiGHS (WebAssembly) on Node for the CLI, the tests and the bench: loaded once, log lines through a sink. */
import loadHighs from 'highs';
import { highsSolveLp, type HighsLike, type LogSink } from '../core/optimize/highsAdapter';
import type { SolveLp } from '../core/optimize/types';

export async function nodeSolveLp(): Promise<SolveLp> {
  const sink: LogSink = { current: null };
  const highs = await loadHighs({ print: (l: string) => sink.current?.(l), printErr: (l: string) => sink.current?.(l) });
  return highsSolveLp(highs as unknown as HighsLike, sink);
}
