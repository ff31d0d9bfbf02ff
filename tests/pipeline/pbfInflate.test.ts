/**
 * PBF blobs are inflated with fflate (inflate.ts inflateBounded) instead of our own decoder (inflateRaw, kept for
 * gzip and as the reference here). fflate is held to the blob's declared raw_size by the way it is called (one call
 * into a buffer one byte longer than declared for short streams, 32 KiB pieces with the output counted after each
 * for longer ones). These tests show that it inflates what zlib wrote exactly as inflateRaw does; that a block
 * unpacking to more than it declares (a lie or a bomb) is still refused with the same error as before, on both
 * paths; and that damaged, cut or lying blocks still give the same clear errors.
 */
import { describe, expect, it } from 'vitest';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { PlannerError } from '../../src/core/errors';
import { inflateBounded, inflateRaw, INFLATE_ONE_CALL_BYTES } from '../../src/core/osm/inflate';
import { adler32, inflateBody } from '../../src/core/osm/pbfBlob';
import { readOsm } from '../../src/core/osm/read';
import { mutateBytes, Rng } from '../fuzz/gen';
import { HEADER_BLOCK, frame, primitiveBlock } from '../fuzz/pbf';

/** Deterministic bytes (xorshift32): text-like (about 2 : 1 for zlib) or noise (stored blocks). */
function sample(n: number, noisy: boolean, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = noisy ? x >>> 24 : 'fire station 消防站 road '.charCodeAt((x >>> 8) % 24) & 0xff;
  }
  return out;
}

const refused = (f: () => unknown) => {
  try { f(); } catch (e) { return e as PlannerError; }
  throw new Error('not refused');
};

describe('inflateBounded (fflate) equals inflateRaw and zlib', () => {
  it.each([
    ['short text (one call)', sample(20_000, false), 6],
    ['long text (pieces)', sample(3_000_000, false), 9],
    ['long noise, stored blocks (pieces)', sample(1_200_000, true), 0],
    ['fixed Huffman', sample(300, false), 9],
  ])('%s', (_name, data, level) => {
    const packed = new Uint8Array(deflateRawSync(data, { level }));
    const out = inflateBounded(packed, data.length);
    expect(out.length).toBe(data.length);
    expect(Buffer.from(out).equals(Buffer.from(data))).toBe(true);
    const ref = new Uint8Array(data.length);
    expect(inflateRaw(packed, ref)).toBe(data.length);
    expect(Buffer.from(ref).equals(Buffer.from(out))).toBe(true);
  });

  it('both paths are exercised by the PBF blocks of real sizes (short and long streams)', () => {
    expect(deflateRawSync(sample(20_000, false)).length).toBeLessThanOrEqual(INFLATE_ONE_CALL_BYTES);
    expect(deflateRawSync(sample(3_000_000, false)).length).toBeGreaterThan(INFLATE_ONE_CALL_BYTES);
    expect(deflateRawSync(sample(1_200_000, true), { level: 0 }).length).toBeGreaterThan(INFLATE_ONE_CALL_BYTES);
  });
});

