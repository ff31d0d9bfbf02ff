/**
 * OSM PBF reader with bounded memory. A PBF file is a series of blocks: 4-byte big-endian length, BlobHeader
 * {1: type, 3: datasize}, then a Blob {1: raw, 2: raw_size, 3: zlib_data, …}. tiny-osmpbf decodes the OSM content
 * but loops forever on a truncated or corrupt file and inflates everything at once, so here the framing is checked,
 * the declared uncompressed sizes of all blocks are summed against a budget before anything is inflated (a
 * decompression bomb is refused at once), and then the blocks are decoded one by one: inflate one block with the
 * bounds-checked decoder (inflate.ts), verify its checksum, decode that one block, drop it. A block is decoded by
 * the fast decoder (pbfFast.ts: several times quicker, no protobuf objects) when it takes it, else by tiny-osmpbf
 * (after the checks of pbfGuard.ts), which stays the reference for anything unusual or damaged.
 */
import tinyOsmPbf from 'tiny-osmpbf';
import { plannerError, type PlannerError } from '../errors';
import { inflateRaw } from './inflate';
import { decodePrimitiveBlock, type FastBlock } from './pbfFast';
import { pbfBlockFault } from './pbfGuard';
import type { Bbox } from './clip';
import { IdIndex } from './idIndex';
import { NodeStore } from './nodeStore';
import { isWaterRelation } from './water';
import type { OsmData, OsmRelation, OsmWay, Tags } from './types';

type Problem = { zh: string; en: string };
type Progress = (done: number, total: number) => void;

const MiB = 1024 * 1024;
/** Largest uncompressed block (the PBF format says a blob must be under 32 MiB). */
export const PBF_BLOCK_MAX_BYTES = 32 * MiB;
/** Decompressed budget of a PBF file: this many times its size (real extracts unpack to 2–3 times their size)… */
export const PBF_BUDGET_RATIO = 16;
/** …but at least this much (a small file of one or two full blocks)… */
export const PBF_BUDGET_FLOOR_BYTES = 64 * MiB;
/** …and never more than this, whatever the file size. */
export const PBF_BUDGET_CAP_BYTES = 2048 * MiB;

/** Total decompressed bytes allowed for a PBF file of `fileBytes` bytes. */
export const pbfBudget = (fileBytes: number): number =>
  Math.min(PBF_BUDGET_CAP_BYTES, Math.max(PBF_BUDGET_FLOOR_BYTES, fileBytes * PBF_BUDGET_RATIO));

const mib = (n: number) => (n / MiB).toFixed(n < 10 * MiB ? 1 : 0);

/** Words added to a 'too-many-nodes' message saying where the limit comes from (e.g. this device's memory). */
export type LimitNote = { zh: string; en: string };

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Too many nodes for this reader's limit: PlannerError 'too-many-nodes', naming the limit, the file's (estimated)
 * node count when known, and `note` (why the limit is what it is).
 */
export const tooManyNodesError = (fileName: string, limit: number, estimate?: number, note?: LimitNote): PlannerError =>
  plannerError('too-many-nodes',
    `文件「${fileName}」${estimate ? `约含 ${count(estimate)} 个节点，` : ''}超过 ${count(limit)} 个节点的上限${note ? `（${note.zh}）` : ''}，本程序无法处理这么大的范围；请先裁剪成较小的区域（例如用 osmium extract），未作任何修改`,
    `the file "${fileName}" has more than ${count(limit)} nodes, the most this program can take${estimate || note ? ` (${[estimate ? `it holds about ${count(estimate)}` : '', note?.en ?? ''].filter(Boolean).join('; ')})` : ''}; cut a smaller area first (e.g. with osmium extract). Nothing was changed`,
    { file: fileName, detail: `limit ${limit} nodes${estimate ? `, about ${estimate} nodes in the file` : ''}` });

/**
 * Decompressed PBF bytes per OSM node, at the high end of real extracts (measured by the import bench: Monaco 23,
 * Andorra 17; a synthetic grid 11): the declared decompressed size over this is a low estimate of the node count,
 * known before anything is inflated, so a file that is surely too big is refused at once.
 */
export const PBF_UNPACKED_BYTES_PER_NODE = 32;

