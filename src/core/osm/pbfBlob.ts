/**
 * The framing of an OSM PBF file: a series of blocks, each a 4-byte big-endian length, a BlobHeader {1: type,
 * 3: datasize}, then a Blob {1: raw, 2: raw_size, 3: zlib_data, …}. Splits a file into its blocks (checked, nothing
 * copied), reads a blob's declared size without inflating it, and inflates one blob into exactly its declared size
 * (inflate.ts inflateBounded: a blob unpacking to more is refused, not grown) with its Adler-32 sum checked. Pure.
 */
import { inflateBounded, type InflateScratch } from './inflate';
import type { Problem } from './malformed';

const MiB = 1024 * 1024;
/** Largest uncompressed block (the PBF format says a blob must be under 32 MiB). */
export const PBF_BLOCK_MAX_BYTES = 32 * MiB;

export const mib = (n: number): string => (n / MiB).toFixed(n < 10 * MiB ? 1 : 0);

/** Reads protobuf fields of a message: varints (wire 0) and length-delimited bytes (wire 2). */
function protoFields(msg: Uint8Array): Map<number, number | Uint8Array> {
  const out = new Map<number, number | Uint8Array>();
  let p = 0;
  const varint = () => {
    let v = 0, shift = 0, b: number;
    do {
      if (p >= msg.length || shift > 49) throw new RangeError('bad varint');
      b = msg[p++];
      v += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return v;
  };
  while (p < msg.length) {
    const key = varint();
    const field = Math.floor(key / 8), wire = key % 8;
    if (wire === 0) out.set(field, varint());
    else if (wire === 2) {
      const len = varint();
      if (p + len > msg.length) throw new RangeError('field past end');
      out.set(field, msg.subarray(p, p + len));
      p += len;
    } else throw new RangeError(`wire type ${wire}`);
  }
  return out;
}

export interface PbfBlock { type: string; blob: Uint8Array }

/** Splits a PBF file into its blocks (views, nothing copied), or says why it cannot. */
export function splitPbf(bytes: Uint8Array): PbfBlock[] | Problem {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: PbfBlock[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const n = blocks.length + 1;
    if (pos + 4 > bytes.length) return { zh: '文件被截断', en: 'the file is truncated' };
    const headerLen = view.getUint32(pos, false);
    pos += 4;
    if (headerLen === 0 || headerLen > 64 * 1024 || pos + headerLen > bytes.length) return { zh: `第 ${n} 个数据块头损坏或被截断`, en: `block ${n} header is damaged or truncated` };
    let type: string, size: number;
    try {
      const h = protoFields(bytes.subarray(pos, pos + headerLen));
      type = new TextDecoder().decode(h.get(1) as Uint8Array);
      size = h.get(3) as number;
    } catch {
      return { zh: `第 ${n} 个数据块头损坏`, en: `block ${n} header is damaged` };
    }
    if (typeof size !== 'number' || type !== (n === 1 ? 'OSMHeader' : 'OSMData')) return { zh: `第 ${n} 个数据块头损坏`, en: `block ${n} header is damaged` };
    pos += headerLen;
    if (pos + size > bytes.length) return { zh: `文件被截断（第 ${n} 个数据块不完整）`, en: `the file is truncated (block ${n} is incomplete)` };
    blocks.push({ type, blob: bytes.subarray(pos, pos + size) });
    pos += size;
  }
  return blocks.length > 1 ? blocks : { zh: '没有数据块', en: 'no data blocks' };
}

/** A blob's payload before inflating: stored raw, or zlib data with its declared uncompressed size. */
export type BlobBody = { raw: Uint8Array } | { zlib: Uint8Array; size: number };

/** Reads a blob's fields (cheap: no inflating), checking the declared size against the per-block maximum. */
export function blobBody(blob: Uint8Array, n: number): BlobBody | Problem {
  let f: Map<number, number | Uint8Array>;
  try { f = protoFields(blob); } catch { return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` }; }
  const raw = f.get(1), size = f.get(2), zlib = f.get(3);
  if (raw instanceof Uint8Array) return { raw };
  if (f.has(4) || f.has(5) || f.has(6) || f.has(7)) return { zh: `第 ${n} 个数据块使用了不支持的压缩方式（仅支持 zlib）`, en: `block ${n} uses an unsupported compression (only zlib is supported)` };
  if (!(zlib instanceof Uint8Array) || typeof size !== 'number' || zlib.length < 6 || (zlib[0] & 0x0f) !== 8) {
    return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` };
  }
  if (size > PBF_BLOCK_MAX_BYTES) {
    return { zh: `第 ${n} 个数据块解压后为 ${mib(size)} MiB，超过 PBF 格式规定的 ${mib(PBF_BLOCK_MAX_BYTES)} MiB 上限`,
      en: `block ${n} unpacks to ${mib(size)} MiB, over the ${mib(PBF_BLOCK_MAX_BYTES)} MiB the PBF format allows` };
  }
  return { zlib, size };
}

/** Declared uncompressed bytes of a blob. */
export const bodyBytes = (b: BlobBody): number => ('raw' in b ? b.raw.length : b.size);

/**
 * Adler-32 of data (RFC 1950): sums reduced every 2,000 bytes, so that they stay small integers (under 2^30: b grows by
 * at most 2,000 × 65,520 + 255 × 2,000 × 2,001 / 2 ≈ 6.4e8), which V8 adds without falling back to doubles.
 */
export function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  const n = data.length;
  for (let i = 0; i < n;) {
    const end = Math.min(i + 2000, n);
    for (; i < end; i++) { a += data[i]; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Uncompressed content of a blob, checked against its declared size and Adler-32 sum: a stream that unpacks to more
 * than declared (a decompression bomb, a lying size) or is damaged cannot be decompressed; less, or other bytes,
 * fail the checksum. With `scratch` the content is a view into a buffer the next call reuses (see InflateScratch).
 */
export function inflateBody(body: BlobBody, n: number, scratch?: InflateScratch): Uint8Array | Problem {
  if ('raw' in body) return body.raw;
  const { zlib, size } = body;
  let out: Uint8Array;
  try { out = inflateBounded(zlib.subarray(2, zlib.length - 4), size, scratch); } catch { return { zh: `第 ${n} 个数据块解压失败`, en: `block ${n} cannot be decompressed` }; }
  const tail = zlib.subarray(zlib.length - 4);
  const want = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
  if (out.length !== size || adler32(out) !== want) return { zh: `第 ${n} 个数据块校验失败（数据损坏）`, en: `block ${n} fails its checksum (damaged data)` };
  return out;
}
