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
import { readOsm, type ReadLimits } from '../core/osm/read';
import { MAX_IMPORT_NODES, type ImportCap } from './importLimits';
import { malformedMessage } from '../core/osm/malformed';
import { clipOsm, growBbox } from '../core/osm/clip';
import { extractFacilities, extractRailways, extractRoads, extractWater } from '../core/osm/extract';
import { nodesBbox } from '../core/osm/shapes';
import { packedBuffers, packRoads } from '../core/osm/roadPack';
import { closureRows, figuresOf, parseRoadRules, ruleFeatures, vehicleById, withFigures, type RoadRules, type Vehicle, type VehicleFigures } from '../core/roadRules';
import fireEngineProfile from '../../geodata/profiles/fire-engine.json';
import roadRulesJson from '../../geodata/profiles/road-rules.json';
import { previewHydrantFile, readHydrantFile, type ReadProgress } from '../data/hydrantFiles';
import { pointInAreas, suggestCrs, type ColumnMapping } from '../core/hydrants/import';
import { snapPoint } from '../core/snap';
import type { HydrantArea } from './protocol';
import { auditHydrants, auditView } from '../core/hydrants/audit';
import { gapFeatures, stretchRows } from '../core/hydrants/export';
import { HoseNetwork } from '../core/hydrants/network';
import { parseHydrantStandard } from '../core/hydrants/standard';
import { suggestHydrants } from '../core/hydrants/suggest';
import { timeToPoint } from '../core/dijkstra';
import hydrantStandardJson from '../../geodata/standards/hydrants/gb50974-2014.json';
import type { HydrantAuditRequest, HydrantAuditResult, HydrantSuggestRequest } from './protocol';
import { buildInstance, checkRequest, solveRequest, type SiteExclusion } from './optimizeRun';
import type { SolveLp } from '../core/optimize';
import type { OptimizeProgressFn, OptimizeRequest, OptimizeResult } from './optimizeProtocol';
import { fmtShare } from '../core/format';
import type {
  ClipBox, EvaluateRequest, GraphInfo, ImportResult, IsochroneRequest, IsochroneResult, PlannerWorkerApi, ProgressInfo, RoadRulesInfo, RouteRequest,
  RouteResult, SnapInfo, VehicleInfo,
} from './protocol';

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

/** The road rules of geodata/profiles/road-rules.json, parsed. */
export const defaultRoadRules = (): RoadRules => parseRoadRules(structuredClone(roadRulesJson), 'geodata/profiles/road-rules.json');

/** A vehicle's figures for the UI. */
export const vehicleInfo = (v: Vehicle): VehicleInfo => ({
  id: v.id, name: v.name, nameEn: v.nameEn, heightM: v.heightM.value, widthM: v.widthM.value, weightT: v.weightT.value, lengthM: v.lengthM.value, axleLoadT: v.axleLoadT.value,
});

/** Most OSM nodes importOsm reads when no cap is given (see importLimits.ts: importCap derives it per device). */
export { MAX_IMPORT_NODES } from './importLimits';

/**
 * Frees an ArrayBuffer's memory by detaching it: structuredClone with the buffer in its transfer list moves the
 * memory (no copy) into a clone nobody keeps. Used on the imported file's bytes once decoded: nothing reads them again.
 */
function releaseBuffer(b: ArrayBuffer): void {
  try {
    structuredClone(b, { transfer: [b] });
  } catch {
    // not transferable here (e.g. already detached): nothing to free
  }
}

/**
 * The import up to the graph and layers: reads an extract (progress: parse for XML / JSON bytes, decode for PBF blocks
 * n of N), clips it to the place grown by 2 km, builds the graph and the road and facility layers (layers steps 0-3 of
 * 4; the caller's router set-up is the last). A function of its own so that all OSM data is garbage once it returns:
 * the router is set up after, and the full collections its large typed arrays set off then mark a small heap, not
 * the extract's ~200 k ways (1 M grid: ~60-150 ms CPU less for the whole import than with the router made before the
 * layers); `decoded` is called once the bytes are decoded (to free them).
 */
