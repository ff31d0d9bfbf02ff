/**
 * "Suggest N hydrants" (issue #13 part 3): greedy placement on candidate road points to protect the most road
 * length not yet within the protection radius (along the roads, as the audit measures it).
 *
 * Candidates: every node of a road a fire engine can reach (junctions flagged; other nodes thinned to one per
 * `stepM` grid cell) and points every `stepM` metres inside longer segments. A candidate's gain is the unprotected
 * length it would protect: one search capped at R from it, then the segments next to the nodes it settles are
 * re-evaluated against the current coverage. Coverage is submodular (a gain never grows as hydrants are added),
 * so the greedy is lazy: the best stale gain is recomputed and taken when it still leads. After each pick only the
 * segments its own capped search touched change (Coverage.add). Junctions win ties (a 1 mm preference).
 *
 * Only the place counts: with areas on the network, candidates lie inside them and gains, protected metres and
 * shares count the place's roads only (HoseNetwork.inPlace, placeM).
 */
import { IndexedHeap } from '../heap';
import { Coverage, placeHydrants, type AuditHydrant } from './audit';
import { coverEnds, coverSegment, type Cone, type HoseNetwork, type RoadPoint } from './network';
import type { HydrantStandard } from './standard';

export interface Candidate extends RoadPoint {
  junction: boolean;
}

export interface Suggestion {
  lon: number;
  lat: number;
  junction: boolean;
  /** Road metres this hydrant newly protects. */
  gainM: number;
  /** Protected road metres of the place with every suggestion so far, and the share of the place's road length (0..1). */
  protectedM: number;
  protectedShare: number;
}

export interface SuggestResult {
  /** Protected road metres before the suggestions. */
  beforeM: number;
  suggestions: Suggestion[];
  /** Fewer than asked when no candidate protects anything more. */
  exhausted: boolean;
  candidates: number;
}

export interface SuggestOptions {
  count: number;
  /** Candidate spacing along the roads (m, default 40). */
  stepM?: number;
  onProgress?: (done: number, total: number) => void;
  /** Polled between steps: true stops with the suggestions so far. */
  cancelled?: () => boolean;
}

/** Candidate road points a fire engine can reach, inside the place when the network has areas (see the module comment). */
export function hydrantCandidates(net: HoseNetwork, stepM = 40): Candidate[] {
  const { graph, spatial } = net.view, S = net.segLen.length;
  const out: Candidate[] = [];
  const nodeDone = new Uint8Array(graph.nodeCount);
  const cells = new Set<string>();
  const ok = new Uint8Array(S);
  for (let s = 0; s < S; s++) ok[s] = net.inPlace(s) && net.engineAccess(s) === 'ok' ? 1 : 0;
  const degree = (x: number) => graph.firstEdge[x + 1] - graph.firstEdge[x];
  const at = (s: number, posM: number, junction: boolean) => {
    const [lon, lat] = net.pointAt(s, posM);
    // A segment straddling the boundary: its end outside the place is no candidate.
    if (net.areas.length && net.areaOf(lon, lat) < 0) return;
    out.push({ seg: s, posM, offM: 0, lon, lat, junction });
  };
  // Junctions first, so the grid thinning never drops one.
  for (const pass of [true, false])
    for (let s = 0; s < S; s++) {
      if (!ok[s]) continue;
      for (const [x, posM] of [[net.segU[s], 0], [net.segV[s], net.segLen[s]]] as const) {
        if (nodeDone[x]) continue;
        const junction = degree(x) >= 6; // both directions stored: 3 roads = 6 directed edges
        if (junction !== pass) continue;
        nodeDone[x] = 1;
        if (!junction) {
          const key = `${Math.floor(spatial.x[x] / stepM)},${Math.floor(spatial.y[x] / stepM)}`;
          if (cells.has(key)) continue;
          cells.add(key);
        }
        at(s, posM, junction);
      }
    }
  for (let s = 0; s < S; s++) {
    if (!ok[s]) continue;
    const L = net.segLen[s], k = Math.floor(L / stepM);
    for (let j = 1; j <= k; j++) if (L - j * (L / (k + 1)) > 1) at(s, j * (L / (k + 1)), false);
  }
  return out;
}

