/**
 * Stage 4 — verdicts: a station's report from its district, its edge test, its road point, barriers and coverage,
 * with the reasons. Every reason names its real cause with the numbers of the report it sits in (over time,
 * unreachable edge points, no road access, area over the limit, …), so an explanation is never false.
 */
import type { Station } from '../types';
import type { District } from './districts';
import type { EdgeEval } from './edge';
import { areaKm2, roundPt } from './geom';
import { ESTIMATE_LABEL, NETWORK_LABEL, type BarrierHit, type CoverageReport, type EvalMode, type Reason, type ReasonCode, type StationReport, type StationSnapReport } from './report';
import { areaLimit, citation, type Citation, type Standard } from './standards';
import { fmtKm2, fmtMmss, fmtShare } from '../format';

const r1 = (x: number) => Math.round(x * 10) / 10;
const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** What a snapper tells about a station's road point (moved / movedM / reason when it knows them). */
export interface SnapFacts {
  distanceM: number;
  /** Over SNAP_FLAG_M from its road: a flag (the issues say so), not a cause of failure. */
  far: boolean;
  moved?: boolean;
  movedM?: number;
  reason?: { code: string; zh: string; en: string };
}

/** A station's turnout (seconds): its own, else the standard's. */
export const turnoutOf = (s: Station, std: Standard): number => s.turnoutS ?? std.turnoutS.value;

/** A station's travel budget to its district edge: the standard's response time minus the station's turnout. */
export const travelLimitOf = (s: Station, std: Standard): number => std.turnoutS.value + std.travelLimitS.value - turnoutOf(s, std);

export interface VerdictInput {
  station: Station;
  std: Standard;
  mode: EvalMode;
  nearSuburb: boolean;
  district: District | undefined;
  /** The edge test (null without a district). */
  edge: EdgeEval | null;
  /** Network mode: the station's road point (null: none found). */
  snap: SnapFacts | null;
  /** Network mode: the station is off the road network (its nearest road further than limitM): no time, fail. */
  offNetwork?: { distanceM: number; limitM: number } | null;
  barriers: BarrierHit[];
  coverage: CoverageReport | null;
}

const reason = (code: ReasonCode, zh: string, en: string): Reason => ({ code, zh, en });

