/**
 * OpenStreetMap readers: PBF (via tiny-osmpbf), OSM XML (own scanner) and Overpass JSON.
 * Pure TypeScript: runs in Node and in a browser Web Worker. The format is sniffed from the bytes, not the name;
 * gzip-compressed XML/JSON (.osm.gz) is unpacked first.
 */
import { isErrorInfo, plannerError, shortJson, type PlannerError } from '../errors';
import { gunzip } from './inflate';
import { malformedCollector, malformedMessage, malformedTotal, type MalformedReport, type Problem } from './malformed';
import type { Bbox } from './clip';
import { NodeStore } from './nodeStore';
import { readPbf, tooManyNodesError, type LimitNote } from './pbf';
import type { OsmData, OsmMember, OsmNode, OsmRelation, OsmWay, Tags } from './types';
import { scanXml, type XmlTag } from './xml';

export { estimatePbfNodes, pbfBudget, splitPbf, type LimitNote } from './pbf';

export type OsmFormat = 'pbf' | 'xml' | 'json';
/** What a reader returns: the data and the malformed elements it skipped (XML, Overpass JSON; none for PBF). */
export type OsmRead = OsmData & { malformed: MalformedReport };
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
  /** PBF only: called before the first data block and after each with (blocks done, blocks in the file). */
  onBlock?: ProgressFn;
  /** Said in the 'too-many-nodes' message: where maxNodes comes from (e.g. this device's memory). */
  limitNote?: LimitNote;
  /**
   * PBF only: keep only what touches this box while decoding (readPbf: nodes inside, the ways and relations using
   * them and those ways' other nodes); maxNodes then counts what is kept. A file with nothing there reads as empty
   * data (the caller says the file does not cover the place). XML and JSON are read whole (clip them afterwards).
   */
  clip?: Bbox;
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
 * 'too-many-nodes' past limits.maxNodes (XML is counted before it is parsed; PBF stops at the limit). Malformed
 * elements of XML and Overpass JSON (a broken `<tag>`, a `<nd>` without a valid ref, a node without valid
 * coordinates …) are skipped whole and listed in `malformed` (counts, lines); `malformedMessage` words them.
 */
export function readOsm(bytes: Uint8Array, fileName: string, onProgress?: ProgressFn, limits: ReadLimits = {}): OsmRead {
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
  let data: OsmRead;
  if (format === 'pbf') data = checkPbfValues(readPbf(bytes, fileName, onProgress, { budget: limits.pbfBudget, maxNodes, onBlock: limits.onBlock, limitNote: limits.limitNote, clip: limits.clip }));
  else {
    if (bytes.length > MAX_TEXT_BYTES) throw textTooLarge(fileName, bytes.length);
    const xmlNodes = format === 'xml' ? countXmlNodes(bytes) : 0;
    if (xmlNodes > maxNodes) throw tooManyNodesError(fileName, maxNodes, xmlNodes, limits.limitNote);
    const text = new TextDecoder('utf-8').decode(bytes);
    data = format === 'xml' ? readXml(text, fileName, onProgress) : readOverpassJson(text, fileName);
    if (data.nodes.size > maxNodes) throw tooManyNodesError(fileName, maxNodes, data.nodes.size, limits.limitNote);
  }
  if (data.nodes.size === 0 && data.ways.length === 0 && !(format === 'pbf' && limits.clip)) {
    const why = malformedTotal(data.malformed) > 0 ? malformedMessage(data.malformed) : null;
    throw osmReadError(fileName, why ? `文件中没有可用的 OSM 要素（${why.zh}）` : '文件中没有任何 OSM 要素',
      why ? `the file contains no usable OSM elements (${why.en})` : 'the file contains no OSM elements');
  }
  onProgress?.(bytes.length, bytes.length);
  return data;
}

/** OSM data being read by a text reader: its nodes in a Map it fills. */
type MapData = OsmData & { nodes: Map<number, OsmNode> };
const emptyData = (): MapData => ({ nodes: new Map(), ways: [], relations: [] });

/**
 * PBF elements holding values no OSM file may hold (a position out of range or not finite, an id or reference that
 * is not a whole number, a tag value that is not text) are skipped and reported like the text readers' malformed
 * elements, by element number (a binary file has no lines).
 */
