import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import { ChainPaths } from './chains';
import { ShortestPaths, type SourcePoint } from './dijkstra';
import type { RoadGraph } from './graph';
import { fireEngineProfile, placeGraph } from '../../tests/support/place';
import { edgeSeconds } from './profile';
import { buildSpatialIndex } from './spatial';
import { randomGrid } from './testGrid';

const profile = fireEngineProfile();

/** A graph, its seconds, and a plain Dijkstra to compare with. */
function world(graph: RoadGraph) {
  const sec = edgeSeconds(graph, profile);
  const sp = buildSpatialIndex(graph);
  const paths = new ShortestPaths(graph, sec);
  const chains = new ChainPaths(graph, sec, sp);
  let s = 99;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const usable = [...sp.segEdge].filter((e) => sec[e] < Infinity);
  const source = (): SourcePoint => {
    const e = usable[Math.floor(rnd() * usable.length)];
    const t = [0, 1, 0.5, rnd()][Math.floor(rnd() * 4)];
    return { edge: e, reverse: sp.twin[e], u: sp.source[e], v: graph.target[e], t };
  };
  /** Exact times of every node from a source (no cutoff). */
  const exact = (src: SourcePoint) => {
    paths.run([src]);
    return Float64Array.from({ length: graph.nodeCount }, (_, v) => paths.time(v));
  };
  return { graph, sec, chains, source, exact, rnd };
}

const close = (a: number, b: number) => (a === Infinity ? b === Infinity : Math.abs(a - b) < 1e-6);

function checkAgainstDijkstra(w: ReturnType<typeof world>, runs: number): void {
  const n = w.graph.nodeCount;
  for (let k = 0; k < runs; k++) {
    const src = w.source();
    const truth = w.exact(src);
    for (const cutoff of [Infinity, 60, 150]) {
      w.chains.run(src, cutoff);
      const got = w.chains.times();
      for (let v = 0; v < n; v++) {
        // Within the cutoff every time is there and exact; beyond it a time is either absent or exact.
        if (truth[v] <= cutoff) expect(close(got[v], truth[v]), `node ${v}: ${got[v]} vs ${truth[v]} (cutoff ${cutoff})`).toBe(true);
        else if (got[v] < Infinity) expect(close(got[v], truth[v])).toBe(true);
        if (v % 7 === 0) expect(w.chains.timeOf(v)).toBe(got[v]);
      }
    }
  }
}

describe('ChainPaths (degree-2 contraction)', () => {
  const grid = (seed: number, shapePoints: number) => world(buildGraph(randomGrid(seed, 12, 10, { dropRate: 0.15, onewayRate: 0.2, firstClass: 0, classCount: 10, shapePoints })).graph);

  it('contracts shape points away: far fewer junctions than nodes', () => {
    const w = grid(3, 3);
    expect(w.graph.nodeCount).toBeGreaterThan(400);
    expect(w.chains.junctions).toBeLessThan(w.graph.nodeCount * 0.4);
  });

  it('gives the same node times as plain Dijkstra, with and without cutoffs, from sources mid-chain, on nodes and on one-ways', () => {
    for (const [seed, shape] of [[1, 0], [2, 2], [5, 4]]) checkAgainstDijkstra(grid(seed, shape), 25);
  });

  it('until: stops early with every target final; extend: the same as a fresh run to the larger cutoff', () => {
    const w = grid(8, 3);
    for (let k = 0; k < 20; k++) {
      const src = w.source();
      const truth = w.exact(src);
      const targets = Array.from({ length: 5 }, () => Math.floor(w.rnd() * w.graph.nodeCount));
      w.chains.run(src, Infinity, targets);
      const stopped = w.chains.settledCount;
      for (const v of targets) expect(close(w.chains.timeOf(v), truth[v])).toBe(true);
      w.chains.extend(Infinity);
      expect(w.chains.settledCount).toBeGreaterThanOrEqual(stopped);
      w.chains.run(src, 40);
      w.chains.extend(120);
      const grown = w.chains.times();
      w.chains.run(src, 120);
      expect([...w.chains.times()]).toEqual([...grown]);
      expect(w.chains.cutoff).toBe(w.chains.exhausted ? Infinity : 120);
    }
  });

  it('runAll: multi-source times equal plain Dijkstra, and each node goes to one of its fastest sources', () => {
    for (const seed of [4, 9]) {
      const w = grid(seed, 3);
      const n = w.graph.nodeCount;
      const sources = Array.from({ length: 4 }, () => w.source());
      const each = sources.map((src) => w.exact(src));
      const time = new Float64Array(n), origin = new Int32Array(n);
      w.chains.runAll(sources, time, origin);
      for (let v = 0; v < n; v++) {
        const best = Math.min(...each.map((t) => t[v]));
        expect(close(time[v], best), `node ${v}`).toBe(true);
        if (best === Infinity) { expect(origin[v]).toBe(-1); continue; }
        const fastest = each.map((t, k) => (Math.abs(t[v] - best) < 1e-6 ? k : -1)).filter((k) => k >= 0);
        expect(fastest).toContain(origin[v]);
        if (fastest.length === 1) expect(origin[v]).toBe(fastest[0]);
      }
    }
  });

  it('matches plain Dijkstra on a real network (Monaco, OSM)', () => {
    const w = world(placeGraph('monaco'));
    expect(w.chains.junctions).toBeLessThan(w.graph.nodeCount * 0.6);
    checkAgainstDijkstra(w, 15);
  });
});
