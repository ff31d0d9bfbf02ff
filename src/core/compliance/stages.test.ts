/**
 * The check's stages alone, on Monaco's real network: the automatic partition (stage 1) tiles the planning area by
 * fastest station; the edge plan (stage 2) and a station's grown run (stage 3) give every edge point the time a
 * full single-source Dijkstra gives it (brute force), whatever the first cutoff.
 */
import { describe, expect, it } from 'vitest';
import type { FeatureCollection } from 'geojson';
import { ChainPaths } from '../chains';
import { placeJson, placeRouter } from '../../../tests/support/place';
import type { AreaGeometry, Station } from '../types';
import { buildAutoGrid, partitionAuto, type MultiRun } from './autoGrid';
import { unionAll } from './districts';
import { netEdgePlan, refCount, refFirst } from './edgePlan';
import { SnapStore } from './edgeSnap';
import { areaKm2 } from './geom';
import { fromRouter, prepareNetwork, reachableFromMain, snapTo } from './network';
import { roadPointTime, stationEdgeTimes } from './stationTimes';

const fc = (f: string) => placeJson('monaco', f) as FeatureCollection;
const stations = fc('facilities.geojson').features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station);
const area = unionAll(fc('boundary.geojson').features.map((f) => f.geometry as AreaGeometry))!;
const net = prepareNetwork(fromRouter(placeRouter('monaco')));
const snaps = stations.map((s) => snapTo(net, s.lon, s.lat, 300));
const live = stations.map((_, k) => k).filter((k) => snaps[k] && !snaps[k]!.isolated);

function multiRun(): MultiRun {
  const chains = new ChainPaths(net.graph, net.seconds, net.spatial);
  const n = net.graph.nodeCount, all: MultiRun = { time: new Float64Array(n), origin: new Int32Array(n) };
  chains.runAll(live.map((k) => snaps[k]!), all.time, all.origin);
  for (let v = 0; v < n; v++) if (all.origin[v] >= 0) all.origin[v] = live[all.origin[v]];
  return all;
}

describe('compliance stages alone (Monaco)', () => {
  const grid = buildAutoGrid(net, area, 50)!;
  const keys = Int32Array.from(stations, (_s, k) => k);
  const part = partitionAuto(stations, keys, multiRun(), grid, area, null, null);

  it('stage 1: the automatic districts tile the planning area, and a second partition with nothing moved re-traces nothing', () => {
    // (Monaco: one of its three stations reaches no road point first, so it gets no district.)
    expect(part.districts.length).toBeGreaterThanOrEqual(2);
    for (const d of part.districts) expect(live).toContain(stations.findIndex((s) => s.id === d.stationId));
    const sum = part.districts.reduce((a, d) => a + areaKm2(d.geometry), 0);
    expect(sum).toBeCloseTo(areaKm2(area), 3);
    const again = partitionAuto(stations, keys, multiRun(), grid, area, { cellKey: Int32Array.from(part.cellKey), geoms: part.geoms }, null);
    expect(again.dirty.size).toBe(0);
    for (const d of again.districts) expect(d.geometry).toBe(part.geoms.get(d.stationId));
  });

  it('stages 2–3: grown station runs give every edge point the time of a full Dijkstra (brute force)', () => {
    const store = new SnapStore(), reach = reachableFromMain(net);
    const chains = new ChainPaths(net.graph, net.seconds, net.spatial);
    let compared = 0;
    for (const d of part.districts) {
      const k = stations.findIndex((s) => s.id === d.stationId), src = snaps[k]!;
      const plan = netEdgePlan(net, d.geometry, 50, { searchM: 300, sideM: 150, parallelM: 30 }, store, null);
      net.paths.run([src], Infinity);
      const full = net.paths;
      for (const fromS of [30, 240, Infinity]) {
        const got = stationEdgeTimes(net, store, reach, plan, src, chains, fromS);
        plan.sampleRef.forEach((ref, i) => {
          if (refCount(ref) === 0) return expect(got.sampleSec[i]).toBeNaN();
          let want = Infinity;
          for (let j = refFirst(ref); j < refFirst(ref) + refCount(ref); j++) want = Math.min(want, roadPointTime(full, net.seconds, src, store.edge[j], store.reverse[j], store.t[j]));
          if (want === Infinity) expect(got.sampleSec[i]).toBe(Infinity);
          else expect(got.sampleSec[i]).toBeCloseTo(want, 6);
          compared++;
        });
        plan.cross.forEach((c, j) => {
          let want = roadPointTime(full, net.seconds, src, c.edge, c.reverse, c.t);
          const ref = plan.crossRef[j];
          if (ref) for (let q = refFirst(ref); q < refFirst(ref) + refCount(ref); q++) want = Math.min(want, roadPointTime(full, net.seconds, src, store.edge[q], store.reverse[q], store.t[q]));
          if (want === Infinity) expect(got.crossSec[j]).toBe(Infinity);
          else expect(got.crossSec[j]).toBeCloseTo(want, 6);
        });
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});
