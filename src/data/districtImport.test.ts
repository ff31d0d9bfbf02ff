import { describe, expect, it } from 'vitest';
import type { Feature } from 'geojson';
import { parseDistrictFile, recheckDistrictImport } from './districtImport';
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

  it('refuses a file that does not come near the place (it could only give no district at all)', () => {
    const far = error(() => parseDistrictFile(fc([square(10, 50, 0.01)]), 'far.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]));
    expect(far.code).toBe('districts-outside-place');
    expect(far.en).toContain('do not overlap');
    expect(far.zh).toContain('不重叠');
  });

  it('converts a declared EPSG:3857 file, then assigns by the station inside; notes and repairs a bowtie', () => {
    const merc = ([x, y]: number[]) => [(x * Math.PI * 6378137) / 180, 6378137 * Math.log(Math.tan(Math.PI / 4 + (y * Math.PI) / 360))];
    const sq = square(113, 22, 0.01) as Feature<import('geojson').Polygon>;
    const m = { ...sq, geometry: { type: 'Polygon', coordinates: [sq.geometry.coordinates[0].map(merc)] } } as Feature;
    const r = parseDistrictFile(fc([m], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 'm.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]);
    expect(r.assign).toEqual(['a']);
    expect(r.notes.map((n) => n.en)).toEqual([expect.stringContaining('converted to WGS84 lon/lat')]);
    const bow: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[113, 22], [113.01, 22.01], [113.01, 22], [113, 22.01], [113, 22]]] } };
    const b = parseDistrictFile(fc([bow]), 'bow.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]);
    expect(b.fc.features[0].geometry.type).toBe('MultiPolygon');
    expect(b.assign).toEqual(['a']); // station a (113.005, 22.005) lies in the left triangle of the repaired bowtie
    expect(b.notes[0].zh).toContain('自相交');
    expect(b.notes[0].en).toContain('crosses itself');
  });

  it('refuses an empty collection and swapped lat/lon in both languages', () => {
    const empty = error(() => parseDistrictFile(fc([]), 'e.geojson', 'p', stations));
    expect(empty.code).toBe('districts-empty');
    expect(empty.file).toBe('e.geojson');
    const sw = square(22, 113, 0.01);
    const swapped = error(() => parseDistrictFile(fc([sw]), 's.geojson', 'p', stations, [112.9, 21.9, 113.1, 22.1]));
    expect(swapped.code).toBe('coords-swapped');
    expect(swapped.zh).toContain('经纬度顺序颠倒');
    expect(swapped.en).toContain('swapped');
  });

  it('refuses projected coordinates, a foreign CRS, broken JSON and files without polygons, in both languages', () => {
    const projected = error(() => parseDistrictFile(fc([square(500000, 3400000, 1000)]), 'utm.geojson', 'p', stations));
    expect(projected.code).toBe('coords-projected');
    expect(projected.file).toBe('utm.geojson');
    expect(projected.zh).toContain('投影');
    expect(projected.zh).not.toMatch(/projected/);
    expect(projected.en).not.toMatch(/[\u4e00-\u9fff]/);
    expect(projected.en).toContain('projected');
    const crs = error(() => parseDistrictFile(fc([square(113, 22, 0.01)], { crs: { type: 'name', properties: { name: 'EPSG:2383' } } }), 'c.geojson', 'p', stations));
    expect(crs.zh).toContain('EPSG:2383');
    expect(crs.en).toContain('non-WGS84');
    const degrees3857 = error(() => parseDistrictFile(fc([square(113, 22, 0.01)], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 'c.geojson', 'p', stations));
    expect(degrees3857.code).toBe('crs-mismatch');
    expect(degrees3857.zh).toContain('EPSG:3857');
    const broken = error(() => parseDistrictFile('{"type": "FeatureColl', 'b.geojson', 'p', stations));
    expect(broken.zh).toContain('不是有效的 JSON');
    expect(broken.en).toContain('not valid JSON');
    expect(broken.code).toBe('bad-json');
    expect(broken.detail).toMatch(/JSON/);
    const points = error(() => parseDistrictFile(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [113, 22] } }]), 'p.geojson', 'p', stations));
    expect(points.zh).toContain('没有可用的面要素');
    expect(points.en).toContain('no usable polygons');
    expect(points.code).toBe('no-polygons');
  });

  it('a saved import from before the check has its bowtie repaired and its flat polygon unassigned on load', () => {
    const bow: Feature = { type: 'Feature', properties: { name: 'bow' }, geometry: { type: 'Polygon', coordinates: [[[113, 22], [113.01, 22.01], [113.01, 22], [113, 22.01], [113, 22]]] } };
    const flat: Feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[113, 22], [113.01, 22], [113.02, 22], [113, 22]]] } };
    const old = { placeId: 'p', fileName: 'old.geojson', fc: { type: 'FeatureCollection' as const, features: [bow, flat] }, assign: ['a', 'b'], notes: [] };
    const r = recheckDistrictImport(old);
    expect(r.fc.features[0].geometry.type).toBe('MultiPolygon');
    expect(r.fc.features[0].properties).toEqual({ name: 'bow' });
    expect(r.fc.features[1].geometry).toBeNull();
    expect(r.assign).toEqual(['a', null]);
    expect(r.notes.map((n) => n.en)).toEqual([expect.stringContaining('crosses itself'), expect.stringContaining('no area')]);
    expect(recheckDistrictImport(r).notes).toHaveLength(2); // checked again: nothing new
    const empty = { ...old, fc: { type: 'FeatureCollection' as const, features: [] } };
    expect(recheckDistrictImport(empty)).toBe(empty);
  });
});
