/**
 * zigzagSums and zigzagRefs (src/core/osm/pbfWire.ts), the inlined varint loops of dense nodes and way refs, against Cursor.varint
 * (the reader every other field uses): random packed lists with numbers of 1 to 7 bytes, negative and positive
 * deltas, ids above 2^32, and broken lists (a number of 8 bytes, a list cut inside its last number).
 */
import { describe, expect, it } from 'vitest';
import { Cursor, zigzagRefs, zigzagSums } from '../../src/core/osm/pbfWire';

const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const varint = (v: number): number[] => {
  const out: number[] = [];
  while (v > 127) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
};
const zigzag = (d: number) => (d < 0 ? -2 * d - 1 : 2 * d);

/** What the decoder did before: Cursor.varint per number, float zigzag, summed; null on a fault. */
function reference(b: Uint8Array, scale: boolean, off: number, div: number): number[] | null {
  const c = new Cursor(b), out: number[] = [];
  let acc = 0;
  while (c.p < b.length) {
    const v = c.varint(b.length);
    if (c.bad) return null;
    acc += v % 2 === 1 ? (v + 1) / -2 : v / 2;
    out.push(scale ? off + acc / div : acc);
  }
  return out;
}

describe('zigzagSums reads packed lists as Cursor.varint', () => {
  it('4,000 random lists: numbers of every length, scaled and not; broken lists refused alike', () => {
    const r = rng(3);
    for (let t = 0; t < 4000; t++) {
      const bytes: number[] = [];
      const n = Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        const bits = [3, 7, 14, 21, 28, 35, 42, 48][Math.floor(r() * 8)];
        const d = Math.floor(r() * 2 ** bits) * (r() < 0.5 ? -1 : 1);
        bytes.push(...varint(zigzag(d)));
      }
      if (r() < 0.1) bytes.push(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01); // 8 bytes: refused
      if (r() < 0.1) bytes.push(0x80 | Math.floor(r() * 128)); // cut inside a number
      const b = Uint8Array.from(bytes);
      const scale = r() < 0.5, off = scale ? r() * 100 - 50 : 0, div = scale ? 1e7 : 1;
      const want = reference(b, scale, off, div), sums = reference(b, false, 0, 1);
      const got = new Float64Array(b.length), arr: number[] = [];
      const count = zigzagSums(b, 0, b.length, got, off, div), ok = count >= 0;
      expect(ok).toBe(want !== null);
      if (want) expect(count).toBe(want.length);
      expect(zigzagRefs(b, 0, b.length, arr)).toBe(ok);
      if (want && want.length > 1) expect(zigzagSums(b, 0, b.length, new Float64Array(want.length - 1), off, div)).toBe(want.length); // past the end: dropped, still counted
      if (want) {
        expect([...got.subarray(0, want.length)]).toEqual(want);
        expect(arr).toEqual(sums);
      }
    }
  });
});
