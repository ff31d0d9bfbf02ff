/**
 * OpenStreetMap readers: PBF (pbf.ts, clipped while decoding), OSM XML and Overpass JSON (readText.ts), behind one readOsm.
 * Pure TypeScript: runs in Node and in a browser Web Worker. The format is sniffed from the bytes, not the name;
 * gzip-compressed XML/JSON (.osm.gz) is unpacked first.
 */
import { isErrorInfo, plannerError, type PlannerError } from '../errors';
import { gunzip } from './inflate';
import { malformedCollector, malformedMessage, malformedTotal } from './malformed';
import type { Bbox } from './clip';
import { NodeStore } from './nodeStore';
import { readPbf, tooManyNodesError, type LimitNote } from './pbf';
import type { OsmData, OsmNode, OsmRelation, OsmWay, Tags } from './types';
import { emptyData, osmReadError, readOverpassJson, readXml, type OsmRead, type ProgressFn } from './readText';

export { estimatePbfNodes, pbfBudget, splitPbf, type LimitNote } from './pbf';
export { jsonElementOffsets, osmReadError, type OsmRead, type ProgressFn } from './readText';

export type OsmFormat = 'pbf' | 'xml' | 'json';

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
