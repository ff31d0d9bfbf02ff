import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { parseDistrictFile } from './districtImport';
import { PlannerError } from '../core/errors';

const square = (x: number, y: number, d: number, props: Record<string, unknown> = {}): Feature => ({
  type: 'Feature', properties: props,
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
});
const stations = [
  { id: 'a', name: 'A', lon: 113.005, lat: 22.005 },
  { id: 'b', name: 'B', lon: 113.025, lat: 22.005 },
];
const fc = (features: Feature[], extra: Record<string, unknown> = {}) => JSON.stringify({ type: 'FeatureCollection', features, ...extra });

function error(fn: () => unknown): PlannerError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PlannerError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

describe('district polygon import', () => {
  it('assigns polygons by stationId or by the station inside, keeps every feature and notes the unusable ones', () => {
    const features = [
      square(113, 22, 0.01),
      square(113.02, 22, 0.01),
      square(113.04, 22, 0.01),
      square(113.06, 22, 0.01, { stationId: 'b' }),
      { type: 'Feature', properties: { name: 'road' }, geometry: { type: 'LineString', coordinates: [[113, 22], [113.01, 22.01]] } } as Feature,
    ];
    const text = fc(features);
    const r = parseDistrictFile(text, 'd.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]);
    expect(r.assign).toEqual(['a', 'b', null, 'b', null]);
    expect(r.fc).toEqual(JSON.parse(text));
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0].zh).toContain('LineString');
    expect(r.notes[0].en).toContain('not a polygon');
  });

  it('notes a file that does not overlap the place', () => {
    const r = parseDistrictFile(fc([square(10, 50, 0.01)]), 'far.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]);
    expect(r.assign).toEqual([null]);
    expect(r.notes.some((n) => n.en.includes('do not overlap'))).toBe(true);
  });

  it('refuses projected coordinates, a foreign CRS, broken JSON and files without polygons, in both languages', () => {
    const projected = error(() => parseDistrictFile(fc([square(500000, 3400000, 1000)]), 'utm.geojson', 'p', stations));
    expect(projected.code).toBe('coords-projected');
    expect(projected.file).toBe('utm.geojson');
    expect(projected.zh).toContain('投影');
    expect(projected.zh).not.toMatch(/projected/);
    expect(projected.en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(projected.en).toContain('projected');
    const crs = error(() => parseDistrictFile(fc([square(113, 22, 0.01)], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 'c.geojson', 'p', stations));
    expect(crs.zh).toContain('EPSG:3857');
    expect(crs.en).toContain('non-WGS84');
    const broken = error(() => parseDistrictFile('{"type": "FeatureColl', 'b.geojson', 'p', stations));
    expect(broken.zh).toContain('不是有效的 JSON');
    expect(broken.en).toContain('not valid JSON');
    expect(broken.code).toBe('bad-json');
    expect(broken.detail).toMatch(/JSON/);
    const points = error(() => parseDistrictFile(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113, 22] } }]), 'p.geojson', 'p', stations));
    expect(points.zh).toContain('没有面要素');
    expect(points.en).toContain('no polygons');
    expect(points.code).toBe('no-polygons');
  });
});
