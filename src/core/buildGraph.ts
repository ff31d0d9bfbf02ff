import { allocateGraph, decodeGraph, EdgeFlag, type RoadGraph } from './graph';
import { EARTH_RADIUS_M } from './geo';
import { wayClassCode } from './roadClass';
import { streetName } from './roadRulesUnits';
import { FactTable, nodeFacts, wayFacts } from './osm/facts';
import { IdIndex } from './osm/idIndex';
import { NodeStore } from './osm/nodeStore';
import { buildRestrictions, isRestriction, type RestrictionStats } from './osm/restrictions';
import type { OsmData, OsmWay, Tags } from './osm/types';

export interface BuildStats extends RestrictionStats {
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
export function accessFlag(tags: Tags): number {
  const restricted = NO_ACCESS.has(tags.access ?? '') || NO_ACCESS.has(tags.motor_vehicle ?? '') || NO_ACCESS.has(tags.vehicle ?? '');
  if (!restricted) return 0;
  return EMERGENCY_OK.has(tags.emergency ?? '') ? EdgeFlag.EmergencyOnly : EdgeFlag.NoAccess;
}

/** Direction rule of a way: 1 forward only, -1 backward only, 0 both ways. */
export function onewayDirection(tags: Tags): 1 | -1 | 0 {
  const o = tags.oneway;
  if (o === 'yes' || o === 'true' || o === '1') return 1;
  if (o === '-1' || o === 'reverse') return -1;
  if (o === 'no' || o === 'false' || o === '0') return 0;
  if (tags.junction === 'roundabout' || tags.junction === 'circular') return 1;
  if (tags.highway === 'motorway') return 1;
  return 0;
}

/** Whether a way is part of the drivable network for fire engines (roads, and vehicle ferries: see roadClass.ts). */
export function isDrivableWay(tags: Tags): boolean {
  if (wayClassCode(tags) < 0) return false;
  if (tags.area === 'yes') return false;
  return true;
}

/** OSM maxspeed in km/h (numbers, "50 mph"), 0 when absent or not numeric. */
export function parseMaxspeed(v: string | undefined): number {
  if (!v) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mph)?/.exec(v);
  if (!m) return 0;
  const kmh = Number(m[1]) * (m[2] ? 1.609344 : 1);
  return Math.max(0, Math.min(255, Math.round(kmh)));
}

/**
 * For each of `count` points (x[i], y[i]): the first point with the same coordinates (i itself when none comes before
 * it), or null when no two points are equal. The points are sorted by a 32-bit hash of their coordinates (LSD radix
 * sort, three passes of 11 bits over key and index together: sequential memory, no hash table probed at random), so
 * equal coordinates sit side by side; the rare runs of equal hashes are sorted by coordinates and index.
 */
export function firstOfSameCoordinates(x: Int32Array, y: Int32Array, count: number): Int32Array | null {
  let key = new Uint32Array(count), idx = new Uint32Array(count);
  const hist = new Uint32Array(3 * 2048);
  for (let i = 0; i < count; i++) {
    let h = Math.imul(x[i], 0x9e3779b1) ^ y[i];
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    h >>>= 0;
    key[i] = h; idx[i] = i;
    hist[h & 2047]++; hist[2048 + ((h >>> 11) & 2047)]++; hist[4096 + (h >>> 22)]++;
  }
  let key2 = new Uint32Array(count), idx2 = new Uint32Array(count);
  for (let pass = 0; pass < 3; pass++) {
    const shift = pass * 11, base = pass * 2048;
    for (let b = 0, sum = 0; b < 2048; b++) { const c = hist[base + b]; hist[base + b] = sum; sum += c; }
    for (let i = 0; i < count; i++) {
      const h = key[i];
      const at = hist[base + ((h >>> shift) & 2047)]++;
      key2[at] = h; idx2[at] = idx[i];
    }
    [key, key2] = [key2, key];
    [idx, idx2] = [idx2, idx];
  }
  let first: Int32Array | null = null;
  for (let i = 0; i + 1 < count;) {
    let j = i + 1;
    while (j < count && key[j] === key[i]) j++;
    if (j - i > 1) {
      const run = idx.subarray(i, j).sort((a, b) => x[a] - x[b] || y[a] - y[b] || a - b);
      for (let r = 1, lead = 0; r < run.length; r++) {
        if (x[run[r]] !== x[run[lead]] || y[run[r]] !== y[run[lead]]) { lead = r; continue; }
        if (!first) { first = new Int32Array(count); for (let k = 0; k < count; k++) first[k] = k; }
        first[run[r]] = run[lead];
      }
    }
    i = j;
  }
  return first;
}

