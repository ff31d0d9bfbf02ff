/**
 * Verdict explanations are always true: every reason names its real cause, and the numbers it states are the
 * report's own (checked on every sample place, with the network where there is one, by estimate elsewhere).
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import type { AreaGeometry } from '../types';
import { placeStations } from '../scenario';
import { placeJson, placeRouter, readJson } from '../../../tests/support/place';
import { unionAll } from './districts';
import { placeBarriers } from './barriers';
import { evaluatePlace } from './evaluate';
import { fromRouter } from './network';
import type { ReasonCode, StationReport } from './report';
import { parseStandard } from './standards';
import { reasonsOf, stationVerdict } from './verdict';

const standard = parseStandard(readJson('geodata/standards/jianbiao152-2017.json'));

/** The numbers a text states, in order ("85%" → 85; "2.72 km²" → 2.72, the ² is not a number; a time "4:01" → 241 s). */
const numbers = (s: string): number[] => [...s.replace(/[²³]/g, '').matchAll(/(\d+):(\d\d)|\d+(?:\.\d+)?/g)].map((m) => (m[1] !== undefined ? Number(m[1]) * 60 + Number(m[2]) : Number(m[0])));
/** The one formatting rule (src/core/format.ts): whole percents rounded down, whole seconds, km² to 2 decimals. */
const floorPct = (x: number) => Math.floor(x * 100 + 1e-6);
const up = (x: number | null) => Math.ceil(x! - 1e-9);
const km2Up = (x: number | null) => Math.ceil(x! * 100 - 1e-9) / 100;
const CAUSES: readonly ReasonCode[] = ['edge-over-limit', 'edge-unreachable', 'edge-untested', 'station-far', 'station-no-road'];

/** Checks one station's reasons against its numbers; returns how many reasons were checked. */
function checkReasons(r: StationReport): number {
  const lim = r.travelLimitSeconds, resp = r.turnoutSeconds + lim;
  const codes = r.reasons.map((x) => x.code);
  expect(new Set(codes).size, `${r.id}: one reason per cause`).toBe(codes.length);
  if (r.verdict === 'fail') expect(codes.some((c) => CAUSES.includes(c)), `${r.id}: a failing verdict names its cause`).toBe(true);
  if (r.verdict === 'pass') expect(codes.filter((c) => CAUSES.includes(c) && c !== 'edge-over-limit'), `${r.id}`).toEqual([]);
  if (r.verdict === 'no-district') expect(codes).toEqual(['no-district']);
  for (const x of r.reasons) {
    const n = numbers(x.zh);
    // Both languages state the same numbers (the standard's short name aside).
    if (x.code !== 'edge-within' && x.code !== 'edge-share' && x.code !== 'barriers') expect(numbers(x.en), `${r.id} ${x.code}`).toEqual(n);
    switch (x.code) {
      case 'edge-within': {
        const [w, l, R, rs, p] = n;
        expect([w, l, R, rs]).toEqual([Math.round(r.worstEdgeSeconds!), lim, Math.round(r.worstResponseSeconds!), resp]);
        expect(w).toBeLessThanOrEqual(l);
        expect(R).toBeLessThanOrEqual(rs);
        expect(p).toBe(floorPct(r.shareWithinLimit!));
        expect(r.overLimitEdgePoints).toBe(0);
        break;
      }
      case 'edge-share': {
        const p = n[0];
        expect(p).toBe(floorPct(r.shareWithinLimit!));
        expect(n).toContain(lim);
        if (r.verdict === 'fail') expect(r.shareWithinLimit!).toBeLessThan(r.requiredShare);
        else expect(r.shareWithinLimit!).toBeGreaterThanOrEqual(r.requiredShare - 1e-9);
        break;
      }
      case 'edge-over-limit': {
        const [count, l, w, R, rs] = n;
        expect([count, l, w, R, rs]).toEqual([r.overLimitEdgePoints, lim, up(r.worstEdgeSeconds), up(r.worstResponseSeconds), resp]);
        expect(count).toBeGreaterThan(0);
        expect(w).toBeGreaterThan(l);
        expect(R).toBeGreaterThan(rs);
        break;
      }
      case 'edge-unreachable':
        expect(n).toEqual([r.unreachableEdgePoints]);
        expect(n[0]).toBeGreaterThan(0);
        break;
      case 'edge-no-road-access':
        expect(n).toEqual([floorPct(r.noRoadAccessM / r.edgeLengthM)]);
        expect(n[0]).toBeGreaterThan(50);
        break;
      case 'area-over': {
        const [a, lm, ex] = n; // area, limit (after the digit-free class name), excess
        expect(a).toBe(km2Up(r.districtAreaKm2));
        expect(lm).toBe(r.areaLimitKm2);
        expect(ex).toBe(km2Up(r.areaExcessKm2));
        expect(x.zh).toMatch(/^辖区面积 \d+\.\d\d km² 超过 \S+ 限值 \d+\.\d\d km²（超出 \d+\.\d\d km²）$/);
        expect(r.districtAreaKm2!).toBeGreaterThan(r.areaLimitKm2!);
        break;
      }
      case 'station-far':
        expect(n).toEqual([Math.round(r.snap!.distanceM)]);
        break;
      case 'edge-untested':
        expect(r.shareWithinLimit).toBeNull();
        break;
      case 'barriers':
        expect(r.barriers.length).toBeGreaterThan(0);
        break;
      default:
        break;
    }
  }
  if (r.overLimitEdgePoints > 0 && r.worstEdgeSeconds !== null) expect(codes).toContain('edge-over-limit');
  if (r.unreachableEdgePoints > 0) expect(codes).toContain('edge-unreachable');
  if (r.areaOk === false) expect(codes).toContain('area-over');
  return r.reasons.length;
}

