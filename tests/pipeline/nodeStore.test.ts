/**
 * NodeStore (src/core/osm/nodeStore.ts) reads exactly as the Map<number, OsmNode> the readers filled before: checked
 * against a real Map fed the same random operations (repeated ids replace in place, tags added and cleared).
 */
import { describe, expect, it } from 'vitest';
import { NodeStore } from '../../src/core/osm/nodeStore';
import type { OsmNode } from '../../src/core/osm/types';

/** A small seeded generator (mulberry32), so a failure repeats. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('NodeStore reads as a Map of node objects', () => {
  it('20,000 random sets (ids up to 2^40, a third repeated, some tagged): same entries, order, get, has and size', () => {
    const r = rng(11);
    const store = new NodeStore(), map = new Map<number, OsmNode>();
    const used: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const id = used.length && r() < 0.33 ? used[Math.floor(r() * used.length)] : Math.floor(r() * 2 ** 40) - 2 ** 20;
      used.push(id);
      const lon = r() * 360 - 180, lat = r() * 180 - 90;
      const tags = r() < 0.1 ? { amenity: 'fire_station', n: String(i) } : undefined;
      store.set(id, lon, lat, tags);
      const n: OsmNode = { id, lon, lat };
      if (tags) n.tags = tags;
      map.set(id, n);
    }
    expect(store.size).toBe(map.size);
    expect([...store.entries()]).toEqual([...map.entries()]);
    expect([...store.keys()]).toEqual([...map.keys()]);
    expect([...store.values()]).toEqual([...map.values()]);
    for (const id of used.slice(0, 2000)) expect(store.get(id)).toEqual(map.get(id));
    expect(store.has(123.5)).toBe(false);
    expect(store.get(-7)).toBe(map.get(-7));
    const tagged = store.taggedPositions().map((k) => store.nodeAt(k));
    expect(tagged).toEqual([...map.values()].filter((n) => n.tags));
    const seen: number[] = [];
    store.forEach((n, id) => { expect(n.id).toBe(id); seen.push(id); });
    expect(seen).toEqual([...map.keys()]);
  });

  it('subset keeps the chosen nodes in order, with their tags', () => {
    const s = new NodeStore();
    for (let i = 1; i <= 10; i++) s.set(i * 10, i, -i, i % 3 === 0 ? { k: `${i}` } : undefined);
    const odd = s.subset((k) => k % 2 === 0);
    expect([...odd.keys()]).toEqual([10, 30, 50, 70, 90]);
    expect(odd.get(30)).toEqual({ id: 30, lon: 3, lat: -3, tags: { k: '3' } });
    expect(odd.has(20)).toBe(false);
  });
});
