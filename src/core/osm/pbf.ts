/**
 * OSM PBF reader with bounded memory. tiny-osmpbf decodes the OSM content but loops forever on a truncated or
 * corrupt file and inflates everything at once, so here the framing is checked (pbfBlob.ts), the declared
 * uncompressed sizes of all blocks are summed against a budget before anything is inflated (a decompression bomb is
 * refused at once), and then the blocks are decoded one by one: inflate one block into its declared size (a block
 * unpacking to more is refused), verify its checksum, decode that one block, drop it. A block is decoded by the fast
 * decoder (pbfFast.ts: several times quicker, no protobuf objects) when it takes it, else by tiny-osmpbf (pbfTiny.ts,
 * after the checks of pbfGuard.ts), which stays the reference for anything unusual or damaged. Clipping while
 * decoding (limits.clip) lives in pbfClip.ts.
 */
import { plannerError, type PlannerError } from '../errors';
import type { Problem } from './malformed';
import { blobBody, bodyBytes, inflateBody, mib, splitPbf, type BlobBody } from './pbfBlob';
import { count, readPbfClipped, type LimitNote } from './pbfClip';
import { decodePrimitiveBlock, type FastBlock } from './pbfFast';
import { pbfBlockFault } from './pbfGuard';
import { hasKeys, headerAccepted, tinyBlock, type TinyElement } from './pbfTiny';
import type { Bbox } from './clip';
import type { InflateScratch } from './inflate';
import { NodeStore } from './nodeStore';
import type { OsmData, OsmRelation, OsmWay } from './types';

export { PBF_BLOCK_MAX_BYTES, splitPbf } from './pbfBlob';
export { CLIP_CACHE_NODES, tooManyKeptError, type LimitNote } from './pbfClip';

type Progress = (done: number, total: number) => void;

const MiB = 1024 * 1024;
/** Decompressed budget of a PBF file: this many times its size (real extracts unpack to 2–3 times their size)… */
export const PBF_BUDGET_RATIO = 16;
/** …but at least this much (a small file of one or two full blocks)… */
export const PBF_BUDGET_FLOOR_BYTES = 64 * MiB;
/** …and never more than this, whatever the file size. */
export const PBF_BUDGET_CAP_BYTES = 2048 * MiB;

/** Total decompressed bytes allowed for a PBF file of `fileBytes` bytes. */
export const pbfBudget = (fileBytes: number): number =>
  Math.min(PBF_BUDGET_CAP_BYTES, Math.max(PBF_BUDGET_FLOOR_BYTES, fileBytes * PBF_BUDGET_RATIO));

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
  /** Clipping: most nodes of decoded blocks kept between passes (default CLIP_CACHE_NODES; tests set 0). */
  cacheNodes?: number;
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
  const bodies = blocks.map((b, i): BlobBody => {
    const body = blobBody(b.blob, i + 1);
    if (!('raw' in body) && !('zlib' in body)) throw fail(body);
    return body;
  });
  const budget = limits.budget ?? pbfBudget(bytes.length);
  const total = bodies.reduce((s, b) => s + bodyBytes(b), 0);
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
  const scratch: InflateScratch = {};
  if (limits.clip) return readPbfClipped({ fileName, blocks, bodies, head, fail, onProgress, fileBytes: bytes.length, scratch }, limits.clip, limits);
  // (grown as nodes come: sizing it from the declared block sizes would let a crafted file claim memory up front)
  const data = { nodes: new NodeStore(), ways: [] as OsmWay[], relations: [] as OsmRelation[] };
  const handle = (e: TinyElement) => {
    if (e.type === 'node') {
      if (data.nodes.size >= maxNodes && !data.nodes.has(e.id)) throw tooManyNodesError(fileName, maxNodes, undefined, limits.limitNote);
      data.nodes.set(e.id, e.lon as number, e.lat as number, hasKeys(e.tags) ? e.tags : undefined);
    } else if (e.type === 'way') data.ways.push({ id: e.id, nodes: e.nodes ?? [], tags: e.tags ?? {} });
    else if (e.type === 'relation') data.relations.push({ id: e.id, members: e.members ?? [], tags: e.tags ?? {} });
  };
  /** Adds a block decoded by pbfFast.ts, as `handle` adds tiny-osmpbf's elements (same objects, same checks). */
  const addFast = (f: FastBlock) => {
    const { nodes } = data;
    // a whole block at once when it cannot pass the cap (the size is read only when there is a cap)
    if (maxNodes === Infinity || nodes.size + f.nodeCount <= maxNodes) nodes.addAll(f.ids, f.lons, f.lats, f.tags, 0, f.nodeCount);
    else for (let k = 0; k < f.nodeCount; k++) {
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
  // The fast decoder is used only once tiny-osmpbf has accepted the header (it checks it with every block).
  const headerOk = !limits.reference && headerAccepted(head);
  for (let i = 1; i < blocks.length; i++) {
    const content = inflateBody(bodies[i], i + 1, scratch); // this block only; its buffer is reused by the next
    if (!(content instanceof Uint8Array)) throw fail(content);
    // A block the fast decoder takes has passed every check of pbfBlockFault too (its checks are stricter).
    const fast = headerOk ? decodePrimitiveBlock(content) : null;
    if (fast) addFast(fast);
    else {
      // (tiny-osmpbf would loop forever on these faults: refuse the block instead)
      const fault = pbfBlockFault(content);
      if (fault) throw fail({ zh: `第 ${i + 1} 个数据块：${fault.zh}`, en: `block ${i + 1}: ${fault.en}` });
      try {
        tinyBlock(head, content, handle);
      } catch (err) {
        if (err instanceof Error && err.name === 'PlannerError') throw err;
        const msg = String((err as Error).message ?? err);
        throw plannerError('bad-osm', `无法读取 OSM 文件「${fileName}」：PBF 数据损坏或不受支持（第 ${i + 1} 个数据块：${msg}）`,
          `Cannot read OSM file "${fileName}": damaged or unsupported PBF data (block ${i + 1}: ${msg})`, { file: fileName });
      }
    }
    done += blocks[i].blob.length;
    onProgress?.(done, bytes.length);
    limits.onBlock?.(i, blocks.length - 1);
  }
  return data;
}
