import { describe, expect, it } from 'vitest';
import { area, kinks, polygon } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { checkDistrictFile, MAX_REPAIR_CROSSINGS, mercatorToLonLat, type BBox } from './districtFile';
import { ringCrossings } from './ringRepair';
import { PlannerError } from '../errors';

const poly = (ring: Position[], props: Record<string, unknown> = {}): Feature => ({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [ring] } });
const square = (x: number, y: number, d: number): Position[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];
const fc = (features: Feature[], extra: Record<string, unknown> = {}) => ({ type: 'FeatureCollection', features, ...extra });
const km2 = (g: Polygon | MultiPolygon) => area({ type: 'Feature', properties: {}, geometry: g }) / 1e6;
const MONACO: BBox = [7.409028, 43.72476, 7.43987, 43.751931];

function thrown(f: () => unknown): PlannerError {
  try {
    f();
  } catch (e) {
    if (e instanceof PlannerError) return e;
    throw e;
  }
  throw new Error('no error thrown');
}

/** Web Mercator forward (the inverse of what the check applies), for hand-made EPSG:3857 files. */
const toMercator = ([lon, lat]: Position): Position => [(lon * Math.PI * 6378137) / 180, 6378137 * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];

describe('district file: coordinate systems', () => {
  it('converts a declared EPSG:3857 file to lon/lat with a note (same polygon as the lon/lat file)', () => {
    const ll = square(7.415, 43.73, 0.01);
    const r = checkDistrictFile(fc([poly(ll.map(toMercator), { stationId: 'a' })], { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } }), 'm.geojson', { placeBbox: MONACO });
    const ring = (r.fc.features[0].geometry as Polygon).coordinates[0];
    ring.forEach((p, i) => {
      expect(p[0]).toBeCloseTo(ll[i][0], 6);
      expect(p[1]).toBeCloseTo(ll[i][1], 6);
    });
    expect(r.usable).toEqual([true]);
    expect(r.notes.map((n) => n.code)).toEqual(['crs-converted']);
    expect(r.notes[0].zh).toContain('EPSG::3857');
    expect(r.notes[0].en).toContain('converted to WGS84');
    // hand-checked point: Web Mercator (0, 0) is (0, 0); x = πR is 180°
    expect(mercatorToLonLat(0, 0)).toEqual([0, 0]);
    expect(mercatorToLonLat(Math.PI * 6378137, 0)[0]).toBe(180);
  });

  it('refuses metres without a declared CRS, a declared 3857 holding degrees, and other CRSs; takes CGCS2000 with a note', () => {
    const undeclared = thrown(() => checkDistrictFile(fc([poly(square(7.415, 43.73, 0.01).map(toMercator))]), 'u.geojson'));
    expect(undeclared.code).toBe('coords-projected');
    expect(undeclared.file).toBe('u.geojson');
    expect(undeclared.zh).toContain('EPSG:3857');
    expect(undeclared.en).toMatch(/looks projected \(metres\), not lon\/lat/);
    const mismatch = thrown(() => checkDistrictFile(fc([poly(square(7.415, 43.73, 0.01))], { crs: { type: 'name', properties: { name: 'EPSG:3857' } } }), 'x.geojson'));
    expect(mismatch.code).toBe('crs-mismatch');
    expect(mismatch.en).toContain('does not match');
    const other = thrown(() => checkDistrictFile(fc([poly(square(7.415, 43.73, 0.01))], { crs: { type: 'name', properties: { name: 'EPSG:2383' } } }), 'o.geojson'));
    expect(other.code).toBe('crs-not-wgs84');
    expect(other.zh).toContain('EPSG:2383');
    const cgcs = checkDistrictFile(fc([poly(square(113, 22, 0.01))], { crs: { type: 'name', properties: { name: 'EPSG:4490' } } }), 'c.geojson');
    expect(cgcs.notes.map((n) => n.code)).toEqual(['crs-cgcs2000']);
    expect((cgcs.fc.features[0].geometry as Polygon).coordinates[0]).toEqual(square(113, 22, 0.01));
  });

  it('names swapped lat/lon: by range (China) and, with the place, by its bounds (Monaco)', () => {
    const swap = (r: Position[]) => r.map(([x, y]) => [y, x]);
    const china = thrown(() => checkDistrictFile(fc([poly(swap(square(113, 22, 0.01)))]), 's.geojson'));
    expect(china.code).toBe('coords-swapped');
    expect(china.zh).toContain('经纬度顺序颠倒');
    expect(china.en).toContain('lat and lon swapped');
    const monaco = thrown(() => checkDistrictFile(fc([poly(swap(square(7.415, 43.73, 0.01)))]), 's.geojson', { placeBbox: MONACO }));
    expect(monaco.code).toBe('coords-swapped');
    expect(monaco.en).toContain('[43.73, 7.415, 43.74, 7.425]');
    // a file elsewhere on earth is no swap, but it cannot give a district here either
    const far = thrown(() => checkDistrictFile(fc([poly(square(113, 22, 0.01))]), 'far.geojson', { placeBbox: MONACO }));
    expect(far.code).toBe('districts-outside-place');
    expect(far.zh).toContain('不重叠');
  });
});

