/** Edge-point snapping (snapEdgePoint) and the exact clipped tracing of automatic districts (clipTrace). */
import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { graphFromRoads, fixtureSeconds, M, pt } from './fixtureWorld';
import { prepareNetwork, snapEdgePoint } from './network';
import { intersectAreas } from './districts';
import { areaKm2, pointInArea } from './geom';
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
