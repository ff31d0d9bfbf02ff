import { describe, expect, it } from 'vitest';
import { inRing, inRingBy, traceCells } from './cellTrace';

/** Vertex id → [x, y] in cell units for a W-wide mask. */
const xy = (v: number, W: number): [number, number] => [v % (W + 1), Math.floor(v / (W + 1))];
const signedArea = (ring: [number, number][]) => ring.reduce((a, p, i) => { const q = ring[(i + 1) % ring.length]; return a + p[0] * q[1] - q[0] * p[1]; }, 0) / 2;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('traceCells (the one raster tracer)', () => {
  it('a 3 × 3 block with its centre cell missing: one polygon, one hole, area 8', () => {
    const mask = [1, 1, 1, 1, 0, 1, 1, 1, 1];
    const t = traceCells(mask, 3, 3);
    expect(t.cells).toBe(8);
    expect(t.polygons).toHaveLength(1);
    const [outer, hole] = t.polygons[0].map((r) => r.map((v) => xy(v, 3)));
    expect(signedArea(outer)).toBe(9);
    expect(signedArea(hole)).toBe(-1);
    expect(new Set(hole.map((p) => p.join(',')))).toEqual(new Set(['1,1', '2,1', '2,2', '1,2']));
  });

  it('cells touching only at a corner are separate polygons (both diagonals)', () => {
    for (const mask of [[1, 0, 0, 1], [0, 1, 1, 0]]) {
      const t = traceCells(mask, 2, 2);
      expect(t.polygons).toHaveLength(2);
      for (const p of t.polygons) {
        expect(p).toHaveLength(1);
        expect(signedArea(p[0].map((v) => xy(v, 2)))).toBe(1);
      }
    }
    // A ring of cells closed only through a diagonal contact keeps its hole apart from the outside.
    const ring = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0];
    const t = traceCells(ring, 4, 4);
    const total = t.polygons.flat().reduce((a, r) => a + signedArea(r.map((v) => xy(v, 4))), 0);
    expect(total).toBe(8);
  });

  it('random masks: area equals the cell count and each cell centre is inside exactly when marked (brute force)', () => {
    const rnd = random(7);
    for (let trial = 0; trial < 40; trial++) {
      const W = 3 + Math.floor(rnd() * 14), H = 3 + Math.floor(rnd() * 14), p = 0.3 + rnd() * 0.5;
      const mask: number[] = Array.from({ length: W * H }, () => (rnd() < p ? 1 : 0));
      const t = traceCells(mask, W, H);
      expect(t.cells).toBe(mask.reduce((a, b) => a + b, 0));
      let area = 0;
      for (const poly of t.polygons) {
        const rings = poly.map((r) => r.map((v) => xy(v, W)));
        expect(signedArea(rings[0])).toBeGreaterThan(0); // outer counter-clockwise
        for (const h of rings.slice(1)) expect(signedArea(h)).toBeLessThan(0); // holes clockwise
        area += rings.reduce((a, r) => a + signedArea(r), 0);
      }
      expect(area).toBe(t.cells);
      for (let j = 0; j < H; j++)
        for (let i = 0; i < W; i++) {
          const inside = t.polygons.some((poly) => {
            const rings = poly.map((r) => r.map((v) => xy(v, W)));
            return inRing(rings[0], i + 0.5, j + 0.5) && !rings.slice(1).some((h) => inRing(h, i + 0.5, j + 0.5));
          });
          expect(inside, `trial ${trial} cell ${i},${j}`).toBe(mask[i + j * W] === 1);
        }
    }
  });

  it('inRingBy: even–odd on a concave ring', () => {
    const u = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3]];
    const test = (x: number, y: number) => inRingBy(u.length, (i) => u[i][0], (i) => u[i][1], x, y);
    expect([test(0.5, 2), test(1.5, 2), test(2.5, 2), test(1.5, 0.5), test(4, 1)]).toEqual([true, false, true, true, false]);
  });
});