/** Attributes every edge of a way shares, one entry per way (typed arrays, not an object per way or per edge). */
interface WayAttributes { cls: Uint8Array; flags: Uint8Array; dir: Int8Array; name: Uint32Array; maxspeed: Uint8Array; facts: Uint32Array }

/**
 * The attributes of each way, in way order: the name table and the fact table number their entries in order of first
 * use, as the graph file stores them. Every drivable way gets its entries, used or not (all its nodes may be missing).
 */
function wayAttributes(ways: OsmWay[], names: { zh: string[]; en: string[]; ref: string[] }, factTable: FactTable): WayAttributes {
  const w = ways.length;
  const a: WayAttributes = { cls: new Uint8Array(w), flags: new Uint8Array(w), dir: new Int8Array(w), name: new Uint32Array(w), maxspeed: new Uint8Array(w), facts: new Uint32Array(w) };
  // names without name:en and ref (most) by their name alone; the others by all three, \u0000-joined
  const byName = new Map<string, number>(), byAll = new Map<string, number>();
  const nameId = (zh: string, en: string, ref: string): number => {
    const plain = !en && !ref;
    const key = plain ? zh : `${zh}\u0000${en}\u0000${ref}`;
    const index = plain ? byName : byAll;
    let id = index.get(key);
    if (id === undefined) {
      id = names.zh.length;
      names.zh.push(zh);
      names.en.push(en);
      names.ref.push(ref);
      index.set(key, id);
    }
    return id;
  };
  for (let i = 0; i < w; i++) {
    const t = ways[i].tags;
    a.cls[i] = wayClassCode(t);
    a.dir[i] = onewayDirection(t);
    let flags = accessFlag(t);
    if (t.bridge && t.bridge !== 'no') flags |= EdgeFlag.Bridge;
    if (t.tunnel && t.tunnel !== 'no') flags |= EdgeFlag.Tunnel;
    if (t.junction === 'roundabout') flags |= EdgeFlag.Roundabout;
    a.flags[i] = flags;
    // The name is `name` (never the ref); the ref is kept beside it as a reference (route texts: "深南大道 (G107)").
    // (streetName only where there is a ref to split: the same name either way)
    const { name: zh, ref } = t.ref === undefined ? { name: (t.name ?? '').trim(), ref: '' } : streetName(t);
    const en = (t['name:en'] ?? '').trim();
    a.name[i] = zh || en || ref ? nameId(zh, en, ref) : 0;
    a.maxspeed[i] = parseMaxspeed(t.maxspeed);
    a.facts[i] = factTable.add(wayFacts(t));
  }
  return a;
}

/** The way references resolved: OSM nodes numbered in order of first use, with their coordinates and road facts. */
interface FirstUse {
  /** Node number of each way reference (ways in order, each way's references in order); -1: not in the extract. */
  refNode: Int32Array;
  /** Nodes numbered; x, y: their coordinates × 1e7 (lon, lat). */
  count: number;
  x: Int32Array;
  y: Int32Array;
  missing: number;
  /** OSM nodes that carry road facts (barriers, access), in order of their number. */
  facts: { node: number; facts: Tags }[];
  /** Node number of an OSM node id, -1 when it is not used by a way. */
  numberOf: (id: number) => number;
}

