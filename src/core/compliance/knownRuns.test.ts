/**
 * Station runs that start from the multi-source run (ChainPaths.runKnown: a station's own nodes there are taken as
 * settled at their times; told the nodes that are read, the search skips what cannot lead to them) give the times a
 * plain single-source run gives, and the whole report equals the
 * reference mode's (every station's run from scratch over its whole network) on random street grids with one-way
 * streets, missing links and shape points.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../buildGraph';
import { ChainPaths } from '../chains';
import { edgeSeconds } from '../profile';
import { buildSpatialIndex } from '../spatial';
import { randomGrid } from '../testGrid';
import type { Station } from '../types';
import { fireEngineProfile, readJson } from '../../../tests/support/place';
import { createEvaluator } from './evaluator';
import { prepareNetwork, snapTo } from './network';
import { parseStandard } from './standards';
import { nodesByOrigin } from './stationTimes';

const profile = fireEngineProfile();
const standard = parseStandard(readJson('geodata/standards/jianbiao152-2017.json'));

function world(seed: number, nx: number, ny: number, shapePoints: number) {
  const graph = buildGraph(randomGrid(seed, nx, ny, { dropRate: 0.12, onewayRate: 0.2, firstClass: 1, classCount: 6, shapePoints })).graph;
  const seconds = edgeSeconds(graph, profile);
  let s = seed * 7 + 1;
  const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  // Grid corners: lon 114 + i·0.001, lat 22.5 + j·0.0009 (testGrid.ts)
  const box = [114, 22.5, 114 + (nx - 1) * 0.001, 22.5 + (ny - 1) * 0.0009];
  const stations: Station[] = Array.from({ length: 6 }, (_, k) => ({
    id: `R${k}`, name: `随机站 ${k}`, stationClass: '一级', status: 'proposed', position: 'approximate', example: true, source: 'test: random site',
    lon: box[0] + (0.1 + 0.8 * rnd()) * (box[2] - box[0]), lat: box[1] + (0.1 + 0.8 * rnd()) * (box[3] - box[1]),
  }));
  return { graph, seconds, stations, box };
}

describe('station runs from the multi-source run (runKnown)', () => {
  it('give every node the time of a plain run within the cutoff, and an exact time or none beyond it', () => {
    for (const [seed, shape] of [[3, 0], [11, 2]]) {
      const w = world(seed, 24, 20, shape), n = w.graph.nodeCount;
      const sp = buildSpatialIndex(w.graph), net = prepareNetwork({ graph: w.graph, seconds: w.seconds, spatial: sp });
      const snaps = w.stations.map((s) => snapTo(net, s.lon, s.lat, 300)!);
      const chains = new ChainPaths(w.graph, w.seconds, sp);
      const time = new Float64Array(n), origin = new Int32Array(n);
      chains.runAll(snaps, time, origin);
      const { first, nodes } = nodesByOrigin(origin, snaps.length);
      let compared = 0;
      snaps.forEach((src, k) => {
        for (const cutoff of [60, 150, Infinity]) {
          chains.run(src, cutoff);
          const plain = chains.times(), plainCut = chains.cutoff;
          const entry = Float64Array.from({ length: w.graph.edgeCount }, (_, e) => chains.entryTime(e));
          chains.runKnown(src, cutoff, { nodes, from: first[k], to: first[k + 1], time });
          const got = chains.times();
          for (let v = 0; v < n; v++) {
            if (plain[v] <= plainCut) expect(got[v], `node ${v}, station ${k}, cutoff ${cutoff}`).toBe(plain[v]);
            else if (got[v] < Infinity) {
              // Beyond the plain run's reach: a time is the full run's exact one.
              chains.run(src, Infinity);
              expect(got[v]).toBe(chains.timeOf(v));
              chains.runKnown(src, cutoff, { nodes, from: first[k], to: first[k + 1], time });
            }
            compared++;
          }
          for (let e = 0; e < entry.length; e++) if (entry[e] < Infinity) expect(chains.entryTime(e)).toBe(entry[e]);
          // Grown further, as stationEdgeTimes grows it: the same times as a plain run grown the same way.
          chains.extend(cutoff * 2);
          const grown = chains.times(), grownCut = chains.cutoff;
          chains.run(src, cutoff);
          chains.extend(cutoff * 2);
          const plainGrown = chains.times();
          for (let v = 0; v < n; v++) if (plainGrown[v] <= grownCut) expect(grown[v]).toBe(plainGrown[v]);
          // Told which nodes are read (pruned search): those nodes' times as a plain run's, grown too.
          const targets = Int32Array.from({ length: 40 }, (_, q) => (q * 97 + k * 31) % n);
          chains.runKnown(src, cutoff, { nodes, from: first[k], to: first[k + 1], time }, targets);
          for (const v of targets) if (plain[v] <= plainCut) expect(chains.timeOf(v), `target ${v}`).toBe(plain[v]);
          for (const v of targets) if (chains.timeOf(v) < Infinity) expect(chains.timeOf(v)).toBeLessThanOrEqual(Math.max(chains.cutoff, plain[v]));
          chains.extend(cutoff * 2);
          for (const v of targets) if (plainGrown[v] <= grownCut) expect(chains.timeOf(v), `grown target ${v}`).toBe(plainGrown[v]);
        }
      });
      expect(compared).toBeGreaterThan(3 * 6 * 400);
    }
  });

  it('leave the whole report unchanged: equal to the reference mode, automatic districts, with and without coverage', () => {
    for (const [seed, shape] of [[5, 0], [8, 1], [21, 3]]) {
      const w = world(seed, 36, 30, shape);
      const [a, b, c, d] = w.box;
      const input = {
        placeId: 'random-grid', planningArea: { type: 'Polygon' as const, coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] },
        districts: { mode: 'auto' as const }, network: { graph: w.graph, seconds: w.seconds }, standard,
      };
      for (const coverage of [false, true]) {
        const fast = createEvaluator(input).evaluate(w.stations, { coverage });
        const ref = createEvaluator({ ...input, options: { referenceRuns: true } }).evaluate(w.stations, { coverage });
        expect(fast.stations.filter((s) => s.worstEdgeSeconds !== null).length).toBeGreaterThanOrEqual(4);
        expect(fast).toEqual(ref);
      }
    }
  });
});
