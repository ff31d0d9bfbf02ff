/**
 * The packed spatial index (issue #11, router set-up: Hilbert keys radix-sorted, flatbush's layout written directly)
 * changes no answer: against the index as it was built before (flatbush add() + finish(), tests/support/
 * spatialReference.ts) the same coordinates, tails, twins and segments, the same hit sets, and — with the old index
 * put in its place — the same snaps in every role, the same road crossings of lines, the same routes, times and
 * isochrones, and the same compliance reports (barrier checks included) on the real samples and random grids.
 */
import type { FeatureCollection, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../src/core/buildGraph';
import type { RoadGraph } from '../../src/core/graph';
import { buildSpatialIndex, toLocalX, toLocalY, type SpatialIndex } from '../../src/core/spatial';
import { snapPoint, swappedOnNetwork } from '../../src/core/snap';
import { Router } from '../../src/core/router';
import { FERRY_CLASS } from '../../src/core/roadClass';
import { randomGrid } from '../../src/core/testGrid';
import { rng } from '../../src/core/optimize/testMatrix';
import { placeStations } from '../../src/core/scenario';
import type { AreaCollection, AreaGeometry } from '../../src/core/types';
import { unionAll } from '../../src/core/compliance/districts';
import { placeBarriers } from '../../src/core/compliance/barriers';
import { createEvaluator } from '../../src/core/compliance/evaluator';
import { fromRouter, prepareNetwork, roadCrossings } from '../../src/core/compliance/network';
import { parseStandard } from '../../src/core/compliance/standards';
import { fireEngineProfile, placeJson, placeRouter, readJson, roadRules } from '../support/place';
import { referenceSpatialIndex } from '../support/spatialReference';
import { gridExtract } from '../support/pbfWriter';
import type { Station } from '../../src/core/types';

const PLACES = ['monaco', 'andorra', 'nanshan', 'shanghai'];
const grid = (seed: number): RoadGraph =>
  buildGraph(randomGrid(seed, 30, 25, { dropRate: 0.15, onewayRate: 0.2, firstClass: 0, classCount: 10, shapePoints: seed % 3 })).graph;

/** The router with the old index in place of its own (everything the router answers reads it from there). */
function withIndex(r: Router, sp: SpatialIndex): Router {
  return Object.assign(Object.create(Object.getPrototypeOf(r) as object) as Router, r, { spatial: sp });
}

/** Metres of the non-ferry segments summed in segment order, as graphSummary summed them before SpatialIndex.roadM. */
function loopRoadM(g: RoadGraph, seg: Uint32Array): number {
  let m = 0;
  for (const e of seg) if (g.roadClass[e] !== FERRY_CLASS) m += g.lengthM[e];
  return m;
}

/** Random points in and around a graph's box: on roads, between them, and off the network. */
function points(g: RoadGraph, seed: number, count: number): [number, number][] {
  const r = rng(seed), [w, s, e, n] = g.bbox, dx = e - w, dy = n - s;
  return Array.from({ length: count }, () => [w - dx * 0.1 + r() * dx * 1.2, s - dy * 0.1 + r() * dy * 1.2] as [number, number]);
}

function sameStructure(a: SpatialIndex, b: SpatialIndex): void {
  expect(a.frame).toEqual(b.frame);
  expect(a.x).toEqual(b.x);
  expect(a.y).toEqual(b.y);
  expect(a.source).toEqual(b.source);
  expect(a.twin).toEqual(b.twin);
  expect(a.segEdge).toEqual(b.segEdge);
  expect(a.index === null).toBe(b.index === null);
  if (!a.index || !b.index) return;
  expect([a.index.minX, a.index.minY, a.index.maxX, a.index.maxY]).toEqual([b.index.minX, b.index.minY, b.index.maxX, b.index.maxY]);
  const r = rng(a.segEdge.length);
  const { minX, minY, maxX, maxY } = b.index, w = maxX - minX, h = maxY - minY;
  for (let q = 0; q < 300; q++) {
    const x = minX - w * 0.1 + r() * w * 1.2, y = minY - h * 0.1 + r() * h * 1.2, d = r() * (q % 4 === 0 ? w / 3 : 300);
    const hits = (sp: SpatialIndex) => sp.index!.search(x - d, y - d, x + d, y + d).sort((p, s) => p - s);
    expect(hits(a)).toEqual(hits(b));
  }
}

function sameSnaps(r: Router, old: SpatialIndex, seed: number): void {
  const g = r.graph, reach = r.reach;
  for (const [lon, lat] of points(g, seed, 150)) {
    for (const role of ['start', 'destination', 'any'] as const) {
      const opts = { reach, role };
      expect(snapPoint(g, r.spatial, r.seconds, r.components, lon, lat, opts)).toEqual(snapPoint(g, old, r.seconds, r.components, lon, lat, opts));
    }
    expect(snapPoint(g, r.spatial, r.seconds, null, lon, lat, { maxMoveM: 0 })).toEqual(snapPoint(g, old, r.seconds, null, lon, lat, { maxMoveM: 0 }));
    expect(swappedOnNetwork(g, r.spatial, r.seconds, lon, lat, 300)).toBe(swappedOnNetwork(g, old, r.seconds, lon, lat, 300));
  }
}

/** Road crossings of random lines (2–6 points, short and long legs) with the new and the old index. */
function sameCrossings(r: Router, old: SpatialIndex, seed: number): number {
  const rand = rng(seed), pts = points(r.graph, seed + 1, 240);
  const seconds = r.seconds, n = { graph: r.graph, seconds, components: r.components, main: r.mainNetwork };
  const netNew = prepareNetwork({ ...n, spatial: r.spatial }), netOld = prepareNetwork({ ...n, spatial: old });
  let crossings = 0;
  for (let k = 0; k + 6 <= pts.length; k += 6) {
    const line: Position[] = pts.slice(k, k + 2 + Math.floor(rand() * 5));
    const cum = [0];
    for (let i = 1; i < line.length; i++) {
      const dx = toLocalX(r.spatial.frame, line[i][0]) - toLocalX(r.spatial.frame, line[i - 1][0]), dy = toLocalY(r.spatial.frame, line[i][1]) - toLocalY(r.spatial.frame, line[i - 1][1]);
      cum.push(cum[i - 1] + Math.hypot(dx, dy));
    }
    const got = roadCrossings(netNew, line, cum);
    expect(got).toEqual(roadCrossings(netOld, line, cum));
    crossings += got.length;
  }
  return crossings;
}

describe('packed spatial index = the flatbush-built one', () => {
  it.each(PLACES)('%s: same arrays and hit sets; same snaps (every role), swapped-coordinate checks and road crossings', (place) => {
    const r = placeRouter(place);
    const old = referenceSpatialIndex(r.graph);
    sameStructure(r.spatial, old);
    // road-km summed while indexing = the loop over the old index's segments (it has no roadM)
    expect(old.roadM).toBeUndefined();
    expect(r.spatial.roadM).toBe(loopRoadM(r.graph, old.segEdge));
    expect(r.graphSummary()).toEqual(withIndex(r, old).graphSummary());
    sameSnaps(r, old, 17);
    expect(sameCrossings(r, old, 23)).toBeGreaterThan(50);
  });

  it('on random grids (one-ways, missing links, shape points, every road class)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const g = grid(seed);
      const r = new Router(g, fireEngineProfile(), false, { roadRules: roadRules() });
      const old = referenceSpatialIndex(g);
      sameStructure(r.spatial, old);
      sameSnaps(r, old, seed);
      sameCrossings(r, old, seed);
      // and with some segments made ferries (not road): the same road-km
      const rc = rng(seed), ferried = { ...g, roadClass: g.roadClass.map((c) => (rc() < 0.2 ? FERRY_CLASS : c)) };
      const f = new Router(ferried, fireEngineProfile(), false);
      expect(f.spatial.roadM).not.toBe(r.spatial.roadM);
      expect([f.spatial.roadM, r.spatial.roadM]).toEqual([loopRoadM(ferried, old.segEdge), loopRoadM(g, old.segEdge)]);
      expect(f.graphSummary()).toEqual(withIndex(f, referenceSpatialIndex(ferried)).graphSummary());
      expect(r.graphSummary()).toEqual(withIndex(r, old).graphSummary());
    }
  });

  it('on graphs without segments, with one, or with one-way edges only (more segments than half the edges)', () => {
    const g = grid(3);
    const one = { ...g, edgeCount: 1, firstEdge: g.firstEdge.map((f) => Math.min(f, 1)), target: g.target.subarray(0, 1) } as RoadGraph;
    // only the edges from lower to higher node, each its own segment without a twin
    const keep = Array.from({ length: g.edgeCount }, (_, e) => e).filter((e) => buildSpatialIndex(g).source[e] < g.target[e]);
    const src = buildSpatialIndex(g).source, firstEdge = new Uint32Array(g.nodeCount + 1);
    for (const e of keep) firstEdge[src[e] + 1]++;
    for (let i = 0; i < g.nodeCount; i++) firstEdge[i + 1] += firstEdge[i];
    const upward = { ...g, edgeCount: keep.length, firstEdge, target: Uint32Array.from(keep, (e) => g.target[e]), lengthM: Float32Array.from(keep, (e) => g.lengthM[e]) } as RoadGraph;
    for (const h of [{ ...g, edgeCount: 0, firstEdge: new Uint32Array(g.nodeCount + 1), target: new Uint32Array(0) } as RoadGraph, one, upward])
      sameStructure(buildSpatialIndex(h), referenceSpatialIndex(h));
    expect(buildSpatialIndex(upward).segEdge.length).toBe(keep.length);
  });

  it.each(PLACES)('%s: routes, times and isochrones from the plan or real stations', (place) => {
    const r = placeRouter(place), old = withIndex(r, referenceSpatialIndex(r.graph));
    const fc = (f: string) => placeJson(place, f) as FeatureCollection | null;
    const planned = placeStations(fc('plan.geojson'));
    const stations = (planned.length ? planned : placeStations(fc('facilities.geojson'))).slice(0, 4);
    expect(stations.length).toBeGreaterThanOrEqual(2);
    const targets = points(r.graph, 5, 80).filter(([lon, lat]) => { try { r.placed(lon, lat, 'destination'); return true; } catch { return false; } }).slice(0, 12);
    expect(targets.length).toBeGreaterThan(2);
    const iso = r.isochrone(stations, [2, 4]);
    expect(old.isochrone(stations, [2, 4])).toEqual(iso);
    for (const t of targets) {
      const answer = (x: Router) => { try { return x.route(stations, t); } catch (e) { return e; } };
      expect(answer(old)).toEqual(answer(r));
    }
    expect(old.times([stations[0].lon, stations[0].lat], targets)).toEqual(r.times([stations[0].lon, stations[0].lat], targets));
  });
});