describe('district file: empty input and broken rings', () => {
  it('refuses an empty collection, features without geometry and empty polygons', () => {
    const empty = thrown(() => checkDistrictFile(fc([]), 'e.geojson'));
    expect(empty.code).toBe('districts-empty');
    expect(empty.zh).toContain('空的');
    expect(empty.en).toContain('is empty');
    const noGeom = thrown(() => checkDistrictFile(fc([{ type: 'Feature', properties: {}, geometry: null } as unknown as Feature]), 'n.geojson'));
    expect(noGeom.code).toBe('no-polygons');
    const emptyPoly = thrown(() => checkDistrictFile({ type: 'Polygon', coordinates: [] }, 'p.geojson'));
    expect(emptyPoly.code).toBe('no-polygons');
    expect(thrown(() => checkDistrictFile([], 'a.geojson')).code).toBe('not-geojson');
    expect(thrown(() => checkDistrictFile({ type: 'FeatureCollection' }, 'a.geojson')).code).toBe('features-missing');
  });

  it('closes an open ring and leaves out a ring of two points, keeping the feature and its properties', () => {
    const open = square(113, 22, 0.01).slice(0, 4);
    const r = checkDistrictFile(fc([poly(open), poly([[113, 22], [113.01, 22], [113, 22]], { name: 'sliver' })]), 'r.geojson');
    expect((r.fc.features[0].geometry as Polygon).coordinates[0]).toEqual(square(113, 22, 0.01));
    expect(r.usable).toEqual([true, false]);
    expect(r.fc.features[1]).toEqual({ type: 'Feature', properties: { name: 'sliver' }, geometry: null });
    expect(r.notes.map((n) => n.code)).toEqual(['district-ring-closed', 'district-ring-degenerate']);
  });
});

describe('district file: self-intersecting polygons are repaired', () => {
  it('a bowtie of 0.66 km² becomes its two triangles (the signed area as drawn is 0)', () => {
    const d = 0.01074, x0 = 113, y0 = 22, xm = x0 + d / 2, ym = y0 + d / 2;
    const bowtie: Position[] = [[x0, y0], [x0 + d, y0 + d], [x0 + d, y0], [x0, y0 + d], [x0, y0]];
    const left = polygon([[[x0, y0], [xm, ym], [x0, y0 + d], [x0, y0]]]), right = polygon([[[xm, ym], [x0 + d, y0], [x0 + d, y0 + d], [xm, ym]]]);
    const expected = (area(left) + area(right)) / 1e6;
    expect(expected).toBeCloseTo(0.66, 2);
    expect(km2({ type: 'Polygon', coordinates: [bowtie] })).toBeCloseTo(0, 6);
    const r = checkDistrictFile(fc([poly(bowtie, { stationId: 'a' })]), 'bow.geojson');
    const g = r.fc.features[0].geometry as MultiPolygon;
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates).toHaveLength(2);
    expect(km2(g)).toBeCloseTo(expected, 4);
    expect(r.fc.features[0].properties).toEqual({ stationId: 'a' });
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0].code).toBe('district-self-intersection-repaired');
    const r5 = (v: number) => Math.round(v * 1e5) / 1e5;
    expect(r.notes[0].en).toContain(`(${r5(xm)}, ${r5(ym)})`);
    expect(r.notes[0].en).toContain('0.00 km² as drawn, 0.66 km² repaired');
    expect(r.notes[0].zh).toContain('自相交');
  });

  it('a pentagram keeps its whole star; a crossed hole is cut out of the square', () => {
    const star: Position[] = [0, 2, 4, 1, 3, 0].map((k) => [113 + 0.01 * Math.sin((k * 2 * Math.PI) / 5), 22 + 0.01 * Math.cos((k * 2 * Math.PI) / 5)]);
    const r = checkDistrictFile(fc([poly(star)]), 'star.geojson');
    // hand-solved: the star is the inner pentagon plus 5 tips; its area is the outline polygon's (10 vertices)
    const inner = 0.01 * Math.cos((2 * Math.PI) / 5) / Math.cos(Math.PI / 5);
    const outline: Position[] = [];
    for (let k = 0; k < 10; k++) {
      const rad = k % 2 === 0 ? 0.01 : inner, a = (k * Math.PI) / 5;
      outline.push([113 + rad * Math.sin(a), 22 + rad * Math.cos(a)]);
    }
    outline.push(outline[0]);
    expect(km2(r.fc.features[0].geometry as MultiPolygon)).toBeCloseTo(km2({ type: 'Polygon', coordinates: [outline] }), 3);
    const holeBow: Position[] = [[113.002, 22.002], [113.004, 22.004], [113.004, 22.002], [113.002, 22.004], [113.002, 22.002]];
    const h = checkDistrictFile(fc([{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(113, 22, 0.01), holeBow] } }]), 'h.geojson');
    const outer = km2({ type: 'Polygon', coordinates: [square(113, 22, 0.01)] });
    const bowArea = km2({ type: 'Polygon', coordinates: [square(113.002, 22.002, 0.002)] }) / 2;
    expect(km2(h.fc.features[0].geometry as Polygon)).toBeCloseTo(outer - bowArea, 4);
    expect(h.notes[0].code).toBe('district-self-intersection-repaired');
  });

  it('finds a crossing exactly when the all-pairs test (turf kinks) does, on random rings', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let crossed = 0;
    for (let t = 0; t < 300; t++) {
      const n = 4 + Math.floor(rnd() * 8);
      const ring: Position[] = [];
      for (let i = 0; i < n; i++) ring.push([Math.round(rnd() * 1000) / 1000, Math.round(rnd() * 1000) / 1000]);
      ring.push(ring[0]);
      const brute = kinks(polygon([ring])).features.length > 0;
      expect(ringCrossings([ring]).length > 0).toBe(brute);
      if (brute) crossed++;
    }
    expect(crossed).toBeGreaterThan(50);
    expect(ringCrossings([square(0, 0, 1)])).toEqual([]);
    // a hole touching its shell at one vertex is valid; a hole crossing it is not
    expect(ringCrossings([square(0, 0, 1), [[0, 0.5], [0.5, 0.4], [0.5, 0.6], [0, 0.5]]])).toEqual([]);
    expect(ringCrossings([square(0, 0, 1), [[-0.1, 0.5], [0.5, 0.4], [0.5, 0.6], [-0.1, 0.5]]])).toHaveLength(2);
  });

  it('leaves out a scribble with more crossings than it repairs, an empty polygon and a flat one, with notes', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const scribble: Position[] = [];
    for (let i = 0; i < 200; i++) scribble.push([113 + rnd() * 0.05, 22 + rnd() * 0.05]);
    scribble.push(scribble[0]);
    expect(ringCrossings([scribble], 1e6).length).toBeGreaterThan(MAX_REPAIR_CROSSINGS);
    const t0 = Date.now();
    const flat = poly([[113, 22], [113.01, 22], [113.02, 22], [113, 22]]);
    const r = checkDistrictFile(fc([poly(square(113, 22, 0.01)), poly(scribble), { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } }, flat]), 'x.geojson');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.usable).toEqual([true, false, false, false]);
    expect(r.notes.map((n) => n.code)).toEqual(['district-self-intersection-unrepaired', 'district-empty-polygon', 'district-zero-area']);
    expect(r.notes[0].en).toContain(`more than ${MAX_REPAIR_CROSSINGS} times`);
  });
});

