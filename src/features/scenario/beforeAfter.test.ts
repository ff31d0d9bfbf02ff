import { describe, expect, it } from 'vitest';
import type { PlaceReport, StationReport } from '../../core/compliance/report';
import { beforeAfter } from './beforeAfter';

type Row = Pick<StationReport, 'id' | 'name' | 'verdict' | 'worstResponseSeconds' | 'areaOk' | 'districtAreaKm2'> & { roadShare: number | null; roadKm: number; areaShare: number };
const report = (rows: Row[]): PlaceReport =>
  ({
    stations: rows.map((r) => ({ ...r, coverage: { roadShare: r.roadShare, roadKm: r.roadKm, areaShare: r.areaShare } })),
    summary: { total: rows.length, passing: rows.filter((r) => r.verdict === 'pass').length },
  }) as unknown as PlaceReport;

describe('before / after against the plan as published', () => {
  const before = report([
    { id: 'a', name: 'A', verdict: 'fail', worstResponseSeconds: 420, areaOk: false, districtAreaKm2: 9, roadShare: 0.5, roadKm: 40, areaShare: 0.5 },
    { id: 'b', name: 'B', verdict: 'pass', worstResponseSeconds: 280, areaOk: true, districtAreaKm2: 4, roadShare: 1, roadKm: 10, areaShare: 1 },
  ]);
  const after = report([
    { id: 'a', name: 'A', verdict: 'pass', worstResponseSeconds: 290, areaOk: true, districtAreaKm2: 5, roadShare: 1, roadKm: 20, areaShare: 1 },
    { id: 'b', name: 'B', verdict: 'fail', worstResponseSeconds: 310.4, areaOk: true, districtAreaKm2: 4, roadShare: 0.9, roadKm: 10, areaShare: 0.9 },
    { id: 'n', name: 'New', verdict: 'pass', worstResponseSeconds: 250, areaOk: true, districtAreaKm2: 4, roadShare: 1, roadKm: 20, areaShare: 1 },
  ]);
  it('lists newly passing / failing districts, worst-time changes and districts now within the area limit', () => {
    const r = beforeAfter(before, after);
    expect(r.newlyPassing.map((d) => d.id)).toEqual(['a', 'n']);
    expect(r.newlyFailing.map((d) => d.id)).toEqual(['b']);
    expect(r.worstChanged.map((d) => [d.id, Math.round(d.deltaS)])).toEqual([['a', -130], ['b', 30]]);
    expect(r.nowWithinArea.map((d) => d.id)).toEqual(['a']); // 'n' is new: it had no district to bring under the limit
    expect(r.passing).toEqual([1, 2]);
    expect(r.total).toEqual([2, 3]);
  });
  it('sums road km and area reached in time by each district’s own station', () => {
    const r = beforeAfter(before, after);
    expect(r.roadKm![0]).toBeCloseTo(0.5 * 40 + 10, 10);
    expect(r.roadKm![1]).toBeCloseTo(20 + 9 + 20, 10);
    expect(r.areaKm2![0]).toBeCloseTo(0.5 * 9 + 4, 10);
    expect(r.areaKm2![1]).toBeCloseTo(5 + 0.9 * 4 + 4, 10);
    expect(beforeAfter(before, before).newlyPassing).toEqual([]);
    // a live report without coverage: verdicts from it, reached road / area only from a report that has coverage
    const live = { ...after, stations: after.stations.map((x) => ({ ...x, coverage: null })) } as PlaceReport;
    expect(beforeAfter(before, live).areaKm2).toBeNull();
    expect(beforeAfter(before, live).newlyPassing.map((d) => d.id)).toEqual(['a', 'n']);
    expect(beforeAfter(before, live, after).roadKm![1]).toBeCloseTo(49, 10);
  });
});
