/**
 * Coverage matrix: one capped search per candidate with the engine's ShortestPaths (no search loop of its own),
 * then the demand points read off the settled roads. Station → demand by default (dispatch, turn restrictions obeyed);
 * demand → station runs the same search on the transposed graph, where turn restrictions and turn penalties are
 * not modelled (stated in the matrix's direction). Without a road network: straight-line estimate.
 */
import type { RoadGraph } from '../graph';
import { ShortestPaths, type SourcePoint } from '../dijkstra';
import { reverseEdges } from '../turns';
import { haversineM } from '../geo';
import { plannerError } from '../errors';
import type { Router } from '../router';
import type { Candidate, CoverageMatrix, Demand, MatrixDirection, RunControl } from './types';

export interface MatrixOptions extends RunControl {
  limitS: number;
  backupLimitS?: number | null;
  /** Searches stop here (default: the larger limit). p-median and p-center want more (e.g. 2 × limit). */
  horizonS?: number;
  direction?: MatrixDirection;
}

export const cancelledError = () => plannerError('cancelled', '已取消', 'cancelled');

function checkLimits(o: MatrixOptions): number {
  if (!(o.limitS > 0)) throw plannerError('bad-limit', `行驶时间限值必须大于 0（得到 ${o.limitS} 秒）`, `the travel limit must be above 0 (got ${o.limitS} s)`);
  if (o.backupLimitS != null && !(o.backupLimitS > 0)) throw plannerError('bad-limit', `第二时间限值无效：${o.backupLimitS} 秒`, `invalid second limit: ${o.backupLimitS} s`);
  return Math.max(o.limitS, o.backupLimitS ?? 0, o.horizonS ?? 0);
}

/** Rows (demand ids ascending, their seconds) → the matrix (identity demand mapping). */
function assemble(cands: Candidate[], d: Demand, rows: { dem: Uint32Array; time: Float32Array }[], o: MatrixOptions, horizonS: number, estimate: boolean): CoverageMatrix {
  const first = new Uint32Array(cands.length + 1);
  rows.forEach((r, c) => { first[c + 1] = first[c] + r.dem.length; });
  const dem = new Uint32Array(first[cands.length]), time = new Float32Array(first[cands.length]);
  rows.forEach((r, c) => { dem.set(r.dem, first[c]); time.set(r.time, first[c]); });
  const n = d.weight.length;
  return {
    candidates: cands, demandCount: n, weight: Float64Array.from(d.weight), first, dem, time,
    limitS: o.limitS, backupLimitS: o.backupLimitS ?? null, horizonS, direction: o.direction ?? 'station-to-demand', estimate,
    demandOf: Uint32Array.from({ length: n }, (_, i) => i), originalCount: n,
  };
}

/** Collects one row: demand ids with their seconds, handed back sorted by id (typed-array sort, no closures). */
class RowBuffer {
  private ids: Uint32Array;
  private count = 0;
  private readonly at: Float32Array;
  constructor(n: number) {
    this.ids = new Uint32Array(1024);
    this.at = new Float32Array(n);
  }
  push(i: number, t: number): void {
    if (this.count === this.ids.length) { const b = new Uint32Array(this.ids.length * 2); b.set(this.ids); this.ids = b; }
    this.ids[this.count++] = i;
    this.at[i] = t;
  }
  take(): { dem: Uint32Array; time: Float32Array } {
    const dem = this.ids.slice(0, this.count).sort(), time = new Float32Array(dem.length);
    for (let k = 0; k < dem.length; k++) time[k] = this.at[dem[k]];
    this.count = 0;
    return { dem, time };
  }
}

/** The transposed road graph (edge k of it runs target→source of original edge perm[k]); no turn restrictions. */
function transpose(g: RoadGraph, sec: Float32Array): { graph: RoadGraph; seconds: Float32Array; perm: Uint32Array } {
  const n = g.nodeCount, m = g.edgeCount, first = new Uint32Array(n + 1), src = new Uint32Array(m);
  for (let u = 0; u < n; u++) for (let e = g.firstEdge[u]; e < g.firstEdge[u + 1]; e++) { src[e] = u; first[g.target[e] + 1]++; }
  for (let v = 0; v < n; v++) first[v + 1] += first[v];
  const fill = first.slice(0, n), target = new Uint32Array(m), seconds = new Float32Array(m), perm = new Uint32Array(m);
  for (let e = 0; e < m; e++) { const k = fill[g.target[e]]++; target[k] = src[e]; seconds[k] = sec[e]; perm[k] = e; }
  const graph = { ...g, firstEdge: first, target, restrFirst: new Uint32Array(1), restrEdges: new Uint32Array(0) };
  return { graph, seconds, perm };
}

const NO_TURNS = { restrictions: false, uTurnSeconds: 0, leftTurnSeconds: 0, rightTurnSeconds: 0 };

/**
 * The matrix on the router's road network. Road demand keeps its edge; imported demand is snapped as destinations.
 * Candidates on a node start there; others (stations, imported sites) are snapped as stations.
 */
