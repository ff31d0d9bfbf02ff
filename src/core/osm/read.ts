/**
 * OpenStreetMap readers: PBF (via tiny-osmpbf), OSM XML (own scanner) and Overpass JSON.
 * Pure TypeScript: runs in Node and in a browser Web Worker. The format is sniffed from the bytes, not the name;
 * gzip-compressed XML/JSON (.osm.gz) is unpacked first.
 */
import tinyOsmPbf from 'tiny-osmpbf';
import { isErrorInfo, plannerError, type PlannerError } from '../errors';
import { gunzip, inflateRaw } from './inflate';
import type { OsmData, OsmMember, OsmNode, OsmRelation, OsmWay, Tags } from './types';

export type OsmFormat = 'pbf' | 'xml' | 'json';
export type ProgressFn = (done: number, total: number) => void;

/** A file that cannot be read as OSM data: PlannerError code 'bad-osm', both messages name the file. */
export const osmReadError = (fileName: string, zh: string, en: string): PlannerError =>
  plannerError('bad-osm', `无法读取 OSM 文件「${fileName}」：${zh}`, `Cannot read OSM file "${fileName}": ${en}`, { file: fileName });

const ascii = (bytes: Uint8Array, from: number, to: number) => {
  let s = '';
  for (let i = from; i < Math.min(to, bytes.length); i++) s += String.fromCharCode(bytes[i]);
  return s;
};

/** Which reader fits the bytes, or a reason why none does. */
export function sniffOsmFormat(bytes: Uint8Array): OsmFormat | { zh: string; en: string } {
  if (bytes.length === 0) return { zh: '文件为空', en: 'the file is empty' };
  if (ascii(bytes, 0, 3) === 'BZh') return { zh: '文件是 bzip2 压缩包，请先解压', en: 'the file is bzip2-compressed; decompress it first' };
  if (ascii(bytes, 4, 40).includes('OSMHeader')) return 'pbf';
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x3c /* < */) return 'xml';
  if (bytes[i] === 0x7b /* { */) return 'json';
  return { zh: '不是 OSM PBF、OSM XML 或 Overpass JSON 格式', en: 'not OSM PBF, OSM XML or Overpass JSON' };
}

/** Reads OSM data from PBF, XML or Overpass JSON bytes. Throws PlannerError 'bad-osm' on unknown or damaged input. */
export function readOsm(bytes: Uint8Array, fileName: string, onProgress?: ProgressFn): OsmData {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inner: Uint8Array;
    try {
      inner = gunzip(bytes);
    } catch (err) {
      const why = isErrorInfo(err) && err.detail ? err.detail : (err as Error).message;
      throw osmReadError(fileName, `gzip 压缩包损坏（${why}）`, `damaged gzip file (${why})`);
    }
    return readOsm(inner, fileName, onProgress);
  }
  const format = sniffOsmFormat(bytes);
  if (typeof format !== 'string') throw osmReadError(fileName, format.zh, format.en);
  onProgress?.(0, bytes.length);
  let data: OsmData;
  if (format === 'pbf') data = readPbf(bytes, fileName, onProgress);
  else {
    const text = new TextDecoder('utf-8').decode(bytes);
    data = format === 'xml' ? readXml(text, fileName, onProgress) : readOverpassJson(text, fileName);
  }
  if (data.nodes.size === 0 && data.ways.length === 0) throw osmReadError(fileName, '文件中没有任何 OSM 要素', 'the file contains no OSM elements');
  onProgress?.(bytes.length, bytes.length);
  return data;
}

const emptyData = (): OsmData => ({ nodes: new Map(), ways: [], relations: [] });
const hasKeys = (t: Tags | undefined): t is Tags => !!t && Object.keys(t).length > 0;

// ---------------------------------------------------------------- PBF

/*
 * A PBF file is a series of blocks: 4-byte big-endian length, BlobHeader {1: type, 3: datasize}, then a Blob
 * {1: raw, 2: raw_size, 3: zlib_data, …}. tiny-osmpbf decodes the OSM content but loops forever on a truncated or
 * corrupt file, so the framing is checked and every blob is inflated here first with a bounds-checked decoder
 * (inflate.ts) and its checksum verified; tiny-osmpbf then gets one small uncompressed file per block, which also
 * gives real progress.
 */

