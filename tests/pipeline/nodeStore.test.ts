/**
 * NodeStore (src/core/osm/nodeStore.ts) reads exactly as the Map<number, OsmNode> the readers filled before: checked
 * against a real Map fed the same random operations (repeated ids replace in place, tags added and cleared).
 */
import { describe, expect, it } from 'vitest';
import { LOOKUPS_BEFORE_HASH, NodeStore } from '../../src/core/osm/nodeStore';
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

  it('blocks added by addAll (repeats inside a block, across blocks and with set, reads in between) read as the Map', () => {
    const r = rng(23);
    const store = new NodeStore(), map = new Map<number, OsmNode>();
    let next = 1;
    for (let round = 0; round < 60; round++) {
      const n = 1 + Math.floor(r() * 400), from = Math.floor(r() * 5);
      const ids = new Float64Array(from + n + 3), lons = new Float64Array(ids.length), lats = new Float64Array(ids.length);
      const tags: ({ [k: string]: string } | undefined)[] | null = r() < 0.5 ? new Array(ids.length) : null;
      for (let j = 0; j < ids.length; j++) {
        // mostly new ascending ids (a PBF block), some repeats of any earlier id
        ids[j] = r() < 0.15 && next > 1 ? 1 + Math.floor(r() * (next - 1)) : next++;
        lons[j] = r() * 360 - 180; lats[j] = r() * 180 - 90;
        if (tags && r() < 0.2) tags[j] = r() < 0.2 ? {} : { name: `n${round}-${j}` };
      }
      store.addAll(ids, lons, lats, tags, from, from + n);
      for (let j = from; j < from + n; j++) {
        const node: OsmNode = { id: ids[j], lon: lons[j], lat: lats[j] };
        const t = tags?.[j];
        if (t && Object.keys(t).length) node.tags = t;
        map.set(ids[j], node);
      }
      if (r() < 0.3) {
        const id = r() < 0.5 ? next++ : 1 + Math.floor(r() * (next - 1));
        const t = r() < 0.5 ? { k: 'v' } : undefined;
        store.set(id, 1, 2, t);
        const node: OsmNode = { id, lon: 1, lat: 2 };
        if (t) node.tags = t;
        map.set(id, node);
      }
      if (r() < 0.3) {
        expect(store.size).toBe(map.size);
        const id = 1 + Math.floor(r() * (next - 1));
        expect(store.get(id)).toEqual(map.get(id));
      }
    }
    expect(store.size).toBe(map.size);
    expect([...store.entries()]).toEqual([...map.entries()]);
    expect(store.taggedPositions().map((k) => store.nodeAt(k))).toEqual([...map.values()].filter((n) => n.tags));
    const { ids } = store;
    for (let k = 0; k < store.size; k++) {
      expect(store.indexNear(ids[k], k)).toBe(k);
      expect(store.indexNear(ids[k], k + 1)).toBe(k);
      expect(store.indexNear(ids[k], -1)).toBe(k);
    }
    expect(store.indexNear(next + 5, 0)).toBe(-1);
  });

  it('ascending ids (a sorted file): look-ups by search, then by the hash, then a repeat out of order, as the Map', () => {
    const r = rng(31);
    const store = new NodeStore(), map = new Map<number, OsmNode>();
    let id = 2 ** 33;
    const add = (n: number) => {
      const ids = new Float64Array(n), lons = new Float64Array(n), lats = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        id += 1 + Math.floor(r() * 3); // gaps: absent ids between present ones
        ids[j] = id; lons[j] = j; lats[j] = -j;
        map.set(id, { id, lon: j, lat: -j });
      }
      store.addAll(ids, lons, lats, null, 0, n);
    };
    const ask = (times: number) => {
      for (let i = 0; i < times; i++) {
        const q = 2 ** 33 + Math.floor(r() * (id - 2 ** 33 + 5));
        expect(store.get(q)).toEqual(map.get(q));
        expect(store.has(q)).toBe(map.has(q));
      }
    };
    add(3000);
    ask(LOOKUPS_BEFORE_HASH / 4); // binary search
    add(2000);
    ask(LOOKUPS_BEFORE_HASH); // the hash is made part way
    add(500);
    ask(200);
    // an id out of order that repeats one stored (replaces it in its place) and a new one below the others
    const old = [...map.keys()][1234];
    store.set(old, 7, 8, { name: 'moved' });
    map.set(old, { id: old, lon: 7, lat: 8, tags: { name: 'moved' } });
    store.set(5, 1, 1);
    map.set(5, { id: 5, lon: 1, lat: 1 });
    ask(300);
    expect(store.size).toBe(map.size);
    expect([...store.entries()]).toEqual([...map.entries()]);
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