/**
 * Every way reference → the OSM node's number, in order of first use. A NodeStore (PBF) is read by position and
 * the numbers are kept in an array by that position: one id lookup per reference, skipped when the id follows the
 * previous one in the store (a way's nodes often have consecutive ids, and a PBF stores nodes in id order).
 */
function numberNodes(osm: OsmData, ways: OsmWay[], refs: number): FirstUse {
  const refNode = new Int32Array(refs);
  const cap = Math.min(refs, osm.nodes.size);
  const x = new Int32Array(cap), y = new Int32Array(cap);
  const facts: { node: number; facts: Tags }[] = [];
  let count = 0, missing = 0, j = 0;
  const all = osm.nodes;
  if (all instanceof NodeStore) {
    const { ids, lons, lats } = all;
    const size = all.size;
    const byPos = new Int32Array(size).fill(-1);
    let prevId = NaN, prevPos = -1;
    for (const w of ways) {
      for (const id of w.nodes) {
        let k = prevPos + (id - prevId);
        if (!(k >= 0 && k < size && ids[k] === id)) k = all.indexOf(id);
        if (k < 0) { missing++; refNode[j++] = -1; continue; }
        prevId = id; prevPos = k;
        let p = byPos[k];
        if (p < 0) {
          p = byPos[k] = count++;
          x[p] = Math.round(lons[k] * 1e7);
          y[p] = Math.round(lats[k] * 1e7);
        }
        refNode[j++] = p;
      }
    }
    for (const k of all.taggedPositions()) {
      const f = byPos[k] >= 0 ? nodeFacts(all.tagsAt(k)) : null;
      if (f) facts.push({ node: byPos[k], facts: f });
    }
    facts.sort((a, b) => a.node - b.node);
    return { refNode, count, x, y, missing, facts, numberOf: (id) => { const k = all.indexOf(id); return k < 0 ? -1 : byPos[k]; } };
  }
  const numbers = new IdIndex(cap);
  for (const w of ways) {
    for (const id of w.nodes) {
      let p = numbers.at(id);
      if (p < 0) {
        const n = all.get(id);
        if (!n) { missing++; refNode[j++] = -1; continue; }
        p = count++;
        numbers.add(id, p);
        x[p] = Math.round(n.lon * 1e7);
        y[p] = Math.round(n.lat * 1e7);
        const f = n.tags ? nodeFacts(n.tags) : null;
        if (f) facts.push({ node: p, facts: f });
      }
      refNode[j++] = p;
    }
  }
  return { refNode, count, x, y, missing, facts, numberOf: (id) => numbers.at(id) };
}

const RAD = Math.PI / 180;

/**
 * Builds the drivable road graph from OSM data, with its turn restrictions (osm/restrictions.ts) and road-rule
 * facts (osm/facts.ts). Deterministic: ways are taken in id order, nodes numbered in order of first use, nodes with
 * identical coordinates merged, edges sorted by tail node (stable), restriction sequences sorted.
 *
 * In typed arrays throughout (a city's million nodes and four million edges make no object each): way references
 * numbered by OSM node (numberNodes), equal coordinates merged (firstOfSameCoordinates), segments of consecutive
 * references, then the CSR adjacency counted and filled straight into the graph buffer (allocateGraph).
 */
