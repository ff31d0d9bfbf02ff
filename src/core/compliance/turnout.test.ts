/**
 * Per-station turnout: a station's own turnoutS (default: the standard's 60 s) takes its part of the 300 s response
 * time, so its travel budget to the district edge is 300 − turnoutS. Hand-solved on the straight-line estimate:
 * a 2 × 2 km district around its station, corner at 1414.2 m × λ 1.4 ÷ 8.333 m/s = 237.6 s.
 */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { readJson } from '../../../tests/support/place';
import type { AreaCollection, Station } from '../types';
import { evaluatePlace } from './evaluate';
import { M } from './fixtureWorld';
import { parseStandard } from './standards';
import { fmtMmss } from '../format';

const jb = parseStandard(readJson('geodata/standards/jianbiao152-2017.json'));
const pt = (x: number, y: number): [number, number] => [x / M, y / M];
const square = (cx: number, cy: number, h: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[pt(cx - h, cy - h), pt(cx + h, cy - h), pt(cx + h, cy + h), pt(cx - h, cy + h), pt(cx - h, cy - h)]],
});
const station = (id: string, x: number, turnoutS?: number): Station => {
  const [lon, lat] = pt(x, 0);
  return { id, name: `站${id}`, stationClass: '一级', status: 'existing', position: 'approximate', source: 'test', lon, lat, ...(turnoutS === undefined ? {} : { turnoutS }) };
};
const given = (...items: [string, Polygon][]): AreaCollection => ({
  type: 'FeatureCollection',
  features: items.map(([sid, g], i) => ({ type: 'Feature', geometry: g, properties: { id: `d${i}`, name: `d${i}`, stationId: sid } })),
});
const corner = (Math.SQRT2 * 1000 * 1.4) / (30 / 3.6); // 237.6 s

function check(stations: Station[]) {
  const districts = given(...stations.map((s, k): [string, Polygon] => [s.id, square(4000 * k, 0, 1000)]));
  return evaluatePlace({ stations, planningArea: square(2000 * (stations.length - 1), 0, 2000 * stations.length), districts: { mode: 'given', polygons: districts }, standard: jb });
}

describe('per-station turnout', () => {
  it('defaults to the standard (60 s + 240 s); 30 s leaves 270 s of travel, 90 s only 210 s', () => {
    const r = check([station('A', 0), station('B', 4000, 30), station('C', 8000, 90)]);
    const [a, b, c] = r.stations;
    expect([a.turnoutSeconds, b.turnoutSeconds, c.turnoutSeconds]).toEqual([60, 30, 90]);
    expect([a.travelLimitSeconds, b.travelLimitSeconds, c.travelLimitSeconds]).toEqual([240, 270, 210]);
    for (const s of [a, b, c]) expect(s.worstEdgeSeconds).toBeCloseTo(corner, 1);
    expect(a.worstResponseSeconds).toBeCloseTo(corner + 60, 1); // 297.6 ≤ 300
    expect(b.worstResponseSeconds).toBeCloseTo(corner + 30, 1); // 267.6
    expect(c.worstResponseSeconds).toBeCloseTo(corner + 90, 1); // 327.6 > 300
    expect([a.verdict, b.verdict, c.verdict]).toEqual(['pass', 'pass', 'fail']);
    // 90 s turnout: edge points farther than 210 s × 8.333 ÷ 1.4 = 1250 m fail: |x| > 750 m along each side.
    expect(c.overLimitEdgePoints).toBeGreaterThan(0);
    expect(c.reasons.find((x) => x.code === 'edge-over-limit')?.zh).toBe(`${c.overLimitEdgePoints} 个边缘点行车超过 3:30，最长 ${fmtMmss(c.worstEdgeSeconds, 'up')}（响应 ${fmtMmss(c.worstResponseSeconds, 'up')} > 5:00）`);
    // An own turnout is shown as an assumption on the response clause.
    expect(a.clauses[0].assumption).toBeFalsy();
    expect(b.clauses[0].assumption).toBe(true);
    // Giving the standard's own 60 s is the same as giving nothing.
    const same = check([station('A', 0, 60)]).stations[0];
    expect(same).toEqual(check([station('A', 0)]).stations[0]);
  });

  it('rejects a turnout that is not 0 ≤ t < 300 s, in both languages', () => {
    for (const bad of [-1, 300, NaN])
      expect(() => check([station('A', 0, bad)])).toThrow(expect.objectContaining({ code: 'bad-compliance-input', zh: expect.stringContaining('出动时间'), en: expect.stringContaining('turnout') }));
  });
});