function checkPbfValues(d: OsmData): OsmRead {
  const c = malformedCollector('');
  const whole = (v: unknown): v is number => Number.isSafeInteger(v);
  // (loops, not every(): called for each of a city's ways and their node lists)
  const text = (t: Tags | undefined) => {
    // (own keys only: the own-key test runs only for a value that is not text, not for every key of a city's tags)
    if (t) for (const k in t) if (typeof t[k] !== 'string' && Object.prototype.hasOwnProperty.call(t, k)) return false;
    return true;
  };
  const allWhole = (refs: readonly number[]) => {
    for (let i = 0; i < refs.length; i++) if (!Number.isSafeInteger(refs[i])) return false;
    return true;
  };
  const P = {
    id: { zh: '编号不是整数', en: 'the id is not a whole number' },
    pos: { zh: '坐标超出经纬度范围或不是有限数值', en: 'the position is out of lon/lat range or not finite' },
    ref: { zh: '引用的编号不是整数', en: 'a reference is not a whole number' },
    tag: { zh: '标签值不是文本', en: 'a tag value is not text' },
  };
  const nodeFault = (n: OsmNode) => (!whole(n.id) ? P.id : !(Number.isFinite(n.lat) && Number.isFinite(n.lon) && Math.abs(n.lat) <= 90 && Math.abs(n.lon) <= 180) ? P.pos : !text(n.tags) ? P.tag : null);
  const wayFault = (w: OsmWay) => (!whole(w.id) ? P.id : !allWhole(w.nodes) ? P.ref : !text(w.tags) ? P.tag : null);
  const relationFault = (r: OsmRelation) => (!whole(r.id) ? P.id : !r.members.every((m) => whole(m.ref)) ? P.ref : !text(r.tags) ? P.tag : null);
  // Nearly always nothing is wrong: then the data is returned as it is (no second copy of a city's nodes).
  let clean = true;
  const all = d.nodes;
  if (all instanceof NodeStore) {
    // (read by position: no node object made for the check)
    const { ids, lons, lats, size } = all;
    for (let k = 0; k < size && clean; k++) {
      const x = lons[k], y = lats[k];
      clean = whole(ids[k]) && Number.isFinite(x) && Number.isFinite(y) && Math.abs(y) <= 90 && Math.abs(x) <= 180;
    }
    if (clean) clean = all.taggedPositions().every((k) => text(all.tagsAt(k)));
  } else for (const n of all.values()) if (nodeFault(n)) { clean = false; break; }
  const ways = d.ways;
  for (let i = 0; i < ways.length && clean; i++) {
    const w = ways[i];
    clean = whole(w.id) && allWhole(w.nodes) && text(w.tags);
  }
  if (clean) clean = d.relations.every((r) => !relationFault(r));
  if (clean) return { ...d, malformed: c.report() };
  const out = emptyData();
  let k = 0;
  for (const [key, n] of d.nodes) {
    k++;
    const bad = nodeFault(n);
    if (bad) c.add('node', 0, bad, whole(n.id) ? n.id : undefined, k);
    else out.nodes.set(key, n);
  }
  for (const w of d.ways) {
    k++;
    const bad = wayFault(w);
    if (bad) c.add('way', 0, bad, whole(w.id) ? w.id : undefined, k);
    else out.ways.push(w);
  }
  for (const r of d.relations) {
    k++;
    const bad = relationFault(r);
    if (bad) c.add('relation', 0, bad, whole(r.id) ? r.id : undefined, k);
    else out.relations.push(r);
  }
  const report = c.report();
  return { ...out, malformed: { ...report, examples: report.examples.map((e) => ({ ...e, line: 0 })) } };
}
const hasKeys = (t: Tags | undefined): t is Tags => !!t && Object.keys(t).length > 0;

// ---------------------------------------------------------------- XML

/** A whole number as OSM writes ids and refs (no exponent, hex or fraction). */
const osmId = (v: string | undefined): number | undefined => (v !== undefined && /^-?\d{1,16}$/.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined);
/** A decimal degree value within ±limit. */
const degree = (v: string | undefined, limit: number): number | undefined => {
  if (v === undefined || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(v)) return undefined;
  const x = Number(v);
  return Math.abs(x) <= limit ? x : undefined;
};

