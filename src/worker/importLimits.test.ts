import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPlannerApi, MAX_IMPORT_NODES } from './api';

const root = resolve(__dirname, '../..');
const andorra = () => {
  const b = readFileSync(resolve(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

describe('worker importOsm node limit', () => {
  it('is 2 million nodes by default', () => {
    expect(MAX_IMPORT_NODES).toBe(2_000_000);
  });

  it('an extract over the limit is refused naming the limit, and the graph loaded before stays', async () => {
    const api = createPlannerApi({ maxImportNodes: 60_000 }); // Andorra has 69,644 nodes
    await expect(api.importOsm('andorra', andorra(), 'andorra.osm.pbf')).rejects.toMatchObject({
      code: 'too-many-nodes', en: expect.stringContaining('more than 60,000 nodes'), zh: expect.stringContaining('超过 60,000 个节点的上限'), file: 'andorra.osm.pbf',
    });
    const ok = await createPlannerApi({ maxImportNodes: 69_644 }).importOsm('andorra', andorra(), 'andorra.osm.pbf');
    expect(ok.info.nodeCount).toBeGreaterThan(1000);
    await api.loadGraph('andorra', ok.graph);
    await expect(api.importOsm('andorra', andorra(), 'andorra.osm.pbf')).rejects.toMatchObject({ code: 'too-many-nodes' });
    expect((await api.snap('andorra', [1.52, 42.51])).distanceM).toBeLessThan(500); // still the graph loaded before
  });
});
