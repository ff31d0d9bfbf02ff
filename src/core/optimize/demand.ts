/**
 * Demand for the optimizer: a point every `spacingM` along the drivable roads (weight = the metres of road it stands
 * for), or the user's imported points. Road demand covers each road once (one direction of a two-way pair).
 */
import type { RoadGraph } from '../graph';
import { FERRY_CLASS } from '../roadClass';
import { reverseEdges } from '../turns';
import { plannerError } from '../errors';
import type { Demand, DemandPoint } from './types';

export interface RoadDemandOptions {
  /** Metres between points (default 50). */
  spacingM?: number;
  /** Travel seconds per directed edge (Infinity = closed): a road closed both ways carries no demand. */
  seconds?: Float32Array;
  /** Leave out points for which this is true (e.g. outside the study area). */
  isExcluded?: (p: { lon: number; lat: number }) => boolean;
}

/** Points every spacingM along each drivable road (ferries left out), at the middle of equal pieces of the road. */
export function roadDemand(graph: RoadGraph, opts: RoadDemandOptions = {}): Demand {
  const spacing = opts.spacingM ?? 50;
  if (!(spacing > 0)) throw plannerError('bad-spacing', `需求点间距必须大于 0（得到 ${spacing}）`, `demand spacing must be above 0 (got ${spacing})`);
  const twin = reverseEdges(graph), sec = opts.seconds;
  const lon: number[] = [], lat: number[] = [], w: number[] = [], edge: number[] = [], tt: number[] = [];
  for (let u = 0; u < graph.nodeCount; u++)
    for (let e = graph.firstEdge[u]; e < graph.firstEdge[u + 1]; e++) {
      const r = twin[e];
      if (r >= 0 && r < e) continue; // each road once
      if (graph.roadClass[e] === FERRY_CLASS) continue;
      if (sec && !(sec[e] < Infinity) && !(r >= 0 && sec[r] < Infinity)) continue;
      const len = graph.lengthM[e], v = graph.target[e];
      if (!(len > 0)) continue;
      const n = Math.max(1, Math.round(len / spacing));
      const x0 = graph.lon[u] / 1e7, y0 = graph.lat[u] / 1e7, x1 = graph.lon[v] / 1e7, y1 = graph.lat[v] / 1e7;
      for (let i = 0; i < n; i++) {
        const t = (i + 0.5) / n, p = { lon: x0 + (x1 - x0) * t, lat: y0 + (y1 - y0) * t };
        if (opts.isExcluded?.(p)) continue;
        lon.push(p.lon); lat.push(p.lat); w.push(len / n); edge.push(e); tt.push(t);
      }
    }
  return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), weight: Float64Array.from(w), edge: Int32Array.from(edge), t: Float32Array.from(tt), source: 'roads', unit: 'm' };
}

/** The user's points (already read by src/data or the CLI). Refuses a bad coordinate or weight, naming the row. */
export function importedDemand(points: readonly DemandPoint[]): Demand {
  if (points.length === 0) throw plannerError('empty-demand', '需求点文件中没有点', 'the demand file has no points');
  points.forEach((p, i) => {
    if (!Number.isFinite(p.lon) || !Number.isFinite(p.lat) || Math.abs(p.lon) > 180 || Math.abs(p.lat) > 90)
      throw plannerError('bad-coordinate', `第 ${i + 1} 个需求点坐标无效：${p.lon}, ${p.lat}`, `demand point ${i + 1} has an invalid coordinate: ${p.lon}, ${p.lat}`);
    if (!Number.isFinite(p.weight) || p.weight < 0)
      throw plannerError('bad-weight', `第 ${i + 1} 个需求点的权重无效：${p.weight}（应为 ≥ 0 的数）`, `demand point ${i + 1} has an invalid weight: ${p.weight} (expected a number ≥ 0)`);
  });
  return {
    lon: Float64Array.from(points, (p) => p.lon), lat: Float64Array.from(points, (p) => p.lat), weight: Float64Array.from(points, (p) => p.weight),
    edge: new Int32Array(points.length).fill(-1), t: new Float32Array(points.length), source: 'imported', unit: 'weight',
  };
}
