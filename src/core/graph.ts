/**
 * The road graph: typed arrays inside one transferable ArrayBuffer.
 *
 * Layout, format version 2 (little-endian, every section 8-byte aligned):
 *   header 64 B: magic 'FSRG' u32, version u32, nodeCount n u32, edgeCount m u32, namesBytes u32,
 *                restrCount k u32, bbox f64×4 (minLon, minLat, maxLon, maxLat), restrEdgeCount r u32, factsBytes u32
 *   lon Int32[n], lat Int32[n]          node coordinates in 1e-7 degrees (WGS84)
 *   firstEdge Uint32[n+1]               CSR: edges of node i are firstEdge[i] .. firstEdge[i+1]-1
 *   target Uint32[m]                    head node of each directed edge
 *   lengthM Float32[m]                  metres
 *   nameId Uint32[m]                    index into the name table (0 = unnamed)
 *   roadClass Uint8[m]                  code from roadClass.ts
 *   flags Uint8[m]                      EdgeFlag bits
 *   maxspeed Uint8[m]                   km/h from OSM maxspeed, 0 = not tagged
 *   restrFirst Uint32[k+1]              CSR over forbidden edge sequences (turn restrictions)
 *   restrEdges Uint32[r]                the sequences' directed edges
 *   edgeFacts Uint32[m]                 index into the facts table per directed edge (0 = none)
 *   nodeFacts Uint32[n]                 index into the facts table per node (0 = none)
 *   names                               UTF-8 JSON {"zh": string[], "en": string[], "ref": string[]} (ref: road numbers,
 *                                       aligned with zh/en; absent in older files)
 *   facts                               UTF-8 JSON Record<string, string>[] (facts[0] = {})
 *
 * Version 1 (written before turn restrictions) is the same without the four sections after maxspeed, the facts
 * block and the header fields k, r, factsBytes (reserved zeros). It is still read, with no turn restrictions and
 * no facts (`formatVersion` 1), so graphs kept in a browser's IndexedDB keep working until they are re-imported.
 *
 * Every OSM way node becomes a graph node (no contraction), so each edge is one straight segment.
 * Travel seconds are not stored: they come from the speed profile at load time; likewise the road rules are applied
 * to the raw facts at load time.
 */
import { plannerError } from './errors';

export const GRAPH_MAGIC = 0x47525346; // bytes 'F','S','R','G'
export const GRAPH_VERSION = 2;
const HEADER_BYTES = 64;

export const EdgeFlag = {
  /** This directed edge runs against a one-way road (usable only with emergency contraflow). */
  AgainstOneway: 1,
  Bridge: 2,
  Tunnel: 4,
  /** access=no/private but emergency=yes/designated: open to fire engines. */
  EmergencyOnly: 8,
  /** access=no/private with no emergency exemption. */
  NoAccess: 16,
  Roundabout: 32,
  /**
   * This directed edge runs against the node order of its OSM way (for direction-dependent facts such as
   * `oneway:*`, `access:backward`, `maxspeed:forward`). Set on one of the two edges of every segment.
   */
  Reverse: 64,
} as const;

export interface GraphNames {
  /** Street name (OSM name; never the ref). */
  zh: string[];
  /** English name (name:en), '' when none. */
  en: string[];
  /**
   * Road number(s) (OSM ref, "G107" or "G325 / S113"), aligned with zh/en; shown as a reference beside the name.
   * Optional when encoding; decodeGraph always sets it ('' for every name of an older file, whose zh may hold a ref).
   */
  ref?: string[];
}

export interface RoadGraph {
  buffer: ArrayBuffer;
  nodeCount: number;
  edgeCount: number;
  bbox: [number, number, number, number];
  lon: Int32Array;
  lat: Int32Array;
  firstEdge: Uint32Array;
  target: Uint32Array;
  lengthM: Float32Array;
  nameId: Uint32Array;
  roadClass: Uint8Array;
  flags: Uint8Array;
  maxspeed: Uint8Array;
  names: GraphNames;
  /**
   * Turn restrictions as forbidden sequences of directed edges (CSR): sequence k is restrEdges[restrFirst[k] ..
   * restrFirst[k+1]-1] — from-edge, the edges of a via way if any, to-edge; a path may not contain it. OSM `only_*`
   * restrictions are stored as the `no` sequences they imply. Absent or empty = no restriction.
   * decodeGraph always sets them (restrFirst = [0] when there is none); sequences are sorted and unique.
   */
  restrFirst?: Uint32Array;
  restrEdges?: Uint32Array;
  /**
   * Raw road-rule facts, applied at load time by the road rules (never baked into the graph): the OSM tags of a way
   * (per edge) and of a node (barriers, access) that the rules read, as indices into `facts` (0 = no such tags).
   * decodeGraph always sets them (all 0 and facts = [{}] for a version-1 file).
   */
  edgeFacts?: Uint32Array;
  nodeFacts?: Uint32Array;
  facts?: Record<string, string>[];
  /** Format version of the decoded buffer (1 = old file without restrictions and facts). */
  formatVersion?: number;
}

