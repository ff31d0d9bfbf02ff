import { describe, expect, it } from 'vitest';
import { deflateRawSync } from 'node:zlib';
import { gzipSync } from 'node:zlib';
import { PlannerError } from '../../src/core/errors';
import { gunzip, inflateRaw } from '../../src/core/osm/inflate';

/** Deterministic test bytes: text-like (compressible) or noise (stored blocks). */
function sample(n: number, noisy: boolean): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = noisy ? x >>> 24 : 'fire station 消防站 road '.charCodeAt((x >>> 24) % 24) & 0xff;
  }
  return out;
}

describe('inflateRaw', () => {
  it.each([
    ['dynamic Huffman', sample(200_000, false), 9],
    ['fixed Huffman', sample(300, false), 9],
    ['stored blocks', sample(100_000, true), 0],
    ['empty', new Uint8Array(0), 6],
  ])('decodes what zlib compressed (%s)', (_name, data, level) => {
    const packed = deflateRawSync(data, { level });
    const out = new Uint8Array(data.length);
    expect(inflateRaw(new Uint8Array(packed), out)).toBe(data.length);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
  });

  it('throws on truncated data and on output larger than declared', () => {
    const data = sample(50_000, false);
    const packed = new Uint8Array(deflateRawSync(data));
    expect(() => inflateRaw(packed.subarray(0, packed.length >> 1), new Uint8Array(data.length))).toThrow(PlannerError);
    expect(() => inflateRaw(packed, new Uint8Array(data.length - 1))).toThrow(expect.objectContaining({ code: 'bad-compressed-data', detail: 'output larger than declared' }));
  });

  it('gunzip checks the CRC-32 (the table is built per call now) and reports damage as PlannerError', () => {
    const data = sample(100_000, false);
    const gz = new Uint8Array(gzipSync(data));
    expect(Buffer.from(gunzip(gz)).equals(Buffer.from(data))).toBe(true);
    const bad = gz.slice();
    bad[bad.length - 8] ^= 1; // flip a bit of the stored CRC
    expect(() => gunzip(bad)).toThrow(expect.objectContaining({ code: 'bad-compressed-data', zh: '压缩数据损坏', detail: expect.stringMatching(/checksum/) }));
  });
});

describe('inflateRaw table decoder (codes of up to 9 bits by lookup)', () => {
  it('equals zlib on 200 streams of every level and strategy, mixing text, runs and noise', async () => {
    const { constants } = await import('node:zlib');
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const strategies = [constants.Z_DEFAULT_STRATEGY, constants.Z_FIXED, constants.Z_HUFFMAN_ONLY, constants.Z_RLE];
    for (let k = 0; k < 200; k++) {
      const parts: number[] = [];
      for (let j = 0, segs = 1 + Math.floor(rnd() * 5); j < segs; j++) {
        const len = Math.floor(rnd() * 40_000), kind = rnd();
        for (let i = 0; i < len; i++) parts.push(kind < 0.3 ? Math.floor(rnd() * 256) : kind < 0.6 ? (i * 7 + j) % 13 : 'osm node way '.charCodeAt(i % 13) ^ (rnd() < 0.05 ? 1 : 0));
      }
      const data = Uint8Array.from(parts);
      const out = new Uint8Array(data.length);
      expect(inflateRaw(deflateRawSync(data, { level: k % 10, strategy: strategies[k % 4] }), out)).toBe(data.length);
      expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    }
  });

  it('a stored block right after a Huffman block starts at the right byte (hand-made stream)', () => {
    const bytes: number[] = [];
    let acc = 0, n = 0;
    const bit = (b: number) => { acc |= b << n; if (++n === 8) { bytes.push(acc); acc = 0; n = 0; } };
    const lsb = (v: number, len: number) => { for (let i = 0; i < len; i++) bit((v >>> i) & 1); };
    const msb = (v: number, len: number) => { for (let i = len - 1; i >= 0; i--) bit((v >>> i) & 1); };
    lsb(0, 1); lsb(1, 2); // not last, fixed Huffman
    for (const c of 'ABCDEFG') msb(0x30 + c.charCodeAt(0), 8); // literals 0–143: 8-bit codes from 00110000
    msb(0, 7); // end of block
    lsb(1, 1); lsb(0, 2); // last, stored
    if (n) bytes.push(acc);
    bytes.push(5, 0, 0xfa, 0xff, ...[...'hello'].map((c) => c.charCodeAt(0)));
    const out = new Uint8Array(12);
    expect(inflateRaw(Uint8Array.from(bytes), out)).toBe(12);
    expect(new TextDecoder().decode(out)).toBe('ABCDEFGhello');
  });
});
