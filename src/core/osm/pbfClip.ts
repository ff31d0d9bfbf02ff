/**
 * Reading a PBF file clipped while it is decoded (readPbf with limits.clip): only what touches the box is kept, so
 * the node cap counts what a place needs, not what the file holds. Blocks are inflated and decoded one at a time;
 * the passes that visit blocks again (outside nodes of kept ways, member ways of water areas, unsorted files) take
 * decoded node blocks from a small cache or skip blocks whose node ids cannot hold a wanted one. Pure.
 */
import { plannerError, type PlannerError } from '../errors';
import type { Bbox } from './clip';
import { IdIndex } from './idIndex';
import type { InflateScratch } from './inflate';
import type { Problem } from './malformed';
import { NodeStore } from './nodeStore';
import { inflateBody, type BlobBody, type PbfBlock } from './pbfBlob';
import { decodePrimitiveBlock, type FastBlock } from './pbfFast';
import { pbfBlockFault } from './pbfGuard';
import { hasKeys, headerAccepted, tinyBlock } from './pbfTiny';
import { isWaterRelation } from './water';
import type { OsmData, OsmRelation, OsmWay, Tags } from './types';

type Progress = (done: number, total: number) => void;

/** Words added to a 'too-many-nodes' message saying where the limit comes from (e.g. this device's memory). */
export type LimitNote = { zh: string; en: string };

export const count = (n: number): string => n.toLocaleString('en-US');

/**
 * Too many nodes kept after clipping: PlannerError 'too-many-nodes' naming how many nodes at least the place needs
 * (those within its box, and those of ways crossing its edge), the file's node count and the limit.
 */
export const tooManyKeptError = (fileName: string, limit: number, kept: number, inFile: number, note?: LimitNote): PlannerError =>
  plannerError('too-many-nodes',
    `文件「${fileName}」共 ${count(inFile)} 个节点，本地区范围需保留至少 ${count(kept)} 个，超过 ${count(limit)} 个节点的上限${note ? `（${note.zh}）` : ''}，本程序无法处理这么大的范围；请先裁剪成较小的区域（例如用 osmium extract），未作任何修改`,
    `the file "${fileName}" keeps at least ${count(kept)} of its ${count(inFile)} nodes for this place's area, more than the ${count(limit)} nodes this program can take${note ? ` (${note.en})` : ''}; cut a smaller area first (e.g. with osmium extract). Nothing was changed`,
    { file: fileName, detail: `limit ${limit} nodes, at least ${kept} nodes kept after clipping, ${inFile} nodes in the file` });

/** What a reading pass needs: the file's blocks, their bodies and header, and how to word a damaged block. */
export interface BlockSource {
  fileName: string;
  blocks: PbfBlock[];
  bodies: BlobBody[];
  head: Uint8Array;
  fail: (p: Problem) => PlannerError;
  onProgress?: Progress;
  fileBytes: number;
  /** The buffer blocks are inflated into, one after another (a block's content is dropped before the next). */
  scratch?: InflateScratch;
}

export interface ClipOptions {
  maxNodes?: number;
  onBlock?: Progress;
  limitNote?: LimitNote;
  /** Decode every block with tiny-osmpbf (the reference). */
  reference?: boolean;
  /** Most nodes of decoded blocks kept for pass 3 (default CLIP_CACHE_NODES; 0: every block read again). */
  cacheNodes?: number;
}

/**
 * Decoded node blocks kept between passes, at most this many nodes' worth in all (24 bytes each in typed arrays; the
 * tags are charged too, see cacheCost): a place's outside nodes are then found without inflating and decoding those blocks again.
 * Blocks past it are read again (those whose id range holds a wanted id).
 */
export const CLIP_CACHE_NODES = 2_000_000;

/**
 * What keeping a decoded block costs, in nodes' worth (~24 bytes each): its nodes, plus each tag as 4 nodes and its
 * text by length, so a crafted file of a few heavily tagged nodes cannot make the cache hold hundreds of MiB.
 */
export function cacheCost(f: FastBlock): number {
  let cost = f.nodeCount;
  if (f.tags) for (const t of f.tags) if (t) for (const k in t) cost += 4 + (k.length + t[k].length) / 24;
  return cost;
}

