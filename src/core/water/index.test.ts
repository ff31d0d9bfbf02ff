import * as turf from '@turf/turf';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { extractWater } from '../osm/extract';
import { clipOsm } from '../osm/clip';
import type { OsmData } from '../osm/types';
import type { LonLat } from '../types';
import { buildWaterIndex, pointInWater, siteInWaterError, waterExcluder, WATER_AREA_KINDS } from './index';

const root = resolve(__dirname, '../../..');
const placeWater = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/water.geojson`), 'utf8')) as FeatureCollection;
const placeFacilities = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/facilities.geojson`), 'utf8')) as FeatureCollection;

/** Hand-made OSM (test fixture): nodes on a 0.001° grid, named by [x, y] grid steps. */
function osmOf(ways: { id: number; pts: [number, number][]; tags: Record<string, string> }[], relations: OsmData['relations'] = []): OsmData {
  const nodes = new Map<number, { id: number; lon: number; lat: number }>();
  const idOf = ([x, y]: [number, number]) => {
    const id = 1 + x + y * 1000;
    nodes.set(id, { id, lon: x / 1000, lat: y / 1000 });
    return id;
  };
  return { nodes, ways: ways.map((w) => ({ id: w.id, tags: w.tags, nodes: w.pts.map(idOf) })), relations };
}

describe('extractWater: areas, relations and the sea', () => {
  it('a river-area multipolygon joined from several outer ways with an island (inner way) is a riverbank with a hole', () => {
    const osm = osmOf([
      { id: 1, pts: [[0, 0], [10, 0], [10, 4]], tags: {} },
      { id: 2, pts: [[0, 0], [0, 4], [10, 4]], tags: {} }, // second half, drawn the other way round
      { id: 3, pts: [[4, 1], [6, 1], [6, 3], [4, 3], [4, 1]], tags: {} },
    ], [{ id: 50, tags: { type: 'multipolygon', waterway: 'riverbank', name: '大河' }, members: [{ type: 'way', ref: 1, role: 'outer' }, { type: 'way', ref: 2, role: 'outer' }, { type: 'way', ref: 3, role: 'inner' }] }]);
    const fc = extractWater(osm);
    const area = fc.features.find((f) => f.properties.kind === 'riverbank')!;
    expect(area.properties.name).toBe('大河');
    expect(area.geometry.type).toBe('Polygon');
    const idx = buildWaterIndex(fc as FeatureCollection);
    expect(pointInWater(idx, [0.002, 0.002])).toMatchObject({ kind: 'riverbank', name: '大河' });
    expect(pointInWater(idx, [0.005, 0.002])).toBeNull(); // on the island
    expect(pointInWater(idx, [0.012, 0.002])).toBeNull();
  });

  it('coastline ways become the sea inside the box, named by a marina around it; land stays land', () => {
    // coast west → east along y = 5 with a basin (x 4–6, y 5–8) cut into the land; marina area x 3–7, y 4–9
    const osm = osmOf([
      { id: 10, pts: [[-20, 5], [4, 5], [4, 8], [6, 8]], tags: { natural: 'coastline' } },
      { id: 11, pts: [[6, 8], [6, 5], [30, 5]], tags: { natural: 'coastline' } },
      { id: 12, pts: [[3, 4], [7, 4], [7, 9], [3, 9], [3, 4]], tags: { leisure: 'marina', name: 'Port Test' } },
    ]);
    const fc = extractWater(osm, { seaBox: [-0.01, -0.01, 0.02, 0.02] });
    expect(fc.features.filter((f) => f.properties.kind === 'sea')).toHaveLength(1);
    expect(extractWater(osm).features.some((f) => f.properties.kind === 'sea')).toBe(false); // no box, no sea
    const idx = buildWaterIndex(fc as FeatureCollection);
    expect(pointInWater(idx, [0.005, 0.007])).toEqual({ kind: 'sea', name: 'Port Test', nameEn: 'Port Test' }); // in the basin
    expect(pointInWater(idx, [0.0035, 0.007])).toBeNull(); // the quay beside it, inside the marina
    expect(pointInWater(idx, [0.01, 0.0])).toMatchObject({ kind: 'sea', name: '' });
    expect(pointInWater(idx, [0.01, 0.01])).toBeNull();
  });

  it('a river area crossing the clip edge stays whole when taken from the extract before clipping (keepBox)', () => {
    const osm = osmOf([
      { id: 20, pts: [[0, 0], [40, 0], [40, 3], [0, 3], [0, 0]], tags: { natural: 'water', water: 'river', name: '江' } },
      { id: 21, pts: [[100, 100], [101, 100], [101, 101], [100, 100]], tags: { natural: 'water' } }, // far away
    ]);
    const box: [number, number, number, number] = [-0.005, -0.005, 0.02, 0.01];
    expect(extractWater(clipOsm(osm, box)).features).toHaveLength(0); // cut at the edge: the ring cannot close
    const kept = extractWater(osm, { keepBox: box }).features;
    expect(kept.map((f) => [f.properties.kind, f.properties.name])).toEqual([['riverbank', '江']]);
    expect(pointInWater(buildWaterIndex(extractWater(osm, { keepBox: box }) as FeatureCollection), [0.01, 0.001])).toMatchObject({ kind: 'riverbank' });
  });
});

