/**
 * The planner worker's implementation of PlannerWorkerApi (no comlink here, so it also runs in-process in
 * tests and on Node). Every failure is thrown as a plain PlannerErrorInfo { code, zh, en }.
 */
import { transfer } from 'comlink';
import type { FeatureCollection } from 'geojson';
import { decodeGraph, GraphFormatError, type RoadGraph } from '../core/graph';
import { buildGraph, isDrivableWay } from '../core/buildGraph';
import { parseProfile, ProfileError, type SpeedProfile } from '../core/profile';
import { Router } from '../core/router';
import { EvaluatorCache, type EvaluateRequest } from '../core/compliance';
import { readOsm } from '../core/osm/read';
import { clipOsm, growBbox } from '../core/osm/clip';
import { extractFacilities, extractRoads } from '../core/osm/extract';
import fireEngineProfile from '../../geodata/profiles/fire-engine.json';
import type { GraphInfo, ImportResult, IsochroneRequest, IsochroneResult, PlannerErrorInfo, PlannerWorkerApi, ProgressInfo, RouteRequest, RouteResult, SnapInfo } from './protocol';

/** Converts anything thrown into the bilingual error shape of the protocol. */
export function toErrorInfo(e: unknown): PlannerErrorInfo {
  // Errors of core modules carry { code, zh, en } (RoutingError, StandardError, ComplianceInputError …): copy them
  // into a plain object, since comlink would reduce an Error instance to its message.
  if (isErrorInfo(e)) return { code: e.code, zh: e.zh, en: e.en };
  if (e instanceof ProfileError) return { code: 'bad-profile', zh: `速度配置无效：${e.issues.map((i) => `${i.path} ${i.zh}`).join('；')}`, en: `invalid speed profile: ${e.issues.map((i) => `${i.path} ${i.en}`).join('; ')}` };
  const msg = e instanceof Error ? e.message : String(e);
  const [zh, en] = msg.includes(' / ') ? [msg.slice(0, msg.indexOf(' / ')), msg.slice(msg.indexOf(' / ') + 3)] : [msg, msg];
  if (e instanceof GraphFormatError) return { code: 'bad-graph', zh: `路网文件无效：${zh}`, en: `invalid road graph: ${en}` };
  if (e instanceof Error && e.name === 'OsmReadError') return { code: 'bad-osm', zh, en };
  return { code: 'internal', zh: `内部错误：${zh}`, en: `internal error: ${en}` };
}

export function isErrorInfo(e: unknown): e is PlannerErrorInfo {
  return typeof e === 'object' && e !== null && typeof (e as PlannerErrorInfo).code === 'string' && typeof (e as PlannerErrorInfo).zh === 'string' && typeof (e as PlannerErrorInfo).en === 'string';
}

export const defaultProfile = (): SpeedProfile => parseProfile(structuredClone(fireEngineProfile));

