/**
 * The packed index (spatialPack.ts) against brute force and against flatbush filled with add() + finish(): the same
 * hit sets for random boxes and queries at every tree depth, the same nearest distances; the Hilbert key is a
 * Hilbert curve; the radix order is a stable sort by key.
 */
import Flatbush from 'flatbush';
import { describe, expect, it } from 'vitest';
import { hilbertKey, pairBoxIndex, pointsExtent, radixRanks } from './spatialPack';
import { rng } from './optimize/testMatrix';

/** Random boxes as point pairs (x, y of both corners, in random corner order), some points shared, some boxes flat. */
function randomBoxes(seed: number, count: number) {
  const r = rng(seed);
  const span = 10 ** (1 + r() * 4), size = span * (r() < 0.5 ? 0.01 : 0.2);
  const np = 2 * count + 1;
  const x = new Float64Array(np), y = new Float64Array(np);
  for (let i = 0; i < np; i += 2) {
    x[i] = (r() - 0.5) * span;
    y[i] = (r() - 0.5) * span;
    const flat = r() < 0.1;
    x[i + 1] = x[i] + (r() - 0.5) * size;
    y[i + 1] = flat ? y[i] : y[i] + (r() - 0.5) * size;
  }
  const from = new Uint32Array(count), to = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    from[i] = r() < 0.1 && i > 0 ? to[i - 1] : 2 * i; // a shared end point, as road segments share nodes
    to[i] = 2 * i + 1;
    if (r() < 0.5) [from[i], to[i]] = [to[i], from[i]];
  }
  // the items: every pair, or some of them in rising order (as the indexed segments among all edges)
  const all = r() < 0.5;
  const items = Uint32Array.from({ length: count }, (_, i) => i).filter(() => all || r() < 0.7);
  return { r, x, y, from, to, items, span };
}

const boxOf = (b: ReturnType<typeof randomBoxes>, i: number) => {
  const it = b.items[i], xa = b.x[b.from[it]], xb = b.x[b.to[it]], ya = b.y[b.from[it]], yb = b.y[b.to[it]];
  return [Math.min(xa, xb), Math.min(ya, yb), Math.max(xa, xb), Math.max(ya, yb)];
};

describe('hilbertKey', () => {
  it('is a Hilbert curve: every aligned 16 × 16 block is one run of keys, each step to a side neighbour', () => {
    const r = rng(7);
    for (let k = 0; k < 50; k++) {
      const bx = Math.floor(r() * 4096) * 16, by = Math.floor(r() * 4096) * 16;
      const cells: [number, number, number][] = [];
      for (let i = 0; i < 16; i++) for (let j = 0; j < 16; j++) cells.push([hilbertKey(bx + i, by + j), bx + i, by + j]);
      cells.sort((a, b) => a[0] - b[0]);
      expect(cells[0][0] % 256).toBe(0);
      for (let i = 1; i < cells.length; i++) {
        expect(cells[i][0]).toBe(cells[i - 1][0] + 1);
        expect(Math.abs(cells[i][1] - cells[i - 1][1]) + Math.abs(cells[i][2] - cells[i - 1][2])).toBe(1);
      }
    }
  });

  it('fills the whole grid: the aligned 256 × 256 blocks, by key, are a side-neighbour path over 0 … 2^32 − 1', () => {
    const cells: [number, number, number][] = [];
    for (let i = 0; i < 256; i++) for (let j = 0; j < 256; j++) cells.push([Math.floor(hilbertKey(i * 256 + (i % 7), j * 256 + (j % 5)) / 65536), i, j]);
    cells.sort((a, b) => a[0] - b[0]);
    cells.forEach(([k], i) => expect(k).toBe(i));
    for (let i = 1; i < cells.length; i++) expect(Math.abs(cells[i][1] - cells[i - 1][1]) + Math.abs(cells[i][2] - cells[i - 1][2])).toBe(1);
    expect(hilbertKey(0, 0)).toBe(0);
    expect(Math.max(hilbertKey(65535, 0), hilbertKey(0, 65535))).toBe(2 ** 32 - 1); // ends at a corner next to the start
  });
});

