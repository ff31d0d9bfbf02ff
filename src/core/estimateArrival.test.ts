import { describe, expect, it } from 'vitest';
import { estimateArrival } from './estimateArrival';

const model = { speedKmh: 30, lambda: 1.4, turnoutS: 60 };

describe('straight-line arrival estimate', () => {
  it('gives distance × λ ÷ speed from the nearest station, turnout added', () => {
    // 0.01° of latitude ≈ 1111.95 m (R = 6371008.8 m): travel = 1111.95 × 1.4 / (30/3.6) ≈ 186.8 s.
    const r = estimateArrival([{ id: 'a', lon: 113, lat: 22 }, { id: 'b', lon: 113.1, lat: 22 }], [113, 22.01], model)!;
    expect(r.stationId).toBe('a');
    expect(r.distanceM).toBeGreaterThan(1110);
    expect(r.distanceM).toBeLessThan(1113);
    expect(r.travelSeconds).toBeCloseTo((r.distanceM * 1.4) / (30 / 3.6), 6);
    expect(r.travelSeconds).toBeGreaterThan(186);
    expect(r.travelSeconds).toBeLessThan(187.2);
    expect(r.responseSeconds).toBeCloseTo(r.travelSeconds + 60, 6);
  });
  it('picks the shortest response, a station’s own turnout counted', () => {
    const to = [113.05, 22] as const;
    // Both lie about equally far, a slightly closer one with a 5-minute turnout loses.
    const r = estimateArrival([{ id: 'slow', lon: 113.04, lat: 22, turnoutS: 300 }, { id: 'fast', lon: 113.062, lat: 22 }], to, model)!;
    expect(r.stationId).toBe('fast');
    expect(r.turnoutSeconds).toBe(60);
    // Brute force: the minimum over all stations.
    const all = [{ id: 'slow', lon: 113.04, lat: 22, turnoutS: 300 }, { id: 'fast', lon: 113.062, lat: 22 }].map((s) => estimateArrival([s], to, model)!.responseSeconds);
    expect(r.responseSeconds).toBe(Math.min(...all));
  });
  it('gives null without usable stations or with a zero speed', () => {
    expect(estimateArrival([], [113, 22], model)).toBeNull();
    expect(estimateArrival([{ id: 'x', lon: NaN, lat: 22 }], [113, 22], model)).toBeNull();
    expect(estimateArrival([{ id: 'x', lon: 113, lat: 22 }], [113, 22], { ...model, speedKmh: 0 })).toBeNull();
  });
});
