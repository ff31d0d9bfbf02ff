/**
 * Public types of the siting optimizer (issue #12). Pure data: typed arrays for the big parts, so a worker can send
 * them as transferables. Times are seconds of travel (turnout not included), weights are metres of road (road
 * demand) or the imported file's weight unit.
 */

/** The location models. */
export type ModelKind = 'lscp' | 'mclp' | 'pmedian' | 'pcenter' | 'backup';
export const MODEL_KINDS: readonly ModelKind[] = ['lscp', 'mclp', 'pmedian', 'pcenter', 'backup'];

/** One imported demand point (population cell, building, incident …); core never reads files. */
export interface DemandPoint {
  lon: number;
  lat: number;
  weight: number;
}

/** Demand points as columns. Road demand also keeps the road piece each point stands on. */
export interface Demand {
  lon: Float64Array;
  lat: Float64Array;
  weight: Float64Array;
  /** Road demand: directed edge the point lies on (its canonical direction) and the fraction along it; -1 / 0 for imported points. */
  edge: Int32Array;
  t: Float32Array;
  /** 'roads': a point every spacing metres along the drivable roads, weight = metres of road; 'imported': the user's file. */
  source: 'roads' | 'imported' | 'area-grid';
  /** Unit of the weights: metres of road, the imported file's own unit, or square metres of area (estimate mode's grid). */
  unit: 'm' | 'weight' | 'm2';
}

/** Role of a candidate: a new site to choose, or a station already there (fixed open), or a planned one (fixed or free). */
export type CandidateKind = 'new' | 'existing' | 'planned';

export interface Candidate {
  id: string;
  name?: string;
  lon: number;
  lat: number;
  kind: CandidateKind;
  /** Always open (existing stations; planned ones unless freed). A fixed candidate is never counted as a new station. */
  fixed: boolean;
  /** Road node the candidate stands on (road candidates), -1 when it is snapped at matrix time. */
  node: number;
  /** Siting checklist result (建标152) when a check was given: failing candidates are excluded or kept with flagged = true. */
  siting?: 'pass' | 'fail' | 'no-data';
  flagged?: boolean;
}

/** Direction of travel of the matrix: from the station to the demand (dispatch, default) or back. */
export type MatrixDirection = 'station-to-demand' | 'demand-to-station';

/**
 * Coverage matrix in CSR form: candidate c reaches demand ids dem[first[c] .. first[c+1]-1] with the travel seconds
 * in time[…] (each ≤ horizonS; each demand at most once per row, in no particular order). After mergeDemand, demand ids are merged points and
 * `weight` their summed weights.
 */
export interface CoverageMatrix {
  candidates: Candidate[];
  demandCount: number;
  weight: Float64Array;
  first: Uint32Array;
  dem: Uint32Array;
  time: Float32Array;
  /** Travel limit of coverage (e.g. 240 s = 4 min) and the optional second limit for backup coverage (e.g. 480 s). */
  limitS: number;
  backupLimitS: number | null;
  /** Searches were capped here (≥ both limits); a time beyond it is unknown (p-median uses penaltyS for it). */
  horizonS: number;
  direction: MatrixDirection;
  /** Times from straight-line distance (no road network): an estimate, and every output says so. */
  estimate: boolean;
  /** Original demand point → merged point (identity before merging). */
  demandOf: Uint32Array;
  /** Original demand count (before merging). */
  originalCount: number;
}

/** Progress of a long run (0…1) and a cancel check (AbortSignal-like: `{ aborted }`). */
export interface RunControl {
  onProgress?: (done: number, total: number) => void;
  signal?: { readonly aborted: boolean };
}

export interface ModelOptions {
  model: ModelKind;
  /** New stations to open (MCLP, p-median, p-center, backup); LSCP ignores it. */
  k?: number;
  /**
   * p-median: seconds charged for demand that no open station reaches within the horizon (default: 2 × horizonS).
   * p-center: the same value is the worst time of such demand.
   */
  penaltyS?: number;
}

/** One pick of the greedy order: the candidate and what it added to the objective then. */
export interface SitePick {
  candidate: number;
  /** Gain of the objective when it was added (covered weight for MCLP/LSCP, weighted seconds saved for p-median …). */
  gain: number;
}

/** What a set of open sites achieves on a matrix (scoreSites; every solution carries one). */
export interface SiteScore {
  /** New sites (candidate indices, not the fixed ones). */
  open: number[];
  totalWeight: number;
  /** Weight within limitS of an open site (fixed ones included). */
  coveredWeight: number;
  /** coveredWeight / totalWeight (0 when there is no demand). */
  coveredShare: number;
  /** Weight no candidate at all reaches within limitS: no choice of sites covers it. */
  uncoverableWeight: number;
  uncoverableCount: number;
  /** Weight reached by ≥ 2 open sites within the second limit (null without one). */
  backupWeight: number | null;
  /** Σ weight × seconds to the nearest open site (penaltyS when none within the horizon). */
  weightedTimeS: number;
  /**
   * Worst seconds to the nearest open site over the demand some candidate reaches within the horizon (penaltyS when
   * no open site does); demand no candidate reaches at all is left out here and counted in uncoverableWeight.
   */
  worstTimeS: number;
}

