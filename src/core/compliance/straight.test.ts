import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Polygon } from 'geojson';
import type { AreaCollection, Station } from '../types';
import { evaluatePlace, evaluateRequest } from './evaluate';
import { parseStandard } from './standards';
import { areaKm2 } from './geom';
import { M } from './fixtureWorld'; // metres per degree at the equator

const std = (id: string) => parseStandard(JSON.parse(readFileSync(resolve(__dirname, `../../../geodata/standards/${id}.json`), 'utf8')));
const pt = (x: number, y: number): [number, number] => [x / M, y / M];
const square = (cx: number, cy: number, h: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[pt(cx - h, cy - h), pt(cx + h, cy - h), pt(cx + h, cy + h), pt(cx - h, cy + h), pt(cx - h, cy - h)]],
});
const station = (id: string, x: number, y: number, cls: Station['stationClass'] = '一级'): Station => {
  const [lon, lat] = pt(x, y);
  return { id, name: `站${id}`, stationClass: cls, status: 'existing', position: 'approximate', source: 'test', lon, lat };
};
const given = (...items: [string, Polygon][]): AreaCollection => ({
  type: 'FeatureCollection',
  features: items.map(([sid, g], i) => ({ type: 'Feature', geometry: g, properties: { id: `d${i}`, name: `d${i}`, stationId: sid } })),
});

