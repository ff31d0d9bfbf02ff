import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import type { AreaCollection, Station } from '../types';
import { autoDistricts, districtsFromPolygons, districtsFromTowns, intersectAreas, tilingDefects, type LabelledPoints } from './districts';
import { areaKm2, pointInArea } from './geom';
import { makeGrid, traceLabel } from './raster';
import { M } from './fixtureWorld'; // metres per degree at the equator

const pt = (xm: number, ym: number): [number, number] => [xm / M, ym / M];
const poly = (...xy: [number, number][]): Polygon => ({ type: 'Polygon', coordinates: [[...xy.map(([x, y]) => pt(x, y)), pt(...xy[0])]] });
const station = (id: string, x: number, y: number, cls: Station['stationClass'] = '一级'): Station => {
  const [lon, lat] = pt(x, y);
  return { id, name: `站${id}`, stationClass: cls, status: 'existing', position: 'user', source: 'test', lon, lat };
};

describe('traceLabel', () => {
  it('traces a ring with a hole and keeps diagonal cells apart', () => {
    const g = makeGrid([0, 0, 0.02, 0.02], 200); // 2224 m → 12 + 2 cells a side
    g.labels.fill(0);
    // a 3×3 block of label 1 with its centre cell label 0 → one polygon with one hole
    for (let r = 2; r < 5; r++) for (let c = 2; c < 5; c++) g.labels[c + r * g.nx] = 1;
    g.labels[3 + 3 * g.nx] = 0;
    // two diagonal cells of label 2
    g.labels[7 + 7 * g.nx] = 2;
    g.labels[8 + 8 * g.nx] = 2;
    const one = traceLabel(g, 1)!;
    expect(one.coordinates.length).toBe(1);
    expect(one.coordinates[0].length).toBe(2); // outer + hole
    const cellKm2 = (g.cellM / 1000) ** 2;
    expect(areaKm2(one) / cellKm2).toBeCloseTo(8, 1);
    const two = traceLabel(g, 2)!;
    expect(two.coordinates.length).toBe(2);
    const zero = traceLabel(g, 0)!;
    // label 0 = everything else: the grid minus 8 + 2 cells, and the lone centre cell as its own polygon
    expect(areaKm2(zero) / cellKm2).toBeCloseTo(g.nx * g.ny - 10, 0);
    expect(zero.coordinates.length).toBe(2);
  });
});

describe('autoDistricts', () => {
  // Planning area: an irregular hexagon about 6 × 4 km with a bay cut into it.
  const area = poly([0, 0], [6000, 0], [6000, 2500], [4000, 4000], [2500, 2000], [0, 4000]);
  const stations = [station('A', 1000, 1000), station('B', 5000, 1000), station('C', 1000, 2800)];
  // Labelled "road points": a 100 m lattice labelled by the nearest station (straight-line stand-in for a network run).
  const lon: number[] = [], lat: number[] = [], label: number[] = [];
  for (let x = 0; x <= 6000; x += 100)
    for (let y = 0; y <= 4000; y += 100) {
      const d = stations.map((s) => Math.hypot(s.lon * M - x, s.lat * M - y));
      const [a, b] = pt(x, y);
      lon.push(a);
      lat.push(b);
      label.push(d.indexOf(Math.min(...d)));
    }
  const pts: LabelledPoints = { lon: Float64Array.from(lon), lat: Float64Array.from(lat), label: Int32Array.from(label) };

  it('tiles the planning area: area sum within 0.5 %, no overlaps, no gaps', () => {
    const { districts } = autoDistricts(stations, area, pts, { cellM: 50 });
    expect(districts.map((d) => d.stationId)).toEqual(['A', 'B', 'C']);
    const total = areaKm2(area);
    // shoelace (km): ½·[0 + 6·2.5 + (6·4 − 4·2.5) + (4·2 − 2.5·4) + 2.5·4 + 0] = ½·(15 + 14 − 2 + 10) = 18.5 km²
    expect(total).toBeCloseTo(18.5, 1);
    const sum = districts.reduce((s, d) => s + areaKm2(d.geometry), 0);
    expect(Math.abs(sum - total) / total).toBeLessThan(0.005);
    for (let i = 0; i < districts.length; i++)
      for (let j = i + 1; j < districts.length; j++) {
        const x = intersectAreas(districts[i].geometry, districts[j].geometry);
        expect(x ? areaKm2(x) : 0).toBeLessThan(1e-6);
      }
    const defects = tilingDefects(area, districts, 100);
    expect(defects.cells).toBeGreaterThan(1500);
    expect(defects.gaps).toBe(0);
    expect(defects.overlaps).toBe(0);
    // Each station lies in its own district; the A/B split follows the bisector x = 3000 m.
    for (const [k, s] of stations.entries()) expect(pointInArea(districts[k].geometry, s.lon, s.lat)).toBe(true);
    expect(pointInArea(districts[0].geometry, ...pt(2900, 500))).toBe(true);
    expect(pointInArea(districts[1].geometry, ...pt(3100, 500))).toBe(true);
  });

  it('reports a station with no reached points as having no district', () => {
    const onlyA: LabelledPoints = { lon: pts.lon, lat: pts.lat, label: new Int32Array(pts.label.length) };
    const { districts } = autoDistricts(stations, area, onlyA, { cellM: 100 });
    expect(districts.map((d) => d.stationId)).toEqual(['A']);
    expect(areaKm2(districts[0].geometry)).toBeCloseTo(areaKm2(area), 3);
  });

  it('explains when there is nothing to partition', () => {
    const empty: LabelledPoints = { lon: new Float64Array(0), lat: new Float64Array(0), label: new Int32Array(0) };
    const r = autoDistricts(stations, area, empty);
    expect(r.districts).toEqual([]);
    expect(r.issues[0].code).toBe('auto-no-points');
    expect(r.issues[0].zh).toMatch(/无法/);
  });
});

