import { describe, expect, it } from 'vitest';
import { modelObjectiveOf, scoreSites, solveHeuristic, type CoverageMatrix } from '../../src/core/optimize/index';
import { solveMclpBranch } from '../../src/core/optimize/mclpBranch';
import { handMatrix, randomMatrix, subsets } from '../../src/core/optimize/testMatrix';

/** Best covered weight with at most k free sites (brute force). */
function bruteMclp(m: CoverageMatrix, k: number): number {
  return Math.max(...[...subsets(m, k)].map((s) => modelObjectiveOf(m, { model: 'mclp', k }, s)));
}

describe('MCLP by Lagrangian branch and bound', () => {
  it('hand chain: k = 1 takes c2 (7), k = 2 covers all 10, proven optimal', () => {
    const m = handMatrix([1, 2, 3, 4], [[[0, 100], [1, 200]], [[1, 100], [2, 200]], [[2, 100], [3, 200]]]);
    const one = solveMclpBranch(m, 1), two = solveMclpBranch(m, 2);
    expect(one).toMatchObject({ open: [2], objective: 7, complete: true, status: 'Optimal' });
    expect(two.objective).toBe(10);
    expect(two.bound).toBeCloseTo(10, 9);
  });

  it('counts demand of fixed stations once and never opens them as new sites', () => {
    // c0 fixed covers d0, d1; c1 {d1, d2}, c2 {d3}: with k = 1, c1 adds only d2 (3) and c2 adds d3 (4).
    const m = handMatrix([1, 2, 3, 4], [[[0, 10], [1, 10]], [[1, 10], [2, 10]], [[3, 10]]], { fixed: [0] });
    const r = solveMclpBranch(m, 1);
    expect(r.open).toEqual([2]);
    expect(r.objective).toBe(7);
  });

  let branched = 0;
  for (let seed = 1; seed <= 24; seed++)
    it(`seed ${seed} (synthetic): equals brute force, bound ≥ optimum, never below greedy + swap`, () => {
      const m = randomMatrix(500 + seed, 14, 120, { limitS: 120 + 8 * seed, sizeM: 3000, fixed: seed % 3 });
      const k = 2 + (seed % 3), o = { model: 'mclp' as const, k };
      const b = bruteMclp(m, k), h = solveHeuristic(m, o);
      // Without a start (the search finds its own incumbents) and from the greedy + swap answer.
      for (const start of [undefined, h.open]) {
        const r = solveMclpBranch(m, k, { start, mipRelGap: 0 });
        expect(r.complete).toBe(true);
        expect(r.objective).toBeCloseTo(b, 6);
        expect(modelObjectiveOf(m, o, r.open)).toBeCloseTo(b, 6);
        expect(r.open.length).toBeLessThanOrEqual(k);
        expect(r.open.every((c) => !m.candidates[c].fixed)).toBe(true);
        expect(r.bound).toBeGreaterThanOrEqual(b - 1e-6);
        expect(r.rootBound).toBeGreaterThanOrEqual(b - 1e-6);
        if (r.nodes > 1) branched++;
      }
      expect(h.objective).toBeLessThanOrEqual(b + 1e-9);
    });

  it('some of the random instances needed branching (the tree is exercised, not only the root)', () => {
    expect(branched).toBeGreaterThan(3);
  });

  it('a stop (cancel, time) returns the incumbent with a bound that still holds', () => {
    const m = randomMatrix(77, 30, 300, { limitS: 200, sizeM: 6000 });
    const k = 4, b = bruteMclp(m, k), h = solveHeuristic(m, { model: 'mclp', k });
    const cancelled = solveMclpBranch(m, k, { start: h.open, signal: { aborted: true } });
    expect(cancelled.status).toBe('Interrupted by user');
    expect(cancelled.complete).toBe(false);
    expect(cancelled.objective).toBeGreaterThanOrEqual(h.objective - 1e-9);
    expect(cancelled.bound).toBeGreaterThanOrEqual(b - 1e-6);
    // Stopped before any bound: the trivial one, all the weight some candidate reaches.
    const s0 = scoreSites(m, []);
    expect(cancelled.bound).toBeCloseTo(s0.totalWeight - s0.uncoverableWeight, 6);
    // A clock that jumps past the limit after a few reads: stopped inside the tree.
    const clock = { t: 0 };
    const timed = solveMclpBranch(m, k, { start: h.open, timeLimitS: 1, mipRelGap: 0, now: () => (clock.t += 40) });
    expect(timed.bound).toBeGreaterThanOrEqual(b - 1e-6);
    expect(timed.objective).toBeLessThanOrEqual(b + 1e-6);
  });
});
