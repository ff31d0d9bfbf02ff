/**
 * A minimal OSM PBF writer for the fuzz suite: header block + one data block (DenseNodes and Ways), raw or zlib
 * blobs. Numbers are written as given (no range check), so a case can hold what a hostile file holds.
 */
import { deflateSync, inflateSync } from 'node:zlib';

const varint = (v: number): number[] => {
  const out: number[] = [];
  let x = Math.max(0, Math.floor(v));
  while (x > 127) { out.push((x % 128) | 128); x = Math.floor(x / 128); }
  out.push(x);
  return out;
};
const zigzag = (v: number) => (v < 0 ? -2 * v - 1 : 2 * v);
const key = (field: number, wire: number) => varint(field * 8 + wire);
const bytesField = (field: number, data: ArrayLike<number>): number[] => [...key(field, 2), ...varint(data.length), ...Array.from(data)];
const varintField = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const packed = (field: number, vs: number[]) => bytesField(field, vs.flatMap(varint));
const deltas = (vs: number[]) => vs.map((v, i) => zigzag(v - (i ? vs[i - 1] : 0)));
const utf8 = (s: string) => new TextEncoder().encode(s);

export interface PbfNode { id: number; lat: number; lon: number; tags?: Record<string, string> }
export interface PbfWay { id: number; refs: number[]; tags: Record<string, string> }
export interface PbfOptions { granularity?: number; latOffset?: number; lonOffset?: number; zlib?: boolean }

/** The PrimitiveBlock bytes (uncompressed) for nodes and ways; positions in degrees, stored at `granularity` nanodegrees. */
export function primitiveBlock(nodes: PbfNode[], ways: PbfWay[], o: PbfOptions = {}): Uint8Array {
  const g = o.granularity ?? 100;
  const strings = [''];
  const sid = (s: string) => { let i = strings.indexOf(s); if (i < 0) { i = strings.length; strings.push(s); } return i; };
  const kv: number[] = [];
  for (const n of nodes) { for (const [k, v] of Object.entries(n.tags ?? {})) kv.push(sid(k), sid(v)); kv.push(0); }
  const dense = [
    ...packed(1, deltas(nodes.map((n) => n.id))),
    ...packed(8, deltas(nodes.map((n) => Math.round((n.lat * 1e9 - (o.latOffset ?? 0)) / g)))),
    ...packed(9, deltas(nodes.map((n) => Math.round((n.lon * 1e9 - (o.lonOffset ?? 0)) / g)))),
    ...packed(10, kv),
  ];
  const wayMsgs = ways.map((w) => {
    const ks = Object.keys(w.tags).map(sid), vs = Object.values(w.tags).map(sid);
    return bytesField(3, [...varintField(1, w.id), ...packed(2, ks), ...packed(3, vs), ...packed(8, deltas(w.refs))]);
  });
  const groups = [...bytesField(2, bytesField(2, dense)), ...(ways.length ? bytesField(2, wayMsgs.flat()) : [])];
  const table = strings.flatMap((s) => bytesField(1, utf8(s)));
  const block = [...bytesField(1, table), ...groups, ...varintField(17, g)];
  if (o.latOffset) block.push(...varintField(19, o.latOffset));
  if (o.lonOffset) block.push(...varintField(20, o.lonOffset));
  return Uint8Array.from(block);
}

export const HEADER_BLOCK = Uint8Array.from([...bytesField(4, utf8('OsmSchema-V0.6')), ...bytesField(4, utf8('DenseNodes'))]);

/** One framed file block: length, BlobHeader, Blob (raw or zlib). */
export function frame(type: string, content: Uint8Array, zlib = false): Uint8Array {
  const blob = zlib ? [...varintField(2, content.length), ...bytesField(3, deflateSync(content))] : bytesField(1, content);
  const header = [...bytesField(1, utf8(type)), ...varintField(3, blob.length)];
  const out = new Uint8Array(4 + header.length + blob.length);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, 4);
  out.set(blob, 4 + header.length);
  return out;
}