describe('districtsFromTowns', () => {
  const town = (id: string, g: Polygon) => ({ type: 'Feature' as const, geometry: g, properties: { id, name: `镇${id}`, nameEn: `Town ${id}` } });
  const towns: AreaCollection = {
    type: 'FeatureCollection',
    features: [
      town('1', poly([0, 0], [2000, 0], [2000, 2000], [0, 2000])),
      town('2', poly([2000, 0], [4000, 0], [4000, 2000], [2000, 2000])),
      town('3', poly([4000, 0], [6000, 0], [6000, 2000], [4000, 2000])),
    ],
  };
  it('gives each town to the station inside it, else the nearest, and merges a station’s towns', () => {
    const st = [station('S1', 1000, 1000), station('S2', 3000, 1000, '二级'), station('S2b', 3500, 1000, '一级')];
    const { districts, issues } = districtsFromTowns(st, towns);
    // town 2 has S2 (二级) and S2b (一级): the 一级 wins; town 3 has none: nearest is S2b (500 m away)
    expect(districts.map((d) => [d.stationId, d.towns])).toEqual([['S1', ['1']], ['S2b', ['2', '3']]]);
    expect(areaKm2(districts[1].geometry)).toBeCloseTo(8, 2);
    expect(issues.map((i) => i.code)).toEqual(['town-shared', 'town-no-station']);
    expect(issues[1].en).toContain('500 m');
  });
});

describe('districtsFromPolygons', () => {
  it('merges pieces per station, clips to the planning area and skips unknown station ids with a message', () => {
    const st = [station('A', 500, 500)];
    const fc: AreaCollection = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: poly([0, 0], [1000, 0], [1000, 1000], [0, 1000]), properties: { id: 'd1', name: 'a', stationId: 'A' } },
        { type: 'Feature', geometry: poly([1000, 0], [2000, 0], [2000, 1000], [1000, 1000]), properties: { id: 'd2', name: 'b', stationId: 'A' } },
        { type: 'Feature', geometry: poly([0, 0], [10, 0], [10, 10]), properties: { id: 'd3', name: 'c', stationId: 'nope' } },
      ],
    };
    const areaClip = poly([0, 0], [1500, 0], [1500, 1000], [0, 1000]);
    const { districts, issues } = districtsFromPolygons(st, fc, areaClip);
    expect(districts).toHaveLength(1);
    expect(areaKm2(districts[0].geometry)).toBeCloseTo(1.5, 3);
    expect(issues).toHaveLength(1);
    expect(issues[0].zh).toContain('nope');
  });
});

describe('bad district input', () => {
  it('skips non-polygons with a bilingual message and keeps the rest', () => {
    const st = [station('A', 500, 500), station('B', 5000, 5000)];
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: poly([0, 0], [1000, 0], [1000, 1000], [0, 1000]), properties: { id: 'd1', name: 'a', stationId: 'A' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] }, properties: { id: 'd2', name: 'b', stationId: 'B' } },
      ],
    } as unknown as AreaCollection;
    const { districts, issues } = districtsFromPolygons(st, fc);
    expect(districts.map((d) => d.stationId)).toEqual(['A']);
    expect(issues.map((i) => i.code)).toEqual(['district-not-polygon']);
    expect(issues[0].zh).toContain('不是面');
    expect(issues[0].en).toContain('Point');
  });
});
