import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createPlannerApi, MAX_IMPORT_NODES } from './api';
import { importCap, IMPORT_BYTES_PER_NODE } from './importLimits';
import type { ProgressInfo } from './protocol';
import { gridExtract, writePbf } from '../../tests/support/pbfWriter';

const root = resolve(__dirname, '../..');
const andorra = () => {
  const b = readFileSync(resolve(root, 'geodata/raw/andorra_graphhopper-testdata_2013.osm.pbf'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};
/** A SYNTHETIC 316 × 316 street grid (99,856 nodes) as PBF: ~1.09 MB once decompressed. */
const grid = (() => {
  const g = gridExtract(316);
  const bytes = writePbf({ nodes: g.nodes, ways: g.ways });
  return { bytes, bbox: g.bbox, copy: () => bytes.slice().buffer as ArrayBuffer };
})();

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

describe('importCap: the node cap from the device memory', () => {
  it('is a quarter of the device memory over the bytes per node, at most 2 GiB worth; the fixed cap when unknown', () => {
    expect(IMPORT_BYTES_PER_NODE).toBe(1024);
    expect(importCap(4).maxNodes).toBe(1_048_576); // 1 GiB / 1 KiB
    expect(importCap(2).maxNodes).toBe(524_288);
    expect(importCap(0.5).maxNodes).toBe(131_072);
    expect(importCap(8).maxNodes).toBe(2_097_152); // 2 GiB: the tab's share
    expect(importCap(32).maxNodes).toBe(2_097_152);
    for (const unknown of [undefined, null, 0, -1, Number.NaN, Infinity]) {
      expect(importCap(unknown)).toMatchObject({ maxNodes: MAX_IMPORT_NODES, deviceMemoryGiB: null });
    }
    expect(importCap(4).bytes).toBe(1024 ** 3);
  });

  it('says how big is too big in both languages', () => {
    const c = importCap(4);
    expect(c.note.zh).toContain('本设备内存约 4 GB，导入上限约 1,048,576 个节点（约 1.0 GB 内存');
    expect(c.note.en).toContain('this device has about 4 GB of memory: the import cap is about 1,048,576 nodes (about 1.0 GB');
    expect(importCap(undefined).note.en).toContain('the fixed cap of 2,000,000 nodes applies (about 1.9 GB');
  });
});

describe('a file too big for the device is refused before it is decoded', () => {
  it('refused at once from the PBF block sizes: no block decoded, the message says how big the file and the cap are', async () => {
    const cap = { ...importCap(4), maxNodes: 20_000 };
    const phases: ProgressInfo[] = [];
    const t0 = performance.now();
    const err = await createPlannerApi({ importCap: cap }).importOsm('grid', grid.copy(), 'grid.osm.pbf', (p) => { phases.push(p); }).catch((e) => e);
    const ms = performance.now() - t0;
    expect(err).toMatchObject({ code: 'too-many-nodes', file: 'grid.osm.pbf' });
    // ~1.09 MB decompressed / 32 bytes per node: a low estimate of the 99,856 nodes
    const about = Number(/约含 ([\d,]+) 个节点/.exec(err.zh)![1].replace(/,/g, ''));
    expect(about).toBeGreaterThan(20_000);
    expect(about).toBeLessThanOrEqual(99_856);
    expect(err.zh).toContain('超过 20,000 个节点的上限（本设备内存约 4 GB');
    expect(err.en).toMatch(/has more than 20,000 nodes, the most this program can take \(it holds about [\d,]+; this device has about 4 GB of memory/);
    expect(phases.some((p) => p.phase === 'decode')).toBe(false); // nothing inflated
    expect(ms).toBeLessThan(2000); // (generous: splitting the blocks takes milliseconds; decoding all takes longer)
  });

  it('a file whose size does not show it is refused at the first node past the cap, before the graph is built', async () => {
    const phases: ProgressInfo[] = [];
    const err = await createPlannerApi({ maxImportNodes: 60_000 }).importOsm('grid', grid.copy(), 'grid.osm.pbf', (p) => { phases.push(p); }).catch((e) => e);
    expect(err).toMatchObject({ code: 'too-many-nodes' });
    expect(err.en).toContain('has more than 60,000 nodes');
    const decoded = phases.filter((p) => p.phase === 'decode');
    expect(decoded.length).toBeGreaterThan(0);
    expect(decoded[decoded.length - 1].done).toBeLessThan(decoded[0].total); // stopped before the last block
    expect(phases.some((p) => p.phase === 'build')).toBe(false);
  });

  it('the same file within the cap imports, reporting each phase in order and each block n of N', async () => {
    const phases: ProgressInfo[] = [];
    const input = grid.copy();
    const res = await createPlannerApi({ maxImportNodes: 99_856, releaseInput: true }).importOsm('grid', input, 'grid.osm.pbf', (p) => { phases.push(p); }, grid.bbox);
    expect(res.info.nodeCount).toBe(99_856);
    expect(res.info.edgeCount).toBe(2 * 2 * 316 * 315); // every grid segment, both directions
    const order = phases.map((p) => p.phase).filter((p, i, a) => a[i - 1] !== p && p !== 'parse');
    expect(order).toEqual(['read', 'decode', 'clip', 'build', 'layers']);
    const blocks = phases.filter((p) => p.phase === 'decode');
    expect(blocks.map((p) => p.done)).toEqual(blocks.map((_, i) => i)); // 0 of N before the first block, then each
    expect(blocks[blocks.length - 1].done).toBe(blocks[0].total);
    expect(input.byteLength).toBe(0); // releaseInput: the file's bytes were freed once decoded
  });
});
