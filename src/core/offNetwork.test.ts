import { describe, expect, it } from 'vitest';
import { buildGraph } from './buildGraph';
import type { OsmData } from './osm/types';
import { PlannerError } from './errors';
import { Router } from './router';
import { OFF_NETWORK_M, SNAP_FLAG_M } from './snap';
import { fireEngineProfile } from '../../tests/support/place';

// One two-way street along lat 43.735 from lon 7.42 to 7.44 (≈1.6 km, Monaco-like: swapped axes are valid numbers).
const LAT = 43.735;
const M = 111194.93; // metres per degree of latitude on the sphere the spatial index uses
const osm: OsmData = {
  nodes: new Map([[1, 7.42], [2, 7.43], [3, 7.44]].map(([id, lon]) => [id, { id, lon, lat: LAT }])),
  ways: [{ id: 1, nodes: [1, 2, 3], tags: { highway: 'residential', name: '直路' } }],
  relations: [],
};
const graph = buildGraph(osm).graph;
const router = new Router(graph, fireEngineProfile());
/** A point `m` metres north of the street at lon 7.43. */
const north = (m: number): [number, number] => [7.43, LAT + m / M];

function refusal(f: () => unknown): PlannerError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PlannerError);
    return e as PlannerError;
  }
  throw new Error('not refused');
}

describe('points off the road network', () => {
  it('defaults: starts 500 m, destinations 300 m; flags over 50 m', () => {
    expect(OFF_NETWORK_M).toEqual({ start: 500, destination: 300 });
    expect(SNAP_FLAG_M).toBe(50);
    expect(router.offNetworkM).toEqual({ start: 500, destination: 300 });
  });
  it('times: a start 600 m off is refused naming the point and the distance; 450 m is computed and flagged', () => {
    const e = refusal(() => router.times(north(600), [north(0)]));
    expect(e.code).toBe('off-network');
    expect(e.en).toBe(`the start (7.43, ${north(600)[1]}) is off the road network: the nearest road is 600 m away (limit 500 m)`);
    expect(e.zh).toBe(`出发点 (7.43, ${north(600)[1]}) 不在路网上：距最近道路 600 m，超过 500 m 的限值`);
    const ok = router.times(north(450), [[7.44, LAT]]);
    expect(ok.from.distanceM).toBeCloseTo(450, 0);
    expect(ok.from.far).toBe(true);
    expect(ok.from.note?.en).toBe('450 m from the road (over 50 m); computed from that road');
    expect(ok.results[0].seconds).toBeGreaterThan(0);
  });
  it('times: a destination 350 m off is refused (limit 300 m), 250 m is flagged, 40 m is not', () => {
    const e = refusal(() => router.times(north(0), [north(350)]));
    expect(e.code).toBe('off-network');
    expect(e.en).toMatch(/^the destination \(7\.43, [\d.]+\) is off the road network: the nearest road is 350 m away \(limit 300 m\)$/);
    const two = refusal(() => router.times(north(0), [north(10), north(350)]));
    expect(two.en).toMatch(/^destination 2 \(/);
    const r = router.times(north(0), [north(250), north(40)]);
    expect(r.results.map((x) => [x.snap.far, Math.round(x.snap.distanceM)])).toEqual([[true, 250], [false, 40]]);
    expect(r.results[0].seconds).toBe(0);
    expect(r.results[1].snap.note).toBeUndefined();
  });
  it('a thousands-of-km point is refused in km; the limits are options', () => {
    const e = refusal(() => router.times([116.39, 39.9], [north(0)]));
    expect(e.code).toBe('off-network');
    expect(e.en).toMatch(/nearest road is \d{3,} km away \(limit 500 m\)$/);
    const wide = new Router(graph, fireEngineProfile(), false, { offNetworkM: { start: 700, destination: 400 } });
    expect(wide.times(north(600), [north(350)]).results[0].snap.distanceM).toBeCloseTo(350, 0);
    const tight = new Router(graph, fireEngineProfile(), false, { offNetworkM: { start: 100 } });
    expect(refusal(() => tight.times(north(150), [north(0)])).en).toMatch(/150 m away \(limit 100 m\)/);
  });
  it('names swapped latitude and longitude', () => {
    // (43.735, 7.43) is the street read the other way round: inside the graph's bbox when swapped.
    const e = refusal(() => router.times([LAT, 7.43], [north(0)]));
    expect(e.code).toBe('swapped-coordinate');
    expect(e.en).toMatch(/^the start \(43\.735, 7\.43\) is off the road network \(\d+ km from the nearest road\), but read the other way round \(7\.43, 43\.735\) it lies on the network: latitude and longitude look swapped/);
    expect(e.zh).toMatch(/经纬度可能写反了/);
    // Swapped, 200 m north of the street's west end (outside the bbox, near a road): still named.
    const p = [LAT + 200 / M, 7.42 - 0.001];
    expect(refusal(() => router.times([p[0], p[1]], [north(0)])).code).toBe('swapped-coordinate');
    // Far in both readings: plain off-network.
    expect(refusal(() => router.times([20, 10], [north(0)])).code).toBe('off-network');
  });
  it('isochrone: a station off the network is left out with no time; all off is refused', () => {
    const stations = [{ id: 'a', lon: 7.43, lat: LAT }, { id: 'far', name: '远站', lon: north(800)[0], lat: north(800)[1] }];
    const out = router.isochrone(stations, [1]);
    const alone = router.isochrone([stations[0]], [1]);
    expect(out.snaps.far.offNetwork).toBe(true);
    expect(out.snaps.a.offNetwork).toBeUndefined();
    expect(out.polygons.features[0].properties!.roadKm).toBe(alone.polygons.features[0].properties!.roadKm);
    expect(out.lines.features.every((f) => f.properties!.stationId === 'a')).toBe(true);
    const e = refusal(() => router.isochrone([stations[1]], [1]));
    expect(e.code).toBe('off-network');
    expect(e.en).toMatch(/^station "远站" \(.*\) is off the road network: the nearest road is 800 m away/);
  });
  it('route: an off-network station is skipped, an off-network destination refused', () => {
    const stations = [{ id: 'far', lon: north(800)[0], lat: north(800)[1] }, { id: 'a', lon: 7.42, lat: LAT }];
    const r = router.route(stations, [7.44, LAT]);
    expect(r.stationId).toBe('a');
    expect(r.snapFrom.distanceM).toBe(0);
    expect(r.travelSeconds).toBeGreaterThan(0);
    expect(refusal(() => router.route(stations, north(320))).code).toBe('off-network');
    expect(refusal(() => router.route([stations[0]], [7.44, LAT])).code).toBe('off-network');
  });
});
