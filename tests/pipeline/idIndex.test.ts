/**
 * IdIndex (src/core/osm/idIndex.ts), the id → number hash under NodeStore, buildGraph and the PBF reader: checked
 * against a Map fed the same ids — runs of consecutive ids (a way, a PBF block), strides (a grid's columns), ids
 * above 2^32 and up to 2^53, ids that fill the same block of slots — through several grow steps.
 */
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../src/core/osm/idIndex';

const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

function sameAsMap(ids: number[]): void {
  const idx = new IdIndex(), map = new Map<number, number>();
  ids.forEach((id, i) => {
    if (i % 2) {
      const had = map.get(id);
      expect(idx.getOrAdd(id, i)).toBe(had ?? -1);
      if (had === undefined) map.set(id, i);
    } else if (!map.has(id)) {
      idx.add(id, i);
      map.set(id, i);
    }
  });
  expect(idx.size).toBe(map.size);
  for (const [id, v] of map) {
    expect(idx.get(id)).toBe(v);
    expect(idx.at(id)).toBe(v);
    expect(idx.has(id)).toBe(true);
  }
  // ids never stored: next to stored ones, in the same block of 8, far away
  for (const id of [...map.keys()].slice(0, 2000)) for (const d of [1, -1, 8, 4096]) {
    const other = id + d;
    if (!map.has(other)) {
      expect(idx.get(other)).toBeUndefined();
      expect(idx.at(other)).toBe(-1);
      expect(idx.has(other)).toBe(false);
    }
  }
}

describe('IdIndex answers as a Map', () => {
  it('runs of consecutive ids, a grid\'s column strides and repeats (through growth from 1,024 slots)', () => {
    const ids: number[] = [];
    for (let i = 1; i <= 30_000; i++) ids.push(i); // PBF block: ids in sequence
    for (let c = 0; c < 100; c++) for (let r = 0; r < 300; r++) ids.push(1 + c + r * 100); // grid columns (repeats)
    sameAsMap(ids);
  });
  it('random ids up to 2^53, ids above 2^32 in runs, ids equal modulo the table size', () => {
    const r = rng(5), ids: number[] = [];
    for (let i = 0; i < 20_000; i++) ids.push(Math.floor(r() * 2 ** 53));
    for (let i = 0; i < 5_000; i++) ids.push(2 ** 32 + 12_000_000_000 + i, 4_294_967_296 * 3 + i);
    for (let i = 0; i < 5_000; i++) ids.push(i * 2 ** 21, i * 2 ** 32 + 7); // equal low bits (multiples of table sizes), ids above 2^32 with equal low words
    for (let i = 0; i < 3_000; i++) ids.push(ids[Math.floor(r() * ids.length)]); // repeats
    sameAsMap(ids);
  });
});
