import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection, Polygon } from 'geojson';
import type { Station } from '../types';
import { barrierLines, barriersInDistrict } from './barriers';
import { evaluatePlace } from './evaluate';
import { parseStandard } from './standards';
import { M, worldInput, type FixtureInput } from './fixtureWorld';

const pt = (x: number, y: number): [number, number] => [x / M, y / M];
const square = (h: number): Polygon => ({ type: 'Polygon', coordinates: [[pt(-h, -h), pt(h, -h), pt(h, h), pt(-h, h), pt(-h, -h)]] });
const fc = (...features: FeatureCollection['features']): FeatureCollection => ({ type: 'FeatureCollection', features });
const line = (kind: string, name: string, ...xy: [number, number][]) => ({ type: 'Feature' as const, properties: { kind, name }, geometry: { type: 'LineString' as const, coordinates: xy.map(([x, y]) => pt(x, y)) } });

describe('barriers', () => {
  it('measures the part of a barrier inside a district and ignores short touches', () => {
    const lines = barrierLines(fc(
      line('railway', '铁路', [-2000, 100], [2000, 100]), // 2000 m inside the ±1000 district
      line('river', '短河', [900, -2000], [900, -920], [1500, -920]), // clips the corner: 80 m north + 100 m east = 180 m inside
    ));
    const hits = barriersInDistrict(square(1000), lines, 200);
    expect(hits.map((h) => [h.kind, h.name, Math.round(h.lengthInsideM)])).toEqual([['railway', '铁路', 2000]]);
    const g = hits[0].geometry.coordinates[0].map(([x, y]) => [Math.round(x * M), Math.round(y * M)]);
    expect(g).toEqual([[-1000, 100], [1000, 100]]);
    // with a lower threshold the corner-clipping river shows too: (900,−1000)→(900,−920)→(1000,−920) = 180 m
    const all = barriersInDistrict(square(1000), lines, 100);
    expect(all.map((h) => Math.round(h.lengthInsideM))).toEqual([2000, 180]);
  });

  it('takes river areas as their banks; streams and ponds are not barriers by default', () => {
    const std = parseStandard(JSON.parse(readFileSync(resolve(__dirname, '../../../geodata/standards/jianbiao152-2017.json'), 'utf8')));
    const river: Polygon = { type: 'Polygon', coordinates: [[pt(-3000, -50), pt(3000, -50), pt(3000, 50), pt(-3000, 50), pt(-3000, -50)]] };
    const barriers = fc(
      { type: 'Feature', properties: { kind: 'riverbank', name: '大河' }, geometry: river },
      line('stream', '小溪', [-2000, 500], [2000, 500]),
    );
    const st: Station = { id: 'A', name: 'A站', stationClass: '一级', status: 'planned', position: 'approximate', source: 'test', lon: pt(0, 300)[0], lat: pt(0, 300)[1] };
    const r = evaluatePlace({ stations: [st], planningArea: square(1000), districts: { mode: 'auto' }, standard: std, barriers });
    const b = r.stations[0].barriers;
    // two banks × 2000 m inside; the stream is left out
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ kind: 'riverbank', name: '大河' });
    expect(b[0].lengthInsideM).toBeCloseTo(4000, -1);
    expect(r.stations[0].clauses.map((c) => c.key)).toContain('barrier');
    expect(r.stations[0].reasons.at(-1)!.zh).toContain('大河');
    const withStreams = evaluatePlace({ stations: [st], planningArea: square(1000), districts: { mode: 'auto' }, standard: std, barriers, options: { barrierKinds: ['riverbank', 'stream'] } });
    expect(withStreams.stations[0].barriers.map((x) => x.kind)).toEqual(['riverbank', 'stream']);
  });

  it('keeps a river mapped only as an area when another river or canal line is in the district (issue #11)', () => {
    // a 2 km square district: canal "Canal A" (a line) across it, river "River B" only as an area (no centre line)
    const riverB: Polygon = { type: 'Polygon', coordinates: [[pt(-3000, 400), pt(3000, 400), pt(3000, 500), pt(-3000, 500), pt(-3000, 400)]] };
    const lines = barrierLines(fc(
      line('canal', 'Canal A', [-3000, -300], [3000, -300]),
      { type: 'Feature', properties: { kind: 'riverbank', name: 'River B' }, geometry: riverB },
    ));
    const hits = barriersInDistrict(square(1000), lines, 200);
    expect(hits.map((h) => [h.kind, h.name, Math.round(h.lengthInsideM)])).toEqual([['riverbank', 'River B', 4000], ['canal', 'Canal A', 2000]]);
  });

  it('counts a river once where its centre line runs inside its area, also with an island and an unnamed line', () => {
    // river area 100 m wide with an island hole; its centre line (unnamed) runs along y = 450 inside it
    const riverB: Polygon = { type: 'Polygon', coordinates: [
      [pt(-3000, 400), pt(3000, 400), pt(3000, 500), pt(-3000, 500), pt(-3000, 400)],
      [pt(-200, 420), pt(200, 420), pt(200, 440), pt(-200, 440), pt(-200, 420)],
    ] };
    const lines = barrierLines(fc(
      line('river', '', [-3000, 450], [3000, 450]),
      line('canal', 'Canal A', [-3000, -300], [3000, -300]),
      { type: 'Feature', properties: { kind: 'riverbank', name: 'River B' }, geometry: riverB },
    ));
    const hits = barriersInDistrict(square(1000), lines, 200);
    expect(hits.map((h) => [h.kind, h.name, Math.round(h.lengthInsideM)])).toEqual([['canal', 'Canal A', 2000], ['river', '', 2000]]);
    // a centre line shorter than the threshold inside the district does not stand for the river: the banks count
    const short = barrierLines(fc(
      line('river', '', [-3000, 450], [-900, 450]),
      { type: 'Feature', properties: { kind: 'riverbank', name: 'River B' }, geometry: riverB },
    ));
    expect(barriersInDistrict(square(1000), short, 200).map((h) => [h.kind, Math.round(h.lengthInsideM)])).toEqual([['riverbank', 4000 + 840]]);
  });

  it('measures the road a station reaches only across a barrier (GB 51080 §4.1.3), and none when the barrier can be gone round', () => {
    const std = parseStandard(JSON.parse(readFileSync(resolve(__dirname, '../../../geodata/standards/jianbiao152-2017.json'), 'utf8')));
    // A ladder: roads along y = 0 and y = 600 joined at x = ±800; the station at (0, 0); its district ±900 m.
    const world = (river: number[][]): FixtureInput => ({
      note: 'ladder', speedsMps: { residential: 10 }, standard: 'jianbiao152-2017',
      roads: [
        { highway: 'residential', xy: [[-1000, 0], [-800, 0], [0, 0], [800, 0], [1000, 0]] },
        { highway: 'residential', xy: [[-1000, 600], [-800, 600], [800, 600], [1000, 600]] },
        { highway: 'residential', xy: [[-800, 0], [-800, 600]] },
        { highway: 'residential', xy: [[800, 0], [800, 600]] },
      ],
      stations: [{ id: 'A', name: 'A站', stationClass: '一级', xy: [0, 0] }],
      area: [[-1000, -1000], [1000, -1000], [1000, 1000], [-1000, 1000]],
      districts: { mode: 'given', polygons: [{ stationId: 'A', ring: [[-900, -900], [900, -900], [900, 900], [-900, 900]] }] },
      barriers: [{ kind: 'river', name: '横河', xy: river }],
    });
    const across = (river: number[][]) => evaluatePlace(worldInput('ladder', world(river), std)).stations[0].barriers[0].roadOnlyAcrossM!;
    // Across the whole district: the y = 600 road inside it (1800 m) and the rungs north of the river (2 × 300 m).
    expect(across([[-2000, 300], [2000, 300]])).toBeCloseTo(2400, 0);
    // The river ends at x = 0: the east rung goes round it, so nothing is reached only across it.
    expect(across([[-2000, 300], [0, 300]])).toBe(0);
  });
});
