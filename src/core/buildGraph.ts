import { allocateGraph, decodeGraph, EdgeFlag, type GraphSections, type RoadGraph } from './graph';
import { roadClassCode, wayClassCode } from './roadClass';
import { streetName } from './roadRulesUnits';
import { FactTable, nodeFacts, wayFacts } from './osm/facts';
import { IdIndex } from './osm/idIndex';
import { NodeStore } from './osm/nodeStore';
import { buildRestrictions, isRestriction, type RestrictionStats } from './osm/restrictions';
import type { OsmData, OsmWay, Tags } from './osm/types';
import { plannerError } from './errors';
import { firstOfSameCoordinates } from './sameCoordinates';
import { nodeGeometry, segmentLength, storedLength } from './segmentLength';

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
  // (most ways have none of the three keys: no set look-up then)
  if (tags.access === undefined && tags.motor_vehicle === undefined && tags.vehicle === undefined) return 0;
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
  return drivableClass(wayClassCode(tags), tags);
}

/** isDrivableWay for a way whose class code (wayClassCode) is known. */
const drivableClass = (code: number, tags: Tags): boolean => code >= 0 && tags.area !== 'yes';

/** OSM maxspeed in km/h (numbers, "50 mph"), 0 when absent or not numeric. */
export function parseMaxspeed(v: string | undefined): number {
  if (!v) return 0;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mph)?/.exec(v);
  if (!m) return 0;
  const kmh = Number(m[1]) * (m[2] ? 1.609344 : 1);
  return Math.max(0, Math.min(255, Math.round(kmh)));
}


/** Attributes every edge of a way shares, one entry per way (typed arrays, not an object per way or per edge). */
interface WayAttributes { cls: Uint8Array; flags: Uint8Array; dir: Int8Array; name: Uint32Array; maxspeed: Uint8Array; facts: Uint32Array }

/**
 * The attributes of each way, in way order: the name table and the fact table number their entries in order of first
 * use, as the graph file stores them. Every drivable way gets its entries, used or not (all its nodes may be missing).
 * `cls`: the class codes already found (drivableWays), else computed here.
 */
