/**
 * Spatial index over the road segments (flatbush) in a local metric frame: equirectangular projection around
 * the graph's bbox centre, accurate to well under 1 % across a city-sized extract.
 */
import Flatbush from 'flatbush';
import { edgeSources, type RoadGraph } from './graph';
import { metresPerDegree } from './geo';

export interface LocalFrame {
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude / latitude at lat0. */
  mx: number;
  my: number;
}

export interface SpatialIndex {
  frame: LocalFrame;
  /** Node coordinates in metres in the local frame. */
  x: Float64Array;
  y: Float64Array;
  /** Tail node of every directed edge. */
  source: Uint32Array;
  /** Opposite directed edge (v→u for u→v), -1 when none. */
  twin: Int32Array;
  /** Directed edge id (tail < head) of each indexed segment; each road segment appears once. */
  segEdge: Uint32Array;
  index: Flatbush | null;
}

export function localFrame(bbox: [number, number, number, number]): LocalFrame {
  const lon0 = (bbox[0] + bbox[2]) / 2, lat0 = (bbox[1] + bbox[3]) / 2;
  const { mx, my } = metresPerDegree(lat0);
  return { lon0, lat0, mx, my };
}

export const toLocalX = (f: LocalFrame, lon: number) => (lon - f.lon0) * f.mx;
export const toLocalY = (f: LocalFrame, lat: number) => (lat - f.lat0) * f.my;
export const toLon = (f: LocalFrame, x: number) => f.lon0 + x / f.mx;
export const toLat = (f: LocalFrame, y: number) => f.lat0 + y / f.my;

export function buildSpatialIndex(graph: RoadGraph): SpatialIndex {
  const frame = localFrame(graph.bbox);
  const n = graph.nodeCount, m = graph.edgeCount;
  const { firstEdge, target, lengthM, lon, lat } = graph;
  const x = new Float64Array(n), y = new Float64Array(n);
  const { lon0, lat0, mx, my } = frame;
  for (let i = 0; i < n; i++) {
    x[i] = (lon[i] / 1e7 - lon0) * mx;
    y[i] = (lat[i] / 1e7 - lat0) * my;
  }
  const source = edgeSources(graph);
  // Twins: the first unpaired edge v→u of the same length, in edge order (each pair found from its lower edge).
  const twin = new Int32Array(m).fill(-1);
  let count = 0;
  for (let e = 0; e < m; e++) {
    const u = source[e], v = target[e];
    if (u < v) count++;
    if (twin[e] >= 0) continue;
    const len = lengthM[e];
    for (let f = firstEdge[v], end = firstEdge[v + 1]; f < end; f++) {
      if (target[f] === u && twin[f] < 0 && f !== e && lengthM[f] === len) {
        twin[e] = f;
        twin[f] = e;
        break;
      }
    }
  }
  const segEdge = new Uint32Array(count);
  let index: Flatbush | null = null;
  if (count > 0) index = new Flatbush(count);
  for (let e = 0, k = 0; e < m; e++) {
    const a = source[e], b = target[e];
    if (a >= b) continue;
    segEdge[k++] = e;
    const xa = x[a], xb = x[b], ya = y[a], yb = y[b];
    index!.add(Math.min(xa, xb), Math.min(ya, yb), Math.max(xa, xb), Math.max(ya, yb));
  }
  index?.finish();
  return { frame, x, y, source, twin, segEdge, index };
}