describe('radixRanks', () => {
  it('ranks as a stable sort by unsigned key (random keys over the whole 32-bit range, many ties)', () => {
    const r = rng(11);
    for (const n of [0, 1, 2, 100, 70_000]) {
      const keys = Uint32Array.from({ length: n }, () => (r() < 0.3 ? Math.floor(r() * 8) * 0x10001 : Math.floor(r() * 2 ** 32)));
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
      const want = new Array<number>(n);
      order.forEach((item, pos) => { want[item] = pos; });
      expect(Array.from(radixRanks(keys))).toEqual(want);
    }
  });
});

describe('pairBoxIndex', () => {
  it('no item: no index', () => {
    expect(pairBoxIndex(new Float64Array(2), new Float64Array(2), new Uint32Array(1), new Uint32Array([1]), new Uint32Array(0))).toBeNull();
  });

  it.each([1, 2, 15, 16, 17, 255, 256, 257, 4_097, 20_000])('%i boxes: search hit sets as brute force and as flatbush add() + finish(); nearest distances as brute force', (count) => {
    for (let seed = 1; seed <= (count > 5000 ? 2 : 6); seed++) {
      const b = randomBoxes(count * 1000 + seed, count);
      // the extent given or computed: the same tree
      const index = pairBoxIndex(b.x, b.y, b.from, b.to, b.items);
      if (index) expect(new Uint8Array(pairBoxIndex(b.x, b.y, b.from, b.to, b.items, 16, pointsExtent(b.x, b.y))!.data)).toEqual(new Uint8Array(index.data));
      const n = b.items.length;
      if (n === 0) { expect(index).toBeNull(); continue; }
      const flat = new Flatbush(n);
      for (let i = 0; i < n; i++) flat.add(...(boxOf(b, i) as [number, number, number, number]));
      flat.finish();
      expect(index!.numItems).toBe(n);
      expect([index!.minX, index!.minY, index!.maxX, index!.maxY]).toEqual([flat.minX, flat.minY, flat.maxX, flat.maxY]);
      expect(index!.data.byteLength).toBe(flat.data.byteLength);
      expect(new Uint8Array(index!.data, 0, 8)).toEqual(new Uint8Array(flat.data, 0, 8));
      const boxes = Array.from({ length: n }, (_, i) => boxOf(b, i));
      for (let q = 0; q < 60; q++) {
        const cx = (b.r() - 0.5) * b.span * 1.2, cy = (b.r() - 0.5) * b.span * 1.2, w = b.r() * b.span * (q % 3 === 0 ? 0.5 : 0.02);
        const qb = [cx - w, cy - w * b.r(), cx + w * b.r(), cy + w];
        const want = boxes.flatMap((bx, i) => (bx[0] <= qb[2] && bx[2] >= qb[0] && bx[1] <= qb[3] && bx[3] >= qb[1] ? [i] : []));
        const got = index!.search(qb[0], qb[1], qb[2], qb[3]).sort((p, s) => p - s);
        expect(got).toEqual(want);
        expect(flat.search(qb[0], qb[1], qb[2], qb[3]).sort((p, s) => p - s)).toEqual(want);
        // the k nearest boxes: the same distances as brute force (ties may list other boxes)
        const d2 = (bx: number[]) => Math.max(bx[0] - cx, cx - bx[2], 0) ** 2 + Math.max(bx[1] - cy, cy - bx[3], 0) ** 2;
        const k = 1 + (q % 5);
        const near = index!.neighbors(cx, cy, k).map((i) => d2(boxes[i]));
        expect(near).toEqual(boxes.map(d2).sort((p, s) => p - s).slice(0, k));
      }
      // a box on one item finds it (every item is reachable)
      for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 50))) expect(index!.search(...(boxes[i] as [number, number, number, number]))).toContain(i);
    }
  });
});