const standard = parseStandard(readJson('geodata/standards/jianbiao152-2017.json'));

describe('compliance reports with the packed index = with the flatbush-built one', () => {
  it.each(['monaco', 'shanghai', 'nanshan'])('%s: automatic and town districts, barriers, coverage', (id) => {
    const router = placeRouter(id);
    const old = referenceSpatialIndex(router.graph);
    const fc = (f: string) => placeJson(id, f) as FeatureCollection | null;
    const planned = placeStations(fc('plan.geojson'));
    const stations = planned.length ? planned : placeStations(fc('facilities.geojson'));
    const area = unionAll(fc('boundary.geojson')!.features.map((f) => f.geometry as AreaGeometry))!;
    const barriers = placeBarriers(fc('water.geojson'), fc('rail.geojson'));
    const towns = fc('districts.geojson') as AreaCollection | null;
    let acrossM = 0;
    for (const districts of [{ mode: 'auto' as const }, ...(towns ? [{ mode: 'towns' as const, towns }] : [])]) {
      const report = (spatial: SpatialIndex) =>
        createEvaluator({ placeId: id, planningArea: area, districts, network: { ...fromRouter(router), spatial }, standard, barriers })
          .evaluate(stations, { coverage: true });
      const got = report(router.spatial);
      expect(got.stations.some((s) => s.worstEdgeSeconds !== null)).toBe(true);
      expect(report(old)).toEqual(got);
      acrossM += got.stations.flatMap((s) => s.barriers).reduce((sum, b) => sum + (b.roadOnlyAcrossM ?? 0), 0);
    }
    // the barrier check that walks the index (road reached only across a barrier) has something to find on 南山
    if (id === 'nanshan') expect(acrossM).toBeGreaterThan(0);
  });
});

