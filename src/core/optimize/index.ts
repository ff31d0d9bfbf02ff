/**
 * The siting optimizer (issue #12): demand, candidates, coverage matrix, models, LP, exact MIP. A run, as the CLI
 * (src/cli/cmd-optimize.ts) and the worker do it:
 *
 *   demand  = roadDemand(router.graph, { seconds: router.seconds })            // or importedDemand(points) / areaDemand(area)
 *   cands   = [...stationCandidates(stations, 'fixed' | 'free'),
 *              ...roadCandidates(router.graph, { spacingM: 200, seconds: router.seconds, usable: router.mainNetwork,
 *                                                isExcluded, siting: sitingHook(pois, { rules }), sitingMode })]
 *   matrix  = networkMatrix(router, demand, cands, { limitS: 240, backupLimitS, horizonS, direction, onProgress, signal })
 *             // no road network: straightLineMatrix(demand, cands, { …, speedKmh, curvature }) — matrix.estimate = true
 *   merged  = mergeDemand(matrix, model)                                        // same answer, fewer rows
 *   quick   = solveHeuristic(merged, { model, k })                              // greedy + swap, picks with gains
 *   curve   = coverageCurve(merged, 10)                                         // covered share for k = 0…10
 *   exact   = await solveExact(merged, { model, k }, solveLp, { timeLimitS, onProgress, signal })
 *             // solveLp: browserSolveLp() (src/worker/highs.ts) or nodeSolveLp() (src/cli/highsNode.ts)
 *   score   = scoreSites(matrix, sites)  /  comparePlan(matrix, plannedSites)   // on the unmerged matrix
 *   lpText  = writeLp(buildMip(merged, { model, k }))
 *
 * Candidate indices in every result index `matrix.candidates` (merging keeps them).
 */
export * from './types';
export { roadDemand, importedDemand, type RoadDemandOptions } from './demand';
export { roadCandidates, sitedRoadCandidates, stationCandidates, importedCandidates, sitingHook, inRing, UNSUITABLE_CLASSES, type RoadCandidateOptions, type Ring } from './candidates';
export { networkMatrix, straightLineMatrix, cancelledError, type MatrixOptions } from './matrix';
export { mergeDemand } from './merge';
export { scoreSites, solveHeuristic, coverageCurve, validateModel, picksInOrder, nextStation, submodularBound, comparePlan, modelObjective as modelObjectiveOf, penaltyOf } from './heuristic';
export { buildMip, writeLp } from './lp';
export { solveExact, solveExactGuarded, exactEngineFor, parseHighsLog, type ExactOptions } from './exact';
export { areaDemand, areaCandidates } from './estimate';
export { mipSize, checkMipSize, DEFAULT_MIP_LIMITS, type MipSize, type MipLimits } from './size';
export { startOnReduced, mclpStartObjective } from './warmStart';
export { highsSolveLp, type HighsLike, type LogSink } from './highsAdapter';
