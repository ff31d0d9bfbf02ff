import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import { ChainPaths } from './chains';
import { ShortestPaths, type SourcePoint } from './dijkstra';
import { edgeSources, type RoadGraph } from './graph';
import { pathTo } from './route';
import { buildSpatialIndex } from './spatial';
import { randomGrid } from './testGrid';
import { junctionMask, OBEY_RESTRICTIONS, restrictedNodes, turnPenaltyFn, type TurnRules } from './turns';
import { atNode, edgeOf, handGraph, referenceSearch, restrict } from '../../tests/fixtures/networks/turnWorld';

const IGNORE: TurnRules = { ...OBEY_RESTRICTIONS, restrictions: false };
const close = (a: number, b: number) => (a === Infinity ? b === Infinity : Math.abs(a - b) < 1e-6);

/**
 * A 4-way junction C with arms S, N, E, W (10 s each way per segment) and a detour N → NW → W (10 s per segment):
 *
 *   NW ── N
 *   │     │
 *   W ─── C ─── E
 *         │
 *         S
 */
const C = 0, S = 1, N = 2, E = 3, W = 4, NW = 5;
function plus(withDetour = true) {
  const nodes: [number, number][] = [[0, 0], [0, -100], [0, 100], [100, 0], [-100, 0], [-100, 100]];
  const roads = [{ path: [S, C, N], sec: 10 }, { path: [W, C, E], sec: 10 }];
  if (withDetour) roads.push({ path: [N, NW, W], sec: 10 });
  return handGraph(nodes, roads);
}

/** Both searches from a source; returns node times (plain and contracted must agree) and both runs. */
function both(graph: RoadGraph, sec: Float32Array, src: SourcePoint, rules: TurnRules = OBEY_RESTRICTIONS) {
  const sp = buildSpatialIndex(graph);
  const plain = new ShortestPaths(graph, sec, rules);
  plain.run([src]);
  const chains = new ChainPaths(graph, sec, sp, rules);
  chains.run(src);
  const times = Array.from({ length: graph.nodeCount }, (_, v) => plain.time(v));
  const ct = chains.times();
  times.forEach((t, v) => expect(close(ct[v], t), `node ${v}: contracted ${ct[v]} vs plain ${t}`).toBe(true));
  for (let e = 0; e < graph.edgeCount; e++) expect(close(chains.entryTime(e), plain.entryTime(e)), `edge ${e}`).toBe(true);
  return { times, plain, chains, sp };
}