type SectionName = 'lon' | 'lat' | 'firstEdge' | 'target' | 'lengthM' | 'nameId' | 'roadClass' | 'flags' | 'maxspeed'
  | 'restrFirst' | 'restrEdges' | 'edgeFacts' | 'nodeFacts';

interface Counts { n: number; m: number; k: number; r: number }

interface Section {
  name: SectionName;
  ctor: Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor;
  count: (c: Counts) => number;
}

const SECTIONS_V1: readonly Section[] = [
  { name: 'lon', ctor: Int32Array, count: (c) => c.n },
  { name: 'lat', ctor: Int32Array, count: (c) => c.n },
  { name: 'firstEdge', ctor: Uint32Array, count: (c) => c.n + 1 },
  { name: 'target', ctor: Uint32Array, count: (c) => c.m },
  { name: 'lengthM', ctor: Float32Array, count: (c) => c.m },
  { name: 'nameId', ctor: Uint32Array, count: (c) => c.m },
  { name: 'roadClass', ctor: Uint8Array, count: (c) => c.m },
  { name: 'flags', ctor: Uint8Array, count: (c) => c.m },
  { name: 'maxspeed', ctor: Uint8Array, count: (c) => c.m },
];

const SECTIONS_V2: readonly Section[] = [
  ...SECTIONS_V1,
  { name: 'restrFirst', ctor: Uint32Array, count: (c) => c.k + 1 },
  { name: 'restrEdges', ctor: Uint32Array, count: (c) => c.r },
  { name: 'edgeFacts', ctor: Uint32Array, count: (c) => c.m },
  { name: 'nodeFacts', ctor: Uint32Array, count: (c) => c.n },
];

const align8 = (x: number) => (x + 7) & ~7;

/** Byte offsets of each section; `end` = where the JSON blocks start. */
function layout(sections: readonly Section[], c: Counts) {
  let offset = HEADER_BYTES;
  const offsets: Partial<Record<SectionName, number>> = {};
  for (const s of sections) {
    offsets[s.name] = offset;
    offset = align8(offset + s.count(c) * s.ctor.BYTES_PER_ELEMENT);
  }
  return { offsets, end: offset };
}

export type GraphArrays = Omit<RoadGraph, 'buffer' | 'nodeCount' | 'edgeCount' | 'bbox' | 'formatVersion'>;

/** Views of every section of a graph buffer (format version 2), in file order. */
export interface GraphSections {
  lon: Int32Array; lat: Int32Array; firstEdge: Uint32Array; target: Uint32Array; lengthM: Float32Array; nameId: Uint32Array;
  roadClass: Uint8Array; flags: Uint8Array; maxspeed: Uint8Array; restrFirst: Uint32Array; restrEdges: Uint32Array;
  edgeFacts: Uint32Array; nodeFacts: Uint32Array;
}

/**
 * A graph buffer (format version 2) laid out for the nodes `lon`/`lat`, `edgeCount` edges, the restrictions, names
 * and facts: the header written (bbox from lon, lat), lon, lat, restrictions, names and facts copied in, the other
 * sections zero, to be filled in place through `sections` (buildGraph writes its edges straight into them instead
 * of into arrays of its own that would then be copied).
 */
