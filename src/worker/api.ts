/**
 * The planner worker's implementation of PlannerWorkerApi (no comlink here, so it also runs in-process in
 * tests and on Node). Every failure is thrown as plain PlannerErrorInfo data { code, zh, en, file?, detail? }.
 */
import { transfer } from 'comlink';
import type { FeatureCollection } from 'geojson';
import { decodeGraph, type RoadGraph } from '../core/graph';
import { buildGraph, isDrivableWay } from '../core/buildGraph';
import { parseProfile, validateProfile, type SpeedProfile } from '../core/profile';
import { Router } from '../core/router';
import { EvaluatorCache } from '../core/compliance/cache';
import { plannerError, toErrorInfo, type PlannerErrorInfo } from '../core/errors';
import { readOsm } from '../core/osm/read';
import { clipOsm, growBbox } from '../core/osm/clip';
import { extractFacilities, extractRoads } from '../core/osm/extract';
import fireEngineProfile from '../../geodata/profiles/fire-engine.json';
// --- road rules imports (issue #17; wp-g owns the full version) ---
import type { Feature } from 'geojson';
import { EdgeFlag } from '../core/graph';
import { CLOSED_BASE, closureRows, explainEdge, nodePasses, parseRoadRules, ruleClosures, ruleOfCode, vehicleById, type RoadRules } from '../core/roadRules';
import roadRulesJson from '../../geodata/profiles/road-rules.json';
import type { RoadRulesInfo, VehicleInfo } from './protocol';
// --- end road rules imports ---
import type { ClipBox, EvaluateRequest, GraphInfo, ImportResult, IsochroneRequest, IsochroneResult, PlannerWorkerApi, ProgressInfo, RouteRequest, RouteResult, SnapInfo } from './protocol';

/** A profile that arrived from the main thread, validated; the error lists every problem with its path. */
export function checkedProfile(input: SpeedProfile): SpeedProfile {
  const issues = validateProfile(input);
  if (issues.length) {
    throw plannerError('bad-profile', `速度配置无效：${issues.map((i) => `${i.path} ${i.zh}`).join('；')}`,
      `invalid speed profile: ${issues.map((i) => `${i.path} ${i.en}`).join('; ')}`);
  }
  return parseProfile(structuredClone(input));
}

export const defaultProfile = (): SpeedProfile => parseProfile(structuredClone(fireEngineProfile));

// --- road rules (issue #17; wp-g owns the full version of this block) ---
const vehicleInfo = (rules: RoadRules): VehicleInfo[] => rules.vehicles.map((v) => ({
  id: v.id, name: v.name, nameEn: v.nameEn, heightM: v.heightM.value, widthM: v.widthM.value, weightT: v.weightT.value, lengthM: v.lengthM.value, axleLoadT: v.axleLoadT.value,
}));

/** The rules applied to a router's graph for one vehicle: data-card rows, blocking nodes and closed road segments as GeoJSON. */
export function roadRulesInfo(placeId: string, router: Router, rules: RoadRules, vehicleId: string): RoadRulesInfo {
  const g = router.graph;
  const vehicle = vehicleById(rules, vehicleId);
  const isForward = (e: number) => !(g.flags[e] & EdgeFlag.Reverse);
  const c = ruleClosures(g, rules, vehicle, { isForward });
  const features: Feature[] = [];
  const at = (v: number) => [g.lon[v] / 1e7, g.lat[v] / 1e7];
  const facts = g.facts ?? [{}];
  for (let v = 0; v < g.nodeCount; v++) {
    if (c.node[v] < CLOSED_BASE) continue;
    const why = nodePasses(facts[g.nodeFacts?.[v] ?? 0] ?? {}, rules, vehicle).reason;
    const rule = ruleOfCode(c.node[v]) ?? 'access';
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at(v) }, properties: { kind: 'barrier', rule, zh: why?.zh ?? rule, en: why?.en ?? rule } });
  }
  const drawn = new Set<string>();
  for (let u = 0; u < g.nodeCount; u++) {
    for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) {
      if (c.edge[e] < CLOSED_BASE) continue;
      const v = g.target[e];
      const seg = u < v ? `${u}-${v}` : `${v}-${u}`;
      if (drawn.has(seg)) continue;
      drawn.add(seg);
      const why = explainEdge(g, e, rules, vehicle, isForward).reason;
      const rule = ruleOfCode(c.edge[e]) ?? 'access';
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [at(u), at(v)] }, properties: { kind: 'closed', rule, zh: why?.zh ?? rule, en: why?.en ?? rule } });
    }
  }
  return { placeId, vehicleId: vehicle.id, vehicles: vehicleInfo(rules), rows: closureRows(c), features: { type: 'FeatureCollection', features } };
}
// --- end road rules ---