/** Block kinds seen in the first pass (bits), so that later passes visit only the blocks they need. */
const HAS_NODES = 1, HAS_WAYS = 2, HAS_RELATIONS = 4;

/**
 * One data block (i ≥ 1) decoded: by the fast decoder when it takes the block, else by tiny-osmpbf after the
 * pbfBlockFault checks, its elements gathered into the same shape.
 */
function decodeBlock(src: BlockSource, i: number, useFast: boolean): FastBlock {
  const content = inflateBody(src.bodies[i], i + 1, src.scratch);
  if (!(content instanceof Uint8Array)) throw src.fail(content);
  const fast = useFast ? decodePrimitiveBlock(content) : null;
  if (fast) return fast;
  const fault = pbfBlockFault(content);
  if (fault) throw src.fail({ zh: `第 ${i + 1} 个数据块：${fault.zh}`, en: `block ${i + 1}: ${fault.en}` });
  const ids: number[] = [], lons: number[] = [], lats: number[] = [], tags: (Tags | undefined)[] = [];
  const ways: OsmWay[] = [], relations: OsmRelation[] = [];
  try {
    tinyBlock(src.head, content, (e) => {
      if (e.type === 'node') {
        ids.push(e.id); lons.push(e.lon as number); lats.push(e.lat as number); tags.push(hasKeys(e.tags) ? e.tags : undefined);
      } else if (e.type === 'way') ways.push({ id: e.id, nodes: e.nodes ?? [], tags: e.tags ?? {} });
      else if (e.type === 'relation') relations.push({ id: e.id, members: e.members ?? [], tags: e.tags ?? {} });
    });
  } catch (err) {
    const msg = String((err as Error).message ?? err);
    throw plannerError('bad-osm', `无法读取 OSM 文件「${src.fileName}」：PBF 数据损坏或不受支持（第 ${i + 1} 个数据块：${msg}）`,
      `Cannot read OSM file "${src.fileName}": damaged or unsupported PBF data (block ${i + 1}: ${msg})`, { file: src.fileName });
  }
  return { nodeCount: ids.length, ids: Float64Array.from(ids), lons: Float64Array.from(lons), lats: Float64Array.from(lats), tags, ways, relations };
}

/** Whether the sorted ids hold one in [lo, hi]. */
function holdsIdIn(sorted: Float64Array, lo: number, hi: number): boolean {
  let a = 0, b = sorted.length;
  while (a < b) {
    const m = (a + b) >>> 1;
    if (sorted[m] < lo) a = m + 1; else b = m;
  }
  return a < sorted.length && sorted[a] <= hi;
}

/** How many of a block's nodes lie outside the box, and the id range of those. */
function outsideOf(f: FastBlock, [a, b, c, d]: Bbox): { outside: number; lo: number; hi: number } {
  let lo = Infinity, hi = -Infinity, outside = 0;
  const { ids, lons, lats, nodeCount } = f;
  for (let k = 0; k < nodeCount; k++) {
    const x = lons[k], y = lats[k];
    if (!(x >= a && x <= c && y >= b && y <= d)) {
      const id = ids[k];
      if (id < lo) lo = id;
      if (id > hi) hi = id;
      outside++;
    }
  }
  return { outside, lo, hi };
}

/** The last node found in a NodeStore, from which the next one's position is guessed (see indexNear). */
interface Guess { id: number; pos: number }

/** Appends to `out` the ways with a node in the store. */
function keepTouching(ways: readonly OsmWay[], nodes: NodeStore, g: Guess, out: OsmWay[]): void {
  for (const w of ways) {
    const refs = w.nodes;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i], k = nodes.indexNear(r, g.pos + (r - g.id));
      if (k >= 0) { g.id = r; g.pos = k; out.push(w); break; }
    }
  }
}

/** The ids the ways use that the store lacks, once each in order of first use (the store read by position). */
function missingRefs(ways: readonly OsmWay[], nodes: NodeStore): { missing: IdIndex; ids: number[] } {
  const missing = new IdIndex(), ids: number[] = [];
  const keptIds = nodes.ids, kept = nodes.size;
  let prevId = NaN, prevPos = -1;
  for (const w of ways) {
    const refs = w.nodes;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i];
      let k = prevPos + (r - prevId);
      if (!(k >= 0 && k < kept && keptIds[k] === r)) k = nodes.indexOf(r);
      if (k >= 0) { prevId = r; prevPos = k; continue; }
      if (missing.has(r)) continue;
      missing.add(r);
      ids.push(r);
    }
  }
  return { missing, ids };
}

