/**
 * The road graph: typed arrays inside one transferable ArrayBuffer.
 *
 * Layout (little-endian, every section 8-byte aligned):
 *   header 64 B: magic 'FSRG' u32, version u32, nodeCount u32, edgeCount u32, namesBytes u32, reserved u32,
 *                bbox f64×4 (minLon, minLat, maxLon, maxLat), reserved 8 B
 *   lon Int32[n], lat Int32[n]          node coordinates in 1e-7 degrees (WGS84)
 *   firstEdge Uint32[n+1]               CSR: edges of node i are firstEdge[i] .. firstEdge[i+1]-1
 *   target Uint32[m]                    head node of each directed edge
 *   lengthM Float32[m]                  metres
 *   nameId Uint32[m]                    index into the name table (0 = unnamed)
 *   roadClass Uint8[m]                  code from roadClass.ts
 *   flags Uint8[m]                      EdgeFlag bits
 *   maxspeed Uint8[m]                   km/h from OSM maxspeed, 0 = not tagged
 *   names                               UTF-8 JSON {"zh": string[], "en": string[]}
 *
 * Every OSM way node becomes a graph node (no contraction), so each edge is one straight segment.
 * Travel seconds are not stored: they come from the speed profile at load time.
 */

export const GRAPH_MAGIC = 0x47525346; // bytes 'F','S','R','G'
export const GRAPH_VERSION = 1;
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
} as const;

export interface GraphNames {
  zh: string[];
  en: string[];
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
   */
  restrFirst?: Uint32Array;
  restrEdges?: Uint32Array;
  /**
   * Raw road-rule facts, applied at load time by the road rules (never baked into the graph): the OSM tags of a way
   * (per edge) and of a node (barriers, access) that the rules read, as indices into `facts` (0 = no such tags).
   */
  edgeFacts?: Uint32Array;
  nodeFacts?: Uint32Array;
  facts?: Record<string, string>[];
}

export class GraphFormatError extends Error {}

interface Section {
  name: 'lon' | 'lat' | 'firstEdge' | 'target' | 'lengthM' | 'nameId' | 'roadClass' | 'flags' | 'maxspeed';
  ctor: Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Uint8ArrayConstructor;
  count: (n: number, m: number) => number;
}

const SECTIONS: Section[] = [
  { name: 'lon', ctor: Int32Array, count: (n) => n },
  { name: 'lat', ctor: Int32Array, count: (n) => n },
  { name: 'firstEdge', ctor: Uint32Array, count: (n) => n + 1 },
  { name: 'target', ctor: Uint32Array, count: (_n, m) => m },
  { name: 'lengthM', ctor: Float32Array, count: (_n, m) => m },
  { name: 'nameId', ctor: Uint32Array, count: (_n, m) => m },
  { name: 'roadClass', ctor: Uint8Array, count: (_n, m) => m },
  { name: 'flags', ctor: Uint8Array, count: (_n, m) => m },
  { name: 'maxspeed', ctor: Uint8Array, count: (_n, m) => m },
];

const align8 = (x: number) => (x + 7) & ~7;

/** Byte offsets of each section for n nodes and m edges. */
function layout(n: number, m: number) {
  let offset = HEADER_BYTES;
  const offsets: Record<string, number> = {};
  for (const s of SECTIONS) {
    offsets[s.name] = offset;
    offset = align8(offset + s.count(n, m) * s.ctor.BYTES_PER_ELEMENT);
  }
  return { offsets, namesOffset: offset };
}

export type GraphArrays = Omit<RoadGraph, 'buffer' | 'nodeCount' | 'edgeCount' | 'bbox'>;

/** Packs graph arrays into one buffer (the format above). */
export function encodeGraph(a: GraphArrays): ArrayBuffer {
  const n = a.lon.length;
  const m = a.target.length;
  const namesBytes = new TextEncoder().encode(JSON.stringify(a.names));
  const { offsets, namesOffset } = layout(n, m);
  const buffer = new ArrayBuffer(align8(namesOffset + namesBytes.length));
  const view = new DataView(buffer);
  view.setUint32(0, GRAPH_MAGIC, true);
  view.setUint32(4, GRAPH_VERSION, true);
  view.setUint32(8, n, true);
  view.setUint32(12, m, true);
  view.setUint32(16, namesBytes.length, true);
  const bbox = computeBbox(a.lon, a.lat);
  bbox.forEach((v, i) => view.setFloat64(24 + i * 8, v, true));
  for (const s of SECTIONS) {
    const src = a[s.name];
    new (s.ctor as Uint8ArrayConstructor)(buffer, offsets[s.name], s.count(n, m)).set(src as Uint8Array);
  }
  new Uint8Array(buffer, namesOffset, namesBytes.length).set(namesBytes);
  return buffer;
}

function computeBbox(lon: Int32Array, lat: Int32Array): [number, number, number, number] {
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

/** Opens a graph buffer without copying the arrays. Throws GraphFormatError on a foreign or damaged buffer. */
export function decodeGraph(buffer: ArrayBuffer): RoadGraph {
  if (buffer.byteLength < HEADER_BYTES) throw new GraphFormatError('路网文件过短 / graph file too short');
  const view = new DataView(buffer);
  if (view.getUint32(0, true) !== GRAPH_MAGIC) throw new GraphFormatError('不是路网图文件 / not a road-graph file (bad magic)');
  const version = view.getUint32(4, true);
  if (version !== GRAPH_VERSION) throw new GraphFormatError(`路网文件版本 ${version} 不受支持 / graph version ${version} unsupported (expected ${GRAPH_VERSION})`);
  const n = view.getUint32(8, true);
  const m = view.getUint32(12, true);
  const namesBytes = view.getUint32(16, true);
  const { offsets, namesOffset } = layout(n, m);
  if (namesOffset + namesBytes > buffer.byteLength) throw new GraphFormatError('路网文件不完整 / graph file truncated');
  const arrays: Record<string, ArrayLike<number>> = {};
  for (const s of SECTIONS) arrays[s.name] = new s.ctor(buffer, offsets[s.name], s.count(n, m));
  const names = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, namesOffset, namesBytes))) as GraphNames;
  const bbox: [number, number, number, number] = [0, 1, 2, 3].map((i) => view.getFloat64(24 + i * 8, true)) as never;
  return { ...(arrays as unknown as Omit<GraphArrays, "names">), buffer, nodeCount: n, edgeCount: m, bbox, names };
}


/** Tail node of every directed edge (derived, not stored). */
export function edgeSources(g: RoadGraph): Uint32Array {
  const src = new Uint32Array(g.edgeCount);
  for (let u = 0; u < g.nodeCount; u++) src.fill(u, g.firstEdge[u], g.firstEdge[u + 1]);
  return src;
}