/** Creates the API object. `transferResults` wraps graph buffers for comlink transfer (worker only). */
export function createPlannerApi(opts: { transferResults?: boolean } = {}): PlannerWorkerApi {
  const routers = new Map<string, Router>();
  /** Network version per place ("<place>#<n>"): the network part of the verdict key (see GraphInfo.version). */
  const versions = new Map<string, string>();
  const loads = { count: 0 };
  // Evaluators per place + standard + districts + network + profile (verdict key, see EvaluatorCache): a dragged
  // site re-evaluates in milliseconds.
  const evaluators = new EvaluatorCache();
  const current = { profile: defaultProfile(), peak: false };
  const roadRules = parseRoadRules(roadRulesJson); // road rules (issue #17; wp-g owns the full version)
  const vehicle = { id: roadRules.defaultVehicle.value }; // road rules (issue #17)

  const routerFor = (placeId: string): Router => {
    const r = routers.get(placeId);
    if (!r) throw plannerError('no-graph', `地点「${placeId}」尚未加载路网`, `no road graph loaded for place "${placeId}"`);
    return r;
  };
  const info = (placeId: string, r: Router): GraphInfo => ({ placeId, version: versions.get(placeId) ?? '', ...r.graphSummary() });
  const guard = <A extends unknown[], R>(fn: (...a: A) => R | Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw toErrorInfo(e);
    }
  };
  const install = (placeId: string, graph: RoadGraph): Router => {
    const r = new Router(graph, current.profile, current.peak);
    routers.set(placeId, r);
    versions.set(placeId, `${placeId}#${++loads.count}`);
    return r;
  };

  return {
    loadGraph: guard(async (placeId: string, buffer: ArrayBuffer) => info(placeId, install(placeId, decodeGraph(buffer)))),

    importOsm: guard(async (placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: ClipBox) => {
      const report = (p: ProgressInfo) => { if (onProgress) void onProgress(p); };
      report({ phase: 'read', done: 0, total: bytes.byteLength });
      const read = readOsm(new Uint8Array(bytes), fileName, (done, total) => report({ phase: 'parse', done, total }));
      const osm = clipTo ? clipOsm(read, growBbox(clipTo, 2000)) : read;
      if (clipTo && !osm.ways.some((w) => isDrivableWay(w.tags)))
        throw plannerError('no-overlap', `文件「${fileName}」在本地区范围内没有道路——是否选错了文件？未作任何修改`, `the file "${fileName}" has no roads within this place — wrong file? Nothing was changed`, { file: fileName });
      report({ phase: 'build', done: 0, total: 3 });
      const roads = extractRoads(osm) as FeatureCollection;
      report({ phase: 'build', done: 1, total: 3 });
      const facilities = extractFacilities(osm) as FeatureCollection;
      const { graph, stats } = buildGraph(osm);
      report({ phase: 'build', done: 2, total: 3 });
      if (graph.edgeCount === 0)
        throw plannerError('no-roads', `文件「${fileName}」中没有可供消防车通行的道路`, `the file "${fileName}" contains no roads a fire engine can use`, { file: fileName });
      const r = install(placeId, graph);
      const gi = info(placeId, r);
      report({ phase: 'build', done: 3, total: 3 });
      const warnings: PlannerErrorInfo[] = [];
      if (stats.missingNodeRefs > 0)
        warnings.push({ code: 'clipped-ways', file: fileName, zh: `${stats.missingNodeRefs} 个道路节点不在文件范围内（数据被裁剪），相关道路在边界处截断`, en: `${stats.missingNodeRefs} road node references are outside the extract (clipped); those roads end at the border` });
      if (gi.components > 1 && gi.largestComponentShare < 0.95)
        warnings.push({ code: 'disconnected', zh: `路网分为 ${gi.components} 个互不连通的部分，最大部分占 ${(gi.largestComponentShare * 100).toFixed(1)}% 的节点`, en: `the network has ${gi.components} disconnected pieces; the largest holds ${(gi.largestComponentShare * 100).toFixed(1)}% of nodes` });
      const copy = graph.buffer.slice(0);
      const result: ImportResult = { graph: copy, roads, facilities, info: gi, warnings };
      return opts.transferResults ? transfer(result, [copy]) : result;
    }),

    setProfile: guard(async (input: SpeedProfile, peak: boolean) => {
      current.profile = checkedProfile(input);
      current.peak = peak === true;
      for (const r of routers.values()) r.setProfile(current.profile, current.peak);
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
     * Coverage (pockets, second-due) only with options.coverage = true. Evaluators are cached (verdict key) and reused.
     */
    evaluate: guard(async (req: EvaluateRequest) => {
      if (typeof req !== 'object' || req === null || !Array.isArray(req.stations))
        throw plannerError('bad-request', '评估请求缺少消防站列表（stations）', 'the evaluation request has no stations list');
      const router = req.placeId ? routers.get(req.placeId) ?? null : null;
      const net = router && req.placeId ? { networkVersion: versions.get(req.placeId) ?? null, profile: current.profile, peak: current.peak } : null;
      return evaluators.evaluate(req, router, net);
    }),

    // --- road rules (issue #17; wp-g owns the full version of these two methods) ---
    setVehicle: guard(async (vehicleId: string) => {
      vehicle.id = vehicleById(roadRules, vehicleId).id;
    }),
    roadRules: guard(async (placeId: string) => roadRulesInfo(placeId, routerFor(placeId), roadRules, vehicle.id)),
    // --- end road rules ---
  };
}