describe('turn restrictions, hand-solved junctions', () => {
  it('no_left_turn S→C→W: W is reached round the block (40 s instead of 20 s); the other arms are unchanged', () => {
    const { graph, seconds } = plus();
    const twin = buildSpatialIndex(graph).twin;
    expect(both(graph, seconds, atNode(graph, S, twin)).times[W]).toBe(20);
    const g = restrict(graph, [[S, C, W]]);
    const { times, plain } = both(g, seconds, atNode(g, S, twin));
    // S→C 10, C→N 20, N→NW 30, NW→W 40 (or C→E 20, U-turn at the dead end E, E→C 30, C→W 40).
    expect(times[W]).toBe(40);
    expect([times[C], times[N], times[E], times[NW]]).toEqual([10, 20, 20, 30]);
    // Entering C→W: not on the first arrival at C (from S, 10 s) but on the next from N or E (U-turn there): 30 s.
    expect(plain.entryTime(edgeOf(g, C, W))).toBe(30);
    expect(plain.entryTime(edgeOf(g, C, N))).toBe(10);
  });

  it('only_straight_on from S at C (= no left, no right, no U-turn): E and W cost a U-turn at N', () => {
    const { graph, seconds } = plus(false);
    const twin = buildSpatialIndex(graph).twin;
    const g = restrict(graph, [[S, C, W], [S, C, E], [S, C, S]]);
    const { times, plain } = both(g, seconds, atNode(g, S, twin));
    // S→C 10, C→N 20, U-turn at the dead end N, N→C 30, then left or right: 40.
    expect([times[C], times[N], times[E], times[W]]).toEqual([10, 20, 40, 40]);
    expect(plain.entryTime(edgeOf(g, C, S))).toBe(30);
  });

  it('via way: no W→C1→C2→S2 (a U-turn-like manoeuvre over two junctions); other ways through C1–C2 stay open', () => {
    //  N1          (dead end)
    //  │
    //  W ── C1 ── C2 ── E
    //              │     │
    //              S2 ── SE
    const nodes: [number, number][] = [[-100, 0], [0, 0], [100, 0], [200, 0], [100, -100], [200, -100], [0, 100]];
    const [Wn, C1, C2, En, S2, SE, N1] = [0, 1, 2, 3, 4, 5, 6];
    const { graph, seconds } = handGraph(nodes, [{ path: [Wn, C1, C2, En], sec: 10 }, { path: [C2, S2], sec: 10 }, { path: [En, SE, S2], sec: 10 }, { path: [C1, N1], sec: 10 }]);
    const twin = buildSpatialIndex(graph).twin;
    const g = restrict(graph, [[Wn, C1, C2, S2]]);
    const { times } = both(g, seconds, atNode(g, Wn, twin));
    // Without the rule S2 is 30 s away; with it: W→C1→C2→E→SE→S2 = 50, or W→C1→N1, U-turn, →C1→C2→S2 = 50.
    expect(both(graph, seconds, atNode(graph, Wn, twin)).times[S2]).toBe(30);
    expect([times[C1], times[C2], times[En], times[S2], times[N1]]).toEqual([10, 20, 30, 50, 20]);
    // The rule binds only after the whole from-way: from N1, C1→C2→S2 is open (30 s).
    expect(both(g, seconds, atNode(g, N1, twin)).times[S2]).toBe(30);
  });

  it('no_u_turn at a junction and at a dead end; ignore switch restores the unrestricted times', () => {
    const { graph, seconds } = plus(false);
    const twin = buildSpatialIndex(graph).twin;
    const g = restrict(graph, [[S, C, S], [C, N, C]]);
    const { plain } = both(g, seconds, atNode(g, S, twin));
    // Back into C→S: the first arrival at C (10 s, from S) may not turn back; from E or W (U-turns at those dead ends)
    // at 30 s it may. N is a trap: C→N→C is forbidden, so N→C is never entered.
    expect(plain.entryTime(edgeOf(g, C, S))).toBe(30);
    expect(plain.entryTime(edgeOf(g, N, C))).toBe(Infinity);
    const ignored = both(g, seconds, atNode(g, S, twin), IGNORE).plain;
    expect(ignored.entryTime(edgeOf(g, C, S))).toBe(10);
    expect(ignored.entryTime(edgeOf(g, N, C))).toBe(20);
  });

  it('a source part-way along the from-edge is bound by the restriction; one exactly on the junction is not', () => {
    const { graph, seconds } = plus();
    const g = restrict(graph, [[S, C, W]]);
    const e = edgeOf(g, S, C), r = edgeOf(g, C, S);
    const mid = both(g, seconds, { edge: e, reverse: r, u: S, v: C, t: 0.5 }).times;
    expect(mid[W]).toBe(35); // 5 to C, round the block 30 more
    const atC = both(g, seconds, { edge: e, reverse: r, u: S, v: C, t: 1 }).times;
    expect(atC[W]).toBe(10);
  });
});

