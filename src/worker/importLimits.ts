/**
 * How many OSM nodes an import may hold on this device. The worker holds the decoded nodes, ways, the graph and the
 * road layer at once; the import bench (tests/bench/import.ts, bench/results.md) measures the process growth per
 * OSM node of the whole import path. The cap is the memory a tab may use for it over that figure: a quarter of the
 * device's memory (navigator.deviceMemory, which browsers report in GiB, at most 8) but at most TAB_IMPORT_BYTES;
 * where the browser does not say, the fixed MAX_IMPORT_NODES. Pure: the caller passes deviceMemory.
 * A PBF imported for a place is clipped while it is decoded (src/core/osm/pbf.ts), so the cap counts the nodes the
 * place keeps (its box + 2 km and the ways crossing it), not the whole file: a city extract imports for a district.
 * XML and Overpass JSON are read whole, so there the cap counts the file's nodes.
 */
import type { LimitNote } from '../core/osm/pbf';

/** Process memory per OSM node of a whole import (PBF: ~1,000 bytes measured on the 1 M-node grid and Monaco; rounded up). */
export const IMPORT_BYTES_PER_NODE = 1024;

/** Most memory one import may take in a browser tab (a 64-bit tab dies at about 4 GiB). */
export const TAB_IMPORT_BYTES = 2 * 1024 ** 3;

/** Share of the device's memory one import may take. */
export const DEVICE_MEMORY_SHARE = 0.25;

/** The cap when the browser does not report its memory: TAB_IMPORT_BYTES over IMPORT_BYTES_PER_NODE. */
export const MAX_IMPORT_NODES = 2_000_000;

export interface ImportCap {
  maxNodes: number;
  /** Memory the cap stands for (maxNodes × IMPORT_BYTES_PER_NODE). */
  bytes: number;
  /** The device memory the cap was derived from (GiB), or null: the fixed cap. */
  deviceMemoryGiB: number | null;
  /** Why the cap is what it is, for the 'too-many-nodes' message. */
  note: LimitNote;
}

const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

/** The node cap for a device with `deviceMemoryGiB` of memory (navigator.deviceMemory; undefined/invalid: fixed cap). */
export function importCap(deviceMemoryGiB?: number | null): ImportCap {
  const known = typeof deviceMemoryGiB === 'number' && Number.isFinite(deviceMemoryGiB) && deviceMemoryGiB > 0;
  const maxNodes = known
    ? Math.floor(Math.min(TAB_IMPORT_BYTES, deviceMemoryGiB * 1024 ** 3 * DEVICE_MEMORY_SHARE) / IMPORT_BYTES_PER_NODE)
    : MAX_IMPORT_NODES;
  const bytes = maxNodes * IMPORT_BYTES_PER_NODE;
  const note: LimitNote = known
    ? { zh: `本设备内存约 ${deviceMemoryGiB} GB，导入上限约 ${maxNodes.toLocaleString('en-US')} 个节点（约 ${gb(bytes)} GB 内存，每个节点约 ${IMPORT_BYTES_PER_NODE} 字节）`,
      en: `this device has about ${deviceMemoryGiB} GB of memory: the import cap is about ${maxNodes.toLocaleString('en-US')} nodes (about ${gb(bytes)} GB, ${IMPORT_BYTES_PER_NODE} bytes per node)` }
    : { zh: `浏览器未报告设备内存，按固定上限 ${maxNodes.toLocaleString('en-US')} 个节点（约 ${gb(bytes)} GB 内存，每个节点约 ${IMPORT_BYTES_PER_NODE} 字节）`,
      en: `the browser does not report its memory: the fixed cap of ${maxNodes.toLocaleString('en-US')} nodes applies (about ${gb(bytes)} GB, ${IMPORT_BYTES_PER_NODE} bytes per node)` };
  return { maxNodes, bytes, deviceMemoryGiB: known ? deviceMemoryGiB : null, note };
}
