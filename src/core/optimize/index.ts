/** The siting optimizer (issue #12): demand, candidates, coverage matrix, models, LP, exact MIP. */
export * from './types';
export { roadDemand, importedDemand, type RoadDemandOptions } from './demand';
export { roadCandidates, stationCandidates, importedCandidates, sitingHook, inRing, UNSUITABLE_CLASSES, type RoadCandidateOptions, type Ring } from './candidates';
export { networkMatrix, straightLineMatrix, cancelledError, type MatrixOptions } from './matrix';
export { mergeDemand } from './merge';
export { scoreSites, solveHeuristic, coverageCurve, validateModel, picksInOrder, nextStation, submodularBound, comparePlan, modelObjective as modelObjectiveOf, penaltyOf } from './heuristic';
export { buildMip, writeLp } from './lp';
export { solveExact, parseHighsLog, type ExactOptions } from './exact';
export { areaDemand, areaCandidates } from './estimate';
export { highsSolveLp, type HighsLike, type LogSink } from './highsAdapter';
