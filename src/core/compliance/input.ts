/** Input types of the compliance evaluation and its input error (shared by evaluate.ts and evaluator.ts). */
import type { FeatureCollection } from 'geojson';
import type { AreaCollection, AreaGeometry, Station } from '../types';
import type { NetworkInput } from './network';
import type { Standard } from './standards';

export type DistrictsInput =
  | { mode: 'towns'; towns: AreaCollection }
  | { mode: 'auto'; cellM?: number }
  | { mode: 'given'; polygons: AreaCollection };

export interface EvaluateOptions {
  /** Boundary sampling step, metres (default 50). */
  sampleStepM?: number;
  /** Edge points further than this from a road have no road access (default 300). */
  roadSearchM?: number;
  /** An edge point's road within this distance counts as on the edge; further roads must lie inside the district (default 150, a hose lay). */
  edgeSideM?: number;
  /** Roads within this distance of an edge point's nearest road count too; the fastest is taken (default 30). */
  edgeParallelM?: number;
  /** Area within this distance of a reached road counts as covered (default 100). */
  corridorM?: number;
  /** Grid cell for coverage and auto districts, metres (default 50; grown for large areas). */
  cellM?: number;
  /** Station ids whose districts lie in a near-suburb (近郊区) area limit. */
  nearSuburb?: string[];
  /** Minimum barrier length inside a district to flag it, metres (default 200). */
  minBarrierM?: number;
  /** Barrier kinds taken from `barriers` (default DEFAULT_BARRIER_KINDS: rivers, canals, railways, motorways). */
  barrierKinds?: string[];
  /** Coverage (road/area share, pockets, second-due): evaluatePlace computes it unless false; an evaluator only when true. */
  coverage?: boolean;
  /**
   * Reference mode for tests: every station's run goes over its whole network and no edge time is taken from the
   * multi-source run (the results must be the same, only slower).
   */
  referenceRuns?: boolean;
}

export interface EvaluateInput {
  placeId?: string;
  stations: Station[];
  planningArea: AreaGeometry;
  districts: DistrictsInput;
  /** Road network; without it the straight-line estimate is used. */
  network?: NetworkInput | null;
  standard: Standard;
  /** Railways, rivers, … (lines or polygons with `kind`, `name`); motorways come from the network. */
  barriers?: FeatureCollection;
  options?: EvaluateOptions;
}

/** Bad evaluation input, with { code, zh, en } like a PlannerErrorInfo. */
export class ComplianceInputError extends Error {
  readonly code = 'bad-compliance-input';
  constructor(readonly zh: string, readonly en: string) {
    super(`${en} / ${zh}`);
    this.name = 'ComplianceInputError';
  }
}
