/**
 * Spatial index over the road segments (flatbush) in a local metric frame: equirectangular projection around
 * the graph's bbox centre, accurate to well under 1 % across a city-sized extract.
 */
import type Flatbush from 'flatbush';
import type { RoadGraph } from './graph';
import { pairBoxIndex } from './spatialPack';
import { metresPerDegree } from './geo';
import { FERRY_CLASS } from './roadClass';

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
  /** Metres of the indexed segments that are no ferry, summed in segEdge order (the road-km of graphSummary). */
  roadM?: number;
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
  const { firstEdge, target, lengthM, roadClass, lon, lat } = graph;
  const x = new Float64Array(n), y = new Float64Array(n);
  const { lon0, lat0, mx, my } = frame;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity; // (pointsExtent, on the way)
  for (let i = 0; i < n; i++) {
    const px = (lon[i] / 1e7 - lon0) * mx, py = (lat[i] / 1e7 - lat0) * my;
    x[i] = px;
    y[i] = py;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  // One pass over the edges by tail node: tails, twins, and the indexed segments (edges tail < head, in edge order).
  // Twins: the first unpaired edge v→u of the same length, in edge order (each pair found from its lower edge).
  // Segments: sized for a graph of two-way segments (the builder's: every segment is two edges), grown if need be;
  // their road metres on the way (the edges are in the cache here, not in a loop of their own later).
  const source = new Uint32Array(m), twin = new Int32Array(m).fill(-1);
  let seg: Uint32Array = new Uint32Array(m >> 1), count = 0, roadM = 0;
  for (let u = 0, e = firstEdge[0]; u < n; u++) {
    for (const end = firstEdge[u + 1]; e < end; e++) {
      source[e] = u;
      const v = target[e];
      if (u < v) {
        if (count === seg.length) seg = grown(seg, m);
        seg[count++] = e;
        if (roadClass[e] !== FERRY_CLASS) roadM += lengthM[e];
      }
      if (twin[e] >= 0) continue;
      const len = lengthM[e];
      for (let f = firstEdge[v], fEnd = firstEdge[v + 1]; f < fEnd; f++) {
        if (target[f] === u && twin[f] < 0 && f !== e && lengthM[f] === len) {
          twin[e] = f;
          twin[f] = e;
          break;
        }
      }
    }
  }
  const segEdge = count === seg.length ? seg : seg.slice(0, count);
  return { frame, x, y, source, twin, segEdge, roadM, index: pairBoxIndex(x, y, source, target, segEdge, 16, [minX, minY, maxX, maxY]) };
}

/** A copy of `a` with room for `size` entries. */
function grown(a: Uint32Array, size: number): Uint32Array {
  const b = new Uint32Array(size);
  b.set(a);
  return b;
}
