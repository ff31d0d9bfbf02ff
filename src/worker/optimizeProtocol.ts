/**
 * The siting optimizer's part of the worker protocol (issue #12): what the "选址优化 / Suggest sites" panel asks
 * for (`optimize` in PlannerRequests) and what it gets back. Plain data; every failure is a PlannerErrorInfo.
 */
import type { FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { PlannerErrorInfo } from '../core/errors';
import type { PoiProps, SitingRules } from '../core/siting';

/** LSCP: fewest new stations covering all coverable demand; MCLP: k stations maximising covered weight; p-median:
 * k stations minimising weighted travel time; p-center: minimising the worst time; backup: covered twice. */
export type OptimizeModel = 'lscp' | 'mclp' | 'pmedian' | 'pcenter' | 'backup';
export const OPTIMIZE_MODELS: readonly OptimizeModel[] = ['lscp', 'mclp', 'pmedian', 'pcenter', 'backup'];

/** A candidate site given by the planner (an imported list) or found by the worker. */
export interface CandidatePoint {
  id: string;
  name?: string;
  lon: number;
  lat: number;
}

/**
 * Where new stations may go: road nodes thinned to a spacing (metres), the same only inside drawn areas, or an
 * imported list.
 */
export type CandidateSpec =
  | { kind: 'thinned'; spacingM: number }
  | { kind: 'areas'; spacingM: number; areas: (Polygon | MultiPolygon)[] }
  | { kind: 'list'; points: CandidatePoint[] };

/** An imported demand point (population cell, building, incident) with its weight. */
export interface WeightedPoint {
  lon: number;
  lat: number;
  weight: number;
}

/** A station the run keeps (existing, or planned when "fixed: all planned"). */
export interface FixedSite {
  id: string;
  lon: number;
  lat: number;
}

/** Demand weights: road length (km of road) or one per demand point. */
export type DemandWeight = 'length' | 'uniform';

export interface OptimizeRequest {
  /** Names this run (the client makes a new one per run); results and progress carry it. */
  runId: string;
  placeId: string;
  model: OptimizeModel;
  /** New stations wanted (MCLP, p-median, p-center, backup); LSCP finds its own count. */
  k: number;
  /** Travel limit in minutes (turnout excluded), e.g. 4 under 建标152-2017. */
  minutes: number;
  /** Backup model: the second station's limit in minutes (e.g. 8). */
  backupMinutes?: number;
  candidates: CandidateSpec;
  /** Stations kept as they are (existing; planned too when the planner fixes them). */
  fixed: FixedSite[];
  /** The plan's own new sites when they are freed: the run compares them with the best sites of the same count. */
  planned: FixedSite[];
  weight: DemandWeight;
  /** Imported demand instead of the road points (its weights; `weight` is then ignored). */
  demandPoints?: WeightedPoint[];
  /** Exact MIP after the heuristic: time limit in seconds (0: heuristic only). */
  exactLimitS: number;
  /** The place outline: demand and candidates of the straight-line estimate when the place has no road network. */
  boundary?: (Polygon | MultiPolygon)[];
  /** Straight-line estimate figures of the standard (km/h and route-curvature factor λ). */
  straightLine?: { speedKmh: number; curvature: number };
  /** Largest k of the coverage curve (default 10). */
  curveMaxK?: number;
  /** Also return the model as CPLEX LP text. */
  writeLp?: boolean;
  /**
   * The 建标152 siting checklist on road candidates (distance to crowded places, hazardous sites from the place's
   * POIs): failing candidates excluded or kept flagged. Absent: not checked.
   */
  siting?: SitingSpec;
  /**
   * The place's water areas (polygon features of the kinds pointInWater tests: water, riverbank, reservoir, sea):
   * no candidate stands in them. `key` names this water (same key = same polygons) so the worker builds its index
   * once per place. Absent: no water check.
   */
  water?: { key: string; areas: FeatureCollection<Polygon | MultiPolygon> };
}

export interface SitingSpec {
  mode: 'exclude' | 'flag';
  rules: SitingRules;
  /** The place's POIs (null: none, every POI test is 'no data'). */
  pois: FeatureCollection<Point, PoiProps> | null;
  /** Bbox the POI data covers. */
  coverage?: [number, number, number, number];
}

/** Progress of a run: matrix n of N, the heuristic, the exact solver (incumbent / bound / gap when known). */
export interface OptimizeProgress {
  runId: string;
  phase: 'demand' | 'matrix' | 'heuristic' | 'exact';
  done: number;
  total: number;
  /** Exact phase: best bound, best answer so far (display terms, see ExactStatus) and the relative gap in percent. */
  bound?: number;
  incumbent?: number;
  gapPct?: number;
}

/** Called on every progress step; returning true (or a promise of true) cancels the run ('optimize-cancelled'). */
export type OptimizeProgressFn = (p: OptimizeProgress) => boolean | void | Promise<boolean | void>;

export interface SuggestedSite {
  /** 1 = the site that adds most. */
  rank: number;
  candidateId: string;
  lon: number;
  lat: number;
  /** What this site adds over the fixed stations and the better-ranked sites: demand weight (km of road, or points). */
  gain: number;
  /** Covered share of all demand once this site and the better-ranked ones are added (0…1). */
  shareAfter: number;
  /** One of the plan's own sites (freed and chosen again). */
  planned?: boolean;
  /** The siting checklist's result for this site (when checked); flagged = failing but kept. */
  siting?: 'pass' | 'fail' | 'no-data';
}

export interface CurvePoint {
  /** New stations. */
  k: number;
  /** Covered demand weight and share (0…1) with the fixed stations and k new ones. */
  covered: number;
  share: number;
}

export interface ExactStatus {
  status: 'optimal' | 'time-limit' | 'infeasible' | 'not-run' | 'failed';
  /**
   * Objective of the best integer answer in display terms: LSCP stations; MCLP / backup covered km of road (or
   * points); p-median mean seconds; p-center worst seconds.
   */
  objective?: number;
  /** The solver's best bound (equals the objective when optimal). The objective is the exact run's own best answer. */
  bound?: number;
  /** Gap of the answer shown (the better of heuristic and exact) to the bound, percent (0 when proven optimal). */
  gapPct?: number;
  seconds?: number;
  /** When proven optimal: the heuristic's objective against the optimum, percent (0: the heuristic was optimal). */
  heuristicGapPct?: number;
  error?: PlannerErrorInfo;
}

export interface OptimizeResult {
  runId: string;
  placeId: string;
  model: OptimizeModel;
  minutes: number;
  /** 'network': on the road network; 'straight-line-estimate': no roads, distances × λ at the standard's speed. */
  mode: 'network' | 'straight-line-estimate';
  demand: {
    points: number;
    /** Total weight and its unit: road km ('km'), area km² of the estimate's grid ('km2'), points ('points') or the imported file's weight ('weight'). */
    total: number;
    unit: 'km' | 'km2' | 'points' | 'weight';
    /** Weight no candidate nor fixed station reaches within the limit (reported, not dropped silently). */
    uncoverable: number;
    /** Weight the fixed stations already cover. */
    coveredByFixed: number;
  };
  candidates: number;
  /** Road candidates left out because they fail the siting checklist (mode 'exclude'). */
  excludedBySiting?: number;
  /** Candidate sites left out because they stand in water (the place's water areas; see OptimizeRequest.water). */
  excludedByWater?: number;
  sites: SuggestedSite[];
  /** Coverage vs number of new stations, k = 0 … curveMaxK (greedy, nested). */
  curve: CurvePoint[];
  /** The plan's own new sites against the best of the same count (only when planned sites were freed). */
  plan?: { count: number; share: number; bestShare: number };
  exact: ExactStatus;
  /** The model in CPLEX LP format (writeLp). */
  lp?: string;
  seconds: number;
  warnings: PlannerErrorInfo[];
}