describe('district file: mutated files never crash and never pass invalid coordinates', () => {
  it('2,000 seeded mutations of a valid file: a PlannerError or polygons in lon/lat range with area', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const values: unknown[] = [NaN, Infinity, -1e308, 1e12, 0, -0, 'x', null, [], {}, [[[]]], 91, 181, 500000, true];
    let refused = 0, accepted = 0;
    for (let t = 0; t < 2000; t++) {
      const doc = JSON.parse(JSON.stringify(fc([poly(square(113, 22, 0.01), { stationId: 'a' }), poly([[113.02, 22], [113.03, 22.01], [113.03, 22], [113.02, 22.01], [113.02, 22]])]))) as Record<string, unknown>;
      // walk to a random node and replace it (or one of its values)
      for (let m = 0; m < 1 + Math.floor(rnd() * 3); m++) {
        let node: unknown = doc;
        for (let depth = 0; depth < 8 && node && typeof node === 'object'; depth++) {
          const keys = Object.keys(node as object);
          if (!keys.length) break;
          const k = pick(keys);
          const child = (node as Record<string, unknown>)[k];
          if (rnd() < 0.25 || !child || typeof child !== 'object') {
            (node as Record<string, unknown>)[k] = rnd() < 0.2 && Array.isArray(child) ? child.slice(0, Math.floor(rnd() * child.length)) : pick(values);
            break;
          }
          node = child;
        }
      }
      let r;
      try {
        r = checkDistrictFile(JSON.parse(JSON.stringify(doc)), 'f.geojson', rnd() < 0.5 ? { placeBbox: [112.9, 21.9, 113.1, 22.1] } : {});
      } catch (e) {
        expect(e).toBeInstanceOf(PlannerError);
        expect((e as PlannerError).zh.length && (e as PlannerError).en.length).toBeTruthy();
        refused++;
        continue;
      }
      accepted++;
      r.fc.features.forEach((f, i) => {
        if (!r.usable[i]) return;
        const g = f.geometry as Polygon | MultiPolygon;
        const pts = (g.type === 'Polygon' ? g.coordinates.flat() : g.coordinates.flat(2)) as Position[];
        expect(pts.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90)).toBe(true);
        expect(km2(g)).toBeGreaterThan(0);
      });
    }
    expect(refused).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(100);
  });
  it('says when parts of a multipolygon have no coordinates (the others are used)', () => {
    const multi = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[], [square(113, 22, 0.01)]] } } as Feature;
    const r = checkDistrictFile(fc([multi]), 'x.geojson');
    expect(r.usable).toEqual([true]);
    expect(r.notes.map((n) => [n.code, n.en])).toEqual([['district-empty-polygon', 'feature 1: 1 part(s) of the multipolygon have no coordinates and are not used']]);
  });
});