/** Creates the API object. `transferResults` wraps graph buffers for comlink transfer (worker only). */
export function createPlannerApi(opts: { transferResults?: boolean } = {}): PlannerWorkerApi {
  const routers = new Map<string, Router>();
  // Evaluators per place + standard + districts (see EvaluatorCache): a dragged site re-evaluates in milliseconds.
  const evaluators = new EvaluatorCache();
  let profile = defaultProfile();
  let peak = false;

  const routerFor = (placeId: string): Router => {
    const r = routers.get(placeId);
    if (!r) throw { code: 'no-graph', zh: `地点「${placeId}」尚未加载路网`, en: `no road graph loaded for place "${placeId}"` } satisfies PlannerErrorInfo;
    return r;
  };
  const info = (placeId: string, r: Router): GraphInfo => ({ placeId, ...r.graphSummary() });
  const guard = <A extends unknown[], R>(fn: (...a: A) => R | Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw toErrorInfo(e);
    }
  };
  const install = (placeId: string, graph: RoadGraph): Router => {
    const r = new Router(graph, profile, peak);
    routers.set(placeId, r);
    return r;
  };

  return {
    loadGraph: guard(async (placeId: string, buffer: ArrayBuffer) => info(placeId, install(placeId, decodeGraph(buffer)))),

    importOsm: guard(async (placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: [number, number, number, number]) => {
      const report = (p: ProgressInfo) => { if (onProgress) void onProgress(p); };
      report({ phase: 'read', done: 0, total: bytes.byteLength });
      const read = readOsm(new Uint8Array(bytes), fileName, (done, total) => report({ phase: 'parse', done, total }));
      const osm = clipTo ? clipOsm(read, growBbox(clipTo, 2000)) : read;
      if (clipTo && !osm.ways.some((w) => isDrivableWay(w.tags)))
        throw { code: 'no-overlap', zh: `文件「${fileName}」在本地区范围内没有道路——是否选错了文件？未作任何修改`, en: `the file "${fileName}" has no roads within this place — wrong file? Nothing was changed` } satisfies PlannerErrorInfo;
      report({ phase: 'build', done: 0, total: 3 });
      const roads = extractRoads(osm) as FeatureCollection;
      report({ phase: 'build', done: 1, total: 3 });
      const facilities = extractFacilities(osm) as FeatureCollection;
      const { graph, stats } = buildGraph(osm);
      report({ phase: 'build', done: 2, total: 3 });
      if (graph.edgeCount === 0)
        throw { code: 'no-roads', zh: `文件「${fileName}」中没有可供消防车通行的道路`, en: `the file "${fileName}" contains no roads a fire engine can use` } satisfies PlannerErrorInfo;
      const r = install(placeId, graph);
      const gi = info(placeId, r);
      report({ phase: 'build', done: 3, total: 3 });
      const warnings: PlannerErrorInfo[] = [];
      if (stats.missingNodeRefs > 0)
        warnings.push({ code: 'clipped-ways', zh: `${stats.missingNodeRefs} 个道路节点不在文件范围内（数据被裁剪），相关道路在边界处截断`, en: `${stats.missingNodeRefs} road node references are outside the extract (clipped); those roads end at the border` });
      if (gi.components > 1 && gi.largestComponentShare < 0.95)
        warnings.push({ code: 'disconnected', zh: `路网分为 ${gi.components} 个互不连通的部分，最大部分占 ${(gi.largestComponentShare * 100).toFixed(1)}% 的节点`, en: `the network has ${gi.components} disconnected pieces; the largest holds ${(gi.largestComponentShare * 100).toFixed(1)}% of nodes` });
      const copy = graph.buffer.slice(0);
      const result: ImportResult = { graph: copy, roads, facilities, info: gi, warnings };
      return opts.transferResults ? transfer(result, [copy]) : result;
    }),

    setProfile: guard(async (input: unknown, isPeak: boolean) => {
      profile = parseProfile(structuredClone(input));
      peak = !!isPeak;
      for (const r of routers.values()) r.setProfile(profile, peak);
    }),

    snap: guard(async (placeId: string, point: [number, number]): Promise<SnapInfo> => {
      const r = routerFor(placeId);
      return r.summary(r.snap(point[0], point[1]));
    }),

    isochrone: guard(async (req: IsochroneRequest): Promise<IsochroneResult> => routerFor(req.placeId).isochrone(req.stations, req.bandsMin, { corridorM: req.corridorM, lines: req.lines })),

    route: guard(async (req: RouteRequest): Promise<RouteResult> => {
      const r = routerFor(req.placeId);
      return r.route(req.stations, req.to, req.lang);
    }),

    /**
     * Compliance (src/core/compliance): on the place's network when loaded, else by the straight-line estimate.
     * Coverage (pockets, second-due) only with options.coverage = true. Evaluators are cached and reused.
     */
    evaluate: guard(async (req: unknown) => {
      if (typeof req !== 'object' || req === null)
        throw { code: 'bad-request', zh: '评估请求必须是对象', en: 'the evaluation request must be an object' } satisfies PlannerErrorInfo;
      const r = req as EvaluateRequest;
      if (!Array.isArray(r.stations))
        throw { code: 'bad-request', zh: '评估请求缺少消防站列表（stations）', en: 'the evaluation request has no stations list' } satisfies PlannerErrorInfo;
      return evaluators.evaluate(r, r.placeId ? routers.get(r.placeId) ?? null : null);
    }),
  };
}