interface PbfBlock { type: string; blob: Uint8Array }
type Problem = { zh: string; en: string };

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

/** Splits a PBF file into its blocks, or says why it cannot. */
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

function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < data.length;) {
    const end = Math.min(i + 3800, data.length);
    for (; i < end; i++) { a += data[i]; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Uncompressed content of a blob, checked against its declared size and Adler-32 sum. */
function blobContent(blob: Uint8Array, n: number): Uint8Array | Problem {
  let f: Map<number, number | Uint8Array>;
  try { f = protoFields(blob); } catch { return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` }; }
  const raw = f.get(1), size = f.get(2), zlib = f.get(3);
  if (raw instanceof Uint8Array) return raw;
  if (f.has(4) || f.has(5) || f.has(6) || f.has(7)) return { zh: `第 ${n} 个数据块使用了不支持的压缩方式（仅支持 zlib）`, en: `block ${n} uses an unsupported compression (only zlib is supported)` };
  if (!(zlib instanceof Uint8Array) || typeof size !== 'number' || size > 64 * 1024 * 1024 || zlib.length < 6 || (zlib[0] & 0x0f) !== 8) {
    return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` };
  }
  const out = new Uint8Array(size);
  let got: number;
  try { got = inflateRaw(zlib.subarray(2, zlib.length - 4), out); } catch { return { zh: `第 ${n} 个数据块解压失败`, en: `block ${n} cannot be decompressed` }; }
  const tail = zlib.subarray(zlib.length - 4);
  const want = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
  if (got !== size || adler32(out) !== want) return { zh: `第 ${n} 个数据块校验失败（数据损坏）`, en: `block ${n} fails its checksum (damaged data)` };
  return out;
}

const varintBytes = (v: number) => {
  const out: number[] = [];
  while (v > 127) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
  return out;
};
const bytesField = (field: number, data: Uint8Array) => [...varintBytes(field * 8 + 2), ...varintBytes(data.length)];

/** One framed, uncompressed block as tiny-osmpbf expects it. */
function frameBlock(type: string, content: Uint8Array): Uint8Array {
  const blobHead = [...bytesField(1, content)];
  const blobTail = [16, ...varintBytes(content.length)];
  const blobLen = blobHead.length + content.length + blobTail.length;
  const typeBytes = new TextEncoder().encode(type);
  const header = new Uint8Array([...bytesField(1, typeBytes), ...typeBytes, 24, ...varintBytes(blobLen)]);
  const out = new Uint8Array(4 + header.length + blobLen);
  new DataView(out.buffer).setUint32(0, header.length, false);
  out.set(header, 4);
  let p = 4 + header.length;
  out.set(blobHead, p); p += blobHead.length;
  out.set(content, p); p += content.length;
  out.set(blobTail, p);
  return out;
}

/**
 * tiny-osmpbf is CommonJS written for Node: it calls `new Buffer(…)` and assigns an undeclared `pbf` variable.
 * In a browser worker (strict ESM bundle) both would throw, so minimal stand-ins are installed for the duration of
 * the (synchronous) call and removed again, so that no other library sees a fake Buffer.
 */
function withPbfGlobals<T>(run: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const addBuffer = typeof g.Buffer === 'undefined';
  const addPbf = !('pbf' in g);
  if (addBuffer) {
    const decoder = new TextDecoder('utf-8');
    g.Buffer = class Uint8Buffer extends Uint8Array {
      toString(): string {
        return decoder.decode(this);
      }
    };
  }
  if (addPbf) g.pbf = undefined;
  try {
    return run();
  } finally {
    if (addBuffer) delete g.Buffer;
    if (addPbf) delete g.pbf;
  }
}

function readPbf(bytes: Uint8Array, fileName: string, onProgress?: ProgressFn): OsmData {
  const fail = (p: Problem) => osmReadError(fileName, `PBF 数据损坏：${p.zh}`, `damaged PBF data: ${p.en}`);
  const blocks = splitPbf(bytes);
  if (!Array.isArray(blocks)) throw fail(blocks);
  const contents = blocks.map((b, i) => {
    const c = blobContent(b.blob, i + 1);
    if (!(c instanceof Uint8Array)) throw fail(c);
    return c;
  });
  const data = emptyData();
  const handle = (e: Parameters<Parameters<typeof tinyOsmPbf>[1] & object>[0]) => {
    if (e.type === 'node') {
      const n: OsmNode = { id: e.id, lon: e.lon as number, lat: e.lat as number };
      if (hasKeys(e.tags)) n.tags = e.tags;
      data.nodes.set(e.id, n);
    } else if (e.type === 'way') data.ways.push({ id: e.id, nodes: e.nodes ?? [], tags: e.tags ?? {} });
    else if (e.type === 'relation') data.relations.push({ id: e.id, members: e.members ?? [], tags: e.tags ?? {} });
  };
  const head = frameBlock('OSMHeader', contents[0]);
  let done = 0;
  withPbfGlobals(() => {
    for (let i = 1; i < contents.length; i++) {
      const body = frameBlock('OSMData', contents[i]);
      const file = new Uint8Array(head.length + body.length);
      file.set(head);
      file.set(body, head.length);
      try {
        tinyOsmPbf(file.buffer, handle);
      } catch (err) {
        const msg = String((err as Error).message ?? err);
        throw osmReadError(fileName, `PBF 数据损坏或不受支持（第 ${i + 1} 个数据块：${msg}）`, `damaged or unsupported PBF data (block ${i + 1}: ${msg})`);
      }
      done += blocks[i].blob.length;
      onProgress?.(done, bytes.length);
    }
  });
  return data;
}

// ---------------------------------------------------------------- XML

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decodeEntities = (s: string) =>
  s.indexOf('&') < 0 ? s : s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)) : ENTITY[e.toLowerCase()]);