/** Greedy suggestions on top of the existing usable hydrants. */
export function suggestHydrants(net: HoseNetwork, existing: readonly AuditHydrant[], std: HydrantStandard, opts: SuggestOptions): SuggestResult {
  const R = std.radiusM, S = net.segLen.length;
  const placed = placeHydrants(net, existing);
  const usedPts = placed.filter((p, i) => existing[i].kind === 'hydrant' && !p.problem).map((p) => p.point!);
  const cov = new Coverage(net, R, usedPts);
  const gapNow = new Float64Array(S);
  let gapTotal = 0;
  // Roads outside the place carry no gap: nothing is gained there.
  for (let s = 0; s < S; s++) { gapNow[s] = net.inPlace(s) ? cov.gapM(s) : 0; gapTotal += gapNow[s]; }
  const totalM = net.placeM;
  const beforeM = totalM - gapTotal;
  const cands = hydrantCandidates(net, opts.stepM);
  const search = net.paths.search, g = net.view.graph;
  const seen = new Uint32Array(S);
  let stamp = 0;

  /** Unprotected metres candidate c would protect now (one capped search). */
  const gainOf = (c: Candidate): number => {
    net.run([c], R);
    stamp++;
    let gain = 0;
    const visit = (s: number) => {
      if (seen[s] === stamp) return;
      seen[s] = stamp;
      if (gapNow[s] <= 0) return;
      const u = net.segU[s], v = net.segV[s];
      const du = search.final(u), dv = search.final(v), L = net.segLen[s];
      let after: number;
      if (s !== c.seg && !cov.onSeg.has(s)) {
        after = L - coverEnds(L, Math.min(du, cov.dist[u]), Math.min(dv, cov.dist[v]), R).protectedM;
      } else {
        const cones: Cone[] = cov.cones(s);
        if (du < Infinity) cones.push({ p: 0, c: du, k: -1 });
        if (dv < Infinity) cones.push({ p: L, c: dv, k: -1 });
        if (s === c.seg) cones.push({ p: c.posM, c: 0, k: -1 });
        after = L - coverSegment(L, cones, R).protectedM;
      }
      gain += gapNow[s] - after;
    };
    visit(c.seg);
    for (let i = 0; i < search.count; i++) {
      const x = search.order[i];
      for (let e = g.firstEdge[x]; e < g.firstEdge[x + 1]; e++) visit(net.segOf[e]);
    }
    return gain;
  };

  const key = (gain: number, c: Candidate) => -(gain + (c.junction ? 1e-3 : 0));
  const heap = new IndexedHeap(cands.length);
  /** The step at which each candidate's gain was last computed, and that gain. */
  const fresh = new Int32Array(cands.length).fill(-1);
  const gains = new Float64Array(cands.length);
  const evaluate = (i: number, step: number) => {
    gains[i] = gainOf(cands[i]);
    fresh[i] = step;
    if (gains[i] > 1e-6) heap.push(i, key(gains[i], cands[i]));
  };
  for (let i = 0; i < cands.length; i++) evaluate(i, 0);
  const suggestions: Suggestion[] = [];
  let protectedM = beforeM;
  while (suggestions.length < opts.count && heap.size > 0 && !opts.cancelled?.()) {
    const i = heap.node[0], step = suggestions.length;
    heap.pop();
    // A stale gain is an upper bound: recompute it; a fresh one leads every other bound, so it is the best.
    if (fresh[i] !== step) { evaluate(i, step); continue; }
    const c = cands[i], gainM = gains[i];
    for (const s of cov.add(c, -2 - step)) {
      if (!net.inPlace(s)) continue;
      const now = cov.gapM(s);
      gapTotal += now - gapNow[s];
      gapNow[s] = now;
    }
    protectedM = totalM - gapTotal;
    suggestions.push({ lon: c.lon, lat: c.lat, junction: c.junction, gainM, protectedM, protectedShare: totalM > 0 ? protectedM / totalM : 0 });
    opts.onProgress?.(suggestions.length, opts.count);
  }
  return { beforeM, suggestions, exhausted: suggestions.length < opts.count && heap.size === 0, candidates: cands.length };
}
