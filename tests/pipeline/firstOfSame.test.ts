/**
 * firstOfSameCoordinates on large inputs where equal points are rare (the bit-set filter keeps only the points that
 * may have an equal one): the same answer as a Map keyed by the coordinates.
 */
import { describe, expect, it } from 'vitest';
import { firstOfSameCoordinates } from '../../src/core/sameCoordinates';
import { rng } from '../../src/core/optimize/testMatrix';

function byMap(x: Int32Array, y: Int32Array): Int32Array | null {
  const first = new Map<string, number>(), out = new Int32Array(x.length);
  let any = false;
  for (let i = 0; i < x.length; i++) {
    const k = `${x[i]},${y[i]}`, f = first.get(k);
    if (f === undefined) { first.set(k, i); out[i] = i; } else { out[i] = f; any = true; }
  }
  return any ? out : null;
}

describe('firstOfSameCoordinates: rare equal points among many', () => {
  it('300 k random points with 0, 1 and 200 repeats (a repeat of a repeat included): as a Map', () => {
    const r = rng(21), n = 300_000;
    for (const repeats of [0, 1, 200]) {
      const x = new Int32Array(n), y = new Int32Array(n);
      for (let i = 0; i < n; i++) { x[i] = Math.floor(r() * 4e8) - 2e8; y[i] = Math.floor(r() * 2e8) - 1e8; }
      for (let k = 0; k < repeats; k++) {
        const i = 1 + Math.floor(r() * (n - 1)), j = Math.floor(r() * i);
        x[i] = x[j]; y[i] = y[j];
      }
      const got = firstOfSameCoordinates(x, y, n), want = byMap(x, y);
      if (want === null) expect(got).toBeNull();
      else expect(got !== null && Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    }
  });

  it('a 600 × 600 lattice (as the grid) with its first row repeated at the end: as a Map', () => {
    const side = 600, n = side * side + side;
    const x = new Int32Array(n), y = new Int32Array(n);
    for (let p = 0; p < side * side; p++) { x[p] = 1_120_000_000 + (p % side) * 4834; y[p] = 217_000_000 + Math.floor(p / side) * 4491; }
    for (let c = 0; c < side; c++) { x[side * side + c] = x[c]; y[side * side + c] = y[c]; }
    expect(firstOfSameCoordinates(x, y, side * side)).toBeNull();
    const got = firstOfSameCoordinates(x, y, n)!;
    expect(Buffer.from(got.buffer).equals(Buffer.from(byMap(x, y)!.buffer))).toBe(true);
  });
});
