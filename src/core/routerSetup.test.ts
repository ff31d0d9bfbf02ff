/**
 * The router set-up made lighter for large imports (issue #11) gives the same answers as the plain computations:
 * the main network and reach in one Tarjan pass (strongReach) against Kosaraju + two sweeps (mainStrongComponent +
 * networkReach), the rule flags computed once against ruleEdgeSeconds, the search made on first use against a
 * fresh router, and the road layer with shared positions against wayRuns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EdgeFlag, type RoadGraph } from './graph';
import { computeComponents, mainStrongComponent, networkReach, strongReach } from './components';
import { ruleEdgeSeconds, ruleFlags } from './roadRulesGraph';
import { Router } from './router';
import { readOsm } from './osm/read';
import { extractRoads } from './osm/extract';
import { byId, wayRuns } from './osm/shapes';
import { isDrivableWay } from './buildGraph';
import { fireEngineProfile, placeGraph, placeRouter, repoRoot, roadRules } from '../../tests/support/place';
import { rng } from './optimize/testMatrix';


/** A random directed graph in CSR (only what the component functions read), with some edges unusable (Infinity). */
function randomGraph(seed: number): { graph: RoadGraph; seconds: Float32Array; source: Uint32Array } {
  const r = rng(seed);
  const n = 1 + Math.floor(r() * 40), m = Math.floor(r() * n * 3);
  const edges: [number, number][] = [];
  for (let k = 0; k < m; k++) {
    const u = Math.floor(r() * n), v = Math.floor(r() * n);
    edges.push([u, v]);
    if (r() < 0.5) edges.push([v, u]); // two-way roads as two edges, as the builder makes them
  }
  edges.sort((a, b) => a[0] - b[0]);
  const firstEdge = new Uint32Array(n + 1), target = new Uint32Array(edges.length), source = new Uint32Array(edges.length);
  const seconds = new Float32Array(edges.length);
  edges.forEach(([u, v], e) => { firstEdge[u + 1]++; target[e] = v; source[e] = u; seconds[e] = r() < 0.15 ? Infinity : 1 + r() * 10; });
  for (let i = 0; i < n; i++) firstEdge[i + 1] += firstEdge[i];
  return { graph: { nodeCount: n, edgeCount: edges.length, firstEdge, target } as unknown as RoadGraph, seconds, source };
}

describe('strongReach = mainStrongComponent + networkReach', () => {
  it('on 2,000 random directed graphs (one-ways, closed edges, pieces of equal size)', () => {
    let ties = 0;
    for (let seed = 1; seed <= 2000; seed++) {
      const { graph, seconds, source } = randomGraph(seed);
      const want = networkReach(graph, seconds, source, mainStrongComponent(graph, seconds, source));
      const got = strongReach(graph, seconds, source);
      expect(got.main, `seed ${seed}`).toEqual(want.main);
      expect(got.leaves, `seed ${seed}`).toEqual(want.leaves);
      expect(got.reached, `seed ${seed}`).toEqual(want.reached);
      if (want.main.reduce((s, x) => s + x, 0) === 1) ties++;
    }
    expect(ties).toBeGreaterThan(10); // graphs whose largest piece is a single node (many ties) were met
  });

  it.each(['monaco', 'andorra', 'nanshan', 'shanghai'])('on %s with the fire-engine profile and the road rules', (place) => {
    const r = placeRouter(place);
    const want = networkReach(r.graph, r.seconds, r.spatial.source, mainStrongComponent(r.graph, r.seconds, r.spatial.source));
    const got = r.reach;
    expect(got.main).toEqual(want.main);
    expect(got.leaves).toEqual(want.leaves);
    expect(got.reached).toEqual(want.reached);
    expect(r.mainNetwork).toBe(got.main);
    // real networks with one-ways: some nodes only lead out of or only into the main network
    if (place === 'nanshan') expect(got.leaves.some((x, i) => x !== got.reached[i])).toBe(true);
  });
});

