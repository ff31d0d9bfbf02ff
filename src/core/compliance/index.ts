/** Compliance checks (建标152-2017 / GB 51080-2015 / NFPA 1710 / AGBF): public API. */
export { evaluatePlace, evaluateRequest, inputError, type EvaluateInput, type EvaluateRequest, type EvaluateOptions, type DistrictsInput } from './evaluate';
export { createEvaluator, type Evaluator, type EvaluatorInput, type EvaluateCallOptions } from './evaluator';
export { EvaluatorCache, fingerprint } from './cache';
export type { PlaceReport, StationReport, StationSnapReport, Reason, ReasonCode, CoverageReport, BarrierHit, EvalMode, Verdict } from './report';
export { ESTIMATE_LABEL, NETWORK_LABEL } from './report';
export { parseStandard, withOverrides, areaLimit, citation, standardError, STANDARD_IDS, DEFAULT_STANDARD_ID, type Standard, type StandardOverrides, type Citation, type Bilingual, type Rule } from './standards';
export { districtsFromTowns, districtsFromPolygons, autoDistricts, tilingDefects, unionAll, type District, type DistrictResult, type Issue, type LabelledPoints } from './districts';
export { prepareNetwork, fromRouter, labelledRoadPoints, copyRun, type NetworkInput, type RouterLike } from './network';
export { DEFAULT_BARRIER_KINDS, placeBarriers } from './barriers';
export { runCheck, checkPlace, parseCheckArgs, renderText, type CheckIO, type CheckArgs, type CheckResult } from './cli';
export { turnoutOf, travelLimitOf } from './verdict';
// The stages themselves (districts → edge plan → station times → verdicts), for other checks built on them.
export { buildAutoGrid, partitionAuto, type AutoGrid, type MultiRun, type Partition, type PartitionResult } from './autoGrid';
export { netEdgePlan, InsideTest, type NetEdgePlan, type DistrictCells } from './edgePlan';
export { stationEdgeTimes, roadPointTime, type EdgeTimes, type StationRun } from './stationTimes';
export { stationVerdict, reasonsOf, type VerdictInput, type SnapFacts } from './verdict';
export { SnapStore, EdgeQuery, snapEdgeRef, snapEdgePoint, type SnapEdgeOptions } from './edgeSnap';