export function networkMatrix(router: Router, demand: Demand, candidates: Candidate[], o: MatrixOptions): CoverageMatrix {
  const horizon = checkLimits(o);
  const g = router.graph, sec = router.seconds, twin = reverseEdges(g), n = demand.weight.length;
  const dirRev = o.direction === 'demand-to-station';
  // Each demand point on directed edge e (u→v) at t, with its opposite r (v→u) or -1.
  const de = new Int32Array(n), dr = new Int32Array(n), dt = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = demand.edge[i], t = demand.t[i];
    if (e < 0) { const s = router.snap(demand.lon[i], demand.lat[i]); e = s.edge; t = s.t; }
    de[i] = e; dr[i] = twin[e]; dt[i] = t;
  }
  // Demand points by node: the tail of each of their edges (CSR).
  const tail = new Uint32Array(g.edgeCount);
  for (let u = 0; u < g.nodeCount; u++) tail.fill(u, g.firstEdge[u], g.firstEdge[u + 1]);
  const bf = new Uint32Array(g.nodeCount + 1);
  for (let i = 0; i < n; i++) { bf[tail[de[i]] + 1]++; bf[g.target[de[i]] + 1]++; }
  for (let v = 0; v < g.nodeCount; v++) bf[v + 1] += bf[v];
  const bfill = bf.slice(0, g.nodeCount), bucket = new Uint32Array(bf[g.nodeCount]);
  for (let i = 0; i < n; i++) { bucket[bfill[tail[de[i]]]++] = i; bucket[bfill[g.target[de[i]]]++] = i; }

  const rev = dirRev ? transpose(g, sec) : null;
  const sp = rev ? new ShortestPaths(rev.graph, rev.seconds, NO_TURNS) : router.paths;
  const revOf = rev ? new Int32Array(g.edgeCount) : null;
  if (rev && revOf) rev.perm.forEach((e, k) => { revOf[e] = k; });
  const mark = new Uint32Array(n), buf = new RowBuffer(n);
  const rows: { dem: Uint32Array; time: Float32Array }[] = [];
  for (let c = 0; c < candidates.length; c++) {
    if (o.signal?.aborted) throw cancelledError();
    const cand = candidates[c];
    let src: SourcePoint;
    if (cand.node >= 0) src = { edge: 0, reverse: -1, u: cand.node, v: cand.node, t: 1 };
    else {
      const s = router.snapStation(cand.lon, cand.lat);
      src = revOf ? { edge: revOf[s.edge], reverse: s.reverse >= 0 ? revOf[s.reverse] : -1, u: s.v, v: s.u, t: 1 - s.t } : s;
      if (revOf && s.t === 0) src = { edge: 0, reverse: -1, u: s.u, v: s.u, t: 1 };
    }
    sp.run([src], horizon);
    const stamp = c + 1;
    for (let k = 0; k < sp.settledCount; k++) {
      const x = sp.settled[k];
      for (let b = bf[x]; b < bf[x + 1]; b++) {
        const i = bucket[b];
        if (mark[i] === stamp) continue;
        mark[i] = stamp;
        const e = de[i], r = dr[i], t = dt[i];
        let best: number;
        if (!rev) {
          // Enter e at its tail and drive t of it, or enter r and drive 1 − t of it.
          best = t === 0 ? sp.time(tail[e]) : sp.entryTime(e) + t * sec[e];
          const back = t === 1 ? sp.time(g.target[e]) : r >= 0 ? sp.entryTime(r) + (1 - t) * sec[r] : Infinity;
          if (back < best) best = back;
        } else {
          // Drive from the point to e's head (1 − t of e) or to its tail (t of r), then on to the station.
          best = sp.time(g.target[e]) + (1 - t) * sec[e];
          const back = r >= 0 ? sp.time(tail[e]) + t * sec[r] : t === 0 ? sp.time(tail[e]) : Infinity;
          if (back < best) best = back;
        }
        // A station standing on the same road drives straight along it.
        if (cand.node < 0 && (src.edge === e || src.edge === r) && !rev) {
          const s = src.edge === e ? src.t : 1 - src.t;
          const direct = t >= s ? (t - s) * sec[e] : r >= 0 ? (s - t) * sec[r] : Infinity;
          if (direct < best) best = direct;
        }
        if (best <= horizon) buf.push(i, best);
      }
    }
    rows.push(buf.take());
    o.onProgress?.(c + 1, candidates.length);
  }
  return assemble(candidates, demand, rows, o, horizon, false);
}

/**
 * Straight-line estimate (no road network): seconds = distance × curvature / speed, the compliance check's estimate
 * figures (standards straightLine). Labelled estimate in every output.
 */
export function straightLineMatrix(demand: Demand, candidates: Candidate[], o: MatrixOptions & { speedKmh: number; curvature: number }): CoverageMatrix {
  const horizon = checkLimits(o), v = o.speedKmh / 3.6, n = demand.weight.length;
  if (!(v > 0) || !(o.curvature >= 1)) throw plannerError('bad-estimate', '估算车速或曲折系数无效', 'invalid estimate speed or curvature');
  const buf = new RowBuffer(n);
  const rows = candidates.map((c, k) => {
    if (o.signal?.aborted) throw cancelledError();
    for (let i = 0; i < n; i++) {
      const s = (haversineM(c.lon, c.lat, demand.lon[i], demand.lat[i]) * o.curvature) / v;
      if (s <= horizon) buf.push(i, s);
    }
    o.onProgress?.(k + 1, candidates.length);
    return buf.take();
  });
  return assemble(candidates, demand, rows, o, horizon, true);
}
