/**
 * Stage 3 of a network check — station times: a station's run over the network, grown in steps until the time of
 * every point of its edge plan is final; each time read through the run's entryTime (edgeTime.ts), so turn
 * restrictions at an edge's tail are honoured. A point's time is final once it is at most the run's cutoff, or
 * when none of its road points can still be entered sooner (their ends are settled, or out of the station's reach).
 */
import { pointTimeOnRun, type EdgeEntry } from '../edgeTime';
import type { SourcePoint } from '../dijkstra';
import type { Snap } from '../snap';
import type { SnapStore } from './edgeSnap';
import { refCount, refFirst, type NetEdgePlan } from './edgePlan';
import type { Net } from './network';

/** A single-source run that can be grown (ChainPaths). */
export interface StationRun extends EdgeEntry {
  run(src: SourcePoint, cutoff: number): void;
  extend(cutoff: number): void;
  /** Every entry time at most this is final (Infinity once the run has settled all it can reach). */
  readonly cutoff: number;
}

export interface EdgeTimes {
  /** Per sample: seconds (NaN = no road near, Infinity = a road the station cannot reach). */
  sampleSec: Float64Array;
  /** Per sample: store index of the road point the time is measured to (-1: none). */
  sampleBest: Int32Array;
  crossSec: Float64Array;
  /** Per crossing: store index of the road point beside it when faster than its own road, else -1. */
  crossBest: Int32Array;
}

/** Seconds to fraction t of segment e (reverse rev) in the run, or straight along it from the source on the same segment. */
export function roadPointTime(run: EdgeEntry, sec: Float32Array, src: SourcePoint, e: number, rev: number, t: number): number {
  const via = pointTimeOnRun(run, sec, e, rev, t);
  if (src.edge !== e) return via;
  const direct = t === src.t ? 0 : t > src.t ? (t - src.t) * sec[e] : rev >= 0 ? (src.t - t) * sec[rev] : Infinity;
  return direct < via ? direct : via;
}

/** Whether the run may still enter segment e (reverse rev) sooner at fraction t: an entry the station can reach is not final yet. */
function open(run: EdgeEntry, net: Net, reach: Uint8Array, e: number, rev: number, t: number): boolean {
  const sec = net.seconds, u = net.spatial.source[e], v = net.graph.target[e];
  return (reach[u] === 1 && (t === 0 || sec[e] < Infinity) && !(run.entryTime(e) < Infinity))
    || (rev >= 0 && reach[v] === 1 && (t === 1 || sec[rev] < Infinity) && !(run.entryTime(rev) < Infinity));
}

/**
 * Times of an edge plan's points from one station (see the module comment). `fromS`: the first cutoff (the travel
 * limit, or more when coverage needs it); `reach`: nodes the main network reaches (reachableFromMain). A station
 * off the main network runs over all it can reach at once.
 */
export function stationEdgeTimes(net: Net, store: SnapStore, reach: Uint8Array, p: NetEdgePlan, src: Snap, run: StationRun, fromS: number): EdgeTimes {
  const sec = net.seconds, m = p.sampleRef.length, nx = p.cross.length;
  const out: EdgeTimes = {
    sampleSec: new Float64Array(m).fill(Infinity), sampleBest: new Int32Array(m).fill(-1),
    crossSec: new Float64Array(nx).fill(Infinity), crossBest: new Int32Array(nx).fill(-1),
  };
  /** Best time over a reference's road points into best[0] (time) and best[1] (store index); whether it is final. */
  const best = [Infinity, -1];
  const refTime = (ref: number, cutoff: number): boolean => {
    const first = refFirst(ref), end = first + refCount(ref);
    best[0] = Infinity;
    best[1] = first;
    for (let i = first; i < end; i++) {
      const t = roadPointTime(run, sec, src, store.edge[i], store.reverse[i], store.t[i]);
      if (t < best[0]) { best[0] = t; best[1] = i; }
    }
    if (best[0] <= cutoff) return true;
    for (let i = first; i < end; i++) if (open(run, net, reach, store.edge[i], store.reverse[i], store.t[i])) return false;
    return true;
  };
  let samples: number[] = [], crossings: number[] = [];
  for (let i = 0; i < m; i++) {
    if (refCount(p.sampleRef[i]) === 0) out.sampleSec[i] = NaN;
    else samples.push(i);
  }
  for (let j = 0; j < nx; j++) crossings.push(j);
  let D = src.isolated ? Infinity : fromS;
  run.run(src, D);
  for (;;) {
    const cutoff = run.cutoff;
    samples = samples.filter((i) => {
      if (!refTime(p.sampleRef[i], cutoff)) return true;
      out.sampleSec[i] = best[0];
      out.sampleBest[i] = best[1];
      return false;
    });
    crossings = crossings.filter((j) => {
      const c = p.cross[j], ref = p.crossRef[j];
      const own = roadPointTime(run, sec, src, c.edge, c.reverse, c.t);
      const nearFinal = ref ? refTime(ref, cutoff) : true, near = ref ? best[0] : Infinity;
      const t = near < own ? near : own;
      if (!(t <= cutoff) && !(nearFinal && !open(run, net, reach, c.edge, c.reverse, c.t))) return true;
      out.crossSec[j] = t;
      out.crossBest[j] = near < own ? best[1] : -1;
      return false;
    });
    if (samples.length === 0 && crossings.length === 0) return out;
    D = Math.max(D * 1.5, D + 30);
    run.extend(D);
  }
}