export type SolveMethod = 'greedy' | 'greedy+swap' | 'exact';

/** Result of the MIP (HiGHS or another solveLp). */
export interface ExactInfo {
  status: string;
  /** Objective of the best solution found, in the model's own terms (see Solution.objective). */
  objective: number | null;
  /** Best bound proven (null when the solver did not report one). */
  bound: number | null;
  /** Where the bound comes from: the solver's branch and bound, or (MCLP, p-median) the submodularity bound, or (MCLP) the Lagrangian bound, whichever is tightest. */
  boundSource?: 'solver' | 'submodular' | 'lagrangian';
  /** Relative gap |objective − bound| / |objective| (0 when optimal, null when unknown). */
  gap: number | null;
  optimal: boolean;
  seconds: number;
  /** Which search ran: HiGHS's MIP, or (large MCLP) the Lagrangian branch and bound of mclpBranch.ts. */
  engine?: 'highs' | 'lagrangian';
}

export interface Solution {
  model: ModelKind;
  method: SolveMethod;
  /** New sites opened, in pick order (greedy) or ascending (exact). */
  open: number[];
  /**
   * Objective in the model's terms: LSCP number of new sites; MCLP covered weight; p-median Σ weight × seconds;
   * p-center worst seconds; backup weight covered twice (within backupLimitS).
   */
  objective: number;
  picks: SitePick[];
  score: SiteScore;
  exact?: ExactInfo;
  /** Estimate mode (straight-line times), copied from the matrix so no output forgets it. */
  estimate: boolean;
}

/** One point of the curve "covered share vs number of new stations". */
export interface CurvePoint {
  k: number;
  coveredWeight: number;
  coveredShare: number;
  open: number[];
}

/** B&B progress parsed from the solver's log. */
export interface MipProgress {
  seconds: number | null;
  /** Best bound and best solution in the solver's sense (the LP's own objective). */
  bestBound: number | null;
  bestSolution: number | null;
  /** Relative gap, 0…1 (null when not yet known). */
  gap: number | null;
  line: string;
}

/** What a solveLp function returns (the CLI/test one wraps highs in Node, the worker one in the browser). */
export interface LpResult {
  /** Solver status text, e.g. 'Optimal', 'Time limit reached', 'Infeasible'. */
  status: string;
  objective: number | null;
  /** Column values by variable name (only those the solver reported). */
  columns: Record<string, number>;
  /** Log lines printed while solving. */
  log: string[];
  /** Best bound and relative gap as the solver reports them (LP terms, no offset); absent when it did not say. */
  bound?: number | null;
  gap?: number | null;
}

export interface SolveLpOptions {
  timeLimitS: number;
  /** Relative MIP gap to stop at (default 1e-4). */
  mipRelGap?: number;
  /** HiGHS presolve (default 'choose'). In WebAssembly presolve took 33 s of a 48 s MCLP solve on the 上海 sample, so solveExact turns it off for MCLP. */
  presolve?: 'on' | 'off' | 'choose';
  /** Starting solution (variable name → value), e.g. the greedy answer's sites: the solver starts from it. */
  start?: Record<string, number>;
  /** Live progress from the solver's MIP callbacks (LP terms, no offset). */
  onProgress?: (p: MipProgress) => void;
  /** Cancel: the solver is interrupted at its next checkpoint and returns its best solution so far. */
  signal?: { readonly aborted: boolean };
  /** Every log line as it comes (highs-js solves synchronously: lines arrive during the blocking call). */
  onLog?: (line: string) => void;
}

/** Solves CPLEX LP text; injected so src/core stays I/O-free. */
export type SolveLp = (lp: string, opts: SolveLpOptions) => Promise<LpResult>;

/** A linear model before it becomes LP text (buildMip → writeLp). */
export interface MipModel {
  sense: 'min' | 'max';
  /** Objective terms [coefficient, variable]; a constant offset kept apart. */
  objective: [number, string][];
  offset: number;
  constraints: { name: string; terms: [number, string][]; op: '<=' | '>=' | '='; rhs: number }[];
  binaries: string[];
  /** Continuous variables with bounds (p-center's worst time). */
  continuous: { name: string; lo: number; hi: number | null }[];
  /** Candidate index of each site variable `y<c>`. */
  siteVars: Map<string, number>;
  /** Candidates opened before solving (LSCP reduction: sites some demand row has as its only cover); in the offset. */
  forcedOpen?: number[];
  comment: string[];
}
