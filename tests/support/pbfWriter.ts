/**
 * A small OSM PBF writer for tests and the import bench (not used by the app): DenseNodes, ways and relations in
 * zlib-compressed blocks of up to `perBlock` elements, protobuf encoded by hand. Files it writes are SYNTHETIC data.
 */
import { deflateSync } from 'node:zlib';
import type { OsmMember, OsmNode, OsmWay, OsmRelation, Tags } from '../../src/core/osm/types';

/** Growable protobuf byte buffer. */
class Proto {
  buf = new Uint8Array(1024);
  len = 0;
  private room(n: number) {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  varint(v: number): this {
    this.room(10);
    while (v > 127) { this.buf[this.len++] = (v % 128) | 128; v = Math.floor(v / 128); }
    this.buf[this.len++] = v;
    return this;
  }
  /** zigzag sint64 (safe integers) */
  svarint(v: number): this { return this.varint(v < 0 ? -2 * v - 1 : 2 * v); }
  key(field: number, wire: number): this { return this.varint(field * 8 + wire); }
  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2).varint(data.length);
    this.room(data.length);
    this.buf.set(data, this.len);
    this.len += data.length;
    return this;
  }
  uint(field: number, v: number): this { return this.key(field, 0).varint(v); }
  sint(field: number, v: number): this { return this.key(field, 0).svarint(v); }
  packed(field: number, values: readonly number[], zigzag = false, delta = false): this {
    if (!values.length) return this;
    const p = new Proto();
    let prev = 0;
    for (const v of values) {
      const x = delta ? v - prev : v;
      prev = v;
      if (zigzag) p.svarint(x); else p.varint(x);
    }
    return this.bytes(field, p.done());
  }
  done(): Uint8Array { return this.buf.subarray(0, this.len); }
}

const utf8 = new TextEncoder();

/** A string table for one block: index 0 is the empty string as the format requires. */
class Strings {
  list: string[] = [''];
  index = new Map<string, number>([['', 0]]);
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) { i = this.list.length; this.list.push(s); this.index.set(s, i); }
    return i;
  }
  encode(): Uint8Array {
    const p = new Proto();
    for (const s of this.list) p.bytes(1, utf8.encode(s));
    return p.done();
  }
}

const GRANULARITY = 100; // nanodegrees per unit (the format's default)

function frame(type: string, raw: Uint8Array, compress: boolean): Uint8Array {
  const blob = new Proto();
  if (compress) blob.uint(2, raw.length).bytes(3, deflateSync(raw));
  else blob.bytes(1, raw);
  const blobBytes = blob.done();
  const header = new Proto().bytes(1, utf8.encode(type)).uint(3, blobBytes.length).done();
  const out = new Uint8Array(4 + header.length + blobBytes.length);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, 4);
  out.set(blobBytes, 4 + header.length);
  return out;
}

function primitiveBlock(strings: Strings, group: Uint8Array): Uint8Array {
  return new Proto().bytes(1, strings.encode()).bytes(2, group).uint(17, GRANULARITY).done();
}

function denseBlock(nodes: readonly OsmNode[]): Uint8Array {
  const s = new Strings();
  const ids: number[] = [], lats: number[] = [], lons: number[] = [], kv: number[] = [];
  const tagged = nodes.some((n) => n.tags && Object.keys(n.tags).length);
  for (const n of nodes) {
    ids.push(n.id);
    lats.push(Math.round((n.lat * 1e9) / GRANULARITY));
    lons.push(Math.round((n.lon * 1e9) / GRANULARITY));
    if (tagged) {
      for (const [k, v] of Object.entries(n.tags ?? {})) kv.push(s.id(k), s.id(v));
      kv.push(0);
    }
  }
  const dense = new Proto().packed(1, ids, true, true).packed(8, lats, true, true).packed(9, lons, true, true).packed(10, kv).done();
  return primitiveBlock(s, new Proto().bytes(2, dense).done());
}

const tagFields = (p: Proto, s: Strings, tags: Tags) => {
  const e = Object.entries(tags);
  return p.packed(2, e.map(([k]) => s.id(k))).packed(3, e.map(([, v]) => s.id(v)));
};

function wayBlock(ways: readonly OsmWay[]): Uint8Array {
  const s = new Strings();
  const group = new Proto();
  for (const w of ways) group.bytes(3, tagFields(new Proto().uint(1, w.id), s, w.tags).packed(8, w.nodes, true, true).done());
  return primitiveBlock(s, group.done());
}

const MEMBER_TYPE: Record<OsmMember['type'], number> = { node: 0, way: 1, relation: 2 };

function relationBlock(rels: readonly OsmRelation[]): Uint8Array {
  const s = new Strings();
  const group = new Proto();
  for (const r of rels) {
    const p = tagFields(new Proto().uint(1, r.id), s, r.tags);
    p.packed(8, r.members.map((m) => s.id(m.role))).packed(9, r.members.map((m) => m.ref), true, true).packed(10, r.members.map((m) => MEMBER_TYPE[m.type]));
    group.bytes(4, p.done());
  }
  return primitiveBlock(s, group.done());
}

