import { EdgeFlag, encodeGraph, decodeGraph, type RoadGraph } from '../../src/core/graph';
import { haversineM } from '../../src/core/geo';
import { wayClassCode } from '../../src/core/roadClass';
import { streetName } from '../../src/core/roadRulesUnits';
import { FACT_KEY, FactTable, nodeFacts } from '../../src/core/osm/facts';
import { IdIndex } from '../../src/core/osm/idIndex';
import { NodeStore } from '../../src/core/osm/nodeStore';
import { buildRestrictions, type RestrictionStats } from '../../src/core/osm/restrictions';
import type { OsmData, OsmWay, Tags } from '../../src/core/osm/types';

/**
 * TEST-ONLY REFERENCE: buildGraph as it was before the typed rewrite (coordinate hash per node, per-segment arrays,
 * a Map of every used way), kept unchanged so that tests/pipeline/buildSame.test.ts can check that the new
 * src/core/buildGraph.ts gives the same graph buffer and the same stats. Not used by the app.
 */

/** wayFacts as it was (every key sorted, then tested). */
function wayFacts(tags: Tags): Tags | null {
  const out: Tags = {};
  let any = false;
  for (const k of Object.keys(tags).sort()) {
    if (FACT_KEY.test(k) || (k === 'highway' && tags[k] === 'construction')) { out[k] = tags[k]; any = true; }
  }
  return any ? out : null;
}

interface BuildStats extends RestrictionStats {
  waysRead: number;
  waysUsed: number;
  /** Ways skipped because a fire engine cannot use them (footway, path, steps, cycleway, area …). */
  waysNotDrivable: number;
  /** Way node references that point to nodes missing from the extract (clipped at its border). */
  missingNodeRefs: number;
  /** Graph nodes merged because two OSM nodes share the same coordinates. */
  mergedDuplicateNodes: number;
  zeroLengthSegments: number;
  /** Distinct road-rule fact sets stored (without the empty one), and the nodes carrying facts. */
  factSets: number;
  factNodes: number;
}

const NO_ACCESS: ReadonlySet<string> = new Set(['no', 'private']);
const EMERGENCY_OK: ReadonlySet<string> = new Set(['yes', 'designated', 'permissive']);

/** Access class of a way for fire engines: 0 open, EdgeFlag.EmergencyOnly, EdgeFlag.NoAccess. */
function accessFlag(tags: Tags): number {
  const restricted = NO_ACCESS.has(tags.access ?? '') || NO_ACCESS.has(tags.motor_vehicle ?? '') || NO_ACCESS.has(tags.vehicle ?? '');
  if (!restricted) return 0;
  return EMERGENCY_OK.has(tags.emergency ?? '') ? EdgeFlag.EmergencyOnly : EdgeFlag.NoAccess;
}

/** Direction rule of a way: 1 forward only, -1 backward only, 0 both ways. */
function onewayDirection(tags: Tags): 1 | -1 | 0 {
  const o = tags.oneway;
  if (o === 'yes' || o === 'true' || o === '1') return 1;
  if (o === '-1' || o === 'reverse') return -1;
  if (o === 'no' || o === 'false' || o === '0') return 0;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  if (tags.highway === 'motorway') return 1;
  return 0;
}

/** Whether a way is part of the drivable network for fire engines (roads, and vehicle ferries: see roadClass.ts). */
function isDrivableWay(tags: Tags): boolean {
  if (wayClassCode(tags) < 0) return false;
  if (tags.area === 'yes') return false;
  return true;
}

/** OSM maxspeed in km/h (numbers, "50 mph"), 0 when absent or not numeric. */
function parseMaxspeed(v: string | undefined): number {
  if (!v) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mph)?/.exec(v);
  if (!m) return 0;
  const kmh = Number(m[1]) * (m[2] ? 1.609344 : 1);
  return Math.max(0, Math.min(255, Math.round(kmh)));
}

/**
 * Integer coordinate pairs (lon, lat × 1e7) → graph node index: an open-addressing hash on one typed array (slot i:
 * x, y, value at 4i, 4i + 1, 4i + 2, so one probe reads one cache line), in place of a Map keyed by "x,y" strings
 * (one string per node is most of the build's garbage on a city-size extract).
 */
class CoordIndex {
  private table: Int32Array;
  private mask: number;
  private size = 0;
  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.table = CoordIndex.empty(cap);
    this.mask = cap - 1;
  }
  private static empty(cap: number): Int32Array {
    const t = new Int32Array(cap * 4);
    for (let i = 2; i < t.length; i += 4) t[i] = -1;
    return t;
  }
  /** The value stored for (x, y); when there is none, stores v for it and returns -1. */
  getOrAdd(x: number, y: number, v: number): number {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const t = this.table, mask = this.mask;
    let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca6b);
    h ^= h >>> 13;
    let i = (h & mask) * 4;
    while (t[i + 2] !== -1) {
      if (t[i] === x && t[i + 1] === y) return t[i + 2];
      i = (i + 4) & (mask * 4 + 3);
    }
    t[i] = x; t[i + 1] = y; t[i + 2] = v;
    this.size++;
    return -1;
  }
  private grow(): void {
    const old = this.table;
    const cap = (this.mask + 1) * 2;
    this.table = CoordIndex.empty(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 4) if (old[i + 2] !== -1) this.getOrAdd(old[i], old[i + 1], old[i + 2]);
  }
}

