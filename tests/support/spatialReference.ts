/**
 * Test support: the spatial index as it was built before the packed index (issue #11, router set-up): flatbush
 * filled with add() in edge order and sorted by its own finish(); tails from edgeSources, twins in a pass of their
 * own. Kept only to compare the packed index's answers with (tests/pipeline/spatialSame.test.ts).
 */
import Flatbush from 'flatbush';
import { edgeSources, type RoadGraph } from '../../src/core/graph';
import { localFrame, type SpatialIndex } from '../../src/core/spatial';

export function referenceSpatialIndex(graph: RoadGraph): SpatialIndex {
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
