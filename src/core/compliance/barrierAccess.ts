/**
 * GB 51080-2015 §4.1.3, the check behind "a district should not straddle a barrier": how much of the district's road
 * network the station can reach only by crossing it. A search from the station's road point that may not cross the
 * barrier — not through a road segment crossing its line (bridge, underpass), not through a node on it (level
 * crossing, junction), and for a motorway not along the motorway itself — within the district's box plus a margin
 * (going round the barrier's end counts as not crossing it). What it leaves out, inside the district, is the answer.
 */
import type { Position } from 'geojson';
import type { SourcePoint } from '../dijkstra';
import { BARRIER_CLASSES, roadClassName } from '../roadClass';
import { toLocalX, toLocalY } from '../spatial';
import type { AreaGeometry } from '../types';
import { areaIndex, bboxOf, clipLineToArea, lineLengthM, pointInIndexed, ringIndex, segmentCross } from './geom';
import type { Net } from './network';

const ON_LINE = 1e-9;

/** Per directed edge, its segment in the spatial index (-1: none); built once per network and kept on it. */
function segmentOfEdge(net: Net): Int32Array {
  if (net.segOfEdge) return net.segOfEdge;
  const { segEdge, twin } = net.spatial;
  const segOf = new Int32Array(net.graph.edgeCount).fill(-1);
  for (let h = 0; h < segEdge.length; h++) {
    segOf[segEdge[h]] = h;
    if (twin[segEdge[h]] >= 0) segOf[twin[segEdge[h]]] = h;
  }
  return (net.segOfEdge = segOf);
}

/**
 * Road metres inside `geom` that a station at `src` reaches only across `lines` (one barrier: its lines, whole);
 * `roadIsBarrier` when the barrier is a motorway of the graph (its own segments are not a way round).
 */
export function roadOnlyAcrossM(net: Net, src: SourcePoint, geom: AreaGeometry, lines: { line: Position[] }[], roadIsBarrier: boolean, marginM = 2000): number {
  const { index, frame, x, y, source, segEdge, twin } = net.spatial;
  if (!index) return 0;
  const g = net.graph, sec = net.seconds;
  const [w, s, e, n] = bboxOf(geom);
  const x0 = toLocalX(frame, w) - marginM, x1 = toLocalX(frame, e) + marginM, y0 = toLocalY(frame, s) - marginM, y1 = toLocalY(frame, n) + marginM;
  const inBox = (v: number) => x[v] >= x0 && x[v] <= x1 && y[v] >= y0 && y[v] <= y1;

  // Where the barrier meets the roads: parameters along each crossed segment (from its source node), nodes on it.
  const cuts = new Map<number, number[]>();
  const onBarrier = new Uint8Array(g.nodeCount);
  for (const { line } of lines)
    for (let i = 1; i < line.length; i++) {
      const ax = toLocalX(frame, line[i - 1][0]), ay = toLocalY(frame, line[i - 1][1]), bx = toLocalX(frame, line[i][0]), by = toLocalY(frame, line[i][1]);
      if (Math.max(ax, bx) < x0 || Math.min(ax, bx) > x1 || Math.max(ay, by) < y0 || Math.min(ay, by) > y1) continue;
      for (const h of index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
        const ed = segEdge[h], u = source[ed], v = g.target[ed];
        const hit = segmentCross(ax, ay, bx, by, x[u], y[u], x[v], y[v]);
        if (!hit) continue;
        const t = hit[1];
        if (t <= ON_LINE) onBarrier[u] = 1;
        else if (t >= 1 - ON_LINE) onBarrier[v] = 1;
        else (cuts.get(h) ?? cuts.set(h, []).get(h)!).push(t);
      }
    }
  const segOf = segmentOfEdge(net);
  const isBarrierRoad = (ed: number) => roadIsBarrier && BARRIER_CLASSES.has(roadClassName(g.roadClass[ed]));

  // The search: usable directed edges, not crossed, not barrier roads, not into nodes on the barrier, in the box.
  const reached = new Uint8Array(g.nodeCount);
  const stack: number[] = [];
  const enter = (v: number) => { if (!reached[v] && !onBarrier[v] && inBox(v)) { reached[v] = 1; stack.push(v); } };
  const srcCuts = cuts.get(segOf[src.edge]) ?? [];
  const fwdT = (t: number) => (g.target[src.edge] === source[segEdge[segOf[src.edge]]] ? 1 - t : t); // along src.edge
  if (!isBarrierRoad(src.edge)) {
    if ((sec[src.edge] < Infinity || src.t === 1) && !srcCuts.some((t) => fwdT(t) > src.t)) enter(src.v);
    if ((src.reverse >= 0 && sec[src.reverse] < Infinity) || src.t === 0) if (!srcCuts.some((t) => fwdT(t) < src.t)) enter(src.u);
  }
  while (stack.length) {
    const u = stack.pop()!;
    for (let ed = g.firstEdge[u]; ed < g.firstEdge[u + 1]; ed++)
      if (sec[ed] < Infinity && !cuts.has(segOf[ed]) && !isBarrierRoad(ed)) enter(g.target[ed]);
  }

  // Road inside the district that no reached end gets to without crossing: per segment, the parts before its first
  // cut from a reached source node and after its last cut from a reached target node are reachable. A segment counts
  // by its ends (segments are short): both inside whole, both outside not at all, else clipped to the district.
  const ai = areaIndex(geom), ri = ringIndex(geom);
  const lon = (v: number) => g.lon[v] / 1e7, lat = (v: number) => g.lat[v] / 1e7;
  const where = new Int8Array(g.nodeCount).fill(-1);
  const inside = (v: number) => (where[v] < 0 ? (where[v] = pointInIndexed(ai, lon(v), lat(v)) ? 1 : 0) : where[v]) === 1;
  let total = 0;
  // summed in segment order, not the index's hit order (which depends on how the tree was packed): the same metres
  // to the last bit however the index is built
  const hits = index.search(toLocalX(frame, w), toLocalY(frame, s), toLocalX(frame, e), toLocalY(frame, n)).sort((p, q) => p - q);
  for (const h of hits) {
    const ed = segEdge[h], u = source[ed], v = g.target[ed];
    if (isBarrierRoad(ed) || !(sec[ed] < Infinity || (twin[ed] >= 0 && sec[twin[ed]] < Infinity))) continue;
    const c = cuts.get(h);
    const from = reached[u] ? (c ? Math.min(...c) : 1) : 0;
    const to = reached[v] ? (c ? Math.max(...c) : 0) : 1;
    if (from >= to) continue;
    const p = (t: number): Position => [lon(u) + t * (lon(v) - lon(u)), lat(u) + t * (lat(v) - lat(u))];
    const part = [p(from), p(to)], iu = inside(u), iv = inside(v);
    if (iu && iv) total += lineLengthM(part);
    else if (iu || iv) for (const piece of clipLineToArea(part, geom, ri)) total += lineLengthM(piece);
  }
  return total;
}
