/**
 * evaluatePlace: districts + district-edge response test + area test + coverage + barrier check for every
 * station of a place, on the road network ('network') or by the straight-line estimate where there is none.
 * One-shot form of the per-place evaluator (evaluator.ts): same code path, coverage on unless options.coverage is false.
 */
import { createEvaluator } from './evaluator';
import type { EvaluateInput } from './input';
import { fromRouter, type RouterLike } from './network';
import type { PlaceReport } from './report';
import { parseStandard, withOverrides, type Standard, type StandardOverrides } from './standards';

export { inputError, type DistrictsInput, type EvaluateInput, type EvaluateOptions } from './input';

export function evaluatePlace(input: EvaluateInput): PlaceReport {
  const o = input.options ?? {};
  return createEvaluator(input).evaluate(input.stations, { coverage: o.coverage !== false, nearSuburb: o.nearSuburb });
}

/** What the UI sends to the worker's `evaluate` (plain data): the standard as its JSON, with optional user edits. */
export interface EvaluateRequest extends Omit<EvaluateInput, 'network' | 'standard'> {
  standard: unknown;
  overrides?: StandardOverrides;
}

/** A request's standard, validated (a PlannerError 'bad-standard' on bad data), with the user's edits applied. */
export function requestStandard(req: Pick<EvaluateRequest, 'standard' | 'overrides'>): Standard {
  const base = parseStandard(req.standard);
  return req.overrides ? withOverrides(base, req.overrides) : base;
}

/** A request evaluated on the router's network (by estimate without one), without the worker's evaluator cache. */
export function evaluateRequest(req: EvaluateRequest, router: RouterLike | null): PlaceReport {
  return evaluatePlace({ ...req, standard: requestStandard(req), network: router ? fromRouter(router) : null });
}