/** A low estimate of a PBF file's node count from its blocks' declared decompressed size. */
export const estimatePbfNodes = (unpackedBytes: number): number => Math.floor(unpackedBytes / PBF_UNPACKED_BYTES_PER_NODE);

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

interface PbfBlock { type: string; blob: Uint8Array }

/** Splits a PBF file into its blocks (views, nothing copied), or says why it cannot. */
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

/** A blob's payload before inflating: stored raw, or zlib data with its declared uncompressed size. */
type BlobBody = { raw: Uint8Array } | { zlib: Uint8Array; size: number };

/** Reads a blob's fields (cheap: no inflating), checking the declared size against the per-block maximum. */
function blobBody(blob: Uint8Array, n: number): BlobBody | Problem {
  let f: Map<number, number | Uint8Array>;
  try { f = protoFields(blob); } catch { return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` }; }
  const raw = f.get(1), size = f.get(2), zlib = f.get(3);
  if (raw instanceof Uint8Array) return { raw };
  if (f.has(4) || f.has(5) || f.has(6) || f.has(7)) return { zh: `第 ${n} 个数据块使用了不支持的压缩方式（仅支持 zlib）`, en: `block ${n} uses an unsupported compression (only zlib is supported)` };
  if (!(zlib instanceof Uint8Array) || typeof size !== 'number' || zlib.length < 6 || (zlib[0] & 0x0f) !== 8) {
    return { zh: `第 ${n} 个数据块损坏`, en: `block ${n} is damaged` };
  }
  if (size > PBF_BLOCK_MAX_BYTES) {
    return { zh: `第 ${n} 个数据块解压后为 ${mib(size)} MiB，超过 PBF 格式规定的 ${mib(PBF_BLOCK_MAX_BYTES)} MiB 上限`,
      en: `block ${n} unpacks to ${mib(size)} MiB, over the ${mib(PBF_BLOCK_MAX_BYTES)} MiB the PBF format allows` };
  }
  return { zlib, size };
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
function inflateBody(body: BlobBody, n: number): Uint8Array | Problem {
  if ('raw' in body) return body.raw;
  const { zlib, size } = body;
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

/** The framed, uncompressed header block followed by one framed data block: a small PBF file for tiny-osmpbf. */
function twoBlockFile(head: Uint8Array, content: Uint8Array): Uint8Array<ArrayBuffer> {
  const frame = (type: string, c: Uint8Array) => {
    const blobHead = bytesField(1, c), blobTail = [16, ...varintBytes(c.length)];
    const blobLen = blobHead.length + c.length + blobTail.length;
    const typeBytes = new TextEncoder().encode(type);
    const header = [...bytesField(1, typeBytes), ...typeBytes, 24, ...varintBytes(blobLen)];
    return { header, blobHead, blobTail, length: 4 + header.length + blobLen, c };
  };
  const parts = [frame('OSMHeader', head), frame('OSMData', content)];
  const out = new Uint8Array(parts[0].length + parts[1].length);
  const view = new DataView(out.buffer);
  let p = 0;
  for (const f of parts) {
    view.setUint32(p, f.header.length, false);
    p += 4;
    for (const piece of [f.header, f.blobHead, f.c, f.blobTail]) {
      out.set(piece, p);
      p += piece.length;
    }
  }
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

/**
 * Whether tiny-osmpbf accepts the file's header block (required features, structure): it reads it with every block.
 * Tried with an OSMData block holding only an empty string table (read without a single element).
 */
function headerAccepted(head: Uint8Array): boolean {
  try {
    tinyOsmPbf(twoBlockFile(head, Uint8Array.of(0x0a, 0x00)).buffer, () => {});
    return true;
  } catch {
    return false;
  }
}

/** Whether a tag object has a key (without listing its keys: called for every node). */
const hasKeys = (t: Tags | undefined): t is Tags => {
  if (t) for (const k in t) if (Object.prototype.hasOwnProperty.call(t, k)) return true;
  return false;
};

export interface PbfLimits {
  /** Total decompressed bytes allowed (default: pbfBudget of the file size). */
  budget?: number;
  /** Most nodes read; one more is refused with 'too-many-nodes' (default: no limit). */
  maxNodes?: number;
  /** Called before the first data block and after each with (data blocks decoded, data blocks in the file). */
  onBlock?: Progress;
  /** Said in the 'too-many-nodes' message: where maxNodes comes from. */
  limitNote?: LimitNote;
  /** Decode every block with tiny-osmpbf (the reference the fast decoder, pbfFast.ts, is tested against). */
  reference?: boolean;
  /**
   * Clip while decoding (see readPbfClipped): keep only what touches this box; maxNodes then counts the nodes kept,
   * not the nodes of the file.
   */
  clip?: Bbox;
}

/**
 * Reads a PBF file block by block. Throws PlannerError 'bad-osm' on damaged data, 'pbf-too-large' when the blocks
 * would unpack to more than the budget (checked before anything is inflated), 'too-many-nodes' past maxNodes:
 * at once when even the low estimate from the declared sizes is over it (nothing inflated), else at the node past it.
 */
export function readPbf(bytes: Uint8Array, fileName: string, onProgress?: Progress, limits: PbfLimits = {}): OsmData {
  const fail = (p: Problem) => plannerError('bad-osm', `无法读取 OSM 文件「${fileName}」：PBF 数据损坏：${p.zh}`,
    `Cannot read OSM file "${fileName}": damaged PBF data: ${p.en}`, { file: fileName });
  const blocks = splitPbf(bytes);
  if (!Array.isArray(blocks)) throw fail(blocks);
  const bodies = blocks.map((b, i) => {
    const body = blobBody(b.blob, i + 1);
    if (!('raw' in body) && !('zlib' in body)) throw fail(body);
    return body;
  });
  const budget = limits.budget ?? pbfBudget(bytes.length);
  const total = bodies.reduce((s, b) => s + ('raw' in b ? b.raw.length : b.size), 0);
  if (total > budget) {
    throw plannerError('pbf-too-large',
      `文件「${fileName}」（${mib(bytes.length)} MiB）声明解压后共 ${mib(total)} MiB，超过允许的 ${mib(budget)} MiB（文件大小的 ${PBF_BUDGET_RATIO} 倍，至少 ${mib(PBF_BUDGET_FLOOR_BYTES)} MiB，最多 ${mib(PBF_BUDGET_CAP_BYTES)} MiB）；可能是恶意构造的“压缩炸弹”，已拒绝，未作任何修改`,
      `the file "${fileName}" (${mib(bytes.length)} MiB) declares ${mib(total)} MiB once decompressed, over the ${mib(budget)} MiB allowed (${PBF_BUDGET_RATIO} times the file size, at least ${mib(PBF_BUDGET_FLOOR_BYTES)} MiB, at most ${mib(PBF_BUDGET_CAP_BYTES)} MiB); it may be a crafted "decompression bomb" and was refused; nothing was changed`,
      { file: fileName, detail: `decompressed ${total} bytes, budget ${budget} bytes` });
  }
  const maxNodes = limits.maxNodes ?? Infinity;
  const estimate = estimatePbfNodes(total);
  // (clipped while decoding, the cap counts the nodes kept: the file's size says nothing about them)
  if (!limits.clip && estimate > maxNodes) throw tooManyNodesError(fileName, maxNodes, estimate, limits.limitNote);
  const head = inflateBody(bodies[0], 1);
  if (!(head instanceof Uint8Array)) throw fail(head);
  if (limits.clip) return readPbfClipped({ fileName, blocks, bodies, head, fail, onProgress, fileBytes: bytes.length }, limits.clip, limits);
  // (grown as nodes come: sizing it from the declared block sizes would let a crafted file claim memory up front)
  const data = { nodes: new NodeStore(), ways: [] as OsmWay[], relations: [] as OsmRelation[] };
  const handle = (e: Parameters<Parameters<typeof tinyOsmPbf>[1] & object>[0]) => {
    if (e.type === 'node') {
      if (data.nodes.size >= maxNodes && !data.nodes.has(e.id)) throw tooManyNodesError(fileName, maxNodes, undefined, limits.limitNote);
      data.nodes.set(e.id, e.lon as number, e.lat as number, hasKeys(e.tags) ? e.tags : undefined);
    } else if (e.type === 'way') data.ways.push({ id: e.id, nodes: e.nodes ?? [], tags: e.tags ?? {} });
    else if (e.type === 'relation') data.relations.push({ id: e.id, members: e.members ?? [], tags: e.tags ?? {} });
  };
  /** Adds a block decoded by pbfFast.ts, as `handle` adds tiny-osmpbf's elements (same objects, same checks). */
  const addFast = (f: FastBlock) => {
    const { nodes } = data;
    for (let k = 0; k < f.nodeCount; k++) {
      const id = f.ids[k];
      if (nodes.size >= maxNodes && !nodes.has(id)) throw tooManyNodesError(fileName, maxNodes, undefined, limits.limitNote);
      const t = f.tags?.[k];
      nodes.set(id, f.lons[k], f.lats[k], hasKeys(t) ? t : undefined);
    }
    for (const w of f.ways) data.ways.push(w);
    for (const r of f.relations) data.relations.push(r);
  };
  let done = 0;
  limits.onBlock?.(0, blocks.length - 1);
  withPbfGlobals(() => {
    // The fast decoder is used only once tiny-osmpbf has accepted the header (it checks it with every block).
    const headerOk = !limits.reference && headerAccepted(head);
    for (let i = 1; i < blocks.length; i++) {
      const content = inflateBody(bodies[i], i + 1); // this block only; dropped at the end of the iteration
      if (!(content instanceof Uint8Array)) throw fail(content);
      // A block the fast decoder takes has passed every check of pbfBlockFault too (its checks are stricter).
      const fast = headerOk ? decodePrimitiveBlock(content) : null;
      if (fast) {
        addFast(fast);
        done += blocks[i].blob.length;
        onProgress?.(done, bytes.length);
        limits.onBlock?.(i, blocks.length - 1);
        continue;
      }
      // (tiny-osmpbf would loop forever on these faults: refuse the block instead)
      const fault = pbfBlockFault(content);
      if (fault) throw fail({ zh: `第 ${i + 1} 个数据块：${fault.zh}`, en: `block ${i + 1}: ${fault.en}` });
      const file = twoBlockFile(head, content);
      try {
        tinyOsmPbf(file.buffer, handle);
      } catch (err) {
        if (err instanceof Error && err.name === 'PlannerError') throw err;
        const msg = String((err as Error).message ?? err);
        throw plannerError('bad-osm', `无法读取 OSM 文件「${fileName}」：PBF 数据损坏或不受支持（第 ${i + 1} 个数据块：${msg}）`,
          `Cannot read OSM file "${fileName}": damaged or unsupported PBF data (block ${i + 1}: ${msg})`, { file: fileName });
      }
      done += blocks[i].blob.length;
      onProgress?.(done, bytes.length);
      limits.onBlock?.(i, blocks.length - 1);
    }
  });
  return data;
}

/**
 * Too many nodes kept after clipping: PlannerError 'too-many-nodes' naming how many nodes at least the place needs
 * (those within its box, and those of ways crossing its edge), the file's node count and the limit.
 */
export const tooManyKeptError = (fileName: string, limit: number, kept: number, inFile: number, note?: LimitNote): PlannerError =>
  plannerError('too-many-nodes',
    `文件「${fileName}」共 ${count(inFile)} 个节点，本地区范围需保留至少 ${count(kept)} 个，超过 ${count(limit)} 个节点的上限${note ? `（${note.zh}）` : ''}，本程序无法处理这么大的范围；请先裁剪成较小的区域（例如用 osmium extract），未作任何修改`,
    `the file "${fileName}" keeps at least ${count(kept)} of its ${count(inFile)} nodes for this place's area, more than the ${count(limit)} nodes this program can take${note ? ` (${note.en})` : ''}; cut a smaller area first (e.g. with osmium extract). Nothing was changed`,
    { file: fileName, detail: `limit ${limit} nodes, at least ${kept} nodes kept after clipping, ${inFile} nodes in the file` });

interface ClipContext {
  fileName: string;
  blocks: PbfBlock[];
  bodies: BlobBody[];
  head: Uint8Array;
  fail: (p: Problem) => PlannerError;
  onProgress?: Progress;
  fileBytes: number;
}

/** Block kinds seen in the first pass (bits), so that later passes inflate only the blocks they need. */
const HAS_NODES = 1, HAS_WAYS = 2, HAS_RELATIONS = 4;

/**
 * One data block (i ≥ 1) decoded: by the fast decoder when it takes the block, else by tiny-osmpbf after the
 * pbfBlockFault checks, its elements gathered into the same shape.
 */
function decodeBlock(ctx: ClipContext, i: number, useFast: boolean): FastBlock {
  const content = inflateBody(ctx.bodies[i], i + 1);
  if (!(content instanceof Uint8Array)) throw ctx.fail(content);
  const fast = useFast ? decodePrimitiveBlock(content) : null;
  if (fast) return fast;
  const fault = pbfBlockFault(content);
  if (fault) throw ctx.fail({ zh: `第 ${i + 1} 个数据块：${fault.zh}`, en: `block ${i + 1}: ${fault.en}` });
  const ids: number[] = [], lons: number[] = [], lats: number[] = [], tags: (Tags | undefined)[] = [];
  const ways: OsmWay[] = [], relations: OsmRelation[] = [];
  try {
    tinyOsmPbf(twoBlockFile(ctx.head, content).buffer, (e) => {
      if (e.type === 'node') {
        ids.push(e.id); lons.push(e.lon as number); lats.push(e.lat as number); tags.push(hasKeys(e.tags) ? e.tags : undefined);
      } else if (e.type === 'way') ways.push({ id: e.id, nodes: e.nodes ?? [], tags: e.tags ?? {} });
      else if (e.type === 'relation') relations.push({ id: e.id, members: e.members ?? [], tags: e.tags ?? {} });
    });
  } catch (err) {
    const msg = String((err as Error).message ?? err);
    throw plannerError('bad-osm', `无法读取 OSM 文件「${ctx.fileName}」：PBF 数据损坏或不受支持（第 ${i + 1} 个数据块：${msg}）`,
      `Cannot read OSM file "${ctx.fileName}": damaged or unsupported PBF data (block ${i + 1}: ${msg})`, { file: ctx.fileName });
  }
  return { nodeCount: ids.length, ids: Float64Array.from(ids), lons: Float64Array.from(lons), lats: Float64Array.from(lats), tags, ways, relations };
}

/**
 * Reads a PBF file keeping only what touches `box`, streaming block by block (one inflated block at a time):
 * 1. every block: the nodes inside the box are kept (maxNodes counts them); a way is kept when one of its nodes is
 *    kept, a relation when one of its members (node or way) is; in a file sorted nodes → ways → relations (as OSM
 *    tools write them) this is one pass, else ways and relations are read again once every node is known;
 * 2. the way blocks again, only when a kept water / harbour multipolygon (what extractWater reads: isWaterRelation)
 *    has member ways not kept yet (an area crossing the box needs all its rings); other relations, e.g. a province
 *    boundary crossing the place, keep only their members touching the box (their far nodes would fill the cap);
 * 3. the node blocks again, only for the outside nodes of the kept ways (a road leaving the box, a lake crossing it).
 * The result equals reading a file pre-clipped with complete ways (`osmium extract --strategy complete_ways`), and
 * clipOsm of it equals clipOsm of the whole file. Nodes outside the box with a position out of range are dropped
 * here, not reported as malformed. Progress counts block visits of all passes (the total grows when a pass is added).
 */
function readPbfClipped(ctx: ClipContext, [a, b, c, d]: Bbox, limits: PbfLimits): OsmData {
  const { blocks, fileName } = ctx;
  const maxNodes = limits.maxNodes ?? Infinity;
  const data = { nodes: new NodeStore(), ways: [] as OsmWay[], relations: [] as OsmRelation[] };
  const kinds = new Uint8Array(blocks.length);
  const wayIds = new IdIndex();
  const nodes = data.nodes;
  const visits = { done: 0, total: blocks.length - 1 };
  const step = () => {
    visits.done++;
    ctx.onProgress?.(Math.round(ctx.fileBytes * (visits.done / visits.total)), ctx.fileBytes);
    limits.onBlock?.(visits.done, visits.total);
  };
  const useFast = !limits.reference && withPbfGlobals(() => headerAccepted(ctx.head));
  const addNode = (f: FastBlock, k: number) => {
    const t = f.tags?.[k];
    nodes.set(f.ids[k], f.lons[k], f.lats[k], hasKeys(t) ? t : undefined);
  };
  const touches = (w: OsmWay) => {
    for (const r of w.nodes) if (nodes.has(r)) return true;
    return false;
  };
  const relationKept = (r: OsmRelation) => r.members.some((m) => (m.type === 'node' ? nodes.has(m.ref) : m.type === 'way' ? wayIds.has(m.ref) : false));
  const keepWay = (w: OsmWay) => {
    data.ways.push(w);
    if (!wayIds.has(w.id)) wayIds.add(w.id);
  };
  limits.onBlock?.(0, visits.total);
  withPbfGlobals(() => {
    // pass 1
    let stage = 0, sorted = true, inside = 0, inFile = 0;
    for (let i = 1; i < blocks.length; i++) {
      const f = decodeBlock(ctx, i, useFast);
      kinds[i] = (f.nodeCount ? HAS_NODES : 0) | (f.ways.length ? HAS_WAYS : 0) | (f.relations.length ? HAS_RELATIONS : 0);
      if ((f.nodeCount && stage > 1) || (f.ways.length && stage > 2)) sorted = false;
      stage = Math.max(stage, f.relations.length ? 3 : f.ways.length ? 2 : f.nodeCount ? 1 : 0);
      for (let k = 0; k < f.nodeCount; k++) {
        inFile++;
        const x = f.lons[k], y = f.lats[k];
        if (!(x >= a && x <= c && y >= b && y <= d)) continue;
        if (inside++ >= maxNodes) continue; // over the cap: only counted from here on, for the message
        addNode(f, k);
      }
      if (inside <= maxNodes && sorted) {
        for (const w of f.ways) if (touches(w)) keepWay(w);
        for (const r of f.relations) if (relationKept(r)) data.relations.push(r);
      }
      step();
    }
    if (inside > maxNodes) throw tooManyKeptError(fileName, maxNodes, inside, inFile, limits.limitNote);
    const pass = (want: number, visit: (f: FastBlock) => void) => {
      const todo: number[] = [];
      for (let i = 1; i < blocks.length; i++) if (kinds[i] & want) todo.push(i);
      visits.total += todo.length;
      for (const i of todo) {
        visit(decodeBlock(ctx, i, useFast));
        step();
      }
    };
    if (!sorted) {
      // an unsorted file: ways and relations once every node is known (relations after every way)
      data.ways = []; data.relations = [];
      const held: OsmRelation[] = [];
      pass(HAS_WAYS | HAS_RELATIONS, (f) => {
        for (const w of f.ways) if (touches(w)) keepWay(w);
        for (const r of f.relations) held.push(r);
      });
      for (const r of held) if (relationKept(r)) data.relations.push(r);
    }
    // pass 2: member ways of kept water areas
    const wanted = new IdIndex();
    for (const r of data.relations) {
      if (!isWaterRelation(r.tags)) continue;
      for (const m of r.members) if (m.type === 'way' && !wayIds.has(m.ref) && !wanted.has(m.ref)) wanted.add(m.ref);
    }
    if (wanted.size) {
      pass(HAS_WAYS, (f) => {
        for (const w of f.ways) if (wanted.has(w.id) && !wayIds.has(w.id)) keepWay(w);
      });
    }
    // pass 3: the outside nodes of kept ways
    const missing = new IdIndex();
    for (const w of data.ways) for (const r of w.nodes) if (!nodes.has(r) && !missing.has(r)) missing.add(r);
    if (missing.size) {
      pass(HAS_NODES, (f) => {
        for (let k = 0; k < f.nodeCount; k++) {
          if (!missing.has(f.ids[k])) continue;
          if (!nodes.has(f.ids[k]) && nodes.size >= maxNodes) throw tooManyKeptError(fileName, maxNodes, nodes.size + 1, inFile, limits.limitNote);
          addNode(f, k);
        }
      });
    }
  });
  return data;
}