const CHILD_OF: Record<string, 'node' | 'way' | 'relation' | 'any'> = { tag: 'any', nd: 'way', member: 'relation' };
const bad = (zh: string, en: string): Problem => ({ zh, en });

interface OpenElement {
  kind: 'node' | 'way' | 'relation';
  start: number;
  a: Record<string, string>;
  tags: Tags;
  nodes: number[];
  members: OsmMember[];
  /** The first thing wrong with the element and where. */
  problem?: Problem & { at: number };
}

/** Problem of a `<tag>`, `<nd>` or `<member>` inside `el`, or null when it is fine (and has been added to `el`). */
function addChild(el: OpenElement, t: XmlTag): Problem | null {
  const what = `<${t.name}>`;
  if (t.problem) return bad(`${what} 损坏：${t.problem.zh}`, `broken ${what}: ${t.problem.en}`);
  const place = CHILD_OF[t.name];
  if (place !== 'any' && place !== el.kind) return bad(`${el.kind} 中不应有 ${what}`, `${what} inside a ${el.kind}`);
  const a = t.attrs;
  if (t.name === 'tag') {
    if (a.k === undefined || a.v === undefined) return bad(`${what} 缺少 k 或 v`, `${what} without k or v`);
    if (Object.prototype.hasOwnProperty.call(el.tags, a.k)) return bad(`标签键「${a.k}」重复`, `duplicate tag key "${a.k}"`);
    el.tags[a.k] = a.v;
  } else if (t.name === 'nd') {
    const ref = osmId(a.ref);
    if (ref === undefined) return bad(`${what} 的 ref「${a.ref ?? ''}」不是有效编号`, `${what} ref "${a.ref ?? ''}" is not a valid id`);
    el.nodes.push(ref);
  } else {
    const ref = osmId(a.ref);
    if (a.type !== 'node' && a.type !== 'way' && a.type !== 'relation') return bad(`${what} 的 type「${a.type ?? ''}」无效`, `${what} type "${a.type ?? ''}" is not node, way or relation`);
    if (ref === undefined) return bad(`${what} 的 ref「${a.ref ?? ''}」不是有效编号`, `${what} ref "${a.ref ?? ''}" is not a valid id`);
    el.members.push({ type: a.type, ref, role: a.role ?? '' });
  }
  return null;
}

