/**
 * Evaluators kept per place + standard + district setup (the worker's `evaluate`): repeated calls with other
 * stations (a dragged site) reuse the prepared place instead of starting over. An evaluator's key is the verdict
 * key (below) of the request without its stations; the identity of the router and of its travel seconds is
 * checked too (a profile change builds a new evaluator even when the caller gives no network context).
 */
import { createEvaluator, type Evaluator } from './evaluator';
import { requestStandard, type EvaluateRequest } from './evaluate';
import { fromRouter, type RouterLike } from './network';
import type { PlaceReport } from './report';

/** A 64-bit (two FNV-1a lanes) fingerprint of plain data: numbers, strings, booleans, null, arrays and objects. */
export function fingerprint(value: unknown): string {
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
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

/**
 * Everything a compliance verdict depends on. The live check, the before / after and compare analyses and the
 * worker's evaluator cache all key their results with verdictKey() of this, so a change of any part (e.g. an
 * edited speed profile) gives a new key and a recomputed result.
 */
export interface VerdictKeyInput {
  /** The place (null: none). */
  placeId: string | null;
  /** Which road network the times come from (null: the straight-line estimate). */
  networkVersion: string | null;
  /** The speed profile (its JSON or parsed form; null: the default file). */
  profile: unknown;
  peak: boolean;
  /** The vehicle of the road rules (its id; null: the rules' default vehicle, or no rules). */
  vehicleId?: string | null;
  /** A planner's figures for that vehicle (heightM, widthM, …; null/absent: the rules file's figures). */
  vehicleFigures?: unknown;
  /** The standard (its id or JSON) and the user's edits of it. */
  standard: unknown;
  overrides?: unknown;
  /** The district setup (mode and its polygons or their identity). */
  districts: unknown;
  /** The stations checked (null: a key for all station sets, e.g. a prepared evaluator). */
  stations: unknown;
  /** Anything else the result depends on (planning area, barriers, options …). */
  settings?: unknown;
}

/** The vehicle part of a key: its id alone when unedited (keys stay as before), else the id with its figures. */
const vehicleKeyPart = (id: string | null | undefined, figures: unknown): unknown =>
  figures === undefined || figures === null ? id ?? null : { id: id ?? null, figures };

/** The one key of what a verdict depends on (a fingerprint of the fields in a fixed order). */
export function verdictKey(k: VerdictKeyInput): string {
  return fingerprint([k.placeId, k.networkVersion, k.profile ?? null, k.peak, vehicleKeyPart(k.vehicleId, k.vehicleFigures), k.standard, k.overrides ?? null, k.districts, k.stations, k.settings ?? null]);
}

/** What the worker knows about the network a request runs on (which graph, which profile, peak or not, which vehicle). */
export interface NetworkContext {
  networkVersion: string | null;
  profile: unknown;
  peak: boolean;
  vehicleId?: string | null;
  vehicleFigures?: unknown;
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

  /**
   * Evaluates a worker request on the router's network (straight-line estimate without one), reusing a cached
   * evaluator. `net` names the network and profile in the key (the worker passes it; without, identity decides).
   */
  evaluate(req: EvaluateRequest, router: RouterLike | null, net: NetworkContext | null = null): PlaceReport {
    const { stations, options, ...rest } = req;
    const { coverage, nearSuburb, ...staticOptions } = options ?? {};
    const { placeId, standard, overrides, districts, ...settings } = rest;
    const key = verdictKey({
      placeId: placeId ?? null, networkVersion: router ? net?.networkVersion ?? null : null, profile: router ? net?.profile ?? null : null,
      peak: router ? net?.peak ?? false : false, vehicleId: router ? net?.vehicleId ?? null : null, vehicleFigures: router ? net?.vehicleFigures ?? null : null, standard, overrides, districts, stations: null, settings: { ...settings, options: staticOptions },
    });
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