describe('turn penalties, hand-solved', () => {
  const rules: TurnRules = { restrictions: true, uTurnSeconds: 50, leftTurnSeconds: 30, rightTurnSeconds: 5 };
  it('left 30 s, right 5 s, U-turn 50 s at the junction and at dead ends (China drives on the right)', () => {
    const { graph, seconds } = plus(false);
    const twin = buildSpatialIndex(graph).twin;
    const { times, plain } = both(graph, seconds, atNode(graph, S, twin), rules);
    // From S (heading north): N straight 20; E right 10 + 5 + 10 = 25; W left 10 + 30 + 10 = 50.
    expect([times[C], times[N], times[E], times[W]]).toEqual([10, 20, 25, 50]);
    // Back into C→S: U-turn at C (10 + 50); leaving N again: U-turn at the dead end N (20 + 50).
    expect(plain.entryTime(edgeOf(graph, C, S))).toBe(60);
    expect(plain.entryTime(edgeOf(graph, N, C))).toBe(70);
  });

  it('turning at a shape point is free (documented model): the detour N → NW → W beats the left turn', () => {
    const { graph, seconds } = plus(true);
    const twin = buildSpatialIndex(graph).twin;
    const { times } = both(graph, seconds, atNode(graph, S, twin), rules);
    // N, NW, W are shape points of the loop C–N–NW–W–C: S→C→N straight 20, on to W 40 < left turn 50.
    expect(times[W]).toBe(40);
  });
});