describe('on a regular street grid (the bench\'s synthetic lattice: equal distances everywhere)', () => {
  const side = 60, ex = gridExtract(side, { wayLen: 10 });
  const graph = buildGraph({ nodes: new Map([...ex.nodes].map((nd) => [nd.id, nd])), ways: [...ex.ways], relations: [] }).graph;
  const router = new Router(graph, fireEngineProfile(), false, { roadRules: roadRules() });
  const old = referenceSpatialIndex(graph);
  const [a, b, c, d] = ex.bbox, dx = (c - a) / (side - 1), dy = (d - b) / (side - 1);

  it('snaps on junctions, segment middles and block centres (equidistant from 2–4 roads), every role', () => {
    sameStructure(router.spatial, old);
    const reach = router.reach;
    for (let i = 0; i < 30; i++)
      for (const [fx, fy] of [[0, 0], [0.5, 0], [0, 0.5], [0.5, 0.5], [0.25, 0.5]]) {
        const lon = a + (2 * i + fx) * dx, lat = b + ((7 * i) % (side - 1) + fy) * dy;
        for (const role of ['start', 'destination', 'any'] as const)
          expect(snapPoint(graph, router.spatial, router.seconds, router.components, lon, lat, { reach, role }))
            .toEqual(snapPoint(graph, old, router.seconds, router.components, lon, lat, { reach, role }));
      }
  });

  it('a whole-place compliance report with 16 stations on a lattice (as the bench), coverage included', () => {
    const n = 16, k = 4;
    const stations: Station[] = Array.from({ length: n }, (_, i) => ({
      id: `S${i + 1}`, name: `Synthetic ${i + 1}`, stationClass: '一级', status: 'proposed', position: 'approximate', example: true, source: 'synthetic test site',
      lon: a + ((i % k) + 0.5) * (c - a) / k, lat: b + (Math.floor(i / k) + 0.5) * (d - b) / k,
    }));
    const report = (spatial: SpatialIndex) => createEvaluator({
      placeId: 'grid', planningArea: { type: 'Polygon', coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] },
      districts: { mode: 'auto' }, network: { ...fromRouter(router), spatial }, standard,
    }).evaluate(stations, { coverage: true });
    const got = report(router.spatial);
    expect(got.stations.every((s) => s.worstEdgeSeconds !== null)).toBe(true);
    expect(report(old)).toEqual(got);
  });
});