/** OSM node id → graph node, for a NodeStore's nodes (byPos: graph node by store position, -1 for none). */
const storeNodeOf = (store: NodeStore, byPos: Int32Array) => ({
  get: (id: number): number | undefined => {
    const k = store.indexOf(id);
    return k >= 0 && byPos[k] >= 0 ? byPos[k] : undefined;
  },
  has: (id: number): boolean => {
    const k = store.indexOf(id);
    return k >= 0 && byPos[k] >= 0;
  },
});

/**
 * Builds the drivable road graph from OSM data, with its turn restrictions (osm/restrictions.ts) and road-rule
 * facts (osm/facts.ts). Deterministic: ways are taken in id order, nodes numbered in order of first use, nodes with
 * identical coordinates merged, edges sorted by tail node (stable), restriction sequences sorted.
 */
export function buildGraphReference(osm: OsmData): { graph: RoadGraph; stats: BuildStats } {
  const stats = {
    waysRead: osm.ways.length, waysUsed: 0, waysNotDrivable: 0, missingNodeRefs: 0, mergedDuplicateNodes: 0, zeroLengthSegments: 0, factSets: 0, factNodes: 0,
  };
  const ways: OsmWay[] = osm.ways.filter((w) => {
    const ok = isDrivableWay(w.tags);
    if (!ok) stats.waysNotDrivable++;
    return ok;
  }).sort((a, b) => a.id - b.id);

  // Typed arrays sized for the most the ways can make (no per-element growth on a city-size extract).
  let refs = 0;
  for (const w of ways) refs += w.nodes.length;
  const nodeIndexByKey = new CoordIndex(Math.min(osm.nodes.size, refs, 1 << 22));
  const osmIdToIndex = new IdIndex(osm.nodes instanceof NodeStore ? 0 : Math.min(osm.nodes.size, refs));
  // OSM nodes with facts (barriers, access) in order of first use, with their graph node
  const factNodes: { idx: number; facts: Tags }[] = [];
  const lon = new Int32Array(refs), lat = new Int32Array(refs);
  let nodes = 0;
  const nameIndex = new Map<string, number>([['\u0000', 0]]);
  const names = { zh: [''], en: [''], ref: [''] };

  // Undirected segments, later expanded into directed edges.
  const cap = Math.max(0, refs - ways.length);
  const segA = new Uint32Array(cap), segB = new Uint32Array(cap), segLen = new Float64Array(cap), segClass = new Uint8Array(cap);
  const segFlags = new Uint8Array(cap), segDir = new Int8Array(cap), segName = new Uint32Array(cap), segMax = new Uint8Array(cap), segFacts = new Uint32Array(cap);
  let segs = 0;
  const waySegments = new Map<number, { first: number; count: number }>();
  const factTable = new FactTable();

  // PBF nodes come in typed arrays (NodeStore): read by position, no node object made, and the graph node of each
  // OSM node kept in an array by that position (one hash lookup per way reference)
  const store = osm.nodes instanceof NodeStore ? osm.nodes : null;
  const byPos = store ? new Int32Array(store.size).fill(-1) : new Int32Array(0);
  const nodeIndex = (id: number): number => {
    let x: number, y: number, tags: Tags | undefined, k = -1;
    if (store) {
      k = store.indexOf(id);
      if (k < 0) return -1;
      if (byPos[k] >= 0) return byPos[k];
      x = Math.round(store.lons[k] * 1e7); y = Math.round(store.lats[k] * 1e7); tags = store.tagsAt(k);
    } else {
      const known = osmIdToIndex.get(id);
      if (known !== undefined) return known;
      const n = osm.nodes.get(id);
      if (!n) return -1;
      x = Math.round(n.lon * 1e7); y = Math.round(n.lat * 1e7); tags = n.tags;
    }
    const f = tags ? nodeFacts(tags) : null;
    let idx = nodeIndexByKey.getOrAdd(x, y, nodes);
    if (idx < 0) {
      idx = nodes++;
      lon[idx] = x;
      lat[idx] = y;
    } else {
      stats.mergedDuplicateNodes++;
    }
    if (store) byPos[k] = idx; else osmIdToIndex.add(id, idx);
    if (f) factNodes.push({ idx, facts: f });
    return idx;
  };

  for (const w of ways) {
    const cls = wayClassCode(w.tags);
    const dir = onewayDirection(w.tags);
    let flags = accessFlag(w.tags);
    if (w.tags.bridge && w.tags.bridge !== 'no') flags |= EdgeFlag.Bridge;
    if (w.tags.tunnel && w.tags.tunnel !== 'no') flags |= EdgeFlag.Tunnel;
    if (w.tags.junction === 'roundabout') flags |= EdgeFlag.Roundabout;
    // The name is `name` (never the ref); the ref is kept beside it as a reference (route texts: "深南大道 (G107)").
    const { name: zh, ref } = streetName(w.tags);
    const en = (w.tags['name:en'] ?? '').trim();
    let nameId = 0;
    if (zh || en || ref) {
      const key = `${zh}\u0000${en}\u0000${ref}`;
      nameId = nameIndex.get(key) ?? -1;
      if (nameId < 0) {
        nameId = names.zh.length;
        names.zh.push(zh);
        names.en.push(en);
        names.ref.push(ref);
        nameIndex.set(key, nameId);
      }
    }
    const maxs = parseMaxspeed(w.tags.maxspeed);
    const facts = factTable.add(wayFacts(w.tags));
    const first = segs;
    let used = false;
    let prev = -1;
    for (const ref of w.nodes) {
      const cur = nodeIndex(ref);
      if (cur < 0) {
        stats.missingNodeRefs++;
        prev = -1;
        continue;
      }
      if (prev >= 0 && cur !== prev) {
        const len = haversineM(lon[prev] / 1e7, lat[prev] / 1e7, lon[cur] / 1e7, lat[cur] / 1e7);
        if (len <= 0) stats.zeroLengthSegments++;
        else {
          segA[segs] = prev; segB[segs] = cur; segLen[segs] = len; segClass[segs] = cls;
          segFlags[segs] = flags; segDir[segs] = dir; segName[segs] = nameId; segMax[segs] = maxs; segFacts[segs] = facts;
          segs++;
          used = true;
        }
      }
      prev = cur;
    }
    if (used) {
      stats.waysUsed++;
      waySegments.set(w.id, { first, count: segs - first });
    }
  }

  // Directed edges: forward (a→b) and backward (b→a) for each segment; the one against a one-way is flagged.
  const n = nodes;
  const s = segs;
  const degree = new Uint32Array(n + 1);
  for (let i = 0; i < s; i++) { degree[segA[i]]++; degree[segB[i]]++; }
  const firstEdge = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) firstEdge[i + 1] = firstEdge[i] + degree[i];
  const m = firstEdge[n];
  const fill = firstEdge.slice(0, n);
  const target = new Uint32Array(m), lengthM = new Float32Array(m), nameId = new Uint32Array(m);
  const roadClass = new Uint8Array(m), flags = new Uint8Array(m), maxspeed = new Uint8Array(m), edgeFacts = new Uint32Array(m);
  const fwd = new Uint32Array(s), bwd = new Uint32Array(s), twin = new Uint32Array(m);
  const put = (from: number, to: number, i: number, against: boolean, reverse: boolean) => {
    const e = fill[from]++;
    target[e] = to; lengthM[e] = segLen[i]; nameId[e] = segName[i]; roadClass[e] = segClass[i]; edgeFacts[e] = segFacts[i];
    flags[e] = segFlags[i] | (against ? EdgeFlag.AgainstOneway : 0) | (reverse ? EdgeFlag.Reverse : 0); maxspeed[e] = segMax[i];
    return e;
  };
  for (let i = 0; i < s; i++) {
    fwd[i] = put(segA[i], segB[i], i, segDir[i] === -1, false);
    bwd[i] = put(segB[i], segA[i], i, segDir[i] === 1, true);
    twin[fwd[i]] = bwd[i];
    twin[bwd[i]] = fwd[i];
  }

  // Node facts (barriers, access): OSM nodes merged into one graph node pool their tags, the first node's win.
  const nodeTags = new Map<number, Tags>();
  for (const { idx, facts: f } of factNodes) nodeTags.set(idx, { ...f, ...nodeTags.get(idx) });
  const nodeFactIdx = new Uint32Array(n);
  for (const [idx, f] of nodeTags) nodeFactIdx[idx] = factTable.add(Object.fromEntries(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1))));
  stats.factNodes = nodeTags.size;
  stats.factSets = factTable.list.length - 1;

  const lonN = lon.slice(0, n), latN = lat.slice(0, n);
  const restr = buildRestrictions({ waySegments, segA: segA.subarray(0, s), segB: segB.subarray(0, s), fwd, bwd, twin, nodeOf: store ? storeNodeOf(store, byPos) : osmIdToIndex, firstEdge, target, flags, lon: lonN, lat: latN }, osm.relations);
  const buffer = encodeGraph({
    lon: lonN, lat: latN, firstEdge, target, lengthM, nameId, roadClass, flags, maxspeed, names,
    restrFirst: restr.restrFirst, restrEdges: restr.restrEdges, edgeFacts, nodeFacts: nodeFactIdx, facts: factTable.list,
  });
  return { graph: decodeGraph(buffer, { checked: true }), stats: { ...stats, ...restr.stats } };
}
