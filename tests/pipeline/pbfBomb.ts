/**
 * Crafted PBF files for the limit tests: a valid header block, then `blocks` identical data blocks, each a
 * PrimitiveBlock of one node and one long run of 'a' in its string table, which zlib packs about 1000:1.
 * `run pbfBombChild.ts <file> [budget]` reads one in a child process and reports the outcome and its peak memory.
 */
import { deflateSync } from 'node:zlib';

const varint = (v: number): number[] => {
  const out: number[] = [];
  while (v > 127) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
};
const field = (n: number, data: Uint8Array | number[]): number[] => [...varint(n * 8 + 2), ...varint(data.length), ...data];
const zigzag = (v: number) => (v < 0 ? -2 * v - 1 : 2 * v);

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let p = 0;
  for (const part of parts) { out.set(part, p); p += part.length; }
  return out;
}

/** One framed block: length, BlobHeader {type, datasize}, Blob. */
function frame(type: string, blob: Uint8Array): Uint8Array {
  const header = new Uint8Array([...field(1, [...new TextEncoder().encode(type)]), 24, ...varint(blob.length)]);
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, header.length, false);
  return concat([len, header, blob]);
}

/** A PBF file whose data blocks each unpack to about `blockBytes` bytes. */
export function pbfBomb(blocks: number, blockBytes: number): Uint8Array {
  const headerBlock = new Uint8Array(field(4, [...new TextEncoder().encode('OsmSchema-V0.6')]));
  const node = [8, ...varint(zigzag(42)), 64, ...varint(zigzag(437_000_000)), 72, ...varint(zigzag(74_000_000))];
  const group = field(2, field(1, node));
  const filler = new Uint8Array(blockBytes - 64).fill(0x61);
  const strings = concat([field(1, []), varint(10), varint(filler.length), filler]); // s: "", "aaaa…"
  const content = concat([varint(10), varint(strings.length), strings, group]);
  const zlib = new Uint8Array(deflateSync(content, { level: 9 }));
  const dataBlob = concat([[16, ...varint(content.length)], field(3, zlib)]);
  const head = frame('OSMHeader', new Uint8Array(field(1, headerBlock)));
  const body = frame('OSMData', dataBlob);
  return concat([head, ...Array.from({ length: blocks }, () => body)]);
}
