import { describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { checkLonLatGeoJSON, convertGeometry, convertPosition } from '../../src/core/crs';
import { expectFileError } from './tiny';

const raw = (f: string) => JSON.parse(readFileSync(resolve(__dirname, '../../geodata/raw', f), 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
const WGS = 'dongguan_towns_poi86_wgs84.geojson';
const BD = 'dongguan_towns_echartsmapjson_bd09.geojson';

const iou = (a: Feature<Polygon | MultiPolygon>, b: Feature<Polygon | MultiPolygon>) => {
  const i = turf.intersect(turf.featureCollection([a, b]));
  const u = turf.union(turf.featureCollection([a, b]));
  return i && u ? turf.area(i) / turf.area(u) : 0;
};

describe('coordinate systems on the real Dongguan towns (same shapes in BD-09 and WGS84)', () => {
  const wgs = raw(WGS).features.find((f) => f.properties?.name === '清溪镇')!;
  const bd = raw(BD).features.find((f) => f.properties?.name === '清溪镇')!;

  it('BD-09 → WGS84 makes 清溪镇 overlap the WGS84 copy closely; unconverted it does not', () => {
    const converted = turf.feature(convertGeometry(bd.geometry, 'BD09', 'WGS84'));
    const after = iou(converted, wgs);
    const before = iou(bd, wgs);
    expect(after).toBeGreaterThan(0.9);
    expect(before).toBeLessThan(after - 0.05);
  });

  it('WGS84 → GCJ-02 → WGS84 returns to within a metre', () => {
    const p: [number, number] = [114.17, 22.85];
    const back = convertPosition(convertPosition(p, 'WGS84', 'GCJ02'), 'GCJ02', 'WGS84');
    expect(turf.distance(p, back, { units: 'meters' })).toBeLessThan(1);
    // the GCJ-02 offset at Qingxi is about +0.005° lon, −0.0027° lat (geodata/SOURCES.md)
    const g = convertPosition(p, 'WGS84', 'GCJ02');
    expect(g[0] - p[0]).toBeCloseTo(0.005, 3);
    expect(g[1] - p[1]).toBeCloseTo(-0.0027, 3);
  });

  it('accepts the real WGS84 file (declared CRS84) and reports its extent', () => {
    const r = checkLonLatGeoJSON(raw(WGS), WGS);
    expect(r.features).toBe(33);
    expect(r.bbox[0]).toBeCloseTo(113.5163, 3);
    expect(r.bbox[3]).toBeCloseTo(23.1447, 3);
  });
});

describe('checkLonLatGeoJSON rejects unusable coordinates with a bilingual message naming the file', () => {
  const square = (c: number[][]) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [c] } }] });
  it.each([
    ['projected.geojson', square([[12709000, 2613000], [12710000, 2613000], [12710000, 2614000], [12709000, 2613000]]), /looks projected \(metres\)/],
    ['swapped.geojson', square([[22.8, 114.1], [22.9, 114.1], [22.9, 114.2], [22.8, 114.1]]), /outside lon\/lat range/],
    ['mercator.geojson', { ...square([[114.1, 22.8], [114.2, 22.8], [114.2, 22.9], [114.1, 22.8]]), crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }, /unknown or non-WGS84 CRS urn:ogc:def:crs:EPSG::3857/],
    ['list.json', [1, 2, 3], /not GeoJSON/],
  ])('%s', (name, doc, en) => {
    expectFileError(() => checkLonLatGeoJSON(doc, name), name, en);
  });
});