describe('a stream unpacking to more than declared is refused (bomb, lying size)', () => {
  const cases: [string, Uint8Array][] = [
    ['short stream (one call)', sample(50_000, false)],
    ['long stream (pieces)', sample(3_000_000, false)],
  ];
  it.each(cases)('%s: one byte more than declared', (_name, data) => {
    const packed = new Uint8Array(deflateRawSync(data));
    const e = refused(() => inflateBounded(packed, data.length - 1));
    expect(e).toBeInstanceOf(PlannerError);
    expect(e).toMatchObject({ code: 'bad-compressed-data', detail: 'output larger than declared' });
    // the reference decoder says the same
    expect(() => inflateRaw(packed, new Uint8Array(data.length - 1))).toThrow(expect.objectContaining({ detail: 'output larger than declared' }));
  });

  it('a 1000:1 bomb declaring 1 KiB (256 MiB of zeros) is refused on both paths, never unpacked whole', () => {
    const zeros = new Uint8Array(256 * 1024 * 1024);
    // one call: ~255 KB of stream
    const short = new Uint8Array(deflateRawSync(zeros, { level: 9 }));
    expect(short.length).toBeLessThanOrEqual(INFLATE_ONE_CALL_BYTES);
    expect(() => inflateBounded(short, 1024)).toThrow(expect.objectContaining({ code: 'bad-compressed-data', detail: 'output larger than declared' }));
    // pieces: 1.2 MB of noise (stored) then the zeros; declared: the noise and 1 KiB more
    const noise = sample(1_200_000, true);
    const both = new Uint8Array(noise.length + zeros.length);
    both.set(noise);
    const long = new Uint8Array(deflateRawSync(both, { level: 1 }));
    expect(long.length).toBeGreaterThan(INFLATE_ONE_CALL_BYTES);
    const before = process.memoryUsage().arrayBuffers;
    expect(() => inflateBounded(long, noise.length + 1024)).toThrow(expect.objectContaining({ code: 'bad-compressed-data', detail: 'output larger than declared' }));
    // refused within a piece past the size (32 KiB of stream, ≤ 33 MiB unpacked), not after 256 MiB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(128 * 1024 * 1024);
  });

  it('cut or empty streams are refused as damaged', () => {
    for (const data of [sample(50_000, false), sample(1_000_000, false)]) {
      const packed = new Uint8Array(deflateRawSync(data));
      for (const keep of [0, 1, packed.length >> 1, packed.length - 1]) {
        expect(() => inflateBounded(packed.subarray(0, keep), data.length), `keep ${keep}`).toThrow(expect.objectContaining({ code: 'bad-compressed-data' }));
      }
    }
  });
});

/** Old behaviour of a blob: inflateRaw into the declared size, then the Adler-32 check (pbf.ts before fflate). */
function oldBody(zlib: Uint8Array, size: number): Uint8Array | 'refused' {
  const out = new Uint8Array(size);
  let got: number;
  try { got = inflateRaw(zlib.subarray(2, zlib.length - 4), out); } catch { return 'refused'; }
  const t = zlib.subarray(zlib.length - 4);
  return got === size && adler32(out) === (((t[0] << 24) | (t[1] << 16) | (t[2] << 8) | t[3]) >>> 0) ? out : 'refused';
}

