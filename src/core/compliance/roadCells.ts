/**
 * Static per-network tables for edge points and crossings: which indexed segments an edge point may use, and
 * candidate segments per 100 m cell sorted by distance. Built on first use and kept on the Net (like the spatial
 * index: derived from the network only, never from a query).
 */
import type { Net } from './network';
import { EdgeFlag } from '../graph';

/** Segments an edge point may use: usable on the surface (no tunnel) in some direction (kept on the network). */
export function edgeUsable(net: Net): Uint8Array {
  if (net.edgeOk) return net.edgeOk;
  const { segEdge, twin } = net.spatial, sec = net.seconds, flags = net.graph.flags;
  const usable = (e: number) => e >= 0 && sec[e] < Infinity && !(flags[e] & EdgeFlag.Tunnel);
  const ok = new Uint8Array(segEdge.length);
  for (let i = 0; i < segEdge.length; i++) ok[i] = usable(segEdge[i]) || usable(twin[segEdge[i]]) ? 1 : 0;
  return (net.edgeOk = ok);
}

/** Cell size (m) of the per-network candidate lists, and their radius beyond the cell's half-diagonal. */
export const CELL_M = 100, CELL_REACH_M = 100;

/**
 * Usable segments near a cell of the local frame, by increasing distance from the cell centre (built on first use,
 * kept on the network: a static table like the spatial index).
 */
export function cellList(net: Net, i: number, j: number, cells = net.edgeCells ?? (net.edgeCells = new CellTable(net)), reachM = CELL_REACH_M): CellList {
  let l = cells.get(i, j);
  if (l) return l;
  const { index, x, y, source, segEdge } = net.spatial, g = net.graph, ok = edgeUsable(net);
  const cx = (i + 0.5) * CELL_M, cy = (j + 0.5) * CELL_M, R = CELL_M * Math.SQRT1_2 + reachM;
  const hs: number[] = [], ds: number[] = [];
  for (const h of index!.search(cx - R, cy - R, cx + R, cy + R)) {
    if (!ok[h]) continue;
    const e = segEdge[h], a = source[e], b = g.target[e];
    const ex = x[b] - x[a], ey = y[b] - y[a], l2 = ex * ex + ey * ey;
    let t = l2 > 0 ? ((cx - x[a]) * ex + (cy - y[a]) * ey) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    const d = Math.sqrt((x[a] + t * ex - cx) ** 2 + (y[a] + t * ey - cy) ** 2);
    if (d <= R) { hs.push(h); ds.push(d); }
  }
  const order = hs.map((_, k) => k).sort((p, q) => ds[p] - ds[q]);
  l = { h: Int32Array.from(order, (k) => hs[k]), d: Float32Array.from(order, (k) => ds[k]) };
  cells.set(i, j, l);
  return l;
}

export interface CellList { h: Int32Array; d: Float32Array }

/** Candidate lists by cell: a dense table over the network's extent (plus 1 km), a map beyond it. */
export class CellTable {
  private readonly i0: number;
  private readonly j0: number;
  private readonly ni: number;
  private readonly nj: number;
  private readonly dense: (CellList | undefined)[];
  private readonly far = new Map<number, CellList>();

  constructor(net: Net) {
    const ix = net.spatial.index, m = 1000;
    this.i0 = ix ? Math.floor((ix.minX - m) / CELL_M) : 0;
    this.j0 = ix ? Math.floor((ix.minY - m) / CELL_M) : 0;
    const ni = ix ? Math.floor((ix.maxX + m) / CELL_M) - this.i0 + 1 : 0, nj = ix ? Math.floor((ix.maxY + m) / CELL_M) - this.j0 + 1 : 0;
    // (A very large extract keeps its lists in the map only: at most 4 M slots.)
    [this.ni, this.nj] = ni * nj <= 4_000_000 ? [ni, nj] : [0, 0];
    this.dense = new Array(this.ni * this.nj);
  }

  private slot(i: number, j: number): number {
    const a = i - this.i0, b = j - this.j0;
    return a >= 0 && b >= 0 && a < this.ni && b < this.nj ? a + b * this.ni : -1;
  }

  get(i: number, j: number): CellList | undefined {
    const k = this.slot(i, j);
    return k >= 0 ? this.dense[k] : this.far.get((i + 2 ** 20) * 2 ** 21 + (j + 2 ** 20));
  }

  set(i: number, j: number, l: CellList): void {
    const k = this.slot(i, j);
    if (k >= 0) this.dense[k] = l;
    else this.far.set((i + 2 ** 20) * 2 ** 21 + (j + 2 ** 20), l);
  }
}

