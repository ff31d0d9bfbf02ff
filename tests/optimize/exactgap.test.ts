/**
 * What solveExact reports as bound and gap: HiGHS's 'Optimal' means "within mip_rel_gap", so the final bound and gap
 * are the solver's own (not 0), and the MCLP engines (HiGHS, Lagrangian branch and bound) agree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { modelObjectiveOf, solveExact, solveHeuristic, type SolveLp } from '../../src/core/optimize/index';
import { randomMatrix } from '../../src/core/optimize/testMatrix';
import { nodeSolveLp } from '../../src/cli/highsNode';

let solveLp: SolveLp;
beforeAll(async () => { solveLp = await nodeSolveLp(); });

describe('reported gap', () => {
  it('an Optimal status with a bound short of the objective reports that gap, not 0', async () => {
    const m = randomMatrix(5, 10, 60, { horizonS: 400 });
    const o = { model: 'pmedian' as const, k: 2 };
    const truth = await solveExact(m, o, solveLp);
    // The solver says Optimal but proves only objective − 50 (LP terms), as HiGHS does within mip_rel_gap.
    const loose: SolveLp = async (lp, opts) => { const r = await solveLp(lp, opts); return { ...r, bound: r.objective! - 50, gap: null }; };
    const e = await solveExact(m, o, loose);
    expect(e.exact?.optimal).toBe(true);
    expect(e.objective).toBeCloseTo(truth.objective, 6);
    expect(e.exact?.bound).toBeCloseTo(e.objective - 50, 6);
    expect(e.exact?.gap).toBeCloseTo(50 / e.objective, 9);
    expect(e.exact?.gap).toBeGreaterThan(0);
  });

  it('a bound past the answer by rounding is clamped to the answer (gap 0, never negative)', async () => {
    const m = randomMatrix(5, 10, 60, { horizonS: 400 });
    const past: SolveLp = async (lp, opts) => { const r = await solveLp(lp, opts); return { ...r, bound: r.objective! + 1e-9 }; };
    const e = await solveExact(m, { model: 'pmedian', k: 2 }, past);
    expect(e.exact?.gap).toBe(0);
    expect(e.exact?.bound).toBe(e.exact?.objective);
  });
});

describe('MCLP engines agree', () => {
  for (let seed = 1; seed <= 6; seed++)
    it(`seed ${seed} (synthetic, 40 × 400): Lagrangian branch and bound = HiGHS, both proven; picks and score match the sites`, async () => {
      const m = randomMatrix(900 + seed, 40, 400, { sizeM: 6000, limitS: 180 + 10 * seed, fixed: seed % 2 });
      const o = { model: 'mclp' as const, k: 2 + (seed % 4) };
      const hi = await solveExact(m, o, solveLp, { engine: 'highs', mipRelGap: 0 });
      const la = await solveExact(m, o, solveLp, { engine: 'lagrangian', mipRelGap: 0 });
      expect(hi.exact?.engine).toBe('highs');
      expect(la.exact?.engine).toBe('lagrangian');
      expect(la.exact?.optimal).toBe(true);
      expect(la.objective).toBeCloseTo(hi.objective, 6);
      expect(modelObjectiveOf(m, o, la.open)).toBeCloseTo(la.objective, 6);
      expect(la.score.coveredWeight).toBeCloseTo(la.objective, 6);
      expect(la.picks.reduce((a, p) => a + p.gain, 0) + modelObjectiveOf(m, o, [])).toBeCloseTo(la.objective, 6);
      expect(la.exact!.bound!).toBeGreaterThanOrEqual(la.objective - 1e-6);
      expect(la.exact!.gap!).toBeLessThanOrEqual(1e-9);
      expect(la.objective).toBeGreaterThanOrEqual(solveHeuristic(m, o).objective - 1e-9);
    });

  it('engine auto keeps HiGHS for small models (its LP file is what glpsol and cbc check)', async () => {
    const m = randomMatrix(3, 8, 25);
    const e = await solveExact(m, { model: 'mclp', k: 2 }, solveLp);
    expect(e.exact?.engine).toBe('highs');
  });
});
