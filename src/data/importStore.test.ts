import { describe, expect, it } from 'vitest';
import type { Feature, FeatureCollection, LineString } from 'geojson';
import { deleteImport, featureChunks, GRAPH_CHUNK_BYTES, importedLayersOf, loadImport, saveImport, type ImportKv, type StoredImport } from './imports';
import type { GraphInfo } from '../worker/protocol';

const MiB = 1024 * 1024;
/** Chrome refuses an IndexedDB value over about this size (the 148 MB graph failed). */
const VALUE_LIMIT = 128 * MiB;

const sizeOf = (v: unknown) => (v instanceof ArrayBuffer ? v.byteLength : JSON.stringify(v).length);

/** An in-memory stand-in for the IndexedDB store: one transaction per setMany, values over VALUE_LIMIT refused. */
function memoryKv(opts: { failWrites?: boolean } = {}) {
  const map = new Map<string, unknown>();
  const kv: ImportKv = {
    get: async (k) => map.get(k),
    getMany: async (keys) => keys.map((k) => map.get(k)),
    setMany: async (entries) => {
      if (opts.failWrites) throw new DOMException('quota exceeded', 'QuotaExceededError');
      for (const [k, v] of entries) if (sizeOf(v) > VALUE_LIMIT) throw new DOMException(`value ${k} too large`, 'DataError'); // whole transaction aborts
      for (const [k, v] of entries) map.set(k, v);
    },
    delMany: async (keys) => { for (const k of keys) map.delete(k); },
  };
  return { kv, map, opts };
}

const info = (nodeCount: number) => ({ placeId: 'p', nodeCount }) as unknown as GraphInfo;

/** A synthetic import: a graph of `graphBytes` (every byte known) and `roads` road lines of `points` positions. */
function bigImport(graphBytes: number, roads: number, points: number, tag = 0): StoredImport {
  const graph = new ArrayBuffer(graphBytes);
  const words = new Uint32Array(graph, 0, graphBytes >> 2);
  for (let i = 0; i < words.length; i++) words[i] = (i * 2654435761 + tag) >>> 0;
  const features: Feature<LineString>[] = [];
  for (let r = 0; r < roads; r++) {
    const coordinates = Array.from({ length: points }, (_, j) => [113 + r * 1e-5, 22 + j * 1e-5]);
    features.push({ type: 'Feature', properties: { id: r, name: `路 ${r}` }, geometry: { type: 'LineString', coordinates } });
  }
  const roadsFc: FeatureCollection = { type: 'FeatureCollection', features };
  const facilities: FeatureCollection = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'station' }, geometry: { type: 'Point', coordinates: [113, 22] } }] };
  return { placeId: 'p', fileName: `big-${tag}.osm.pbf`, importedAt: '2026-12-05T00:00:00Z', graph, roads: roadsFc, facilities, info: info(1_000_000) };
}

