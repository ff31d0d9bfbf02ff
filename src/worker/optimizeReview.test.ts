/**
 * Review of #12, the worker side of a siting run: the curve, the plan comparison and the objective shown use exact
 * travel times (p-median / p-center merge demand on whole seconds: 240.4 s became 240 s, "within 4 min"), and an
 * exact model too large for HiGHS is refused before it is built (the heuristic answer kept, the sizes told).
 */
import { describe, expect, it } from 'vitest';
import { nodeSolveLp } from '../cli/highsNode';
import { handMatrix, randomMatrix } from '../core/optimize/testMatrix';
import type { CoverageMatrix, SolveLp } from '../core/optimize';
import { solveRequest, type RunInstance } from './optimizeRun';
import type { OptimizeModel, OptimizeRequest } from './optimizeProtocol';

const request = (model: OptimizeModel, extra: Partial<OptimizeRequest> = {}): OptimizeRequest => ({
  runId: 'r', placeId: 'hand', model, k: 2, minutes: 4, candidates: { kind: 'thinned', spacingM: 200 }, fixed: [], planned: [],
  weight: 'length', exactLimitS: 10, ...extra,
});
const instance = (matrix: CoverageMatrix, planned: number[] = []): RunInstance => ({ matrix, planned, mode: 'network', excludedBySiting: 0, excludedByWater: 0 });

/**
 * c0 (one of the plan's sites, freed) reaches d0 in 240.4 s — just over the 4 min limit; c1 reaches d1 in 100 s.
 * 1,000 m of road each. Exact: c0 covers nothing, {c0, c1} cover half; whole seconds said c0 covers d0.
 */
function justOver(): CoverageMatrix {
  const m = handMatrix([1000, 1000], [[[0, 240.4]], [[1, 100]]], { limitS: 240, horizonS: 480 });
  m.candidates[0] = { ...m.candidates[0], kind: 'planned' };
  return m;
}

describe('p-median / p-center: what is shown uses exact times', () => {
  for (const model of ['pmedian', 'pcenter'] as const)
    it(`${model}: the curve and the plan comparison do not count 240.4 s as within 240 s`, async () => {
      const r = await solveRequest(request(model, { exactLimitS: 0 }), instance(justOver(), [0]), nodeSolveLp);
      expect(r.curve.map((p) => p.share)).toEqual([0, 0.5, 0.5]);
      expect(r.curve[2].covered).toBeCloseTo(1, 9); // km of road
      expect(r.plan).toEqual({ count: 1, share: 0, bestShare: 0.5 });
    });

  it('p-median: the exact objective shown is the mean of the exact times (170.2 s, not 170 s)', async () => {
    const r = await solveRequest(request('pmedian'), instance(justOver()), nodeSolveLp);
    expect(r.exact.status).toBe('optimal');
    // (1000 × 240.4 + 1000 × 100) / 2000, with 240.4 as the float the matrix holds
    expect(r.exact.objective).toBeCloseTo((Math.fround(240.4) + 100) / 2, 9);
  });

  it('p-center: the exact objective shown is the worst exact time (240.4 s)', async () => {
    const r = await solveRequest(request('pcenter'), instance(justOver()), nodeSolveLp);
    expect(r.exact.objective).toBeCloseTo(Math.fround(240.4), 9);
  });
});

describe('exact model too large: refused before it is built', () => {
  it('p-median over 500,000 assignment variables: exact failed with model-too-large and the sizes; HiGHS not loaded; greedy sites kept, no LP text', async () => {
    // Synthetic (generated): 200 candidates × 3,000 points, every pair within the horizon → ~600,000 variables.
    const m = randomMatrix(3, 200, 3000, { sizeM: 2000, limitS: 240, horizonS: 480 });
    let loaded = 0;
    const solveLp = async (): Promise<SolveLp> => { loaded++; return nodeSolveLp(); };
    const r = await solveRequest(request('pmedian', { k: 1, curveMaxK: 1, writeLp: true }), instance(m), solveLp);
    expect(loaded).toBe(0);
    expect(r.exact.status).toBe('failed');
    expect(r.exact.error?.code).toBe('model-too-large');
    expect(r.exact.error?.en).toMatch(/^the exact pmedian model is too large: [\d,]+ variables, [\d,]+ nonzeros \(limit 500,000 variables, 1,500,000 nonzeros\)/);
    expect(r.exact.error?.zh).toMatch(/^pmedian 精确模型过大：[\d,]+ 个变量/);
    expect(r.sites).toHaveLength(1);
    // the LP file asked for is not written either; the run says why instead of failing
    expect(r.lp).toBeUndefined();
    expect(r.warnings.map((w) => w.code)).toEqual(['model-too-large']);
  }, 60_000);

  it('a model within the limits is written as LP text, no warning', async () => {
    const r = await solveRequest(request('pmedian', { exactLimitS: 0, writeLp: true }), instance(justOver()), nodeSolveLp);
    expect(r.lp).toMatch(/^\\ model pmedian, k = 2/m);
    expect(r.warnings).toEqual([]);
  });
});