describe('blobs: the same blocks accepted (same bytes) and refused as with the old inflater', () => {
  it('1,000 mutated zlib blobs of both lengths, with true and lying sizes', () => {
    const rng = new Rng(7);
    let accepted = 0, rejected = 0;
    const sources = [sample(30_000, false, 1), sample(2_400_000, false, 2)].map((d) => ({ d, z: new Uint8Array(deflateSync(d)) }));
    expect(sources.map((x) => x.z.length > INFLATE_ONE_CALL_BYTES)).toEqual([false, true]);
    for (let k = 0; k < 1000; k++) {
      const { d, z } = sources[k % 40 === 0 ? 1 : 0]; // (the long one in 25 cases: mutating it is slow)
      const zlib = rng.chance(0.2) ? z : mutateBytes(rng, z);
      const size = rng.chance(0.7) ? d.length : d.length + rng.int(200) - 100;
      if (zlib.length < 6) continue;
      const want = oldBody(zlib, size);
      const got = inflateBody({ zlib, size }, 2);
      if (want === 'refused') {
        expect(got instanceof Uint8Array, `case ${k}`).toBe(false);
        rejected++;
      } else {
        expect(got instanceof Uint8Array && Buffer.from(got).equals(Buffer.from(want)), `case ${k}`).toBe(true);
        accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(150);
  });
});

/** A PBF file with one data block whose blob is given as (declared raw_size, zlib bytes). */
function pbfWithBlob(size: number, zlib: Uint8Array): Uint8Array {
  const v = (x: number) => { const o: number[] = []; while (x > 127) { o.push((x % 128) | 128); x = Math.floor(x / 128); } o.push(x); return o; };
  const blob = Uint8Array.from([16, ...v(size), 26, ...v(zlib.length), ...zlib]);
  const type = new TextEncoder().encode('OSMData');
  const header = Uint8Array.from([10, type.length, ...type, 24, ...v(blob.length)]);
  const head = frame('OSMHeader', HEADER_BLOCK, true);
  const out = new Uint8Array(head.length + 4 + header.length + blob.length);
  out.set(head);
  new DataView(out.buffer).setUint32(head.length, header.length, false);
  out.set(header, head.length + 4);
  out.set(blob, head.length + 4 + header.length);
  return out;
}

describe('readOsm on PBF blocks that lie about their size, are cut or damaged: the same errors as before', () => {
  const node = (id: number) => ({ id, lat: 43.73 + id * 1e-5, lon: 7.42, tags: { name: `n${id}` } });
  // a short block (one call) and a long one (pieces): the long one carries a string of noise that zlib cannot shrink
  const noise = Array.from(sample(2_500_000, true), (b) => String.fromCharCode(97 + (b % 26))).join('');
  const blocks: [string, Uint8Array][] = [
    ['short', primitiveBlock([node(1), node(2)], [{ id: 5, refs: [1, 2], tags: { highway: 'residential' } }])],
    ['long', primitiveBlock([node(1), { ...node(2), tags: { note: noise } }], [{ id: 5, refs: [1, 2], tags: { highway: 'residential' } }])],
  ];
  const message = (f: () => unknown) => {
    const e = refused(f);
    return { code: e.code, zh: e.zh, en: e.en };
  };
  it.each(blocks)('%s block', (name, content) => {
    const zlib = new Uint8Array(deflateSync(content));
    expect(zlib.length > INFLATE_ONE_CALL_BYTES).toBe(name === 'long');
    // the truthful file reads
    const ok = readOsm(pbfWithBlob(content.length, zlib), 'ok.osm.pbf');
    expect(ok.nodes.size).toBe(2);
    expect(ok.ways.map((w) => w.nodes)).toEqual([[1, 2]]);
    const cannot = {
      code: 'bad-osm',
      zh: '无法读取 OSM 文件「x.osm.pbf」：PBF 数据损坏：第 2 个数据块解压失败',
      en: 'Cannot read OSM file "x.osm.pbf": damaged PBF data: block 2 cannot be decompressed',
    };
    const checksum = {
      code: 'bad-osm',
      zh: '无法读取 OSM 文件「x.osm.pbf」：PBF 数据损坏：第 2 个数据块校验失败（数据损坏）',
      en: 'Cannot read OSM file "x.osm.pbf": damaged PBF data: block 2 fails its checksum (damaged data)',
    };
    // unpacks to more than declared: by one byte, and by far
    expect(message(() => readOsm(pbfWithBlob(content.length - 1, zlib), 'x.osm.pbf'))).toEqual(cannot);
    expect(message(() => readOsm(pbfWithBlob(10, zlib), 'x.osm.pbf'))).toEqual(cannot);
    // to less than declared
    expect(message(() => readOsm(pbfWithBlob(content.length + 1, zlib), 'x.osm.pbf'))).toEqual(checksum);
    // the deflate stream cut short (the blob framed around what is left)
    expect(message(() => readOsm(pbfWithBlob(content.length, zlib.slice(0, zlib.length >> 1)), 'x.osm.pbf'))).toEqual(cannot);
    // a wrong Adler-32 sum
    const bad = zlib.slice();
    bad[bad.length - 1] ^= 1;
    expect(message(() => readOsm(pbfWithBlob(content.length, bad), 'x.osm.pbf'))).toEqual(checksum);
    // the same answers with the old inflater
    expect(oldBody(zlib, content.length - 1)).toBe('refused');
    expect(oldBody(bad, content.length)).toBe('refused');
  });
});

describe('adler32 (kept: a few ms per MiB, and the only check of what fflate unpacked)', () => {
  it('equals zlib’s on all-0xFF runs (the largest sums) and mixed bytes of every length around its 2,000-byte chunks', () => {
    for (const n of [0, 1, 1999, 2000, 2001, 4001, 100_000, 3_000_000]) {
      for (const d of [new Uint8Array(n).fill(255), sample(n, true, n + 1)]) {
        const z = deflateSync(d);
        expect(adler32(d), `${n}`).toBe(z.readUInt32BE(z.length - 4));
      }
    }
  });
});