describe('import store in chunks (issue #15: a 1 M-node import must survive reload)', () => {
  it('a 148 MB graph with 1 M road positions is saved in values far under the IndexedDB limit and comes back byte for byte', async () => {
    const { kv, map } = memoryKv();
    const rec = bigImport(148 * 1000 * 1000, 50_000, 20);
    await saveImport(rec, kv);
    const sizes = [...map.values()].map(sizeOf);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(GRAPH_CHUNK_BYTES);
    expect(map.size).toBe(1 + Math.ceil(148e6 / GRAPH_CHUNK_BYTES) + 10 + 1); // manifest, 18 graph slices, 10 road runs, 1 facility run
    const back = await loadImport('p', kv);
    expect(back).toBeDefined();
    expect(back!.graph.byteLength).toBe(148e6);
    expect(Buffer.compare(Buffer.from(back!.graph), Buffer.from(rec.graph))).toBe(0);
    expect(back!.roads.features.length).toBe(50_000);
    expect(back!.roads.features.every((f, i) => f === rec.roads.features[i])).toBe(true);
    expect(back!.facilities).toEqual(rec.facilities);
    expect(back!.info.nodeCount).toBe(1_000_000);
    expect(back!.fileName).toBe('big-0.osm.pbf');
  }, 60_000);

  it('a new save replaces the old one and drops its chunks; delete removes everything', async () => {
    const { kv, map } = memoryKv();
    await saveImport(bigImport(20 * MiB + 5, 10, 3, 1), kv);
    await saveImport(bigImport(9 * MiB, 3, 3, 2), kv);
    expect(map.size).toBe(1 + 2 + 1 + 1);
    const back = await loadImport('p', kv);
    expect(back!.fileName).toBe('big-2.osm.pbf');
    expect(new Uint32Array(back!.graph)[7]).toBe((7 * 2654435761 + 2) >>> 0);
    expect(back!.roads.features.length).toBe(3);
    await deleteImport('p', kv);
    expect(map.size).toBe(0);
    expect(await loadImport('p', kv)).toBeUndefined();
  });

  it('a save that fails (quota) leaves the previous import whole; a missing chunk reads as no import, not a crash', async () => {
    const store = memoryKv();
    await saveImport(bigImport(10 * MiB, 5, 3, 1), store.kv);
    store.opts.failWrites = true;
    await expect(saveImport(bigImport(10 * MiB, 5, 3, 2), store.kv)).rejects.toThrow(/quota/);
    expect((await loadImport('p', store.kv))!.fileName).toBe('big-1.osm.pbf');
    const slice = [...store.map.keys()].find((k) => k.includes('#graph#1'))!;
    store.map.delete(slice);
    expect(await loadImport('p', store.kv)).toBeUndefined();
  });

  it('an import saved whole by the previous version still loads', async () => {
    const { kv, map } = memoryKv();
    const old = bigImport(1000, 2, 2);
    map.set('p', old);
    expect(await loadImport('p', kv)).toBe(old);
  });

  it('keeps the import\'s water (with the sea) and railways across a reload (issue #11: a fetched 阳东区 lost its sea)', async () => {
    const { kv, map } = memoryKv();
    const ring = (n: number) => Array.from({ length: n }, (_, j) => [112 + Math.cos((j / n) * 2 * Math.PI) * 0.1, 21.8 + Math.sin((j / n) * 2 * Math.PI) * 0.1]);
    const seaRing = ring(250_000); // one big sea polygon: a run of its own
    seaRing.push(seaRing[0]);
    const water: FeatureCollection = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { kind: 'sea', name: '南海', box: [111.8, 21.6, 112.2, 22] }, geometry: { type: 'Polygon', coordinates: [seaRing] } },
      { type: 'Feature', properties: { kind: 'river', name: '那龙河' }, geometry: { type: 'LineString', coordinates: [[112.01, 21.9], [112.02, 21.95]] } },
    ] };
    const rail: FeatureCollection = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { kind: 'rail', name: '深茂铁路' }, geometry: { type: 'LineString', coordinates: [[111.9, 21.9], [112.1, 21.92]] } },
    ] };
    const rec: StoredImport = { ...bigImport(1000, 2, 2), water, rail };
    await saveImport(rec, kv);
    expect(Math.max(...[...map.values()].map(sizeOf))).toBeLessThan(VALUE_LIMIT);
    const back = (await loadImport('p', kv))!;
    expect(back.water).toEqual(water);
    expect(back.rail).toEqual(rail);
    // what the app puts back into the store after a reload
    const layers = importedLayersOf(back);
    expect(layers.water!.features.map((f) => f.properties!.kind)).toEqual(['sea', 'river']);
    expect(layers.rail!.features[0].properties!.name).toBe('深茂铁路');
    // a later save without water drops the old water chunks with the rest
    await saveImport(bigImport(1000, 2, 2, 3), kv);
    expect([...map.keys()].filter((k) => k.includes('#water#') || k.includes('#rail#'))).toEqual([]);
    const plain = (await loadImport('p', kv))!;
    expect(plain.water).toBeUndefined();
    expect(importedLayersOf(plain)).not.toHaveProperty('water');
  });

  it('a chunked import saved before water and rail were kept still loads (without them)', async () => {
    const { kv, map } = memoryKv();
    await saveImport(bigImport(1000, 2, 2, 4), kv);
    const manifest = map.get('p') as Record<string, unknown>;
    expect(manifest).not.toHaveProperty('water');
    expect(manifest).not.toHaveProperty('rail');
    const back = (await loadImport('p', kv))!;
    expect(back.fileName).toBe('big-4.osm.pbf');
    expect(back.roads.features.length).toBe(2);
    expect(back.water).toBeUndefined();
    // a missing water chunk reads as no import, not a half one
    await saveImport({ ...bigImport(1000, 2, 2, 5), water: { type: 'FeatureCollection', features: [] } }, kv);
    await saveImport({ ...bigImport(1000, 2, 2, 6), water: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { kind: 'sea' }, geometry: { type: 'Point', coordinates: [0, 0] } }] } }, kv);
    map.delete([...map.keys()].find((k) => k.includes('#water#'))!);
    expect(await loadImport('p', kv)).toBeUndefined();
  });

  it('featureChunks cuts runs at the position budget, in order, never splitting a feature', () => {
    const line = (n: number): Feature => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: Array.from({ length: n }, () => [0, 0]) } });
    const fs = [line(4), line(4), line(3), line(10), line(1)];
    expect(featureChunks(fs, 8).map((r) => r.map((f) => (f.geometry as LineString).coordinates.length))).toEqual([[4, 4], [3], [10], [1]]);
    expect(featureChunks([], 8)).toEqual([]);
  });
});
