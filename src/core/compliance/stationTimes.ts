/**
 * Stage 3 of a network check — station times: a station's run over the network, grown in steps until the time of
 * every point of its edge plan is final; each time read through the run's entryTime (edgeTime.ts), so turn
 * restrictions at an edge's tail are honoured. A point's time is final once it is at most the run's cutoff, or
 * when none of its road points can still be entered sooner (their ends are settled, or out of the station's reach).
 */
import { pointTimeOnRun, type EdgeEntry } from '../edgeTime';
import type { KnownTimes } from '../chains';
import type { SourcePoint } from '../dijkstra';
import type { Snap } from '../snap';
import type { SnapStore } from './edgeSnap';
import { refCount, refFirst, type NetEdgePlan } from './edgePlan';
import type { Net } from './network';

/** A single-source run that can be grown (ChainPaths). */
export interface StationRun extends EdgeEntry {
  run(src: SourcePoint, cutoff: number): void;
  /** run, told the times of the nodes whose fastest station in the multi-source run is this one (ChainPaths.runKnown). */
  runKnown?(src: SourcePoint, cutoff: number, known: KnownTimes, targets?: Int32Array): void;
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

/** The store index of a reference's road point the run reaches first (the first of equals), -1 when none is reached. */
function fastest(run: EdgeEntry, sec: Float32Array, src: SourcePoint, store: SnapStore, ref: number): number {
  let best = -1, bt = Infinity;
  for (let i = refFirst(ref), end = i + refCount(ref); i < end; i++) {
    const t = roadPointTime(run, sec, src, store.edge[i], store.reverse[i], store.t[i]);
    if (t < bt) { bt = t; best = i; }
  }
  return best;
}

/** Whether any road point of a reference may still be entered sooner (see open). */
function refOpen(run: EdgeEntry, net: Net, reach: Uint8Array, store: SnapStore, ref: number): boolean {
  for (let i = refFirst(ref), end = i + refCount(ref); i < end; i++) if (open(run, net, reach, store.edge[i], store.reverse[i], store.t[i])) return true;
  return false;
}

/**
 * The latest over an edge plan's points (with a road point) of the earliest multi-source time `all` at an end of
 * one of its road points: a station reaches no point sooner (0 when there is none).
 */
function lowerBound(net: Net, store: SnapStore, p: NetEdgePlan, all: Float64Array): number {
  const src = net.spatial.source, tgt = net.graph.target;
  const early = (e: number) => { const a = all[src[e]], b = all[tgt[e]]; return a < b ? a : b; };
  const ofRef = (ref: number, t: number) => {
    for (let i = refFirst(ref), end = i + refCount(ref); i < end; i++) { const x = early(store.edge[i]); if (x < t) t = x; }
    return t;
  };
  let lb = 0;
  for (let i = 0; i < p.sampleRef.length; i++) {
    const t = ofRef(p.sampleRef[i], Infinity);
    if (t > lb && t < Infinity) lb = t;
  }
  for (let j = 0; j < p.cross.length; j++) {
    const t = ofRef(p.crossRef[j], early(p.cross[j].edge));
    if (t > lb && t < Infinity) lb = t;
  }
  return lb;
}

/** The nodes whose times the edge plan's points are read from: the ends of their road points' and crossings' segments. */
function planNodes(net: Net, store: SnapStore, p: NetEdgePlan): Int32Array {
  const src = net.spatial.source, tgt = net.graph.target, out: number[] = [];
  const add = (e: number) => { out.push(src[e], tgt[e]); };
  const ofRef = (ref: number) => { for (let i = refFirst(ref), end = i + refCount(ref); i < end; i++) add(store.edge[i]); };
  for (let i = 0; i < p.sampleRef.length; i++) ofRef(p.sampleRef[i]);
  for (let j = 0; j < p.cross.length; j++) { ofRef(p.crossRef[j]); add(p.cross[j].edge); }
  return Int32Array.from(out);
}

/**
 * The nodes of a multi-source run grouped by their fastest station (a counting sort): station k's are
 * nodes[first[k]..first[k + 1]). What runKnown is told (`known` of stationEdgeTimes).
 */
export function nodesByOrigin(origin: Int32Array, stations: number): { first: Int32Array; nodes: Int32Array } {
  const first = new Int32Array(stations + 1);
  for (let v = 0; v < origin.length; v++) if (origin[v] >= 0) first[origin[v] + 1]++;
  for (let k = 0; k < stations; k++) first[k + 1] += first[k];
  const fill = first.slice(0, stations), nodes = new Int32Array(first[stations]);
  for (let v = 0; v < origin.length; v++) if (origin[v] >= 0) nodes[fill[origin[v]]++] = v;
  return { first, nodes };
}

/**
 * Times of an edge plan's points from one station (see the module comment). `fromS`: the first cutoff (the travel
 * limit, which coverage needs too); `reach`: nodes the main network reaches (reachableFromMain); `known`: the
 * station's own nodes of the multi-source run with their times there (the run then searches only the rest; the
 * same times).
 */
export function stationEdgeTimes(net: Net, store: SnapStore, reach: Uint8Array, p: NetEdgePlan, src: Snap, run: StationRun, fromS: number, known?: KnownTimes): EdgeTimes {
  const sec = net.seconds, m = p.sampleRef.length, nx = p.cross.length;
  const out: EdgeTimes = {
    sampleSec: new Float64Array(m).fill(Infinity), sampleBest: new Int32Array(m).fill(-1),
    crossSec: new Float64Array(nx).fill(Infinity), crossBest: new Int32Array(nx).fill(-1),
  };
  const at = (i: number) => (i >= 0 ? roadPointTime(run, sec, src, store.edge[i], store.reverse[i], store.t[i]) : Infinity);
  // Points whose time is not final yet (samples with a road near, all crossings), compacted after each step.
  const samples = new Int32Array(m), crossings = Int32Array.from({ length: nx }, (_, j) => j);
  let ns = 0, nc = nx;
  for (let i = 0; i < m; i++) {
    if (refCount(p.sampleRef[i]) === 0) out.sampleSec[i] = NaN;
    else samples[ns++] = i;
  }
  // A station off the main network (a piece of its own, or a feeder road that only leads to it — honest snapping
  // keeps such starts) reaches roads the main network does not: `reach` cannot tell when those are final, so its run
  // goes over all it can reach at once.
  const onMain = net.main[src.u] === 1 && net.main[src.v] === 1;
  let D = src.isolated || !onMain ? Infinity : fromS;
  // No point is reached sooner than the multi-source run reaches the ends of its road points: the run starts at the
  // latest such time (steps below it would settle nothing the edge does not need; the times do not depend on the steps).
  if (known && D < Infinity) {
    const lb = lowerBound(net, store, p, known.time);
    if (lb > D) D = lb;
  }
  if (known && run.runKnown) run.runKnown(src, D, known, known.targetsOnly && D < Infinity ? planNodes(net, store, p) : undefined);
  else run.run(src, D);
  for (;;) {
    const cutoff = run.cutoff;
    let k = 0;
    for (let q = 0; q < ns; q++) {
      const i = samples[q], ref = p.sampleRef[i], b = fastest(run, sec, src, store, ref), t = at(b);
      if (!(t <= cutoff) && refOpen(run, net, reach, store, ref)) { samples[k++] = i; continue; }
      out.sampleSec[i] = t;
      out.sampleBest[i] = b >= 0 ? b : refFirst(ref);
    }
    ns = k;
    k = 0;
    for (let q = 0; q < nc; q++) {
      const j = crossings[q], c = p.cross[j], ref = p.crossRef[j];
      const own = roadPointTime(run, sec, src, c.edge, c.reverse, c.t);
      const b = ref ? fastest(run, sec, src, store, ref) : -1, near = at(b);
      const t = near < own ? near : own;
      if (!(t <= cutoff) && ((ref && refOpen(run, net, reach, store, ref)) || open(run, net, reach, c.edge, c.reverse, c.t))) { crossings[k++] = j; continue; }
      out.crossSec[j] = t;
      out.crossBest[j] = near < own ? b : -1;
    }
    nc = k;
    if (ns === 0 && nc === 0) return out;
    // Small steps: the run goes on from its queue (nothing is settled twice), a step costs one pass over the points
    // still open, and the last step overshoots what the edge needs by at most ~10 % of its time (the settled area
    // grows with the square of it: steps of 1.5 settled ~35 % more nodes on the 1 M-node bench grid).
    D = known ? Math.max(D * 1.02, D + 2) : Math.max(D * 1.1, D + 10);
    run.extend(D);
  }
}
