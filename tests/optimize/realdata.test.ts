/**
 * The 上海 sample end to end: road demand every 50 m, candidates every 700 m, the coverage matrix from the real graph
 * (4 min), checked against the router's own point-to-point times, then LSCP and MCLP on it.
 */
import { describe, expect, it } from 'vitest';
import { mergeDemand, networkMatrix, roadCandidates, roadDemand, scoreSites, solveExact, solveHeuristic, type CoverageMatrix } from '../../src/core/optimize/index';
import { rng } from '../../src/core/optimize/testMatrix';
import { nodeSolveLp } from '../../src/cli/highsNode';
import { placeRouter } from '../support/place';
import { profileWithTurns } from '../../src/core/router';

const router = placeRouter('shanghai');
const demand = roadDemand(router.graph, { seconds: router.seconds });
const cands = roadCandidates(router.graph, { spacingM: 700, seconds: router.seconds, usable: router.mainNetwork });
const matrix = networkMatrix(router, demand, cands, { limitS: 240 });

const timeOf = (m: CoverageMatrix, c: number, i: number): number | null => {
  for (let k = m.first[c]; k < m.first[c + 1]; k++) if (m.dem[k] === i) return m.time[k];
  return null;
};

describe('上海 sample: coverage matrix from the real graph', () => {
  it('demand weights add up to the drivable road length once per road, candidates keep their spacing', () => {
    const km = demand.weight.reduce((a, b) => a + b, 0) / 1000;
    expect(km).toBeGreaterThan(100);
    expect(km).toBeLessThan(router.graphSummary().roadKm + 1e-6);
    expect(cands.length).toBeGreaterThan(40);
    expect(matrix.dem.length).toBeGreaterThan(0);
  });

  it('matrix times equal the router’s point-to-point times (station → demand, 4 min cap)', () => {
    const r = rng(7);
    let compared = 0, inside = 0;
    for (let s = 0; s < 4; s++) {
      const c = Math.floor(r() * cands.length), cand = cands[c];
      const ids = Array.from({ length: 25 }, () => Math.floor(r() * demand.weight.length));
      // Add some demand the matrix says is covered, so both sides of the limit are compared.
      for (let k = matrix.first[c]; k < matrix.first[c + 1] && ids.length < 40; k += 17) ids.push(matrix.dem[k]);
      const res = router.times([cand.lon, cand.lat], ids.map((i) => [demand.lon[i], demand.lat[i]] as [number, number]));
      ids.forEach((i, q) => {
        const want = res.results[q].seconds, got = timeOf(matrix, c, i);
        // The router moves a destination it cannot reach to another road; the matrix leaves such demand uncovered.
        if (res.results[q].snap.moved) { expect(got).toBeNull(); return; }
        compared++;
        if (want !== null && want <= 239.9) { inside++; expect(got).not.toBeNull(); expect(got!).toBeCloseTo(want, 1); }
        if (want === null || want > 240.1) expect(got).toBeNull();
      });
    }
    expect(compared).toBeGreaterThan(100);
    expect(inside).toBeGreaterThan(10);
  });

  it('demand → station (reversed search, turn restrictions not modelled) equals the router without turn restrictions', () => {
    const few = cands.slice(0, 3);
    const rev = networkMatrix(router, demand, few, { limitS: 240, direction: 'demand-to-station' });
    expect(rev.direction).toBe('demand-to-station');
    const plain = placeRouter('shanghai');
    plain.setProfile(profileWithTurns(plain.profile, false), false);
    const r = rng(3);
    for (let c = 0; c < few.length; c++) {
      for (let q = 0; q < 12; q++) {
        const k = rev.first[c] + Math.floor(r() * (rev.first[c + 1] - rev.first[c]));
        const i = rev.dem[k];
        const back = plain.times([demand.lon[i], demand.lat[i]], [[few[c].lon, few[c].lat]]).results[0].seconds;
        expect(back).not.toBeNull();
        expect(rev.time[k]).toBeCloseTo(back!, 1);
      }
    }
  });

  it('progress is reported per candidate and a cancel stops the run', () => {
    const seen: number[] = [];
    networkMatrix(router, demand, cands.slice(0, 5), { limitS: 120, onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const signal = { aborted: false };
    expect(() => networkMatrix(router, demand, cands, { limitS: 240, signal, onProgress: (d) => { if (d === 3) signal.aborted = true; } }))
      .toThrow(expect.objectContaining({ code: 'cancelled' }));
  });

  it('merging shrinks the model and keeps coverage; LSCP covers everything coverable; MCLP k = 1 equals the best single candidate', async () => {
    const merged = mergeDemand(matrix, 'lscp');
    expect(merged.demandCount).toBeLessThan(demand.weight.length / 2);
    expect(merged.weight.reduce((a, b) => a + b, 0)).toBeCloseTo(demand.weight.reduce((a, b) => a + b, 0), 3);
    const lscp = await solveExact(merged, { model: 'lscp' }, await nodeSolveLp(), { timeLimitS: 60 });
    expect(lscp.exact?.optimal).toBe(true);
    // Scored on the full (unmerged) matrix: all coverable road is covered.
    const full = scoreSites(matrix, lscp.open);
    expect(full.coveredWeight).toBeCloseTo(full.totalWeight - full.uncoverableWeight, 3);
    expect(solveHeuristic(merged, { model: 'lscp' }).objective).toBeGreaterThanOrEqual(lscp.objective);
    // Brute force over the matrix rows: the best single candidate's covered road.
    let best = 0;
    for (let c = 0; c < cands.length; c++) {
      let w = 0;
      for (let k = matrix.first[c]; k < matrix.first[c + 1]; k++) if (matrix.time[k] <= 240) w += matrix.weight[matrix.dem[k]];
      best = Math.max(best, w);
    }
    const g = solveHeuristic(matrix, { model: 'mclp', k: 1 });
    expect(g.picks[0].gain).toBeCloseTo(best, 3);
    const e = await solveExact(mergeDemand(matrix, 'mclp'), { model: 'mclp', k: 1 }, await nodeSolveLp(), { timeLimitS: 60 });
    expect(e.objective).toBeCloseTo(best, 3);
  });
});