export function stationVerdict(i: VerdictInput): StationReport {
  const { station: s, std, mode, edge: ev } = i;
  const net = mode === 'network';
  const lim = areaLimit(std, s.stationClass, i.nearSuburb);
  const turnout = turnoutOf(s, std), limit = travelLimitOf(s, std);
  const cite = (key: string, assumption = false) => citation(std, key, assumption);
  // (A station's own turnout, other than the standard's, is an assumption on the response clause.)
  const clauses: Citation[] = [cite(std.travelLimitS.cite, !!std.travelLimitS.assumption || turnout !== std.turnoutS.value)];
  if (std.turnoutS.cite !== std.travelLimitS.cite) clauses.push(cite(std.turnoutS.cite, !!std.turnoutS.assumption));
  if (std.complianceShare.cite !== std.travelLimitS.cite) clauses.push(cite(std.complianceShare.cite));
  if (lim) clauses.push(cite(lim.cite, !!lim.assumption));
  if (!net) clauses.push(cite(std.straightLine.speedKmh.cite, true));
  const r: StationReport = {
    id: s.id, name: s.name, ...(s.nameEn ? { nameEn: s.nameEn } : {}), stationClass: s.stationClass, status: s.status,
    position: s.position, example: s.example === true,
    mode, label: net ? NETWORK_LABEL : ESTIMATE_LABEL, verdict: 'no-district', reasons: [], districtSource: null,
    districtAreaKm2: null, areaLimitKm2: lim ? lim.value : null, areaExcessKm2: null, areaOk: null,
    turnoutSeconds: turnout, travelLimitSeconds: limit,
    worstEdgeSeconds: null, worstResponseSeconds: null, worstPoint: null, worstEdgePoint: null, unreachableEdgePoints: 0, overLimitEdgePoints: 0,
    shareWithinLimit: null, requiredShare: std.complianceShare.value, edgeLengthM: 0, noRoadAccessM: 0,
    stationSnapM: net && i.snap ? r1(i.snap.distanceM) : null, snap: net && i.snap ? snapReport(i.snap) : null, clauses,
    failingEdges: { type: 'FeatureCollection', features: [] }, noAccessEdges: { type: 'FeatureCollection', features: [] },
    coverage: i.coverage, barriers: i.barriers,
  };
  if (net && i.offNetwork) {
    // No road point, so no time to anything: a failure that names its cause, never a time from a far-away road.
    const d = Math.round(i.offNetwork.distanceM), lm = i.offNetwork.limitM;
    r.stationSnapM = r1(i.offNetwork.distanceM);
    r.snap = null;
    if (i.district) {
      r.districtSource = i.district.source;
      r.districtAreaKm2 = r4(areaKm2(i.district.geometry));
    }
    r.verdict = 'fail';
    r.reasons.push(reason('station-no-road', `不在路网上：消防站距最近可用道路 ${d} m（超过 ${lm} m），没有行车时间`, `off the road network: the station is ${d} m from the nearest usable road (over ${lm} m); no travel time`));
    return r;
  }
  if (!i.district || !ev) {
    r.reasons.push(reason('no-district', '该站没有辖区', 'this station has no district'));
    return r;
  }
  const a = areaKm2(i.district.geometry);
  r.districtSource = i.district.source;
  r.districtAreaKm2 = r4(a);
  if (lim) {
    r.areaExcessKm2 = r4(Math.max(0, a - lim.value));
    r.areaOk = a <= lim.value + 1e-9;
  }
  r.edgeLengthM = r1(ev.totalM);
  r.noRoadAccessM = r1(ev.noAccessM);
  r.shareWithinLimit = ev.share === null ? null : r4(ev.share);
  r.unreachableEdgePoints = ev.unreachable;
  r.overLimitEdgePoints = ev.overLimit;
  r.failingEdges.features = ev.failing;
  r.noAccessEdges.features = ev.noAccess;
  if (ev.worst) {
    // Over the limit, round up: a worst time of 240.04 s must not read "240 s > 240 s".
    const up = ev.worst.seconds > r.travelLimitSeconds, rt = (x: number) => (up ? Math.ceil(x * 10 - 1e-9) / 10 : r1(x));
    r.worstEdgeSeconds = rt(ev.worst.seconds);
    r.worstResponseSeconds = rt(ev.worst.seconds + turnout);
    r.worstPoint = roundPt(ev.worst.target);
    r.worstEdgePoint = roundPt(ev.worst.edgePoint);
  }
  r.verdict = ev.pass ? 'pass' : 'fail';
  r.reasons.push(...reasonsOf(r, std, net ? i.snap : null, net));
  if (r.barriers.length > 0) r.clauses.push(cite(std.barrierRule.cite));
  return r;
}

function snapReport(s: SnapFacts): StationSnapReport {
  const o: StationSnapReport = { distanceM: r1(s.distanceM) };
  if (s.moved !== undefined) o.moved = s.moved;
  if (s.movedM !== undefined) o.movedM = r1(s.movedM);
  if (s.reason) o.reason = { code: s.reason.code, zh: s.reason.zh, en: s.reason.en };
  return o;
}

/** Figures in reasons follow the one formatting rule (src/core/format.ts): m:ss, whole percents (down), km² to 2 decimals. */
const pct = fmtShare;
const T = fmtMmss;