function readXml(text: string, fileName: string, onProgress?: ProgressFn): OsmRead {
  const start = /<osm[\s>]/.exec(text.slice(0, 4096));
  if (!start) {
    const hint = /<(gpx|kml|svg|html)[\s>]/i.exec(text.slice(0, 4096));
    throw osmReadError(fileName, hint ? `这是 ${hint[1].toUpperCase()} 文件，不是 OSM XML` : '缺少 <osm> 根元素，不是 OSM XML',
      hint ? `this is a ${hint[1].toUpperCase()} file, not OSM XML` : 'no <osm> root element; not OSM XML');
  }
  if (!/<\/osm\s*>\s*$/.test(text.slice(-64))) throw osmReadError(fileName, '文件被截断（缺少 </osm> 结尾）', 'the file is truncated (no closing </osm>)');
  const data = emptyData();
  const skipped = malformedCollector(text);
  const open: { el: OpenElement | null } = { el: null };
  let steps = 0;

  const finish = () => {
    const el = open.el;
    if (!el) return;
    open.el = null;
    const { kind, a, tags } = el;
    const id = osmId(a.id);
    if (a.action === 'delete' || a.visible === 'false') if (!el.problem) return; // deleted in the file (JOSM, history)
    let problem: (Problem & { at: number }) | undefined = el.problem;
    const p = (zh: string, en: string) => ({ zh, en, at: el.start });
    if (!problem && id === undefined) problem = p(`<${kind}> 的 id「${a.id ?? ''}」不是有效编号`, `<${kind}> id "${a.id ?? ''}" is not a valid id`);
    let lon: number | undefined, lat: number | undefined;
    if (!problem && kind === 'node') {
      lat = degree(a.lat, 90);
      lon = degree(a.lon, 180);
      if (lat === undefined || lon === undefined) problem = p(`坐标无效（lat「${a.lat ?? ''}」，lon「${a.lon ?? ''}」）`, `invalid coordinates (lat "${a.lat ?? ''}", lon "${a.lon ?? ''}")`);
    }
    if (!problem && kind === 'way' && el.nodes.length === 0) problem = p('没有 <nd> 节点', 'no <nd> nodes');
    if (problem) return skipped.add(kind, problem.at, problem, id);
    if (kind === 'node') {
      const n: OsmNode = { id: id as number, lon: lon as number, lat: lat as number };
      if (hasKeys(tags)) n.tags = tags;
      data.nodes.set(n.id, n);
    } else if (kind === 'way') data.ways.push({ id: id as number, nodes: el.nodes, tags });
    else data.relations.push({ id: id as number, members: el.members, tags });
  };

  scanXml(text, (t) => {
    const el = open.el;
    if (t.name === 'node' || t.name === 'way' || t.name === 'relation') {
      finish();
      if (t.closing) return;
      open.el = { kind: t.name, start: t.start, a: t.attrs, tags: {}, nodes: [], members: [] };
      if (t.problem) open.el.problem = { zh: `<${t.name}> 标签损坏：${t.problem.zh}`, en: `broken <${t.name}> tag: ${t.problem.en}`, at: t.start };
      if (t.selfClosing) finish();
      if (++steps % 20000 === 0) onProgress?.(t.start, text.length);
    } else if (t.name in CHILD_OF || t.name === '') {
      if (t.closing) return;
      if (!el) {
        const what = t.name ? `<${t.name}>` : '<';
        return skipped.add('other', t.start, t.name ? bad(`${what} 不在任何 node/way/relation 之内`, `${what} outside any node, way or relation`) : bad(t.problem?.zh ?? '', t.problem?.en ?? ''));
      }
      if (el.problem) return;
      const problem = t.name ? addChild(el, t) : bad(`多余的 <`, 'stray <');
      if (problem) el.problem = { ...problem, at: t.start };
    }
  });
  finish();
  return { ...data, malformed: skipped.report() };
}

// ---------------------------------------------------------------- Overpass JSON

/** Overpass element types that are not map data ("out count", areas): ignored without a report. */
const NOT_MAP_DATA: ReadonlySet<string> = new Set(['area', 'count']);

/**
 * Offsets of the values of the top-level "elements" array (one linear scan that skips strings), to give a skipped
 * element its line. Only called when something was skipped.
 */