function placeReport(id: string) {
  const fc = (f: string) => placeJson(id, f) as FeatureCollection | null;
  const planned = placeStations(fc('plan.geojson'));
  const stations = planned.length ? planned : placeStations(fc('facilities.geojson'));
  const area = unionAll(fc('boundary.geojson')!.features.map((f) => f.geometry as AreaGeometry))!;
  const meta = placeJson(id, 'place.json') as { hasNetwork?: boolean } | null;
  const network = meta?.hasNetwork ? fromRouter(placeRouter(id)) : null;
  return evaluatePlace({ placeId: id, stations, planningArea: area, districts: { mode: 'auto' }, network, standard, barriers: placeBarriers(fc('water.geojson'), fc('rail.geojson')), options: { coverage: false } });
}

describe('verdict reasons state true numbers', () => {
  it('a failure by unreachable edge points names them, not a response time over the limit (issue #10: 示例站 2)', () => {
    // Worst reached point 237 s (response 297 s ≤ 300 s), 13 edge points with a road the station cannot reach.
    const r = {
      verdict: 'fail', travelLimitSeconds: 240, turnoutSeconds: 60, worstEdgeSeconds: 237, worstResponseSeconds: 297,
      shareWithinLimit: 0.9712, requiredShare: 1, unreachableEdgePoints: 13, overLimitEdgePoints: 0,
      edgeLengthM: 4000, noRoadAccessM: 0, areaOk: true, barriers: [], stationClass: '一级',
    } as unknown as StationReport;
    const reasons = reasonsOf(r, standard, { distanceM: 12, far: false }, true);
    expect(reasons.map((x) => x.code)).toEqual(['edge-share', 'edge-unreachable']);
    expect(reasons[0].zh).toBe('辖区边缘仅 97% 在 4:00 内可达（要求 100%）');
    expect(reasons[1].zh).toBe('13 个边缘点附近有道路，但本站无法到达');
    expect(reasons.some((x) => x.zh.includes('> 300'))).toBe(false);
    // The same station with 2 points over the limit also says so, with the worst time.
    const over = reasonsOf({ ...r, overLimitEdgePoints: 2, worstEdgeSeconds: 251.5, worstResponseSeconds: 311.5 }, standard, null, false);
    expect(over.map((x) => x.en)).toContain('2 edge points take more than 4:00; worst 4:12 (response 5:12 > 5:00)');
  });

  it('a worst time just over the limit is rounded up, never to a false "4:00 > 4:00"', () => {
    const station = { id: 's', name: '站', stationClass: '一级', status: 'existing', position: 'user', source: 'test', lon: 114, lat: 22.5 } as const;
    const worst = { seconds: 240.04, target: [114, 22.5] as [number, number], edgePoint: [114, 22.5] as [number, number] };
    const r = stationVerdict({
      station, std: standard, mode: 'network', nearSuburb: false,
      district: { stationId: 's', source: 'auto', geometry: { type: 'Polygon', coordinates: [[[114, 22.5], [114.001, 22.5], [114.001, 22.501], [114, 22.5]]] } },
      snap: { distanceM: 5, far: false }, barriers: [], coverage: null,
      edge: { pass: false, worst, unreachable: 0, overLimit: 1, share: 0.99, totalM: 1000, accessibleM: 1000, noAccessM: 0, failing: [], noAccess: [] },
    });
    expect([r.worstEdgeSeconds, r.worstResponseSeconds]).toEqual([240.1, 300.1]);
    expect(r.reasons.map((x) => x.en)).toContain('1 edge points take more than 4:00; worst 4:01 (response 5:01 > 5:00)');
  });

  it('a passing share below 100 % with points over the limit (NFPA-like 90 %) says both', () => {
    const r = {
      verdict: 'pass', travelLimitSeconds: 240, turnoutSeconds: 80, worstEdgeSeconds: 300, worstResponseSeconds: 380,
      shareWithinLimit: 0.93, requiredShare: 0.9, unreachableEdgePoints: 0, overLimitEdgePoints: 4,
      edgeLengthM: 4000, noRoadAccessM: 0, areaOk: null, barriers: [], stationClass: '一级',
    } as unknown as StationReport;
    const reasons = reasonsOf(r, standard, null, false);
    expect(reasons.map((x) => x.code)).toEqual(['edge-share', 'edge-over-limit']);
    expect(reasons[0].en).toMatch(/^93% of the district edge is reached within 4:00, meeting the required 90%/);
  });

  it('says when the station was put on a road other than the nearest one', () => {
    const r = {
      verdict: 'pass', travelLimitSeconds: 240, turnoutSeconds: 60, worstEdgeSeconds: 200, worstResponseSeconds: 260,
      shareWithinLimit: 1, requiredShare: 1, unreachableEdgePoints: 0, overLimitEdgePoints: 0,
      edgeLengthM: 4000, noRoadAccessM: 0, areaOk: true, barriers: [], stationClass: '一级',
    } as unknown as StationReport;
    const moved = { distanceM: 48.2, far: false, moved: true, movedM: 41.6, reason: { code: 'one-way-pocket', zh: '最近的路段是单行死角', en: 'the nearest road is a one-way pocket' } };
    const reasons = reasonsOf(r, standard, moved, true);
    expect(reasons[0]).toEqual({ code: 'station-moved', zh: '消防站未按最近道路计算，而是按相距 42 m 的另一条道路（最近的路段是单行死角）', en: 'the station starts on a road 42 m from the nearest one (the nearest road is a one-way pocket)' });
    expect(reasonsOf(r, standard, { ...moved, moved: false }, true).map((x) => x.code)).toEqual(['edge-within']);
  });

  it.each(['shanghai', 'nanshan', 'monaco', 'andorra', 'yangdong', 'qingxi'])('%s: every reason against its numbers', (id) => {
    const report = placeReport(id);
    expect(report.stations.length).toBeGreaterThan(0);
    let checked = 0;
    for (const s of report.stations) {
      checked += checkReasons(s);
      // The road point: on the network its distance (as stationSnapM); none by estimate.
      if (report.mode === 'network' && s.stationSnapM !== null) expect(s.snap?.distanceM).toBe(s.stationSnapM);
      if (report.mode !== 'network') expect(s.snap).toBeNull();
    }
    expect(checked).toBeGreaterThanOrEqual(report.stations.length);
  });
});