export interface PbfInput {
  nodes: Iterable<OsmNode>;
  ways: Iterable<OsmWay>;
  relations?: Iterable<OsmRelation>;
}

/**
 * Writes OSM data as a PBF file (elements in the order given; OSM tools expect nodes sorted by id, then ways, then
 * relations: `kindsOrder` writes the kinds in another order, for tests of unsorted files).
 */
export function writePbf(data: PbfInput, opts: { perBlock?: number; compress?: boolean; kindsOrder?: ('nodes' | 'ways' | 'relations')[] } = {}): Uint8Array {
  const per = opts.perBlock ?? 8000, compress = opts.compress ?? true;
  const header = new Proto().bytes(4, utf8.encode('OsmSchema-V0.6')).bytes(4, utf8.encode('DenseNodes')).bytes(16, utf8.encode('planner test pbfWriter')).done();
  const parts: Uint8Array[] = [frame('OSMHeader', header, compress)];
  const flush = <T>(items: Iterable<T>, block: (chunk: T[]) => Uint8Array) => {
    let chunk: T[] = [];
    for (const it of items) {
      chunk.push(it);
      if (chunk.length === per) { parts.push(frame('OSMData', block(chunk), compress)); chunk = []; }
    }
    if (chunk.length) parts.push(frame('OSMData', block(chunk), compress));
  };
  for (const kind of opts.kindsOrder ?? ['nodes', 'ways', 'relations']) {
    if (kind === 'nodes') flush(data.nodes, denseBlock);
    else if (kind === 'ways') flush(data.ways, wayBlock);
    else flush(data.relations ?? [], relationBlock);
  }
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const xmlTags = (t: Tags | undefined) => Object.entries(t ?? {}).map(([k, v]) => `<tag k="${xmlText(k)}" v="${xmlText(v)}"/>`).join('');

/** The same data as OSM XML text (for the XML rows of the bench and tests). */
export function writeOsmXml(data: PbfInput): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="planner test pbfWriter">\n'];
  for (const n of data.nodes) {
    const t = xmlTags(n.tags);
    out.push(`<node id="${n.id}" lat="${n.lat.toFixed(7)}" lon="${n.lon.toFixed(7)}"${t ? `>${t}</node>` : '/>'}\n`);
  }
  for (const w of data.ways) out.push(`<way id="${w.id}">${w.nodes.map((r) => `<nd ref="${r}"/>`).join('')}${xmlTags(w.tags)}</way>\n`);
  for (const r of data.relations ?? []) out.push(`<relation id="${r.id}">${r.members.map((m) => `<member type="${m.type}" ref="${m.ref}" role="${xmlText(m.role)}"/>`).join('')}${xmlTags(r.tags)}</relation>\n`);
  out.push('</osm>\n');
  return out.join('');
}

/**
 * A SYNTHETIC street grid of side × side nodes `spacingM` apart with its south-west corner at (lon, lat): rows and
 * columns cut into ways of `wayLen` segments (residential; every 10th row/column primary). Node ids 1…side².
 */
export function gridExtract(side: number, opts: { spacingM?: number; lon?: number; lat?: number; wayLen?: number } = {}): { nodes: Generator<OsmNode>; ways: Generator<OsmWay>; bbox: [number, number, number, number]; nodeCount: number } {
  const spacing = opts.spacingM ?? 50, lon0 = opts.lon ?? 112.0, lat0 = opts.lat ?? 21.7, len = opts.wayLen ?? 10;
  const dLat = spacing / 111_320, dLon = spacing / (111_320 * Math.cos((lat0 * Math.PI) / 180));
  const id = (r: number, c: number) => r * side + c + 1;
  function* nodes(): Generator<OsmNode> {
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) yield { id: id(r, c), lon: lon0 + c * dLon, lat: lat0 + r * dLat };
  }
  function* ways(): Generator<OsmWay> {
    let wid = 1;
    for (const along of [true, false]) {
      for (let a = 0; a < side; a++) {
        const tags: Tags = { highway: a % 10 === 0 ? 'primary' : 'residential', name: `Synthetic ${along ? 'Row' : 'Column'} ${a}` };
        for (let b = 0; b < side - 1; b += len) {
          const refs: number[] = [];
          for (let k = b; k <= Math.min(side - 1, b + len); k++) refs.push(along ? id(a, k) : id(k, a));
          yield { id: wid++, nodes: refs, tags };
        }
      }
    }
  }
  const bbox: [number, number, number, number] = [lon0, lat0, lon0 + (side - 1) * dLon, lat0 + (side - 1) * dLat];
  return { nodes: nodes(), ways: ways(), bbox, nodeCount: side * side };
}