export function jsonElementOffsets(text: string): number[] {
  const out: number[] = [];
  const n = text.length;
  let depth = 0, key = '', inside = false, expect = false;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x3a /* : */) continue;
    const valueStart = inside && depth === 2 && expect;
    if (valueStart) { out.push(i); expect = false; }
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c ? 2 : 1;
      if (depth === 1) key = text.slice(i + 1, j);
      i = j;
    } else if (c === 0x7b || c === 0x5b /* { [ */) {
      depth++;
      if (c === 0x5b && depth === 2 && key === 'elements' && !inside && out.length === 0) { inside = true; expect = true; }
    } else if (c === 0x7d || c === 0x5d /* } ] */) {
      depth--;
      if (inside && depth === 1) return out;
    } else if (c === 0x2c /* , */ && inside && depth === 2) expect = true;
  }
  return out;
}

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

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isTags = (v: unknown): v is Tags => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/** Why an Overpass JSON element cannot be used, or null when it can. */
function jsonProblem(e: unknown): Problem | null {
  if (!e || typeof e !== 'object' || Array.isArray(e)) return bad('不是对象', 'not an object');
  const el = e as Record<string, unknown>;
  if (el.type !== 'node' && el.type !== 'way' && el.type !== 'relation') return bad(`type ${shortJson(el.type, 40)} 无效`, `type ${shortJson(el.type, 40)} is not node, way or relation`);
  if (el.id === undefined) return bad('缺少 id', 'no id');
  if (!isId(el.id)) return bad(`id ${shortJson(el.id)} 不是有效编号`, `id ${shortJson(el.id)} is not a valid id`);
  if (el.tags !== undefined && !isTags(el.tags)) return bad('tags 不是「键: 字符串值」对象', 'tags is not an object of string values');
  if (el.type === 'node') {
    const ok = typeof el.lat === 'number' && typeof el.lon === 'number' && Math.abs(el.lat) <= 90 && Math.abs(el.lon) <= 180;
    if (!ok) return bad(`坐标无效（lat ${(el.lat === undefined ? '缺失' : shortJson(el.lat, 40))}，lon ${(el.lon === undefined ? '缺失' : shortJson(el.lon, 40))}）`, `invalid coordinates (lat ${(el.lat === undefined ? 'missing' : shortJson(el.lat, 40))}, lon ${(el.lon === undefined ? 'missing' : shortJson(el.lon, 40))})`);
  } else if (el.type === 'way') {
    if (!Array.isArray(el.nodes) || el.nodes.length === 0) return bad('nodes 不是非空的编号列表', 'nodes is not a non-empty list of ids');
    const i = el.nodes.findIndex((r) => !isId(r));
    if (i >= 0) return bad(`nodes[${i}]「${shortJson(el.nodes[i])}」不是有效编号`, `nodes[${i}] ${shortJson(el.nodes[i])} is not a valid id`);
  } else {
    if (!Array.isArray(el.members)) return bad('members 不是列表', 'members is not a list');
    const i = el.members.findIndex((m) => !m || typeof m !== 'object' || !['node', 'way', 'relation'].includes((m as { type?: unknown }).type as string) || !isId((m as { ref?: unknown }).ref)
      || !['string', 'undefined'].includes(typeof (m as { role?: unknown }).role));
    if (i >= 0) return bad(`members[${i}] 无效（需要 type、ref 与 role）`, `members[${i}] is invalid (type, ref and role needed)`);
  }
  return null;
}

function readOverpassJson(text: string, fileName: string): OsmRead {
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
  const problems: { index: number; kind: 'node' | 'way' | 'relation' | 'other'; id?: number; problem: Problem }[] = [];
  (doc.elements as unknown[]).forEach((raw, index) => {
    if (raw && typeof raw === 'object' && NOT_MAP_DATA.has((raw as { type?: string }).type as string)) return;
    const problem = jsonProblem(raw);
    if (problem) {
      const r = (raw ?? {}) as { type?: unknown; id?: unknown };
      const kind = r.type === 'node' || r.type === 'way' || r.type === 'relation' ? r.type : 'other';
      problems.push({ index, kind, ...(isId(r.id) ? { id: r.id } : {}), problem });
      return;
    }
    const e = raw as JsonElement & { id: number };
    const tags = e.tags ?? {};
    if (e.type === 'node') {
      const n: OsmNode = { id: e.id, lon: e.lon as number, lat: e.lat as number };
      if (hasKeys(tags)) n.tags = tags;
      data.nodes.set(e.id, n);
    } else if (e.type === 'way') {
      const nodes = e.nodes as number[];
      const way: OsmWay = { id: e.id, nodes, tags };
      data.ways.push(way);
      if (Array.isArray(e.geometry) && e.geometry.length === nodes.length) {
        e.geometry.forEach((p, i) => {
          const id = nodes[i];
          if (p && typeof p.lat === 'number' && typeof p.lon === 'number' && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 && !data.nodes.has(id)) data.nodes.set(id, { id, lon: p.lon, lat: p.lat });
        });
      }
    } else {
      const members: OsmMember[] = (e.members ?? []).map((mb) => ({ type: mb.type as OsmMember['type'], ref: mb.ref as number, role: mb.role ?? '' }));
      const rel: OsmRelation = { id: e.id, members, tags };
      data.relations.push(rel);
    }
  });
  const skipped = malformedCollector(text);
  if (problems.length) {
    const offsets = jsonElementOffsets(text);
    for (const p of problems) skipped.add(p.kind, offsets[p.index] ?? 0, p.problem, p.id, p.index + 1);
  }
  if (data.nodes.size === 0 && data.ways.length === 0 && typeof doc.remark === 'string') {
    throw osmReadError(fileName, `Overpass 返回了错误：${doc.remark}`, `Overpass returned an error: ${doc.remark}`);
  }
  return { ...data, malformed: skipped.report() };
}