describe('turn rules on random networks: plain = contracted = reference search', () => {
  function world(seed: number, shape: number, restrictions: number, rules: TurnRules) {
    const base = buildGraph(randomGrid(seed, 7, 6, { dropRate: 0.15, onewayRate: 0.2, firstClass: 0, classCount: 10, shapePoints: shape })).graph;
    const sp0 = buildSpatialIndex(base);
    const sec = new Float32Array(base.edgeCount);
    for (let e = 0; e < base.edgeCount; e++) sec[e] = base.flags[e] & 1 ? Infinity : base.lengthM[e] / 10;
    let s = seed * 7 + 1;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    const tail = edgeSources(base);
    // Random restrictions: a turn (2 edges) or a via-way manoeuvre (3 edges) along drivable edges.
    const seqs: number[][] = [];
    for (let k = 0; k < restrictions * 4 && seqs.length < restrictions; k++) {
      const a = Math.floor(rnd() * base.edgeCount);
      if (!(sec[a] < Infinity)) continue;
      const seq = [a];
      const len = rnd() < 0.3 ? 3 : 2;
      while (seq.length < len) {
        const x = base.target[seq[seq.length - 1]], d = base.firstEdge[x + 1] - base.firstEdge[x];
        const f = base.firstEdge[x] + Math.floor(rnd() * d);
        if (!(sec[f] < Infinity)) break;
        seq.push(f);
      }
      if (seq.length === len) seqs.push(seq);
    }
    const graph = restrict(base, seqs, true);
    const sp = buildSpatialIndex(graph);
    const junction = junctionMask(graph, sec, sp.twin, rules.restrictions ? restrictedNodes(graph, seqs, tail) : null);
    const usable = [...sp0.segEdge].filter((e) => sec[e] < Infinity);
    const source = (): SourcePoint => {
      const e = usable[Math.floor(rnd() * usable.length)];
      const t = [0, 1, 0.5, rnd()][Math.floor(rnd() * 4)];
      return { edge: e, reverse: sp.twin[e], u: sp.source[e], v: graph.target[e], t };
    };
    const pen = turnPenaltyFn(graph, tail, rules);
    const penalties = rules.uTurnSeconds + rules.leftTurnSeconds + rules.rightTurnSeconds > 0;
    return { graph, sec, sp, seqs, junction, source, rnd, ref: (src: SourcePoint) => referenceSearch(graph, sec, src, rules.restrictions ? seqs : [], penalties ? pen : null, junction) };
  }

  const cases: [string, TurnRules][] = [
    ['restrictions only', OBEY_RESTRICTIONS],
    ['restrictions and penalties', { restrictions: true, uTurnSeconds: 40, leftTurnSeconds: 12, rightTurnSeconds: 3 }],
    ['ignore restrictions, penalties', { restrictions: false, uTurnSeconds: 20, leftTurnSeconds: 7, rightTurnSeconds: 0 }],
  ];
  for (const [name, rules] of cases)
    it(`${name}: node times and edge entry times equal the reference; contracted equals plain, with cutoffs`, () => {
      for (const [seed, shape] of [[1, 0], [2, 2], [3, 1]]) {
        const w = world(seed, shape, 25, rules);
        expect(w.seqs.length).toBeGreaterThan(10);
        const plain = new ShortestPaths(w.graph, w.sec, rules);
        const chains = new ChainPaths(w.graph, w.sec, w.sp, rules);
        for (let k = 0; k < 12; k++) {
          const src = w.source();
          const ref = w.ref(src);
          plain.run([src]);
          for (let v = 0; v < w.graph.nodeCount; v++) expect(close(plain.time(v), ref.node[v]), `seed ${seed} node ${v}: ${plain.time(v)} vs ${ref.node[v]}`).toBe(true);
          for (let e = 0; e < w.graph.edgeCount; e++) if (w.sec[e] < Infinity) expect(close(plain.entryTime(e), ref.entry[e]), `seed ${seed} edge ${e}: ${plain.entryTime(e)} vs ${ref.entry[e]}`).toBe(true);
          for (const cutoff of [Infinity, 60, 150]) {
            chains.run(src, cutoff);
            const got = chains.times();
            for (let v = 0; v < w.graph.nodeCount; v++) {
              if (ref.node[v] <= cutoff) expect(close(got[v], ref.node[v]), `seed ${seed} node ${v} cutoff ${cutoff}: ${got[v]} vs ${ref.node[v]}`).toBe(true);
              else if (got[v] < Infinity) expect(close(got[v], ref.node[v])).toBe(true);
            }
            if (cutoff === Infinity)
              for (let e = 0; e < w.graph.edgeCount; e++) if (w.sec[e] < Infinity) expect(close(chains.entryTime(e), ref.entry[e]), `contracted edge ${e}`).toBe(true);
          }
        }
      }
    });

  it('ignore = the unrestricted times; routes never contain a forbidden sequence and take the run\'s time', () => {
    const w = world(4, 2, 40, OBEY_RESTRICTIONS);
    const bare = { ...w.graph, restrFirst: undefined, restrEdges: undefined };
    const obey = new ShortestPaths(w.graph, w.sec), ignore = new ShortestPaths(w.graph, w.sec, IGNORE), none = new ShortestPaths(bare, w.sec);
    const bad = w.seqs.map((s) => s.join(','));
    let longer = 0, routes = 0;
    for (let k = 0; k < 30; k++) {
      const src = w.source(), to = w.source();
      ignore.run([src]);
      none.run([src]);
      for (let v = 0; v < w.graph.nodeCount; v++) expect(ignore.time(v)).toBe(none.time(v));
      obey.run([src]);
      for (let v = 0; v < w.graph.nodeCount; v++) if (obey.time(v) > none.time(v) + 1e-9) longer++;
      const path = pathTo(w.graph, w.sp, obey, [src], to);
      if (!path) continue;
      routes++;
      const edges = path.pieces.map((p) => p.edge).join(',');
      for (const b of bad) expect(`,${edges},`.includes(`,${b},`), `route ${edges} contains ${b}`).toBe(false);
      // Consecutive pieces are joined, and the route's length in seconds is the run's time to the point.
      for (let i = 1; i < path.pieces.length; i++) expect(w.sp.source[path.pieces[i].edge]).toBe(w.graph.target[path.pieces[i - 1].edge]);
      const r = w.ref(src);
      const viaU = to.t === 0 ? r.node[to.u] : r.entry[to.edge] + to.t * w.sec[to.edge];
      const viaV = to.t === 1 ? r.node[to.v] : to.reverse >= 0 ? r.entry[to.reverse] + (1 - to.t) * w.sec[to.reverse] : Infinity;
      let want = Math.min(viaU, viaV);
      if (src.edge === to.edge) want = Math.min(want, to.t >= src.t ? (to.t - src.t) * w.sec[to.edge] : to.reverse >= 0 ? (src.t - to.t) * w.sec[to.reverse] : Infinity);
      expect(Math.abs(path.seconds - want), `route ${path.seconds} vs reference ${want}`).toBeLessThan(1e-3);
    }
    expect(routes).toBeGreaterThan(15);
    expect(longer).toBeGreaterThan(0); // the restrictions do bind somewhere
  });
});
