import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { buildWaterIndex, pointInWater, WATER_AREA_KINDS } from '../core/water';
import { placeJson, placeRouter } from '../../tests/support/place';
import { buildInstance, requestWater } from './optimizeRun';
import type { OptimizeRequest } from './optimizeProtocol';

const water = placeJson('monaco', 'water.geojson') as FeatureCollection;
const areas: FeatureCollection<Polygon | MultiPolygon> = {
  type: 'FeatureCollection',
  features: water.features.filter((f): f is Feature<Polygon | MultiPolygon> => /Polygon/.test(f.geometry.type) && WATER_AREA_KINDS.has(String(f.properties?.kind))),
};
const full = buildWaterIndex(water);
const HERCULE: [number, number] = [7.425, 43.735];
const boundary = (placeJson('monaco', 'boundary.geojson') as FeatureCollection).features.map((f) => f.geometry as Polygon | MultiPolygon);
const request = (extra: Partial<OptimizeRequest> = {}): OptimizeRequest => ({
  runId: 'w1', placeId: 'monaco', model: 'mclp', k: 2, minutes: 4, candidates: { kind: 'thinned', spacingM: 100 },
  fixed: [], planned: [], weight: 'length', exactLimitS: 0, water: { key: 'monaco-water', areas }, ...extra,
});
const inWater = (c: { lon: number; lat: number }) => pointInWater(full, [c.lon, c.lat]) !== null;

describe('siting run: no candidate in water (摩纳哥 / Monaco, real OSM water)', () => {
  it('Port Hercule is sea in the data the request carries', () => {
    expect(pointInWater(full, HERCULE)).toMatchObject({ kind: 'sea', name: 'Port Hercule de Monaco' });
    expect(requestWater(request())!(...HERCULE)).toBe(true);
    expect(requestWater(request())!(7.428, 43.74)).toBe(false);
    expect(requestWater(request({ water: undefined }))).toBeNull();
  });

  it('an imported list: the point in Port Hercule is left out and counted, the land ones stay', async () => {
    const points = [{ id: 'sea', lon: HERCULE[0], lat: HERCULE[1] }, { id: 'land1', lon: 7.428, lat: 43.74 }, { id: 'land2', lon: 7.42, lat: 43.738 }];
    expect(points.map(inWater)).toEqual([true, false, false]);
    const inst = await buildInstance(request({ candidates: { kind: 'list', points } }), placeRouter('monaco'));
    expect(inst.matrix.candidates.map((c) => c.id)).toEqual(['land1', 'land2']);
    expect(inst.excludedByWater).toBe(1);
    const without = await buildInstance(request({ candidates: { kind: 'list', points }, water: undefined }), placeRouter('monaco'));
    expect(without.matrix.candidates.map((c) => c.id)).toEqual(['sea', 'land1', 'land2']);
    expect(without.excludedByWater).toBe(0);
  });

  it('road candidates and the straight-line grid: none lies in the sea (checked with pointInWater)', async () => {
    const router = placeRouter('monaco');
    const roads = await buildInstance(request(), router);
    expect(roads.matrix.candidates.length).toBeGreaterThan(20);
    expect(roads.matrix.candidates.filter(inWater)).toEqual([]);
    const dry = await buildInstance(request({ water: undefined }), router);
    expect(roads.excludedByWater).toBe(dry.matrix.candidates.filter(inWater).length);
    // the estimate on the outline (no road network)
    const est = request({ boundary, straightLine: { speedKmh: 30, curvature: 1.3 }, candidates: { kind: 'thinned', spacingM: 500 } });
    const grid = await buildInstance(est, null);
    expect(grid.matrix.candidates.filter(inWater)).toEqual([]);
    const gridDry = await buildInstance({ ...est, water: undefined }, null);
    expect(grid.excludedByWater).toBe(gridDry.matrix.candidates.filter(inWater).length);
    // (Monaco's road nodes are all on land; the outline's grid has 2 sites in the sea without the check.)
    expect(gridDry.matrix.candidates.filter(inWater).length).toBeGreaterThan(0);
  });
});