function wayAttributes(ways: OsmWay[], cls: Uint8Array | null, names: { zh: string[]; en: string[]; ref: string[] }, factTable: FactTable): WayAttributes {
  const w = ways.length;
  const a: WayAttributes = { cls: cls ?? new Uint8Array(w), flags: new Uint8Array(w), dir: new Int8Array(w), name: new Uint32Array(w), maxspeed: new Uint8Array(w), facts: new Uint32Array(w) };
  // names without name:en and ref (most) by their name alone; the others by all three, \u0000-joined
  const byName = new Map<string, number>(), byAll = new Map<string, number>();
  // (the last name's id kept: the ways of one road often come one after another, and a string compare is cheaper
  // than a Map look-up)
  let lastZh = '', lastEn = '', lastRef = '', lastId = 0;
  const nameId = (zh: string, en: string, ref: string): number => {
    if (zh === lastZh && en === lastEn && ref === lastRef) return lastId;
    lastZh = zh; lastEn = en; lastRef = ref;
    return (lastId = lookUp(zh, en, ref));
  };
  const lookUp = (zh: string, en: string, ref: string): number => {
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
    if (!cls) a.cls[i] = wayClassCode(t);
    a.dir[i] = onewayDirection(t);
    let flags = accessFlag(t);
    if (t.bridge && t.bridge !== 'no') flags |= EdgeFlag.Bridge;
    if (t.tunnel && t.tunnel !== 'no') flags |= EdgeFlag.Tunnel;
    if (t.junction === 'roundabout') flags |= EdgeFlag.Roundabout;
    a.flags[i] = flags;
    // The name is `name` (never the ref); the ref is kept beside it as a reference (route texts: "深南大道 (G107)").
    // (streetName only where there is a ref to split: the same name either way)
    let zh = '', ref = '';
    if (t.ref === undefined) zh = (t.name ?? '').trim();
    else ({ name: zh, ref } = streetName(t));
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
    const byPos = new Int32Array(size); // number + 1 of the node at each position, 0: none yet
    let prevId = NaN, prevPos = -1;
    for (const w of ways) {
      for (const id of w.nodes) {
        let k = prevPos + (id - prevId);
        if (!(k >= 0 && k < size && ids[k] === id)) k = all.indexOf(id);
        if (k < 0) { missing++; refNode[j++] = -1; continue; }
        prevId = id; prevPos = k;
        let p = byPos[k] - 1;
        if (p < 0) {
          p = count++;
          byPos[k] = count;
          x[p] = Math.round(lons[k] * 1e7);
          y[p] = Math.round(lats[k] * 1e7);
        }
        refNode[j++] = p;
      }
    }
    for (const k of all.taggedPositions()) {
      const f = byPos[k] > 0 ? nodeFacts(all.tagsAt(k)) : null;
      if (f) facts.push({ node: byPos[k] - 1, facts: f });
    }
    facts.sort((a, b) => a.node - b.node);
    return { refNode, count, x, y, missing, facts, numberOf: (id) => { const k = all.indexOf(id); return k < 0 ? -1 : byPos[k] - 1; } };
  }
  const numbers = new IdIndex(cap);
  for (const w of ways) {
    for (const id of w.nodes) {
      let p = numbers.at(id);
      if (p < 0) {
        const n = all.get(id);
        if (!n) { missing++; refNode[j++] = -1; continue; }
        // an id the index cannot hold (NaN, hand-built data: the readers refuse ids that are not safe integers)
        if (count >= cap) throw plannerError('bad-node-id', `节点编号 ${id} 无效`, `node id ${id} is not valid`);
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

/** The edge arrays buildGraph fills (views into the graph buffer, or arrays of their own when restrictions need them first). */
type EdgeArrays = Pick<GraphSections, 'target' | 'lengthM' | 'nameId' | 'roadClass' | 'flags' | 'maxspeed' | 'edgeFacts'>;

/** Segment i's ends and directed edges (what the restrictions read). */
interface SegmentIds { segA: Uint32Array; segB: Uint32Array; fwd: Uint32Array; bwd: Uint32Array }

/**
 * The drivable ways in id order, the others counted; their class codes when the ways came in id order (else null:
 * computed again after the sort).
 */
function drivableWays(all: OsmWay[], stats: { waysNotDrivable: number }): { ways: OsmWay[]; cls: Uint8Array | null } {
  const ways: OsmWay[] = [];
  const cls = new Uint8Array(all.length);
  let sorted = true, last = -Infinity;
  // (the last road class's code kept: consecutive ways mostly share it, and a string compare is cheaper than a look-up)
  let lastHighway: string | undefined, lastCode = -1;
  for (let i = 0; i < all.length; i++) {
    const w = all[i], t = w.tags, highway = t.highway;
    let c = lastCode;
    if (highway !== lastHighway || highway === undefined) {
      // (only a road class is kept: another highway value's code depends on the other tags, see wayClassCode)
      const road = roadClassCode(highway);
      if (road >= 0) { lastHighway = highway; lastCode = c = road; } else c = wayClassCode(t);
    }
    if (!drivableClass(c, t)) { stats.waysNotDrivable++; continue; }
    if (w.id < last) sorted = false;
    last = w.id;
    cls[ways.length] = c;
    ways.push(w);
  }
  if (sorted) return { ways, cls: cls.subarray(0, ways.length) };
  // (PBF ways come in id order: sorted only when not; the sort is stable, so the same order either way)
  ways.sort((a, b) => a.id - b.id);
  return { ways, cls: null };
}

/** Number of references of each way (read in the passes instead of each way's object), and their sum. */
function wayLengths(ways: OsmWay[]): { wayLen: Uint32Array; refs: number } {
  const wayLen = new Uint32Array(ways.length);
  let refs = 0;
  for (let i = 0; i < ways.length; i++) refs += wayLen[i] = ways[i].nodes.length;
  return { wayLen, refs };
}


/**
 * The segments of the ways (consecutive references to two different nodes, none missing): the nodes' degrees,
 * segEnd[w] = segments kept up to way w, and the candidates dropped for having no length, by their place among the
 * candidates. Two different nodes never share coordinates (they were merged), and with every latitude within ±90°
 * a segment between different coordinates has a length (sLat > 0 when the latitudes differ, cos² > 0 when they do
 * not): so none is dropped, and no coordinate is read here. Otherwise (`geo` given: latitudes beyond ±90°) the
 * lengths are computed. The fill computes each length where it writes it (no array of lengths in between).
 */
function countSegments(refNode: Int32Array, wayLen: Uint32Array, geo: Float64Array | null,
  degree: Uint32Array, segEnd: Uint32Array): number[] {
  const dropped: number[] = [];
  let s = 0, c = 0;
  for (let w = 0, j = 0; w < wayLen.length; w++) {
    let prev = -1;
    for (const end = j + wayLen[w]; j < end; j++) {
      const cur = refNode[j];
      if (cur < 0) { prev = -1; continue; }
      if (prev >= 0 && cur !== prev) {
        if (geo && segmentLength(prev, cur, geo) <= 0) dropped.push(c);
        else { s++; degree[prev]++; degree[cur]++; }
        c++;
      }
      prev = cur;
    }
    segEnd[w] = s;
  }
  return dropped;
}

/**
 * CSR offsets: firstEdge[v] = the sum of the degrees of the nodes before v (firstEdge[n]: of all), and each degree
 * replaced by its node's first edge (where fillEdges puts the node's next edge). One pass, in a function of its own
 * (a closure's loop reads its captured variables from the context each turn).
 */
function csrOffsets(degree: Uint32Array, n: number, firstEdge: Uint32Array): void {
  let at = 0;
  for (let v = 0; v < n; v++) {
    const d = degree[v];
    firstEdge[v] = at;
    degree[v] = at;
    at += d;
  }
  firstEdge[n] = at;
}

/**
 * CSR: each segment's forward edge (a → b) and backward edge (b → a) put at the next free place of its tail node
 * (the edges of a node in segment order; `fill` starts as firstEdge and ends as its shift by one). With `ids`: the
 * heads and flags only, and segment i's ends and edges (for the restrictions); else every edge array, the lengths
 * computed here.
 */
function fillEdges(g: EdgeArrays, fill: Uint32Array, refNode: Int32Array, wayLen: Uint32Array, attrs: WayAttributes, dropped: number[],
  geo: Float64Array, ids?: SegmentIds): void {
  const { target, lengthM, nameId, roadClass, flags, maxspeed, edgeFacts } = g;
  const full = !ids;
  let i = 0, c = 0, d = 0;
  for (let w = 0, j = 0; w < wayLen.length; w++) {
    const f = attrs.flags[w], dir = attrs.dir[w], fwdFlags = f | (dir === -1 ? EdgeFlag.AgainstOneway : 0), bwdFlags = f | (dir === 1 ? EdgeFlag.AgainstOneway : 0) | EdgeFlag.Reverse;
    const name = attrs.name[w], cls = attrs.cls[w], speed = attrs.maxspeed[w], facts = attrs.facts[w];
    let prev = -1;
    for (const end = j + wayLen[w]; j < end; j++) {
      const cur = refNode[j];
      if (cur < 0) { prev = -1; continue; }
      if (prev >= 0 && cur !== prev) {
        if (d < dropped.length && dropped[d] === c) d++;
        else {
          const e = fill[prev]++, r = fill[cur]++;
          target[e] = cur; target[r] = prev;
          flags[e] = fwdFlags; flags[r] = bwdFlags;
          if (full) {
            lengthM[e] = lengthM[r] = storedLength(prev, cur, geo);
            // (the graph buffer starts zeroed: a 0 is not written, and the pages of a section all 0 are never touched)
            if (name !== 0) nameId[e] = nameId[r] = name;
            if (cls !== 0) roadClass[e] = roadClass[r] = cls;
            if (speed !== 0) maxspeed[e] = maxspeed[r] = speed;
            if (facts !== 0) edgeFacts[e] = edgeFacts[r] = facts;
          } else { ids.segA[i] = prev; ids.segB[i] = cur; ids.fwd[i] = e; ids.bwd[i] = r; }
          i++;
        }
        c++;
      }
      prev = cur;
    }
  }
}

/**
 * Builds the drivable road graph from OSM data, with its turn restrictions (osm/restrictions.ts) and road-rule
 * facts (osm/facts.ts). Deterministic: ways are taken in id order, nodes numbered in order of first use, nodes with
 * identical coordinates merged, edges sorted by tail node (stable), restriction sequences sorted.
 *
 * In typed arrays throughout (a city's million nodes and four million edges make no object each): way references
 * numbered by OSM node (numberNodes), equal coordinates merged (firstOfSameCoordinates), segments counted with the
 * nodes' degrees (countSegments), then the segments walked again to put each one's two directed edges in place
 * with its length (CSR, fillEdges) — straight into the graph buffer when the data has no turn restriction
 * (allocateGraph). The passes are functions of their own: each is optimised on its own, early.
 */
export function buildGraph(osm: OsmData): { graph: RoadGraph; stats: BuildStats } {
  const stats = {
    waysRead: osm.ways.length, waysUsed: 0, waysNotDrivable: 0, missingNodeRefs: 0, mergedDuplicateNodes: 0, zeroLengthSegments: 0, factSets: 0, factNodes: 0,
  };
  const { ways, cls } = drivableWays(osm.ways, stats);
  const names = { zh: [''], en: [''], ref: [''] };
  const factTable = new FactTable();
  const attrs = wayAttributes(ways, cls, names, factTable);

  const { wayLen, refs } = wayLengths(ways);
  const use = numberNodes(osm, ways, refs);
  stats.missingNodeRefs = use.missing;
  const refNode = use.refNode;

  // Nodes with identical coordinates merged: each takes the number of the first used one, the others move up; the
  // references renumbered in place
  const same = firstOfSameCoordinates(use.x, use.y, use.count);
  let n = use.count, node: Int32Array | null = null, lon = use.x.subarray(0, n), lat = use.y.subarray(0, n);
  if (same) {
    node = new Int32Array(use.count);
    n = 0;
    for (let p = 0; p < use.count; p++) node[p] = same[p] === p ? n++ : node[same[p]];
    lon = new Int32Array(n); lat = new Int32Array(n);
    for (let p = 0; p < use.count; p++) if (same[p] === p) { lon[node[p]] = use.x[p]; lat[node[p]] = use.y[p]; }
    for (let j = 0; j < refs; j++) if (refNode[j] >= 0) refNode[j] = node[refNode[j]];
    stats.mergedDuplicateNodes = use.count - n;
  }
  const nodes = nodeGeometry(lon, lat);

  // Segments: the nodes' degrees, each used way's segment range (for the restrictions). A segment of no length is
  // dropped: its place among the candidates is kept to skip it again.
  const degree = new Uint32Array(n + 1);
  const segEnd = new Uint32Array(ways.length);
  const dropped = countSegments(refNode, wayLen, nodes.valid ? null : nodes.geo, degree, segEnd);
  stats.zeroLengthSegments = dropped.length;
  const s = ways.length > 0 ? segEnd[ways.length - 1] : 0;
  const restrictive = osm.relations.filter(isRestriction);
  const inRestriction = new Set<number>();
  for (const r of restrictive) for (const m of r.members) if (m.type === 'way') inRestriction.add(m.ref);
  const waySegments = new Map<number, { first: number; count: number }>();
  for (let w = 0, first = 0; w < ways.length; w++) {
    if (segEnd[w] === first) continue;
    stats.waysUsed++;
    if (inRestriction.size > 0 && inRestriction.has(ways[w].id)) waySegments.set(ways[w].id, { first, count: segEnd[w] - first });
    first = segEnd[w];
  }
  // Node facts (barriers, access): OSM nodes merged into one graph node pool their tags, the first node's win.
  const nodeTags = new Map<number, Tags>();
  for (const { node: p, facts: f } of use.facts) {
    const v = node ? node[p] : p;
    nodeTags.set(v, { ...f, ...nodeTags.get(v) });
  }
  // (index of each node's fact set: written into the graph's nodeFacts section once it exists)
  const nodeFactSets: [number, number][] = [];
  for (const [v, f] of nodeTags) nodeFactSets.push([v, factTable.add(Object.fromEntries(Object.entries(f).sort(([a], [b]) => (a < b ? -1 : 1))))]);
  stats.factNodes = nodeTags.size;
  stats.factSets = factTable.list.length - 1;

  const m = 2 * s;
  /**
   * CSR offsets from the degrees, and the nodes' fact sets, into arrays of the graph's size; returns the next free
   * edge of each node for fillEdges (the degrees are used up: the same array holds it).
   */
  const offsets = (firstEdge: Uint32Array, nodeFacts: Uint32Array): Uint32Array => {
    csrOffsets(degree, n, firstEdge);
    for (const [v, k] of nodeFactSets) nodeFacts[v] = k;
    return degree;
  };
  // (the first edges again as the next free ones, for a second fill)
  const fillFrom = (firstEdge: Uint32Array) => { degree.set(firstEdge.subarray(0, n)); return degree; };

  const nodeOf = nodeOfId(use.numberOf, node);
  if (restrictive.length === 0) {
    // no restriction: sizes known now, the edges go straight into the graph buffer
    const restr = buildRestrictions({ waySegments, segA: [], segB: [], fwd: new Uint32Array(0), bwd: new Uint32Array(0), twin: new Uint32Array(0), nodeOf, firstEdge: new Uint32Array(0), target: new Uint32Array(0), flags: new Uint8Array(0), lon, lat }, []);
    const { buffer, sections } = allocateGraph({ lon, lat, edgeCount: m, names, facts: factTable.list, bounds: nodes.bounds });
    const next = offsets(sections.firstEdge, sections.nodeFacts);
    fillEdges(sections, next, refNode, wayLen, attrs, dropped, nodes.geo);
    return { graph: decodeGraph(buffer, { checked: true }), stats: { ...stats, ...restr.stats } };
  }
  // Restrictions are read from the edges, and the buffer's layout needs their size: the heads and flags of the edges
  // first (arrays of their own), the restrictions, then the buffer and every edge array filled in it
  const firstEdge = new Uint32Array(n + 1), nodeFacts = new Uint32Array(n);
  const next = offsets(firstEdge, nodeFacts);
  const none = new Uint8Array(0);
  const heads = { target: new Uint32Array(m), flags: new Uint8Array(m), lengthM: new Float32Array(0), nameId: new Uint32Array(0), roadClass: none, maxspeed: none, edgeFacts: new Uint32Array(0) };
  const ids = { segA: new Uint32Array(s), segB: new Uint32Array(s), fwd: new Uint32Array(s), bwd: new Uint32Array(s) };
  fillEdges(heads, next, refNode, wayLen, attrs, dropped, nodes.geo, ids);
  const twin = new Uint32Array(m);
  for (let i = 0; i < s; i++) { twin[ids.fwd[i]] = ids.bwd[i]; twin[ids.bwd[i]] = ids.fwd[i]; }
  const restr = buildRestrictions({ waySegments, ...ids, twin, nodeOf, firstEdge, target: heads.target, flags: heads.flags, lon, lat }, restrictive);
  const { buffer, sections } = allocateGraph({ lon, lat, edgeCount: m, restrFirst: restr.restrFirst, restrEdges: restr.restrEdges, names, facts: factTable.list, bounds: nodes.bounds });
  sections.firstEdge.set(firstEdge);
  sections.nodeFacts.set(nodeFacts);
  fillEdges(sections, fillFrom(firstEdge), refNode, wayLen, attrs, dropped, nodes.geo);
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