function buildFromExtract(bytes: Uint8Array, fileName: string, report: (p: ProgressInfo) => void, limits: Pick<ReadLimits, 'maxNodes' | 'limitNote'>,
  clipTo: ClipBox | undefined, decoded?: () => void, packed = false) {
  let blocks = false; // a PBF reports its blocks (decode), XML / JSON their bytes (parse)
  // A PBF is clipped while it is decoded (the node cap counts what the place keeps); XML / JSON after reading.
  const box = clipTo ? growBbox(clipTo, 2000) : undefined;
  const data = readOsm(bytes, fileName, (done, total) => { if (!blocks) report({ phase: 'parse', done, total }); }, {
    ...limits, clip: box, onBlock: (done, total) => { blocks = true; report({ phase: 'decode', done, total }); },
  });
  decoded?.();
  report({ phase: 'clip', done: 0, total: 1 });
  const osm = box ? clipOsm(data, box) : data;
  if (clipTo && !osm.ways.some((w) => isDrivableWay(w.tags)))
    throw plannerError('no-overlap', `文件「${fileName}」在本地区范围内没有道路——是否选错了文件？未作任何修改`, `the file "${fileName}" has no roads within this place — wrong file? Nothing was changed`, { file: fileName });
  report({ phase: 'build', done: 0, total: 1 });
  const { graph, stats } = buildGraph(osm);
  report({ phase: 'build', done: 1, total: 1 });
  if (graph.edgeCount === 0)
    throw plannerError('no-roads', `文件「${fileName}」中没有可供消防车通行的道路`, `the file "${fileName}" contains no roads a fire engine can use`, { file: fileName });
  report({ phase: 'layers', done: 0, total: 4 });
  // packed for a transfer to the app (the worker): a structured clone of the GeoJSON's objects would cost far more
  const roads = packed ? packRoads(osm) : extractRoads(osm) as FeatureCollection;
  report({ phase: 'layers', done: 1, total: 4 });
  const facilities = extractFacilities(osm) as FeatureCollection;
  report({ phase: 'layers', done: 2, total: 4 });
  // water from the extract before clipping (a PBF: with the whole ways crossing the box), so a lake or river area
  // crossing the clip edge stays whole
  const seaBox = box ?? nodesBbox(osm); // (the sea's clip box when the import is not clipped to a place)
  const water = extractWater(data, { seaBox, keepBox: seaBox }) as FeatureCollection;
  const rail = extractRailways(osm) as FeatureCollection;
  report({ phase: 'layers', done: 3, total: 4 });
  return { graph, stats, roads, facilities, water, rail, malformed: data.malformed };
}

/**
 * Creates the API object. `transferResults` wraps graph buffers for comlink transfer and hands the road layer back
 * packed (roadsPacked, transferred too; worker only: worker/client.ts unpacks it);
 * `importCap` (the worker: importCap(navigator.deviceMemory)) or `maxImportNodes` replaces MAX_IMPORT_NODES; a file over
 * it is refused with 'too-many-nodes', at once when its size alone shows it (PBF block sizes, XML node count);
 * `releaseInput`: importOsm owns the file bytes it is given (transferred to the worker) and frees them once read.
 */
