/**
 * evaluatePlace: districts + district-edge response test + area test + coverage + barrier check for every
 * station of a place, on the road network ('network') or by the straight-line estimate where there is none.
 */
import type { FeatureCollection } from 'geojson';
import type { SourcePoint } from '../dijkstra';
import { haversineM } from '../geo';
import type { AreaCollection, AreaGeometry, Station } from '../types';
import { DEFAULT_BARRIER_KINDS, barrierLines, barriersInDistrict, motorwayLines, type BarrierLine } from './barriers';
import { networkCoverage, rasterCoverage } from './coverage';
import { autoDistricts, districtsFromPolygons, districtsFromTowns, type District, type DistrictResult, type Issue, type LabelledPoints } from './districts';
import { evaluateEdge, type CrossingsAt, type TimeAt } from './edge';
import { areaKm2, pointInArea, roundPt } from './geom';
import { copyRun, fromRouter, labelledRoadPoints, prepareNetwork, roadCrossings, roadWithin, snapSurface, snapTo, timeAfterRun, type Net, type NetworkInput, type RouterLike } from './network';
import { ESTIMATE_LABEL, NETWORK_LABEL, type CoverageReport, type EvalMode, type PlaceReport, type StationReport } from './report';
import { areaLimit, citation, parseStandard, withOverrides, type Bilingual, type Citation, type Standard, type StandardOverrides } from './standards';

export type DistrictsInput =
  | { mode: 'towns'; towns: AreaCollection }
  | { mode: 'auto'; cellM?: number }
  | { mode: 'given'; polygons: AreaCollection };

