/**
 * Loads HiGHS (WebAssembly, MIT) for the siting run's exact MIP, once per worker: in the browser the .wasm file is a
 * bundled asset, on Node the package finds it beside itself. (The optimizer core may bring its own loader,
 * src/worker/highs.ts; this one serves the panel's run until then.)
 */
import type { LegacyHighs } from 'highs';

export function highsLoader(): () => Promise<LegacyHighs> {
  const once: { p: Promise<LegacyHighs> | null } = { p: null };
  return () => {
    once.p ??= (async () => {
      const { default: load } = await import('highs');
      const onNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined' && typeof importScripts === 'undefined';
      if (onNode) return load();
      const { default: url } = await import('highs/runtime?url');
      return load({ locateFile: () => url });
    })();
    once.p.catch(() => { once.p = null; });
    return once.p;
  };
}
