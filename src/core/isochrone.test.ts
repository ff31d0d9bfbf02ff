import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { area, booleanClockwise, booleanPointInPolygon, kinks, point } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { buildGraph } from './buildGraph';
import { randomGrid } from './testGrid';
import { parseProfile } from './profile';
import { Router } from './router';
import { checkCutoffs } from './isochrone';
import { haversineM } from './geo';
import type { OsmData } from './osm/types';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8')));

const grid = (seed: number, nx: number, ny: number): OsmData => randomGrid(seed, nx, ny, { dropRate: 0.2, onewayRate: 0.1, firstClass: 1, classCount: 9 });

const rings = (g: Polygon | MultiPolygon): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

/** Distance (m) from a point to a 2-point line. */
function distToPiece(p: Position, a: Position, b: Position): number {
  const k = Math.cos((p[1] * Math.PI) / 180);
  const ax = (a[0] - p[0]) * k, ay = a[1] - p[1], bx = (b[0] - p[0]) * k, by = b[1] - p[1];
  const dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
  const t = l2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / l2)) : 0;
  return haversineM(0, 0, (ax + t * dx), ay + t * dy);
}

describe('isochrone polygons on a random grid', () => {
  const { graph } = buildGraph(grid(11, 22, 20));
  const r = new Router(graph, profile);
  const bands = [0.5, 1, 2];
  for (const [i, j] of [[5, 5], [11, 9], [2, 17]]) {
    const station = { id: `s${i}-${j}`, lon: 114 + i * 0.001 + 0.0003, lat: 22.5 + j * 0.0009 };
    const out = r.isochrone([station], bands, { corridorM: 50 });
    const polys = out.polygons.features as Feature<Polygon | MultiPolygon>[];
    it(`${station.id}: valid rings with RFC 7946 orientation and exact area`, () => {
      expect(polys.length).toBe(3);
      for (const f of polys) {
        expect(kinks(f).features).toHaveLength(0);
        for (const poly of rings(f.geometry)) {
          expect(booleanClockwise(poly[0])).toBe(false);
          for (const hole of poly.slice(1)) expect(booleanClockwise(hole)).toBe(true);
        }
        expect(area(f) / 1e6).toBeCloseTo(f.properties!.areaKm2, 2);
      }
    });
    it(`${station.id}: contains every reached piece, excludes far unreached roads, nests`, () => {
      for (const line of out.lines.features) {
        const [a, b] = line.geometry.coordinates;
        const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
        polys.forEach((f, k) => {
          if (bands[k] < line.properties!.band) return;
          for (const p of [a, b, mid]) expect(booleanPointInPolygon(point(p), f)).toBe(true);
        });
      }
      const reached = out.lines.features.map((l) => l.geometry.coordinates);
      for (let k = 0; k < bands.length; k++) {
        const within = reached.filter((_, i) => out.lines.features[i].properties!.band <= bands[k]);
        let tested = 0;
        for (let n = 0; n < graph.nodeCount; n += 3) {
          const p = [graph.lon[n] / 1e7, graph.lat[n] / 1e7];
          if (within.every((c) => distToPiece(p, c[0], c[1]) > 50 + 25)) {
            tested++;
            expect(booleanPointInPolygon(point(p), polys[k])).toBe(false);
          }
        }
        expect(tested).toBeGreaterThan(0);
        if (k > 0) for (const poly of rings(polys[k - 1].geometry)) for (const v of poly[0]) expect(booleanPointInPolygon(point(v), polys[k])).toBe(true);
      }
      expect(polys[0].properties!.roadKm).toBeLessThan(polys[2].properties!.roadKm);
    });
  }
});

describe('isochrone holes', () => {
  // A ring road ~1.1 km square with nothing inside: the corridor polygon keeps the empty middle as a hole.
  const corners = [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01]];
  const osm: OsmData = {
    nodes: new Map(corners.map(([x, y], i) => [i + 1, { id: i + 1, lon: 114 + x, lat: 22.5 + y }])),
    ways: [{ id: 1, nodes: [1, 2, 3, 4, 1], tags: { highway: 'primary' } }],
    relations: [],
  };
  const r = new Router(buildGraph(osm).graph, profile);
  it('keeps the unreached middle as a clockwise hole', () => {
    const out = r.isochrone([{ id: 'a', lon: 114, lat: 22.5 }], [2, 10]);
    const small = out.polygons.features[0].geometry as Polygon;
    const big = out.polygons.features[1].geometry as Polygon;
    expect(small.type).toBe('Polygon');
    expect(small.coordinates).toHaveLength(1);
    expect(big.type).toBe('Polygon');
    expect(big.coordinates).toHaveLength(2);
    expect(booleanClockwise(big.coordinates[1])).toBe(true);
    expect(booleanPointInPolygon(point([114.005, 22.505]), big)).toBe(false);
    expect(booleanPointInPolygon(point([114.005, 22.5]), big)).toBe(true);
  });
  it('splits into a MultiPolygon for stations on separate pieces', () => {
    const two: OsmData = {
      nodes: new Map([[1, { id: 1, lon: 114, lat: 22.5 }], [2, { id: 2, lon: 114.003, lat: 22.5 }], [3, { id: 3, lon: 114.05, lat: 22.5 }], [4, { id: 4, lon: 114.053, lat: 22.5 }]]),
      ways: [{ id: 1, nodes: [1, 2], tags: { highway: 'primary' } }, { id: 2, nodes: [3, 4], tags: { highway: 'primary' } }],
      relations: [],
    };
    const r2 = new Router(buildGraph(two).graph, profile);
    const out = r2.isochrone([{ id: 'a', lon: 114.001, lat: 22.5 }, { id: 'b', lon: 114.051, lat: 22.5 }], [1]);
    const g = out.polygons.features[0].geometry as MultiPolygon;
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates).toHaveLength(2);
    expect(new Set(out.lines.features.map((f) => f.properties!.stationId))).toEqual(new Set(['a', 'b']));
  });
});

describe('isochrone band count', () => {
  const r = new Router(buildGraph(grid(3, 6, 6)).graph, profile);
  const site = { id: 's', lon: 114.0023, lat: 22.5021 };
  it('draws 255 bands (the most a byte per cell can tell apart) and refuses 300 with a clear error, never a silent cap', () => {
    const many = Array.from({ length: 255 }, (_, k) => (k + 1) * 0.1);
    expect(r.isochrone([site], many, { lines: false }).polygons.features.length).toBeGreaterThan(0);
    const tooMany = Array.from({ length: 300 }, (_, k) => (k + 1) * 0.1);
    expect(() => r.isochrone([site], tooMany)).toThrow(expect.objectContaining({ code: 'bad-band-count', zh: expect.stringContaining('300'), en: expect.stringContaining('1–255') }));
  });
  it('checkCutoffs refuses unordered or non-positive cutoffs', () => {
    expect(() => checkCutoffs([60, 30])).toThrow(expect.objectContaining({ code: 'bad-band-cutoffs' }));
    expect(() => checkCutoffs([0])).toThrow(expect.objectContaining({ code: 'bad-band-cutoffs' }));
    expect(() => checkCutoffs([])).toThrow(expect.objectContaining({ code: 'bad-band-count' }));
    expect(() => checkCutoffs([30, 60, 240])).not.toThrow();
  });
});