/**
 * Reads a PBF file keeping only what touches `box`, streaming block by block (one inflated block at a time):
 * 1. every block: the nodes inside the box are kept (maxNodes counts them); a way is kept when one of its nodes is
 *    kept, a relation when one of its members (node or way) is; in a file sorted nodes → ways → relations (as OSM
 *    tools write them) this is one pass, else ways and relations are read again once every node is known;
 * 2. the way blocks again, only when a kept water / harbour multipolygon (what extractWater reads: isWaterRelation)
 *    has member ways not kept yet (an area crossing the box needs all its rings); other relations, e.g. a province
 *    boundary crossing the place, keep only their members touching the box (their far nodes would fill the cap);
 * 3. the node blocks again, only for the outside nodes of the kept ways (a road leaving the box, a lake crossing it):
 *    only blocks with nodes outside the box whose id range holds a wanted id, taken from the decoded blocks kept
 *    since pass 1 (up to CLIP_CACHE_NODES nodes) or else read again.
 * The result equals reading a file pre-clipped with complete ways (`osmium extract --strategy complete_ways`), and
 * clipOsm of it equals clipOsm of the whole file. Nodes outside the box with a position out of range are dropped
 * here, not reported as malformed. Progress counts block visits of all passes (the total grows when a pass is added).
 */