export function buildGraph(osm: OsmData): { graph: RoadGraph; stats: BuildStats } {
  const stats = {
    waysRead: osm.ways.length, waysUsed: 0, waysNotDrivable: 0, missingNodeRefs: 0, mergedDuplicateNodes: 0, zeroLengthSegments: 0, factSets: 0, factNodes: 0,
  };
  const ways: OsmWay[] = osm.ways.filter((w) => {
    const ok = isDrivableWay(w.tags);
    if (!ok) stats.waysNotDrivable++;
    return ok;
  });
  // (PBF ways come in id order: sorted only when not; the sort is stable, so the same order either way)
  if (ways.some((w, i) => i > 0 && ways[i - 1].id > w.id)) ways.sort((a, b) => a.id - b.id);
  const W = ways.length;
  const names = { zh: [''], en: [''], ref: [''] };
  const factTable = new FactTable();
  const attrs = wayAttributes(ways, names, factTable);

  let refs = 0;
  for (const w of ways) refs += w.nodes.length;
  const use = numberNodes(osm, ways, refs);
  stats.missingNodeRefs = use.missing;

  // Nodes with identical coordinates merged: each takes the number of the first used one, the others move up
  const same = firstOfSameCoordinates(use.x, use.y, use.count);
  let n = use.count, node: Int32Array | null = null, lon = use.x.subarray(0, n), lat = use.y.subarray(0, n);
  if (same) {
    node = new Int32Array(use.count);
    n = 0;
    for (let p = 0; p < use.count; p++) node[p] = same[p] === p ? n++ : node[same[p]];
    lon = new Int32Array(n); lat = new Int32Array(n);
    for (let p = 0; p < use.count; p++) if (same[p] === p) { lon[node[p]] = use.x[p]; lat[node[p]] = use.y[p]; }
    stats.mergedDuplicateNodes = use.count - n;
  }
  const cosLat = new Float64Array(n);
  for (let v = 0; v < n; v++) cosLat[v] = Math.cos((lat[v] / 1e7) * RAD);

  // Undirected segments between consecutive references (haversine length, as geo.ts haversineM, its cosines per
  // node), with the degree of each node; a way's segments are consecutive
  const restricting = osm.relations.some(isRestriction);
  const inRestriction = new Set<number>();
  if (restricting) for (const r of osm.relations) if (isRestriction(r)) for (const m of r.members) if (m.type === 'way') inRestriction.add(m.ref);
  const waySegments = new Map<number, { first: number; count: number }>();
  const cap = Math.max(0, refs - W);
  const segA = new Uint32Array(cap), segB = new Uint32Array(cap), segLen = new Float32Array(cap), segWay = new Uint32Array(cap);
  const degree = new Uint32Array(n + 1);
  const refNode = use.refNode;
  let s = 0;
  for (let w = 0, j = 0; w < W; w++) {
    const first = s;
    let prev = -1;
    for (const end = j + ways[w].nodes.length; j < end; j++) {
      let cur = refNode[j];
      if (cur < 0) { prev = -1; continue; }
      if (node) cur = node[cur];
      if (prev >= 0 && cur !== prev) {
        const lat1 = lat[prev] / 1e7, lat2 = lat[cur] / 1e7;
        const dLat = (lat2 - lat1) * RAD;
        const dLon = (lon[cur] / 1e7 - lon[prev] / 1e7) * RAD;
        const a = Math.sin(dLat / 2) ** 2 + cosLat[prev] * cosLat[cur] * Math.sin(dLon / 2) ** 2;
        const len = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
        if (len <= 0) stats.zeroLengthSegments++;
        else {
          segA[s] = prev; segB[s] = cur; segLen[s] = len; segWay[s] = w;
          degree[prev]++; degree[cur]++;
          s++;
        }
      }
      prev = cur;
    }
    if (s > first) {
      stats.waysUsed++;
      if (inRestriction.has(ways[w].id)) waySegments.set(ways[w].id, { first, count: s - first });
    }
  }

  // Node facts (barriers, access): OSM nodes merged into one graph node pool their tags, the first node's win.
  const nodeTags = new Map<number, Tags>();
  for (const { node: p, facts: f } of use.facts) {
    const v = node ? node[p] : p;
    nodeTags.set(v, { ...f, ...nodeTags.get(v) });
  }
  const nodeFactIdx = new Uint32Array(n);
  for (const [v, f] of nodeTags) nodeFactIdx[v] = factTable.add(Object.fromEntries(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1))));
  stats.factNodes = nodeTags.size;
  stats.factSets = factTable.list.length - 1;

  // CSR: edges of a node in segment order, the segment's forward edge (a → b) and backward edge (b → a)
  const firstEdge = new Uint32Array(n + 1);
  for (let v = 0; v < n; v++) firstEdge[v + 1] = firstEdge[v] + degree[v];
  const m = firstEdge[n];
  const fwd = new Uint32Array(s), bwd = new Uint32Array(s);
  const fill = degree; // reused: the next free edge of each node
  fill.set(firstEdge.subarray(0, n));
  for (let i = 0; i < s; i++) { fwd[i] = fill[segA[i]]++; bwd[i] = fill[segB[i]]++; }

  // Turn restrictions need the edges' heads and flags; without restriction relations there is nothing to compute
  // and the edges go straight into the graph buffer
  const edges = (target: Uint32Array, flags: Uint8Array) => {
    for (let i = 0; i < s; i++) {
      const w = segWay[i], f = attrs.flags[w], dir = attrs.dir[w];
      const e = fwd[i], b = bwd[i];
      target[e] = segB[i]; target[b] = segA[i];
      flags[e] = f | (dir === -1 ? EdgeFlag.AgainstOneway : 0);
      flags[b] = f | (dir === 1 ? EdgeFlag.AgainstOneway : 0) | EdgeFlag.Reverse;
    }
  };
  let restr: ReturnType<typeof buildRestrictions>;
  let made: { target: Uint32Array; flags: Uint8Array } | null = null;
  if (restricting) {
    made = { target: new Uint32Array(m), flags: new Uint8Array(m) };
    edges(made.target, made.flags);
    const twin = new Uint32Array(m);
    for (let i = 0; i < s; i++) { twin[fwd[i]] = bwd[i]; twin[bwd[i]] = fwd[i]; }
    restr = buildRestrictions({ waySegments, segA: segA.subarray(0, s), segB: segB.subarray(0, s), fwd, bwd, twin, nodeOf: nodeOfId(use.numberOf, node), firstEdge, target: made.target, flags: made.flags, lon, lat }, osm.relations);
  } else {
    restr = buildRestrictions({ waySegments, segA, segB, fwd, bwd, twin: fwd, nodeOf: nodeOfId(use.numberOf, node), firstEdge, target: new Uint32Array(0), flags: new Uint8Array(0), lon, lat }, []);
  }

  const { buffer, sections: g } = allocateGraph({ lon, lat, edgeCount: m, restrFirst: restr.restrFirst, restrEdges: restr.restrEdges, names, facts: factTable.list });
  g.firstEdge.set(firstEdge);
  g.nodeFacts.set(nodeFactIdx);
  if (made) { g.target.set(made.target); g.flags.set(made.flags); } else edges(g.target, g.flags);
  const { lengthM, nameId, roadClass, maxspeed, edgeFacts } = g;
  for (let i = 0; i < s; i++) {
    const w = segWay[i], e = fwd[i], b = bwd[i];
    lengthM[e] = lengthM[b] = segLen[i];
    nameId[e] = nameId[b] = attrs.name[w];
    roadClass[e] = roadClass[b] = attrs.cls[w];
    maxspeed[e] = maxspeed[b] = attrs.maxspeed[w];
    edgeFacts[e] = edgeFacts[b] = attrs.facts[w];
  }
  return { graph: decodeGraph(buffer, { checked: true }), stats: { ...stats, ...restr.stats } };
}

/** OSM node id → graph node (restrictions' via nodes). */
function nodeOfId(numberOf: (id: number) => number, node: Int32Array | null) {
  const get = (id: number): number | undefined => {
    const p = numberOf(id);
    return p < 0 ? undefined : node ? node[p] : p;
  };
  return { get, has: (id: number) => numberOf(id) >= 0 };
}
