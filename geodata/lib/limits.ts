/**
 * Size limits of the geodata pipeline, checked before the big allocations so that an extract too large for this
 * machine is refused with a message naming the limit instead of dying with a V8 out-of-memory abort.
 */
import { getHeapStatistics } from 'node:v8';
import { isErrorInfo, plannerError } from '../../src/core/errors';
import { readOsm, type OsmRead } from '../../src/core/osm/read';

/**
 * JavaScript heap the pipeline needs per OSM node read (node objects, ways, graph, GeoJSON text): measured about
 * 300 bytes on the Monaco extract at the smallest heap that still builds it, and a 9 M-node extract died with a
 * 4 GiB heap (> 450 bytes); 1 KiB leaves room for road-heavy extracts.
 */
export const PIPELINE_HEAP_BYTES_PER_NODE = 1024;

/** Heap kept aside: V8's young generation (part of its heap limit, but not room for lasting objects) and slack. */
export const PIPELINE_HEAP_RESERVE_BYTES = 64 * 1024 * 1024;

/**
 * Most OSM nodes the pipeline reads: the heap still free (limit − reserve − in use; default: this process's) over
 * the bytes needed per node. With Node's default 4 GiB heap that is about 4.1 million nodes.
 */
export function pipelineMaxNodes(heapLimitBytes?: number, heapUsedBytes?: number): number {
  const h = getHeapStatistics();
  const free = (heapLimitBytes ?? h.heap_size_limit) - PIPELINE_HEAP_RESERVE_BYTES - (heapUsedBytes ?? h.used_heap_size);
  return Math.max(0, Math.floor(free / PIPELINE_HEAP_BYTES_PER_NODE));
}

/** readOsm with the pipeline's node limit; the error says how to raise it. */
export function readOsmLimited(bytes: Uint8Array, fileName: string, maxNodes: number = pipelineMaxNodes()): OsmRead {
  try {
    return readOsm(bytes, fileName, undefined, { maxNodes });
  } catch (err) {
    if (!isErrorInfo(err) || err.code !== 'too-many-nodes') throw err;
    const heapMiB = Math.round(getHeapStatistics().heap_size_limit / 1048576);
    throw plannerError('too-many-nodes',
      `${err.zh}。当前 Node 堆上限 ${heapMiB} MiB，每 ${PIPELINE_HEAP_BYTES_PER_NODE} 字节可处理一个节点；可用 NODE_OPTIONS=--max-old-space-size=<MiB> 提高`,
      `${err.en}. The Node heap limit is ${heapMiB} MiB, one node per ${PIPELINE_HEAP_BYTES_PER_NODE} bytes; raise it with NODE_OPTIONS=--max-old-space-size=<MiB>`,
      { file: fileName, detail: err.detail });
  }
}
