import { beforeAll, describe, expect, it } from 'vitest';
import { buildMip, mergeDemand, modelObjectiveOf, scoreSites, solveExact, solveHeuristic, type CoverageMatrix, type SolveLp } from '../../src/core/optimize/index';
import { greedyCover, lagrangianMclpBound, reduceLscp, reduceMclp } from '../../src/core/optimize/reduce';
import { handMatrix, randomMatrix, subsets } from '../../src/core/optimize/testMatrix';
import { nodeSolveLp } from '../../src/cli/highsNode';

let solveLp: SolveLp;
beforeAll(async () => { solveLp = await nodeSolveLp(); });

/** Fewest free sites covering all the demand any choice covers (brute force). */
function bruteLscp(m: CoverageMatrix): number {
  const all = [...subsets(m, m.candidates.length)];
  const need = scoreSites(m, all.reduce((a, b) => (b.length > a.length ? b : a), [])).coveredWeight;
  return Math.min(...all.filter((s) => scoreSites(m, s).coveredWeight >= need - 1e-9).map((s) => s.length));
}

describe('LSCP reductions (forced, dominated rows, dominated sites)', () => {
  it('forces the only cover of a row, drops the row it implies and the site it dominates', () => {
    // d0: only c0 → c0 forced (covers d0, d1). d2 ⊂ {c1, c2}, d3 = {c1, c2, c3}: d3 ⊇ d2 is dropped.
    // c3 covers d3 only (dropped with it) → c3 has no row left, goes; c1 and c2 are then equal: c1 stays, c2 goes,
    // leaving d2 with one site → c1 forced. Nothing left for the solver; answer {c0, c1}.
    const m = handMatrix([1, 1, 1, 1], [[[0, 10], [1, 10]], [[1, 10], [2, 10], [3, 10]], [[2, 10], [3, 10]], [[3, 10]]]);
    const { mip, stats } = reduceLscp(buildMip(m, { model: 'lscp' }));
    expect(mip.forcedOpen).toEqual([0, 1]);
    expect(mip.offset).toBe(2);
    expect(mip.constraints).toHaveLength(0);
    expect(stats).toMatchObject({ rows: 4, sites: 4, forced: 2, rowsLeft: 0, sitesLeft: 0 });
  });

  it('keeps a cycle nothing reduces (each row two sites, no site dominates) and the solver finishes it', async () => {
    // Odd cycle of 5 rows over 5 sites: optimum 3.
    const rows: [number, number][][] = [0, 1, 2, 3, 4].map((c) => [[c, 10], [(c + 4) % 5, 10]]);
    const m = handMatrix([1, 1, 1, 1, 1], rows);
    const { mip, stats } = reduceLscp(buildMip(m, { model: 'lscp' }));
    expect(stats).toMatchObject({ forced: 0, rowsLeft: 5, sitesLeft: 5 });
    expect(greedyCover(mip).length).toBeGreaterThanOrEqual(3);
    const e = await solveExact(m, { model: 'lscp' }, solveLp);
    expect(e.objective).toBe(3);
    expect(bruteLscp(m)).toBe(3);
  });

  it('leaves other models alone', () => {
    const m = randomMatrix(3, 8, 25);
    const mip = buildMip(m, { model: 'mclp', k: 2 });
    expect(reduceLscp(mip).mip).toBe(mip);
  });

  for (let seed = 1; seed <= 12; seed++)
    it(`seed ${seed} (synthetic): reduced = unreduced = brute force, and the answer covers all coverable demand`, async () => {
      const m = randomMatrix(100 + seed, 12, 60, { limitS: 200 + 10 * seed, sizeM: 3000, fixed: seed % 3 });
      const b = bruteLscp(m);
      const full = buildMip(m, { model: 'lscp' });
      const { mip, stats } = reduceLscp(full);
      expect(stats.rowsLeft).toBeLessThanOrEqual(stats.rows);
      // Greedy cover of what is left plus the forced sites is feasible, so never below the optimum.
      expect(mip.offset + greedyCover(mip).length).toBeGreaterThanOrEqual(b);
      for (const mm of [m, mergeDemand(m, 'lscp')]) {
        const red = await solveExact(mm, { model: 'lscp' }, solveLp);
        const raw = await solveExact(mm, { model: 'lscp' }, solveLp, { reduce: false });
        expect(red.objective).toBe(b);
        expect(raw.objective).toBe(b);
        expect(red.open).toHaveLength(b);
        expect(red.exact?.optimal).toBe(true);
        const s = scoreSites(m, red.open);
        expect(s.coveredWeight + s.uncoverableWeight).toBeCloseTo(s.totalWeight, 6);
      }
    });
});