export function readPbfClipped(src: BlockSource, box: Bbox, limits: ClipOptions): OsmData {
  const [a, b, c, d] = box;
  const { blocks, fileName } = src;
  const maxNodes = limits.maxNodes ?? Infinity;
  const data = { nodes: new NodeStore(), ways: [] as OsmWay[], relations: [] as OsmRelation[] };
  const kinds = new Uint8Array(blocks.length);
  // id range of each block's nodes outside the box (pass 3 skips a block whose range holds no wanted id; a block
  // wholly inside has none) and the blocks with outside nodes kept decoded
  const minId = new Float64Array(blocks.length), maxId = new Float64Array(blocks.length);
  const cached = new Map<number, FastBlock>();
  let cacheRoom = limits.cacheNodes ?? CLIP_CACHE_NODES;
  // ids of the kept ways data.ways[0, wayIdsOf), indexed when a relation or pass 2 asks (a file without relations
  // never needs them)
  let wayIds = new IdIndex(), wayIdsOf = 0;
  const keptWayIds = () => {
    for (const ways = data.ways; wayIdsOf < ways.length; wayIdsOf++) wayIds.getOrAdd(ways[wayIdsOf].id, 0);
    return wayIds;
  };
  const nodes = data.nodes;
  const guess: Guess = { id: NaN, pos: -1 };
  const visits = { done: 0, total: blocks.length - 1 };
  const step = () => {
    visits.done++;
    src.onProgress?.(Math.round(src.fileBytes * (visits.done / visits.total)), src.fileBytes);
    limits.onBlock?.(visits.done, visits.total);
  };
  const useFast = !limits.reference && headerAccepted(src.head);
  const addNode = (f: FastBlock, k: number) => {
    const t = f.tags?.[k];
    nodes.set(f.ids[k], f.lons[k], f.lats[k], hasKeys(t) ? t : undefined);
  };
  const relationKept = (r: OsmRelation) => r.members.some((m) => (m.type === 'node' ? nodes.has(m.ref) : m.type === 'way' ? keptWayIds().has(m.ref) : false));
  limits.onBlock?.(0, visits.total);
  // pass 1
  let stage = 0, sorted = true, inside = 0, inFile = 0, anyOutside = false;
  for (let i = 1; i < blocks.length; i++) {
    const f = decodeBlock(src, i, useFast);
    kinds[i] = (f.nodeCount ? HAS_NODES : 0) | (f.ways.length ? HAS_WAYS : 0) | (f.relations.length ? HAS_RELATIONS : 0);
    if ((f.nodeCount && stage > 1) || (f.ways.length && stage > 2)) sorted = false;
    stage = Math.max(stage, f.relations.length ? 3 : f.ways.length ? 2 : f.nodeCount ? 1 : 0);
    // id range of the nodes outside the box (only those can be wanted by pass 3)
    const { ids, lons, lats, nodeCount } = f;
    const { outside, lo, hi } = outsideOf(f, box);
    if (outside === 0 && inside + nodeCount <= maxNodes) {
      // a block wholly inside the box (most blocks of a place's extract): added in one call
      nodes.addAll(ids, lons, lats, f.tags, 0, nodeCount);
      inside += nodeCount;
    } else if (outside < nodeCount) {
      for (let k = 0; k < nodeCount; k++) {
        const x = lons[k], y = lats[k];
        if (!(x >= a && x <= c && y >= b && y <= d)) continue;
        if (inside++ >= maxNodes) continue; // over the cap: only counted from here on, for the message
        addNode(f, k);
      }
    }
    inFile += f.nodeCount;
    minId[i] = lo; maxId[i] = hi;
    if (outside) anyOutside = true;
    const cost = lo <= hi ? cacheCost(f) : Infinity;
    if (cost <= cacheRoom) {
      cacheRoom -= cost;
      cached.set(i, { ...f, ways: [], relations: [] });
    }
    if (inside <= maxNodes && sorted) {
      keepTouching(f.ways, nodes, guess, data.ways);
      for (const r of f.relations) if (relationKept(r)) data.relations.push(r);
    }
    step();
  }
  if (inside > maxNodes) throw tooManyKeptError(fileName, maxNodes, inside, inFile, limits.limitNote);
  const pass = (todo: number[], visit: (f: FastBlock) => void) => {
    visits.total += todo.length;
    for (const i of todo) {
      visit(decodeBlock(src, i, useFast));
      step();
    }
  };
  const withKind = (want: number) => {
    const todo: number[] = [];
    for (let i = 1; i < blocks.length; i++) if (kinds[i] & want) todo.push(i);
    return todo;
  };
  if (!sorted) {
    // an unsorted file: ways and relations once every node is known (relations after every way)
    data.ways = []; data.relations = [];
    wayIds = new IdIndex(); wayIdsOf = 0;
    const held: OsmRelation[] = [];
    pass(withKind(HAS_WAYS | HAS_RELATIONS), (f) => {
      keepTouching(f.ways, nodes, guess, data.ways);
      for (const r of f.relations) held.push(r);
    });
    for (const r of held) if (relationKept(r)) data.relations.push(r);
  }
  // pass 2: member ways of kept water areas
  const wanted = new IdIndex();
  for (const r of data.relations) {
    if (!isWaterRelation(r.tags)) continue;
    for (const m of r.members) if (m.type === 'way' && !keptWayIds().has(m.ref) && !wanted.has(m.ref)) wanted.add(m.ref);
  }
  if (wanted.size) {
    pass(withKind(HAS_WAYS), (f) => {
      for (const w of f.ways) if (wanted.has(w.id) && !keptWayIds().has(w.id)) data.ways.push(w);
    });
  }
  // pass 3: the outside nodes of kept ways; none when the file has no node outside the box (a place's own extract:
  // pass 3 would visit no block, so the kept ways' refs are not even looked up)
  const { missing, ids: missingIds } = anyOutside ? missingRefs(data.ways, nodes) : { missing: new IdIndex(), ids: [] };
  if (missingIds.length) {
    const sortedMissing = Float64Array.from(missingIds).sort();
    const take = (f: FastBlock) => {
      for (let k = 0; k < f.nodeCount; k++) {
        if (!missing.has(f.ids[k])) continue;
        if (!nodes.has(f.ids[k]) && nodes.size >= maxNodes) throw tooManyKeptError(fileName, maxNodes, nodes.size + 1, inFile, limits.limitNote);
        addNode(f, k);
      }
    };
    const todo = withKind(HAS_NODES).filter((i) => holdsIdIn(sortedMissing, minId[i], maxId[i]));
    // (blocks kept decoded count as visits too: the progress bar moves through the same passes as before)
    visits.total += todo.length;
    for (const i of todo) {
      take(cached.get(i) ?? decodeBlock(src, i, useFast));
      step();
    }
  }
  return data;
}