export function allocateGraph(a: {
  lon: ArrayLike<number>; lat: ArrayLike<number>; edgeCount: number; restrFirst?: Uint32Array; restrEdges?: Uint32Array;
  names: GraphNames; facts?: Record<string, string>[];
  /** The least and greatest lon, lat of the nodes [minLon, minLat, maxLon, maxLat] when the caller has them (else computed). */
  bounds?: readonly [number, number, number, number];
}): { buffer: ArrayBuffer; sections: GraphSections } {
  const n = a.lon.length;
  const m = a.edgeCount;
  const restrFirst = a.restrFirst && a.restrFirst.length > 0 ? a.restrFirst : new Uint32Array(1);
  const restrEdges = a.restrEdges ?? new Uint32Array(0);
  const c: Counts = { n, m, k: restrFirst.length - 1, r: restrEdges.length };
  const enc = new TextEncoder();
  const namesBytes = enc.encode(JSON.stringify(a.names));
  const factsBytes = enc.encode(JSON.stringify(a.facts ?? [{}]));
  const { offsets, end } = layout(SECTIONS_V2, c);
  const factsOffset = align8(end + namesBytes.length);
  const buffer = new ArrayBuffer(align8(factsOffset + factsBytes.length));
  const view = new DataView(buffer);
  view.setUint32(0, GRAPH_MAGIC, true);
  view.setUint32(4, GRAPH_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, m, true);
  view.setUint32(16, namesBytes.length, true);
  view.setUint32(20, c.k, true);
  const bbox = a.bounds && n > 0 ? a.bounds.map((v) => v / 1e7) : computeBbox(a.lon, a.lat);
  bbox.forEach((v, i) => view.setFloat64(24 + i * 8, v, true));
  view.setUint32(56, c.r, true);
  view.setUint32(60, factsBytes.length, true);
  const sections = {} as Record<SectionName, ArrayLike<number>>;
  for (const s of SECTIONS_V2) sections[s.name] = new s.ctor(buffer, offsets[s.name], s.count(c));
  const out = sections as unknown as GraphSections;
  const copy = { lon: a.lon, lat: a.lat, restrFirst, restrEdges } as const;
  for (const [name, src] of Object.entries(copy) as [SectionName, ArrayLike<number>][]) {
    const dst = sections[name] as Uint8Array;
    if (src.length !== dst.length) throw wrongLength(name, src.length, dst.length);
    dst.set(src as Uint8Array);
  }
  new Uint8Array(buffer, end, namesBytes.length).set(namesBytes);
  new Uint8Array(buffer, factsOffset, factsBytes.length).set(factsBytes);
  return { buffer, sections: out };
}

const wrongLength = (name: string, got: number, want: number) =>
  plannerError('bad-graph', `路网数组 ${name} 长度不符`, `graph array ${name} has the wrong length`, { detail: `${got} ≠ ${want}` });

/** Packs graph arrays into one buffer (format version 2). Missing restriction or fact arrays are stored empty. */
export function encodeGraph(a: GraphArrays): ArrayBuffer {
  const { buffer, sections } = allocateGraph({ ...a, edgeCount: a.target.length });
  const rest: SectionName[] = ['firstEdge', 'target', 'lengthM', 'nameId', 'roadClass', 'flags', 'maxspeed', 'edgeFacts', 'nodeFacts'];
  for (const name of rest) {
    const src = a[name], dst = sections[name] as Uint8Array;
    if (src === undefined) continue; // edgeFacts, nodeFacts: stored as zeros
    if (src.length !== dst.length) throw wrongLength(name, src.length, dst.length);
    dst.set(src as Uint8Array);
  }
  return buffer;
}

function computeBbox(lon: ArrayLike<number>, lat: ArrayLike<number>): [number, number, number, number] {
  if (lon.length === 0) return [0, 0, 0, 0];
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (let i = 0; i < lon.length; i++) {
    if (lon[i] < a) a = lon[i];
    if (lon[i] > c) c = lon[i];
    if (lat[i] < b) b = lat[i];
    if (lat[i] > d) d = lat[i];
  }
  return [a / 1e7, b / 1e7, c / 1e7, d / 1e7];
}

const badGraph = (zh: string, en: string, detail?: string) =>
  plannerError('bad-graph', `路网文件无效：${zh}`, `invalid road graph: ${en}`, detail === undefined ? {} : { detail });

function parseJsonBlock(buffer: ArrayBuffer, offset: number, bytes: number, zh: string, en: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, offset, bytes)));
  } catch (e) {
    throw badGraph(zh, en, (e as Error).message);
  }
}

/** The name table with `ref` aligned to zh (filled with '' when an older file has none). */
function checkNames(v: unknown): GraphNames {
  const strings = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string');
  const n = v as GraphNames;
  if (typeof v !== 'object' || v === null || !strings(n.zh) || !strings(n.en) || n.en.length !== n.zh.length || (n.ref !== undefined && (!strings(n.ref) || n.ref.length !== n.zh.length)))
    throw badGraph('名称表格式错误', 'the name table is malformed');
  return n.ref ? n : { ...n, ref: n.zh.map(() => '') };
}

function checkFacts(facts: unknown): Record<string, string>[] {
  const ok = Array.isArray(facts) && facts.length > 0 && facts.every((f) =>
    typeof f === 'object' && f !== null && !Array.isArray(f) && Object.values(f).every((v) => typeof v === 'string'));
  if (!ok || Object.keys(facts[0]).length !== 0) throw badGraph('道路规则事实表格式错误', 'the road-rule facts table is malformed');
  return facts as Record<string, string>[];
}

