/**
 * Real data (public/data/monaco, built by the pipeline): a stable summary (golden file, regenerate with REGEN=1)
 * and every reported worst time equal to the router's own time to that point.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeatureCollection } from 'geojson';
import { placeRouter, repoRoot } from '../../../tests/support/place';
import { expectGolden } from '../../../tests/support/golden';
import type { AreaCollection, AreaGeometry, Station } from '../types';
import { unionAll } from './districts';
import { placeBarriers } from './barriers';
import { areaKm2 } from './geom';
import { evaluatePlace, type DistrictsInput } from './evaluate';
import { fromRouter, prepareNetwork, snapTo } from './network';
import { timeToPoint } from '../dijkstra';
import { parseStandard } from './standards';
import { Router } from '../router';

const root = repoRoot;
const json = (p: string) => JSON.parse(readFileSync(resolve(root, p), 'utf8'));
const goldenPath = resolve(root, 'tests/fixtures/compliance/monaco.golden.json');

describe('Monaco (real OSM network)', () => {
  const router = placeRouter('monaco');
  const facilities = json('public/data/monaco/facilities.geojson') as FeatureCollection;
  const stations = facilities.features.filter((f) => f.properties?.kind === 'station').map((f) => f.properties as Station);
  const boundary = json('public/data/monaco/boundary.geojson') as FeatureCollection;
  const area = unionAll(boundary.features.map((f) => f.geometry as AreaGeometry))!;
  const towns = json('public/data/monaco/districts.geojson') as AreaCollection;
  const standard = parseStandard(json('geodata/standards/jianbiao152-2017.json'));
  const run = (districts: DistrictsInput) =>
    evaluatePlace({ placeId: 'monaco', stations, planningArea: area, districts, network: fromRouter(router), standard, barriers: placeBarriers(json('public/data/monaco/water.geojson'), json('public/data/monaco/rail.geojson')) });
  const auto = run({ mode: 'auto' });
  const byTowns = run({ mode: 'towns', towns });

  it('gives a stable summary (golden; REGEN=1 rewrites it and fails)', () => {
    const digest = (r: ReturnType<typeof run>) => ({
      summary: r.summary,
      stations: r.stations.map((s) => ({
        id: s.id, verdict: s.verdict, worstEdgeSeconds: s.worstEdgeSeconds, worstPoint: s.worstPoint, shareWithinLimit: s.shareWithinLimit,
        districtAreaKm2: s.districtAreaKm2, failingEdges: s.failingEdges.features.length, roadShare: s.coverage?.roadShare ?? null,
      })),
    });
    const now = { auto: digest(auto), towns: digest(byTowns) };
    expectGolden(goldenPath, now);
  });

  it('starts Fontvieille from its nearest road: its emergency access road under the road rules; without them a one-way road off the main network a fire engine drives out from (honest snapping)', () => {
    const f = auto.stations.find((s) => s.name.includes('Fontvieille'))!;
    const st = stations.find((x) => x.id === f.id)!;
    // Without road rules the station's service=emergency_access road (access=private) is closed; the nearest road
    // left is a one-way road off the main network that still leads out to it.
    const free = prepareNetwork(fromRouter(new Router(router.graph, router.profile, false)));
    const old = snapTo(free, st.lon, st.lat, 300)!;
    expect([old.moved, old.isolated]).toEqual([false, false]);
    expect(free.main[old.u] && free.main[old.v]).toBe(0);
    const net = prepareNetwork(fromRouter(router));
    const sn = snapTo(net, st.lon, st.lat, 300)!;
    expect([sn.moved, sn.isolated]).toEqual([false, false]);
    expect(router.graph.facts![router.graph.edgeFacts![sn.edge]].service).toBe('emergency_access');
    expect(net.main[sn.u] && net.main[sn.v]).toBe(1);
    expect(sn.distanceM).toBeLessThan(old.distanceM);
    expect(f.stationSnapM).toBeCloseTo(sn.distanceM, 1);
    expect(f.stationSnapM).toBeLessThan(30);
    expect(auto.issues.filter((i) => i.code === 'station-moved')).toEqual([]);
  });

  it('auto districts tile the planning area (area sum within 0.5 %)', () => {
    const sum = auto.districts.features.reduce((a, f) => a + f.properties.areaKm2, 0);
    const total = areaKm2(area);
    expect(Math.abs(sum - total) / total).toBeLessThan(0.005);
  });

  it('reports every worst edge time equal to a fresh single-source run to that point (station on the main network)', () => {
    let checked = 0;
    const net = prepareNetwork(fromRouter(router));
    for (const r of [auto, byTowns])
      for (const s of r.stations) {
        if (!s.worstPoint) continue;
        const st = stations.find((x) => x.id === s.id)!;
        const src = snapTo(net, st.lon, st.lat, 300)!;
        expect(src.isolated).toBe(false);
        expect(Math.abs(src.distanceM - s.stationSnapM!)).toBeLessThan(0.06);
        net.paths.run([src]);
        const to = router.snap(s.worstPoint[0], s.worstPoint[1]);
        expect(to.distanceM).toBeLessThan(0.05);
        const t = timeToPoint(net.paths, [src], to).seconds;
        expect(Math.abs(t - s.worstEdgeSeconds!)).toBeLessThanOrEqual(0.11);
        checked++;
      }
    expect(checked).toBeGreaterThanOrEqual(2);
  });
});
