/**
 * Review of the MIP size guard: a big MCLP goes to the Lagrangian branch and bound, which never reads a MIP, so the
 * HiGHS size guard must not refuse it and HiGHS must not even be loaded for it (solveExactGuarded, used by the CLI,
 * the worker and the server). Other models and small MCLPs keep the guard and HiGHS.
 */
import { describe, expect, it } from 'vitest';
import { exactEngineFor, LAGRANGIAN_MIN_TERMS, solveExactGuarded } from '../../src/core/optimize/exact';
import { mipSize } from '../../src/core/optimize/size';
import { solveHeuristic } from '../../src/core/optimize/heuristic';
import { randomMatrix } from '../../src/core/optimize/testMatrix';
import type { LpResult, SolveLp } from '../../src/core/optimize/types';

const loader = () => {
  const calls = { n: 0 };
  const load = async (): Promise<SolveLp> => { calls.n++; return async (): Promise<LpResult> => { throw new Error('HiGHS must not run here'); }; };
  return { calls, load };
};

describe('solveExactGuarded: engine first, then the size guard only for HiGHS', () => {
  // 200 candidates × 1,500 demand points in 3 km, 240 s at 8 m/s: most pairs within the limit.
  const big = randomMatrix(7, 200, 1500);
  const o = { model: 'mclp' as const, k: 3 };
  const size = mipSize(big, o);
  // Limits below this model's size: HiGHS would refuse it, the Lagrangian engine does not care.
  const limits = { variables: 1_000, nonzeros: Math.floor(size.nonzeros / 2) };

  it('a big MCLP over the MIP limits is solved by the Lagrangian engine; HiGHS is never loaded', async () => {
    expect(exactEngineFor(big, o)).toBe('lagrangian');
    expect(size.nonzeros).toBeGreaterThan(LAGRANGIAN_MIN_TERMS);
    const { calls, load } = loader();
    const s = await solveExactGuarded(big, o, load, { timeLimitS: 60 }, limits);
    expect(calls.n).toBe(0);
    expect(s.exact?.engine).toBe('lagrangian');
    expect(s.open).toHaveLength(3);
    expect(s.objective).toBeGreaterThanOrEqual(solveHeuristic(big, o).objective - 1e-9);
    expect(s.exact!.bound).toBeGreaterThanOrEqual(s.objective - 1e-9);
  }, 120_000);

  it('the same model forced to HiGHS is refused before HiGHS loads (model-too-large)', async () => {
    expect(exactEngineFor(big, o, 'highs')).toBe('highs');
    const { calls, load } = loader();
    await expect(solveExactGuarded(big, o, load, { engine: 'highs' }, limits)).rejects.toMatchObject({ code: 'model-too-large' });
    expect(calls.n).toBe(0);
  });

  it('a small MCLP and every other model stay on HiGHS, which is loaded', async () => {
    const small = randomMatrix(3, 10, 40);
    expect(exactEngineFor(small, o)).toBe('highs');
    expect(exactEngineFor(big, { model: 'lscp' })).toBe('highs');
    expect(exactEngineFor(big, { model: 'pmedian', k: 3 })).toBe('highs');
    const { calls, load } = loader();
    // (solveExact may prove this one by its Lagrangian bound without a solver run; HiGHS was loaded for it all the same)
    await solveExactGuarded(small, o, load, {}).catch((e: Error) => expect(e.message).toBe('HiGHS must not run here'));
    expect(calls.n).toBe(1);
    await expect(solveExactGuarded(small, { model: 'pmedian', k: 2 }, load, {})).rejects.toThrow('HiGHS must not run here');
    expect(calls.n).toBe(2);
  });
});