/** Checks the restriction CSR and the fact indices of a decoded version-2 graph (O(n + m + r)). */
function checkSections(g: RoadGraph): void {
  const { restrFirst, restrEdges, edgeFacts, nodeFacts, facts } = g as Required<RoadGraph>;
  const k = restrFirst.length - 1;
  if (restrFirst[0] !== 0 || restrFirst[k] !== restrEdges.length) throw badGraph('转向限制索引损坏', 'damaged turn-restriction index');
  for (let i = 0; i < k; i++) if (restrFirst[i + 1] < restrFirst[i] + 2) throw badGraph('转向限制索引损坏', 'damaged turn-restriction index', `sequence ${i}`);
  for (let i = 0; i < restrEdges.length; i++) if (restrEdges[i] >= g.edgeCount) throw badGraph('转向限制指向不存在的路段', 'a turn restriction names a missing edge', `edge ${restrEdges[i]}`);
  const nf = facts.length;
  for (let e = 0; e < edgeFacts.length; e++) if (edgeFacts[e] >= nf) throw badGraph('路段规则事实索引越界', 'an edge fact index is out of range', `edge ${e}`);
  for (let v = 0; v < nodeFacts.length; v++) if (nodeFacts[v] >= nf) throw badGraph('节点规则事实索引越界', 'a node fact index is out of range', `node ${v}`);
}

/**
 * Opens a graph buffer without copying the arrays. Throws PlannerError 'bad-graph' on a foreign or damaged buffer
 * and 'graph-version' on a format version this code does not know (newer than GRAPH_VERSION). `checked`: the buffer
 * was just made by encodeGraph from arrays already known to be consistent (buildGraph), so the O(n + m) index checks
 * are skipped; a buffer read from a file or another thread is always checked.
 */
export function decodeGraph(buffer: ArrayBuffer, opts: { checked?: boolean } = {}): RoadGraph {
  if (buffer.byteLength < HEADER_BYTES) throw badGraph('文件过短', 'the file is too short');
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== GRAPH_MAGIC) throw badGraph('不是路网图文件', 'not a road-graph file (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== 1 && version !== 2) {
    throw plannerError('graph-version', `路网文件版本 ${version} 不受支持（本程序读取版本 1–${GRAPH_VERSION}），请用本程序重新生成`,
      `road-graph format version ${version} is not supported (this program reads versions 1–${GRAPH_VERSION}); rebuild it with this program`);
  }
  const n = view.getUint32(8, true);
  const m = view.getUint32(12, true);
  const namesBytes = view.getUint32(16, true);
  const v2 = version === 2;
  const c: Counts = { n, m, k: v2 ? view.getUint32(20, true) : 0, r: v2 ? view.getUint32(56, true) : 0 };
  const factsBytes = v2 ? view.getUint32(60, true) : 0;
  const { offsets, end } = layout(v2 ? SECTIONS_V2 : SECTIONS_V1, c);
  const factsOffset = align8(end + namesBytes);
  if ((v2 ? factsOffset + factsBytes : end + namesBytes) > buffer.byteLength) throw badGraph('文件不完整', 'the file is truncated');
  const arrays: Partial<Record<SectionName, ArrayLike<number>>> = {};
  for (const s of v2 ? SECTIONS_V2 : SECTIONS_V1) arrays[s.name] = new s.ctor(buffer, offsets[s.name], s.count(c));
  const names = checkNames(parseJsonBlock(buffer, end, namesBytes, '名称表损坏', 'damaged name table'));
  const bbox: [number, number, number, number] = [0, 1, 2, 3].map((i) => view.getFloat64(24 + i * 8, true)) as never;
  const g: RoadGraph = {
    ...(arrays as unknown as Omit<GraphArrays, 'names'>), buffer, nodeCount: n, edgeCount: m, bbox, names, formatVersion: version,
  };
  if (!v2) {
    g.restrFirst = new Uint32Array(1);
    g.restrEdges = new Uint32Array(0);
    g.edgeFacts = new Uint32Array(m);
    g.nodeFacts = new Uint32Array(n);
    g.facts = [{}];
    return g;
  }
  g.facts = checkFacts(parseJsonBlock(buffer, factsOffset, factsBytes, '道路规则事实表损坏', 'damaged road-rule facts table'));
  if (!opts.checked) checkSections(g);
  return g;
}

/** Number of forbidden sequences (turn restrictions) in a graph; 0 when it has none. */
export const restrictionCount = (g: RoadGraph): number => (g.restrFirst && g.restrFirst.length > 0 ? g.restrFirst.length - 1 : 0);

/** The directed edges of forbidden sequence k. */
export function restrictionEdges(g: RoadGraph, k: number): Uint32Array {
  const first = g.restrFirst as Uint32Array;
  return (g.restrEdges as Uint32Array).subarray(first[k], first[k + 1]);
}

/** Tail node of every directed edge (derived, not stored). */
export function edgeSources(g: RoadGraph): Uint32Array {
  const src = new Uint32Array(g.edgeCount);
  const first = g.firstEdge;
  // a plain loop: fill() per node costs a call each for a handful of edges
  for (let u = 0, e = first[0]; u < g.nodeCount; u++) for (const end = first[u + 1]; e < end; e++) src[e] = u;
  return src;
}

