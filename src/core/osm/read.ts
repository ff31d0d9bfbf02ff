/**
 * OpenStreetMap readers: PBF (via tiny-osmpbf), OSM XML (own scanner) and Overpass JSON.
 * Pure TypeScript: runs in Node and in a browser Web Worker. The format is sniffed from the bytes, not the name;
 * gzip-compressed XML/JSON (.osm.gz) is unpacked first.
 */
import { isErrorInfo, plannerError, type PlannerError } from '../errors';
import { gunzip } from './inflate';
import { readPbf, tooManyNodesError } from './pbf';
import type { OsmData, OsmMember, OsmNode, OsmRelation, OsmWay, Tags } from './types';

export { pbfBudget, splitPbf } from './pbf';

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

/**
 * Largest OSM XML or Overpass JSON file (uncompressed) read: the text must fit in one JavaScript string, and V8
 * strings hold at most 2^29 − 24 characters (just under 512 MiB). PBF has no such limit (it is read block by block).
 */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

export interface ReadLimits {
  /** Most nodes read; a file with more is refused with 'too-many-nodes' (default: no limit). */
  maxNodes?: number;
  /** Total decompressed bytes allowed for a PBF file (default: pbfBudget of its size). */
  pbfBudget?: number;
}

/** The XML/JSON text limit: PlannerError 'text-too-large', naming the size and the limit. */
function textTooLarge(fileName: string, bytes: number): PlannerError {
  const mb = (n: number) => Math.ceil(n / 1048576);
  return plannerError('text-too-large',
    `文件「${fileName}」（未压缩 ${mb(bytes)} MiB）超过 OSM XML / JSON 的 512 MiB 上限（一个文本字符串的最大长度）；请改用 .osm.pbf 格式，或先裁剪成较小的区域`,
    `the file "${fileName}" (${mb(bytes)} MiB uncompressed) is over the 512 MiB limit for OSM XML / JSON (the longest text string); use the .osm.pbf format or cut a smaller area first`,
    { file: fileName, detail: `${bytes} bytes, limit ${MAX_TEXT_BYTES} bytes` });
}

/** How many `<node` elements an OSM XML text holds, counted in its bytes (nothing is allocated). */
export function countXmlNodes(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(0x3c); i >= 0 && i + 5 < bytes.length; i = bytes.indexOf(0x3c, i + 1)) {
    // '<node' followed by white space, '/' or '>'
    if (bytes[i + 1] === 0x6e && bytes[i + 2] === 0x6f && bytes[i + 3] === 0x64 && bytes[i + 4] === 0x65) {
      const c = bytes[i + 5];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2f || c === 0x3e) n++;
    }
  }
  return n;
}

/**
 * Reads OSM data from PBF, XML or Overpass JSON bytes. Throws PlannerError 'bad-osm' on unknown or damaged input,
 * 'text-too-large' for XML/JSON over MAX_TEXT_BYTES, 'pbf-too-large' for a PBF over its decompression budget and
 * 'too-many-nodes' past limits.maxNodes (XML is counted before it is parsed; PBF stops at the limit).
 */
export function readOsm(bytes: Uint8Array, fileName: string, onProgress?: ProgressFn, limits: ReadLimits = {}): OsmData {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    if (bytes.length >= 18) {
      const declared = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
      if (declared > MAX_TEXT_BYTES) throw textTooLarge(fileName, declared);
    }
    let inner: Uint8Array;
    try {
      inner = gunzip(bytes, MAX_TEXT_BYTES);
    } catch (err) {
      const why = isErrorInfo(err) && err.detail ? err.detail : (err as Error).message;
      throw osmReadError(fileName, `gzip 压缩包损坏（${why}）`, `damaged gzip file (${why})`);
    }
    return readOsm(inner, fileName, onProgress, limits);
  }
  const format = sniffOsmFormat(bytes);
  if (typeof format !== 'string') throw osmReadError(fileName, format.zh, format.en);
  const maxNodes = limits.maxNodes ?? Infinity;
  onProgress?.(0, bytes.length);
  let data: OsmData;
  if (format === 'pbf') data = readPbf(bytes, fileName, onProgress, { budget: limits.pbfBudget, maxNodes });
  else {
    if (bytes.length > MAX_TEXT_BYTES) throw textTooLarge(fileName, bytes.length);
    if (format === 'xml' && countXmlNodes(bytes) > maxNodes) throw tooManyNodesError(fileName, maxNodes);
    const text = new TextDecoder('utf-8').decode(bytes);
    data = format === 'xml' ? readXml(text, fileName, onProgress) : readOverpassJson(text, fileName);
    if (data.nodes.size > maxNodes) throw tooManyNodesError(fileName, maxNodes);
  }
  if (data.nodes.size === 0 && data.ways.length === 0) throw osmReadError(fileName, '文件中没有任何 OSM 要素', 'the file contains no OSM elements');
  onProgress?.(bytes.length, bytes.length);
  return data;
}

const emptyData = (): OsmData => ({ nodes: new Map(), ways: [], relations: [] });
const hasKeys = (t: Tags | undefined): t is Tags => !!t && Object.keys(t).length > 0;

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