describe('computeComponents', () => {
  it('on 1,000 random graphs: the weak pieces a breadth-first search finds, by size then least node', () => {
    for (let seed = 1; seed <= 1000; seed++) {
      const { graph, source } = randomGraph(seed);
      const r = rng(seed * 7919);
      const flags = Uint8Array.from({ length: graph.edgeCount }, () => (r() < 0.1 ? EdgeFlag.NoAccess : 0));
      const g = { ...graph, flags } as RoadGraph;
      const n = g.nodeCount, adj: number[][] = Array.from({ length: n }, () => []);
      for (let e = 0; e < g.edgeCount; e++) if (!(flags[e] & EdgeFlag.NoAccess)) { adj[source[e]].push(g.target[e]); adj[g.target[e]].push(source[e]); }
      const piece = new Array<number>(n).fill(-1), pieces: number[][] = [];
      for (let s0 = 0; s0 < n; s0++) {
        if (piece[s0] >= 0) continue;
        const members = [s0];
        piece[s0] = pieces.length;
        for (let i = 0; i < members.length; i++) for (const v of adj[members[i]]) if (piece[v] < 0) { piece[v] = pieces.length; members.push(v); }
        pieces.push(members);
      }
      const rank = pieces.map((_, k) => k).sort((a, b) => pieces[b].length - pieces[a].length || Math.min(...pieces[a]) - Math.min(...pieces[b]));
      const idOf = new Array<number>(pieces.length);
      rank.forEach((k, i) => { idOf[k] = i; });
      const c = computeComponents(g);
      expect(Array.from(c.id), `seed ${seed}`).toEqual(piece.map((k) => idOf[k]));
      expect(Array.from(c.size)).toEqual(rank.map((k) => pieces[k].length));
    }
  });
});

describe('router set-up with the rule flags computed once and the search made on first use', () => {
  it.each(['monaco', 'nanshan'])('%s: seconds and components as ruleEdgeSeconds and computeComponents(ruleFlags) give them, off-peak and peak', (place) => {
    const r = placeRouter(place);
    const closures = r.applied!.closures;
    expect(r.seconds).toEqual(ruleEdgeSeconds(r.graph, r.profile, closures, { peak: false }));
    expect(r.components).toEqual(computeComponents({ ...r.graph, flags: ruleFlags(r.graph, closures) }));
    r.setProfile(r.profile, true);
    expect(r.seconds).toEqual(ruleEdgeSeconds(r.graph, r.profile, closures, { peak: true }));
  });

  it('after profile and vehicle changes the lazily made search answers as a fresh router does', () => {
    const g = placeGraph('monaco');
    const r = new Router(g, fireEngineProfile(), false, { roadRules: roadRules() });
    const stations = [{ id: 'A', lon: 7.4196, lat: 43.7325 }, { id: 'B', lon: 7.4275, lat: 43.7405 }];
    const before = r.isochrone(stations, [2, 4]);
    r.setProfile(fireEngineProfile(), true);
    const peak = r.isochrone(stations, [2, 4]);
    const freshPeak = new Router(g, fireEngineProfile(), true, { roadRules: roadRules() });
    expect(peak).toEqual(freshPeak.isochrone(stations, [2, 4]));
    expect(peak).not.toEqual(before); // the peak factor slows the bands down
    r.setProfile(fireEngineProfile(), false);
    expect(r.isochrone(stations, [2, 4])).toEqual(before);
    expect(r.route(stations, [7.4246, 43.7384])).toEqual(new Router(g, fireEngineProfile(), false, { roadRules: roadRules() }).route(stations, [7.4246, 43.7384]));
  });
});

describe('road layer: shared positions, the same lines', () => {
  it.each([
    ['Monaco PBF (node store)', 'fallback_monaco_osrm-testdata_2016.osm.pbf'],
    ['南山 XML (node map)', 'shenzhen_nanshan_xili_overpass_2021-03-17.osm'],
  ])('%s: every feature as the way runs give it; a junction is one position array', (_label, file) => {
    const osm = readOsm(new Uint8Array(readFileSync(join(repoRoot, 'geodata/raw', file))), file);
    const roads = extractRoads(osm);
    const want = osm.ways.filter((w) => isDrivableWay(w.tags)).sort(byId).flatMap((w) => wayRuns(osm, w));
    expect(roads.features.map((f) => f.geometry.coordinates)).toEqual(want);
    const positions = roads.features.flatMap((f) => f.geometry.coordinates);
    expect(new Set(positions).size).toBeLessThan(positions.length); // shared between ways
    expect(JSON.parse(JSON.stringify(roads))).toEqual(roads); // plain data: the same after a JSON round trip
  });
});
