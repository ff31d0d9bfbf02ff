import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import { parseProfile, edgeSeconds } from './profile';
import { readFileSync } from 'node:fs';
import { FROM_SOURCE, ShortestPaths, type SourcePoint } from './dijkstra';
import { buildSpatialIndex } from './spatial';
import { ROAD_CLASSES } from './roadClass';
import type { OsmData, OsmWay } from './osm/types';

const profile = parseProfile(JSON.parse(readFileSync(new URL('../../geodata/profiles/fire-engine.json', import.meta.url), 'utf8')));

/** Seeded random grid network (~100 m blocks), some one-ways, some missing links. */
function grid(seed: number, nx: number, ny: number): OsmData {
  let s = seed >>> 0;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const nodes = new Map<number, { id: number; lon: number; lat: number }>();
  const id = (i: number, j: number) => j * nx + i + 1;
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) nodes.set(id(i, j), { id: id(i, j), lon: 114 + i * 0.001 + (rnd() - 0.5) * 3e-4, lat: 22.5 + j * 0.0009 + (rnd() - 0.5) * 3e-4 });
  const ways: OsmWay[] = [];
  const add = (a: number, b: number) => {
    if (rnd() < 0.12) return;
    const tags: Record<string, string> = { highway: ROAD_CLASSES[Math.floor(rnd() * 10)] };
    if (rnd() < 0.15) tags.oneway = 'yes';
    ways.push({ id: ways.length + 1, nodes: [a, b], tags });
  };
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    if (i + 1 < nx) add(id(i, j), id(i + 1, j));
    if (j + 1 < ny) add(id(i, j), id(i, j + 1));
  }
  return { nodes, ways, relations: [] };
}

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

  it('starts only in the allowed direction on a one-way edge', () => {
    const oneway = [...sp.segEdge].find((e) => sec[e] < Infinity && !(sec[sp.twin[e]] < Infinity))!;
    expect(oneway).toBeDefined();
    paths.run([sourceOn(oneway, 0.5)], sec[oneway] * 0.5);
    expect(paths.settledCount).toBe(1);
    expect(paths.settled[0]).toBe(graph.target[oneway]);
  });
});
