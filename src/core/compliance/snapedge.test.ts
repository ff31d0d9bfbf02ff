/** Edge-point snapping (snapEdgePoint) and the exact clipped tracing of automatic districts (clipTrace). */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { graphFromRoads, fixtureSeconds, M, pt } from './fixtureWorld';
import { prepareNetwork } from './network';
import { REF, snapEdgePoint, snapEdgeRef, SnapStore } from './edgeSnap';
import { intersectAreas } from './districts';
import { areaIndex, areaKm2, pointInArea, pointInIndexed } from './geom';
import { clipGrid, clipTrace, makeGrid, traceLabel } from './raster';

const speeds = { residential: 10 };
const ys = (snaps: { lat: number }[]) => snaps.map((s) => Math.round(s.lat * M));

describe('snapEdgePoint', () => {
  // Roads (x from −1000 to 1000) at y = −80, −60 (this side) and y = 180 (the far bank); the edge point is (0, 100).
  const graph = graphFromRoads([-80, -60, 180].map((y) => ({ highway: 'residential', xy: [[-1000, y], [1000, y]] })));
  const net = prepareNetwork({ graph, seconds: fixtureSeconds(graph, speeds) });
  const [lon, lat] = pt([0, 100]);
  const belowEdge = (_lon: number, la: number) => la * M <= 100;

  it('takes the nearest road when it is within the side distance, whichever side', () => {
    expect(ys(snapEdgePoint(net, lon, lat, { searchM: 300, sideM: 150, parallelM: 10 }, belowEdge))).toEqual([180]);
  });

  it('skips a farther-than-sideM road outside the district (far bank) and returns the road inside with its parallel', () => {
    const got = snapEdgePoint(net, lon, lat, { searchM: 300, sideM: 50, parallelM: 30 }, belowEdge);
    expect(ys(got)).toEqual([-60, -80]);
    expect(got[0].distanceM).toBeCloseTo(160, 1);
  });

  it('finds nothing beyond the search distance (no road access)', () => {
    expect(snapEdgePoint(net, lon, lat, { searchM: 70, sideM: 50, parallelM: 30 }, belowEdge)).toEqual([]);
  });

  it('snapEdgeRef stores the same road points in typed columns, memoising only district-free answers', () => {
    const store = new SnapStore();
    const cases: [number, number, number][] = [[300, 150, 10], [300, 50, 30], [70, 50, 30]];
    for (const [searchM, sideM, parallelM] of cases) {
      const o = { searchM, sideM, parallelM };
      const want = snapEdgePoint(net, lon, lat, o, belowEdge);
      const ref = snapEdgeRef(net, lon, lat, o, belowEdge, store);
      const count = ref % REF, first = (ref - count) / REF;
      expect(count).toBe(want.length);
      want.forEach((w, i) => {
        expect([store.edge[first + i], store.u[first + i], store.v[first + i], store.t[first + i], store.lon[first + i], store.lat[first + i]]).toEqual([w.edge, w.u, w.v, w.t, w.lon, w.lat]);
      });
      store.clear();
    }
    // Road within sideM: no side test, so the answer is kept; the far-bank case asked `inside` and is not.
    snapEdgeRef(net, lon, lat, { searchM: 300, sideM: 150, parallelM: 10 }, belowEdge, store);
    snapEdgeRef(net, lon, lat + 1 / M, { searchM: 300, sideM: 50, parallelM: 30 }, belowEdge, store);
    expect(store.memo.size).toBe(1);
  });
});

describe('pointInIndexed', () => {
  it('agrees with pointInArea on a multipolygon with a hole and an island in it', () => {
    const sq = (x0: number, y0: number, s: number, cw = false) => {
      const r = [pt([x0, y0]), pt([x0 + s, y0]), pt([x0 + s, y0 + s]), pt([x0, y0 + s]), pt([x0, y0])];
      return cw ? r.reverse() : r;
    };
    const g = { type: 'MultiPolygon' as const, coordinates: [[sq(0, 0, 1000), sq(200, 200, 600, true)], [sq(400, 400, 200)], [sq(1500, 0, 300)]] };
    const ix = areaIndex(g);
    let inside = 0;
    for (let x = -105; x <= 1900; x += 37)
      for (let y = -95; y <= 1100; y += 41) {
        const [plon, plat] = pt([x, y]);
        const want = pointInArea(g, plon, plat);
        expect(pointInIndexed(ix, plon, plat)).toBe(want);
        if (want) inside++;
      }
    expect(inside).toBeGreaterThan(100);
  });
});

describe('clipTrace', () => {
  it('tiles a slanted planning area exactly like polygon clipping', () => {
    const ring = [[-900, -700], [850, -820], [950, 760], [-300, 900], [-870, 300]].map(pt);
    const area: Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
    const g = makeGrid([-0.0082, -0.0074, 0.0086, 0.0081], 100, undefined, 1e-6);
    // three labels: west, north-east, south-east (with a one-cell enclave of label 0 inside label 1)
    for (let r = 0; r < g.ny; r++) for (let c = 0; c < g.nx; c++) g.labels[c + r * g.nx] = c < g.nx / 3 ? 0 : r > g.ny / 2 ? 1 : 2;
    g.labels[Math.floor(g.nx * 0.7) + Math.floor(g.ny * 0.75) * g.nx] = 0;
    const cg = clipGrid(g, [area.coordinates])!;
    expect(cg).not.toBeNull();
    let sum = 0;
    for (const k of [0, 1, 2]) {
      const mine = clipTrace(g, k, cg)!;
      const ref = intersectAreas(traceRef(g, k), area)!;
      expect(areaKm2(mine)).toBeCloseTo(areaKm2(ref), 6);
      for (let i = 0; i < 200; i++) {
        const p = pt([-1000 + ((i * 37) % 200) * 10, -1000 + ((i * 53) % 200) * 10]);
        expect(pointInArea(mine, ...p)).toBe(pointInArea(ref, ...p));
      }
      sum += areaKm2(mine);
    }
    expect(sum).toBeCloseTo(areaKm2(area), 6);
    expect(clipTrace(g, 1, cg)!.coordinates[0].length).toBe(2); // the enclave is a hole of label 1
  });
});

const traceRef = (g: ReturnType<typeof makeGrid>, k: number) => traceLabel(g, k)!;