/** The reasons of a report whose edge, area and barrier fields are filled. */
export function reasonsOf(r: StationReport, std: Standard, snap: SnapFacts | null, net: boolean): Reason[] {
  const out: Reason[] = [];
  const lim = r.travelLimitSeconds, t = r.turnoutSeconds, resp = t + lim, w = r.worstEdgeSeconds, R = r.worstResponseSeconds;
  if (net && !snap) out.push(reason('station-no-road', '消防站附近没有可用道路，无法接入路网', 'no usable road near the station: it cannot be placed on the road network'));
  if (snap?.moved && snap.movedM !== undefined) {
    const m = Math.round(snap.movedM);
    out.push(reason('station-moved', `消防站未按最近道路计算，而是按相距 ${m} m 的另一条道路${snap.reason ? `（${snap.reason.zh}）` : ''}`, `the station starts on a road ${m} m from the nearest one${snap.reason ? ` (${snap.reason.en})` : ''}`));
  }
  if (r.shareWithinLimit === null) out.push(reason('edge-untested', '辖区边缘附近没有道路，无法检验', 'no road near the district edge: it cannot be tested'));
  else if (r.verdict === 'pass' || r.shareWithinLimit >= r.requiredShare - 1e-9) {
    if (w !== null && R !== null && w <= lim)
      out.push(reason('edge-within', `到达辖区边缘最长行车 ${T(w)} ≤ ${T(lim)}（响应 ${T(R)} ≤ ${T(resp)}），${pct(r.shareWithinLimit)} 边缘达标（${std.short.zh}）`,
        `longest travel to the district edge ${T(w)} ≤ ${T(lim)} (response ${T(R)} ≤ ${T(resp)}); ${pct(r.shareWithinLimit)} of the edge within the limit (${std.short.en})`));
    else
      out.push(reason('edge-share', `${pct(r.shareWithinLimit)} 辖区边缘在 ${T(lim)} 内可达，达到要求的 ${pct(r.requiredShare)}（${std.short.zh}）`,
        `${pct(r.shareWithinLimit)} of the district edge is reached within ${T(lim)}, meeting the required ${pct(r.requiredShare)} (${std.short.en})`));
  } else
    out.push(reason('edge-share', `辖区边缘仅 ${pct(r.shareWithinLimit)} 在 ${T(lim)} 内可达（要求 ${pct(r.requiredShare)}）`,
      `only ${pct(r.shareWithinLimit)} of the district edge is reached within ${T(lim)} (required ${pct(r.requiredShare)})`));
  if (r.overLimitEdgePoints > 0 && w !== null && R !== null)
    out.push(reason('edge-over-limit', `${r.overLimitEdgePoints} 个边缘点行车超过 ${T(lim)}，最长 ${T(w, 'up')}（响应 ${T(R, 'up')} > ${T(resp)}）`,
      `${r.overLimitEdgePoints} edge points take more than ${T(lim)}; worst ${T(w, 'up')} (response ${T(R, 'up')} > ${T(resp)})`));
  if (r.unreachableEdgePoints > 0)
    out.push(reason('edge-unreachable', `${r.unreachableEdgePoints} 个边缘点附近有道路，但本站无法到达`, `${r.unreachableEdgePoints} edge points have a road nearby that the station cannot reach`));
  if (r.edgeLengthM > 0 && r.noRoadAccessM > 0.5 * r.edgeLengthM) {
    const p = pct(r.noRoadAccessM / r.edgeLengthM);
    out.push(reason('edge-no-road-access', `辖区边缘 ${p} 附近没有道路，结论只针对其余部分`, `${p} of the district edge has no road nearby; the verdict rests on the rest`));
  }
  // Area test (reported; it does not change the response verdict).
  if (r.areaOk === false && r.districtAreaKm2 !== null)
    out.push(reason('area-over', `辖区面积 ${fmtKm2(r.districtAreaKm2, 'up')} km² 超过 ${r.stationClass} 限值 ${fmtKm2(r.areaLimitKm2)} km²（超出 ${fmtKm2(r.areaExcessKm2, 'up')} km²）`,
      `district area ${fmtKm2(r.districtAreaKm2, 'up')} km² exceeds the ${r.stationClass} limit of ${fmtKm2(r.areaLimitKm2)} km² by ${fmtKm2(r.areaExcessKm2, 'up')} km²`));
  if (r.barriers.length > 0) {
    const km = (b: BarrierHit) => ((b.roadOnlyAcrossM ?? 0) / 1000).toFixed(1);
    out.push(reason('barriers',
      `辖区跨越障碍：${r.barriers.map((b) => `${b.name || b.kind}（${Math.round(b.lengthInsideM)} m${b.roadOnlyAcrossM ? `，辖区内 ${km(b)} km 道路只能跨越它到达` : ''}）`).join('、')}`,
      `district straddles barriers: ${r.barriers.map((b) => `${b.name || b.kind} (${Math.round(b.lengthInsideM)} m${b.roadOnlyAcrossM ? `; ${km(b)} km of the district's roads are reached only across it` : ''})`).join(', ')}`));
  }
  return out;
}

export function summaryText(total: number, passing: number, noDistrict: number, std: Standard, mode: EvalMode): { text_zh: string; text_en: string } {
  const t = std.turnoutS.value, l = std.travelLimitS.value;
  let zh = `${passing} / ${total} 站满足 ${std.short.zh}（出动 ${T(t)} + 行车 ${T(l)} 到达辖区边缘，分:秒）`;
  let en = `${passing} / ${total} stations meet ${std.short.en} (${T(t)} turnout + ${T(l)} travel to the district edge, m:ss)`;
  if (noDistrict > 0) {
    zh += `；${noDistrict} 站无辖区`;
    en += `; ${noDistrict} without a district`;
  }
  if (mode === 'straight-line-estimate') {
    zh += `【${ESTIMATE_LABEL.zh}】`;
    en += ` [${ESTIMATE_LABEL.en}]`;
  }
  return { text_zh: zh, text_en: en };
}
