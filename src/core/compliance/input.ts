/** Input types of the compliance evaluation and its input error (shared by evaluate.ts and evaluator.ts). */
import type { FeatureCollection } from 'geojson';
import { plannerError, type PlannerError } from '../errors';
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
  /** A station whose nearest road is further than this is off the road network: no time, verdict fail (default OFF_NETWORK_M.start, 500 m). */
  offNetworkM?: number;
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

/** Bad evaluation input: a PlannerError with code 'bad-compliance-input'. */
export const inputError = (zh: string, en: string): PlannerError => plannerError('bad-compliance-input', zh, en);

export function checkArea(a: AreaGeometry): void {
  if (!a || (a.type !== 'Polygon' && a.type !== 'MultiPolygon'))
    throw inputError('规划范围必须是面（Polygon/MultiPolygon）', 'planning area must be a Polygon or MultiPolygon');
}

/** Coordinates, unique ids, and each station's own turnout: 0 ≤ turnoutS < the standard's response time (turnout + travel). */
export function checkStations(stations: readonly Station[], responseS: number): void {
  const ids = new Set<string>();
  for (const s of stations) {
    if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || Math.abs(s.lon) > 180 || Math.abs(s.lat) > 90)
      throw inputError(`消防站 ${s.name} 坐标无效（${s.lon}, ${s.lat}）`, `station ${s.nameEn ?? s.name} has invalid coordinates (${s.lon}, ${s.lat})`);
    if (ids.has(s.id)) throw inputError(`消防站编号重复：${s.id}`, `duplicate station id: ${s.id}`);
    if (s.turnoutS !== undefined && !(Number.isFinite(s.turnoutS) && s.turnoutS >= 0 && s.turnoutS < responseS))
      throw inputError(`消防站 ${s.name} 的出动时间 ${s.turnoutS} 秒无效（应在 0–${responseS} 秒之间）`, `station ${s.nameEn ?? s.name}: turnout ${s.turnoutS} s is invalid (expected 0–${responseS} s)`);
    ids.add(s.id);
  }
}