describe('the water index on the built samples', () => {
  it('Monaco: Port Hercule is water after the build, the town and the stations are not', () => {
    const idx = buildWaterIndex(placeWater('monaco'));
    // in the harbour basin (checked against the built water.geojson: the basin spans about 7.4225–7.430 E)
    expect(pointInWater(idx, [7.425, 43.735])).toEqual({ kind: 'sea', name: 'Port Hercule de Monaco', nameEn: 'Port Hercule de Monaco' });
    expect(pointInWater(idx, [7.44, 43.735])).toMatchObject({ kind: 'sea' }); // open sea east of the harbour
    expect(pointInWater(idx, [7.428, 43.74])).toBeNull(); // Monte-Carlo
    expect(pointInWater(idx, [7.42, 43.732])).toBeNull(); // Monaco-Ville (the rock)
    for (const f of placeFacilities('monaco').features) {
      const p = f.geometry as unknown as { coordinates: LonLat };
      expect(pointInWater(idx, p.coordinates)).toBeNull();
    }
    const err = siteInWaterError(pointInWater(idx, [7.425, 43.735])!);
    expect(err.code).toBe('site-in-water');
    expect(err.zh).toContain('站点位于水域（Port Hercule de Monaco）内');
    expect(err.en).toContain('The site is in water (Port Hercule de Monaco)');
    expect(waterExcluder(idx)([7.425, 43.735])).toBe(true);
    expect(waterExcluder(idx)([7.428, 43.74])).toBe(false);
  });

  it('agrees with turf booleanPointInPolygon on 2,000 seeded points (Monaco, Andorra)', () => {
    for (const id of ['monaco', 'andorra']) {
      const fc = placeWater(id);
      const idx = buildWaterIndex(fc);
      const areas = fc.features.filter((f) => WATER_AREA_KINDS.has(String(f.properties?.kind)));
      const boxes = areas.map((f) => turf.bbox(f));
      let seed = 7, inside = 0;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      for (let i = 0; i < 1000; i++) {
        // a point in the bbox of a random water area (so both answers occur often)
        const [w, s, e, n] = boxes[Math.floor(rnd() * boxes.length)];
        const p: LonLat = [w + (e - w) * rnd(), s + (n - s) * rnd()];
        const brute = areas.some((f) => turf.booleanPointInPolygon(p, f as never));
        expect(pointInWater(idx, p) !== null).toBe(brute);
        if (brute) inside++;
      }
      expect(inside).toBeGreaterThan(100); // the sample really tests both answers
    }
  });

  it('a place without water data gives an empty index', () => {
    const idx = buildWaterIndex(null);
    expect(idx.areas).toHaveLength(0);
    expect(pointInWater(idx, [121.47, 31.23])).toBeNull();
  });
});