export interface EvaluateOptions {
  /** Boundary sampling step, metres (default 50). */
  sampleStepM?: number;
  /** Edge points further than this from a road have no road access (default 300). */
  roadSearchM?: number;
  /** Area within this distance of a reached road counts as covered (default 100). */
  corridorM?: number;
  /** Grid cell for coverage and auto districts, metres (default 50; grown for large areas). */
  cellM?: number;
  /** Station ids whose districts lie in a near-suburb (近郊区) area limit. */
  nearSuburb?: string[];
  /** Minimum barrier length inside a district to flag it, metres (default 200). */
  minBarrierM?: number;
  /** Barrier kinds taken from `barriers` (default DEFAULT_BARRIER_KINDS: rivers, canals, railways, motorways). */
  barrierKinds?: string[];
  /** Skip coverage (faster, e.g. while dragging a site). */
  coverage?: boolean;
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

/** Bad evaluation input, with { code, zh, en } like a PlannerErrorInfo. */
export class ComplianceInputError extends Error {
  readonly code = 'bad-compliance-input';
  constructor(readonly zh: string, readonly en: string) {
    super(`${en} / ${zh}`);
    this.name = 'ComplianceInputError';
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

function checkInput(input: EvaluateInput): void {
  const a = input.planningArea;
  if (!a || (a.type !== 'Polygon' && a.type !== 'MultiPolygon'))
    throw new ComplianceInputError('规划范围必须是面（Polygon/MultiPolygon）', 'planning area must be a Polygon or MultiPolygon');
  const ids = new Set<string>();
  for (const s of input.stations) {
    if (!Number.isFinite(s.lon) || !Number.isFinite(s.lat) || Math.abs(s.lon) > 180 || Math.abs(s.lat) > 90)
      throw new ComplianceInputError(`消防站 ${s.name} 坐标无效（${s.lon}, ${s.lat}）`, `station ${s.nameEn ?? s.name} has invalid coordinates (${s.lon}, ${s.lat})`);
    if (ids.has(s.id)) throw new ComplianceInputError(`消防站编号重复：${s.id}`, `duplicate station id: ${s.id}`);
    ids.add(s.id);
  }
}

export function evaluatePlace(input: EvaluateInput): PlaceReport {
  checkInput(input);
  const std = input.standard;
  const o = input.options ?? {};
  const stepM = o.sampleStepM ?? 50, roadSearchM = o.roadSearchM ?? 300, corridorM = o.corridorM ?? 100, cellM = o.cellM ?? 50;
  const turnout = std.turnoutS.value, limit = std.travelLimitS.value, required = std.complianceShare.value;
  const speedMps = std.straightLine.speedKmh.value / 3.6, lambda = std.straightLine.curvature.value;
  const net: Net | null = input.network ? prepareNetwork(input.network) : null;
  const mode: EvalMode = net ? 'network' : 'straight-line-estimate';
  const label = net ? NETWORK_LABEL : ESTIMATE_LABEL;
  const stations = input.stations;
  const issues: Issue[] = [];

  // Stations on the network, and the multi-source run (fastest station per road point).
  const sources: (SourcePoint | null)[] = [];
  const snapM: (number | null)[] = [];
  let all: { time: Float64Array; origin: Int32Array } | null = null;
  if (net) {
    for (const s of stations) {
      const sn = snapTo(net, s.lon, s.lat);
      sources.push(sn);
      snapM.push(sn ? r1(sn.distanceM) : null);
      if (!sn) issues.push({ code: 'station-no-road', zh: `${s.name}：附近没有可用道路`, en: `${s.nameEn ?? s.name}: no usable road nearby` });
      else if (sn.far) issues.push({ code: 'station-far', zh: `${s.name}：距最近道路 ${Math.round(sn.distanceM)} m`, en: `${s.nameEn ?? s.name}: ${Math.round(sn.distanceM)} m from the nearest road` });
      else if (sn.isolated) issues.push({ code: 'station-isolated', zh: `${s.name}：位于与主路网不连通的小路段上`, en: `${s.nameEn ?? s.name}: on a small piece of road not connected to the main network` });
    }
    const live = sources.map((p, k) => (p ? { p, k } : null)).filter((x): x is { p: SourcePoint; k: number } => x !== null);
    net.paths.run(live.map((x) => x.p));
    const run = copyRun(net);
    // Map run source indices back to station indices.
    for (let v = 0; v < run.origin.length; v++) if (run.origin[v] >= 0) run.origin[v] = live[run.origin[v]].k;
    all = run;
  }

  for (const s of stations)
    if (!pointInArea(input.planningArea, s.lon, s.lat))
      issues.push({ code: 'station-outside-area', zh: `${s.name}：位于规划范围之外`, en: `${s.nameEn ?? s.name}: outside the planning area` });

  // Districts.
  const d = input.districts;
  let dr: DistrictResult;
  if (d.mode === 'towns') dr = districtsFromTowns(stations, d.towns, input.planningArea);
  else if (d.mode === 'given') dr = districtsFromPolygons(stations, d.polygons, input.planningArea);
  else {
    const pts: LabelledPoints = net && all
      ? labelledRoadPoints(net, all, Math.max(10, (d.cellM ?? cellM) / 2))
      : { lon: Float64Array.from(stations, (s) => s.lon), lat: Float64Array.from(stations, (s) => s.lat), label: Int32Array.from(stations, (_s, k) => k) };
    dr = autoDistricts(stations, input.planningArea, pts, { cellM: d.cellM ?? cellM });
  }
  issues.push(...dr.issues);
  const districtOf = new Map<string, District>(dr.districts.map((x) => [x.stationId, x]));

  const kinds = new Set(o.barrierKinds ?? DEFAULT_BARRIER_KINDS);
  const barriers: BarrierLine[] = [...barrierLines(input.barriers).filter((b) => kinds.has(b.kind)), ...(net && kinds.has('motorway') ? motorwayLines(net.graph) : [])];
  const stationIds = stations.map((s) => s.id);
  const cite = (key: string, assumption = false) => citation(std, key, assumption);
  const responseCite = cite(std.travelLimitS.cite, !!std.travelLimitS.assumption);

  const reports: StationReport[] = stations.map((s, k) => {
    const dist = districtOf.get(s.id);
    const lim = areaLimit(std, s.stationClass, o.nearSuburb?.includes(s.id));
    const clauses: Citation[] = [responseCite];
    if (std.turnoutS.cite !== std.travelLimitS.cite) clauses.push(cite(std.turnoutS.cite, !!std.turnoutS.assumption));
    if (std.complianceShare.cite !== std.travelLimitS.cite) clauses.push(cite(std.complianceShare.cite));
    if (lim) clauses.push(cite(lim.cite, !!lim.assumption));
    if (!net) clauses.push(cite(std.straightLine.speedKmh.cite, true));
    const base: StationReport = {
      id: s.id, name: s.name, ...(s.nameEn ? { nameEn: s.nameEn } : {}), stationClass: s.stationClass, status: s.status,
      position: s.position, example: s.example === true,
      mode, label, verdict: 'no-district', reasons: [], districtSource: null,
      districtAreaKm2: null, areaLimitKm2: lim ? lim.value : null, areaExcessKm2: null, areaOk: null,
      turnoutSeconds: turnout, travelLimitSeconds: limit,
      worstEdgeSeconds: null, worstResponseSeconds: null, worstPoint: null, worstEdgePoint: null, unreachableEdgePoints: 0,
      shareWithinLimit: null, requiredShare: required, edgeLengthM: 0, noRoadAccessM: 0,
      stationSnapM: net ? snapM[k] : null, clauses,
      failingEdges: { type: 'FeatureCollection', features: [] }, noAccessEdges: { type: 'FeatureCollection', features: [] },
      coverage: null, barriers: [],
    };
    if (!dist) {
      base.reasons.push({ zh: '该站没有辖区', en: 'this station has no district' });
      return base;
    }
    const geom = dist.geometry;
    base.districtSource = dist.source;
    const a = areaKm2(geom);
    base.districtAreaKm2 = r4(a);
    if (lim) {
      base.areaExcessKm2 = r4(Math.max(0, a - lim.value));
      base.areaOk = a <= lim.value + 1e-9;
    }

    // Edge test.
    let timeAt: TimeAt, crossingsAt: CrossingsAt | null = null;
    let ownTime: Float64Array | null = null;
    const src = sources[k];
    if (net) {
      if (src) {
        net.paths.run([src]);
        ownTime = copyRun(net).time;
      }
      const srcs = src ? [src] : [];
      timeAt = (lon, lat) => {
        if (!roadWithin(net, lon, lat, roadSearchM)) return null;
        const sn = snapSurface(net, lon, lat);
        if (!sn || sn.distanceM > roadSearchM) return null;
        return { seconds: src ? timeAfterRun(net, srcs, sn) : Infinity, target: [sn.lon, sn.lat] };
      };
      crossingsAt = (ring, cum) => roadCrossings(net, ring, cum).map((c) => ({ posM: c.posM, lon: c.lon, lat: c.lat, time: { seconds: src ? timeAfterRun(net, srcs, c) : Infinity, target: [c.lon, c.lat] } }));
    } else {
      timeAt = (lon, lat) => ({ seconds: (haversineM(s.lon, s.lat, lon, lat) * lambda) / speedMps, target: [lon, lat] });
    }
    const ev = evaluateEdge(s.id, geom, timeAt, crossingsAt, { stepM, travelLimitS: limit, requiredShare: required });
    base.edgeLengthM = r1(ev.totalM);
    base.noRoadAccessM = r1(ev.noAccessM);
    base.shareWithinLimit = ev.share === null ? null : r4(ev.share);
    base.unreachableEdgePoints = ev.unreachable;
    base.failingEdges.features = ev.failing;
    base.noAccessEdges.features = ev.noAccess;
    if (ev.worst) {
      base.worstEdgeSeconds = r1(ev.worst.seconds);
      base.worstResponseSeconds = r1(ev.worst.seconds + turnout);
      base.worstPoint = roundPt(ev.worst.target);
      base.worstEdgePoint = roundPt(ev.worst.edgePoint);
    }
    base.verdict = ev.pass ? 'pass' : 'fail';
    base.reasons.push(...edgeReasons(ev.pass, base, std, net ? src : true));

    // Area test (reported; it does not change the response verdict).
    if (base.areaOk === false)
      base.reasons.push({
        zh: `辖区面积 ${a.toFixed(2)} km² 超过 ${s.stationClass} 限值 ${lim!.value} km²（超出 ${base.areaExcessKm2} km²）`,
        en: `district area ${a.toFixed(2)} km² exceeds the ${s.stationClass} limit of ${lim!.value} km² by ${base.areaExcessKm2} km²`,
      });

    // Coverage.
    if (o.coverage !== false) base.coverage = net && all && ownTime
      ? networkCoverage({ net, geom, own: k, ownTime, all, stationIds, limitS: limit, corridorM, cellM })
      : net ? null : straightCoverage(geom, stations, k, limit * speedMps / lambda, cellM);

    // Barriers.
    if (std.barrierRule.value) {
      base.barriers = barriersInDistrict(geom, barriers, o.minBarrierM ?? 200);
      if (base.barriers.length > 0) {
        base.clauses.push(cite(std.barrierRule.cite));
        base.reasons.push({
          zh: `辖区跨越障碍：${base.barriers.map((b) => `${b.name || b.kind}（${Math.round(b.lengthInsideM)} m）`).join('、')}`,
          en: `district straddles barriers: ${base.barriers.map((b) => `${b.name || b.kind} (${Math.round(b.lengthInsideM)} m)`).join(', ')}`,
        });
      }
    }
    return base;
  });

  const features = dr.districts.map((x) => {
    const s = stations.find((t) => t.id === x.stationId)!;
    const rep = reports.find((r) => r.id === x.stationId)!;
    return { type: 'Feature' as const, geometry: x.geometry, properties: { stationId: s.id, stationName: s.name, areaKm2: rep.districtAreaKm2 ?? 0, source: x.source, verdict: rep.verdict } };
  });
  const passing = reports.filter((r) => r.verdict === 'pass').length;
  const noDistrict = reports.filter((r) => r.verdict === 'no-district').length;
  const summary = {
    total: reports.length, passing, failing: reports.length - passing - noDistrict, noDistrict,
    ...summaryText(reports.length, passing, noDistrict, std, mode),
  };
  const usedKeys = [...new Set(reports.flatMap((r) => r.clauses.map((c) => c.key)))];
  return {
    placeId: input.placeId ?? '',
    mode, label,
    standard: { id: std.id, name: std.name, short: std.short, citations: usedKeys.map((k) => reports.flatMap((r) => r.clauses).find((c) => c.key === k)!) },
    settings: {
      turnoutS: turnout, travelLimitS: limit, requiredShare: required, sampleStepM: stepM, roadSearchM, corridorM,
      speedKmh: net ? null : std.straightLine.speedKmh.value, curvature: net ? null : lambda,
      profileName: net ? net.profileName : null, districtsMode: d.mode,
    },
    stations: reports, districts: { type: 'FeatureCollection', features }, issues, summary,
  };
}

function edgeReasons(pass: boolean, r: StationReport, std: Standard, reachable: unknown): Bilingual[] {
  const out: Bilingual[] = [];
  const lim = r.travelLimitSeconds, t = r.turnoutSeconds;
  if (!reachable) out.push({ zh: '消防站无法接入路网', en: 'the station cannot be placed on the road network' });
  if (r.shareWithinLimit === null) {
    out.push({ zh: '辖区边缘附近没有道路，无法检验', en: 'no road near the district edge: cannot be tested' });
    return out;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const w = r.worstEdgeSeconds;
  if (pass)
    out.push({
      zh: `到达辖区边缘最长行车 ${w} 秒 ≤ ${lim} 秒（响应 ${r.worstResponseSeconds} 秒 ≤ ${t + lim} 秒），${pct(r.shareWithinLimit)} 边缘达标（${std.short.zh}）`,
      en: `longest travel to the district edge ${w} s ≤ ${lim} s (response ${r.worstResponseSeconds} s ≤ ${t + lim} s); ${pct(r.shareWithinLimit)} of the edge within the limit (${std.short.en})`,
    });
  else
    out.push({
      zh: `辖区边缘仅 ${pct(r.shareWithinLimit)} 在 ${lim} 秒内可达（要求 ${pct(r.requiredShare)}），最长 ${w} 秒（响应 ${r.worstResponseSeconds} 秒 > ${t + lim} 秒）`,
      en: `only ${pct(r.shareWithinLimit)} of the district edge is reached within ${lim} s (required ${pct(r.requiredShare)}); worst ${w} s (response ${r.worstResponseSeconds} s > ${t + lim} s)`,
    });
  if (r.unreachableEdgePoints > 0)
    out.push({ zh: `${r.unreachableEdgePoints} 个边缘点有道路但本站无法到达`, en: `${r.unreachableEdgePoints} edge points have a road the station cannot reach` });
  return out;
}

function summaryText(total: number, passing: number, noDistrict: number, std: Standard, mode: EvalMode): { text_zh: string; text_en: string } {
  const est = mode === 'straight-line-estimate';
  const t = std.turnoutS.value, l = std.travelLimitS.value;
  const minutes = (x: number) => (x / 60).toFixed(x % 60 === 0 ? 0 : 1);
  let zh = `${passing} / ${total} 站满足 ${std.short.zh}（出动 ${minutes(t)} 分钟 + 行车 ${minutes(l)} 分钟到达辖区边缘）`;
  let en = `${passing} / ${total} stations meet ${std.short.en} (${minutes(t)} min turnout + ${minutes(l)} min travel to the district edge)`;
  if (noDistrict > 0) {
    zh += `；${noDistrict} 站无辖区`;
    en += `; ${noDistrict} without a district`;
  }
  if (est) {
    zh += `【${ESTIMATE_LABEL.zh}】`;
    en += ` [${ESTIMATE_LABEL.en}]`;
  }
  return { text_zh: zh, text_en: en };
}

/** Straight-line coverage: a point is covered by a station when distance × λ ÷ speed ≤ the travel limit. */
function straightCoverage(geom: AreaGeometry, stations: Station[], own: number, radiusM: number, cellM: number): CoverageReport {
  const ids = stations.map((s) => s.id);
  const r = rasterCoverage(geom, cellM, (lon, lat) => {
    if (haversineM(stations[own].lon, stations[own].lat, lon, lat) <= radiusM) return 'own';
    let best = -1, bd = Infinity;
    stations.forEach((s, k) => {
      const dd = haversineM(s.lon, s.lat, lon, lat);
      if (k !== own && dd <= radiusM && dd < bd) { bd = dd; best = k; }
    });
    return best;
  }, ids);
  return {
    roadShare: null, roadKm: 0, areaShare: r.areaShare, pockets: r.pockets, pocketsKm2: r.pocketsKm2,
    secondDue: [...r.secondDueKm2.entries()].sort((p, q) => (p[0] < q[0] ? -1 : 1)).map(([stationId, areaKm2]) => ({ stationId, roadKm: 0, areaKm2 })),
  };
}

/** What the UI sends to the worker's `evaluate` (plain data): the standard as its JSON, with optional user edits. */
export interface EvaluateRequest extends Omit<EvaluateInput, 'network' | 'standard'> {
  standard: unknown;
  overrides?: StandardOverrides;
}

/** Worker entry: validates the standard (StandardError on bad data) and evaluates on the router's network, or by estimate without one. */
export function evaluateRequest(req: EvaluateRequest, router: RouterLike | null): PlaceReport {
  const base = parseStandard(req.standard);
  const standard = req.overrides ? withOverrides(base, req.overrides) : base;
  return evaluatePlace({ ...req, standard, network: router ? fromRouter(router) : null });
}
