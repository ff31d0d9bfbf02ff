/** Snapping a point to the nearest road segment a fire engine can use. */
import type { RoadGraph } from './graph';
import { isIsolatedNode, type Components } from './components';
import { toLat, toLocalX, toLocalY, toLon, type SpatialIndex } from './spatial';

/** Snaps further than this from the network get a warning (metres). */
export const FAR_SNAP_M = 300;

export interface Snap {
  /** Directed edge u→v (u < v) of the snapped segment, and its opposite v→u (-1 if none). */
  edge: number;
  reverse: number;
  u: number;
  v: number;
  /** Position along the segment from u (0) to v (1). */
  t: number;
  lon: number;
  lat: number;
  /** Metres from the requested point to the snapped point. */
  distanceM: number;
  far: boolean;
  isolated: boolean;
  nameId: number;
}


/**
 * Nearest segment usable in at least one direction (`seconds` finite). Returns null for an empty graph.
 * The search box grows until the best exact distance is inside it, so the answer is the true nearest segment.
 * With `main` (mainStrongComponent mask) a snap off the main network is flagged `isolated` (one-way pockets at the
 * extract's edge that a fire engine cannot leave or reach); with `preferMainM` > 0 the nearest main-network segment
 * wins when it lies within `preferMainM` of the point (else the nearest segment, whatever network it is on).
 */
export function snapPoint(graph: RoadGraph, sp: SpatialIndex, seconds: Float32Array, comps: Components | null, lon: number, lat: number, main: Uint8Array | null = null, preferMainM = 0): Snap | null {
  const { index, x, y, source, segEdge, frame, twin } = sp;
  if (!index || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const px = toLocalX(frame, lon), py = toLocalY(frame, lat);
  const dx0 = Math.max(index.minX - px, 0, px - index.maxX), dy0 = Math.max(index.minY - py, 0, py - index.maxY);
  const limit = Math.hypot(dx0, dy0) + Math.hypot(index.maxX - index.minX, index.maxY - index.minY) + 1;
  const best = [-1, -1], bestD = [Infinity, Infinity], bestT = [0, 0];
  for (let r = Math.max(50, Math.hypot(dx0, dy0) + 50); ; r *= 4) {
    const hits = index.search(px - r, py - r, px + r, py + r);
    for (const h of hits) {
      const e = segEdge[h], a = source[e], b = graph.target[e];
      const rev = twin[e];
      if (!(seconds[e] < Infinity) && !(rev >= 0 && seconds[rev] < Infinity)) continue;
      const ex = x[b] - x[a], ey = y[b] - y[a];
      const len2 = ex * ex + ey * ey;
      let t = len2 > 0 ? ((px - x[a]) * ex + (py - y[a]) * ey) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const d = Math.sqrt((x[a] + t * ex - px) ** 2 + (y[a] + t * ey - py) ** 2);
      const k = main && main[a] && main[b] ? 1 : 0;
      for (let q = 0; q <= k; q++) if (d < bestD[q] || (d === bestD[q] && e < best[q])) { bestD[q] = d; best[q] = e; bestT[q] = t; }
    }
    const done = bestD[0] <= r && (!main || preferMainM <= 0 || bestD[1] <= r || preferMainM <= r);
    if (done || r > limit) break;
  }
  const q = main && preferMainM > 0 && best[1] >= 0 && bestD[1] <= preferMainM ? 1 : 0;
  const e = best[q];
  if (e < 0) return null;
  const u = source[e], v = graph.target[e], t = bestT[q];
  const sx = x[u] + t * (x[v] - x[u]), sy = y[u] + t * (y[v] - y[u]);
  const inMain = main ? main[u] === 1 && main[v] === 1 : true;
  return {
    edge: e, reverse: twin[e], u, v, t,
    lon: toLon(frame, sx), lat: toLat(frame, sy),
    distanceM: bestD[q], far: bestD[q] > FAR_SNAP_M,
    isolated: !inMain || (comps ? isIsolatedNode(comps, u) : false),
    nameId: graph.nameId[e],
  };
}
