/** The siting optimizer's state (no store imports, so the store can build its initial state from it). */
import type { MsgLike as Msg } from '../i18n/msg';
import type { CandidatePoint, WeightedPoint, DemandWeight, OptimizeModel, OptimizeProgress, OptimizeResult } from '../worker/optimizeProtocol';

export interface OptimizerSettings {
  model: OptimizeModel;
  /** New stations wanted (not used by LSCP). */
  k: number;
  /** Travel limit, minutes (turnout excluded). */
  minutes: number;
  /** Backup model: the second station's limit, minutes. */
  backupMinutes: number;
  /** Candidate sites: road nodes thinned to `spacingM` (everywhere, or only inside the chosen districts), or the imported list. */
  candidates: 'thinned' | 'areas' | 'list';
  /** Indices of the place's district / town polygons candidates must lie in ('areas'). */
  areaIds: number[];
  spacingM: number;
  weight: DemandWeight;
  /** Demand: points along the roads (or the estimate's area grid), or the imported demand file. */
  demand: 'roads' | 'file';
  /** Fixed: only existing stations (the plan's own sites are freed and compared), or all planned ones too. */
  fixed: 'existing' | 'all';
  /** 建标152 siting checklist on road candidates: failing ones excluded, kept flagged, or no check. */
  siting: 'exclude' | 'flag' | 'off';
  /** Exact MIP time limit, seconds (0: heuristic only). */
  exactLimitS: number;
}

export interface OptimizerState {
  settings: OptimizerSettings;
  status: 'idle' | 'running' | 'done' | 'error' | 'cancelled';
  runId?: string;
  progress?: OptimizeProgress;
  result?: OptimizeResult;
  error?: Msg;
  /** The imported candidate list (file name and points). */
  list?: { fileName: string; points: CandidatePoint[] };
  /** The imported demand file (file name and weighted points). */
  demandList?: { fileName: string; points: WeightedPoint[] };
  /** The suggested sites are hidden on the map. */
  hidden?: boolean;
}

export const DEFAULT_OPTIMIZER_SETTINGS: OptimizerSettings = {
  model: 'mclp', areaIds: [], k: 3, minutes: 4, backupMinutes: 8, candidates: 'thinned', spacingM: 200, weight: 'length', fixed: 'existing', demand: 'roads', siting: 'exclude', exactLimitS: 5,
};

export const initialOptimizer = (): OptimizerState => ({ settings: { ...DEFAULT_OPTIMIZER_SETTINGS }, status: 'idle' });
