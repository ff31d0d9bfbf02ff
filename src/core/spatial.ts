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
  const n = graph.nodeCount;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (graph.lon[i] / 1e7 - frame.lon0) * frame.mx;
    y[i] = (graph.lat[i] / 1e7 - frame.lat0) * frame.my;
  }
  const source = edgeSources(graph);
  const twin = new Int32Array(graph.edgeCount).fill(-1);
  for (let e = 0; e < graph.edgeCount; e++) {
    if (twin[e] >= 0) continue;
    const u = source[e], v = graph.target[e];
    for (let f = graph.firstEdge[v]; f < graph.firstEdge[v + 1]; f++) {
      if (graph.target[f] === u && twin[f] < 0 && f !== e && graph.lengthM[f] === graph.lengthM[e]) {
        twin[e] = f;
        twin[f] = e;
        break;
      }
    }
  }
  let count = 0;
  for (let e = 0; e < graph.edgeCount; e++) if (source[e] < graph.target[e]) count++;
  const segEdge = new Uint32Array(count);
  let k = 0;
  for (let e = 0; e < graph.edgeCount; e++) if (source[e] < graph.target[e]) segEdge[k++] = e;
  let index: Flatbush | null = null;
  if (count > 0) {
    index = new Flatbush(count);
    for (let i = 0; i < count; i++) {
      const e = segEdge[i], a = source[e], b = graph.target[e];
      index.add(Math.min(x[a], x[b]), Math.min(y[a], y[b]), Math.max(x[a], x[b]), Math.max(y[a], y[b]));
    }
    index.finish();
  }
  return { frame, x, y, source, twin, segEdge, index };
}
