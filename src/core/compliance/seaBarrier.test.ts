import type { FeatureCollection, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { seaPolygons } from '../water/coastline';
import { barrierLines, barriersInDistrict, DEFAULT_BARRIER_KINDS } from './barriers';

// Hand-made coast near the equator (1e-3° ≈ 111 m): the sea is south of y = 0 inside the box ±0.05°.
const BOX: [number, number, number, number] = [-0.05, -0.05, 0.05, 0.05];
const seaFc = (coast: Position[]): FeatureCollection => ({
  type: 'FeatureCollection',
  features: seaPolygons([coast], BOX).sea.map((g) => ({ type: 'Feature', properties: { kind: 'sea', name: '', box: BOX }, geometry: g })),
});
// The district: x −0.01…0.01, y −0.005…0.02 (it reaches 550 m out to sea)
const district: Polygon = { type: 'Polygon', coordinates: [[[-0.01, -0.005], [0.01, -0.005], [0.01, 0.02], [-0.01, 0.02], [-0.01, -0.005]]] };

describe('the sea as a barrier where a district straddles it', () => {
  it('is a default kind; the offshore box edges are never barrier lines', () => {
    expect(DEFAULT_BARRIER_KINDS).toContain('sea');
    const lines = barrierLines(seaFc([[-0.1, 0], [0.1, 0]]));
    expect(lines.length).toBe(1);
    for (const l of lines) for (const p of l.line) expect(p[1]).toBe(0); // only the coast, none of the box edges
  });

  it('a plain shore through the district is no barrier', () => {
    expect(barriersInDistrict(district, barrierLines(seaFc([[-0.1, 0], [0.1, 0]])))).toEqual([]);
  });

  it('a harbour basin cut 1.1 km into the district is: the district has land on both sides of the water', () => {
    // basin x −0.002…0.002 from the shore up to y = 0.01 (≈ 1,110 m deep, 445 m wide)
    const coast: Position[] = [[-0.1, 0], [-0.002, 0], [-0.002, 0.01], [0.002, 0.01], [0.002, 0], [0.1, 0]];
    const hits = barriersInDistrict(district, barrierLines(seaFc(coast)));
    expect(hits).toHaveLength(1);
    expect(hits[0].kind).toBe('sea');
    // the coast inside the district: shore 2 × 0.008° + basin walls 2 × 0.01° + head 0.004° = 0.04° ≈ 4,448 m
    expect(hits[0].lengthInsideM).toBeGreaterThan(4400);
    expect(hits[0].lengthInsideM).toBeLessThan(4500);
  });

  it('a shallow cove (100 m) is not', () => {
    const coast: Position[] = [[-0.1, 0], [-0.002, 0], [-0.002, 0.0009], [0.002, 0.0009], [0.002, 0], [0.1, 0]];
    expect(barriersInDistrict(district, barrierLines(seaFc(coast)))).toEqual([]);
  });
});
