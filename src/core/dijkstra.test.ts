import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import { randomGrid } from './testGrid';
import { parseProfile, edgeSeconds } from './profile';
import { readFileSync } from 'node:fs';
import { FROM_SOURCE, ShortestPaths, type SourcePoint } from './dijkstra';
import { buildSpatialIndex } from './spatial';
import type { OsmData } from './osm/types';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8')));

const grid = (seed: number, nx: number, ny: number): OsmData => randomGrid(seed, nx, ny, { dropRate: 0.12, onewayRate: 0.15, firstClass: 0, classCount: 10 });

/** Reference: O(n²) Dijkstra with plain arrays from node sources. */
function naive(n: number, first: Uint32Array, target: Uint32Array, sec: Float32Array, starts: [number, number][]): number[] {
  const d = new Array(n).fill(Infinity);
  const done = new Array(n).fill(false);
  for (const [v, t] of starts) d[v] = Math.min(d[v], t);
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && d[i] < Infinity && (u < 0 || d[i] < d[u])) u = i;
    if (u < 0) return d;
    done[u] = true;
    for (let e = first[u]; e < first[u + 1]; e++) d[target[e]] = Math.min(d[target[e]], d[u] + sec[e]);
  }
}

describe('ShortestPaths', () => {
  const { graph } = buildGraph(grid(7, 14, 12));
  const sec = edgeSeconds(graph, profile);
  const sp = buildSpatialIndex(graph);
  const paths = new ShortestPaths(graph, sec);
  const sourceOn = (e: number, t: number): SourcePoint => ({ edge: e, reverse: sp.twin[e], u: sp.source[e], v: graph.target[e], t });
  const usable = [...sp.segEdge].filter((e) => sec[e] < Infinity && sec[sp.twin[e]] < Infinity);

  it('matches a naive Dijkstra from mid-edge multi-sources, and labels the fastest source', () => {
    const srcs = [sourceOn(usable[3], 0.3), sourceOn(usable[usable.length - 5], 0.8), sourceOn(usable[60], 0.5)];
    paths.run(srcs);
    const starts: [number, number][] = srcs.flatMap((p) => [[p.v, (1 - p.t) * sec[p.edge]], [p.u, p.t * sec[p.reverse]]] as [number, number][]);
    const ref = naive(graph.nodeCount, graph.firstEdge, graph.target, sec, starts);
    const perSource = srcs.map((p) => naive(graph.nodeCount, graph.firstEdge, graph.target, sec, [[p.v, (1 - p.t) * sec[p.edge]], [p.u, p.t * sec[p.reverse]]]));
    let reached = 0;
    for (let i = 0; i < graph.nodeCount; i++) {
      expect(paths.time(i)).toBeCloseTo(ref[i], 6);
      if (ref[i] < Infinity) {
        reached++;
        expect(perSource[paths.origin[i]][i]).toBeCloseTo(ref[i], 6);
      }
    }
    expect(reached).toBeGreaterThan(graph.nodeCount * 0.8);
  });

  it('predecessor edges sum to the node time', () => {
    const srcs = [sourceOn(usable[10], 0.25)];
    paths.run(srcs);
    for (let i = 0; i < graph.nodeCount; i++) {
      if (!(paths.time(i) < Infinity)) continue;
      let node = i, total = 0;
      while (paths.pred[node] !== FROM_SOURCE) {
        total += sec[paths.pred[node]];
        node = sp.source[paths.pred[node]];
      }
      const p = srcs[0];
      total += node === p.v ? (1 - p.t) * sec[p.edge] : p.t * sec[p.reverse];
      expect(total).toBeCloseTo(paths.time(i), 6);
    }
  });

  it('settles exactly the nodes within the cutoff, and reuse across runs changes nothing', () => {
    const srcs = [sourceOn(usable[20], 0.5)];
    paths.run(srcs);
    const full = Array.from({ length: graph.nodeCount }, (_, i) => paths.time(i));
    paths.run([sourceOn(usable[40], 0.1)], 60);
    paths.run(srcs, 90);
    const within = full.filter((t) => t <= 90).length;
    expect(paths.settledCount).toBe(within);
    for (let k = 0; k < paths.settledCount; k++) expect(paths.time(paths.settled[k])).toBeCloseTo(full[paths.settled[k]], 9);
    for (let i = 0; i < graph.nodeCount; i++) if (full[i] > 90) expect(paths.isSettled(i)).toBe(false);
  });

  it('until stops once every target is settled (duplicates count once); extend goes on as a fresh run would', () => {
    const srcs = [sourceOn(usable[20], 0.5)];
    paths.run(srcs);
    const full = Array.from({ length: graph.nodeCount }, (_, i) => paths.time(i));
    const targets = [5, 17, 17, 60].filter((v) => full[v] < Infinity);
    paths.run(srcs, Infinity, targets);
    const last = paths.settled[paths.settledCount - 1];
    expect(full[last]).toBe(Math.max(...targets.map((v) => full[v])));
    for (const v of targets) expect(paths.time(v)).toBe(full[v]);
    const to = full[last] + 20;
    paths.extend(to);
    const grown = Array.from({ length: paths.settledCount }, (_, k) => paths.settled[k]).sort((a, b) => a - b);
    paths.run(srcs, to);
    const fresh = Array.from({ length: paths.settledCount }, (_, k) => paths.settled[k]).sort((a, b) => a - b);
    expect(grown).toEqual(fresh);
    expect(fresh.length).toBeLessThan(full.filter((t) => t < Infinity).length);
    paths.extend(Infinity);
    expect(paths.exhausted).toBe(true);
    expect(paths.settledCount).toBe(full.filter((t) => t < Infinity).length);
  });

  it('starts only in the allowed direction on a one-way edge', () => {
    const oneway = [...sp.segEdge].find((e) => sec[e] < Infinity && !(sec[sp.twin[e]] < Infinity))!;
    expect(oneway).toBeDefined();
    paths.run([sourceOn(oneway, 0.5)], sec[oneway] * 0.5);
    expect(paths.settledCount).toBe(1);
    expect(paths.settled[0]).toBe(graph.target[oneway]);
  });
});