const ATTR = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
function attrs(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  ATTR.lastIndex = 0;
  for (let m = ATTR.exec(s); m; m = ATTR.exec(s)) out[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
  return out;
}

const num = (v: string | undefined) => (v === undefined || v === '' ? NaN : Number(v));

function readXml(text: string, fileName: string, onProgress?: ProgressFn): OsmData {
  const start = /<osm[\s>]/.exec(text.slice(0, 4096));
  if (!start) {
    const hint = /<(gpx|kml|svg|html)[\s>]/i.exec(text.slice(0, 4096));
    throw osmReadError(fileName, hint ? `这是 ${hint[1].toUpperCase()} 文件，不是 OSM XML` : '缺少 <osm> 根元素，不是 OSM XML',
      hint ? `this is a ${hint[1].toUpperCase()} file, not OSM XML` : 'no <osm> root element; not OSM XML');
  }
  const data = emptyData();
  const ELEMENT = /<(\/?)(node|way|relation|tag|nd|member)\b([^>]*?)(\/?)>|<!--[\s\S]*?-->/g;
  let current: { kind: 'node' | 'way' | 'relation'; tags: Tags; nodes: number[]; members: OsmMember[]; a: Record<string, string> } | null = null;
  let steps = 0;
  let closedOsm = false;

  const finish = () => {
    if (!current) return;
    const { kind, a, tags } = current;
    const id = num(a.id);
    const deleted = a.action === 'delete' || a.visible === 'false';
    if (!Number.isFinite(id)) throw osmReadError(fileName, `<${kind}> 缺少有效的 id`, `<${kind}> without a valid id`);
    if (!deleted) {
      if (kind === 'node') {
        const lat = num(a.lat), lon = num(a.lon);
        if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw osmReadError(fileName, `节点 ${id} 缺少坐标`, `node ${id} has no coordinates`);
        const n: OsmNode = { id, lon, lat };
        if (hasKeys(tags)) n.tags = tags;
        data.nodes.set(id, n);
      } else if (kind === 'way') data.ways.push({ id, nodes: current.nodes, tags });
      else data.relations.push({ id, members: current.members, tags });
    }
    current = null;
  };

  for (let m = ELEMENT.exec(text); m; m = ELEMENT.exec(text)) {
    if (!m[2]) continue; // comment
    const [, closing, name, body, selfClosing] = m;
    if (name === 'node' || name === 'way' || name === 'relation') {
      if (closing) { finish(); continue; }
      finish();
      current = { kind: name, tags: {}, nodes: [], members: [], a: attrs(body) };
      if (selfClosing) finish();
      if (++steps % 20000 === 0) onProgress?.(m.index, text.length);
    } else if (current && !closing) {
      const a = attrs(body);
      if (name === 'tag' && a.k !== undefined) current.tags[a.k] = a.v ?? '';
      else if (name === 'nd') current.nodes.push(num(a.ref));
      else if (name === 'member') {
        const type = a.type;
        if (type === 'node' || type === 'way' || type === 'relation') current.members.push({ type, ref: num(a.ref), role: a.role ?? '' });
      }
    }
  }
  finish();
  closedOsm = /<\/osm\s*>\s*$/.test(text.slice(-64));
  if (!closedOsm) throw osmReadError(fileName, '文件被截断（缺少 </osm> 结尾）', 'the file is truncated (no closing </osm>)');
  return data;
}

// ---------------------------------------------------------------- Overpass JSON

interface JsonElement {
  type?: string;
  id?: number;
  lat?: number;
  lon?: number;
  nodes?: number[];
  /** Overpass `out geom`: way node positions, aligned with `nodes`. */
  geometry?: ({ lat?: number; lon?: number } | null)[];
  members?: { type?: string; ref?: number; role?: string }[];
  tags?: Tags;
}

function readOverpassJson(text: string, fileName: string): OsmData {
  let doc: { elements?: unknown; type?: unknown; remark?: unknown };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw osmReadError(fileName, `JSON 语法错误（${(err as Error).message}）`, `invalid JSON (${(err as Error).message})`);
  }
  if (!doc || typeof doc !== 'object') throw osmReadError(fileName, 'JSON 内容不是对象', 'the JSON is not an object');
  if (!Array.isArray(doc.elements)) {
    const geo = doc.type === 'FeatureCollection' || doc.type === 'Feature';
    throw osmReadError(fileName,
      geo ? '这是 GeoJSON，不是 Overpass JSON（需要 elements 数组）' : '缺少 elements 数组，不是 Overpass JSON',
      geo ? 'this is GeoJSON, not Overpass JSON (an "elements" array is needed)' : 'no "elements" array; not Overpass JSON');
  }
  const data = emptyData();
  for (const e of doc.elements as JsonElement[]) {
    if (!e || typeof e.id !== 'number') continue;
    const tags = e.tags && typeof e.tags === 'object' ? e.tags : {};
    if (e.type === 'node' && typeof e.lat === 'number' && typeof e.lon === 'number') {
      const n: OsmNode = { id: e.id, lon: e.lon, lat: e.lat };
      if (hasKeys(tags)) n.tags = tags;
      data.nodes.set(e.id, n);
    } else if (e.type === 'way' && Array.isArray(e.nodes)) {
      const way: OsmWay = { id: e.id, nodes: e.nodes.filter((r) => typeof r === 'number'), tags };
      data.ways.push(way);
      if (Array.isArray(e.geometry) && e.geometry.length === e.nodes.length) {
        e.geometry.forEach((p, i) => {
          const id = e.nodes?.[i];
          if (p && typeof p.lat === 'number' && typeof p.lon === 'number' && typeof id === 'number' && !data.nodes.has(id)) data.nodes.set(id, { id, lon: p.lon, lat: p.lat });
        });
      }
    } else if (e.type === 'relation' && Array.isArray(e.members)) {
      const members: OsmMember[] = [];
      for (const mb of e.members) {
        if ((mb.type === 'node' || mb.type === 'way' || mb.type === 'relation') && typeof mb.ref === 'number') members.push({ type: mb.type, ref: mb.ref, role: mb.role ?? '' });
      }
      const rel: OsmRelation = { id: e.id, members, tags };
      data.relations.push(rel);
    }
  }
  if (data.nodes.size === 0 && data.ways.length === 0 && typeof doc.remark === 'string') {
    throw osmReadError(fileName, `Overpass 返回了错误：${doc.remark}`, `Overpass returned an error: ${doc.remark}`);
  }
  return data;
}
