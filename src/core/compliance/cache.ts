/**
 * Evaluators kept per place + standard + district setup (the worker's `evaluate`): repeated calls with other
 * stations (a dragged site) reuse the prepared place instead of starting over. The key is a fingerprint of the
 * request without its stations, plus the identity of the router and of its travel seconds (a profile change
 * builds a new evaluator).
 */
import { createEvaluator, type Evaluator } from './evaluator';
import { requestStandard, type EvaluateRequest } from './evaluate';
import { fromRouter, type RouterLike } from './network';
import type { PlaceReport } from './report';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** A 64-bit (two FNV-1a lanes) fingerprint of plain data: numbers, strings, booleans, null, arrays and objects. */
export function fingerprint(value: unknown): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193);
    b = Math.imul(b ^ (x + 0x9e3779b9), 0x5bd1e995) ^ (b >>> 15);
  };
  const walk = (v: unknown): void => {
    if (typeof v === 'number') { f64[0] = v; mix(1); mix(u32[0]); mix(u32[1]); }
    else if (typeof v === 'string') { mix(2); mix(v.length); for (let i = 0; i < v.length; i++) mix(v.charCodeAt(i)); }
    else if (typeof v === 'boolean') mix(v ? 3 : 4);
    else if (v === null || v === undefined) mix(v === null ? 5 : 6);
    else if (Array.isArray(v)) { mix(7); mix(v.length); for (const x of v) walk(x); }
    else if (typeof v === 'object') {
      mix(8);
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) { if (x === undefined) continue; walk(k); walk(x); }
    } else mix(9);
  };
  walk(value);
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

interface Entry {
  key: string;
  router: RouterLike | null;
  seconds: Float32Array | null;
  evaluator: Evaluator;
}

export class EvaluatorCache {
  private entries: Entry[] = [];
  /** Evaluators built so far (for tests and diagnostics). */
  built = 0;

  constructor(private readonly max = 4) {}

  /** Evaluates a worker request on the router's network (straight-line estimate without one), reusing a cached evaluator. */
  evaluate(req: EvaluateRequest, router: RouterLike | null): PlaceReport {
    const { stations, options, ...rest } = req;
    const { coverage, nearSuburb, ...staticOptions } = options ?? {};
    const key = fingerprint({ ...rest, options: staticOptions });
    let e = this.entries.find((x) => x.key === key && x.router === router && x.seconds === (router?.seconds ?? null));
    if (!e) {
      const evaluator = createEvaluator({ ...rest, standard: requestStandard(req), options: staticOptions, network: router ? fromRouter(router) : null });
      e = { key, router, seconds: router?.seconds ?? null, evaluator };
      this.built++;
      this.entries = [e, ...this.entries].slice(0, this.max);
    } else this.entries = [e, ...this.entries.filter((x) => x !== e)];
    return e.evaluator.evaluate(stations, { coverage: coverage === true, nearSuburb });
  }

  clear(): void {
    this.entries = [];
  }
}
