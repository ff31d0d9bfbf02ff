import { describe, expect, it } from 'vitest';
import { createPlannerApi } from './api';
import { placeGraph, placeGraphBytes, placeJson } from '../../tests/support/place';
import { evenSample, finishImport, fromWgs84 } from '../core/hydrants/import';
import { haversineM } from '../core/geo';
import type { Feature, Polygon } from 'geojson';

// 深圳南山: a CSV in GCJ-02 made from real road nodes (a test file, not an inventory) goes through the worker API.
const g = placeGraph('nanshan');
const truth: [number, number][] = Array.from({ length: 200 }, (_, i) => {
  const n = Math.floor(((i + 0.5) * g.nodeCount) / 200);
  return [g.lon[n] / 1e7, g.lat[n] / 1e7];
});
const csv = ['编号,经度,纬度,类型', ...truth.map(([lon, lat], i) => { const [x, y] = fromWgs84(lon, lat, 'gcj02'); return `T${i},${x.toFixed(7)},${y.toFixed(7)},地下式`; })].join('\n');
const bbox = g.bbox as [number, number, number, number];

describe('worker hydrant import on 南山 (GCJ-02 test CSV)', () => {
  it('previews, reads, suggests GCJ-02 by the roads, and the finished hydrants sit on the true points', async () => {
    const api = createPlannerApi();
    await api.loadGraph('nanshan', placeGraphBytes('nanshan'));
    const file = new Blob([csv]);
    const p = await api.previewHydrants(file, 'test-gcj.csv');
    expect(p.mapping).toMatchObject({ id: 0, lon: 1, lat: 2, type: 3 });
    const progress: number[] = [];
    const r = await api.readHydrants(file, 'test-gcj.csv', p.mapping, (x) => { progress.push(x.rows); });
    expect(r.raws.length).toBe(200);
    expect(progress.at(-1)).toBe(200);
    const s = (await api.suggestHydrantCrs('nanshan', evenSample(r.raws), { bbox }))!;
    expect(s.best).toEqual({ crs: 'gcj02', swapped: false });
    expect(s.basis).toBe('roads');
    expect(s.zh).toMatch(/^按 GCJ-02 解读时中位偏离道路 \d m，按 (WGS84|BD-09) 为 \d+ m/);
    const done = finishImport(r.raws, s.best, { bbox }, { source: 'test' });
    expect(done.rejected).toEqual([]);
    const worst = Math.max(...done.hydrants.map((h, i) => haversineM(h.lon, h.lat, truth[i][0], truth[i][1])));
    expect(worst).toBeLessThan(1);
  });

  it('without a graph (estimate mode) the suggestion uses the boundary and is weak', async () => {
    const api = createPlannerApi();
    const boundary = placeJson('nanshan', 'boundary.geojson') as { features: Feature<Polygon>[] };
    const rings = boundary.features.map((f) => f.geometry.coordinates);
    const pts = truth.map(([lon, lat]) => ({ x: lat, y: lon }));
    const s = (await api.suggestHydrantCrs('nanshan', pts, { bbox, boundary: rings }))!;
    expect(s.basis).toBe('boundary');
    expect(s.best.swapped).toBe(true);
    expect(s.weak).toBe(true);
  });
});