export function createPlannerApi(opts: {
  transferResults?: boolean; maxImportNodes?: number; importCap?: ImportCap; releaseInput?: boolean;
  /** Candidate sites refused by place (water: to be wired to the water index). */
  siteExclusion?: SiteExclusion;
  /** Loads the MIP solver (default: HiGHS in the browser, src/worker/highs.ts; Node passes its own). */
  solveLp?: () => Promise<SolveLp>;
} = {}): PlannerWorkerApi {
  const routers = new Map<string, Router>();
  /** Network version per place ("<place>#<n>"): the network part of the verdict key (see GraphInfo.version). */
  const versions = new Map<string, string>();
  const loads = { count: 0 };
  // Evaluators per place + standard + districts + network + profile (verdict key, see EvaluatorCache): a dragged
  // site re-evaluates in milliseconds.
  const evaluators = new EvaluatorCache();
  const rules = defaultRoadRules();
  const solver = { p: null as Promise<SolveLp> | null };
  const loadSolver = (): Promise<SolveLp> => {
    solver.p ??= (opts.solveLp ?? (() => import('./highs').then((m) => m.browserSolveLp())))();
    solver.p.catch(() => { solver.p = null; });
    return solver.p;
  };
  const current = { profile: defaultProfile(), peak: false, vehicle: vehicleById(rules), figures: null as VehicleFigures | null };

  const hydrantStd = parseHydrantStandard(structuredClone(hydrantStandardJson), 'geodata/standards/hydrants/gb50974-2014.json');
  /** Hose networks per place + areas key, rebuilt when the place's router is replaced (a new graph). */
  const hoses = new Map<string, HoseNetwork>();
  const hoseFor = (placeId: string, areas: HydrantAuditRequest['areas'] = [], areasKey = ''): HoseNetwork => {
    const r = routerFor(placeId), key = `${placeId}\u0000${areasKey}`;
    const h = hoses.get(key);
    if (h && h.view === r && (areasKey !== '' || h.areas.length === areas.length)) return h;
    const net = new HoseNetwork(r, areas);
    hoses.set(key, net);
    return net;
  };

  const routerFor = (placeId: string): Router => {
    const r = routers.get(placeId);
    if (!r) throw plannerError('no-graph', `地点「${placeId}」尚未加载路网`, `no road graph loaded for place "${placeId}"`);
    return r;
  };
  const info = (placeId: string, r: Router, summary = r.graphSummary()): GraphInfo => ({ placeId, version: versions.get(placeId) ?? '', ...summary });
  const guard = <A extends unknown[], R>(fn: (...a: A) => R | Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      throw toErrorInfo(e);
    }
  };
  const newRouter = (graph: RoadGraph): Router => new Router(graph, current.profile, current.peak, { roadRules: rules, vehicleId: current.vehicle });
  const install = (placeId: string, graph: RoadGraph, made?: Router): Router => {
    const r = made ?? newRouter(graph);
    routers.set(placeId, r);
    versions.set(placeId, `${placeId}#${++loads.count}`);
    return r;
  };

  return {
    loadGraph: guard(async (placeId: string, buffer: ArrayBuffer) => info(placeId, install(placeId, decodeGraph(buffer)))),

    importOsm: guard(async (placeId: string, bytes: ArrayBuffer, fileName: string, onProgress?: (p: ProgressInfo) => void, clipTo?: ClipBox) => {
      const report = (p: ProgressInfo) => { if (onProgress) void onProgress(p); };
      report({ phase: 'read', done: 0, total: bytes.byteLength });
      const { graph, stats, roads, facilities, water, rail, malformed } = buildFromExtract(new Uint8Array(bytes), fileName, report, {
        maxNodes: opts.maxImportNodes ?? opts.importCap?.maxNodes ?? MAX_IMPORT_NODES, limitNote: opts.importCap?.note,
      }, clipTo, opts.releaseInput ? () => releaseBuffer(bytes) : undefined, opts.transferResults);
      // the router once the OSM data is garbage (see buildFromExtract), its summary (GraphInfo) while its arrays are
      // in the cache
      const router = newRouter(graph), summary = router.graphSummary();
      report({ phase: 'layers', done: 4, total: 4 });
      const r = install(placeId, graph, router);
      const gi = info(placeId, r, summary);
      const warnings: PlannerErrorInfo[] = [];
      if (stats.missingNodeRefs > 0)
        warnings.push({ code: 'clipped-ways', file: fileName, zh: `${stats.missingNodeRefs} 个道路节点不在文件范围内（数据被裁剪），相关道路在边界处截断`, en: `${stats.missingNodeRefs} road node references are outside the extract (clipped); those roads end at the border` });
      const broken = malformedMessage(malformed);
      if (broken)
        warnings.push({ code: 'malformed-osm', file: fileName, zh: `文件「${fileName}」中的损坏要素未导入：${broken.zh}`, en: `malformed elements of "${fileName}" were not imported: ${broken.en}` });
      if (gi.components > 1 && gi.largestComponentShare < 0.95)
        warnings.push({ code: 'disconnected', zh: `路网分为 ${gi.components} 个互不连通的部分，最大部分占 ${fmtShare(gi.largestComponentShare)} 的节点`, en: `the network has ${gi.components} disconnected pieces; the largest holds ${fmtShare(gi.largestComponentShare)} of nodes` });
      const copy = graph.buffer.slice(0);
      if ('xy' in roads) {
        // the road layer in typed arrays, transferred with the graph; the client unpacks it (worker/client.ts)
        const roadsPacked = roads;
        const result: ImportResult = { graph: copy, roads: { type: 'FeatureCollection', features: [] }, roadsPacked, facilities, water, rail, info: gi, warnings };
        return transfer(result, [copy, ...packedBuffers(roadsPacked)]);
      }
      const result: ImportResult = { graph: copy, roads, facilities, water, rail, info: gi, warnings };
      return opts.transferResults ? transfer(result, [copy]) : result;
    }),

    setProfile: guard(async (input: SpeedProfile, peak: boolean) => {
      current.profile = checkedProfile(input);
      current.peak = peak === true;
      for (const r of routers.values()) r.setProfile(current.profile, current.peak);
    }),

    setVehicle: guard(async (vehicleId: string, figures?: VehicleFigures | null) => {
      if (typeof vehicleId !== 'string') throw plannerError('unknown-vehicle', '车辆编号必须是字符串', 'the vehicle id must be a string');
      const file = vehicleById(rules, vehicleId);
      const vehicle = withFigures(file, figures); // 'bad-vehicle-figures' listing each bad field
      current.vehicle = vehicle;
      current.figures = vehicle === file ? null : figuresOf(vehicle);
      for (const r of routers.values()) r.setRoadRules(rules, vehicle);
    }),

    roadRules: guard(async (placeId: string): Promise<RoadRulesInfo> => {
      const r = routerFor(placeId);
      const applied = r.applied;
      if (!applied) throw plannerError('no-road-rules', '该路网未应用道路通行规则', 'no road rules are applied on this network');
      return {
        placeId, vehicleId: applied.vehicle.id, vehicle: vehicleInfo(applied.vehicle), edited: current.figures !== null, vehicles: rules.vehicles.map(vehicleInfo),
        rows: closureRows(applied.closures), features: ruleFeatures(r.graph, applied.closures, applied.rules, applied.vehicle),
      };
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
      const net = router && req.placeId ? { networkVersion: versions.get(req.placeId) ?? null, profile: current.profile, peak: current.peak, vehicleId: current.vehicle.id, vehicleFigures: current.figures } : null;
      return evaluators.evaluate(req, router, net);
    }),

    previewHydrants: guard(async (file: Blob, fileName: string, sheet?: string) => previewHydrantFile(file, fileName, { sheet })),

    readHydrants: guard(async (file: Blob, fileName: string, mapping: ColumnMapping, onProgress?: (p: ReadProgress) => boolean | void | Promise<boolean | void>, sheet?: string) =>
      readHydrantFile(file, fileName, mapping, { sheet, onProgress })),

    suggestHydrantCrs: guard(async (placeId: string, points: { x: number; y: number }[], area: HydrantArea) => {
      const r = routers.get(placeId);
      const nearestRoadM = r ? (lon: number, lat: number) => snapPoint(r.graph, r.spatial, r.seconds, null, lon, lat)?.distanceM ?? Infinity : null;
      const rings = area.boundary;
      return suggestCrs(points, { bbox: area.bbox, ...(rings ? { inside: (lon: number, lat: number) => pointInAreas(rings, lon, lat) } : {}) }, nearestRoadM);
    }),

    'hydrants:audit': guard(async (req: HydrantAuditRequest): Promise<HydrantAuditResult> => {
      if (typeof req !== 'object' || req === null || !Array.isArray(req.hydrants))
        throw plannerError('bad-request', '消火栓审计请求缺少消火栓列表', 'the hydrant audit request has no hydrant list');
      const net = hoseFor(req.placeId, req.areas, req.areasKey);
      const r = routerFor(req.placeId);
      const stations = (req.stations ?? []).flatMap((st) => {
        const sn = r.snapStation(st.lon, st.lat);
        return r.offNetworkError(sn, 'start', st) ? [] : [sn];
      });
      if (stations.length) r.paths.run(stations);
      const a = auditHydrants(net, req.hydrants, hydrantStd, stations.length ? {
        stationSeconds: (p) => {
          const t = timeToPoint(r.paths, stations, r.snap(p.lon, p.lat)).seconds;
          return t < Infinity ? Math.round(t) : null;
        },
      } : {});
      return { audit: auditView(a), gaps: gapFeatures(net, a), ...(req.stretches ? { stretches: stretchRows(net, a) } : {}) };
    }),

    'hydrants:suggest': guard(async (req: HydrantSuggestRequest) => {
      const count = Number(req?.count);
      if (!Number.isInteger(count) || count < 1 || count > 500)
        throw plannerError('bad-request', `建议数量应为 1–500 的整数，收到 ${String(req?.count)}`, `the number of hydrants to suggest must be a whole number from 1 to 500, got ${String(req?.count)}`);
      return suggestHydrants(hoseFor(req.placeId, req.areas, req.areasKey), req.hydrants ?? [], hydrantStd, { count });
    }),

    /** Siting run (optimizeRun.ts): on the place's network when loaded, else the straight-line estimate. */
    optimize: guard(async (req: OptimizeRequest, onProgress?: OptimizeProgressFn): Promise<OptimizeResult> => {
      const t0 = Date.now();
      checkRequest(req);
      const router = routers.get(req.placeId) ?? null;
      const inst = await buildInstance(req, router, onProgress, opts.siteExclusion);
      return solveRequest(req, inst, loadSolver, onProgress, t0);
    }),
  };
}
