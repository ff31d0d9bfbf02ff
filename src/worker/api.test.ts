import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPlannerApi } from './api';

const root = resolve(__dirname, '../..');
const andorra = () => {
  const b = readFileSync(resolve(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
const bboxOf = (id: string) => JSON.parse(readFileSync(resolve(root, `public/data/${id}/place.json`), 'utf8')).bbox as [number, number, number, number];

describe('worker importOsm with the place bbox', () => {
  it('refuses an extract with no road in the place and keeps the graph it had', async () => {
    const api = createPlannerApi();
    const g = readFileSync(resolve(root, 'public/data/monaco/graph.bin'));
    await api.loadGraph('yangdong', g.buffer.slice(g.byteOffset, g.byteOffset + g.byteLength) as ArrayBuffer);
    const before = await api.snap('yangdong', [7.42, 43.73]);
    await expect(api.importOsm('yangdong', andorra(), 'andorra.osm.pbf', undefined, bboxOf('yangdong'))).rejects.toMatchObject({
      code: 'no-overlap', zh: expect.stringContaining('andorra.osm.pbf'), en: expect.stringContaining('wrong file'),
    });
    expect(await api.snap('yangdong', [7.42, 43.73])).toEqual(before); // still the graph loaded before
    expect(before.distanceM).toBeLessThan(300);
  });

  it('cuts an extract to the place bbox plus 2 km', async () => {
    const api = createPlannerApi();
    const full = await api.importOsm('andorra', andorra(), 'andorra.osm.pbf');
    const [a, b, c, d] = bboxOf('andorra');
    const mid: [number, number, number, number] = [(a + c) / 2 - 0.02, (b + d) / 2 - 0.02, (a + c) / 2 + 0.02, (b + d) / 2 + 0.02];
    const cut = await api.importOsm('andorra', andorra(), 'andorra.osm.pbf', undefined, mid);
    expect(cut.info.nodeCount).toBeGreaterThan(0);
    expect(cut.info.nodeCount).toBeLessThan(full.info.nodeCount);
    const margin = 0.03; // 2 km ≈ 0.018° lat / 0.025° lon here, plus the clipped ways' first outside node
    expect(cut.info.bbox[0]).toBeGreaterThan(mid[0] - margin);
    expect(cut.info.bbox[3]).toBeLessThan(mid[3] + margin);
  });
});
