import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPlannerApi } from './api';
import { buildWaterIndex, pointInWater } from '../core/water';

const root = resolve(__dirname, '../..');
const bytes = (p: string) => {
  const b = readFileSync(resolve(root, p));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const bboxOf = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/place.json`), 'utf8')).bbox as [number, number, number, number];

describe('worker importOsm: the same water as the pipeline', () => {
  it('a dropped Monaco extract gives the sea (Port Hercule is water) and its railways', async () => {
    const api = createPlannerApi();
    const res = await api.importOsm('monaco', bytes('geodata/raw/fallback_monaco_osrm-testdata_2016.osm.pbf'), 'monaco.osm.pbf', undefined, bboxOf('monaco'));
    const kinds = new Set(res.water!.features.map((f) => f.properties?.kind));
    expect(kinds.has('sea')).toBe(true);
    const idx = buildWaterIndex(res.water);
    expect(pointInWater(idx, [7.425, 43.735])).toMatchObject({ kind: 'sea', name: 'Port Hercule de Monaco' });
    expect(pointInWater(idx, [7.428, 43.74])).toBeNull();
    expect(res.rail!.features.length).toBeGreaterThan(0);
    // the built sample's sea (same extractor, same box) covers the same points
    const built = buildWaterIndex(JSON.parse(readFileSync(resolve(root, 'public/data/monaco/water.geojson'), 'utf8')));
    for (const p of [[7.425, 43.735], [7.44, 43.735], [7.42, 43.732], [7.43, 43.745]] as [number, number][])
      expect(pointInWater(idx, p)?.kind ?? null).toBe(pointInWater(built, p)?.kind ?? null);
  });
});