describe('straight-line estimate (no road network)', () => {
  // 建标152: speed 30 km/h = 8.333 m/s, λ = 1.4, travel limit 240 s ⇒ straight-line reach 240 × 8.333 / 1.4 = 1428.57 m.
  const jb = std('jianbiao152-2017');

  it('passes a 2 × 2 km district around its station: corner 1414.2 m × 1.4 / 8.333 m/s = 237.6 s', () => {
    const r = evaluatePlace({ stations: [station('A', 0, 0)], planningArea: square(0, 0, 1000), districts: { mode: 'given', polygons: given(['A', square(0, 0, 1000)]) }, standard: jb });
    expect(r.mode).toBe('straight-line-estimate');
    expect(r.label.en).toBe('estimate — no road network');
    const s = r.stations[0];
    expect(s.mode).toBe('straight-line-estimate');
    expect(s.label.zh).toBe('估算 — 无路网');
    expect(s.verdict).toBe('pass');
    expect(s.worstEdgeSeconds).toBeCloseTo((Math.SQRT2 * 1000 * 1.4) / (30 / 3.6), 0); // 237.6
    expect(s.worstResponseSeconds).toBeCloseTo(297.6, 0);
    expect(s.shareWithinLimit).toBe(1);
    expect(s.districtAreaKm2).toBeCloseTo(4, 2);
    expect(s.areaLimitKm2).toBe(7);
    expect(s.areaOk).toBe(true);
    expect(s.coverage?.areaShare).toBe(1);
    expect(s.clauses.some((c) => c.assumption && c.en.includes('λ'))).toBe(true);
    expect(r.summary.text_zh).toBe('1 / 1 站满足 建标152-2017（出动 1:00 + 行车 4:00 到达辖区边缘，分:秒）【估算 — 无路网】');
    expect(r.settings).toMatchObject({ speedKmh: 30, curvature: 1.4 });
  });

  it('fails a 2.2 × 2.2 km district at its four corners with the failing stretches measured by hand', () => {
    // Corner at 1555.6 m → 1555.6 × 1.4 / 8.333 = 261.4 s > 240 s. On a side (x = 1100 m) the limit is reached at
    // |y| = √(1428.57² − 1100²) = 911.5 m. Stretches are 8800 / 176 = 50 m; their midpoints sit at |y| = 25, 75, … 1075,
    // so the 4 with |y| ∈ {925, 975, 1025, 1075} fail at each end of each side: 4 × 2 × 4 = 32 of 176 → share 144/176.
    const r = evaluatePlace({ stations: [station('A', 0, 0, '二级')], planningArea: square(0, 0, 1100), districts: { mode: 'given', polygons: given(['A', square(0, 0, 1100)]) }, standard: jb, options: { cellM: 10 } });
    const s = r.stations[0];
    expect(s.verdict).toBe('fail');
    expect(s.worstEdgeSeconds).toBeCloseTo((Math.SQRT2 * 1100 * 1.4) / (30 / 3.6), 0); // 261.4
    expect(s.shareWithinLimit).toBeCloseTo(144 / 176, 4);
    // consecutive failing stretches across each corner merge: 4 lines of 8 × 50 m
    expect(s.failingEdges.features.map((f) => Math.round(f.properties.lengthM))).toEqual([400, 400, 400, 400]);
    // worst point is a corner
    expect(Math.abs(s.worstPoint![0] * M)).toBeCloseTo(1100, 0);
    expect(Math.abs(s.worstPoint![1] * M)).toBeCloseTo(1100, 0);
    // 二级 limit 4 km²: 4.84 km² exceeds it by 0.84 km²
    expect(s.areaLimitKm2).toBe(4);
    expect(s.areaExcessKm2).toBeCloseTo(0.84, 2);
    expect(s.reasons.some((x) => x.en.includes('exceeds'))).toBe(true);
    // area share: inside the 1428.57 m circle. Square 4.84 km² minus the 4 corner caps beyond the circle.
    const R = 1428.57, h = 1100;
    const seg = (d: number) => R * R * Math.acos(d / R) - d * Math.sqrt(R * R - d * d); // circle cap beyond a chord at distance d
    const inside = Math.PI * R * R - 4 * seg(h); // circle ∩ square (the caps beyond each side do not overlap here)
    expect(s.coverage!.areaShare).toBeCloseTo(inside / (4 * h * h), 2);
    expect(s.coverage!.pocketsKm2).toBeCloseTo((4 * h * h - inside) / 1e6, 2);
    expect(s.coverage!.pockets.features).toHaveLength(4);
  });

  it('NFPA 1710 (90 % of the edge) fails at 81.8 % and passes a slightly smaller district at 90.5 %', () => {
    const r = evaluatePlace({ stations: [station('A', 0, 0)], planningArea: square(0, 0, 1100), districts: { mode: 'given', polygons: given(['A', square(0, 0, 1100)]) }, standard: std('nfpa1710') });
    expect(r.stations[0].verdict).toBe('fail');
    expect(r.stations[0].requiredShare).toBe(0.9);
    expect(r.stations[0].areaLimitKm2).toBeNull();
    const r2 = evaluatePlace({ stations: [station('A', 0, 0)], planningArea: square(0, 0, 1050), districts: { mode: 'given', polygons: given(['A', square(0, 0, 1050)]) }, standard: std('nfpa1710') });
    // side 1050: limit at |y| = √(1428.57² − 1050²) = 968.7 m; 8400 / 168 = 50 m stretches, midpoints at |y| = 25 … 1025,
    // so {975, 1025} fail at each end of each side: 2 × 2 × 4 = 16 of 168 → 152/168 = 90.5 % ≥ 90 % → pass under NFPA
    expect(r2.stations[0].shareWithinLimit).toBeCloseTo(152 / 168, 4);
    expect(r2.stations[0].worstEdgeSeconds).toBeCloseTo((Math.SQRT2 * 1050 * 1.4) / (30 / 3.6), 0); // 249.5 s
    expect(r2.stations[0].verdict).toBe('pass');
  });

  it('auto districts without a network split the area by nearest station and tile it', () => {
    const area: Polygon = { type: 'Polygon', coordinates: [[pt(-2000, -1000), pt(2000, -1000), pt(2000, 1000), pt(-2000, 1000), pt(-2000, -1000)]] };
    const r = evaluatePlace({ stations: [station('W', -1000, 0), station('E', 1000, 0)], planningArea: area, districts: { mode: 'auto', cellM: 25 }, standard: jb });
    const areas = r.districts.features.map((f) => areaKm2(f.geometry));
    expect(areas[0]).toBeCloseTo(4, 1);
    expect(areas[1]).toBeCloseTo(4, 1);
    expect(areas[0] + areas[1]).toBeCloseTo(8, 2);
    // each 2 × 2 km half has its station at the centre → both pass like the first test
    expect(r.summary.passing).toBe(2);
    expect(r.summary.text_en).toBe('2 / 2 stations meet JB 152-2017 (1:00 turnout + 4:00 travel to the district edge, m:ss) [estimate — no road network]');
  });

  it('reports a station without a district and rejects bad coordinates in both languages', () => {
    const r = evaluatePlace({ stations: [station('A', 0, 0), station('B', 5000, 0)], planningArea: square(0, 0, 1000), districts: { mode: 'given', polygons: given(['A', square(0, 0, 1000)]) }, standard: jb });
    expect(r.stations[1].verdict).toBe('no-district');
    expect(r.summary).toMatchObject({ total: 2, passing: 1, noDistrict: 1 });
    const bad = { ...station('X', 0, 0), lon: NaN };
    expect(() => evaluatePlace({ stations: [bad], planningArea: square(0, 0, 1000), districts: { mode: 'auto' }, standard: jb })).toThrow(/坐标无效.*|invalid coordinates/);
  });

  it('worker entry: takes the standard as JSON with user overrides (marked as assumptions)', () => {
    const json = JSON.parse(readFileSync(resolve(__dirname, '../../../geodata/standards/jianbiao152-2017.json'), 'utf8'));
    const req = { stations: [station('A', 0, 0)], planningArea: square(0, 0, 1100), districts: { mode: 'given' as const, polygons: given(['A', square(0, 0, 1100)]) }, standard: json };
    expect(evaluateRequest(req, null).stations[0].verdict).toBe('fail');
    // 261.4 s at the corners ≤ a user limit of 270 s → pass; the response clause is then shown as an assumption
    const edited = evaluateRequest({ ...req, overrides: { travelLimitS: 270 } }, null);
    expect(edited.stations[0].verdict).toBe('pass');
    expect(edited.settings.travelLimitS).toBe(270);
    expect(edited.stations[0].clauses[0].assumption).toBe(true);
    expect(() => evaluateRequest({ ...req, standard: { ...json, turnoutS: { value: 'x', cite: 'response' } } }, null)).toThrow(expect.objectContaining({ code: 'bad-standard' }));
  });
});