/** Best covered weight with at most k free sites (brute force). */
function bruteMclp(m: CoverageMatrix, k: number): number {
  return Math.max(...[...subsets(m, k)].map((s) => modelObjectiveOf(m, { model: 'mclp', k }, s)));
}

describe('MCLP reductions and the Lagrangian bound', () => {
  it('drops a site whose covered demand is a subset of another\'s (equal ones: the lower index stays)', () => {
    // c0 {d0, d1}, c1 {d1} ⊂ c0, c2 {d2, d3}, c3 = c2 → c1 and c3 go.
    const m = handMatrix([1, 2, 3, 4], [[[0, 10], [1, 10]], [[1, 10]], [[2, 10], [3, 10]], [[2, 10], [3, 10]]]);
    const { mip, dropped } = reduceMclp(buildMip(m, { model: 'mclp', k: 1 }));
    expect(dropped).toBe(2);
    expect([...mip.siteVars.keys()]).toEqual(['y0', 'y2']);
    expect(mip.constraints.every((c) => c.terms.every(([, v]) => v !== 'y1' && v !== 'y3'))).toBe(true);
  });

  it('the Lagrangian bound of the hand chain is the optimum when k covers everything, and above it otherwise', () => {
    const m = handMatrix([1, 2, 3, 4], [[[0, 100], [1, 200]], [[1, 100], [2, 200]], [[2, 100], [3, 200]]]);
    const two = buildMip(m, { model: 'mclp', k: 2 });
    expect(lagrangianMclpBound(two, 2, 10)! + two.offset).toBeCloseTo(10, 6);
    const one = buildMip(m, { model: 'mclp', k: 1 });
    const b = lagrangianMclpBound(one, 1, 7)! + one.offset;
    expect(b).toBeGreaterThanOrEqual(7 - 1e-9);
    expect(b).toBeLessThanOrEqual(10 + 1e-9);
  });

  for (let seed = 1; seed <= 10; seed++)
    it(`seed ${seed} (synthetic): reduced MCLP = unreduced = brute force; the Lagrangian bound is never below it`, async () => {
      const m = randomMatrix(200 + seed, 12, 60, { limitS: 150 + 10 * seed, sizeM: 3000, fixed: seed % 3 });
      const k = 1 + (seed % 3), o = { model: 'mclp' as const, k };
      const b = bruteMclp(m, k);
      const full = buildMip(m, o);
      const { mip } = reduceMclp(full);
      const lag = lagrangianMclpBound(mip, k, solveHeuristic(m, o).objective - full.offset)!;
      expect(lag + full.offset).toBeGreaterThanOrEqual(b - 1e-6);
      // Any λ gives a bound: also with few steps.
      expect(lagrangianMclpBound(full, k, 0, 3)! + full.offset).toBeGreaterThanOrEqual(b - 1e-6);
      for (const mm of [m, mergeDemand(m, 'mclp')]) {
        const red = await solveExact(mm, o, solveLp);
        const raw = await solveExact(mm, o, solveLp, { reduce: false });
        expect(red.objective).toBeCloseTo(b, 6);
        expect(raw.objective).toBeCloseTo(b, 6);
        expect(modelObjectiveOf(m, o, red.open)).toBeCloseTo(b, 6);
      }
    });
});
