import { describe, expect, it } from 'vitest';
import { FROM_SOURCE, Search } from './search';
import { expandTurns } from './turns';

/** A w × h lattice joined both ways, weights from `weight(k)` (small integers: many equal times). */
function lattice(w: number, h: number, weight: (k: number) => number) {
  const n = w * h, adj: number[][] = Array.from({ length: n }, () => []);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = x + y * w;
      if (x + 1 < w) { adj[v].push(v + 1); adj[v + 1].push(v); }
      if (y + 1 < h) { adj[v].push(v + w); adj[v + w].push(v); }
    }
  const first = new Uint32Array(n + 1);
  adj.forEach((a, v) => { first[v + 1] = first[v] + a.length; });
  const target = Uint32Array.from(adj.flat());
  const wts = Float64Array.from(target, (_t, k) => weight(k));
  return expandTurns({ nodeCount: n, first, target, weight: wts, sequences: [], split: null, penalty: null });
}

/** Times and fastest sources of a whole-graph run from `seeds` ([node, seconds] each), by settle or settleAll. */
function runBy(s: Search, seeds: [number, number][], all: boolean) {
  s.start();
  seeds.forEach(([v, d], k) => s.relax(v, d, k, FROM_SOURCE));
  if (all) s.settleAll();
  else s.settle(Infinity);
  const n = s.g.nodes;
  return {
    time: Float64Array.from({ length: n }, (_, v) => s.final(v)),
    origin: Int32Array.from({ length: n }, (_, v) => (s.final(v) < Infinity ? s.origin[v] : -1)),
    count: s.count, exhausted: s.exhausted,
  };
}

describe('Search.settleAll (whole-graph multi-source run without decrease-key)', () => {
  it('gives settle\'s times and fastest sources exactly, ties included (lattice of equal weights, equal seeds)', () => {
    let r = 7;
    const rnd = () => ((r = (r * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (const weight of [() => 1, (k: number) => 1 + (k % 3), () => 1 + Math.floor(rnd() * 4), () => 0.1 + rnd() * 9]) {
      const g = lattice(40, 30, weight);
      const s = new Search(g);
      expect(s.orderFree).toBe(true);
      // Sources on a lattice of their own plus pairs seeded at the same node and time (ties by source index).
      const seeds: [number, number][] = [];
      for (let k = 0; k < 24; k++) seeds.push([Math.floor(rnd() * g.nodes), Math.floor(rnd() * 3)]);
      seeds.push([seeds[5][0], seeds[5][1]], [seeds[9][0], 0]);
      const a = runBy(s, seeds, false), b = runBy(s, seeds, true);
      expect(b.count).toBe(g.nodes);
      expect(b.exhausted).toBe(true);
      expect(Array.from(b.time)).toEqual(Array.from(a.time));
      expect(Array.from(b.origin)).toEqual(Array.from(a.origin));
      // And a later plain run on the same buffers is unaffected.
      expect(runBy(s, seeds.slice(0, 3), false).time).toEqual(runBy(new Search(g), seeds.slice(0, 3), false).time);
    }
  });

  it('is not offered where a zero (or near-zero) weight makes equal times order-dependent', () => {
    expect(new Search(lattice(5, 5, (k) => (k === 3 ? 0 : 1))).orderFree).toBe(false);
    expect(new Search(lattice(5, 5, (k) => (k === 3 ? 1e-9 : 1))).orderFree).toBe(false);
    expect(new Search(lattice(5, 5, () => 1)).orderFree).toBe(true);
  });
});
