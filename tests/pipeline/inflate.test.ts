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
