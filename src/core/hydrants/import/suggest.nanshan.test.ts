import { describe, expect, it } from 'vitest';
import { placeRouter } from '../../../../tests/support/place';
import { snapPoint } from '../../snap';
import { haversineM } from '../../geo';
import { fromWgs84, suggestCrs, toWgs84, type HydrantCrs, type PlaceArea } from './index';

// Real 深圳南山 roads: points on the graph's road nodes plus a small offset (as hydrants stand beside the carriageway).
const r = placeRouter('nanshan');
const g = r.graph;
const nearestRoadM = (lon: number, lat: number) => snapPoint(g, r.spatial, r.seconds, null, lon, lat)?.distanceM ?? Infinity;
const area: PlaceArea = { bbox: g.bbox as [number, number, number, number] };

/** 300 road points spread over the graph, each moved ~4 m north-east (deterministic). */
const roadPoints: [number, number][] = Array.from({ length: 300 }, (_, i) => {
  const n = Math.floor((i * g.nodeCount) / 300);
  return [g.lon[n] / 1e7 + 0.00003, g.lat[n] / 1e7 + 0.00002];
});

describe('CRS on 南山 road points (gcoord)', () => {
  it('round trip WGS84 → GCJ-02 / BD-09 → WGS84 stays within 1 m', () => {
    for (const crs of ['gcj02', 'bd09'] as HydrantCrs[]) {
      let worst = 0;
      for (const [lon, lat] of roadPoints) {
        const [x, y] = fromWgs84(lon, lat, crs);
        expect(haversineM(lon, lat, x, y)).toBeGreaterThan(100); // the shift itself is hundreds of metres here
        const [lon2, lat2] = toWgs84(x, y, { crs, swapped: false });
        worst = Math.max(worst, haversineM(lon, lat, lon2, lat2));
      }
      expect(worst).toBeLessThan(1);
    }
  });

  for (const crs of ['wgs84', 'gcj02', 'bd09'] as HydrantCrs[]) {
    it(`the road-fit suggestion picks ${crs} for points shifted into ${crs}`, () => {
      const pts = roadPoints.map(([lon, lat]) => { const [x, y] = fromWgs84(lon, lat, crs); return { x, y }; });
      const s = suggestCrs(pts, area, nearestRoadM)!;
      expect(s.basis).toBe('roads');
      expect(s.best).toEqual({ crs, swapped: false });
      expect(s.weak).toBe(false);
      expect(s.fits[0].medianRoadM!).toBeLessThan(10);
      // Nanshan's roads are dense: a wrong reading (shifted 300–900 m) still lands ~40 m from some road, 3× the best.
      for (const f of s.fits.filter((f) => f.crs !== crs && !f.swapped)) expect(f.medianRoadM!).toBeGreaterThan(Math.max(20, 3 * s.fits[0].medianRoadM!));
      expect(s.zh).toMatch(/^按 (WGS84|GCJ-02|BD-09) 解读时中位偏离道路 \d+ m，按 .+ 为 \d+ m，按 .+ 为 \d+ m$/);
    });
  }

  it('detects swapped columns (lat first) in GCJ-02', () => {
    const pts = roadPoints.map(([lon, lat]) => { const [x, y] = fromWgs84(lon, lat, 'gcj02'); return { x: y, y: x }; });
    const s = suggestCrs(pts, area, nearestRoadM)!;
    expect(s.best).toEqual({ crs: 'gcj02', swapped: true });
    expect(s.zh).toContain('经纬度两列疑似颠倒');
  });

  it('without roads falls back to the share inside the place, and says the suggestion is weak', () => {
    const pts = roadPoints.map(([lon, lat]) => ({ x: lat, y: lon }));
    const s = suggestCrs(pts, area, null)!;
    expect(s.basis).toBe('boundary');
    expect(s.best.swapped).toBe(true);
    expect(s.weak).toBe(true);
    expect(s.fits[0].insideShare).toBe(1);
    expect(s.en).toContain('weak');
  });
});