/** A whole PBF file: header block then the given data blocks. */
export function pbfFile(blocks: Uint8Array[], zlib = false): Uint8Array {
  const parts = [frame('OSMHeader', HEADER_BLOCK, zlib), ...blocks.map((b) => frame('OSMData', b, zlib))];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * Protobuf fields of a message (varints and length-delimited; fixed-size skipped). Like the library, a field that
 * runs past the end is cut and ends the message; an unknown wire type (on which the library throws) gives null.
 */
function fields(msg: Uint8Array): [number, number | Uint8Array][] | null {
  const out: [number, number | Uint8Array][] = [];
  let p = 0;
  const vint = (): number | null => {
    let v = 0, s = 0;
    for (;;) {
      if (p >= msg.length || s > 63) return null;
      const b = msg[p++];
      v += (b & 0x7f) * 2 ** s;
      s += 7;
      if (!(b & 0x80)) return v;
    }
  };
  while (p < msg.length) {
    const k = vint();
    if (k === null) return out;
    const wire = k % 8;
    if (wire === 0) { const v = vint(); if (v === null) return out; out.push([Math.floor(k / 8), v]); }
    else if (wire === 2) { const n = vint(); if (n === null) return out; out.push([Math.floor(k / 8), msg.subarray(p, p + n)]); p += n; }
    else if (wire === 1 || wire === 5) p += wire === 1 ? 8 : 4; // fixed64 / fixed32: skipped, as the library does
    else return null;
  }
  return out;
}
/** The varints of a packed field (a cut-off last one is dropped). */
function packedVarints(b: Uint8Array): number[] {
  const out: number[] = [];
  let v = 0, s = 0;
  for (const x of b) {
    v += (x & 0x7f) * 2 ** s;
    s += 7;
    if (!(x & 0x80)) { out.push(v); v = 0; s = 0; }
  }
  return out;
}

/**
 * Whether a PBF file would make tiny-osmpbf loop forever (a known fault, reported): a DenseNodes block whose
 * keys_vals list is not empty but runs out before every node's tag list has found its 0 key (read pairwise, as the
 * library does). Decoded here independently of the importer.
 */
export function denseTagLoop(file: Uint8Array): boolean {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let pos = 0;
  while (pos + 4 <= file.length) {
    const hl = view.getUint32(pos, false);
    const head = fields(file.subarray(pos + 4, pos + 4 + hl));
    const size = head?.find(([f]) => f === 3)?.[1];
    if (typeof size !== 'number') return false;
    const blob = fields(file.subarray(pos + 4 + hl, pos + 4 + hl + size));
    pos += 4 + hl + size;
    let content = blob?.find(([f]) => f === 1)?.[1];
    const z = blob?.find(([f]) => f === 3)?.[1];
    if (!(content instanceof Uint8Array) && z instanceof Uint8Array) { try { content = inflateSync(z); } catch { content = undefined; } }
    if (!(content instanceof Uint8Array)) continue;
    for (const [f, g] of fields(content) ?? []) {
      if (f !== 2 || !(g instanceof Uint8Array)) continue;
      for (const [gf, dense] of fields(g) ?? []) {
        if (gf !== 2 || !(dense instanceof Uint8Array)) continue;
        const df = fields(dense) ?? [];
        const ids = df.filter(([k]) => k === 1).flatMap(([, v]) => (v instanceof Uint8Array ? packedVarints(v) : [v]));
        const lats = df.filter(([k]) => k === 8).flatMap(([, v]) => (v instanceof Uint8Array ? packedVarints(v) : [v]));
        const kv = df.filter(([k]) => k === 10).flatMap(([, v]) => (v instanceof Uint8Array ? packedVarints(v) : [v]));
        // The library's tag walk: per node, pairs until a 0 key, then past it — past the end it never stops.
        if (kv.length === 0) continue;
        let j = 0;
        for (let n = 0; n < Math.max(ids.length, lats.length); n++) {
          while (kv[j] !== 0) { if (j >= kv.length) return true; j += 2; }
          j++;
        }
      }
    }
  }
  return false;
}
